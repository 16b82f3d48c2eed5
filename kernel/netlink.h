/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VOIPWAKE_NETLINK_H
#define _VOIPWAKE_NETLINK_H

int vw_genl_init(void);
void vw_genl_uninit(void);

#endif /* _VOIPWAKE_NETLINK_H */
