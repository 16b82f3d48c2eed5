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

/* A datagram under construction: messages back to back, aligned. */
struct nlb_dgram {
	union test_buf buf;
	size_t len;
	char why[128];		/* x->why, copied out before the bytes go */
};

struct vw_xfer;

void nlb_dg_add(struct nlb_dgram *d, const struct nlmsghdr *nlh);
int nlb_feed(struct vw_xfer *x, struct nlb_dgram *d);

/* Values the fake socket and app replies carry. */
#define TEST_INO	0x1122334455667788ULL
#define TEST_CGROUP_ID	0x0000000100000abcULL
#define TEST_UID	1000
#define TEST_WAKES	0x100000003ULL
#define TEST_KA_EARLIEST 0x0000123400000001ULL
#define TEST_KA_LATEST	0x0000123500000002ULL

struct nlmsghdr *nlb_genl(void *buf, uint16_t type, uint8_t cmd,
			  uint32_t seq, uint32_t portid);
struct nlmsghdr *nlb_ntf(void *buf, uint8_t cmd);
void nlb_put_u64_pad(struct nlmsghdr *nlh, uint16_t type, uint64_t value,
		     uint16_t padtype);
void nlb_sock_attrs(struct nlmsghdr *nlh);
void nlb_app_attrs(struct nlmsghdr *nlh);
struct nlmsghdr *nlb_sock_reply(void *buf, uint8_t cmd, uint32_t seq);
struct nlmsghdr *nlb_app_reply(void *buf, uint8_t cmd, uint32_t seq);
struct nlmsghdr *nlb_woken(void *buf, uint32_t reason, uint8_t ka);
struct nlmsghdr *nlb_family(void *buf);
struct nlmsghdr *nlb_family_reply(void *buf);
void nlb_family_group(struct nlmsghdr *nlh, uint16_t idx, const char *name,
		      uint32_t id);
struct nlmsghdr *nlb_family_groups_reply(void *buf);
struct nlmsghdr *nlb_done(void *buf, int error, const char *msg);
struct nlmsghdr *nlb_info_reply(void *buf);
struct nlmsghdr *nlb_error(void *buf, int error, const char *msg,
			   const struct nlmsghdr *req);
struct nlmsghdr *nlb_ack(void *buf);
void *nlb_dup(const void *src, size_t len);
struct nlattr *nlb_last_attr(struct nlmsghdr *nlh);
bool nlb_bytes_are(const void *p, size_t from, size_t to, unsigned char byte);

#endif /* VW_TEST_NLBUILD_H */
