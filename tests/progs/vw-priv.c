// SPDX-License-Identifier: GPL-2.0
/*
 * vw-priv MODE SELF TARGET FOREIGN: tries every voipwake request from one
 * kind of caller and prints one line per request,
 *
 *   NAME RESULT [EXTACK]
 *
 * RESULT being ok, an errno name, or, for the dump visibility checks,
 * shown or hidden. tests/vm/scenarios/privilege-matrix.rst says what each
 * must be; the privilege-matrix scenario compares.
 *
 * Runs as root and sets itself up first: two UDP sockets of another user
 * (uid 0, or uid 1000 when MODE is root) in the cgroup FOREIGN, one of
 * them marked; then it moves into the cgroup SELF, opens TARGET (the
 * cgroup it will name with APP_CGROUP_FD) and FOREIGN, and becomes MODE:
 *
 *   root       stays root
 *   user       uid/gid 1000, no capabilities (SELF and TARGET root's)
 *   delegate   the same, TARGET delegated to uid 1000 by the scenario
 *   userns     uid 1000, then root of a new user and network namespace
 *              (unshare -Urn), its netlink socket in that namespace
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/voipwake.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nlerr.h"
#include "util.h"

#define USER_ID 1000

struct priv {
	struct mnl_socket *nl;
	unsigned int portid;
	unsigned int seq;
	uint16_t family;
	uint32_t admin_grp;
	char extack[256];
	/* For the dumps: what to look for, and whether it came. */
	uint64_t foreign_ino;
	uint64_t foreign_cgid;
	bool seen;
	char buf[65536];
};

static int err_cb(const struct nlmsghdr *nlh, void *data)
{
	struct priv *p = data;

	return nlerr_cb(nlh, p->extack, sizeof(p->extack));
}

/* A dump ends with DONE, which carries the dump's error. */
static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	int err = 0;

	(void)data;
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(err))
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	errno = -err;
	return err ? MNL_CB_ERROR : MNL_CB_STOP;
}

/* Sends @nlh, feeds every reply to @cb: 0 or -errno. */
static int transact(struct priv *p, struct nlmsghdr *nlh, mnl_cb_t cb)
{
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = err_cb, [NLMSG_DONE] = done_cb,
	};
	int n, ret;

	p->extack[0] = '\0';
	nlh->nlmsg_seq = ++p->seq;
	if (mnl_socket_sendto(p->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(p->nl, p->buf, sizeof(p->buf));
		if (n < 0)
			return -errno;
		errno = 0;
		ret = mnl_cb_run2(p->buf, n, p->seq, p->portid, cb, p, ctl,
				  NLMSG_MIN_TYPE);
		if (ret == MNL_CB_ERROR)
			return errno ? -errno : -EPROTO;
	} while (ret > 0);
	return 0;
}

static struct nlmsghdr *req(struct priv *p, uint16_t type, uint8_t cmd,
			    uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(p->buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = VOIPWAKE_GENL_VERSION;
	return nlh;
}

static int grp_attr(const struct nlattr *attr, void *data)
{
	struct priv *p = data;
	const struct nlattr *a, *g;
	const char *name;
	uint32_t id;

	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID)
		p->family = mnl_attr_get_u16(attr);
	if (mnl_attr_get_type(attr) != CTRL_ATTR_MCAST_GROUPS)
		return MNL_CB_OK;
	mnl_attr_for_each_nested(g, attr) {
		name = NULL;
		id = 0;
		mnl_attr_for_each_nested(a, g) {
			if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME)
				name = mnl_attr_get_str(a);
			if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID)
				id = mnl_attr_get_u32(a);
		}
		if (name && !strcmp(name, VOIPWAKE_MCGRP_ADMIN))
			p->admin_grp = id;
	}
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, GENL_HDRLEN, grp_attr, data);
}

static int dump_attr(const struct nlattr *attr, void *data)
{
	struct priv *p = data;
	uint16_t type = mnl_attr_get_type(attr);

	/* SOCK_INO and APP_CGROUP_ID: the foreign socket's, and its app's. */
	if (type == VOIPWAKE_A_SOCK_INO && p->foreign_ino &&
	    mnl_attr_get_u64(attr) == p->foreign_ino)
		p->seen = true;
	if (type == VOIPWAKE_A_APP_CGROUP_ID && p->foreign_cgid &&
	    mnl_attr_get_u64(attr) == p->foreign_cgid)
		p->seen = true;
	return MNL_CB_OK;
}

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, GENL_HDRLEN, dump_attr, data);
}

static void show(struct priv *p, const char *name, int ret)
{
	printf("%s %s %s\n", name, ret ? errname(-ret) : "ok", p->extack);
	fflush(stdout);
}

static void try_sock(struct priv *p, const char *name, uint8_t cmd, int fd)
{
	struct nlmsghdr *nlh = req(p, p->family, cmd, 0);

	mnl_attr_put_u32(nlh, VOIPWAKE_A_SOCK_FD, fd);
	show(p, name, transact(p, nlh, NULL));
}

