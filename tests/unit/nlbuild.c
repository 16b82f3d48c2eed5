// SPDX-License-Identifier: GPL-2.0
/*
 * Builders for fake kernel replies, written with libmnl the way the kernel
 * lays messages out: 4-byte aligned, attributes padded.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/voipwake.h>

#include "codec.h"
#include "nlbuild.h"

struct nlmsghdr *nlb_genl(void *buf, uint16_t type, uint8_t cmd,
			  uint32_t seq, uint32_t portid)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = type;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = portid;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = VOIPWAKE_GENL_VERSION;
	return nlh;
}

/* A notification: sequence 0, from the kernel (port id 0). */
struct nlmsghdr *nlb_ntf(void *buf, uint8_t cmd)
{
	return nlb_genl(buf, TEST_FAMILY, cmd, 0, 0);
}

/*
 * nla_put_u64_64bit(): a PAD attribute first if the u64 payload would
 * otherwise not be 8-byte aligned (here: relative to the message start).
 */
void nlb_put_u64_pad(struct nlmsghdr *nlh, uint16_t type, uint64_t value,
		     uint16_t padtype)
{
	if ((nlh->nlmsg_len + NLA_HDRLEN) % 8)
		mnl_attr_put(nlh, padtype, 0, NULL);
	mnl_attr_put_u64(nlh, type, value);
}

/* The SOCK_* set as the module sends it, PAD attributes included. */
void nlb_sock_attrs(struct nlmsghdr *nlh)
{
	nlb_put_u64_pad(nlh, VOIPWAKE_A_SOCK_INO, TEST_INO,
			VOIPWAKE_A_SOCK_PAD);
	nlb_put_u64_pad(nlh, VOIPWAKE_A_SOCK_CGROUP_ID, TEST_CGROUP_ID,
			VOIPWAKE_A_SOCK_PAD);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_SOCK_FAMILY, AF_INET6);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_SOCK_PROTOCOL, IPPROTO_TCP);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_SOCK_UID, TEST_UID);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_SOCK_WAKE_ON,
			 (1U << VOIPWAKE_WAKE_DATA) |
			 (1U << VOIPWAKE_WAKE_CLOSE));
	nlb_put_u64_pad(nlh, VOIPWAKE_A_SOCK_WAKES, TEST_WAKES,
			VOIPWAKE_A_SOCK_PAD);
}

/* The APP_* set as the module sends it, PAD attributes included. */
void nlb_app_attrs(struct nlmsghdr *nlh)
{
	nlb_put_u64_pad(nlh, VOIPWAKE_A_APP_CGROUP_ID, TEST_CGROUP_ID,
			VOIPWAKE_A_APP_PAD);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_STATE,
			 VOIPWAKE_APP_STATE_BACKGROUND);
	mnl_attr_put_u8(nlh, VOIPWAKE_A_APP_FROZEN, 1);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_WAKE_WINDOW_MS, 5000);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_SOCKS, 2);
	nlb_put_u64_pad(nlh, VOIPWAKE_A_APP_WAKES_DATA, 11, VOIPWAKE_A_APP_PAD);
	nlb_put_u64_pad(nlh, VOIPWAKE_A_APP_WAKES_CLOSE, 12,
			VOIPWAKE_A_APP_PAD);
	nlb_put_u64_pad(nlh, VOIPWAKE_A_APP_WAKES_ERROR, 13,
			VOIPWAKE_A_APP_PAD);
	nlb_put_u64_pad(nlh, VOIPWAKE_A_APP_WAKES_KEEPALIVE, 1ULL << 40,
			VOIPWAKE_A_APP_PAD);
	nlb_put_u64_pad(nlh, VOIPWAKE_A_APP_FROZEN_MS, 123456789ULL,
			VOIPWAKE_A_APP_PAD);
	nlb_put_u64_pad(nlh, VOIPWAKE_A_APP_LAST_WAKE_NS,
			0xfedcba9876543210ULL, VOIPWAKE_A_APP_PAD);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_FREEZE_TIMEOUTS, 3);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_KEEPALIVE_S, 900);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_KEEPALIVE_TOLERANCE_PCT, 20);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS, 4000);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_KEEPALIVE_OVERRUNS, 6);
	nlb_put_u64_pad(nlh, VOIPWAKE_A_APP_KEEPALIVE_EARLIEST_NS,
			TEST_KA_EARLIEST, VOIPWAKE_A_APP_PAD);
	nlb_put_u64_pad(nlh, VOIPWAKE_A_APP_KEEPALIVE_LATEST_NS,
			TEST_KA_LATEST, VOIPWAKE_A_APP_PAD);
}

