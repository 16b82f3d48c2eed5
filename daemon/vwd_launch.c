// SPDX-License-Identifier: GPL-2.0
/*
 * Apps voipwaked starts (Exec=) run as instances of the template unit the
 * package ships, voipwake-app@NAME.service in voipwake-apps.slice, which
 * runs voipwake-app-exec: it reads the app's file and becomes its User=
 * before it execs Exec=. systemd makes and owns their cgroups, the daemon
 * creates none. The daemon, an unprivileged user, may only start and
 * stop them, through the package's polkit rule: systemd grants
 * StartTransientUnit, which would let it run any command as anyone, to
 * no rule that could be narrowed to these apps.
 *
 * The daemon learns how each run ended from the unit's PropertiesChanged,
 * and relaunches it as iOS relaunches a VoIP app: after a non-zero exit or
 * a signal, with its own backoff (backoff.h), which systemd 252's
 * Restart= cannot give. An exit with status 0 is the app's own decision
 * and is respected.
 *
 * The units are not the daemon's children, and outlive it: a restarted
 * daemon finds its apps running and watches them again, exit status and
 * all, instead of starting twins.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec_split.h"
#include "vwd.h"

#define SD_PATH		"/org/freedesktop/systemd1"
#define SD_MANAGER	"org.freedesktop.systemd1.Manager"
#define SD_SERVICE	"org.freedesktop.systemd1.Service"
/* What lets the daemon's user start its apps' units (voipwake.rules). */
#define POLKIT_RULE	"/usr/share/polkit-1/rules.d/voipwake.rules"

int vwd_launch_init(struct vwd *d)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	int ret;

	if (!d->bus)
		return 0;
	/* systemd sends units' PropertiesChanged only to subscribers. */
	ret = sd_bus_call_method(d->bus, SD_DEST, SD_PATH, SD_MANAGER,
				 "Subscribe", &err, NULL, NULL);
	d->systemd = ret >= 0;
	sd_bus_error_free(&err);
	return 0;
}

static const char *unit_of(const struct vwd_app *a)
{
	return a->conf.match;
}

static void sd_call(struct vwd_app *a, const char *iface, const char *method,
		    const char *types, ...)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *m = NULL;
	va_list ap;
	int ret;

	ret = sd_bus_message_new_method_call(a->d->bus, &m, SD_DEST,
					     !strcmp(iface, SD_MANAGER) ? SD_PATH :
					     a->unit_path, iface, method);
	if (ret >= 0 && types) {
		va_start(ap, types);
		ret = sd_bus_message_appendv(m, types, ap);
		va_end(ap);
	}
	if (ret >= 0)
		sd_bus_call(a->d->bus, m, 0, &err, NULL);
	sd_bus_error_free(&err);
	sd_bus_message_unref(m);
}

static int on_relaunch(sd_event_source *s, uint64_t usec, void *arg);
static int on_bg_check(sd_event_source *s, uint64_t usec, void *arg);

static void arm(struct vwd_app *a, uint32_t secs,
		sd_event_time_handler_t fn)
{
	a->timer = sd_event_source_disable_unref(a->timer);
	sd_event_add_time_relative(a->d->ev, &a->timer, CLOCK_BOOTTIME,
				   secs * 1000000ULL, 100 * 1000, fn, a);
}

/* Schedules a relaunch after the backoff, which then doubles. */
static void plan_relaunch(struct vwd_app *a, const char *how)
{
	uint64_t now = vwd_now_ms(), up = now - a->started_at;
	uint32_t delay = backoff_failed(&a->backoff, now);

	vwd_log_conf(LOG_WARNING, a, "relaunch",
		     "app %s %s after %llu s up: relaunch %u in %u s",
		     a->conf.name, how, (unsigned long long)up / 1000,
		     a->relaunches + 1, delay);
	arm(a, delay, on_relaunch);
}

static void start(struct vwd_app *a)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	wordexp_t we;
	bool auth;
	int ret;

	/*
	 * voipwake-app-exec splits it again, as root, to exec it: a line
	 * that cannot be split is said here, with its file, once, rather
	 * than as a run that fails at each relaunch.
	 */
	if (exec_split(a->conf.exec, &we)) {
		vwd_log_conf(LOG_ERR, a, "exec",
			     "app %s: Exec= '%s' cannot be split into words",
			     a->conf.name, a->conf.exec);
		a->finished = true;
		return;
	}
	wordfree(&we);
	/*
	 * Held loaded, exit status and all, until ended() has read it: a run
	 * that ends at once with status 0 would otherwise be collected
	 * before the daemon asks how it ended. Taken before the start, as
	 * a transient unit's AddRef was.
	 */
	sd_call(a, SD_UNIT, "Ref", NULL);
	ret = sd_bus_call_method(a->d->bus, SD_DEST, SD_PATH, SD_MANAGER,
				 "StartUnit", &err, NULL, "ss", unit_of(a),
				 "replace");
	a->started_at = vwd_now_ms();
	backoff_started(&a->backoff, a->started_at);
	if (ret < 0) {
		auth = sd_bus_error_has_name(&err,
				SD_BUS_ERROR_INTERACTIVE_AUTHORIZATION_REQUIRED);
		vwd_log_conf(LOG_ERR, a, "exec", "app %s: cannot start unit %s: %s%s",
			     a->conf.name, unit_of(a),
			     err.message ?: strerror(-ret),
			     auth ? " (polkit's refusal: are polkitd and "
				    POLKIT_RULE " installed?)" : "");
		sd_bus_error_free(&err);
		sd_call(a, SD_UNIT, "Unref", NULL);
		plan_relaunch(a, "could not be started");
		return;
	}
	a->running = true;
	a->backgrounded = false;
	vwd_log_conf(LOG_INFO, a, "exec", "app %s started as %s in %s",
		     a->conf.name, unit_of(a), CONF_APP_SLICE);
	if (a->conf.background) {
		a->bg_wait_s = 1;
		arm(a, a->bg_wait_s, on_bg_check);
	}
}

