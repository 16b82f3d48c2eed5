// SPDX-License-Identifier: GPL-2.0
/*
 * Apps: one per cgroup, their state machine, and the work that freezes and
 * thaws them. The socket callbacks only record a wake and queue app->work;
 * every freezer write happens here, in process context, under app->mutex.
 */

#include <linux/file.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/xarray.h>
#include <net/netlink.h>

#include "app.h"
#include "freezer.h"
#include "keepalive.h"
#include "netlink.h"
#include "params.h"
#include "sock.h"

static DEFINE_MUTEX(vw_apps_lock);
static DEFINE_XARRAY(vw_apps);
static atomic_t vw_apps_gen = ATOMIC_INIT(1);
static struct workqueue_struct *vw_wq;

/*
 * Looks for apps left with no socket and no reason to stay. Armed only
 * while some app waits for its tasks to go, and not deferrable: on an
 * idle NO_HZ CPU a deferrable timer waits for something else to wake it,
 * and race-churn saw apps of removed cgroups outlive their 15 s.
 */
static void vw_apps_gc(struct work_struct *work);
static DECLARE_DELAYED_WORK(vw_gc_work, vw_apps_gc);
#define VW_GC_PERIOD	(2 * HZ)

/* How often a freeze in progress is looked at. */
#define VW_FROZEN_POLL_MS	5

struct vw_transition {
	s8 err;			/* 0, or a negative errno: refused */
	u8 next;		/* enum voipwake_app_state */
	u8 act;			/* enum vw_app_action */
};

#define FG	VOIPWAKE_APP_STATE_FOREGROUND
#define BG	VOIPWAKE_APP_STATE_BACKGROUND
#define AW	VOIPWAKE_APP_STATE_AWAKE

/*
 * The whole state machine. A stale WINDOW_END (the app was foregrounded or
 * already refrozen) does nothing; DONE outside a wake window is refused.
 */
static const struct vw_transition vw_table[3][5] = {
	[FG] = {
		[VW_EV_BACKGROUND] = { 0, BG, VW_ACT_FREEZE },
		[VW_EV_FOREGROUND] = { 0, FG, VW_ACT_NONE },
		[VW_EV_WAKE] = { 0, FG, VW_ACT_NONE },
		[VW_EV_WINDOW_END] = { 0, FG, VW_ACT_NONE },
		[VW_EV_DONE] = { -EINVAL, FG, VW_ACT_NONE },
	},
	[BG] = {
		[VW_EV_BACKGROUND] = { 0, BG, VW_ACT_NONE },
		[VW_EV_FOREGROUND] = { 0, FG, VW_ACT_THAW },
		[VW_EV_WAKE] = { 0, AW, VW_ACT_THAW },
		[VW_EV_WINDOW_END] = { 0, BG, VW_ACT_NONE },
		[VW_EV_DONE] = { -EINVAL, BG, VW_ACT_NONE },
	},
	[AW] = {
		[VW_EV_BACKGROUND] = { 0, AW, VW_ACT_NONE },
		[VW_EV_FOREGROUND] = { 0, FG, VW_ACT_NONE },
		[VW_EV_WAKE] = { 0, AW, VW_ACT_EXTEND },
		[VW_EV_WINDOW_END] = { 0, BG, VW_ACT_FREEZE },
		[VW_EV_DONE] = { 0, BG, VW_ACT_FREEZE },
	},
};

#undef FG
#undef BG
#undef AW

int vw_app_next(enum voipwake_app_state cur, enum vw_app_event ev,
		enum voipwake_app_state *next, enum vw_app_action *act)
{
	const struct vw_transition *t;

	if (cur >= ARRAY_SIZE(vw_table) || ev >= ARRAY_SIZE(vw_table[0]))
		return -EINVAL;
	t = &vw_table[cur][ev];
	if (t->err)
		return t->err;
	*next = t->next;
	*act = t->act;
	return 0;
}

static unsigned int vw_app_window_ms(struct vw_app *app)
{
	return app->wake_window_ms ?: vw_param_wake_window_ms();
}

