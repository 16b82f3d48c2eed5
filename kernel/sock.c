// SPDX-License-Identifier: GPL-2.0
/*
 * Marking a socket. Its data_ready, state_change and error_report callbacks
 * are wrapped (the originals always run first), and the socket learns of
 * its close the way kTLS, ovpn and sockmap do: through a copy of its
 * struct proto whose close unhooks it before the protocol's own close. The
 * socket core always calls sk->sk_prot->close; proto_ops.release is
 * swapped by IPV6_ADDRFORM and by ULPs.
 *
 * Nobody may swap the proto from under us while we hold it: the copy's
 * setsockopt refuses IPV6_ADDRFORM (which the kernel itself refuses for
 * TCP once sk_prot is not tcpv6_prot, under the socket lock), and a TCP
 * socket carries a ULP of ours, which makes the kernel refuse, under the
 * socket lock, both another ULP (kTLS) and listen() (a ULP with no clone
 * cannot listen), whichever ops a thread loaded. sk_user_data is ours,
 * with NOCOPY, which keeps sockmap, KCM and the other users of
 * sk_user_data off. Every check and the attach happen under one
 * lock_sock().
 *
 * The socket stays hooked from its first mark until its close, marked or
 * not (an unmark restores the callbacks and leaves the app): restoring the
 * proto while other threads of the process may be in a system call that
 * loaded our copy would let the module go under them. Each hooked socket
 * holds a module reference through its proto_ops, swapped for a copy
 * whose owner is this module: the socket core drops it after the release
 * (and so our close) has returned, where none of our code runs any more.
 * Those ops cannot be swapped away either: the same refusals keep kTLS
 * and IPV6_ADDRFORM, their only writers, off.
 *
 * The callbacks read the mark and its app under RCU: no lock per packet.
 * The mark is freed after a grace period, and module unload waits for one
 * before it frees our text.
 */

#include <linux/file.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/inet_connection_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <net/udp.h>

#include "app.h"
#include "compat.h"
#include "netlink.h"
#include "params.h"
#include "sock.h"

/* How often a mark starts over when its app is removed under it. */
#define VW_MARK_TRIES	3

/*
 * One struct proto copy per original, and one proto_ops copy per
 * original, made on first use.
 */
struct vw_prot {
	struct list_head node;
	struct proto *orig;
	struct proto prot;	/* never changes once published */
};

struct vw_ops {
	struct list_head node;
	const struct proto_ops *orig;
	const struct proto_ops ops;	/* never changes once published */
};

static LIST_HEAD(vw_prot_list);
static LIST_HEAD(vw_ops_list);
static DEFINE_MUTEX(vw_prot_lock);

static void vw_sk_data_ready(struct sock *sk);
static void vw_sk_state_change(struct sock *sk);
static void vw_sk_error_report(struct sock *sk);
static void vw_close(struct sock *sk, long timeout);

/*
 * Never registered, so nobody can ask for it by name; it only holds the
 * socket's ULP slot. It has no clone, so the socket cannot listen. No
 * owner: the socket's ops hold the module, and our close empties the slot
 * before the stack could release it.
 */
static struct tcp_ulp_ops vw_ulp = {
	.name = "voipwake",
};

static bool vw_is_tcp(const struct sock *sk)
{
	return sk->sk_protocol == IPPROTO_TCP;
}

/* sk_user_data without its flags, outside RCU: ours, when we hook. */
static struct vw_sock *vw_sock_of(const struct sock *sk)
{
	return (struct vw_sock *)((uintptr_t)READ_ONCE(sk->sk_user_data) &
				  SK_USER_DATA_PTRMASK);
}

/* The socket's hook, if voipwake has hooked it; process context. */
static struct vw_sock *vw_sock_hooked(struct sock *sk)
{
	if (READ_ONCE(sk->sk_prot)->close != vw_close)
		return NULL;
	return vw_sock_of(sk);
}

/*
 * Whether the app has something to read, and how many bytes: for TCP all
 * that is unread, for UDP the datagram at the head of the queue (a
 * datagram of no bytes is still something to read). Constant time: the
 * data_ready hook calls it for every datagram to an app in the background.
 */
