// SPDX-License-Identifier: GPL-2.0
/*
 * vw-peer [-6] [--udp] PORT: the remote end a test app talks to, driven
 * line by line from stdin so that a scenario decides exactly when bytes,
 * FINs and RSTs reach the app.
 *
 * Listens on 127.0.0.1 (::1 with -6) PORT (0: any free port) and prints
 * "listening port=N". TCP: accepts one connection, prints "accepted".
 * UDP: waits for the app's first datagram, connects back to its sender
 * and prints "peer-known n=N text=T". Then one result line per command:
 *
 *   send N [SEED]   N bytes of the pseudo-random stream; SEED restarts the
 *                   stream from SEED (it starts at seed 1). UDP: one
 *                   datagram, N <= 1400.            -> sent n=N t=NS
 *   msg TEXT        TEXT plus "\r\n"                -> sent n=N t=NS
 *   close           TCP: FIN (shutdown, close). UDP: an empty datagram,
 *                   which vw-app takes for end of stream, then close.
 *                                                   -> closed t=NS
 *   reset           TCP only: RST (SO_LINGER 0, close) -> reset t=NS
 *   keepalive IDLE_S INTVL_S  TCP keep-alive on     -> keepalive-on
 *   recv            waits for data from the app     -> recv n=N text=T
 *   crc             of everything sent so far       -> crc total=N crc=HEX
 *   sleep MS                                        -> slept
 *   quit, or end of stdin: exit 0
 *
 * t= is CLOCK_MONOTONIC in ns, read just before the send/shutdown/close.
 * text= escapes \\, \r, \n, \t and any byte outside '!'..'~' (space too)
 * as \xHH, so it is always one word. Any failure prints
 * "error what=WHAT errno=NAME" and exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "crc32.h"
#include "util.h"

#define UDP_MAX		1400
#define CHUNK		65536
#define RECV_MAX	2048

struct peer {
	int fd;			/* the connection; -1 once closed */
	int udp;
	uint64_t rng;		/* stream state: 64-bit LCG */
	uint64_t total;		/* bytes sent */
	uint32_t crc;		/* of those bytes */
};

struct command {
	const char *name;
	void (*run)(struct peer *p, char *args);
};

static uint8_t stream_byte(struct peer *p)
{
	p->rng = p->rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return p->rng >> 56;
}

/* @in as one word: see "text=" at the top. @out holds 4 * @n + 1. */
static char *escape(const char *in, size_t n, char *out)
{
	char *o = out;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = in[i];

		if (ch == '\\')
			o += sprintf(o, "\\\\");
		else if (ch == '\r')
			o += sprintf(o, "\\r");
		else if (ch == '\n')
			o += sprintf(o, "\\n");
		else if (ch == '\t')
			o += sprintf(o, "\\t");
		else if (ch > ' ' && ch < 0x7f)
			*o++ = ch;
		else
			o += sprintf(o, "\\x%02x", ch);
	}
	*o = '\0';
	return out;
}

static int need_conn(struct peer *p, const char *what, int tcp_only)
{
	if (p->fd < 0)
		fail(what, ENOTCONN);
	if (tcp_only && p->udp)
		fail(what, EOPNOTSUPP);
	return p->fd;
}

/* Sends all of @buf (one datagram for UDP) and adds it to the crc. */
static void send_all(struct peer *p, const char *buf, size_t len)
{
	size_t off = 0;
	ssize_t n;

	do {
		n = send(p->fd, buf + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			fail("send", errno);
		off += n;
	} while (off < len);
	p->crc = crc32_update(p->crc, buf, len);
	p->total += len;
}

static void cmd_send(struct peer *p, char *args)
{
	char *save, *count = strtok_r(args, " \t", &save);
	char *seed = strtok_r(NULL, " \t", &save);
	uint32_t n, s = 0, len, i, j;
	uint64_t t = 0;
	char *buf;

	if (!count || parse_u32(count, &n) || !n ||
	    (seed && parse_u32(seed, &s)) || strtok_r(NULL, " \t", &save))
		fail("send", EINVAL);
	need_conn(p, "send", 0);
	if (p->udp && n > UDP_MAX)
		fail("send", EMSGSIZE);
	if (seed)
		p->rng = s;
	buf = malloc(CHUNK);
	if (!buf)
		fail("send", ENOMEM);
	for (i = 0; i < n; i += len) {
		len = n - i < CHUNK ? n - i : CHUNK;
		for (j = 0; j < len; j++)
			buf[j] = stream_byte(p);
		if (!i)
			t = mono_ns();
		send_all(p, buf, len);
	}
	free(buf);
	say("sent n=%u t=%llu", n, (unsigned long long)t);
}

static void cmd_msg(struct peer *p, char *args)
{
	size_t len = strlen(args);
	uint64_t t;
	char *buf;

	need_conn(p, "msg", 0);
	buf = malloc(len + 3);
	if (!buf)
		fail("msg", ENOMEM);
	memcpy(buf, args, len);
	memcpy(buf + len, "\r\n", 3);
	len += 2;
	if (p->udp && len > UDP_MAX)
		fail("msg", EMSGSIZE);
	t = mono_ns();
	send_all(p, buf, len);
	free(buf);
	say("sent n=%zu t=%llu", len, (unsigned long long)t);
}

/*
 * Reads what the app sent and nobody asked for: closing with unread data
 * would send an RST after our FIN, and the test asked for a clean close.
 */
static void drain(int fd)
{
	char buf[RECV_MAX];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

static void cmd_close(struct peer *p, char *args)
{
	int fd = need_conn(p, "close", 0);
	uint64_t t;

	(void)args;
	if (!p->udp)
		drain(fd);
	t = mono_ns();
	/* Errors do not matter: the app may be gone already. */
	if (p->udp)
		send(fd, "", 0, MSG_NOSIGNAL);
	else
		shutdown(fd, SHUT_WR);
	close(fd);
	p->fd = -1;
	say("closed t=%llu", (unsigned long long)t);
}

static void cmd_reset(struct peer *p, char *args)
{
	int fd = need_conn(p, "reset", 1);
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	uint64_t t;

	(void)args;
	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)))
		fail("reset", errno);
	t = mono_ns();
	close(fd);
	p->fd = -1;
	say("reset t=%llu", (unsigned long long)t);
}

