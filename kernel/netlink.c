// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "voipwake": the only way userspace talks to
 * the module. The ABI is include/uapi/linux/voipwake.h.
 */

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <linux/voipwake.h>

#include "app.h"
#include "compat.h"
#include "freezer.h"
#include "netlink.h"
#include "params.h"
#include "sock.h"

#define VW_FEATURES	(VOIPWAKE_FEATURE_MARK_TCP | \
			 VOIPWAKE_FEATURE_MARK_UDP | VOIPWAKE_FEATURE_FREEZE | \
			 VOIPWAKE_FEATURE_KEEPALIVE | \
			 VOIPWAKE_FEATURE_WAKE_INTERVAL | \
			 VOIPWAKE_FEATURE_STATE_NTF | \
			 VOIPWAKE_FEATURE_UNMARK_NTF | \
			 VOIPWAKE_FEATURE_WAKE_SYSTEM | \
			 VOIPWAKE_FEATURE_HELD | \
			 VOIPWAKE_FEATURE_FREEZE_GATE)

static int vw_info_fill(struct sk_buff *msg)
{
	if (nla_put_string(msg, VOIPWAKE_A_INFO_VERSION, VOIPWAKE_VERSION) ||
	    nla_put_u32(msg, VOIPWAKE_A_INFO_API_VERSION,
			VOIPWAKE_GENL_VERSION) ||
	    nla_put_u32(msg, VOIPWAKE_A_INFO_FEATURES, VW_FEATURES) ||
	    nla_put_u32(msg, VOIPWAKE_A_INFO_WAKE_WINDOW_MS,
			vw_param_wake_window_ms()) ||
	    nla_put_u32(msg, VOIPWAKE_A_INFO_WAKE_WINDOW_MAX_MS,
			vw_param_wake_window_max_ms()) ||
	    nla_put_u32(msg, VOIPWAKE_A_INFO_MAX_SOCKS_PER_APP,
			vw_param_max_socks_per_app()) ||
	    nla_put_u32(msg, VOIPWAKE_A_INFO_MIN_KEEPALIVE_S,
			vw_param_min_keepalive_s()) ||
	    nla_put_u32(msg, VOIPWAKE_A_INFO_MAX_KEEPALIVE_S,
			VOIPWAKE_KEEPALIVE_MAX_S) ||
	    nla_put_u32(msg, VOIPWAKE_A_INFO_KEEPALIVE_TOLERANCE_PCT,
			vw_param_keepalive_tolerance_pct()) ||
	    nla_put_u32(msg, VOIPWAKE_A_INFO_KEEPALIVE_BUDGET_MS,
			vw_param_keepalive_budget_ms()))
		return -EMSGSIZE;
	return 0;
}

/* How often APP_SET starts over when the app it holds is removed. */
#define VW_NL_TRIES	3

static struct sk_buff *vw_reply_new(struct genl_info *info, u8 cmd,
				    void **hdr)
{
	struct sk_buff *msg;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &vw_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int vw_nl_info_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = vw_reply_new(info, VOIPWAKE_CMD_INFO_GET, &hdr);
	if (!msg)
		return -ENOMEM;
	if (vw_info_fill(msg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int vw_nl_sock_mark(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct sk_buff *msg;
	u32 wake_on = 0;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, VOIPWAKE_A_SOCK_FD))
		return -EINVAL;
	if (a[VOIPWAKE_A_SOCK_WAKE_ON]) {
		wake_on = nla_get_u32(a[VOIPWAKE_A_SOCK_WAKE_ON]);
		if (!wake_on) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    a[VOIPWAKE_A_SOCK_WAKE_ON],
					    "a mark that wakes for nothing is pointless");
			return -EINVAL;
		}
	}
	msg = vw_reply_new(info, VOIPWAKE_CMD_SOCK_MARK, &hdr);
	if (!msg)
		return -ENOMEM;
	err = vw_sock_mark(nla_get_u32(a[VOIPWAKE_A_SOCK_FD]), wake_on, info,
			   msg);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int vw_nl_sock_unmark(struct sk_buff *skb, struct genl_info *info)
{
	if (GENL_REQ_ATTR_CHECK(info, VOIPWAKE_A_SOCK_FD))
		return -EINVAL;
	return vw_sock_unmark(nla_get_u32(info->attrs[VOIPWAKE_A_SOCK_FD]),
			      info);
}

