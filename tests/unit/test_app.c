// SPDX-License-Identifier: GPL-2.0
/*
 * Apps: APP_SET / APP_GET / APP_WAKE_DONE request layouts (for another
 * app and for the sender's own), the APP_* attribute set in replies (PAD
 * attributes, u8/u32/u64 fields, wrong sizes, unknown attributes), the
 * size-aware copy into the caller's struct vw_app_info, and the APP_GET
 * dump.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/genetlink.h>

#include "codec.h"
#include "nlbuild.h"

#define ALL_APP_BITS	(VW_APP_HAS_CGROUP_ID | VW_APP_HAS_STATE | \
			 VW_APP_HAS_FROZEN | VW_APP_HAS_WAKE_WINDOW_MS | \
			 VW_APP_HAS_SOCKS | VW_APP_HAS_WAKES_DATA | \
			 VW_APP_HAS_WAKES_CLOSE | VW_APP_HAS_WAKES_ERROR | \
			 VW_APP_HAS_WAKES_KEEPALIVE | VW_APP_HAS_FROZEN_MS | \
			 VW_APP_HAS_LAST_WAKE_NS | \
			 VW_APP_HAS_FREEZE_TIMEOUTS | KA_APP_BITS)
#define KA_APP_BITS	(VW_APP_HAS_KEEPALIVE_S | \
			 VW_APP_HAS_KEEPALIVE_TOLERANCE_PCT | \
			 VW_APP_HAS_KEEPALIVE_BUDGET_MS | \
			 VW_APP_HAS_KEEPALIVE_OVERRUNS | \
			 VW_APP_HAS_KEEPALIVE_EARLIEST_NS | \
			 VW_APP_HAS_KEEPALIVE_LATEST_NS)

static int parse(const struct nlmsghdr *nlh, struct vw_app_info *ai,
		 char *why, size_t whylen)
{
	void *copy = nlb_dup(nlh, nlh->nlmsg_len);
	const char *w = NULL;
	int ret;

	assert_non_null(copy);
	ret = vw_parse_app_get(copy, ai, &w);
	snprintf(why, whylen, "%s", w ? w : "(null)");
	free(copy);
	return ret;
}

static struct nlmsghdr *get_reply(void *buf)
{
	return nlb_genl(buf, TEST_FAMILY, VOIPWAKE_CMD_APP_GET, TEST_SEQ,
			TEST_PORTID);
}

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

/*
 * Checks that the request's attributes are exactly the u32s in @expect,
 * given as type/value pairs, in order.
 */
static void check_u32s(const struct nlmsghdr *nlh, const uint32_t *expect,
		       unsigned int n)
{
	const struct nlattr *attr;
	unsigned int i = 0;

	assert_int_equal(nlh->nlmsg_len,
			 NLMSG_HDRLEN + GENL_HDRLEN + n * (NLA_HDRLEN + 4));
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		assert_true(i < n);
		assert_int_equal(mnl_attr_get_type(attr), expect[2 * i]);
		assert_int_equal(mnl_attr_get_payload_len(attr), 4);
		assert_int_equal(mnl_attr_get_u32(attr), expect[2 * i + 1]);
		i++;
	}
	assert_int_equal(i, n);
}

static void test_set_state_layout(void **state)
{
	const uint32_t bg = VOIPWAKE_APP_STATE_BACKGROUND;
	const struct vw_app_settings set = { .state = &bg };
	const uint32_t expect[] = {
		VOIPWAKE_A_APP_CGROUP_FD, 12,
		VOIPWAKE_A_APP_STATE, VOIPWAKE_APP_STATE_BACKGROUND,
	};
	union test_buf buf;

	(void)state;
	memset(&buf, 0xa5, sizeof(buf));
	assert_int_equal(vw_build_app_set(&buf, sizeof(buf), TEST_FAMILY, 40,
					  12, &set), 0);
	check_header(&buf.nlh, VOIPWAKE_CMD_APP_SET,
		     NLM_F_REQUEST | NLM_F_ACK, 40);
	check_u32s(&buf.nlh, expect, 2);
}

