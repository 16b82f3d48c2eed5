// SPDX-License-Identifier: GPL-2.0
/*
 * voipwakectl status: every app and marked socket the caller may see, as
 * tables or as JSON ({"apps": [...], "socks": [...], "daemon": ...}).
 * KA_DUE is when the app's next keep-alive wake comes at the latest. When
 * voipwaked runs, each app it configures also shows its name, its wake
 * budget and what is left of it, and its relaunches.
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
	ctl_cgroup_paths(ids, paths, n);
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

/* What is left of an app's budget: "N/PERIOD" less the wakes used. */
static long budget_left(const struct ctl_daemon_app *da)
{
	long n = strtol(da->budget, NULL, 10);

	return n > (long)da->used ? n - (long)da->used : 0;
}

/* A u64 column: the value, or "-" if the module did not report it. */
static void col(bool has, uint64_t v, int width)
{
	if (has)
		printf(" %*" PRIu64, width, v);
	else
		printf(" %*s", width, "-");
}

static void col_name(bool has, const char *name, uint32_t v, int width)
{
	if (!has)
		printf("%-*s", width, "-");
	else if (name)
		printf("%-*s", width, name);
	else
		printf("%-*u", width, v);
}

/* The app column: its path where found, else its id. */
static void col_app(const char *path, bool has, uint64_t id)
{
	putchar(' ');
	if (path)
		ctl_print_text(path);
	else if (has)
		printf("%" PRIu64, id);
	else
		putchar('-');
	putchar('\n');
}

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

static void print_apps_text(const struct status *st)
{
	const struct vw_app_info *apps = st->apps.items;
	const struct vw_app_info *ai;
	char when[32], due[32];
	size_t i;

	printf("APPS\n%-11s %6s %6s %6s %6s %6s %9s %10s %-12s %5s %-10s %8s %6s %s\n",
	       "STATE", "FROZEN", "SOCKS", "DATA", "CLOSE", "ERROR",
	       "KEEPALIVE", "FROZEN_MS", "LAST_WAKE", "KA_S", "KA_DUE",
	       "OVERRUNS", "HELD", "APP");
	for (i = 0; i < st->apps.n; i++) {
		ai = &apps[i];
		col_name(ai->present & VW_APP_HAS_STATE,
			 ctl_state_name(ai->state), ai->state, 11);
		printf(" %6s", !(ai->present & VW_APP_HAS_FROZEN) ? "-" :
		       ai->frozen ? "yes" : "no");
		col(ai->present & VW_APP_HAS_SOCKS, ai->socks, 6);
		col(ai->present & VW_APP_HAS_WAKES_DATA, ai->wakes_data, 6);
		col(ai->present & VW_APP_HAS_WAKES_CLOSE, ai->wakes_close, 6);
		col(ai->present & VW_APP_HAS_WAKES_ERROR, ai->wakes_error, 6);
		col(ai->present & VW_APP_HAS_WAKES_KEEPALIVE,
		    ai->wakes_keepalive, 9);
		col(ai->present & VW_APP_HAS_FROZEN_MS, ai->frozen_ms, 10);
		last_wake(ai, when, sizeof(when));
		printf(" %-12s", when);
		if ((ai->present & VW_APP_HAS_KEEPALIVE_S) && !ai->keepalive_s)
			printf(" %5s", "off");
		else
			col(ai->present & VW_APP_HAS_KEEPALIVE_S,
			    ai->keepalive_s, 5);
		keepalive_due(ai, due, sizeof(due));
		printf(" %-10s", due);
		col(ai->present & VW_APP_HAS_KEEPALIVE_OVERRUNS,
		    ai->keepalive_overruns, 8);
		col(ai->present & VW_APP_HAS_WAKES_HELD, ai->wakes_held, 6);
		col_app(st->app_paths[i], true, ai->cgroup_id);
	}
	if (!st->apps.n)
		puts("(none)");
}

static void print_daemon_text(const struct status *st)
{
	const struct ctl_daemon_app *da;
	size_t i;

	if (!st->daemon.pid) {
		puts("\nPOLICY\n(voipwaked is not running)");
		return;
	}
	printf("\nPOLICY (voipwaked, pid %d)\n%-16s %-10s %6s %6s %-9s %9s %8s %10s\n",
	       st->daemon.pid, "NAME", "BUDGET", "USED", "LEFT", "THROTTLED",
	       "THROTTLES", "PID", "RELAUNCHES");
	for (i = 0; i < st->daemon.napps; i++) {
		da = &st->daemon.apps[i];
		printf("%-16s %-10s %6lu %6ld %-9s %9lu %8d %10lu\n", da->name,
		       da->budget, da->used, budget_left(da),
		       da->throttled ? "yes" : "no", da->throttles, da->pid,
		       da->relaunches);
	}
	if (!st->daemon.napps)
		puts("(no apps configured)");
}

