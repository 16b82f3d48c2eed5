// SPDX-License-Identifier: GPL-2.0
/*
 * The policy: one state per app ID, foreground or background, from its
 * windows (or from a shell that said better), applied to every running
 * instance of the app (its units).
 *
 *              activated window, or SetAppState foreground: at once
 *   ┌──────────────────────────────────────────────────────────────┐
 *   ▼                                                              │
 * foreground ──no activated window──► waits BackgroundDelaySec ──► background
 *      ▲      or SetAppState background          │
 *      └──────activated again within the delay───┘
 *
 * Going to the background freezes each instance that may be frozen: an
 * app that asked for wakes (marked a socket or set a keep-alive), one
 * listed in Apps=, or any with FreezeAll=yes, never one in ExemptApps=.
 * A wake by data thaws the app in the kernel without any of this moving:
 * as far as the session is concerned the app stays in the background,
 * and the kernel freezes it again when the wake is over.
 *
 * The kernel holds the state. An instance found in the background when
 * it appears (the agent restarted) is the agent's to bring back.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"
#include "session_conf.h"

const char *sess_state_name(enum sess_state st)
{
	return st == SESS_BACKGROUND ? "background" : "foreground";
}

const char *sess_control_name(enum sess_control c)
{
	return c == SESS_BY_WINDOWS ? "windows" : "shell";
}

struct sess_app *sess_app_find(struct sess *s, const char *id)
{
	struct sess_app *a;

	for (a = s->apps; a; a = a->next)
		if (!strcmp(a->id, id))
			return a;
	return NULL;
}

static struct sess_app *app_get(struct sess *s, const char *id)
{
	struct sess_app *a = sess_app_find(s, id);

	if (a)
		return a;
	if (s->napps >= SESS_APPS_MAX) {
		if (!s->said_full)
			sess_log(LOG_WARNING, id, "%u apps known already: %s and any further app are left alone",
				 s->napps, id);
		s->said_full = true;
		return NULL;
	}
	a = calloc(1, sizeof(*a));
	if (!a || !(a->id = strdup(id))) {
		free(a);
		return NULL;
	}
	a->next = s->apps;
	s->apps = a;
	s->napps++;
	return a;
}

static void app_free(struct sess *s, struct sess_app *a)
{
	struct sess_app **pp;
	struct sess_unit *u;

	for (pp = &s->apps; *pp; pp = &(*pp)->next) {
		if (*pp == a) {
			*pp = a->next;
			s->napps--;
			break;
		}
	}
	while ((u = a->units)) {
		a->units = u->next;
		free(u->name);
		free(u->path);
		free(u);
	}
	free(a->id);
	free(a);
}

/* Nothing left to know about it: no instance, no window, no shell's word. */
static void app_maybe_free(struct sess *s, struct sess_app *a)
{
	if (!a->units && !a->windows && a->control == SESS_BY_WINDOWS &&
	    !a->said_unmapped)
		app_free(s, a);
}

static bool wants_foreground(const struct sess_app *a)
{
	return a->control == SESS_BY_SHELL_FG ||
	       (a->control == SESS_BY_WINDOWS && a->activated);
}

/* May this instance be frozen? Says why not in @why. */
static bool may_freeze(struct sess *s, const struct sess_app *a,
		       const struct sess_unit *u, const char **why)
{
	enum sess_kstate st;
	bool asked;
	int ret;

	if (sess_conf_has(&s->conf->exempt, a->id)) {
		*why = "it is in ExemptApps=";
		return false;
	}
	/* Its rules ask for its wakes, as marking its own sockets would. */
	if (s->conf->freeze_all || sess_conf_has(&s->conf->apps, a->id) ||
	    sess_conf_rules(s->conf, a->id))
		return true;
	ret = sess_kernel_read(s, u->path, &st, &asked);
	if (ret == -ENOPROTOOPT)
		*why = "the voipwake module is not there";
	else if (ret)
		*why = "its state cannot be read";
	else if (!asked)
		*why = "it asked for no wakes";
	return !ret && asked;
}

/* Freezes the instance if it may be: true if the kernel holds it. */
static bool unit_background(struct sess *s, struct sess_app *a,
			    struct sess_unit *u)
{
	const char *why = "";