static void test_set_window_layout(void **state)
{
	const uint32_t ms = 0, fg = VOIPWAKE_APP_STATE_FOREGROUND;
	const struct vw_app_settings only = { .wake_window_ms = &ms };
	const struct vw_app_settings two = {
		.state = &fg,
		.wake_window_ms = &ms,
	};
	const uint32_t window[] = {
		VOIPWAKE_A_APP_CGROUP_FD, 0,
		VOIPWAKE_A_APP_WAKE_WINDOW_MS, 0,
	};
	const uint32_t both[] = {
		VOIPWAKE_A_APP_CGROUP_FD, 3,
		VOIPWAKE_A_APP_STATE, VOIPWAKE_APP_STATE_FOREGROUND,
		VOIPWAKE_A_APP_WAKE_WINDOW_MS, 0,
	};
	union test_buf buf;

	(void)state;
	/* fd 0 is a valid fd; ms 0 means "the default" and is still sent. */
	assert_int_equal(vw_build_app_set(&buf, sizeof(buf), TEST_FAMILY, 1,
					  0, &only), 0);
	check_header(&buf.nlh, VOIPWAKE_CMD_APP_SET,
		     NLM_F_REQUEST | NLM_F_ACK, 1);
	check_u32s(&buf.nlh, window, 2);

	assert_int_equal(vw_build_app_set(&buf, sizeof(buf), TEST_FAMILY, 1,
					  3, &two), 0);
	check_u32s(&buf.nlh, both, 3);
}

/* The settings in the order they are sent, with distinct values. */
static const struct {
	uint16_t type;
	uint32_t value;
} settings[] = {
	{ VOIPWAKE_A_APP_STATE, VOIPWAKE_APP_STATE_BACKGROUND },
	{ VOIPWAKE_A_APP_WAKE_WINDOW_MS, 2500 },
	{ VOIPWAKE_A_APP_KEEPALIVE_S, 600 },
	{ VOIPWAKE_A_APP_KEEPALIVE_TOLERANCE_PCT, 0 },
	{ VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS, 30000 },
	{ VOIPWAKE_A_APP_WAKE_INTERVAL_MS, 60000 },
	{ VOIPWAKE_A_APP_FREEZE_GATE_MS, 200 },
	{ VOIPWAKE_A_APP_FREEZE_GATE_SEQ, 7 },
};

/* The settings whose bit is set in @mask: settings[i] for bit i. */
static struct vw_app_settings pick(unsigned int mask)
{
	const uint32_t *v[ARRAY_SIZE(settings)];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(settings); i++)
		v[i] = mask & (1U << i) ? &settings[i].value : NULL;
	return (struct vw_app_settings){
		.state = v[0],
		.wake_window_ms = v[1],
		.keepalive_s = v[2],
		.keepalive_tolerance_pct = v[3],
		.keepalive_budget_ms = v[4],
		.wake_interval_ms = v[5],
		.freeze_gate_ms = v[6],
		.freeze_gate_seq = v[7],
	};
}

/*
 * Every combination, for another app and for the sender's own (no
 * APP_CGROUP_FD at all): exactly the settings given, 0 included.
 */
static void test_set_combinations(void **state)
{
	static const int fds[] = { 7, -1 };
	uint32_t expect[2 * (ARRAY_SIZE(settings) + 1)];
	struct vw_app_settings set;
	union test_buf buf;
	unsigned int mask, n;
	size_t f, i;

	(void)state;
	for (f = 0; f < ARRAY_SIZE(fds); f++) {
		for (mask = 1; mask < 1U << ARRAY_SIZE(settings); mask++) {
			n = 0;
			if (fds[f] >= 0) {
				expect[2 * n] = VOIPWAKE_A_APP_CGROUP_FD;
				expect[2 * n++ + 1] = fds[f];
			}
			for (i = 0; i < ARRAY_SIZE(settings); i++) {
				if (!(mask & (1U << i)))
					continue;
				expect[2 * n] = settings[i].type;
				expect[2 * n++ + 1] = settings[i].value;
			}
			set = pick(mask);
			memset(&buf, 0xa5, sizeof(buf));
			assert_int_equal(vw_build_app_set(&buf, sizeof(buf),
							  TEST_FAMILY, mask,
							  fds[f], &set), 0);
			check_header(&buf.nlh, VOIPWAKE_CMD_APP_SET,
				     NLM_F_REQUEST | NLM_F_ACK, mask);
			check_u32s(&buf.nlh, expect, n);
		}
	}
}

