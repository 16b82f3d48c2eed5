// SPDX-License-Identifier: GPL-2.0
/*
 * voipwaked: voipwake's policy daemon. Which apps may be woken, how often
 * (the wake budget), and relaunching the apps it starts when they crash.
 * The module does the freezing and waking with or without it; this only
 * adds policy, and rebuilds its view from the kernel whenever it starts.
 *
 * One thread, one sd-event loop, woken only by something happening: the
 * module's admin events, its uevents, D-Bus calls and systemd's
 * signals about the units it started, SIGHUP (reload) and SIGTERM
 * (stop), and one-shot timers that are armed only while something is
 * pending (a throttle to lift, a relaunch, a starting app to
 * background). With nothing happening, it does not wake at all, but for
 * systemd's watchdog (WatchdogSec=, see voipwaked.service).
 */

#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-daemon.h>

#include "vwd.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " VWD_PROG " [-c DIR] [--check]\n"
		"  -c, --config DIR  configuration directory (default " CONF_DIR ")\n"
		"  --check           read the configuration, report, and exit\n"
		"  -h, --help        this help\n"
		"  -V, --version     print the version\n"
		"\n"
		"Signals: SIGHUP reloads the configuration (a bad one is refused\n"
		"and the running policy stays); SIGTERM stops. D-Bus: "
		VWD_BUS_NAME ".\nSee voipwaked(8).\n");
}

/* Rules left out of a configuration otherwise in force: each said once. */
static void conf_warnings(const struct conf *conf)
{
	size_t i;

	for (i = 0; i < conf->nwarnings; i++)
		vwd_log(LOG_WARNING, "%s", conf->warnings[i]);
}

static int reload(struct vwd *d)
{
	struct conf *conf;
	char err[1024];
	int ret;

	ret = conf_load(d->confdir, &conf, err, sizeof(err));
	if (ret) {
		vwd_log(LOG_ERR, "configuration refused, the running one stays: %s",
			err);
		return ret;
	}
	conf_warnings(conf);
	ret = vwd_apps_set_conf(d, conf);
	if (ret) {
		conf_free(conf);
		return ret;
	}
	vwd_log(LOG_INFO, "configuration: %zu app(s) from %s", d->napps,
		d->confdir);
	if (d->bus)
		sd_bus_emit_properties_changed(d->bus, VWD_BUS_PATH,
					       VWD_BUS_IFACE, "UnlistedApps",
					       NULL);
	return 0;
}

static int on_hup(sd_event_source *s, const struct signalfd_siginfo *si,
		  void *arg)
{
	struct vwd *d = arg;

	(void)s;
	(void)si;
	sd_notify(0, "RELOADING=1");
	reload(d);
	sd_notifyf(0, "READY=1\nSTATUS=%zu app(s) configured", d->napps);
	return 0;
}

static int on_term(sd_event_source *s, const struct signalfd_siginfo *si,
		   void *arg)
{
	struct vwd *d = arg;

	(void)si;
	d->stopping = true;
	return sd_event_exit(sd_event_source_get_event(s), 0);
}

static int setup(struct vwd *d)
{
	sigset_t mask;
	int ret;

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL))
		return -errno;
	ret = sd_event_default(&d->ev);
	if (ret >= 0)
		ret = sd_event_add_signal(d->ev, NULL, SIGHUP, on_hup, d);
	if (ret >= 0)
		ret = sd_event_add_signal(d->ev, NULL, SIGTERM, on_term, d);
	if (ret >= 0)
		ret = sd_event_add_signal(d->ev, NULL, SIGINT, on_term, d);
	/* WATCHDOG=1 at half of WatchdogSec=, when systemd asks for it. */
	if (ret >= 0)
		ret = sd_event_set_watchdog(d->ev, true);
	return ret < 0 ? ret : 0;
}

static int run(struct vwd *d)
{
	int ret;

	ret = setup(d);
	if (ret) {
		vwd_log(LOG_ERR, "cannot set up the event loop: %s",
			strerror(-ret));
		return ret;
	}
	/*
	 * D-Bus is how it is asked and how it starts apps; without a
	 * system bus (a minimal system) it still applies the policy.
	 */
	if (vwd_bus_start(d) >= 0)
		vwd_launch_init(d);
	ret = vwd_apps_set_conf(d, d->conf);
	if (ret) {
		vwd_log(LOG_ERR, "cannot set up the apps: %s", strerror(-ret));
		return ret;
	}
	vwd_log(LOG_INFO, "configuration: %zu app(s) from %s", d->napps,
		d->confdir);
	vwd_kernel_start(d);
	sd_notifyf(0, "READY=1\nSTATUS=%zu app(s) configured", d->napps);
	vwd_log(LOG_INFO, "ready");
	ret = sd_event_loop(d->ev);
	sd_notify(0, "STOPPING=1");
	vwd_log(LOG_INFO, "stopping");
	vwd_apps_stop(d);
	vwd_kernel_stop(d);
	return ret;
}

int main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct vwd d = { .confdir = CONF_DIR };
	bool check = false;
	struct conf *conf;
	char err[1024];
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "c:hV", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			if (strlen(optarg) >= sizeof(d.confdir)) {
				fprintf(stderr, VWD_PROG ": -c: directory name too long\n");
				return 2;
			}
			strcpy(d.confdir, optarg);
			break;
		case 'k':
			check = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf(VWD_PROG " %s (libvoipwake %s)\n", PACKAGE_VERSION,
			       vw_library_version());
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, VWD_PROG ": unexpected argument '%s'\n",
			argv[optind]);
		usage(stderr);
		return 2;
	}
	vwd_log_init();
	ret = conf_load(d.confdir, &conf, err, sizeof(err));
	if (ret) {
		vwd_log(LOG_ERR, "%s", err);
		return 1;
	}
	conf_warnings(conf);
	if (check) {
		printf("%s: %zu app(s), configuration is valid\n", d.confdir,
		       conf->napps);
		conf_free(conf);
		return 0;
	}
	d.conf = conf;
	ret = run(&d);
	vwd_apps_free(&d);
	conf_free(d.conf);
	sd_bus_flush_close_unref(d.bus);
	sd_event_unref(d.ev);
	return ret ? 1 : 0;
}