/*
 * Reads APP_SET's settings into @conf, each checked against its bounds
 * with a message that names them. 0 means "the module default" (or, for
 * the keep-alive timeout, "none") everywhere.
 */
static int vw_nl_app_conf(struct genl_info *info, struct vw_app_conf *conf)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **a = info->attrs;
	struct nlattr *attr;
	u32 v, min;

	attr = a[VOIPWAKE_A_APP_WAKE_WINDOW_MS];
	if (attr) {
		v = nla_get_u32(attr);
		if (v && v < VW_WINDOW_MIN_MS) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "wake window must be 0 (default) or 100..600000 ms");
			return -ERANGE;
		}
		conf->has_window = true;
		conf->window_ms = v;
	}
	attr = a[VOIPWAKE_A_APP_KEEPALIVE_S];
	if (attr) {
		v = nla_get_u32(attr);
		min = vw_param_min_keepalive_s();
		if (v && v < min) {
			NL_SET_BAD_ATTR(extack, attr);
			VW_SET_ERR_MSG_FMT(extack,
					   "keep-alive timeout is below min_keepalive_s",
					   "keep-alive timeout %u s is below min_keepalive_s (%u s)",
					   v, min);
			return -ERANGE;
		}
		if (v > VOIPWAKE_KEEPALIVE_MAX_S) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "keep-alive timeout is above its maximum of 3600 s");
			return -ERANGE;
		}
		conf->has_ka_period = true;
		conf->ka_period_s = v;
	}
	attr = a[VOIPWAKE_A_APP_KEEPALIVE_TOLERANCE_PCT];
	if (attr) {
		v = nla_get_u32(attr);
		if (v > VOIPWAKE_KEEPALIVE_TOLERANCE_MAX_PCT) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "keep-alive tolerance must be 0 (default) or 1..50 %");
			return -ERANGE;
		}
		conf->has_ka_tol = true;
		conf->ka_tol_pct = v;
	}
	attr = a[VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS];
	if (attr) {
		v = nla_get_u32(attr);
		if (v && (v < VOIPWAKE_KEEPALIVE_BUDGET_MIN_MS ||
			  v > VOIPWAKE_KEEPALIVE_BUDGET_MAX_MS)) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "keep-alive budget must be 0 (default) or 1000..30000 ms");
			return -ERANGE;
		}
		conf->has_ka_budget = true;
		conf->ka_budget_ms = v;
	}
	attr = a[VOIPWAKE_A_APP_WAKE_INTERVAL_MS];
	if (attr) {
		conf->has_interval = true;
		conf->interval_ms = nla_get_u32(attr);
	}
	attr = a[VOIPWAKE_A_APP_WAKE_SYSTEM];
	if (attr) {
		conf->has_wake_system = true;
		conf->wake_system = nla_get_u8(attr);
	}
	attr = a[VOIPWAKE_A_APP_HELD];
	if (attr) {
		conf->has_held = true;
		conf->held = nla_get_u8(attr);
	}
	attr = a[VOIPWAKE_A_APP_FREEZE_GATE_MS];
	if (attr) {
		conf->has_gate_ms = true;
		conf->gate_ms = nla_get_u32(attr);
	}
	attr = a[VOIPWAKE_A_APP_FREEZE_GATE_SEQ];
	if (attr) {
		conf->has_gate_seq = true;
		conf->gate_seq = nla_get_u32(attr);
	}
	return 0;
}

/* Without APP_CGROUP_FD, an app may only set its own keep-alive. */
static struct cgroup *vw_nl_app_self(struct genl_info *info)
{
	static const int admin_only[] = {
		VOIPWAKE_A_APP_STATE, VOIPWAKE_A_APP_WAKE_WINDOW_MS,
		VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS,
		VOIPWAKE_A_APP_WAKE_INTERVAL_MS, VOIPWAKE_A_APP_WAKE_SYSTEM,
		VOIPWAKE_A_APP_HELD, VOIPWAKE_A_APP_FREEZE_GATE_MS,
		VOIPWAKE_A_APP_FREEZE_GATE_SEQ,
	};
	struct cgroup *cgrp;
	int i;

	for (i = 0; i < ARRAY_SIZE(admin_only); i++) {
		if (info->attrs[admin_only[i]]) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[admin_only[i]],
					    "an app sets only its own keep-alive timeout and tolerance; this needs APP_CGROUP_FD");
			return ERR_PTR(-EPERM);
		}
	}
	cgrp = vw_current_cgroup();
	if (!cgrp)
		NL_SET_ERR_MSG(info->extack, "the caller's cgroup is going away");
	return cgrp ?: ERR_PTR(-ESRCH);
}

