// SPDX-License-Identifier: GPL-2.0
/*
 * Scale: 10,000 marked sockets across 1,000 apps. The wake figure's app
 * is one of them, with its one socket as when it is alone (so what is
 * measured is the others' weight, not this app's own socket count); 999
 * more apps are empty cgroups whose sockets (10 each, 11 for the first 9)
 * this process created while it sat in them (a socket belongs to the
 * cgroup that created it), marked from here and put in the background.
 *
 * Kernel memory is read from this process's memory cgroup: the module
 * allocates apps and marks with __GFP_ACCOUNT in the context of the
 * netlink request, i.e. charged to whoever marks (us), and memory.stat's
 * "slab" counts exactly those bytes (object size as the slab rounds it,
 * plus its memcg pointer), the freezer file the module opens per app
 * included. The sockets themselves were created, and charged, elsewhere
 * before the first reading. /proc/slabinfo (every cache, everyone's
 * allocations) is printed beside it as a cross-check that misses nothing
 * unaccounted, at the price of noise.
 *
 * Then: a full dump of apps and of sockets, timed; and the wake latency
 * of the one app with all of this in place, against the same app alone,
 * in alternating epochs (all others unmarked in between).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <voipwake.h>

#include "bench.h"

#define APPS		1000
#define PER_APP		10
#define SOCKS		(APPS * PER_APP)

struct scale {
	struct vw_client *c;
	int cgfd[APPS];		/* [0]: the wake figure's app */
	int fd[APPS][PER_APP + 1];
};

/* Sockets this process holds for app @i: none for the wake figure's. */
static int nsock(int i)
{
	return !i ? 0 : i < PER_APP ? PER_APP + 1 : PER_APP;
}

static long long memcg_slab(void)
{
	char line[256];
	long long v = -1;
	FILE *f = fopen(CG_ROOT "/vwb-ctl/memory.stat", "r");

	if (!f)
		die("vwb-ctl/memory.stat");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "slab %lld", &v) == 1)
			break;
	fclose(f);
	if (v < 0)
		dief("no slab in memory.stat");
	return v;
}

static long long slabinfo_bytes(void)
{
	char line[512], name[64];
	long long total = 0, active, num, size;
	FILE *f = fopen("/proc/slabinfo", "r");

	if (!f)
		die("/proc/slabinfo");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %lld %lld %lld", name, &active, &num,
			   &size) == 4)
			total += active * size;
	fclose(f);
	return total;
}

struct mem {
	long long memcg, slabinfo;
};

static struct mem mem_now(void)
{
	/* The memcg flushes its per-cpu counters every 2 s. */
	sleep(3);
	return (struct mem){ memcg_slab(), slabinfo_bytes() };
}

/*
 * The apps' events come to the client that marked their sockets. Read
 * (and drop) them often, as any client must: a netlink socket that
 * overflowed drops everything sent to it, replies included, until it has
 * been read empty, and reports only the first loss.
 */
static void drain_events(struct scale *sc)
{
	int n;

	do
		n = vw_dispatch(sc->c);
	while (n > 0 || n == -ENOBUFS);
}

static void mark(struct scale *sc, int app, int from, int to)
{
	int k, err;

	drain_events(sc);
	for (k = from; k < to; k++) {
		err = vw_mark_socket(sc->c, sc->fd[app][k], 0, NULL);
		if (err)
			dief("scale mark app %d sock %d: %s (%s)", app, k,
			     strerror(-err), vw_last_error(sc->c) ?: "");
	}
}

static void set_all(struct scale *sc, enum voipwake_app_state st)
{
	int i, err;

	for (i = 1; i < APPS; i++) {
		if (!(i % 32))
			drain_events(sc);
		err = vw_app_set_state(sc->c, sc->cgfd[i], st);
		if (err)
			dief("scale APP_SET %d: %s", i, strerror(-err));
	}
}

static void populate(struct scale *sc)
{
	int i;

	progress("populate: mark");
	for (i = 1; i < APPS; i++)
		mark(sc, i, 0, nsock(i));
	progress("populate: background");
	set_all(sc, VOIPWAKE_APP_STATE_BACKGROUND);
	progress("populate: done");
}

static void depopulate(struct scale *sc)
{
	int i, k;

	progress("depopulate: foreground");
	set_all(sc, VOIPWAKE_APP_STATE_FOREGROUND);
	progress("depopulate: unmark");
	for (i = 1; i < APPS; i++) {
		drain_events(sc);
		for (k = 0; k < nsock(i); k++)
			if (vw_unmark_socket(sc->c, sc->fd[i][k]))
				dief("scale unmark");
	}
	progress("depopulate: done");
}

static int count_app(const struct vw_app_info *a, void *arg)
{
	(void)a;
	++*(int *)arg;
	return 0;
}

static int count_sock(const struct vw_sock_info *s, void *arg)
{
	(void)s;
	++*(int *)arg;
	return 0;
}

