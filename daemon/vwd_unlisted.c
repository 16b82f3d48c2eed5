// SPDX-License-Identifier: GPL-2.0
/*
 * UnlistedApps=deny: only apps with a configuration file may be woken,
 * as only apps that declare the voip background mode may on iOS. When an
 * app with no file is frozen with marked sockets, each is found among the
 * fds of that app's own processes (its cgroup.procs, not every process
 * on the system) by its inode, taken with pidfd_getfd(2) and unmarked;
 * the app then sleeps as if it had never asked.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pidfd.h"
#include "procfd.h"
#include "vwd.h"

#define MAX_SOCKS	64	/* the module's per-app bound is smaller */

struct socks {
	struct vwd_inst *in;
	uint64_t ino[MAX_SOCKS];
	size_t n, left;
};

static int collect(const struct vw_sock_info *si, void *arg)
{
	struct socks *s = arg;

	if (s->n < MAX_SOCKS && (si->present & VW_SOCK_HAS_CGROUP_ID) &&
	    si->cgroup_id == s->in->id)
		s->ino[s->n++] = si->ino;
	return 0;
}

static void unmark(struct socks *s, int pid, int fd, size_t i)
{
	struct vwd_inst *in = s->in;
	bool opening;
	int dup, ret;

	dup = pidfd_take_fd(pid, fd, &opening);
	if (dup < 0) {
		vwd_log_app(LOG_ERR, in, "unlisted",
			    "cannot take socket %" PRIu64 " of pid %d to unmark it: %s",
			    s->ino[i], pid, strerror(-dup));
		return;
	}
	ret = vw_unmark_socket(in->d->c, dup);
	close(dup);
	if (ret && ret != -ENOENT)
		return;
	if (!ret) {
		in->d->unlisted_unmarked++;
		vwd_log_app(LOG_WARNING, in, "unlisted",
			    "unmarked socket %" PRIu64 " of pid %d: its app (cgroup %s) has no configuration and UnlistedApps=deny",
			    s->ino[i], pid, in->path);
	}
	s->ino[i] = 0;
	s->left--;
}

/* One socket fd of the app's processes: unmarked if it is one of @s. */
static int found(int pid, int fd, uint64_t ino, void *arg)
{
	struct socks *s = arg;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->ino[i] == ino)
			unmark(s, pid, fd, i);
	return !s->left;
}

static int scan_pid(int pid, void *arg)
{
	return proc_each_socket(pid, found, arg);
}

void vwd_unlisted_unmark(struct vwd_inst *in)
{
	struct socks s = { .in = in };
	int fd, ret;

	ret = vw_sock_dump(in->d->c, collect, &s);
	if (ret || !s.n)
		return;
	s.left = s.n;
	fd = vwd_open_app(in);
	if (fd < 0)
		return;
	cg_each_pid(fd, scan_pid, &s);
	close(fd);
	if (s.left)
		vwd_log_app(LOG_WARNING, in, "unlisted",
			    "%zu marked socket(s) of an app with no configuration were not found in its processes",
			    s.left);
}
