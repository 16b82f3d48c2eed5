// SPDX-License-Identifier: GPL-2.0
/*
 * The only code that touches the cgroup v2 freezer. The in-kernel entry
 * (cgroup_freeze()) is not exported, so voipwake writes cgroup.freeze
 * through a private mount of the cgroup2 hierarchy: the freezer's own
 * locking and semantics apply, exactly as for a write from userspace.
 */

#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/pid_namespace.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "freezer.h"

static struct vfsmount *vw_cgroup_mnt;

/*
 * Freezer files are opened with the module's own credentials: an app may
 * mark its socket without being allowed to freeze itself, and the kernel
 * then freezes it on the admin's request or its own background call.
 */
static const struct cred *vw_cred;

int __init vw_freezer_init(void)
{
	struct file_system_type *type;
	struct cred *cred;

	/* cgroup2 is built in, so there is no module reference to drop. */
	type = get_fs_type("cgroup2");
	if (!type)
		return -ENODEV;
	cred = prepare_kernel_cred(&init_task);
	if (!cred)
		return -ENOMEM;
	vw_cgroup_mnt = vfs_kern_mount(type, 0, "cgroup2", NULL);
	if (IS_ERR(vw_cgroup_mnt)) {
		put_cred(cred);
		return PTR_ERR(vw_cgroup_mnt);
	}
	vw_cred = cred;
	return 0;
}

void vw_freezer_exit(void)
{
	kern_unmount(vw_cgroup_mnt);
	put_cred(vw_cred);
}

struct file *vw_freezer_open(struct cgroup *cgrp)
{
	const struct cred *old;
	struct file *f;
	char *path;
	int len;

	path = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!path)
		return ERR_PTR(-ENOMEM);
	len = cgroup_path(cgrp, path, PATH_MAX - sizeof("/cgroup.freeze"));
	if (len < 0 || len >= PATH_MAX - (int)sizeof("/cgroup.freeze")) {
		kfree(path);
		return ERR_PTR(-ENAMETOOLONG);
	}
	strcat(path, "/cgroup.freeze");
	old = override_creds(vw_cred);
	/* cgroup_path() starts at the hierarchy root with a '/'. */
	f = file_open_root_mnt(vw_cgroup_mnt, path + 1, O_WRONLY, 0);
	revert_creds(old);
	kfree(path);
	return f;
}

int vw_freezer_set(struct file *freeze, bool frozen)
{
	loff_t pos = 0;
	ssize_t n;

	n = kernel_write(freeze, frozen ? "1" : "0", 1, &pos);
	if (n < 0)
		return n;
	return n == 1 ? 0 : -EIO;
}

bool vw_freezer_frozen(struct cgroup *cgrp)
{
	return test_bit(CGRP_FROZEN, &cgrp->flags);
}

/*
 * The cgroup behind an fd of its cgroup2 directory, checked the way
 * cgroupfs checks the caller: @mode is MAY_WRITE when the caller must be
 * allowed to write that cgroup's cgroup.freeze, MAY_READ to read it. The
 * open happens with the caller's credentials through the caller's own
 * mount, so delegation (a user slice owning its cgroups) just works.
 */
struct cgroup *vw_cgroup_from_fd(int fd, int mode,
				 struct netlink_ext_ack *extack)
{
	struct cgroup *cgrp;
	struct file *dir, *f;

	dir = fget(fd);
	if (!dir) {
		NL_SET_ERR_MSG(extack, "cgroup fd is not an open file");
		return ERR_PTR(-EBADF);
	}
	cgrp = cgroup_get_from_fd(fd);
	if (IS_ERR(cgrp)) {
		NL_SET_ERR_MSG(extack, "fd is not a cgroup v2 directory");
		goto out;
	}
	f = file_open_root(&dir->f_path, "cgroup.freeze",
			   mode == MAY_WRITE ? O_WRONLY : O_RDONLY, 0);
	if (IS_ERR(f)) {
		if (mode == MAY_WRITE)
			NL_SET_ERR_MSG(extack,
				       "not allowed to write this cgroup's cgroup.freeze");
		else
			NL_SET_ERR_MSG(extack,
				       "not allowed to read this cgroup's cgroup.freeze");
		cgroup_put(cgrp);
		cgrp = ERR_PTR(PTR_ERR(f) == -EACCES ? -EPERM : PTR_ERR(f));
		goto out;
	}
	fput(f);
out:
	fput(dir);
	return cgrp;
}

/*
 * css_set_lock, which task_dfl_cgroup() names for lockdep, is not
 * exported; an RCU read of the task's css_set is what it checks anyway.
 */
static struct cgroup *vw_task_cgroup_rcu(struct task_struct *task)
{
	return rcu_dereference(task->cgroups)->dfl_cgrp;
}

/*
 * Freezing the root would stop the machine, and freezing a cgroup that
 * holds an init (the system's or the caller's pid namespace's) would stop
 * everything that waits on it.
 */
bool vw_cgroup_refused(struct cgroup *cgrp, struct netlink_ext_ack *extack)
{
	struct task_struct *inits[2];
	bool refused = false;
	int i;

	if (!cgroup_parent(cgrp)) {
		NL_SET_ERR_MSG(extack, "the root cgroup cannot be an app");
		return true;
	}
	rcu_read_lock();
	inits[0] = init_pid_ns.child_reaper;
	inits[1] = task_active_pid_ns(current)->child_reaper;
	for (i = 0; i < ARRAY_SIZE(inits) && !refused; i++)
		refused = inits[i] &&
			  cgroup_is_descendant(vw_task_cgroup_rcu(inits[i]),
					       cgrp);
	rcu_read_unlock();
	if (refused)
		NL_SET_ERR_MSG(extack, "cgroup holds an init process (PID 1)");
	return refused;
}

u64 vw_current_cgroup_id(void)
{
	u64 id;

	rcu_read_lock();
	id = cgroup_id(vw_task_cgroup_rcu(current));
	rcu_read_unlock();
	return id;
}

/* The caller's own cgroup, referenced; NULL if it is being removed. */
struct cgroup *vw_current_cgroup(void)
{
	struct cgroup *cgrp;

	rcu_read_lock();
	cgrp = vw_task_cgroup_rcu(current);
	if (!cgroup_tryget(cgrp))
		cgrp = NULL;
	rcu_read_unlock();
	return cgrp;
}
