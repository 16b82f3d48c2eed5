// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Apps: VOIPWAKE_CMD_APP_SET, APP_GET (do and dump) and APP_WAKE_DONE, and
 * the VOIPWAKE_A_APP_* attribute set that their replies and the APP_*_NTF
 * notifications carry.
 */

#include <errno.h>
#include <string.h>

#include "codec.h"

_Static_assert(sizeof(struct vw_app_info) == VW_APP_INFO_SIZE_VER0,
	       "struct vw_app_info changed size: add VW_APP_INFO_SIZE_VER1");

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

/**
 * vw_build_app_set() - build a VOIPWAKE_CMD_APP_SET request
 * @buf: 4-byte aligned buffer
 * @len: size of @buf
 * @family: family id of "voipwake"
 * @seq: sequence number
 * @cgroup_fd: the app's cgroup v2 directory, >= 0
 * @state: enum voipwake_app_state to set, or NULL to leave it
 * @wake_window_ms: wake window to set (0 = default), or NULL to leave it
 *
 * Return: 0; -EINVAL if @cgroup_fd is negative or there is nothing to set;
 * -EMSGSIZE if @buf is too small.
 */
int vw_build_app_set(void *buf, size_t len, uint16_t family, uint32_t seq,
		     int cgroup_fd, const uint32_t *state,
		     const uint32_t *wake_window_ms)
{
	struct nlmsghdr *nlh;

	if (cgroup_fd < 0 || (!state && !wake_window_ms))
		return -EINVAL;
	nlh = vw_app_req(buf, len, family, seq, VOIPWAKE_CMD_APP_SET,
			 cgroup_fd);
	if (!nlh)
		return -EMSGSIZE;
	if (state && !mnl_attr_put_u32_check(nlh, len, VOIPWAKE_A_APP_STATE,
					     *state))
		return -EMSGSIZE;
	if (wake_window_ms &&
	    !mnl_attr_put_u32_check(nlh, len, VOIPWAKE_A_APP_WAKE_WINDOW_MS,
				    *wake_window_ms))
		return -EMSGSIZE;
	return 0;
}

/**
 * vw_build_app_get() - build a VOIPWAKE_CMD_APP_GET request for one app
 * @buf: 4-byte aligned buffer
 * @len: size of @buf
 * @family: family id of "voipwake"
 * @seq: sequence number
 * @cgroup_fd: the app's cgroup v2 directory, >= 0
 *
 * Return: 0; -EINVAL if @cgroup_fd is negative; -EMSGSIZE if @buf is too
 * small.
 */
int vw_build_app_get(void *buf, size_t len, uint16_t family, uint32_t seq,
		     int cgroup_fd)
{
	if (cgroup_fd < 0)
		return -EINVAL;
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
 *	       own app (then the request has no attributes)
 *
 * Return: 0, or -EMSGSIZE if @buf is too small.
 */
int vw_build_app_wake_done(void *buf, size_t len, uint16_t family,
			   uint32_t seq, int cgroup_fd)
{
	if (!vw_app_req(buf, len, family, seq, VOIPWAKE_CMD_APP_WAKE_DONE,
			cgroup_fd))
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
};

/* Where each plain counter goes: one table instead of a dozen calls. */
static const struct vw_app_field {
	uint16_t type;
	uint16_t offset;
	uint32_t bit;
} vw_app_fields[] = {
	{ VOIPWAKE_A_APP_CGROUP_ID, offsetof(struct vw_app_info, cgroup_id),
	  VW_APP_HAS_CGROUP_ID },
	{ VOIPWAKE_A_APP_STATE, offsetof(struct vw_app_info, state),
	  VW_APP_HAS_STATE },
	{ VOIPWAKE_A_APP_FROZEN, offsetof(struct vw_app_info, frozen),
	  VW_APP_HAS_FROZEN },
	{ VOIPWAKE_A_APP_WAKE_WINDOW_MS,
	  offsetof(struct vw_app_info, wake_window_ms),
	  VW_APP_HAS_WAKE_WINDOW_MS },
	{ VOIPWAKE_A_APP_SOCKS, offsetof(struct vw_app_info, socks),
	  VW_APP_HAS_SOCKS },
	{ VOIPWAKE_A_APP_WAKES_DATA, offsetof(struct vw_app_info, wakes_data),
	  VW_APP_HAS_WAKES_DATA },
	{ VOIPWAKE_A_APP_WAKES_CLOSE,
	  offsetof(struct vw_app_info, wakes_close), VW_APP_HAS_WAKES_CLOSE },
	{ VOIPWAKE_A_APP_WAKES_ERROR,
	  offsetof(struct vw_app_info, wakes_error), VW_APP_HAS_WAKES_ERROR },
	{ VOIPWAKE_A_APP_WAKES_KEEPALIVE,
	  offsetof(struct vw_app_info, wakes_keepalive),
	  VW_APP_HAS_WAKES_KEEPALIVE },
	{ VOIPWAKE_A_APP_FROZEN_MS, offsetof(struct vw_app_info, frozen_ms),
	  VW_APP_HAS_FROZEN_MS },
	{ VOIPWAKE_A_APP_LAST_WAKE_NS,
	  offsetof(struct vw_app_info, last_wake_ns),
	  VW_APP_HAS_LAST_WAKE_NS },
	{ VOIPWAKE_A_APP_FREEZE_TIMEOUTS,
	  offsetof(struct vw_app_info, freeze_timeouts),
	  VW_APP_HAS_FREEZE_TIMEOUTS },
};

/* Stores a validated u8, u32 or u64 attribute in a u32 or u64 field. */
static void vw_app_store(const struct nlattr *attr, void *field)
{
	uint32_t v32;

	switch (mnl_attr_get_payload_len(attr)) {
	case sizeof(uint8_t):
		v32 = mnl_attr_get_u8(attr);
		memcpy(field, &v32, sizeof(v32));
		break;
	case sizeof(uint32_t):
		v32 = mnl_attr_get_u32(attr);
		memcpy(field, &v32, sizeof(v32));
		break;
	default: {
		/* libmnl copies: a u64 with no PAD before it may be unaligned. */
		uint64_t v64 = mnl_attr_get_u64(attr);

		memcpy(field, &v64, sizeof(v64));
		break;
	}
	}
}

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
}

/**
 * vw_app_attrs() - parse a VOIPWAKE_A_APP_* attribute set
 * @attrs: first attribute
 * @len: bytes from @attrs to the end of the message
 * @ai: a full-size struct vw_app_info, overwritten; ->size is set
 * @ev: if not NULL, receives the WAKE_REASON, WAKE_SOCK_INO and WAKE_BYTES
 *	of an APP_WOKEN_NTF (and their VW_EVENT_HAS_* bits); other fields
 *	are left alone
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
	const struct vw_app_field *f;
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
	for (f = vw_app_fields; f < vw_app_fields + ARRAY_SIZE(vw_app_fields);
	     f++) {
		if (!tb[f->type])
			continue;
		vw_app_store(tb[f->type], (char *)ai + f->offset);
		ai->present |= f->bit;
	}
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
