// SPDX-License-Identifier: GPL-2.0
/*
 * VOIPWAKE_CMD_INFO_GET: request layout, reply parsing, and the size-aware
 * copy into the caller's struct vw_info.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/genetlink.h>

#include "codec.h"
#include "nlbuild.h"

#define OLD_INFO_BITS	(VW_INFO_HAS_VERSION | VW_INFO_HAS_API_VERSION | \
			 VW_INFO_HAS_FEATURES | VW_INFO_HAS_WAKE_WINDOW_MS | \
			 VW_INFO_HAS_WAKE_WINDOW_MAX_MS | \
			 VW_INFO_HAS_MAX_SOCKS_PER_APP)
#define ALL_INFO_BITS	(OLD_INFO_BITS | VW_INFO_HAS_MIN_KEEPALIVE_S | \
			 VW_INFO_HAS_MAX_KEEPALIVE_S | \
			 VW_INFO_HAS_KEEPALIVE_TOLERANCE_PCT | \
			 VW_INFO_HAS_KEEPALIVE_BUDGET_MS)

/* Parses @nlh from an exact-size heap copy. */
static int parse(const struct nlmsghdr *nlh, struct vw_info *info,
		 const char **why)
{
	void *copy = nlb_dup(nlh, nlh->nlmsg_len);
	int ret;

	assert_non_null(copy);
	*why = NULL;
	ret = vw_parse_info(copy, info, why);
	free(copy);
	return ret;
}

static void test_request_layout(void **state)
{
	union test_buf buf;
	const struct genlmsghdr *genl;
	struct nlmsghdr *nlh = &buf.nlh;

	(void)state;
	memset(&buf, 0xa5, sizeof(buf));
	assert_int_equal(vw_build_info_get(&buf, sizeof(buf), TEST_FAMILY,
					   1234), 0);
	genl = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(nlh->nlmsg_len, NLMSG_HDRLEN + GENL_HDRLEN);
	assert_int_equal(nlh->nlmsg_type, TEST_FAMILY);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(nlh->nlmsg_seq, 1234);
	assert_int_equal(nlh->nlmsg_pid, 0);
	assert_int_equal(genl->cmd, VOIPWAKE_CMD_INFO_GET);
	assert_int_equal(genl->version, VOIPWAKE_GENL_VERSION);
	/* The module refuses a non-zero reserved field. */
	assert_int_equal(genl->reserved, 0);
}

static void test_request_too_small(void **state)
{
	union test_buf buf;

	(void)state;
	assert_int_equal(vw_build_info_get(&buf, NLMSG_HDRLEN + GENL_HDRLEN - 1,
					   TEST_FAMILY, 1), -EMSGSIZE);
	assert_int_equal(vw_build_info_get(&buf, NLMSG_HDRLEN + GENL_HDRLEN,
					   TEST_FAMILY, 1), 0);
}

static void test_reply(void **state)
{
	union test_buf buf;
	struct vw_info info;
	const char *why;

	(void)state;
	memset(&info, 0xff, sizeof(info));
	assert_int_equal(parse(nlb_info_reply(&buf), &info, &why), 0);
	assert_int_equal(info.size, sizeof(info));
	assert_string_equal(info.version, "0.1.0");
	assert_int_equal(info.api_version, 1);
	assert_int_equal(info.features, 0x5);
	assert_int_equal(info.wake_window_ms, 2000);
	assert_int_equal(info.wake_window_max_ms, 30000);
	assert_int_equal(info.max_socks_per_app, 8);
	assert_int_equal(info.min_keepalive_s, 600);
	assert_int_equal(info.max_keepalive_s, 3600);
	assert_int_equal(info.keepalive_tolerance_pct, 10);
	assert_int_equal(info.keepalive_budget_ms, 10000);
	assert_int_equal(info.present, ALL_INFO_BITS);
}

