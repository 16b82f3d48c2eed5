// SPDX-License-Identifier: GPL-2.0
/*
 * vw-app [OPTIONS] PORT: the app under test. Optionally joins a cgroup
 * (its app), connects to vw-peer on 127.0.0.1 (::1 with -6) PORT over TCP
 * (UDP with --udp), marks the socket through libvoipwake and reports what
 * it receives, one line per event, until the stream ends.
 *
 *   -6               IPv6
 *   --udp            UDP: connect(), and after marking send "hello\r\n"
 *                    so that vw-peer learns our address. An empty
 *                    datagram (vw-peer's "close") ends the stream.
 *   --cgroup PATH    write our pid to PATH/cgroup.procs first
 *   --no-mark        do not mark (control case); no libvoipwake call
 *                    at all unless --done, --events or --ka ask for one
 *   --wake-on LIST   data,close,error,keepalive or a number (bits
 *                    1 << VOIPWAKE_WAKE_*); default 0: the module's
 *   --keepalive I,N  TCP keep-alive on our socket: idle I s, interval N s
 *   --ready FILE     create FILE once connected, marked (and, for UDP,
 *                    "hello" sent): the scenario's go signal
 *   --done           vw_wake_done() after each received chunk
 *   --ack            reply "ack total=N\r\n" after each received chunk
 *   --events         report libvoipwake events as they arrive
 *   --linger MS      after the stream ends, close the socket and keep
 *                    reporting events for MS ms before exiting
 *   --mark-only      mark, then wait for end of stdin and exit; PORT 0
 *                    then means "do not connect"
 *   --ka SECONDS     vw_set_keepalive(SECONDS) once connected and marked
 *                    (0 too, which the library refuses); its handler
 *                    sends "ka\r\n" on the socket (if connected), then
 *                    calls vw_wake_done()
 *   --ka-work MS     the keep-alive handler works (sleeps) MS ms before
 *                    it calls vw_wake_done(): a suspend tried meanwhile
 *                    must wait for it
 *   --ka-hang        the keep-alive handler does not call vw_wake_done(),
 *                    so that the module's budget runs out
 *   --own            vw_app_get_own() before marking (the module does
 *                    not know the app yet), once set up, and after each
 *                    received chunk (before --done)
 *
 * Lines on stdout:
 *   marked ino=INO app=CGROUP_ID family=4|6 proto=tcp|udp wake_on=HEX uid=U
 *   not-marked ino=INO                              (--no-mark)
 *   mark-failed errno=NAME msg=TEXT                 then exit 3
 *   open-failed errno=NAME msg=TEXT                 vw_open(); exit 3
 *   recv n=N total=N t=NS
 *   done rc=0 | done rc=-ERRNO errno=NAME msg=TEXT
 *   ack-error errno=NAME
 *   ka-set rc=0 | ka-set rc=-ERRNO errno=NAME msg=TEXT   failed: exit 3
 *   keepalive n=N t=NS boot=NS                      the handler, N from 1
 *   ka-error errno=NAME                             sending "ka" failed
 *   ka-done rc=0 | ka-done rc=-ERRNO errno=NAME msg=TEXT
 *   own app=CGROUP_ID state=fg|bg|awake socks=N keepalive_s=S wakes=N
 *   own rc=-ERRNO errno=NAME msg=TEXT               vw_app_get_own() failed
 *   event type=T reason=R sock=INO bytes=N t=NS app=CGROUP_ID frozen=0|1
 *         [ka=0|1]                                  ka= for woken only
 *   event-error errno=NAME msg=TEXT
 *   eof total=N crc=HEX            then exit 0
 *   recv-error errno=NAME total=N crc=HEX           then exit 0
 *   error what=WHAT errno=NAME     setup failed; exit 1
 *
 * t= is CLOCK_MONOTONIC in ns: for recv, read right after recv()
 * returned; for events, when the event was read; for keepalive, when the
 * handler started, as is boot= (CLOCK_BOOTTIME, the module's clock). crc
 * is the CRC-32 of every byte received, comparable with vw-peer's "crc".
 * ka-done comes only once the app is woken again: vw_wake_done() returns
 * then.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <voipwake.h>

#include "crc32.h"
#include "util.h"
#include "vwutil.h"

#define RECV_MAX	65536

struct app_opts {
	int family;
	int udp;
	int mark;
	int mark_only;
	int done;
	int ack;
	int events;
	uint32_t wake_on;
	uint32_t keepidle;	/* 0: keep-alive left off */
	uint32_t keepintvl;
	uint32_t linger_ms;
	int ka;			/* --ka given: vw_set_keepalive() */
	uint32_t ka_s;
	int ka_hang;
	uint32_t ka_work_ms;
	int own;
	uint32_t port;
	const char *cgroup;
	const char *ready;
};

