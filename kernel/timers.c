// SPDX-License-Identifier: GPL-2.0
/*
 * What runs for an app on its own: the end of its wake window, the end of
 * a held wake's interval, and the watch on its freezer. Nothing here is
 * periodic. The freezer is watched through cgroup.events, whose changes
 * (frozen, populated) kernfs announces on the file's poll wait queue: the
 * app waits there with an entry of its own, as aio and io_uring poll do,
 * and the only timer of a freeze is its one-shot timeout.
 */

#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>

#include "app.h"
#include "cgremove.h"
#include "compat.h"
#include "freezer.h"
#include "gate.h"
#include "netlink.h"
#include "params.h"
#include "pm.h"
#include "sock.h"

/*
 * Opens or extends the wake window to @ms from now. A data window is
 * capped at wake_window_max_ms from its opening; a keep-alive budget is
 * its own bound. Both count CLOCK_BOOTTIME, on a timer of that clock: a
 * system suspended in a window (one that did not ask wakeup_count) ends
 * it at resume, not that much later, as jiffies would.
 */
void vw_app_arm_window(struct vw_app *app, bool opening, unsigned int ms,
		       bool capped)
{
	u64 now = ktime_get_boottime_ns(), end, cap;

	/* The app cannot run: its window opens when it can. */
	if (app->deferred) {
		vw_app_cancel_window(app);
		return;
	}
	if (opening)
		app->wake_start = now;
	end = now + (u64)ms * NSEC_PER_MSEC;
	cap = app->wake_start +
	      (u64)vw_param_wake_window_max_ms() * NSEC_PER_MSEC;
	if (capped && end > cap)
		end = cap;
	if (!opening && end <= app->window_end)
		return;
	app->window_end = end;
	hrtimer_start(&app->window_timer, ns_to_ktime(end), HRTIMER_MODE_ABS);
}

/*
 * A stale window end does nothing (vw_app_window_fn() looks at the state
 * under app->mutex), so a timer that already fired needs no waiting for.
 */
void vw_app_cancel_window(struct vw_app *app)
{
	hrtimer_try_to_cancel(&app->window_timer);
}

static enum hrtimer_restart vw_app_window_timer_fn(struct hrtimer *t)
{
	struct vw_app *app = container_of(t, struct vw_app, window_timer);

	queue_work(vw_wq, &app->window_work);
	return HRTIMER_NORESTART;
}

/*
 * The app holds off suspend while it is awake, whatever put it there or
 * took it out (app->mutex held; the state is what the state machine
 * left). Called after every transition and when the app is removed.
 */
void vw_app_pm_sync(struct vw_app *app)
{
	bool want = !app->removed &&
		    READ_ONCE(app->state) == VOIPWAKE_APP_STATE_AWAKE;

	lockdep_assert_held(&app->mutex);
	if (want == app->pm_awake)
		return;
	app->pm_awake = want;
	if (want)
		vw_pm_hold();
	else
		vw_pm_release();
}

static void vw_app_hold_fn(struct work_struct *work)
{
	struct vw_app *app = container_of(to_delayed_work(work),
					  struct vw_app, hold_work);

	queue_work(vw_wq, &app->work);
}

/*
 * The window ran out. Data still unread is the app's own doing (it was
 * running when the data came), but it gets the rest of the cap to read it
 * before it is frozen anyway.
 *
 * The wakes recorded during the window are consumed before the sockets
 * are looked at, under the same lock the callbacks record them with: data
 * that came before is either seen here or was read, and data that comes
 * after stays pending and wakes the app once it is frozen. Erasing them
 * at the freeze instead lost what came between the look and the freeze.
 */
