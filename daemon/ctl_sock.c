// SPDX-License-Identifier: GPL-2.0
/*
 * voipwakectl mark and unmark: another process's socket, taken with
 * pidfd_getfd(2) (which applies the ptrace access rule) and marked or
 * unmarked through the duplicate; the socket is the same either way.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl.h"
#include "pidfd.h"

/* Returns EXIT_OK with *@dup open, or the exit status after reporting. */
static int take_fd(int pid, int fd, int *dup)
{
	bool opening;
	int err;

	*dup = pidfd_take_fd(pid, fd, &opening);
	if (*dup >= 0)
		return EXIT_OK;
	err = -*dup;
	if (opening) {
		if (err == ESRCH)
			fprintf(stderr, PROG ": no process %d\n", pid);
		else if (err == ENOSYS)
			fprintf(stderr, PROG ": pidfd_open(2) is not available (Linux 5.3 or later needed)\n");
		else
			fprintf(stderr, PROG ": pidfd_open(%d): %s\n", pid,
				strerror(err));
		return EXIT_FAIL;
	}

	switch (err) {
	case EPERM:
		fprintf(stderr, PROG ": not allowed to take fd %d of process %d: pidfd_getfd(2) needs ptrace access to it (the same user, as ptrace_scope permits, or CAP_SYS_PTRACE) (%s)\n",
			fd, pid, strerror(err));
		break;
	case EBADF:
		fprintf(stderr, PROG ": process %d has no fd %d\n", pid, fd);
		break;
	case ESRCH:
		fprintf(stderr, PROG ": process %d exited\n", pid);
		break;
	case ENOSYS:
		fprintf(stderr, PROG ": pidfd_getfd(2) is not available (Linux 5.6 or later needed)\n");
		break;
	default:
		fprintf(stderr, PROG ": cannot take fd %d of process %d: pidfd_getfd: %s\n",
			fd, pid, strerror(err));
	}
	return EXIT_FAIL;
}

/* PID and FD, checked; then the duplicate and a client. */
static int sock_open(const struct ctl_args *a, const char *cmd, int *pid,
		     int *fd, int *dup, struct vw_client **c)
{
	int ret;

	if (ctl_parse_int(a->args[0], 1, pid))
		return ctl_cmd_error(cmd, "PID must be a process id, not '%s'",
				     a->args[0]);
	if (ctl_parse_int(a->args[1], 0, fd))
		return ctl_cmd_error(cmd, "FD must be a file descriptor number, not '%s'",
				     a->args[1]);
	ret = take_fd(*pid, *fd, dup);
	if (ret)
		return ret;
	ret = ctl_open(c);
	if (ret)
		close(*dup);
	return ret;
}

/* " app=ID cgroup=PATH", as much of it as is known. */
static void print_app(bool has, uint64_t id)
{
	char *path = NULL;

	if (!has) {
		fputs(" app=-", stdout);
		return;
	}
	printf(" app=%" PRIu64, id);
	cg_paths_of_ids(&id, &path, 1);
	if (path) {
		print_string(NULL, " cgroup=%s", path);
		free(path);
	}
}

int ctl_mark(int argc, char *argv[])
{
	struct vw_sock_info si = { .size = sizeof(si) };
	int ret, pid, fd, dup;
	struct vw_client *c;
	struct ctl_args a;

	ret = ctl_parse(argc, argv, CTL_OPT_WAKE_ON, 2, 2, &a);
	if (ret >= 0)
		return ret;
	ret = sock_open(&a, argv[0], &pid, &fd, &dup, &c);
	if (ret)
		return ret;
	ret = vw_mark_socket(c, dup, a.wake_on, &si);
	if (ret)
		ctl_report(c, ret, "cannot mark fd %d of process %d", fd, pid);
	vw_close(c);
	close(dup);
	if (ret)
		return EXIT_FAIL;

	printf("marked sock=%" PRIu64, si.ino);
	print_app(si.present & VW_SOCK_HAS_CGROUP_ID, si.cgroup_id);
	putchar('\n');
	return EXIT_OK;
}

struct find_sock {
	uint64_t ino;
	struct vw_sock_info si;
};

static int find_sock(const struct vw_sock_info *si, void *arg)
{
	struct find_sock *f = arg;

	if (si->ino != f->ino)
		return 0;
	f->si = *si;
	return 1;
}

int ctl_unmark(int argc, char *argv[])
{
	struct find_sock f = { .ino = 0 };
	int ret, pid, fd, dup;
	struct vw_client *c;
	struct ctl_args a;
	struct stat st;

	ret = ctl_parse(argc, argv, 0, 2, 2, &a);
	if (ret >= 0)
		return ret;
	ret = sock_open(&a, argv[0], &pid, &fd, &dup, &c);
	if (ret)
		return ret;
	/* Only the mark names the app: look it up while it is there. */
	if (fstat(dup, &st) == 0 && S_ISSOCK(st.st_mode)) {
		f.ino = st.st_ino;
		vw_sock_dump(c, find_sock, &f);
	}
	ret = vw_unmark_socket(c, dup);
	if (ret)
		ctl_report(c, ret, "cannot unmark fd %d of process %d", fd,
			   pid);
	vw_close(c);
	close(dup);
	if (ret)
		return EXIT_FAIL;

	if (f.ino)
		printf("unmarked sock=%" PRIu64, f.ino);
	else
		fputs("unmarked sock=-", stdout);
	print_app(f.si.present & VW_SOCK_HAS_CGROUP_ID, f.si.cgroup_id);
	putchar('\n');
	return EXIT_OK;
}
