// SPDX-License-Identifier: GPL-2.0
/*
 * NLMSG_ERROR decoding (acks, errors, extended ack text) and the walk over
 * received datagrams that matches messages to a request.
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

static int parse_error(const struct nlmsghdr *nlh, int *error,
		       char *msg, size_t msglen)
{
	void *copy = nlb_dup(nlh, nlh->nlmsg_len);
	const char *m = NULL;
	int ret;

	assert_non_null(copy);
	*error = 1;
	ret = vw_parse_error(copy, error, &m);
	msg[0] = '\0';
	if (m)
		snprintf(msg, msglen, "%s", m);
	else
		snprintf(msg, msglen, "(null)");
	free(copy);
	return ret;
}

static void test_ack(void **state)
{
	union test_buf buf;
	char msg[64];
	int error;

	(void)state;
	assert_int_equal(parse_error(nlb_ack(&buf), &error, msg,
				     sizeof(msg)), 0);
	assert_int_equal(error, 0);
	assert_string_equal(msg, "(null)");
}

/* Text on a success ack is a warning, not an error: not reported. */
static void test_ack_with_text(void **state)
{
	union test_buf buf;
	char msg[64];
	int error;

	(void)state;
	assert_int_equal(parse_error(nlb_error(&buf, 0, "just a warning",
					       NULL),
				     &error, msg, sizeof(msg)), 0);
	assert_int_equal(error, 0);
	assert_string_equal(msg, "(null)");
}

static void test_error_extack_capped(void **state)
{
	union test_buf buf;
	char msg[64];
	int error;

	(void)state;
	assert_int_equal(parse_error(nlb_error(&buf, -EINVAL, "bad window",
					       NULL),
				     &error, msg, sizeof(msg)), 0);
	assert_int_equal(error, -EINVAL);
	assert_string_equal(msg, "bad window");
}

/* Without NETLINK_CAP_ACK the request is echoed before the attributes. */
static void test_error_extack_uncapped(void **state)
{
	union test_buf req, buf;
	char msg[64];
	int error;

	(void)state;
	assert_int_equal(vw_build_getfamily(&req, sizeof(req), TEST_SEQ,
					    "a-rather-long-family-name"), 0);
	assert_int_equal(parse_error(nlb_error(&buf, -ERANGE, "too long",
					       &req.nlh),
				     &error, msg, sizeof(msg)), 0);
	assert_int_equal(error, -ERANGE);
	assert_string_equal(msg, "too long");
}

static void test_error_without_text(void **state)
{
	union test_buf buf;
	char msg[64];
	int error;

	(void)state;
	assert_int_equal(parse_error(nlb_error(&buf, -EPERM, NULL, NULL),
				     &error, msg, sizeof(msg)), 0);
	assert_int_equal(error, -EPERM);
	assert_string_equal(msg, "(null)");
}

/* Without NLM_F_ACK_TLVS, what follows the header is not attributes. */
static void test_error_tlvs_not_flagged(void **state)
{
	union test_buf buf;
	struct nlmsghdr *nlh;
	char msg[64];
	int error;

	(void)state;
	nlh = nlb_error(&buf, -EBUSY, "unflagged", NULL);
	nlh->nlmsg_flags &= ~NLM_F_ACK_TLVS;
	assert_int_equal(parse_error(nlh, &error, msg, sizeof(msg)), 0);
	assert_int_equal(error, -EBUSY);
	assert_string_equal(msg, "(null)");
}

static void test_error_truncated(void **state)
{
	union test_buf buf;
	struct nlmsghdr *nlh = nlb_error(&buf, -EPERM, NULL, NULL);
	char msg[64];
	int error;

	(void)state;
	nlh->nlmsg_len = NLMSG_HDRLEN + sizeof(struct nlmsgerr) - 1;
	assert_int_equal(parse_error(nlh, &error, msg, sizeof(msg)),
			 -EBADMSG);
	nlh->nlmsg_len = NLMSG_HDRLEN;
	assert_int_equal(parse_error(nlh, &error, msg, sizeof(msg)),
			 -EBADMSG);
}

