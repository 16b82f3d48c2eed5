// SPDX-License-Identifier: GPL-2.0
/*
 * vw-fuzz [--seed N] [--count N] [--socks N] [--cgroup DIR]: sends the
 * voipwake family N generated and mutated requests (default 100000) and
 * reads the answer to every one of them.
 *
 * Each request is a command (the real ones, the notification-only ones
 * and unknown numbers), random header flags (NLM_F_DUMP on do-only
 * commands and the other way round), and attributes drawn from both
 * attribute spaces with right and wrong lengths, bogus nesting, flags and
 * duplicates; fd attributes name every kind of fd the module must tell
 * apart: sockets it may mark, marked ones, listening, netlink and unix
 * sockets, pipes, files, cgroup directories and files, the root cgroup,
 * closed and impossible numbers. DIR is the cgroup the APP commands may
 * act on (never the caller's own: APP_SET may freeze it). --socks marks
 * that many UDP sockets first, so that dumps span many messages.
 *
 * While building a request the fuzzer decides whether the module's
 * policies and rules must refuse it (an attribute the command does not
 * take, a bad length or value, a missing attribute, an fd that cannot be
 * right, an unknown command, ...). Such a request that succeeds is a
 * failure; a request that may be right may succeed or fail. Every request
 * asks for an ack and must get exactly one answer (an ack, an error, or a
 * dump's DONE) within 5 s. The same seed sends the same requests.
 *
 * Prints "seed=N", then a summary; exit 0 on success, 1 on a failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/voipwake.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "nlerr.h"
#include "util.h"

/* The module's bounds (kernel/params.h, kernel/sock.h): part of its ABI. */
#define WINDOW_MIN_MS	100
#define WINDOW_MAX_MS	600000
#define WAKE_ON_MASK	((1U << VOIPWAKE_WAKE_DATA) | \
			 (1U << VOIPWAKE_WAKE_CLOSE) | \
			 (1U << VOIPWAKE_WAKE_ERROR))
#define MAX_ATTR	32
#define MAX_CMD		16
#define REPLY_TIMEOUT_S	5

/* What an fd is, which decides what the module may do with it. */
enum fd_kind {
	FD_UDP,		/* markable */
	FD_TCP,
	FD_UDP6,
	FD_MARKED,	/* one of the marked pool */
	FD_CGROUP,	/* the cgroup the APP commands may act on */
	FD_LISTEN,	/* refused from here on, by every command */
	FD_NETLINK,
	FD_UNIX,
	FD_PIPE,
	FD_FILE,
	FD_EVENTFD,
	FD_DIR,
	FD_CGFILE,
	FD_CGROOT,
	FD_CLOSED,
	FD_HUGE,	/* above INT_MAX: the policy's range */
	FD_OTHER,	/* open, but none of the above (stdio): anything goes */
	FD_KINDS
};

static const char *const fd_names[FD_KINDS] = {
	"udp", "tcp", "udp6", "marked", "cgroup", "listen", "netlink", "unix",
	"pipe", "file", "eventfd", "dir", "cgfile", "cgroot", "closed", "huge", "other",
};

struct fuzz {
	struct mnl_socket *nl;
	unsigned int portid;
	uint16_t family;
	uint32_t seq;
	uint64_t rng;
	uint32_t min_ka;
	int fds[FD_KINDS];
	int *pool;
	int npool;
	char *cgroup;
	/* Counters. */
	unsigned long sent, ok, refused, invalid, dumps, dump_msgs, ntf;
	unsigned long by_errno[256];
	unsigned long by_cmd[MAX_CMD + 1];
	char sbuf[8192];
	char rbuf[65536];
};

/* What the request being built is. */
struct req {
	uint8_t cmd;
	bool dump;
	bool invalid;		/* the module must refuse it */
	const char *why;	/* the first reason it is invalid */
	/* The last value of each attribute that passed the policy. */
	bool has[MAX_ATTR];
	uint32_t val[MAX_ATTR];
	enum fd_kind fd_kind[MAX_ATTR];
};

