// SPDX-License-Identifier: GPL-2.0
/*
 * What voipwake says about apps and sockets, in replies, dumps and events.
 *
 * Events go to two audiences: the admin multicast group (CAP_NET_ADMIN in
 * the netns of the app's first marked socket, else the initial netns), and
 * each netlink socket that marked one of the app's sockets, so that an
 * unprivileged app learns why it woke and nobody else does.
 */

#include <net/genetlink.h>
#include <net/sock.h>

#include "app.h"
#include "freezer.h"
#include "keepalive.h"
#include "netlink.h"
#include "sock.h"

static int vw_fill_app_keepalive(struct sk_buff *msg, struct vw_app *app)
{
	struct vw_ka_window w;

	if (nla_put_u32(msg, VOIPWAKE_A_APP_KEEPALIVE_S, app->ka_period_s) ||
	    nla_put_u32(msg, VOIPWAKE_A_APP_KEEPALIVE_TOLERANCE_PCT,
			app->ka_tol_pct) ||
	    nla_put_u32(msg, VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS,
			app->ka_budget_ms) ||
	    nla_put_u32(msg, VOIPWAKE_A_APP_KEEPALIVE_OVERRUNS,
			app->ka_overruns))
		return -EMSGSIZE;
	if (!vw_ka_app_window(app, &w))
		return 0;
	if (nla_put_u64_64bit(msg, VOIPWAKE_A_APP_KEEPALIVE_EARLIEST_NS,
			      w.earliest, VOIPWAKE_A_APP_PAD) ||
	    nla_put_u64_64bit(msg, VOIPWAKE_A_APP_KEEPALIVE_LATEST_NS,
			      w.latest, VOIPWAKE_A_APP_PAD))
		return -EMSGSIZE;
	return 0;
}

/* app->mutex held: the socket count and statistics are stable. */
int vw_fill_app(struct sk_buff *msg, struct vw_app *app)
{
	if (nla_put_u64_64bit(msg, VOIPWAKE_A_APP_CGROUP_ID, app->id,
			      VOIPWAKE_A_APP_PAD) ||
	    nla_put_u32(msg, VOIPWAKE_A_APP_STATE, READ_ONCE(app->state)) ||
	    nla_put_u8(msg, VOIPWAKE_A_APP_FROZEN,
		       vw_freezer_frozen(app->cgrp)) ||
	    nla_put_u32(msg, VOIPWAKE_A_APP_WAKE_WINDOW_MS,
			app->wake_window_ms) ||
	    nla_put_u32(msg, VOIPWAKE_A_APP_SOCKS, app->nsocks) ||
	    nla_put_u32(msg, VOIPWAKE_A_APP_WAKE_INTERVAL_MS,
			app->wake_interval_ms) ||
	    nla_put_u64_64bit(msg, VOIPWAKE_A_APP_WAKES_HELD, app->wakes_held,
			      VOIPWAKE_A_APP_PAD) ||
	    nla_put_u8(msg, VOIPWAKE_A_APP_WAKE_SYSTEM,
		       vw_app_wakes_system(app)) ||
	    nla_put_u8(msg, VOIPWAKE_A_APP_HELD, app->held) ||
	    nla_put_u64_64bit(msg, VOIPWAKE_A_APP_WAKES_DATA,
			      app->wakes[VOIPWAKE_WAKE_DATA],
			      VOIPWAKE_A_APP_PAD) ||
	    nla_put_u64_64bit(msg, VOIPWAKE_A_APP_WAKES_CLOSE,
			      app->wakes[VOIPWAKE_WAKE_CLOSE],
			      VOIPWAKE_A_APP_PAD) ||
	    nla_put_u64_64bit(msg, VOIPWAKE_A_APP_WAKES_ERROR,
			      app->wakes[VOIPWAKE_WAKE_ERROR],
			      VOIPWAKE_A_APP_PAD) ||
	    nla_put_u64_64bit(msg, VOIPWAKE_A_APP_WAKES_KEEPALIVE,
			      app->wakes[VOIPWAKE_WAKE_KEEPALIVE],
			      VOIPWAKE_A_APP_PAD) ||
	    nla_put_u64_64bit(msg, VOIPWAKE_A_APP_FROZEN_MS,
			      vw_app_frozen_ms(app), VOIPWAKE_A_APP_PAD) ||
	    nla_put_u64_64bit(msg, VOIPWAKE_A_APP_LAST_WAKE_NS,
			      app->last_wake_ns, VOIPWAKE_A_APP_PAD) ||
	    nla_put_u32(msg, VOIPWAKE_A_APP_FREEZE_TIMEOUTS,
			app->freeze_timeouts) ||
	    nla_put_u32(msg, VOIPWAKE_A_APP_WAKE_SEQ, app->wake_seq) ||
	    nla_put_u32(msg, VOIPWAKE_A_APP_FREEZE_GATE_MS, app->gate_ms) ||
	    nla_put_u32(msg, VOIPWAKE_A_APP_FREEZE_GATE_TIMEOUTS,
			app->gate_timeouts) ||
	    (app->gate_open &&
	     nla_put_u32(msg, VOIPWAKE_A_APP_FREEZE_GATE_SEQ, app->gate_seq)))
		return -EMSGSIZE;
	return vw_fill_app_keepalive(msg, app);
}

