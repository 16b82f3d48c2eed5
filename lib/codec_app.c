// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Apps: VOIPWAKE_CMD_APP_SET, APP_GET (do and dump) and APP_WAKE_DONE, and
 * the VOIPWAKE_A_APP_* attribute set that their replies and the APP_*_NTF
 * notifications carry.
 */

#include <errno.h>
#include <string.h>

#include "codec.h"

_Static_assert(sizeof(struct vw_app_info) == VW_APP_INFO_SIZE_VER4,
	       "struct vw_app_info changed size: add VW_APP_INFO_SIZE_VER5");
/* 0.2 callers must not find a new field inside their structure. */
_Static_assert(offsetof(struct vw_app_info, keepalive_s) >=
	       VW_APP_INFO_SIZE_VER0,
	       "struct vw_app_info: keep-alive fields overlap 0.2's size");
_Static_assert(offsetof(struct vw_app_info, wake_interval_ms) >=
	       VW_APP_INFO_SIZE_VER1,
	       "struct vw_app_info: 0.4's fields overlap 0.3's size");
_Static_assert(offsetof(struct vw_app_info, wake_system) >=
	       VW_APP_INFO_SIZE_VER2,
	       "struct vw_app_info: 0.5's fields overlap 0.4's size");
_Static_assert(offsetof(struct vw_app_info, freeze_gate_ms) >=
	       VW_APP_INFO_SIZE_VER3,
	       "struct vw_app_info: the freeze gate overlaps wake_system's size");

/* Starts an APP_* request, naming the app by its cgroup if @cgroup_fd >= 0. */
static struct nlmsghdr *vw_app_req(void *buf, size_t len, uint16_t family,
				   uint32_t seq, uint8_t cmd, int cgroup_fd)
{
	struct nlmsghdr *nlh;

	nlh = vw_genl_put(buf, len, family, cmd, VOIPWAKE_GENL_VERSION, seq);
	if (!nlh)
		return NULL;
	if (cgroup_fd >= 0 &&
	    !mnl_attr_put_u32_check(nlh, len, VOIPWAKE_A_APP_CGROUP_FD,
				    (uint32_t)cgroup_fd))
		return NULL;
	return nlh;
}

/* Puts @v unless it is NULL (a setting left as it is). */
static bool vw_put_opt_u32(struct nlmsghdr *nlh, size_t len, uint16_t type,
			   const uint32_t *v)
{
	return !v || mnl_attr_put_u32_check(nlh, len, type, *v);
}

static bool vw_put_opt_u8(struct nlmsghdr *nlh, size_t len, uint16_t type,
			  const uint8_t *v)
{
	return !v || mnl_attr_put_u8_check(nlh, len, type, *v);
}

/**
 * vw_build_app_set() - build a VOIPWAKE_CMD_APP_SET request
 * @buf: 4-byte aligned buffer
 * @len: size of @buf
 * @family: family id of "voipwake"
 * @seq: sequence number
 * @cgroup_fd: the app's cgroup v2 directory, or negative for the sender's
 *	       own app (then the request has no APP_CGROUP_FD, and the module
 *	       accepts only the keep-alive timeout and tolerance)
 * @set: what to set; at least one setting
 *
 * Return: 0; -EINVAL if there is nothing to set; -EMSGSIZE if @buf is too
 * small.
 */
