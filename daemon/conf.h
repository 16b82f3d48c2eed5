/* SPDX-License-Identifier: GPL-2.0 */
/*
 * voipwaked's configuration: /etc/voipwake/voipwaked.conf and one file per
 * app in /etc/voipwake/apps.d/NAME.conf, read with inih. voipwakectl reads
 * it too, to turn an app's name into its cgroup. voipwaked.conf(5) is the
 * reference for every key.
 */
#ifndef VW_CONF_H
#define VW_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define VW_CONF_DIR		"/etc/voipwake"
#define VW_CONF_MAIN		"voipwaked.conf"
#define VW_CONF_APPS		"apps.d"
#define VW_CGROUP_ROOT		"/sys/fs/cgroup"
#define VW_NAME_MAX		64
#define VW_PATH_MAX		4096
#define VW_DIR_MAX		1024	/* the configuration directory */

/* What becomes of an app when the daemon stops cleanly. */
enum vw_on_stop {
	VW_ON_STOP_FOREGROUND,	/* thawed and left running (default) */
	VW_ON_STOP_KEEP,	/* left as it is: the module still wakes it */
	VW_ON_STOP_STOP,	/* thawed, then SIGTERM (apps it launched) */
};

/* Policy that voipwaked.conf's [defaults] gives and an app may override. */
struct vw_policy {
	uint32_t budget_wakes;		/* socket wakes allowed per period */
	uint32_t budget_period_s;
	uint32_t wake_window_ms;	/* 0: the module's default */
	uint32_t keepalive_budget_ms;	/* 0: the module's default */
	uint32_t keepalive_min_s;	/* 0: no bound of the daemon's */
	uint32_t keepalive_max_s;	/* 0: no bound of the daemon's */
	enum vw_on_stop on_stop;
};

struct vw_app_conf {
	char name[VW_NAME_MAX];		/* from the file name */
	char file[VW_PATH_MAX];
	char cgroup[VW_PATH_MAX];	/* absolute path */
	char exec[VW_PATH_MAX];		/* empty: started by someone else */
	char user[VW_NAME_MAX];		/* empty: root */
	bool background;		/* background it once started */
	uint32_t startup_s;		/* ... at the latest this long after */
	uint32_t restart_max_s;		/* relaunch backoff cap */
	uint32_t restart_reset_s;	/* up this long: backoff starts over */
	struct vw_policy policy;
};

struct vw_conf {
	char dir[VW_DIR_MAX];
	char app_root[VW_PATH_MAX];	/* absolute: where launched apps go */
	char state_file[VW_PATH_MAX];
	bool load_module;
	bool allow_unlisted;		/* apps with no file may be woken */
	struct vw_policy defaults;
	struct vw_app_conf *apps;
	size_t napps;
};

/*
 * Reads @dir (VW_CONF_DIR unless testing) whole. On success *@out is a new
 * configuration; on failure nothing is kept and @err holds "FILE:LINE:
 * what was wrong". A missing voipwaked.conf or apps.d means defaults.
 */
int vw_conf_load(const char *dir, struct vw_conf **out, char *err,
		 size_t errlen);
void vw_conf_free(struct vw_conf *conf);

const struct vw_app_conf *vw_conf_app(const struct vw_conf *conf,
				      const char *name);

/* "60/1h" and friends, for messages: the reverse of the parser. */
void vw_conf_budget_str(const struct vw_policy *p, char *buf, size_t len);

#endif /* VW_CONF_H */