struct app {
	struct app_opts o;
	struct vw_client *c;
	int nl_fd;		/* vw_fd() with --events or --ka, else -1 */
	int fd;			/* -1 once closed */
	uint64_t total;
	uint32_t crc;
	uint64_t ka_calls;
};

enum { PFD_SOCK, PFD_NL, PFD_STDIN, PFD_MAX };

static void on_event(const struct vw_event *ev, void *arg)
{
	uint64_t ino = ev->sock_ino ? ev->sock_ino : ev->sock.ino;

	char ka[8] = "";

	(void)arg;
	/* Appended, so that the scenarios' patterns for the rest still hold. */
	if (ev->type == VOIPWAKE_CMD_APP_WOKEN_NTF)
		snprintf(ka, sizeof(ka), " ka=%u", ev->keepalive ? 1 : 0);
	say("event type=%s reason=%s sock=%llu bytes=%u t=%llu app=%llu frozen=%u%s",
	    event_type(ev->type), wake_reason(ev->reason),
	    (unsigned long long)ino, ev->bytes,
	    (unsigned long long)mono_ns(),
	    (unsigned long long)ev->app.cgroup_id, ev->app.frozen, ka);
}

/* Runs the handler for every event queued; false to stop watching. */
static int dispatch(struct app *a)
{
	int ret = vw_dispatch(a->c);

	if (ret >= 0 || ret == -EAGAIN || ret == -EINTR)
		return 1;
	say("event-error errno=%s msg=%s", errname(-ret), last_error(a->c));
	/* A full socket buffer lost events; the socket itself is fine. */
	return ret == -ENOBUFS;
}

/* "WHAT rc=0", or "WHAT rc=-ERRNO errno=NAME msg=TEXT". */
static void say_rc(const char *what, struct app *a, int ret)
{
	if (ret)
		say("%s rc=%d errno=%s msg=%s", what, ret, errname(-ret),
		    last_error(a->c));
	else
		say("%s rc=0", what);
}

static void wake_done(struct app *a)
{
	say_rc("done", a, vw_wake_done(a->c));
}

static uint64_t boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* A SIP-style CRLF ping on the connection, then done, as iOS apps do. */
static void on_keepalive(struct vw_client *c, void *arg)
{
	static const char ping[] = "ka\r\n";
	struct app *a = arg;
	uint64_t t = mono_ns(), boot = boot_ns();

	a->ka_calls++;
	say("keepalive n=%llu t=%llu boot=%llu",
	    (unsigned long long)a->ka_calls, (unsigned long long)t,
	    (unsigned long long)boot);
	if (a->fd >= 0 && a->o.port &&
	    send(a->fd, ping, sizeof(ping) - 1, MSG_NOSIGNAL) < 0)
		say("ka-error errno=%s", errname(errno));
	if (a->o.ka_work_ms)
		usleep(a->o.ka_work_ms * 1000);
	if (!a->o.ka_hang)
		say_rc("ka-done", a, vw_wake_done(c));
}

static void set_keepalive_timer(struct app *a)
{
	int ret = vw_set_keepalive(a->c, a->o.ka_s, on_keepalive, a);

	say_rc("ka-set", a, ret);
	if (ret)
		exit(3);
}

static void send_ack(struct app *a)
{
	char buf[64];
	int len;

	len = snprintf(buf, sizeof(buf), "ack total=%llu\r\n",
		       (unsigned long long)a->total);
	if (send(a->fd, buf, len, MSG_NOSIGNAL) < 0)
		say("ack-error errno=%s", errname(errno));
}

/* The app as it sees itself: vw_app_get_own(). */
static void report_own(struct app *a)
{
	struct vw_app_info ai = { .size = sizeof(ai) };
	int ret = vw_app_get_own(a->c, &ai);

	if (ret) {
		say("own rc=%d errno=%s msg=%s", ret, errname(-ret),
		    last_error(a->c));
		return;
	}
	say("own app=%llu state=%s socks=%u keepalive_s=%u wakes=%llu",
	    (unsigned long long)ai.cgroup_id, app_state(ai.state), ai.socks,
	    ai.keepalive_s,
	    (unsigned long long)(ai.wakes_data + ai.wakes_close +
				 ai.wakes_error + ai.wakes_keepalive));
}

/* One recv(); true once the stream has ended (EOF or error, reported). */
static int read_chunk(struct app *a)
{
	char buf[RECV_MAX];
	ssize_t n = recv(a->fd, buf, sizeof(buf), MSG_DONTWAIT);
	uint64_t t = mono_ns();

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n < 0) {
		say("recv-error errno=%s total=%llu crc=%08x", errname(errno),
		    (unsigned long long)a->total, a->crc);
		return 1;
	}
	if (n == 0) {
		say("eof total=%llu crc=%08x", (unsigned long long)a->total,
		    a->crc);
		return 1;
	}
	a->total += n;
	a->crc = crc32_update(a->crc, buf, n);
	say("recv n=%zd total=%llu t=%llu", n, (unsigned long long)a->total,
	    (unsigned long long)t);
	if (a->o.own)
		report_own(a);
	if (a->o.ack)
		send_ack(a);
	if (a->o.done)
		wake_done(a);
	return 0;
}

