// SPDX-License-Identifier: GPL-2.0
/*
 * Holding off system suspend while an app is woken.
 *
 * One wakeup source for the module, not one per app: registering one
 * creates a device in /sys/class/wakeup and may sleep, which creating an
 * app (under vw_apps_lock, for any unprivileged app that marks a socket)
 * should not cost, and which app holds it is what voipwakectl status
 * already says (its state is "awake"). A wakeup source is not counted
 * (__pm_relax() ends it however many held it), so the holds are counted
 * here: the source is active while the count is not zero.
 *
 * Holds are taken from hard and soft interrupt context (the keep-alive
 * alarm, a socket's data), hence the irqsave lock.
 *
 * The wakeup source holds off only a suspend that goes through
 * /sys/power/wakeup_count (autosleep, suspend daemons that do the
 * handshake). systemd-sleep writes /sys/power/state directly, so a PM
 * notifier also makes every suspend wait, before tasks are frozen, until
 * no app is woken: bounded by the longest a wake may hold (a window's cap
 * or a keep-alive's budget), so that a stream of wakes cannot keep the
 * machine up. A wake that comes after that wait aborts the suspend, as a
 * wake-capable interrupt would.
 *
 * pm_system_wakeup() alone cannot abort it in every phase: freeze_processes()
 * clears the abort count, so one raised between the notifier and the freeze
 * of tasks (other notifiers, waiting for usermode helpers) would be lost.
 * Such a late wake is remembered, and raised again by the prepare callback
 * of the module's device, which every suspend and hibernation runs after
 * the freeze of tasks, where dpm_suspend() and s2idle look for it.
 */

#include <linux/device.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/suspend.h>
#include <linux/wait.h>

#include "params.h"
#include "pm.h"

static struct wakeup_source *vw_ws;
static struct device *vw_pm_dev;
static DEFINE_SPINLOCK(vw_pm_lock);
static unsigned int vw_pm_holds;
static DECLARE_WAIT_QUEUE_HEAD(vw_pm_idle);
/*
 * Under vw_pm_lock. entering: between a suspend's wait and its end, when a
 * new wake aborts it. late: such a wake came.
 */
static bool vw_pm_entering;
static bool vw_pm_late;

static bool vw_pm_idle_now(void)
{
	unsigned long flags;
	bool idle;

	spin_lock_irqsave(&vw_pm_lock, flags);
	idle = !vw_pm_holds;
	spin_unlock_irqrestore(&vw_pm_lock, flags);
	return idle;
}

/*
 * The wait's end and the flag are one step under the lock, so that a wake
 * in between is late (a hold still there after a wait that did not time
 * out came after it), not missed.
 */
static void vw_pm_enter(bool waited)
{
	unsigned long flags;
	bool late;

	spin_lock_irqsave(&vw_pm_lock, flags);
	vw_pm_entering = true;
	late = waited && vw_pm_holds;
	vw_pm_late = late;
	spin_unlock_irqrestore(&vw_pm_lock, flags);
	if (late)
		pm_system_wakeup();
}

static void vw_pm_leave(void)
{
	unsigned long flags;

	spin_lock_irqsave(&vw_pm_lock, flags);
	vw_pm_entering = false;
	vw_pm_late = false;
	spin_unlock_irqrestore(&vw_pm_lock, flags);
}