struct nlmsghdr *nlb_sock_reply(void *buf, uint8_t cmd, uint32_t seq)
{
	struct nlmsghdr *nlh = nlb_genl(buf, TEST_FAMILY, cmd, seq,
					TEST_PORTID);

	nlb_sock_attrs(nlh);
	return nlh;
}

struct nlmsghdr *nlb_app_reply(void *buf, uint8_t cmd, uint32_t seq)
{
	struct nlmsghdr *nlh = nlb_genl(buf, TEST_FAMILY, cmd, seq,
					TEST_PORTID);

	nlb_app_attrs(nlh);
	return nlh;
}

/* APP_WOKEN_NTF as the module sends it, @ka its WAKE_KEEPALIVE. */
struct nlmsghdr *nlb_woken(void *buf, uint32_t reason, uint8_t ka)
{
	struct nlmsghdr *nlh = nlb_ntf(buf, VOIPWAKE_CMD_APP_WOKEN_NTF);

	nlb_app_attrs(nlh);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_WAKE_REASON, reason);
	nlb_put_u64_pad(nlh, VOIPWAKE_A_APP_WAKE_SOCK_INO, TEST_INO,
			VOIPWAKE_A_APP_PAD);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_WAKE_BYTES, 1400);
	mnl_attr_put_u8(nlh, VOIPWAKE_A_APP_WAKE_KEEPALIVE, ka);
	return nlh;
}

/* CTRL_CMD_NEWFAMILY for "voipwake", the answer to GETFAMILY. */
struct nlmsghdr *nlb_family(void *buf)
{
	return nlb_genl(buf, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, TEST_SEQ,
			TEST_PORTID);
}

/* What nlctrl sends, nested operation and group lists included. */
struct nlmsghdr *nlb_family_reply(void *buf)
{
	struct nlmsghdr *nlh = nlb_family(buf);
	struct nlattr *ops, *op;

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, VOIPWAKE_GENL_NAME);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x1d);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, 1);
	mnl_attr_put_u32(nlh, CTRL_ATTR_HDRSIZE, 0);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MAXATTR, 6);
	ops = mnl_attr_nest_start(nlh, CTRL_ATTR_OPS);
	op = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_u32(nlh, CTRL_ATTR_OP_ID, VOIPWAKE_CMD_INFO_GET);
	mnl_attr_put_u32(nlh, CTRL_ATTR_OP_FLAGS, 0);
	mnl_attr_nest_end(nlh, op);
	mnl_attr_nest_end(nlh, ops);
	return nlh;
}

/* One CTRL_ATTR_MCAST_GROUPS entry; a NULL name or id 0 leaves it out. */
void nlb_family_group(struct nlmsghdr *nlh, uint16_t idx, const char *name,
		      uint32_t id)
{
	struct nlattr *grp = mnl_attr_nest_start(nlh, idx);

	if (id)
		mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, id);
	if (name)
		mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, name);
	mnl_attr_nest_end(nlh, grp);
}

/* The family with two multicast groups, "admin" the second. */
struct nlmsghdr *nlb_family_groups_reply(void *buf)
{
	struct nlmsghdr *nlh = nlb_family_reply(buf);
	struct nlattr *grps;

	grps = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	nlb_family_group(nlh, 1, "events", 0x20);
	nlb_family_group(nlh, 2, VOIPWAKE_MCGRP_ADMIN, 0x21);
	mnl_attr_nest_end(nlh, grps);
	return nlh;
}

/*
 * NLMSG_DONE as netlink_dump_done() writes it: the dump's error code, then
 * with NLM_F_ACK_TLVS the extended ack text.
 */
