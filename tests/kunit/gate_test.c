// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the freeze gate (kernel/gate.c). Its verdict on every (state,
 * event) pair the state machine allows, with and without an open gate,
 * checked against what Documentation/design.rst says; the answer's
 * sequence check; that a removed app keeps no gate timer; and that a
 * timeout run meant for an earlier gate, or a removed app's, does nothing.
 */

#include <kunit/test.h>

#include "app.h"
#include "gate.h"

#define N_STATES	(VOIPWAKE_APP_STATE_AWAKE + 1)
#define N_EVENTS	(VW_EV_THAWED + 1)

/* No gate set: nothing is ever gated, open or not. */
static void no_gate_passes_everything_test(struct kunit *test)
{
	enum voipwake_app_state s, next;
	enum vw_app_action act;
	enum vw_app_event ev;

	for (s = 0; s < N_STATES; s++)
		for (ev = 0; ev < N_EVENTS; ev++) {
			if (vw_app_next(s, ev, &next, &act))
				continue;
			KUNIT_EXPECT_EQ(test, vw_gate_verdict(0, false, s, ev,
							      act, true),
					VW_GATE_PASS);
		}
}

/*
 * With a gate set, exactly voipwake's own freezes open one: a background,
 * a window's end and a done. HOLD's freeze is someone else's, already
 * there; nothing else freezes.
 */
static void own_freezes_open_the_gate_test(struct kunit *test)
{
	enum voipwake_app_state s, next;
	enum vw_app_action act;
	enum vw_app_event ev;
	unsigned int started = 0;

	for (s = 0; s < N_STATES; s++)
		for (ev = 0; ev < N_EVENTS; ev++) {
			enum vw_gate_verdict v;

			if (vw_app_next(s, ev, &next, &act))
				continue;
			v = vw_gate_verdict(200, false, s, ev, act, true);
			if (act == VW_ACT_FREEZE && ev != VW_EV_HOLD) {
				KUNIT_EXPECT_EQ(test, v, VW_GATE_START);
				started |= BIT(ev);
			} else {
				KUNIT_EXPECT_EQ(test, v, VW_GATE_PASS);
			}
		}
	KUNIT_EXPECT_EQ(test, started, (unsigned int)(BIT(VW_EV_BACKGROUND) |
						      BIT(VW_EV_WINDOW_END) |
						      BIT(VW_EV_DONE)));
}

/*
 * While a gate is open: a foreground and someone else's freeze end it; a
 * wake to the awake app ends it only if it keeps the app awake (the
 * window can grow, or a keep-alive); everything else waits with it.
 */
static void open_gate_test(struct kunit *test)
{
	enum voipwake_app_state s, next;
	enum vw_app_action act;
	enum vw_app_event ev;
	bool extends;

	for (s = 0; s < N_STATES; s++)
		for (ev = 0; ev < N_EVENTS; ev++)
			for (extends = false; ; extends = true) {
				enum vw_gate_verdict v, want = VW_GATE_JOIN;

				if (vw_app_next(s, ev, &next, &act))
					break;
				v = vw_gate_verdict(200, true, s, ev, act,
						    extends);
				if (ev == VW_EV_FOREGROUND || ev == VW_EV_HOLD)
					want = VW_GATE_CANCEL;
				if (ev == VW_EV_WAKE &&
				    s == VOIPWAKE_APP_STATE_AWAKE && extends)
					want = VW_GATE_CANCEL;
				KUNIT_EXPECT_EQ_MSG(test, v, want,
						    "state %d event %d extends %d",
						    s, ev, extends);
				if (extends)
					break;
			}
	/* At the window's cap a wake does not keep the app awake. */
	KUNIT_EXPECT_EQ(test,
			vw_gate_verdict(200, true, VOIPWAKE_APP_STATE_AWAKE,
					VW_EV_WAKE, VW_ACT_EXTEND, false),
			VW_GATE_JOIN);
}

/* Only the open gate's own sequence answers it. */
static void answer_needs_the_open_sequence_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, vw_gate_check_answer(true, 7, 7), 0);
	KUNIT_EXPECT_EQ(test, vw_gate_check_answer(true, 7, 6), -ESTALE);
	KUNIT_EXPECT_EQ(test, vw_gate_check_answer(true, 7, 8), -ESTALE);
	KUNIT_EXPECT_EQ(test, vw_gate_check_answer(false, 7, 7), -ESTALE);
	KUNIT_EXPECT_EQ(test, vw_gate_check_answer(true, 0, 0), 0);
}

/*
 * A bare app (no cgroup, only its timers set up) with a gate opened by
 * hand, as vw_app_gate_start() would without its notification.
 */
static struct vw_app *bare_gated_app(struct kunit *test)
{
	struct vw_app *app = kunit_kzalloc(test, sizeof(*app), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, app);
	mutex_init(&app->mutex);
	spin_lock_init(&app->lock);
	INIT_LIST_HEAD(&app->socks);
	vw_app_timers_init(app);
	app->gate_ms = 1000;
	app->gate_open = true;
	app->gate_ev = VW_EV_WINDOW_END;
	return app;
}

/*
 * A removed app's open gate leaves no timer behind: the timeout would run
 * on a freed app.
 */
static void removal_stops_the_gate_timer_test(struct kunit *test)
{
	struct vw_app *app = bare_gated_app(test);

	mod_delayed_work(system_wq, &app->gate_work, msecs_to_jiffies(1000));
	KUNIT_ASSERT_TRUE(test, delayed_work_pending(&app->gate_work));
	app->removed = true;
	vw_app_timers_stop(app);
	KUNIT_EXPECT_FALSE(test, delayed_work_pending(&app->gate_work));
	KUNIT_EXPECT_EQ(test, app->gate_timeouts, 0U);
}

/*
 * A timeout run that waited for app->mutex while its gate was answered
 * finds the next gate not yet due, and leaves it alone; a removed app's,
 * any gate. Neither counts a timeout (nor freezes: this app has no cgroup
 * to freeze, and would crash the test if it tried).
 */
static void stale_timeout_does_nothing_test(struct kunit *test)
{
	struct vw_app *app = bare_gated_app(test);

	app->gate_deadline = jiffies + msecs_to_jiffies(1000);
	vw_app_gate_timeout_fn(&app->gate_work.work);
	KUNIT_EXPECT_TRUE(test, app->gate_open);
	KUNIT_EXPECT_EQ(test, app->gate_timeouts, 0U);

	app->gate_deadline = jiffies - 1;
	app->removed = true;
	vw_app_gate_timeout_fn(&app->gate_work.work);
	KUNIT_EXPECT_TRUE(test, app->gate_open);
	KUNIT_EXPECT_EQ(test, app->gate_timeouts, 0U);
	vw_app_timers_stop(app);
}

static struct kunit_case gate_cases[] = {
	KUNIT_CASE(no_gate_passes_everything_test),
	KUNIT_CASE(own_freezes_open_the_gate_test),
	KUNIT_CASE(open_gate_test),
	KUNIT_CASE(answer_needs_the_open_sequence_test),
	KUNIT_CASE(removal_stops_the_gate_timer_test),
	KUNIT_CASE(stale_timeout_does_nothing_test),
	{}
};

static struct kunit_suite gate_suite = {
	.name = "voipwake_gate",
	.test_cases = gate_cases,
};

kunit_test_suite(gate_suite);
