// SPDX-License-Identifier: GPL-2.0
/*
 * May a D-Bus caller manage an app? The rule is the kernel's own for
 * VOIPWAKE_CMD_APP_SET: whoever may open the app's cgroup.freeze for
 * writing, as cgroupfs decides it (file mode, owner, delegation). The
 * daemon opens that very file, relative to the app's cgroup fd (no path
 * to race on), with the caller's credentials as the bus reports them:
 * its fsuid, fsgid and supplementary groups become the caller's for that
 * one openat(2), and of the capabilities that override file permissions
 * it keeps only those the caller has itself (root's, typically): the
 * kernel drops them by itself only for a change from fsuid 0, and the
 * daemon runs as its own user with ambient capabilities. Then it acts
 * with its own.
 *
 * setfsuid(2) and setfsgid(2) are per thread, and the daemon has one;
 * setgroups(2) is issued as a raw syscall so that the C library does not
 * apply it to every thread either.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/fsuid.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#include "vwd.h"

#define MAX_GROUPS	256

/* Capabilities that would let the open through whatever the caller is. */
#define FS_CAPS	(1U << CAP_DAC_OVERRIDE | 1U << CAP_DAC_READ_SEARCH | \
		 1U << CAP_FOWNER)

static int fs_caps(bool on, uint32_t keep, uint32_t *saved)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct c[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &h, c))
		return -errno;
	if (on) {
		c[0].effective |= *saved;
	} else {
		*saved = c[0].effective & FS_CAPS & ~keep;
		c[0].effective &= ~(FS_CAPS & ~keep);
	}
	return syscall(SYS_capset, &h, c) ? -errno : 0;
}

static int open_as(uid_t uid, gid_t gid, const gid_t *groups, int ngroups,
		   uint32_t keep, int dirfd)
{
	gid_t saved[MAX_GROUPS];
	int nsaved, fd, err;

	uint32_t caps = 0;

	nsaved = getgroups(MAX_GROUPS, saved);
	if (nsaved < 0 || ngroups > MAX_GROUPS)
		return -E2BIG;
	if (fs_caps(false, keep, &caps))
		return -EPERM;
	if (syscall(SYS_setgroups, ngroups, groups)) {
		err = -errno;
		fs_caps(true, 0, &caps);
		return err;
	}
	setfsgid(gid);
	setfsuid(uid);
	/* Took: setfsuid() returns the old id whether or not it changed. */
	if ((uid_t)setfsuid(-1) != uid || (gid_t)setfsgid(-1) != gid) {
		fd = -EPERM;
	} else {
		fd = openat(dirfd, "cgroup.freeze", O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			fd = -errno;
	}
	err = fd;
	setfsuid(geteuid());
	setfsgid(getegid());
	/*
	 * The capabilities dropped for the open come back too: the kernel
	 * restores them only on a change to fsuid 0, and the daemon's own
	 * fsuid is its user's, so without this its next request to the
	 * module (APP_SET, which opens cgroup.freeze as the daemon) would
	 * go without CAP_DAC_OVERRIDE.
	 */
	if (syscall(SYS_setgroups, nsaved, saved) ||
	    (uid_t)setfsuid(-1) != geteuid() || fs_caps(true, 0, &caps)) {
		/* Running on with a caller's identity is not an option. */
		vwd_log(LOG_CRIT, "cannot take back the daemon's own credentials: %s",
			strerror(errno));
		abort();
	}
	if (fd >= 0)
		close(fd);
	return err < 0 ? err : 0;
}

int vwd_caller_may_manage(sd_bus_message *m, int cgroup_fd,
			  sd_bus_error *error)
{
	sd_bus_creds *creds = NULL;
	const gid_t *groups = NULL;
	uint32_t keep = 0;
	int ngroups, ret, cap;
	uid_t uid;
	gid_t gid;

	ret = sd_bus_query_sender_creds(m, SD_BUS_CREDS_EUID |
					SD_BUS_CREDS_EGID |
					SD_BUS_CREDS_SUPPLEMENTARY_GIDS |
					SD_BUS_CREDS_EFFECTIVE_CAPS |
					SD_BUS_CREDS_AUGMENT, &creds);
	if (ret >= 0)
		ret = sd_bus_creds_get_euid(creds, &uid);
	if (ret >= 0)
		ret = sd_bus_creds_get_egid(creds, &gid);
	if (ret < 0) {
		sd_bus_creds_unref(creds);
		return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED,
					 "cannot tell who is calling: %s",
					 strerror(-ret));
	}
	ngroups = sd_bus_creds_get_supplementary_gids(creds, &groups);
	if (ngroups < 0)
		ngroups = 0;
	for (cap = 0; cap < 32; cap++)
		if ((FS_CAPS & 1U << cap) &&
		    sd_bus_creds_has_effective_cap(creds, cap) > 0)
			keep |= 1U << cap;
	ret = open_as(uid, gid, groups, ngroups, keep, cgroup_fd);
	sd_bus_creds_unref(creds);
	if (!ret)
		return 0;
	if (ret == -EACCES || ret == -EPERM)
		return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED,
					 "uid %u may not manage this app: it cannot write its cgroup.freeze",
					 (unsigned int)uid);
	return sd_bus_error_set_errnof(error, -ret,
				       "cannot check the caller's right to the app's cgroup: %s",
				       strerror(-ret));
}