static int on_relaunch(sd_event_source *s, uint64_t usec, void *arg)
{
	struct vwd_app *a = arg;

	(void)s;
	(void)usec;
	a->timer = sd_event_source_disable_unref(a->timer);
	if (a->d->stopping)
		return 0;
	a->relaunches++;
	start(a);
	return 0;
}

/* The unit's cgroup, as systemd made it. */
static int unit_cgroup(struct vwd_app *a)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	char *cg = NULL, path[CONF_PATH_MAX];
	int ret;

	ret = sd_bus_get_property_string(a->d->bus, SD_DEST, a->unit_path,
					 SD_SERVICE, "ControlGroup", &err, &cg);
	sd_bus_error_free(&err);
	if (ret < 0)
		return ret;
	ret = cg[0] ? 0 : -ENOENT;
	if (!ret)
		snprintf(path, sizeof(path), CGROUP_ROOT "%s", cg);
	free(cg);
	return ret ? ret : cg_open(path);
}

/*
 * Background=yes: once it has marked a socket, or StartupSec= after it
 * started. Looked at 1, 2, 4, ... s after the start, so only while it
 * starts.
 */
static int on_bg_check(sd_event_source *s, uint64_t usec, void *arg)
{
	struct vw_app_info ai = { .size = sizeof(ai) };
	struct vwd_app *a = arg;
	uint64_t up = vwd_now_ms() - a->started_at;
	uint32_t left;
	int fd, ret;

	(void)s;
	(void)usec;
	a->timer = sd_event_source_disable_unref(a->timer);
	if (!a->running || a->backgrounded || !a->d->c)
		return 0;
	fd = unit_cgroup(a);
	if (fd < 0)
		return 0;
	ret = vw_app_get(a->d->c, fd, &ai);
	if ((ret || !ai.socks) && up < a->conf.startup_s * 1000ULL) {
		close(fd);
		a->bg_wait_s *= 2;
		left = a->conf.startup_s - up / 1000;
		arm(a, a->bg_wait_s < left ? a->bg_wait_s : left, on_bg_check);
		return 0;
	}
	/* Its first freeze waits for MarkSockets=' marks too. */
	if (a->conf.nrules && a->d->conf->mark_gate_ms)
		vw_app_set_freeze_gate(a->d->c, fd, a->d->conf->mark_gate_ms);
	if (vw_app_set_state(a->d->c, fd, VOIPWAKE_APP_STATE_BACKGROUND))
		vwd_log_conf(LOG_ERR, a, "background",
			     "cannot background app %s: %s", a->conf.name,
			     vw_last_error(a->d->c) ?: "");
	else
		vwd_log_conf(LOG_INFO, a, "background",
			     "app %s backgrounded", a->conf.name);
	a->backgrounded = true;
	close(fd);
	return 0;
}

/* The run ended: how, from the unit, then relaunch or not. */
static void ended(struct vwd_app *a)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	int32_t code = 0, status = 0;
	char how[96];

	a->running = false;
	a->timer = sd_event_source_disable_unref(a->timer);
	sd_bus_get_property_trivial(a->d->bus, SD_DEST, a->unit_path,
				    SD_SERVICE, "ExecMainCode", &err, 'i',
				    &code);
	sd_bus_error_free(&err);
	sd_bus_get_property_trivial(a->d->bus, SD_DEST, a->unit_path,
				    SD_SERVICE, "ExecMainStatus", &err, 'i',
				    &status);
	sd_bus_error_free(&err);
	sd_call(a, SD_UNIT, "Unref", NULL);
	if (a->stopping || a->d->stopping)
		return;
	if (code == CLD_EXITED && !status) {
		a->finished = true;
		vwd_log_conf(LOG_INFO, a, "exit",
			     "app %s exited with status 0: not relaunched",
			     a->conf.name);
		return;
	}
	if (code == CLD_EXITED)
		snprintf(how, sizeof(how), "exited with status %d", status);
	else if (code == CLD_KILLED || code == CLD_DUMPED)
		snprintf(how, sizeof(how), "was killed by signal %d (%s)",
			 status, strsignal(status));
	else
		snprintf(how, sizeof(how), "ended (how, systemd did not say)");
	plan_relaunch(a, how);
}