/* The owning app's mutex held: @vs cannot go away. */
int vw_fill_sock(struct sk_buff *msg, struct vw_sock *vs)
{
	if (nla_put_u64_64bit(msg, VOIPWAKE_A_SOCK_INO, vs->ino,
			      VOIPWAKE_A_SOCK_PAD) ||
	    nla_put_u64_64bit(msg, VOIPWAKE_A_SOCK_CGROUP_ID, vs->app_id,
			      VOIPWAKE_A_SOCK_PAD) ||
	    nla_put_u32(msg, VOIPWAKE_A_SOCK_FAMILY, vs->family) ||
	    nla_put_u32(msg, VOIPWAKE_A_SOCK_PROTOCOL, vs->protocol) ||
	    nla_put_u32(msg, VOIPWAKE_A_SOCK_UID,
			from_kuid_munged(&init_user_ns, vs->uid)) ||
	    nla_put_u32(msg, VOIPWAKE_A_SOCK_WAKE_ON, vs->wake_on) ||
	    nla_put_u64_64bit(msg, VOIPWAKE_A_SOCK_WAKES, vs->wakes,
			      VOIPWAKE_A_SOCK_PAD))
		return -EMSGSIZE;
	return 0;
}

static bool vw_same_target(u32 portid, const possible_net_t *net,
			   u32 portid2, const possible_net_t *net2)
{
	return portid == portid2 && net_eq(read_pnet(net), read_pnet(net2));
}

/* Whether @until's marker already got this event: the app or a socket. */
static bool vw_target_seen(struct vw_app *app, struct vw_sock *until)
{
	struct vw_sock *vs;

	if (vw_same_target(app->notify_portid, &app->notify_net,
			   until->notify_portid, &until->notify_net))
		return true;
	list_for_each_entry(vs, &app->socks, node) {
		if (vs == until)
			return false;
		if (vw_same_target(vs->notify_portid, &vs->notify_net,
				   until->notify_portid, &until->notify_net))
			return true;
	}
	return false;
}

/* The listener closed its netlink socket: stop trying. */
static void vw_unicast(struct sk_buff *msg, u32 *portid,
		       const possible_net_t *net)
{
	struct sk_buff *copy = skb_clone(msg, GFP_KERNEL);

	if (copy && genlmsg_unicast(read_pnet(net), copy, *portid) ==
		    -ECONNREFUSED)
		*portid = 0;
}