/* APP_HELD is a u8, the size its policy wants: 1 byte, padded to 4. */
static void test_set_held_layout(void **state)
{
	const uint8_t held = 1;
	const struct vw_app_settings set = { .held = &held };
	const struct nlattr *attr;
	union test_buf buf;
	unsigned int i = 0;

	(void)state;
	memset(&buf, 0xa5, sizeof(buf));
	assert_int_equal(vw_build_app_set(&buf, sizeof(buf), TEST_FAMILY, 9,
					  6, &set), 0);
	check_header(&buf.nlh, VOIPWAKE_CMD_APP_SET,
		     NLM_F_REQUEST | NLM_F_ACK, 9);
	mnl_attr_for_each(attr, &buf.nlh, GENL_HDRLEN) {
		if (i++ == 0) {
			assert_int_equal(mnl_attr_get_type(attr),
					 VOIPWAKE_A_APP_CGROUP_FD);
			assert_int_equal(mnl_attr_get_u32(attr), 6);
			continue;
		}
		assert_int_equal(mnl_attr_get_type(attr), VOIPWAKE_A_APP_HELD);
		assert_int_equal(mnl_attr_get_payload_len(attr), 1);
		assert_int_equal(mnl_attr_get_u8(attr), 1);
	}
	assert_int_equal(i, 2);
}

static void test_set_invalid(void **state)
{
	const struct vw_app_settings none = { 0 };
	union test_buf buf;

	(void)state;
	assert_int_equal(vw_build_app_set(&buf, sizeof(buf), TEST_FAMILY, 1,
					  3, &none), -EINVAL);
	assert_int_equal(vw_build_app_set(&buf, sizeof(buf), TEST_FAMILY, 1,
					  -1, &none), -EINVAL);
}

static void test_get_layout(void **state)
{
	const uint32_t expect[] = { VOIPWAKE_A_APP_CGROUP_FD, 4 };
	union test_buf buf;

	(void)state;
	memset(&buf, 0xa5, sizeof(buf));
	assert_int_equal(vw_build_app_get(&buf, sizeof(buf), TEST_FAMILY, 8,
					  4), 0);
	check_header(&buf.nlh, VOIPWAKE_CMD_APP_GET,
		     NLM_F_REQUEST | NLM_F_ACK, 8);
	check_u32s(&buf.nlh, expect, 1);

	/* The caller's own app: no attribute at all. */
	memset(&buf, 0xa5, sizeof(buf));
	assert_int_equal(vw_build_app_get(&buf, sizeof(buf), TEST_FAMILY, 9,
					  -1), 0);
	check_header(&buf.nlh, VOIPWAKE_CMD_APP_GET,
		     NLM_F_REQUEST | NLM_F_ACK, 9);
	check_u32s(&buf.nlh, NULL, 0);
}

static void test_dump_layout(void **state)
{
	union test_buf buf;

	(void)state;
	memset(&buf, 0xa5, sizeof(buf));
	assert_int_equal(vw_build_app_dump(&buf, sizeof(buf), TEST_FAMILY, 8),
			 0);
	check_header(&buf.nlh, VOIPWAKE_CMD_APP_GET,
		     NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP, 8);
	check_u32s(&buf.nlh, NULL, 0);
}

static void test_wake_done_layout(void **state)
{
	const uint32_t expect[] = { VOIPWAKE_A_APP_CGROUP_FD, 17 };
	const uint32_t own_seq[] = { VOIPWAKE_A_APP_WAKE_SEQ, 41 };
	const uint32_t both[] = { VOIPWAKE_A_APP_CGROUP_FD, 17,
				  VOIPWAKE_A_APP_WAKE_SEQ, 41 };
	const uint32_t seq = 41;
	union test_buf buf;

	(void)state;
	/* The caller's own app: no attribute at all. */
	memset(&buf, 0xa5, sizeof(buf));
	assert_int_equal(vw_build_app_wake_done(&buf, sizeof(buf),
						TEST_FAMILY, 2, -1, NULL), 0);
	check_header(&buf.nlh, VOIPWAKE_CMD_APP_WAKE_DONE,
		     NLM_F_REQUEST | NLM_F_ACK, 2);
	check_u32s(&buf.nlh, NULL, 0);

	assert_int_equal(vw_build_app_wake_done(&buf, sizeof(buf),
						TEST_FAMILY, 2, 17, NULL), 0);
	check_u32s(&buf.nlh, expect, 1);

	/* Done with a given wake: its seq, after the app if there is one. */
	assert_int_equal(vw_build_app_wake_done(&buf, sizeof(buf),
						TEST_FAMILY, 2, -1, &seq), 0);
	check_u32s(&buf.nlh, own_seq, 1);
	assert_int_equal(vw_build_app_wake_done(&buf, sizeof(buf),
						TEST_FAMILY, 2, 17, &seq), 0);
	check_u32s(&buf.nlh, both, 2);
}