/* A newer module's attributes, before, between and after known ones. */
static void test_unknown_attributes_ignored(void **state)
{
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct vw_info info;
	const char *why;

	(void)state;
	nlh = nlb_genl(&buf, TEST_FAMILY, VOIPWAKE_CMD_INFO_GET, TEST_SEQ,
		       TEST_PORTID);
	mnl_attr_put_u64(nlh, VOIPWAKE_A_INFO_MAX + 1, 1);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_INFO_WAKE_WINDOW_MS, 1500);
	mnl_attr_put_strz(nlh, VOIPWAKE_A_INFO_MAX + 7, "future");
	mnl_attr_put_u8(nlh, 0x3fff, 9);
	assert_int_equal(parse(nlh, &info, &why), 0);
	assert_int_equal(info.wake_window_ms, 1500);
	assert_int_equal(info.present, VW_INFO_HAS_WAKE_WINDOW_MS);
}

static void test_missing_attributes(void **state)
{
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct vw_info info;
	const char *why;

	(void)state;
	memset(&info, 0xff, sizeof(info));
	nlh = nlb_genl(&buf, TEST_FAMILY, VOIPWAKE_CMD_INFO_GET, TEST_SEQ,
		       TEST_PORTID);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_INFO_API_VERSION, 1);
	assert_int_equal(parse(nlh, &info, &why), 0);
	/* Documented: absent means empty/zero and the bit clear. */
	assert_string_equal(info.version, "");
	assert_int_equal(info.features, 0);
	assert_int_equal(info.max_socks_per_app, 0);
	assert_int_equal(info.min_keepalive_s, 0);
	assert_int_equal(info.keepalive_budget_ms, 0);
	assert_int_equal(info.present, VW_INFO_HAS_API_VERSION);
}

static void test_duplicate_last_wins(void **state)
{
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct vw_info info;
	const char *why;

	(void)state;
	nlh = nlb_genl(&buf, TEST_FAMILY, VOIPWAKE_CMD_INFO_GET, TEST_SEQ,
		       TEST_PORTID);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_INFO_FEATURES, 1);
	mnl_attr_put_strz(nlh, VOIPWAKE_A_INFO_VERSION, "first");
	mnl_attr_put_u32(nlh, VOIPWAKE_A_INFO_FEATURES, 2);
	mnl_attr_put_strz(nlh, VOIPWAKE_A_INFO_VERSION, "second");
	assert_int_equal(parse(nlh, &info, &why), 0);
	assert_int_equal(info.features, 2);
	assert_string_equal(info.version, "second");
}

static void test_long_version_truncated(void **state)
{
	char longver[101];
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct vw_info info;
	const char *why;

	(void)state;
	memset(longver, 'v', sizeof(longver) - 1);
	longver[sizeof(longver) - 1] = '\0';
	nlh = nlb_genl(&buf, TEST_FAMILY, VOIPWAKE_CMD_INFO_GET, TEST_SEQ,
		       TEST_PORTID);
	mnl_attr_put_strz(nlh, VOIPWAKE_A_INFO_VERSION, longver);
	assert_int_equal(parse(nlh, &info, &why), 0);
	assert_int_equal(strlen(info.version), VW_VERSION_LEN - 1);
	assert_memory_equal(info.version, longver, VW_VERSION_LEN - 1);
}

static void test_u32_wrong_size(void **state)
{
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct vw_info info;
	const char *why;

	(void)state;
	nlh = nlb_genl(&buf, TEST_FAMILY, VOIPWAKE_CMD_INFO_GET, TEST_SEQ,
		       TEST_PORTID);
	mnl_attr_put_u16(nlh, VOIPWAKE_A_INFO_WAKE_WINDOW_MS, 2000);
	assert_int_equal(parse(nlh, &info, &why), -EBADMSG);
	assert_non_null(strstr(why, "VOIPWAKE_A_INFO_WAKE_WINDOW_MS"));

	nlh = nlb_genl(&buf, TEST_FAMILY, VOIPWAKE_CMD_INFO_GET, TEST_SEQ,
		       TEST_PORTID);
	mnl_attr_put_u64(nlh, VOIPWAKE_A_INFO_FEATURES, 1);
	assert_int_equal(parse(nlh, &info, &why), -EBADMSG);
	assert_non_null(strstr(why, "VOIPWAKE_A_INFO_FEATURES"));
}