static int vw_nl_app_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct nlattr *state = a[VOIPWAKE_A_APP_STATE];
	struct vw_app_conf conf = {};
	struct vw_cgfiles files = {};
	struct cgroup *cgrp;
	struct vw_app *app;
	bool self = !a[VOIPWAKE_A_APP_CGROUP_FD];
	bool settings;
	int err, tries = 0;

	/*
	 * The throttle is the host's policy: not the app's (which
	 * vw_nl_app_self() refuses), nor a delegate's, nor a container's.
	 */
	if (!self && a[VOIPWAKE_A_APP_WAKE_INTERVAL_MS] &&
	    !netlink_capable(skb, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    a[VOIPWAKE_A_APP_WAKE_INTERVAL_MS],
				    "the wake interval needs CAP_NET_ADMIN in the initial user namespace");
		return -EPERM;
	}
	/*
	 * Waking the machine costs the battery of everyone on it: the
	 * host's to allow, as CAP_WAKE_ALARM is for a process's own timers.
	 */
	if (!self && a[VOIPWAKE_A_APP_WAKE_SYSTEM] &&
	    !netlink_capable(skb, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[VOIPWAKE_A_APP_WAKE_SYSTEM],
				    "waking the system needs CAP_NET_ADMIN in the initial user namespace");
		return -EPERM;
	}
	/*
	 * Whether someone else's freeze holds the app is the host's word
	 * too: its owner must not be able to say "released" and run while
	 * the administrator froze it.
	 */
	if (!self && a[VOIPWAKE_A_APP_HELD] &&
	    !netlink_capable(skb, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[VOIPWAKE_A_APP_HELD],
				    "APP_HELD needs CAP_NET_ADMIN in the initial user namespace");
		return -EPERM;
	}
	/*
	 * The freeze gate holds the app awake, and its answer lets the
	 * freeze through: both the marker's, the policy daemon, as APP_HELD.
	 */
	if (!self && a[VOIPWAKE_A_APP_FREEZE_GATE_MS] &&
	    !netlink_capable(skb, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    a[VOIPWAKE_A_APP_FREEZE_GATE_MS],
				    "the freeze gate needs CAP_NET_ADMIN in the initial user namespace");
		return -EPERM;
	}
	if (!self && a[VOIPWAKE_A_APP_FREEZE_GATE_SEQ] &&
	    !netlink_capable(skb, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    a[VOIPWAKE_A_APP_FREEZE_GATE_SEQ],
				    "answering a freeze gate needs CAP_NET_ADMIN in the initial user namespace");
		return -EPERM;
	}
	err = vw_nl_app_conf(info, &conf);
	if (err)
		return err;
	settings = conf.has_window || conf.has_ka_period || conf.has_ka_tol ||
		   conf.has_ka_budget || conf.has_interval ||
		   conf.has_wake_system || conf.has_held ||
		   conf.has_gate_ms || conf.has_gate_seq;
	if (!state && !settings) {
		NL_SET_ERR_MSG(info->extack,
			       "nothing to set: give a state, a wake window or a keep-alive setting");
		return -EINVAL;
	}
	if (self)
		cgrp = vw_nl_app_self(info);
	else
		cgrp = vw_cgroup_from_fd(nla_get_u32(a[VOIPWAKE_A_APP_CGROUP_FD]),
					 MAY_WRITE, &files, info->extack);
	if (IS_ERR(cgrp))
		return PTR_ERR(cgrp);
retry:
	/* Foregrounding a cgroup voipwake never knew: nothing to undo. */
	if (!settings &&
	    nla_get_u32(state) == VOIPWAKE_APP_STATE_FOREGROUND) {
		app = vw_app_lookup(cgroup_id(cgrp));
		if (!app)
			goto out;
	} else {
		app = vw_app_get_or_create(cgrp, info->extack);
		if (IS_ERR(app)) {
			err = PTR_ERR(app);
			goto out;
		}
	}
	/* An app that sets itself up hears its own events here. */
	if (self) {
		conf.notify_portid = info->snd_portid;
		conf.notify_net = genl_info_net(info);
		conf.notify_uid = NETLINK_CB(skb).creds.uid;
	} else {
		conf.files = &files;
	}
	err = vw_app_configure(app, &conf, info->extack);
	if (!err && state)
		err = vw_app_request(app, nla_get_u32(state) ==
				     VOIPWAKE_APP_STATE_BACKGROUND ?
				     VW_EV_BACKGROUND : VW_EV_FOREGROUND,
				     info->extack);
	vw_app_maybe_remove(app);
	vw_app_put(app);
	/* The app was removed (its last socket closed) as we held it. */
	if (err == -EAGAIN && ++tries < VW_NL_TRIES)
		goto retry;
	if (err == -EAGAIN)
		NL_SET_ERR_MSG(info->extack,
			       "the app kept going away while it was being set");