static void test_requests_too_small(void **state)
{
	const size_t hdr = NLMSG_HDRLEN + GENL_HDRLEN;
	const uint32_t v = 1;
	const struct vw_app_settings two = {
		.state = &v,
		.wake_window_ms = &v,
	};
	const struct vw_app_settings all = pick(0x3f);
	union test_buf buf;

	(void)state;
	assert_int_equal(vw_build_app_set(&buf, hdr + 23, TEST_FAMILY, 1, 3,
					  &two), -EMSGSIZE);
	assert_int_equal(vw_build_app_set(&buf, hdr + 24, TEST_FAMILY, 1, 3,
					  &two), 0);
	/* Room for any prefix of the attributes is not enough. */
	assert_int_equal(vw_build_app_set(&buf, hdr + 55, TEST_FAMILY, 1, 3,
					  &all), -EMSGSIZE);
	assert_int_equal(vw_build_app_set(&buf, hdr + 56, TEST_FAMILY, 1, 3,
					  &all), 0);
	assert_int_equal(vw_build_app_set(&buf, hdr + 47, TEST_FAMILY, 1, -1,
					  &all), -EMSGSIZE);
	assert_int_equal(vw_build_app_set(&buf, hdr + 48, TEST_FAMILY, 1, -1,
					  &all), 0);
	assert_int_equal(vw_build_app_get(&buf, hdr + 7, TEST_FAMILY, 1, 3),
			 -EMSGSIZE);
	assert_int_equal(vw_build_app_get(&buf, hdr - 1, TEST_FAMILY, 1, -1),
			 -EMSGSIZE);
	assert_int_equal(vw_build_app_get(&buf, hdr, TEST_FAMILY, 1, -1), 0);
	assert_int_equal(vw_build_app_dump(&buf, hdr - 1, TEST_FAMILY, 1),
			 -EMSGSIZE);
	assert_int_equal(vw_build_app_wake_done(&buf, hdr - 1, TEST_FAMILY,
						1, -1, NULL), -EMSGSIZE);
	assert_int_equal(vw_build_app_wake_done(&buf, hdr, TEST_FAMILY, 1,
						-1, NULL), 0);
	assert_int_equal(vw_build_app_wake_done(&buf, hdr, TEST_FAMILY, 1,
						5, NULL), -EMSGSIZE);
	assert_int_equal(vw_build_app_wake_done(&buf, hdr + 7, TEST_FAMILY, 1,
						-1, &v), -EMSGSIZE);
	assert_int_equal(vw_build_app_wake_done(&buf, hdr + 8, TEST_FAMILY, 1,
						-1, &v), 0);
}

static void check_full_app(const struct vw_app_info *ai)
{
	assert_int_equal(ai->size, sizeof(*ai));
	assert_int_equal(ai->present, ALL_APP_BITS);
	assert_true(ai->cgroup_id == TEST_CGROUP_ID);
	assert_int_equal(ai->state, VOIPWAKE_APP_STATE_BACKGROUND);
	assert_int_equal(ai->frozen, 1);
	assert_int_equal(ai->wake_window_ms, 5000);
	assert_int_equal(ai->socks, 2);
	assert_true(ai->wakes_data == 11);
	assert_true(ai->wakes_close == 12);
	assert_true(ai->wakes_error == 13);
	assert_true(ai->wakes_keepalive == 1ULL << 40);
	assert_true(ai->frozen_ms == 123456789ULL);
	assert_true(ai->last_wake_ns == 0xfedcba9876543210ULL);
	assert_int_equal(ai->freeze_timeouts, 3);
	assert_int_equal(ai->reserved, 0);
	assert_int_equal(ai->keepalive_s, 900);
	assert_int_equal(ai->keepalive_tolerance_pct, 20);
	assert_int_equal(ai->keepalive_budget_ms, 4000);
	assert_int_equal(ai->keepalive_overruns, 6);
	assert_true(ai->keepalive_earliest_ns == TEST_KA_EARLIEST);
	assert_true(ai->keepalive_latest_ns == TEST_KA_LATEST);
}

static void test_get_reply(void **state)
{
	struct vw_app_info ai;
	union test_buf buf;
	char why[128];

	(void)state;
	memset(&ai, 0xff, sizeof(ai));
	assert_int_equal(parse(nlb_app_reply(&buf, VOIPWAKE_CMD_APP_GET,
					     TEST_SEQ),
			       &ai, why, sizeof(why)), 0);
	check_full_app(&ai);
}