static void test_keepalive_wrong_size(void **state)
{
	static const struct {
		uint16_t type;
		size_t len;
		const char *name;
	} cases[] = {
		{ VOIPWAKE_A_INFO_MIN_KEEPALIVE_S, 8,
		  "VOIPWAKE_A_INFO_MIN_KEEPALIVE_S" },
		{ VOIPWAKE_A_INFO_MAX_KEEPALIVE_S, 2,
		  "VOIPWAKE_A_INFO_MAX_KEEPALIVE_S" },
		{ VOIPWAKE_A_INFO_KEEPALIVE_TOLERANCE_PCT, 1,
		  "VOIPWAKE_A_INFO_KEEPALIVE_TOLERANCE_PCT" },
		{ VOIPWAKE_A_INFO_KEEPALIVE_BUDGET_MS, 0,
		  "VOIPWAKE_A_INFO_KEEPALIVE_BUDGET_MS" },
	};
	static const char zeros[8];
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct vw_info info;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		nlh = nlb_info_reply(&buf);
		mnl_attr_put(nlh, cases[i].type, cases[i].len, zeros);
		assert_int_equal(parse(nlh, &info, &why), -EBADMSG);
		assert_non_null(strstr(why, cases[i].name));
	}
}

static void test_version_not_terminated(void **state)
{
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct vw_info info;
	const char *why;

	(void)state;
	nlh = nlb_genl(&buf, TEST_FAMILY, VOIPWAKE_CMD_INFO_GET, TEST_SEQ,
		       TEST_PORTID);
	mnl_attr_put(nlh, VOIPWAKE_A_INFO_VERSION, 5, "0.1.0");
	assert_int_equal(parse(nlh, &info, &why), -EBADMSG);
	assert_non_null(strstr(why, "VOIPWAKE_A_INFO_VERSION"));
}

/* The message ends inside the last attribute. */
static void test_truncated_attribute(void **state)
{
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct vw_info info;
	const char *why;

	(void)state;
	nlh = nlb_info_reply(&buf);
	nlh->nlmsg_len -= 6;
	assert_int_equal(parse(nlh, &info, &why), -EBADMSG);
	assert_non_null(why);
}

/* Room for less than an attribute header after the last attribute. */
static void test_trailing_garbage(void **state)
{
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct vw_info info;
	const char *why;
	uint32_t extra;

	(void)state;
	for (extra = 1; extra < sizeof(struct nlattr); extra++) {
		memset(&buf, 0, sizeof(buf));
		nlh = nlb_info_reply(&buf);
		nlh->nlmsg_len += extra;
		assert_int_equal(parse(nlh, &info, &why), -EBADMSG);
	}
}

static void test_bad_nla_len(void **state)
{
	static const uint16_t lens[] = { 0, 1, 3, 5, 4000 };
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct vw_info info;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		nlh = nlb_info_reply(&buf);
		nlb_last_attr(nlh)->nla_len = lens[i];
		assert_int_equal(parse(nlh, &info, &why), -EBADMSG);
	}
}

/* The kernel pads; a sender that does not must still parse. */
static void test_unpadded_last_attribute(void **state)
{
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct vw_info info;
	const char *why;

	(void)state;
	nlh = nlb_genl(&buf, TEST_FAMILY, VOIPWAKE_CMD_INFO_GET, TEST_SEQ,
		       TEST_PORTID);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_INFO_FEATURES, 3);
	/* nla_len 10, padded to 12: drop the padding. */
	mnl_attr_put_strz(nlh, VOIPWAKE_A_INFO_VERSION, "1.2.3");
	nlh->nlmsg_len -= 2;
	assert_int_equal(parse(nlh, &info, &why), 0);
	assert_string_equal(info.version, "1.2.3");
	assert_int_equal(info.features, 3);
}

static void test_short_genl_header(void **state)
{
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct vw_info info;
	const char *why;

	(void)state;
	nlh = nlb_genl(&buf, TEST_FAMILY, VOIPWAKE_CMD_INFO_GET, TEST_SEQ,
		       TEST_PORTID);
	nlh->nlmsg_len = NLMSG_HDRLEN + 2;
	assert_int_equal(parse(nlh, &info, &why), -EBADMSG);
	assert_non_null(strstr(why, "generic netlink header"));
}

static void test_wrong_command(void **state)
{
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct vw_info info;
	const char *why;

	(void)state;
	nlh = nlb_info_reply(&buf);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd =
		VOIPWAKE_CMD_INFO_GET + 1;
	assert_int_equal(parse(nlh, &info, &why), -EPROTO);
}

