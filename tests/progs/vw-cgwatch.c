// SPDX-License-Identifier: GPL-2.0
/*
 * vw-cgwatch CGROUP...: reports every change of each cgroup's "frozen" key
 * in cgroup.events, with the CLOCK_BOOTTIME instant it was seen, so that
 * tests can tell whether two apps were thawed by one wake.
 *
 * cgroupfs wakes pollers of cgroup.events (POLLPRI) on every change; the
 * file is read again each time and only a changed value is reported.
 *
 *   frozen cg=INDEX value=0|1 boot=NS     INDEX: 0 for the first CGROUP
 *   ready                                 once every file is watched
 *
 * Runs until killed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#define MAX_CGROUPS	16

static unsigned long long boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The "frozen" value in cgroup.events, read from the start: 0, 1 or -1. */
static int read_frozen(int fd)
{
	char buf[256], *p;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n < 0)
		fail("read cgroup.events", errno);
	buf[n] = '\0';
	p = strstr(buf, "frozen ");
	return p ? p[7] - '0' : -1;
}

int main(int argc, char **argv)
{
	struct pollfd pfd[MAX_CGROUPS];
	int last[MAX_CGROUPS], n = argc - 1, i, v;
	unsigned long long t;
	char path[4096];

	if (n < 1 || n > MAX_CGROUPS) {
		fprintf(stderr, "usage: vw-cgwatch CGROUP... (at most %d)\n",
			MAX_CGROUPS);
		return 2;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/cgroup.events", argv[i + 1]);
		pfd[i].fd = open(path, O_RDONLY | O_CLOEXEC);
		if (pfd[i].fd < 0)
			fail(path, errno);
		pfd[i].events = POLLPRI;
		last[i] = read_frozen(pfd[i].fd);
	}
	say("ready");
	for (;;) {
		if (poll(pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			fail("poll", errno);
		}
		t = boot_ns();
		for (i = 0; i < n; i++) {
			if (!pfd[i].revents)
				continue;
			v = read_frozen(pfd[i].fd);
			if (v == last[i])
				continue;
			last[i] = v;
			say("frozen cg=%d value=%d boot=%llu", i, v, t);
		}
	}
}
