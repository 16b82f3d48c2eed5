// SPDX-License-Identifier: GPL-2.0
/*
 * voipwake-session: main, the loop, signals and the log. What it does is
 * in session.h; voipwake-session(1) is its manual.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>

#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

#include "session.h"
#include "session_conf.h"

static bool to_journal;

/* journald's own fields when it reads our stderr, else plain lines. */
void sess_log(int prio, const char *app, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (to_journal && app)
		sd_journal_send("MESSAGE=%s", msg, "PRIORITY=%d", prio,
				"SYSLOG_IDENTIFIER=" SESS_PROG, "APP=%s", app,
				NULL);
	else if (to_journal)
		sd_journal_send("MESSAGE=%s", msg, "PRIORITY=%d", prio,
				"SYSLOG_IDENTIFIER=" SESS_PROG, NULL);
	else
		fprintf(stderr, SESS_PROG ": %s\n", msg);
}

/* $JOURNAL_STREAM names our stderr when systemd connected it to journald. */
static bool stderr_is_journal(void)
{
	const char *e = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	return e && sscanf(e, "%llu:%llu", &dev, &ino) == 2 &&
	       !fstat(STDERR_FILENO, &st) && st.st_dev == dev &&
	       st.st_ino == ino;
}

static uint64_t clock_us(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

uint64_t sess_now(void)
{
	return clock_us(CLOCK_BOOTTIME);
}

uint64_t sess_mono_us(void)
{
	return clock_us(CLOCK_MONOTONIC);
}

static int on_timer(sd_event_source *src, uint64_t usec, void *arg)
{
	(void)src, (void)usec;
	sess_apps_timer(arg);
	return 0;
}

/*
 * The one timer: armed at the earliest BackgroundDelaySec that runs out,
 * off when none does. Boot time, so that a delay spent in suspend counts:
 * an app left before a suspend is in the background after it.
 */
void sess_timer_arm(struct sess *s, uint64_t due)
{
	if (!due) {
		sd_event_source_set_enabled(s->timer, SD_EVENT_OFF);
		return;
	}
	sd_event_source_set_time(s->timer, due);
	sd_event_source_set_enabled(s->timer, SD_EVENT_ONESHOT);
}

static int conf_files(const char *given, const char *files[2], char **user)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int ret = -1;

	*user = NULL;
	files[0] = given ?: SESS_CONF_SYSTEM;
	if (given)
		return 1;
	if (xdg && xdg[0] == '/')
		ret = asprintf(user, "%s/" SESS_CONF_USER, xdg);
	else if (home && home[0] == '/')
		ret = asprintf(user, "%s/.config/" SESS_CONF_USER, home);
	if (ret < 0)
		*user = NULL;
	files[1] = *user;
	return *user ? 2 : 1;
}

static int load_conf(const char *given, struct sess_conf **conf)
{
	const char *files[2];
	char err[1024], *user;
	int n, ret;
	size_t i;

	n = conf_files(given, files, &user);
	ret = sess_conf_load(files, n, conf, err, sizeof(err));
	free(user);
	if (ret)
		sess_log(LOG_ERR, NULL, "%s", err);
	/* Rules left out of a configuration otherwise in force. */
	for (i = 0; !ret && i < (*conf)->warnings.n; i++)
		sess_log(LOG_WARNING, NULL, "%s", (*conf)->warnings.ids[i]);
	return ret;
}

static int on_sighup(sd_event_source *src, const struct signalfd_siginfo *si,
		     void *arg)
{
	struct sess *s = arg;
	struct sess_conf *conf;

	(void)src, (void)si;
	sd_notify(0, "RELOADING=1");
	if (load_conf(s->conf_file, &conf)) {
		sess_log(LOG_ERR, NULL, "configuration refused, the running one stays");
	} else {
		sess_conf_free(s->conf);
		s->conf = conf;
		sess_apps_reconfigure(s);
		sess_bus_conf_changed(s);
		sess_log(LOG_INFO, NULL, "configuration reloaded");
	}
	sd_notify(0, "READY=1");
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " SESS_PROG " [OPTIONS]\n"
		"  -c, --config FILE       read only FILE (default " SESS_CONF_SYSTEM ",\n"
		"                          then $XDG_CONFIG_HOME/" SESS_CONF_USER ")\n"
		"  --check                 read the configuration, report, and exit\n"
		"  --release               thaw every app of this user's that voipwake\n"
		"                          holds in the background, and exit\n"
		"  --user-cgroup DIR       the user manager's cgroup (default: ours,\n"
		"                          up to user@UID.service)\n"
		"  -h, --help              this help\n"
		"  -V, --version           print the version\n"
		"\n"
		"Follows the compositor's windows (wlr-foreign-toplevel-management) and\n"
		"moves apps between voipwake's foreground and background. SIGHUP reloads\n"
		"the configuration; SIGTERM thaws what it froze and stops. See\n"
		SESS_PROG "(1).\n");
}

