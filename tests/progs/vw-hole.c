// SPDX-License-Identifier: GPL-2.0
/*
 * vw-hole ROLE ...: the attacks and races of issue 15, one role each. Each
 * prints what it did and what it got, one "key=value" line, and exits 0
 * when it could run at all (the scenario judges the result), 1 on a setup
 * error ("error what=WHAT errno=NAME").
 *
 *   fdflip SECS MINE THEIRS
 *       (as a user to whom MINE is delegated) one thread dup2()s MINE and
 *       THEIRS by turns over one fd while another backgrounds and
 *       foregrounds through that fd; after each background that
 *       succeeded, THEIRS/cgroup.freeze is read. Prints "fdflip
 *       requests=N ok=N froze_theirs=N".
 *   listen SECS
 *       (in its app's cgroup) marks a fresh bound TCP socket while
 *       another thread calls listen() on it, again and again. Prints
 *       "listen rounds=N marked=N listening=N both=N"; for each "both" it
 *       also accepts two children and closes one.
 *   markrace SECS CGROUP
 *       (in CGROUP) one thread closes the app's only marked socket while
 *       another marks a second one, again and again; then the app must
 *       hold that second socket. Prints "markrace rounds=N lost=N".
 *   addrform tcp|udp PORT
 *       a v4-mapped IPv6 socket connected to 127.0.0.1:PORT, marked, then
 *       setsockopt(IPV6_ADDRFORM, AF_INET), then closed. Prints
 *       "addrform mark=ERR addrform=ERR ino=INO".
 *   ulp NAME PORT
 *       a TCP socket connected to 127.0.0.1:PORT, marked, then
 *       setsockopt(TCP_ULP, NAME), then closed. Prints "ulp mark=ERR
 *       ulp=ERR ino=INO".
 *   quiet PORT
 *       a UDP socket connected to 127.0.0.1:PORT and marked; then the
 *       library's netlink sockets (one of which marked it) are closed,
 *       and the socket is held until stdin ends. Prints "quiet
 *       portids=P,P ino=INO" once they are closed.
 *   selfka SECS
 *       sets its own app's keep-alive (min_keepalive_s) and holds the
 *       netlink socket that did for SECS. Prints "selfka ka=ERR".
 *   winapp SECS PORT NSOCKS
 *       (in its app's cgroup) a UDP socket on 127.0.0.1:PORT marked for
 *       data, then NSOCKS-1 more, marked for errors only, with large
 *       receive buffers, whose ports it prints ("fill P P ..."); then for
 *       SECS answers each datagram on the first with "ack" to its sender.
 *   winpeer SECS PORT FILL...
 *       fills each FILL port with 3000 datagrams (the app never reads
 *       them: a long scan at each window's end), then sends a datagram to
 *       PORT at random instants, each waiting up to 5 s for its ack.
 *       One not acked by then gets 25 s more with nothing else sent: a
 *       lost wake leaves the app frozen with the datagram queued, and
 *       only a new one would wake it, while a slow guest answers late.
 *       Prints "late seq=N" or "lost seq=N" for each, then
 *       "winpeer sent=N lost=N late=N".
 *   nlbind PORTID[,PORTID...] SECS
 *       binds a generic netlink socket to each PORTID and counts what
 *       arrives in SECS. Prints "nlbind bound=ERR received=N".
 *
 * ERR is "ok" or an errno name.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <voipwake.h>

#include "util.h"

static const char *res(int err)
{
	return err ? errname(err < 0 ? -err : err) : "ok";
}

static struct vw_client *client(void)
{
	struct vw_client *c;
	int ret = vw_open(&c);

	if (ret)
		fail("vw_open", -ret);
	return c;
}

static int open_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		fail(path, errno);
	return fd;
}

static atomic_int stop;

/* fdflip: the fd both threads use, and the two it is made from. */
static int flip_fd, flip_mine, flip_theirs;

static void *flipper(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		dup2(flip_mine, flip_fd);
		dup2(flip_theirs, flip_fd);
	}
	return NULL;
}

