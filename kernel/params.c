// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters, each bounded: a value outside its range is refused
 * with -ERANGE at insmod time and on a sysfs write, so the rest of the
 * module never sees a nonsensical default.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/voipwake.h>

#include "params.h"

struct vw_bounded_uint {
	unsigned int val;
	unsigned int min;
	unsigned int max;
};

static int vw_param_set(const char *s, const struct kernel_param *kp)
{
	struct vw_bounded_uint *p = kp->arg;
	unsigned int v;
	int ret;

	ret = kstrtouint(s, 0, &v);
	if (ret)
		return ret;
	if (v < p->min || v > p->max) {
		pr_err("%s=%u is outside %u..%u\n", kp->name, v, p->min,
		       p->max);
		return -ERANGE;
	}
	WRITE_ONCE(p->val, v);
	return 0;
}

static int vw_param_get(char *buf, const struct kernel_param *kp)
{
	const struct vw_bounded_uint *p = kp->arg;

	return scnprintf(buf, PAGE_SIZE, "%u\n", READ_ONCE(p->val));
}

static const struct kernel_param_ops vw_bounded_uint_ops = {
	.set = vw_param_set,
	.get = vw_param_get,
};

static struct vw_bounded_uint wake_window_ms = {
	.val = 10000, .min = VW_WINDOW_MIN_MS, .max = VW_WINDOW_MAX_MS,
};
module_param_cb(wake_window_ms, &vw_bounded_uint_ops, &wake_window_ms, 0644);
__MODULE_PARM_TYPE(wake_window_ms, "uint");
MODULE_PARM_DESC(wake_window_ms,
		 "Time an app stays awake after a wake, in ms (default 10000, range 100-600000)");

static struct vw_bounded_uint wake_window_max_ms = {
	.val = 30000, .min = VW_WINDOW_MIN_MS, .max = VW_WINDOW_MAX_MS,
};
module_param_cb(wake_window_max_ms, &vw_bounded_uint_ops, &wake_window_max_ms,
		0644);
__MODULE_PARM_TYPE(wake_window_max_ms, "uint");
MODULE_PARM_DESC(wake_window_max_ms,
		 "Cap on a wake window extended by further data, in ms (default 30000, range 100-600000)");

static struct vw_bounded_uint max_socks_per_app = {
	.val = 8, .min = 1, .max = 1024,
};
module_param_cb(max_socks_per_app, &vw_bounded_uint_ops, &max_socks_per_app,
		0644);
__MODULE_PARM_TYPE(max_socks_per_app, "uint");
MODULE_PARM_DESC(max_socks_per_app,
		 "Marked sockets one app may hold (default 8, range 1-1024)");

static struct vw_bounded_uint freeze_timeout_ms = {
	.val = 5000, .min = 100, .max = 600000,
};
module_param_cb(freeze_timeout_ms, &vw_bounded_uint_ops, &freeze_timeout_ms,
		0644);
__MODULE_PARM_TYPE(freeze_timeout_ms, "uint");
MODULE_PARM_DESC(freeze_timeout_ms,
		 "Time a freeze may take before it is reported as stuck, in ms (default 5000, range 100-600000)");

static struct vw_bounded_uint min_keepalive_s = {
	.val = 600, .min = 1, .max = VOIPWAKE_KEEPALIVE_MAX_S,
};
module_param_cb(min_keepalive_s, &vw_bounded_uint_ops, &min_keepalive_s,
		0644);
__MODULE_PARM_TYPE(min_keepalive_s, "uint");
MODULE_PARM_DESC(min_keepalive_s,
		 "Shortest keep-alive timeout an app may ask for, in s (default 600, range 1-3600)");

static struct vw_bounded_uint keepalive_tolerance_pct = {
	.val = 20, .min = 1, .max = VOIPWAKE_KEEPALIVE_TOLERANCE_MAX_PCT,
};
module_param_cb(keepalive_tolerance_pct, &vw_bounded_uint_ops,
		&keepalive_tolerance_pct, 0644);
__MODULE_PARM_TYPE(keepalive_tolerance_pct, "uint");
MODULE_PARM_DESC(keepalive_tolerance_pct,
		 "How much of its timeout a keep-alive may fire early to share a wake, in % (default 20, range 1-50)");

static struct vw_bounded_uint keepalive_budget_ms = {
	.val = 10000,
	.min = VOIPWAKE_KEEPALIVE_BUDGET_MIN_MS,
	.max = VOIPWAKE_KEEPALIVE_BUDGET_MAX_MS,
};
module_param_cb(keepalive_budget_ms, &vw_bounded_uint_ops,
		&keepalive_budget_ms, 0644);
__MODULE_PARM_TYPE(keepalive_budget_ms, "uint");
MODULE_PARM_DESC(keepalive_budget_ms,
		 "Time a keep-alive wake lasts unless the app says done, in ms (default 10000, range 1000-30000)");

/*
 * Which keep-alives may wake a suspended system, for apps an admin did
 * not say: none by default, as a process needs CAP_WAKE_ALARM for its
 * own timers to do it.
 */
static struct vw_bounded_uint wake_system_default = {
	.val = 0, .min = 0, .max = 1,
};
module_param_cb(wake_system_default, &vw_bounded_uint_ops,
		&wake_system_default, 0644);
__MODULE_PARM_TYPE(wake_system_default, "uint");
MODULE_PARM_DESC(wake_system_default,
		 "Whether an app's keep-alive may wake the system from suspend unless an admin said (default 0, range 0-1)");

unsigned int vw_param_wake_window_ms(void)
{
	return READ_ONCE(wake_window_ms.val);
}

unsigned int vw_param_wake_window_max_ms(void)
{
	return READ_ONCE(wake_window_max_ms.val);
}

unsigned int vw_param_max_socks_per_app(void)
{
	return READ_ONCE(max_socks_per_app.val);
}

unsigned int vw_param_freeze_timeout_ms(void)
{
	return READ_ONCE(freeze_timeout_ms.val);
}

unsigned int vw_param_min_keepalive_s(void)
{
	return READ_ONCE(min_keepalive_s.val);
}

unsigned int vw_param_keepalive_tolerance_pct(void)
{
	return READ_ONCE(keepalive_tolerance_pct.val);
}

unsigned int vw_param_keepalive_budget_ms(void)
{
	return READ_ONCE(keepalive_budget_ms.val);
}

bool vw_param_wake_system_default(void)
{
	return READ_ONCE(wake_system_default.val);
}
