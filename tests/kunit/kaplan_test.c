// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the keep-alive planner (kernel/kaplan.c), the module's own source
 * compiled into this test module. No clock: every test drives time itself.
 *
 * What must hold whatever the apps do: an app fires only inside its window
 * (never early, never late), apps whose windows are open share the wake,
 * and joins, leaves, foregrounding and changes of timeout while a shared
 * wake is pending neither cost anybody their guarantee nor fire anybody
 * early.
 */

#include <kunit/test.h>
#include <linux/slab.h>

#include "kaplan.h"

#define SEEDS		500
#define CHURN_SEEDS	200
#define MAX_APPS	48
#define BRUTE_MAX	10
#define CHURN_STEPS	400

/* xorshift64*: the same sequence on every kernel, unlike get_random_*(). */
static u64 next_rand(u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static void window_for_test(struct kunit *test)
{
	struct vw_ka_window w;

	w = vw_ka_window_for(1000, 600, 20);
	KUNIT_EXPECT_EQ(test, w.earliest, 1480ULL);
	KUNIT_EXPECT_EQ(test, w.latest, 1600ULL);
	/* Never earlier than 0.8 T, rounding included. */
	w = vw_ka_window_for(0, 601, 20);
	KUNIT_EXPECT_EQ(test, w.earliest, 481ULL);
	w = vw_ka_window_for(5, 600, 0);
	KUNIT_EXPECT_EQ(test, w.earliest, w.latest);
	w = vw_ka_window_for(5, 600, 250);	/* clamped to 100 % */
	KUNIT_EXPECT_EQ(test, w.earliest, 5ULL);
}

static void empty_plan_test(struct kunit *test)
{
	struct vw_ka_sched s;

	vw_ka_sched_init(&s, 0);
	KUNIT_EXPECT_EQ(test, vw_ka_plan(&s), U64_MAX);
}

struct fired {
	struct vw_ka_entry *e[MAX_APPS];
	unsigned int n;
};

static void record(struct vw_ka_entry *e, void *arg)
{
	struct fired *f = arg;

	if (f->n < MAX_APPS)
		f->e[f->n++] = e;
}

static bool was_fired(const struct fired *f, const struct vw_ka_entry *e)
{
	unsigned int i;

	for (i = 0; i < f->n; i++)
		if (f->e[i] == e)
			return true;
	return false;
}

/*
 * Lets time pass to the planned instant, fires, and checks the instant
 * against every armed window as it was before: the fired ones hold it,
 * the others are not open yet, and nobody's deadline has passed.
 * Return: how many fired.
 */
static unsigned int fire_checked(struct kunit *test, struct vw_ka_sched *s,
				 struct vw_ka_entry *apps, unsigned int n,
				 u64 *now)
{
	struct vw_ka_window *before;
	struct fired *f;
	unsigned int i, fired;
	bool armed;

	before = kmalloc_array(n, sizeof(*before), GFP_KERNEL);
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, before);
	KUNIT_ASSERT_NOT_NULL(test, f);
	/* A timer set in the past goes off at once: time never runs back. */
	*now = max(*now, vw_ka_plan(s));
	for (i = 0; i < n; i++)
		before[i] = apps[i].w;
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_LE(test, vw_ka_armed(&apps[i]) ? *now : 0,
				before[i].latest);
	vw_ka_fire(s, *now, record, f);
	for (i = 0; i < n; i++) {
		armed = vw_ka_armed(&apps[i]);
		if (was_fired(f, &apps[i])) {
			KUNIT_EXPECT_TRUE(test, armed);
			KUNIT_EXPECT_LE(test, before[i].earliest, *now);
			/* The next period starts at the keep-alive. */
			KUNIT_EXPECT_EQ(test, apps[i].start, *now);
		} else if (armed) {
			KUNIT_EXPECT_GT(test, before[i].earliest, *now);
		}
	}
	fired = f->n;
	kfree(f);
	kfree(before);
	return fired;
}

