// SPDX-License-Identifier: GPL-2.0
/*
 * voipwakectl monitor: every app's events, from the "admin" multicast
 * group, one line each as they happen, prefixed with the CLOCK_BOOTTIME
 * time they were printed at (the module's clock, which counts suspend, so
 * that a line compares with the apps' last_wake_ns and keep-alive windows
 * across a suspend):
 *
 *   12.345678 woken app=ID reason=data sock=INO bytes=N keepalive=0|1
 *   12.345678 frozen app=ID
 *   12.345678 thawed app=ID
 *   12.345678 freeze-timeout app=ID
 *   12.345678 sock-closed sock=INO app=ID
 *   12.345678 backgrounded app=ID
 *   12.345678 foregrounded app=ID
 *   12.345678 sock-unmarked sock=INO app=ID
 *
 * A value the module did not report shows as "-" (null in JSON).
 * keepalive=1: the wake is, or serves as, the app's keep-alive. JSON
 * events of apps carry all the app's fields besides, as in status -j.
 */

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ctl.h"

struct monitor {
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
	case VW_EVENT_BACKGROUNDED:
		return "backgrounded";
	case VW_EVENT_FOREGROUNDED:
		return "foregrounded";
	case VW_EVENT_UNMARKED:
		return "sock-unmarked";
	case VW_EVENT_FREEZE_GATE:
		return "freeze-gate";
	}
	return NULL;
}

/* A socket's event carries the socket, not its app's fields. */
static bool is_sock_event(const struct vw_event *ev)
{
	return ev->type == VOIPWAKE_CMD_SOCK_CLOSED_NTF ||
	       ev->type == VW_EVENT_UNMARKED;
}

/* " key=value", or " key=-" when not reported; JSON alike with null. */
static void field(const char *key, bool has, uint64_t v)
{
	char fmt[32], sfmt[32];

	snprintf(fmt, sizeof(fmt), " %s=%%" PRIu64, key);
	snprintf(sfmt, sizeof(sfmt), " %s=%%s", key);
	print_u64(key, fmt, sfmt, has, v);
}

static void print_reason(const struct vw_event *ev)
{
	const char *name = reason_name(ev->reason);
	bool has = ev->present & VW_EVENT_HAS_REASON;

	if (!has || !name)
		field("reason", has, ev->reason);
	else
		print_string("reason", " reason=%s", name);
}

static void print_event(const struct vw_event *ev, void *arg)
{
	struct monitor *m = arg;
	const char *name = event_name(ev->type);
	bool has;
	struct timespec now;

	if (!name || (m->limit && m->seen >= m->limit))
		return;
	m->seen++;
	clock_gettime(CLOCK_BOOTTIME, &now);
	print_double("time", now.tv_sec + now.tv_nsec / 1e9);
	print_text("%lld.%06ld", (long long)now.tv_sec, now.tv_nsec / 1000);
	print_string("event", " %s", name);

	if (is_sock_event(ev)) {
		field("sock", ev->sock.present & VW_SOCK_HAS_INO, ev->sock.ino);
		field("app", ev->sock.present & VW_SOCK_HAS_CGROUP_ID,
		      ev->sock.cgroup_id);
	} else {
		field("app", ev->app.present & VW_APP_HAS_CGROUP_ID,
		      ev->app.cgroup_id);
	}
	if (ev->type == VOIPWAKE_CMD_APP_WOKEN_NTF) {
		print_reason(ev);
		field("sock", ev->present & VW_EVENT_HAS_SOCK_INO,
		      ev->sock_ino);
		field("bytes", ev->present & VW_EVENT_HAS_BYTES, ev->bytes);
		has = ev->present & VW_EVENT_HAS_KEEPALIVE;
		if (print_is_json())
			print_bool("keepalive", NULL, has, ev->keepalive);
		else
			field("keepalive", has, !!ev->keepalive);
	}
	if (!is_sock_event(ev))
		ctl_print_app_fields(&ev->app);
	print_text("\n");
	/* Line by line, for whoever reads a pipe or a file as it grows. */
	print_flush_line();
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
	m.limit = a.count;
	print_start(a.json);
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
	print_end();
	return ret;
}