static void test_only_cgroup_id(void **state)
{
	struct vw_app_info ai;
	union test_buf buf;
	struct nlmsghdr *nlh;
	char why[128];

	(void)state;
	memset(&ai, 0xff, sizeof(ai));
	nlh = get_reply(&buf);
	/* Unaligned: no PAD before it. */
	mnl_attr_put_u64(nlh, VOIPWAKE_A_APP_CGROUP_ID, TEST_CGROUP_ID);
	assert_int_equal(parse(nlh, &ai, why, sizeof(why)), 0);
	assert_int_equal(ai.present, VW_APP_HAS_CGROUP_ID);
	assert_true(ai.cgroup_id == TEST_CGROUP_ID);
	assert_int_equal(ai.state, 0);
	assert_int_equal(ai.frozen, 0);
	assert_true(ai.last_wake_ns == 0);
	assert_int_equal(ai.freeze_timeouts, 0);
	assert_int_equal(ai.reserved, 0);
	assert_int_equal(ai.keepalive_s, 0);
	assert_int_equal(ai.keepalive_overruns, 0);
	assert_true(ai.keepalive_latest_ns == 0);
}

/* No keep-alive armed: the window is not sent, the rest is. */
static void test_keepalive_unarmed(void **state)
{
	struct vw_app_info ai;
	union test_buf buf;
	struct nlmsghdr *nlh;
	char why[128];

	(void)state;
	memset(&ai, 0xff, sizeof(ai));
	nlh = get_reply(&buf);
	nlb_put_u64_pad(nlh, VOIPWAKE_A_APP_CGROUP_ID, TEST_CGROUP_ID,
			VOIPWAKE_A_APP_PAD);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_KEEPALIVE_S, 0);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_KEEPALIVE_TOLERANCE_PCT, 0);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS, 0);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_KEEPALIVE_OVERRUNS, 1);
	/* Unaligned: no PAD before it. */
	mnl_attr_put_u64(nlh, VOIPWAKE_A_APP_LAST_WAKE_NS, 5);
	assert_int_equal(parse(nlh, &ai, why, sizeof(why)), 0);
	assert_int_equal(ai.present,
			 VW_APP_HAS_CGROUP_ID | VW_APP_HAS_KEEPALIVE_S |
			 VW_APP_HAS_KEEPALIVE_TOLERANCE_PCT |
			 VW_APP_HAS_KEEPALIVE_BUDGET_MS |
			 VW_APP_HAS_KEEPALIVE_OVERRUNS |
			 VW_APP_HAS_LAST_WAKE_NS);
	assert_int_equal(ai.keepalive_s, 0);
	assert_int_equal(ai.keepalive_overruns, 1);
	assert_true(ai.last_wake_ns == 5);
	assert_true(ai.keepalive_earliest_ns == 0);
	assert_true(ai.keepalive_latest_ns == 0);
}

static void test_missing_cgroup_id(void **state)
{
	struct vw_app_info ai;
	union test_buf buf;
	struct nlmsghdr *nlh;
	char why[128];

	(void)state;
	nlh = get_reply(&buf);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_STATE, 0);
	assert_int_equal(parse(nlh, &ai, why, sizeof(why)), -EPROTO);
	assert_non_null(strstr(why, "VOIPWAKE_A_APP_CGROUP_ID"));
}