static void overlap_shares_a_wake_test(struct kunit *test)
{
	struct vw_ka_entry apps[3];
	struct vw_ka_sched s;
	unsigned int i;
	u64 now;

	vw_ka_sched_init(&s, 0);
	for (i = 0; i < 3; i++)
		vw_ka_entry_init(&apps[i]);
	/* Windows [80, 100], [90, 110] and [144, 180]. */
	vw_ka_arm(&s, &apps[0], 0, 100, 20);
	vw_ka_arm(&s, &apps[1], 10, 100, 20);
	vw_ka_arm(&s, &apps[2], 0, 180, 20);
	KUNIT_EXPECT_EQ(test, fire_checked(test, &s, apps, 3, &now), 2U);
	KUNIT_EXPECT_EQ(test, now, 100ULL);
	KUNIT_EXPECT_EQ(test, apps[2].start, 0ULL);
}

static void margin_stays_in_window_test(struct kunit *test)
{
	struct vw_ka_entry a, b;
	struct vw_ka_sched s;

	vw_ka_sched_init(&s, 5);
	vw_ka_entry_init(&a);
	vw_ka_entry_init(&b);
	/* A wide window gives up the whole margin... */
	vw_ka_arm(&s, &a, 0, 100, 20);
	KUNIT_EXPECT_EQ(test, vw_ka_plan(&s), 95ULL);
	/* ...a narrow one at most a quarter of itself. */
	vw_ka_arm(&s, &b, 0, 90, 4);
	KUNIT_EXPECT_EQ(test, b.w.earliest, 87ULL);
	KUNIT_EXPECT_EQ(test, vw_ka_plan(&s), 90ULL);
}

/*
 * Only the entries that may wake the system aim the waking plan; the
 * plan of all still counts the others, and a fire takes every due entry.
 */
static void waking_plan_test(struct kunit *test)
{
	struct vw_ka_entry a, b;
	struct vw_ka_sched s;
	struct fired f = {};

	vw_ka_sched_init(&s, 0);
	KUNIT_EXPECT_EQ(test, vw_ka_plan_waking(&s), U64_MAX);
	vw_ka_entry_init(&a);
	vw_ka_entry_init(&b);
	KUNIT_EXPECT_TRUE(test, a.wake);
	a.wake = false;
	vw_ka_arm(&s, &a, 0, 100, 20);
	KUNIT_EXPECT_EQ(test, vw_ka_plan(&s), 100ULL);
	KUNIT_EXPECT_EQ(test, vw_ka_plan_waking(&s), U64_MAX);
	vw_ka_arm(&s, &b, 0, 200, 20);
	KUNIT_EXPECT_EQ(test, vw_ka_plan(&s), 100ULL);
	KUNIT_EXPECT_EQ(test, vw_ka_plan_waking(&s), 200ULL);
	/* Resumed at b's wake, long past a's deadline: both are served. */
	KUNIT_EXPECT_EQ(test, vw_ka_fire(&s, 200, record, &f), 2U);
	KUNIT_EXPECT_FALSE(test, a.wake);
	KUNIT_EXPECT_EQ(test, vw_ka_plan_waking(&s), 400ULL);
}

/* An app that joins with an earlier deadline pulls the wake forward. */
static void join_mid_wait_test(struct kunit *test)
{
	struct vw_ka_entry apps[3];
	struct vw_ka_sched s;
	unsigned int i;
	u64 now;

	vw_ka_sched_init(&s, 0);
	for (i = 0; i < 3; i++)
		vw_ka_entry_init(&apps[i]);
	vw_ka_arm(&s, &apps[0], 0, 1000, 20);		/* [800, 1000] */
	KUNIT_EXPECT_EQ(test, vw_ka_plan(&s), 1000ULL);
	vw_ka_arm(&s, &apps[1], 450, 500, 10);		/* [900, 950] */
	vw_ka_arm(&s, &apps[2], 500, 1000, 20);		/* [1300, 1500] */
	KUNIT_EXPECT_EQ(test, fire_checked(test, &s, apps, 3, &now), 2U);
	KUNIT_EXPECT_EQ(test, now, 950ULL);
	KUNIT_EXPECT_EQ(test, apps[0].start, 950ULL);
	KUNIT_EXPECT_EQ(test, apps[2].start, 500ULL);
}

