// SPDX-License-Identifier: GPL-2.0
/*
 * vw-race ROLE SECS ...: one side of a race, run for SECS seconds, then
 * prints "ROLE iterations=N ..." and exits 0 (1 if it never got through
 * one iteration, or on an error no race can explain). The race scenarios
 * run several at once.
 *
 *   app SECS PORT close|unmark|data
 *       (in the app's cgroup) connects to 127.0.0.1:PORT, marks the
 *       socket, then closes it, unmarks then closes it, or reads what came
 *       and says done; again and again. Its cgroup is frozen and woken
 *       under it all along.
 *   peer SECS PORT
 *       accepts connections and keeps writing a byte to each, closing one
 *       now and then: the wakes (data, peer close) the app races.
 *   toggle SECS CGROUP MS [ka]
 *       backgrounds and foregrounds CGROUP at random up to MS ms apart,
 *       and ends its wake windows (APP_WAKE_DONE) in between; with "ka",
 *       sets and clears its keep-alive (min_keepalive_s) while it is in
 *       the background, so the timer fires as it is changed, and counts
 *       the keep-alive wakes.
 *   keepalive SECS
 *       (in the app's cgroup) sets its own keep-alive (min_keepalive_s)
 *       and clears it again, at random instants, while it fires.
 *   churn SECS PARENT
 *       makes a cgroup under PARENT, forks a child into it that marks a
 *       UDP socket and exits at a random instant, backgrounds the cgroup
 *       at another, sends the socket a datagram (a wake), then kills
 *       what is left, reaps it and removes the cgroup: process exit vs.
 *       freeze, and cgroup removal vs. wake.
 *   removed SECS PARENT
 *       makes a cgroup under PARENT with a sleeping child in it,
 *       backgrounds it, and the moment cgroup.events says it is frozen
 *       kills the child and removes the cgroup: the emptying falls within
 *       cgroup.events' rate limit of the freeze's notification, so the
 *       kernel puts it off and the rmdir cancels it. Counts the cycles
 *       whose kill-to-rmdir fitted in 10 ms ("fast"); each app must still
 *       be collected.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <voipwake.h>

#include "util.h"

#define MAX_CONNS 64

static uint64_t deadline;
static unsigned int rnd_state;

static int running(void)
{
	return mono_ns() < deadline;
}

static unsigned int rnd(unsigned int n)
{
	return n ? (unsigned int)rand_r(&rnd_state) % n : 0;
}

static void pause_us(unsigned int max)
{
	unsigned int us = rnd(max);

	if (us)
		usleep(us);
}

static struct vw_client *client(void)
{
	struct vw_client *c;
	int ret = vw_open(&c);

	if (ret)
		fail("vw_open", -ret);
	return c;
}

static int connect_to(uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback_addr(&ss, AF_INET, port);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		fail("socket", errno);
	if (connect(s, (struct sockaddr *)&ss, len)) {
		close(s);
		return -errno;
	}
	return s;
}

static int app(uint16_t port, const char *mode)
{
	struct vw_client *c = client();
	unsigned long n = 0, refused = 0, bytes = 0;
	char buf[4096];
	ssize_t r;
	int s, ret;

	while (running()) {
		s = connect_to(port);
		if (s < 0) {
			refused++;
			usleep(1000);
			continue;
		}
		ret = vw_mark_socket(c, s, 0, NULL);
		if (ret)
			fail("vw_mark_socket", -ret);
		pause_us(2000);
		if (!strcmp(mode, "unmark")) {
			ret = vw_unmark_socket(c, s);
			if (ret)
				fail("vw_unmark_socket", -ret);
		} else if (!strcmp(mode, "data")) {
			while ((r = recv(s, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
				bytes += r;
			/* Not awake (EINVAL) is the usual answer. */
			ret = vw_wake_done(c);
			if (ret && ret != -EINVAL)
				fail("vw_wake_done", -ret);
		}
		close(s);
		n++;
	}
	say("app-%s iterations=%lu refused=%lu bytes=%lu", mode, n, refused,
	    bytes);
	vw_close(c);
	return !n;
}

static int peer(uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback_addr(&ss, AF_INET, port);
	int conns[MAX_CONNS], nconns = 0, l, s, i, one = 1;
	unsigned long n = 0, accepted = 0, closed = 0;

	signal(SIGPIPE, SIG_IGN);
	l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(l, (struct sockaddr *)&ss, len) || listen(l, 128))
		fail("listen", errno);
	say("listening");
	while (running()) {
		while (nconns < MAX_CONNS &&
		       (s = accept4(l, NULL, NULL, SOCK_CLOEXEC |
				    SOCK_NONBLOCK)) >= 0) {
			conns[nconns++] = s;
			accepted++;
		}
		for (i = 0; i < nconns; i++) {
			if (send(conns[i], "x", 1, MSG_DONTWAIT) < 0 &&
			    errno != EAGAIN) {
				close(conns[i]);
				conns[i--] = conns[--nconns];
				continue;
			}
			/* A peer close now and then: a CLOSE wake. */
			if (!rnd(50)) {
				close(conns[i]);
				conns[i--] = conns[--nconns];
				closed++;
			}
		}
		n++;
		usleep(500);
	}
	say("peer iterations=%lu accepted=%lu closed=%lu", n, accepted,
	    closed);
	return !n;
}

