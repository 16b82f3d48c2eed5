// SPDX-License-Identifier: GPL-2.0
/*
 * What every voipwakectl subcommand shares: option parsing, error reports,
 * names for protocol values, JSON strings, and cgroups by path and by id.
 */

#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "cgroup.h"
#include "ctl.h"
#include "parse.h"

int ctl_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry '" PROG " --help'.\n", stderr);
	return EXIT_USAGE;
}

/* A usage error within a subcommand: the message, then its usage line. */
int ctl_cmd_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	ctl_cmd_usage(stderr, cmd);
	return EXIT_USAGE;
}

/* Names what failed, with the library's explanation when it has one. */
void ctl_report(const struct vw_client *c, int err, const char *fmt, ...)
{
	const char *msg = vw_last_error(c);
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (msg)
		fprintf(stderr, ": %s (%s)\n", msg, strerror(-err));
	else
		fprintf(stderr, ": %s\n", strerror(-err));
}

/* Returns EXIT_OK with *@c open, or the exit status after reporting. */
int ctl_open(struct vw_client **c)
{
	int ret = vw_open(c);

	if (!ret)
		return EXIT_OK;
	ctl_report(NULL, ret, "cannot connect to the voipwake module");
	return ret == -ENOENT ? EXIT_NOMODULE : EXIT_FAIL;
}

/* Option letters for ctl_parse(); the long-only options count on. */
#define CTL_LONG_WAKE_ON	256
#define CTL_LONG_TOLERANCE	257
#define CTL_LONG_BUDGET		258

static const char *ctl_opt_name(int opt)
{
	switch (opt) {
	case 'j':
		return "-j/--json";
	case 'c':
		return "-c/--count";
	case CTL_LONG_TOLERANCE:
		return "--tolerance";
	case CTL_LONG_BUDGET:
		return "--budget";
	default:
		return "--wake-on";
	}
}

static unsigned int ctl_opt_bit(int opt)
{
	switch (opt) {
	case 'j':
		return CTL_OPT_JSON;
	case 'c':
		return CTL_OPT_COUNT;
	case CTL_LONG_WAKE_ON:
		return CTL_OPT_WAKE_ON;
	case CTL_LONG_TOLERANCE:
		return CTL_OPT_TOLERANCE;
	case CTL_LONG_BUDGET:
		return CTL_OPT_BUDGET;
	}
	return 0;
}

/*
 * Parses a subcommand's options (those in @opts, plus -h) and checks that
 * it has @min_args to @max_args positional arguments, which may come
 * before or after the options.
 *
 * Return: -1 to go on; otherwise the exit status to stop with, after
 * printing help or the usage error.
 */
int ctl_parse(int argc, char *argv[], unsigned int opts, int min_args,
	      int max_args, struct ctl_args *a)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "count", required_argument, NULL, 'c' },
		{ "wake-on", required_argument, NULL, CTL_LONG_WAKE_ON },
		{ "tolerance", required_argument, NULL, CTL_LONG_TOLERANCE },
		{ "budget", required_argument, NULL, CTL_LONG_BUDGET },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = argv[0];
	uint32_t count;
	int opt;

	memset(a, 0, sizeof(*a));
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":jc:h", longopts, NULL)) != -1) {
		unsigned int need = ctl_opt_bit(opt);

		if (need && !(opts & need))
			return ctl_cmd_error(cmd, "does not take option %s",
					     ctl_opt_name(opt));
		switch (opt) {
		case 'h':
			ctl_cmd_usage(stdout, cmd);
			return EXIT_OK;
		case 'j':
			a->json = true;
			break;
		case 'c':
			if (parse_u32(optarg, &count) || !count)
				return ctl_cmd_error(cmd,
						     "COUNT must be a positive number, not '%s'",
						     optarg);
			a->count = count;
			break;
		case CTL_LONG_WAKE_ON:
			if (ctl_wake_on_parse(optarg, &a->wake_on))
				return ctl_cmd_error(cmd,
						     "bad --wake-on list '%s': use data, close, error, keepalive, separated by commas",
						     optarg);
			break;
		case CTL_LONG_TOLERANCE:
			if (parse_u32(optarg, &a->tolerance_pct))
				return ctl_cmd_error(cmd,
						     "PCT must be a whole percentage, not '%s'",
						     optarg);
			break;
		case CTL_LONG_BUDGET:
			if (parse_u32(optarg, &a->budget_ms))
				return ctl_cmd_error(cmd,
						     "MS must be a number of milliseconds, not '%s'",
						     optarg);
			break;
		case ':':
			return ctl_cmd_error(cmd, "option '%s' needs an argument",
					     argv[optind - 1]);
		default:
			if (optopt)
				return ctl_cmd_error(cmd, "unknown option '-%c'",
						     optopt);
			return ctl_cmd_error(cmd, "unknown option '%s'",
					     argv[optind - 1]);
		}
	}
	a->args = argv + optind;
	a->nargs = argc - optind;
	if (a->nargs < min_args)
		return ctl_cmd_error(cmd, "missing argument");
	if (a->nargs > max_args)
		return ctl_cmd_error(cmd, "unexpected argument '%s'",
				     a->args[max_args]);
	return -1;
}