int vw_build_app_set(void *buf, size_t len, uint16_t family, uint32_t seq,
		     int cgroup_fd, const struct vw_app_settings *set)
{
	struct nlmsghdr *nlh;

	if (!set->state && !set->wake_window_ms && !set->keepalive_s &&
	    !set->keepalive_tolerance_pct && !set->keepalive_budget_ms &&
	    !set->wake_interval_ms && !set->wake_system &&
	    !set->held && !set->freeze_gate_ms && !set->freeze_gate_seq)
		return -EINVAL;
	nlh = vw_app_req(buf, len, family, seq, VOIPWAKE_CMD_APP_SET,
			 cgroup_fd);
	if (!nlh ||
	    !vw_put_opt_u32(nlh, len, VOIPWAKE_A_APP_STATE, set->state) ||
	    !vw_put_opt_u32(nlh, len, VOIPWAKE_A_APP_WAKE_WINDOW_MS,
			    set->wake_window_ms) ||
	    !vw_put_opt_u32(nlh, len, VOIPWAKE_A_APP_KEEPALIVE_S,
			    set->keepalive_s) ||
	    !vw_put_opt_u32(nlh, len, VOIPWAKE_A_APP_KEEPALIVE_TOLERANCE_PCT,
			    set->keepalive_tolerance_pct) ||
	    !vw_put_opt_u32(nlh, len, VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS,
			    set->keepalive_budget_ms) ||
	    !vw_put_opt_u32(nlh, len, VOIPWAKE_A_APP_WAKE_INTERVAL_MS,
			    set->wake_interval_ms) ||
	    (set->wake_system &&
	     !mnl_attr_put_u8_check(nlh, len, VOIPWAKE_A_APP_WAKE_SYSTEM,
				    *set->wake_system)) ||
	    !vw_put_opt_u8(nlh, len, VOIPWAKE_A_APP_HELD, set->held) ||
	    !vw_put_opt_u32(nlh, len, VOIPWAKE_A_APP_FREEZE_GATE_MS,
			    set->freeze_gate_ms) ||
	    !vw_put_opt_u32(nlh, len, VOIPWAKE_A_APP_FREEZE_GATE_SEQ,
			    set->freeze_gate_seq))
		return -EMSGSIZE;
	return 0;
}

/**
 * vw_build_app_get() - build a VOIPWAKE_CMD_APP_GET request for one app
 * @buf: 4-byte aligned buffer
 * @len: size of @buf
 * @family: family id of "voipwake"
 * @seq: sequence number
 * @cgroup_fd: the app's cgroup v2 directory, or negative for the sender's
 *	       own app (then the request has no attributes)
 *
 * Return: 0, or -EMSGSIZE if @buf is too small.
 */
int vw_build_app_get(void *buf, size_t len, uint16_t family, uint32_t seq,
		     int cgroup_fd)
{
	if (!vw_app_req(buf, len, family, seq, VOIPWAKE_CMD_APP_GET,
			cgroup_fd))
		return -EMSGSIZE;
	return 0;
}

/**
 * vw_build_app_dump() - build a VOIPWAKE_CMD_APP_GET dump request
 * @buf: 4-byte aligned buffer
 * @len: size of @buf
 * @family: family id of "voipwake"
 * @seq: sequence number
 *
 * Return: 0, or -EMSGSIZE if @buf is too small.
 */
int vw_build_app_dump(void *buf, size_t len, uint16_t family, uint32_t seq)
{
	if (!vw_genl_put_dump(buf, len, family, VOIPWAKE_CMD_APP_GET,
			      VOIPWAKE_GENL_VERSION, seq))
		return -EMSGSIZE;
	return 0;
}

/**
 * vw_build_app_wake_done() - build a VOIPWAKE_CMD_APP_WAKE_DONE request
 * @buf: 4-byte aligned buffer
 * @len: size of @buf
 * @family: family id of "voipwake"
 * @seq: sequence number
 * @cgroup_fd: the app's cgroup v2 directory, or negative for the sender's
 *	       own app (then the request has no such attribute)
 * @wake_seq: the wake (APP_WAKE_SEQ of its APP_WOKEN_NTF) the app is done
 *	      with, or NULL to end whatever wake is open
 *
 * Return: 0, or -EMSGSIZE if @buf is too small.
 */
int vw_build_app_wake_done(void *buf, size_t len, uint16_t family,
			   uint32_t seq, int cgroup_fd,
			   const uint32_t *wake_seq)
{
	struct nlmsghdr *nlh;

	nlh = vw_app_req(buf, len, family, seq, VOIPWAKE_CMD_APP_WAKE_DONE,
			 cgroup_fd);
	if (!nlh)
		return -EMSGSIZE;
	if (wake_seq &&
	    !mnl_attr_put_u32_check(nlh, len, VOIPWAKE_A_APP_WAKE_SEQ,
				    *wake_seq))
		return -EMSGSIZE;
	return 0;
}

