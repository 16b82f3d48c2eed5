// SPDX-License-Identifier: GPL-2.0
/*
 * CTRL_CMD_GETFAMILY: the request naming "voipwake", and the family id and
 * the "admin" multicast group id extracted from nlctrl's reply.
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

static int parse(const struct nlmsghdr *nlh, struct vw_family *fam)
{
	void *copy = nlb_dup(nlh, nlh->nlmsg_len);
	const char *why = NULL;
	int ret;

	assert_non_null(copy);
	fam->name = VOIPWAKE_GENL_NAME;
	fam->mcgrp = VOIPWAKE_MCGRP_ADMIN;
	fam->mcgrp_id = 0xdead;
	ret = vw_parse_getfamily(copy, fam, &why);
	if (ret)
		assert_non_null(why);
	free(copy);
	return ret;
}

static void test_request_layout(void **state)
{
	const struct genlmsghdr *genl;
	const struct nlattr *attr;
	union test_buf buf;
	struct nlmsghdr *nlh = &buf.nlh;

	(void)state;
	memset(&buf, 0xa5, sizeof(buf));
	assert_int_equal(vw_build_getfamily(&buf, sizeof(buf), 99,
					    VOIPWAKE_GENL_NAME), 0);
	genl = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(nlh->nlmsg_type, GENL_ID_CTRL);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(nlh->nlmsg_seq, 99);
	assert_int_equal(genl->cmd, CTRL_CMD_GETFAMILY);
	assert_int_equal(genl->reserved, 0);
	/* Exactly one attribute: the NUL-terminated name, padded. */
	assert_int_equal(nlh->nlmsg_len, NLMSG_HDRLEN + GENL_HDRLEN +
			 NLA_HDRLEN + NLA_ALIGN(sizeof(VOIPWAKE_GENL_NAME)));
	attr = mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN);
	assert_int_equal(mnl_attr_get_type(attr), CTRL_ATTR_FAMILY_NAME);
	assert_int_equal(mnl_attr_get_payload_len(attr),
			 sizeof(VOIPWAKE_GENL_NAME));
	assert_string_equal(mnl_attr_get_str(attr), VOIPWAKE_GENL_NAME);
}

static void test_request_too_small(void **state)
{
	union test_buf buf;
	size_t need = NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN +
		      NLA_ALIGN(sizeof(VOIPWAKE_GENL_NAME));

	(void)state;
	assert_int_equal(vw_build_getfamily(&buf, need - 1, 1,
					    VOIPWAKE_GENL_NAME), -EMSGSIZE);
	assert_int_equal(vw_build_getfamily(&buf, need, 1,
					    VOIPWAKE_GENL_NAME), 0);
}

static void test_family_id(void **state)
{
	struct vw_family fam = { 0 };
	union test_buf buf;

	(void)state;
	assert_int_equal(parse(nlb_family_reply(&buf), &fam), 0);
	assert_int_equal(fam.id, 0x1d);
	assert_int_equal(fam.version, 1);
}

static void test_id_only(void **state)
{
	struct vw_family fam = { 0 };
	union test_buf buf;
	struct nlmsghdr *nlh = nlb_family(&buf);

	(void)state;
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x2a);
	assert_int_equal(parse(nlh, &fam), 0);
	assert_int_equal(fam.id, 0x2a);
	assert_int_equal(fam.version, 0);
}

static void test_missing_id(void **state)
{
	struct vw_family fam = { 0 };
	union test_buf buf;
	struct nlmsghdr *nlh = nlb_family(&buf);

	(void)state;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, VOIPWAKE_GENL_NAME);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, 1);
	assert_int_equal(parse(nlh, &fam), -EPROTO);
}

static void test_other_family(void **state)
{
	struct vw_family fam = { 0 };
	union test_buf buf;
	struct nlmsghdr *nlh = nlb_family(&buf);

	(void)state;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "voipwake2");
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x1d);
	assert_int_equal(parse(nlh, &fam), -EPROTO);
}

static void test_id_wrong_size(void **state)
{
	struct vw_family fam = { 0 };
	union test_buf buf;
	struct nlmsghdr *nlh = nlb_family(&buf);

	(void)state;
	mnl_attr_put_u32(nlh, CTRL_ATTR_FAMILY_ID, 0x1d);
	assert_int_equal(parse(nlh, &fam), -EBADMSG);
}

static void test_reserved_id(void **state)
{
	struct vw_family fam = { 0 };
	union test_buf buf;
	struct nlmsghdr *nlh = nlb_family(&buf);

	(void)state;
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, NLMSG_ERROR);
	assert_int_equal(parse(nlh, &fam), -EPROTO);
}

static void test_wrong_command(void **state)
{
	struct vw_family fam = { 0 };
	union test_buf buf;
	struct nlmsghdr *nlh;

	(void)state;
	nlh = nlb_genl(&buf, GENL_ID_CTRL, CTRL_CMD_DELFAMILY, TEST_SEQ,
		       TEST_PORTID);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x1d);
	assert_int_equal(parse(nlh, &fam), -EPROTO);
}

