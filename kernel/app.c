// SPDX-License-Identifier: GPL-2.0
/*
 * Apps: one per cgroup, in a table keyed by cgroup id, and the collector
 * that takes the ones left with nothing to do. The state machine is in
 * state.c, the work each app does on its own in timers.c.
 */

#include <linux/file.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/xarray.h>
#include <net/netlink.h>

#include "app.h"
#include "cgremove.h"
#include "compat.h"
#include "freezer.h"
#include "gate.h"
#include "keepalive.h"
#include "netlink.h"
#include "params.h"
#include "sock.h"

static DEFINE_MUTEX(vw_apps_lock);
static DEFINE_XARRAY(vw_apps);
static atomic_t vw_apps_gen = ATOMIC_INIT(1);
/* Apps that only the collector's sweeps at creation can find idle. */
static atomic_t vw_apps_unwatched = ATOMIC_INIT(0);
struct workqueue_struct *vw_wq;

/*
 * Takes apps left with no socket and no reason to stay. Never periodic:
 * it runs when something may have made an app idle (its cgroup lost its
 * last task, a netlink socket closed, an app was created), once.
 */
static void vw_apps_gc(struct work_struct *work);
static DECLARE_WORK(vw_gc_work, vw_apps_gc);

static void vw_app_free(struct kref *ref)
{
	struct vw_app *app = container_of(ref, struct vw_app, ref);

	vw_cgfiles_put(&app->files);
	cgroup_put(app->cgrp);
	/* The socket callbacks may still be looking at it, under RCU. */
	kfree_rcu(app, rcu);
}

void vw_app_put(struct vw_app *app)
{
	kref_put(&app->ref, vw_app_free);
}

u64 vw_app_frozen_ms(struct vw_app *app)
{
	u64 ns = app->frozen_ns;

	if (app->frozen)
		ns += ktime_get_boottime_ns() - app->frozen_since_ns;
	return div_u64(ns, NSEC_PER_MSEC);
}

/*
 * Whether the app's keep-alive may wake the system from suspend: what an
 * admin set, else the module's default.
 */
bool vw_app_wakes_system(struct vw_app *app)
{
	if (app->wake_system >= 0)
		return app->wake_system;
	return vw_param_wake_system_default();
}

/*
 * The app's own listener is whoever configured the app for itself last,
 * but only among one user: another user's process in the same cgroup may
 * not take the app's events away from it (it may still mark its own
 * sockets, and hear of the app through them). A listener that is gone
 * (vw_apps_forget_listener()) leaves the place free.
 */
static int vw_app_set_listener(struct vw_app *app,
			       const struct vw_app_conf *conf,
			       struct netlink_ext_ack *extack)
{
	if (!conf->notify_portid)
		return 0;
	if (app->notify_portid && !uid_eq(app->notify_uid, conf->notify_uid)) {
		NL_SET_ERR_MSG(extack,
			       "the app's events go to another user's netlink socket");
		return -EBUSY;
	}
	app->notify_portid = conf->notify_portid;
	write_pnet(&app->notify_net, conf->notify_net);
	app->notify_uid = conf->notify_uid;
	return 0;
}

int vw_app_configure(struct vw_app *app, const struct vw_app_conf *conf,
		     struct netlink_ext_ack *extack)
{
	int err;