static void print_socks_text(const struct status *st)
{
	const struct vw_sock_info *socks = st->socks.items;
	const struct vw_sock_info *si;
	char wake_on[64];
	size_t i;

	printf("\nSOCKETS\n%-12s %-6s %-5s %10s %-26s %6s %s\n", "INO",
	       "FAMILY", "PROTO", "UID", "WAKE_ON", "WAKES", "APP");
	for (i = 0; i < st->socks.n; i++) {
		si = &socks[i];
		printf("%-12" PRIu64 " ", si->ino);
		col_name(si->present & VW_SOCK_HAS_FAMILY,
			 ctl_family_name(si->family), si->family, 6);
		putchar(' ');
		col_name(si->present & VW_SOCK_HAS_PROTOCOL,
			 ctl_proto_name(si->protocol), si->protocol, 5);
		col(si->present & VW_SOCK_HAS_UID, si->uid, 10);
		if (si->present & VW_SOCK_HAS_WAKE_ON)
			ctl_wake_on_format(si->wake_on, wake_on,
					   sizeof(wake_on));
		else
			snprintf(wake_on, sizeof(wake_on), "-");
		printf(" %-26s", wake_on);
		col(si->present & VW_SOCK_HAS_WAKES, si->wakes, 6);
		col_app(st->sock_paths[i], si->present & VW_SOCK_HAS_CGROUP_ID,
			si->cgroup_id);
	}
	if (!st->socks.n)
		puts("(none)");
}

static void json_path(const char *path)
{
	fputs(", \"cgroup\": ", stdout);
	if (path)
		ctl_json_string(path);
	else
		fputs("null", stdout);
}

/* What voipwaked adds to an app, in an app's object and in its own. */
static void json_policy(const struct ctl_daemon_app *da)
{
	fputs(", \"budget\": ", stdout);
	ctl_json_string(da->budget);
	ctl_json_u64("budget_used", true, da->used);
	ctl_json_u64("budget_left", true, budget_left(da));
	ctl_json_bool("throttled", true, da->throttled);
	ctl_json_u64("throttles", true, da->throttles);
	ctl_json_u64("relaunches", true, da->relaunches);
}

static void print_app_json(const struct vw_app_info *ai, const char *path,
			   const struct ctl_daemon_app *da)
{
	printf("\t\t{\"cgroup_id\": %" PRIu64, ai->cgroup_id);
	json_path(path);
	ctl_json_app(ai);
	if (da) {
		fputs(", \"name\": ", stdout);
		ctl_json_string(da->name);
		json_policy(da);
	}
	putchar('}');
}

static void print_sock_json(const struct vw_sock_info *si, const char *path)
{
	const char *sep = "";
	uint32_t r;

	printf("\t\t{\"ino\": %" PRIu64, si->ino);
	ctl_json_u64("cgroup_id", si->present & VW_SOCK_HAS_CGROUP_ID,
		 si->cgroup_id);
	json_path(path);
	ctl_json_name("family", si->present & VW_SOCK_HAS_FAMILY,
		  ctl_family_name(si->family), si->family);
	ctl_json_name("protocol", si->present & VW_SOCK_HAS_PROTOCOL,
		  ctl_proto_name(si->protocol), si->protocol);
	ctl_json_u64("uid", si->present & VW_SOCK_HAS_UID, si->uid);
	fputs(", \"wake_on\": ", stdout);
	if (si->present & VW_SOCK_HAS_WAKE_ON) {
		putchar('[');
		for (r = 0; r < 32; r++) {
			if (!(si->wake_on & (1U << r)))
				continue;
			fputs(sep, stdout);
			if (ctl_reason_name(r))
				ctl_json_string(ctl_reason_name(r));
			else
				printf("%u", r);
			sep = ", ";
		}
		putchar(']');
	} else {
		fputs("null", stdout);
	}
	ctl_json_u64("wakes", si->present & VW_SOCK_HAS_WAKES, si->wakes);
	putchar('}');
}

/* Every app voipwaked configures, whether the module knows it or not. */
static void print_daemon_json(const struct ctl_daemon *d)
{
	const struct ctl_daemon_app *da;
	size_t i;

	if (!d->pid) {
		fputs("\t\"daemon\": null\n}\n", stdout);
		return;
	}
	printf("\t\"daemon\": {\"pid\": %d, \"apps\": [", d->pid);
	for (i = 0; i < d->napps; i++) {
		da = &d->apps[i];
		fputs(i ? ",\n\t\t{\"name\": " : "\n\t\t{\"name\": ", stdout);
		ctl_json_string(da->name);
		ctl_json_u64("cgroup_id", da->cgroup_id, da->cgroup_id);
		ctl_json_u64("pid", true, da->pid);
		json_policy(da);
		putchar('}');
	}
	fputs(d->napps ? "\n\t]}\n}\n" : "]}\n}\n", stdout);
}

static void print_json(const struct status *st)
{
	const struct vw_app_info *apps = st->apps.items;
	const struct vw_sock_info *socks = st->socks.items;
	size_t i;

	fputs("{\n\t\"apps\": [", stdout);
	for (i = 0; i < st->apps.n; i++) {
		fputs(i ? ",\n" : "\n", stdout);
		print_app_json(&apps[i], st->app_paths[i],
			       ctl_daemon_app(&st->daemon, apps[i].cgroup_id));
	}
	fputs(st->apps.n ? "\n\t],\n\t\"socks\": [" : "],\n\t\"socks\": [",
	      stdout);
	for (i = 0; i < st->socks.n; i++) {
		fputs(i ? ",\n" : "\n", stdout);
		print_sock_json(&socks[i], st->sock_paths[i]);
	}
	fputs(st->socks.n ? "\n\t],\n" : "],\n", stdout);
	print_daemon_json(&st->daemon);
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
	if (a.json) {
		print_json(&st);
	} else {
		print_apps_text(&st);
		print_socks_text(&st);
		print_daemon_text(&st);
	}
	status_free(&st);
	return EXIT_OK;

fail:
	vw_close(c);
	status_free(&st);
	return EXIT_FAIL;
}
