// SPDX-License-Identifier: GPL-2.0
/*
 * Instances of apps, as the module's events bring them, and the policy
 * each gets: which configured app it is (by its cgroup, its unit or its
 * app ID), its wake budget, and the settings policy gives it. Work is
 * done when an event says something changed, never on a tick: settings
 * are applied when an instance is first seen and each time it is frozen,
 * which is before any wake can reach it; a throttle is lifted by a
 * one-shot timer set for the earliest time it can be.
 *
 * Nothing here is trusted across a restart: counters come from the
 * kernel, and a throttle the kernel still holds is taken over.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "utf8.h"
#include "vwd.h"

const char *vwd_inst_name(const struct vwd_inst *in)
{
	return in->app ? in->app->conf.name : NULL;
}

static bool conf_matches(const struct conf_app *c, const struct vwd_inst *in)
{
	char path[CONF_PATH_MAX + 32];

	if (c->cgroup[0]) {
		snprintf(path, sizeof(path), CGROUP_ROOT "%s", in->path);
		return !strcmp(path, c->cgroup) ||
		       (!in->path[0] && cg_id(c->cgroup) == in->id);
	}
	return c->match[0] && appid_matches(&in->appid, c->match);
}

static struct vwd_app *find_conf(struct vwd *d, const struct vwd_inst *in)
{
	size_t i;

	for (i = 0; i < d->napps; i++)
		if (conf_matches(&d->apps[i]->conf, in))
			return d->apps[i];
	return NULL;
}

int vwd_inst_set_budget(struct vwd_inst *in)
{
	const struct policy *p;

	if (!in->app)
		return budget_set(&in->budget, 0, 0);
	p = &in->app->conf.policy;
	return budget_set(&in->budget, p->budget_wakes, p->budget_period_s);
}

/* @in as valid UTF-8 into @out (which may be @in). */
static void shown(char *out, size_t len, const char *in)
{
	char *c;

	if (utf8_valid(in)) {
		if (out != in)
			snprintf(out, len, "%s", in);
		return;
	}
	c = utf8_clean(in);
	snprintf(out, len, "%s", c ?: "");
	free(c);
}

/* Where the cgroup is, and so which app. */
static void identify(struct vwd_inst *in)
{
	char *path = NULL;
	int fd, ret = -ENOENT;

	fd = cg_open_by_id(in->id);
	if (fd >= 0) {
		ret = cg_path_of_fd(fd, in->path, sizeof(in->path));
		close(fd);
	}
	if (ret) {
		/* Without CAP_DAC_READ_SEARCH: one walk, once per instance. */
		cg_paths_of_ids(&in->id, &path, 1);
		snprintf(in->path, sizeof(in->path), "%s", path ?: "");
		free(path);
	}
	if (!in->path[0] || appid_from_cgroup(in->path, &in->appid)) {
		memset(&in->appid, 0, sizeof(in->appid));
		in->appid.uid = APPID_NO_UID;
	}
	/*
	 * D-Bus strings are UTF-8, names are any bytes. Names an
	 * administrator can write in a file are ASCII: cleaning the app's
	 * ID and unit changes no match.
	 */
	shown(in->shown, sizeof(in->shown), in->path);
	shown(in->appid.id, sizeof(in->appid.id), in->appid.id);
	shown(in->appid.unit, sizeof(in->appid.unit), in->appid.unit);
	in->app = find_conf(in->d, in);
}

static struct vwd_inst *find_inst(struct vwd *d, uint64_t id)
{
	size_t i;

	for (i = 0; i < d->ninsts; i++)
		if (d->insts[i]->id == id)
			return d->insts[i];
	return NULL;
}

static int on_prune(sd_event_source *s, void *arg)
{
	struct vwd *d = arg;

	(void)s;
	d->prune = sd_event_source_disable_unref(d->prune);
	if (d->c)
		vwd_kernel_resync(d);
	return 0;
}

/*
 * The module says nothing when it forgets an app (its cgroup removed):
 * instances are forgotten at each full read. So that a daemon nobody
 * asks does not gather them for ever, a full read follows, once the
 * current event is handled, when they have doubled since the last one.
 */
