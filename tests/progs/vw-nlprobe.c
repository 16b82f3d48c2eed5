// SPDX-License-Identifier: GPL-2.0
/*
 * vw-nlprobe: speaks raw generic netlink to the voipwake family, below
 * libvoipwake, so tests can send what the library never would (stray
 * attributes, unknown commands, stale family ids) and race requests
 * against module unload.
 *
 *   vw-nlprobe stray-attr   INFO_GET with an attribute: must be refused
 *   vw-nlprobe bad-cmd      an unknown command: must be refused
 *   vw-nlprobe hold         resolve, wait for a line on stdin, then send
 *                           INFO_GET with the possibly stale family id
 *   vw-nlprobe hammer SECS  INFO_GET in a loop, re-resolving whenever the
 *                           family disappears; any other error fails
 *   vw-nlprobe app-set CGROUP|- [NAME=VALUE...]
 *                           APP_SET for the cgroup directory CGROUP, or
 *                           for the caller's own app with "-", carrying
 *                           exactly the attributes given: state,
 *                           window, ka, tolerance, budget, interval (u32)
 *                           and wake-system (u8) (none at all is
 *                           allowed: the module must refuse that)
 *   vw-nlprobe wake-done CGROUP|- [seq=N]
 *                           APP_WAKE_DONE, the same way, with APP_WAKE_SEQ
 *
 * Each prints "result=ok" or "result=ERRNAME" plus the extack message.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/voipwake.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nlerr.h"

struct probe {
	struct mnl_socket *nl;
	unsigned int portid;
	unsigned int seq;
	uint16_t family;
	char buf[32768];
	char extack[256];
};

static int ctrl_attr_cb(const struct nlattr *attr, void *data)
{
	struct probe *p = data;

	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U16) == 0)
		p->family = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int ctrl_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), ctrl_attr_cb, data);
	return MNL_CB_OK;
}

static int err_cb(const struct nlmsghdr *nlh, void *data)
{
	struct probe *p = data;

	return nlerr_cb(nlh, p->extack, sizeof(p->extack));
}

/*
 * Sends the message in p->buf and runs the reply through cb; both cb and
 * the error callback get p. Returns 0 or -errno.
 */
