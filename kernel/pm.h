/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VOIPWAKE_PM_H
#define _VOIPWAKE_PM_H

/*
 * pm.c: the module's one wakeup source, held while any app is being woken
 * or runs in a wake window, so that a suspend that goes through
 * /sys/power/wakeup_count (autosleep) waits for it, and a PM notifier that
 * makes any other suspend (systemd-sleep) wait for it too, within a bound.
 */
int vw_pm_init(void);
void vw_pm_exit(void);
void vw_pm_hold(void);
void vw_pm_release(void);
void vw_pm_hard_event(void);

#endif /* _VOIPWAKE_PM_H */