/*
 * Whether the run is over, as systemd says now rather than as the signal
 * said then. A unit is announced "inactive" as it is loaded (by the
 * Ref before its start) and before its start job runs: not the end of a
 * run that never began its main process. A signal read late may also describe a state
 * the unit has left since.
 */
static bool run_over(struct vwd_app *a)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	char *state = NULL;
	uint64_t ts = 0;
	bool over;

	if (sd_bus_get_property_string(a->d->bus, SD_DEST, a->unit_path,
				       SD_UNIT, "ActiveState", &err,
				       &state) < 0) {
		/* Gone from systemd altogether: over. */
		sd_bus_error_free(&err);
		return true;
	}
	sd_bus_get_property_trivial(a->d->bus, SD_DEST, a->unit_path,
				    SD_SERVICE, "ExecMainStartTimestampMonotonic",
				    &err, 't', &ts);
	sd_bus_error_free(&err);
	over = !strcmp(state, "failed") || (!strcmp(state, "inactive") && ts);
	free(state);
	return over;
}

static int on_props(sd_bus_message *m, void *arg, sd_bus_error *error)
{
	struct vwd_app *a = arg;
	const char *state = vwd_unit_prop_changed(m, "ActiveState");

	(void)error;
	if (state && a->running &&
	    (!strcmp(state, "inactive") || !strcmp(state, "failed")) &&
	    run_over(a))
		ended(a);
	return 0;
}

static int watch(struct vwd_app *a)
{
	int ret;

	if (a->watch)
		return 0;
	if (!a->unit_path) {
		ret = sd_bus_path_encode(SD_PATH "/unit", unit_of(a),
					 &a->unit_path);
		if (ret < 0)
			return ret;
	}
	return sd_bus_match_signal(a->d->bus, &a->watch, SD_DEST, a->unit_path,
				   "org.freedesktop.DBus.Properties",
				   "PropertiesChanged", on_props, a);
}

/* Running already (the daemon restarted): watched again, not started. */
static bool adopt(struct vwd_app *a)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	char *state = NULL;
	bool up;

	if (sd_bus_get_property_string(a->d->bus, SD_DEST, a->unit_path,
				       SD_UNIT, "ActiveState", &err,
				       &state) < 0) {
		sd_bus_error_free(&err);
		return false;
	}
	up = !strcmp(state, "active") || !strcmp(state, "activating") ||
	     !strcmp(state, "reloading");
	free(state);
	if (!up)
		return false;
	/* Ours from now on: hold it loaded as the first run did. */
	sd_call(a, SD_UNIT, "Ref", NULL);
	a->running = true;
	a->backgrounded = true;
	a->started_at = vwd_now_ms();
	backoff_started(&a->backoff, a->started_at);
	vwd_log_conf(LOG_INFO, a, "exec", "app %s is running as %s: adopted",
		     a->conf.name, unit_of(a));
	return true;
}

void vwd_launch_app(struct vwd_app *a)
{
	static bool told;
	int ret;

	if (!a->d->systemd) {
		if (!told)
			vwd_log_conf(LOG_ERR, a, "exec",
				     "cannot start apps with Exec=: systemd does not answer on the system bus");
		told = true;
		return;
	}
	if (a->running || a->timer || a->finished)
		return;
	if (!a->backoff.max_s)
		backoff_init(&a->backoff, a->conf.restart_max_s,
			     a->conf.restart_reset_s);
	ret = watch(a);
	if (ret < 0) {
		vwd_log_conf(LOG_ERR, a, "exec", "app %s: cannot watch unit %s: %s",
			     a->conf.name, unit_of(a), strerror(-ret));
		return;
	}
	if (!adopt(a))
		start(a);
}

void vwd_launch_forget(struct vwd_app *a)
{
	/*
	 * An app whose file went runs on, unsupervised: let go of its unit,
	 * or it would stay loaded after its run for as long as the daemon
	 * lives. At exit, vwd_launch_stop() let go already.
	 */
	if (a->running && a->unit_path && !a->d->stopping)
		sd_call(a, SD_UNIT, "Unref", NULL);
	a->timer = sd_event_source_disable_unref(a->timer);
	a->watch = sd_bus_slot_unref(a->watch);
	free(a->unit_path);
	a->unit_path = NULL;
}

/* OnDaemonStop=stop: systemd stops them (SIGTERM, then SIGKILL). */
void vwd_launch_stop(struct vwd *d)
{
	struct vwd_app *a;
	size_t i;

	for (i = 0; d->systemd && i < d->napps; i++) {
		a = d->apps[i];
		if (!a->conf.exec[0] || !a->unit_path)
			continue;
		if (a->conf.policy.on_stop == ON_STOP_STOP && a->running) {
			a->stopping = true;
			vwd_log_conf(LOG_INFO, a, "stop", "stopping app %s",
				     a->conf.name);
			sd_call(a, SD_MANAGER, "StopUnit", "ss", unit_of(a),
				"replace");
		}
		/* Let go of it: loaded as long as it runs, no longer. */
		if (a->running)
			sd_call(a, SD_UNIT, "Unref", NULL);
	}
}
