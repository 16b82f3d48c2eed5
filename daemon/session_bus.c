// SPDX-License-Identifier: GPL-2.0
/*
 * org.voipwake.Session1 on the user's session bus, for shells that know
 * better than window focus which app the user is in (Phosh, a GNOME Shell
 * extension, Plasma Mobile). Documentation/dbus/org.voipwake.Session1.xml
 * is its introspection, checked against the running agent by
 * tests/session/host.sh.
 *
 * The session bus is the user's own: whoever may call it may already
 * freeze and thaw the user's apps (the cgroups are theirs), so no caller
 * is refused for who it is.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "session.h"
#include "session_conf.h"

static int method_set_app_state(sd_bus_message *m, void *arg,
				sd_bus_error *error)
{
	const char *id, *state;
	struct sess *s = arg;
	int ret;

	ret = sd_bus_message_read(m, "ss", &id, &state);
	if (ret < 0)
		return ret;
	ret = sess_app_set_control(s, id, state);
	if (ret == -EINVAL && !sess_id_valid(id))
		return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
					 "'%s' is not an app ID: 1 to %d printable characters",
					 id, SESS_ID_MAX);
	if (ret == -EINVAL)
		return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
					 "state must be foreground, background or auto, not '%s'",
					 state);
	if (ret == -ENOSPC)
		return sd_bus_error_setf(error, SD_BUS_ERROR_LIMITS_EXCEEDED,
					 "%d apps are known already", SESS_APPS_MAX);
	if (ret < 0)
		return ret;
	return sd_bus_reply_method_return(m, NULL);
}

static int method_list_apps(sd_bus_message *m, void *arg,
			    sd_bus_error *error)
{
	sd_bus_message *reply = NULL;
	struct sess *s = arg;
	struct sess_app *a;
	struct sess_unit *u;
	unsigned int held;
	int ret;

	(void)error;
	ret = sd_bus_message_new_method_return(m, &reply);
	if (ret < 0)
		return ret;
	ret = sd_bus_message_open_container(reply, 'a', "(sssuut)");
	for (a = s->apps; ret >= 0 && a; a = a->next) {
		held = 0;
		for (u = a->units; u; u = u->next)
			held += u->held;
		ret = sd_bus_message_append(reply, "(sssuut)", a->id,
					    sess_state_name(a->state),
					    sess_control_name(a->control),
					    a->nunits, held, a->latency_us);
	}
	if (ret >= 0)
		ret = sd_bus_message_close_container(reply);
	if (ret >= 0)
		ret = sd_bus_send(NULL, reply, NULL);
	sd_bus_message_unref(reply);
	return ret;
}

static int prop_delay(sd_bus *bus, const char *path, const char *iface,
		      const char *prop, sd_bus_message *reply, void *arg,
		      sd_bus_error *error)
{
	struct sess *s = arg;

	(void)bus, (void)path, (void)iface, (void)prop, (void)error;
	return sd_bus_message_append(reply, "t", s->conf->delay_us);
}

static int prop_freeze_all(sd_bus *bus, const char *path, const char *iface,
			   const char *prop, sd_bus_message *reply, void *arg,
			   sd_bus_error *error)
{
	struct sess *s = arg;

	(void)bus, (void)path, (void)iface, (void)prop, (void)error;
	return sd_bus_message_append(reply, "b", (int)s->conf->freeze_all);
}

static const sd_bus_vtable session_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD_WITH_ARGS("SetAppState",
				SD_BUS_ARGS("s", app_id, "s", state),
				SD_BUS_NO_RESULT, method_set_app_state,
				SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_METHOD_WITH_ARGS("ListApps", SD_BUS_NO_ARGS,
				SD_BUS_RESULT("a(sssuut)", apps),
				method_list_apps, SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_SIGNAL_WITH_ARGS("AppStateChanged",
				SD_BUS_ARGS("s", app_id, "s", state), 0),
	SD_BUS_PROPERTY("BackgroundDelayUSec", "t", prop_delay, 0,
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_PROPERTY("FreezeAll", "b", prop_freeze_all, 0,
			SD_BUS_VTABLE_PROPERTY_EMITS_CHANGE),
	SD_BUS_VTABLE_END,
};

void sess_bus_state_changed(struct sess *s, const struct sess_app *a)
{
	int ret;

	if (!s->bus)
		return;
	ret = sd_bus_emit_signal(s->bus, SESS_BUS_PATH, SESS_BUS_IFACE,
				 "AppStateChanged", "ss", a->id,
				 sess_state_name(a->state));
	if (ret < 0)
		sess_log(LOG_WARNING, a->id, "cannot send AppStateChanged: %s",
			 strerror(-ret));
}

int sess_bus_init(struct sess *s)
{
	int ret;

	ret = sd_bus_open_user_with_description(&s->bus, SESS_PROG);
	if (ret < 0) {
		sess_log(LOG_ERR, NULL, "cannot connect to the session bus: %s",
			 strerror(-ret));
		return ret;
	}
	ret = sd_bus_add_object_vtable(s->bus, NULL, SESS_BUS_PATH,
				       SESS_BUS_IFACE, session_vtable, s);
	if (ret >= 0)
		ret = sd_bus_request_name(s->bus, SESS_BUS_NAME, 0);
	if (ret == -EEXIST) {
		sess_log(LOG_ERR, NULL, "%s is taken: another voipwake-session runs in this session",
			 SESS_BUS_NAME);
		return ret;
	}
	if (ret >= 0)
		ret = sd_bus_attach_event(s->bus, s->event, 0);
	if (ret < 0)
		sess_log(LOG_ERR, NULL, "cannot set up %s on the session bus: %s",
			 SESS_BUS_NAME, strerror(-ret));
	return ret < 0 ? ret : 0;
}

/* The configuration was reloaded: its properties may have changed. */
void sess_bus_conf_changed(struct sess *s)
{
	if (s->bus)
		sd_bus_emit_properties_changed(s->bus, SESS_BUS_PATH,
					       SESS_BUS_IFACE,
					       "BackgroundDelayUSec",
					       "FreezeAll", NULL);
}

void sess_bus_fini(struct sess *s)
{
	if (s->bus)
		sd_bus_flush_close_unref(s->bus);
	s->bus = NULL;
}