int ctl_parse_int(const char *s, int min, int *v)
{
	uint32_t n;

	if (parse_u32(s, &n) || n > INT_MAX || (int)n < min)
		return -EINVAL;
	*v = n;
	return 0;
}

const char *ctl_family_name(uint32_t family)
{
	switch (family) {
	case AF_INET:
		return "inet";
	case AF_INET6:
		return "inet6";
	}
	return NULL;
}

const char *ctl_proto_name(uint32_t protocol)
{
	switch (protocol) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	}
	return NULL;
}

/* "data,close" into VW_WAKE_ON() bits; every name must be known. */
int ctl_wake_on_parse(const char *list, uint32_t *bits)
{
	const char *p = list;
	size_t len, r;

	*bits = 0;
	for (;;) {
		len = strcspn(p, ",");
		for (r = 1; r <= VOIPWAKE_WAKE_MAX; r++)
			if (strlen(reason_name(r)) == len &&
			    !strncmp(p, reason_name(r), len))
				break;
		if (r > VOIPWAKE_WAKE_MAX)
			return -EINVAL;
		*bits |= VW_WAKE_ON(r);
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

/* The reverse; bits without a name show as numbers. */
void ctl_wake_on_format(uint32_t bits, char *buf, size_t len)
{
	size_t used = 0;
	uint32_t r;
	int n;

	buf[0] = '\0';
	for (r = 0; r < 32 && used < len; r++) {
		if (!(bits & (1U << r)))
			continue;
		if (reason_name(r))
			n = snprintf(buf + used, len - used, "%s%s",
				     used ? "," : "", reason_name(r));
		else
			n = snprintf(buf + used, len - used, "%s%u",
				     used ? "," : "", r);
		used += n > 0 ? (size_t)n : 0;
	}
	if (!bits)
		snprintf(buf, len, "none");
}

/*
 * Opens CGROUP (absolute, or relative to CGROUP_ROOT) as the module
 * wants it: a cgroup v2 directory, O_RDONLY|O_DIRECTORY.
 *
 * Return: EXIT_OK with *@fd open, or the exit status after reporting.
 */
int ctl_cgroup_open(const char *arg, int *fd)
{
	char path[PATH_MAX];

	if (!arg[0])
		return ctl_usage_error("CGROUP must not be empty");
	if (cg_full_path(arg, path, sizeof(path))) {
		fprintf(stderr, PROG ": cgroup path too long: %s\n", arg);
		return EXIT_FAIL;
	}
	*fd = cg_open(path);
	if (*fd == -ENOTDIR) {
		fprintf(stderr, PROG ": %s is not a cgroup v2 directory\n",
			path);
		return EXIT_FAIL;
	}
	if (*fd < 0) {
		fprintf(stderr, PROG ": cannot open cgroup %s: %s\n", path,
			strerror(-*fd));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
