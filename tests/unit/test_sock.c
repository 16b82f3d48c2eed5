// SPDX-License-Identifier: GPL-2.0
/*
 * Marked sockets: SOCK_MARK / SOCK_UNMARK / SOCK_GET request layouts, the
 * SOCK_* attribute set in replies (PAD attributes, u64 fields, wrong sizes,
 * unknown attributes), and the SOCK_GET dump (NLMSG_DONE, NLM_F_DUMP_INTR).
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "codec.h"
#include "nlbuild.h"

#define ALL_SOCK_BITS	(VW_SOCK_HAS_INO | VW_SOCK_HAS_CGROUP_ID | \
			 VW_SOCK_HAS_FAMILY | VW_SOCK_HAS_PROTOCOL | \
			 VW_SOCK_HAS_UID | VW_SOCK_HAS_WAKE_ON | \
			 VW_SOCK_HAS_WAKES)

/* Parses a SOCK_MARK reply from an exact-size heap copy. */
static int parse(const struct nlmsghdr *nlh, struct vw_sock_info *si,
		 char *why, size_t whylen)
{
	void *copy = nlb_dup(nlh, nlh->nlmsg_len);
	const char *w = NULL;
	int ret;

	assert_non_null(copy);
	ret = vw_parse_sock_mark(copy, si, &w);
	snprintf(why, whylen, "%s", w ? w : "(null)");
	free(copy);
	return ret;
}

static struct nlmsghdr *mark_reply(void *buf)
{
	return nlb_genl(buf, TEST_FAMILY, VOIPWAKE_CMD_SOCK_MARK, TEST_SEQ,
			TEST_PORTID);
}

/* The header every voipwake request starts with. */
static void check_header(const struct nlmsghdr *nlh, uint8_t cmd,
			 uint16_t flags, uint32_t seq)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	assert_int_equal(nlh->nlmsg_type, TEST_FAMILY);
	assert_int_equal(nlh->nlmsg_flags, flags);
	assert_int_equal(nlh->nlmsg_seq, seq);
	assert_int_equal(nlh->nlmsg_pid, 0);
	assert_int_equal(genl->cmd, cmd);
	assert_int_equal(genl->version, VOIPWAKE_GENL_VERSION);
	assert_int_equal(genl->reserved, 0);
}

/* Checks that attribute number @idx is a u32 of @type holding @value. */
static void check_u32(const struct nlmsghdr *nlh, unsigned int idx,
		      uint16_t type, uint32_t value)
{
	const struct nlattr *attr;
	unsigned int i = 0;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (i++ != idx)
			continue;
		assert_int_equal(mnl_attr_get_type(attr), type);
		assert_int_equal(mnl_attr_get_payload_len(attr), 4);
		assert_int_equal(mnl_attr_get_u32(attr), value);
		return;
	}
	fail_msg("attribute %u missing", idx);
}

static void test_mark_layout(void **state)
{
	const uint32_t wake_on = VW_WAKE_ON(VOIPWAKE_WAKE_DATA) |
				 VW_WAKE_ON(VOIPWAKE_WAKE_ERROR);
	union test_buf buf;

	(void)state;
	memset(&buf, 0xa5, sizeof(buf));
	assert_int_equal(vw_build_sock_mark(&buf, sizeof(buf), TEST_FAMILY,
					    31, 7, wake_on), 0);
	check_header(&buf.nlh, VOIPWAKE_CMD_SOCK_MARK,
		     NLM_F_REQUEST | NLM_F_ACK, 31);
	assert_int_equal(buf.nlh.nlmsg_len,
			 NLMSG_HDRLEN + GENL_HDRLEN + 2 * NLA_HDRLEN + 8);
	check_u32(&buf.nlh, 0, VOIPWAKE_A_SOCK_FD, 7);
	check_u32(&buf.nlh, 1, VOIPWAKE_A_SOCK_WAKE_ON, 0xa);
}

/* wake_on 0: the module's default, so the attribute stays out. */
static void test_mark_default_wake_on(void **state)
{
	union test_buf buf;

	(void)state;
	assert_int_equal(vw_build_sock_mark(&buf, sizeof(buf), TEST_FAMILY,
					    1, 0, 0), 0);
	assert_int_equal(buf.nlh.nlmsg_len,
			 NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN + 4);
	check_u32(&buf.nlh, 0, VOIPWAKE_A_SOCK_FD, 0);
}

