// SPDX-License-Identifier: GPL-2.0
/*
 * Event storm: wakes at a rising offered rate, each delivered to two
 * listeners: the app's own event socket (the libvoipwake client that
 * marked the sockets: it reads each wake, drains the socket and says
 * done, as an app would) and an admin listener (another process,
 * subscribed to the admin multicast group, counting). 64 apps, each an
 * empty cgroup with one marked UDP socket, so a freeze costs nothing and
 * the rate is bounded by voipwake's own path and its events.
 *
 * For each offered rate: wakes that happened (the module's counters),
 * wake events each listener received, losses the kernel reported
 * (ENOBUFS) and the resync events libvoipwake made up for them, and the
 * CPU the guest spent (/proc/stat, both vCPUs, everything: the generator
 * and the listeners included). Then one more step at the highest rate
 * with the admin listener stalled, so that its socket overflows: the
 * loss must be reported (ENOBUFS) and resynchronised (VW_EVENT_RESYNC
 * for every app), never silent.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <voipwake.h>

#include "bench.h"

#define APPS	64

struct counts {
	uint64_t woken, resync, enobufs, events;
	double cpu_s;		/* the listener's own CPU time */
};

struct storm {
	struct vw_client *c;
	int app[APPS], peer[APPS], cgfd[APPS];
	uint64_t id[APPS];
	int inflight[APPS];
	int busy;
	struct counts own;
	int done_errors;
};

static double rusage_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void count_event(const struct vw_event *ev, void *arg)
{
	struct counts *n = arg;

	n->events++;
	if (ev->type == VOIPWAKE_CMD_APP_WOKEN_NTF)
		n->woken++;
	else if (ev->type == VW_EVENT_RESYNC)
		n->resync++;
}

static void admin_main(int ctl)
{
	struct counts n = { 0 };
	struct vw_client *c;
	struct pollfd p[2];
	char cmd;
	int k;

	if (vw_open(&c) || vw_subscribe_admin(c))
		dief("admin listener");
	vw_set_event_handler(c, count_event, &n);
	if (write(ctl, "r", 1) != 1)
		_exit(1);
	p[0] = (struct pollfd){ .fd = vw_fd(c), .events = POLLIN };
	p[1] = (struct pollfd){ .fd = ctl, .events = POLLIN };
	for (;;) {
		if (poll(p, 2, -1) < 0)
			continue;
		if (p[0].revents && vw_dispatch(c) == -ENOBUFS)
			n.enobufs++;
		if (!p[1].revents)
			continue;
		if (read(ctl, &cmd, 1) != 1 || cmd == 'q')
			_exit(0);
		/* Stall, or go on reading events. */
		if (cmd == 'p' || cmd == 'g') {
			p[0].events = cmd == 'g' ? POLLIN : 0;
			continue;
		}
		/* Counts of everything sent so far: read the socket dry. */
		while ((k = vw_dispatch(c)) > 0 || k == -ENOBUFS)
			if (k == -ENOBUFS)
				n.enobufs++;
		n.cpu_s = rusage_s();
		if (write(ctl, &n, sizeof(n)) != sizeof(n))
			_exit(1);
	}
}

static int app_of(struct storm *st, uint64_t id)
{
	int i;

	for (i = 0; i < APPS; i++)
		if (st->id[i] == id)
			return i;
	return -1;
}

static void drain(int fd)
{
	char buf[64];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		;
}

static void own_event(const struct vw_event *ev, void *arg)
{
	struct storm *st = arg;
	int i = app_of(st, ev->app.cgroup_id);

	count_event(ev, &st->own);
	if (i < 0 || (ev->type != VOIPWAKE_CMD_APP_WOKEN_NTF &&
		      ev->type != VW_EVENT_RESYNC))
		return;
	drain(st->app[i]);
	if (ev->type == VOIPWAKE_CMD_APP_WOKEN_NTF ||
	    ev->app.state == VOIPWAKE_APP_STATE_AWAKE)
		if (vw_wake_done_app(st->c, st->cgfd[i]))
			st->done_errors++;
	if (st->inflight[i]) {
		st->inflight[i] = 0;
		st->busy--;
	}
}

static void udp_pair(int *a, int *b)
{
	struct sockaddr_in x = { .sin_family = AF_INET }, y = x;
	socklen_t len = sizeof(x);

	x.sin_addr.s_addr = y.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	*a = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	*b = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (*a < 0 || *b < 0 || bind(*a, (void *)&x, sizeof(x)) ||
	    bind(*b, (void *)&y, sizeof(y)) ||
	    getsockname(*a, (void *)&x, &len) ||
	    getsockname(*b, (void *)&y, &len) ||
	    connect(*a, (void *)&y, sizeof(y)) ||
	    connect(*b, (void *)&x, sizeof(x)))
		die("udp pair");
}

