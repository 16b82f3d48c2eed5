// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * CTRL_CMD_GETFAMILY: how a generic netlink family name becomes the
 * nlmsg_type the module's commands are sent with.
 */

#include <errno.h>
#include <string.h>
#include <linux/genetlink.h>

#include "codec.h"

/* The nlctrl family has been at version 2 since Linux 2.6.24. */
#define VW_CTRL_VERSION	2

/**
 * vw_build_getfamily() - build a CTRL_CMD_GETFAMILY request
 * @buf: 4-byte aligned buffer
 * @len: size of @buf
 * @seq: sequence number
 * @name: family name
 *
 * Return: 0, or -EMSGSIZE if @buf is too small.
 */
int vw_build_getfamily(void *buf, size_t len, uint32_t seq, const char *name)
{
	struct nlmsghdr *nlh;

	nlh = vw_genl_put(buf, len, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
			  VW_CTRL_VERSION, seq);
	if (!nlh || !mnl_attr_put_strz_check(nlh, len, CTRL_ATTR_FAMILY_NAME,
					     name))
		return -EMSGSIZE;
	return 0;
}

static const struct vw_attr_rule vw_ctrl_rules[CTRL_ATTR_MCAST_GROUPS + 1] = {
	[CTRL_ATTR_FAMILY_ID] = {
		MNL_TYPE_U16, "CTRL_ATTR_FAMILY_ID is not a u16" },
	[CTRL_ATTR_FAMILY_NAME] = {
		MNL_TYPE_NUL_STRING,
		"CTRL_ATTR_FAMILY_NAME is not a NUL-terminated string" },
	[CTRL_ATTR_VERSION] = {
		MNL_TYPE_U32, "CTRL_ATTR_VERSION is not a u32" },
	[CTRL_ATTR_MCAST_GROUPS] = {
		MNL_TYPE_NESTED, "CTRL_ATTR_MCAST_GROUPS is not nested" },
};

/* Each entry of CTRL_ATTR_MCAST_GROUPS: a nest of these. */
static const struct vw_attr_rule vw_grp_rules[CTRL_ATTR_MCAST_GRP_ID + 1] = {
	[CTRL_ATTR_MCAST_GRP_NAME] = {
		MNL_TYPE_NUL_STRING,
		"CTRL_ATTR_MCAST_GRP_NAME is not a NUL-terminated string" },
	[CTRL_ATTR_MCAST_GRP_ID] = {
		MNL_TYPE_U32, "CTRL_ATTR_MCAST_GRP_ID is not a u32" },
};

static const struct vw_attr_rule vw_grp_entry_rule = {
	MNL_TYPE_NESTED, "CTRL_ATTR_MCAST_GROUPS entry is not nested"
};

/*
 * Finds fam->mcgrp among the family's multicast groups. Every entry must
 * be well formed, not only the one looked for: a damaged list is a damaged
 * reply.
 */
static int vw_parse_mcast_groups(const struct nlattr *groups,
				 struct vw_family *fam, const char **why)
{
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_ID + 1];
	const struct nlattr *entry;
	int ret;

	if (vw_attrs_check(mnl_attr_get_payload(groups),
			   mnl_attr_get_payload_len(groups))) {
		*why = "CTRL_ATTR_MCAST_GROUPS entry runs past its end";
		return -EBADMSG;
	}
	mnl_attr_for_each_nested(entry, groups) {
		if (mnl_attr_validate(entry, vw_grp_entry_rule.type) < 0) {
			*why = vw_grp_entry_rule.why;
			return -EBADMSG;
		}
		ret = vw_attrs_parse(mnl_attr_get_payload(entry),
				     mnl_attr_get_payload_len(entry),
				     vw_grp_rules, CTRL_ATTR_MCAST_GRP_ID, tb,
				     why);
		if (ret)
			return ret;
		if (!tb[CTRL_ATTR_MCAST_GRP_NAME] ||
		    !tb[CTRL_ATTR_MCAST_GRP_ID]) {
			*why = "multicast group lacks its name or id";
			return -EPROTO;
		}
		if (!fam->mcgrp ||
		    strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]),
			   fam->mcgrp))
			continue;
		fam->mcgrp_id = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
		if (!fam->mcgrp_id) {
			*why = "multicast group id is 0";
			return -EPROTO;
		}
	}
	return 0;
}

/**
 * vw_parse_getfamily() - extract the family id from a GETFAMILY reply
 * @nlh: CTRL_CMD_NEWFAMILY message from nlctrl
 * @family: struct vw_family with ->name set to the family asked for, and
 *	    ->mcgrp to the multicast group to look up (or NULL)
 * @why: set on failure
 *
 * The id is required. The name, when present, must be the one asked for:
 * anything else means the reply answers some other question. ->mcgrp_id is
 * set to the id of the group named ->mcgrp, or 0 if there is none.
 *
 * Return: 0, -EBADMSG or -EPROTO.
 */
int vw_parse_getfamily(const struct nlmsghdr *nlh, void *family,
		       const char **why)
{
	const struct nlattr *tb[CTRL_ATTR_MCAST_GROUPS + 1];
	struct vw_family *fam = family;
	const void *attrs;
	size_t len;
	int ret;

	ret = vw_genl_attrs(nlh, CTRL_CMD_NEWFAMILY, &attrs, &len, why);
	if (!ret)
		ret = vw_attrs_parse(attrs, len, vw_ctrl_rules,
				     CTRL_ATTR_MCAST_GROUPS, tb, why);
	if (ret)
		return ret;

	if (!tb[CTRL_ATTR_FAMILY_ID]) {
		*why = "reply lacks CTRL_ATTR_FAMILY_ID";
		return -EPROTO;
	}
	if (tb[CTRL_ATTR_FAMILY_NAME] &&
	    strcmp(mnl_attr_get_str(tb[CTRL_ATTR_FAMILY_NAME]), fam->name)) {
		*why = "reply describes another family";
		return -EPROTO;
	}
	fam->id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (fam->id < NLMSG_MIN_TYPE) {
		*why = "family id collides with a netlink control type";
		return -EPROTO;
	}
	fam->version = tb[CTRL_ATTR_VERSION] ?
		       mnl_attr_get_u32(tb[CTRL_ATTR_VERSION]) : 0;
	fam->mcgrp_id = 0;
	if (tb[CTRL_ATTR_MCAST_GROUPS])
		return vw_parse_mcast_groups(tb[CTRL_ATTR_MCAST_GROUPS], fam,
					     why);
	return 0;
}
