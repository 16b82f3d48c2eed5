// SPDX-License-Identifier: GPL-2.0
/*
 * Coalescing keep-alive wakes: earliest-deadline interval stabbing.
 *
 * Each armed app has a window [earliest, latest]. The next wake is aimed
 * at the earliest deadline among them (less a small margin that stays
 * inside that window), and every app whose window is open by the time the
 * wake happens fires with it. Each app that fires holds the instant inside
 * its window: earliest <= now is the test for firing, and now stays at or
 * before the smallest deadline because that is where the wake was aimed.
 * So nobody is woken early, and nobody late unless the timer itself is
 * later than the margin.
 *
 * On a fixed set of windows, repeating this stabs them all with the fewest
 * instants possible (greedy earliest deadline is the classic optimal rule
 * for interval stabbing). Joins, leaves and changes need no special case:
 * the plan is recomputed from the armed set after each of them, so each
 * change affects only the next plan.
 */

#include "kaplan.h"

/* The window of a period of @period that began at @start. */
struct vw_ka_window vw_ka_window_for(u64 start, u64 period,
				     unsigned int tol_pct)
{
	struct vw_ka_window w;

	if (tol_pct > 100)
		tol_pct = 100;
	w.latest = start + period;
	w.earliest = w.latest - period / 100 * tol_pct -
		     period % 100 * tol_pct / 100;
	return w;
}

void vw_ka_sched_init(struct vw_ka_sched *s, u64 margin)
{
	INIT_LIST_HEAD(&s->armed);
	s->margin = margin;
}

void vw_ka_entry_init(struct vw_ka_entry *e)
{
	INIT_LIST_HEAD(&e->node);
	e->wake = true;
}

bool vw_ka_armed(const struct vw_ka_entry *e)
{
	return !list_empty(&e->node);
}

/*
 * vw_ka_arm() - start or change a period
 *
 * Changing the period of an armed entry while keeping @start keeps the
 * promise made at the last keep-alive: the new deadline counts from it.
 */
void vw_ka_arm(struct vw_ka_sched *s, struct vw_ka_entry *e, u64 start,
	       u64 period, unsigned int tol_pct)
{
	e->start = start;
	e->period = period;
	e->tol_pct = tol_pct;
	e->w = vw_ka_window_for(start, period, tol_pct);
	if (!vw_ka_armed(e))
		list_add_tail(&e->node, &s->armed);
}

void vw_ka_disarm(struct vw_ka_entry *e)
{
	list_del_init(&e->node);
}

bool vw_ka_due(const struct vw_ka_entry *e, u64 now)
{
	return vw_ka_armed(e) && e->w.earliest <= now;
}

static u64 vw_ka_aim(const struct vw_ka_sched *s, const struct vw_ka_window *w)
{
	u64 slack = (w->latest - w->earliest) / 4;

	return w->latest - (s->margin < slack ? s->margin : slack);
}

static u64 vw_ka_plan_if(const struct vw_ka_sched *s, bool waking_only)
{
	const struct vw_ka_entry *e;
	u64 t = U64_MAX, aim;

	list_for_each_entry(e, &s->armed, node) {
		if (waking_only && !e->wake)
			continue;
		aim = vw_ka_aim(s, &e->w);
		if (aim < t)
			t = aim;
	}
	return t;
}

/* When to look next: U64_MAX when nothing is armed. */
u64 vw_ka_plan(const struct vw_ka_sched *s)
{
	return vw_ka_plan_if(s, false);
}

/*
 * When a suspended system must be woken: the plan of the entries that
 * may wake it. The others wait for the next resume; a wake aimed for
 * these serves whichever of them are due by then too.
 */
u64 vw_ka_plan_waking(const struct vw_ka_sched *s)
{
	return vw_ka_plan_if(s, true);
}

/*
 * vw_ka_fire() - fire every entry due at @now
 *
 * Each one's next period starts at @now (its keep-alive happens now), and
 * @fn is called for it. Return: how many fired.
 */
unsigned int vw_ka_fire(struct vw_ka_sched *s, u64 now,
			void (*fn)(struct vw_ka_entry *e, void *arg),
			void *arg)
{
	struct vw_ka_entry *e, *tmp;
	unsigned int n = 0;

	/* Safe: @fn may disarm the entry it is given. */
	list_for_each_entry_safe(e, tmp, &s->armed, node) {
		if (e->w.earliest > now)
			continue;
		vw_ka_arm(s, e, now, e->period, e->tol_pct);
		fn(e, arg);
		n++;
	}
	return n;
}