static void test_truncated(void **state)
{
	struct vw_family fam = { 0 };
	union test_buf buf;
	struct nlmsghdr *nlh = nlb_family_reply(&buf);

	(void)state;
	/* Cut inside the nested operations list. */
	nlh->nlmsg_len -= 8;
	assert_int_equal(parse(nlh, &fam), -EBADMSG);
}

static void test_mcast_group(void **state)
{
	struct vw_family fam = { 0 };
	union test_buf buf;

	(void)state;
	assert_int_equal(parse(nlb_family_groups_reply(&buf), &fam), 0);
	assert_int_equal(fam.id, 0x1d);
	assert_int_equal(fam.mcgrp_id, 0x21);
}

/* A module without the group (0.1) is not an error: the id is 0. */
static void test_mcast_group_absent(void **state)
{
	struct vw_family fam = { 0 };
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct nlattr *grps;

	(void)state;
	assert_int_equal(parse(nlb_family_reply(&buf), &fam), 0);
	assert_int_equal(fam.mcgrp_id, 0);

	nlh = nlb_family_reply(&buf);
	grps = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	nlb_family_group(nlh, 1, "administrators", 0x22);
	nlb_family_group(nlh, 2, "admi", 0x23);
	mnl_attr_nest_end(nlh, grps);
	assert_int_equal(parse(nlh, &fam), 0);
	assert_int_equal(fam.mcgrp_id, 0);
}

static void test_mcast_group_malformed(void **state)
{
	struct vw_family fam = { 0 };
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct nlattr *grps, *grp;

	(void)state;
	/* An entry without its id, even one not looked for. */
	nlh = nlb_family_reply(&buf);
	grps = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	nlb_family_group(nlh, 1, "other", 0);
	nlb_family_group(nlh, 2, VOIPWAKE_MCGRP_ADMIN, 0x21);
	mnl_attr_nest_end(nlh, grps);
	assert_int_equal(parse(nlh, &fam), -EPROTO);

	/* Id 0 is no group. */
	nlh = nlb_family_reply(&buf);
	grps = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	grp = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, VOIPWAKE_MCGRP_ADMIN);
	mnl_attr_nest_end(nlh, grp);
	mnl_attr_nest_end(nlh, grps);
	assert_int_equal(parse(nlh, &fam), -EPROTO);

	/* Id of the wrong size. */
	nlh = nlb_family_reply(&buf);
	grps = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	grp = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_u16(nlh, CTRL_ATTR_MCAST_GRP_ID, 0x21);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, VOIPWAKE_MCGRP_ADMIN);
	mnl_attr_nest_end(nlh, grp);
	mnl_attr_nest_end(nlh, grps);
	assert_int_equal(parse(nlh, &fam), -EBADMSG);

	/* Name without its NUL. */
	nlh = nlb_family_reply(&buf);
	grps = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	grp = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 0x21);
	mnl_attr_put(nlh, CTRL_ATTR_MCAST_GRP_NAME, 5, VOIPWAKE_MCGRP_ADMIN);
	mnl_attr_nest_end(nlh, grp);
	mnl_attr_nest_end(nlh, grps);
	assert_int_equal(parse(nlh, &fam), -EBADMSG);

	/* An entry that is not a nest. */
	nlh = nlb_family_reply(&buf);
	grps = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	mnl_attr_put_u8(nlh, 1, 1);
	mnl_attr_nest_end(nlh, grps);
	assert_int_equal(parse(nlh, &fam), -EBADMSG);

	/* The list itself is not a nest. */
	nlh = nlb_family_reply(&buf);
	mnl_attr_put_u16(nlh, CTRL_ATTR_MCAST_GROUPS, 1);
	assert_int_equal(parse(nlh, &fam), -EBADMSG);
}

/* An entry whose length runs past the end of the list. */
static void test_mcast_group_overrun(void **state)
{
	struct vw_family fam = { 0 };
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct nlattr *grps, *grp;

	(void)state;
	nlh = nlb_family_reply(&buf);
	grps = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	grp = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, 0x21);
	mnl_attr_nest_end(nlh, grp);
	mnl_attr_nest_end(nlh, grps);
	grp->nla_len += 8;
	/* Still inside the message: only the list's bound catches it. */
	mnl_attr_put_u32(nlh, CTRL_ATTR_HDRSIZE, 0);
	mnl_attr_put_u32(nlh, CTRL_ATTR_HDRSIZE, 0);
	assert_int_equal(parse(nlh, &fam), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_layout),
		cmocka_unit_test(test_request_too_small),
		cmocka_unit_test(test_family_id),
		cmocka_unit_test(test_id_only),
		cmocka_unit_test(test_missing_id),
		cmocka_unit_test(test_other_family),
		cmocka_unit_test(test_id_wrong_size),
		cmocka_unit_test(test_reserved_id),
		cmocka_unit_test(test_wrong_command),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_mcast_group),
		cmocka_unit_test(test_mcast_group_absent),
		cmocka_unit_test(test_mcast_group_malformed),
		cmocka_unit_test(test_mcast_group_overrun),
	};

	return cmocka_run_group_tests_name("codec_ctrl", tests, NULL, NULL);
}
