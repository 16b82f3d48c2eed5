// SPDX-License-Identifier: GPL-2.0
/*
 * voipwaked: voipwake's policy daemon. Which apps may be woken, how often
 * (the wake budget), and relaunching the apps it starts when they crash.
 * The module does the freezing and waking with or without it; this only
 * adds policy, and rebuilds its view from the kernel whenever it starts.
 *
 * One thread, one epoll loop: a signalfd (SIGHUP reloads, SIGTERM and
 * SIGINT stop, SIGCHLD reaps) and a timerfd tick that reads the kernel's
 * dump and acts on it.
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
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

#include <libkmod.h>
#include <systemd/sd-daemon.h>

#include "vwd.h"

/* journald reads "<N>" at the start of a line as its priority. */
void vwd_log(int prio, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "<%d>" VWD_PROG ": %s\n", prio, buf);
}

uint64_t vwd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " VWD_PROG " [-c DIR] [--check]\n"
		"  -c, --config DIR  configuration directory (default " VW_CONF_DIR ")\n"
		"  --check           read the configuration, report, and exit\n"
		"  -h, --help        this help\n"
		"  -V, --version     print the version\n"
		"\n"
		"Signals: SIGHUP reloads the configuration (a bad one is refused\n"
		"and the running policy stays); SIGTERM stops. See voipwaked(8).\n");
}

/* The module must be there: ask libkmod, as modprobe would. */
static int load_module(void)
{
	struct kmod_module *mod = NULL;
	struct kmod_ctx *ctx;
	int ret;

	ctx = kmod_new(NULL, NULL);
	if (!ctx)
		return -ENOMEM;
	ret = kmod_module_new_from_name(ctx, "voipwake", &mod);
	if (!ret)
		ret = kmod_module_probe_insert_module(mod, 0, NULL, NULL, NULL,
						      NULL);
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return ret > 0 ? -ENOENT : ret;
}

static int connect_module(struct vwd *d)
{
	int ret = vw_open(&d->c);

	if (ret != -ENOENT || !d->conf->load_module)
		goto out;
	ret = load_module();
	if (ret) {
		vwd_log(LOG_ERR, "cannot load the voipwake module: %s",
			strerror(-ret));
		return ret;
	}
	vwd_log(LOG_NOTICE, "loaded the voipwake module");
	ret = vw_open(&d->c);
out:
	if (ret)
		vwd_log(LOG_ERR, "cannot connect to the voipwake module: %s (%s)",
			vw_last_error(NULL) ?: "", strerror(-ret));
	return ret;
}

static int reload(struct vwd *d)
{
	struct vw_conf *conf;
	char err[1024];
	int ret;

	ret = vw_conf_load(d->confdir, &conf, err, sizeof(err));
	if (ret) {
		vwd_log(LOG_ERR, "configuration refused, the running one stays: %s",
			err);
		return ret;
	}
	ret = vwd_apps_set_conf(d, conf);
	if (ret) {
		vw_conf_free(conf);
		return ret;
	}
	vwd_log(LOG_INFO, "configuration: %zu app(s) from %s", d->napps,
		d->confdir);
	return 0;
}

static int handle_signals(struct vwd *d, int sfd)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGHUP:
			sd_notify(0, "RELOADING=1");
			reload(d);
			vwd_apps_tick(d);
			sd_notify(0, "READY=1");
			break;
		case SIGCHLD:
			vwd_launch_reap(d);
			break;
		default:
			d->stopping = true;
			break;
		}
	}
	return 0;
}

static int setup_fds(int *sfd, int *tfd, int *efd)
{
	struct itimerspec its = {
		.it_interval = { VWD_TICK_MS / 1000, 0 },
		.it_value = { VWD_TICK_MS / 1000, 0 },
	};
	struct epoll_event ev = { .events = EPOLLIN };
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &mask, NULL))
		return -errno;
	*sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	*tfd = timerfd_create(CLOCK_BOOTTIME, TFD_NONBLOCK | TFD_CLOEXEC);
	*efd = epoll_create1(EPOLL_CLOEXEC);
	if (*sfd < 0 || *tfd < 0 || *efd < 0 ||
	    timerfd_settime(*tfd, 0, &its, NULL))
		return -errno;
	ev.data.fd = *sfd;
	if (epoll_ctl(*efd, EPOLL_CTL_ADD, *sfd, &ev))
		return -errno;
	ev.data.fd = *tfd;
	if (epoll_ctl(*efd, EPOLL_CTL_ADD, *tfd, &ev))
		return -errno;
	return 0;
}

static int run(struct vwd *d)
{
	struct epoll_event ev[4];
	int sfd = -1, tfd = -1, efd = -1, n, i, ret;
	uint64_t ticks;

	ret = setup_fds(&sfd, &tfd, &efd);
	if (ret) {
		vwd_log(LOG_ERR, "cannot set up signals and timers: %s",
			strerror(-ret));
		return ret;
	}
	/* What it launched and outlived it comes back to it, to be reaped. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	vwd_apps_tick(d);
	sd_notifyf(0, "READY=1\nSTATUS=%zu app(s) configured", d->napps);
	vwd_log(LOG_INFO, "ready");
	while (!d->stopping) {
		n = epoll_wait(efd, ev, 4, -1);
		if (n < 0 && errno != EINTR) {
			ret = -errno;
			break;
		}
		for (i = 0; i < n; i++) {
			if (ev[i].data.fd == sfd)
				handle_signals(d, sfd);
			else if (read(tfd, &ticks, sizeof(ticks)) > 0)
				vwd_apps_tick(d);
		}
	}
	sd_notify(0, "STOPPING=1");
	vwd_log(LOG_INFO, "stopping");
	vwd_apps_stop(d);
	close(efd);
	close(tfd);
	close(sfd);
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
	struct vwd d = { .confdir = VW_CONF_DIR };
	bool check = false;
	struct vw_conf *conf;
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
			printf(VWD_PROG " %s (libvoipwake %s)\n", VW_VERSION,
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
	ret = vw_conf_load(d.confdir, &conf, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "<%d>" VWD_PROG ": %s\n", LOG_ERR, err);
		return 1;
	}
	if (check) {
		printf("%s: %zu app(s), configuration is valid\n", d.confdir,
		       conf->napps);
		vw_conf_free(conf);
		return 0;
	}
	d.conf = conf;
	ret = connect_module(&d);
	if (!ret)
		ret = vwd_apps_set_conf(&d, conf);
	if (!ret)
		vwd_log(LOG_INFO, "configuration: %zu app(s) from %s",
			d.napps, d.confdir);
	if (ret) {
		vw_conf_free(conf);
		vw_close(d.c);
		return 1;
	}
	ret = run(&d);
	vwd_apps_free(&d);
	vw_conf_free(d.conf);
	vw_close(d.c);
	return ret ? 1 : 0;
}
