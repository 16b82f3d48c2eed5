// SPDX-License-Identifier: GPL-2.0
/*
 * voipwakectl status: every app and marked socket the caller may see, as
 * tables or as JSON ({"apps": [...], "socks": [...], "daemon": ...}),
 * through one code path (ctl_print.h). KA_DUE is when the app's next
 * keep-alive wake comes at the latest. When voipwaked runs (asked over
 * D-Bus), each app it knows also shows its name, its wake budget and
 * what is left of it, and its relaunches.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl.h"

/* A growable array of whatever a dump callback hands over. */
struct list {
	void *items;
	size_t size;
	size_t n;
	size_t cap;
};

static int list_push(struct list *l, const void *item)
{
	size_t cap = l->cap ? 2 * l->cap : 16;
	void *items;

	if (l->n == l->cap) {
		items = realloc(l->items, cap * l->size);
		if (!items)
			return -ENOMEM;
		l->items = items;
		l->cap = cap;
	}
	memcpy((char *)l->items + l->n * l->size, item, l->size);
	l->n++;
	return 0;
}

static int collect_app(const struct vw_app_info *ai, void *arg)
{
	return list_push(arg, ai);
}

static int collect_sock(const struct vw_sock_info *si, void *arg)
{
	return list_push(arg, si);
}

struct status {
	struct list apps;	/* struct vw_app_info */
	struct list socks;	/* struct vw_sock_info */
	char **app_paths;	/* per app, NULL if unresolved */
	char **sock_paths;	/* per socket, of its app */
	struct ctl_daemon daemon;	/* pid 0: voipwaked does not run */
};

/* Resolves every cgroup id in one walk of the cgroup tree. */
static int status_paths(struct status *st)
{
	const struct vw_app_info *apps = st->apps.items;
	const struct vw_sock_info *socks = st->socks.items;
	size_t n = st->apps.n + st->socks.n;
	uint64_t *ids;
	char **paths;
	size_t i;

	ids = calloc(n + 1, sizeof(*ids));
	paths = calloc(n + 1, sizeof(*paths));
	if (!ids || !paths) {
		free(ids);
		free(paths);
		return -ENOMEM;
	}
	for (i = 0; i < st->apps.n; i++)
		ids[i] = apps[i].cgroup_id;
	for (i = 0; i < st->socks.n; i++)
		ids[st->apps.n + i] = socks[i].present & VW_SOCK_HAS_CGROUP_ID ?
				      socks[i].cgroup_id : 0;
	cg_paths_of_ids(ids, paths, n);
	free(ids);
	st->app_paths = paths;
	st->sock_paths = paths + st->apps.n;
	return 0;
}

static void status_free(struct status *st)
{
	size_t i;

	if (st->app_paths) {
		for (i = 0; i < st->apps.n + st->socks.n; i++)
			free(st->app_paths[i]);
		free(st->app_paths);
	}
	free(st->apps.items);
	free(st->socks.items);
	ctl_daemon_free(&st->daemon);
}

/* What is left of an app's budget: N less the wakes used. */
static uint32_t budget_left(const struct ctl_daemon_app *da)
{
	return da->budget_wakes > da->used ? da->budget_wakes - da->used : 0;
}

