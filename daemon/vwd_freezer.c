// SPDX-License-Identifier: GPL-2.0
/*
 * systemd's freezer and voipwake's on one cgroup. A system unit's cgroup
 * is the app's, and "systemctl freeze UNIT" writes the cgroup.freeze bit
 * voipwake writes: over voipwake's own "1" that changes nothing the
 * kernel can see. The daemon learns it from systemd and passes it on to
 * the module as APP_HELD: while held, the module thaws nothing and holds
 * the app's wakes until the release.
 *
 * What systemd says is the unit's FreezerState. systemd 252 announces no
 * change of it (its PropertiesChanged carries FreezerState only with
 * other changes), and over voipwake's "1" it writes nothing. So the
 * daemon also watches the unit's cgroup.freeze for writes (inotify's
 * IN_MODIFY comes with every write, of the same value too) and reads
 * FreezerState after each. The first after such a silent freeze is
 * voipwake's own thaw for a wake: the app runs for that read and one
 * request, then the module freezes it again and holds later wakes.
 *
 * Event-driven: per app that is a unit, one PropertiesChanged match, one
 * inotify watch (it fires at each freeze and thaw of the app, voipwake's
 * own included, never while idle), and one property read when the app
 * is first seen (a daemon restarted under a frozen unit). What the
 * kernel can see alone (a freeze of a foreground app, a thaw of its own
 * bit, an ancestor's freeze) needs none of this.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "vwd.h"

#define SD_UNIT_PATH	"/org/freedesktop/systemd1/unit"

/* Frozen, or on its way: the unit's bit is systemd's until its thaw. */
static bool freezer_held(const char *state)
{
	return !strcmp(state, "frozen") || !strcmp(state, "freezing");
}

static void tell(struct vwd_inst *in, bool held)
{
	int fd, ret;

	if (held == in->sd_held || !in->d->c)
		return;
	fd = vwd_open_app(in);
	ret = fd < 0 ? fd : vw_app_set_held(in->d->c, fd, held);
	if (fd >= 0)
		close(fd);
	if (ret) {
		vwd_log_app(LOG_ERR, in, "freezer",
			    "cannot tell the module that systemd %s %s: %s",
			    held ? "froze" : "thawed", in->appid.unit,
			    vw_last_error(in->d->c) ?: strerror(-ret));
		return;
	}
	in->sd_held = held;
	vwd_log_app(LOG_INFO, in, "freezer",
		    "systemd %s %s: voipwake %s", held ? "froze" : "thawed",
		    in->appid.unit,
		    held ? "holds its wakes" : "delivers what it held");
}

static int on_props(sd_bus_message *m, void *arg, sd_bus_error *error)
{
	struct vwd_inst *in = arg;
	const char *state = vwd_unit_prop_changed(m, "FreezerState");

	(void)error;
	if (state)
		tell(in, freezer_held(state));
	return 0;
}

/* systemd's word on the unit now: false if it cannot be read. */
static bool unit_held(struct vwd_inst *in, const char *path)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	char *state = NULL;
	bool held;

	held = sd_bus_get_property_string(in->d->bus, SD_DEST, path, SD_UNIT,
					  "FreezerState", &err,
					  &state) >= 0 && freezer_held(state);
	sd_bus_error_free(&err);
	free(state);
	return held;
}

static int on_freeze_write(sd_event_source *src,
			   const struct inotify_event *ev, void *arg)
{
	struct vwd_inst *in = arg;
	char *path = NULL;

	(void)src;
	(void)ev;
	if (sd_bus_path_encode(SD_UNIT_PATH, in->appid.unit, &path) >= 0)
		tell(in, unit_held(in, path));
	free(path);
	return 0;
}

/*
 * The app's cgroup is the unit's own, not a cgroup under a unit that
 * delegates: FreezeUnit of that unit freezes an ancestor, which the
 * module sees by itself.
 */
static bool is_unit_cgroup(const struct vwd_inst *in)
{
	size_t plen = strlen(in->path), ulen = strlen(in->appid.unit);

	return in->appid.uid == APPID_NO_UID && ulen && plen > ulen &&
	       in->path[plen - ulen - 1] == '/' &&
	       !strcmp(in->path + plen - ulen, in->appid.unit);
}

void vwd_freezer_watch(struct vwd_inst *in)
{
	char *path = NULL, file[CONF_PATH_MAX + 32];

	if (in->freezer || !in->app || !in->d->bus || !in->d->systemd ||
	    !is_unit_cgroup(in))
		return;
	if (sd_bus_path_encode(SD_UNIT_PATH, in->appid.unit, &path) < 0)
		return;
	if (sd_bus_match_signal(in->d->bus, &in->freezer, SD_DEST, path,
				"org.freedesktop.DBus.Properties",
				"PropertiesChanged", on_props, in) < 0) {
		vwd_log_app(LOG_WARNING, in, "freezer",
			    "cannot watch %s's FreezerState: systemctl freeze may be undone by a wake",
			    in->appid.unit);
		free(path);
		return;
	}
	snprintf(file, sizeof(file), CGROUP_ROOT "%s/cgroup.freeze", in->path);
	if (sd_event_add_inotify(in->d->ev, &in->freeze_write, file,
				 IN_MODIFY, on_freeze_write, in) < 0)
		vwd_log_app(LOG_WARNING, in, "freezer",
			    "cannot watch %s: systemctl freeze of a frozen app may be undone by a wake",
			    file);
	/* Frozen before the daemon (re)started: held from now. */
	if (unit_held(in, path))
		tell(in, true);
	free(path);
}

void vwd_freezer_forget(struct vwd_inst *in)
{
	in->freezer = sd_bus_slot_unref(in->freezer);
	in->freeze_write = sd_event_source_disable_unref(in->freeze_write);
}
