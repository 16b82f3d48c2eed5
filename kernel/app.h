/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VOIPWAKE_APP_H
#define _VOIPWAKE_APP_H

#include <linux/cgroup.h>
#include <linux/hrtimer.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/voipwake.h>
#include <net/net_namespace.h>

#include "freezer.h"
#include "kaplan.h"

struct file;
struct netlink_ext_ack;

/* What can happen to an app; the state machine is vw_app_next(). */
enum vw_app_event {
	VW_EV_BACKGROUND,	/* admin or app: freeze me when idle */
	VW_EV_FOREGROUND,	/* admin or app: run normally */
	VW_EV_WAKE,		/* a marked socket needs the app */
	VW_EV_WINDOW_END,	/* the wake window ran out */
	VW_EV_DONE,		/* the app finished its work early */
	VW_EV_HOLD,		/* someone else froze the app's cgroup */
	VW_EV_THAWED,		/* someone else thawed it: it runs */
};

enum vw_app_action {
	VW_ACT_NONE,
	VW_ACT_FREEZE,
	VW_ACT_THAW,
	VW_ACT_EXTEND,		/* stay awake longer, up to the cap */
};

/* Why an app is being woken: what its APP_WOKEN_NTF says. */
struct vw_wake {
	enum voipwake_wake_reason reason;
	bool keepalive;		/* its keep-alive is served by this wake */
	u64 ino;		/* the socket that raised it, if any */
	u32 bytes;
};

/*
 * One per cgroup that has marked sockets or was put in the background.
 *
 * Locking: vw_apps_lock (mutex) guards the table and creation/removal;
 * app->mutex serialises everything that changes the app (freezer writes,
 * the socket list, timers, marking and unmarking its sockets); app->lock
 * (spinlock, taken from softirq) guards state and the pending wake so the
 * socket callbacks can read and record them. Order: vw_apps_lock,
 * app->mutex, lock_sock, sk_callback_lock, app->lock; keepalive.c's
 * vw_ka_lock sits between app->mutex and app->lock. The socket callbacks
 * reach an app under RCU only: it is freed after a grace period.
 */
struct vw_app {
	struct kref ref;
	struct rcu_head rcu;
	struct cgroup *cgrp;
	u64 id;				/* cgroup id, the table key */
	/*
	 * cgroup.freeze and cgroup.events, as the first manager allowed to
	 * freeze the app opened them (app->mutex); none until then.
	 */
	struct vw_cgfiles files;
	wait_queue_head_t *events_head;	/* we wait on cgroup.events here */
	wait_queue_entry_t events_wait;
	poll_table events_pt;
	struct fsnotify_mark *rm_mark;	/* on the parent (cgremove.c) */

	struct mutex mutex;		/* serialises changes to the app */
	struct list_head socks;		/* struct vw_sock, under mutex */
	unsigned int nsocks;
	unsigned int wake_window_ms;	/* 0: module default */
	unsigned int ka_period_s;	/* keep-alive timeout, 0: none */
	unsigned int ka_tol_pct;	/* 0: module default */
	unsigned int ka_budget_ms;	/* 0: module default */
	unsigned int wake_interval_ms;	/* throttle, 0: none */
	s8 wake_system;			/* -1: module default, else 0 or 1 */
	u32 ka_overruns;
	bool ka_awake;			/* in a keep-alive budget, not done */
	struct vw_ka_entry ka;		/* keepalive.c, under vw_ka_lock */
	/*
	 * The app's own netlink socket, once it configured itself, and the
	 * user that socket belongs to: only that user may move it.
	 */
	u32 notify_portid;
	possible_net_t notify_net;
	kuid_t notify_uid;

	spinlock_t lock;		/* state and pending, for softirq */
	enum voipwake_app_state state;
	u32 pending;			/* 1 << enum voipwake_wake_reason */
	u64 pending_ino;		/* socket behind the first pending wake */
	u32 pending_bytes;
	bool window_end_pending;
	bool removed;			/* out of the table, no new work */
	bool fresh;			/* its creator is still setting it up */
	bool unwatched;			/* set up by itself: no cgroup.events */
	bool pm_wake;			/* a wake app->work has yet to take */
	bool pm_awake;			/* holds off suspend: app->mutex */
	/*
	 * The freezer as others use it (app->mutex). @held: someone else
	 * (systemd, an administrator) froze the cgroup's own cgroup.freeze,
	 * so voipwake writes no "0" and wakes wait for their thaw.
	 * @own_freeze: voipwake's last write was "1". @deferred: awake, but
	 * a frozen ancestor keeps the app from running, so its window (or
	 * keep-alive budget) has not started.
	 */
	bool held;
	bool own_freeze;
	bool deferred;