static void maybe_prune(struct vwd *d)
{
	if (d->prune || d->ninsts <= 2 * d->ninsts_read + 16)
		return;
	sd_event_add_defer(d->ev, &d->prune, on_prune, d);
}

/* The instance of @ai's cgroup, new if it is the first word of it. */
struct vwd_inst *vwd_inst_get(struct vwd *d, const struct vw_app_info *ai)
{
	struct vwd_inst *in = find_inst(d, ai->cgroup_id), **v;

	if (in)
		return in;
	in = calloc(1, sizeof(*in));
	v = realloc(d->insts, (d->ninsts + 1) * sizeof(*v));
	if (!in || !v) {
		free(in);
		if (v)
			d->insts = v;
		return NULL;
	}
	d->insts = v;
	in->d = d;
	in->id = ai->cgroup_id;
	identify(in);
	if (vwd_inst_set_budget(in))
		vwd_log_app(LOG_ERR, in, "budget", "no memory for the app's wake budget");
	d->insts[d->ninsts++] = in;
	maybe_prune(d);
	if (in->app)
		vwd_log_app(LOG_INFO, in, NULL, "app %s is running in %s",
			    in->app->conf.name, in->path);
	return in;
}

static void inst_free(struct vwd_inst *in)
{
	vwd_freezer_forget(in);
	sd_event_source_disable_unref(in->recheck);
	budget_free(&in->budget);
	free(in);
}

/* After a full dump: the module forgot them (their cgroups are gone). */
void vwd_inst_forget_unseen(struct vwd *d)
{
	size_t i = 0;

	while (i < d->ninsts) {
		if (d->insts[i]->seen) {
			i++;
			continue;
		}
		inst_free(d->insts[i]);
		d->insts[i] = d->insts[--d->ninsts];
	}
}

static int set_interval(struct vwd_inst *in, uint32_t ms)
{
	int fd = vwd_open_app(in), ret;

	if (fd < 0)
		return fd;
	ret = vw_app_set_wake_interval(in->d->c, fd, ms);
	close(fd);
	return ret;
}

static int on_recheck(sd_event_source *s, uint64_t usec, void *arg);

/* Looks at the throttle now, and arms the one-shot timer if it must wait. */
static void budget_look(struct vwd_inst *in)
{
	uint64_t now = vwd_now_ms(), at;
	struct budget *b = &in->budget;
	char s[32];
	int ret;

	conf_budget_str(&in->app->conf.policy, s, sizeof(s));
	switch (budget_check(b, now)) {
	case BUDGET_THROTTLE:
		ret = set_interval(in, budget_interval_ms(b));
		if (ret) {
			vwd_log_app(LOG_ERR, in, "budget",
				    "app %s is over its wake budget (%s) but cannot be throttled: %s",
				    in->app->conf.name, s,
				    vw_last_error(in->d->c) ?: strerror(-ret));
			return;
		}
		budget_throttled(b, now);
		in->ki.wake_interval_ms = budget_interval_ms(b);
		vwd_log_app(LOG_WARNING, in, "budget",
			    "app %s is over its wake budget (more than %s): its socket wakes are held %u ms apart until it is back under half of it",
			    in->app->conf.name, s, budget_interval_ms(b));
		vwd_bus_throttle_signal(in);
		break;
	case BUDGET_LIFT:
		ret = set_interval(in, 0);
		if (ret && ret != -ENOENT && ret != -ESTALE) {
			vwd_log_app(LOG_ERR, in, "budget",
				    "cannot lift app %s's throttle: %s",
				    in->app->conf.name,
				    vw_last_error(in->d->c) ?: strerror(-ret));
			return;
		}
		budget_lifted(b);
		in->ki.wake_interval_ms = 0;
		vwd_log_app(LOG_NOTICE, in, "budget",
			    "app %s is back within its wake budget (%s): throttle lifted",
			    in->app->conf.name, s);
		vwd_bus_throttle_signal(in);
		break;
	case BUDGET_KEEP:
		break;
	}
	at = budget_next_check(b, now);
	if (!at) {
		in->recheck = sd_event_source_disable_unref(in->recheck);
		return;
	}
	/* One timer per throttled instance; none at all while idle. */
	if (in->recheck) {
		sd_event_source_set_time(in->recheck, at * 1000);
		sd_event_source_set_enabled(in->recheck, SD_EVENT_ONESHOT);
	} else {
		sd_event_add_time(in->d->ev, &in->recheck, CLOCK_BOOTTIME,
				  at * 1000, 100 * 1000, on_recheck, in);
	}
}