static void test_unmark_layout(void **state)
{
	union test_buf buf;

	(void)state;
	memset(&buf, 0xa5, sizeof(buf));
	assert_int_equal(vw_build_sock_unmark(&buf, sizeof(buf), TEST_FAMILY,
					      9, 1023), 0);
	check_header(&buf.nlh, VOIPWAKE_CMD_SOCK_UNMARK,
		     NLM_F_REQUEST | NLM_F_ACK, 9);
	assert_int_equal(buf.nlh.nlmsg_len,
			 NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN + 4);
	check_u32(&buf.nlh, 0, VOIPWAKE_A_SOCK_FD, 1023);
}

static void test_dump_layout(void **state)
{
	union test_buf buf;

	(void)state;
	memset(&buf, 0xa5, sizeof(buf));
	assert_int_equal(vw_build_sock_dump(&buf, sizeof(buf), TEST_FAMILY,
					    5), 0);
	check_header(&buf.nlh, VOIPWAKE_CMD_SOCK_GET,
		     NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP, 5);
	assert_int_equal(buf.nlh.nlmsg_len, NLMSG_HDRLEN + GENL_HDRLEN);
}

static void test_requests_too_small(void **state)
{
	const size_t hdr = NLMSG_HDRLEN + GENL_HDRLEN;
	union test_buf buf;

	(void)state;
	assert_int_equal(vw_build_sock_mark(&buf, hdr + 15, TEST_FAMILY, 1,
					    3, 2), -EMSGSIZE);
	assert_int_equal(vw_build_sock_mark(&buf, hdr + 16, TEST_FAMILY, 1,
					    3, 2), 0);
	assert_int_equal(vw_build_sock_unmark(&buf, hdr + 7, TEST_FAMILY, 1,
					      3), -EMSGSIZE);
	assert_int_equal(vw_build_sock_unmark(&buf, hdr + 8, TEST_FAMILY, 1,
					      3), 0);
	assert_int_equal(vw_build_sock_dump(&buf, hdr - 1, TEST_FAMILY, 1),
			 -EMSGSIZE);
	assert_int_equal(vw_build_sock_dump(&buf, hdr, TEST_FAMILY, 1), 0);
}

static unsigned int count_attrs(const struct nlmsghdr *nlh, uint16_t type)
{
	const struct nlattr *attr;
	unsigned int n = 0;

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		n += mnl_attr_get_type(attr) == type;
	return n;
}

static void check_full_sock(const struct vw_sock_info *si)
{
	assert_int_equal(si->size, sizeof(*si));
	assert_int_equal(si->present, ALL_SOCK_BITS);
	assert_true(si->ino == TEST_INO);
	assert_true(si->cgroup_id == TEST_CGROUP_ID);
	assert_int_equal(si->family, AF_INET6);
	assert_int_equal(si->protocol, IPPROTO_TCP);
	assert_int_equal(si->uid, TEST_UID);
	assert_int_equal(si->wake_on, 0x6);
	assert_true(si->wakes == TEST_WAKES);
}

static void test_mark_reply(void **state)
{
	struct vw_sock_info si;
	union test_buf buf;
	struct nlmsghdr *nlh;
	char why[128];

	(void)state;
	memset(&si, 0xff, sizeof(si));
	nlh = nlb_sock_reply(&buf, VOIPWAKE_CMD_SOCK_MARK, TEST_SEQ);
	/* The layout really exercises PAD: u64s land 8-byte aligned. */
	assert_true(count_attrs(nlh, VOIPWAKE_A_SOCK_PAD) >= 1);
	assert_int_equal(parse(nlh, &si, why, sizeof(why)), 0);
	check_full_sock(&si);
}

