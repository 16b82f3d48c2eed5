// SPDX-License-Identifier: GPL-2.0
/*
 * UnlistedApps=deny: only apps with a configuration file may be woken,
 * as only apps that declare the voip background mode may on iOS. A socket
 * another app marked is found among the processes' fds by its inode,
 * taken with pidfd_getfd(2) and unmarked; the app then runs as if it had
 * never asked.
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "pidfd.h"
#include "vwd.h"

struct socks {
	uint64_t ino[64];	/* a tick's worth; the rest wait a tick */
	uint64_t cgroup_id[64];
	size_t n;
	const struct vwd *d;
};

static bool listed(const struct vwd *d, uint64_t cgroup_id)
{
	size_t i;

	for (i = 0; i < d->napps; i++)
		if (d->apps[i].cgroup_id == cgroup_id)
			return true;
	return false;
}

static int collect(const struct vw_sock_info *si, void *arg)
{
	struct socks *s = arg;

	if (s->n < 64 && !listed(s->d, si->cgroup_id)) {
		s->ino[s->n] = si->ino;
		s->cgroup_id[s->n++] = si->cgroup_id;
	}
	return 0;
}

static int unmark(struct vwd *d, int pid, int fd, uint64_t ino,
		  uint64_t cgroup_id)
{
	bool opening;
	int dup, ret;

	dup = vw_take_fd(pid, fd, &opening);
	if (dup < 0)
		return dup;
	ret = vw_unmark_socket(d->c, dup);
	close(dup);
	if (!ret) {
		d->unlisted_unmarked++;
		vwd_log(LOG_WARNING, "unmarked socket %" PRIu64 " of pid %d: its app (cgroup id %" PRIu64 ") has no configuration and UnlistedApps=deny",
			ino, pid, cgroup_id);
	}
	return ret;
}

/* Looks through one process's fds for the sockets in @s. */
static void scan_pid(struct vwd *d, struct socks *s, int pid)
{
	char path[64], link[64], want[40];
	struct dirent *de;
	size_t i;
	DIR *dir;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	dir = opendir(path);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		n = readlinkat(dirfd(dir), de->d_name, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		for (i = 0; i < s->n; i++) {
			snprintf(want, sizeof(want), "socket:[%" PRIu64 "]",
				 s->ino[i]);
			if (s->ino[i] && !strcmp(link, want) &&
			    !unmark(d, pid, atoi(de->d_name), s->ino[i],
				    s->cgroup_id[i]))
				s->ino[i] = 0;
		}
	}
	closedir(dir);
}

void vwd_unlisted_tick(struct vwd *d)
{
	struct socks s = { .d = d };
	struct dirent *de;
	DIR *proc;
	int pid;

	if (vw_sock_dump(d->c, collect, &s) || !s.n)
		return;
	proc = opendir("/proc");
	if (!proc)
		return;
	while ((de = readdir(proc))) {
		pid = atoi(de->d_name);
		if (pid > 0 && pid != getpid())
			scan_pid(d, &s, pid);
	}
	closedir(proc);
}
