// SPDX-License-Identifier: GPL-2.0
/*
 * Coalescing keep-alive wakes: earliest-deadline interval stabbing.
 *
 * Fire at the earliest deadline among the pending windows, and take along
 * every app whose window is already open by then. Each app that fires
 * holds the instant inside its window (earliest <= t by the choice of
 * who fires, t <= latest because t is the smallest latest), so nobody is
 * woken early or late. On a fixed set of windows, repeating this stabs
 * them all with the fewest instants possible: the greedy choice of the
 * earliest deadline is the classic optimal rule for interval stabbing.
 * Apps joining or leaving only change the set the next call sees.
 */

#include "kaplan.h"

/* The window of a period of @period that began at @start. */
struct vw_ka_window vw_ka_window_for(u64 start, u64 period,
				     unsigned int tolerance_pct)
{
	struct vw_ka_window w;

	if (tolerance_pct > 100)
		tolerance_pct = 100;
	w.latest = start + period;
	w.earliest = w.latest - period / 100 * tolerance_pct -
		     period % 100 * tolerance_pct / 100;
	return w;
}

/*
 * vw_ka_next() - when to fire next, and who fires then
 * @w: the pending windows, each with earliest <= latest
 * @n: how many
 * @fire: set true for every window that fires at the returned instant,
 *	false for the others
 *
 * Return: the instant, or U64_MAX (and nobody fires) when @n is 0.
 */
u64 vw_ka_next(const struct vw_ka_window *w, unsigned int n, bool *fire)
{
	u64 t = U64_MAX;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (w[i].latest < t)
			t = w[i].latest;
	for (i = 0; i < n; i++)
		fire[i] = w[i].earliest <= t;
	return t;
}