	u->due = 0;
	if (u->held)
		return true;
	if (!may_freeze(s, a, u, &why)) {
		sess_log(LOG_INFO, a->id, "%s: %s is not frozen: %s", a->id,
			 u->name, why);
		return false;
	}
	u->held = !sess_kernel_set(s, u->path, true);
	if (u->held) {
		sess_rules_scan(s, a, u);
		sess_rules_watch(s, a, u);
	}
	return u->held;
}

/* 0, or the first error: the instance then stays held, to try again. */
static int unit_foreground(struct sess *s, struct sess_unit *u)
{
	int ret;

	u->due = 0;
	ret = sess_kernel_set(s, u->path, false);
	if (!ret || ret == -ENOENT)
		u->held = false;
	return ret;
}

static void set_state(struct sess *s, struct sess_app *a, enum sess_state st)
{
	if (a->state == st)
		return;
	a->state = st;
	sess_bus_state_changed(s, a);
}

static void app_foreground(struct sess *s, struct sess_app *a,
			   uint64_t seen_us)
{
	bool moved = a->state == SESS_BACKGROUND;
	unsigned int thawed = 0;
	struct sess_unit *u;

	a->due = 0;
	for (u = a->units; u; u = u->next)
		moved |= u->held || u->due;
	if (!moved)
		return;
	/* The kernel first: this is what the user waits for. */
	for (u = a->units; u; u = u->next)
		thawed += u->held && !unit_foreground(s, u);
	a->latency_us = sess_mono_us() - seen_us;
	set_state(s, a, SESS_FOREGROUND);
	sess_log(LOG_INFO, a->id, "%s: in the foreground, %u of %u instances thawed, %llu us after it was activated",
		 a->id, thawed, a->nunits,
		 (unsigned long long)a->latency_us);
}

static void app_background(struct sess *s, struct sess_app *a)
{
	unsigned int frozen = 0;
	struct sess_unit *u;

	a->due = 0;
	set_state(s, a, SESS_BACKGROUND);
	for (u = a->units; u; u = u->next)
		frozen += unit_background(s, a, u);
	sess_log(LOG_INFO, a->id, "%s: in the background, %u of %u instances frozen",
		 a->id, frozen, a->nunits);
}

static void app_eval(struct sess *s, struct sess_app *a, uint64_t seen_us)
{
	uint64_t now = sess_now();
	struct sess_unit *u;

	/* Nothing is judged before every window is known. */
	if (!s->started)
		return;
	/* A window that maps to no unit is left alone. */
	if (!a->units) {
		a->due = 0;
		return;
	}
	if (wants_foreground(a)) {
		app_foreground(s, a, seen_us);
		return;
	}
	if (a->state == SESS_FOREGROUND) {
		if (!a->due)
			a->due = now + s->conf->delay_us;
		if (now >= a->due)
			app_background(s, a);
		return;
	}
	/* In the background already: instances that appeared since. */
	for (u = a->units; u; u = u->next)
		if (u->due && now >= u->due && unit_background(s, a, u))
			sess_log(LOG_INFO, a->id, "%s: %s frozen too", a->id,
				 u->name);
}

static void rearm(struct sess *s)
{
	struct sess_app *a;
	struct sess_unit *u;
	uint64_t next = 0;

	for (a = s->apps; a; a = a->next) {
		if (a->due && (!next || a->due < next))
			next = a->due;
		for (u = a->units; u; u = u->next)
			if (u->due && (!next || u->due < next))
				next = u->due;
	}
	sess_timer_arm(s, next);
}

void sess_apps_timer(struct sess *s)
{
	struct sess_app *a;

	for (a = s->apps; a; a = a->next)
		app_eval(s, a, sess_mono_us());
	rearm(s);
}

void sess_app_windows(struct sess *s, const char *id, int dwindows,
		      int dactivated, uint64_t seen_us)
{
	struct sess_app *a = app_get(s, id);

	if (!a)
		return;
	/* Never below 0: the app may have been new when the table was full. */
	a->windows = (int)a->windows + dwindows > 0 ? a->windows + dwindows : 0;
	a->activated = (int)a->activated + dactivated > 0 ?
		       a->activated + dactivated : 0;
	if (a->windows && !a->units && !a->said_unmapped) {
		sess_log(LOG_NOTICE, id, "windows of app ID '%s' match no running app unit (app-[LAUNCHER-]%s-RANDOM.scope or .service): left alone",
			 id, id);
		a->said_unmapped = true;
	}
	app_eval(s, a, seen_us);
	app_maybe_free(s, a);
	rearm(s);
}

