// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * VOIPWAKE_CMD_INFO_GET: request, reply, and the size-aware copy into the
 * caller's struct vw_info.
 */

#include <errno.h>
#include <string.h>

#include "codec.h"

_Static_assert(sizeof(struct vw_info) == VW_INFO_SIZE_VER1,
	       "struct vw_info changed size: add VW_INFO_SIZE_VER2");

/**
 * vw_build_info_get() - build a VOIPWAKE_CMD_INFO_GET request
 * @buf: 4-byte aligned buffer
 * @len: size of @buf
 * @family: family id of "voipwake"
 * @seq: sequence number
 *
 * The request has no attributes: the module refuses any.
 *
 * Return: 0, or -EMSGSIZE if @buf is too small.
 */
int vw_build_info_get(void *buf, size_t len, uint16_t family, uint32_t seq)
{
	if (!vw_genl_put(buf, len, family, VOIPWAKE_CMD_INFO_GET,
			 VOIPWAKE_GENL_VERSION, seq))
		return -EMSGSIZE;
	return 0;
}

static const struct vw_attr_rule vw_info_rules[VOIPWAKE_A_INFO_MAX + 1] = {
	[VOIPWAKE_A_INFO_VERSION] = {
		MNL_TYPE_NUL_STRING,
		"VOIPWAKE_A_INFO_VERSION is not a NUL-terminated string" },
	[VOIPWAKE_A_INFO_API_VERSION] = {
		MNL_TYPE_U32, "VOIPWAKE_A_INFO_API_VERSION is not a u32" },
	[VOIPWAKE_A_INFO_FEATURES] = {
		MNL_TYPE_U32, "VOIPWAKE_A_INFO_FEATURES is not a u32" },
	[VOIPWAKE_A_INFO_WAKE_WINDOW_MS] = {
		MNL_TYPE_U32, "VOIPWAKE_A_INFO_WAKE_WINDOW_MS is not a u32" },
	[VOIPWAKE_A_INFO_WAKE_WINDOW_MAX_MS] = {
		MNL_TYPE_U32,
		"VOIPWAKE_A_INFO_WAKE_WINDOW_MAX_MS is not a u32" },
	[VOIPWAKE_A_INFO_MAX_SOCKS_PER_APP] = {
		MNL_TYPE_U32,
		"VOIPWAKE_A_INFO_MAX_SOCKS_PER_APP is not a u32" },
	[VOIPWAKE_A_INFO_MIN_KEEPALIVE_S] = {
		MNL_TYPE_U32, "VOIPWAKE_A_INFO_MIN_KEEPALIVE_S is not a u32" },
	[VOIPWAKE_A_INFO_MAX_KEEPALIVE_S] = {
		MNL_TYPE_U32, "VOIPWAKE_A_INFO_MAX_KEEPALIVE_S is not a u32" },
	[VOIPWAKE_A_INFO_KEEPALIVE_TOLERANCE_PCT] = {
		MNL_TYPE_U32,
		"VOIPWAKE_A_INFO_KEEPALIVE_TOLERANCE_PCT is not a u32" },
	[VOIPWAKE_A_INFO_KEEPALIVE_BUDGET_MS] = {
		MNL_TYPE_U32,
		"VOIPWAKE_A_INFO_KEEPALIVE_BUDGET_MS is not a u32" },
};

#define VW_INFO_FIELD(type, member, bit) \
	VW_FIELD(type, struct vw_info, member, bit)