static void vw_app_free(struct kref *ref)
{
	struct vw_app *app = container_of(ref, struct vw_app, ref);

	fput(app->freeze_file);
	cgroup_put(app->cgrp);
	kfree(app);
}

void vw_app_put(struct vw_app *app)
{
	kref_put(&app->ref, vw_app_free);
}

static void vw_app_account_thaw(struct vw_app *app)
{
	if (app->frozen) {
		app->frozen_ns += ktime_get_boottime_ns() -
				  app->frozen_since_ns;
		app->frozen = false;
	}
}

u64 vw_app_frozen_ms(struct vw_app *app)
{
	u64 ns = app->frozen_ns;

	if (app->frozen)
		ns += ktime_get_boottime_ns() - app->frozen_since_ns;
	return div_u64(ns, NSEC_PER_MSEC);
}

/*
 * Opens or extends the wake window to @ms from now. A data window is
 * capped at wake_window_max_ms from its opening; a keep-alive budget is
 * its own bound.
 */
static void vw_app_arm_window(struct vw_app *app, bool opening,
			      unsigned int ms, bool capped)
{
	unsigned long now = jiffies, end, cap;

	if (opening)
		app->wake_start = now;
	end = now + msecs_to_jiffies(ms);
	cap = app->wake_start + msecs_to_jiffies(vw_param_wake_window_max_ms());
	if (capped && time_after(end, cap))
		end = cap;
	if (!opening && time_before_eq(end, app->window_end))
		return;
	app->window_end = end;
	mod_delayed_work(vw_wq, &app->window_work,
			 time_after(end, now) ? end - now : 0);
}

static int vw_app_do_thaw(struct vw_app *app)
{
	int err;

	cancel_delayed_work(&app->frozen_work);
	err = vw_freezer_set(app->freeze_file, false);
	vw_app_account_thaw(app);
	vw_notify_app(app, VOIPWAKE_CMD_APP_THAWED_NTF, NULL);
	return err;
}

static int vw_app_apply(struct vw_app *app, enum vw_app_event ev,
			struct vw_wake *wk, struct netlink_ext_ack *extack);

/*
 * A throttled app's socket wake that comes before its interval has passed
 * since its last wake is put back, and hold_work delivers it once the
 * interval has passed: held, never lost. A keep-alive is due now, and an
 * app already awake is not being woken.
 */
static bool vw_app_hold(struct vw_app *app, u32 reasons, u64 ino, u32 bytes)
{
	u64 now, until;

	lockdep_assert_held(&app->mutex);

	if (!app->wake_interval_ms || !app->last_wake_ns ||
	    (reasons & BIT(VOIPWAKE_WAKE_KEEPALIVE)) ||
	    READ_ONCE(app->state) != VOIPWAKE_APP_STATE_BACKGROUND)
		return false;
	until = app->last_wake_ns +
		(u64)app->wake_interval_ms * NSEC_PER_MSEC;
	now = ktime_get_boottime_ns();
	if (now >= until)
		return false;
	spin_lock_bh(&app->lock);
	if (!app->pending) {
		app->pending_ino = ino;
		app->pending_bytes = bytes;
	}
	app->pending |= reasons;
	spin_unlock_bh(&app->lock);
	/* One held wake, however many packets it gathers. */
	if (!delayed_work_pending(&app->hold_work))
		app->wakes_held++;
	mod_delayed_work(vw_wq, &app->hold_work,
			 nsecs_to_jiffies(until - now) + 1);
	return true;
}

static void vw_app_hold_fn(struct work_struct *work)
{
	struct vw_app *app = container_of(to_delayed_work(work),
					  struct vw_app, hold_work);

	queue_work(vw_wq, &app->work);
}

/*
 * Data that was already queued when the app went to the background, or
 * that came after the app last read and before it said done, raised no
 * wake while the app was running: look for it once the freeze is
 * requested, so that it still wakes the app.
 */