static int stdin_ended(void)
{
	char buf[256];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

	return n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN);
}

static int poll_retry(struct pollfd *pfd, int n, int timeout_ms)
{
	int ret = poll(pfd, n, timeout_ms);

	if (ret < 0 && errno != EINTR)
		fail("poll", errno);
	return ret;
}

/* Until the stream ends, or stdin does with --mark-only. */
static void run(struct app *a)
{
	struct pollfd pfd[PFD_MAX] = {
		[PFD_SOCK] = { .fd = a->o.mark_only ? -1 : a->fd },
		[PFD_NL] = { .fd = a->nl_fd },
		[PFD_STDIN] = { .fd = a->o.mark_only ? STDIN_FILENO : -1 },
	};
	int i;

	for (i = 0; i < PFD_MAX; i++)
		pfd[i].events = POLLIN;
	for (;;) {
		if (poll_retry(pfd, PFD_MAX, -1) <= 0)
			continue;
		if (pfd[PFD_NL].revents && !dispatch(a))
			pfd[PFD_NL].fd = -1;
		if (pfd[PFD_SOCK].revents && read_chunk(a))
			return;
		if (pfd[PFD_STDIN].revents && stdin_ended())
			return;
	}
}

/* --linger: the socket is gone, but its events may still come. */
static void linger(struct app *a)
{
	uint64_t end = mono_ns() + a->o.linger_ms * 1000000ULL, now;
	struct pollfd pfd = { .fd = a->nl_fd, .events = POLLIN };

	while ((now = mono_ns()) < end) {
		if (poll_retry(&pfd, 1, (end - now + 999999) / 1000000) > 0 &&
		    !dispatch(a))
			pfd.fd = -1;
	}
}

static void open_client(struct app *a)
{
	int ret = vw_open(&a->c);

	if (ret) {
		say("open-failed errno=%s msg=%s", errname(-ret),
		    last_error(NULL));
		exit(3);
	}
	if (!a->o.events && !a->o.ka)
		return;
	/* The keep-alive handler, too, runs only from vw_dispatch(). */
	if (a->o.events)
		vw_set_event_handler(a->c, on_event, a);
	a->nl_fd = vw_fd(a->c);
	if (a->nl_fd < 0)
		fail("vw_fd", -a->nl_fd);
}

static void set_keepalive(int fd, const struct app_opts *o)
{
	int one = 1;

	if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) ||
	    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &o->keepidle,
		       sizeof(o->keepidle)) ||
	    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &o->keepintvl,
		       sizeof(o->keepintvl)))
		fail("keepalive", errno);
}

static int make_socket(const struct app_opts *o)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback_addr(&ss, o->family, o->port);
	int fd = socket(o->family,
			(o->udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);

	if (fd < 0)
		fail("socket", errno);
	if (o->keepidle)
		set_keepalive(fd, o);
	if (o->port && connect(fd, (struct sockaddr *)&ss, len))
		fail("connect", errno);
	return fd;
}

static const char *family_name(uint32_t family, char *buf, size_t len)
{
	if (family == AF_INET)
		return "4";
	if (family == AF_INET6)
		return "6";
	snprintf(buf, len, "%u", family);
	return buf;
}

static const char *proto_name(uint32_t proto, char *buf, size_t len)
{
	if (proto == IPPROTO_TCP)
		return "tcp";
	if (proto == IPPROTO_UDP)
		return "udp";
	snprintf(buf, len, "%u", proto);
	return buf;
}

static void mark(struct app *a)
{
	struct vw_sock_info info = { .size = sizeof(info) };
	char fam[16], proto[16];
	int ret = vw_mark_socket(a->c, a->fd, a->o.wake_on, &info);

	if (ret) {
		say("mark-failed errno=%s msg=%s", errname(-ret),
		    last_error(a->c));
		exit(3);
	}
	say("marked ino=%llu app=%llu family=%s proto=%s wake_on=0x%x uid=%u",
	    (unsigned long long)info.ino, (unsigned long long)info.cgroup_id,
	    family_name(info.family, fam, sizeof(fam)),
	    proto_name(info.protocol, proto, sizeof(proto)), info.wake_on,
	    info.uid);
}

static void report_unmarked(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		fail("fstat", errno);
	say("not-marked ino=%llu", (unsigned long long)st.st_ino);
}