static int on_recheck(sd_event_source *s, uint64_t usec, void *arg)
{
	struct vwd_inst *in = arg;

	(void)s;
	(void)usec;
	if (in->app && in->d->c)
		budget_look(in);
	return 0;
}

static int app_call(struct vwd_inst *in, int what, uint32_t v)
{
	const struct policy *p = &in->app->conf.policy;
	int fd = vwd_open_app(in), ret;

	if (fd < 0)
		return fd;
	if (what == 'w')
		ret = vw_app_set_wake_window(in->d->c, fd, v);
	else
		ret = vw_app_set_keepalive(in->d->c, fd, v,
					   in->ki.keepalive_tolerance_pct,
					   p->keepalive_budget_ms ?:
					   in->ki.keepalive_budget_ms);
	close(fd);
	return ret;
}

static int app_wake_system(struct vwd_inst *in, bool wake)
{
	int fd = vwd_open_app(in), ret;

	if (fd < 0)
		return fd;
	ret = vw_app_set_wake_system(in->d->c, fd, wake);
	close(fd);
	return ret;
}

/*
 * The settings policy gives an app, set where the kernel's differ. A
 * setting the configuration leaves at 0 is left to the app and the admin.
 */
static void settings(struct vwd_inst *in)
{
	const struct policy *p = &in->app->conf.policy;
	uint32_t ka = in->ki.keepalive_s, want = ka;
	bool budget;
	int ret;

	if (p->wake_window_ms && p->wake_window_ms != in->ki.wake_window_ms) {
		ret = app_call(in, 'w', p->wake_window_ms);
		if (ret)
			vwd_log_app(LOG_ERR, in, "settings",
				    "cannot set app %s's wake window: %s",
				    in->app->conf.name,
				    vw_last_error(in->d->c) ?: strerror(-ret));
		else
			in->ki.wake_window_ms = p->wake_window_ms;
	}
	if ((in->ki.present & VW_APP_HAS_WAKE_SYSTEM) &&
	    !in->ki.wake_system != !p->wake_system) {
		ret = app_wake_system(in, p->wake_system);
		if (ret)
			vwd_log_app(LOG_ERR, in, "settings",
				    "cannot set whether app %s may wake the system: %s",
				    in->app->conf.name,
				    vw_last_error(in->d->c) ?: strerror(-ret));
		else
			in->ki.wake_system = p->wake_system;
	}
	if (!ka)
		return;
	if (p->keepalive_min_s && ka < p->keepalive_min_s)
		want = p->keepalive_min_s;
	if (p->keepalive_max_s && ka > p->keepalive_max_s)
		want = p->keepalive_max_s;
	budget = p->keepalive_budget_ms &&
		 in->ki.keepalive_budget_ms != p->keepalive_budget_ms;
	if (want == ka && !budget)
		return;
	ret = app_call(in, 'k', want);
	if (ret) {
		vwd_log_app(LOG_ERR, in, "settings",
			    "cannot set app %s's keep-alive: %s",
			    in->app->conf.name,
			    vw_last_error(in->d->c) ?: strerror(-ret));
		return;
	}
	in->ki.keepalive_s = want;
	if (p->keepalive_budget_ms)
		in->ki.keepalive_budget_ms = p->keepalive_budget_ms;
	if (want != ka)
		vwd_log_app(LOG_NOTICE, in, "settings",
			    "app %s asked for a keep-alive every %u s: held to %u s by KeepaliveMinSec/KeepaliveMaxSec",
			    in->app->conf.name, ka, want);
}

/* MarkSockets=' gate: on for an app with rules, off otherwise. */
static void gate(struct vwd_inst *in)
{
	int fd;

	if (!in->app || !(in->ki.present & VW_APP_HAS_FREEZE_GATE_MS) ||
	    in->ki.freeze_gate_ms == (in->app->conf.nrules ?
				      in->d->conf->mark_gate_ms : 0))
		return;
	fd = vwd_open_app(in);
	if (fd < 0)
		return;
	vwd_rules_gate(in, fd, in->app->conf.nrules);
	close(fd);
}