/* Every attribute but the version string, which is not a number. */
static const struct vw_field vw_info_fields[] = {
	VW_INFO_FIELD(VOIPWAKE_A_INFO_API_VERSION, api_version,
		      VW_INFO_HAS_API_VERSION),
	VW_INFO_FIELD(VOIPWAKE_A_INFO_FEATURES, features,
		      VW_INFO_HAS_FEATURES),
	VW_INFO_FIELD(VOIPWAKE_A_INFO_WAKE_WINDOW_MS, wake_window_ms,
		      VW_INFO_HAS_WAKE_WINDOW_MS),
	VW_INFO_FIELD(VOIPWAKE_A_INFO_WAKE_WINDOW_MAX_MS, wake_window_max_ms,
		      VW_INFO_HAS_WAKE_WINDOW_MAX_MS),
	VW_INFO_FIELD(VOIPWAKE_A_INFO_MAX_SOCKS_PER_APP, max_socks_per_app,
		      VW_INFO_HAS_MAX_SOCKS_PER_APP),
	VW_INFO_FIELD(VOIPWAKE_A_INFO_MIN_KEEPALIVE_S, min_keepalive_s,
		      VW_INFO_HAS_MIN_KEEPALIVE_S),
	VW_INFO_FIELD(VOIPWAKE_A_INFO_MAX_KEEPALIVE_S, max_keepalive_s,
		      VW_INFO_HAS_MAX_KEEPALIVE_S),
	VW_INFO_FIELD(VOIPWAKE_A_INFO_KEEPALIVE_TOLERANCE_PCT,
		      keepalive_tolerance_pct,
		      VW_INFO_HAS_KEEPALIVE_TOLERANCE_PCT),
	VW_INFO_FIELD(VOIPWAKE_A_INFO_KEEPALIVE_BUDGET_MS, keepalive_budget_ms,
		      VW_INFO_HAS_KEEPALIVE_BUDGET_MS),
};

static void vw_info_version(const struct nlattr *attr, struct vw_info *info)
{
	size_t n;

	if (!attr)
		return;
	/* A longer version string is cut rather than failing the call. */
	n = strnlen(mnl_attr_get_str(attr), sizeof(info->version) - 1);
	memcpy(info->version, mnl_attr_get_str(attr), n);
	info->version[n] = '\0';
	info->present |= VW_INFO_HAS_VERSION;
}

/**
 * vw_parse_info() - parse an INFO_GET reply
 * @nlh: reply message
 * @info: a full-size struct vw_info, overwritten; ->size is set to its size
 * @why: set on failure
 *
 * Every attribute is optional: what is absent stays zero and its
 * VW_INFO_HAS_* bit clear.
 *
 * Return: 0, -EBADMSG or -EPROTO.
 */
int vw_parse_info(const struct nlmsghdr *nlh, void *info, const char **why)
{
	const struct nlattr *tb[VOIPWAKE_A_INFO_MAX + 1];
	struct vw_info *vi = info;
	const void *attrs;
	size_t len;
	int ret;

	ret = vw_genl_attrs(nlh, VOIPWAKE_CMD_INFO_GET, &attrs, &len, why);
	if (!ret)
		ret = vw_attrs_parse(attrs, len, vw_info_rules,
				     VOIPWAKE_A_INFO_MAX, tb, why);
	if (ret)
		return ret;

	memset(vi, 0, sizeof(*vi));
	vi->size = sizeof(*vi);
	vw_info_version(tb[VOIPWAKE_A_INFO_VERSION], vi);
	vw_fields_store(tb, vw_info_fields, ARRAY_SIZE(vw_info_fields), vi);
	return 0;
}

/**
 * vw_info_copy_out() - give the caller as much of @src as it asked for
 * @dst: caller's structure, ->size set by the caller
 * @src: full-size result of vw_parse_info()
 *
 * Bytes the caller knows of but this library does not are zeroed; a
 * caller that knows fewer fields gets no present bit for the others.
 *
 * Return: 0, or -EINVAL if @dst->size is below VW_INFO_SIZE_VER0.
 */
int vw_info_copy_out(struct vw_info *dst, const struct vw_info *src)
{
	return vw_fields_copy_out(dst, src, sizeof(*src), VW_INFO_SIZE_VER0,
				  vw_info_fields, ARRAY_SIZE(vw_info_fields));
}
