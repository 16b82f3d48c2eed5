/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VOIPWAKE_FREEZER_H
#define _VOIPWAKE_FREEZER_H

#include <linux/path.h>
#include <linux/types.h>

struct cgroup;
struct file;
struct netlink_ext_ack;

/* A cgroup's files, opened by a manager allowed to freeze it. */
struct vw_cgfiles {
	struct file *freeze;	/* cgroup.freeze, for writing */
	struct file *events;	/* cgroup.events, polled; may be NULL */
	struct path dir;	/* until events is opened from it */
};

int vw_freezer_set(struct file *freeze, bool frozen);
bool vw_freezer_frozen(struct cgroup *cgrp);
bool vw_freezer_own(struct cgroup *cgrp);
bool vw_freezer_ancestor(struct cgroup *cgrp);

struct cgroup *vw_cgroup_from_fd(int fd, int mode, struct vw_cgfiles *files,
				 struct netlink_ext_ack *extack);
void vw_cgfiles_put(struct vw_cgfiles *files);
void vw_cgfiles_dup(struct vw_cgfiles *dst, const struct vw_cgfiles *src);
void vw_cgfiles_open_events(struct vw_cgfiles *files);
bool vw_cgroup_refused(struct cgroup *cgrp, struct netlink_ext_ack *extack);
u64 vw_current_cgroup_id(void);
struct cgroup *vw_current_cgroup(void);

#endif /* _VOIPWAKE_FREEZER_H */