static void test_error_invalid_code(void **state)
{
	union test_buf buf;
	char msg[64];
	int error;

	(void)state;
	assert_int_equal(parse_error(nlb_error(&buf, EINVAL, NULL, NULL),
				     &error, msg, sizeof(msg)), -EPROTO);
	assert_int_equal(parse_error(nlb_error(&buf, -5000, NULL, NULL),
				     &error, msg, sizeof(msg)), -EPROTO);
}

/* Damaged text is dropped; the errno survives. */
static void test_error_damaged_text(void **state)
{
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct nlattr *attr;
	char msg[64];
	int error;

	(void)state;
	nlh = nlb_error(&buf, -EINVAL, "oops", NULL);
	attr = mnl_nlmsg_get_payload_offset(nlh, sizeof(struct nlmsgerr));
	attr->nla_len = 200;
	assert_int_equal(parse_error(nlh, &error, msg, sizeof(msg)), 0);
	assert_int_equal(error, -EINVAL);
	assert_string_equal(msg, "(null)");

	/* NLMSGERR_ATTR_MSG without its NUL; the walk then meets padding. */
	memset(&buf, 0, sizeof(buf));
	nlh = nlb_error(&buf, -EINVAL, "oops", NULL);
	attr = mnl_attr_next(mnl_nlmsg_get_payload_offset(
		nlh, sizeof(struct nlmsgerr)));
	assert_int_equal(mnl_attr_get_type(attr), NLMSGERR_ATTR_MSG);
	attr->nla_len -= 1;
	assert_int_equal(parse_error(nlh, &error, msg, sizeof(msg)), 0);
	assert_int_equal(error, -EINVAL);
	assert_string_equal(msg, "(null)");
}

/* An uncapped ack whose echoed request claims to be larger than it. */
static void test_error_bad_echo(void **state)
{
	union test_buf req, buf;
	struct nlmsghdr *nlh;
	struct nlmsgerr *err;
	char msg[64];
	int error;

	(void)state;
	assert_int_equal(vw_build_info_get(&req, sizeof(req), TEST_FAMILY,
					   TEST_SEQ), 0);
	nlh = nlb_error(&buf, -EINVAL, "text", &req.nlh);
	err = mnl_nlmsg_get_payload(nlh);
	err->msg.nlmsg_len = 0xfffffff0;
	assert_int_equal(parse_error(nlh, &error, msg, sizeof(msg)), 0);
	assert_int_equal(error, -EINVAL);
	assert_string_equal(msg, "(null)");
}

static void xfer_info(struct vw_xfer *x, struct vw_info *info)
{
	struct nlmsghdr req = { .nlmsg_seq = TEST_SEQ };

	vw_xfer_init(x, &req, TEST_PORTID, TEST_FAMILY, vw_parse_info, info);
}

static void test_xfer_one_datagram(void **state)
{
	struct nlb_dgram d = { .len = 0 };
	union test_buf buf;
	struct vw_info info;
	struct vw_xfer x;

	(void)state;
	xfer_info(&x, &info);
	nlb_dg_add(&d, nlb_info_reply(&buf));
	nlb_dg_add(&d, nlb_ack(&buf));
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, 0);
	assert_int_equal(x.replies, 1);
	assert_int_equal(info.max_socks_per_app, 8);
}

/* genl sends the reply and the ack as separate datagrams. */
static void test_xfer_two_datagrams(void **state)
{
	struct nlb_dgram reply = { .len = 0 }, ack = { .len = 0 };
	union test_buf buf;
	struct vw_info info;
	struct vw_xfer x;

	(void)state;
	xfer_info(&x, &info);
	nlb_dg_add(&reply, nlb_info_reply(&buf));
	nlb_dg_add(&ack, nlb_ack(&buf));
	assert_int_equal(nlb_feed(&x, &reply), 0);
	assert_int_equal(x.replies, 1);
	assert_int_equal(nlb_feed(&x, &ack), 1);
	assert_int_equal(x.error, 0);
	assert_string_equal(info.version, "0.1.0");
}