static void cmd_keepalive(struct peer *p, char *args)
{
	int fd = need_conn(p, "keepalive", 1);
	char *save, *idle_s = strtok_r(args, " \t", &save);
	char *intvl_s = strtok_r(NULL, " \t", &save);
	uint32_t idle, intvl;
	int one = 1;

	if (!idle_s || !intvl_s || strtok_r(NULL, " \t", &save) ||
	    parse_u32(idle_s, &idle) || parse_u32(intvl_s, &intvl))
		fail("keepalive", EINVAL);
	if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) ||
	    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle)) ||
	    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl)))
		fail("keepalive", errno);
	say("keepalive-on");
}

static void cmd_recv(struct peer *p, char *args)
{
	int fd = need_conn(p, "recv", 0);
	char buf[RECV_MAX], text[4 * RECV_MAX + 1];
	ssize_t n;

	(void)args;
	do {
		n = recv(fd, buf, sizeof(buf), 0);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		fail("recv", errno);
	say("recv n=%zd text=%s", n, escape(buf, n, text));
}

static void cmd_crc(struct peer *p, char *args)
{
	(void)args;
	say("crc total=%llu crc=%08x", (unsigned long long)p->total, p->crc);
}

static void cmd_sleep(struct peer *p, char *args)
{
	struct timespec ts;
	uint32_t ms;

	(void)p;
	if (parse_u32(args, &ms))
		fail("sleep", EINVAL);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	say("slept");
}

static void cmd_quit(struct peer *p, char *args)
{
	(void)p;
	(void)args;
	exit(0);
}

static const struct command commands[] = {
	{ "send", cmd_send },
	{ "msg", cmd_msg },
	{ "close", cmd_close },
	{ "reset", cmd_reset },
	{ "keepalive", cmd_keepalive },
	{ "recv", cmd_recv },
	{ "crc", cmd_crc },
	{ "sleep", cmd_sleep },
	{ "quit", cmd_quit },
};

static void run_line(struct peer *p, char *line)
{
	char *args;
	size_t i;

	line[strcspn(line, "\r\n")] = '\0';
	if (!*line)
		return;
	args = strchr(line, ' ');
	if (args)
		*args++ = '\0';
	else
		args = line + strlen(line);
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		if (!strcmp(line, commands[i].name)) {
			commands[i].run(p, args);
			return;
		}
	}
	fail("command", EINVAL);
}

static int bind_loopback(int family, int type, unsigned int port)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback_addr(&ss, family, port);
	int one = 1, fd = socket(family, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		fail("socket", errno);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		fail("setsockopt", errno);
	if (bind(fd, (struct sockaddr *)&ss, len))
		fail("bind", errno);
	if (type == SOCK_STREAM && listen(fd, 1))
		fail("listen", errno);
	len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len))
		fail("getsockname", errno);
	say("listening port=%u", sock_port(&ss));
	return fd;
}

static int accept_one(int lfd)
{
	int fd;

	do {
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0)
		fail("accept", errno);
	close(lfd);
	say("accepted");
	return fd;
}

/* UDP: the app's first datagram tells us where it is. */
static int learn_peer(int fd)
{
	char buf[RECV_MAX], text[4 * RECV_MAX + 1];
	struct sockaddr_storage ss;
	socklen_t len;
	ssize_t n;

	do {
		len = sizeof(ss);
		n = recvfrom(fd, buf, sizeof(buf), 0,
			     (struct sockaddr *)&ss, &len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		fail("recv", errno);
	if (connect(fd, (struct sockaddr *)&ss, len))
		fail("connect", errno);
	say("peer-known n=%zd text=%s", n, escape(buf, n, text));
	return fd;
}

static int usage(void)
{
	fprintf(stderr, "usage: vw-peer [-6] [--udp] PORT\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "udp", no_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	struct peer p = { .fd = -1, .rng = 1 };
	int family = AF_INET, fd, opt;
	uint32_t port;
	char line[4096];

	while ((opt = getopt_long(argc, argv, "6", opts, NULL)) != -1) {
		if (opt == '6')
			family = AF_INET6;
		else if (opt == 'u')
			p.udp = 1;
		else
			return usage();
	}
	if (optind != argc - 1 || parse_u32(argv[optind], &port) ||
	    port > 65535)
		return usage();

	fd = bind_loopback(family, p.udp ? SOCK_DGRAM : SOCK_STREAM, port);
	p.fd = p.udp ? learn_peer(fd) : accept_one(fd);
	while (fgets(line, sizeof(line), stdin))
		run_line(&p, line);
	return 0;
}