/* One APP command; @fd < 0 for none; @attr 0 for none. */
static void try_app(struct priv *p, const char *name, uint8_t cmd, int fd,
		    uint16_t attr, uint32_t val)
{
	struct nlmsghdr *nlh = req(p, p->family, cmd, 0);

	if (fd >= 0)
		mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_CGROUP_FD, fd);
	/* The policy wants each attribute at its own size. */
	if (attr == VOIPWAKE_A_APP_WAKE_SYSTEM || attr == VOIPWAKE_A_APP_HELD)
		mnl_attr_put_u8(nlh, attr, val);
	else if (attr)
		mnl_attr_put_u32(nlh, attr, val);
	show(p, name, transact(p, nlh, NULL));
}

static void try_dump(struct priv *p, const char *name, const char *seen_name,
		     uint8_t cmd)
{
	struct nlmsghdr *nlh = req(p, p->family, cmd, NLM_F_DUMP);
	int ret;

	p->seen = false;
	ret = transact(p, nlh, dump_cb);
	show(p, name, ret);
	p->extack[0] = '\0';
	printf("%s %s\n", seen_name, p->seen ? "shown" : "hidden");
}

static const struct {
	const char *name;
	uint16_t attr;
	uint32_t val;
} settings[] = {
	{ "background", VOIPWAKE_A_APP_STATE, VOIPWAKE_APP_STATE_BACKGROUND },
	{ "foreground", VOIPWAKE_A_APP_STATE, VOIPWAKE_APP_STATE_FOREGROUND },
	{ "window", VOIPWAKE_A_APP_WAKE_WINDOW_MS, 2000 },
	{ "keepalive", VOIPWAKE_A_APP_KEEPALIVE_S, 60 },
	{ "tolerance", VOIPWAKE_A_APP_KEEPALIVE_TOLERANCE_PCT, 10 },
	{ "budget", VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS, 2000 },
	{ "interval", VOIPWAKE_A_APP_WAKE_INTERVAL_MS, 0 },
	{ "wake-system", VOIPWAKE_A_APP_WAKE_SYSTEM, 1 },
	/* 0: a release, which changes nothing of an app nobody froze. */
	{ "held", VOIPWAKE_A_APP_HELD, 0 },
	/* 0: no gate, as the app had; an answer with no gate open. */
	{ "gate", VOIPWAKE_A_APP_FREEZE_GATE_MS, 0 },
	{ "gate-answer", VOIPWAKE_A_APP_FREEZE_GATE_SEQ, 1 },
};

static void run(struct priv *p, int target, int foreign, int fsock_marked,
		int fsock)
{
	struct nlmsghdr *nlh;
	char name[64];
	unsigned int i;
	int s, ret, grp;

	nlh = req(p, p->family, VOIPWAKE_CMD_INFO_GET, 0);
	show(p, "info-get", transact(p, nlh, NULL));

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		fail("socket", errno);
	try_sock(p, "sock-mark", VOIPWAKE_CMD_SOCK_MARK, s);
	try_dump(p, "sock-get-dump", "sock-dump-foreign", VOIPWAKE_CMD_SOCK_GET);
	try_sock(p, "sock-unmark", VOIPWAKE_CMD_SOCK_UNMARK, s);
	try_sock(p, "sock-mark-foreign", VOIPWAKE_CMD_SOCK_MARK, fsock);

	for (i = 0; i < ARRAY_SIZE(settings); i++) {
		snprintf(name, sizeof(name), "app-set-fd-%s", settings[i].name);
		try_app(p, name, VOIPWAKE_CMD_APP_SET, target, settings[i].attr,
			settings[i].val);
	}
	for (i = 0; i < ARRAY_SIZE(settings); i++) {
		snprintf(name, sizeof(name), "app-set-self-%s",
			 settings[i].name);
		try_app(p, name, VOIPWAKE_CMD_APP_SET, -1, settings[i].attr,
			settings[i].val);
	}
	try_app(p, "app-set-foreign-background", VOIPWAKE_CMD_APP_SET, foreign,
		VOIPWAKE_A_APP_STATE, VOIPWAKE_APP_STATE_BACKGROUND);
	try_app(p, "app-set-foreign-foreground", VOIPWAKE_CMD_APP_SET, foreign,
		VOIPWAKE_A_APP_STATE, VOIPWAKE_APP_STATE_FOREGROUND);
	try_app(p, "app-set-foreign-keepalive", VOIPWAKE_CMD_APP_SET, foreign,
		VOIPWAKE_A_APP_KEEPALIVE_S, 60);
	try_app(p, "app-set-foreign-interval", VOIPWAKE_CMD_APP_SET, foreign,
		VOIPWAKE_A_APP_WAKE_INTERVAL_MS, 0);
	try_app(p, "app-set-foreign-held", VOIPWAKE_CMD_APP_SET, foreign,
		VOIPWAKE_A_APP_HELD, 0);
	try_app(p, "app-set-foreign-gate", VOIPWAKE_CMD_APP_SET, foreign,
		VOIPWAKE_A_APP_FREEZE_GATE_MS, 0);
	try_app(p, "app-set-foreign-gate-answer", VOIPWAKE_CMD_APP_SET,
		foreign, VOIPWAKE_A_APP_FREEZE_GATE_SEQ, 1);

	try_app(p, "app-get-fd", VOIPWAKE_CMD_APP_GET, target, 0, 0);
	try_app(p, "app-get-self", VOIPWAKE_CMD_APP_GET, -1, 0, 0);
	try_app(p, "app-get-foreign", VOIPWAKE_CMD_APP_GET, foreign, 0, 0);
	try_dump(p, "app-get-dump", "app-dump-foreign", VOIPWAKE_CMD_APP_GET);

	try_app(p, "wake-done-self", VOIPWAKE_CMD_APP_WAKE_DONE, -1, 0, 0);
	try_app(p, "wake-done-fd", VOIPWAKE_CMD_APP_WAKE_DONE, target, 0, 0);
	try_app(p, "wake-done-foreign", VOIPWAKE_CMD_APP_WAKE_DONE, foreign,
		0, 0);

	/* Last: for root, it leaves the foreign app with no socket. */
	try_sock(p, "sock-unmark-foreign", VOIPWAKE_CMD_SOCK_UNMARK,
		 fsock_marked);

	p->extack[0] = '\0';
	grp = p->admin_grp;
	ret = grp ? mnl_socket_setsockopt(p->nl, NETLINK_ADD_MEMBERSHIP, &grp,
					  sizeof(grp)) : -1;
	show(p, "mcast-admin", ret ? (grp ? -errno : -ENOENT) : 0);
}