/*
 * APP_PAD (alignment filler before a u64) and APP_CGROUP_FD (request only)
 * have no rule: they are skipped like unknown attributes.
 */
static const struct vw_attr_rule vw_app_rules[VOIPWAKE_A_APP_MAX + 1] = {
	[VOIPWAKE_A_APP_CGROUP_ID] = {
		MNL_TYPE_U64, "VOIPWAKE_A_APP_CGROUP_ID is not a u64" },
	[VOIPWAKE_A_APP_STATE] = {
		MNL_TYPE_U32, "VOIPWAKE_A_APP_STATE is not a u32" },
	[VOIPWAKE_A_APP_FROZEN] = {
		MNL_TYPE_U8, "VOIPWAKE_A_APP_FROZEN is not a u8" },
	[VOIPWAKE_A_APP_WAKE_WINDOW_MS] = {
		MNL_TYPE_U32, "VOIPWAKE_A_APP_WAKE_WINDOW_MS is not a u32" },
	[VOIPWAKE_A_APP_SOCKS] = {
		MNL_TYPE_U32, "VOIPWAKE_A_APP_SOCKS is not a u32" },
	[VOIPWAKE_A_APP_WAKES_DATA] = {
		MNL_TYPE_U64, "VOIPWAKE_A_APP_WAKES_DATA is not a u64" },
	[VOIPWAKE_A_APP_WAKES_CLOSE] = {
		MNL_TYPE_U64, "VOIPWAKE_A_APP_WAKES_CLOSE is not a u64" },
	[VOIPWAKE_A_APP_WAKES_ERROR] = {
		MNL_TYPE_U64, "VOIPWAKE_A_APP_WAKES_ERROR is not a u64" },
	[VOIPWAKE_A_APP_WAKES_KEEPALIVE] = {
		MNL_TYPE_U64, "VOIPWAKE_A_APP_WAKES_KEEPALIVE is not a u64" },
	[VOIPWAKE_A_APP_FROZEN_MS] = {
		MNL_TYPE_U64, "VOIPWAKE_A_APP_FROZEN_MS is not a u64" },
	[VOIPWAKE_A_APP_LAST_WAKE_NS] = {
		MNL_TYPE_U64, "VOIPWAKE_A_APP_LAST_WAKE_NS is not a u64" },
	[VOIPWAKE_A_APP_FREEZE_TIMEOUTS] = {
		MNL_TYPE_U32, "VOIPWAKE_A_APP_FREEZE_TIMEOUTS is not a u32" },
	[VOIPWAKE_A_APP_WAKE_REASON] = {
		MNL_TYPE_U32, "VOIPWAKE_A_APP_WAKE_REASON is not a u32" },
	[VOIPWAKE_A_APP_WAKE_SOCK_INO] = {
		MNL_TYPE_U64, "VOIPWAKE_A_APP_WAKE_SOCK_INO is not a u64" },
	[VOIPWAKE_A_APP_WAKE_BYTES] = {
		MNL_TYPE_U32, "VOIPWAKE_A_APP_WAKE_BYTES is not a u32" },
	[VOIPWAKE_A_APP_KEEPALIVE_S] = {
		MNL_TYPE_U32, "VOIPWAKE_A_APP_KEEPALIVE_S is not a u32" },
	[VOIPWAKE_A_APP_KEEPALIVE_TOLERANCE_PCT] = {
		MNL_TYPE_U32,
		"VOIPWAKE_A_APP_KEEPALIVE_TOLERANCE_PCT is not a u32" },
	[VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS] = {
		MNL_TYPE_U32,
		"VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS is not a u32" },
	[VOIPWAKE_A_APP_KEEPALIVE_OVERRUNS] = {
		MNL_TYPE_U32,
		"VOIPWAKE_A_APP_KEEPALIVE_OVERRUNS is not a u32" },
	[VOIPWAKE_A_APP_KEEPALIVE_EARLIEST_NS] = {
		MNL_TYPE_U64,
		"VOIPWAKE_A_APP_KEEPALIVE_EARLIEST_NS is not a u64" },
	[VOIPWAKE_A_APP_KEEPALIVE_LATEST_NS] = {
		MNL_TYPE_U64,
		"VOIPWAKE_A_APP_KEEPALIVE_LATEST_NS is not a u64" },
	[VOIPWAKE_A_APP_WAKE_KEEPALIVE] = {
		MNL_TYPE_U8, "VOIPWAKE_A_APP_WAKE_KEEPALIVE is not a u8" },
	[VOIPWAKE_A_APP_WAKE_SEQ] = {
		MNL_TYPE_U32, "VOIPWAKE_A_APP_WAKE_SEQ is not a u32" },
	[VOIPWAKE_A_APP_WAKE_INTERVAL_MS] = {
		MNL_TYPE_U32, "VOIPWAKE_A_APP_WAKE_INTERVAL_MS is not a u32" },
	[VOIPWAKE_A_APP_WAKES_HELD] = {
		MNL_TYPE_U64, "VOIPWAKE_A_APP_WAKES_HELD is not a u64" },
	[VOIPWAKE_A_APP_WAKE_SYSTEM] = {
		MNL_TYPE_U8, "VOIPWAKE_A_APP_WAKE_SYSTEM is not a u8" },
	[VOIPWAKE_A_APP_FREEZE_GATE_MS] = {
		MNL_TYPE_U32, "VOIPWAKE_A_APP_FREEZE_GATE_MS is not a u32" },
	[VOIPWAKE_A_APP_FREEZE_GATE_SEQ] = {
		MNL_TYPE_U32, "VOIPWAKE_A_APP_FREEZE_GATE_SEQ is not a u32" },
	[VOIPWAKE_A_APP_FREEZE_GATE_TIMEOUTS] = {
		MNL_TYPE_U32,
		"VOIPWAKE_A_APP_FREEZE_GATE_TIMEOUTS is not a u32" },
};