out:
	vw_cgfiles_put(&files);
	cgroup_put(cgrp);
	return err;
}

static struct vw_app *vw_nl_app_of(struct genl_info *info, int mode)
{
	struct nlattr *fd = info->attrs[VOIPWAKE_A_APP_CGROUP_FD];
	struct cgroup *cgrp;
	struct vw_app *app;
	u64 id;

	if (fd) {
		cgrp = vw_cgroup_from_fd(nla_get_u32(fd), mode, NULL,
					 info->extack);
		if (IS_ERR(cgrp))
			return ERR_CAST(cgrp);
		id = cgroup_id(cgrp);
		cgroup_put(cgrp);
	} else {
		id = vw_current_cgroup_id();
	}
	app = vw_app_lookup(id);
	if (!app) {
		NL_SET_ERR_MSG(info->extack, "cgroup is not a voipwake app");
		return ERR_PTR(-ENOENT);
	}
	return app;
}

/*
 * An unprivileged caller sees only the apps and sockets of its own uid;
 * CAP_NET_ADMIN sees all. Apps are not per netns, so the capability
 * must be held in the initial user namespace: any user can make a netns
 * it is admin of.
 */
static bool vw_nl_sees_sock(const struct sk_buff *skb, struct vw_sock *vs)
{
	return netlink_capable(skb, CAP_NET_ADMIN) ||
	       uid_eq(vs->uid, NETLINK_CB(skb).creds.uid);
}

static bool vw_nl_sees_app(const struct sk_buff *skb, struct vw_app *app)
{
	struct vw_sock *vs;

	if (netlink_capable(skb, CAP_NET_ADMIN))
		return true;
	list_for_each_entry(vs, &app->socks, node)
		if (vw_nl_sees_sock(skb, vs))
			return true;
	return false;
}

static int vw_nl_app_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	struct vw_app *app;
	bool sees;
	void *hdr;
	int err;

	app = vw_nl_app_of(info, MAY_READ);
	if (IS_ERR(app))
		return PTR_ERR(app);
	/*
	 * Reading cgroup.freeze is anyone's right; an app another user owns
	 * is shown, as in a dump, only to who may manage its cgroup.
	 */
	if (info->attrs[VOIPWAKE_A_APP_CGROUP_FD]) {
		mutex_lock(&app->mutex);
		sees = vw_nl_sees_app(skb, app);
		mutex_unlock(&app->mutex);
		if (!sees) {
			vw_app_put(app);
			app = vw_nl_app_of(info, MAY_WRITE);
			if (IS_ERR(app))
				return PTR_ERR(app);
		}
	}
	msg = vw_reply_new(info, VOIPWAKE_CMD_APP_GET, &hdr);
	if (!msg) {
		vw_app_put(app);
		return -ENOMEM;
	}
	mutex_lock(&app->mutex);
	err = vw_fill_app(msg, app);
	mutex_unlock(&app->mutex);
	vw_app_put(app);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int vw_nl_app_wake_done(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *seq_attr = info->attrs[VOIPWAKE_A_APP_WAKE_SEQ];
	u32 seq = seq_attr ? nla_get_u32(seq_attr) : 0;
	struct vw_app *app;
	int err;

	/* Ending one's own window needs no right; another app's does. */
	app = vw_nl_app_of(info, MAY_WRITE);
	if (IS_ERR(app))
		return PTR_ERR(app);
	err = vw_app_done(app, seq_attr ? &seq : NULL, info->extack);
	vw_app_put(app);
	if (err == -EAGAIN) {
		NL_SET_ERR_MSG(info->extack, "cgroup is not a voipwake app");
		err = -ENOENT;
	}
	return err;
}

