// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Marked sockets: VOIPWAKE_CMD_SOCK_MARK, SOCK_UNMARK and the SOCK_GET
 * dump, and the VOIPWAKE_A_SOCK_* attribute set that their replies and
 * SOCK_CLOSED_NTF carry.
 */

#include <errno.h>
#include <string.h>

#include "codec.h"

_Static_assert(sizeof(struct vw_sock_info) == VW_SOCK_INFO_SIZE_VER0,
	       "struct vw_sock_info changed size: add VW_SOCK_INFO_SIZE_VER1");

/* Starts a SOCK_* request carrying the socket's fd. */
static struct nlmsghdr *vw_sock_req(void *buf, size_t len, uint16_t family,
				    uint32_t seq, uint8_t cmd, int fd)
{
	struct nlmsghdr *nlh;

	nlh = vw_genl_put(buf, len, family, cmd, VOIPWAKE_GENL_VERSION, seq);
	if (!nlh || !mnl_attr_put_u32_check(nlh, len, VOIPWAKE_A_SOCK_FD,
					    (uint32_t)fd))
		return NULL;
	return nlh;
}

/**
 * vw_build_sock_mark() - build a VOIPWAKE_CMD_SOCK_MARK request
 * @buf: 4-byte aligned buffer
 * @len: size of @buf
 * @family: family id of "voipwake"
 * @seq: sequence number
 * @fd: the socket, in the sender's fd table
 * @wake_on: reason bits; 0 leaves SOCK_WAKE_ON out (the module's default)
 *
 * Return: 0, or -EMSGSIZE if @buf is too small.
 */
int vw_build_sock_mark(void *buf, size_t len, uint16_t family, uint32_t seq,
		       int fd, uint32_t wake_on)
{
	struct nlmsghdr *nlh;

	nlh = vw_sock_req(buf, len, family, seq, VOIPWAKE_CMD_SOCK_MARK, fd);
	if (!nlh)
		return -EMSGSIZE;
	if (wake_on && !mnl_attr_put_u32_check(nlh, len,
					       VOIPWAKE_A_SOCK_WAKE_ON,
					       wake_on))
		return -EMSGSIZE;
	return 0;
}

/**
 * vw_build_sock_unmark() - build a VOIPWAKE_CMD_SOCK_UNMARK request
 * @buf: 4-byte aligned buffer
 * @len: size of @buf
 * @family: family id of "voipwake"
 * @seq: sequence number
 * @fd: the socket, in the sender's fd table
 *
 * Return: 0, or -EMSGSIZE if @buf is too small.
 */
int vw_build_sock_unmark(void *buf, size_t len, uint16_t family,
			 uint32_t seq, int fd)
{
	if (!vw_sock_req(buf, len, family, seq, VOIPWAKE_CMD_SOCK_UNMARK, fd))
		return -EMSGSIZE;
	return 0;
}

/**
 * vw_build_sock_dump() - build a VOIPWAKE_CMD_SOCK_GET dump request
 * @buf: 4-byte aligned buffer
 * @len: size of @buf
 * @family: family id of "voipwake"
 * @seq: sequence number
 *
 * Return: 0, or -EMSGSIZE if @buf is too small.
 */
int vw_build_sock_dump(void *buf, size_t len, uint16_t family, uint32_t seq)
{
	if (!vw_genl_put_dump(buf, len, family, VOIPWAKE_CMD_SOCK_GET,
			      VOIPWAKE_GENL_VERSION, seq))
		return -EMSGSIZE;
	return 0;
}

/*
 * SOCK_PAD (alignment filler before a u64) and SOCK_FD (request only) have
 * no rule: they are skipped like unknown attributes.
 */
static const struct vw_attr_rule vw_sock_rules[VOIPWAKE_A_SOCK_MAX + 1] = {
	[VOIPWAKE_A_SOCK_WAKE_ON] = {
		MNL_TYPE_U32, "VOIPWAKE_A_SOCK_WAKE_ON is not a u32" },
	[VOIPWAKE_A_SOCK_INO] = {
		MNL_TYPE_U64, "VOIPWAKE_A_SOCK_INO is not a u64" },
	[VOIPWAKE_A_SOCK_CGROUP_ID] = {
		MNL_TYPE_U64, "VOIPWAKE_A_SOCK_CGROUP_ID is not a u64" },
	[VOIPWAKE_A_SOCK_FAMILY] = {
		MNL_TYPE_U32, "VOIPWAKE_A_SOCK_FAMILY is not a u32" },
	[VOIPWAKE_A_SOCK_PROTOCOL] = {
		MNL_TYPE_U32, "VOIPWAKE_A_SOCK_PROTOCOL is not a u32" },
	[VOIPWAKE_A_SOCK_UID] = {
		MNL_TYPE_U32, "VOIPWAKE_A_SOCK_UID is not a u32" },
	[VOIPWAKE_A_SOCK_WAKES] = {
		MNL_TYPE_U64, "VOIPWAKE_A_SOCK_WAKES is not a u64" },
};

