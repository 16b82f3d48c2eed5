/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which app a cgroup is, by systemd's names rather than by its path.
 *
 * Shared by voipwaked, voipwake-session and the marking-by-rule scanner:
 * it only parses names and reads /proc, and holds no state, so any of them
 * can link appid.o on its own.
 *
 * A desktop session starts each app in a unit of its own, named after
 * the app (systemd.io/DESKTOP_ENVIRONMENTS):
 *
 *	app[-LAUNCHER]-ID[@RANDOM|-RANDOM|-autostart].service
 *	app[-LAUNCHER]-ID-RANDOM.scope
 *
 * (a service's -RANDOM is digits, as GNOME's launcher has it; a scope's is
 * alphanumeric), under user@UID.service/app.slice for a user's apps;
 * Flatpak's are app-flatpak-ID-PID.scope, and D-Bus activated ones
 * app-dbus-:1.2-ID@0.service. A '-' within ID or LAUNCHER is escaped
 * as "\x2d" (systemd-escape), so the unescaped dashes are separators.
 *
 * An app is named either by its application ID ("org.gnome.Calls"), which
 * matches every running instance of it under any launcher, or by a unit
 * name ("baresip.service", "app-gnome-org.gnome.Calls-4242.scope"); a
 * template name ("baresip@.service") matches each of its instances.
 */
#ifndef APPID_H
#define APPID_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* systemd's UNIT_NAME_MAX, the terminating NUL included. */
#define APPID_UNIT_MAX		256
#define APPID_LAUNCHER_MAX	64

/* uid of an app that runs under the system manager, not a user's. */
#define APPID_NO_UID		((uid_t)-1)

struct appid {
	char unit[APPID_UNIT_MAX];	/* the innermost unit: "app-….scope" */
	char id[APPID_UNIT_MAX];	/* unescaped app ID; "" if not app-* */
	char launcher[APPID_LAUNCHER_MAX]; /* unescaped; "" if none */
	uid_t uid;			/* of user@UID.service, or APPID_NO_UID */
	bool flatpak;			/* launched by Flatpak */
};

/*
 * Parses one unit name into @out (uid left as APPID_NO_UID). A unit that
 * is not an app's ("sshd.service") fills only @out->unit.
 *
 * Return: 0; -EINVAL if @unit is not a .service or .scope name, or is
 * an "app-" name that breaks the convention; -ENAMETOOLONG.
 */
int appid_from_unit(const char *unit, struct appid *out);

/*
 * The app of the cgroup @path ("/user.slice/…/app-….scope", relative to
 * the cgroup2 mount, as /proc/PID/cgroup says; a sub-cgroup a unit made
 * in its delegated subtree counts as that unit's): the innermost .scope
 * or .service component, and the user@UID.service it is under.
 *
 * Return: 0; -ENOENT if no component is a unit; as appid_from_unit().
 */
int appid_from_cgroup(const char *path, struct appid *out);

/*
 * As appid_from_cgroup(), for the cgroup2 line of /proc/@pid/cgroup.
 *
 * Return: as appid_from_cgroup(); -ESRCH if there is no such process.
 */
int appid_from_pid(pid_t pid, struct appid *out);

/*
 * Whether @name (an app ID, a unit name or a template unit name, as an
 * administrator wrote it) names the app @a.
 */
bool appid_matches(const struct appid *a, const char *name);

/*
 * Whether @name is a well-formed app name for appid_matches(): a unit
 * name (".service" or ".scope", with "@" only as a template or
 * instance) or an app ID (letters, digits and "._-", as desktop file
 * IDs are).
 */
bool appid_name_valid(const char *name);

/* Whether @name ends in ".service" or ".scope". */
bool appid_is_unit_name(const char *name);

/*
 * systemd-escape of one name component: '-', '\' and bytes outside
 * [A-Za-z0-9:_.] become "\xNN"; a leading '.' too. Return: 0, or
 * -ENAMETOOLONG when it does not fit in @len.
 */
int appid_escape(const char *in, char *out, size_t len);

#endif /* APPID_H */
