// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup v2 by path and by id: see cgroup.h.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "cgroup.h"

/* The kernfs file handle type (include/linux/exportfs.h, FILEID_KERNFS). */
#define CG_FILEID_KERNFS	0xfe

int cg_full_path(const char *arg, char *out, size_t len)
{
	int n;

	if (arg[0] == '/')
		n = snprintf(out, len, "%s", arg);
	else
		n = snprintf(out, len, CGROUP_ROOT "/%s", arg);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int cg_check_fd(int fd)
{
	struct statfs sfs;
	int err;

	if (fstatfs(fd, &sfs)) {
		err = -errno;
		close(fd);
		return err;
	}
	if (sfs.f_type != CGROUP2_SUPER_MAGIC) {
		close(fd);
		return -ENOTDIR;
	}
	return fd;
}

int cg_open(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	return fd < 0 ? -errno : cg_check_fd(fd);
}

uint64_t cg_id(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : st.st_ino;
}

int cg_open_by_id(uint64_t id)
{
	union {
		struct file_handle fh;
		char bytes[sizeof(struct file_handle) + sizeof(uint64_t)];
	} h = { .fh = { .handle_bytes = sizeof(uint64_t),
			.handle_type = CG_FILEID_KERNFS } };
	int mnt, fd, err;

	memcpy(h.fh.f_handle, &id, sizeof(id));
	mnt = open(CGROUP_ROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (mnt < 0)
		return -errno;
	fd = open_by_handle_at(mnt, &h.fh, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	err = errno;
	close(mnt);
	return fd < 0 ? -err : cg_check_fd(fd);
}

int cg_path_of_fd(int fd, char *out, size_t len)
{
	char link[64], buf[4096];
	size_t root = strlen(CGROUP_ROOT);
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, sizeof(buf) - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	if (strncmp(buf, CGROUP_ROOT, root) ||
	    (buf[root] && buf[root] != '/'))
		return -EXDEV;
	n = snprintf(out, len, "%s", buf[root] ? buf + root : "/");
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* nftw() passes no argument to its callback: the walk's state. */
static struct {
	const uint64_t *ids;
	char **paths;
	size_t n;
	size_t left;
} cg_walk;

static int cg_visit(const char *fpath, const struct stat *st, int type,
		    struct FTW *ftw)
{
	const char *rel = fpath + strlen(CGROUP_ROOT);
	size_t i;

	(void)ftw;
	if (type != FTW_D && type != FTW_DNR)
		return 0;
	for (i = 0; i < cg_walk.n; i++) {
		if (cg_walk.paths[i] || cg_walk.ids[i] != st->st_ino)
			continue;
		cg_walk.paths[i] = strdup(rel[0] ? rel : "/");
		if (cg_walk.paths[i])
			cg_walk.left--;
	}
	return cg_walk.left == 0;
}

void cg_paths_of_ids(const uint64_t *ids, char **paths, size_t n)
{
	struct statfs sfs;

	memset(paths, 0, n * sizeof(*paths));
	if (!n || statfs(CGROUP_ROOT, &sfs) ||
	    sfs.f_type != CGROUP2_SUPER_MAGIC)
		return;
	cg_walk.ids = ids;
	cg_walk.paths = paths;
	cg_walk.n = n;
	cg_walk.left = n;
	nftw(CGROUP_ROOT, cg_visit, 16, FTW_PHYS | FTW_MOUNT);
}

int cg_each_pid(int fd, int (*fn)(int pid, void *arg), void *arg)
{
	int pfd = openat(fd, "cgroup.procs", O_RDONLY | O_CLOEXEC), pid;
	int ret = 0;
	FILE *f;

	if (pfd < 0)
		return -errno;
	f = fdopen(pfd, "r");
	if (!f) {
		close(pfd);
		return -ENOMEM;
	}
	while (!ret && fscanf(f, "%d", &pid) == 1)
		ret = fn(pid, arg);
	fclose(f);
	return ret;
}