static bool socket_wake(const struct vw_event *ev)
{
	return (ev->present & VW_EVENT_HAS_REASON) &&
	       ev->reason != VOIPWAKE_WAKE_KEEPALIVE;
}

/* A full read of the app (start, a loss of events): take it as it is. */
static void resync(struct vwd_inst *in)
{
	in->seen = true;
	if (!in->app) {
		if (!in->d->conf->allow_unlisted && in->ki.socks &&
		    in->ki.state != VOIPWAKE_APP_STATE_FOREGROUND)
			vwd_unlisted_unmark(in);
		return;
	}
	/* A throttle the last daemon left is ours now. */
	if (in->ki.wake_interval_ms && !in->budget.throttled)
		budget_adopt(&in->budget, vwd_now_ms());
	settings(in);
	gate(in);
	/* Found frozen (a start, a reload): its rules apply now. */
	if (in->ki.state == VOIPWAKE_APP_STATE_BACKGROUND)
		vwd_rules_scan(in);
	/* A freeze that waits for a daemon gone meanwhile. */
	if (in->app->conf.nrules)
		vwd_rules_gate_open(in);
	if (in->budget.throttled)
		budget_look(in);
}

void vwd_apps_event(struct vwd *d, const struct vw_event *ev)
{
	struct vwd_inst *in;
	size_t n;

	if (ev->type == VOIPWAKE_CMD_SOCK_CLOSED_NTF ||
	    !(ev->app.present & VW_APP_HAS_CGROUP_ID))
		return;
	in = vwd_inst_get(d, &ev->app);
	if (!in)
		return;
	/* The library's structure may be larger than ours: copy what fits. */
	n = ev->app.size < sizeof(in->ki) ? ev->app.size : sizeof(in->ki);
	memset(&in->ki, 0, sizeof(in->ki));
	memcpy(&in->ki, &ev->app, n);
	/* Once per app that is a unit: a no-op after the first. */
	vwd_freezer_watch(in);

	switch (ev->type) {
	case VW_EVENT_RESYNC:
		resync(in);
		return;
	case VOIPWAKE_CMD_APP_WOKEN_NTF:
		vwd_bus_app_signal(in, "AppWoken", ev);
		if (in->app && socket_wake(ev)) {
			budget_record(&in->budget, vwd_now_ms());
			budget_look(in);
		}
		return;
	case VOIPWAKE_CMD_APP_FROZEN_NTF:
		vwd_bus_app_signal(in, "AppFrozen", ev);
		if (in->app) {
			settings(in);
			gate(in);
			vwd_rules_scan(in);
		} else if (!d->conf->allow_unlisted && in->ki.socks) {
			vwd_unlisted_unmark(in);
		}
		return;
	case VOIPWAKE_CMD_APP_THAWED_NTF:
		vwd_bus_app_signal(in, "AppThawed", ev);
		return;
	case VW_EVENT_FREEZE_GATE:
		/* Only the gates this daemon set: an app with rules. */
		if (in->app && in->app->conf.nrules)
			vwd_rules_gate_open(in);
		return;
	case VOIPWAKE_CMD_APP_FREEZE_TIMEOUT_NTF:
		vwd_log_app(LOG_WARNING, in, "freeze-timeout",
			    "the app in %s did not freeze in time", in->path);
		return;
	}
}

/* The same app in the running configuration: by name, same unit. */
static ssize_t find_old(struct vwd *d, const struct conf_app *c,
			const bool *kept)
{
	size_t i;

	for (i = 0; i < d->napps; i++)
		if (!kept[i] && !strcmp(d->apps[i]->conf.name, c->name) &&
		    !strcmp(d->apps[i]->conf.exec, c->exec) &&
		    !strcmp(d->apps[i]->conf.match, c->match))
			return i;
	return -1;
}

/*
 * A reload keeps each app's launch history (by name, when it is still
 * the same app) and takes its new policy; every instance is matched
 * again.
 */
