// SPDX-License-Identifier: GPL-2.0
/*
 * The freeze gate: a freeze that waits, bounded, for whoever marks the
 * app's sockets for it (voipwaked's MarkSockets=). An unmodified app
 * opens connections while it runs; marking them only after the freeze
 * leaves each unmarked from the freeze to the mark. With a gate, the
 * module tells the marker before it writes cgroup.freeze and waits for
 * its answer, or for gate_ms, whichever comes first: the marker can be
 * slow or stopped, the freeze cannot wait for ever. The only timer is
 * the gate's own one-shot, armed while a gate is open.
 */

#include <linux/jiffies.h>
#include <net/netlink.h>

#include "app.h"
#include "gate.h"
#include "netlink.h"

/*
 * The gate's part in a transition of the state machine (vw_app_next()
 * gave @act). A freeze of voipwake's own is gated; HOLD's is not, as
 * someone else froze the app already. While a gate is open, a foreground
 * or someone else's freeze ends it, and so does a wake that keeps the
 * app awake (@extends: the window can still grow, or a keep-alive is
 * served); any other event waits with the gate, as it would freeze the
 * app or leave it as it is.
 */
enum vw_gate_verdict vw_gate_verdict(unsigned int gate_ms, bool open,
				     enum voipwake_app_state cur,
				     enum vw_app_event ev,
				     enum vw_app_action act, bool extends)
{
	if (open) {
		if (ev == VW_EV_FOREGROUND || ev == VW_EV_HOLD)
			return VW_GATE_CANCEL;
		if (ev == VW_EV_WAKE && cur == VOIPWAKE_APP_STATE_AWAKE &&
		    extends)
			return VW_GATE_CANCEL;
		return VW_GATE_JOIN;
	}
	if (gate_ms && act == VW_ACT_FREEZE && ev != VW_EV_HOLD)
		return VW_GATE_START;
	return VW_GATE_PASS;
}

/* Only the open gate's own sequence lets it through. */
int vw_gate_check_answer(bool open, u32 open_seq, u32 seq)
{
	return open && seq == open_seq ? 0 : -ESTALE;
}

void vw_app_gate_start(struct vw_app *app, enum vw_app_event ev)
{
	lockdep_assert_held(&app->mutex);
	app->gate_open = true;
	app->gate_ev = ev;
	app->gate_seq++;
	app->gate_deadline = jiffies + msecs_to_jiffies(app->gate_ms);
	mod_delayed_work(vw_wq, &app->gate_work,
			 msecs_to_jiffies(app->gate_ms));
	vw_notify_gate(app);
}

/*
 * The timeout work checks the gate under app->mutex: one that already
 * runs finds it closed, or a newer gate not yet due, and does nothing,
 * so no waiting for it.
 */
void vw_app_gate_cancel(struct vw_app *app)
{
	lockdep_assert_held(&app->mutex);
	app->gate_open = false;
	cancel_delayed_work(&app->gate_work);
}

/* The freeze that waited goes on now. */
void vw_app_gate_through(struct vw_app *app)
{
	lockdep_assert_held(&app->mutex);
	if (!app->gate_open)
		return;
	vw_app_gate_cancel(app);
	vw_app_gate_passed(app, app->gate_ev);
}

int vw_app_gate_answer(struct vw_app *app, u32 seq,
		       struct netlink_ext_ack *extack)
{
	lockdep_assert_held(&app->mutex);
	if (vw_gate_check_answer(app->gate_open, app->gate_seq, seq)) {
		NL_SET_ERR_MSG(extack,
			       "stale freeze gate: no gate of that sequence is open");
		return -ESTALE;
	}
	vw_app_gate_through(app);
	return 0;
}

/* 0 turns the gate off: an open one lets its freeze through now. */
void vw_app_gate_set(struct vw_app *app, unsigned int ms)
{
	lockdep_assert_held(&app->mutex);
	app->gate_ms = ms;
	if (!ms)
		vw_app_gate_through(app);
}

/* Nobody answered in gate_ms: the freeze goes on, counted and said. */
void vw_app_gate_timeout_fn(struct work_struct *work)
{
	struct vw_app *app = container_of(to_delayed_work(work),
					  struct vw_app, gate_work);

	mutex_lock(&app->mutex);
	/* A run meant for an earlier gate, which waited for the mutex. */
	if (app->gate_open && !app->removed &&
	    !time_before(jiffies, app->gate_deadline)) {
		app->gate_timeouts++;
		pr_warn_ratelimited("app %llu: nobody answered freeze gate %u in %u ms: freezing\n",
				    app->id, app->gate_seq, app->gate_ms);
		vw_app_gate_through(app);
	}
	mutex_unlock(&app->mutex);
}
