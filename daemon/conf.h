/* SPDX-License-Identifier: GPL-2.0 */
/*
 * voipwaked's configuration: /etc/voipwake/voipwaked.conf and one file per
 * app in /etc/voipwake/apps.d/NAME.conf, read with inih. An app is named by
 * its application ID or unit name (see appid.h), matching each running
 * instance, or by a cgroup path. voipwaked.conf(5) is the reference for
 * every key.
 */
#ifndef CONF_H
#define CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "appid.h"
#include "cgroup.h"
#include "rules.h"

#define CONF_DIR		"/etc/voipwake"
#define CONF_MAIN		"voipwaked.conf"
#define CONF_APPS		"apps.d"
/* The slice apps voipwaked starts (Exec=) run in, one unit each. */
#define CONF_APP_SLICE		"voipwake-apps.slice"
/*
 * Their units: instances of the template voipwake-app@.service, NAME
 * systemd-escaped as the instance, which the package ships and its polkit
 * rule lets the voipwake user start and stop (and nothing else).
 */
#define CONF_APP_TEMPLATE	"voipwake-app@"
#define CONF_NAME_MAX		64
#define CONF_PATH_MAX		4096
#define CONF_DIR_MAX		1024	/* the configuration directory */
#define CONF_RULES_MAX		16	/* MarkSockets= rules per app */
/*
 * MarkGateMs= default: how long a MarkSockets= app's freeze waits for
 * the daemon's marks. A scan takes a few ms; a busy machine, more.
 */
#define CONF_MARK_GATE_MS	200

/* What becomes of an app when the daemon stops cleanly. */
enum on_stop {
	ON_STOP_FOREGROUND,	/* thawed and left running (default) */
	ON_STOP_KEEP,	/* left as it is: the module still wakes it */
	ON_STOP_STOP,	/* thawed, then SIGTERM (apps it launched) */
};

/* Policy that voipwaked.conf's [defaults] gives and an app may override. */
struct policy {
	uint32_t budget_wakes;		/* socket wakes allowed per period */
	uint32_t budget_period_s;
	uint32_t wake_window_ms;	/* 0: the module's default */
	uint32_t keepalive_budget_ms;	/* 0: the module's default */
	uint32_t keepalive_min_s;	/* 0: no bound of the daemon's */
	uint32_t keepalive_max_s;	/* 0: no bound of the daemon's */
	enum on_stop on_stop;
	bool wake_system;		/* its keep-alive may wake the system */
};

struct conf_app {
	char name[CONF_NAME_MAX];		/* from the file name */
	char file[CONF_PATH_MAX];
	char cgroup[CONF_PATH_MAX];	/* absolute path, or "" */
	char match[APPID_UNIT_MAX];	/* app ID or unit name, or "" */
	char exec[CONF_PATH_MAX];		/* empty: started by someone else */
	char user[CONF_NAME_MAX];		/* empty: root */
	bool background;		/* background it once started */
	uint32_t startup_s;		/* ... at the latest this long after */
	uint32_t restart_max_s;		/* relaunch backoff cap */
	uint32_t restart_reset_s;	/* up this long: backoff starts over */
	struct policy policy;
	/* MarkSockets=: connections voipwaked marks for an unmodified app. */
	struct rule rules[CONF_RULES_MAX];
	size_t nrules;
};

struct conf {
	char dir[CONF_DIR_MAX];
	bool load_module;
	bool allow_unlisted;		/* apps with no file may be woken */
	uint32_t mark_gate_ms;		/* MarkSockets=' freeze gate, 0: none */
	struct policy defaults;
	struct conf_app *apps;
	size_t napps;
	/*
	 * "FILE:LINE: what", for each bad MarkSockets= rule: each is
	 * dropped alone and the rest of the configuration stays in force.
	 */
	char **warnings;
	size_t nwarnings;
};

/*
 * Reads @dir (CONF_DIR unless testing) whole. On success *@out is a new
 * configuration; on failure nothing is kept and @err holds "FILE:LINE:
 * what was wrong". A missing voipwaked.conf or apps.d means defaults.
 * A bad rule is no failure: it is left out and said in (*@out)->warnings.
 */
int conf_load(const char *dir, struct conf **out, char *err,
		 size_t errlen);
void conf_free(struct conf *conf);

/*
 * Reads the one file @dir/apps.d/@name.conf into @out, checked as
 * conf_load() checks it, for voipwake-app-exec, which starts that one app
 * and must not fail for another app's file. Policy keys are parsed, not
 * merged with voipwaked.conf's [defaults]: the launcher needs only Exec=
 * and User=. Return: 0; -EINVAL for a bad @name or file (@err says
 * "FILE:LINE: what"); -ENOENT if the file is absent.
 */
int conf_load_app(const char *dir, const char *name, struct conf_app *out,
		  char *err, size_t errlen);

const struct conf_app *conf_app(const struct conf *conf,
				      const char *name);

/* The bounds of a wake budget, N wakes per PERIOD. */
#define CONF_BUDGET_WAKES_MAX		100000
#define CONF_BUDGET_PERIOD_MAX_S	(24 * 3600)

/*
 * Whether N wakes per PERIOD is a budget: 0 (N 0 is "off"); -EINVAL
 * outside the bounds; -ERANGE when PERIOD/N is more than the module's
 * VOIPWAKE_WAKE_INTERVAL_MAX_MS, the longest it holds wakes apart.
 */
int conf_budget_check(uint32_t wakes, uint32_t period_s);

/* "60/1h" and friends, for messages: the reverse of the parser. */
void conf_budget_str(const struct policy *p, char *buf, size_t len);

#endif /* CONF_H */