/* What vw_parse_info() would hand vw_info_copy_out(). */
static const struct vw_info copy_src = {
	.size = sizeof(struct vw_info), .present = ALL_INFO_BITS,
	.api_version = 1, .max_socks_per_app = 8, .version = "0.1.0",
	.min_keepalive_s = 600, .keepalive_budget_ms = 10000,
};

static void test_copy_out_sizes(void **state)
{
	const struct vw_info *src = &copy_src;
	union {
		struct vw_info info;
		char bytes[sizeof(struct vw_info) + 16];
	} dst;

	(void)state;
	assert_int_equal(sizeof(struct vw_info), VW_INFO_SIZE_VER1);

	memset(&dst, 0x5a, sizeof(dst));
	dst.info.size = VW_INFO_SIZE_VER0 - 1;
	assert_int_equal(vw_info_copy_out(&dst.info, src), -EINVAL);
	assert_int_equal(dst.info.api_version, 0x5a5a5a5a);

	dst.info.size = 0;
	assert_int_equal(vw_info_copy_out(&dst.info, src), -EINVAL);

	/* A caller from the future: its extra bytes are zeroed. */
	memset(&dst, 0x5a, sizeof(dst));
	dst.info.size = sizeof(dst);
	assert_int_equal(vw_info_copy_out(&dst.info, src), 0);
	assert_int_equal(dst.info.size, sizeof(dst));
	assert_int_equal(dst.info.present, ALL_INFO_BITS);
	assert_int_equal(dst.info.max_socks_per_app, 8);
	assert_int_equal(dst.info.min_keepalive_s, 600);
	assert_int_equal(dst.info.keepalive_budget_ms, 10000);
	assert_string_equal(dst.info.version, "0.1.0");
	assert_true(nlb_bytes_are(&dst, sizeof(struct vw_info), sizeof(dst),
				  0));
}

/*
 * A caller built against 0.1 passes the old size: it gets the old fields,
 * no bit for a field it does not have, and nothing past its size.
 */
static void test_copy_out_ver0(void **state)
{
	struct vw_info dst;

	(void)state;
	memset(&dst, 0x5a, sizeof(dst));
	dst.size = VW_INFO_SIZE_VER0;
	assert_int_equal(vw_info_copy_out(&dst, &copy_src), 0);
	assert_int_equal(dst.size, VW_INFO_SIZE_VER0);
	assert_int_equal(dst.present, OLD_INFO_BITS);
	assert_int_equal(dst.max_socks_per_app, 8);
	assert_string_equal(dst.version, "0.1.0");
	assert_true(nlb_bytes_are(&dst, VW_INFO_SIZE_VER0, sizeof(dst), 0x5a));

	/* Only whole fields count as present. */
	memset(&dst, 0x5a, sizeof(dst));
	dst.size = offsetof(struct vw_info, keepalive_tolerance_pct) + 3;
	assert_int_equal(vw_info_copy_out(&dst, &copy_src), 0);
	assert_int_equal(dst.present,
			 OLD_INFO_BITS | VW_INFO_HAS_MIN_KEEPALIVE_S |
			 VW_INFO_HAS_MAX_KEEPALIVE_S);
	assert_int_equal(dst.min_keepalive_s, 600);
	assert_true(nlb_bytes_are(&dst, dst.size, sizeof(dst), 0x5a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_layout),
		cmocka_unit_test(test_request_too_small),
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_unknown_attributes_ignored),
		cmocka_unit_test(test_missing_attributes),
		cmocka_unit_test(test_duplicate_last_wins),
		cmocka_unit_test(test_long_version_truncated),
		cmocka_unit_test(test_u32_wrong_size),
		cmocka_unit_test(test_keepalive_wrong_size),
		cmocka_unit_test(test_version_not_terminated),
		cmocka_unit_test(test_truncated_attribute),
		cmocka_unit_test(test_trailing_garbage),
		cmocka_unit_test(test_bad_nla_len),
		cmocka_unit_test(test_unpadded_last_attribute),
		cmocka_unit_test(test_short_genl_header),
		cmocka_unit_test(test_wrong_command),
		cmocka_unit_test(test_copy_out_sizes),
		cmocka_unit_test(test_copy_out_ver0),
	};

	return cmocka_run_group_tests_name("codec_info", tests, NULL, NULL);
}
