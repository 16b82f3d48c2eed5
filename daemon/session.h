/* SPDX-License-Identifier: GPL-2.0 */
/*
 * voipwake-session: the session agent. It learns from the compositor which
 * app has the focus, and moves the user's apps between voipwake's
 * foreground and background as the user moves between them.
 *
 *   compositor ──wlr-foreign-toplevel──► session_wl.c   (windows)
 *   cgroupfs ───inotify (app.slice)────► session_units.c (running apps)
 *   session bus ──SetAppState──────────► session_bus.c   (shells)
 *                                            │
 *                                            ▼
 *                                     session_app.c (one state per app ID)
 *                                            │
 *                                            ▼
 *                                     session_kernel.c ──APP_SET──► voipwake.ko
 *
 * One thread, one sd-event loop, no periodic timer: the one timer there is
 * runs only while an app waits out its BackgroundDelaySec.
 */
#ifndef VW_SESSION_H
#define VW_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <syslog.h>
#include <sys/types.h>

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#define SESS_PROG	"voipwake-session"
#define SESS_BUS_NAME	"org.voipwake.Session1"
#define SESS_BUS_PATH	"/org/voipwake/Session1"
#define SESS_BUS_IFACE	"org.voipwake.Session1"
#define SESS_ID_MAX	255	/* an app ID; a D-Bus name is at most 255 */
#define SESS_APPS_MAX	1024	/* apps known at once */

struct sess_conf;
struct sess_wl;
struct vw_client;

/* The session's view of an app, what AppStateChanged says. */
enum sess_state {
	SESS_FOREGROUND,
	SESS_BACKGROUND,
};

/* Who decides an app's state: its windows, or a shell (SetAppState). */
enum sess_control {
	SESS_BY_WINDOWS,
	SESS_BY_SHELL_FG,
	SESS_BY_SHELL_BG,
};

/* One running instance of an app: an app-….scope or .service cgroup. */
struct sess_unit {
	struct sess_unit *next;		/* in its app's list */
	struct sess_app *app;
	char *name;			/* the unit name, as in cgroupfs */
	char *path;			/* its cgroup directory, absolute */
	uint64_t due;			/* CLOCK_BOOTTIME µs; 0: nothing due */
	int rules_wd;			/* MarkSockets=: its cgroup.events */
	bool was_frozen;		/* ... said frozen when last read */
	bool held;			/* background in the kernel */
};

struct sess_app {
	struct sess_app *next;
	char *id;
	struct sess_unit *units;
	unsigned int nunits;
	unsigned int windows;		/* its toplevels */
	unsigned int activated;		/* of which activated */
	enum sess_control control;
	enum sess_state state;
	uint64_t due;			/* goes to the background then; 0: no */
	uint64_t latency_us;		/* the last activation to thawed */
	bool said_unmapped;		/* its windows map to no unit: said */
	int rules_err_said;		/* MarkSockets=: the -errno last said */
};

struct sess {
	sd_event *event;
	sd_bus *bus;
	sd_event_source *timer;
	struct sess_conf *conf;
	const char *conf_file;		/* -c FILE, or NULL for the defaults */
	struct sess_app *apps;
	unsigned int napps;
	bool said_full;			/* SESS_APPS_MAX reached: said */
	bool started;			/* windows and units read: judge */

	/* session_units.c */
	char *user_cgroup;		/* the user manager's cgroup directory */
	int inotify_fd;
	sd_event_source *inotify_src;
	struct sess_watch *watches;
	size_t nwatches;

	/* session_kernel.c */
	struct vw_client *vw;
	sd_event_source *vw_src;	/* events of apps we marked for */
	sd_event_source *rules_src;	/* inotify: refreezes (session_rules.c) */
	bool said_no_module;
	char *protect[2];		/* never background these cgroups */

	/* session_wl.c */
	struct sess_wl *wl;
};

/* session.c */
void sess_log(int prio, const char *app, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
uint64_t sess_now(void);		/* CLOCK_BOOTTIME, µs */
uint64_t sess_mono_us(void);		/* CLOCK_MONOTONIC, µs */
void sess_timer_arm(struct sess *s, uint64_t due);	/* 0: disarm */

/* session_app.c: the policy */
struct sess_app *sess_app_find(struct sess *s, const char *id);
void sess_app_windows(struct sess *s, const char *id, int dwindows,
		      int dactivated, uint64_t seen_us);
void sess_app_unit_added(struct sess *s, const char *id, const char *name,
			 const char *path);
void sess_app_unit_removed(struct sess *s, const char *path);
int sess_app_set_control(struct sess *s, const char *id, const char *state);
void sess_apps_timer(struct sess *s);
void sess_apps_reconfigure(struct sess *s);
void sess_apps_release(struct sess *s);
void sess_apps_free(struct sess *s);
const char *sess_state_name(enum sess_state st);
const char *sess_control_name(enum sess_control c);

/* session_units.c: app units under the user manager, as they come and go */
int sess_units_init(struct sess *s, const char *user_cgroup);
char *sess_pid_cgroup(pid_t pid);	/* 0: ours; absolute, or NULL */
void sess_units_fini(struct sess *s);

/* session_kernel.c: what the module is asked */
enum sess_kstate {
	SESS_K_NONE,			/* not an app of the module's */
	SESS_K_FOREGROUND,
	SESS_K_BACKGROUND,		/* background or awake */
};
int sess_kernel_read(struct sess *s, const char *path, enum sess_kstate *st,
		     bool *asked);
int sess_kernel_set(struct sess *s, const char *path, bool background);
void sess_kernel_protect(struct sess *s, int slot, const char *path);
void sess_kernel_close(struct sess *s);

/* session_rules.c: MarkSockets=, an app's sockets marked for it */
void sess_rules_scan(struct sess *s, struct sess_app *a, struct sess_unit *u);
void sess_rules_watch(struct sess *s, struct sess_app *a, struct sess_unit *u);
void sess_rules_fini(struct sess *s);

/* session_bus.c: org.voipwake.Session1 */
int sess_bus_init(struct sess *s);
void sess_bus_state_changed(struct sess *s, const struct sess_app *a);
void sess_bus_conf_changed(struct sess *s);
void sess_bus_fini(struct sess *s);

/* session_wl.c: the compositor's toplevels */
int sess_wl_init(struct sess *s);
void sess_wl_fini(struct sess *s);

#endif /* VW_SESSION_H */