#define VW_APP_FIELD(type, member, bit) \
	VW_FIELD(type, struct vw_app_info, member, bit)

/* Where each plain counter goes: one table instead of a dozen calls. */
static const struct vw_field vw_app_fields[] = {
	VW_APP_FIELD(VOIPWAKE_A_APP_CGROUP_ID, cgroup_id,
		     VW_APP_HAS_CGROUP_ID),
	VW_APP_FIELD(VOIPWAKE_A_APP_STATE, state, VW_APP_HAS_STATE),
	VW_APP_FIELD(VOIPWAKE_A_APP_FROZEN, frozen, VW_APP_HAS_FROZEN),
	VW_APP_FIELD(VOIPWAKE_A_APP_WAKE_WINDOW_MS, wake_window_ms,
		     VW_APP_HAS_WAKE_WINDOW_MS),
	VW_APP_FIELD(VOIPWAKE_A_APP_SOCKS, socks, VW_APP_HAS_SOCKS),
	VW_APP_FIELD(VOIPWAKE_A_APP_WAKES_DATA, wakes_data,
		     VW_APP_HAS_WAKES_DATA),
	VW_APP_FIELD(VOIPWAKE_A_APP_WAKES_CLOSE, wakes_close,
		     VW_APP_HAS_WAKES_CLOSE),
	VW_APP_FIELD(VOIPWAKE_A_APP_WAKES_ERROR, wakes_error,
		     VW_APP_HAS_WAKES_ERROR),
	VW_APP_FIELD(VOIPWAKE_A_APP_WAKES_KEEPALIVE, wakes_keepalive,
		     VW_APP_HAS_WAKES_KEEPALIVE),
	VW_APP_FIELD(VOIPWAKE_A_APP_FROZEN_MS, frozen_ms,
		     VW_APP_HAS_FROZEN_MS),
	VW_APP_FIELD(VOIPWAKE_A_APP_LAST_WAKE_NS, last_wake_ns,
		     VW_APP_HAS_LAST_WAKE_NS),
	VW_APP_FIELD(VOIPWAKE_A_APP_FREEZE_TIMEOUTS, freeze_timeouts,
		     VW_APP_HAS_FREEZE_TIMEOUTS),
	VW_APP_FIELD(VOIPWAKE_A_APP_KEEPALIVE_S, keepalive_s,
		     VW_APP_HAS_KEEPALIVE_S),
	VW_APP_FIELD(VOIPWAKE_A_APP_KEEPALIVE_TOLERANCE_PCT,
		     keepalive_tolerance_pct,
		     VW_APP_HAS_KEEPALIVE_TOLERANCE_PCT),
	VW_APP_FIELD(VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS, keepalive_budget_ms,
		     VW_APP_HAS_KEEPALIVE_BUDGET_MS),
	VW_APP_FIELD(VOIPWAKE_A_APP_KEEPALIVE_OVERRUNS, keepalive_overruns,
		     VW_APP_HAS_KEEPALIVE_OVERRUNS),
	VW_APP_FIELD(VOIPWAKE_A_APP_KEEPALIVE_EARLIEST_NS,
		     keepalive_earliest_ns, VW_APP_HAS_KEEPALIVE_EARLIEST_NS),
	VW_APP_FIELD(VOIPWAKE_A_APP_KEEPALIVE_LATEST_NS, keepalive_latest_ns,
		     VW_APP_HAS_KEEPALIVE_LATEST_NS),
	VW_APP_FIELD(VOIPWAKE_A_APP_WAKE_SEQ, wake_seq, VW_APP_HAS_WAKE_SEQ),
	VW_APP_FIELD(VOIPWAKE_A_APP_WAKE_INTERVAL_MS, wake_interval_ms,
		     VW_APP_HAS_WAKE_INTERVAL_MS),
	VW_APP_FIELD(VOIPWAKE_A_APP_WAKES_HELD, wakes_held,
		     VW_APP_HAS_WAKES_HELD),
	VW_APP_FIELD(VOIPWAKE_A_APP_WAKE_SYSTEM, wake_system,
		     VW_APP_HAS_WAKE_SYSTEM),
	VW_APP_FIELD(VOIPWAKE_A_APP_FREEZE_GATE_MS, freeze_gate_ms,
		     VW_APP_HAS_FREEZE_GATE_MS),
	VW_APP_FIELD(VOIPWAKE_A_APP_FREEZE_GATE_SEQ, freeze_gate_seq,
		     VW_APP_HAS_FREEZE_GATE_SEQ),
	VW_APP_FIELD(VOIPWAKE_A_APP_FREEZE_GATE_TIMEOUTS, freeze_gate_timeouts,
		     VW_APP_HAS_FREEZE_GATE_TIMEOUTS),
};

