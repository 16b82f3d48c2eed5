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
 */

#include <linux/device.h>
#include <linux/spinlock.h>
#include <linux/suspend.h>

#include "pm.h"

static struct wakeup_source *vw_ws;
static DEFINE_SPINLOCK(vw_pm_lock);
static unsigned int vw_pm_holds;

int vw_pm_init(void)
{
	vw_ws = wakeup_source_register(NULL, KBUILD_MODNAME);
	/* Without CONFIG_PM_SLEEP there is no source, and no suspend. */
	if (IS_ENABLED(CONFIG_PM_SLEEP) && !vw_ws)
		return -ENOMEM;
	return 0;
}

/* Every hold was released by now: each app's went with the app. */
void vw_pm_exit(void)
{
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
}

void vw_pm_release(void)
{
	unsigned long flags;

	spin_lock_irqsave(&vw_pm_lock, flags);
	if (!WARN_ON_ONCE(!vw_pm_holds) && !--vw_pm_holds)
		__pm_relax(vw_ws);
	spin_unlock_irqrestore(&vw_pm_lock, flags);
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
