/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Another process's fd, duplicated into ours with pidfd_getfd(2), which
 * applies the ptrace access rule: what voipwakectl mark/unmark and
 * voipwaked's UnlistedApps=deny act through.
 */
#ifndef PIDFD_H
#define PIDFD_H

#include <stdbool.h>

/*
 * Returns the duplicate of fd @fd of process @pid, or -errno with
 * *@opening true when pidfd_open(2) itself failed (the process is not
 * there), false when pidfd_getfd(2) did.
 */
int pidfd_take_fd(int pid, int fd, bool *opening);

#endif /* PIDFD_H */