/* The APP_WOKEN_NTF extras, which belong to the event, not the app. */
static void vw_app_wake(const struct nlattr **tb, struct vw_event *ev)
{
	if (tb[VOIPWAKE_A_APP_WAKE_REASON]) {
		ev->reason = mnl_attr_get_u32(tb[VOIPWAKE_A_APP_WAKE_REASON]);
		ev->present |= VW_EVENT_HAS_REASON;
	}
	if (tb[VOIPWAKE_A_APP_WAKE_SOCK_INO]) {
		ev->sock_ino =
			mnl_attr_get_u64(tb[VOIPWAKE_A_APP_WAKE_SOCK_INO]);
		ev->present |= VW_EVENT_HAS_SOCK_INO;
	}
	if (tb[VOIPWAKE_A_APP_WAKE_BYTES]) {
		ev->bytes = mnl_attr_get_u32(tb[VOIPWAKE_A_APP_WAKE_BYTES]);
		ev->present |= VW_EVENT_HAS_BYTES;
	}
	if (tb[VOIPWAKE_A_APP_WAKE_KEEPALIVE]) {
		ev->keepalive =
			!!mnl_attr_get_u8(tb[VOIPWAKE_A_APP_WAKE_KEEPALIVE]);
		ev->present |= VW_EVENT_HAS_KEEPALIVE;
	}
}