static void test_wrong_sizes(void **state)
{
	static const struct {
		uint16_t type;
		size_t len;
		const char *name;
	} cases[] = {
		{ VOIPWAKE_A_APP_CGROUP_ID, 4, "VOIPWAKE_A_APP_CGROUP_ID" },
		{ VOIPWAKE_A_APP_STATE, 1, "VOIPWAKE_A_APP_STATE" },
		{ VOIPWAKE_A_APP_FROZEN, 4, "VOIPWAKE_A_APP_FROZEN" },
		{ VOIPWAKE_A_APP_FROZEN, 0, "VOIPWAKE_A_APP_FROZEN" },
		{ VOIPWAKE_A_APP_WAKE_WINDOW_MS, 8,
		  "VOIPWAKE_A_APP_WAKE_WINDOW_MS" },
		{ VOIPWAKE_A_APP_SOCKS, 2, "VOIPWAKE_A_APP_SOCKS" },
		{ VOIPWAKE_A_APP_WAKES_DATA, 4, "VOIPWAKE_A_APP_WAKES_DATA" },
		{ VOIPWAKE_A_APP_WAKES_CLOSE, 12, "VOIPWAKE_A_APP_WAKES_CLOSE" },
		{ VOIPWAKE_A_APP_WAKES_ERROR, 7, "VOIPWAKE_A_APP_WAKES_ERROR" },
		{ VOIPWAKE_A_APP_WAKES_KEEPALIVE, 4,
		  "VOIPWAKE_A_APP_WAKES_KEEPALIVE" },
		{ VOIPWAKE_A_APP_FROZEN_MS, 4, "VOIPWAKE_A_APP_FROZEN_MS" },
		{ VOIPWAKE_A_APP_LAST_WAKE_NS, 4,
		  "VOIPWAKE_A_APP_LAST_WAKE_NS" },
		{ VOIPWAKE_A_APP_FREEZE_TIMEOUTS, 8,
		  "VOIPWAKE_A_APP_FREEZE_TIMEOUTS" },
		/* Validated even where the event fields are not wanted. */
		{ VOIPWAKE_A_APP_WAKE_REASON, 1, "VOIPWAKE_A_APP_WAKE_REASON" },
		{ VOIPWAKE_A_APP_WAKE_SOCK_INO, 4,
		  "VOIPWAKE_A_APP_WAKE_SOCK_INO" },
		{ VOIPWAKE_A_APP_WAKE_BYTES, 8, "VOIPWAKE_A_APP_WAKE_BYTES" },
		{ VOIPWAKE_A_APP_WAKE_KEEPALIVE, 4,
		  "VOIPWAKE_A_APP_WAKE_KEEPALIVE" },
		{ VOIPWAKE_A_APP_KEEPALIVE_S, 8, "VOIPWAKE_A_APP_KEEPALIVE_S" },
		{ VOIPWAKE_A_APP_KEEPALIVE_TOLERANCE_PCT, 1,
		  "VOIPWAKE_A_APP_KEEPALIVE_TOLERANCE_PCT" },
		{ VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS, 2,
		  "VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS" },
		{ VOIPWAKE_A_APP_KEEPALIVE_OVERRUNS, 0,
		  "VOIPWAKE_A_APP_KEEPALIVE_OVERRUNS" },
		{ VOIPWAKE_A_APP_KEEPALIVE_EARLIEST_NS, 4,
		  "VOIPWAKE_A_APP_KEEPALIVE_EARLIEST_NS" },
		{ VOIPWAKE_A_APP_KEEPALIVE_LATEST_NS, 16,
		  "VOIPWAKE_A_APP_KEEPALIVE_LATEST_NS" },
	};
	static const char zeros[16];
	struct vw_app_info ai;
	union test_buf buf;
	struct nlmsghdr *nlh;
	char why[128];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		nlh = nlb_app_reply(&buf, VOIPWAKE_CMD_APP_GET, TEST_SEQ);
		mnl_attr_put(nlh, cases[i].type, cases[i].len, zeros);
		assert_int_equal(parse(nlh, &ai, why, sizeof(why)), -EBADMSG);
		assert_non_null(strstr(why, cases[i].name));
	}
}

static void test_unknown_attributes_ignored(void **state)
{
	static const char junk[5] = "junk";
	struct vw_app_info ai;
	union test_buf buf;
	struct nlmsghdr *nlh;
	char why[128];

	(void)state;
	nlh = get_reply(&buf);
	mnl_attr_put_strz(nlh, VOIPWAKE_A_APP_MAX + 1, "future");
	mnl_attr_put(nlh, VOIPWAKE_A_APP_PAD, sizeof(junk), junk);
	mnl_attr_put_u64(nlh, VOIPWAKE_A_APP_CGROUP_FD, 1);
	nlb_app_attrs(nlh);
	mnl_attr_put_u8(nlh, 0x7fff, 1);
	/* Wake details are valid in any APP_* message, ignored here. */
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_WAKE_REASON, VOIPWAKE_WAKE_DATA);
	assert_int_equal(parse(nlh, &ai, why, sizeof(why)), 0);
	check_full_app(&ai);
}

