// SPDX-License-Identifier: GPL-2.0
/*
 * org.voipwake.Daemon1 on the system bus: Documentation/dbus/ has the
 * interface's XML and what each member means; this file must agree with
 * it, and a test compares the two.
 *
 * Who may do what is judged here, per call, as the kernel judges it:
 * an app is seen and managed by whoever may write its cgroup.freeze
 * (vwd_creds.c); a budget is the administrator's (root). Signals carry
 * other users' apps, so the bus policy lets only root receive them.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "names.h"
#include "vwd.h"

#define E_NO_APP	VWD_BUS_ERROR "NoSuchApp"
#define E_NO_MODULE	VWD_BUS_ERROR "ModuleNotLoaded"
#define E_KERNEL	VWD_BUS_ERROR "KernelRefused"

/* One "{sv}" entry of type @t (a basic D-Bus type) holding @v. */
#define ENTRY(m, key, t, v) \
	sd_bus_message_append(m, "{sv}", key, t, v)

static int dict_policy(sd_bus_message *m, const struct vwd_app *a,
		       const struct vwd_inst *in)
{
	const struct policy *p = &a->conf.policy;
	uint32_t used = 0;
	char b[32];
	int ret;

	conf_budget_str(p, b, sizeof(b));
	if (in)
		used = budget_used(&in->budget, vwd_now_ms());
	ret = ENTRY(m, "Name", "s", a->conf.name);
	if (ret >= 0)
		ret = ENTRY(m, "Budget", "s", b);
	if (ret >= 0)
		ret = ENTRY(m, "BudgetWakes", "u", p->budget_wakes);
	if (ret >= 0)
		ret = ENTRY(m, "BudgetPeriodSec", "u", p->budget_period_s);
	if (ret >= 0)
		ret = ENTRY(m, "BudgetUsed", "u", used);
	if (ret >= 0)
		ret = ENTRY(m, "Throttled", "b", in && in->budget.throttled);
	if (ret >= 0)
		ret = ENTRY(m, "Throttles", "u", in ? in->budget.throttles : 0);
	if (ret >= 0 && a->conf.exec[0])
		ret = sd_bus_message_append(m, "{sv}{sv}{sv}", "Relaunches",
					    "u", a->relaunches, "Running", "b",
					    a->running, "LaunchedUnit", "s",
					    a->conf.match);
	return ret;
}

static int dict_kernel(sd_bus_message *m, const struct vw_app_info *k)
{
	int ret;

	ret = sd_bus_message_append(m, "{sv}{sv}{sv}{sv}{sv}{sv}{sv}",
				    "State", "s", state_name(k->state) ?: "unknown",
				    "Frozen", "b", !!k->frozen,
				    "Sockets", "u", k->socks,
				    "WakesData", "t", k->wakes_data,
				    "WakesClose", "t", k->wakes_close,
				    "WakesError", "t", k->wakes_error,
				    "WakesKeepalive", "t", k->wakes_keepalive);
	if (ret >= 0)
		ret = sd_bus_message_append(m, "{sv}{sv}{sv}{sv}{sv}{sv}{sv}{sv}",
					    "WakesHeld", "t", k->wakes_held,
					    "FrozenMSec", "t", k->frozen_ms,
					    "LastWakeNSec", "t", k->last_wake_ns,
					    "WakeWindowMSec", "u", k->wake_window_ms,
					    "WakeIntervalMSec", "u", k->wake_interval_ms,
					    "KeepaliveSec", "u", k->keepalive_s,
					    "KeepaliveBudgetMSec", "u",
					    k->keepalive_budget_ms,
					    "KeepaliveOverruns", "u",
					    k->keepalive_overruns);
	return ret;
}

/* An app as a{sv}: the kernel's view of an instance, and policy's. */
static int append_app(sd_bus_message *m, const struct vwd_inst *in,
		      const struct vwd_app *a)
{
	int ret = sd_bus_message_open_container(m, 'a', "{sv}");

	if (ret >= 0 && in)
		ret = sd_bus_message_append(m, "{sv}{sv}{sv}{sv}",
					    "Id", "t", in->id,
					    "Cgroup", "s", in->shown,
					    "AppId", "s", in->appid.id,
					    "Unit", "s", in->appid.unit);
	if (ret >= 0 && in && in->appid.uid != APPID_NO_UID)
		ret = ENTRY(m, "Uid", "u", (uint32_t)in->appid.uid);
	if (ret >= 0 && in)
		ret = dict_kernel(m, &in->ki);
	if (ret >= 0 && !in)
		ret = sd_bus_message_append(m, "{sv}{sv}", "Id", "t",
					    (uint64_t)0, "State", "s",
					    "inactive");
	if (ret >= 0 && a)
		ret = dict_policy(m, a, in);
	if (ret >= 0)
		ret = sd_bus_message_close_container(m);
	return ret;
}

