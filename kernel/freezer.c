// SPDX-License-Identifier: GPL-2.0
/*
 * The only code that touches the cgroup v2 freezer. The in-kernel entry
 * (cgroup_freeze()) is not exported, so voipwake writes cgroup.freeze
 * like any manager does: through a file. That file is the one the
 * manager's own request opened, with the manager's credentials, through
 * the manager's own mount, when its right to freeze that cgroup was
 * checked: the freezer's own locking, semantics and delegation rules
 * apply exactly as for a write from userspace, and voipwake mounts
 * nothing (a mount of cgroup2 would re-apply the hierarchy's options,
 * clearing nsdelegate and memory_recursiveprot).
 */

#include <linux/cgroup.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/pid_namespace.h>
#include <linux/sched/task.h>
#include <net/netlink.h>

#include "freezer.h"

int vw_freezer_set(struct file *freeze, bool frozen)
{
	loff_t pos = 0;
	ssize_t n;

	if (!freeze)
		return -EBADF;
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
 * The cgroup's own cgroup.freeze bit, whoever wrote it: what systemd's
 * FreezeUnit and voipwake both write. Read without cgroup_mutex, as a
 * hint that the caller re-reads on the next cgroup.events change.
 */
bool vw_freezer_own(struct cgroup *cgrp)
{
	return READ_ONCE(cgrp->freezer.freeze);
}

/*
 * An ancestor's freeze (user.slice around a suspend) holds the app
 * whatever its own bit says. CGRP_FREEZE is the effective state the
 * freezer sets on every descendant, in 6.1 as in 7.x (e_freeze, which
 * says the same, changed type in between), so the parent's flag tells
 * an ancestor's freeze from the app's own.
 */
bool vw_freezer_ancestor(struct cgroup *cgrp)
{
	struct cgroup *parent = cgroup_parent(cgrp);

	return parent && test_bit(CGRP_FREEZE, &parent->flags);
}

void vw_cgfiles_put(struct vw_cgfiles *files)
{
	if (files->freeze)
		fput(files->freeze);
	if (files->events)
		fput(files->events);
	if (files->dir.dentry)
		path_put(&files->dir);
	*files = (struct vw_cgfiles){};
}

/*
 * @dst takes references of its own to @src's files: a request that hands
 * its files to an app keeps them, for the app that replaces one removed
 * under it (vw_nl_app_set() retries).
 */
void vw_cgfiles_dup(struct vw_cgfiles *dst, const struct vw_cgfiles *src)
{
	*dst = *src;
	if (dst->freeze)
		get_file(dst->freeze);
	if (dst->events)
		get_file(dst->events);
	if (dst->dir.dentry)
		path_get(&dst->dir);
}

/*
 * cgroup.events, opened (by whoever may read it: anyone) only for the
 * files an app keeps, not for every request; a failure costs the watch.
 */
void vw_cgfiles_open_events(struct vw_cgfiles *files)
{
	struct file *f;

	if (files->events || !files->dir.dentry)
		return;
	f = file_open_root(&files->dir, "cgroup.events", O_RDONLY, 0);
	files->events = IS_ERR(f) ? NULL : f;
	path_put(&files->dir);
	files->dir = (struct path){};
}

/*
 * The cgroup behind an fd of its cgroup2 directory, checked the way
 * cgroupfs checks the caller: @mode is MAY_WRITE when the caller must be
 * allowed to write that cgroup's cgroup.freeze, MAY_READ to read it.
 *
 * The cgroup and the check come from one struct file, taken once: the
 * cgroup is the directory's own kernfs node (its inode number is the
 * cgroup id), and cgroup.freeze is opened relative to that same file's
 * path, with the caller's credentials. Looking the fd up twice would let
 * another thread dup2() a different directory over it in between, and
 * freeze a cgroup the caller was never checked against.
 *
 * With @files and MAY_WRITE, the opened cgroup.freeze and the directory's
 * path (for cgroup.events, vw_cgfiles_open_events()) are handed to the
 * caller.
 */
struct cgroup *vw_cgroup_from_fd(int fd, int mode, struct vw_cgfiles *files,
				 struct netlink_ext_ack *extack)
{
	struct cgroup *cgrp;
	struct inode *inode;
	struct file *dir, *f;
	int flags = mode == MAY_WRITE ? O_WRONLY : O_RDONLY;

	/* The directory's inode number is the whole 64-bit cgroup id. */
	BUILD_BUG_ON(sizeof(ino_t) < sizeof(u64));

	dir = fget(fd);
	if (!dir) {
		NL_SET_ERR_MSG(extack, "cgroup fd is not an open file");
		return ERR_PTR(-EBADF);
	}
	inode = file_inode(dir);
	if (inode->i_sb->s_magic != CGROUP2_SUPER_MAGIC ||
	    !S_ISDIR(inode->i_mode)) {
		NL_SET_ERR_MSG(extack, "fd is not a cgroup v2 directory");
		cgrp = ERR_PTR(-EBADF);
		goto out;
	}
	cgrp = cgroup_get_from_id(inode->i_ino);
	if (IS_ERR(cgrp)) {
		NL_SET_ERR_MSG(extack,
			       "cgroup is being removed, or outside the caller's cgroup namespace");
		goto out;
	}
	f = file_open_root(&dir->f_path, "cgroup.freeze", flags, 0);
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
	if (!files || mode != MAY_WRITE) {
		fput(f);
		goto out;
	}
	files->freeze = f;
	files->dir = dir->f_path;
	path_get(&files->dir);
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
