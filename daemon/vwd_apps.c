// SPDX-License-Identifier: GPL-2.0
/*
 * The configured apps, seen through the kernel's dump each tick: their
 * wake budget, the settings policy gives them, and the state file that
 * voipwakectl status reads. Nothing here is trusted across a restart:
 * counters come from the kernel, and a throttle the kernel still holds is
 * taken over as it is.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "vwd.h"

struct dump {
	struct vw_app_info *v;
	size_t n, cap;
};

static int collect(const struct vw_app_info *ai, void *arg)
{
	struct dump *dp = arg;
	struct vw_app_info *v;

	if (dp->n == dp->cap) {
		dp->cap = dp->cap ? 2 * dp->cap : 16;
		v = realloc(dp->v, dp->cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		dp->v = v;
	}
	/* The library's structure may be larger than ours: copy what fits. */
	memset(&dp->v[dp->n], 0, sizeof(*v));
	memcpy(&dp->v[dp->n], ai,
	       ai->size < sizeof(*v) ? ai->size : sizeof(*v));
	dp->n++;
	return 0;
}

int vwd_cgroup_open(const char *path)
{
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static uint64_t cgroup_id(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : st.st_ino;
}

static uint64_t socket_wakes(const struct vw_app_info *ki)
{
	return ki->wakes_data + ki->wakes_close + ki->wakes_error;
}

static void ring_push(struct vwd_app *a, uint64_t t)
{
	a->ring[a->ring_head] = t;
	a->ring_head = (a->ring_head + 1) % a->ring_cap;
	if (a->ring_len < a->ring_cap)
		a->ring_len++;
}

/* Socket wakes in the last budget period, up to budget + 1. */
static uint32_t ring_count(const struct vwd_app *a, uint64_t now)
{
	uint64_t period = (uint64_t)a->conf.policy.budget_period_s * 1000;
	uint64_t since = now > period ? now - period : 0;
	uint32_t i, n = 0;

	/* Boot time starts near 0: a wake at 0 ms still counts. */
	if (!since)
		return a->ring_len;

	for (i = 0; i < a->ring_len; i++)
		if (a->ring[i] > since)
			n++;
	return n;
}

static int app_fd_call(struct vwd *d, struct vwd_app *a, int what,
		       uint32_t v)
{
	int fd = vwd_cgroup_open(a->conf.cgroup), ret;

	if (fd < 0)
		return -errno;
	switch (what) {
	case 'i':
		ret = vw_app_set_wake_interval(d->c, fd, v);
		break;
	case 'w':
		ret = vw_app_set_wake_window(d->c, fd, v);
		break;
	default:
		ret = vw_app_set_keepalive(d->c, fd, v,
					   a->ki.keepalive_tolerance_pct,
					   a->conf.policy.keepalive_budget_ms ?:
					   a->ki.keepalive_budget_ms);
		break;
	}
	close(fd);
	return ret;
}

/*
 * Over budget (more than N socket wakes in the period): hold its socket
 * wakes PERIOD/N apart, which is what the budget allows on average. Lifted
 * once it is back to half its budget, so that it does not flap at the edge.
 */
static void budget_tick(struct vwd *d, struct vwd_app *a, uint64_t now)
{
	const struct vw_policy *p = &a->conf.policy;
	uint64_t wakes = socket_wakes(&a->ki), i;
	uint32_t n, interval;
	char b[32];
	int ret;

	if (!a->have_baseline || wakes < a->last_wakes) {
		a->have_baseline = true;
		a->last_wakes = wakes;
		/* A throttle the last daemon left is ours now. */
		if (a->ki.wake_interval_ms && !a->throttled) {
			a->throttled = true;
			a->throttled_at = now;
		}
		return;
	}
	for (i = a->last_wakes; i < wakes && a->ring; i++)
		ring_push(a, now);
	a->last_wakes = wakes;
	if (!p->budget_wakes)
		return;
	n = ring_count(a, now);
	vw_conf_budget_str(p, b, sizeof(b));
	interval = (uint32_t)((uint64_t)p->budget_period_s * 1000 /
			      p->budget_wakes);
	if (!a->throttled && n > p->budget_wakes) {
		ret = app_fd_call(d, a, 'i', interval);
		if (ret) {
			vwd_log(LOG_ERR, "app %s is over its wake budget (%s) but cannot be throttled: %s",
				a->conf.name, b, strerror(-ret));
			return;
		}
		a->throttled = true;
		a->throttled_at = now;
		a->throttles++;
		vwd_log(LOG_WARNING, "app %s is over its wake budget (more than %s): its socket wakes are held %u ms apart until it is back under half of it",
			a->conf.name, b, interval);
	} else if (a->throttled && n <= p->budget_wakes / 2 &&
		   now - a->throttled_at >=
		   (uint64_t)p->budget_period_s * 500) {
		ret = app_fd_call(d, a, 'i', 0);
		if (ret && ret != -ENOENT) {
			vwd_log(LOG_ERR, "cannot lift app %s's throttle: %s",
				a->conf.name, strerror(-ret));
			return;
		}
		a->throttled = false;
		vwd_log(LOG_NOTICE, "app %s is back within its wake budget (%s): throttle lifted",
			a->conf.name, b);
	}
}

/*
 * The settings policy gives an app, set when the kernel's differ. A
 * setting the configuration leaves at 0 is left to the app and the admin.
 */
static void settings_tick(struct vwd *d, struct vwd_app *a)
{
	const struct vw_policy *p = &a->conf.policy;
	uint32_t ka = a->ki.keepalive_s, want = ka;
	bool budget;
	int ret;

	if (p->wake_window_ms && p->wake_window_ms != a->ki.wake_window_ms) {
		ret = app_fd_call(d, a, 'w', p->wake_window_ms);
		if (ret)
			vwd_log(LOG_ERR, "cannot set app %s's wake window: %s",
				a->conf.name, vw_last_error(d->c) ?: strerror(-ret));
	}
	if (!ka)
		return;
	if (p->keepalive_min_s && ka < p->keepalive_min_s)
		want = p->keepalive_min_s;
	if (p->keepalive_max_s && ka > p->keepalive_max_s)
		want = p->keepalive_max_s;
	budget = p->keepalive_budget_ms &&
		 a->ki.keepalive_budget_ms != p->keepalive_budget_ms;
	if (want == ka && !budget)
		return;
	ret = app_fd_call(d, a, 'k', want);
	if (ret)
		vwd_log(LOG_ERR, "cannot set app %s's keep-alive: %s",
			a->conf.name, vw_last_error(d->c) ?: strerror(-ret));
	else if (want != ka)
		vwd_log(LOG_NOTICE, "app %s asked for a keep-alive every %u s: held to %u s by KeepaliveMinSec/KeepaliveMaxSec",
			a->conf.name, ka, want);
}

static void write_state(struct vwd *d)
{
	char tmp[VW_PATH_MAX + 8], dir[VW_PATH_MAX], b[32];
	struct vwd_app *a;
	size_t i;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", d->conf->state_file);
	mkdir(dirname(dir), 0755);
	snprintf(tmp, sizeof(tmp), "%s.tmp", d->conf->state_file);
	f = fopen(tmp, "we");
	if (!f)
		return;
	fprintf(f, "voipwaked %d unlisted_unmarked=%" PRIu64 "\n", getpid(),
		d->unlisted_unmarked);
	for (i = 0; i < d->napps; i++) {
		a = &d->apps[i];
		vw_conf_budget_str(&a->conf.policy, b, sizeof(b));
		fprintf(f, "app %s id=%" PRIu64 " budget=%s used=%u throttled=%d throttles=%u pid=%d relaunches=%u cgroup=%s\n",
			a->conf.name, a->cgroup_id, b,
			a->ring ? ring_count(a, vwd_now_ms()) : 0,
			a->throttled, a->throttles, a->pid, a->relaunches,
			a->conf.cgroup);
	}
	if (fclose(f) || rename(tmp, d->conf->state_file))
		unlink(tmp);
}

void vwd_apps_tick(struct vwd *d)
{
	struct dump dp = { 0 };
	uint64_t now = vwd_now_ms();
	struct vwd_app *a;
	size_t i, j;
	int ret;

	ret = vw_app_dump(d->c, collect, &dp);
	if (ret) {
		free(dp.v);
		if (!d->lost)
			vwd_log(LOG_ERR, "cannot read the kernel's apps: %s; trying again every second",
				vw_last_error(d->c) ?: strerror(-ret));
		d->lost = true;
		vwd_reconnect(d);
		return;
	}
	if (d->lost)
		vwd_log(LOG_NOTICE, "reading the kernel's apps again");
	d->lost = false;
	for (i = 0; i < d->napps; i++) {
		a = &d->apps[i];
		a->cgroup_id = cgroup_id(a->conf.cgroup);
		a->in_kernel = false;
		for (j = 0; a->cgroup_id && j < dp.n; j++) {
			if (dp.v[j].cgroup_id == a->cgroup_id) {
				a->ki = dp.v[j];
				a->in_kernel = true;
				break;
			}
		}
		if (a->in_kernel) {
			budget_tick(d, a, now);
			settings_tick(d, a);
		} else {
			a->have_baseline = false;
		}
		if (a->conf.exec[0])
			vwd_launch_tick(d, a);
	}
	free(dp.v);
	if (!d->conf->allow_unlisted)
		vwd_unlisted_tick(d);
	write_state(d);
}

/*
 * The module was unloaded (an admin's rmmod, with nothing marked) or
 * reloaded: the family's id is stale. Connect afresh, but never load it
 * back against the admin's will; apps' budgets restart from the new
 * module's counters.
 */
void vwd_reconnect(struct vwd *d)
{
	struct vw_client *c;
	size_t i;

	/* Looking the family up would have the kernel load the module. */
	if (access("/sys/module/voipwake", F_OK) || vw_open(&c))
		return;
	vw_close(d->c);
	d->c = c;
	for (i = 0; i < d->napps; i++)
		d->apps[i].have_baseline = false;
}

static struct vwd_app *find_old(struct vwd *d, const char *name)
{
	size_t i;

	for (i = 0; i < d->napps; i++)
		if (!strcmp(d->apps[i].conf.name, name))
			return &d->apps[i];
	return NULL;
}

/* A reload keeps each app's history (by name) and takes its new policy. */
int vwd_apps_set_conf(struct vwd *d, struct vw_conf *conf)
{
	struct vwd_app *apps, *a, *old;
	bool *kept;
	size_t i;

	apps = calloc(conf->napps ?: 1, sizeof(*apps));
	kept = calloc(d->napps ?: 1, sizeof(*kept));
	if (!apps || !kept) {
		free(apps);
		free(kept);
		return -ENOMEM;
	}
	for (i = 0; i < conf->napps; i++) {
		a = &apps[i];
		old = find_old(d, conf->apps[i].name);
		if (old && strcmp(old->conf.cgroup, conf->apps[i].cgroup))
			old = NULL;
		if (old) {
			*a = *old;
			old->ring = NULL;
			kept[old - d->apps] = true;
			if (a->conf.policy.budget_wakes !=
			    conf->apps[i].policy.budget_wakes) {
				free(a->ring);
				a->ring = NULL;
				a->ring_len = 0;
				a->ring_head = 0;
			}
		}
		a->conf = conf->apps[i];
		a->ring_cap = a->conf.policy.budget_wakes + 1;
		if (!a->ring && a->conf.policy.budget_wakes)
			a->ring = calloc(a->ring_cap, sizeof(*a->ring));
		if (!a->conf.exec[0]) {
			a->pid = 0;
			a->adopted = false;
		} else if (!old) {
			vwd_launch_adopt(a);
		}
	}
	for (i = 0; i < d->napps; i++) {
		if (!kept[i])
			vwd_log(LOG_NOTICE, "app %s is no longer configured: no longer supervised nor budgeted",
				d->apps[i].conf.name);
		free(d->apps[i].ring);
	}
	free(kept);
	free(d->apps);
	d->apps = apps;
	d->napps = conf->napps;
	if (d->conf != conf)
		vw_conf_free(d->conf);
	d->conf = conf;
	return 0;
}

/*
 * A clean stop: nobody will enforce budgets, so throttles go; then each
 * app as its OnDaemonStop= says.
 */
void vwd_apps_stop(struct vwd *d)
{
	struct vwd_app *a;
	size_t i;
	int fd;

	for (i = 0; i < d->napps; i++) {
		a = &d->apps[i];
		fd = vwd_cgroup_open(a->conf.cgroup);
		if (fd < 0)
			continue;
		if (a->throttled)
			vw_app_set_wake_interval(d->c, fd, 0);
		if (a->conf.policy.on_stop != VW_ON_STOP_KEEP &&
		    vw_app_set_state(d->c, fd, VOIPWAKE_APP_STATE_FOREGROUND) &&
		    vw_last_error(d->c))
			vwd_log(LOG_ERR, "cannot foreground app %s: %s",
				a->conf.name, vw_last_error(d->c));
		close(fd);
	}
	vwd_launch_stop(d);
	unlink(d->conf->state_file);
}

void vwd_apps_free(struct vwd *d)
{
	size_t i;

	for (i = 0; i < d->napps; i++)
		free(d->apps[i].ring);
	free(d->apps);
	d->apps = NULL;
	d->napps = 0;
}