	mutex_lock(&app->mutex);
	/* As in vw_app_apply(): no timer for an app that went away. */
	if (app->removed) {
		mutex_unlock(&app->mutex);
		return -EAGAIN;
	}
	err = vw_app_set_listener(app, conf, extack);
	if (err) {
		mutex_unlock(&app->mutex);
		return err;
	}
	/*
	 * The first manager's files serve every later request. A copy: if
	 * this app is removed before the request is through, the request
	 * retries on a new app, which needs them too.
	 */
	if (conf->files && conf->files->freeze && !app->files.freeze) {
		vw_cgfiles_dup(&app->files, conf->files);
		vw_cgfiles_open_events(&app->files);
		vw_app_watch_start(app);
	}
	if (app->unwatched != !app->events_head) {
		app->unwatched = !app->events_head;
		if (app->unwatched)
			atomic_inc(&vw_apps_unwatched);
		else
			atomic_dec(&vw_apps_unwatched);
	}
	if (conf->has_window)
		app->wake_window_ms = conf->window_ms;
	if (conf->has_ka_tol)
		app->ka_tol_pct = conf->ka_tol_pct;
	if (conf->has_ka_budget)
		app->ka_budget_ms = conf->ka_budget_ms;
	if (conf->has_ka_period)
		app->ka_period_s = conf->ka_period_s;
	if (conf->has_wake_system)
		app->wake_system = conf->wake_system;
	if (conf->has_ka_period || conf->has_ka_tol || conf->has_wake_system)
		vw_ka_app_update(app, false);
	if (conf->has_interval) {
		app->wake_interval_ms = conf->interval_ms;
		/* A held wake is due at once, or at the new interval. */
		if (delayed_work_pending(&app->hold_work))
			mod_delayed_work(vw_wq, &app->hold_work, 0);
	}
	if (conf->has_held)
		vw_app_set_held(app, conf->held);
	if (conf->has_gate_ms)
		vw_app_gate_set(app, conf->gate_ms);
	if (conf->has_gate_seq)
		err = vw_app_gate_answer(app, conf->gate_seq, extack);
	mutex_unlock(&app->mutex);
	return err;
}

static struct vw_app *vw_app_alloc(struct cgroup *cgrp)
{
	struct vw_app *app;

	app = kzalloc(sizeof(*app), GFP_KERNEL_ACCOUNT);
	if (!app)
		return ERR_PTR(-ENOMEM);
	kref_init(&app->ref);
	cgroup_get(cgrp);
	app->cgrp = cgrp;
	app->id = cgroup_id(cgrp);
	mutex_init(&app->mutex);
	spin_lock_init(&app->lock);
	INIT_LIST_HEAD(&app->socks);
	app->wake_system = -1;
	vw_ka_entry_init(&app->ka);
	WRITE_ONCE(app->state, VOIPWAKE_APP_STATE_FOREGROUND);
	/* Not the collector's until its creator is done with it. */
	app->fresh = true;
	vw_app_timers_init(app);
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
		NL_SET_ERR_MSG(extack, "out of memory for a new app");
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
	/*
	 * An app nobody can watch (it configured itself, with no cgroup fd)
	 * is found idle here at the latest: the table never outgrows the
	 * live apps by more than those idle since the last creation.
	 */
	if (atomic_read(&vw_apps_unwatched))
		queue_work(vw_wq, &vw_gc_work);
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
	       !app->wake_interval_ms && app->wake_system < 0 &&
	       !app->gate_ms;
}

/* Takes the app out of the table; the caller drops the table's ref. */
static void vw_app_unlink(struct vw_app *app)
{
	lockdep_assert_held(&vw_apps_lock);
	lockdep_assert_held(&app->mutex);

	/* Someone else's freeze (app->held) is theirs to undo. */
	if (app->state != VOIPWAKE_APP_STATE_FOREGROUND && !app->held)
		vw_freezer_set(app->files.freeze, false);
	spin_lock_bh(&app->lock);
	app->removed = true;
	WRITE_ONCE(app->state, VOIPWAKE_APP_STATE_FOREGROUND);
	spin_unlock_bh(&app->lock);
	vw_ka_app_update(app, false);
	vw_app_pm_sync(app);
	if (app->unwatched)
		atomic_dec(&vw_apps_unwatched);
	app->unwatched = false;
	xa_erase(&vw_apps, app->id);
	atomic_inc(&vw_apps_gen);
}

/*
 * Called when an app may have become idle: with its last socket gone, or
 * once foregrounded, and by every request that may have created it, once
 * done with it. One that is not idle yet is taken by the collector when
 * it is: its cgroup.events tells when its last task leaves.
 */
