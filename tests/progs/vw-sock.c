// SPDX-License-Identifier: GPL-2.0
/*
 * vw-sock [--twice] [--unmark] [--wake-on LIST] [--cgroup PATH] KIND:
 * makes one fd of KIND and asks libvoipwake to mark it, for the tests of
 * what the module must refuse.
 *
 *   tcp4 tcp6 udp4 udp6   fresh, unconnected sockets
 *   tcp-listen            a listening TCP socket (127.0.0.1, any port)
 *   tcp-connected         the connecting end of a loopback connection
 *   tcp-accepted          the accepted end of one
 *   raw                   SOCK_RAW IPPROTO_ICMP ("skip", exit 77 if EPERM)
 *   unix-stream unix-dgram
 *   sctp                  ("skip", exit 77 if it cannot be created)
 *   pipe                  the read end of a pipe: not a socket
 *   closed                an fd number that is not open
 *
 * --wake-on takes data,close,error,keepalive or a number (default 0: the
 * module's default); --twice marks the same fd twice; --unmark then
 * unmarks it once; --cgroup PATH first writes our pid to
 * PATH/cgroup.procs; --as UID makes the fd as root, then becomes UID
 * (uid and gid, no groups) before marking: another user's socket;
 * --hold N makes and marks N sockets of KIND, prints "held n=N" (or the
 * first failure) and keeps them until stdin ends.
 * One line per call:
 *
 *   result=ok ino=INO app=CGROUP_ID | result=ERRNAME msg=TEXT
 *   unmark result=ok | unmark result=ERRNAME msg=TEXT
 *
 * Exit 0 whatever the module said; 1 if the fd could not be made (with
 * "error what=WHAT errno=NAME"), 2 on bad usage, 3 if vw_open() failed
 * ("open-failed errno=NAME msg=TEXT"), 77 for "skip".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <voipwake.h>

#include "util.h"
#include "vwutil.h"

enum { SKIP_NEVER, SKIP_EPERM, SKIP_ANY };

struct kind {
	const char *name;
	int (*make)(const struct kind *k);
	int family;
	int type;
	int proto;
	int skip;
};

struct sock_opts {
	int twice;
	int unmark;
	uint32_t wake_on;
	const char *cgroup;
	unsigned long as_uid;
	unsigned long hold;
};

static int make_plain(const struct kind *k)
{
	int fd = socket(k->family, k->type | SOCK_CLOEXEC, k->proto);

	if (fd >= 0)
		return fd;
	if (k->skip == SKIP_ANY ||
	    (k->skip == SKIP_EPERM && (errno == EPERM || errno == EACCES))) {
		say("skip");
		exit(77);
	}
	fail("socket", errno);
}

static int make_listener(const struct kind *k)
{
	struct sockaddr_storage ss;
	socklen_t len = loopback_addr(&ss, AF_INET, 0);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	(void)k;
	if (fd < 0)
		fail("socket", errno);
	if (bind(fd, (struct sockaddr *)&ss, len))
		fail("bind", errno);
	if (listen(fd, 1))
		fail("listen", errno);
	return fd;
}

/*
 * Both ends of a loopback connection; the end not returned stays open
 * until we exit so that the connection stays established.
 */
static int make_connection(const struct kind *k)
{
	int lfd = make_listener(k), cfd, afd;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(lfd, (struct sockaddr *)&ss, &len))
		fail("getsockname", errno);
	cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (cfd < 0)
		fail("socket", errno);
	if (connect(cfd, (struct sockaddr *)&ss, len))
		fail("connect", errno);
	afd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (afd < 0)
		fail("accept", errno);
	close(lfd);
	return strcmp(k->name, "tcp-accepted") ? cfd : afd;
}

/* The read end; the write end stays open. */
static int make_pipe(const struct kind *k)
{
	int p[2];

	(void)k;
	if (pipe2(p, O_CLOEXEC))
		fail("pipe", errno);
	return p[0];
}

/* The lowest free number, freed again: nothing opens it before the mark. */
static int make_closed(const struct kind *k)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	(void)k;
	if (fd < 0)
		fail("open", errno);
	close(fd);
	return fd;
}