/* Answers to other requests, or for other sockets, are not ours. */
static void test_xfer_skips_foreign(void **state)
{
	struct nlb_dgram d = { .len = 0 }, ack = { .len = 0 };
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct vw_info info;
	struct vw_xfer x;

	(void)state;
	xfer_info(&x, &info);
	nlh = nlb_error(&buf, -EINVAL, "stale", NULL);
	nlh->nlmsg_seq = TEST_SEQ - 1;
	nlb_dg_add(&d, nlh);
	nlh = nlb_ack(&buf);
	nlh->nlmsg_pid = TEST_PORTID + 1;
	nlb_dg_add(&d, nlh);
	nlh = nlb_ack(&buf);
	nlh->nlmsg_seq = 0;
	nlb_dg_add(&d, nlh);
	nlh = mnl_nlmsg_put_header(&buf);
	nlh->nlmsg_type = NLMSG_NOOP;
	nlh->nlmsg_seq = TEST_SEQ;
	nlh->nlmsg_pid = TEST_PORTID;
	nlb_dg_add(&d, nlh);
	nlb_dg_add(&d, nlb_info_reply(&buf));
	assert_int_equal(nlb_feed(&x, &d), 0);
	nlb_dg_add(&ack, nlb_ack(&buf));
	assert_int_equal(nlb_feed(&x, &ack), 1);
	assert_int_equal(x.error, 0);
	assert_int_equal(x.replies, 1);
}

static void test_xfer_kernel_error(void **state)
{
	struct nlb_dgram d = { .len = 0 };
	union test_buf buf;
	struct vw_info info;
	struct vw_xfer x;

	(void)state;
	xfer_info(&x, &info);
	nlb_dg_add(&d, nlb_error(&buf, -EOPNOTSUPP, "no such thing", NULL));
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, -EOPNOTSUPP);
	assert_true(x.kernel_error);
	assert_string_equal(x.why, "no such thing");
}

static void test_xfer_ack_without_reply(void **state)
{
	struct nlb_dgram d = { .len = 0 };
	union test_buf buf;
	struct vw_info info;
	struct vw_xfer x;

	(void)state;
	xfer_info(&x, &info);
	nlb_dg_add(&d, nlb_ack(&buf));
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, -EPROTO);
	assert_false(x.kernel_error);
	assert_non_null(x.why);
}

static void test_xfer_ack_only_expected(void **state)
{
	struct nlmsghdr req = { .nlmsg_seq = TEST_SEQ };
	struct nlb_dgram d = { .len = 0 };
	union test_buf buf;
	struct vw_xfer x;

	(void)state;
	vw_xfer_init(&x, &req, TEST_PORTID, TEST_FAMILY, NULL, NULL);
	nlb_dg_add(&d, nlb_ack(&buf));
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, 0);

	/* ...and then a reply is a protocol error. */
	vw_xfer_init(&x, &req, TEST_PORTID, TEST_FAMILY, NULL, NULL);
	d.len = 0;
	nlb_dg_add(&d, nlb_info_reply(&buf));
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, -EPROTO);
}

static void count_ntf(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	(*(int *)arg)++;
}

static void test_xfer_truncated_message(void **state)
{
	struct nlb_dgram d = { .len = 0 };
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct vw_info info;
	struct vw_xfer x;
	int ntfs = 0;

	(void)state;
	/* The datagram ends before the reply does. */
	xfer_info(&x, &info);
	nlb_dg_add(&d, nlb_info_reply(&buf));
	d.len -= 8;
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, -EBADMSG);
	assert_int_equal(x.replies, 0);

	/* Stray bytes too short for a header after a good message. */
	xfer_info(&x, &info);
	d.len = 0;
	nlb_dg_add(&d, nlb_info_reply(&buf));
	memset(d.buf.bytes + d.len, 0, 8);
	d.len += 8;
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, -EBADMSG);

	/* A header whose nlmsg_len is smaller than the header itself. */
	xfer_info(&x, &info);
	d.len = 0;
	nlb_dg_add(&d, nlb_ack(&buf));
	d.buf.nlh.nlmsg_len = 8;
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, -EBADMSG);

	/*
	 * One so large that it is negative as an int, which libmnl's
	 * mnl_nlmsg_ok() lets through (tests/fuzz found it): as the reply,
	 * and after the ack, where events are looked for.
	 */
	xfer_info(&x, &info);
	d.len = 0;
	nlb_dg_add(&d, nlb_info_reply(&buf));
	d.buf.nlh.nlmsg_len = 0xffffffc0;
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, -EBADMSG);
	assert_int_equal(x.replies, 0);

	xfer_info(&x, &info);
	vw_xfer_notify(&x, TEST_FAMILY, count_ntf, &ntfs);
	d.len = 0;
	nlb_dg_add(&d, nlb_info_reply(&buf));
	nlb_dg_add(&d, nlb_ack(&buf));
	nlh = (struct nlmsghdr *)(d.buf.bytes + d.len);
	nlb_dg_add(&d, nlb_ntf(&buf, VOIPWAKE_CMD_APP_FROZEN_NTF));
	nlh->nlmsg_len = 0xfffffff0;
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, 0);
	assert_int_equal(ntfs, 0);
	assert_int_equal(vw_ntf_feed(nlh, 16, TEST_FAMILY, count_ntf, &ntfs),
			 -EBADMSG);
	assert_int_equal(ntfs, 0);
}

