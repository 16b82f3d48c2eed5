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

int main(int argc, char **argv)
{
	static struct vw_ka_window pending[APPS], seen[MAX_WINDOWS];
	u64 seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
	unsigned long coalesced = 0, separate = 0, nseen = 0;
	u64 period[APPS], start, t;
	bool fire[APPS];
	int i;

	for (i = 0; i < APPS; i++) {
		period[i] = 600000 + next_rand(&seed) % 3000001;
		start = next_rand(&seed) % period[i];
		pending[i] = vw_ka_window_for(start, period[i], TOLERANCE);
		/* Without coalescing: one wake per app per period. */
		separate += (HORIZON - start) / period[i];
	}
	for (;;) {
		t = vw_ka_next(pending, APPS, fire);
		if (t > HORIZON)
			break;
		coalesced++;
		for (i = 0; i < APPS; i++) {
			if (!fire[i])
				continue;
			seen[nseen++] = pending[i];
			pending[i] = vw_ka_window_for(t, period[i], TOLERANCE);
		}
	}
	printf("apps=%d hours=24 tolerance=%d%% seed=%llu\n", APPS, TOLERANCE,
	       (unsigned long long)(argc > 1 ? strtoull(argv[1], NULL, 0) : 1));
	printf("wakes without coalescing: %lu\n", separate);
	printf("wakes with coalescing:    %lu\n", coalesced);
	printf("optimum for those windows: %lu\n", stab(seen, nseen));
	printf("ratio coalesced/without: %.3f, coalesced/optimum: %.3f\n",
	       (double)coalesced / separate,
	       (double)coalesced / stab(seen, nseen));
	return 0;
}