static uint64_t rnd(struct fuzz *f)
{
	uint64_t z = (f->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t below(struct fuzz *f, uint32_t n)
{
	return rnd(f) % n;
}

static bool chance(struct fuzz *f, unsigned int pct)
{
	return below(f, 100) < pct;
}

static void invalid(struct req *r, const char *why)
{
	if (!r->invalid)
		r->why = why;
	r->invalid = true;
}

/* The attributes each command's policy takes (none: every one refused). */
static bool in_policy(uint8_t cmd, uint16_t type)
{
	switch (cmd) {
	case VOIPWAKE_CMD_SOCK_MARK:
	case VOIPWAKE_CMD_SOCK_UNMARK:
		return type == VOIPWAKE_A_SOCK_FD ||
		       type == VOIPWAKE_A_SOCK_WAKE_ON;
	case VOIPWAKE_CMD_APP_SET:
	case VOIPWAKE_CMD_APP_GET:
		return type == VOIPWAKE_A_APP_CGROUP_FD ||
		       type == VOIPWAKE_A_APP_STATE ||
		       type == VOIPWAKE_A_APP_WAKE_WINDOW_MS ||
		       type == VOIPWAKE_A_APP_KEEPALIVE_S ||
		       type == VOIPWAKE_A_APP_KEEPALIVE_TOLERANCE_PCT ||
		       type == VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS ||
		       type == VOIPWAKE_A_APP_WAKE_INTERVAL_MS ||
		       type == VOIPWAKE_A_APP_FREEZE_GATE_MS ||
		       type == VOIPWAKE_A_APP_FREEZE_GATE_SEQ;
	case VOIPWAKE_CMD_APP_WAKE_DONE:
		return type == VOIPWAKE_A_APP_CGROUP_FD ||
		       type == VOIPWAKE_A_APP_WAKE_SEQ;
	}
	return false;
}

static bool is_fd_attr(uint8_t cmd, uint16_t type)
{
	if (cmd == VOIPWAKE_CMD_SOCK_MARK || cmd == VOIPWAKE_CMD_SOCK_UNMARK)
		return type == VOIPWAKE_A_SOCK_FD;
	return type == VOIPWAKE_A_APP_CGROUP_FD;
}

/* Does the policy itself refuse this u32 value? */
static bool policy_refuses(uint8_t cmd, uint16_t type, uint32_t v)
{
	if (is_fd_attr(cmd, type))
		return v > INT32_MAX;
	if (cmd == VOIPWAKE_CMD_SOCK_MARK || cmd == VOIPWAKE_CMD_SOCK_UNMARK)
		return type == VOIPWAKE_A_SOCK_WAKE_ON && (v & ~WAKE_ON_MASK);
	if (cmd == VOIPWAKE_CMD_APP_WAKE_DONE)
		return false;
	if (type == VOIPWAKE_A_APP_STATE)
		return v > VOIPWAKE_APP_STATE_BACKGROUND;
	if (type == VOIPWAKE_A_APP_WAKE_WINDOW_MS)
		return v > WINDOW_MAX_MS;
	if (type == VOIPWAKE_A_APP_WAKE_INTERVAL_MS)
		return v > VOIPWAKE_WAKE_INTERVAL_MAX_MS;
	if (type == VOIPWAKE_A_APP_FREEZE_GATE_MS)
		return v > VOIPWAKE_FREEZE_GATE_MAX_MS;
	return false;
}

static uint32_t pick_u32(struct fuzz *f)
{
	static const uint32_t edges[] = {
		0, 1, 2, 3, 14, 50, 51, 99, 100, 999, 1000, 30000, 30001,
		600000, 600001, 3600, 3601, 3600000, 3600001, 0x7fffffff,
		0x80000000, 0xffffffff,
	};

	if (chance(f, 60))
		return edges[below(f, ARRAY_SIZE(edges))];
	if (chance(f, 50))
		return below(f, 4000);
	return (uint32_t)rnd(f);
}

/* What fd number @v is to the module, however it was picked. */
static enum fd_kind fd_kind_of(struct fuzz *f, uint32_t v)
{
	int i;

	if (v > INT32_MAX)
		return FD_HUGE;
	for (i = 0; i < FD_KINDS; i++)
		if (i != FD_MARKED && f->fds[i] == (int)v)
			return i;
	for (i = 0; i < f->npool; i++)
		if (f->pool[i] == (int)v)
			return FD_MARKED;
	return fcntl(v, F_GETFD) >= 0 ? FD_OTHER : FD_CLOSED;
}

static uint32_t pick_fd(struct fuzz *f)
{
	enum fd_kind k = below(f, FD_KINDS);

	if (k == FD_MARKED && f->npool)
		return f->pool[below(f, f->npool)];
	return k == FD_OTHER ? below(f, 3) : (uint32_t)f->fds[k];
}

/* One attribute, maybe malformed; records what it means in @r. */
static void put_attr(struct fuzz *f, struct nlmsghdr *nlh, struct req *r)
{
	uint16_t type, flags = 0;
	uint32_t v;
	uint8_t junk[16];
	struct nlattr *nest;
	unsigned int len, i, kind = below(f, 100);

	/* Mostly attributes the command takes, so the rules get reached. */
	if (chance(f, 75)) {
		do
			type = 1 + below(f, VOIPWAKE_A_APP_MAX);
		while (!in_policy(r->cmd, type) && below(f, 8));
	} else if (chance(f, 80)) {
		type = below(f, VOIPWAKE_A_APP_MAX + 2);
	} else {
		type = below(f, 0x4000);
	}
	if (!in_policy(r->cmd, type))
		invalid(r, "attribute not in the command's policy");

	if (kind < 4) {
		/* A nest of junk: no attribute of this family nests. */
		nest = mnl_attr_nest_start(nlh, type);
		for (i = below(f, 3); i > 0; i--)
			mnl_attr_put_u32(nlh, below(f, 40), pick_u32(f));
		mnl_attr_nest_end(nlh, nest);
		invalid(r, "nested attribute");
		return;
	}
	if (kind < 12) {
		/* Every length but a u32's. */
		static const unsigned int lens[] = { 0, 1, 2, 3, 5, 8, 16 };

		len = lens[below(f, ARRAY_SIZE(lens))];
		for (i = 0; i < len; i++)
			junk[i] = rnd(f);
		mnl_attr_put(nlh, type, len, junk);
		invalid(r, "attribute of the wrong length");
		return;
	}
	if (kind < 15)
		flags = NLA_F_NESTED;
	if (is_fd_attr(r->cmd, type) && chance(f, 80))
		v = pick_fd(f);
	else
		v = pick_u32(f);
	mnl_attr_put_u32(nlh, type | flags, v);
	if (flags) {
		invalid(r, "NLA_F_NESTED on a u32");
		return;
	}
	if (!in_policy(r->cmd, type))
		return;
	if (policy_refuses(r->cmd, type, v)) {
		invalid(r, "value outside the policy");
		return;
	}
	if (is_fd_attr(r->cmd, type))
		r->fd_kind[type] = fd_kind_of(f, v);
	r->has[type] = true;
	r->val[type] = v;
}

static bool markable(enum fd_kind k)
{
	return k <= FD_MARKED || k == FD_OTHER;
}

/* The module's own rules, on the attributes that passed the policy. */
static void check_rules(struct fuzz *f, struct req *r)
{
	bool settings;

	switch (r->cmd) {
	case VOIPWAKE_CMD_SOCK_MARK:
		if (r->has[VOIPWAKE_A_SOCK_WAKE_ON] &&
		    !r->val[VOIPWAKE_A_SOCK_WAKE_ON])
			invalid(r, "wake_on 0");
		/* fall through */
	case VOIPWAKE_CMD_SOCK_UNMARK:
		if (!r->has[VOIPWAKE_A_SOCK_FD])
			invalid(r, "no SOCK_FD");
		else if (!markable(r->fd_kind[VOIPWAKE_A_SOCK_FD]))
			invalid(r, "SOCK_FD is no markable socket");
		return;
	case VOIPWAKE_CMD_APP_SET:
		if (r->has[VOIPWAKE_A_APP_WAKE_WINDOW_MS] &&
		    r->val[VOIPWAKE_A_APP_WAKE_WINDOW_MS] &&
		    r->val[VOIPWAKE_A_APP_WAKE_WINDOW_MS] < WINDOW_MIN_MS)
			invalid(r, "window below its minimum");
		if (r->has[VOIPWAKE_A_APP_KEEPALIVE_S] &&
		    ((r->val[VOIPWAKE_A_APP_KEEPALIVE_S] &&
		      r->val[VOIPWAKE_A_APP_KEEPALIVE_S] < f->min_ka) ||
		     r->val[VOIPWAKE_A_APP_KEEPALIVE_S] >
		     VOIPWAKE_KEEPALIVE_MAX_S))
			invalid(r, "keep-alive out of bounds");
		if (r->has[VOIPWAKE_A_APP_KEEPALIVE_TOLERANCE_PCT] &&
		    r->val[VOIPWAKE_A_APP_KEEPALIVE_TOLERANCE_PCT] >
		    VOIPWAKE_KEEPALIVE_TOLERANCE_MAX_PCT)
			invalid(r, "tolerance out of bounds");
		if (r->has[VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS] &&
		    r->val[VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS] &&
		    (r->val[VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS] <
		     VOIPWAKE_KEEPALIVE_BUDGET_MIN_MS ||
		     r->val[VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS] >
		     VOIPWAKE_KEEPALIVE_BUDGET_MAX_MS))
			invalid(r, "budget out of bounds");
		settings = r->has[VOIPWAKE_A_APP_WAKE_WINDOW_MS] ||
			   r->has[VOIPWAKE_A_APP_KEEPALIVE_S] ||
			   r->has[VOIPWAKE_A_APP_KEEPALIVE_TOLERANCE_PCT] ||
			   r->has[VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS] ||
			   r->has[VOIPWAKE_A_APP_WAKE_INTERVAL_MS] ||
			   r->has[VOIPWAKE_A_APP_FREEZE_GATE_MS] ||
			   r->has[VOIPWAKE_A_APP_FREEZE_GATE_SEQ];
		if (!settings && !r->has[VOIPWAKE_A_APP_STATE])
			invalid(r, "APP_SET with nothing to set");
		if (!r->has[VOIPWAKE_A_APP_CGROUP_FD] &&
		    (r->has[VOIPWAKE_A_APP_STATE] ||
		     r->has[VOIPWAKE_A_APP_WAKE_WINDOW_MS] ||
		     r->has[VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS] ||
		     r->has[VOIPWAKE_A_APP_WAKE_INTERVAL_MS]))
			invalid(r, "an app's own APP_SET beyond its keep-alive");
		if (r->has[VOIPWAKE_A_APP_WAKE_INTERVAL_MS] && geteuid())
			invalid(r, "a wake interval without CAP_NET_ADMIN");
		/* fall through */
	case VOIPWAKE_CMD_APP_GET:
	case VOIPWAKE_CMD_APP_WAKE_DONE:
		if (r->has[VOIPWAKE_A_APP_CGROUP_FD] &&
		    r->fd_kind[VOIPWAKE_A_APP_CGROUP_FD] != FD_CGROUP &&
		    r->fd_kind[VOIPWAKE_A_APP_CGROUP_FD] != FD_OTHER)
			invalid(r, "APP_CGROUP_FD is no app's cgroup");
		return;
	}
}

static bool cmd_has_do(uint8_t cmd)
{
	return cmd >= VOIPWAKE_CMD_INFO_GET &&
	       cmd <= VOIPWAKE_CMD_APP_WAKE_DONE &&
	       cmd != VOIPWAKE_CMD_SOCK_GET;
}

static bool cmd_has_dump(uint8_t cmd)
{
	return cmd == VOIPWAKE_CMD_SOCK_GET || cmd == VOIPWAKE_CMD_APP_GET;
}

static uint8_t pick_cmd(struct fuzz *f)
{
	if (chance(f, 90))
		return 1 + below(f, VOIPWAKE_CMD_APP_WAKE_DONE);
	if (chance(f, 70))
		return below(f, MAX_CMD);	/* notifications, 0, next ones */
	return rnd(f);
}

/* Builds one request into f->sbuf; returns it. */
static struct nlmsghdr *build(struct fuzz *f, struct req *r)
{
	static const uint16_t extra[] = {
		NLM_F_ECHO, NLM_F_MULTI, NLM_F_ROOT, NLM_F_MATCH,
		NLM_F_ATOMIC, NLM_F_REPLACE, NLM_F_CREATE, NLM_F_DUMP_INTR,
		NLM_F_ACK_TLVS,
	};
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(f->sbuf);
	struct genlmsghdr *g;
	unsigned int i, n;
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;

	memset(r, 0, sizeof(*r));
	r->cmd = pick_cmd(f);
	if (cmd_has_dump(r->cmd) ? chance(f, 60) : chance(f, 8))
		flags |= NLM_F_DUMP;
	for (i = below(f, 3); i > 0; i--)
		if (chance(f, 30))
			flags |= extra[below(f, ARRAY_SIZE(extra))];
	r->dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
	nlh->nlmsg_type = f->family;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = ++f->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = r->cmd;
	g->version = chance(f, 90) ? VOIPWAKE_GENL_VERSION : rnd(f);
	g->reserved = chance(f, 95) ? 0 : rnd(f);

	if (r->dump ? !cmd_has_dump(r->cmd) : !cmd_has_do(r->cmd))
		invalid(r, r->dump ? "dump of a do-only command" :
				     "no such command");

	/* Dumps take no attribute; mostly leave them bare. */
	n = r->dump && chance(f, 80) ? 0 : below(f, 5);
	for (i = 0; i < n; i++)
		put_attr(f, nlh, r);
	/*
	 * SOCK_GET has no policy: any attribute is refused. APP_GET's dump
	 * shares its do's policy, which validates and then ignores them.
	 */
	if (r->dump && n && r->cmd != VOIPWAKE_CMD_APP_GET)
		invalid(r, "a dump with attributes");
	if (!r->dump)
		check_rules(f, r);

	/* A header too short for genetlink's: refused before anything. */
	if (chance(f, 1)) {
		nlh->nlmsg_len = NLMSG_HDRLEN + below(f, GENL_HDRLEN);
		invalid(r, "truncated genetlink header");
	} else if (n && chance(f, 2)) {
		/* An attribute that claims more than the message holds. */
		((struct nlattr *)((char *)nlh + NLMSG_HDRLEN + GENL_HDRLEN))
			->nla_len += 4 + below(f, 64);
		invalid(r, "attribute longer than the message");
	}
	return nlh;
}

static void fuzz_fail(struct fuzz *f, const struct req *r, const char *what,
		      int err, const char *extack)
{
	printf("FAIL seq=%u cmd=%u dump=%d: %s (%s) reason=%s extack='%s'\n",
	       f->seq, r->cmd, r->dump, what, err ? errname(-err) : "ok",
	       r->why ? r->why : "-", extack ? extack : "");
	exit(1);
}

/*
 * Reads until the answer to f->seq: an NLMSG_ERROR (an ack when 0) or,
 * for a started dump, NLMSG_DONE. Notifications (seq 0) are counted and
 * skipped; anything else answering another seq means a lost or extra
 * reply. Returns the answer's error (0 or -errno).
 */
static int answer(struct fuzz *f, const struct req *r, const char **extack)
{
	struct nlmsghdr *nlh;
	int n, err;

	*extack = NULL;
	for (;;) {
		n = mnl_socket_recvfrom(f->nl, f->rbuf, sizeof(f->rbuf));
		if (n < 0)
			fuzz_fail(f, r, errno == EAGAIN ?
				  "no answer within 5 s" : "recv failed",
				  -errno, NULL);
		for (nlh = (struct nlmsghdr *)f->rbuf; mnl_nlmsg_ok(nlh, n);
		     nlh = mnl_nlmsg_next(nlh, &n)) {
			if (nlh->nlmsg_seq == 0 && nlh->nlmsg_type == f->family) {
				f->ntf++;
				continue;
			}
			if (nlh->nlmsg_seq != f->seq)
				fuzz_fail(f, r, "answer to another request",
					  0, NULL);
			if (nlh->nlmsg_type == NLMSG_DONE) {
				if (!r->dump)
					fuzz_fail(f, r, "DONE for a do", 0,
						  NULL);
				return nlh->nlmsg_len >= NLMSG_HDRLEN + 4 ?
				       *(int *)mnl_nlmsg_get_payload(nlh) : 0;
			}
			if (nlh->nlmsg_type != NLMSG_ERROR) {
				f->dump_msgs += r->dump;
				continue;
			}
			err = nlerr_parse(nlh, extack);
			if (err > 0)
				fuzz_fail(f, r, "positive error", err, NULL);
			return err;
		}
		if (n > 0)
			fuzz_fail(f, r, "truncated reply", 0, NULL);
	}
}

static void fuzz_one(struct fuzz *f)
{
	struct nlmsghdr *nlh;
	const char *extack;
	struct req r;
	int err;

	nlh = build(f, &r);
	if (mnl_socket_sendto(f->nl, nlh, nlh->nlmsg_len) < 0)
		fuzz_fail(f, &r, "send failed", -errno, NULL);
	f->sent++;
	f->by_cmd[r.cmd < MAX_CMD ? r.cmd : MAX_CMD]++;
	err = answer(f, &r, &extack);
	if (r.dump && !err)
		f->dumps++;
	if (!err) {
		if (r.invalid)
			fuzz_fail(f, &r, "invalid request accepted", 0, NULL);
		f->ok++;
		return;
	}
	f->refused++;
	f->invalid += r.invalid;
	f->by_errno[-err < 256 ? -err : 0]++;
}

/* A request we build as right, which must succeed: 0 or -errno. */
static int transact(struct fuzz *f, struct nlmsghdr *nlh, mnl_cb_t cb,
		    void *data)
{
	struct req r = { .cmd = 0 };
	const char *extack;
	int ret, n;

	nlh->nlmsg_seq = ++f->seq;
	if (mnl_socket_sendto(f->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	if (!cb)
		return answer(f, &r, &extack);
	do {
		n = mnl_socket_recvfrom(f->nl, f->rbuf, sizeof(f->rbuf));
		if (n < 0)
			return -errno;
		ret = mnl_cb_run(f->rbuf, n, f->seq, f->portid, cb, data);
	} while (ret > 0);
	return ret < 0 ? -errno : 0;
}

static struct nlmsghdr *put_req(struct fuzz *f, uint16_t type, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(f->sbuf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = VOIPWAKE_GENL_VERSION;
	return nlh;
}

static int family_attr(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID)
		*(uint16_t *)data = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, GENL_HDRLEN, family_attr, data);
}

static int info_attr(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == VOIPWAKE_A_INFO_MIN_KEEPALIVE_S)
		*(uint32_t *)data = mnl_attr_get_u32(attr);
	return MNL_CB_OK;
}

static int info_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, GENL_HDRLEN, info_attr, data);
}