static void test_xfer_unexpected_type(void **state)
{
	struct nlb_dgram d = { .len = 0 };
	union test_buf buf;
	struct vw_info info;
	struct vw_xfer x;

	(void)state;
	xfer_info(&x, &info);
	nlb_dg_add(&d, nlb_genl(&buf, TEST_FAMILY + 1, VOIPWAKE_CMD_INFO_GET,
			    TEST_SEQ, TEST_PORTID));
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, -EPROTO);

	xfer_info(&x, &info);
	d.len = 0;
	nlb_dg_add(&d, nlb_genl(&buf, NLMSG_DONE, 0, TEST_SEQ, TEST_PORTID));
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, -EPROTO);
}

static void test_xfer_two_replies(void **state)
{
	struct nlb_dgram d = { .len = 0 };
	union test_buf buf;
	struct vw_info info;
	struct vw_xfer x;

	(void)state;
	xfer_info(&x, &info);
	nlb_dg_add(&d, nlb_info_reply(&buf));
	nlb_dg_add(&d, nlb_info_reply(&buf));
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, -EPROTO);
}

static void test_xfer_bad_reply(void **state)
{
	struct nlb_dgram d = { .len = 0 };
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct vw_info info;
	struct vw_xfer x;

	(void)state;
	xfer_info(&x, &info);
	nlh = nlb_genl(&buf, TEST_FAMILY, VOIPWAKE_CMD_INFO_GET, TEST_SEQ,
		       TEST_PORTID);
	mnl_attr_put_u16(nlh, VOIPWAKE_A_INFO_API_VERSION, 1);
	nlb_dg_add(&d, nlh);
	nlb_dg_add(&d, nlb_ack(&buf));
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, -EBADMSG);
	assert_false(x.kernel_error);
	assert_non_null(strstr(x.why, "VOIPWAKE_A_INFO_API_VERSION"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ack),
		cmocka_unit_test(test_ack_with_text),
		cmocka_unit_test(test_error_tlvs_not_flagged),
		cmocka_unit_test(test_error_extack_capped),
		cmocka_unit_test(test_error_extack_uncapped),
		cmocka_unit_test(test_error_without_text),
		cmocka_unit_test(test_error_truncated),
		cmocka_unit_test(test_error_invalid_code),
		cmocka_unit_test(test_error_damaged_text),
		cmocka_unit_test(test_error_bad_echo),
		cmocka_unit_test(test_xfer_one_datagram),
		cmocka_unit_test(test_xfer_two_datagrams),
		cmocka_unit_test(test_xfer_skips_foreign),
		cmocka_unit_test(test_xfer_kernel_error),
		cmocka_unit_test(test_xfer_ack_without_reply),
		cmocka_unit_test(test_xfer_ack_only_expected),
		cmocka_unit_test(test_xfer_truncated_message),
		cmocka_unit_test(test_xfer_unexpected_type),
		cmocka_unit_test(test_xfer_two_replies),
		cmocka_unit_test(test_xfer_bad_reply),
	};

	return cmocka_run_group_tests_name("codec_xfer", tests, NULL, NULL);
}