static bool is_root(sd_bus_message *m)
{
	sd_bus_creds *c = NULL;
	uid_t uid = 1;

	if (sd_bus_query_sender_creds(m, SD_BUS_CREDS_EUID, &c) >= 0)
		sd_bus_creds_get_euid(c, &uid);
	sd_bus_creds_unref(c);
	return uid == 0;
}

/* Whether the caller may see (and so manage) the instance. */
static bool visible(sd_bus_message *m, struct vwd_inst *in, bool root)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	int fd, ret;

	if (root)
		return true;
	fd = vwd_open_app(in);
	if (fd < 0)
		return false;
	ret = vwd_caller_may_manage(m, fd, &err);
	close(fd);
	sd_bus_error_free(&err);
	return ret >= 0;
}

static bool has_inst(const struct vwd *d, const struct vwd_app *a)
{
	size_t i;

	for (i = 0; i < d->ninsts; i++)
		if (d->insts[i]->app == a)
			return true;
	return false;
}

static int method_list(sd_bus_message *m, void *arg, sd_bus_error *error)
{
	sd_bus_message *reply = NULL;
	struct vwd *d = arg;
	bool root = is_root(m);
	size_t i;
	int ret;

	(void)error;
	/* The kernel is the truth: read it now, not at the last event. */
	if (d->c)
		vwd_kernel_resync(d);
	ret = sd_bus_message_new_method_return(m, &reply);
	if (ret >= 0)
		ret = sd_bus_message_open_container(reply, 'a', "a{sv}");
	for (i = 0; ret >= 0 && i < d->ninsts; i++)
		if (visible(m, d->insts[i], root))
			ret = append_app(reply, d->insts[i], d->insts[i]->app);
	for (i = 0; ret >= 0 && root && i < d->napps; i++)
		if (!has_inst(d, d->apps[i]))
			ret = append_app(reply, NULL, d->apps[i]);
	if (ret >= 0)
		ret = sd_bus_message_close_container(reply);
	if (ret >= 0)
		ret = sd_bus_send(NULL, reply, NULL);
	sd_bus_message_unref(reply);
	return ret;
}

/* Whether @name names @in: a cgroup path, a configured name, an app ID or unit. */
static bool names(const struct vwd_inst *in, const char *name)
{
	size_t root = strlen(CGROUP_ROOT);

	if (name[0] == '/') {
		if (!strncmp(name, CGROUP_ROOT "/", root + 1))
			name += root;
		return !strcmp(in->path, name);
	}
	if (in->app && !strcmp(in->app->conf.name, name))
		return true;
	return appid_name_valid(name) && appid_matches(&in->appid, name);
}

/*
 * The instances @name names that the caller may see, fresh from the
 * kernel. Return: how many (into @out, up to @max), or a D-Bus error.
 */
static int lookup(sd_bus_message *m, struct vwd *d, const char *name,
		  struct vwd_inst **out, size_t max, sd_bus_error *error)
{
	bool root = is_root(m);
	size_t i, n = 0;

	if (!d->c)
		return sd_bus_error_set(error, E_NO_MODULE,
					"the voipwake module is not loaded");
	vwd_kernel_resync(d);
	for (i = 0; i < d->ninsts && n < max; i++)
		if (names(d->insts[i], name) && visible(m, d->insts[i], root))
			out[n++] = d->insts[i];
	if (!n)
		return sd_bus_error_setf(error, E_NO_APP,
					 "no app '%s' that you may see is known to the module",
					 name);
	return n;
}

static int method_get(sd_bus_message *m, void *arg, sd_bus_error *error)
{
	sd_bus_message *reply = NULL;
	struct vwd_inst *in[2];
	const char *name;
	int ret;

	ret = sd_bus_message_read(m, "s", &name);
	if (ret < 0)
		return ret;
	ret = lookup(m, arg, name, in, 2, error);
	if (ret < 0)
		return ret;
	if (ret > 1)
		return sd_bus_error_setf(error, VWD_BUS_ERROR "AmbiguousApp",
					 "'%s' names more than one running app (%s and %s at least): name one by its cgroup",
					 name, in[0]->shown, in[1]->shown);
	ret = sd_bus_message_new_method_return(m, &reply);
	if (ret >= 0)
		ret = append_app(reply, in[0], in[0]->app);
	if (ret >= 0)
		ret = sd_bus_send(NULL, reply, NULL);
	sd_bus_message_unref(reply);
	return ret;
}

#define MAX_TARGETS	64

