/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VW_NLERR_H
#define VW_NLERR_H

#include <stddef.h>
#include <linux/netlink.h>

/*
 * The NLMSG_ERROR @nlh: its error (0 for an ack, else -errno) and in
 * *@msg the kernel's extack message, or NULL if it sent none (valid as
 * long as @nlh is).
 */
int nlerr_parse(const struct nlmsghdr *nlh, const char **msg);

/*
 * An mnl error callback's work: the extack message of @nlh, if any, into
 * @extack (@len bytes), its error into errno; returns MNL_CB_STOP for an
 * ack, else MNL_CB_ERROR.
 */
int nlerr_cb(const struct nlmsghdr *nlh, char *extack, size_t len);

#endif /* VW_NLERR_H */