static int fdflip(double secs, const char *mine, const char *theirs)
{
	unsigned long n = 0, ok = 0, froze = 0;
	uint64_t end = mono_ns() + (uint64_t)(secs * 1e9);
	struct vw_client *c = client();
	char path[512], buf[8];
	pthread_t t;
	int f;

	flip_mine = open_dir(mine);
	flip_theirs = open_dir(theirs);
	flip_fd = dup(flip_mine);
	snprintf(path, sizeof(path), "%s/cgroup.freeze", theirs);
	if (pthread_create(&t, NULL, flipper, NULL))
		fail("pthread_create", EAGAIN);
	while (mono_ns() < end) {
		n++;
		if (vw_app_set_state(c, flip_fd, VOIPWAKE_APP_STATE_BACKGROUND))
			continue;
		ok++;
		f = open(path, O_RDONLY | O_CLOEXEC);
		if (f >= 0 && read(f, buf, 1) == 1 && buf[0] == '1')
			froze++;
		if (f >= 0)
			close(f);
		vw_app_set_state(c, flip_fd, VOIPWAKE_APP_STATE_FOREGROUND);
	}
	atomic_store(&stop, 1);
	pthread_join(t, NULL);
	say("fdflip requests=%lu ok=%lu froze_theirs=%lu", n, ok, froze);
	vw_close(c);
	return 0;
}

/* listen: the socket both threads use, and a start line. */
static int lsock;
static atomic_int lgo, lres;

static void *listener(void *arg)
{
	(void)arg;
	while (!atomic_load(&lgo))
		;
	atomic_store(&lres, listen(lsock, 8) ? -errno : 1);
	return NULL;
}

static int tcp_loopback(uint16_t port, int family)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int s = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		fail("socket", errno);
	if (family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		memset(&ss, 0, sizeof(ss));
		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		inet_pton(AF_INET6, "::ffff:127.0.0.1", &a->sin6_addr);
		len = sizeof(*a);
	} else {
		len = loopback_addr(&ss, AF_INET, port);
	}
	if (port && connect(s, (struct sockaddr *)&ss, len))
		fail("connect", errno);
	if (!port && bind(s, (struct sockaddr *)&ss, len))
		fail("bind", errno);
	return s;
}

/* Two children of a listener that is marked: accept them, close one. */
static void exercise_children(int l)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int c1, c2, a1, a2;

	if (getsockname(l, (struct sockaddr *)&ss, &len))
		return;
	c1 = tcp_loopback(sock_port(&ss), AF_INET);
	c2 = tcp_loopback(sock_port(&ss), AF_INET);
	a1 = accept(l, NULL, NULL);
	a2 = accept(l, NULL, NULL);
	if (a1 >= 0)
		close(a1);
	if (c2 >= 0)
		send(c2, "x", 1, 0);
	usleep(10000);
	if (a2 >= 0)
		close(a2);
	close(c1);
	close(c2);
}

static int listen_race(double secs)
{
	unsigned long n = 0, marked = 0, listening = 0, both = 0;
	uint64_t end = mono_ns() + (uint64_t)(secs * 1e9);
	struct vw_client *c = client();
	pthread_t t;
	int m;

	while (mono_ns() < end) {
		lsock = tcp_loopback(0, AF_INET);
		atomic_store(&lgo, 0);
		atomic_store(&lres, 0);
		if (pthread_create(&t, NULL, listener, NULL))
			fail("pthread_create", EAGAIN);
		atomic_store(&lgo, 1);
		m = vw_mark_socket(c, lsock, 0, NULL);
		pthread_join(t, NULL);
		n++;
		marked += !m;
		listening += atomic_load(&lres) == 1;
		if (!m && atomic_load(&lres) == 1) {
			both++;
			exercise_children(lsock);
		}
		close(lsock);
	}
	say("listen rounds=%lu marked=%lu listening=%lu both=%lu", n, marked,
	    listening, both);
	vw_close(c);
	return 0;
}