static void vw_app_check_unread(struct vw_app *app)
{
	struct vw_wake wk = {};
	struct vw_sock *vs;

	list_for_each_entry(vs, &app->socks, node) {
		wk.reason = vw_sock_pending(vs, &wk.bytes);
		if (wk.reason) {
			wk.ino = vs->ino;
			if (!vw_app_hold(app, BIT(wk.reason), wk.ino,
					 wk.bytes))
				vw_app_apply(app, VW_EV_WAKE, &wk, NULL);
			return;
		}
	}
}

static int vw_app_do_freeze(struct vw_app *app, bool recheck)
{
	int err;

	cancel_delayed_work(&app->window_work);
	err = vw_freezer_set(app->freeze_file, true);
	if (err) {
		spin_lock_bh(&app->lock);
		WRITE_ONCE(app->state, VOIPWAKE_APP_STATE_FOREGROUND);
		spin_unlock_bh(&app->lock);
		return err;
	}
	app->freeze_deadline = jiffies +
			       msecs_to_jiffies(vw_param_freeze_timeout_ms());
	mod_delayed_work(vw_wq, &app->frozen_work, 0);
	if (recheck)
		vw_app_check_unread(app);
	return 0;
}

/*
 * A wake the app gets told of: it opens the window (@opening) or joins
 * one already open. A keep-alive of its own gets the handler budget and
 * must say done within it; any other wake gets the data window.
 */
static void vw_app_woken(struct vw_app *app, struct vw_wake *wk,
			 bool opening)
{
	bool ka_only = wk->reason == VOIPWAKE_WAKE_KEEPALIVE;

	if (opening && !ka_only && !wk->keepalive)
		wk->keepalive = vw_ka_app_absorb(app);
	app->ka_awake = ka_only;
	if (ka_only)
		vw_app_arm_window(app, opening, vw_ka_app_budget_ms(app),
				  false);
	else
		vw_app_arm_window(app, opening, vw_app_window_ms(app), true);
	spin_lock_bh(&app->lock);
	app->wakes[wk->reason]++;
	app->last_wake_ns = ktime_get_boottime_ns();
	app->wake_seq++;
	if (wk->reason == VOIPWAKE_WAKE_KEEPALIVE || wk->keepalive)
		app->ka_seq = app->wake_seq;
	spin_unlock_bh(&app->lock);
	vw_sock_count_wake(app, wk->ino);
	vw_notify_app(app, VOIPWAKE_CMD_APP_WOKEN_NTF, wk);
}

static int vw_app_apply(struct vw_app *app, enum vw_app_event ev,
			struct vw_wake *wk, struct netlink_ext_ack *extack)
{
	enum voipwake_app_state prev, next;
	enum vw_app_action act;
	int err;

	lockdep_assert_held(&app->mutex);

	/*
	 * A request may hold an app that was unlinked (and quiesced) since
	 * it looked it up: work queued now would outlive the app, and a
	 * freeze would have no app left to undo it.
	 */
	if (app->removed)
		return -EAGAIN;
	spin_lock_bh(&app->lock);
	prev = app->state;
	err = vw_app_next(prev, ev, &next, &act);
	if (err) {
		spin_unlock_bh(&app->lock);
		NL_SET_ERR_MSG(extack, "app is not in a wake window");
		return err;
	}
	WRITE_ONCE(app->state, next);
	/*
	 * Socket wakes recorded while the app ran were for data it could
	 * read then: waking it for them once frozen would be a wake for
	 * nothing (a done looks for what it left unread instead). Those
	 * recorded from now on are news. A keep-alive is due either way.
	 */
	if (act == VW_ACT_FREEZE)
		app->pending &= BIT(VOIPWAKE_WAKE_KEEPALIVE);
	spin_unlock_bh(&app->lock);

	/* A budget that ran out is an overrun; done or foreground is not. */
	if (ev == VW_EV_WINDOW_END && app->ka_awake)
		app->ka_overruns++;
	if (ev == VW_EV_WINDOW_END || ev == VW_EV_DONE ||
	    ev == VW_EV_FOREGROUND)
		app->ka_awake = false;