/* Without PAD, u64 payloads sit at 4 mod 8: they must still read right. */
static void test_u64_unaligned(void **state)
{
	struct vw_sock_info si;
	union test_buf buf;
	struct nlmsghdr *nlh;
	const struct nlattr *attr;
	char why[128];

	(void)state;
	/* Empty unknown attributes shift the u64s by 4 bytes. */
	nlh = mark_reply(&buf);
	mnl_attr_put(nlh, VOIPWAKE_A_SOCK_MAX + 1, 0, NULL);
	mnl_attr_put_u64(nlh, VOIPWAKE_A_SOCK_INO, TEST_INO);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_SOCK_UID, 0);
	mnl_attr_put(nlh, VOIPWAKE_A_SOCK_MAX + 1, 0, NULL);
	mnl_attr_put_u64(nlh, VOIPWAKE_A_SOCK_WAKES, UINT64_MAX);
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		if (mnl_attr_get_payload_len(attr) == 8)
			assert_int_equal(((const char *)
					  mnl_attr_get_payload(attr) -
					  (const char *)nlh) % 8, 4);
	assert_int_equal(parse(nlh, &si, why, sizeof(why)), 0);
	assert_true(si.ino == TEST_INO);
	assert_true(si.wakes == UINT64_MAX);
	assert_int_equal(si.uid, 0);
	assert_int_equal(si.present,
			 VW_SOCK_HAS_INO | VW_SOCK_HAS_UID | VW_SOCK_HAS_WAKES);
}

static void test_only_ino(void **state)
{
	struct vw_sock_info si;
	union test_buf buf;
	struct nlmsghdr *nlh;
	char why[128];

	(void)state;
	memset(&si, 0xff, sizeof(si));
	nlh = mark_reply(&buf);
	nlb_put_u64_pad(nlh, VOIPWAKE_A_SOCK_INO, 42, VOIPWAKE_A_SOCK_PAD);
	assert_int_equal(parse(nlh, &si, why, sizeof(why)), 0);
	assert_int_equal(si.present, VW_SOCK_HAS_INO);
	assert_true(si.ino == 42);
	assert_true(si.cgroup_id == 0);
	assert_int_equal(si.family, 0);
	assert_true(si.wakes == 0);
}

static void test_missing_ino(void **state)
{
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct vw_sock_info si;
	char why[128];

	(void)state;
	nlh = mark_reply(&buf);
	nlb_put_u64_pad(nlh, VOIPWAKE_A_SOCK_CGROUP_ID, TEST_CGROUP_ID,
			VOIPWAKE_A_SOCK_PAD);
	assert_int_equal(parse(nlh, &si, why, sizeof(why)), -EPROTO);
	assert_non_null(strstr(why, "VOIPWAKE_A_SOCK_INO"));
}

/* Each known attribute with a payload of the wrong size. */
static void test_wrong_sizes(void **state)
{
	static const struct {
		uint16_t type;
		size_t len;
		const char *name;
	} cases[] = {
		{ VOIPWAKE_A_SOCK_INO, 4, "VOIPWAKE_A_SOCK_INO" },
		{ VOIPWAKE_A_SOCK_CGROUP_ID, 4, "VOIPWAKE_A_SOCK_CGROUP_ID" },
		{ VOIPWAKE_A_SOCK_CGROUP_ID, 16, "VOIPWAKE_A_SOCK_CGROUP_ID" },
		{ VOIPWAKE_A_SOCK_WAKES, 0, "VOIPWAKE_A_SOCK_WAKES" },
		{ VOIPWAKE_A_SOCK_FAMILY, 8, "VOIPWAKE_A_SOCK_FAMILY" },
		{ VOIPWAKE_A_SOCK_PROTOCOL, 1, "VOIPWAKE_A_SOCK_PROTOCOL" },
		{ VOIPWAKE_A_SOCK_UID, 2, "VOIPWAKE_A_SOCK_UID" },
		{ VOIPWAKE_A_SOCK_WAKE_ON, 3, "VOIPWAKE_A_SOCK_WAKE_ON" },
	};
	static const char zeros[16];
	struct vw_sock_info si;
	union test_buf buf;
	struct nlmsghdr *nlh;
	char why[128];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		nlh = nlb_sock_reply(&buf, VOIPWAKE_CMD_SOCK_MARK, TEST_SEQ);
		mnl_attr_put(nlh, cases[i].type, cases[i].len, zeros);
		assert_int_equal(parse(nlh, &si, why, sizeof(why)), -EBADMSG);
		assert_non_null(strstr(why, cases[i].name));
	}
}

/*
 * Attributes this library does not interpret: from a newer module, the
 * request-only SOCK_FD, and PADs of any size.
 */