static void *vw_nl_dump_put(struct sk_buff *skb, struct netlink_callback *cb,
			    u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
			  cb->nlh->nlmsg_seq, &vw_genl_family, NLM_F_MULTI,
			  cmd);
	if (hdr)
		genl_dump_check_consistent(cb, hdr);
	return hdr;
}

/* cb->args[0]: the next cgroup id to look at. */
static int vw_nl_app_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	u64 pos = cb->args[0];
	struct vw_app *app;
	void *hdr;
	int err = 0;

	cb->seq = vw_apps_generation();
	while (!err && (app = vw_app_next_from(&pos))) {
		mutex_lock(&app->mutex);
		if (vw_nl_sees_app(cb->skb, app)) {
			hdr = vw_nl_dump_put(skb, cb, VOIPWAKE_CMD_APP_GET);
			err = hdr ? vw_fill_app(skb, app) : -EMSGSIZE;
			if (err && hdr)
				genlmsg_cancel(skb, hdr);
			else if (!err)
				genlmsg_end(skb, hdr);
		}
		mutex_unlock(&app->mutex);
		vw_app_put(app);
		if (!err)
			pos++;
	}
	cb->args[0] = pos;
	return skb->len;
}

/* cb->args[0]: cgroup id of the app; cb->args[1]: sockets done in it. */
static int vw_nl_sock_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	u64 pos = cb->args[0];
	long skip, n;
	struct vw_app *app;
	struct vw_sock *vs;
	void *hdr;
	int err = 0;

	cb->seq = vw_apps_generation();
	while (!err && (app = vw_app_next_from(&pos))) {
		if (pos != cb->args[0])
			cb->args[1] = 0;
		skip = cb->args[1];
		n = 0;
		mutex_lock(&app->mutex);
		list_for_each_entry(vs, &app->socks, node) {
			if (n++ < skip || !vw_nl_sees_sock(cb->skb, vs))
				continue;
			hdr = vw_nl_dump_put(skb, cb, VOIPWAKE_CMD_SOCK_GET);
			err = hdr ? vw_fill_sock(skb, vs) : -EMSGSIZE;
			if (err) {
				if (hdr)
					genlmsg_cancel(skb, hdr);
				n--;
				break;
			}
			genlmsg_end(skb, hdr);
		}
		mutex_unlock(&app->mutex);
		vw_app_put(app);
		cb->args[0] = pos;
		cb->args[1] = n;
		if (!err) {
			cb->args[0] = ++pos;
			cb->args[1] = 0;
		}
	}
	return skb->len;
}

/* Not const: 6.1's policy holds a non-const pointer to its range. */
static struct netlink_range_validation vw_fd_range __ro_after_init = {
	.max = INT_MAX,
};

static struct netlink_range_validation vw_window_range __ro_after_init = {
	.max = VW_WINDOW_MAX_MS,
};

static struct netlink_range_validation vw_interval_range __ro_after_init = {
	.max = VOIPWAKE_WAKE_INTERVAL_MAX_MS,
};

static const struct nla_policy vw_sock_policy[VOIPWAKE_A_SOCK_MAX + 1] = {
	[VOIPWAKE_A_SOCK_FD] = NLA_POLICY_FULL_RANGE(NLA_U32, &vw_fd_range),
	[VOIPWAKE_A_SOCK_WAKE_ON] = NLA_POLICY_MASK(NLA_U32,
						    VW_WAKE_ON_DEFAULT),
};

/* Keep-alive bounds are checked in vw_nl_app_conf(), with their names. */
static const struct nla_policy vw_app_policy[VOIPWAKE_A_APP_MAX + 1] = {
	[VOIPWAKE_A_APP_CGROUP_FD] = NLA_POLICY_FULL_RANGE(NLA_U32, &vw_fd_range),
	[VOIPWAKE_A_APP_STATE] = NLA_POLICY_MAX(NLA_U32,
						VOIPWAKE_APP_STATE_BACKGROUND),
	[VOIPWAKE_A_APP_WAKE_WINDOW_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &vw_window_range),
	[VOIPWAKE_A_APP_KEEPALIVE_S] = { .type = NLA_U32 },
	[VOIPWAKE_A_APP_KEEPALIVE_TOLERANCE_PCT] = { .type = NLA_U32 },
	[VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS] = { .type = NLA_U32 },
	[VOIPWAKE_A_APP_WAKE_INTERVAL_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &vw_interval_range),
	[VOIPWAKE_A_APP_WAKE_SYSTEM] = NLA_POLICY_MAX(NLA_U8, 1),
	[VOIPWAKE_A_APP_HELD] = NLA_POLICY_MAX(NLA_U8, 1),
	[VOIPWAKE_A_APP_FREEZE_GATE_MS] =
		NLA_POLICY_MAX(NLA_U32, VOIPWAKE_FREEZE_GATE_MAX_MS),
	[VOIPWAKE_A_APP_FREEZE_GATE_SEQ] = { .type = NLA_U32 },
};