static void vw_app_window_fn(struct work_struct *work)
{
	struct vw_app *app = container_of(work, struct vw_app, window_work);
	u64 now = ktime_get_boottime_ns(), cap;
	struct vw_sock *vs;
	u32 bytes;

	mutex_lock(&app->mutex);
	if (READ_ONCE(app->state) != VOIPWAKE_APP_STATE_AWAKE ||
	    app->deferred)
		goto out;
	if (now < app->window_end) {
		hrtimer_start(&app->window_timer, ns_to_ktime(app->window_end),
			      HRTIMER_MODE_ABS);
		goto out;
	}
	spin_lock_bh(&app->lock);
	app->pending &= BIT(VOIPWAKE_WAKE_KEEPALIVE);
	spin_unlock_bh(&app->lock);
	cap = app->wake_start +
	      (u64)vw_param_wake_window_max_ms() * NSEC_PER_MSEC;
	if (now < cap) {
		list_for_each_entry(vs, &app->socks, node) {
			if (vw_sock_unread(vs, &bytes)) {
				vw_app_arm_window(app, false,
						  vw_app_window_ms(app), true);
				goto out;
			}
		}
	}
	vw_app_apply(app, VW_EV_WINDOW_END, NULL, NULL);
out:
	mutex_unlock(&app->mutex);
}

/*
 * cgroup.events changed: the freeze may be complete, or the cgroup may
 * have no task left (then the collector takes the app: not from here,
 * as removing an app waits for this very work).
 */
static void vw_app_watch(struct vw_app *app)
{
	bool idle;

	mutex_lock(&app->mutex);
	vw_app_freezer_changed(app);
	if (READ_ONCE(app->state) == VOIPWAKE_APP_STATE_BACKGROUND &&
	    !app->frozen && vw_freezer_frozen(app->cgrp)) {
		app->frozen = true;
		app->frozen_since_ns = ktime_get_boottime_ns();
		cancel_delayed_work(&app->freeze_timeout_work);
		vw_notify_app(app, VOIPWAKE_CMD_APP_FROZEN_NTF, NULL);
	}
	idle = !app->removed && !app->nsocks &&
	       !cgroup_is_populated(app->cgrp);
	mutex_unlock(&app->mutex);
	if (idle)
		vw_apps_collect();
}

static void vw_app_watch_fn(struct work_struct *work)
{
	vw_app_watch(container_of(work, struct vw_app, watch_work));
}

/*
 * cgroup_file_notify() sends at most one notification per
 * CGROUP_FILE_NOTIFY_MIN_INTV (DIV_ROUND_UP(HZ, 100) jiffies, private to
 * kernel/cgroup/cgroup.c): a change within that interval of the last one
 * is put off on a timer, and an rmdir meanwhile cancels that timer
 * (cgroup_rm_file()). A cgroup that loses its last task and is removed at
 * once then never says it was emptied, and its app would never be
 * collected. So the watch looks once more after every notification it
 * gets, and after it starts, when any change put off in between is
 * visible: one more work item per change, none while nothing changes.
 * Two jiffies more: the interval's end is inclusive, and a tick may fall
 * between our wake and the notifier's own time stamp.
 */
#define VW_NOTIFY_SETTLE	(DIV_ROUND_UP(HZ, 100) + 2)

static void vw_app_settle_fn(struct work_struct *work)
{
	vw_app_watch(container_of(to_delayed_work(work), struct vw_app,
				  settle_work));
}

/* The freeze did not complete in freeze_timeout_ms: said once. */
static void vw_app_freeze_timeout_fn(struct work_struct *work)
{
	struct vw_app *app = container_of(to_delayed_work(work),
					  struct vw_app, freeze_timeout_work);

	mutex_lock(&app->mutex);
	if (READ_ONCE(app->state) == VOIPWAKE_APP_STATE_BACKGROUND &&
	    !app->frozen && !vw_freezer_frozen(app->cgrp)) {
		app->freeze_timeouts++;
		pr_warn_ratelimited("app %llu: freeze not complete after %u ms\n",
				    app->id, vw_param_freeze_timeout_ms());
		vw_notify_app(app, VOIPWAKE_CMD_APP_FREEZE_TIMEOUT_NTF, NULL);
	}
	mutex_unlock(&app->mutex);
}