/* A u64 column: the value, or "-" if the module did not report it. */
#define COL(key, w, has, v) \
	print_u64(key, " %" #w PRIu64, " %" #w "s", has, v)

/* The module's times are CLOCK_BOOTTIME, which counts suspend too. */
static uint64_t boot_ns(void)
{
	struct timespec now;

	clock_gettime(CLOCK_BOOTTIME, &now);
	return (uint64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

static void last_wake(const struct vw_app_info *ai, char *buf, size_t len)
{
	uint64_t now_ns;

	if (!(ai->present & VW_APP_HAS_LAST_WAKE_NS)) {
		snprintf(buf, len, "-");
		return;
	}
	if (!ai->last_wake_ns) {
		snprintf(buf, len, "never");
		return;
	}
	now_ns = boot_ns();
	if (now_ns < ai->last_wake_ns)
		snprintf(buf, len, "now");
	else
		snprintf(buf, len, "%.1fs ago",
			 (now_ns - ai->last_wake_ns) / 1e9);
}

/* By when the next keep-alive comes: "-" while none is armed. */
static void keepalive_due(const struct vw_app_info *ai, char *buf,
			  size_t len)
{
	uint64_t now_ns;

	if (!(ai->present & VW_APP_HAS_KEEPALIVE_LATEST_NS)) {
		snprintf(buf, len, "-");
		return;
	}
	now_ns = boot_ns();
	if (now_ns >= ai->keepalive_latest_ns)
		snprintf(buf, len, "now");
	else
		snprintf(buf, len, "in %.1fs",
			 (ai->keepalive_latest_ns - now_ns) / 1e9);
}

/* What voipwaked adds to an app, in an app's object and in its own. */
static void print_policy(const struct ctl_daemon_app *da)
{
	print_string("name", NULL, da->name[0] ? da->name : NULL);
	print_string("app_id", NULL, da->app_id[0] ? da->app_id : NULL);
	print_string("unit", NULL, da->unit[0] ? da->unit : NULL);
	print_string("budget", NULL, da->budget[0] ? da->budget : NULL);
	print_u64("budget_used", NULL, NULL, true, da->used);
	print_u64("budget_left", NULL, NULL, true, budget_left(da));
	print_bool("throttled", NULL, true, da->throttled);
	print_u64("throttles", NULL, NULL, true, da->throttles);
	print_u64("relaunches", NULL, NULL, da->launched, da->relaunches);
	print_bool("running", NULL, da->launched, da->running);
}

static void print_app(const struct vw_app_info *ai, const char *path,
		      const struct ctl_daemon_app *da)
{
	const char *state = state_name(ai->state);
	char when[32], due[32], num[16];
	bool has;

	print_open_object(NULL);
	print_u64("cgroup_id", NULL, NULL, true, ai->cgroup_id);
	print_string("cgroup", NULL, path);
	has = ai->present & VW_APP_HAS_STATE;
	snprintf(num, sizeof(num), "%u", ai->state);
	print_string("state", "%-11s", !has ? NULL : state ?: num);
	print_bool("frozen", " %6s", ai->present & VW_APP_HAS_FROZEN,
		   ai->frozen);
	COL("socks", 6, ai->present & VW_APP_HAS_SOCKS, ai->socks);
	COL("wakes_data", 6, ai->present & VW_APP_HAS_WAKES_DATA,
	    ai->wakes_data);
	COL("wakes_close", 6, ai->present & VW_APP_HAS_WAKES_CLOSE,
	    ai->wakes_close);
	COL("wakes_error", 6, ai->present & VW_APP_HAS_WAKES_ERROR,
	    ai->wakes_error);
	COL("wakes_keepalive", 9, ai->present & VW_APP_HAS_WAKES_KEEPALIVE,
	    ai->wakes_keepalive);
	COL("frozen_ms", 10, ai->present & VW_APP_HAS_FROZEN_MS,
	    ai->frozen_ms);
	last_wake(ai, when, sizeof(when));
	print_text(" %-12s", when);
	if ((ai->present & VW_APP_HAS_KEEPALIVE_S) && !ai->keepalive_s)
		print_text(" %5s", "off");
	else
		print_text(" %5s", "");
	COL("keepalive_s", 5, ai->present & VW_APP_HAS_KEEPALIVE_S &&
	    ai->keepalive_s, ai->keepalive_s);
	keepalive_due(ai, due, sizeof(due));
	print_text(" %-10s", due);
	COL("keepalive_overruns", 8,
	    ai->present & VW_APP_HAS_KEEPALIVE_OVERRUNS,
	    ai->keepalive_overruns);
	COL("wakes_held", 6, ai->present & VW_APP_HAS_WAKES_HELD,
	    ai->wakes_held);
	ctl_print_app_fields(ai);
	if (da)
		print_policy(da);
	/* The app column: its path where found, else its id. */
	if (path)
		print_string(NULL, " %s\n", path);
	else
		print_text(" %" PRIu64 "\n", ai->cgroup_id);
	print_close_object();
}

static void print_apps(const struct status *st)
{
	const struct vw_app_info *apps = st->apps.items;
	size_t i;

	print_text("APPS\n%-11s %6s %6s %6s %6s %6s %9s %10s %-12s %5s %-10s %8s %6s %s\n",
		   "STATE", "FROZEN", "SOCKS", "DATA", "CLOSE", "ERROR",
		   "KEEPALIVE", "FROZEN_MS", "LAST_WAKE", "KA_S", "KA_DUE",
		   "OVERRUNS", "HELD", "APP");
	print_open_array("apps");
	for (i = 0; i < st->apps.n; i++)
		print_app(&apps[i], st->app_paths[i],
			  ctl_daemon_app(&st->daemon, apps[i].cgroup_id));
	print_close_array();
	if (!st->apps.n)
		print_text("(none)\n");
}

static void print_sock(const struct vw_sock_info *si, const char *path)
{
	char wake_on[64];
	uint32_t r;

	print_open_object(NULL);
	print_u64("ino", "%-12" PRIu64, NULL, true, si->ino);
	print_u64("cgroup_id", NULL, NULL, si->present & VW_SOCK_HAS_CGROUP_ID,
		  si->cgroup_id);
	print_string("cgroup", NULL, path);
	print_string("family", " %-6s", !(si->present & VW_SOCK_HAS_FAMILY) ?
		     NULL : ctl_family_name(si->family) ?: "?");
	print_string("protocol", " %-5s",
		     !(si->present & VW_SOCK_HAS_PROTOCOL) ? NULL :
		     ctl_proto_name(si->protocol) ?: "?");
	COL("uid", 10, si->present & VW_SOCK_HAS_UID, si->uid);
	if (si->present & VW_SOCK_HAS_WAKE_ON)
		ctl_wake_on_format(si->wake_on, wake_on, sizeof(wake_on));
	print_text(" %-26s", si->present & VW_SOCK_HAS_WAKE_ON ? wake_on : "-");
	if (si->present & VW_SOCK_HAS_WAKE_ON) {
		print_open_array("wake_on");
		for (r = 0; r < 32; r++)
			if (si->wake_on & (1U << r))
				print_string(NULL, NULL, reason_name(r) ?: "?");
		print_close_array();
	} else {
		print_string("wake_on", NULL, NULL);
	}
	COL("wakes", 6, si->present & VW_SOCK_HAS_WAKES, si->wakes);
	if (path)
		print_string(NULL, " %s\n", path);
	else if (si->present & VW_SOCK_HAS_CGROUP_ID)
		print_text(" %" PRIu64 "\n", si->cgroup_id);
	else
		print_text(" -\n");
	print_close_object();
}

static void print_socks(const struct status *st)
{
	const struct vw_sock_info *socks = st->socks.items;
	size_t i;

	print_text("\nSOCKETS\n%-12s %-6s %-5s %10s %-26s %6s %s\n", "INO",
		   "FAMILY", "PROTO", "UID", "WAKE_ON", "WAKES", "APP");
	print_open_array("socks");
	for (i = 0; i < st->socks.n; i++)
		print_sock(&socks[i], st->sock_paths[i]);
	print_close_array();
	if (!st->socks.n)
		print_text("(none)\n");
}

/* Every app voipwaked knows, whether the module knows it or not. */
static void print_daemon(const struct ctl_daemon *d)
{
	const struct ctl_daemon_app *da;
	size_t i;

	if (!d->pid) {
		print_string("daemon", NULL, NULL);
		print_text("\nPOLICY\n(voipwaked is not running)\n");
		return;
	}
	print_open_object("daemon");
	print_u64("pid", "\nPOLICY (voipwaked, pid %" PRIu64 ")\n", NULL,
		  true, d->pid);
	print_text("%-16s %-10s %6s %6s %-9s %9s %10s %s\n", "NAME", "BUDGET",
		   "USED", "LEFT", "THROTTLED", "THROTTLES", "RELAUNCHES",
		   "APP");
	print_open_array("apps");
	for (i = 0; i < d->napps; i++) {
		da = &d->apps[i];
		print_open_object(NULL);
		print_string(NULL, "%-16s", da->name[0] ? da->name : "-");
		print_u64("cgroup_id", NULL, NULL, da->cgroup_id,
			  da->cgroup_id);
		print_policy(da);
		print_text(" %-10s %6u %6u %-9s %9u", da->budget[0] ?
			   da->budget : "-", da->used, budget_left(da),
			   da->throttled ? "yes" : "no", da->throttles);
		if (da->launched)
			print_text(" %10u", da->relaunches);
		else
			print_text(" %10s", "-");
		print_string(NULL, " %s\n", da->app_id[0] ? da->app_id :
			     da->unit[0] ? da->unit : "-");
		print_close_object();
	}
	print_close_array();
	print_close_object();
	if (!d->napps)
		print_text("(no apps)\n");
}

int ctl_status(int argc, char *argv[])
{
	struct status st = {
		.apps = { .size = sizeof(struct vw_app_info) },
		.socks = { .size = sizeof(struct vw_sock_info) },
	};
	struct vw_client *c;
	struct ctl_args a;
	int ret;

	ret = ctl_parse(argc, argv, CTL_OPT_JSON, 0, 0, &a);
	if (ret >= 0)
		return ret;
	ret = ctl_open(&c);
	if (ret)
		return ret;

	ret = vw_app_dump(c, collect_app, &st.apps);
	if (ret) {
		ctl_report(c, ret, "cannot list apps");
		goto fail;
	}
	ret = vw_sock_dump(c, collect_sock, &st.socks);
	if (ret) {
		ctl_report(c, ret, "cannot list marked sockets");
		goto fail;
	}
	vw_close(c);
	c = NULL;
	ret = status_paths(&st);
	if (ret) {
		fprintf(stderr, PROG ": cannot resolve cgroup paths: %s\n",
			strerror(-ret));
		goto fail;
	}

	ctl_daemon_read(&st.daemon);
	print_start(a.json);
	print_apps(&st);
	print_socks(&st);
	print_daemon(&st.daemon);
	ret = print_end();
	status_free(&st);
	return ret ? EXIT_FAIL : EXIT_OK;

fail:
	vw_close(c);
	status_free(&st);
	return EXIT_FAIL;
}
