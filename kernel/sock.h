/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VOIPWAKE_SOCK_H
#define _VOIPWAKE_SOCK_H

#include <linux/list.h>
#include <linux/uidgid.h>
#include <net/net_namespace.h>
#include <linux/voipwake.h>

struct genl_info;
struct sk_buff;
struct sock;
struct vw_app;

/* Wakes a socket raises unless its owner says otherwise: all it can. */
#define VW_WAKE_ON_DEFAULT	(BIT(VOIPWAKE_WAKE_DATA) | \
				 BIT(VOIPWAKE_WAKE_CLOSE) | \
				 BIT(VOIPWAKE_WAKE_ERROR))

/*
 * A marked socket: hung off sk_user_data, with the callbacks it replaced.
 * Lives on its app's list (app->mutex) and holds a reference on the sock,
 * on the app, and (through its proto_ops) on this module.
 */
struct vw_sock {
	struct list_head node;
	struct sock *sk;
	struct vw_app *app;
	const struct proto_ops *orig_ops;
	void (*saved_data_ready)(struct sock *sk);
	void (*saved_state_change)(struct sock *sk);
	void (*saved_error_report)(struct sock *sk);
	u64 ino;
	kuid_t uid;
	u32 wake_on;
	u16 family;
	u16 protocol;
	u64 wakes;
	/* Where this app's own events go: the netlink socket that marked. */
	u32 notify_portid;
	possible_net_t notify_net;
};

int vw_sock_mark(int fd, u32 wake_on, struct genl_info *info,
		 struct sk_buff *reply);
int vw_sock_unmark(int fd, struct genl_info *info);

enum voipwake_wake_reason vw_sock_pending(struct vw_sock *vs, u32 *bytes);
void vw_sock_count_wake(struct vw_app *app, u64 ino);
void vw_socks_forget_net(struct net *net);
void vw_socks_exit(void);

#endif /* _VOIPWAKE_SOCK_H */
