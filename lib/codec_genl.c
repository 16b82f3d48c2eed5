// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Attribute and generic netlink header helpers shared by every command.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include "codec.h"

/**
 * vw_attrs_check() - check that a byte range is a sequence of attributes
 * @buf: first attribute
 * @len: bytes from @buf to the end of the message
 *
 * mnl_attr_parse() stops silently at the first attribute that does not fit,
 * so a truncated or corrupted reply would look like one that merely lacks
 * attributes. Walk the range first and refuse anything left over. The last
 * attribute may lack its alignment padding.
 *
 * Return: 0, or -EBADMSG.
 */
int vw_attrs_check(const void *buf, size_t len)
{
	const struct nlattr *attr;
	size_t off = 0;

	while (off < len) {
		if (len - off < sizeof(*attr))
			return -EBADMSG;
		attr = (const void *)((const char *)buf + off);
		if (attr->nla_len < sizeof(*attr) || attr->nla_len > len - off)
			return -EBADMSG;
		off += MNL_ALIGN(attr->nla_len);
	}
	return 0;
}

struct vw_attrs_ctx {
	const struct vw_attr_rule *rules;
	unsigned int max;
	const struct nlattr **tb;
	const char *why;
};

static int vw_attr_cb(const struct nlattr *attr, void *data)
{
	struct vw_attrs_ctx *ctx = data;
	unsigned int type = mnl_attr_get_type(attr);
	const struct vw_attr_rule *rule;

	if (type == 0 || type > ctx->max)
		return MNL_CB_OK;
	rule = &ctx->rules[type];
	if (!rule->why)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, rule->type) < 0) {
		ctx->why = rule->why;
		return MNL_CB_ERROR;
	}
	ctx->tb[type] = attr;
	return MNL_CB_OK;
}

/**
 * vw_attrs_parse() - index attributes by type, validating the known ones
 * @buf: first attribute
 * @len: bytes from @buf to the end of the message
 * @rules: indexed by attribute type, @max + 1 entries; a rule with a NULL
 *	   why marks a type this caller does not interpret
 * @max: highest attribute type the caller knows
 * @tb: @max + 1 entries, cleared here, then pointing at the last
 *	occurrence of each known type present
 * @why: set on failure
 *
 * Return: 0, or -EBADMSG.
 */
int vw_attrs_parse(const void *buf, size_t len,
		   const struct vw_attr_rule *rules, unsigned int max,
		   const struct nlattr **tb, const char **why)
{
	struct vw_attrs_ctx ctx = { .rules = rules, .max = max, .tb = tb };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (vw_attrs_check(buf, len)) {
		*why = "attribute length runs past the end of the message";
		return -EBADMSG;
	}
	if (mnl_attr_parse_payload(buf, len, vw_attr_cb, &ctx) < 0) {
		*why = ctx.why;
		return -EBADMSG;
	}
	return 0;
}

/**
 * vw_genl_put() - start a generic netlink request
 * @buf: buffer for the message
 * @len: size of @buf
 * @type: family id
 * @cmd: command
 * @version: family version the request is written for
 * @seq: sequence number
 *
 * The request asks for an acknowledgement so that success is reported as
 * explicitly as failure. Reserved header fields are zero, which the module
 * enforces.
 *
 * Return: the message header, or NULL if @len is too small.
 */
struct nlmsghdr *vw_genl_put(void *buf, size_t len, uint16_t type,
			     uint8_t cmd, uint8_t version, uint32_t seq)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	if (len < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*genl)))
		return NULL;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

/**
 * vw_genl_attrs() - locate the attributes of a generic netlink reply
 * @nlh: reply, nlmsg_len bytes readable
 * @cmd: command the reply must carry
 * @attrs: set to the first attribute
 * @len: set to the bytes from @attrs to the end of the message
 * @why: set on failure
 *
 * Return: 0, -EBADMSG if the header is truncated, -EPROTO for another
 * command.
 */
int vw_genl_attrs(const struct nlmsghdr *nlh, uint8_t cmd,
		  const void **attrs, size_t *len, const char **why)
{
	const size_t hdrlen = MNL_ALIGN(sizeof(struct genlmsghdr));
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	if (mnl_nlmsg_get_payload_len(nlh) < hdrlen) {
		*why = "reply too short for a generic netlink header";
		return -EBADMSG;
	}
	if (genl->cmd != cmd) {
		*why = "reply carries an unexpected command";
		return -EPROTO;
	}
	*attrs = mnl_nlmsg_get_payload_offset(nlh, hdrlen);
	*len = mnl_nlmsg_get_payload_len(nlh) - hdrlen;
	return 0;
}

/**
 * vw_genl_put_dump() - start a generic netlink dump request
 * @buf: buffer for the message
 * @len: size of @buf
 * @type: family id
 * @cmd: command
 * @version: family version the request is written for
 * @seq: sequence number
 *
 * As vw_genl_put(), plus NLM_F_DUMP. The kernel answers a dump with
 * NLM_F_MULTI messages ended by NLMSG_DONE and sends no acknowledgement
 * (NLM_F_ACK only matters if the dump is refused before it starts).
 *
 * Return: the message header, or NULL if @len is too small.
 */
struct nlmsghdr *vw_genl_put_dump(void *buf, size_t len, uint16_t type,
				  uint8_t cmd, uint8_t version, uint32_t seq)
{
	struct nlmsghdr *nlh = vw_genl_put(buf, len, type, cmd, version, seq);

	if (nlh)
		nlh->nlmsg_flags |= NLM_F_DUMP;
	return nlh;
}

