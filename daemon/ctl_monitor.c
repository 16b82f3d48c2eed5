// SPDX-License-Identifier: GPL-2.0
/*
 * voipwakectl monitor: every app's events, from the "admin" multicast
 * group, one line each as they happen, prefixed with the CLOCK_MONOTONIC
 * time they were printed at:
 *
 *   12.345678 woken app=ID reason=data sock=INO bytes=N keepalive=0|1
 *   12.345678 frozen app=ID
 *   12.345678 thawed app=ID
 *   12.345678 freeze-timeout app=ID
 *   12.345678 sock-closed sock=INO app=ID
 *
 * A value the module did not report shows as "-" (null in JSON).
 * keepalive=1: the wake is, or serves as, the app's keep-alive. JSON
 * events of apps carry all the app's fields besides, as in status -j.
 */

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#include "ctl.h"

struct monitor {
	bool json;
	unsigned long limit;	/* 0 = no limit */
	unsigned long seen;
};

static const char *event_name(uint32_t type)
{
	switch (type) {
	case VOIPWAKE_CMD_APP_WOKEN_NTF:
		return "woken";
	case VOIPWAKE_CMD_APP_FROZEN_NTF:
		return "frozen";
	case VOIPWAKE_CMD_APP_THAWED_NTF:
		return "thawed";
	case VOIPWAKE_CMD_APP_FREEZE_TIMEOUT_NTF:
		return "freeze-timeout";
	case VOIPWAKE_CMD_SOCK_CLOSED_NTF:
		return "sock-closed";
	}
	return NULL;
}

/* " key=value", or " key=-" when not reported; JSON alike with null. */
static void field(const struct monitor *m, const char *key, bool has,
		  uint64_t v)
{
	if (m->json && has)
		printf(", \"%s\": %" PRIu64, key, v);
	else if (m->json)
		printf(", \"%s\": null", key);
	else if (has)
		printf(" %s=%" PRIu64, key, v);
	else
		printf(" %s=-", key);
}

static void print_reason(const struct monitor *m, const struct vw_event *ev)
{
	const char *name = ctl_reason_name(ev->reason);
	bool has = ev->present & VW_EVENT_HAS_REASON;

	if (!has || !name) {
		field(m, "reason", has, ev->reason);
	} else if (m->json) {
		fputs(", \"reason\": ", stdout);
		ctl_json_string(name);
	} else {
		printf(" reason=%s", name);
	}
}

static void print_event(const struct vw_event *ev, void *arg)
{
	struct monitor *m = arg;
	const char *name = event_name(ev->type);
	struct timespec now;

	if (!name || (m->limit && m->seen >= m->limit))
		return;
	m->seen++;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (m->json)
		printf("{\"time\": %lld.%06ld, \"event\": \"%s\"",
		       (long long)now.tv_sec, now.tv_nsec / 1000, name);
	else
		printf("%lld.%06ld %s", (long long)now.tv_sec,
		       now.tv_nsec / 1000, name);

	if (ev->type == VOIPWAKE_CMD_SOCK_CLOSED_NTF) {
		field(m, "sock", ev->sock.present & VW_SOCK_HAS_INO,
		      ev->sock.ino);
		field(m, "app", ev->sock.present & VW_SOCK_HAS_CGROUP_ID,
		      ev->sock.cgroup_id);
	} else {
		field(m, "app", ev->app.present & VW_APP_HAS_CGROUP_ID,
		      ev->app.cgroup_id);
	}
	if (ev->type == VOIPWAKE_CMD_APP_WOKEN_NTF) {
		print_reason(m, ev);
		field(m, "sock", ev->present & VW_EVENT_HAS_SOCK_INO,
		      ev->sock_ino);
		field(m, "bytes", ev->present & VW_EVENT_HAS_BYTES,
		      ev->bytes);
		if (m->json)
			ctl_json_bool("keepalive",
				      ev->present & VW_EVENT_HAS_KEEPALIVE,
				      ev->keepalive);
		else
			field(m, "keepalive",
			      ev->present & VW_EVENT_HAS_KEEPALIVE,
			      !!ev->keepalive);
	}
	if (m->json && ev->type != VOIPWAKE_CMD_SOCK_CLOSED_NTF)
		ctl_json_app(&ev->app);
	fputs(m->json ? "}\n" : "\n", stdout);
	/* Line by line, for whoever reads a pipe or a file as it grows. */
	fflush(stdout);
}

static int monitor_loop(struct vw_client *c, struct monitor *m)
{
	struct pollfd pfd = { .events = POLLIN };
	int ret;

	pfd.fd = vw_fd(c);
	if (pfd.fd < 0) {
		ctl_report(c, pfd.fd, "cannot watch for events");
		return EXIT_FAIL;
	}
	while (!m->limit || m->seen < m->limit) {
		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, PROG ": poll: %s\n", strerror(errno));
			return EXIT_FAIL;
		}
		ret = vw_dispatch(c);
		if (ret == -ENOBUFS) {
			/* Say so, and go on: the events after are intact. */
			ctl_report(c, ret, "monitor");
			continue;
		}
		if (ret < 0) {
			ctl_report(c, ret, "cannot read events");
			return EXIT_FAIL;
		}
		if (ferror(stdout))
			return EXIT_FAIL;
	}
	return EXIT_OK;
}

int ctl_monitor(int argc, char *argv[])
{
	struct monitor m = { 0 };
	struct vw_client *c;
	struct ctl_args a;
	int ret;

	ret = ctl_parse(argc, argv, CTL_OPT_JSON | CTL_OPT_COUNT, 0, 0, &a);
	if (ret >= 0)
		return ret;
	m.json = a.json;
	m.limit = a.count;
	ret = ctl_open(&c);
	if (ret)
		return ret;
	ret = vw_subscribe_admin(c);
	if (ret) {
		ctl_report(c, ret, "cannot subscribe to events");
		vw_close(c);
		return EXIT_FAIL;
	}
	vw_set_event_handler(c, print_event, &m);
	ret = monitor_loop(c, &m);
	vw_close(c);
	return ret;
}
