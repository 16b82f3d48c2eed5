// SPDX-License-Identifier: GPL-2.0
/*
 * What voipwakectl knows of voipwaked: app names from its configuration,
 * and, over D-Bus (org.voipwake.Daemon1), its policy state and the apps
 * named by ID or unit. The kernel stays the truth about the apps
 * themselves; this only adds what the daemon alone knows.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-bus.h>

#include "ctl.h"

#define BUS_NAME	"org.voipwake.Daemon1"
#define BUS_PATH	"/org/voipwake/Daemon1"
#define BUS_IFACE	"org.voipwake.Daemon1"

static struct conf *ctl_conf(void)
{
	static struct conf *conf;
	static bool tried;
	char err[1024];

	if (!tried) {
		tried = true;
		if (conf_load(CONF_DIR, &conf, err, sizeof(err)))
			fprintf(stderr, PROG ": ignoring voipwaked's configuration: %s\n",
				err);
	}
	return conf;
}

const struct conf_app *ctl_conf_app(const char *name)
{
	struct conf *conf = strchr(name, '/') ? NULL : ctl_conf();

	return conf ? conf_app(conf, name) : NULL;
}

/* One a{sv} of ListApps into @a; keys it does not know are skipped. */
static int read_app(sd_bus_message *m, struct ctl_daemon_app *a)
{
	const char *key, *s;
	int ret;

	memset(a, 0, sizeof(*a));
	ret = sd_bus_message_enter_container(m, 'a', "{sv}");
	while (ret > 0 &&
	       (ret = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		ret = sd_bus_message_read(m, "s", &key);
		if (ret < 0)
			break;
#define STR(k, f) else if (!strcmp(key, k) && \
			   (ret = sd_bus_message_read(m, "v", "s", &s)) >= 0) \
		snprintf(a->f, sizeof(a->f), "%s", s)
#define NUM(k, t, f) else if (!strcmp(key, k)) \
		ret = sd_bus_message_read(m, "v", t, &a->f)
		if (0)
			;
		STR("Name", name);
		STR("AppId", app_id);
		STR("Unit", unit);
		STR("Budget", budget);
		NUM("Id", "t", cgroup_id);
		NUM("BudgetWakes", "u", budget_wakes);
		NUM("BudgetUsed", "u", used);
		NUM("Throttles", "u", throttles);
		else if (!strcmp(key, "Throttled")) {
			int b = 0;

			ret = sd_bus_message_read(m, "v", "b", &b);
			a->throttled = b;
		} else if (!strcmp(key, "Running")) {
			int b = 0;

			ret = sd_bus_message_read(m, "v", "b", &b);
			a->running = b;
			a->launched = true;
		}
		NUM("Relaunches", "u", relaunches);
		else
			ret = sd_bus_message_skip(m, "v");
#undef STR
#undef NUM
		if (ret >= 0)
			ret = sd_bus_message_exit_container(m);
	}
	if (ret >= 0)
		ret = sd_bus_message_exit_container(m);
	return ret;
}

static int daemon_pid(sd_bus *bus)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	uint32_t pid = 0;

	if (sd_bus_call_method(bus, "org.freedesktop.DBus",
			       "/org/freedesktop/DBus", "org.freedesktop.DBus",
			       "GetConnectionUnixProcessID", &err, &reply, "s",
			       BUS_NAME) >= 0)
		sd_bus_message_read(reply, "u", &pid);
	sd_bus_error_free(&err);
	sd_bus_message_unref(reply);
	return pid;
}

/*
 * 0 with @st filled if voipwaked runs; -ENOENT if it does not (no system
 * bus, or no one owns its name).
 */
int ctl_daemon_read(struct ctl_daemon *st)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	struct ctl_daemon_app *v;
	sd_bus *bus = NULL;
	int ret;

	memset(st, 0, sizeof(*st));
	if (sd_bus_open_system(&bus) < 0)
		return -ENOENT;
	ret = sd_bus_call_method(bus, BUS_NAME, BUS_PATH, BUS_IFACE,
				 "ListApps", &err, &reply, NULL);
	if (ret < 0) {
		if (!sd_bus_error_has_names(&err, SD_BUS_ERROR_SERVICE_UNKNOWN,
					    SD_BUS_ERROR_NAME_HAS_NO_OWNER))
			fprintf(stderr, PROG ": cannot ask voipwaked: %s\n",
				err.message ?: strerror(-ret));
		ret = -ENOENT;
		goto out;
	}
	st->pid = daemon_pid(bus);
	ret = sd_bus_message_enter_container(reply, 'a', "a{sv}");
	while (ret >= 0 && !sd_bus_message_at_end(reply, false)) {
		v = realloc(st->apps, (st->napps + 1) * sizeof(*v));
		if (!v) {
			ret = -ENOMEM;
			break;
		}
		st->apps = v;
		ret = read_app(reply, &st->apps[st->napps]);
		if (ret >= 0)
			st->napps++;
	}
	if (ret < 0)
		fprintf(stderr, PROG ": voipwaked's answer cannot be read: %s\n",
			strerror(-ret));
	ret = 0;
out:
	sd_bus_error_free(&err);
	sd_bus_message_unref(reply);
	sd_bus_flush_close_unref(bus);
	return ret;
}

const struct ctl_daemon_app *ctl_daemon_app(const struct ctl_daemon *st,
					    uint64_t cgroup_id)
{
	size_t i;

	for (i = 0; cgroup_id && i < st->napps; i++)
		if (st->apps[i].cgroup_id == cgroup_id)
			return &st->apps[i];
	return NULL;
}

void ctl_daemon_free(struct ctl_daemon *st)
{
	free(st->apps);
	st->apps = NULL;
	st->napps = 0;
}

int ctl_daemon_set_state(const char *name, const char *state)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus *bus = NULL;
	int ret;

	ret = sd_bus_open_system(&bus);
	if (ret >= 0)
		ret = sd_bus_call_method(bus, BUS_NAME, BUS_PATH, BUS_IFACE,
					 "SetAppState", &err, NULL, "ss", name,
					 state);
	if (ret < 0)
		fprintf(stderr, PROG ": cannot %s %s: %s\n", state, name,
			err.message ?: strerror(-ret));
	sd_bus_error_free(&err);
	sd_bus_flush_close_unref(bus);
	return ret < 0 ? EXIT_FAIL : EXIT_OK;
}
