// SPDX-License-Identifier: GPL-2.0
/*
 * An app's state machine and its actions. The socket callbacks only record
 * a wake and queue app->work; every freezer write happens here, in process
 * context, under app->mutex.
 */

#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <net/netlink.h>

#include "app.h"
#include "freezer.h"
#include "gate.h"
#include "keepalive.h"
#include "netlink.h"
#include "params.h"
#include "pm.h"
#include "sock.h"

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
 * HOLD (someone else froze the app's cgroup while it was awake) ends the
 * window with a freeze of voipwake's own, so that the other's thaw does
 * not leave it running; THAWED (someone else thawed the background app)
 * gives it a window from then, as it runs anyway, after which it is
 * frozen again.
 */
static const struct vw_transition vw_table[3][7] = {
	[FG] = {
		[VW_EV_BACKGROUND] = { 0, BG, VW_ACT_FREEZE },
		[VW_EV_FOREGROUND] = { 0, FG, VW_ACT_NONE },
		[VW_EV_WAKE] = { 0, FG, VW_ACT_NONE },
		[VW_EV_WINDOW_END] = { 0, FG, VW_ACT_NONE },
		[VW_EV_DONE] = { -EINVAL, FG, VW_ACT_NONE },
		[VW_EV_HOLD] = { 0, FG, VW_ACT_NONE },
		[VW_EV_THAWED] = { 0, FG, VW_ACT_NONE },
	},
	[BG] = {
		[VW_EV_BACKGROUND] = { 0, BG, VW_ACT_NONE },
		[VW_EV_FOREGROUND] = { 0, FG, VW_ACT_THAW },
		[VW_EV_WAKE] = { 0, AW, VW_ACT_THAW },
		[VW_EV_WINDOW_END] = { 0, BG, VW_ACT_NONE },
		[VW_EV_DONE] = { -EINVAL, BG, VW_ACT_NONE },
		[VW_EV_HOLD] = { 0, BG, VW_ACT_NONE },
		[VW_EV_THAWED] = { 0, AW, VW_ACT_THAW },
	},
	[AW] = {
		[VW_EV_BACKGROUND] = { 0, AW, VW_ACT_NONE },
		[VW_EV_FOREGROUND] = { 0, FG, VW_ACT_NONE },
		[VW_EV_WAKE] = { 0, AW, VW_ACT_EXTEND },
		[VW_EV_WINDOW_END] = { 0, BG, VW_ACT_FREEZE },
		[VW_EV_DONE] = { 0, BG, VW_ACT_FREEZE },
		[VW_EV_HOLD] = { 0, BG, VW_ACT_FREEZE },
		[VW_EV_THAWED] = { 0, AW, VW_ACT_NONE },
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

unsigned int vw_app_window_ms(struct vw_app *app)
{
	return app->wake_window_ms ?: vw_param_wake_window_ms();
}

void vw_app_account_thaw(struct vw_app *app)
{
	if (app->frozen) {
		app->frozen_ns += ktime_get_boottime_ns() -
				  app->frozen_since_ns;
		app->frozen = false;
	}
}

static int vw_app_do_thaw(struct vw_app *app)
{
	int err;

	vw_app_freeze_ended(app);
	/* Someone else's freeze wins: voipwake only drops its own. */
	err = app->held ? 0 : vw_freezer_set(app->files.freeze, false);
	app->own_freeze = false;
	vw_app_account_thaw(app);
	vw_notify_app(app, VOIPWAKE_CMD_APP_THAWED_NTF, NULL);
	return err;
}

/* Puts wakes back as pending, for whatever delivers them later. */
static void vw_app_pend(struct vw_app *app, u32 reasons, u64 ino, u32 bytes)
{
	spin_lock_bh(&app->lock);
	if (!app->pending) {
		app->pending_ino = ino;
		app->pending_bytes = bytes;
	}
	app->pending |= reasons;
	spin_unlock_bh(&app->lock);
}

/*
 * A throttled app's socket wake that comes before its interval has passed
 * since its last wake is put back, and hold_work delivers it once the
 * interval has passed: held, never lost. A keep-alive is due now, and an
 * app already awake is not being woken.
 */
bool vw_app_hold(struct vw_app *app, u32 reasons, u64 ino, u32 bytes)
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
	vw_app_pend(app, reasons, ino, bytes);
	/* One held wake, however many packets it gathers. */
	if (!delayed_work_pending(&app->hold_work))
		app->wakes_held++;
	mod_delayed_work(vw_wq, &app->hold_work,
			 nsecs_to_jiffies(until - now) + 1);
	return true;
}

/*
 * Data that was already queued when the app went to the background, or
 * that came after the app last read and before it said done, raised no
 * wake while the app was running: look for it once the freeze is
 * requested, so that it still wakes the app. A lasting condition (a
 * socket error, a peer's close) is reported once, until it changes
 * (vw_sock_condition()): it would otherwise wake the app after every done.
 */
static void vw_app_check_unread(struct vw_app *app)
{
	struct vw_wake wk = {};
	struct vw_sock *vs;

	list_for_each_entry(vs, &app->socks, node) {
		wk.reason = vw_sock_condition(vs, &wk.bytes);
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

	vw_app_cancel_window(app);
	app->deferred = false;
	/*
	 * A "1" voipwake did not write is someone else's freeze (systemctl
	 * freeze of a foreground app): it holds the app until it is undone.
	 */
	if (!app->own_freeze && vw_freezer_own(app->cgrp))
		app->held = true;
	err = vw_freezer_set(app->files.freeze, true);
	if (!err)
		app->own_freeze = true;
	if (err) {
		spin_lock_bh(&app->lock);
		WRITE_ONCE(app->state, VOIPWAKE_APP_STATE_FOREGROUND);
		spin_unlock_bh(&app->lock);
		return err;
	}
	vw_app_freeze_started(app);
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

/*
 * Whether a wake now keeps the awake app awake longer: the window can
 * still grow (vw_app_arm_window()), or it is a keep-alive, whose budget
 * is not capped.
 */
static bool vw_app_wake_extends(struct vw_app *app, const struct vw_wake *wk)
{
	u64 cap = app->wake_start +
		  (u64)vw_param_wake_window_max_ms() * NSEC_PER_MSEC;

	return wk->reason == VOIPWAKE_WAKE_KEEPALIVE || wk->keepalive ||
	       ktime_get_boottime_ns() < cap;
}

/*
 * The freeze gate's say (gate.c) before the state changes; true when
 * the event waits with the gate. A socket wake that waits is put back:
 * as one after a window's end, it wakes the app once frozen.
 */
static bool vw_app_gated(struct vw_app *app, enum voipwake_app_state cur,
			 enum vw_app_event ev, enum vw_app_action act,
			 struct vw_wake *wk)
{
	bool extends = ev == VW_EV_WAKE && vw_app_wake_extends(app, wk);

	switch (vw_gate_verdict(app->gate_ms, app->gate_open, cur, ev, act,
				extends)) {
	case VW_GATE_START:
		vw_app_gate_start(app, ev);
		return true;
	case VW_GATE_JOIN:
		if (ev == VW_EV_WAKE && cur == VOIPWAKE_APP_STATE_AWAKE)
			vw_app_pend(app, BIT(wk->reason) |
				    (wk->keepalive ?
				     BIT(VOIPWAKE_WAKE_KEEPALIVE) : 0),
				    wk->ino, wk->bytes);
		return true;
	case VW_GATE_CANCEL:
		vw_app_gate_cancel(app);
		return false;
	case VW_GATE_PASS:
		break;
	}
	return false;
}

static int vw_app_step(struct vw_app *app, enum vw_app_event ev,
		       struct vw_wake *wk, struct netlink_ext_ack *extack,
		       bool gate)
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
	/*
	 * While someone else's freeze holds the background app, a wake
	 * waits for its thaw (vw_app_release()): held, not lost, and not
	 * spent while the app cannot run.
	 */
	if (ev == VW_EV_WAKE && app->held &&
	    READ_ONCE(app->state) == VOIPWAKE_APP_STATE_BACKGROUND) {
		vw_app_pend(app, BIT(wk->reason) |
			    (wk->keepalive ? BIT(VOIPWAKE_WAKE_KEEPALIVE) : 0),
			    wk->ino, wk->bytes);
		return 0;
	}
	if (ev == VW_EV_BACKGROUND && !app->files.freeze) {
		NL_SET_ERR_MSG(extack,
			       "no cgroup.freeze: background the app with APP_CGROUP_FD");
		return -EBADF;
	}
	spin_lock_bh(&app->lock);
	prev = app->state;
	err = vw_app_next(prev, ev, &next, &act);
	spin_unlock_bh(&app->lock);
	if (err) {
		NL_SET_ERR_MSG(extack, "app is not in a wake window");
		return err;
	}
	/*
	 * The state is changed by app->mutex's holder only (the socket
	 * callbacks just read it): it is still @prev here.
	 */
	if (gate && vw_app_gated(app, prev, ev, act, wk))
		return 0;
	spin_lock_bh(&app->lock);
	WRITE_ONCE(app->state, next);
	/*
	 * Socket wakes recorded while the app ran were for data it could
	 * read then: waking it for them once frozen would be a wake for
	 * nothing (the freeze looks for what was left unread instead).
	 * Those recorded from now on are news. A keep-alive is due either
	 * way. At a window's end the window worker consumed them before it
	 * looked at the sockets (vw_app_window_fn()): what came since is
	 * news too, and must not be erased here.
	 */
	if (act == VW_ACT_FREEZE && ev != VW_EV_WINDOW_END)
		app->pending &= BIT(VOIPWAKE_WAKE_KEEPALIVE);
	spin_unlock_bh(&app->lock);

	/* A budget that ran out is an overrun; done or foreground is not. */
	if (ev == VW_EV_WINDOW_END && app->ka_awake)
		app->ka_overruns++;
	/* A budget someone else's freeze cut short is owed again. */
	if (ev == VW_EV_HOLD && prev == VOIPWAKE_APP_STATE_AWAKE &&
	    app->ka_awake)
		vw_app_pend(app, BIT(VOIPWAKE_WAKE_KEEPALIVE), 0, 0);
	if (ev == VW_EV_WINDOW_END || ev == VW_EV_DONE ||
	    ev == VW_EV_FOREGROUND || ev == VW_EV_HOLD)
		app->ka_awake = false;
	if (next != VOIPWAKE_APP_STATE_AWAKE)
		app->deferred = false;

	/* Before the freeze: the app reads it when it next runs. */
	if (prev == VOIPWAKE_APP_STATE_FOREGROUND && next != prev)
		vw_notify_app(app, VOIPWAKE_CMD_APP_BACKGROUNDED_NTF, NULL);
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
		/*
		 * A frozen ancestor keeps the app from running whatever its
		 * own bit says: its window starts when the ancestor thaws,
		 * which its cgroup.events tells (vw_app_freezer_changed()).
		 */
		if (next == VOIPWAKE_APP_STATE_AWAKE)
			app->deferred = vw_freezer_ancestor(app->cgrp);
		if (ev == VW_EV_WAKE) {
			vw_app_woken(app, wk, true);
		} else if (ev == VW_EV_THAWED) {
			/* Running already: no wake to tell, a window to end. */
			app->ka_awake = false;
			vw_app_arm_window(app, true, vw_app_window_ms(app),
					  true);
		} else {
			vw_app_cancel_window(app);
		}
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
			vw_app_cancel_window(app);
		break;
	}
	if (prev != next && (prev == VOIPWAKE_APP_STATE_FOREGROUND ||
			     next == VOIPWAKE_APP_STATE_FOREGROUND))
		vw_ka_app_update(app, true);
	/* Once thawed; a freeze that failed left the app there too. */
	if (prev != next &&
	    READ_ONCE(app->state) == VOIPWAKE_APP_STATE_FOREGROUND)
		vw_notify_app(app, VOIPWAKE_CMD_APP_FOREGROUNDED_NTF, NULL);
	vw_app_pm_sync(app);
	return err;
}

int vw_app_apply(struct vw_app *app, enum vw_app_event ev,
		 struct vw_wake *wk, struct netlink_ext_ack *extack)
{
	return vw_app_step(app, ev, wk, extack, true);
}

/*
 * The gate let @ev's freeze through (answered, timed out or turned off).
 * Wakes that waited with it are delivered now that the app is frozen.
 */
void vw_app_gate_passed(struct vw_app *app, enum vw_app_event ev)
{
	bool pending;

	vw_app_step(app, ev, NULL, NULL, false);
	spin_lock_bh(&app->lock);
	pending = app->pending && !app->removed &&
		  app->state == VOIPWAKE_APP_STATE_BACKGROUND;
	if (pending)
		queue_work(vw_wq, &app->work);
	spin_unlock_bh(&app->lock);
}

/*
 * Someone else's freeze is over (its bit went to 0, or the policy daemon
 * said so): a wake held meanwhile is delivered now, and a background app
 * that now runs gets a window before voipwake's freeze is back.
 */
static void vw_app_release(struct vw_app *app)
{
	u32 pending;

	app->held = false;
	if (READ_ONCE(app->state) != VOIPWAKE_APP_STATE_BACKGROUND)
		return;
	spin_lock_bh(&app->lock);
	pending = app->pending;
	spin_unlock_bh(&app->lock);
	if (pending)
		queue_work(vw_wq, &app->work);
	else if (!vw_freezer_own(app->cgrp))
		vw_app_apply(app, VW_EV_THAWED, NULL, NULL);
}

/*
 * APP_HELD from the policy daemon, which sees what the kernel cannot: a
 * FreezeUnit written over voipwake's own "1" changes nothing in the
 * cgroup. An app awake at that moment is frozen again at once.
 */
void vw_app_set_held(struct vw_app *app, bool held)
{
	lockdep_assert_held(&app->mutex);
	if (held == app->held || app->removed)
		return;
	if (!held) {
		vw_app_release(app);
		return;
	}
	/*
	 * A freeze that waited for the marker is decided: it goes on under
	 * the other's, so that the other's thaw finds the app where
	 * voipwake put it (a background not lost), and HOLD follows.
	 */
	vw_app_gate_through(app);
	app->held = true;
	vw_app_apply(app, VW_EV_HOLD, NULL, NULL);
}

/*
 * cgroup.events changed: besides the app's own freezes, this is how the
 * module learns of others'. The own bit, read against what voipwake last
 * wrote, tells who wrote it; the parent's effective state tells an
 * ancestor's freeze from the app's own.
 */
void vw_app_freezer_changed(struct vw_app *app)
{
	enum voipwake_app_state state = READ_ONCE(app->state);
	bool own = vw_freezer_own(app->cgrp);
	bool ancestor;

	lockdep_assert_held(&app->mutex);
	if (app->removed || !app->files.freeze)
		return;
	if (!own && (app->held ||
		     (state == VOIPWAKE_APP_STATE_BACKGROUND &&
		      app->own_freeze))) {
		/* Thawed by someone: their freeze, if any, is over. */
		vw_app_release(app);
		return;
	}
	if (state != VOIPWAKE_APP_STATE_AWAKE)
		return;
	if (own && !app->own_freeze) {
		/* Frozen by someone while awake: it holds the app. */
		vw_app_set_held(app, true);
		return;
	}
	ancestor = vw_freezer_ancestor(app->cgrp);
	if (ancestor && !app->deferred) {
		app->deferred = true;
		vw_app_cancel_window(app);
	} else if (!ancestor && app->deferred) {
		app->deferred = false;
		if (app->ka_awake)
			vw_app_arm_window(app, true, vw_ka_app_budget_ms(app),
					  false);
		else
			vw_app_arm_window(app, true, vw_app_window_ms(app),
					  true);
	}
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
	 * Queued under the lock: once the app is unlinked (removed set),
	 * nothing can queue work that vw_app_timers_stop() would miss.
	 * Suspend is held off from here until app->work has taken the wake
	 * (and, waking the app, the app's own hold): a suspend between the
	 * two would cut the wake short.
	 */
	queue_work(vw_wq, &app->work);
	if (!app->pm_wake) {
		app->pm_wake = true;
		vw_pm_hold();
	}
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

void vw_app_work(struct work_struct *work)
{
	struct vw_app *app = container_of(work, struct vw_app, work);
	struct vw_wake wk = {};
	bool pm_wake;
	u32 pending;

	mutex_lock(&app->mutex);
	spin_lock_bh(&app->lock);
	pending = app->pending;
	wk.ino = app->pending_ino;
	wk.bytes = app->pending_bytes;
	app->pending = 0;
	pm_wake = app->pm_wake;
	app->pm_wake = false;
	spin_unlock_bh(&app->lock);
	if (pending && !vw_app_hold(app, pending, wk.ino, wk.bytes)) {
		wk.reason = vw_pending_reason(pending);
		wk.keepalive = wk.reason != VOIPWAKE_WAKE_KEEPALIVE &&
			       (pending & BIT(VOIPWAKE_WAKE_KEEPALIVE));
		vw_app_apply(app, VW_EV_WAKE, &wk, NULL);
	}
	mutex_unlock(&app->mutex);
	if (pm_wake)
		vw_pm_release();
}