static struct sess_unit *unit_find(struct sess *s, const char *path,
				   struct sess_app **app)
{
	struct sess_app *a;
	struct sess_unit *u;

	for (a = s->apps; a; a = a->next) {
		for (u = a->units; u; u = u->next) {
			if (!strcmp(u->path, path)) {
				*app = a;
				return u;
			}
		}
	}
	return NULL;
}

void sess_app_unit_added(struct sess *s, const char *id, const char *name,
			 const char *path)
{
	enum sess_kstate st;
	struct sess_unit *u;
	struct sess_app *a;
	bool asked;

	if (unit_find(s, path, &a))
		return;
	a = app_get(s, id);
	if (!a)
		return;
	u = calloc(1, sizeof(*u));
	if (!u || !(u->name = strdup(name)) || !(u->path = strdup(path))) {
		if (u)
			free(u->name);
		free(u);
		return;
	}
	u->app = a;
	/* What the kernel holds is the truth: after a restart, too. */
	if (!sess_kernel_read(s, path, &st, &asked) &&
	    st == SESS_K_BACKGROUND) {
		u->held = true;
		a->state = SESS_BACKGROUND;
		sess_log(LOG_INFO, id, "%s: %s is in the background, as the kernel holds it",
			 id, name);
	} else if (a->state == SESS_BACKGROUND) {
		/* A new instance of an app in the background: its grace. */
		u->due = sess_now() + s->conf->delay_us;
	}
	if (a->said_unmapped && !a->units)
		sess_log(LOG_NOTICE, id, "app ID '%s' maps to %s now", id, name);
	u->next = a->units;
	a->units = u;
	a->nunits++;
	app_eval(s, a, sess_mono_us());
	rearm(s);
}

void sess_app_unit_removed(struct sess *s, const char *path)
{
	struct sess_unit **pp, *u;
	struct sess_app *a;

	u = unit_find(s, path, &a);
	if (!u)
		return;
	for (pp = &a->units; *pp != u; pp = &(*pp)->next)
		;
	*pp = u->next;
	a->nunits--;
	free(u->name);
	free(u->path);
	free(u);
	/* The app is gone: when it comes back, it starts in the foreground. */
	if (!a->units) {
		a->due = 0;
		a->state = SESS_FOREGROUND;
	}
	app_maybe_free(s, a);
	rearm(s);
}

int sess_app_set_control(struct sess *s, const char *id, const char *state)
{
	enum sess_control c;
	struct sess_app *a;

	if (!strcmp(state, "foreground"))
		c = SESS_BY_SHELL_FG;
	else if (!strcmp(state, "background"))
		c = SESS_BY_SHELL_BG;
	else if (!strcmp(state, "auto"))
		c = SESS_BY_WINDOWS;
	else
		return -EINVAL;
	if (!sess_id_valid(id))
		return -EINVAL;
	a = app_get(s, id);
	if (!a)
		return -ENOSPC;
	if (a->control != c)
		a->due = 0;
	a->control = c;
	app_eval(s, a, sess_mono_us());
	app_maybe_free(s, a);
	rearm(s);
	return 0;
}

/*
 * After a reload: instances of apps in the background that may now be
 * frozen are, and those that may not (ExemptApps=) are thawed.
 */
void sess_apps_reconfigure(struct sess *s)
{
	const char *why;
	struct sess_app *a;
	struct sess_unit *u;

	for (a = s->apps; a; a = a->next) {
		if (a->state != SESS_BACKGROUND)
			continue;
		for (u = a->units; u; u = u->next) {
			if (u->due)
				continue;
			if (!u->held)
				unit_background(s, a, u);
			else if (!may_freeze(s, a, u, &why))
				unit_foreground(s, u);
		}
	}
	rearm(s);
}

/* A clean stop: nothing stays frozen that nobody would bring back. */
void sess_apps_release(struct sess *s)
{
	struct sess_app *a;
	struct sess_unit *u;
	unsigned int n = 0;

	for (a = s->apps; a; a = a->next)
		for (u = a->units; u; u = u->next)
			if (u->held && !unit_foreground(s, u))
				n++;
	if (n)
		sess_log(LOG_INFO, NULL, "thawed %u app instance%s on the way out",
			 n, n == 1 ? "" : "s");
}

void sess_apps_free(struct sess *s)
{
	while (s->apps)
		app_free(s, s->apps);
}
