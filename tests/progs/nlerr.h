/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VW_NLERR_H
#define VW_NLERR_H

#include <linux/netlink.h>

/*
 * The NLMSG_ERROR @nlh: its error (0 for an ack, else -errno) and in
 * *@msg the kernel's extack message, or NULL if it sent none (valid as
 * long as @nlh is).
 */
int nlerr_parse(const struct nlmsghdr *nlh, const char **msg);

#endif /* VW_NLERR_H */
