/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sockets among a process's fds, by inode, read from /proc/PID/fd:
 * how voipwaked finds a socket of an app's process without walking every
 * process on the system.
 */
#ifndef PROCFD_H
#define PROCFD_H

#include <stdint.h>

/*
 * Calls @fn for each socket fd of process @pid; a non-zero return stops.
 * Return: 0 (also when the process is gone), or what @fn returned.
 */
int proc_each_socket(int pid,
		     int (*fn)(int pid, int fd, uint64_t ino, void *arg),
		     void *arg);

#endif /* PROCFD_H */
