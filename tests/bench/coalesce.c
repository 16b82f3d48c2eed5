// SPDX-License-Identifier: GPL-2.0
/*
 * Keep-alive coalescing, measured on the module's own planner
 * (kernel/kaplan.c): 100 apps, keep-alive periods drawn uniformly from
 * [600, 3600] s, 20 % tolerance, each backgrounded at a random instant in
 * its first period, over 24 simulated hours. Prints the distinct wake
 * instants with coalescing, without (every app at its own deadline), and
 * the optimum for the windows the coalesced run produced (offline
 * earliest-deadline stabbing, which is exact for interval stabbing).
 *
 *   coalesce [SEED]
 */
#include <stdio.h>
#include <stdlib.h>

#include "kaplan.h"

#define APPS		100
#define HORIZON		(24ULL * 3600 * 1000)	/* ms */
#define TOLERANCE	20
#define MAX_WINDOWS	(APPS * (HORIZON / 480000 + 2))

static u64 next_rand(u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static int by_latest(const void *a, const void *b)
{
	const struct vw_ka_window *x = a, *y = b;

	return (x->latest > y->latest) - (x->latest < y->latest);
}

/* Offline optimum: sort by deadline, stab at each unstabbed deadline. */
static unsigned long stab(struct vw_ka_window *w, unsigned long n)
{
	unsigned long i, points = 0;
	u64 at = 0;
	int any = 0;

	qsort(w, n, sizeof(*w), by_latest);
	for (i = 0; i < n; i++) {
		if (any && w[i].earliest <= at)
			continue;
		at = w[i].latest;
		any = 1;
		points++;
	}
	return points;
}

struct sim {
	struct vw_ka_entry apps[APPS];
	struct vw_ka_window *seen;	/* every window served, for the optimum */
	unsigned long nseen;
	u64 now;
	int late_or_early;
};

/*
 * vw_ka_fire() has already started the next period at sim->now, so the
 * window just served is the one before it: ending at its old deadline.
 */
static void fired(struct vw_ka_entry *e, void *arg)
{
	struct sim *sim = arg;
	struct vw_ka_window *w = &sim->seen[e - sim->apps];

	if (sim->now < w->earliest || sim->now > w->latest)
		sim->late_or_early++;
	sim->seen[APPS + sim->nseen++] = *w;
	*w = e->w;
}

int main(int argc, char **argv)
{
	static struct vw_ka_window seen[APPS + MAX_WINDOWS];
	static struct sim sim = { .seen = seen };
	u64 seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 1, start, t;
	unsigned long coalesced = 0, separate = 0, best;
	struct vw_ka_sched s;
	int i;

	printf("apps=%d hours=24 tolerance=%d%% seed=%llu\n", APPS, TOLERANCE,
	       (unsigned long long)seed);
	/* The module's margin, in this simulation's milliseconds. */
	vw_ka_sched_init(&s, 1000);
	for (i = 0; i < APPS; i++) {
		u64 period = 600000 + next_rand(&seed) % 3000001;

		start = next_rand(&seed) % period;
		vw_ka_entry_init(&sim.apps[i]);
		vw_ka_arm(&s, &sim.apps[i], start, period, TOLERANCE);
		seen[i] = sim.apps[i].w;	/* the pending window */
		/* Without coalescing: one wake per app per period. */
		separate += (HORIZON - start) / period;
	}
	while ((t = vw_ka_plan(&s)) <= HORIZON) {
		sim.now = t;
		vw_ka_fire(&s, t, fired, &sim);
		coalesced++;
	}
	best = stab(seen + APPS, sim.nseen);
	printf("wakes without coalescing: %lu\n", separate);
	printf("wakes with coalescing:    %lu\n", coalesced);
	printf("optimum for those windows: %lu\n", best);
	printf("ratio coalesced/without: %.3f, coalesced/optimum: %.3f\n",
	       (double)coalesced / separate, (double)coalesced / best);
	if (sim.late_or_early) {
		printf("BUG: %d keep-alives outside their window\n",
		       sim.late_or_early);
		return 1;
	}
	return 0;
}