	/*
	 * CLOCK_BOOTTIME ns, which counts suspend: a window that began
	 * before a suspend ends at resume if its time passed meanwhile.
	 */
	u64 wake_start;			/* when the window opened */
	u64 window_end;
	bool frozen;			/* freezer said so, last we looked */
	u64 frozen_since_ns;
	u64 frozen_ns;			/* total, finished periods */
	u64 last_wake_ns;
	u32 wake_seq;			/* APP_WOKEN_NTFs sent */
	u32 ka_seq;			/* wake_seq of the last keep-alive */
	u64 wakes[VOIPWAKE_WAKE_MAX + 1];
	u64 wakes_held;			/* by the wake interval */
	u32 freeze_timeouts;
	unsigned long freeze_deadline;	/* jiffies */
	/*
	 * The freeze gate (gate.c, app->mutex): a freeze waits up to
	 * @gate_ms for the marker's answer to gate @gate_seq while
	 * @gate_open; @gate_ev is the event that freezes once it passes.
	 */
	unsigned int gate_ms;		/* 0: freezes wait for nobody */
	unsigned long gate_deadline;	/* jiffies: the open gate's end */
	u32 gate_seq;
	u32 gate_timeouts;
	bool gate_open;
	enum vw_app_event gate_ev;

	struct work_struct work;	/* pending wake / window end */
	struct delayed_work hold_work;	/* a held wake's interval passed */
	struct hrtimer window_timer;	/* CLOCK_BOOTTIME, queues window_work */
	struct work_struct window_work;
	struct work_struct watch_work;	/* cgroup.events changed */
	struct delayed_work settle_work; /* ...and a change it may hide */
	struct delayed_work freeze_timeout_work;
	struct delayed_work gate_work;	/* only while a gate is open */
};

/* What APP_SET changes: each setting only when its has_ flag is set. */
struct vw_app_conf {
	bool has_window, has_ka_period, has_ka_tol, has_ka_budget;
	bool has_interval, has_wake_system, has_held;
	bool has_gate_ms, has_gate_seq;
	bool wake_system;
	bool held;
	unsigned int window_ms;
	unsigned int interval_ms;
	unsigned int ka_period_s;
	unsigned int ka_tol_pct;
	unsigned int ka_budget_ms;
	unsigned int gate_ms;
	u32 gate_seq;			/* the marker's answer */
	u32 notify_portid;		/* 0: leave the app's listener */
	struct net *notify_net;
	kuid_t notify_uid;
	struct vw_cgfiles *files;	/* from the manager's request, or NULL */
};

/* app.c: apps, their table and its collector. */
extern struct workqueue_struct *vw_wq;

int vw_apps_init(void);
void vw_apps_exit(void);
struct vw_app *vw_app_get_or_create(struct cgroup *cgrp,
				    struct netlink_ext_ack *extack);
struct vw_app *vw_app_lookup(u64 id);
void vw_app_put(struct vw_app *app);
void vw_app_maybe_remove(struct vw_app *app);
void vw_apps_collect(void);
void vw_apps_forget_listener(struct net *net, u32 portid);
int vw_app_configure(struct vw_app *app, const struct vw_app_conf *conf,
		     struct netlink_ext_ack *extack);
u64 vw_app_frozen_ms(struct vw_app *app);
bool vw_app_wakes_system(struct vw_app *app);
/* Iterate the table for dumps: the first app with id >= *pos, ref held. */
struct vw_app *vw_app_next_from(u64 *pos);
unsigned int vw_apps_generation(void);

/* state.c: the state machine and its actions. */
int vw_app_next(enum voipwake_app_state cur, enum vw_app_event ev,
		enum voipwake_app_state *next, enum vw_app_action *act);
int vw_app_apply(struct vw_app *app, enum vw_app_event ev,
		 struct vw_wake *wk, struct netlink_ext_ack *extack);
void vw_app_gate_passed(struct vw_app *app, enum vw_app_event ev);
int vw_app_request(struct vw_app *app, enum vw_app_event ev,
		   struct netlink_ext_ack *extack);
int vw_app_done(struct vw_app *app, const u32 *seq,
		struct netlink_ext_ack *extack);
void vw_app_wake(struct vw_app *app, enum voipwake_wake_reason reason,
		 u64 ino, u32 bytes);
void vw_app_work(struct work_struct *work);
bool vw_app_hold(struct vw_app *app, u32 reasons, u64 ino, u32 bytes);
void vw_app_account_thaw(struct vw_app *app);
void vw_app_set_held(struct vw_app *app, bool held);
void vw_app_freezer_changed(struct vw_app *app);
unsigned int vw_app_window_ms(struct vw_app *app);

/* timers.c: the window, hold and freezer-watch workers. */
void vw_app_timers_init(struct vw_app *app);
void vw_app_timers_stop(struct vw_app *app);
void vw_app_watch_start(struct vw_app *app);
void vw_app_arm_window(struct vw_app *app, bool opening, unsigned int ms,
		       bool capped);
void vw_app_cancel_window(struct vw_app *app);
void vw_app_pm_sync(struct vw_app *app);
void vw_app_freeze_started(struct vw_app *app);
void vw_app_freeze_ended(struct vw_app *app);

#endif /* _VOIPWAKE_APP_H */