void vw_app_maybe_remove(struct vw_app *app)
{
	bool gone = false;

	mutex_lock(&vw_apps_lock);
	mutex_lock(&app->mutex);
	app->fresh = false;
	if (!app->removed && vw_app_idle(app)) {
		vw_app_unlink(app);
		gone = true;
	}
	mutex_unlock(&app->mutex);
	mutex_unlock(&vw_apps_lock);
	if (gone) {
		vw_app_timers_stop(app);
		vw_app_put(app);
	}
}

void vw_apps_collect(void)
{
	queue_work(vw_wq, &vw_gc_work);
}

static void vw_apps_gc(struct work_struct *work)
{
	struct vw_app *app, *gone[16];
	unsigned int n = 0, i;
	unsigned long index;

	mutex_lock(&vw_apps_lock);
	xa_for_each(&vw_apps, index, app) {
		mutex_lock(&app->mutex);
		if (!app->fresh && vw_app_idle(app) &&
		    n < ARRAY_SIZE(gone)) {
			vw_app_unlink(app);
			gone[n++] = app;
		}
		mutex_unlock(&app->mutex);
	}
	mutex_unlock(&vw_apps_lock);
	for (i = 0; i < n; i++) {
		vw_app_timers_stop(gone[i]);
		vw_app_put(gone[i]);
	}
	/* A full batch: the rest of the table at once. */
	if (n == ARRAY_SIZE(gone))
		queue_work(vw_wq, &vw_gc_work);
}

/*
 * A netlink socket closed (NETLINK_URELEASE), or a whole netns is going
 * (@portid 0): stop sending events to it, before another socket can bind
 * its portid and hear what was meant for it.
 */
void vw_apps_forget_listener(struct net *net, u32 portid)
{
	bool any = false;
	struct vw_app *app;
	struct vw_sock *vs;
	u64 pos = 0;

	while ((app = vw_app_next_from(&pos))) {
		mutex_lock(&app->mutex);
		if (app->notify_portid &&
		    net_eq(read_pnet(&app->notify_net), net) &&
		    (!portid || app->notify_portid == portid)) {
			app->notify_portid = 0;
			any = true;
		}
		list_for_each_entry(vs, &app->socks, node)
			if (vs->notify_portid &&
			    net_eq(read_pnet(&vs->notify_net), net) &&
			    (!portid || vs->notify_portid == portid))
				vs->notify_portid = 0;
		mutex_unlock(&app->mutex);
		vw_app_put(app);
		pos++;
	}
	/* Its process may have gone with it. */
	if (any)
		vw_apps_collect();
}

int __init vw_apps_init(void)
{
	int err;

	/* 64-bit cgroup ids are the table's keys. */
	BUILD_BUG_ON(sizeof(unsigned long) < sizeof(u64));

	vw_wq = alloc_workqueue("voipwake", WQ_HIGHPRI | WQ_MEM_RECLAIM |
				 VW_WQ_PERCPU, 0);
	if (!vw_wq)
		return -ENOMEM;
	err = vw_rm_init();
	if (err) {
		destroy_workqueue(vw_wq);
		return err;
	}
	vw_ka_init(vw_wq);
	return 0;
}

/*
 * Module exit: no socket is marked (each pins the module), so what is left
 * are apps without sockets. Each is thawed and freed; then the workqueue
 * goes, waiting for whatever of ours still runs on it.
 */
void vw_apps_exit(void)
{
	struct vw_app *app;
	unsigned long index;

	cancel_work_sync(&vw_gc_work);
	mutex_lock(&vw_apps_lock);
	xa_for_each(&vw_apps, index, app) {
		mutex_lock(&app->mutex);
		vw_app_unlink(app);
		mutex_unlock(&app->mutex);
		mutex_unlock(&vw_apps_lock);
		vw_app_timers_stop(app);
		vw_app_put(app);
		mutex_lock(&vw_apps_lock);
	}
	mutex_unlock(&vw_apps_lock);
	vw_ka_exit();
	vw_rm_exit();
	/* A collection queued by the last unlinks finds nothing left. */
	cancel_work_sync(&vw_gc_work);
	destroy_workqueue(vw_wq);
}
