// SPDX-License-Identifier: GPL-2.0
/*
 * Marking a socket: its data_ready, state_change and error_report callbacks
 * are wrapped (the originals always run first), and its proto_ops are
 * swapped for a copy whose release unhooks it, so close() really closes
 * the socket at once and frees the mark. The copy's owner is this module:
 * while any socket is marked the module cannot be unloaded, and the final
 * reference is dropped by the socket core after our release has returned.
 */

#include <linux/file.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <net/udp.h>

#include "app.h"
#include "compat.h"
#include "netlink.h"
#include "params.h"
#include "sock.h"

/* One proto_ops copy per original, made on first use. */
struct vw_ops {
	struct list_head node;
	const struct proto_ops *orig;
	const struct proto_ops ops;	/* never changes once published */
};

static LIST_HEAD(vw_ops_list);
static DEFINE_MUTEX(vw_ops_lock);

static void vw_sk_data_ready(struct sock *sk);
static void vw_sk_state_change(struct sock *sk);
static void vw_sk_error_report(struct sock *sk);

/* Caller holds sk_callback_lock. */
static struct vw_sock *vw_sock_of(struct sock *sk)
{
	if (sk->sk_data_ready != vw_sk_data_ready)
		return NULL;
	return sk->sk_user_data;
}

static bool vw_is_tcp(const struct sock *sk)
{
	return sk->sk_protocol == IPPROTO_TCP;
}

/*
 * Whether the app has something to read, and how many bytes: a UDP
 * datagram of no bytes is still something to read.
 */
static bool vw_sock_queued(struct sock *sk, u32 *bytes)
{
	struct sk_buff_head *q = &sk->sk_receive_queue;
	struct sk_buff *skb;
	u32 unread;
	bool any;

	if (vw_is_tcp(sk)) {
		unread = READ_ONCE(tcp_sk(sk)->rcv_nxt) -
			 READ_ONCE(tcp_sk(sk)->copied_seq);
		*bytes = unread;
		return unread;
	}
	unread = 0;
	spin_lock_bh(&q->lock);
	skb_queue_walk(q, skb)
		unread += skb->len;
	any = !skb_queue_empty(q);
	spin_unlock_bh(&q->lock);
	*bytes = unread;
	return any || !skb_queue_empty_lockless(&udp_sk(sk)->reader_queue);
}

/*
 * TCP_CLOSE alone is not a close: a socket that never connected is in it
 * too. One that was connected and is done has RCV_SHUTDOWN (tcp_done()).
 */
static bool vw_sock_peer_closed(struct sock *sk)
{
	int state = READ_ONCE(sk->sk_state);

	return vw_is_tcp(sk) &&
	       (state == TCP_CLOSE_WAIT || state == TCP_LAST_ACK ||
		(READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN));
}

/* What, if anything, the app would want to be woken for right now. */
enum voipwake_wake_reason vw_sock_pending(struct vw_sock *vs, u32 *bytes)
{
	struct sock *sk = vs->sk;

	bool data = vw_sock_queued(sk, bytes);

	if (READ_ONCE(sk->sk_err) && (vs->wake_on & BIT(VOIPWAKE_WAKE_ERROR)))
		return VOIPWAKE_WAKE_ERROR;
	if (data && (vs->wake_on & BIT(VOIPWAKE_WAKE_DATA)))
		return VOIPWAKE_WAKE_DATA;
	if (vw_sock_peer_closed(sk) && (vs->wake_on & BIT(VOIPWAKE_WAKE_CLOSE)))
		return VOIPWAKE_WAKE_CLOSE;
	return 0;
}

static void vw_sock_raise(struct vw_sock *vs, enum voipwake_wake_reason why,
			  u32 bytes)
{
	if (vs->wake_on & BIT(why))
		vw_app_wake(vs->app, why, vs->ino, bytes);
}

/*
 * The callbacks run in softirq or with the socket lock held. They hold
 * sk_callback_lock for reading so that unhooking (which takes it for
 * writing) cannot free the mark under them; a call that finds the socket
 * already unhooked passes straight to the restored original.
 */