static int vw_pm_notify(struct notifier_block *nb, unsigned long ev,
			void *unused)
{
	unsigned int ms;
	bool waited;

	switch (ev) {
	case PM_SUSPEND_PREPARE:
	case PM_HIBERNATION_PREPARE:
		ms = max(vw_param_wake_window_max_ms(),
			 vw_param_keepalive_budget_ms());
		waited = wait_event_timeout(vw_pm_idle, vw_pm_idle_now(),
					    msecs_to_jiffies(ms));
		if (!waited)
			pr_info("suspend went ahead of an app still woken after %u ms\n",
				ms);
		vw_pm_enter(waited);
		break;
	case PM_POST_SUSPEND:
	case PM_POST_HIBERNATION:
		vw_pm_leave();
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block vw_pm_nb = {
	.notifier_call = vw_pm_notify,
};

/* Runs after freeze_processes(), which forgot any abort raised before. */
static int vw_pm_prepare(struct device *dev)
{
	unsigned long flags;
	bool late;

	spin_lock_irqsave(&vw_pm_lock, flags);
	late = vw_pm_late;
	spin_unlock_irqrestore(&vw_pm_lock, flags);
	if (late)
		pm_system_wakeup();
	return 0;
}

static const struct dev_pm_ops vw_pm_dev_ops = {
	.prepare = vw_pm_prepare,
};

static const struct device_type vw_pm_dev_type = {
	.name = KBUILD_MODNAME,
	.pm = &vw_pm_dev_ops,
};

static void vw_pm_dev_release(struct device *dev)
{
	kfree(dev);
}

/* /sys/devices/voipwake: no bus, no driver, only the prepare callback. */
static int vw_pm_dev_add(void)
{
	struct device *dev;
	int ret;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	device_initialize(dev);
	dev->type = &vw_pm_dev_type;
	dev->release = vw_pm_dev_release;
	ret = dev_set_name(dev, KBUILD_MODNAME);
	if (!ret)
		ret = device_add(dev);
	if (ret) {
		put_device(dev);
		return ret;
	}
	vw_pm_dev = dev;
	return 0;
}

int vw_pm_init(void)
{
	int ret;

	ret = vw_pm_dev_add();
	if (ret)
		return ret;
	vw_ws = wakeup_source_register(vw_pm_dev, KBUILD_MODNAME);
	/* Without CONFIG_PM_SLEEP there is no source, and no suspend. */
	if (IS_ENABLED(CONFIG_PM_SLEEP) && !vw_ws) {
		ret = -ENOMEM;
		goto err_dev;
	}
	ret = register_pm_notifier(&vw_pm_nb);
	if (ret)
		goto err_ws;
	return 0;

err_ws:
	wakeup_source_unregister(vw_ws);
	vw_ws = NULL;
err_dev:
	device_unregister(vw_pm_dev);
	vw_pm_dev = NULL;
	return ret;
}

/* Every hold was released by now: each app's went with the app. */
void vw_pm_exit(void)
{
	unregister_pm_notifier(&vw_pm_nb);
	WARN_ON_ONCE(vw_pm_holds);
	wakeup_source_unregister(vw_ws);
	vw_ws = NULL;
	device_unregister(vw_pm_dev);
	vw_pm_dev = NULL;
}

/* Under vw_pm_lock: a wake while a suspend is entered makes it late. */
static bool vw_pm_mark_late(void)
{
	lockdep_assert_held(&vw_pm_lock);
	if (vw_pm_entering)
		vw_pm_late = true;
	return vw_pm_entering;
}

void vw_pm_hold(void)
{
	unsigned long flags;
	bool late;

	spin_lock_irqsave(&vw_pm_lock, flags);
	if (!vw_pm_holds++)
		__pm_stay_awake(vw_ws);
	late = vw_pm_mark_late();
	spin_unlock_irqrestore(&vw_pm_lock, flags);
	if (late)
		pm_system_wakeup();
}

void vw_pm_release(void)
{
	unsigned long flags;
	bool idle = false;

	spin_lock_irqsave(&vw_pm_lock, flags);
	if (!WARN_ON_ONCE(!vw_pm_holds) && !--vw_pm_holds) {
		__pm_relax(vw_ws);
		idle = true;
	}
	spin_unlock_irqrestore(&vw_pm_lock, flags);
	if (idle)
		wake_up(&vw_pm_idle);
}

/*
 * A keep-alive fell due: a hard wakeup event, which aborts a suspend
 * already past the point where the wakeup count is checked (the freeze of
 * tasks, the devices' suspend), as a wake-capable interrupt would.
 */
void vw_pm_hard_event(void)
{
	unsigned long flags;

	spin_lock_irqsave(&vw_pm_lock, flags);
	vw_pm_mark_late();
	spin_unlock_irqrestore(&vw_pm_lock, flags);
	pm_system_wakeup();
}