int vwd_apps_set_conf(struct vwd *d, struct conf *conf)
{
	struct vwd_app **apps;
	bool *kept, *fresh;
	ssize_t old;
	size_t i;

	apps = calloc(conf->napps ?: 1, sizeof(*apps));
	kept = calloc(d->napps ?: 1, sizeof(*kept));
	fresh = calloc(conf->napps ?: 1, sizeof(*fresh));
	if (!apps || !kept || !fresh)
		goto nomem;
	for (i = 0; i < conf->napps; i++) {
		old = find_old(d, &conf->apps[i], kept);
		if (old >= 0) {
			kept[old] = true;
			apps[i] = d->apps[old];
			continue;
		}
		apps[i] = calloc(1, sizeof(*apps[i]));
		if (!apps[i])
			goto nomem;
		fresh[i] = true;
	}
	for (i = 0; i < conf->napps; i++) {
		apps[i]->d = d;
		apps[i]->conf = conf->apps[i];
	}
	for (i = 0; i < d->napps; i++) {
		if (kept[i])
			continue;
		vwd_log_conf(LOG_NOTICE, d->apps[i], NULL,
			     "app %s is no longer configured: no longer supervised nor budgeted",
			     d->apps[i]->conf.name);
		vwd_launch_forget(d->apps[i]);
		free(d->apps[i]);
	}
	free(kept);
	free(fresh);
	free(d->apps);
	d->apps = apps;
	d->napps = conf->napps;
	if (d->conf != conf)
		conf_free(d->conf);
	d->conf = conf;
	for (i = 0; i < d->ninsts; i++) {
		d->insts[i]->app = find_conf(d, d->insts[i]);
		if (vwd_inst_set_budget(d->insts[i]))
			vwd_log_app(LOG_ERR, d->insts[i], "budget",
				    "no memory for the app's wake budget");
		if (d->c)
			resync(d->insts[i]);
	}
	vwd_rules_gate_cgroups(d);
	for (i = 0; i < d->napps; i++)
		if (d->apps[i]->conf.exec[0])
			vwd_launch_app(d->apps[i]);
	return 0;
nomem:
	for (i = 0; apps && fresh && i < conf->napps; i++)
		if (fresh[i])
			free(apps[i]);
	free(apps);
	free(kept);
	free(fresh);
	return -ENOMEM;
}

/*
 * A clean stop: nobody will enforce budgets, so throttles go; then each
 * app as its OnDaemonStop= says, from a fresh read of the module.
 */
void vwd_apps_stop(struct vwd *d)
{
	struct vwd_inst *in;
	size_t i;
	int fd;

	if (d->c)
		vwd_kernel_resync(d);
	for (i = 0; d->c && i < d->ninsts; i++) {
		in = d->insts[i];
		if (!in->app)
			continue;
		fd = vwd_open_app(in);
		if (fd < 0)
			continue;
		if (in->budget.throttled || in->ki.wake_interval_ms)
			vw_app_set_wake_interval(d->c, fd, 0);
		/* Nobody would answer: freezes would wait it out. */
		vwd_rules_gate(in, fd, false);
		if (in->app->conf.policy.on_stop != ON_STOP_KEEP &&
		    in->ki.state != VOIPWAKE_APP_STATE_FOREGROUND &&
		    vw_app_set_state(d->c, fd, VOIPWAKE_APP_STATE_FOREGROUND))
			vwd_log_app(LOG_ERR, in, "stop",
				    "cannot foreground app %s: %s",
				    in->app->conf.name,
				    vw_last_error(d->c) ?: "");
		close(fd);
	}
	vwd_launch_stop(d);
}

void vwd_apps_free(struct vwd *d)
{
	size_t i;

	d->prune = sd_event_source_disable_unref(d->prune);
	for (i = 0; i < d->ninsts; i++)
		inst_free(d->insts[i]);
	free(d->insts);
	d->insts = NULL;
	d->ninsts = 0;
	for (i = 0; i < d->napps; i++) {
		vwd_launch_forget(d->apps[i]);
		free(d->apps[i]);
	}
	free(d->apps);
	d->apps = NULL;
	d->napps = 0;
}