static void vw_sk_data_ready(struct sock *sk)
{
	struct vw_sock *vs;
	u32 bytes;

	read_lock_bh(&sk->sk_callback_lock);
	vs = vw_sock_of(sk);
	if (vs) {
		vs->saved_data_ready(sk);
		/*
		 * Only real payload wakes, not ACKs or probes; and a
		 * foreground app pays no more than this one load.
		 */
		if (READ_ONCE(vs->app->state) !=
		    VOIPWAKE_APP_STATE_FOREGROUND &&
		    vw_sock_queued(sk, &bytes))
			vw_sock_raise(vs, VOIPWAKE_WAKE_DATA, bytes);
	} else if (sk->sk_data_ready != vw_sk_data_ready) {
		sk->sk_data_ready(sk);
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

static void vw_sk_state_change(struct sock *sk)
{
	struct vw_sock *vs;
	u32 bytes;

	read_lock_bh(&sk->sk_callback_lock);
	vs = vw_sock_of(sk);
	if (vs) {
		vs->saved_state_change(sk);
		if (vw_sock_peer_closed(sk)) {
			vw_sock_queued(sk, &bytes);
			vw_sock_raise(vs, READ_ONCE(sk->sk_err) ?
				      VOIPWAKE_WAKE_ERROR : VOIPWAKE_WAKE_CLOSE,
				      bytes);
		}
	} else if (sk->sk_state_change != vw_sk_state_change) {
		sk->sk_state_change(sk);
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

static void vw_sk_error_report(struct sock *sk)
{
	struct vw_sock *vs;
	u32 bytes;

	read_lock_bh(&sk->sk_callback_lock);
	vs = vw_sock_of(sk);
	if (vs) {
		vs->saved_error_report(sk);
		if (READ_ONCE(sk->sk_err)) {
			vw_sock_queued(sk, &bytes);
			vw_sock_raise(vs, VOIPWAKE_WAKE_ERROR, bytes);
		}
	} else if (sk->sk_error_report != vw_sk_error_report) {
		sk->sk_error_report(sk);
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

static void vw_sock_hook(struct vw_sock *vs)
{
	struct sock *sk = vs->sk;

	vs->saved_data_ready = sk->sk_data_ready;
	vs->saved_state_change = sk->sk_state_change;
	vs->saved_error_report = sk->sk_error_report;
	sk->sk_user_data = vs;
	sk->sk_data_ready = vw_sk_data_ready;
	sk->sk_state_change = vw_sk_state_change;
	sk->sk_error_report = vw_sk_error_report;
}

/* Restores the callbacks; after this no callback can reach @vs. */
static void vw_sock_unhook(struct vw_sock *vs)
{
	struct sock *sk = vs->sk;

	lock_sock(sk);
	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_data_ready = vs->saved_data_ready;
	sk->sk_state_change = vs->saved_state_change;
	sk->sk_error_report = vs->saved_error_report;
	sk->sk_user_data = NULL;
	write_unlock_bh(&sk->sk_callback_lock);
	release_sock(sk);
}

/* Unhooks and forgets @vs; the caller restores sock->ops. */
static void vw_sock_detach(struct vw_sock *vs, bool closing)
{
	struct vw_app *app = vs->app;

	mutex_lock(&app->mutex);
	vw_sock_unhook(vs);
	if (closing)
		vw_notify_sock(vs, VOIPWAKE_CMD_SOCK_CLOSED_NTF);
	list_del(&vs->node);
	app->nsocks--;
	mutex_unlock(&app->mutex);
	vw_app_maybe_remove(app);
	sock_put(vs->sk);
	vw_app_put(app);
	kfree(vs);
}

static const struct proto_ops *vw_ops_orig(const struct proto_ops *ops)
{
	return container_of(ops, struct vw_ops, ops)->orig;
}

static int vw_sock_release(struct socket *sock)
{
	const struct proto_ops *orig = vw_ops_orig(sock->ops);
	struct sock *sk = sock->sk;
	struct vw_sock *vs = NULL;

	if (sk) {
		read_lock_bh(&sk->sk_callback_lock);
		vs = vw_sock_of(sk);
		read_unlock_bh(&sk->sk_callback_lock);
	}
	/* Only release and unmark detach, and both hold the file. */
	if (vs)
		vw_sock_detach(vs, true);
	WRITE_ONCE(sock->ops, orig);
	return orig->release(sock);
}

/* Children of a listener would inherit our callbacks but no mark. */
static int vw_sock_listen(struct socket *sock, int backlog)
{
	return -EOPNOTSUPP;
}

static void vw_ops_fill(struct proto_ops *w, const struct proto_ops *orig)
{
	*w = *orig;
	w->owner = THIS_MODULE;
	w->release = vw_sock_release;
	w->listen = vw_sock_listen;
}

static const struct proto_ops *vw_ops_for(const struct proto_ops *orig)
{
	struct vw_ops *vo;

	/* Already ours: attaching will refuse it as marked. */
	if (orig->release == vw_sock_release)
		return orig;
	mutex_lock(&vw_ops_lock);
	list_for_each_entry(vo, &vw_ops_list, node)
		if (vo->orig == orig)
			goto out;
	vo = kzalloc(sizeof(*vo), GFP_KERNEL);
	if (!vo)
		goto out;
	/* Written once here, before anyone can see it. */
	vw_ops_fill((void *)&vo->ops, orig);
	vo->orig = orig;
	list_add(&vo->node, &vw_ops_list);
out:
	mutex_unlock(&vw_ops_lock);
	return vo ? &vo->ops : NULL;
}

static int vw_sock_lookup_failed(int err, struct netlink_ext_ack *extack)
{
	if (err == -ENOTSOCK)
		NL_SET_ERR_MSG(extack, "fd is not a socket");
	else
		NL_SET_ERR_MSG(extack, "fd is not open in the caller");
	return err;
}

/* The socket's owner, or an admin of its netns, may mark or unmark it. */
static int vw_sock_may_change(struct sock *sk, kuid_t owner,
			      struct netlink_ext_ack *extack)
{
	if (uid_eq(owner, current_fsuid()) ||
	    ns_capable(sock_net(sk)->user_ns, CAP_NET_ADMIN))
		return 0;
	NL_SET_ERR_MSG(extack, "socket belongs to another user");
	return -EPERM;
}

static int vw_sock_check(struct socket *sock, struct netlink_ext_ack *extack)
{
	struct sock *sk = sock->sk;

	if (!sk) {
		NL_SET_ERR_MSG(extack, "socket has no protocol state");
		return -EINVAL;
	}
	if (sk->sk_family != AF_INET && sk->sk_family != AF_INET6) {
		NL_SET_ERR_MSG(extack, "only IPv4 and IPv6 sockets can be marked");
		return -EAFNOSUPPORT;
	}
	if (!(sk->sk_type == SOCK_STREAM && sk->sk_protocol == IPPROTO_TCP) &&
	    !(sk->sk_type == SOCK_DGRAM && sk->sk_protocol == IPPROTO_UDP)) {
		NL_SET_ERR_MSG(extack, "only TCP and UDP sockets can be marked");
		return -EPROTONOSUPPORT;
	}
	if (vw_is_tcp(sk) && READ_ONCE(sk->sk_state) == TCP_LISTEN) {
		NL_SET_ERR_MSG(extack,
			       "listening sockets cannot be marked; mark the accepted socket");
		return -EOPNOTSUPP;
	}
	return vw_sock_may_change(sk, vw_sk_uid(sk), extack);
}

static struct vw_sock *vw_sock_alloc(struct socket *sock, u32 wake_on,
				     struct genl_info *info)
{
	struct sock *sk = sock->sk;
	struct vw_sock *vs;

	vs = kzalloc(sizeof(*vs), GFP_KERNEL_ACCOUNT);
	if (!vs)
		return NULL;
	vs->sk = sk;
	vs->orig_ops = sock->ops;
	vs->ino = sock_i_ino(sk);
	vs->uid = vw_sk_uid(sk);
	vs->wake_on = wake_on ?: VW_WAKE_ON_DEFAULT;
	vs->family = sk->sk_family;
	vs->protocol = sk->sk_protocol;
	vs->notify_portid = info->snd_portid;
	write_pnet(&vs->notify_net, genl_info_net(info));
	return vs;
}

/* Links @vs into @app and hooks the socket; app->mutex held. */
static int vw_sock_attach(struct vw_app *app, struct vw_sock *vs,
			  struct socket *sock, const struct proto_ops *ops,
			  struct netlink_ext_ack *extack)
{
	struct sock *sk = sock->sk;
	int err = 0;

	if (app->nsocks >= vw_param_max_socks_per_app()) {
		NL_SET_ERR_MSG(extack,
			       "app already holds max_socks_per_app marked sockets");
		return -ENOSPC;
	}
	lock_sock(sk);
	write_lock_bh(&sk->sk_callback_lock);
	if (vw_sock_of(sk)) {
		NL_SET_ERR_MSG(extack, "socket is already marked");
		err = -EALREADY;
	} else if (sk->sk_user_data) {
		NL_SET_ERR_MSG(extack,
			       "socket is used by another kernel user (sk_user_data)");
		err = -EBUSY;
	} else {
		vs->app = app;
		vw_sock_hook(vs);
	}
	write_unlock_bh(&sk->sk_callback_lock);
	if (!err) {
		__module_get(THIS_MODULE);
		WRITE_ONCE(sock->ops, ops);
	}
	release_sock(sk);
	if (err)
		return err;
	sock_hold(sk);
	kref_get(&app->ref);
	list_add_tail(&vs->node, &app->socks);
	app->nsocks++;
	return 0;
}

int vw_sock_mark(int fd, u32 wake_on, struct genl_info *info,
		 struct sk_buff *reply)
{
	struct netlink_ext_ack *extack = info->extack;
	const struct proto_ops *ops;
	enum voipwake_wake_reason why;
	struct socket *sock;
	struct vw_sock *vs;
	struct vw_app *app;
	u32 bytes;
	u64 ino;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return vw_sock_lookup_failed(err, extack);
	err = vw_sock_check(sock, extack);
	if (err)
		goto out_put;
	err = -ENOMEM;
	ops = vw_ops_for(sock->ops);
	vs = vw_sock_alloc(sock, wake_on, info);
	if (!ops || !vs)
		goto out_free;
	app = vw_app_get_or_create(sock_cgroup_ptr(&sock->sk->sk_cgrp_data),
				   extack);
	if (IS_ERR(app)) {
		err = PTR_ERR(app);
		goto out_free;
	}
	mutex_lock(&app->mutex);
	err = vw_sock_attach(app, vs, sock, ops, extack);
	why = err ? 0 : vw_sock_pending(vs, &bytes);
	ino = err ? 0 : vs->ino;
	/* Filled under the mutex: a racing unmark would free vs. */
	if (!err && vw_fill_sock(reply, vs))
		NL_SET_ERR_MSG(extack, "socket marked, but the reply is truncated");
	mutex_unlock(&app->mutex);
	if (err) {
		vw_app_maybe_remove(app);
		vw_app_put(app);
		goto out_free;
	}
	/* Marked while the app sleeps: what is already queued counts. */
	if (why)
		vw_app_wake(app, why, ino, bytes);
	vw_app_put(app);
	sockfd_put(sock);
	return 0;

out_free:
	kfree(vs);
out_put:
	sockfd_put(sock);
	return err;
}

int vw_sock_unmark(int fd, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	const struct proto_ops *orig;
	struct socket *sock;
	struct vw_sock *vs;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return vw_sock_lookup_failed(err, extack);
	read_lock_bh(&sock->sk->sk_callback_lock);
	vs = vw_sock_of(sock->sk);
	read_unlock_bh(&sock->sk->sk_callback_lock);
	if (!vs) {
		NL_SET_ERR_MSG(extack, "socket is not marked");
		err = -ENOENT;
		goto out;
	}
	err = vw_sock_may_change(sock->sk, vs->uid, extack);
	if (err)
		goto out;
	orig = vs->orig_ops;
	/* The file reference keeps release away until we are done. */
	vw_sock_detach(vs, false);
	WRITE_ONCE(sock->ops, orig);
	module_put(THIS_MODULE);
out:
	sockfd_put(sock);
	return err;
}

void vw_sock_count_wake(struct vw_app *app, u64 ino)
{
	struct vw_sock *vs;

	lockdep_assert_held(&app->mutex);
	list_for_each_entry(vs, &app->socks, node)
		if (vs->ino == ino)
			vs->wakes++;
}

/* A netns is going away: stop sending events to listeners in it. */
void vw_socks_forget_net(struct net *net)
{
	struct vw_app *app;
	struct vw_sock *vs;
	u64 pos = 0;

	while ((app = vw_app_next_from(&pos))) {
		mutex_lock(&app->mutex);
		if (net_eq(read_pnet(&app->notify_net), net))
			app->notify_portid = 0;
		list_for_each_entry(vs, &app->socks, node)
			if (net_eq(read_pnet(&vs->notify_net), net))
				vs->notify_portid = 0;
		mutex_unlock(&app->mutex);
		vw_app_put(app);
		pos++;
	}
}

void vw_socks_exit(void)
{
	struct vw_ops *vo, *tmp;

	list_for_each_entry_safe(vo, tmp, &vw_ops_list, node)
		kfree(vo);
}
