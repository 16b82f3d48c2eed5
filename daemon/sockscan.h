/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Marking an unmodified app's sockets by rule (MarkSockets=), as the app
 * would mark them itself: the app's own processes (its cgroup.procs, not
 * every process) are looked through for socket fds (/proc/PID/fd),
 * sock_diag tells each socket's addresses and ports by inode, and each
 * socket a rule names is taken with pidfd_getfd(2) and marked. Shared by
 * voipwaked (system-wide configuration) and voipwake-session (the user's
 * own apps).
 */
#ifndef SOCKSCAN_H
#define SOCKSCAN_H

#include <stddef.h>

#include <voipwake.h>

#include "rules.h"

struct sockscan {
	unsigned int socks;	/* socket fds found in the app's processes */
	unsigned int matched;	/* sockets a rule names */
	unsigned int marked;	/* marked now */
	unsigned int already;	/* marked before (by the app or by us) */
	/*
	 * The first socket that could not be marked, and why: -errno of
	 * pidfd_getfd(2) (@taking) or of the mark; 0 if none.
	 */
	int err;
	int err_pid;
	bool taking;
	char err_msg[256];	/* the module's extack, if it said one */
};

/*
 * Marks, through @c, every socket of the app in the cgroup open at
 * @cgroup_fd that one of @n rules names. Return: 0 (the counts and any
 * failure in @out), or -errno when the app's processes or sock_diag
 * could not be read at all.
 */
int sockscan_mark(struct vw_client *c, int cgroup_fd, const struct rule *r,
		  size_t n, struct sockscan *out);

/* Why @s->err, in words an administrator can act on (valid until the next call). */
const char *sockscan_why(const struct sockscan *s);

#endif /* SOCKSCAN_H */