/* markrace: the app's first socket, closed as the second is marked. */
static int first_sock;
static atomic_int mgo;

static void *closer(void *arg)
{
	(void)arg;
	while (!atomic_load(&mgo))
		;
	close(first_sock);
	return NULL;
}

static int udp_sock(void)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		fail("socket", errno);
	return s;
}

static int markrace(double secs, const char *cgroup)
{
	uint64_t end = mono_ns() + (uint64_t)(secs * 1e9);
	struct vw_app_info ai = { .size = sizeof(ai) };
	unsigned long n = 0, lost = 0;
	struct vw_client *c = client();
	int cg = open_dir(cgroup), s, ret;
	pthread_t t;

	if (join_cgroup(cgroup))
		fail("join_cgroup", errno);
	while (mono_ns() < end) {
		first_sock = udp_sock();
		ret = vw_mark_socket(c, first_sock, 0, NULL);
		if (ret)
			fail("mark first", -ret);
		s = udp_sock();
		atomic_store(&mgo, 0);
		if (pthread_create(&t, NULL, closer, NULL))
			fail("pthread_create", EAGAIN);
		atomic_store(&mgo, 1);
		ret = vw_mark_socket(c, s, 0, NULL);
		pthread_join(t, NULL);
		n++;
		if (ret && ret != -EAGAIN)
			fail("mark second", -ret);
		if (!ret && (vw_app_get(c, cg, &ai) || ai.socks != 1)) {
			lost++;
			say("lost round=%lu socks=%u", n, ai.socks);
		}
		close(s);
	}
	say("markrace rounds=%lu lost=%lu", n, lost);
	vw_close(c);
	return 0;
}

static int addrform(const char *kind, uint16_t port)
{
	struct vw_sock_info si = { .size = sizeof(si) };
	struct vw_client *c = client();
	struct sockaddr_in6 a = { .sin6_family = AF_INET6,
				  .sin6_port = htons(port) };
	int udp = !strcmp(kind, "udp"), v = AF_INET, s, m, r;

	inet_pton(AF_INET6, "::ffff:127.0.0.1", &a.sin6_addr);
	s = socket(AF_INET6, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC,
		   0);
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)))
		fail("connect", errno);
	m = vw_mark_socket(c, s, 0, &si);
	r = setsockopt(s, SOL_IPV6, IPV6_ADDRFORM, &v, sizeof(v)) ? -errno : 0;
	say("addrform mark=%s addrform=%s ino=%llu", res(m), res(r),
	    (unsigned long long)si.ino);
	close(s);
	vw_close(c);
	return 0;
}

static int ulp(const char *name, uint16_t port)
{
	struct vw_sock_info si = { .size = sizeof(si) };
	struct vw_client *c = client();
	int s = tcp_loopback(port, AF_INET), m, r;

	m = vw_mark_socket(c, s, 0, &si);
	r = setsockopt(s, SOL_TCP, TCP_ULP, name, strlen(name)) ? -errno : 0;
	say("ulp mark=%s ulp=%s ino=%llu", res(m), res(r),
	    (unsigned long long)si.ino);
	close(s);
	vw_close(c);
	return 0;
}

/* Appends the portid of each generic netlink socket we hold to @out. */
static void netlink_portids(char *out, size_t size)
{
	struct sockaddr_nl nl;
	socklen_t len;
	size_t n = 0;
	int fd, proto;

	out[0] = '\0';
	for (fd = 3; fd < 256; fd++) {
		len = sizeof(proto);
		if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) ||
		    proto != NETLINK_GENERIC)
			continue;
		len = sizeof(nl);
		if (getsockname(fd, (struct sockaddr *)&nl, &len) ||
		    nl.nl_family != AF_NETLINK)
			continue;
		n += snprintf(out + n, size - n, "%s%u", n ? "," : "",
			      nl.nl_pid);
		if (n >= size)
			break;
	}
}

