// SPDX-License-Identifier: GPL-2.0
/*
 * Wake latency: from the peer's send() to the frozen app returning from
 * recv(), three ways, on the same app, interleaved in random order:
 *
 *   voipwake   the app is backgrounded through the module, which thaws it
 *   floor      frozen through cgroup.freeze; the sender writes 0 to it
 *              right after send(): nothing can thaw it sooner
 *   userspace  the design a user would build without voipwake: a daemon
 *              holding a duplicate of the app's socket (pidfd_getfd),
 *              blocked in epoll_wait() on it, writes 0 to cgroup.freeze
 *              the moment it turns readable; twice: as a daemon is
 *              usually started, and tuned as far as it goes (nice -20
 *              like the module's WQ_HIGHPRI worker, and pinned to the
 *              CPU where the data arrives, as that worker is)
 *
 * While this figure runs the sender is pinned to CPU 0, so that "the CPU
 * where the data arrives" is one CPU for every method; the app is not.
 *
 * The app is a real process in its own cgroup, polling its marked socket
 * and its libvoipwake event fd as an app would. Both ends stamp
 * CLOCK_MONOTONIC (one guest, one clock): the peer before send(), the
 * app after recv(), and the app sends its stamp back.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <voipwake.h>

#include "bench.h"

/*
 * Same pause after "frozen" for every method, so none meets a freezer
 * still settling.
 */
#define SETTLE_US	5000

enum { M_VOIPWAKE, M_FLOOR, M_USERSPACE, M_TUNED, M_MAX };
static const char *const method_name[M_MAX] = {
	"voipwake", "floor (direct cgroup.freeze write)",
	"userspace (epoll daemon + cgroupfs)",
	"userspace, daemon nice -20 on the rx CPU",
};

static void app_main(const char *cg, const struct sockaddr_in *to, int ready)
{
	struct vw_client *c;
	struct pollfd p[2];
	uint64_t t;
	int s, one = 1, err;

	cg_join(cg);
	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || connect(s, (const void *)to, sizeof(*to)))
		die("app connect");
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	err = vw_open(&c);
	if (!err)
		err = vw_mark_socket(c, s, 0, NULL);
	if (err)
		dief("app: open/mark: %s", strerror(-err));
	if (write(ready, &s, sizeof(s)) != sizeof(s))
		die("app ready");
	close(ready);
	p[0] = (struct pollfd){ .fd = s, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = vw_fd(c), .events = POLLIN };
	for (;;) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			die("app poll");
		if (p[0].revents) {
			if (recv(s, &t, sizeof(t), MSG_WAITALL) != sizeof(t))
				_exit(0);
			t = mono_ns();
			if (send(s, &t, sizeof(t), 0) != sizeof(t))
				_exit(0);
		}
		if (p[1].revents)
			vw_dispatch(c);
	}
}

static void pin_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

static void daemon_main(const char *cg, pid_t app, int app_fd, int ctl,
			int tuned)
{
	struct epoll_event ev, evs[2];
	int pidfd, dup, freeze, ep, n, i;
	char cmd;

	if (tuned) {
		pin_cpu0();
		if (setpriority(PRIO_PROCESS, 0, -20))
			die("setpriority");
	}

	pidfd = syscall(SYS_pidfd_open, app, 0);
	if (pidfd < 0)
		die("pidfd_open");
	dup = syscall(SYS_pidfd_getfd, pidfd, app_fd, 0);
	if (dup < 0)
		die("pidfd_getfd");
	freeze = cg_open_file(cg, "cgroup.freeze", O_WRONLY);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ev = (struct epoll_event){ .events = EPOLLIN, .data.fd = ctl };
	if (epoll_ctl(ep, EPOLL_CTL_ADD, ctl, &ev))
		die("epoll ctl");
	/* Disarmed until the app goes to the background. */
	ev = (struct epoll_event){ .events = EPOLLONESHOT, .data.fd = dup };
	if (epoll_ctl(ep, EPOLL_CTL_ADD, dup, &ev))
		die("epoll app socket");
	for (;;) {
		n = epoll_wait(ep, evs, 2, -1);
		if (n < 0 && errno != EINTR)
			die("epoll_wait");
		for (i = 0; i < n; i++) {
			if (evs[i].data.fd == dup) {
				cg_write(freeze, "0");
				continue;
			}
			if (read(ctl, &cmd, 1) != 1 || cmd == 'q')
				_exit(0);
			cg_write(freeze, "1");
			ev = (struct epoll_event){
				.events = EPOLLIN | EPOLLONESHOT,
				.data.fd = dup,
			};
			if (epoll_ctl(ep, EPOLL_CTL_MOD, dup, &ev))
				die("epoll arm");
			if (write(ctl, "k", 1) != 1)
				_exit(0);
		}
	}
}