static void test_unknown_attributes_ignored(void **state)
{
	static const char junk[12] = "0123456789a";
	struct vw_sock_info si;
	union test_buf buf;
	struct nlmsghdr *nlh;
	char why[128];

	(void)state;
	nlh = mark_reply(&buf);
	mnl_attr_put(nlh, VOIPWAKE_A_SOCK_MAX + 1, sizeof(junk), junk);
	mnl_attr_put_u8(nlh, VOIPWAKE_A_SOCK_FD, 1);
	mnl_attr_put(nlh, VOIPWAKE_A_SOCK_PAD, 3, junk);
	nlb_sock_attrs(nlh);
	mnl_attr_put_u64(nlh, 0x3fff, 5);
	mnl_attr_put_strz(nlh, VOIPWAKE_A_SOCK_MAX + 9, "future");
	assert_int_equal(parse(nlh, &si, why, sizeof(why)), 0);
	check_full_sock(&si);
}

static void test_truncated(void **state)
{
	static const uint16_t lens[] = { 0, 3, 5, 13, 4000 };
	struct vw_sock_info si;
	union test_buf buf;
	struct nlmsghdr *nlh;
	char why[128];
	size_t i;

	(void)state;
	/* The message ends inside the last attribute (WAKES, a u64). */
	nlh = nlb_sock_reply(&buf, VOIPWAKE_CMD_SOCK_MARK, TEST_SEQ);
	nlh->nlmsg_len -= 4;
	assert_int_equal(parse(nlh, &si, why, sizeof(why)), -EBADMSG);

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		nlh = nlb_sock_reply(&buf, VOIPWAKE_CMD_SOCK_MARK, TEST_SEQ);
		nlb_last_attr(nlh)->nla_len = lens[i];
		assert_int_equal(parse(nlh, &si, why, sizeof(why)), -EBADMSG);
	}
}

static void test_wrong_command(void **state)
{
	struct vw_sock_info si;
	union test_buf buf;
	char why[128];

	(void)state;
	assert_int_equal(parse(nlb_sock_reply(&buf, VOIPWAKE_CMD_SOCK_GET,
					      TEST_SEQ),
			       &si, why, sizeof(why)), -EPROTO);
}

static void test_copy_out_sizes(void **state)
{
	struct vw_sock_info src = { .size = sizeof(src), .ino = 5,
				    .wakes = 9, .present = 1 };
	union {
		struct vw_sock_info si;
		char bytes[sizeof(struct vw_sock_info) + 8];
	} dst;

	(void)state;
	assert_int_equal(sizeof(struct vw_sock_info), VW_SOCK_INFO_SIZE_VER0);

	memset(&dst, 0x5a, sizeof(dst));
	dst.si.size = VW_SOCK_INFO_SIZE_VER0 - 1;
	assert_int_equal(vw_copy_out(&dst.si, &src, sizeof(src),
				     VW_SOCK_INFO_SIZE_VER0), -EINVAL);
	assert_int_equal(dst.si.present, 0x5a5a5a5a);

	dst.si.size = sizeof(dst);
	assert_int_equal(vw_copy_out(&dst.si, &src, sizeof(src),
				     VW_SOCK_INFO_SIZE_VER0), 0);
	assert_int_equal(dst.si.size, sizeof(dst));
	assert_true(dst.si.wakes == 9);
	assert_int_equal(dst.bytes[sizeof(src)], 0);
	assert_int_equal(dst.bytes[sizeof(dst) - 1], 0);
}

/* A SOCK_GET dump exchange collecting into @vec. */
static void dump_init(struct vw_xfer *x, struct vw_vec *vec)
{
	struct nlmsghdr req = {
		.nlmsg_seq = TEST_SEQ,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP,
	};

	*vec = (struct vw_vec){ .item_size = sizeof(struct vw_sock_info) };
	vw_xfer_init(x, &req, TEST_PORTID, TEST_FAMILY, vw_parse_sock_dump,
		     vec);
	assert_true(x->dump);
}

static struct nlmsghdr *dump_msg(void *buf, uint64_t ino)
{
	struct nlmsghdr *nlh = nlb_genl(buf, TEST_FAMILY,
					VOIPWAKE_CMD_SOCK_GET, TEST_SEQ,
					TEST_PORTID);

