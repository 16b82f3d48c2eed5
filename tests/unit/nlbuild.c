// SPDX-License-Identifier: GPL-2.0
/*
 * Builders for fake kernel replies, written with libmnl the way the kernel
 * lays messages out: 4-byte aligned, attributes padded.
 */

#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/voipwake.h>

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