struct wake_ctx *wake_setup(const char *cg)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	struct wake_ctx *w = calloc(1, sizeof(*w));
	int l, ready[2], sp[2], app_fd, one = 1, err, i;

	if (!w)
		die("calloc");
	w->cg = cg;
	cg_make(cg);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0 || bind(l, (void *)&a, sizeof(a)) || listen(l, 1) ||
	    getsockname(l, (void *)&a, &len) || pipe2(ready, O_CLOEXEC))
		die("wake listen");
	w->app = fork();
	if (w->app < 0)
		die("fork");
	if (!w->app) {
		close(ready[0]);
		app_main(cg, &a, ready[1]);
	}
	close(ready[1]);
	w->peer = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	if (w->peer < 0)
		die("accept app");
	close(l);
	setsockopt(w->peer, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (read(ready[0], &app_fd, sizeof(app_fd)) != sizeof(app_fd))
		dief("the app did not come up");
	close(ready[0]);

	for (i = 0; i < 2; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp))
			die("socketpair");
		w->daemon[i] = fork();
		if (w->daemon[i] < 0)
			die("fork");
		if (!w->daemon[i]) {
			close(sp[0]);
			daemon_main(cg, w->app, app_fd, sp[1], i);
		}
		close(sp[1]);
		w->dctl[i] = sp[0];
	}

	w->cgfd = cg_open(cg);
	w->freeze_fd = cg_open_file(cg, "cgroup.freeze", O_WRONLY);
	w->events_fd = cg_open_file(cg, "cgroup.events", O_RDONLY);
	err = vw_open(&w->c);
	if (err)
		dief("vw_open: %s", strerror(-err));
	return w;
}

void wake_teardown(struct wake_ctx *w)
{
	int i;

	for (i = 0; i < 2; i++)
		if (write(w->dctl[i], "q", 1) != 1)
			die("daemon quit");
	close(w->peer);
	for (i = 0; i < 2; i++) {
		waitpid(w->daemon[i], NULL, 0);
		close(w->dctl[i]);
	}
	waitpid(w->app, NULL, 0);
	close(w->cgfd);
	close(w->freeze_fd);
	close(w->events_fd);
	vw_close(w->c);
	free(w);
}

static void settle(struct wake_ctx *w)
{
	cg_wait_frozen(w->events_fd, 1);
	usleep(SETTLE_US);
}

static void ping(struct wake_ctx *w, uint64_t *t0)
{
	*t0 = mono_ns();
	if (send(w->peer, t0, sizeof(*t0), 0) != sizeof(*t0))
		die("send to app");
}

static double pong(struct wake_ctx *w, uint64_t t0)
{
	struct pollfd p = { .fd = w->peer, .events = POLLIN };
	uint64_t t1;

	if (poll(&p, 1, 10000) != 1)
		dief("the app was not woken within 10 s");
	if (recv(w->peer, &t1, sizeof(t1), MSG_WAITALL) != sizeof(t1))
		die("recv from app");
	return (double)(t1 - t0);
}