static int run(struct sess *s, const char *user_cgroup, bool release)
{
	char *self;
	int ret;

	ret = sd_event_default(&s->event);
	if (ret < 0)
		return ret;
	/* Only what the kernel holds: no window is known, nothing is due. */
	if (release)
		return sess_units_init(s, user_cgroup);
	ret = sd_event_add_time(s->event, &s->timer, CLOCK_BOOTTIME, 0, 0,
				on_timer, s);
	if (ret >= 0)
		ret = sd_event_source_set_enabled(s->timer, SD_EVENT_OFF);
	if (ret >= 0)
		ret = sd_event_add_signal(s->event, NULL, SIGTERM, NULL, NULL);
	if (ret >= 0)
		ret = sd_event_add_signal(s->event, NULL, SIGINT, NULL, NULL);
	if (ret >= 0)
		ret = sd_event_add_signal(s->event, NULL, SIGHUP, on_sighup, s);
	if (ret < 0)
		return ret;
	self = sess_pid_cgroup(0);
	sess_kernel_protect(s, 1, self);
	free(self);
	ret = sess_bus_init(s);
	if (!ret)
		ret = sess_units_init(s, user_cgroup);
	if (!ret)
		ret = sess_wl_init(s);
	if (ret)
		return ret;
	/* Every window and every instance is known: now judge them. */
	s->started = true;
	sess_apps_timer(s);
	sd_notify(0, "READY=1\nSTATUS=following the compositor's windows");
	ret = sd_event_loop(s->event);
	sd_notify(0, "STOPPING=1");
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check", no_argument, NULL, 'k' },
		{ "release", no_argument, NULL, 'r' },
		{ "user-cgroup", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{}
	};
	struct sess s = { .inotify_fd = -1 };
	const char *user_cgroup = NULL;
	bool check = false, release = false;
	sigset_t mask;
	int c, ret;

	while ((c = getopt_long(argc, argv, "c:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			s.conf_file = optarg;
			break;
		case 'k':
			check = true;
			break;
		case 'r':
			release = true;
			break;
		case 'u':
			user_cgroup = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf(SESS_PROG " %s\n", PACKAGE_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	to_journal = stderr_is_journal();
	if (load_conf(s.conf_file, &s.conf))
		return 1;
	if (check) {
		printf("BackgroundDelaySec=%llums FreezeAll=%s, %zu listed, %zu exempt\n",
		       (unsigned long long)s.conf->delay_us / 1000,
		       s.conf->freeze_all ? "yes" : "no", s.conf->apps.n,
		       s.conf->exempt.n);
		sess_conf_free(s.conf);
		return 0;
	}
	/* sd-event takes these as events: they must not be delivered. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);

	ret = run(&s, user_cgroup, release);
	/* Whatever brought us here, nothing stays frozen behind us. */
	sess_apps_release(&s);
	sess_wl_fini(&s);
	sess_units_fini(&s);
	sess_bus_fini(&s);
	sess_apps_free(&s);
	sess_rules_fini(&s);
	sess_kernel_close(&s);
	sess_kernel_protect(&s, 0, NULL);
	sess_kernel_protect(&s, 1, NULL);
	sd_event_source_unref(s.timer);
	sd_event_unref(s.event);
	sess_conf_free(s.conf);
	if (ret < 0)
		sess_log(LOG_ERR, NULL, "stopping: %s", strerror(-ret));
	return ret < 0 ? 1 : 0;
}