static uint64_t wakes(struct storm *st)
{
	struct vw_app_info a = { .size = sizeof(a) };
	uint64_t sum = 0;
	int i;

	for (i = 0; i < APPS; i++) {
		if (vw_app_get(st->c, st->cgfd[i], &a))
			dief("storm APP_GET");
		sum += a.wakes_data;
	}
	return sum;
}

/* Busy and total jiffies of the whole guest. */
static void cpu_jiffies(uint64_t *busy, uint64_t *total)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "r");
	int i;

	if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
			 &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
			 &v[7]) != 8)
		die("/proc/stat");
	fclose(f);
	for (*total = 0, i = 0; i < 8; i++)
		*total += v[i];
	*busy = *total - v[3] - v[4];
}

static struct counts admin_counts(int ctl)
{
	struct counts n;

	if (write(ctl, "s", 1) != 1 ||
	    read(ctl, &n, sizeof(n)) != sizeof(n))
		dief("admin listener gone");
	return n;
}

static void pump(struct storm *st, int timeout_ms)
{
	struct pollfd p = { .fd = vw_fd(st->c), .events = POLLIN };

	if (poll(&p, 1, timeout_ms) == 1 && vw_dispatch(st->c) == -ENOBUFS)
		st->own.enobufs++;
}

struct step {
	double offered, delivered, cpu_pct, cpu_us;
	int64_t lost_own, lost_admin;
	uint64_t admin_enobufs, admin_resync;
	int ok;
};

static struct step run_step(struct storm *st, int ctl, int rate, int ms,
			    int stall)
{
	uint64_t w0 = wakes(st), b0, t0, b1, t1, now, next, end, happened;
	struct counts a0 = admin_counts(ctl), a1, o0 = st->own;
	uint64_t interval = rate ? 1000000000ULL / rate : 0;
	struct step r = { .offered = rate };
	int rr = 0, i, wait;

	if (stall && write(ctl, "p", 1) != 1)
		dief("admin listener gone");
	cpu_jiffies(&b0, &t0);
	now = next = mono_ns();
	end = now + ms * 1000000ULL;
	while ((now = mono_ns()) < end) {
		while (now >= next && st->busy < APPS) {
			for (i = 0; i < APPS && st->inflight[rr]; i++)
				rr = (rr + 1) % APPS;
			if (send(st->peer[rr], "x", 1, 0) != 1)
				die("storm send");
			st->inflight[rr] = 1;
			st->busy++;
			next = rate ? next + interval : now;
		}
		/* An offered rate the apps cannot take is not queued up. */
		if (rate && now > next + 100000000ULL)
			next = now;
		wait = rate ? (int)((next > now ? next - now : 0) / 1000000) : 10;
		pump(st, st->busy == APPS ? 10 : wait);
	}
	for (i = 0; st->busy && i < 300; i++)
		pump(st, 10);
	cpu_jiffies(&b1, &t1);
	if (stall && write(ctl, "g", 1) != 1)
		dief("admin listener gone");
	usleep(stall ? 1000000 : 200000);
	pump(st, 0);
	a1 = admin_counts(ctl);
	happened = wakes(st) - w0;
	r.delivered = happened / (ms / 1000.0);
	r.cpu_pct = 100.0 * (b1 - b0) / (t1 - t0);
	r.cpu_us = happened ? (b1 - b0) * 1e6 / sysconf(_SC_CLK_TCK) / happened : 0;
	r.lost_own = happened - (st->own.woken - o0.woken);
	r.lost_admin = happened - (a1.woken - a0.woken);
	r.admin_enobufs = a1.enobufs - a0.enobufs;
	r.admin_resync = a1.resync - a0.resync;
	note("storm %soffered %s%d/s: %llu wakes (%.0f/s), app socket got %llu (resync %llu, ENOBUFS %llu), admin got %llu (resync %llu, ENOBUFS %llu), stuck %d, guest CPU %.0f%% = %.0f us/wake, admin listener %.1f us/event",
	     stall ? "(admin listener stalled) " : "",
	     rate ? "" : "unlimited ", rate, (unsigned long long)happened,
	     r.delivered, (unsigned long long)(st->own.woken - o0.woken),
	     (unsigned long long)(st->own.resync - o0.resync),
	     (unsigned long long)(st->own.enobufs - o0.enobufs),
	     (unsigned long long)(a1.woken - a0.woken),
	     (unsigned long long)(a1.resync - a0.resync),
	     (unsigned long long)(a1.enobufs - a0.enobufs), st->busy,
	     r.cpu_pct, r.cpu_us,
	     a1.events > a0.events ? (a1.cpu_s - a0.cpu_s) * 1e6 /
	     (a1.events - a0.events) : 0);
	r.ok = !r.lost_own && !r.lost_admin && !st->busy;
	/* A loss that was reported and resynchronised is not silent. */
	if (r.lost_own > 0 && st->own.enobufs == o0.enobufs)
		note("storm: %lld wake events lost at the app socket WITHOUT an ENOBUFS",
		     (long long)r.lost_own);
	if (r.lost_admin > 0 && a1.enobufs == a0.enobufs)
		note("storm: %lld wake events lost at the admin listener WITHOUT an ENOBUFS",
		     (long long)r.lost_admin);
	return r;
}