static bool vw_sock_queued(struct sock *sk, u32 *bytes)
{
	struct sk_buff_head *qs[2] = {
		&sk->sk_receive_queue,
		vw_is_tcp(sk) ? NULL : &udp_sk(sk)->reader_queue,
	};
	struct sk_buff *skb;
	u32 unread;
	int i;

	if (vw_is_tcp(sk)) {
		unread = READ_ONCE(tcp_sk(sk)->rcv_nxt) -
			 READ_ONCE(tcp_sk(sk)->copied_seq);
		/* A FIN takes a sequence number and is no byte to read. */
		if (unread && sock_flag(sk, SOCK_DONE))
			unread--;
		*bytes = unread;
		return unread;
	}
	/* The reader moves datagrams from the first queue to the second. */
	for (i = ARRAY_SIZE(qs) - 1; i >= 0; i--) {
		if (skb_queue_empty_lockless(qs[i]))
			continue;
		spin_lock_bh(&qs[i]->lock);
		skb = skb_peek(qs[i]);
		*bytes = skb ? skb->len : 0;
		spin_unlock_bh(&qs[i]->lock);
		if (skb)
			return true;
	}
	*bytes = 0;
	return false;
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

/* Unread data the app asked to be woken for, with its bytes. */
bool vw_sock_unread(struct vw_sock *vs, u32 *bytes)
{
	return vw_sock_queued(vs->sk, bytes) &&
	       (vs->wake_on & BIT(VOIPWAKE_WAKE_DATA));
}

/*
 * Whether a lasting condition is news: an error the app was not told of
 * (a new sk_err value; none clears the slate), a peer's close not told
 * yet. Recorded as told when it is.
 */
static bool vw_sock_news(struct vw_sock *vs, enum voipwake_wake_reason why)
{
	int err = READ_ONCE(vs->sk->sk_err);

	switch (why) {
	case VOIPWAKE_WAKE_ERROR:
		if (!err || err == READ_ONCE(vs->err_seen))
			return false;
		WRITE_ONCE(vs->err_seen, err);
		/* A reset is a close too: the error said it. */
		if (vw_sock_peer_closed(vs->sk))
			WRITE_ONCE(vs->close_seen, true);
		return true;
	case VOIPWAKE_WAKE_CLOSE:
		if (READ_ONCE(vs->close_seen))
			return false;
		WRITE_ONCE(vs->close_seen, true);
		return true;
	default:
		return true;
	}
}

/*
 * What the app should be woken for now, if anything: a condition it was
 * not told of yet, or unread data. Telling it of a lasting condition
 * once is enough: an app woken for a reset it does not read would
 * otherwise be woken again after every done.
 */
enum voipwake_wake_reason vw_sock_condition(struct vw_sock *vs, u32 *bytes)
{
	struct sock *sk = vs->sk;
	bool data = vw_sock_queued(sk, bytes);

	if (!READ_ONCE(sk->sk_err))
		WRITE_ONCE(vs->err_seen, 0);
	if ((vs->wake_on & BIT(VOIPWAKE_WAKE_ERROR)) &&
	    vw_sock_news(vs, VOIPWAKE_WAKE_ERROR))
		return VOIPWAKE_WAKE_ERROR;
	if (data && (vs->wake_on & BIT(VOIPWAKE_WAKE_DATA)))
		return VOIPWAKE_WAKE_DATA;
	if (vw_sock_peer_closed(sk) && (vs->wake_on & BIT(VOIPWAKE_WAKE_CLOSE)) &&
	    vw_sock_news(vs, VOIPWAKE_WAKE_CLOSE))
		return VOIPWAKE_WAKE_CLOSE;
	return 0;
}

/* Under RCU, from a callback; a foreground app is not told. */
static void vw_sock_raise(struct vw_sock *vs, struct vw_app *app,
			  enum voipwake_wake_reason why, u32 bytes)
{
	if (!(vs->wake_on & BIT(why)) ||
	    READ_ONCE(app->state) == VOIPWAKE_APP_STATE_FOREGROUND ||
	    !vw_sock_news(vs, why))
		return;
	vw_app_wake(app, why, vs->ino, bytes);
}

enum vw_cb { VW_CB_DATA_READY, VW_CB_STATE_CHANGE, VW_CB_ERROR_REPORT };

/*
 * A callback that finds the socket no longer hooked (it was closed as the
 * callback began) passes to the socket's own, restored under the
 * callback lock before sk_user_data was cleared.
 */
static void vw_sk_pass_on(struct sock *sk, enum vw_cb which)
{
	void (*fn)(struct sock *sk), (*ours)(struct sock *sk);

	read_lock_bh(&sk->sk_callback_lock);
	switch (which) {
	case VW_CB_DATA_READY:
		fn = sk->sk_data_ready;
		ours = vw_sk_data_ready;
		break;
	case VW_CB_STATE_CHANGE:
		fn = sk->sk_state_change;
		ours = vw_sk_state_change;
		break;
	default:
		fn = sk->sk_error_report;
		ours = vw_sk_error_report;
		break;
	}
	read_unlock_bh(&sk->sk_callback_lock);
	if (fn != ours)
		fn(sk);
}

static void vw_sk_data_ready(struct sock *sk)
{
	void (*cb)(struct sock *sk);
	struct vw_sock *vs;
	struct vw_app *app;
	u32 bytes;

	rcu_read_lock();
	vs = rcu_dereference_sk_user_data(sk);
	if (unlikely(!vs)) {
		rcu_read_unlock();
		vw_sk_pass_on(sk, VW_CB_DATA_READY);
		return;
	}
	cb = READ_ONCE(vs->saved_data_ready);
	cb(sk);
	app = rcu_dereference(vs->app);
	/*
	 * Only real payload wakes, not ACKs or probes; and a foreground
	 * app pays no more than this one load.
	 */
	if (app && READ_ONCE(app->state) != VOIPWAKE_APP_STATE_FOREGROUND &&
	    vw_sock_queued(sk, &bytes))
		vw_sock_raise(vs, app, VOIPWAKE_WAKE_DATA, bytes);
	rcu_read_unlock();
}

static void vw_sk_state_change(struct sock *sk)
{
	void (*cb)(struct sock *sk);
	struct vw_sock *vs;
	struct vw_app *app;
	u32 bytes;

	rcu_read_lock();
	vs = rcu_dereference_sk_user_data(sk);
	if (unlikely(!vs)) {
		rcu_read_unlock();
		vw_sk_pass_on(sk, VW_CB_STATE_CHANGE);
		return;
	}
	cb = READ_ONCE(vs->saved_state_change);
	cb(sk);
	app = rcu_dereference(vs->app);
	if (app && vw_sock_peer_closed(sk)) {
		vw_sock_queued(sk, &bytes);
		vw_sock_raise(vs, app, READ_ONCE(sk->sk_err) ?
			      VOIPWAKE_WAKE_ERROR : VOIPWAKE_WAKE_CLOSE, bytes);
	}
	rcu_read_unlock();
}

static void vw_sk_error_report(struct sock *sk)
{
	void (*cb)(struct sock *sk);
	struct vw_sock *vs;
	struct vw_app *app;
	u32 bytes;

	rcu_read_lock();
	vs = rcu_dereference_sk_user_data(sk);
	if (unlikely(!vs)) {
		rcu_read_unlock();
		vw_sk_pass_on(sk, VW_CB_ERROR_REPORT);
		return;
	}
	cb = READ_ONCE(vs->saved_error_report);
	cb(sk);
	app = rcu_dereference(vs->app);
	if (app && READ_ONCE(sk->sk_err)) {
		vw_sock_queued(sk, &bytes);
		vw_sock_raise(vs, app, VOIPWAKE_WAKE_ERROR, bytes);
	}
	rcu_read_unlock();
}

/* The socket's own callbacks again, where ours still stand. */
static void vw_sock_restore_callbacks(struct vw_sock *vs)
{
	struct sock *sk = vs->sk;

	if (sk->sk_data_ready == vw_sk_data_ready)
		WRITE_ONCE(sk->sk_data_ready, vs->saved_data_ready);
	if (sk->sk_state_change == vw_sk_state_change)
		WRITE_ONCE(sk->sk_state_change, vs->saved_state_change);
	if (sk->sk_error_report == vw_sk_error_report)
		WRITE_ONCE(sk->sk_error_report, vs->saved_error_report);
}

/*
 * Takes @vs out of its app: the callbacks are the socket's own again and
 * no new callback reaches the app. app->mutex held; the caller drops the
 * app reference @vs held, once it let go of the mutex.
 */
static void vw_sock_detach(struct vw_app *app, struct vw_sock *vs,
			   bool closing)
{
	struct sock *sk = vs->sk;

	lockdep_assert_held(&app->mutex);
	if (closing)
		vw_notify_sock(app, vs, VOIPWAKE_CMD_SOCK_CLOSED_NTF, NULL);
	lock_sock(sk);
	write_lock_bh(&sk->sk_callback_lock);
	vw_sock_restore_callbacks(vs);
	RCU_INIT_POINTER(vs->app, NULL);
	write_unlock_bh(&sk->sk_callback_lock);
	release_sock(sk);
	list_del(&vs->node);
	app->nsocks--;
}

/*
 * The socket is being closed: the protocol's close, reached whatever
 * proto_ops the socket has by now. Nobody else holds its file, so no mark
 * or unmark runs for it at the same time.
 */
static void vw_close(struct sock *sk, long timeout)
{
	struct vw_sock *vs = vw_sock_hooked(sk);
	struct proto *orig = vs->prot->orig;
	struct vw_app *app = rcu_dereference_protected(vs->app, 1);

	if (app) {
		mutex_lock(&app->mutex);
		vw_sock_detach(app, vs, true);
		mutex_unlock(&app->mutex);
		vw_app_maybe_remove(app);
		vw_app_put(app);
	}
	lock_sock(sk);
	write_lock_bh(&sk->sk_callback_lock);
	rcu_assign_sk_user_data(sk, NULL);
	write_unlock_bh(&sk->sk_callback_lock);
	if (inet_csk_has_ulp(sk) && inet_csk(sk)->icsk_ulp_ops == &vw_ulp)
		inet_csk(sk)->icsk_ulp_ops = NULL;
	WRITE_ONCE(sk->sk_prot, orig);
	release_sock(sk);
	orig->close(sk, timeout);
	/* The callbacks may still be looking at it, under RCU. */
	kfree_rcu(vs, rcu);
	sock_put(sk);
}

/*
 * IPV6_ADDRFORM would swap the proto (and the ops) for IPv4's and leave
 * our close behind: refused while the socket is hooked, as the kernel
 * itself refuses it to a TCP socket whose proto kTLS or sockmap holds.
 */
static int vw_setsockopt(struct sock *sk, int level, int optname,
			 sockptr_t optval, unsigned int optlen)
{
	struct vw_sock *vs = vw_sock_of(sk);

	if (level == SOL_IPV6 && optname == IPV6_ADDRFORM)
		return -EBUSY;
	return vs->prot->orig->setsockopt(sk, level, optname, optval, optlen);
}

static void vw_ops_fill(struct proto_ops *w, const struct proto_ops *orig)
{
	*w = *orig;
	w->owner = THIS_MODULE;
}

static const struct proto_ops *vw_ops_for(const struct proto_ops *orig)
{
	struct vw_ops *vo;

	/* Already ours: the socket was hooked before. */
	if (orig->owner == THIS_MODULE)
		return orig;
	mutex_lock(&vw_prot_lock);
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
	mutex_unlock(&vw_prot_lock);
	return vo ? &vo->ops : NULL;
}

static struct vw_prot *vw_prot_for(struct proto *orig)
{
	struct vw_prot *vp;

	mutex_lock(&vw_prot_lock);
	list_for_each_entry(vp, &vw_prot_list, node)
		if (vp->orig == orig)
			goto out;
	vp = kzalloc(sizeof(*vp), GFP_KERNEL);
	if (!vp)
		goto out;
	/* Written once here, before anyone can see it. */
	vp->prot = *orig;
	vp->prot.close = vw_close;
	vp->prot.setsockopt = vw_setsockopt;
	vp->orig = orig;
	list_add(&vp->node, &vw_prot_list);
out:
	mutex_unlock(&vw_prot_lock);
	return vp;
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

/* What never changes in a socket's life; the rest is checked locked. */
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
	vs->ino = sock_i_ino(sk);
	vs->uid = vw_sk_uid(sk);
	vs->wake_on = wake_on ?: VW_WAKE_ON_DEFAULT;
	vs->family = sk->sk_family;
	vs->protocol = sk->sk_protocol;
	vs->notify_portid = info->snd_portid;
	write_pnet(&vs->notify_net, genl_info_net(info));
	return vs;
}

/*
 * Why a socket not hooked yet cannot be: checked under the socket lock,
 * which listen(), setsockopt(TCP_ULP) and IPV6_ADDRFORM all take, so
 * none of them can slip in between the check and the hook.
 */
static int vw_sock_refused(struct sock *sk, struct netlink_ext_ack *extack)
{
	if (vw_is_tcp(sk) && sk->sk_state == TCP_LISTEN) {
		NL_SET_ERR_MSG(extack,
			       "listening sockets cannot be marked; mark the accepted socket");
		return -EOPNOTSUPP;
	}
	if (sk->sk_user_data) {
		NL_SET_ERR_MSG(extack,
			       "socket is used by another kernel user (sk_user_data)");
		return -EBUSY;
	}
	if (sk->sk_prot != sk->sk_prot_creator) {
		NL_SET_ERR_MSG(extack,
			       "socket's protocol was replaced (kTLS, sockmap or IPV6_ADDRFORM)");
		return -EBUSY;
	}
	if (vw_is_tcp(sk) && inet_csk(sk)->icsk_ulp_ops) {
		NL_SET_ERR_MSG(extack,
			       "socket has an upper-layer protocol (TCP_ULP)");
		return -EBUSY;
	}
	return 0;
}

/* Hooks a socket for good (until its close); lock_sock held. */
static void vw_sock_hook(struct socket *sock, struct vw_sock *vs,
			 struct vw_prot *vp, const struct proto_ops *ops)
{
	struct sock *sk = sock->sk;

	vs->prot = vp;
	if (vw_is_tcp(sk))
		inet_csk(sk)->icsk_ulp_ops = &vw_ulp;
	write_lock_bh(&sk->sk_callback_lock);
	__rcu_assign_sk_user_data_with_flags(sk, vs, SK_USER_DATA_NOCOPY);
	write_unlock_bh(&sk->sk_callback_lock);
	WRITE_ONCE(sk->sk_prot, &vp->prot);
	/* The socket core puts it after the release that closes us. */
	__module_get(THIS_MODULE);
	WRITE_ONCE(sock->ops, ops);
	/*
	 * Until our close: a close we never hear of (see design.rst) then
	 * leaks the socket instead of freeing it under the app's list.
	 */
	sock_hold(sk);
}

/*
 * Marks @sk for @app: hooks it if it was never hooked, else takes the
 * hook an unmark left (and frees *@vsp, keeping the new settings). Links
 * it into @app; app->mutex held, and @app not removed.
 */
static int vw_sock_attach(struct vw_app *app, struct vw_sock **vsp,
			  struct socket *sock, struct vw_prot *vp,
			  const struct proto_ops *ops,
			  struct netlink_ext_ack *extack)
{
	struct vw_sock *vs = *vsp, *old;
	struct sock *sk = sock->sk;
	int err = 0;

	lockdep_assert_held(&app->mutex);
	if (app->nsocks >= vw_param_max_socks_per_app()) {
		NL_SET_ERR_MSG(extack,
			       "app already holds max_socks_per_app marked sockets");
		return -ENOSPC;
	}
	lock_sock(sk);
	old = vw_sock_hooked(sk);
	if (old && rcu_access_pointer(old->app)) {
		NL_SET_ERR_MSG(extack, "socket is already marked");
		err = -EALREADY;
		goto out;
	}
	if (old) {
		old->wake_on = vs->wake_on;
		old->notify_portid = vs->notify_portid;
		old->notify_net = vs->notify_net;
		kfree(vs);
		*vsp = vs = old;
	} else {
		err = vw_sock_refused(sk, extack);
		if (err)
			goto out;
		vw_sock_hook(sock, vs, vp, ops);
	}
	vs->app_id = app->id;
	write_lock_bh(&sk->sk_callback_lock);
	vs->saved_data_ready = sk->sk_data_ready;
	vs->saved_state_change = sk->sk_state_change;
	vs->saved_error_report = sk->sk_error_report;
	WRITE_ONCE(sk->sk_data_ready, vw_sk_data_ready);
	WRITE_ONCE(sk->sk_state_change, vw_sk_state_change);
	WRITE_ONCE(sk->sk_error_report, vw_sk_error_report);
	rcu_assign_pointer(vs->app, app);
	write_unlock_bh(&sk->sk_callback_lock);
out:
	release_sock(sk);
	if (err)
		return err;
	kref_get(&app->ref);
	list_add_tail(&vs->node, &app->socks);
	app->nsocks++;
	app->fresh = false;
	return 0;
}

/*
 * The socket's app, locked and not removed: an app being removed (its
 * last socket closed as we looked it up) is looked up again.
 */
static struct vw_app *vw_sock_app_locked(struct sock *sk,
					 struct netlink_ext_ack *extack)
{
	struct cgroup *cgrp = sock_cgroup_ptr(&sk->sk_cgrp_data);
	struct vw_app *app;
	int tries;

	for (tries = 0; tries < VW_MARK_TRIES; tries++) {
		app = vw_app_get_or_create(cgrp, extack);
		if (IS_ERR(app))
			return app;
		mutex_lock(&app->mutex);
		if (!app->removed)
			return app;
		mutex_unlock(&app->mutex);
		vw_app_put(app);
	}
	NL_SET_ERR_MSG(extack, "the app kept going away while it was marked");
	return ERR_PTR(-EAGAIN);
}

int vw_sock_mark(int fd, u32 wake_on, struct genl_info *info,
		 struct sk_buff *reply)
{
	struct netlink_ext_ack *extack = info->extack;
	enum voipwake_wake_reason why = 0;
	const struct proto_ops *ops;
	struct vw_prot *vp;
	struct socket *sock;
	struct vw_sock *vs;
	struct vw_app *app;
	u32 bytes = 0;
	u64 ino = 0;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return vw_sock_lookup_failed(err, extack);
	err = vw_sock_check(sock, extack);
	if (err)
		goto out_put;
	err = -ENOMEM;
	vp = vw_prot_for(sock->sk->sk_prot_creator);
	/* A socket hooked before has ours already, and keeps them. */
	ops = vw_ops_for(sock->ops);
	vs = vw_sock_alloc(sock, wake_on, info);
	if (!vp || !ops || !vs)
		goto out_free;
	app = vw_sock_app_locked(sock->sk, extack);
	if (IS_ERR(app)) {
		err = PTR_ERR(app);
		goto out_free;
	}
	err = vw_sock_attach(app, &vs, sock, vp, ops, extack);
	if (!err) {
		/* Marked while the app sleeps: what is already there counts. */
		why = vw_sock_condition(vs, &bytes);
		ino = vs->ino;
		/* Filled under the mutex: a racing unmark would free vs. */
		if (vw_fill_sock(reply, vs))
			NL_SET_ERR_MSG(extack,
				       "socket marked, but the reply is truncated");
	}
	mutex_unlock(&app->mutex);
	if (err) {
		vw_app_maybe_remove(app);
		vw_app_put(app);
		goto out_free;
	}
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

/*
 * Unmarking is serialised with marking and closing by the app's mutex
 * (and the file reference both hold), not by genetlink's: two unmarks of
 * one socket find it marked once.
 */
int vw_sock_unmark(int fd, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct socket *sock;
	struct vw_sock *vs;
	struct vw_app *app;
	struct sock *sk;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock)
		return vw_sock_lookup_failed(err, extack);
	sk = sock->sk;
	err = -ENOENT;
	app = sk ? vw_app_lookup(cgroup_id(sock_cgroup_ptr(&sk->sk_cgrp_data))) :
		   NULL;
	if (!app)
		goto out_msg;
	mutex_lock(&app->mutex);
	lock_sock(sk);
	vs = vw_sock_hooked(sk);
	if (vs && rcu_access_pointer(vs->app) != app)
		vs = NULL;
	release_sock(sk);
	if (vs)
		err = vw_sock_may_change(sk, vs->uid, extack);
	if (vs && !err) {
		/* The app is told: its mark is gone, and no wake will come. */
		vw_notify_sock(app, vs, VOIPWAKE_CMD_SOCK_UNMARKED_NTF, info);
		vw_sock_detach(app, vs, false);
	}
	mutex_unlock(&app->mutex);
	if (vs && !err) {
		vw_app_maybe_remove(app);
		vw_app_put(app);
	}
	vw_app_put(app);
out_msg:
	if (err == -ENOENT)
		NL_SET_ERR_MSG(extack, "socket is not marked");
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

/* Every hooked socket pinned the module, so none is left. */
void vw_socks_exit(void)
{
	struct vw_prot *vp, *tmp;
	struct vw_ops *vo, *otmp;

	list_for_each_entry_safe(vp, tmp, &vw_prot_list, node)
		kfree(vp);
	list_for_each_entry_safe(vo, otmp, &vw_ops_list, node)
		kfree(vo);
}