static int sock_of(int family, int type)
{
	int fd = socket(family, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		fail("socket", errno);
	return fd;
}

static int open_or_die(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "vw-fuzz: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

static void make_fds(struct fuzz *f)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	char path[4096];
	struct rlimit rl;
	int p[2];

	f->fds[FD_UDP] = sock_of(AF_INET, SOCK_DGRAM);
	f->fds[FD_TCP] = sock_of(AF_INET, SOCK_STREAM);
	f->fds[FD_UDP6] = sock_of(AF_INET6, SOCK_DGRAM);
	f->fds[FD_MARKED] = f->fds[FD_UDP];
	f->fds[FD_CGROUP] = open_or_die(f->cgroup, O_RDONLY | O_DIRECTORY);
	f->fds[FD_LISTEN] = sock_of(AF_INET, SOCK_STREAM);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(f->fds[FD_LISTEN], (struct sockaddr *)&sin, sizeof(sin)) ||
	    listen(f->fds[FD_LISTEN], 1))
		fail("listen", errno);
	f->fds[FD_NETLINK] = sock_of(AF_NETLINK, SOCK_RAW);
	f->fds[FD_UNIX] = sock_of(AF_UNIX, SOCK_STREAM);
	if (pipe2(p, O_CLOEXEC))
		fail("pipe", errno);
	f->fds[FD_PIPE] = p[chance(f, 50)];
	f->fds[FD_FILE] = open_or_die("/dev/null", O_RDWR);
	f->fds[FD_EVENTFD] = eventfd(0, EFD_CLOEXEC);
	f->fds[FD_DIR] = open_or_die("/", O_RDONLY | O_DIRECTORY);
	snprintf(path, sizeof(path), "%s/cgroup.procs", f->cgroup);
	f->fds[FD_CGFILE] = open_or_die(path, O_RDONLY);
	f->fds[FD_CGROOT] = open_or_die("/sys/fs/cgroup",
					O_RDONLY | O_DIRECTORY);
	/* Never open while the fuzzer runs: nothing will take it. */
	getrlimit(RLIMIT_NOFILE, &rl);
	f->fds[FD_CLOSED] = rl.rlim_max - 1;
	f->fds[FD_HUGE] = (int)0x80000000U;
	if (f->fds[FD_EVENTFD] < 0 || fcntl(f->fds[FD_CLOSED], F_GETFD) >= 0)
		fail("fds", EBADF);
}

