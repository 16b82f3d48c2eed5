// SPDX-License-Identifier: MIT
/*
 * voip-client [-k SECONDS] [-u USER] HOST PORT: the signalling side of a
 * VoIP app, the voipwake way. It registers over TCP, marks its socket and
 * asks for a keep-alive. In the background it is frozen: an INVITE wakes
 * it, it answers and says done; its keep-alive handler sends an RFC 5626
 * ping (CRLF CRLF), reads the pong (CRLF) and says done. One line on
 * stdout per thing that happens; it exits when the server hangs up.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <voipwake.h>

struct client {
	struct vw_client *vw;
	int fd;			/* the signalling connection */
	char buf[4096];		/* what came in, up to a line's end */
	size_t len;
	unsigned int pongs;
	int answered;		/* an INVITE was answered: say done */
	int eof;
};

static void die(const char *what, int err, const char *msg)
{
	fprintf(stderr, "voip-client: %s: %s%s%s\n", what, strerror(err),
		msg ? ": " : "", msg ? msg : "");
	exit(1);
}

static void send_str(struct client *cl, const char *s)
{
	if (send(cl->fd, s, strlen(s), MSG_NOSIGNAL) < 0)
		printf("send failed: %s\n", strerror(errno));
}

/* One line from the server, without its CRLF. */
static void on_line(struct client *cl, const char *line)
{
	if (!line[0]) {
		cl->pongs++;
		printf("keep-alive: pong\n");
	} else if (!strncmp(line, "INVITE ", 7)) {
		printf("invite: %s\n", line);
		send_str(cl, "180 Ringing\r\n");
		send_str(cl, "200 OK\r\n");	/* a real phone would ring */
		printf("answered: 180 Ringing, 200 OK\n");
		cl->answered = 1;
	} else if (!strcmp(line, "200 OK")) {
		printf("registered\n");
	} else {
		printf("server: %s\n", line);
	}
}

/* Whatever the socket holds now, line by line; never blocks. */
static void read_lines(struct client *cl)
{
	char *start = cl->buf, *nl;
	ssize_t n = recv(cl->fd, cl->buf + cl->len,
			 sizeof(cl->buf) - 1 - cl->len, MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		cl->eof = 1;
		return;
	}
	cl->len += n;
	cl->buf[cl->len] = '\0';
	for (; (nl = strchr(start, '\n')); start = nl + 1) {
		*nl = '\0';
		if (nl > start && nl[-1] == '\r')
			nl[-1] = '\0';
		on_line(cl, start);
	}
	cl->len -= start - cl->buf;
	memmove(cl->buf, start, cl->len);
	if (cl->len == sizeof(cl->buf) - 1)
		cl->len = 0;	/* no line is that long: drop it */
}

/* Frozen again at once: vw_wake_done() returns at the next wake. */
static void wake_done(struct client *cl)
{
	int ret;

	cl->answered = 0;
	printf("done\n");
	ret = vw_wake_done(cl->vw);
	if (ret)
		printf("done refused: %s\n", ret == -EINVAL ?
		       "not in a wake window (foreground?)" : strerror(-ret));
	else
		printf("resumed\n");
}

static void on_event(const struct vw_event *ev, void *arg)
{
	static const char *const why[] = { "?", "data", "close", "error",
					   "keepalive" };
	uint32_t r = ev->reason <= VOIPWAKE_WAKE_MAX ? ev->reason : 0;

	(void)arg;
	if (ev->type == VOIPWAKE_CMD_APP_WOKEN_NTF)
		printf("woken: %s%s\n", why[r],
		       ev->keepalive && r != VOIPWAKE_WAKE_KEEPALIVE ?
		       ", the keep-alive is due too" : "");
}

/* The keep-alive handler: ping, wait a little for the pong, done. */
static void on_keepalive(struct vw_client *vw, void *arg)
{
	struct client *cl = arg;
	struct pollfd pfd = { .fd = cl->fd, .events = POLLIN };
	unsigned int pongs = cl->pongs;

	(void)vw;
	send_str(cl, "\r\n\r\n");
	printf("keep-alive: ping sent\n");
	while (cl->pongs == pongs && !cl->eof && poll(&pfd, 1, 5000) > 0)
		read_lines(cl);
	if (cl->pongs == pongs)
		printf("keep-alive: no pong\n");
	wake_done(cl);
}

static int dial(const char *host, const char *port)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	int fd, ret = getaddrinfo(host, port, &hints, &ai);

	if (ret) {
		fprintf(stderr, "voip-client: %s: %s\n", host, gai_strerror(ret));
		exit(1);
	}
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen))
		die("connect", errno, NULL);
	freeaddrinfo(ai);
	printf("connected to %s port %s\n", host, port);
	return fd;
}

int main(int argc, char **argv)
{
	struct vw_sock_info si = { .size = sizeof(si) };
	struct client cl = { .fd = -1 };
	const char *user = "alice";
	struct pollfd pfd[2];
	long ka = 600;
	int opt, ret;

	setvbuf(stdout, NULL, _IOLBF, 0);	/* one line, one write */
	while ((opt = getopt(argc, argv, "k:u:")) != -1 && opt != '?') {
		if (opt == 'k')
			ka = atol(optarg);
		else
			user = optarg;
	}
	if (opt == '?' || optind != argc - 2 || ka < 0) {
		fprintf(stderr, "usage: voip-client [-k SECONDS] [-u USER] HOST PORT\n");
		return 2;
	}
	cl.fd = dial(argv[optind], argv[optind + 1]);

	/* The bargain: mark the signalling socket, ask for a keep-alive. */
	if ((ret = vw_open(&cl.vw)))
		die("vw_open", -ret, vw_last_error(NULL));
	if ((ret = vw_mark_socket(cl.vw, cl.fd, 0, &si)))
		die("vw_mark_socket", -ret, vw_last_error(cl.vw));
	printf("marked: socket %llu, app %llu\n", (unsigned long long)si.ino,
	       (unsigned long long)si.cgroup_id);
	vw_set_event_handler(cl.vw, on_event, &cl);
	if (ka && (ret = vw_set_keepalive(cl.vw, ka, on_keepalive, &cl)))
		die("vw_set_keepalive", -ret, vw_last_error(cl.vw));
	if (ka)
		printf("keep-alive: every %ld s at most\n", ka);
	dprintf(cl.fd, "REGISTER %s\r\n", user);
	printf("register: sent as %s\n", user);

	pfd[0] = (struct pollfd){ .fd = vw_fd(cl.vw), .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = cl.fd, .events = POLLIN };
	if (pfd[0].fd < 0)
		die("vw_fd", -pfd[0].fd, vw_last_error(cl.vw));
	while (!cl.eof) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll", errno, NULL);
		}
		/* Events first: they tell why we are running. */
		if ((pfd[0].revents & POLLIN) &&
		    (ret = vw_dispatch(cl.vw)) < 0 && ret != -ENOBUFS)
			die("vw_dispatch", -ret, vw_last_error(cl.vw));
		if (pfd[1].revents)
			read_lines(&cl);
		if (cl.answered && !cl.eof)
			wake_done(&cl);
	}
	printf("server closed the connection\n");
	vw_close(cl.vw);
	close(cl.fd);
	return 0;
}
