// SPDX-License-Identifier: GPL-2.0
/*
 * vw-libtest [OPTIONS]: a libvoipwake client that falls behind on its
 * events on purpose, to show that the library recovers from an overflow
 * of its event socket without losing a wake. It sets itself up, stops
 * dispatching for a while, then dispatches as an app would until its
 * stdin ends, and sums up.
 *
 *   --cgroup PATH    write our pid to PATH/cgroup.procs first (our app)
 *   --ka SECONDS     vw_set_keepalive(SECONDS); the handler only reports
 *                    (the module's keep-alive budget ends each wake)
 *   --mark-udp       mark an unbound UDP socket of ours, so that our
 *                    app's events also come for a marked socket
 *   --admin          vw_subscribe_admin(): every app's events
 *   --rcvbuf BYTES   shrink the event socket's receive buffer to BYTES
 *                    (the kernel's minimum if smaller) once set up, and
 *                    restore it after the first overflow. The socket is
 *                    the one the epoll of vw_fd() watches, found in
 *                    /proc/self/fdinfo: the library offers no knob
 *   --stall MS       dispatch nothing for MS ms once set up (as measured
 *                    by CLOCK_MONOTONIC, which runs on while frozen)
 *   --ready FILE     create FILE once set up, before the stall
 *
 * Lines on stdout:
 *   ready evt-port=PORTID rcvbuf=BYTES          set up; rcvbuf as the
 *                                               kernel holds it (doubled)
 *   stalled                                     the stall is over
 *   event type=T app=ID reason=R ka=0|1 kas=N   N: the app's count of
 *                                               keep-alive wakes, or -
 *   keepalive n=N via=T covers=K                the handler, after the
 *                                               event of type T; K as kas
 *   dispatch rc=-ERRNO errno=NAME msg=TEXT      vw_dispatch() failed
 *   rcvbuf-restored bytes=BYTES
 *   summary ka-calls=N covered=K resyncs=R losses=L dropped=D
 *   error what=WHAT errno=NAME                  then exit 1
 *
 * covered is the highest count of keep-alive wakes an event that ran
 * the keep-alive handler carried: once the app is in the foreground
 * (no keep-alive pending) it must equal the module's wakes_keepalive,
 * or a keep-alive went unhandled.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <voipwake.h>

#include "util.h"
#include "vwutil.h"

struct libtest_opts {
	const char *cgroup;
	const char *ready;
	int ka;
	uint32_t ka_s;
	int mark_udp;
	int admin;
	int rcvbuf_set;
	uint32_t rcvbuf;
	uint32_t stall_ms;
};

struct libtest {
	struct libtest_opts o;
	struct vw_client *c;
	int fd;			/* vw_fd() */
	int evt;		/* the event socket, -1 if not looked for */
	int rcvbuf_saved;	/* as getsockopt() said, 0 once restored */
	struct vw_event last;	/* the last event delivered */
	uint64_t ka_calls;
	uint64_t covered;
	uint64_t resyncs;
	uint64_t losses;
};

static void on_event(const struct vw_event *ev, void *arg)
{
	struct libtest *t = arg;
	char kas[24] = "-";

	t->last = *ev;
	if (ev->type == VW_EVENT_RESYNC)
		t->resyncs++;
	if (ev->app.present & VW_APP_HAS_WAKES_KEEPALIVE)
		snprintf(kas, sizeof(kas), "%llu",
			 (unsigned long long)ev->app.wakes_keepalive);
	say("event type=%s app=%llu reason=%u ka=%u kas=%s",
	    event_type(ev->type),
	    (unsigned long long)(ev->app.cgroup_id ? ev->app.cgroup_id :
				 ev->sock.cgroup_id),
	    ev->reason, ev->keepalive ? 1 : 0, kas);
}

/* Runs right after the event that called for it: t->last says which. */
static void on_keepalive(struct vw_client *c, void *arg)
{
	struct libtest *t = arg;
	uint64_t kas = t->last.app.wakes_keepalive;

	(void)c;
	t->ka_calls++;
	if ((t->last.app.present & VW_APP_HAS_WAKES_KEEPALIVE) &&
	    kas > t->covered)
		t->covered = kas;
	say("keepalive n=%llu via=%s covers=%llu",
	    (unsigned long long)t->ka_calls, event_type(t->last.type),
	    (unsigned long long)kas);
}

/* The socket among the epoll's targets: "tfd: N events: ..." lines. */
static int event_socket(int epfd)
{
	char path[64], line[256];
	struct stat st;
	FILE *f;
	int fd, found = -1;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", epfd);
	f = fopen(path, "re");
	if (!f)
		fail("fdinfo", errno);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "tfd: %d", &fd) != 1)
			continue;
		if (!fstat(fd, &st) && S_ISSOCK(st.st_mode)) {
			if (found >= 0)
				fail("two sockets in vw_fd()", EEXIST);
			found = fd;
		}
	}
	fclose(f);
	if (found < 0)
		fail("no socket in vw_fd()", ENOENT);
	return found;
}

static int rcvbuf_of(int fd)
{
	socklen_t len = sizeof(int);
	int size;

	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, &len))
		fail("getsockopt", errno);
	return size;
}

static uint32_t portid_of(int fd)
{
	struct sockaddr_nl nl;
	socklen_t len = sizeof(nl);

	if (getsockname(fd, (struct sockaddr *)&nl, &len))
		fail("getsockname", errno);
	return nl.nl_pid;
}