	switch (act) {
	case VW_ACT_FREEZE:
		/*
		 * Not at a window's end: an app that never reads would be
		 * woken again and again. It was given until the cap.
		 */
		err = vw_app_do_freeze(app, ev != VW_EV_WINDOW_END);
		if (err)
			NL_SET_ERR_MSG(extack, "writing cgroup.freeze failed");
		break;
	case VW_ACT_THAW:
		err = vw_app_do_thaw(app);
		if (ev == VW_EV_WAKE)
			vw_app_woken(app, wk, true);
		else
			cancel_delayed_work(&app->window_work);
		break;
	case VW_ACT_EXTEND:
		/* Data for a running app needs no word; a keep-alive does. */
		if (wk->reason == VOIPWAKE_WAKE_KEEPALIVE || wk->keepalive) {
			vw_app_woken(app, wk, false);
		} else {
			app->ka_awake = false;
			vw_app_arm_window(app, false, vw_app_window_ms(app),
					  true);
		}
		break;
	case VW_ACT_NONE:
		if (next == VOIPWAKE_APP_STATE_FOREGROUND)
			cancel_delayed_work(&app->window_work);
		break;
	}
	if (prev != next && (prev == VOIPWAKE_APP_STATE_FOREGROUND ||
			     next == VOIPWAKE_APP_STATE_FOREGROUND))
		vw_ka_app_update(app, true);
	return err;
}

int vw_app_request(struct vw_app *app, enum vw_app_event ev,
		   struct netlink_ext_ack *extack)
{
	int err;

	mutex_lock(&app->mutex);
	err = vw_app_apply(app, ev, NULL, extack);
	mutex_unlock(&app->mutex);
	return err;
}

/*
 * An app may be frozen by its window's end on its way to saying done, and
 * say it only once it is woken again. That done must not end a keep-alive
 * the app has not seen (its handler would never run): @seq, the last wake
 * the app saw, tells. Any other wake needs no such care, as a done never
 * loses data (the freeze looks for it), and an app that reads its socket
 * before its events is right to say done.
 */
int vw_app_done(struct vw_app *app, const u32 *seq,
		struct netlink_ext_ack *extack)
{
	int err;

	mutex_lock(&app->mutex);
	if (seq && (s32)(*seq - app->ka_seq) < 0) {
		NL_SET_ERR_MSG(extack,
			       "stale done: a keep-alive wake came after that wake");
		err = -ESTALE;
	} else {
		err = vw_app_apply(app, VW_EV_DONE, NULL, extack);
	}
	mutex_unlock(&app->mutex);
	return err;
}

int vw_app_configure(struct vw_app *app, const struct vw_app_conf *conf)
{
	mutex_lock(&app->mutex);
	/* As in vw_app_apply(): no timer for an app that went away. */
	if (app->removed) {
		mutex_unlock(&app->mutex);
		return -EAGAIN;
	}
	if (conf->has_window)
		app->wake_window_ms = conf->window_ms;
	if (conf->has_ka_tol)
		app->ka_tol_pct = conf->ka_tol_pct;
	if (conf->has_ka_budget)
		app->ka_budget_ms = conf->ka_budget_ms;
	if (conf->has_ka_period)
		app->ka_period_s = conf->ka_period_s;
	if (conf->has_ka_period || conf->has_ka_tol)
		vw_ka_app_update(app, false);
	if (conf->has_interval) {
		app->wake_interval_ms = conf->interval_ms;
		/* A held wake is due at once, or at the new interval. */
		if (delayed_work_pending(&app->hold_work))
			mod_delayed_work(vw_wq, &app->hold_work, 0);
	}
	if (conf->notify_portid) {
		app->notify_portid = conf->notify_portid;
		write_pnet(&app->notify_net, conf->notify_net);
	}
	mutex_unlock(&app->mutex);
	return 0;
}

/*
 * Called from the socket callbacks, usually in softirq: record why and
 * leave the freezer to app->work. A foreground app costs one load.
 */
