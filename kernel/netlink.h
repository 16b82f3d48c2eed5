/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VOIPWAKE_NETLINK_H
#define _VOIPWAKE_NETLINK_H

#include <net/genetlink.h>
#include <linux/voipwake.h>

struct vw_app;
struct vw_sock;
struct vw_wake;

extern struct genl_family vw_genl_family;

int vw_genl_init(void);
void vw_genl_uninit(void);

/* nlmsg.c: message contents shared by replies, dumps and events. */
int vw_fill_app(struct sk_buff *msg, struct vw_app *app);
int vw_fill_sock(struct sk_buff *msg, struct vw_sock *vs);
void vw_notify_app(struct vw_app *app, u8 cmd, const struct vw_wake *wk);
void vw_notify_gate(struct vw_app *app);
void vw_notify_sock(struct vw_app *app, struct vw_sock *vs, u8 cmd,
		    struct genl_info *from);

#endif /* _VOIPWAKE_NETLINK_H */