/* Marks f->npool fresh UDP sockets; the app may hold fewer. */
static void make_pool(struct fuzz *f, int n)
{
	struct nlmsghdr *nlh;
	struct rlimit rl;
	int i, fd, err;

	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	f->pool = calloc(n ? n : 1, sizeof(*f->pool));
	if (!f->pool)
		fail("calloc", ENOMEM);
	for (i = 0; i < n; i++) {
		fd = sock_of(i & 1 ? AF_INET6 : AF_INET, SOCK_DGRAM);
		nlh = put_req(f, f->family, VOIPWAKE_CMD_SOCK_MARK);
		mnl_attr_put_u32(nlh, VOIPWAKE_A_SOCK_FD, fd);
		err = transact(f, nlh, NULL, NULL);
		if (err == -ENOSPC) {
			close(fd);
			break;
		}
		if (err)
			fail("marking the pool", -err);
		f->pool[f->npool++] = fd;
	}
}

static void report(struct fuzz *f, double secs)
{
	static const char *const names[] = {
		"unspec", "info_get", "sock_mark", "sock_unmark", "sock_get",
		"app_set", "app_get", "wake_done",
	};
	int i;

	printf("sent=%lu ok=%lu refused=%lu invalid=%lu dumps=%lu dump_msgs=%lu ntf=%lu secs=%.1f rate=%.0f/s\n",
	       f->sent, f->ok, f->refused, f->invalid, f->dumps, f->dump_msgs,
	       f->ntf, secs, f->sent / secs);
	printf("errors:");
	for (i = 0; i < 256; i++)
		if (f->by_errno[i])
			printf(" %s=%lu", i ? errname(i) : "other",
			       f->by_errno[i]);
	printf("\ncommands:");
	for (i = 0; i <= MAX_CMD; i++) {
		if (!f->by_cmd[i])
			continue;
		if (i < (int)ARRAY_SIZE(names))
			printf(" %s=%lu", names[i], f->by_cmd[i]);
		else if (i < MAX_CMD)
			printf(" cmd%d=%lu", i, f->by_cmd[i]);
		else
			printf(" cmd%d+=%lu", MAX_CMD, f->by_cmd[i]);
	}
	printf("\n");
}