static int quiet(uint16_t port)
{
	struct vw_sock_info si = { .size = sizeof(si) };
	struct vw_client *c = client();
	struct sockaddr_storage ss;
	int s = udp_sock(), ret;
	char buf[64], ids[128];
	socklen_t len;

	len = loopback_addr(&ss, AF_INET, port);
	if (connect(s, (struct sockaddr *)&ss, len))
		fail("connect", errno);
	ret = vw_mark_socket(c, s, 0, &si);
	if (ret)
		fail("vw_mark_socket", -ret);
	/* The library's sockets: one of them marked, and hears the events. */
	netlink_portids(ids, sizeof(ids));
	if (send(s, "hello\r\n", 7, 0) < 0)
		fail("send", errno);
	vw_close(c);
	say("quiet portids=%s ino=%llu", ids, (unsigned long long)si.ino);
	while (read(STDIN_FILENO, buf, sizeof(buf)) > 0)
		;
	close(s);
	return 0;
}

static void on_ka(struct vw_client *c, void *arg)
{
	(void)arg;
	vw_wake_done(c);
}

static int selfka(double secs)
{
	struct vw_info info = { .size = sizeof(info) };
	struct vw_client *c = client();
	int ret;

	if (vw_get_info(c, &info))
		fail("vw_get_info", EPROTO);
	ret = vw_set_keepalive(c, info.min_keepalive_s, on_ka, NULL);
	say("selfka ka=%s", res(ret));
	usleep(secs * 1e6);
	vw_close(c);
	return 0;
}

static int udp_bound(uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback_addr(&ss, AF_INET, port);
	int s = udp_sock();

	if (bind(s, (struct sockaddr *)&ss, len))
		fail("bind", errno);
	return s;
}

static int winapp(double secs, uint16_t port, unsigned int nsocks)
{
	uint64_t end = mono_ns() + (uint64_t)(secs * 1e9), now;
	struct vw_client *c = client();
	struct sockaddr_storage from;
	struct pollfd pfd = { .events = POLLIN };
	int big = 8 << 20, s, ret;
	unsigned int i;
	socklen_t len;
	char buf[64];

	pfd.fd = udp_bound(port);
	ret = vw_mark_socket(c, pfd.fd, 1 << VOIPWAKE_WAKE_DATA, NULL);
	if (ret)
		fail("mark", -ret);
	printf("fill");
	for (i = 1; i < nsocks; i++) {
		s = udp_bound(0);
		setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
		ret = vw_mark_socket(c, s, 1 << VOIPWAKE_WAKE_ERROR, NULL);
		if (ret)
			fail("mark", -ret);
		len = sizeof(from);
		getsockname(s, (struct sockaddr *)&from, &len);
		printf(" %u", sock_port(&from));
	}
	printf("\n");
	fflush(stdout);
	while ((now = mono_ns()) < end) {
		if (poll(&pfd, 1, (end - now) / 1000000 + 1) <= 0)
			continue;
		len = sizeof(from);
		if (recvfrom(pfd.fd, buf, sizeof(buf), MSG_DONTWAIT,
			     (struct sockaddr *)&from, &len) > 0)
			sendto(pfd.fd, "ack", 3, 0, (struct sockaddr *)&from,
			       len);
	}
	vw_close(c);
	return 0;
}