/* cgroup.freeze was just written "1": watch for the end, or time out. */
void vw_app_freeze_started(struct vw_app *app)
{
	lockdep_assert_held(&app->mutex);
	mod_delayed_work(vw_wq, &app->freeze_timeout_work,
			 msecs_to_jiffies(vw_param_freeze_timeout_ms()));
	/* It may be frozen already: the cgroup had nothing to stop. */
	queue_work(vw_wq, &app->watch_work);
}

void vw_app_freeze_ended(struct vw_app *app)
{
	lockdep_assert_held(&app->mutex);
	cancel_delayed_work(&app->freeze_timeout_work);
}

/*
 * Called by kernfs, under the wait queue's lock, whenever cgroup.events
 * changes (cgroup_file_notify()): atomic context, so it only queues.
 */
static int vw_app_events_wake(struct wait_queue_entry *wait,
			      unsigned int mode, int sync, void *key)
{
	struct vw_app *app = container_of(wait, struct vw_app, events_wait);

	queue_work(vw_wq, &app->watch_work);
	mod_delayed_work(vw_wq, &app->settle_work, VW_NOTIFY_SETTLE);
	return 0;
}

static void vw_app_events_queue(struct file *file, wait_queue_head_t *head,
				poll_table *pt)
{
	struct vw_app *app = container_of(pt, struct vw_app, events_pt);

	if (app->events_head)
		return;
	app->events_head = head;
	add_wait_queue(head, &app->events_wait);
}

/* Starts waiting on the app's cgroup.events; app->mutex held. */
void vw_app_watch_start(struct vw_app *app)
{
	lockdep_assert_held(&app->mutex);
	if (!app->files.events || app->events_head)
		return;
	init_waitqueue_func_entry(&app->events_wait, vw_app_events_wake);
	init_poll_funcptr(&app->events_pt, vw_app_events_queue);
	vfs_poll(app->files.events, &app->events_pt);
	if (app->events_head)
		mod_delayed_work(vw_wq, &app->settle_work, VW_NOTIFY_SETTLE);
	vw_rm_watch_start(app, app->files.events);
}

void vw_app_timers_init(struct vw_app *app)
{
	INIT_WORK(&app->work, vw_app_work);
	INIT_DELAYED_WORK(&app->hold_work, vw_app_hold_fn);
	vw_hrtimer_setup(&app->window_timer, vw_app_window_timer_fn,
			 CLOCK_BOOTTIME, HRTIMER_MODE_ABS);
	INIT_WORK(&app->window_work, vw_app_window_fn);
	INIT_WORK(&app->watch_work, vw_app_watch_fn);
	INIT_DELAYED_WORK(&app->settle_work, vw_app_settle_fn);
	INIT_DELAYED_WORK(&app->freeze_timeout_work, vw_app_freeze_timeout_fn);
	INIT_DELAYED_WORK(&app->gate_work, vw_app_gate_timeout_fn);
}

/*
 * The app is out of the table (removed set): nothing can queue new work.
 * The wait entry goes first (removing it waits out a wake in progress, as
 * both take the queue's lock), then hold_work, which queues work, which
 * cannot re-arm it once removed.
 */
void vw_app_timers_stop(struct vw_app *app)
{
	if (app->events_head) {
		remove_wait_queue(app->events_head, &app->events_wait);
		app->events_head = NULL;
	}
	vw_rm_watch_stop(app);
	cancel_delayed_work_sync(&app->hold_work);
	cancel_work_sync(&app->work);
	hrtimer_cancel(&app->window_timer);
	cancel_work_sync(&app->window_work);
	cancel_work_sync(&app->watch_work);
	cancel_delayed_work_sync(&app->settle_work);
	cancel_delayed_work_sync(&app->freeze_timeout_work);
	/* An open gate's timeout: a removed app is frozen no more. */
	cancel_delayed_work_sync(&app->gate_work);
	/* A wake app->work never took holds off suspend no more. */
	if (app->pm_wake) {
		app->pm_wake = false;
		vw_pm_release();
	}
}