void vw_app_wake(struct vw_app *app, enum voipwake_wake_reason reason,
		 u64 ino, u32 bytes)
{
	if (READ_ONCE(app->state) == VOIPWAKE_APP_STATE_FOREGROUND)
		return;
	spin_lock_bh(&app->lock);
	if (app->removed || app->state == VOIPWAKE_APP_STATE_FOREGROUND) {
		spin_unlock_bh(&app->lock);
		return;
	}
	if (!app->pending) {
		app->pending_ino = ino;
		app->pending_bytes = bytes;
	}
	app->pending |= BIT(reason);
	/*
	 * Queued under the lock: once vw_app_unlink() has set removed,
	 * nothing can queue work that vw_app_quiesce() would miss.
	 */
	queue_work(vw_wq, &app->work);
	spin_unlock_bh(&app->lock);
}

/*
 * The most telling reason wins: an error explains a close, and a socket
 * reason says more than a timer (which then rides along as a flag).
 */
static enum voipwake_wake_reason vw_pending_reason(u32 pending)
{
	if (pending & BIT(VOIPWAKE_WAKE_ERROR))
		return VOIPWAKE_WAKE_ERROR;
	if (pending & BIT(VOIPWAKE_WAKE_CLOSE))
		return VOIPWAKE_WAKE_CLOSE;
	if (pending & BIT(VOIPWAKE_WAKE_DATA))
		return VOIPWAKE_WAKE_DATA;
	return VOIPWAKE_WAKE_KEEPALIVE;
}

static void vw_app_work(struct work_struct *work)
{
	struct vw_app *app = container_of(work, struct vw_app, work);
	struct vw_wake wk = {};
	u32 pending;

	mutex_lock(&app->mutex);
	spin_lock_bh(&app->lock);
	pending = app->pending;
	wk.ino = app->pending_ino;
	wk.bytes = app->pending_bytes;
	app->pending = 0;
	spin_unlock_bh(&app->lock);
	if (pending && !vw_app_hold(app, pending, wk.ino, wk.bytes)) {
		wk.reason = vw_pending_reason(pending);
		wk.keepalive = wk.reason != VOIPWAKE_WAKE_KEEPALIVE &&
			       (pending & BIT(VOIPWAKE_WAKE_KEEPALIVE));
		vw_app_apply(app, VW_EV_WAKE, &wk, NULL);
	}
	mutex_unlock(&app->mutex);
}

/*
 * The window ran out. Data still unread is the app's own doing (it was
 * running when the data came), but it gets the rest of the cap to read it
 * before it is frozen anyway.
 */