static int open_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		fail(path, errno);
	return fd;
}

/* Sets and clears the app's keep-alive for @us, as its timer fires. */
static unsigned long ka_flip(struct vw_client *c, int fd, unsigned int us,
			     uint32_t min_s)
{
	uint64_t end = mono_ns() + us * 1000ULL;
	unsigned long n = 0;
	int ret;

	while (mono_ns() < end) {
		ret = vw_app_set_keepalive(c, fd, rnd(4) ? min_s : 0, 50,
					   1000);
		if (ret)
			fail("vw_app_set_keepalive", -ret);
		pause_us(min_s * 1000000);
		n++;
	}
	return n;
}

static int toggle(const char *cgroup, unsigned int ms, int ka)
{
	struct vw_app_info ai = { .size = sizeof(ai) };
	struct vw_info info = { .size = sizeof(info) };
	struct vw_client *c = client();
	int fd = open_dir(cgroup), ret;
	unsigned long n = 0, done = 0, flips = 0;
	/* An idle app is dropped at foreground: its counts start over. */
	uint64_t ka_wakes = 0, last = 0;

	if (vw_get_info(c, &info))
		fail("vw_get_info", EPROTO);
	while (running()) {
		ret = vw_app_set_state(c, fd, VOIPWAKE_APP_STATE_BACKGROUND);
		if (ret)
			fail("background", -ret);
		if (ka)
			flips += ka_flip(c, fd, rnd(ms * 1000),
					 info.min_keepalive_s);
		else
			pause_us(ms * 1000);
		if (!rnd(2) && !vw_wake_done_app(c, fd))
			done++;
		pause_us(ms * 1000);
		if (!vw_app_get(c, fd, &ai)) {
			ka_wakes += ai.wakes_keepalive -
				    (ai.wakes_keepalive >= last ? last : 0);
			last = ai.wakes_keepalive;
		}
		ret = vw_app_set_state(c, fd, VOIPWAKE_APP_STATE_FOREGROUND);
		if (ret)
			fail("foreground", -ret);
		pause_us(ms * 500);
		n++;
	}
	say("toggle iterations=%lu done=%lu ka_flips=%lu wakes_keepalive=%llu",
	    n, done, flips, (unsigned long long)ka_wakes);
	vw_close(c);
	return !n;
}

static int keepalive(void)
{
	struct vw_client *c = client();
	struct vw_info info = { .size = sizeof(info) };
	unsigned long n = 0, lost = 0;
	int ret;

	ret = vw_get_info(c, &info);
	if (ret)
		fail("vw_get_info", -ret);
	while (running()) {
		ret = vw_set_keepalive(c, info.min_keepalive_s, NULL, NULL);
		/* The toggle's clear came between the set and its read-back. */
		if (ret == -ENOENT)
			lost++;
		else if (ret)
			fail("vw_set_keepalive", -ret);
		pause_us(info.min_keepalive_s * 1500000);
		/* Handles what came, so the events never pile up. */
		if (poll(&(struct pollfd){ .fd = vw_fd(c), .events = POLLIN },
			 1, 0) > 0)
			vw_dispatch(c);
		ret = vw_clear_keepalive(c);
		if (ret)
			fail("vw_clear_keepalive", -ret);
		pause_us(20000);
		n++;
	}
	say("keepalive iterations=%lu dropped=%llu lost_to_clear=%lu", n,
	    (unsigned long long)vw_events_dropped(c), lost);
	vw_close(c);
	return !n;
}

/* The child: marks a UDP socket, says its port, exits when told to. */
static void churn_child(const char *cg, int tell)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback_addr(&ss, AF_INET, 0);
	struct vw_client *c;
	uint16_t port;
	int s, ret;

	ret = join_cgroup(cg);
	if (ret)
		_exit(10);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&ss, len) ||
	    getsockname(s, (struct sockaddr *)&ss, &len))
		_exit(11);
	if (vw_open(&c) || vw_mark_socket(c, s, 0, NULL))
		_exit(12);
	port = sock_port(&ss);
	if (write(tell, &port, sizeof(port)) != sizeof(port))
		_exit(13);
	pause_us(20000);
	_exit(0);
}

