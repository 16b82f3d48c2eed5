// SPDX-License-Identifier: GPL-2.0
/*
 * voipwaked's policy logic on its own, with made-up clocks: the budget
 * ring, the throttle's hysteresis and when to look again, and the
 * relaunch backoff.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "backoff.h"
#include "budget.h"

#define S(x)	((uint64_t)(x) * 1000)

static void test_ring(void **state)
{
	struct budget b = { 0 };
	int i;

	(void)state;
	assert_int_equal(budget_set(&b, 3, 20), 0);
	assert_int_equal(budget_interval_ms(&b), 6666);
	for (i = 0; i < 3; i++)
		budget_record(&b, S(100 + i));
	assert_int_equal(budget_used(&b, S(103)), 3);
	assert_int_equal(budget_check(&b, S(103)), BUDGET_KEEP);
	/* The fourth in the period is one too many. */
	budget_record(&b, S(104));
	assert_int_equal(budget_used(&b, S(104)), 4);
	assert_int_equal(budget_check(&b, S(104)), BUDGET_THROTTLE);
	/* More wakes than the ring holds still count as over, not more. */
	for (i = 0; i < 10; i++)
		budget_record(&b, S(105 + i));
	assert_int_equal(budget_used(&b, S(115)), 4);
	/* A period later they are gone. */
	assert_int_equal(budget_used(&b, S(135)), 0);
	/* Near boot, a wake at 0 counts. */
	budget_free(&b);
	assert_int_equal(budget_set(&b, 2, 60), 0);
	budget_record(&b, 0);
	assert_int_equal(budget_used(&b, S(1)), 1);
	/* A new N starts the history over; the same N keeps it. */
	assert_int_equal(budget_set(&b, 2, 30), 0);
	assert_int_equal(budget_used(&b, S(1)), 1);
	assert_int_equal(budget_set(&b, 5, 30), 0);
	assert_int_equal(budget_used(&b, S(1)), 0);
	/* Off: never throttles. */
	assert_int_equal(budget_set(&b, 0, 0), 0);
	budget_record(&b, S(2));
	assert_int_equal(budget_check(&b, S(2)), BUDGET_KEEP);
	budget_free(&b);
}

static void test_hysteresis(void **state)
{
	struct budget b = { 0 };
	uint64_t t, next;
	int i;

	(void)state;
	assert_int_equal(budget_set(&b, 4, 100), 0);
	for (i = 0; i < 5; i++)
		budget_record(&b, S(1000 + i));
	assert_int_equal(budget_check(&b, S(1004)), BUDGET_THROTTLE);
	budget_throttled(&b, S(1004));
	assert_int_equal(b.throttles, 1);
	assert_int_equal(budget_check(&b, S(1004)), BUDGET_KEEP);

	/*
	 * Back to half its budget (2) only when the third-newest wake
	 * (1002) is a period old, at 1102; half a period since the throttle
	 * is 1054, earlier.
	 */
	next = budget_next_check(&b, S(1005));
	assert_int_equal(next, S(1102));
	assert_int_equal(budget_check(&b, next - 1), BUDGET_KEEP);
	assert_int_equal(budget_check(&b, next), BUDGET_LIFT);

	/* Under budget but not under half: still held. */
	budget_record(&b, S(1150));
	budget_record(&b, S(1151));
	budget_record(&b, S(1152));
	assert_int_equal(budget_used(&b, S(1153)), 3);
	assert_int_equal(budget_check(&b, S(1153)), BUDGET_KEEP);

	/* Quiet at once, but half a period must pass since the throttle. */
	budget_lifted(&b);
	budget_free(&b);
	assert_int_equal(budget_set(&b, 4, 100), 0);
	budget_throttled(&b, S(5000));
	t = budget_next_check(&b, S(5001));
	assert_int_equal(t, S(5050));
	assert_int_equal(budget_check(&b, S(5049)), BUDGET_KEEP);
	assert_int_equal(budget_check(&b, S(5050)), BUDGET_LIFT);
	budget_lifted(&b);
	assert_int_equal(budget_next_check(&b, S(5050)), 0);

	/* A throttle found in the kernel is taken over, not counted. */
	budget_adopt(&b, S(6000));
	assert_true(b.throttled);
	assert_int_equal(b.throttles, 1);
	/* Budget turned off while throttled: lift it. */
	assert_int_equal(budget_set(&b, 0, 0), 0);
	assert_int_equal(budget_check(&b, S(6001)), BUDGET_LIFT);
	budget_free(&b);
}

static void test_backoff(void **state)
{
	static const uint32_t want[] = { 1, 2, 4, 8, 16, 32, 64, 128, 256,
					 300, 300 };
	struct backoff b;
	uint64_t t = S(10);
	size_t i;

	(void)state;
	backoff_init(&b, 300, 600);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		backoff_started(&b, t);
		t += S(5);
		assert_int_equal(backoff_failed(&b, t), want[i]);
		t += S(want[i]);
	}
	/* Up ten minutes: starts over. */
	backoff_started(&b, t);
	assert_int_equal(backoff_failed(&b, t + S(600)), 1);
	backoff_started(&b, t + S(601));
	assert_int_equal(backoff_failed(&b, t + S(602)), 2);
	/* A small cap holds. */
	backoff_init(&b, 4, 1);
	backoff_started(&b, 0);
	assert_int_equal(backoff_failed(&b, 500), 1);
	assert_int_equal(backoff_failed(&b, 600), 2);
	assert_int_equal(backoff_failed(&b, 700), 4);
	assert_int_equal(backoff_failed(&b, 800), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring),
		cmocka_unit_test(test_hysteresis),
		cmocka_unit_test(test_backoff),
	};

	return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