static int winpeer(double secs, uint16_t port, char **fill, int nfill)
{
	uint64_t end;
	struct pollfd pfd = { .events = POLLIN };
	struct sockaddr_storage to;
	unsigned long sent = 0, lost = 0, late = 0;
	unsigned int seed = getpid();
	socklen_t len;
	char buf[64];
	uint32_t p;
	int i, k;

	pfd.fd = udp_sock();
	for (i = 0; i < nfill; i++) {
		if (parse_u32(fill[i], &p))
			fail("fill port", EINVAL);
		len = loopback_addr(&to, AF_INET, p);
		for (k = 0; k < 3000; k++)
			sendto(pfd.fd, "f", 1, 0, (struct sockaddr *)&to, len);
	}
	say("winpeer-filled");
	/* SECS of rounds, however long the filling took. */
	end = mono_ns() + (uint64_t)(secs * 1e9);
	len = loopback_addr(&to, AF_INET, port);
	while (mono_ns() < end) {
		usleep(rand_r(&seed) % 250000);
		sendto(pfd.fd, "seq", 3, 0, (struct sockaddr *)&to, len);
		sent++;
		if (poll(&pfd, 1, 5000) <= 0) {
			if (poll(&pfd, 1, 25000) <= 0) {
				lost++;
				say("lost seq=%lu", sent);
				continue;
			}
			late++;
			say("late seq=%lu", sent);
		}
		while (recv(pfd.fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
			;
	}
	say("winpeer sent=%lu lost=%lu late=%lu", sent, lost, late);
	return 0;
}

static int nlbind(char *portids, double secs)
{
	uint64_t end = mono_ns() + (uint64_t)(secs * 1e9), now;
	struct pollfd pfd[8];
	unsigned long got = 0;
	int b = 0, n = 0, i;
	char buf[8192], *tok;
	uint32_t portid;

	for (tok = strtok(portids, ","); tok && n < 8; tok = strtok(NULL, ",")) {
		struct sockaddr_nl nl = { .nl_family = AF_NETLINK };

		if (parse_u32(tok, &portid))
			fail("portid", EINVAL);
		nl.nl_pid = portid;
		pfd[n].fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
				   NETLINK_GENERIC);
		pfd[n].events = POLLIN;
		if (pfd[n].fd < 0)
			fail("socket", errno);
		if (bind(pfd[n].fd, (struct sockaddr *)&nl, sizeof(nl)))
			b = -errno;
		n++;
	}
	say("nlbind-ready bound=%s", res(b));
	while (!b && (now = mono_ns()) < end) {
		if (poll(pfd, n, (end - now) / 1000000 + 1) <= 0)
			continue;
		for (i = 0; i < n; i++)
			if (pfd[i].revents &&
			    recv(pfd[i].fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
				got++;
	}
	say("nlbind bound=%s received=%lu", res(b), got);
	return 0;
}

int main(int argc, char **argv)
{
	const char *role = argc > 1 ? argv[1] : "";
	uint32_t u = 0;

	if (!strcmp(role, "fdflip") && argc == 5)
		return fdflip(atof(argv[2]), argv[3], argv[4]);
	if (!strcmp(role, "listen") && argc == 3)
		return listen_race(atof(argv[2]));
	if (!strcmp(role, "markrace") && argc == 4)
		return markrace(atof(argv[2]), argv[3]);
	if (!strcmp(role, "addrform") && argc == 4 && !parse_u32(argv[3], &u))
		return addrform(argv[2], u);
	if (!strcmp(role, "ulp") && argc == 4 && !parse_u32(argv[3], &u))
		return ulp(argv[2], u);
	if (!strcmp(role, "quiet") && argc == 3 && !parse_u32(argv[2], &u))
		return quiet(u);
	if (!strcmp(role, "winapp") && argc == 5 && !parse_u32(argv[3], &u))
		return winapp(atof(argv[2]), u, atoi(argv[4]));
	if (!strcmp(role, "winpeer") && argc >= 4 && !parse_u32(argv[3], &u))
		return winpeer(atof(argv[2]), u, argv + 4, argc - 4);
	if (!strcmp(role, "selfka") && argc == 3)
		return selfka(atof(argv[2]));
	if (!strcmp(role, "nlbind") && argc == 4)
		return nlbind(argv[2], atof(argv[3]));
	fprintf(stderr,
		"usage: vw-hole fdflip SECS MINE THEIRS | listen SECS | markrace SECS CGROUP |\n"
		"       addrform tcp|udp PORT | ulp NAME PORT | quiet PORT | selfka SECS |\n"
		"       winapp SECS PORT NSOCKS | winpeer SECS PORT FILL... |\n"
		"       nlbind PORTID[,PORTID...] SECS\n");
	return 2;
}
