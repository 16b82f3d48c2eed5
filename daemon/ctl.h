/* SPDX-License-Identifier: GPL-2.0 */
/*
 * voipwakectl internals shared by the subcommand files: exit statuses,
 * argument parsing, error reporting, names for protocol values, cgroups.
 */
#ifndef CTL_H
#define CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <voipwake.h>

#include "cgroup.h"
#include "conf.h"
#include "ctl_print.h"
#include "names.h"
#include "parse.h"

#define PROG		"voipwakectl"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Exit statuses, documented in the usage text. */
#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2
#define EXIT_NOMODULE	3

/* Subcommands, one file per concern. */
int ctl_info(int argc, char *argv[]);
int ctl_status(int argc, char *argv[]);
int ctl_background(int argc, char *argv[]);
int ctl_foreground(int argc, char *argv[]);
int ctl_wake_window(int argc, char *argv[]);
int ctl_wake_done(int argc, char *argv[]);
int ctl_keepalive(int argc, char *argv[]);
int ctl_mark(int argc, char *argv[]);
int ctl_unmark(int argc, char *argv[]);
int ctl_monitor(int argc, char *argv[]);

/* voipwakectl.c: "Usage: voipwakectl CMD ARGS" from the command table. */
void ctl_cmd_usage(FILE *f, const char *cmd);

/* Options a subcommand may accept, for ctl_parse(). */
#define CTL_OPT_JSON	(1U << 0)	/* -j, --json */
#define CTL_OPT_COUNT	(1U << 1)	/* -c, --count N */
#define CTL_OPT_WAKE_ON	(1U << 2)	/* --wake-on LIST */
#define CTL_OPT_TOLERANCE (1U << 3)	/* --tolerance PCT */
#define CTL_OPT_BUDGET	(1U << 4)	/* --budget MS */

struct ctl_args {
	bool json;
	unsigned long count;	/* 0 = not given */
	uint32_t wake_on;	/* 0 = not given */
	uint32_t tolerance_pct;	/* 0 = not given: the module default */
	uint32_t budget_ms;	/* 0 = not given: the module default */
	int nargs;		/* positional arguments... */
	char **args;		/* ...in order */
};

int ctl_parse(int argc, char *argv[], unsigned int opts, int min_args,
	      int max_args, struct ctl_args *a);

int ctl_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
int ctl_cmd_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ctl_report(const struct vw_client *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int ctl_open(struct vw_client **c);

int ctl_parse_int(const char *s, int min, int *v);

const char *ctl_family_name(uint32_t family);
const char *ctl_proto_name(uint32_t protocol);
int ctl_wake_on_parse(const char *list, uint32_t *bits);
void ctl_wake_on_format(uint32_t bits, char *buf, size_t len);

/* ctl_json.c: every field of an app, as JSON members (text: nothing). */
void ctl_print_app_fields(const struct vw_app_info *ai);

int ctl_cgroup_open(const char *arg, int *fd);

/* ctl_daemon.c: what voipwaked adds, asked over D-Bus when it runs. */
struct ctl_daemon_app {
	char name[64];			/* its file's name; "" if unlisted */
	char app_id[256];
	char unit[256];
	uint64_t cgroup_id;		/* 0: no instance runs */
	char budget[32];		/* "60/1h", or "off" */
	uint32_t budget_wakes;
	uint32_t used;			/* socket wakes in the budget period */
	bool throttled;
	uint32_t throttles;
	bool launched;			/* Exec=: the two below hold */
	bool running;
	uint32_t relaunches;
};

struct ctl_daemon {
	int pid;			/* 0: voipwaked does not run */
	struct ctl_daemon_app *apps;
	size_t napps;
};

int ctl_daemon_read(struct ctl_daemon *st);
const struct ctl_daemon_app *ctl_daemon_app(const struct ctl_daemon *st,
					    uint64_t cgroup_id);
void ctl_daemon_free(struct ctl_daemon *st);
/* SetAppState over D-Bus. Return: the exit status, after reporting. */
int ctl_daemon_set_state(const char *name, const char *state);
const struct conf_app *ctl_conf_app(const char *name);

#endif /* CTL_H */