/* WAKE_DONE names the app and, optionally, the wake it is done with. */
static const struct nla_policy vw_done_policy[VOIPWAKE_A_APP_MAX + 1] = {
	[VOIPWAKE_A_APP_CGROUP_FD] = NLA_POLICY_FULL_RANGE(NLA_U32, &vw_fd_range),
	[VOIPWAKE_A_APP_WAKE_SEQ] = { .type = NLA_U32 },
};

/*
 * resv_start_op is the first command, so every command is strictly
 * validated: an attribute its policy does not name (including the ones
 * only ever sent by the kernel) is refused, as is a command with no
 * policy that carries any attribute.
 */
static const struct genl_ops vw_genl_ops[] = {
	{
		.cmd = VOIPWAKE_CMD_INFO_GET,
		.doit = vw_nl_info_get,
	},
	{
		.cmd = VOIPWAKE_CMD_SOCK_MARK,
		.doit = vw_nl_sock_mark,
		.policy = vw_sock_policy,
		.maxattr = VOIPWAKE_A_SOCK_MAX,
	},
	{
		.cmd = VOIPWAKE_CMD_SOCK_UNMARK,
		.doit = vw_nl_sock_unmark,
		.policy = vw_sock_policy,
		.maxattr = VOIPWAKE_A_SOCK_MAX,
	},
	{
		.cmd = VOIPWAKE_CMD_SOCK_GET,
		.dumpit = vw_nl_sock_dump,
	},
	{
		.cmd = VOIPWAKE_CMD_APP_SET,
		.doit = vw_nl_app_set,
		.policy = vw_app_policy,
		.maxattr = VOIPWAKE_A_APP_MAX,
	},
	{
		.cmd = VOIPWAKE_CMD_APP_GET,
		.doit = vw_nl_app_get,
		.dumpit = vw_nl_app_dump,
		.policy = vw_app_policy,
		.maxattr = VOIPWAKE_A_APP_MAX,
	},
	{
		.cmd = VOIPWAKE_CMD_APP_WAKE_DONE,
		.doit = vw_nl_app_wake_done,
		.policy = vw_done_policy,
		.maxattr = VOIPWAKE_A_APP_MAX,
	},
};

static const struct genl_multicast_group vw_mcgrps[] = {
	{ .name = VOIPWAKE_MCGRP_ADMIN, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

struct genl_family vw_genl_family __ro_after_init = {
	.name = VOIPWAKE_GENL_NAME,
	.version = VOIPWAKE_GENL_VERSION,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = vw_genl_ops,
	.n_ops = ARRAY_SIZE(vw_genl_ops),
	.resv_start_op = VOIPWAKE_CMD_INFO_GET,
	.mcgrps = vw_mcgrps,
	.n_mcgrps = ARRAY_SIZE(vw_mcgrps),
};

/*
 * Unicast targets are portids, which the next socket to bind may reuse:
 * forget one as its socket goes (as nl80211 does), so a reused portid
 * never hears an app's events.
 */
static int vw_nl_released(struct notifier_block *nb, unsigned long event,
			  void *ptr)
{
	struct netlink_notify *n = ptr;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !n->portid)
		return NOTIFY_DONE;
	vw_apps_forget_listener(n->net, n->portid);
	return NOTIFY_OK;
}

static struct notifier_block vw_nl_notifier = {
	.notifier_call = vw_nl_released,
};

int __init vw_genl_init(void)
{
	int err;

	err = netlink_register_notifier(&vw_nl_notifier);
	if (err)
		return err;
	err = genl_register_family(&vw_genl_family);
	if (err)
		netlink_unregister_notifier(&vw_nl_notifier);
	return err;
}

void vw_genl_uninit(void)
{
	genl_unregister_family(&vw_genl_family);
	netlink_unregister_notifier(&vw_nl_notifier);
}