/* An app that leaves takes its deadline with it, and nobody fires early. */
static void leave_mid_wait_test(struct kunit *test)
{
	struct vw_ka_entry apps[2];
	struct vw_ka_sched s;
	u64 now;

	vw_ka_sched_init(&s, 0);
	vw_ka_entry_init(&apps[0]);
	vw_ka_entry_init(&apps[1]);
	vw_ka_arm(&s, &apps[0], 0, 1000, 20);		/* [800, 1000] */
	vw_ka_arm(&s, &apps[1], 0, 500, 20);		/* [400, 500] */
	KUNIT_EXPECT_EQ(test, vw_ka_plan(&s), 500ULL);
	vw_ka_disarm(&apps[1]);
	KUNIT_EXPECT_EQ(test, vw_ka_plan(&s), 1000ULL);
	KUNIT_EXPECT_EQ(test, fire_checked(test, &s, apps, 2, &now), 1U);
	KUNIT_EXPECT_EQ(test, now, 1000ULL);
	vw_ka_disarm(&apps[0]);
	KUNIT_EXPECT_EQ(test, vw_ka_plan(&s), U64_MAX);
}

/*
 * Foregrounded, an app stops counting; put back in the background it
 * starts a fresh period then, and does not fire with the wake it left.
 */
static void foreground_mid_wait_test(struct kunit *test)
{
	struct vw_ka_entry apps[2];
	struct vw_ka_sched s;
	u64 now;

	vw_ka_sched_init(&s, 0);
	vw_ka_entry_init(&apps[0]);
	vw_ka_entry_init(&apps[1]);
	vw_ka_arm(&s, &apps[0], 0, 1000, 20);		/* [800, 1000] */
	vw_ka_arm(&s, &apps[1], 0, 1000, 20);
	vw_ka_disarm(&apps[1]);				/* foreground at 0 */
	vw_ka_arm(&s, &apps[1], 700, 1000, 20);		/* back at 700 */
	KUNIT_EXPECT_EQ(test, fire_checked(test, &s, apps, 2, &now), 1U);
	KUNIT_EXPECT_EQ(test, now, 1000ULL);
	KUNIT_EXPECT_EQ(test, apps[1].start, 700ULL);
}

/* A new timeout counts from the last keep-alive, not from the change. */
static void change_timeout_test(struct kunit *test)
{
	struct vw_ka_entry a;
	struct vw_ka_sched s;
	u64 now;

	vw_ka_sched_init(&s, 0);
	vw_ka_entry_init(&a);
	vw_ka_arm(&s, &a, 100, 1000, 20);
	vw_ka_arm(&s, &a, a.start, 600, 20);		/* [580, 700] */
	KUNIT_EXPECT_EQ(test, fire_checked(test, &s, &a, 1, &now), 1U);
	KUNIT_EXPECT_EQ(test, now, 700ULL);
}

/*
 * Property, over many seeds: random apps arm, leave, come back, change
 * their timeout and fire at the planned instants for a while; every fire
 * is checked by fire_checked(), and at the end nobody armed is overdue.
 */
static void churn_property_test(struct kunit *test)
{
	struct vw_ka_entry *apps;
	struct vw_ka_sched s;
	unsigned int n, i, step, total = 0;
	u64 seed, r, now = 0, period;

	apps = kunit_kcalloc(test, MAX_APPS, sizeof(*apps), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, apps);
	for (seed = 1; seed <= CHURN_SEEDS; seed++) {
		r = seed;
		n = 1 + next_rand(&r) % MAX_APPS;
		vw_ka_sched_init(&s, next_rand(&r) % 50);
		now = 0;
		for (i = 0; i < n; i++)
			vw_ka_entry_init(&apps[i]);
		for (step = 0; step < CHURN_STEPS; step++) {
			i = next_rand(&r) % n;
			period = 100 + next_rand(&r) % 3000;
			switch (next_rand(&r) % 6) {
			case 0:		/* joins, or is backgrounded again */
				if (!vw_ka_armed(&apps[i]))
					vw_ka_arm(&s, &apps[i], now, period,
						  next_rand(&r) % 51);
				break;
			case 1:		/* leaves, or is foregrounded */
				vw_ka_disarm(&apps[i]);
				break;
			case 2:		/* changes its timeout */
				if (vw_ka_armed(&apps[i]) &&
				    apps[i].start + period > now)
					vw_ka_arm(&s, &apps[i], apps[i].start,
						  period, apps[i].tol_pct);
				break;
			default:	/* time passes to the next wake */
				if (vw_ka_plan(&s) != U64_MAX)
					total += fire_checked(test, &s, apps,
							      n, &now);
				break;
			}
		}
		for (i = 0; i < n; i++)
			if (vw_ka_armed(&apps[i]))
				KUNIT_EXPECT_GE(test, apps[i].w.latest, now);
	}
	kunit_info(test, "%u keep-alives fired over %u seeds\n", total,
		   CHURN_SEEDS);
	KUNIT_EXPECT_GT(test, total, 0U);
}

