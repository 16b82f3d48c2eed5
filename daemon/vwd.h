/* SPDX-License-Identifier: GPL-2.0 */
/*
 * voipwaked internals. The kernel holds the truth about apps; the daemon
 * hears of them from the module's admin events (and a full dump only at
 * start, after a loss of events, and when a client asks for the list),
 * and keeps only what policy needs on top: wake times for the budget, and
 * the units it started.
 *
 * An app in the configuration (struct vwd_app) may have any number of
 * running instances (struct vwd_inst), one per cgroup the module knows:
 * an AppId= matches every scope or service of that app.
 */
#ifndef VWD_H
#define VWD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <syslog.h>

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>
#include <voipwake.h>

#include "appid.h"
#include "backoff.h"
#include "budget.h"
#include "conf.h"

#define VWD_PROG	"voipwaked"

#define VWD_BUS_NAME	"org.voipwake.Daemon1"
#define VWD_BUS_PATH	"/org/voipwake/Daemon1"
#define VWD_BUS_IFACE	"org.voipwake.Daemon1"
#define VWD_BUS_ERROR	"org.voipwake.Daemon1.Error."

/* A cgroup the module knows, and the configured app it is, if any. */
struct vwd_inst {
	struct vwd *d;
	uint64_t id;			/* cgroup id */
	char path[CONF_PATH_MAX];	/* under CGROUP_ROOT, "/…" */
	char shown[CONF_PATH_MAX];	/* @path as valid UTF-8, for D-Bus */
	struct appid appid;		/* its unit, app ID, user (UTF-8) */
	struct vwd_app *app;		/* NULL: unlisted */
	struct vw_app_info ki;		/* the kernel's, at the last event */
	struct budget budget;
	sd_event_source *recheck;	/* when the throttle may be lifted */
	sd_bus_slot *freezer;		/* its unit's FreezerState */
	sd_event_source *freeze_write;	/* writes to its cgroup.freeze */
	bool sd_held;			/* told the module systemd froze it */
	bool seen;			/* in the dump being read */
};

/* An app of the configuration, and the unit it runs as if it has Exec=. */
struct vwd_app {
	struct vwd *d;
	struct conf_app conf;		/* a copy: reloads replace it */
	/* Apps it starts (Exec=): */
	char *unit_path;		/* systemd's object for the unit */
	sd_bus_slot *watch;		/* its PropertiesChanged */
	sd_event_source *timer;		/* relaunch, or background check */
	struct backoff backoff;
	uint64_t started_at;		/* ms, boot time */
	uint32_t relaunches;
	uint32_t bg_wait_s;		/* the next background check */
	bool running;
	bool finished;			/* exited 0: left alone */
	bool backgrounded;		/* this launch was */
	bool stopping;			/* we stop it: no relaunch */
	int rules_err_said;		/* MarkSockets=: the -errno last said */
};

struct vwd {
	char confdir[CONF_DIR_MAX];
	struct conf *conf;
	struct vwd_app **apps;
	size_t napps;
	struct vwd_inst **insts;
	size_t ninsts;
	size_t ninsts_read;		/* at the last full read */
	sd_event_source *prune;		/* a full read to forget the gone */

	sd_event *ev;
	sd_bus *bus;			/* the system bus; NULL without one */
	bool systemd;			/* systemd answers on it */
	struct vw_client *c;		/* NULL while the module is away */
	sd_event_source *nl_src;
	sd_event_source *uevent_src;
	struct vw_client *mark_c;	/* MarkSockets=' marks (vwd_rules.c) */
	sd_event_source *mark_src;
	uint64_t unlisted_unmarked;	/* sockets of unlisted apps unmarked */
	bool stopping;
};

/* vwd_log.c: to the journal with fields, or to stderr with "<N>". */
void vwd_log_init(void);
void vwd_log(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* With APP=, APP_ID=, CGROUP= and REASON= (may be NULL) fields. */
void vwd_log_app(int prio, const struct vwd_inst *in, const char *reason,
		 const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void vwd_log_conf(int prio, const struct vwd_app *a, const char *reason,
		  const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
uint64_t vwd_now_ms(void);

/* vwd_kernel.c: the module, its events, and its coming and going. */
int vwd_kernel_start(struct vwd *d);
int vwd_kernel_resync(struct vwd *d);
void vwd_kernel_stop(struct vwd *d);
int vwd_open_app(struct vwd_inst *in);

/* vwd_apps.c: instances and the policy they get. */
struct vwd_inst *vwd_inst_get(struct vwd *d, const struct vw_app_info *ai);
void vwd_inst_forget_unseen(struct vwd *d);
void vwd_apps_event(struct vwd *d, const struct vw_event *ev);
int vwd_apps_set_conf(struct vwd *d, struct conf *conf);
void vwd_apps_stop(struct vwd *d);
void vwd_apps_free(struct vwd *d);
const char *vwd_inst_name(const struct vwd_inst *in);
int vwd_inst_set_budget(struct vwd_inst *in);

/* vwd_freezer.c: systemd's FreezeUnit, told to the module (APP_HELD). */
void vwd_freezer_watch(struct vwd_inst *in);
void vwd_freezer_forget(struct vwd_inst *in);

/* vwd_unlisted.c: UnlistedApps=deny. */
void vwd_unlisted_unmark(struct vwd_inst *in);

/* vwd_rules.c: MarkSockets=, an unmodified app's sockets marked for it. */
void vwd_rules_scan(struct vwd_inst *in);
void vwd_rules_gate(struct vwd_inst *in, int fd, bool on);
void vwd_rules_gate_open(struct vwd_inst *in);
void vwd_rules_gate_cgroups(struct vwd *d);
void vwd_rules_stop(struct vwd *d);

/* vwd_launch.c: apps started as voipwake-app@NAME.service, and their relaunch. */
int vwd_launch_init(struct vwd *d);
void vwd_launch_app(struct vwd_app *a);
void vwd_launch_forget(struct vwd_app *a);
void vwd_launch_stop(struct vwd *d);

/* vwd_systemd.c */
#define SD_DEST		"org.freedesktop.systemd1"
#define SD_UNIT		"org.freedesktop.systemd1.Unit"
const char *vwd_unit_prop_changed(sd_bus_message *m, const char *key);

/* vwd_bus.c: org.voipwake.Daemon1 on the system bus. */
int vwd_bus_start(struct vwd *d);
void vwd_bus_app_signal(struct vwd_inst *in, const char *member,
			const struct vw_event *ev);
void vwd_bus_throttle_signal(struct vwd_inst *in);
void vwd_bus_module_changed(struct vwd *d);

/* vwd_creds.c: may a D-Bus caller manage a cgroup, by cgroupfs' rules. */
int vwd_caller_may_manage(sd_bus_message *m, int cgroup_fd,
			  sd_bus_error *error);

#endif /* VWD_H */
