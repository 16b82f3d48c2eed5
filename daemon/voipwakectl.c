// SPDX-License-Identifier: GPL-2.0
/*
 * voipwakectl: the administrator's view of the voipwake kernel module.
 *
 * Subcommands are looked up in a table; each parses its own options and
 * returns the process exit status.
 */

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <voipwake.h>

#define PROG		"voipwakectl"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Exit statuses, documented in the usage text. */
#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2
#define EXIT_NOMODULE	3

struct subcommand {
	const char *name;
	const char *args;
	const char *summary;
	int (*run)(int argc, char *argv[]);
};

static int cmd_info(int argc, char *argv[]);
static int cmd_help(int argc, char *argv[]);

static const struct subcommand subcommands[] = {
	{ "info", "[-j|--json]",
	  "show the loaded module's version, features and limits", cmd_info },
	{ "help", "", "show this help", cmd_help },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s <command> [options]\n"
		   "       %s --help | --version\n\nCommands:\n", PROG, PROG);
	for (i = 0; i < ARRAY_SIZE(subcommands); i++)
		fprintf(f, "  %-5s %-12s %s\n", subcommands[i].name,
			subcommands[i].args, subcommands[i].summary);
	fputs("\nExit status: 0 success, 1 failure, 2 usage error, 3 voipwake module not loaded.\n",
	      f);
}

static __attribute__((format(printf, 1, 2)))
int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry '" PROG " --help'.\n", stderr);
	return EXIT_USAGE;
}

/* Names what failed, with the library's explanation when it has one. */
static void report(const char *what, int err, const struct vw_client *c)
{
	const char *msg = vw_last_error(c);

	if (msg)
		fprintf(stderr, PROG ": %s: %s (%s)\n", what, msg,
			strerror(-err));
	else
		fprintf(stderr, PROG ": %s: %s\n", what, strerror(-err));
}

/* INFO_GET fields other than the version string, in output order. */
static const struct info_field {
	const char *key;
	uint32_t bit;
	size_t offset;
	bool is_features;
} info_fields[] = {
	{ "api_version", VW_INFO_HAS_API_VERSION,
	  offsetof(struct vw_info, api_version), false },
	{ "features", VW_INFO_HAS_FEATURES,
	  offsetof(struct vw_info, features), true },
	{ "wake_window_ms", VW_INFO_HAS_WAKE_WINDOW_MS,
	  offsetof(struct vw_info, wake_window_ms), false },
	{ "wake_window_max_ms", VW_INFO_HAS_WAKE_WINDOW_MAX_MS,
	  offsetof(struct vw_info, wake_window_max_ms), false },
	{ "max_socks_per_app", VW_INFO_HAS_MAX_SOCKS_PER_APP,
	  offsetof(struct vw_info, max_socks_per_app), false },
};

static uint32_t info_value(const struct vw_info *info,
			   const struct info_field *f)
{
	return *(const uint32_t *)((const char *)info + f->offset);
}

static const struct {
	uint32_t bit;
	const char *name;
} feature_names[] = {
	{ VOIPWAKE_FEATURE_MARK_TCP, "mark_tcp" },
	{ VOIPWAKE_FEATURE_MARK_UDP, "mark_udp" },
	{ VOIPWAKE_FEATURE_FREEZE, "freeze" },
};

/* As "0x7 (mark_tcp,mark_udp,freeze)": unnamed bits still show in 0x7. */
static void print_features(uint32_t features)
{
	const char *sep = " (";
	size_t i;

	printf("0x%x", features);
	for (i = 0; i < ARRAY_SIZE(feature_names); i++) {
		if (!(features & feature_names[i].bit))
			continue;
		printf("%s%s", sep, feature_names[i].name);
		sep = ",";
	}
	if (sep[0] == ',')
		putchar(')');
}

/* The string comes from the kernel: keep control bytes off the terminal. */
static void print_text(const char *s)
{
	for (; *s; s++)
		putchar(isprint((unsigned char)*s) ? *s : '?');
}

static void print_info_text(const struct vw_info *info)
{
	const struct info_field *f;

	fputs("version: ", stdout);
	if (info->present & VW_INFO_HAS_VERSION)
		print_text(info->version);
	else
		fputs("(not reported)", stdout);
	putchar('\n');
	for (f = info_fields; f < info_fields + ARRAY_SIZE(info_fields); f++) {
		printf("%s: ", f->key);
		if (!(info->present & f->bit))
			fputs("(not reported)", stdout);
		else if (f->is_features)
			print_features(info_value(info, f));
		else
			printf("%u", info_value(info, f));
		putchar('\n');
	}
}

/* Bytes outside printable ASCII are escaped so the output is valid JSON. */
static void print_json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char ch = *s;

		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

static void print_info_json(const struct vw_info *info)
{
	const struct info_field *f;

	fputs("{\n\t\"version\": ", stdout);
	if (info->present & VW_INFO_HAS_VERSION)
		print_json_string(info->version);
	else
		fputs("null", stdout);
	for (f = info_fields; f < info_fields + ARRAY_SIZE(info_fields); f++) {
		printf(",\n\t\"%s\": ", f->key);
		if (info->present & f->bit)
			printf("%u", info_value(info, f));
		else
			fputs("null", stdout);
	}
	fputs("\n}\n", stdout);
}

/* getopt reports unknown short options by letter, long ones by position. */
static int bad_option(const char *cmd, int letter, const char *word)
{
	char name[3] = { '-', (char)letter, '\0' };

	fprintf(stderr, PROG ": %s: unknown option '%s'\n", cmd,
		letter ? name : word);
	fprintf(stderr, "Try '" PROG " %s --help'.\n", cmd);
	return EXIT_USAGE;
}

/* Returns an exit status to stop with, or -1 to go on and query. */
static int info_parse_args(int argc, char *argv[], bool *json)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			*json = true;
			break;
		case 'h':
			printf("Usage: %s info [-j|--json]\n", PROG);
			return EXIT_OK;
		default:
			return bad_option("info", optopt, argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("info: unexpected argument '%s'",
				   argv[optind]);
	return -1;
}

static int cmd_info(int argc, char *argv[])
{
	struct vw_info info = { .size = sizeof(info) };
	struct vw_client *c;
	bool json = false;
	int ret;

	ret = info_parse_args(argc, argv, &json);
	if (ret >= 0)
		return ret;

	ret = vw_open(&c);
	if (ret) {
		report("cannot connect to the voipwake module", ret, NULL);
		return ret == -ENOENT ? EXIT_NOMODULE : EXIT_FAIL;
	}
	ret = vw_get_info(c, &info);
	if (ret) {
		report("cannot read the module's info", ret, c);
		vw_close(c);
		return EXIT_FAIL;
	}
	vw_close(c);

	if (json)
		print_info_json(&info);
	else
		print_info_text(&info);
	return EXIT_OK;
}

static int cmd_help(int argc, char *argv[])
{
	if (argc > 1)
		return usage_error("help: unexpected argument '%s'", argv[1]);
	usage(stdout);
	return EXIT_OK;
}

static const struct subcommand *find_subcommand(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(subcommands); i++)
		if (!strcmp(subcommands[i].name, name))
			return &subcommands[i];
	return NULL;
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
		printf("%s %s (libvoipwake %s)\n", PROG, VW_VERSION,
		       vw_library_version());
		return EXIT_OK;
	}
	if (arg[0] == '-')
		return usage_error("unknown option '%s'", arg);
	cmd = find_subcommand(arg);
	if (!cmd)
		return usage_error("unknown command '%s'", arg);
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
