// SPDX-License-Identifier: GPL-2.0
/*
 * voipwake: freeze backgrounded apps and wake them when their marked
 * sockets need them, the way iOS serves VoIP apps.
 */

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <linux/voipwake.h>

#include "app.h"
#include "netlink.h"
#include "pm.h"
#include "sock.h"

static void __net_exit vw_net_exit(struct net *net)
{
	vw_apps_forget_listener(net, 0);
}

static struct pernet_operations vw_net_ops = {
	.exit = vw_net_exit,
};

static int __init vw_init(void)
{
	int ret;

	ret = vw_pm_init();
	if (ret)
		return ret;
	ret = vw_apps_init();
	if (ret)
		goto err_pm;
	ret = register_pernet_subsys(&vw_net_ops);
	if (ret)
		goto err_apps;
	ret = vw_genl_init();
	if (ret)
		goto err_pernet;

	pr_info("version %s loaded\n", VOIPWAKE_VERSION);
	return 0;

err_pernet:
	unregister_pernet_subsys(&vw_net_ops);
err_apps:
	vw_apps_exit();
err_pm:
	vw_pm_exit();
	return ret;
}

static void __exit vw_exit(void)
{
	vw_genl_uninit();
	unregister_pernet_subsys(&vw_net_ops);
	vw_apps_exit();
	vw_socks_exit();
	vw_pm_exit();
	pr_info("unloaded\n");
}

module_init(vw_init);
module_exit(vw_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Kernel-assisted socket wake for backgrounded VoIP apps");
MODULE_AUTHOR("The voipwake developers");
MODULE_VERSION(VOIPWAKE_VERSION);
MODULE_ALIAS_GENL_FAMILY(VOIPWAKE_GENL_NAME);
