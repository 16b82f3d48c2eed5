/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Netlink message codec: pure functions that build requests into caller
 * buffers and parse replies out of them. Nothing here touches a socket,
 * which is what lets tests/unit feed it hand-made replies.
 *
 * Buffers must be 4-byte aligned (netlink alignment). A parser handed a
 * struct nlmsghdr may read nlmsg_len bytes from it: vw_xfer_feed() checks
 * that before calling one. Parsers check every other length before reading
 * and report problems as -EBADMSG (the bytes do not form valid messages or
 * attributes) or -EPROTO (well-formed, but not what the protocol allows
 * here); *why then names the problem in a static string.
 *
 * Attribute rules for every reply: unknown attribute types are skipped so
 * the module can grow new ones; a known attribute with the wrong payload
 * size is an error; if an attribute appears twice, the last one wins.
 */
#ifndef VW_CODEC_H
#define VW_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "voipwake.h"

/* How one known attribute type must look. */
struct vw_attr_rule {
	enum mnl_attr_data_type type;
	const char *why;	/* reported when the attribute breaks the rule */
};

int vw_attrs_check(const void *buf, size_t len);
int vw_attrs_parse(const void *buf, size_t len,
		   const struct vw_attr_rule *rules, unsigned int max,
		   const struct nlattr **tb, const char **why);

struct nlmsghdr *vw_genl_put(void *buf, size_t len, uint16_t type,
			     uint8_t cmd, uint8_t version, uint32_t seq);
int vw_genl_attrs(const struct nlmsghdr *nlh, uint8_t cmd,
		  const void **attrs, size_t *len, const char **why);

/* GETFAMILY request and reply; @name is set by the caller. */
struct vw_family {
	const char *name;
	uint16_t id;
	uint32_t version;
};

int vw_build_getfamily(void *buf, size_t len, uint32_t seq, const char *name);
int vw_parse_getfamily(const struct nlmsghdr *nlh, void *family,
		       const char **why);

int vw_build_info_get(void *buf, size_t len, uint16_t family, uint32_t seq);
int vw_parse_info(const struct nlmsghdr *nlh, void *info, const char **why);
int vw_info_copy_out(struct vw_info *dst, const struct vw_info *src);

/* Parses one reply message of the expected type into @data. */
typedef int (*vw_parse_fn)(const struct nlmsghdr *nlh, void *data,
			   const char **why);

/*
 * One request/acknowledge exchange, fed with every datagram received until
 * vw_xfer_feed() says it is finished.
 */
struct vw_xfer {
	/* set by vw_xfer_init() */
	uint32_t seq;		/* nlmsg_seq of the request */
	uint32_t portid;	/* our netlink port id */
	uint16_t type;		/* nlmsg_type of the expected reply */
	vw_parse_fn parse;	/* NULL if only an ack is expected */
	void *data;		/* passed to @parse */
	/* results */
	unsigned int replies;	/* reply messages parsed */
	int error;		/* 0 or negative errno once finished */
	const char *why;	/* may point into the fed buffer: copy it */
	bool kernel_error;	/* @error came from the kernel's NLMSG_ERROR */
};

int vw_parse_error(const struct nlmsghdr *nlh, int *error, const char **msg);
void vw_xfer_init(struct vw_xfer *x, const struct nlmsghdr *req,
		  uint32_t portid, uint16_t type, vw_parse_fn parse,
		  void *data);
int vw_xfer_feed(struct vw_xfer *x, const void *buf, size_t len);

#endif /* VW_CODEC_H */