/* How many wakes serve every window once: fired apps leave. */
static void leave_once(struct vw_ka_entry *e, void *arg)
{
	vw_ka_disarm(e);
}

static unsigned int planner_count(struct vw_ka_window *w, unsigned int n)
{
	struct vw_ka_entry apps[BRUTE_MAX];
	struct vw_ka_sched s;
	unsigned int i, wakes = 0;

	vw_ka_sched_init(&s, 0);
	for (i = 0; i < n; i++) {
		vw_ka_entry_init(&apps[i]);
		vw_ka_arm(&s, &apps[i], 0, 1, 0);
		apps[i].w = w[i];
	}
	while (vw_ka_plan(&s) != U64_MAX) {
		vw_ka_fire(&s, vw_ka_plan(&s), leave_once, NULL);
		wakes++;
	}
	return wakes;
}

/* The true minimum, by trying every set of deadlines as wake instants. */
static unsigned int brute_count(const struct vw_ka_window *w, unsigned int n)
{
	unsigned int best = n, mask, i, j, bits;
	bool all, hit;

	for (mask = 1; mask < (1U << n); mask++) {
		bits = hweight32(mask);
		if (bits >= best)
			continue;
		for (i = 0, all = true; i < n && all; i++) {
			for (j = 0, hit = false; j < n && !hit; j++)
				hit = (mask & BIT(j)) &&
				      w[i].earliest <= w[j].latest &&
				      w[j].latest <= w[i].latest;
			all = hit;
		}
		if (all)
			best = bits;
	}
	return best;
}

/* On a fixed set of windows the planner needs the fewest wakes there are. */
static void optimal_property_test(struct kunit *test)
{
	struct vw_ka_window w[BRUTE_MAX];
	unsigned int n, i;
	u64 seed, r;

	for (seed = 1; seed <= SEEDS; seed++) {
		r = seed * 7919;
		n = 1 + next_rand(&r) % BRUTE_MAX;
		for (i = 0; i < n; i++)
			w[i] = vw_ka_window_for(next_rand(&r) % 10000,
						100 + next_rand(&r) % 3000,
						next_rand(&r) % 101);
		KUNIT_EXPECT_EQ_MSG(test, planner_count(w, n),
				    brute_count(w, n), "seed %llu", seed);
	}
}

static struct kunit_case vw_kaplan_cases[] = {
	KUNIT_CASE(window_for_test),
	KUNIT_CASE(empty_plan_test),
	KUNIT_CASE(overlap_shares_a_wake_test),
	KUNIT_CASE(margin_stays_in_window_test),
	KUNIT_CASE(waking_plan_test),
	KUNIT_CASE(join_mid_wait_test),
	KUNIT_CASE(leave_mid_wait_test),
	KUNIT_CASE(foreground_mid_wait_test),
	KUNIT_CASE(change_timeout_test),
	KUNIT_CASE_SLOW(churn_property_test),
	KUNIT_CASE(optimal_property_test),
	{}
};

static struct kunit_suite vw_kaplan_suite = {
	.name = "voipwake_kaplan",
	.test_cases = vw_kaplan_cases,
};

kunit_test_suite(vw_kaplan_suite);
