/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgroup v2 helpers that voipwaked and voipwakectl share: naming a cgroup
 * by path or by id (on cgroup2 the id is the directory's inode number),
 * and opening it as the module wants it. Nothing here writes to cgroupfs:
 * the cgroup tree is systemd's, and apps' cgroups are their managers'.
 */
#ifndef CGROUP_H
#define CGROUP_H

#include <stddef.h>
#include <stdint.h>

/* Where cgroup v2 is mounted; relative cgroup names start here. */
#define CGROUP_ROOT	"/sys/fs/cgroup"

/*
 * @arg (absolute, or relative to CGROUP_ROOT) as an absolute path in
 * @out. Return: 0; -ENAMETOOLONG.
 */
int cg_full_path(const char *arg, char *out, size_t len);

/*
 * Opens a cgroup v2 directory O_RDONLY|O_DIRECTORY, as the module's
 * APP_CGROUP_FD wants. Return: the fd; -errno; -ENOTDIR when @path is
 * not on cgroup2.
 */
int cg_open(const char *path);

/* The cgroup id of @path (its inode number), 0 if it does not exist. */
uint64_t cg_id(const char *path);

/*
 * Opens the cgroup whose id is @id, by file handle (open_by_handle_at(2),
 * which needs CAP_DAC_READ_SEARCH). Return: the fd, or -errno (-ESTALE
 * when no such cgroup exists any more).
 */
int cg_open_by_id(uint64_t id);

/*
 * The path of the cgroup open at @fd, relative to CGROUP_ROOT with a
 * leading '/', as /proc/PID/cgroup writes it. Return: 0; -errno.
 */
int cg_path_of_fd(int fd, char *out, size_t len);

/*
 * Finds the path (relative to CGROUP_ROOT, with a leading '/') of each
 * cgroup id in one walk of the tree, for callers without
 * CAP_DAC_READ_SEARCH. paths[i] is NULL where none was found; the caller
 * frees the others.
 */
void cg_paths_of_ids(const uint64_t *ids, char **paths, size_t n);

/*
 * Calls @fn for each process in the cgroup open at @fd (its
 * cgroup.procs); a non-zero return stops. Return: 0, what @fn returned,
 * or -errno.
 */
int cg_each_pid(int fd, int (*fn)(int pid, void *arg), void *arg);

#endif /* CGROUP_H */