static int churn(const char *parent)
{
	struct vw_client *c = client();
	struct sockaddr_storage ss;
	unsigned long n = 0, frozen_exit = 0, busy = 0;
	char cg[4096];
	uint16_t port;
	socklen_t len;
	int p[2], fd, u, status, tries;
	pid_t pid;

	u = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (u < 0)
		fail("socket", errno);
	while (running()) {
		snprintf(cg, sizeof(cg), "%s/c%lu", parent, n);
		if (mkdir(cg, 0755))
			fail("mkdir", errno);
		fd = open_dir(cg);
		if (pipe2(p, O_CLOEXEC))
			fail("pipe", errno);
		pid = fork();
		if (pid < 0)
			fail("fork", errno);
		if (!pid)
			churn_child(cg, p[1]);
		close(p[1]);
		if (read(p[0], &port, sizeof(port)) != sizeof(port))
			fail("child setup", EPROTO);
		close(p[0]);
		pause_us(20000);
		/* The child may be gone, or going: both must be fine. */
		vw_app_set_state(c, fd, VOIPWAKE_APP_STATE_BACKGROUND);
		len = loopback_addr(&ss, AF_INET, port);
		sendto(u, "w", 1, 0, (struct sockaddr *)&ss, len);
		pause_us(5000);
		if (waitpid(pid, &status, WNOHANG) == 0) {
			frozen_exit++;
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
		}
		if (WIFEXITED(status) && WEXITSTATUS(status))
			fail("child", WEXITSTATUS(status));
		if (!rnd(2))
			vw_app_set_state(c, fd, VOIPWAKE_APP_STATE_FOREGROUND);
		close(fd);
		/* A dying task may hold the cgroup for a moment. */
		for (tries = 0; rmdir(cg) && errno == EBUSY && tries < 2000;
		     tries++)
			usleep(1000);
		if (tries)
			busy++;
		if (tries == 2000)
			fail("rmdir", EBUSY);
		n++;
	}
	say("churn iterations=%lu killed=%lu rmdir_busy=%lu", n, frozen_exit,
	    busy);
	vw_close(c);
	return !n;
}

/* Waits (up to 5 s) for "frozen 1" in the cgroup.events open at @ev. */
static int wait_frozen(int ev)
{
	char buf[256];
	ssize_t r;
	int i;

	for (i = 0; i < 50; i++) {
		r = pread(ev, buf, sizeof(buf) - 1, 0);
		if (r < 0)
			return -errno;
		buf[r] = 0;
		if (strstr(buf, "frozen 1"))
			return 0;
		poll(&(struct pollfd){ .fd = ev, .events = POLLPRI }, 1, 100);
	}
	return -ETIMEDOUT;
}

static int removed(const char *parent)
{
	struct vw_client *c = client();
	unsigned long n = 0, fast = 0;
	uint64_t t0;
	char cg[4096], path[4200];
	int p[2], fd, ev, ret, tries;
	pid_t pid;

	while (running()) {
		snprintf(cg, sizeof(cg), "%s/r%lu", parent, n);
		if (mkdir(cg, 0755))
			fail("mkdir", errno);
		fd = open_dir(cg);
		snprintf(path, sizeof(path), "%s/cgroup.events", cg);
		ev = open(path, O_RDONLY | O_CLOEXEC);
		if (ev < 0 || pipe2(p, O_CLOEXEC))
			fail(path, errno);
		pid = fork();
		if (pid < 0)
			fail("fork", errno);
		if (!pid) {
			if (join_cgroup(cg) || write(p[1], "j", 1) != 1)
				_exit(10);
			for (;;)
				pause();
		}
		close(p[1]);
		if (read(p[0], path, 1) != 1)
			fail("child setup", EPROTO);
		close(p[0]);
		ret = vw_app_set_state(c, fd, VOIPWAKE_APP_STATE_BACKGROUND);
		if (ret)
			fail("background", -ret);
		ret = wait_frozen(ev);
		if (ret)
			fail("frozen", -ret);
		t0 = mono_ns();
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		for (tries = 0; rmdir(cg) && errno == EBUSY && tries < 2000;
		     tries++)
			usleep(100);
		if (tries == 2000)
			fail("rmdir", EBUSY);
		if (mono_ns() - t0 < 10000000)
			fast++;
		close(ev);
		close(fd);
		n++;
	}
	say("removed iterations=%lu fast=%lu", n, fast);
	vw_close(c);
	return !n;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: vw-race app SECS PORT close|unmark|data | peer SECS PORT |\n"
		"       toggle SECS CGROUP MS [ka] | keepalive SECS | churn SECS PARENT |\n"
		"       removed SECS PARENT\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *role = argc > 2 ? argv[1] : "";
	uint32_t secs, v;

	if (argc < 3 || parse_u32(argv[2], &secs))
		usage();
	deadline = mono_ns() + secs * 1000000000ULL;
	rnd_state = getpid() ^ mono_ns();
	if (!strcmp(role, "app") && argc == 5 && !parse_u32(argv[3], &v))
		return app(v, argv[4]);
	if (!strcmp(role, "peer") && argc == 4 && !parse_u32(argv[3], &v))
		return peer(v);
	if (!strcmp(role, "toggle") && (argc == 5 ||
					 (argc == 6 && !strcmp(argv[5], "ka"))) &&
	    !parse_u32(argv[4], &v))
		return toggle(argv[3], v, argc == 6);
	if (!strcmp(role, "keepalive") && argc == 3)
		return keepalive();
	if (!strcmp(role, "churn") && argc == 4)
		return churn(argv[3]);
	if (!strcmp(role, "removed") && argc == 4)
		return removed(argv[3]);
	usage();
}