/* Whether a unicast target is the socket a request came from. */
static bool vw_is_requester(u32 portid, const possible_net_t *net,
			    struct genl_info *from)
{
	return from && portid == from->snd_portid &&
	       net_eq(read_pnet(net), genl_info_net(from));
}

/*
 * The netns of the app's admin events: its first marked socket's, else
 * the initial one.
 */
static struct net *vw_app_event_net(struct vw_app *app)
{
	struct vw_sock *vs;

	vs = list_first_entry_or_null(&app->socks, struct vw_sock, node);
	return vs ? sock_net(vs->sk) : &init_net;
}

/*
 * Consumes @msg: a copy to the app's own listener and to each marker, the
 * original to the admins. @from, when a request caused the event, is
 * left out: it has its reply.
 */
static void vw_send_event(struct vw_app *app, struct sk_buff *msg,
			  struct genl_info *from)
{
	struct net *net = vw_app_event_net(app);
	struct vw_sock *vs;
	u32 skip = 0;

	if (app->notify_portid &&
	    !vw_is_requester(app->notify_portid, &app->notify_net, from))
		vw_unicast(msg, &app->notify_portid, &app->notify_net);
	list_for_each_entry(vs, &app->socks, node) {
		if (!vs->notify_portid || vw_target_seen(app, vs) ||
		    vw_is_requester(vs->notify_portid, &vs->notify_net, from))
			continue;
		vw_unicast(msg, &vs->notify_portid, &vs->notify_net);
	}
	/* Portids are per netns: only the requester's own netns skips it. */
	if (from && net_eq(net, genl_info_net(from)))
		skip = from->snd_portid;
	genlmsg_multicast_netns(&vw_genl_family, net, msg, skip, 0,
				GFP_KERNEL);
}

/* @wk: why, for APP_WOKEN_NTF; NULL for the others. */
void vw_notify_app(struct vw_app *app, u8 cmd, const struct vw_wake *wk)
{
	struct sk_buff *msg;
	void *hdr;

	lockdep_assert_held(&app->mutex);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &vw_genl_family, 0, cmd);
	if (!hdr || vw_fill_app(msg, app) ||
	    (wk &&
	     (nla_put_u32(msg, VOIPWAKE_A_APP_WAKE_REASON, wk->reason) ||
	      nla_put_u64_64bit(msg, VOIPWAKE_A_APP_WAKE_SOCK_INO, wk->ino,
				VOIPWAKE_A_APP_PAD) ||
	      nla_put_u32(msg, VOIPWAKE_A_APP_WAKE_BYTES, wk->bytes) ||
	      nla_put_u8(msg, VOIPWAKE_A_APP_WAKE_KEEPALIVE,
			 wk->reason == VOIPWAKE_WAKE_KEEPALIVE ||
			 wk->keepalive)))) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	vw_send_event(app, msg, NULL);
}

/*
 * The freeze gate opened: for the marker, which is the policy daemon's
 * (the admin group), not the app's, whose freeze waits on it. In the
 * admin group's netns, as the app's other events.
 */
void vw_notify_gate(struct vw_app *app)
{
	struct sk_buff *msg;
	void *hdr;

	lockdep_assert_held(&app->mutex);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &vw_genl_family, 0,
			  VOIPWAKE_CMD_APP_FREEZE_GATE_NTF);
	if (!hdr || vw_fill_app(msg, app)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&vw_genl_family, vw_app_event_net(app), msg,
				0, 0, GFP_KERNEL);
}

/*
 * A socket event, sent while @vs is still on its app's list so that its
 * own marker hears of it too; @from: the request behind it, or NULL.
 */
void vw_notify_sock(struct vw_app *app, struct vw_sock *vs, u8 cmd,
		    struct genl_info *from)
{
	struct sk_buff *msg;
	void *hdr;

	lockdep_assert_held(&app->mutex);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &vw_genl_family, 0, cmd);
	if (!hdr || vw_fill_sock(msg, vs)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	vw_send_event(app, msg, from);
}