static void test_duplicate_last_wins(void **state)
{
	struct vw_app_info ai;
	union test_buf buf;
	struct nlmsghdr *nlh;
	char why[128];

	(void)state;
	nlh = nlb_app_reply(&buf, VOIPWAKE_CMD_APP_GET, TEST_SEQ);
	mnl_attr_put_u8(nlh, VOIPWAKE_A_APP_FROZEN, 0);
	nlb_put_u64_pad(nlh, VOIPWAKE_A_APP_WAKES_DATA, 99,
			VOIPWAKE_A_APP_PAD);
	assert_int_equal(parse(nlh, &ai, why, sizeof(why)), 0);
	assert_int_equal(ai.frozen, 0);
	assert_true(ai.wakes_data == 99);
	assert_int_equal(ai.present, ALL_APP_BITS);
}

static void test_truncated(void **state)
{
	struct vw_app_info ai;
	union test_buf buf;
	struct nlmsghdr *nlh;
	char why[128];
	uint32_t cut;

	(void)state;
	/* Cut anywhere inside the last attribute (KEEPALIVE_LATEST_NS). */
	for (cut = 1; cut < NLA_HDRLEN + 8; cut++) {
		memset(&buf, 0, sizeof(buf));
		nlh = nlb_app_reply(&buf, VOIPWAKE_CMD_APP_GET, TEST_SEQ);
		nlh->nlmsg_len -= cut;
		assert_int_equal(parse(nlh, &ai, why, sizeof(why)), -EBADMSG);
	}
}

static void test_wrong_command(void **state)
{
	struct vw_app_info ai;
	union test_buf buf;
	char why[128];

	(void)state;
	assert_int_equal(parse(nlb_app_reply(&buf, VOIPWAKE_CMD_APP_SET,
					     TEST_SEQ),
			       &ai, why, sizeof(why)), -EPROTO);
}

/* What vw_parse_app_get() would hand vw_app_info_copy_out(). */
static const struct vw_app_info copy_src = {
	.size = sizeof(struct vw_app_info), .present = ALL_APP_BITS,
	.cgroup_id = 7, .freeze_timeouts = 4, .keepalive_s = 600,
	.keepalive_overruns = 2, .keepalive_latest_ns = 9,
};

static void test_copy_out_sizes(void **state)
{
	union {
		struct vw_app_info ai;
		char bytes[sizeof(struct vw_app_info) + 8];
	} dst;

	(void)state;
	assert_int_equal(sizeof(struct vw_app_info), VW_APP_INFO_SIZE_VER4);

	memset(&dst, 0x5a, sizeof(dst));
	dst.ai.size = 16;
	assert_int_equal(vw_app_info_copy_out(&dst.ai, &copy_src), -EINVAL);
	assert_true(dst.ai.cgroup_id == 0x5a5a5a5a5a5a5a5aULL);

	/* A caller from the future: its extra bytes are zeroed. */
	dst.ai.size = sizeof(dst);
	assert_int_equal(vw_app_info_copy_out(&dst.ai, &copy_src), 0);
	assert_int_equal(dst.ai.size, sizeof(dst));
	assert_int_equal(dst.ai.present, ALL_APP_BITS);
	assert_int_equal(dst.ai.freeze_timeouts, 4);
	assert_int_equal(dst.ai.keepalive_s, 600);
	assert_true(dst.ai.keepalive_latest_ns == 9);
	assert_true(nlb_bytes_are(&dst, sizeof(struct vw_app_info),
				  sizeof(dst), 0));
}

/*
 * A caller built against 0.2 passes the old size: it gets the old fields,
 * no bit for a field it does not have, and nothing past its size.
 */
static void test_copy_out_ver0(void **state)
{
	struct vw_app_info dst;

	(void)state;
	memset(&dst, 0x5a, sizeof(dst));
	dst.size = VW_APP_INFO_SIZE_VER0;
	assert_int_equal(vw_app_info_copy_out(&dst, &copy_src), 0);
	assert_int_equal(dst.size, VW_APP_INFO_SIZE_VER0);
	assert_int_equal(dst.present, ALL_APP_BITS & ~KA_APP_BITS);
	assert_true(dst.cgroup_id == 7);
	assert_int_equal(dst.freeze_timeouts, 4);
	assert_true(nlb_bytes_are(&dst, VW_APP_INFO_SIZE_VER0, sizeof(dst),
				  0x5a));

	/* A size between the two: only whole fields count as present. */
	memset(&dst, 0x5a, sizeof(dst));
	dst.size = offsetof(struct vw_app_info, keepalive_overruns) + 2;
	assert_int_equal(vw_app_info_copy_out(&dst, &copy_src), 0);
	assert_int_equal(dst.present,
			 (ALL_APP_BITS & ~KA_APP_BITS) |
			 VW_APP_HAS_KEEPALIVE_S |
			 VW_APP_HAS_KEEPALIVE_TOLERANCE_PCT |
			 VW_APP_HAS_KEEPALIVE_BUDGET_MS);
	assert_int_equal(dst.keepalive_s, 600);
	assert_true(nlb_bytes_are(&dst, dst.size, sizeof(dst), 0x5a));
}

