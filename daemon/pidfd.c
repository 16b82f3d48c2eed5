// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pidfd.h"

/* Older C libraries lack the names; the numbers are the same everywhere. */
#ifndef SYS_pidfd_open
#define SYS_pidfd_open	434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd	438
#endif

int pidfd_take_fd(int pid, int fd, bool *opening)
{
	int pidfd, dup, err;

	*opening = true;
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -errno;
	*opening = false;
	dup = syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	err = errno;
	close(pidfd);
	return dup >= 0 ? dup : -err;
}