struct nlmsghdr *nlb_done(void *buf, int error, const char *msg)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	int *err;

	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = TEST_SEQ;
	nlh->nlmsg_pid = TEST_PORTID;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err));
	*err = error;
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	}
	return nlh;
}

/* The reply kernel/netlink.c sends, with fixed test values. */
struct nlmsghdr *nlb_info_reply(void *buf)
{
	struct nlmsghdr *nlh = nlb_genl(buf, TEST_FAMILY,
					VOIPWAKE_CMD_INFO_GET, TEST_SEQ,
					TEST_PORTID);

	mnl_attr_put_strz(nlh, VOIPWAKE_A_INFO_VERSION, "0.1.0");
	mnl_attr_put_u32(nlh, VOIPWAKE_A_INFO_API_VERSION, 1);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_INFO_FEATURES, 0x5);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_INFO_WAKE_WINDOW_MS, 2000);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_INFO_WAKE_WINDOW_MAX_MS, 30000);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_INFO_MAX_SOCKS_PER_APP, 8);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_INFO_MIN_KEEPALIVE_S, 600);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_INFO_MAX_KEEPALIVE_S, 3600);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_INFO_KEEPALIVE_TOLERANCE_PCT, 10);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_INFO_KEEPALIVE_BUDGET_MS, 10000);
	return nlh;
}

/*
 * An NLMSG_ERROR as netlink_ack() writes it: capped (only the request
 * header echoed) when @req is NULL, else echoing the whole of @req. @msg,
 * if any, goes in NLMSGERR_ATTR_MSG between two other ack attributes.
 */
struct nlmsghdr *nlb_error(void *buf, int error, const char *msg,
			   const struct nlmsghdr *req)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	size_t echo = req ? req->nlmsg_len : sizeof(struct nlmsghdr);
	struct nlmsgerr *err;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = TEST_SEQ;
	nlh->nlmsg_pid = TEST_PORTID;
	nlh->nlmsg_flags = req ? 0 : NLM_F_CAPPED;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(err->error) + echo);
	err->error = error;
	if (req)
		memcpy(&err->msg, req, req->nlmsg_len);
	else
		err->msg = (struct nlmsghdr){ .nlmsg_len = 20,
					      .nlmsg_seq = TEST_SEQ };
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_TYPE, 3);
	}
	return nlh;
}

struct nlmsghdr *nlb_ack(void *buf)
{
	return nlb_error(buf, 0, NULL, NULL);
}

/*
 * Copies @len bytes into a heap block of exactly that size, so that
 * valgrind flags any read past the end of what the codec was given.
 */
void *nlb_dup(const void *src, size_t len)
{
	void *p = malloc(len ? len : 1);

	if (p)
		memcpy(p, src, len);
	return p;
}

struct nlattr *nlb_last_attr(struct nlmsghdr *nlh)
{
	struct nlattr *attr, *last = NULL;

	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr))
		last = attr;
	return last;
}

/* Whether bytes @from to @to of @p all are @byte: what was not written. */
bool nlb_bytes_are(const void *p, size_t from, size_t to, unsigned char byte)
{
	const unsigned char *b = p;

	for (; from < to; from++)
		if (b[from] != byte)
			return false;
	return true;
}

/* Appends @nlh, padded; a test that overflows the datagram is broken. */
void nlb_dg_add(struct nlb_dgram *d, const struct nlmsghdr *nlh)
{
	size_t len = MNL_ALIGN(nlh->nlmsg_len);

	if (d->len + len > sizeof(d->buf))
		abort();
	memcpy(d->buf.bytes + d->len, nlh, len);
	d->len += len;
}

/*
 * Feeds an exact-size heap copy of @d, so valgrind sees any read past its
 * end, and keeps x->why readable after the copy is gone.
 */
int nlb_feed(struct vw_xfer *x, struct nlb_dgram *d)
{
	void *copy = nlb_dup(d->buf.bytes, d->len);
	int ret;

	if (!copy)
		abort();
	ret = vw_xfer_feed(x, copy, d->len);
	if (x->why) {
		snprintf(d->why, sizeof(d->why), "%s", x->why);
		x->why = d->why;
	}
	free(copy);
	return ret;
}