static void vw_sock_u32(const struct nlattr *attr, uint32_t *field,
			uint32_t bit, struct vw_sock_info *si)
{
	if (!attr)
		return;
	*field = mnl_attr_get_u32(attr);
	si->present |= bit;
}

static void vw_sock_u64(const struct nlattr *attr, uint64_t *field,
			uint32_t bit, struct vw_sock_info *si)
{
	if (!attr)
		return;
	/* libmnl copies: a u64 without a PAD before it may be unaligned. */
	*field = mnl_attr_get_u64(attr);
	si->present |= bit;
}

/**
 * vw_sock_attrs() - parse a VOIPWAKE_A_SOCK_* attribute set
 * @attrs: first attribute
 * @len: bytes from @attrs to the end of the message
 * @si: a full-size struct vw_sock_info, overwritten; ->size is set
 * @why: set on failure
 *
 * SOCK_INO is required: without it the socket cannot be named. Everything
 * else is optional, its VW_SOCK_HAS_* bit telling whether it was sent.
 *
 * Return: 0, -EBADMSG or -EPROTO.
 */
int vw_sock_attrs(const void *attrs, size_t len, struct vw_sock_info *si,
		  const char **why)
{
	const struct nlattr *tb[VOIPWAKE_A_SOCK_MAX + 1];
	int ret;

	ret = vw_attrs_parse(attrs, len, vw_sock_rules, VOIPWAKE_A_SOCK_MAX,
			     tb, why);
	if (ret)
		return ret;
	if (!tb[VOIPWAKE_A_SOCK_INO]) {
		*why = "message lacks VOIPWAKE_A_SOCK_INO";
		return -EPROTO;
	}

	memset(si, 0, sizeof(*si));
	si->size = sizeof(*si);
	vw_sock_u64(tb[VOIPWAKE_A_SOCK_INO], &si->ino, VW_SOCK_HAS_INO, si);
	vw_sock_u64(tb[VOIPWAKE_A_SOCK_CGROUP_ID], &si->cgroup_id,
		    VW_SOCK_HAS_CGROUP_ID, si);
	vw_sock_u32(tb[VOIPWAKE_A_SOCK_FAMILY], &si->family,
		    VW_SOCK_HAS_FAMILY, si);
	vw_sock_u32(tb[VOIPWAKE_A_SOCK_PROTOCOL], &si->protocol,
		    VW_SOCK_HAS_PROTOCOL, si);
	vw_sock_u32(tb[VOIPWAKE_A_SOCK_UID], &si->uid, VW_SOCK_HAS_UID, si);
	vw_sock_u32(tb[VOIPWAKE_A_SOCK_WAKE_ON], &si->wake_on,
		    VW_SOCK_HAS_WAKE_ON, si);
	vw_sock_u64(tb[VOIPWAKE_A_SOCK_WAKES], &si->wakes, VW_SOCK_HAS_WAKES,
		    si);
	return 0;
}

/**
 * vw_parse_sock_mark() - parse the reply to SOCK_MARK
 * @nlh: reply message
 * @si: a full-size struct vw_sock_info, overwritten
 * @why: set on failure
 *
 * Return: 0, -EBADMSG or -EPROTO.
 */
int vw_parse_sock_mark(const struct nlmsghdr *nlh, void *si,
		       const char **why)
{
	const void *attrs;
	size_t len;
	int ret;

	ret = vw_genl_attrs(nlh, VOIPWAKE_CMD_SOCK_MARK, &attrs, &len, why);
	if (ret)
		return ret;
	return vw_sock_attrs(attrs, len, si, why);
}

/**
 * vw_parse_sock_dump() - parse one message of a SOCK_GET dump
 * @nlh: dump message
 * @vec: struct vw_vec of struct vw_sock_info, appended to
 * @why: set on failure
 *
 * Return: 0, -EBADMSG, -EPROTO or -ENOMEM.
 */
int vw_parse_sock_dump(const struct nlmsghdr *nlh, void *vec,
		       const char **why)
{
	struct vw_sock_info si;
	const void *attrs;
	size_t len;
	int ret;

	ret = vw_genl_attrs(nlh, VOIPWAKE_CMD_SOCK_GET, &attrs, &len, why);
	if (!ret)
		ret = vw_sock_attrs(attrs, len, &si, why);
	if (ret)
		return ret;
	ret = vw_vec_push(vec, &si);
	if (ret)
		*why = "out of memory collecting the dump";
	return ret;
}