static void dumps(const struct bench_opts *o)
{
	struct series sa = { 0 }, ss = { 0 };
	struct vw_client *c;
	int i, n, err;
	uint64_t t0;

	if (vw_open(&c))
		dief("vw_open");
	for (i = 0; i < (o->fast ? 5 : 20); i++) {
		n = 0;
		t0 = mono_ns();
		err = vw_app_dump(c, count_app, &n);
		series_add(&sa, (mono_ns() - t0) / 1e6);
		if (err || n < APPS)
			dief("app dump: %d, %d apps", err, n);
		n = 0;
		t0 = mono_ns();
		err = vw_sock_dump(c, count_sock, &n);
		series_add(&ss, (mono_ns() - t0) / 1e6);
		if (err || n != SOCKS)
			dief("sock dump: %d, %d sockets", err, n);
	}
	report_series("scale", "full dump, APP_GET (1,000 apps)", "ms", &sa);
	report_series("scale", "full dump, SOCK_GET (10,000 sockets)", "ms", &ss);
	series_free(&sa);
	series_free(&ss);
	vw_close(c);
}

void bench_scale(const struct bench_opts *o, struct wake_ctx *w)
{
	int epochs = o->fast ? 3 : 8, per = o->fast ? 10 : 40, i, k, e;
	struct series lat[2] = { 0 };
	struct scale *sc = calloc(1, sizeof(*sc));
	struct mem m0, m1, m2;
	double sock_b, app_b;
	char name[64];
	int ctl;

	if (!sc)
		die("calloc");
	ctl = open(CG_ROOT "/cgroup.subtree_control", O_WRONLY | O_CLOEXEC);
	if (ctl < 0)
		die("cgroup.subtree_control");
	cg_write(ctl, "+memory");
	close(ctl);
	if (vw_open(&sc->c))
		dief("vw_open");
	sc->cgfd[0] = w->cgfd;
	for (i = 1; i < APPS; i++) {
		snprintf(name, sizeof(name), "vwb-scale/a%03d", i);
		cg_make(name);
		cg_join(name);
		for (k = 0; k < nsock(i); k++) {
			sc->fd[i][k] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
			if (sc->fd[i][k] < 0)
				die("scale socket");
		}
		cg_join("vwb-ctl");
		sc->cgfd[i] = cg_open(name);
	}

	/* First every app's first mark, then the 9,000 others. */
	m0 = mem_now();
	for (i = 1; i < APPS; i++)
		mark(sc, i, 0, 1);
	m1 = mem_now();
	for (i = 1; i < APPS; i++)
		mark(sc, i, 1, nsock(i));
	m2 = mem_now();
	sock_b = (double)(m2.memcg - m1.memcg) / (SOCKS - APPS);
	app_b = (double)(m1.memcg - m0.memcg) / (APPS - 1) - sock_b;
	report_value("scale", "kernel memory per marked socket (memcg slab)",
		     "bytes", sock_b, "<= 256", sock_b <= 256);
	report_value("scale", "kernel memory per app (memcg slab)", "bytes",
		     app_b, NULL, -1);
	report_value("scale", "  cross-check: per socket (/proc/slabinfo)",
		     "bytes", (double)(m2.slabinfo - m1.slabinfo) /
		     (SOCKS - APPS), NULL, -1);
	report_value("scale", "  cross-check: per app (/proc/slabinfo)",
		     "bytes", (double)(m1.slabinfo - m0.slabinfo) / (APPS - 1) -
		     (double)(m2.slabinfo - m1.slabinfo) /
		     (SOCKS - APPS), NULL, -1);
	set_all(sc, VOIPWAKE_APP_STATE_BACKGROUND);
	dumps(o);

	/* Epochs: at scale (as now), alone, at scale, ... */
	for (e = 0; e < epochs; e++) {
		progress("scale epoch %d of %d", e + 1, epochs);
		if (e && e % 2)
			depopulate(sc);
		else if (e)
			populate(sc);
		/*
		 * Whatever either leaves behind (deferred frees, freezes
		 * settling) is not the steady state measured.
		 */
		sleep(2);
		for (k = 0; k < per; k++)
			series_add(&lat[e % 2], wake_sample_voipwake(w) / 1000);
	}
	if (epochs % 2)		/* the last epoch was at scale */
		depopulate(sc);
	report_series("scale", "wake latency, 1 app of 1,000 (10,000 socks)",
		      "us", &lat[0]);
	report_series("scale", "wake latency, the same app alone", "us",
		      &lat[1]);
	report_ratio_ci("scale", "wake at 10,000 sockets / alone (medians)",
			&lat[0], &lat[1], "<= 1.1", 1.1);
	report_ratio("scale", "wake at 10,000 sockets / alone (p10)",
		     series_pct(&lat[0], 10) / series_pct(&lat[1], 10), NULL,
		     -1);
	for (i = 1; i < APPS; i++) {
		for (k = 0; k < nsock(i); k++)
			close(sc->fd[i][k]);
		close(sc->cgfd[i]);
	}
	vw_close(sc->c);
	free(sc);
}
