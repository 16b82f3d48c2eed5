// SPDX-License-Identifier: GPL-2.0
/*
 * voipwake: freeze backgrounded apps and wake them when their marked
 * sockets need them, the way iOS serves VoIP apps.
 */

#include <linux/module.h>
#include <net/genetlink.h>
#include <linux/voipwake.h>

#include "netlink.h"

static int __init vw_init(void)
{
	int ret;

	ret = vw_genl_init();
	if (ret)
		return ret;

	pr_info("version %s loaded\n", VOIPWAKE_VERSION);
	return 0;
}

static void __exit vw_exit(void)
{
	vw_genl_uninit();
	pr_info("unloaded\n");
}

module_init(vw_init);
module_exit(vw_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Kernel-assisted socket wake for backgrounded VoIP apps");
MODULE_AUTHOR("The voipwake developers");
MODULE_VERSION(VOIPWAKE_VERSION);
MODULE_ALIAS_GENL_FAMILY(VOIPWAKE_GENL_NAME);
