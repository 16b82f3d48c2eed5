/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hand-built netlink messages for the codec tests: what the kernel would
 * send, and deliberately broken variants of it.
 */
#ifndef VW_TEST_NLBUILD_H
#define VW_TEST_NLBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

/* Port id and sequence the fake replies are addressed to. */
#define TEST_PORTID	4242
#define TEST_SEQ	77
#define TEST_FAMILY	0x1d

/* A 4-byte aligned scratch buffer. */
union test_buf {
	struct nlmsghdr nlh;
	char bytes[4096];
};

struct nlmsghdr *nlb_genl(void *buf, uint16_t type, uint8_t cmd,
			  uint32_t seq, uint32_t portid);
struct nlmsghdr *nlb_info_reply(void *buf);
struct nlmsghdr *nlb_error(void *buf, int error, const char *msg,
			   const struct nlmsghdr *req);
struct nlmsghdr *nlb_ack(void *buf);
void *nlb_dup(const void *src, size_t len);
struct nlattr *nlb_last_attr(struct nlmsghdr *nlh);

#endif /* VW_TEST_NLBUILD_H */
