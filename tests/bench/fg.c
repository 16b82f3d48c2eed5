// SPDX-License-Identifier: GPL-2.0
/*
 * Foreground overhead: what a marked socket of an app in the foreground
 * costs its traffic, and what the loaded module costs sockets it never
 * marked. Loopback TCP, one connection per trial:
 *
 *   bulk   one thread writes 64 KiB chunks for TRIAL_MS, the receiving
 *          end (the app's, the one marked) is read by another; MB/s
 *   rr     64-byte request, 64-byte response, ping-pong for TRIAL_MS
 *          against an echo thread on the app's end; transactions/s
 *
 * Conditions: module loaded and the app's end marked; loaded, unmarked;
 * not loaded. Each round runs every (test, condition) trial in a random
 * order within the loaded part, then unloads the module for the others
 * and loads it again. Both ends run on CPU 0: what is measured is the
 * work per byte and per transaction, not how fast TCG gets the other
 * vCPU going (which swings with the host's load far more than any hook
 * could). The trials are short and many, and each ratio is
 * the median of the rounds' own ratios: trials of one round are a fraction
 * of a second apart, so a busy host slows both sides of a ratio alike,
 * where across rounds throughput swings several-fold under TCG.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <voipwake.h>

#include "bench.h"

#define TRIAL_MS	60
#define CHUNK		65536
#define RR_SIZE		64

enum { C_MARKED, C_UNMARKED, C_UNLOADED, C_MAX };
enum { T_BULK, T_RR, T_MAX };

static const char *const cond_name[C_MAX] = {
	"marked", "unmarked, module loaded", "unmarked, module not loaded",
};

struct peer_arg {
	int fd;
	uint64_t bytes;
};

static void *sink(void *p)
{
	static __thread char buf[CHUNK];
	struct peer_arg *a = p;
	ssize_t n;

	while ((n = recv(a->fd, buf, sizeof(buf), 0)) > 0)
		a->bytes += n;
	return NULL;
}

static void *echo(void *p)
{
	struct peer_arg *a = p;
	char buf[RR_SIZE];

	while (recv(a->fd, buf, sizeof(buf), MSG_WAITALL) == sizeof(buf))
		if (send(a->fd, buf, sizeof(buf), 0) != sizeof(buf))
			break;
	return NULL;
}

static double trial(struct vw_client *c, int test)
{
	static char buf[CHUNK];
	struct peer_arg a = { 0 };
	uint64_t t0, end, count = 0;
	pthread_t th;
	int cl, sv, err;
	double v;

	tcp_pair(&cl, &sv);
	if (c) {
		err = vw_mark_socket(c, sv, 0, NULL);
		if (err)
			dief("fg mark: %s", strerror(-err));
	}
	a.fd = sv;
	if (pthread_create(&th, NULL, test == T_BULK ? sink : echo, &a))
		dief("pthread_create");
	t0 = mono_ns();
	end = t0 + TRIAL_MS * 1000000ULL;
	if (test == T_BULK) {
		while (mono_ns() < end)
			if (send(cl, buf, sizeof(buf), 0) < 0)
				die("bulk send");
		shutdown(cl, SHUT_WR);
		pthread_join(th, NULL);
		v = a.bytes / ((mono_ns() - t0) / 1e9) / 1e6;
	} else {
		while (mono_ns() < end) {
			if (send(cl, buf, RR_SIZE, 0) != RR_SIZE ||
			    recv(cl, buf, RR_SIZE, MSG_WAITALL) != RR_SIZE)
				die("rr");
			count++;
		}
		v = count / ((mono_ns() - t0) / 1e9);
		shutdown(cl, SHUT_WR);
		pthread_join(th, NULL);
	}
	if (c && vw_unmark_socket(c, sv))
		dief("fg unmark");
	close(cl);
	close(sv);
	return v;
}

/* Round by round: the cost of the mark, the cost of the module. */
static void ratios(const char *what, struct series *s)
{
	struct series mark = { 0 }, mod = { 0 };
	char name[96];
	size_t r;

	for (r = 0; r < s[C_MARKED].n; r++) {
		/* Throughputs: unmarked over marked is the cost of the mark. */
		series_add(&mark, s[C_UNMARKED].v[r] / s[C_MARKED].v[r]);
		series_add(&mod, s[C_UNLOADED].v[r] / s[C_UNMARKED].v[r]);
	}
	snprintf(name, sizeof(name), "%s: unmarked / marked", what);
	report_ratio_ci("fg", name, &mark, NULL, "<= 1.02", 1.02);
	snprintf(name, sizeof(name), "%s: not loaded / loaded (unmarked)",
		 what);
	report_ratio_ci("fg", name, &mod, NULL, "1 inside the interval", -1);
	series_free(&mark);
	series_free(&mod);
}

void bench_fg(const struct bench_opts *o)
{
	struct series s[T_MAX][C_MAX] = { 0 };
	int rounds = o->fast ? 5 : 60, r, k, t, c, order[4];
	cpu_set_t one;
	struct vw_client *vc;
	char name[96];

	/* Threads created from here on inherit it. */
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	if (sched_setaffinity(0, sizeof(one), &one))
		die("sched_setaffinity");
	for (r = 0; r < rounds; r++) {
		if (vw_open(&vc))
			dief("vw_open");
		for (k = 0; k < 4; k++)
			order[k] = k;
		shuffle(order, 4);
		for (k = 0; k < 4; k++) {
			t = order[k] / 2;
			c = order[k] % 2;
			series_add(&s[t][c], trial(c == C_MARKED ? vc : NULL, t));
		}
		vw_close(vc);
		module_unload();
		order[0] = rnd() & 1;
		for (k = 0; k < 2; k++) {
			t = order[0] ^ k;
			series_add(&s[t][C_UNLOADED], trial(NULL, t));
		}
		module_load(o->ko, o->params);
	}
	for (c = 0; c < C_MAX; c++) {
		snprintf(name, sizeof(name), "bulk TCP, %s", cond_name[c]);
		report_series("fg", name, "MB/s", &s[T_BULK][c]);
	}
	for (c = 0; c < C_MAX; c++) {
		snprintf(name, sizeof(name), "64 B req/resp, %s", cond_name[c]);
		report_series("fg", name, "trans/s", &s[T_RR][c]);
	}
	ratios("bulk", s[T_BULK]);
	ratios("req/resp", s[T_RR]);
	for (t = 0; t < T_MAX; t++)
		for (c = 0; c < C_MAX; c++)
			series_free(&s[t][c]);
}