static void open_nl(struct priv *p)
{
	struct nlmsghdr *nlh;
	int one = 1;

	p->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!p->nl || mnl_socket_bind(p->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		fail("netlink", errno);
	p->portid = mnl_socket_get_portid(p->nl);
	mnl_socket_setsockopt(p->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(p->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	nlh = req(p, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, VOIPWAKE_GENL_NAME);
	if (transact(p, nlh, family_cb) || !p->family)
		fail("resolving voipwake", ENOENT);
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static void become(const char *mode)
{
	char map[64];
	int err;

	if (!strcmp(mode, "root"))
		return;
	if (setgroups(0, NULL) || setresgid(USER_ID, USER_ID, USER_ID) ||
	    setresuid(USER_ID, USER_ID, USER_ID))
		fail("dropping to uid 1000", errno);
	if (strcmp(mode, "userns"))
		return;
	/* Changing uid cleared it, which would leave /proc/self/uid_map root's. */
	if (prctl(PR_SET_DUMPABLE, 1))
		fail("PR_SET_DUMPABLE", errno);
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
		fail("unshare", errno);
	snprintf(map, sizeof(map), "0 %d 1", USER_ID);
	err = write_file("/proc/self/setgroups", "deny");
	if (!err)
		err = write_file("/proc/self/uid_map", map);
	if (!err)
		err = write_file("/proc/self/gid_map", map);
	if (err)
		fail("mapping uid 0 to 1000", -err);
}

static int open_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		fail(path, errno);
	return fd;
}

int main(int argc, char **argv)
{
	struct priv *p;
	struct stat st;
	int target, foreign, fsock, fsock_marked, ret;
	const char *mode = argc == 5 ? argv[1] : "";

	if (strcmp(mode, "root") && strcmp(mode, "user") &&
	    strcmp(mode, "delegate") && strcmp(mode, "userns")) {
		fprintf(stderr,
			"usage: vw-priv root|user|delegate|userns SELF TARGET FOREIGN\n");
		return 2;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return 1;

	/* Another user's sockets, in another app, one of them marked. */
	ret = join_cgroup(argv[4]);
	if (ret)
		fail("joining FOREIGN", -ret);
	setfsuid(strcmp(mode, "root") ? 0 : USER_ID);
	fsock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	fsock_marked = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	setfsuid(0);
	if (fsock < 0 || fsock_marked < 0 || fstat(fsock_marked, &st))
		fail("foreign socket", errno);
	p->foreign_ino = st.st_ino;
	if (stat(argv[4], &st))
		fail("stat FOREIGN", errno);
	p->foreign_cgid = st.st_ino;
	open_nl(p);
	try_sock(p, "setup-mark-foreign", VOIPWAKE_CMD_SOCK_MARK,
		 fsock_marked);
	mnl_socket_close(p->nl);

	ret = join_cgroup(argv[2]);
	if (ret)
		fail("joining SELF", -ret);
	target = open_dir(argv[3]);
	foreign = open_dir(argv[4]);
	become(mode);
	open_nl(p);
	run(p, target, foreign, fsock_marked, fsock);
	return 0;
}