static void say_hello(int fd)
{
	static const char hello[] = "hello\r\n";

	if (send(fd, hello, sizeof(hello) - 1, MSG_NOSIGNAL) < 0)
		fail("hello", errno);
}

static int parse_keepalive(char *arg, struct app_opts *o)
{
	char *comma = strchr(arg, ',');

	if (!comma)
		return -EINVAL;
	*comma = '\0';
	if (parse_u32(arg, &o->keepidle) || parse_u32(comma + 1, &o->keepintvl) ||
	    !o->keepidle || !o->keepintvl)
		return -EINVAL;
	return 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: vw-app [-6] [--udp] [--cgroup PATH] [--no-mark] [--wake-on LIST]\n"
		"              [--keepalive IDLE,INTVL] [--ready FILE] [--done] [--ack]\n"
		"              [--events] [--linger MS] [--mark-only] [--ka SECONDS]\n"
		"              [--ka-work MS] [--ka-hang] [--own] PORT\n");
	return 2;
}

static int parse_opt(int opt, char *arg, struct app_opts *o)
{
	switch (opt) {
	case '6':
		o->family = AF_INET6;
		return 0;
	case 'u':
		o->udp = 1;
		return 0;
	case 'c':
		o->cgroup = arg;
		return 0;
	case 'n':
		o->mark = 0;
		return 0;
	case 'w':
		return parse_wake_on(arg, &o->wake_on);
	case 'k':
		return parse_keepalive(arg, o);
	case 'r':
		o->ready = arg;
		return 0;
	case 'd':
		o->done = 1;
		return 0;
	case 'a':
		o->ack = 1;
		return 0;
	case 'e':
		o->events = 1;
		return 0;
	case 'l':
		return parse_u32(arg, &o->linger_ms);
	case 'm':
		o->mark_only = 1;
		return 0;
	case 'K':
		o->ka = 1;
		return parse_u32(arg, &o->ka_s);
	case 'H':
		o->ka_hang = 1;
		return 0;
	case 'W':
		return parse_u32(arg, &o->ka_work_ms);
	case 'O':
		o->own = 1;
		return 0;
	}
	return -EINVAL;
}

static int parse_opts(int argc, char **argv, struct app_opts *o)
{
	static const struct option opts[] = {
		{ "udp", no_argument, NULL, 'u' },
		{ "cgroup", required_argument, NULL, 'c' },
		{ "no-mark", no_argument, NULL, 'n' },
		{ "wake-on", required_argument, NULL, 'w' },
		{ "keepalive", required_argument, NULL, 'k' },
		{ "ready", required_argument, NULL, 'r' },
		{ "done", no_argument, NULL, 'd' },
		{ "ack", no_argument, NULL, 'a' },
		{ "events", no_argument, NULL, 'e' },
		{ "linger", required_argument, NULL, 'l' },
		{ "mark-only", no_argument, NULL, 'm' },
		{ "ka", required_argument, NULL, 'K' },
		{ "ka-hang", no_argument, NULL, 'H' },
		{ "ka-work", required_argument, NULL, 'W' },
		{ "own", no_argument, NULL, 'O' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	o->family = AF_INET;
	o->mark = 1;
	while ((opt = getopt_long(argc, argv, "6", opts, NULL)) != -1) {
		if (parse_opt(opt, optarg, o))
			return -EINVAL;
	}
	if (optind != argc - 1 || parse_u32(argv[optind], &o->port) ||
	    o->port > 65535 || (!o->port && !o->mark_only) ||
	    (o->keepidle && o->udp) || ((o->ka_hang || o->ka_work_ms) && !o->ka) ||
	    o->ka_work_ms > 60000)
		return -EINVAL;
	return 0;
}

int main(int argc, char **argv)
{
	struct app a = { .nl_fd = -1, .fd = -1 };
	int ret;

	if (parse_opts(argc, argv, &a.o))
		return usage();
	if (a.o.cgroup) {
		ret = join_cgroup(a.o.cgroup);
		if (ret)
			fail("cgroup", -ret);
	}
	if (a.o.mark || a.o.done || a.o.events || a.o.ka || a.o.own)
		open_client(&a);
	if (a.o.own)
		report_own(&a);
	a.fd = make_socket(&a.o);
	if (a.o.mark)
		mark(&a);
	else
		report_unmarked(a.fd);
	if (a.o.ka)
		set_keepalive_timer(&a);
	if (a.o.own)
		report_own(&a);
	if (a.o.udp && a.o.port)
		say_hello(a.fd);
	if (a.o.ready) {
		ret = touch(a.o.ready);
		if (ret)
			fail("ready", -ret);
	}
	run(&a);
	close(a.fd);
	a.fd = -1;
	linger(&a);
	vw_close(a.c);
	return 0;
}
