/* SPDX-License-Identifier: GPL-2.0 */
/*
 * voipwaked internals. The kernel holds the truth about apps; the daemon
 * reads it with a dump every tick and keeps only what policy needs on top:
 * wake times for the budget, and the processes it launched.
 */
#ifndef VW_VWD_H
#define VW_VWD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <syslog.h>

#include <voipwake.h>

#include "conf.h"

#define VWD_PROG	"voipwaked"
#define VWD_TICK_MS	1000
/* How long OnDaemonStop=stop waits for SIGTERM before cgroup.kill. */
#define VWD_STOP_WAIT_MS 5000

struct vwd_app {
	struct vw_app_conf conf;	/* a copy: reloads replace it */
	uint64_t cgroup_id;		/* 0 while its cgroup does not exist */
	struct vw_app_info ki;		/* the kernel's, at the last tick */
	bool in_kernel;

	/* Wake budget: times (ms) of the latest socket wakes, a ring. */
	uint64_t last_wakes;		/* kernel's socket wake count */
	bool have_baseline;
	uint64_t *ring;
	uint32_t ring_cap, ring_len, ring_head;
	bool throttled;
	uint64_t throttled_at;
	uint32_t throttles;		/* times it went over */

	/* Supervision, for apps with Exec=. */
	pid_t pid;			/* 0: not running (as far as we know) */
	bool adopted;			/* found running: not our child */
	bool finished;			/* exited 0: left alone */
	bool backgrounded;		/* this launch was backgrounded */
	uint64_t started_at;		/* ms */
	uint64_t relaunch_at;		/* ms, 0: none planned */
	uint32_t backoff_s;
	bool failed;			/* the next launch is a relaunch */
	uint32_t relaunches;
};

struct vwd {
	char confdir[VW_DIR_MAX];
	struct vw_conf *conf;
	struct vw_client *c;
	struct vwd_app *apps;
	size_t napps;
	uint64_t unlisted_unmarked;	/* sockets of unlisted apps unmarked */
	bool stopping;
	bool lost;			/* the last dump failed */
};

/* voipwaked.c */
void vwd_log(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
uint64_t vwd_now_ms(void);

/* vwd_apps.c: the app table, policy and the state file. */
int vwd_apps_set_conf(struct vwd *d, struct vw_conf *conf);
void vwd_apps_tick(struct vwd *d);
void vwd_apps_stop(struct vwd *d);
void vwd_apps_free(struct vwd *d);
void vwd_reconnect(struct vwd *d);
int vwd_cgroup_open(const char *path);

/* vwd_launch.c: starting, reaping and relaunching apps. */
void vwd_launch_tick(struct vwd *d, struct vwd_app *a);
void vwd_launch_reap(struct vwd *d);
void vwd_launch_adopt(struct vwd_app *a);
void vwd_launch_stop(struct vwd *d);

/* vwd_unlisted.c: apps with no configuration file. */
void vwd_unlisted_tick(struct vwd *d);

#endif /* VW_VWD_H */