void bench_storm(const struct bench_opts *o)
{
	static const int full[] = { 250, 500, 1000, 2000, 4000, 8000, 0 };
	static const int fast[] = { 500, 0 };
	const int *rates = o->fast ? fast : full;
	int nrates = o->fast ? 2 : 7, ms = o->fast ? 1000 : 2000;
	struct storm *st = calloc(1, sizeof(*st));
	struct step r, best = { 0 }, top = { 0 };
	int i, sp[2], err;
	char name[64], c;
	pid_t admin;

	if (!st)
		die("calloc");
	if (vw_open(&st->c))
		dief("vw_open");
	for (i = 0; i < APPS; i++) {
		snprintf(name, sizeof(name), "vwb-storm/s%02d", i);
		cg_make(name);
		cg_join(name);
		udp_pair(&st->app[i], &st->peer[i]);
		cg_join("vwb-ctl");
		st->cgfd[i] = cg_open(name);
		st->id[i] = cg_id(name);
		err = vw_mark_socket(st->c, st->app[i], 0, NULL);
		if (!err)
			err = vw_app_set_state(st->c, st->cgfd[i],
					       VOIPWAKE_APP_STATE_BACKGROUND);
		if (err)
			dief("storm app %d: %s", i, strerror(-err));
	}
	vw_set_event_handler(st->c, own_event, st);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp))
		die("socketpair");
	admin = fork();
	if (admin < 0)
		die("fork");
	if (!admin) {
		close(sp[0]);
		admin_main(sp[1]);
	}
	close(sp[1]);
	if (read(sp[0], &c, 1) != 1)
		dief("admin listener did not start");
	pump(st, 100);

	for (i = 0; i < nrates; i++) {
		r = run_step(st, sp[0], rates[i], ms, 0);
		if (r.ok && r.delivered > best.delivered)
			best = r;
		if (r.delivered > top.delivered)
			top = r;
	}
	/* Long enough to overflow it: ~1,000 events fill its socket. */
	r = run_step(st, sp[0], 0, 3 * ms, 1);
	report_value("storm", "highest wake rate, none lost (both listeners)",
		     "wakes/s", best.delivered, NULL, -1);
	report_value("storm", "  guest CPU at that rate", "%", best.cpu_pct,
		     NULL, -1);
	report_value("storm", "  guest CPU per wake at that rate", "us",
		     best.cpu_us, NULL, -1);
	report_value("storm", "highest wake rate reached", "wakes/s",
		     top.delivered, NULL, -1);
	report_value("storm", "  events lost there (app socket)", "events",
		     top.lost_own, NULL, -1);
	report_value("storm", "  events lost there (admin listener)", "events",
		     top.lost_admin, NULL, -1);
	report_value("storm", "stalled admin listener: wake events lost",
		     "events", r.lost_admin, NULL, -1);
	report_value("storm", "  losses reported to it (ENOBUFS)", "times",
		     r.admin_enobufs, NULL, -1);
	report_value("storm", "  resync events it got (64 apps)", "events",
		     r.admin_resync, "every app, if any loss",
		     r.lost_admin <= 0 ? -1 :
		     r.admin_enobufs && r.admin_resync >= APPS);
	if (st->done_errors)
		note("storm: %d dones refused", st->done_errors);

	if (write(sp[0], "q", 1) != 1)
		die("admin quit");
	waitpid(admin, NULL, 0);
	close(sp[0]);
	for (i = 0; i < APPS; i++) {
		vw_app_set_state(st->c, st->cgfd[i],
				 VOIPWAKE_APP_STATE_FOREGROUND);
		close(st->app[i]);
		close(st->peer[i]);
		close(st->cgfd[i]);
	}
	vw_close(st->c);
	free(st);
}