/**
 * vw_genl_cmd() - read the command of a generic netlink message
 * @nlh: message, nlmsg_len bytes readable
 * @cmd: set to the command
 * @why: set on failure
 *
 * Return: 0, or -EBADMSG if the header is truncated.
 */
int vw_genl_cmd(const struct nlmsghdr *nlh, uint8_t *cmd, const char **why)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	if (mnl_nlmsg_get_payload_len(nlh) < MNL_ALIGN(sizeof(*genl))) {
		*why = "message too short for a generic netlink header";
		return -EBADMSG;
	}
	*cmd = genl->cmd;
	return 0;
}

/**
 * vw_copy_out() - give the caller as much of a result as it asked for
 * @dst: caller's structure, starting with a u32 size set by the caller
 * @src: the library's full-size result
 * @src_size: sizeof the library's structure
 * @min_size: the smallest size a caller may pass (the first release's)
 *
 * Bytes the caller knows of but this library does not are zeroed; nothing
 * beyond the caller's size is written. The size field keeps the caller's
 * value.
 *
 * Return: 0, or -EINVAL if the caller's size is below @min_size.
 */
int vw_copy_out(void *dst, const void *src, size_t src_size,
		size_t min_size)
{
	uint32_t size;

	memcpy(&size, dst, sizeof(size));
	if (size < min_size)
		return -EINVAL;
	memcpy(dst, src, size < src_size ? size : src_size);
	if (size > src_size)
		memset((char *)dst + src_size, 0, size - src_size);
	memcpy(dst, &size, sizeof(size));
	return 0;
}

/* Stores a validated u8, u32 or u64 attribute in a u32 or u64 field. */
static void vw_field_store(const struct nlattr *attr, void *field,
			   size_t size)
{
	uint32_t v32;
	uint64_t v64;

	if (size == sizeof(v64)) {
		/* libmnl copies: without a PAD it may be unaligned. */
		v64 = mnl_attr_get_u64(attr);
		memcpy(field, &v64, sizeof(v64));
		return;
	}
	if (mnl_attr_get_payload_len(attr) == sizeof(uint8_t))
		v32 = mnl_attr_get_u8(attr);
	else
		v32 = mnl_attr_get_u32(attr);
	memcpy(field, &v32, sizeof(v32));
}

/**
 * vw_fields_store() - fill a result structure from parsed attributes
 * @tb: attributes by type, validated against rules that match @fields
 * @fields: where each goes
 * @n: entries in @fields
 * @dst: the structure, zeroed; its present mask gains a bit per field sent
 */
void vw_fields_store(const struct nlattr **tb, const struct vw_field *fields,
		     size_t n, void *dst)
{
	const struct vw_field *f;
	uint32_t present;

	memcpy(&present, (char *)dst + sizeof(uint32_t), sizeof(present));
	for (f = fields; f < fields + n; f++) {
		if (!tb[f->type])
			continue;
		vw_field_store(tb[f->type], (char *)dst + f->offset, f->size);
		present |= f->bit;
	}
	memcpy((char *)dst + sizeof(uint32_t), &present, sizeof(present));
}

/**
 * vw_fields_copy_out() - vw_copy_out(), and no present bit beyond the size
 * @dst: caller's structure, starting with u32 size and u32 present
 * @src: the library's full-size result
 * @src_size: sizeof the library's structure
 * @min_size: the smallest size a caller may pass (the first release's)
 * @fields: the structure's fields, as for vw_fields_store()
 * @n: entries in @fields
 *
 * A caller built against an older header gets no bit for a field it does
 * not have, so that a bit always means the field was written.
 *
 * Return: 0, or -EINVAL if the caller's size is below @min_size.
 */
int vw_fields_copy_out(void *dst, const void *src, size_t src_size,
		       size_t min_size, const struct vw_field *fields,
		       size_t n)
{
	const struct vw_field *f;
	uint32_t size, present;
	int ret;

	ret = vw_copy_out(dst, src, src_size, min_size);
	if (ret)
		return ret;
	memcpy(&size, dst, sizeof(size));
	memcpy(&present, (char *)dst + sizeof(size), sizeof(present));
	for (f = fields; f < fields + n; f++)
		if (f->offset + f->size > size)
			present &= ~f->bit;
	memcpy((char *)dst + sizeof(size), &present, sizeof(present));
	return 0;
}

/**
 * vw_vec_reserve() - make room for one more item
 * @v: array, with ->item_size set; zero-initialised otherwise
 *
 * For a caller that must not fail once it has acted: reserve first, and
 * the vw_vec_push() that follows cannot fail.
 *
 * Return: 0, or -ENOMEM.
 */
int vw_vec_reserve(struct vw_vec *v)
{
	void *items;
	size_t cap;

	if (v->n < v->cap)
		return 0;
	cap = v->cap ? 2 * v->cap : 16;
	if (cap > SIZE_MAX / v->item_size)
		return -ENOMEM;
	items = realloc(v->items, cap * v->item_size);
	if (!items)
		return -ENOMEM;
	v->items = items;
	v->cap = cap;
	return 0;
}

/**
 * vw_vec_push() - append a copy of @item
 * @v: array, with ->item_size set; zero-initialised otherwise
 * @item: ->item_size bytes
 *
 * Return: 0, or -ENOMEM.
 */
int vw_vec_push(struct vw_vec *v, const void *item)
{
	int ret = vw_vec_reserve(v);

	if (ret)
		return ret;
	memcpy((char *)v->items + v->n * v->item_size, item, v->item_size);
	v->n++;
	return 0;
}

void vw_vec_free(struct vw_vec *v)
{
	free(v->items);
	v->items = NULL;
	v->n = 0;
	v->cap = 0;
}
