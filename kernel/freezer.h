/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VOIPWAKE_FREEZER_H
#define _VOIPWAKE_FREEZER_H

#include <linux/types.h>

struct cgroup;
struct file;
struct netlink_ext_ack;

int vw_freezer_init(void);
void vw_freezer_exit(void);

struct file *vw_freezer_open(struct cgroup *cgrp);
int vw_freezer_set(struct file *freeze, bool frozen);
bool vw_freezer_frozen(struct cgroup *cgrp);

struct cgroup *vw_cgroup_from_fd(int fd, int mode,
				 struct netlink_ext_ack *extack);
bool vw_cgroup_refused(struct cgroup *cgrp, struct netlink_ext_ack *extack);
u64 vw_current_cgroup_id(void);
struct cgroup *vw_current_cgroup(void);

#endif /* _VOIPWAKE_FREEZER_H */