static void set_state(struct wake_ctx *w, enum voipwake_app_state st)
{
	int err = vw_app_set_state(w->c, w->cgfd, st);

	if (err)
		dief("APP_SET state %d: %s (%s)", st, strerror(-err),
		     vw_last_error(w->c) ?: "");
}

double wake_sample_voipwake(struct wake_ctx *w)
{
	uint64_t t0;
	double ns;

	set_state(w, VOIPWAKE_APP_STATE_BACKGROUND);
	settle(w);
	ping(w, &t0);
	ns = pong(w, t0);
	set_state(w, VOIPWAKE_APP_STATE_FOREGROUND);
	return ns;
}

static double sample_floor(struct wake_ctx *w)
{
	uint64_t t0;

	cg_write(w->freeze_fd, "1");
	settle(w);
	ping(w, &t0);
	cg_write(w->freeze_fd, "0");
	return pong(w, t0);
}

static double sample_userspace(struct wake_ctx *w, int tuned)
{
	uint64_t t0;
	char k;

	if (write(w->dctl[tuned], "b", 1) != 1 ||
	    read(w->dctl[tuned], &k, 1) != 1)
		die("daemon");
	settle(w);
	ping(w, &t0);
	return pong(w, t0);
}

static double sample(struct wake_ctx *w, int m)
{
	switch (m) {
	case M_VOIPWAKE:
		return wake_sample_voipwake(w);
	case M_FLOOR:
		return sample_floor(w);
	case M_USERSPACE:
		return sample_userspace(w, 0);
	default:
		return sample_userspace(w, 1);
	}
}

void bench_wake(const struct bench_opts *o, struct wake_ctx *w)
{
	struct series s[M_MAX] = { 0 };
	int order[M_MAX], r, i, rounds = o->fast ? 20 : o->samples;
	cpu_set_t all;
	char name[96];

	if (sched_getaffinity(0, sizeof(all), &all))
		die("sched_getaffinity");
	pin_cpu0();
	for (r = -5; r < rounds; r++) {
		for (i = 0; i < M_MAX; i++)
			order[i] = i;
		shuffle(order, M_MAX);
		for (i = 0; i < M_MAX; i++) {
			double ns = sample(w, order[i]);

			if (r >= 0)	/* the first rounds warm up */
				series_add(&s[order[i]], ns / 1000);
		}
	}
	for (i = 0; i < M_MAX; i++) {
		snprintf(name, sizeof(name), "wake latency, %s", method_name[i]);
		report_series("wake", name, "us", &s[i]);
	}
	report_ratio_ci("wake", "voipwake / floor (medians)", &s[M_VOIPWAKE],
			&s[M_FLOOR], "<= 1.25", 1.25);
	/* "Below": under 1, an interval of its own noise. */
	report_ratio_ci("wake", "voipwake / userspace (medians)",
			&s[M_VOIPWAKE], &s[M_USERSPACE], "< 1", 0.9999);
	report_ratio_ci("wake", "voipwake / userspace tuned (medians)",
			&s[M_VOIPWAKE], &s[M_TUNED], "< 1", 0.9999);
	/* The fastest tenth is the least disturbed by a busy host. */
	report_ratio("wake", "voipwake / floor (p10)",
		     series_pct(&s[M_VOIPWAKE], 10) / series_pct(&s[M_FLOOR], 10),
		     NULL, -1);
	report_ratio("wake", "voipwake / userspace tuned (p10)",
		     series_pct(&s[M_VOIPWAKE], 10) / series_pct(&s[M_TUNED], 10),
		     NULL, -1);
	report_ratio("wake", "voipwake / floor (p99)",
		     series_pct(&s[M_VOIPWAKE], 99) / series_pct(&s[M_FLOOR], 99),
		     NULL, -1);
	for (i = 0; i < M_MAX; i++)
		series_free(&s[i]);
	if (sched_setaffinity(0, sizeof(all), &all))
		die("sched_setaffinity");
}
