// SPDX-License-Identifier: GPL-2.0
/*
 * Keep-alive timers: one boot-time alarm for all apps that may wake the
 * system, aimed by the planner (kaplan.c) at the next instant that serves
 * the most apps, and one boot-time hrtimer for the others, when theirs
 * comes first.
 *
 * Both count CLOCK_BOOTTIME, which includes time spent in system suspend,
 * so a suspended machine does not stretch anybody's period. Where the
 * machine has a wake-capable RTC the alarm wakes it from suspend to serve
 * the deadline; the hrtimer does not, and expires at the next resume,
 * which serves those apps then (an admin's choice: APP_WAKE_SYSTEM).
 * Either timer only queues work; the work fires every app that is due,
 * which goes through the same wake path as socket data (vw_app_wake()).
 *
 * Locking: vw_ka_lock guards the scheduler and every app's entry. It nests
 * inside app->mutex and outside app->lock (vw_app_wake() takes that).
 */

#include <linux/alarmtimer.h>
#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "app.h"
#include "compat.h"
#include "keepalive.h"
#include "params.h"
#include "pm.h"

/*
 * Aim a wake this long before its deadline (never more than a quarter of
 * the window): the time from the alarm to the thaw is what it covers.
 */
#define VW_KA_MARGIN_NS		NSEC_PER_SEC

static DEFINE_MUTEX(vw_ka_lock);
static struct vw_ka_sched vw_ka_sched;
static struct alarm vw_ka_alarm;
static struct hrtimer vw_ka_timer;	/* for keep-alives that do not wake */
static struct workqueue_struct *vw_ka_wq;
static atomic_t vw_ka_pm;		/* a timer holds off suspend */

static void vw_ka_work_fn(struct work_struct *work);
static DECLARE_WORK(vw_ka_work, vw_ka_work_fn);

static void vw_ka_replan(void)
{
	u64 t, tw;

	lockdep_assert_held(&vw_ka_lock);
	t = vw_ka_plan(&vw_ka_sched);
	tw = vw_ka_plan_waking(&vw_ka_sched);
	/*
	 * A callback already running only queues the work, which plans
	 * again from scratch: losing the race to cancel it is harmless.
	 */
	if (tw == U64_MAX)
		alarm_try_to_cancel(&vw_ka_alarm);
	else if (!vw_alarm_start(&vw_ka_alarm, ns_to_ktime(tw)))
		queue_work(vw_ka_wq, &vw_ka_work);
	if (t < tw)
		hrtimer_start(&vw_ka_timer, ns_to_ktime(t), HRTIMER_MODE_ABS);
	else
		hrtimer_try_to_cancel(&vw_ka_timer);
}

/*
 * A keep-alive is due: a hard wakeup event, so that a suspend in progress
 * is aborted, and suspend is held off until the work has handed each due
 * app its wake (which holds it off in turn, until the app is done).
 */
static VW_ALARM_RET vw_ka_alarm_fn(struct alarm *alarm, ktime_t now)
{
	if (!atomic_xchg(&vw_ka_pm, 1))
		vw_pm_hold();
	vw_pm_hard_event();
	queue_work(vw_ka_wq, &vw_ka_work);
	return VW_ALARM_NORESTART;
}

/*
 * A keep-alive that may not wake the system is due: the system runs (or
 * just resumed), and is kept up until the work has handed out the wakes,
 * but a suspend in progress goes on.
 */
static enum hrtimer_restart vw_ka_timer_fn(struct hrtimer *t)
{
	if (!atomic_xchg(&vw_ka_pm, 1))
		vw_pm_hold();
	queue_work(vw_ka_wq, &vw_ka_work);
	return HRTIMER_NORESTART;
}

static void vw_ka_fire_app(struct vw_ka_entry *e, void *arg)
{
	vw_app_wake(container_of(e, struct vw_app, ka),
		    VOIPWAKE_WAKE_KEEPALIVE, 0, 0);
}

static void vw_ka_work_fn(struct work_struct *work)
{
	mutex_lock(&vw_ka_lock);
	vw_ka_fire(&vw_ka_sched, ktime_get_boottime_ns(), vw_ka_fire_app,
		   NULL);
	vw_ka_replan();
	mutex_unlock(&vw_ka_lock);
	if (atomic_xchg(&vw_ka_pm, 0))
		vw_pm_release();
}

static unsigned int vw_ka_app_tol(struct vw_app *app)
{
	return app->ka_tol_pct ?: vw_param_keepalive_tolerance_pct();
}

unsigned int vw_ka_app_budget_ms(struct vw_app *app)
{
	return app->ka_budget_ms ?: vw_param_keepalive_budget_ms();
}

/*
 * Arms or disarms @app to match its settings and state. A period starts
 * now when @restart (the app was just put in the background) or when the
 * app was not armed; a changed timeout otherwise counts from the start of
 * the current period, so the promise made then still holds.
 */
void vw_ka_app_update(struct vw_app *app, bool restart)
{
	bool want = app->ka_period_s && !app->removed &&
		    READ_ONCE(app->state) != VOIPWAKE_APP_STATE_FOREGROUND;
	struct vw_ka_entry *e = &app->ka;
	u64 start;

	lockdep_assert_held(&app->mutex);
	mutex_lock(&vw_ka_lock);
	if (!want) {
		if (vw_ka_armed(e)) {
			vw_ka_disarm(e);
			vw_ka_replan();
		}
		goto out;
	}
	start = restart || !vw_ka_armed(e) ? ktime_get_boottime_ns() :
					     e->start;
	e->wake = vw_app_wakes_system(app);
	vw_ka_arm(&vw_ka_sched, e, start, (u64)app->ka_period_s * NSEC_PER_SEC,
		  vw_ka_app_tol(app));
	vw_ka_replan();
out:
	mutex_unlock(&vw_ka_lock);
}

/*
 * A wake for another reason: inside the keep-alive window it serves as
 * the keep-alive (the app is awake anyway), and the period restarts.
 */
bool vw_ka_app_absorb(struct vw_app *app)
{
	struct vw_ka_entry *e = &app->ka;
	bool served = false;
	u64 now;

	lockdep_assert_held(&app->mutex);
	mutex_lock(&vw_ka_lock);
	now = ktime_get_boottime_ns();
	if (vw_ka_due(e, now)) {
		vw_ka_arm(&vw_ka_sched, e, now, e->period, e->tol_pct);
		vw_ka_replan();
		served = true;
	}
	mutex_unlock(&vw_ka_lock);
	return served;
}

bool vw_ka_app_window(struct vw_app *app, struct vw_ka_window *w)
{
	bool armed;

	mutex_lock(&vw_ka_lock);
	armed = vw_ka_armed(&app->ka);
	if (armed)
		*w = app->ka.w;
	mutex_unlock(&vw_ka_lock);
	return armed;
}

void vw_ka_init(struct workqueue_struct *wq)
{
	vw_ka_wq = wq;
	vw_ka_sched_init(&vw_ka_sched, VW_KA_MARGIN_NS);
	alarm_init(&vw_ka_alarm, ALARM_BOOTTIME, vw_ka_alarm_fn);
	vw_hrtimer_setup(&vw_ka_timer, vw_ka_timer_fn, CLOCK_BOOTTIME,
			 HRTIMER_MODE_ABS);
}

/* Every app is disarmed by now; stop what may still be in flight. */
void vw_ka_exit(void)
{
	alarm_cancel(&vw_ka_alarm);
	hrtimer_cancel(&vw_ka_timer);
	cancel_work_sync(&vw_ka_work);
	if (atomic_xchg(&vw_ka_pm, 0))
		vw_pm_release();
}