	nlh->nlmsg_flags = NLM_F_MULTI;
	nlb_put_u64_pad(nlh, VOIPWAKE_A_SOCK_INO, ino, VOIPWAKE_A_SOCK_PAD);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_SOCK_UID, (uint32_t)ino);
	return nlh;
}

static void test_dump(void **state)
{
	struct nlb_dgram d1 = { .len = 0 }, d2 = { .len = 0 };
	const struct vw_sock_info *si;
	union test_buf buf;
	struct vw_vec vec;
	struct vw_xfer x;

	(void)state;
	dump_init(&x, &vec);
	nlb_dg_add(&d1, dump_msg(&buf, 100));
	nlb_dg_add(&d1, dump_msg(&buf, 101));
	nlb_dg_add(&d2, dump_msg(&buf, 102));
	nlb_dg_add(&d2, nlb_done(&buf, 0, NULL));
	assert_int_equal(nlb_feed(&x, &d1), 0);
	assert_int_equal(nlb_feed(&x, &d2), 1);
	assert_int_equal(x.error, 0);
	assert_false(x.intr);
	assert_int_equal(x.replies, 3);
	assert_int_equal(vec.n, 3);
	si = vec.items;
	assert_true(si[0].ino == 100);
	assert_true(si[2].ino == 102);
	assert_int_equal(si[2].uid, 102);
	assert_int_equal(si[1].present, VW_SOCK_HAS_INO | VW_SOCK_HAS_UID);
	vw_vec_free(&vec);
}

/* Enough entries to make the collector grow several times. */
static void test_dump_many(void **state)
{
	struct nlb_dgram d = { .len = 0 };
	const struct vw_sock_info *si;
	union test_buf buf;
	struct vw_vec vec;
	struct vw_xfer x;
	unsigned int i;

	(void)state;
	dump_init(&x, &vec);
	for (i = 0; i < 100; i++) {
		d.len = 0;
		nlb_dg_add(&d, dump_msg(&buf, i));
		assert_int_equal(nlb_feed(&x, &d), 0);
	}
	d.len = 0;
	nlb_dg_add(&d, nlb_done(&buf, 0, NULL));
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, 0);
	assert_int_equal(vec.n, 100);
	si = vec.items;
	for (i = 0; i < 100; i++)
		assert_true(si[i].ino == i);
	vw_vec_free(&vec);
}

static void test_dump_empty(void **state)
{
	struct nlb_dgram d = { .len = 0 };
	union test_buf buf;
	struct vw_vec vec;
	struct vw_xfer x;

	(void)state;
	dump_init(&x, &vec);
	nlb_dg_add(&d, nlb_done(&buf, 0, NULL));
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, 0);
	assert_int_equal(vec.n, 0);
	vw_vec_free(&vec);
}

/* The flag on any message makes the whole dump unusable. */
static void test_dump_intr(void **state)
{
	struct nlb_dgram d = { .len = 0 };
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct vw_vec vec;
	struct vw_xfer x;

	(void)state;
	dump_init(&x, &vec);
	nlb_dg_add(&d, dump_msg(&buf, 1));
	nlh = dump_msg(&buf, 2);
	nlh->nlmsg_flags |= NLM_F_DUMP_INTR;
	nlb_dg_add(&d, nlh);
	assert_int_equal(nlb_feed(&x, &d), 0);
	assert_true(x.intr);
	/* ...but it is read to its end, so nothing is left behind. */
	d.len = 0;
	nlb_dg_add(&d, dump_msg(&buf, 3));
	nlb_dg_add(&d, nlb_done(&buf, 0, NULL));
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, 0);
	assert_true(x.intr);
	vw_vec_free(&vec);

	/* Flagged on NLMSG_DONE alone. */
	dump_init(&x, &vec);
	d.len = 0;
	nlb_dg_add(&d, dump_msg(&buf, 1));
	nlh = nlb_done(&buf, 0, NULL);
	nlh->nlmsg_flags |= NLM_F_DUMP_INTR;
	nlb_dg_add(&d, nlh);
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, 0);
	assert_true(x.intr);
	vw_vec_free(&vec);
}

