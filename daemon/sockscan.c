// SPDX-License-Identifier: GPL-2.0
/*
 * MarkSockets=: an unmodified app's sockets that its rules name, found
 * and marked (sockscan.h). Only the app's own processes are looked at;
 * sock_diag is asked once per protocol and family a rule names, and only
 * when the app has a socket fd at all.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>

#include "cgroup.h"
#include "pidfd.h"
#include "procfd.h"
#include "sockscan.h"

#define TCP_LISTEN_STATE	10	/* include/net/tcp_states.h */

struct ent {
	uint64_t ino;
	int pid, fd;
	bool match;
};

struct scan {
	struct ent *e;
	size_t n, cap;
	const struct rule *rules;
	size_t nrules;
	uint8_t proto;		/* of the dump being read */
	bool nomem;
};

/* One socket fd of one of the app's processes; a shared one counts once. */
static int add(int pid, int fd, uint64_t ino, void *arg)
{
	struct scan *s = arg;
	struct ent *e;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->e[i].ino == ino)
			return 0;
	if (s->n == s->cap) {
		e = realloc(s->e, (s->cap * 2 + 16) * sizeof(*e));
		if (!e) {
			s->nomem = true;
			return 1;
		}
		s->e = e;
		s->cap = s->cap * 2 + 16;
	}
	s->e[s->n++] = (struct ent){ .ino = ino, .pid = pid, .fd = fd };
	return 0;
}

static int each_pid(int pid, void *arg)
{
	return proc_each_socket(pid, add, arg);
}

static int ent_cmp(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;

	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* One socket of sock_diag's dump: the app's, and named by a rule? */
static int on_diag(const struct nlmsghdr *nlh, void *arg)
{
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	struct ent key = { .ino = m->idiag_inode }, *e;
	struct scan *s = arg;
	struct rule_sock rs;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
		return MNL_CB_ERROR;
	e = bsearch(&key, s->e, s->n, sizeof(*e), ent_cmp);
	if (!e)
		return MNL_CB_OK;
	memset(&rs, 0, sizeof(rs));
	rs.proto = s->proto;
	rs.family = m->idiag_family;
	rs.lport = ntohs(m->id.idiag_sport);
	rs.rport = ntohs(m->id.idiag_dport);
	memcpy(rs.raddr, m->id.idiag_dst,
	       rs.family == AF_INET ? 4 : sizeof(rs.raddr));
	if (rules_match(s->rules, s->nrules, &rs) >= 0)
		e->match = true;
	return MNL_CB_OK;
}

/*
 * Every socket of @family and @proto in our network namespace but the
 * listening ones (which cannot be marked).
 */
static int dump(struct mnl_socket *nl, uint8_t family, uint8_t proto,
		struct scan *s)
{
	char buf[32768];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct inet_diag_req_v2 *req;
	unsigned int seq = time(NULL) + proto + family;
	ssize_t n;
	int ret;

	s->proto = proto;
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = family;
	req->sdiag_protocol = proto;
	req->idiag_states = ~(1u << TCP_LISTEN_STATE);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		ret = mnl_cb_run(buf, n, seq, mnl_socket_get_portid(nl),
				 on_diag, s);
	} while (ret > MNL_CB_STOP);
	return ret < 0 ? -errno : 0;
}

static int diag(struct scan *s)
{
	static const uint8_t families[] = { AF_INET, AF_INET6 };
	bool tcp = false, udp = false;
	struct mnl_socket *nl;
	size_t i;
	int ret = 0;

	for (i = 0; i < s->nrules; i++) {
		tcp |= s->rules[i].proto == IPPROTO_TCP;
		udp |= s->rules[i].proto == IPPROTO_UDP;
	}
	nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC);
	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto out;
	}
	for (i = 0; !ret && i < sizeof(families); i++) {
		if (tcp)
			ret = dump(nl, families[i], IPPROTO_TCP, s);
		if (!ret && udp)
			ret = dump(nl, families[i], IPPROTO_UDP, s);
	}
out:
	mnl_socket_close(nl);
	return ret;
}

static void failed(struct sockscan *out, struct vw_client *c, int pid,
		   int err, bool taking)
{
	const char *msg = taking ? NULL : vw_last_error(c);

	if (out->err)
		return;
	out->err = err;
	out->err_pid = pid;
	out->taking = taking;
	snprintf(out->err_msg, sizeof(out->err_msg), "%s", msg ?: "");
}

/* Takes the socket from its process, and marks it if it is still it. */
static void mark(struct vw_client *c, const struct ent *e,
		 struct sockscan *out)
{
	bool opening;
	struct stat st;
	int dup, ret;

	dup = pidfd_take_fd(e->pid, e->fd, &opening);
	if (dup < 0) {
		/* Gone, or the fd closed since: nothing to mark. */
		if (!opening && dup != -ESRCH && dup != -EBADF)
			failed(out, c, e->pid, dup, true);
		return;
	}
	/* The fd number may have been reused since /proc was read. */
	if (fstat(dup, &st) || (uint64_t)st.st_ino != e->ino) {
		close(dup);
		return;
	}
	ret = vw_mark_socket(c, dup, 0, NULL);
	close(dup);
	if (!ret)
		out->marked++;
	else if (ret == -EALREADY)
		out->already++;
	else
		failed(out, c, e->pid, ret, false);
}

int sockscan_mark(struct vw_client *c, int cgroup_fd, const struct rule *r,
		  size_t n, struct sockscan *out)
{
	struct scan s = { .rules = r, .nrules = n };
	size_t i;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!n)
		return 0;
	ret = cg_each_pid(cgroup_fd, each_pid, &s);
	if (ret >= 0 && s.nomem)
		ret = -ENOMEM;
	if (ret < 0 || !s.n)
		goto out;
	out->socks = s.n;
	qsort(s.e, s.n, sizeof(*s.e), ent_cmp);
	ret = diag(&s);
	if (ret)
		goto out;
	for (i = 0; i < s.n; i++) {
		if (!s.e[i].match)
			continue;
		out->matched++;
		mark(c, &s.e[i], out);
	}
out:
	free(s.e);
	return ret < 0 ? ret : 0;
}

/* Yama's kernel.yama.ptrace_scope, or -1 without Yama. */
static int ptrace_scope(void)
{
	FILE *f = fopen("/proc/sys/kernel/yama/ptrace_scope", "re");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

const char *sockscan_why(const struct sockscan *s)
{
	static char buf[256];

	if (!s->taking)
		return s->err_msg[0] ? s->err_msg : strerror(-s->err);
	switch (s->err) {
	case -EPERM:
		snprintf(buf, sizeof(buf),
			 "pidfd_getfd(2) needs ptrace access to the app's processes: CAP_SYS_PTRACE, or the same user where Yama's kernel.yama.ptrace_scope is 0 (it is %d here)",
			 ptrace_scope());
		return buf;
	case -ENOSYS:
		return "pidfd_getfd(2) is not available (Linux 5.6 or later needed)";
	default:
		return strerror(-s->err);
	}
}