/**
 * vw_app_attrs() - parse a VOIPWAKE_A_APP_* attribute set
 * @attrs: first attribute
 * @len: bytes from @attrs to the end of the message
 * @ai: a full-size struct vw_app_info, overwritten; ->size is set
 * @ev: if not NULL, receives the WAKE_REASON, WAKE_SOCK_INO, WAKE_BYTES
 *	and WAKE_KEEPALIVE of an APP_WOKEN_NTF (and their VW_EVENT_HAS_*
 *	bits); other fields are left alone
 * @why: set on failure
 *
 * APP_CGROUP_ID is required: without it the app cannot be named.
 * Everything else is optional, its VW_APP_HAS_* bit telling whether it was
 * sent. The wake attributes are validated even where @ev is NULL.
 *
 * Return: 0, -EBADMSG or -EPROTO.
 */
int vw_app_attrs(const void *attrs, size_t len, struct vw_app_info *ai,
		 struct vw_event *ev, const char **why)
{
	const struct nlattr *tb[VOIPWAKE_A_APP_MAX + 1];
	int ret;

	ret = vw_attrs_parse(attrs, len, vw_app_rules, VOIPWAKE_A_APP_MAX,
			     tb, why);
	if (ret)
		return ret;
	if (!tb[VOIPWAKE_A_APP_CGROUP_ID]) {
		*why = "message lacks VOIPWAKE_A_APP_CGROUP_ID";
		return -EPROTO;
	}

	memset(ai, 0, sizeof(*ai));
	ai->size = sizeof(*ai);
	vw_fields_store(tb, vw_app_fields, ARRAY_SIZE(vw_app_fields), ai);
	if (ev)
		vw_app_wake(tb, ev);
	return 0;
}

/**
 * vw_parse_app_get() - parse the reply to an APP_GET for one app
 * @nlh: reply message
 * @ai: a full-size struct vw_app_info, overwritten
 * @why: set on failure
 *
 * Return: 0, -EBADMSG or -EPROTO.
 */
int vw_parse_app_get(const struct nlmsghdr *nlh, void *ai, const char **why)
{
	const void *attrs;
	size_t len;
	int ret;

	ret = vw_genl_attrs(nlh, VOIPWAKE_CMD_APP_GET, &attrs, &len, why);
	if (ret)
		return ret;
	return vw_app_attrs(attrs, len, ai, NULL, why);
}

/**
 * vw_app_info_copy_out() - give the caller as much of @src as it asked for
 * @dst: caller's structure, ->size set by the caller
 * @src: full-size result of vw_parse_app_get()
 *
 * As vw_fields_copy_out(): nothing beyond @dst->size is written, and no
 * present bit is set for a field that lies beyond it.
 *
 * Return: 0, or -EINVAL if @dst->size is below VW_APP_INFO_SIZE_VER0.
 */
int vw_app_info_copy_out(struct vw_app_info *dst,
			 const struct vw_app_info *src)
{
	return vw_fields_copy_out(dst, src, sizeof(*src),
				  VW_APP_INFO_SIZE_VER0, vw_app_fields,
				  ARRAY_SIZE(vw_app_fields));
}

/**
 * vw_parse_app_dump() - parse one message of an APP_GET dump
 * @nlh: dump message
 * @vec: struct vw_vec of struct vw_app_info, appended to
 * @why: set on failure
 *
 * Return: 0, -EBADMSG, -EPROTO or -ENOMEM.
 */
int vw_parse_app_dump(const struct nlmsghdr *nlh, void *vec,
		      const char **why)
{
	struct vw_app_info ai;
	const void *attrs;
	size_t len;
	int ret;

	ret = vw_genl_attrs(nlh, VOIPWAKE_CMD_APP_GET, &attrs, &len, why);
	if (!ret)
		ret = vw_app_attrs(attrs, len, &ai, NULL, why);
	if (ret)
		return ret;
	ret = vw_vec_push(vec, &ai);
	if (ret)
		*why = "out of memory collecting the dump";
	return ret;
}