/* The throttle: a 0.3 caller's structure ends before it. */
static void test_wake_interval(void **state)
{
	struct vw_app_info ai, dst;
	union test_buf buf;
	struct nlmsghdr *nlh;
	char why[128];

	(void)state;
	memset(&ai, 0xff, sizeof(ai));
	nlh = get_reply(&buf);
	nlb_put_u64_pad(nlh, VOIPWAKE_A_APP_CGROUP_ID, TEST_CGROUP_ID,
			VOIPWAKE_A_APP_PAD);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_WAKE_INTERVAL_MS, 30000);
	nlb_put_u64_pad(nlh, VOIPWAKE_A_APP_WAKES_HELD, 1ULL << 33,
			VOIPWAKE_A_APP_PAD);
	assert_int_equal(parse(nlh, &ai, why, sizeof(why)), 0);
	assert_int_equal(ai.present, VW_APP_HAS_CGROUP_ID |
			 VW_APP_HAS_WAKE_INTERVAL_MS | VW_APP_HAS_WAKES_HELD);
	assert_int_equal(ai.wake_interval_ms, 30000);
	assert_true(ai.wakes_held == 1ULL << 33);
	assert_int_equal(ai.reserved3, 0);

	memset(&dst, 0x5a, sizeof(dst));
	dst.size = VW_APP_INFO_SIZE_VER1;
	assert_int_equal(vw_app_info_copy_out(&dst, &ai), 0);
	assert_int_equal(dst.present, VW_APP_HAS_CGROUP_ID);
	assert_true(nlb_bytes_are(&dst, VW_APP_INFO_SIZE_VER1, sizeof(dst),
				  0x5a));
}

static void test_dump(void **state)
{
	struct nlmsghdr req = {
		.nlmsg_seq = TEST_SEQ,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP,
	};
	struct vw_vec vec = { .item_size = sizeof(struct vw_app_info) };
	struct nlb_dgram d = { .len = 0 };
	const struct vw_app_info *ai;
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct vw_xfer x;

	(void)state;
	vw_xfer_init(&x, &req, TEST_PORTID, TEST_FAMILY, vw_parse_app_dump,
		     &vec);
	nlh = nlb_app_reply(&buf, VOIPWAKE_CMD_APP_GET, TEST_SEQ);
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlb_dg_add(&d, nlh);
	nlh = get_reply(&buf);
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlb_put_u64_pad(nlh, VOIPWAKE_A_APP_CGROUP_ID, 77, VOIPWAKE_A_APP_PAD);
	nlb_dg_add(&d, nlh);
	nlb_dg_add(&d, nlb_done(&buf, 0, NULL));
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, 0);
	assert_false(x.intr);
	assert_int_equal(vec.n, 2);
	ai = vec.items;
	check_full_app(&ai[0]);
	assert_true(ai[1].cgroup_id == 77);
	assert_int_equal(ai[1].present, VW_APP_HAS_CGROUP_ID);
	vw_vec_free(&vec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_state_layout),
		cmocka_unit_test(test_set_window_layout),
		cmocka_unit_test(test_set_combinations),
		cmocka_unit_test(test_set_held_layout),
		cmocka_unit_test(test_set_invalid),
		cmocka_unit_test(test_get_layout),
		cmocka_unit_test(test_dump_layout),
		cmocka_unit_test(test_wake_done_layout),
		cmocka_unit_test(test_requests_too_small),
		cmocka_unit_test(test_get_reply),
		cmocka_unit_test(test_only_cgroup_id),
		cmocka_unit_test(test_keepalive_unarmed),
		cmocka_unit_test(test_missing_cgroup_id),
		cmocka_unit_test(test_wrong_sizes),
		cmocka_unit_test(test_unknown_attributes_ignored),
		cmocka_unit_test(test_duplicate_last_wins),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_wrong_command),
		cmocka_unit_test(test_copy_out_sizes),
		cmocka_unit_test(test_copy_out_ver0),
		cmocka_unit_test(test_wake_interval),
		cmocka_unit_test(test_dump),
	};

	return cmocka_run_group_tests_name("codec_app", tests, NULL, NULL);
}