static void usage(void)
{
	fprintf(stderr,
		"usage: vw-fuzz [--seed N] [--count N] [--socks N] --cgroup DIR\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'c' },
		{ "socks", required_argument, NULL, 'k' },
		{ "cgroup", required_argument, NULL, 'g' },
		{ NULL, 0, NULL, 0 },
	};
	struct timeval tmo = { .tv_sec = REPLY_TIMEOUT_S };
	unsigned long count = 100000, socks = 256, i;
	uint64_t seed = mono_ns() ^ getpid();
	struct nlmsghdr *nlh;
	struct fuzz *f;
	uint64_t t0;
	char *end;
	int c, one = 1;

	f = calloc(1, sizeof(*f));
	if (!f)
		return 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		errno = 0;
		switch (c) {
		case 's':
			seed = strtoull(optarg, &end, 0);
			break;
		case 'c':
			count = strtoul(optarg, &end, 0);
			break;
		case 'k':
			socks = strtoul(optarg, &end, 0);
			break;
		case 'g':
			f->cgroup = optarg;
			end = optarg + strlen(optarg);
			break;
		default:
			usage();
		}
		if (errno || *end)
			usage();
	}
	if (!f->cgroup || optind != argc)
		usage();
	printf("seed=%llu count=%lu\n", (unsigned long long)seed, count);
	fflush(stdout);
	f->rng = seed;

	f->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!f->nl || mnl_socket_bind(f->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		fail("netlink", errno);
	f->portid = mnl_socket_get_portid(f->nl);
	mnl_socket_setsockopt(f->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(f->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(f->nl), SOL_SOCKET, SO_RCVTIMEO, &tmo,
		   sizeof(tmo));

	nlh = put_req(f, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, VOIPWAKE_GENL_NAME);
	if (transact(f, nlh, family_cb, &f->family) || !f->family)
		fail("resolving voipwake", ENOENT);
	nlh = put_req(f, f->family, VOIPWAKE_CMD_INFO_GET);
	if (transact(f, nlh, info_cb, &f->min_ka) || !f->min_ka)
		fail("INFO_GET", EPROTO);

	make_fds(f);
	make_pool(f, socks);
	printf("pool=%d min_keepalive_s=%u\n", f->npool, f->min_ka);
	for (c = 0; c < FD_KINDS; c++)
		printf("%s%s=%d", c ? " " : "fds: ", fd_names[c], f->fds[c]);
	printf("\n");
	fflush(stdout);

	t0 = mono_ns();
	for (i = 0; i < count; i++)
		fuzz_one(f);
	report(f, (mono_ns() - t0) / 1e9);
	mnl_socket_close(f->nl);
	return 0;
}