static const struct kind kinds[] = {
	{ "tcp4", make_plain, AF_INET, SOCK_STREAM, 0, SKIP_NEVER },
	{ "tcp6", make_plain, AF_INET6, SOCK_STREAM, 0, SKIP_NEVER },
	{ "udp4", make_plain, AF_INET, SOCK_DGRAM, 0, SKIP_NEVER },
	{ "udp6", make_plain, AF_INET6, SOCK_DGRAM, 0, SKIP_NEVER },
	{ "tcp-listen", make_listener, 0, 0, 0, SKIP_NEVER },
	{ "tcp-connected", make_connection, 0, 0, 0, SKIP_NEVER },
	{ "tcp-accepted", make_connection, 0, 0, 0, SKIP_NEVER },
	{ "raw", make_plain, AF_INET, SOCK_RAW, IPPROTO_ICMP, SKIP_EPERM },
	{ "unix-stream", make_plain, AF_UNIX, SOCK_STREAM, 0, SKIP_NEVER },
	{ "unix-dgram", make_plain, AF_UNIX, SOCK_DGRAM, 0, SKIP_NEVER },
	{ "sctp", make_plain, AF_INET, SOCK_STREAM, IPPROTO_SCTP, SKIP_ANY },
	{ "pipe", make_pipe, 0, 0, 0, SKIP_NEVER },
	{ "closed", make_closed, 0, 0, 0, SKIP_NEVER },
};

static const struct kind *find_kind(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (!strcmp(kinds[i].name, name))
			return &kinds[i];
	}
	return NULL;
}

static void try_mark(struct vw_client *c, int fd, uint32_t wake_on)
{
	struct vw_sock_info info = { .size = sizeof(info) };
	int ret = vw_mark_socket(c, fd, wake_on, &info);

	if (ret)
		say("result=%s msg=%s", errname(-ret), last_error(c));
	else
		say("result=ok ino=%llu app=%llu",
		    (unsigned long long)info.ino,
		    (unsigned long long)info.cgroup_id);
}

static void try_unmark(struct vw_client *c, int fd)
{
	int ret = vw_unmark_socket(c, fd);

	if (ret)
		say("unmark result=%s msg=%s", errname(-ret), last_error(c));
	else
		say("unmark result=ok");
}

/* Many marked sockets at once, for dumps larger than one message. */
static int hold(struct vw_client *c, const struct kind *k,
		const struct sock_opts *o)
{
	unsigned long n;
	char buf[64];
	int ret;

	for (n = 0; n < o->hold; n++) {
		ret = vw_mark_socket(c, k->make(k), o->wake_on, NULL);
		if (ret) {
			say("result=%s msg=%s held=%lu", errname(-ret),
			    last_error(c), n);
			break;
		}
	}
	if (n == o->hold)
		say("held n=%lu", n);
	while (fgets(buf, sizeof(buf), stdin))
		;
	vw_close(c);
	return 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: vw-sock [--twice] [--unmark] [--wake-on LIST] [--cgroup PATH]\n"
		"               [--as UID] [--hold N] KIND\n"
		"KIND: tcp4 tcp6 udp4 udp6 tcp-listen tcp-connected tcp-accepted raw\n"
		"      unix-stream unix-dgram sctp pipe closed\n");
	return 2;
}

static int parse_opts(int argc, char **argv, struct sock_opts *o)
{
	static const struct option opts[] = {
		{ "twice", no_argument, NULL, 't' },
		{ "unmark", no_argument, NULL, 'u' },
		{ "wake-on", required_argument, NULL, 'w' },
		{ "cgroup", required_argument, NULL, 'c' },
		{ "as", required_argument, NULL, 'a' },
		{ "hold", required_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 't')
			o->twice = 1;
		else if (opt == 'u')
			o->unmark = 1;
		else if (opt == 'c')
			o->cgroup = optarg;
		else if (opt == 'a')
			o->as_uid = strtoul(optarg, NULL, 10);
		else if (opt == 'h')
			o->hold = strtoul(optarg, NULL, 10);
		else if (opt != 'w' || parse_wake_on(optarg, &o->wake_on))
			return -EINVAL;
	}
	return optind == argc - 1 ? 0 : -EINVAL;
}

int main(int argc, char **argv)
{
	struct sock_opts o = { 0 };
	const struct kind *k;
	struct vw_client *c;
	int fd, ret;

	if (parse_opts(argc, argv, &o))
		return usage();
	k = find_kind(argv[optind]);
	if (!k)
		return usage();
	if (o.cgroup) {
		ret = join_cgroup(o.cgroup);
		if (ret)
			fail("cgroup", -ret);
	}
	ret = vw_open(&c);
	if (ret) {
		say("open-failed errno=%s msg=%s", errname(-ret),
		    last_error(NULL));
		return 3;
	}
	if (o.hold)
		return hold(c, k, &o);
	fd = k->make(k);
	if (o.as_uid && (setgroups(0, NULL) || setresgid(o.as_uid, o.as_uid,
							 o.as_uid) ||
			 setresuid(o.as_uid, o.as_uid, o.as_uid)))
		fail("as", errno);
	try_mark(c, fd, o.wake_on);
	if (o.twice)
		try_mark(c, fd, o.wake_on);
	if (o.unmark)
		try_unmark(c, fd);
	vw_close(c);
	return 0;
}