/* SO_RCVBUF takes half of what it reports; FORCE passes rmem_max. */
static void set_rcvbuf(int fd, int size)
{
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)))
		fail("setsockopt", errno);
}

static void restore_rcvbuf(struct libtest *t)
{
	if (!t->rcvbuf_saved)
		return;
	set_rcvbuf(t->evt, t->rcvbuf_saved / 2);
	t->rcvbuf_saved = 0;
	say("rcvbuf-restored bytes=%d", rcvbuf_of(t->evt));
}

static void dispatch(struct libtest *t)
{
	int ret = vw_dispatch(t->c);

	if (ret >= 0)
		return;
	say("dispatch rc=%d errno=%s msg=%s", ret, errname(-ret),
	    last_error(t->c));
	if (ret != -ENOBUFS)
		exit(1);
	t->losses++;
	restore_rcvbuf(t);
}

static void setup(struct libtest *t)
{
	struct vw_sock_info si = { .size = sizeof(si) };
	int ret, udp;

	ret = vw_open(&t->c);
	if (ret) {
		say("error what=vw_open errno=%s msg=%s", errname(-ret),
		    last_error(NULL));
		exit(1);
	}
	vw_set_event_handler(t->c, on_event, t);
	t->fd = vw_fd(t->c);
	if (t->fd < 0)
		fail("vw_fd", -t->fd);
	if (t->o.ka) {
		ret = vw_set_keepalive(t->c, t->o.ka_s, on_keepalive, t);
		if (ret)
			fail("vw_set_keepalive", -ret);
	}
	if (t->o.mark_udp) {
		udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (udp < 0)
			fail("socket", errno);
		ret = vw_mark_socket(t->c, udp, 0, &si);
		if (ret)
			fail("vw_mark_socket", -ret);
	}
	if (t->o.admin) {
		ret = vw_subscribe_admin(t->c);
		if (ret)
			fail("vw_subscribe_admin", -ret);
	}
	t->evt = event_socket(t->fd);
	if (t->o.rcvbuf_set) {
		t->rcvbuf_saved = rcvbuf_of(t->evt);
		set_rcvbuf(t->evt, t->o.rcvbuf);
	}
	say("ready evt-port=%u rcvbuf=%d", portid_of(t->evt),
	    rcvbuf_of(t->evt));
	if (t->o.ready) {
		ret = touch(t->o.ready);
		if (ret)
			fail("ready", -ret);
	}
}

static void stall(uint32_t ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL))
		;
	say("stalled");
}

static int stdin_ended(void)
{
	char buf[256];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

	return n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN);
}

static void run(struct libtest *t)
{
	struct pollfd pfd[2] = {
		{ .fd = t->fd, .events = POLLIN },
		{ .fd = STDIN_FILENO, .events = POLLIN },
	};

	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			fail("poll", errno);
		}
		if (pfd[0].revents)
			dispatch(t);
		if (pfd[1].revents && stdin_ended())
			return;
	}
}

static int usage(void)
{
	fprintf(stderr,
		"usage: vw-libtest [--cgroup PATH] [--ka SECONDS] [--mark-udp] [--admin]\n"
		"                  [--rcvbuf BYTES] [--stall MS] [--ready FILE]\n");
	return 2;
}

static int parse_opts(int argc, char **argv, struct libtest_opts *o)
{
	static const struct option opts[] = {
		{ "cgroup", required_argument, NULL, 'c' },
		{ "ka", required_argument, NULL, 'K' },
		{ "mark-udp", no_argument, NULL, 'u' },
		{ "admin", no_argument, NULL, 'a' },
		{ "rcvbuf", required_argument, NULL, 'b' },
		{ "stall", required_argument, NULL, 's' },
		{ "ready", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		ret = 0;
		switch (opt) {
		case 'c':
			o->cgroup = optarg;
			break;
		case 'K':
			o->ka = 1;
			ret = parse_u32(optarg, &o->ka_s);
			break;
		case 'u':
			o->mark_udp = 1;
			break;
		case 'a':
			o->admin = 1;
			break;
		case 'b':
			o->rcvbuf_set = 1;
			ret = parse_u32(optarg, &o->rcvbuf);
			if (!ret && o->rcvbuf > INT32_MAX / 2)
				ret = -ERANGE;
			break;
		case 's':
			ret = parse_u32(optarg, &o->stall_ms);
			break;
		case 'r':
			o->ready = optarg;
			break;
		default:
			ret = -EINVAL;
		}
		if (ret)
			return ret;
	}
	return optind == argc ? 0 : -EINVAL;
}

int main(int argc, char **argv)
{
	struct libtest t = { .evt = -1 };
	int ret;

	if (parse_opts(argc, argv, &t.o))
		return usage();
	if (t.o.cgroup) {
		ret = join_cgroup(t.o.cgroup);
		if (ret)
			fail("cgroup", -ret);
	}
	setup(&t);
	if (t.o.stall_ms)
		stall(t.o.stall_ms);
	run(&t);
	/* Whatever came last, before the sums. */
	dispatch(&t);
	say("summary ka-calls=%llu covered=%llu resyncs=%llu losses=%llu dropped=%llu",
	    (unsigned long long)t.ka_calls, (unsigned long long)t.covered,
	    (unsigned long long)t.resyncs, (unsigned long long)t.losses,
	    (unsigned long long)vw_events_dropped(t.c));
	vw_close(t.c);
	return 0;
}