static int transact(struct probe *p, struct nlmsghdr *nlh, mnl_cb_t cb)
{
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = { [NLMSG_ERROR] = err_cb };
	unsigned int seq = nlh->nlmsg_seq;
	int n, ret;

	p->extack[0] = '\0';
	if (mnl_socket_sendto(p->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(p->nl, p->buf, sizeof(p->buf));
		if (n < 0)
			return -errno;
		errno = 0;
		ret = mnl_cb_run2(p->buf, n, seq, p->portid, cb, p, ctl,
				  NLMSG_MIN_TYPE);
		if (ret == MNL_CB_ERROR)
			return errno ? -errno : -EPROTO;
	} while (ret > 0);
	return 0;
}

static struct nlmsghdr *genl_put(struct probe *p, uint16_t type, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(p->buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++p->seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = VOIPWAKE_GENL_VERSION;
	return nlh;
}

static int resolve(struct probe *p, uint16_t *id)
{
	struct nlmsghdr *nlh = genl_put(p, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	int ret;

	p->family = 0;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, VOIPWAKE_GENL_NAME);
	ret = transact(p, nlh, ctrl_cb);
	*id = p->family;
	return ret;
}

static int info_get(struct probe *p, uint16_t id, int stray)
{
	struct nlmsghdr *nlh = genl_put(p, id, VOIPWAKE_CMD_INFO_GET);

	if (stray)
		mnl_attr_put_u32(nlh, VOIPWAKE_A_INFO_API_VERSION, 1);
	return transact(p, nlh, NULL);
}

static const struct {
	const char *name;
	uint16_t type;
} app_attrs[] = {
	{ "state", VOIPWAKE_A_APP_STATE },
	{ "window", VOIPWAKE_A_APP_WAKE_WINDOW_MS },
	{ "ka", VOIPWAKE_A_APP_KEEPALIVE_S },
	{ "tolerance", VOIPWAKE_A_APP_KEEPALIVE_TOLERANCE_PCT },
	{ "budget", VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS },
	{ "interval", VOIPWAKE_A_APP_WAKE_INTERVAL_MS },
	{ "seq", VOIPWAKE_A_APP_WAKE_SEQ },
	{ "wake-system", VOIPWAKE_A_APP_WAKE_SYSTEM },
};

/* 0, or -EINVAL for an argument that names no attribute. */
static int app_cmd(struct probe *p, uint16_t id, uint8_t cmd,
		   const char *cgroup, char **args, int n)
{
	struct nlmsghdr *nlh = genl_put(p, id, cmd);
	size_t i, len;
	int fd = -1, k, ret;

	if (strcmp(cgroup, "-")) {
		fd = open(cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_CGROUP_FD, fd);
	}
	for (k = 0; k < n; k++) {
		for (i = 0; i < sizeof(app_attrs) / sizeof(app_attrs[0]); i++) {
			len = strlen(app_attrs[i].name);
			if (!strncmp(args[k], app_attrs[i].name, len) &&
			    args[k][len] == '=')
				break;
		}
		if (i == sizeof(app_attrs) / sizeof(app_attrs[0])) {
			fprintf(stderr, "vw-nlprobe: unknown attribute %s\n",
				args[k]);
			return -EINVAL;
		}
		if (app_attrs[i].type == VOIPWAKE_A_APP_WAKE_SYSTEM)
			mnl_attr_put_u8(nlh, app_attrs[i].type,
					strtoul(args[k] + len + 1, NULL, 0));
		else
			mnl_attr_put_u32(nlh, app_attrs[i].type,
					 strtoul(args[k] + len + 1, NULL, 0));
	}
	ret = transact(p, nlh, NULL);
	if (fd >= 0)
		close(fd);
	return ret;
}

static int report(struct probe *p, int ret)
{
	if (ret)
		printf("result=%s extack='%s'\n", strerrorname_np(-ret),
		       p->extack);
	else
		printf("result=ok\n");
	fflush(stdout);
	return ret;
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Family gone, or gone and back under a new id: both are fine here. */
static int family_gone(int ret)
{
	return ret == -ENOENT || ret == -EOPNOTSUPP;
}

static int hammer(struct probe *p, double secs)
{
	unsigned long ok = 0, gone = 0;
	double end = mono() + secs;
	uint16_t id = 0;
	int ret;

	while (mono() < end) {
		ret = id ? info_get(p, id, 0) : resolve(p, &id);
		if (!ret) {
			ok += !!id;
			continue;
		}
		if (!family_gone(ret)) {
			report(p, ret);
			return 1;
		}
		gone++;
		id = 0;
	}
	printf("hammer ok=%lu gone=%lu\n", ok, gone);
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct probe *p;
	const char *what = argc > 1 ? argv[1] : "";
	int one = 1, ret;
	uint16_t id;
	char line[16];

	p = calloc(1, sizeof(*p));
	if (!p)
		return 1;
	p->seq = time(NULL);
	p->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!p->nl || mnl_socket_bind(p->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("vw-nlprobe: netlink");
		return 1;
	}
	p->portid = mnl_socket_get_portid(p->nl);
	mnl_socket_setsockopt(p->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(p->nl, NETLINK_CAP_ACK, &one, sizeof(one));

	if (!strcmp(what, "hammer") && argc == 3)
		return hammer(p, atof(argv[2]));

	ret = resolve(p, &id);
	if (ret) {
		fprintf(stderr, "vw-nlprobe: resolving %s: %s\n",
			VOIPWAKE_GENL_NAME, strerror(-ret));
		return 1;
	}
	if (!strcmp(what, "stray-attr"))
		return !report(p, info_get(p, id, 1));
	if (!strcmp(what, "bad-cmd")) {
		struct nlmsghdr *nlh = genl_put(p, id, VOIPWAKE_CMD_MAX + 1);

		return !report(p, transact(p, nlh, NULL));
	}
	if (!strcmp(what, "app-set") && argc >= 3)
		return !!report(p, app_cmd(p, id, VOIPWAKE_CMD_APP_SET, argv[2],
					   argv + 3, argc - 3));
	if (!strcmp(what, "wake-done") && argc >= 3)
		return !!report(p, app_cmd(p, id, VOIPWAKE_CMD_APP_WAKE_DONE,
					   argv[2], argv + 3, argc - 3));
	if (!strcmp(what, "hold")) {
		printf("family=%u\n", id);
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			return 1;
		report(p, info_get(p, id, 0));
		return 0;
	}
	fprintf(stderr,
		"usage: vw-nlprobe stray-attr|bad-cmd|hold|hammer SECS|app-set|wake-done CGROUP|- [NAME=VALUE...]\n");
	return 2;
}