static void test_dump_done_error(void **state)
{
	struct nlb_dgram d = { .len = 0 };
	union test_buf buf;
	struct vw_vec vec;
	struct vw_xfer x;

	(void)state;
	dump_init(&x, &vec);
	nlb_dg_add(&d, dump_msg(&buf, 1));
	nlb_dg_add(&d, nlb_done(&buf, -EMSGSIZE, "entry too big"));
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, -EMSGSIZE);
	assert_true(x.kernel_error);
	assert_string_equal(x.why, "entry too big");
	vw_vec_free(&vec);

	/* No text: the errno alone. */
	dump_init(&x, &vec);
	d.len = 0;
	nlb_dg_add(&d, nlb_done(&buf, -EPERM, NULL));
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, -EPERM);
	assert_null(x.why);
	vw_vec_free(&vec);
}

static void test_dump_done_malformed(void **state)
{
	struct nlb_dgram d = { .len = 0 };
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct vw_vec vec;
	struct vw_xfer x;

	(void)state;
	dump_init(&x, &vec);
	nlh = nlb_done(&buf, 0, NULL);
	nlh->nlmsg_len = NLMSG_HDRLEN + 2;
	nlb_dg_add(&d, nlh);
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, -EBADMSG);
	assert_false(x.kernel_error);

	dump_init(&x, &vec);
	d.len = 0;
	nlb_dg_add(&d, nlb_done(&buf, 5, NULL));
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, -EPROTO);
	vw_vec_free(&vec);
}

/* Refused before it started: an NLMSG_ERROR, not NLMSG_DONE. */
static void test_dump_refused(void **state)
{
	struct nlb_dgram d = { .len = 0 };
	union test_buf buf;
	struct vw_vec vec;
	struct vw_xfer x;

	(void)state;
	dump_init(&x, &vec);
	nlb_dg_add(&d, nlb_error(&buf, -EINVAL, "no attributes allowed",
				 NULL));
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, -EINVAL);
	assert_string_equal(x.why, "no attributes allowed");

	/* A plain ack does not end a dump. */
	dump_init(&x, &vec);
	d.len = 0;
	nlb_dg_add(&d, nlb_ack(&buf));
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, -EPROTO);
	vw_vec_free(&vec);
}

static void test_dump_bad_entry(void **state)
{
	struct nlb_dgram d = { .len = 0 };
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct vw_vec vec;
	struct vw_xfer x;

	(void)state;
	dump_init(&x, &vec);
	nlb_dg_add(&d, dump_msg(&buf, 1));
	nlh = dump_msg(&buf, 2);
	mnl_attr_put_u16(nlh, VOIPWAKE_A_SOCK_FAMILY, AF_INET);
	nlb_dg_add(&d, nlh);
	nlb_dg_add(&d, nlb_done(&buf, 0, NULL));
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, -EBADMSG);
	assert_non_null(strstr(x.why, "VOIPWAKE_A_SOCK_FAMILY"));
	vw_vec_free(&vec);

	/* A dump entry of the wrong command. */
	dump_init(&x, &vec);
	d.len = 0;
	nlb_dg_add(&d, nlb_sock_reply(&buf, VOIPWAKE_CMD_SOCK_MARK,
				      TEST_SEQ));
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, -EPROTO);
	vw_vec_free(&vec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mark_layout),
		cmocka_unit_test(test_mark_default_wake_on),
		cmocka_unit_test(test_unmark_layout),
		cmocka_unit_test(test_dump_layout),
		cmocka_unit_test(test_requests_too_small),
		cmocka_unit_test(test_mark_reply),
		cmocka_unit_test(test_u64_unaligned),
		cmocka_unit_test(test_only_ino),
		cmocka_unit_test(test_missing_ino),
		cmocka_unit_test(test_wrong_sizes),
		cmocka_unit_test(test_unknown_attributes_ignored),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_wrong_command),
		cmocka_unit_test(test_copy_out_sizes),
		cmocka_unit_test(test_dump),
		cmocka_unit_test(test_dump_many),
		cmocka_unit_test(test_dump_empty),
		cmocka_unit_test(test_dump_intr),
		cmocka_unit_test(test_dump_done_error),
		cmocka_unit_test(test_dump_done_malformed),
		cmocka_unit_test(test_dump_refused),
		cmocka_unit_test(test_dump_bad_entry),
	};

	return cmocka_run_group_tests_name("codec_sock", tests, NULL, NULL);
}