static void vw_app_window_fn(struct work_struct *work)
{
	struct vw_app *app = container_of(to_delayed_work(work),
					  struct vw_app, window_work);
	unsigned long cap;
	struct vw_sock *vs;
	u32 bytes;

	mutex_lock(&app->mutex);
	if (READ_ONCE(app->state) != VOIPWAKE_APP_STATE_AWAKE)
		goto out;
	if (time_before(jiffies, app->window_end)) {
		mod_delayed_work(vw_wq, &app->window_work,
				 app->window_end - jiffies);
		goto out;
	}
	cap = app->wake_start +
	      msecs_to_jiffies(vw_param_wake_window_max_ms());
	if (time_before(jiffies, cap)) {
		list_for_each_entry(vs, &app->socks, node) {
			if (vw_sock_pending(vs, &bytes) ==
			    VOIPWAKE_WAKE_DATA) {
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

/* Watches a freeze until the freezer reports it done, or gives up. */
static void vw_app_frozen_fn(struct work_struct *work)
{
	struct vw_app *app = container_of(to_delayed_work(work),
					  struct vw_app, frozen_work);

	mutex_lock(&app->mutex);
	if (READ_ONCE(app->state) != VOIPWAKE_APP_STATE_BACKGROUND ||
	    app->frozen)
		goto out;
	if (vw_freezer_frozen(app->cgrp)) {
		app->frozen = true;
		app->frozen_since_ns = ktime_get_boottime_ns();
		vw_notify_app(app, VOIPWAKE_CMD_APP_FROZEN_NTF, NULL);
	} else if (time_after(jiffies, app->freeze_deadline)) {
		app->freeze_timeouts++;
		pr_warn_ratelimited("app %llu: freeze not complete after %u ms\n",
				    app->id, vw_param_freeze_timeout_ms());
		vw_notify_app(app, VOIPWAKE_CMD_APP_FREEZE_TIMEOUT_NTF, NULL);
	} else {
		queue_delayed_work(vw_wq, &app->frozen_work,
				   msecs_to_jiffies(VW_FROZEN_POLL_MS));
	}
out:
	mutex_unlock(&app->mutex);
}

static struct vw_app *vw_app_alloc(struct cgroup *cgrp)
{
	struct vw_app *app;

	app = kzalloc(sizeof(*app), GFP_KERNEL_ACCOUNT);
	if (!app)
		return ERR_PTR(-ENOMEM);
	app->freeze_file = vw_freezer_open(cgrp);
	if (IS_ERR(app->freeze_file)) {
		struct file *err = app->freeze_file;

		kfree(app);
		return ERR_CAST(err);
	}
	kref_init(&app->ref);
	cgroup_get(cgrp);
	app->cgrp = cgrp;
	app->id = cgroup_id(cgrp);
	mutex_init(&app->mutex);
	spin_lock_init(&app->lock);
	INIT_LIST_HEAD(&app->socks);
	vw_ka_entry_init(&app->ka);
	WRITE_ONCE(app->state, VOIPWAKE_APP_STATE_FOREGROUND);
	INIT_WORK(&app->work, vw_app_work);
	INIT_DELAYED_WORK(&app->hold_work, vw_app_hold_fn);
	INIT_DELAYED_WORK(&app->window_work, vw_app_window_fn);
	INIT_DELAYED_WORK(&app->frozen_work, vw_app_frozen_fn);
	return app;
}

struct vw_app *vw_app_get_or_create(struct cgroup *cgrp,
				    struct netlink_ext_ack *extack)
{
	struct vw_app *app;
	int err;

	if (vw_cgroup_refused(cgrp, extack))
		return ERR_PTR(-EINVAL);

	mutex_lock(&vw_apps_lock);
	app = xa_load(&vw_apps, cgroup_id(cgrp));
	if (app) {
		kref_get(&app->ref);
		goto out;
	}
	app = vw_app_alloc(cgrp);
	if (IS_ERR(app)) {
		NL_SET_ERR_MSG(extack, "cannot open the cgroup's freezer");
		goto out;
	}
	err = xa_err(xa_store(&vw_apps, app->id, app, GFP_KERNEL_ACCOUNT));
	if (err) {
		vw_app_put(app);
		app = ERR_PTR(err);
		goto out;
	}
	atomic_inc(&vw_apps_gen);
	/* One reference for the table, one for the caller. */
	kref_get(&app->ref);
out:
	mutex_unlock(&vw_apps_lock);
	return app;
}

struct vw_app *vw_app_lookup(u64 id)
{
	struct vw_app *app;

	mutex_lock(&vw_apps_lock);
	app = xa_load(&vw_apps, id);
	if (app)
		kref_get(&app->ref);
	mutex_unlock(&vw_apps_lock);
	return app;
}

struct vw_app *vw_app_next_from(u64 *pos)
{
	unsigned long index = *pos;
	struct vw_app *app;

	mutex_lock(&vw_apps_lock);
	app = xa_find(&vw_apps, &index, ULONG_MAX, XA_PRESENT);
	if (app) {
		kref_get(&app->ref);
		*pos = index;
	}
	mutex_unlock(&vw_apps_lock);
	return app;
}

unsigned int vw_apps_generation(void)
{
	return atomic_read(&vw_apps_gen);
}

/*
 * Whether an app can go: nothing marked, nothing to thaw and no setting
 * to keep; or its cgroup has no task left to serve.
 */
static bool vw_app_idle(struct vw_app *app)
{
	if (app->nsocks)
		return false;
	if (!cgroup_is_populated(app->cgrp) || css_is_dying(&app->cgrp->self))
		return true;
	return app->state == VOIPWAKE_APP_STATE_FOREGROUND &&
	       !app->wake_window_ms && !app->ka_period_s &&
	       !app->wake_interval_ms;
}

/* Takes the app out of the table; the caller drops the table's ref. */
static void vw_app_unlink(struct vw_app *app)
{
	lockdep_assert_held(&vw_apps_lock);
	lockdep_assert_held(&app->mutex);

	if (app->state != VOIPWAKE_APP_STATE_FOREGROUND)
		vw_freezer_set(app->freeze_file, false);
	spin_lock_bh(&app->lock);
	app->removed = true;
	WRITE_ONCE(app->state, VOIPWAKE_APP_STATE_FOREGROUND);
	spin_unlock_bh(&app->lock);
	vw_ka_app_update(app, false);
	xa_erase(&vw_apps, app->id);
	atomic_inc(&vw_apps_gen);
}

/* hold_work first: it queues work, which cannot re-arm it once removed. */
static void vw_app_quiesce(struct vw_app *app)
{
	cancel_delayed_work_sync(&app->hold_work);
	cancel_work_sync(&app->work);
	cancel_delayed_work_sync(&app->window_work);
	cancel_delayed_work_sync(&app->frozen_work);
}

/*
 * Called when an app may have become idle: with its last socket gone, or
 * once foregrounded. A background app whose tasks still exit is left to
 * the periodic collector.
 */
void vw_app_maybe_remove(struct vw_app *app)
{
	bool gone = false, later = false;

	mutex_lock(&vw_apps_lock);
	mutex_lock(&app->mutex);
	if (!app->removed && vw_app_idle(app)) {
		vw_app_unlink(app);
		gone = true;
	} else if (!app->removed && !app->nsocks) {
		later = true;
	}
	mutex_unlock(&app->mutex);
	mutex_unlock(&vw_apps_lock);
	if (gone) {
		vw_app_quiesce(app);
		vw_app_put(app);
	}
	if (later)
		mod_delayed_work(system_wq, &vw_gc_work, VW_GC_PERIOD);
}

static void vw_apps_gc(struct work_struct *work)
{
	struct vw_app *app, *gone[16];
	unsigned int n = 0, i;
	unsigned long index;
	bool again = false;

	mutex_lock(&vw_apps_lock);
	xa_for_each(&vw_apps, index, app) {
		mutex_lock(&app->mutex);
		if (vw_app_idle(app) && n < ARRAY_SIZE(gone)) {
			vw_app_unlink(app);
			gone[n++] = app;
		} else if (!app->nsocks) {
			again = true;
		}
		mutex_unlock(&app->mutex);
	}
	mutex_unlock(&vw_apps_lock);
	for (i = 0; i < n; i++) {
		vw_app_quiesce(gone[i]);
		vw_app_put(gone[i]);
	}
	/* A full batch: the rest of the table at once. */
	if (n == ARRAY_SIZE(gone))
		mod_delayed_work(system_wq, &vw_gc_work, 0);
	else if (again)
		mod_delayed_work(system_wq, &vw_gc_work, VW_GC_PERIOD);
}

int __init vw_apps_init(void)
{
	/* 64-bit cgroup ids are the table's keys. */
	BUILD_BUG_ON(sizeof(unsigned long) < sizeof(u64));

	vw_wq = alloc_workqueue("voipwake", WQ_HIGHPRI | WQ_MEM_RECLAIM, 0);
	if (!vw_wq)
		return -ENOMEM;
	vw_ka_init(vw_wq);
	return 0;
}

/*
 * Module exit: no socket is marked (each pins the module), so what is left
 * are background apps without sockets. Each is thawed and freed.
 */
void vw_apps_exit(void)
{
	struct vw_app *app;
	unsigned long index;

	cancel_delayed_work_sync(&vw_gc_work);
	mutex_lock(&vw_apps_lock);
	xa_for_each(&vw_apps, index, app) {
		mutex_lock(&app->mutex);
		vw_app_unlink(app);
		mutex_unlock(&app->mutex);
		mutex_unlock(&vw_apps_lock);
		vw_app_quiesce(app);
		vw_app_put(app);
		mutex_lock(&vw_apps_lock);
	}
	mutex_unlock(&vw_apps_lock);
	vw_ka_exit();
	destroy_workqueue(vw_wq);
}
