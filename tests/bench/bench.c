// SPDX-License-Identifier: GPL-2.0
/*
 * vw-bench [--ko PATH] [--params P] [--samples N] [--fast] [FIGURE...]
 *
 * Runs in a guest as root (make bench boots it): loads voipwake.ko, runs
 * the figures (wake fg ctl scale storm idle; default all), each measuring all
 * its methods in this one run, interleaved, so that their ratios hold on
 * a noisy machine. Every result is a table line on stdout and a
 * "BENCH {json}" line that the host collects.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>
#include <arpa/inet.h>

#include "bench.h"

void series_add(struct series *s, double v)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v)
			die("realloc");
	}
	s->v[s->n++] = v;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Nearest rank: p99 of 200 samples is the 198th smallest. */
double series_pct(const struct series *s, double pct)
{
	double *c, v;
	size_t rank;

	if (!s->n)
		return NAN;
	c = malloc(s->n * sizeof(*c));
	if (!c)
		die("malloc");
	memcpy(c, s->v, s->n * sizeof(*c));
	qsort(c, s->n, sizeof(*c), cmp_double);
	rank = (size_t)ceil(pct / 100.0 * s->n);
	if (rank < 1)
		rank = 1;
	v = c[rank - 1];
	free(c);
	return v;
}

void series_free(struct series *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static void line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

void report_series(const char *fig, const char *name, const char *unit,
		   const struct series *s)
{
	double med = series_pct(s, 50), p99 = series_pct(s, 99);
	size_t i;

	line("%-6s %-50s %10.4g %10.4g %5zu  %s", fig, name, med, p99, s->n,
	     unit);
	/* Every sample too, in the order taken, for later comparisons. */
	printf("BENCH {\"figure\":\"%s\",\"name\":\"%s\",\"unit\":\"%s\",\"n\":%zu,\"median\":%.6g,\"p99\":%.6g,\"p10\":%.6g,\"samples\":[",
	       fig, name, unit, s->n, med, p99, series_pct(s, 10));
	for (i = 0; i < s->n; i++)
		printf("%s%.6g", i ? "," : "", s->v[i]);
	line("]}");
}

static const char *met_word(int met)
{
	return met < 0 ? "" : met ? " (met)" : " (MISSED)";
}

static const char *met_json(int met)
{
	return met < 0 ? "null" : met ? "true" : "false";
}

void report_value(const char *fig, const char *name, const char *unit,
		  double v, const char *target, int met)
{
	line("%-6s %-50s %10.4g %10s %5s  %s%s%s%s", fig, name, v, "", "",
	     unit, target ? ", target " : "", target ?: "", met_word(met));
	line("BENCH {\"figure\":\"%s\",\"name\":\"%s\",\"unit\":\"%s\",\"value\":%.6g,\"target\":\"%s\",\"met\":%s}",
	     fig, name, unit, v, target ?: "", met_json(met));
}

void report_ratio(const char *fig, const char *name, double v,
		  const char *target, int met)
{
	line("%-6s %-50s %10.3f %10s %5s  ratio%s%s%s", fig, name, v, "", "",
	     target ? ", target " : "", target ?: "", met_word(met));
	line("BENCH {\"figure\":\"%s\",\"name\":\"%s\",\"ratio\":%.6g,\"target\":\"%s\",\"met\":%s}",
	     fig, name, v, target ?: "", met_json(met));
}

/* Median of a resample of @s (with replacement), into @tmp. */
static double resample_median(const struct series *s, struct series *tmp)
{
	size_t i;

	tmp->n = 0;
	for (i = 0; i < s->n; i++)
		series_add(tmp, s->v[rnd() % s->n]);
	return series_pct(tmp, 50);
}

void report_ratio_ci(const char *fig, const char *name,
		     const struct series *a, const struct series *b,
		     const char *target, double max)
{
	struct series r = { 0 }, ta = { 0 }, tb = { 0 };
	double v = series_pct(a, 50) / (b ? series_pct(b, 50) : 1), lo, hi;
	const char *verdict = "";
	int i, met = -1;

	for (i = 0; i < 1000; i++)
		series_add(&r, resample_median(a, &ta) /
			       (b ? resample_median(b, &tb) : 1));
	lo = series_pct(&r, 2.5);
	hi = series_pct(&r, 97.5);
	/* A verdict only where the run's own noise allows one. */
	if (max > 0 && hi <= max) {
		met = 1;
		verdict = "met";
	} else if (max > 0 && lo > max) {
		met = 0;
		verdict = "MISSED";
	} else if (max > 0) {
		verdict = v <= max ? "met by the median, not beyond the noise" :
				     "missed by the median, not beyond the noise";
	} else if (max < 0) {
		met = lo <= 1 && 1 <= hi;
		verdict = met ? "no difference seen" : "a difference seen";
	}
	line("%-6s %-50s %10.3f %10s %5s  ratio [%.3f, %.3f]%s%s%s%s%s", fig,
	     name, v, "", "", lo, hi, target ? ", target " : "", target ?: "",
	     *verdict ? " (" : "", verdict, *verdict ? ")" : "");
	line("BENCH {\"figure\":\"%s\",\"name\":\"%s\",\"ratio\":%.6g,\"ci95\":[%.6g,%.6g],\"target\":\"%s\",\"met\":%s,\"verdict\":\"%s\"}",
	     fig, name, v, lo, hi, target ?: "", met_json(met), verdict);
	series_free(&r);
	series_free(&ta);
	series_free(&tb);
}

void note(const char *fmt, ...)
{
	va_list ap;

	fputs("#      ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

void progress(const char *fmt, ...)
{
	va_list ap;

	fputs("progress: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void die(const char *what)
{
	fprintf(stdout, "vw-bench: %s: %s\n", what, strerror(errno));
	fflush(stdout);
	exit(1);
}

void dief(const char *fmt, ...)
{
	va_list ap;

	fputs("vw-bench: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	exit(1);
}

uint64_t rnd(void)
{
	static uint64_t s = 0x9e3779b97f4a7c15ULL;

	s ^= s >> 12;
	s ^= s << 25;
	s ^= s >> 27;
	return s * 2685821657736338717ULL;
}

void shuffle(int *a, int n)
{
	int i, j, t;

	for (i = n - 1; i > 0; i--) {
		j = rnd() % (i + 1);
		t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
}

static void cg_path(char *buf, size_t len, const char *name, const char *file)
{
	if (snprintf(buf, len, "%s/%s%s%s", CG_ROOT, name, file ? "/" : "",
		     file ?: "") >= (int)len)
		dief("cgroup path too long: %s", name);
}

void cg_make(const char *name)
{
	char p[512], *s;

	cg_path(p, sizeof(p), name, NULL);
	for (s = p + strlen(CG_ROOT) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdir(p, 0755) && errno != EEXIST)
			die(p);
		*s = '/';
	}
	if (mkdir(p, 0755) && errno != EEXIST)
		die(p);
}

int cg_open(const char *name)
{
	char p[512];
	int fd;

	cg_path(p, sizeof(p), name, NULL);
	fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		die(p);
	return fd;
}

int cg_open_file(const char *name, const char *file, int flags)
{
	char p[512];
	int fd;

	cg_path(p, sizeof(p), name, file);
	fd = open(p, flags | O_CLOEXEC);
	if (fd < 0)
		die(p);
	return fd;
}

void cg_write(int fd, const char *s)
{
	if (pwrite(fd, s, strlen(s), 0) != (ssize_t)strlen(s))
		die("cgroup write");
}

void cg_join(const char *name)
{
	char pid[32];
	int fd = cg_open_file(name, "cgroup.procs", O_WRONLY);

	snprintf(pid, sizeof(pid), "%d", getpid());
	cg_write(fd, pid);
	close(fd);
}

/* cgroup.events raises POLLPRI when "frozen" changes. */
void cg_wait_frozen(int fd, int want)
{
	uint64_t end = mono_ns() + 10000000000ULL;
	struct pollfd p = { .fd = fd, .events = POLLPRI };
	char buf[256], *f;
	ssize_t n;

	for (;;) {
		n = pread(fd, buf, sizeof(buf) - 1, 0);
		if (n < 0)
			die("cgroup.events");
		buf[n] = '\0';
		f = strstr(buf, "frozen ");
		if (f && f[7] - '0' == want)
			return;
		if (mono_ns() > end)
			dief("cgroup not %s after 10 s",
			     want ? "frozen" : "thawed");
		poll(&p, 1, 20);
	}
}

uint64_t cg_id(const char *name)
{
	char p[512];
	struct stat st;

	cg_path(p, sizeof(p), name, NULL);
	if (stat(p, &st))
		die(p);
	return st.st_ino;
}

void module_load(const char *ko, const char *params)
{
	int fd = open(ko, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		die(ko);
	if (syscall(SYS_finit_module, fd, params ?: "", 0))
		die("finit_module voipwake");
	close(fd);
}

void module_unload(void)
{
	int i;

	/* Marked sockets closed a moment ago may still hold a reference. */
	for (i = 0; i < 500; i++) {
		if (!syscall(SYS_delete_module, "voipwake", O_NONBLOCK))
			return;
		if (errno != EAGAIN && errno != EBUSY && errno != EWOULDBLOCK)
			break;
		usleep(10000);
	}
	die("delete_module voipwake");
}

void tcp_pair(int *client, int *server)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int l, one = 1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0 || bind(l, (void *)&a, sizeof(a)) || listen(l, 1) ||
	    getsockname(l, (void *)&a, &len))
		die("listen");
	*client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (*client < 0 || connect(*client, (void *)&a, sizeof(a)))
		die("connect");
	*server = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	if (*server < 0)
		die("accept");
	close(l);
	setsockopt(*client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(*server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static int wanted(int argc, char **argv, int first, const char *fig)
{
	int i;

	if (first >= argc)
		return 1;
	for (i = first; i < argc; i++)
		if (!strcmp(argv[i], fig))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct bench_opts o = { .samples = 200 };
	struct rlimit rl = { 65536, 65536 };
	struct wake_ctx *w = NULL;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--ko") && i + 1 < argc)
			o.ko = argv[++i];
		else if (!strcmp(argv[i], "--params") && i + 1 < argc)
			o.params = argv[++i];
		else if (!strcmp(argv[i], "--samples") && i + 1 < argc)
			o.samples = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--fast"))
			o.fast = 1;
		else
			dief("usage: vw-bench [--ko PATH] [--params P] [--samples N] [--fast] [wake|fg|ctl|scale|storm|idle]...");
	}
	if (o.samples < 10)
		dief("--samples must be at least 10");
	/* 10,000 marked sockets live in this process (scale). */
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit RLIMIT_NOFILE 65536");
	/* Apps are cgroups; the bench itself is one too, never the root. */
	if (mkdir(CG_ROOT "/vwb-ctl", 0755) && errno != EEXIST)
		die("mkdir vwb-ctl");
	cg_join("vwb-ctl");
	if (o.ko)
		module_load(o.ko, o.params);

	printf("%-6s %-50s %10s %10s %5s  %s\n", "figure", "what",
	       "median", "p99", "n", "unit, target");
	if (wanted(argc, argv, i, "wake") || wanted(argc, argv, i, "ctl") ||
	    wanted(argc, argv, i, "scale"))
		w = wake_setup("vwb-app");
	if (wanted(argc, argv, i, "wake"))
		bench_wake(&o, w);
	if (wanted(argc, argv, i, "ctl"))
		bench_ctl(&o, w);
	if (wanted(argc, argv, i, "scale"))
		bench_scale(&o, w);
	if (w)
		wake_teardown(w);
	if (wanted(argc, argv, i, "storm"))
		bench_storm(&o);
	if (wanted(argc, argv, i, "idle"))
		bench_idle(&o);
	/* Last: it loads and unloads the module itself. */
	if (wanted(argc, argv, i, "fg")) {
		if (!o.ko)
			dief("fg needs --ko (it unloads and reloads the module)");
		bench_fg(&o);
	}
	if (o.ko)
		module_unload();
	return 0;
}
