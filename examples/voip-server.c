// SPDX-License-Identifier: MIT
/*
 * voip-server PORT: the other end of voip-client, a toy registrar. It
 * listens on PORT (IPv6 and IPv4), answers "REGISTER USER" with "200 OK",
 * and an RFC 5626 keep-alive ping (CRLF CRLF) with a pong (CRLF). Commands
 * on stdin, one a line:
 *
 *   invite USER   send "INVITE sip:USER@example.org SIP/2.0" to USER
 *   quit          close every connection and exit (so does end of input)
 *
 * It prints one line per event, and needs no libvoipwake. A client's
 * answer to an INVITE shows how long after the INVITE it came: for a
 * client frozen in the background, that is its wake latency plus its
 * reply.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS	16

struct conn {
	int fd;			/* -1: a free slot */
	int id;			/* client number, from 1 */
	char user[64];		/* as registered; "" before */
	int blanks;		/* empty lines in a row: two are a ping */
	struct timespec invited;	/* when the last INVITE went; 0: none */
	char buf[4096];
	size_t len;
};

/* slot 0 is stdin, the others are clients */
static struct conn conns[1 + MAX_CLIENTS];
static struct pollfd pfds[2 + MAX_CLIENTS];	/* and the listener last */

static void die(const char *what)
{
	fprintf(stderr, "voip-server: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void send_str(struct conn *c, const char *s)
{
	if (send(c->fd, s, strlen(s), MSG_NOSIGNAL) < 0)
		printf("client %d: send failed: %s\n", c->id, strerror(errno));
}

static void invite(const char *user)
{
	char msg[160];
	int i;

	for (i = 1; i <= MAX_CLIENTS; i++) {
		if (conns[i].fd >= 0 && !strcmp(conns[i].user, user))
			break;
	}
	if (i > MAX_CLIENTS) {
		printf("no client registered as %s\n", user);
		return;
	}
	snprintf(msg, sizeof(msg), "INVITE sip:%s@example.org SIP/2.0\r\n",
		 user);
	clock_gettime(CLOCK_MONOTONIC, &conns[i].invited);
	send_str(&conns[i], msg);
	printf("invite sent to %s (client %d)\n", user, conns[i].id);
}

/* A line from stdin; 0 to quit. */
static int on_command(char *line)
{
	if (!strncmp(line, "invite ", 7) && line[7])
		invite(line + 7);
	else if (!strcmp(line, "quit"))
		return 0;
	else if (line[0])
		printf("unknown command '%s': try 'invite USER' or 'quit'\n",
		       line);
	return 1;
}

static void on_client_line(struct conn *c, char *line)
{
	struct timespec now;

	if (!line[0]) {
		if (++c->blanks < 2)
			return;
		c->blanks = 0;
		send_str(c, "\r\n");
		printf("client %d: ping, pong sent\n", c->id);
		return;
	}
	c->blanks = 0;
	if (!strncmp(line, "REGISTER ", 9)) {
		snprintf(c->user, sizeof(c->user), "%s", line + 9);
		send_str(c, "200 OK\r\n");
		printf("client %d registered as %s\n", c->id, c->user);
	} else if (c->invited.tv_sec && (!strncmp(line, "180 ", 4) ||
					 !strncmp(line, "200 ", 4))) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		printf("client %d: %s (%.1f ms after the INVITE)\n", c->id, line,
		       (now.tv_sec - c->invited.tv_sec) * 1e3 +
		       (now.tv_nsec - c->invited.tv_nsec) / 1e6);
	} else {
		printf("client %d: %s\n", c->id, line);
	}
}

/* Reads what @c holds, a line at a time; 0 at its end (or on quit). */
static int read_lines(struct conn *c)
{
	char *start = c->buf, *nl;
	ssize_t n = read(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
	int go_on = 1;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 1;
	if (n <= 0)
		return 0;
	c->len += n;
	c->buf[c->len] = '\0';
	for (; go_on && (nl = strchr(start, '\n')); start = nl + 1) {
		*nl = '\0';
		if (nl > start && nl[-1] == '\r')
			nl[-1] = '\0';
		if (c == &conns[0])
			go_on = on_command(start);
		else
			on_client_line(c, start);
	}
	c->len -= start - c->buf;
	memmove(c->buf, start, c->len);
	if (c->len == sizeof(c->buf) - 1)
		c->len = 0;	/* no line is that long: drop it */
	return go_on;
}

static int listen_on(int port)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons(port) };
	struct sockaddr_in a4 = { .sin_family = AF_INET,
				  .sin_port = htons(port) };
	int one = 1, off = 0;
	int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);

	/* Both families on one socket; IPv4 alone where there is no IPv6. */
	if (fd >= 0) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&a6, sizeof(a6)))
			die("bind");
	} else {
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			die("socket");
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&a4, sizeof(a4)))
			die("bind");
	}
	if (listen(fd, 8))
		die("listen");
	printf("listening on port %d\n", port);
	return fd;
}

static void accept_client(int lfd)
{
	static int next_id = 1;
	int fd = accept(lfd, NULL, NULL), i;

	if (fd < 0)
		return;
	for (i = 1; i <= MAX_CLIENTS && conns[i].fd >= 0; i++)
		;
	if (i > MAX_CLIENTS) {
		printf("too many clients: connection refused\n");
		close(fd);
		return;
	}
	conns[i] = (struct conn){ .fd = fd, .id = next_id++ };
	pfds[i].fd = fd;
	printf("client %d connected\n", conns[i].id);
}

int main(int argc, char **argv)
{
	int port = argc == 2 ? atoi(argv[1]) : 0;
	int i, lfd, running = 1;

	if (port <= 0 || port > 65535) {
		fprintf(stderr, "usage: voip-server PORT\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);	/* one line, one write */
	lfd = listen_on(port);
	for (i = 0; i <= MAX_CLIENTS; i++) {
		conns[i].fd = i ? -1 : STDIN_FILENO;
		pfds[i] = (struct pollfd){ .fd = conns[i].fd, .events = POLLIN };
	}
	pfds[1 + MAX_CLIENTS] = (struct pollfd){ .fd = lfd, .events = POLLIN };

	while (running) {
		if (poll(pfds, 2 + MAX_CLIENTS, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if (pfds[0].revents && !read_lines(&conns[0]))
			running = 0;
		for (i = 1; i <= MAX_CLIENTS; i++) {
			if (!pfds[i].revents || conns[i].fd < 0 ||
			    read_lines(&conns[i]))
				continue;
			printf("client %d closed the connection\n",
			       conns[i].id);
			close(conns[i].fd);
			conns[i].fd = pfds[i].fd = -1;
		}
		if (pfds[1 + MAX_CLIENTS].revents)
			accept_client(lfd);
	}
	for (i = 1; i <= MAX_CLIENTS; i++) {
		if (conns[i].fd >= 0)
			close(conns[i].fd);
	}
	printf("bye\n");
	return 0;
}
