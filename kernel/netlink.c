// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "voipwake": the only way userspace talks to
 * the module. The ABI is include/uapi/linux/voipwake.h.
 */

#include <linux/module.h>
#include <net/genetlink.h>
#include <linux/voipwake.h>

#include "netlink.h"
#include "params.h"

static struct genl_family vw_genl_family;

static int vw_info_fill(struct sk_buff *msg)
{
	if (nla_put_string(msg, VOIPWAKE_A_INFO_VERSION, VOIPWAKE_VERSION) ||
	    nla_put_u32(msg, VOIPWAKE_A_INFO_API_VERSION,
			VOIPWAKE_GENL_VERSION) ||
	    nla_put_u32(msg, VOIPWAKE_A_INFO_FEATURES, 0) ||
	    nla_put_u32(msg, VOIPWAKE_A_INFO_WAKE_WINDOW_MS,
			vw_param_wake_window_ms()) ||
	    nla_put_u32(msg, VOIPWAKE_A_INFO_WAKE_WINDOW_MAX_MS,
			vw_param_wake_window_max_ms()) ||
	    nla_put_u32(msg, VOIPWAKE_A_INFO_MAX_SOCKS_PER_APP,
			vw_param_max_socks_per_app()))
		return -EMSGSIZE;
	return 0;
}

static int vw_nl_info_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	hdr = genlmsg_put_reply(msg, info, &vw_genl_family, 0,
				VOIPWAKE_CMD_INFO_GET);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto err_free;
	}
	ret = vw_info_fill(msg);
	if (ret)
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return ret;
}

/*
 * INFO_GET carries no policy: with resv_start_op at the first command the
 * core refuses any attribute and any non-zero reserved header field, so a
 * client cannot come to rely on something that is silently ignored.
 */
static const struct genl_ops vw_genl_ops[] = {
	{
		.cmd = VOIPWAKE_CMD_INFO_GET,
		.doit = vw_nl_info_get,
	},
};

static struct genl_family vw_genl_family __ro_after_init = {
	.name = VOIPWAKE_GENL_NAME,
	.version = VOIPWAKE_GENL_VERSION,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = vw_genl_ops,
	.n_ops = ARRAY_SIZE(vw_genl_ops),
	.resv_start_op = VOIPWAKE_CMD_INFO_GET,
};

int __init vw_genl_init(void)
{
	return genl_register_family(&vw_genl_family);
}

void vw_genl_uninit(void)
{
	genl_unregister_family(&vw_genl_family);
}
