// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "procfd.h"

int proc_each_socket(int pid,
		     int (*fn)(int pid, int fd, uint64_t ino, void *arg),
		     void *arg)
{
	char path[64], link[64];
	struct dirent *de;
	uint64_t ino;
	int ret = 0;
	ssize_t n;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	dir = opendir(path);
	if (!dir)
		return 0;	/* gone, or not ours to read: nothing to find */
	while (!ret && (de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		n = readlinkat(dirfd(dir), de->d_name, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (sscanf(link, "socket:[%" SCNu64 "]", &ino) == 1)
			ret = fn(pid, atoi(de->d_name), ino, arg);
	}
	closedir(dir);
	return ret;
}