static int method_set_state(sd_bus_message *m, void *arg,
			    sd_bus_error *error)
{
	struct vwd_inst *in[MAX_TARGETS];
	const char *name, *state;
	struct vwd *d = arg;
	int ret, n, i, fd[MAX_TARGETS];
	uint32_t st;

	ret = sd_bus_message_read(m, "ss", &name, &state);
	if (ret < 0)
		return ret;
	if (!strcmp(state, "background"))
		st = VOIPWAKE_APP_STATE_BACKGROUND;
	else if (!strcmp(state, "foreground"))
		st = VOIPWAKE_APP_STATE_FOREGROUND;
	else
		return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
					 "state must be background or foreground, not '%s'",
					 state);
	n = lookup(m, d, name, in, MAX_TARGETS, error);
	if (n < 0)
		return n;
	/* Every instance is checked before any is touched. */
	for (i = 0; i < n; i++)
		fd[i] = -1;
	for (i = 0, ret = 0; ret >= 0 && i < n; i++) {
		fd[i] = vwd_open_app(in[i]);
		ret = fd[i] < 0 ? sd_bus_error_set_errnof(error, -fd[i],
				  "cannot open the cgroup of %s", in[i]->shown) :
		      vwd_caller_may_manage(m, fd[i], error);
	}
	/*
	 * An app the daemon marks for: its first background waits for the
	 * marks too, so its gate is set before.
	 */
	for (i = 0; ret >= 0 && i < n; i++)
		if (st == VOIPWAKE_APP_STATE_BACKGROUND && in[i]->app &&
		    in[i]->app->conf.nrules)
			vwd_rules_gate(in[i], fd[i], true);
	for (i = 0; ret >= 0 && i < n; i++)
		if (vw_app_set_state(d->c, fd[i], st) < 0)
			ret = sd_bus_error_setf(error, E_KERNEL,
						"the module refused to %s %s: %s",
						state, in[i]->shown,
						vw_last_error(d->c) ?: "");
	for (i = 0; i < n; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	if (ret < 0)
		return ret;
	return sd_bus_reply_method_return(m, NULL);
}

static int method_set_budget(sd_bus_message *m, void *arg,
			     sd_bus_error *error)
{
	struct vwd *d = arg;
	uint32_t wakes, period;
	struct vwd_app *a = NULL;
	const char *name;
	size_t i;
	int ret;

	ret = sd_bus_message_read(m, "suu", &name, &wakes, &period);
	if (ret < 0)
		return ret;
	if (!is_root(m))
		return sd_bus_error_set(error, SD_BUS_ERROR_ACCESS_DENIED,
					"wake budgets are the administrator's: root only");
	for (i = 0; i < d->napps; i++)
		if (!strcmp(d->apps[i]->conf.name, name))
			a = d->apps[i];
	if (!a)
		return sd_bus_error_setf(error, E_NO_APP,
					 "no app '%s' in the configuration",
					 name);
	if (conf_budget_check(wakes, period))
		return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
					 "a budget is 1..%u wakes per 1..%u s, at most %u ms apart (or 0 wakes: off), not %u per %u s",
					 CONF_BUDGET_WAKES_MAX,
					 CONF_BUDGET_PERIOD_MAX_S,
					 VOIPWAKE_WAKE_INTERVAL_MAX_MS, wakes,
					 period);
	a->conf.policy.budget_wakes = wakes;
	a->conf.policy.budget_period_s = wakes ? period : 0;
	for (i = 0; i < d->ninsts; i++)
		if (d->insts[i]->app == a)
			vwd_inst_set_budget(d->insts[i]);
	vwd_log_conf(LOG_NOTICE, a, "budget",
		     "app %s's wake budget set to %u per %u s over D-Bus, until the next reload",
		     name, wakes, period);
	return sd_bus_reply_method_return(m, NULL);
}

static int prop_version(sd_bus *bus, const char *path, const char *iface,
			const char *prop, sd_bus_message *reply, void *arg,
			sd_bus_error *error)
{
	(void)bus; (void)path; (void)iface; (void)prop; (void)arg; (void)error;
	return sd_bus_message_append(reply, "s", PACKAGE_VERSION);
}

static int prop_module(sd_bus *bus, const char *path, const char *iface,
		       const char *prop, sd_bus_message *reply, void *arg,
		       sd_bus_error *error)
{
	struct vwd *d = arg;

	(void)bus; (void)path; (void)iface; (void)prop; (void)error;
	return sd_bus_message_append(reply, "b", d->c != NULL);
}

