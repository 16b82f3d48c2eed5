// SPDX-License-Identifier: GPL-2.0
/*
 * The keep-alive planner (kernel/kaplan.c), built here from the module's
 * own source: windows always hold the chosen instant, overlapping windows
 * share one wake, and repeating the choice on a fixed set of windows uses
 * no more wakes than the best possible (checked by brute force).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kaplan.h"

#define SEEDS		2000
#define MAX_WINDOWS	64
#define BRUTE_MAX	10

/* xorshift64*: reproducible across libcs, unlike rand(). */
static u64 next_rand(u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static void random_windows(u64 *seed, struct vw_ka_window *w, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		u64 start = next_rand(seed) % 10000;
		u64 period = 100 + next_rand(seed) % 3000;

		w[i] = vw_ka_window_for(start, period, next_rand(seed) % 101);
	}
}

static void test_empty(void **state)
{
	bool fire[1] = { true };

	(void)state;
	assert_true(vw_ka_next(NULL, 0, fire) == U64_MAX);
}

static void test_window_for(void **state)
{
	struct vw_ka_window w;

	(void)state;
	w = vw_ka_window_for(1000, 600, 20);
	assert_int_equal(w.earliest, 1480);
	assert_int_equal(w.latest, 1600);
	w = vw_ka_window_for(0, 601, 20);	/* never earlier than 0.8 T */
	assert_int_equal(w.earliest, 481);
	w = vw_ka_window_for(5, 600, 0);
	assert_int_equal(w.earliest, w.latest);
	w = vw_ka_window_for(5, 600, 250);	/* clamped to 100 % */
	assert_int_equal(w.earliest, 5);
}

static void test_overlap_shares_a_wake(void **state)
{
	struct vw_ka_window w[3] = { { 0, 10 }, { 5, 15 }, { 12, 20 } };
	bool fire[3];

	(void)state;
	assert_int_equal(vw_ka_next(w, 3, fire), 10);
	assert_true(fire[0]);
	assert_true(fire[1]);
	assert_false(fire[2]);
}

static void test_join_with_earlier_deadline(void **state)
{
	/* An app joins due before the others: only open windows go along. */
	struct vw_ka_window w[3] = { { 100, 200 }, { 150, 300 }, { 40, 120 } };
	bool fire[3];

	(void)state;
	assert_int_equal(vw_ka_next(w, 3, fire), 120);
	assert_true(fire[0]);
	assert_false(fire[1]);
	assert_true(fire[2]);
}

/* Every fired window holds t; t is the first deadline; nobody open waits. */
static void test_property_windows_hold(void **state)
{
	struct vw_ka_window w[MAX_WINDOWS];
	bool fire[MAX_WINDOWS];
	unsigned int n, i;
	u64 seed, s, t, min;

	(void)state;
	for (seed = 1; seed <= SEEDS; seed++) {
		s = seed;
		n = 1 + next_rand(&s) % MAX_WINDOWS;
		random_windows(&s, w, n);
		t = vw_ka_next(w, n, fire);
		min = U64_MAX;
		for (i = 0; i < n; i++) {
			if (w[i].latest < min)
				min = w[i].latest;
			if (fire[i]) {
				assert_true(w[i].earliest <= t);
				assert_true(t <= w[i].latest);
			} else {
				assert_true(w[i].earliest > t);
			}
		}
		assert_true(t == min);
	}
}

/* How many wakes the planner needs to serve every window once. */
static unsigned int greedy_count(struct vw_ka_window *w, unsigned int n)
{
	struct vw_ka_window left[MAX_WINDOWS];
	bool fire[MAX_WINDOWS];
	unsigned int m = n, i, k, wakes = 0;

	memcpy(left, w, n * sizeof(*w));
	while (m) {
		vw_ka_next(left, m, fire);
		for (i = 0, k = 0; i < m; i++)
			if (!fire[i])
				left[k++] = left[i];
		m = k;
		wakes++;
	}
	return wakes;
}

/* The true minimum, by trying every set of deadlines as wake instants. */
static unsigned int brute_count(const struct vw_ka_window *w, unsigned int n)
{
	unsigned int best = n, mask, i, j, bits;
	bool all;

	for (mask = 1; mask < (1U << n); mask++) {
		bits = __builtin_popcount(mask);
		if (bits >= best)
			continue;
		for (i = 0, all = true; i < n && all; i++) {
			bool hit = false;

			for (j = 0; j < n && !hit; j++)
				hit = (mask & (1U << j)) &&
				      w[i].earliest <= w[j].latest &&
				      w[j].latest <= w[i].latest;
			all = hit;
		}
		if (all)
			best = bits;
	}
	return best;
}

static void test_property_optimal(void **state)
{
	struct vw_ka_window w[BRUTE_MAX];
	unsigned int n;
	u64 seed, s;

	(void)state;
	for (seed = 1; seed <= SEEDS / 4; seed++) {
		s = seed * 7919;
		n = 1 + next_rand(&s) % BRUTE_MAX;
		random_windows(&s, w, n);
		assert_int_equal(greedy_count(w, n), brute_count(w, n));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_window_for),
		cmocka_unit_test(test_overlap_shares_a_wake),
		cmocka_unit_test(test_join_with_earlier_deadline),
		cmocka_unit_test(test_property_windows_hold),
		cmocka_unit_test(test_property_optimal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
