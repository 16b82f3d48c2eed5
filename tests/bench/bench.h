/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vw-bench: the guest side of make bench. Each figure is one file
 * (wake.c, fg.c, ctl.c, scale.c, storm.c); this header holds what they
 * share: samples and how they are reported, cgroups, the module.
 */
#ifndef VW_BENCH_H
#define VW_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CG_ROOT		"/sys/fs/cgroup"

/* A growing set of samples. */
struct series {
	double *v;
	size_t n, cap;
};

void series_add(struct series *s, double v);
double series_pct(const struct series *s, double pct);
void series_free(struct series *s);

/*
 * One table row and one JSON object each: a measured series, a single
 * value, or a ratio against its target. @met: 1 met, 0 missed, -1 no
 * target.
 */
void report_series(const char *fig, const char *name, const char *unit,
		   const struct series *s);
void report_value(const char *fig, const char *name, const char *unit,
		  double v, const char *target, int met);
void report_ratio(const char *fig, const char *name, double v,
		  const char *target, int met);
/* Where a long run is, on stderr (the log has it, the table not). */
void progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * The ratio of the medians of @a and @b (@b NULL: the median of @a, a
 * series of ratios), with a 95 % bootstrap interval
 * (the run's own noise). Target: at most @max, met when the whole
 * interval is, missed when none of it is, else unresolved (met -1, and
 * the verdict says which side the median is on); @max 0: no target;
 * @max < 0: met if the interval holds 1 (no difference to be seen).
 */
void report_ratio_ci(const char *fig, const char *name,
		     const struct series *a, const struct series *b,
		     const char *target, double max);
/* A free-form line for the table only. */
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

uint64_t mono_ns(void);
void die(const char *what) __attribute__((noreturn));
void dief(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* Deterministic, so every run interleaves the same way. */
uint64_t rnd(void);
void shuffle(int *a, int n);

/* cgroups: CG_ROOT/@name (mkdir -p), its fds, freezer, membership. */
void cg_make(const char *name);
int cg_open(const char *name);
int cg_open_file(const char *name, const char *file, int flags);
void cg_join(const char *name);
void cg_write(int fd, const char *s);
/* Until cgroup.events says frozen @want (fd from cg_open_file). */
void cg_wait_frozen(int events_fd, int want);
uint64_t cg_id(const char *name);

/* Loads voipwake.ko with @params; unloads it (retrying while busy). */
void module_load(const char *ko, const char *params);
void module_unload(void);

/* A connected loopback TCP pair, TCP_NODELAY on both ends. */
void tcp_pair(int *client, int *server);

/* The figures. */
struct bench_opts {
	const char *ko;
	const char *params;
	int samples;		/* wake latency samples per method */
	int fast;		/* fewer of everything: a smoke run */
};

/* The app of the wake figures, its peer and its userspace daemon. */
struct wake_ctx {
	const char *cg;
	pid_t app, daemon[2];	/* the userspace designs: plain, tuned */
	int peer;		/* our end of the app's connection */
	int cgfd, freeze_fd, events_fd;
	int dctl[2];		/* to the userspace daemons */
	struct vw_client *c;
};

struct wake_ctx *wake_setup(const char *app_cg);
void wake_teardown(struct wake_ctx *w);
/* One voipwake sample in ns: background, send, woken, foreground. */
double wake_sample_voipwake(struct wake_ctx *w);

void bench_wake(const struct bench_opts *o, struct wake_ctx *w);
void bench_idle(const struct bench_opts *o);
void bench_fg(const struct bench_opts *o);
void bench_ctl(const struct bench_opts *o, struct wake_ctx *w);
void bench_scale(const struct bench_opts *o, struct wake_ctx *w);
void bench_storm(const struct bench_opts *o);

#endif /* VW_BENCH_H */
