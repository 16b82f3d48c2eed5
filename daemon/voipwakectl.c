// SPDX-License-Identifier: GPL-2.0
/*
 * voipwakectl: the administrator's view of the voipwake kernel module.
 *
 * Subcommands are looked up in a table; each parses its own options and
 * returns the process exit status. They live in ctl_*.c, one file per
 * concern; ctl.h is what they share.
 */

#include <errno.h>
#include <string.h>

#include "ctl.h"

struct subcommand {
	const char *name;
	const char *args;
	const char *summary;
	int (*run)(int argc, char *argv[]);
};

static int cmd_help(int argc, char *argv[]);

static const struct subcommand subcommands[] = {
	{ "info", "[-j]", "module version, features and limits", ctl_info },
	{ "status", "[-j]", "apps and marked sockets", ctl_status },
	{ "background", "CGROUP", "freeze an app; its marked sockets wake it",
	  ctl_background },
	{ "foreground", "CGROUP", "thaw an app and stop freezing it",
	  ctl_foreground },
	{ "wake-window", "CGROUP MS", "set an app's wake window (0 = default)",
	  ctl_wake_window },
	{ "wake-done", "[CGROUP]", "end a wake window now (default: own app)",
	  ctl_wake_done },
	{ "keepalive", "CGROUP SECONDS|off [--tolerance PCT] [--budget MS]",
	  "wake an app at least every SECONDS", ctl_keepalive },
	{ "mark", "PID FD [--wake-on LIST]", "mark a process's socket",
	  ctl_mark },
	{ "unmark", "PID FD", "unmark a process's socket", ctl_unmark },
	{ "monitor", "[-j] [-c COUNT]", "print events as they happen",
	  ctl_monitor },
	{ "help", "", "show this help", cmd_help },
};

static const struct subcommand *find_subcommand(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(subcommands); i++)
		if (!strcmp(subcommands[i].name, name))
			return &subcommands[i];
	return NULL;
}

void ctl_cmd_usage(FILE *f, const char *cmd)
{
	const struct subcommand *sc = find_subcommand(cmd);

	if (!sc)
		return;
	fprintf(f, "Usage: %s %s%s%s\n  %s\n", PROG, sc->name,
		sc->args[0] ? " " : "", sc->args, sc->summary);
}

/* Width of the command column; a longer synopsis gets a line of its own. */
#define USAGE_HEAD	30

static void usage(FILE *f)
{
	char head[80];
	size_t i;

	fprintf(f, "Usage: %s <command> [options]\n"
		   "       %s --help | --version\n\nCommands:\n", PROG, PROG);
	for (i = 0; i < ARRAY_SIZE(subcommands); i++) {
		snprintf(head, sizeof(head), "%s %s", subcommands[i].name,
			 subcommands[i].args);
		if (strlen(head) > USAGE_HEAD)
			fprintf(f, "  %s\n  %-*s %s\n", head, USAGE_HEAD, "",
				subcommands[i].summary);
		else
			fprintf(f, "  %-*s %s\n", USAGE_HEAD, head,
				subcommands[i].summary);
	}
	fputs("\n"
	      "  -j, --json        JSON output\n"
	      "  -c, --count N     exit after N events\n"
	      "  --wake-on LIST    reasons that wake the app, comma-separated:\n"
	      "                    data,close,error,keepalive (default: all)\n"
	      "  --tolerance PCT   how early a keep-alive may come, in percent of\n"
	      "                    SECONDS (1-50; default: the module's)\n"
	      "  --budget MS       how long a keep-alive wake may run before the app\n"
	      "                    is frozen again (1000-30000; default: the module's)\n"
	      "\n"
	      "CGROUP is a cgroup v2 directory, absolute or relative to " CGROUP_ROOT ",\n"
	      "or an app's name in voipwaked's configuration (/etc/voipwake/apps.d).\n"
	      "mark and unmark take the socket with pidfd_getfd(2): they need ptrace\n"
	      "access to PID. monitor needs CAP_NET_ADMIN. keepalive SECONDS runs from\n"
	      "the module's min_keepalive_s (see info) to 3600; the app is woken only\n"
	      "while it is in the background.\n"
	      "\n"
	      "Exit status: 0 success, 1 failure, 2 usage error, 3 voipwake module not loaded.\n",
	      f);
}

static int cmd_help(int argc, char *argv[])
{
	if (argc > 1)
		return ctl_usage_error("help: unexpected argument '%s'",
				       argv[1]);
	usage(stdout);
	return EXIT_OK;
}

static int dispatch(int argc, char *argv[])
{
	const struct subcommand *cmd;
	const char *arg;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	arg = argv[1];
	if (!strcmp(arg, "--help") || !strcmp(arg, "-h"))
		return cmd_help(1, argv + 1);
	if (!strcmp(arg, "--version") || !strcmp(arg, "-V")) {
		printf("%s %s (libvoipwake %s)\n", PROG, PACKAGE_VERSION,
		       vw_library_version());
		return EXIT_OK;
	}
	if (arg[0] == '-')
		return ctl_usage_error("unknown option '%s'", arg);
	cmd = find_subcommand(arg);
	if (!cmd)
		return ctl_usage_error("unknown command '%s'", arg);
	return cmd->run(argc - 1, argv + 1);
}

int main(int argc, char *argv[])
{
	int status = dispatch(argc, argv);

	/* A full disk or closed pipe must not pass for success. */
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, PROG ": writing output: %s\n",
			strerror(errno));
		return EXIT_FAIL;
	}
	return status;
}
