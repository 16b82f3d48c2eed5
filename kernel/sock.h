/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VOIPWAKE_SOCK_H
#define _VOIPWAKE_SOCK_H

#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/uidgid.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <linux/voipwake.h>

struct genl_info;
struct sk_buff;
struct sock;
struct vw_app;
struct vw_prot;

/* Wakes a socket raises unless its owner says otherwise: all it can. */
#define VW_WAKE_ON_DEFAULT	(BIT(VOIPWAKE_WAKE_DATA) | \
				 BIT(VOIPWAKE_WAKE_CLOSE) | \
				 BIT(VOIPWAKE_WAKE_ERROR))

/*
 * A socket voipwake has hooked: hung off sk_user_data (NOCOPY), with our
 * copy of its struct proto (whose close tells us of the close) and the
 * callbacks it replaced. It lives from the first mark until the socket's
 * close, then is freed after an RCU grace period; its socket's proto_ops
 * hold a module reference meanwhile. While marked, it is on its app's list (app->mutex) and holds a
 * reference on the app; unmarked, @app is NULL and the callbacks are the
 * socket's own again.
 */
struct vw_sock {
	struct list_head node;
	struct sock *sk;
	struct vw_app __rcu *app;
	struct vw_prot *prot;
	void (*saved_data_ready)(struct sock *sk);
	void (*saved_state_change)(struct sock *sk);
	void (*saved_error_report)(struct sock *sk);
	u64 ino;
	u64 app_id;
	kuid_t uid;
	u32 wake_on;
	u16 family;
	u16 protocol;
	u64 wakes;
	/* A lasting condition wakes once, until it changes. */
	int err_seen;
	bool close_seen;
	/* Where this app's own events go: the netlink socket that marked. */
	u32 notify_portid;
	possible_net_t notify_net;
	struct rcu_head rcu;
};

int vw_sock_mark(int fd, u32 wake_on, struct genl_info *info,
		 struct sk_buff *reply);
int vw_sock_unmark(int fd, struct genl_info *info);

bool vw_sock_unread(struct vw_sock *vs, u32 *bytes);
enum voipwake_wake_reason vw_sock_condition(struct vw_sock *vs, u32 *bytes);
void vw_sock_count_wake(struct vw_app *app, u64 ino);
void vw_socks_exit(void);

#endif /* _VOIPWAKE_SOCK_H */