static int prop_unlisted(sd_bus *bus, const char *path, const char *iface,
			 const char *prop, sd_bus_message *reply, void *arg,
			 sd_bus_error *error)
{
	struct vwd *d = arg;

	(void)bus; (void)path; (void)iface; (void)error;
	if (!strcmp(prop, "UnlistedApps"))
		return sd_bus_message_append(reply, "s",
					     d->conf->allow_unlisted ?
					     "allow" : "deny");
	return sd_bus_message_append(reply, "t", d->unlisted_unmarked);
}

static const sd_bus_vtable vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_PROPERTY("Version", "s", prop_version, 0,
			SD_BUS_VTABLE_PROPERTY_CONST),
	SD_BUS_PROPERTY("ModuleLoaded", "b", prop_module, 0,
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("UnlistedApps", "s", prop_unlisted, 0,
			SD_BUS_VTABLE_PROPERTY_EMITS_INVALIDATION),
	SD_BUS_PROPERTY("UnlistedUnmarked", "t", prop_unlisted, 0, 0),
	SD_BUS_METHOD_WITH_ARGS("ListApps", SD_BUS_NO_ARGS,
				SD_BUS_RESULT("aa{sv}", apps), method_list,
				SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("GetApp", SD_BUS_ARGS("s", name),
				SD_BUS_RESULT("a{sv}", app), method_get,
				SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("SetAppState",
				SD_BUS_ARGS("s", name, "s", state),
				SD_BUS_NO_RESULT, method_set_state,
				SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("SetAppBudget",
				SD_BUS_ARGS("s", name, "u", wakes, "u",
					    period_sec),
				SD_BUS_NO_RESULT, method_set_budget,
				SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_SIGNAL_WITH_ARGS("AppWoken",
				SD_BUS_ARGS("t", id, "s", cgroup, "s", name,
					    "s", reason, "t", socket, "u",
					    bytes, "b", keepalive), 0),
	SD_BUS_SIGNAL_WITH_ARGS("AppFrozen",
				SD_BUS_ARGS("t", id, "s", cgroup, "s", name),
				0),
	SD_BUS_SIGNAL_WITH_ARGS("AppThawed",
				SD_BUS_ARGS("t", id, "s", cgroup, "s", name),
				0),
	SD_BUS_SIGNAL_WITH_ARGS("AppThrottled",
				SD_BUS_ARGS("t", id, "s", cgroup, "s", name,
					    "b", throttled, "u",
					    interval_msec), 0),
	SD_BUS_VTABLE_END
};

int vwd_bus_start(struct vwd *d)
{
	int ret;

	ret = sd_bus_open_system(&d->bus);
	if (ret >= 0)
		ret = sd_bus_add_object_vtable(d->bus, NULL, VWD_BUS_PATH,
					       VWD_BUS_IFACE, vtable, d);
	if (ret >= 0)
		ret = sd_bus_request_name(d->bus, VWD_BUS_NAME, 0);
	if (ret >= 0)
		ret = sd_bus_attach_event(d->bus, d->ev, SD_EVENT_PRIORITY_NORMAL);
	if (ret < 0) {
		vwd_log(LOG_ERR, "cannot serve " VWD_BUS_NAME " on the system bus: %s",
			strerror(-ret));
		d->bus = sd_bus_flush_close_unref(d->bus);
	}
	return ret;
}

void vwd_bus_app_signal(struct vwd_inst *in, const char *member,
			const struct vw_event *ev)
{
	const char *name = vwd_inst_name(in) ?: "";
	sd_bus *bus = in->d->bus;

	if (!bus)
		return;
	if (!strcmp(member, "AppWoken"))
		sd_bus_emit_signal(bus, VWD_BUS_PATH, VWD_BUS_IFACE, member,
				   "tssstub", in->id, in->shown, name,
				   reason_name(ev->reason) ?: "unknown", ev->sock_ino,
				   (uint32_t)ev->bytes, !!ev->keepalive);
	else
		sd_bus_emit_signal(bus, VWD_BUS_PATH, VWD_BUS_IFACE, member,
				   "tss", in->id, in->shown, name);
}

void vwd_bus_throttle_signal(struct vwd_inst *in)
{
	if (in->d->bus)
		sd_bus_emit_signal(in->d->bus, VWD_BUS_PATH, VWD_BUS_IFACE,
				   "AppThrottled", "tssbu", in->id, in->shown,
				   vwd_inst_name(in) ?: "",
				   in->budget.throttled,
				   in->budget.throttled ?
				   budget_interval_ms(&in->budget) : 0);
}

void vwd_bus_module_changed(struct vwd *d)
{
	if (d->bus)
		sd_bus_emit_properties_changed(d->bus, VWD_BUS_PATH,
					       VWD_BUS_IFACE, "ModuleLoaded",
					       NULL);
}
