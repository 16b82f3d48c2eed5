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
 */

#include <linux/device.h>
#include <linux/jiffies.h>
#include <linux/spinlock.h>
#include <linux/suspend.h>
#include <linux/wait.h>

#include "params.h"
#include "pm.h"

static struct wakeup_source *vw_ws;
static DEFINE_SPINLOCK(vw_pm_lock);
static unsigned int vw_pm_holds;
static DECLARE_WAIT_QUEUE_HEAD(vw_pm_idle);
/* Between a suspend's wait and its end: a new wake aborts it. */
static bool vw_pm_entering;

static bool vw_pm_idle_now(void)
{
	unsigned long flags;
	bool idle;

	spin_lock_irqsave(&vw_pm_lock, flags);
	idle = !vw_pm_holds;
	spin_unlock_irqrestore(&vw_pm_lock, flags);
	return idle;
}

static int vw_pm_notify(struct notifier_block *nb, unsigned long ev,
			void *unused)
{
	unsigned int ms;

	switch (ev) {
	case PM_SUSPEND_PREPARE:
	case PM_HIBERNATION_PREPARE:
		ms = max(vw_param_wake_window_max_ms(),
			 vw_param_keepalive_budget_ms());
		if (!wait_event_timeout(vw_pm_idle, vw_pm_idle_now(),
					msecs_to_jiffies(ms)))
			pr_info("suspend went ahead of an app still woken after %u ms\n",
				ms);
		WRITE_ONCE(vw_pm_entering, true);
		break;
	case PM_POST_SUSPEND:
	case PM_POST_HIBERNATION:
		WRITE_ONCE(vw_pm_entering, false);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block vw_pm_nb = {
	.notifier_call = vw_pm_notify,
};

int vw_pm_init(void)
{
	int ret;

	vw_ws = wakeup_source_register(NULL, KBUILD_MODNAME);
	/* Without CONFIG_PM_SLEEP there is no source, and no suspend. */
	if (IS_ENABLED(CONFIG_PM_SLEEP) && !vw_ws)
		return -ENOMEM;
	ret = register_pm_notifier(&vw_pm_nb);
	if (ret) {
		wakeup_source_unregister(vw_ws);
		vw_ws = NULL;
	}
	return ret;
}

/* Every hold was released by now: each app's went with the app. */
void vw_pm_exit(void)
{
	unregister_pm_notifier(&vw_pm_nb);
	WARN_ON_ONCE(vw_pm_holds);
	wakeup_source_unregister(vw_ws);
	vw_ws = NULL;
}

void vw_pm_hold(void)
{
	unsigned long flags;

	spin_lock_irqsave(&vw_pm_lock, flags);
	if (!vw_pm_holds++)
		__pm_stay_awake(vw_ws);
	spin_unlock_irqrestore(&vw_pm_lock, flags);
	if (READ_ONCE(vw_pm_entering))
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
	pm_system_wakeup();
}
