// SPDX-License-Identifier: GPL-2.0
/* The raw-netlink test programs' reading of an NLMSG_ERROR and its extack. */
#include <errno.h>
#include <stdio.h>
#include <libmnl/libmnl.h>

#include "nlerr.h"

static int msg_attr(const struct nlattr *attr, void *data)
{
	const char **msg = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
		*msg = mnl_attr_get_str(attr);
	return MNL_CB_OK;
}

int nlerr_parse(const struct nlmsghdr *nlh, const char **msg)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	unsigned int off = sizeof(*e);

	*msg = NULL;
	/* Without NLM_F_CAPPED the request follows, whole. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_parse(nlh, off, msg_attr, msg);
	return e->error;
}

int nlerr_cb(const struct nlmsghdr *nlh, char *extack, size_t len)
{
	const char *msg;
	int err = nlerr_parse(nlh, &msg);

	if (msg)
		snprintf(extack, len, "%s", msg);
	errno = -err;
	return err ? MNL_CB_ERROR : MNL_CB_STOP;
}
