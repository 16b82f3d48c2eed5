// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the app state machine, vw_app_next() in kernel/state.c.
 *
 * The test holds its own copy of the table, written from the design
 * (Documentation/design.rst), and walks every (state, event) pair of it
 * against the module's. A state or event the module grows is caught twice:
 * a hole in this table (an entry it does not set) fails, and so does a
 * pair just beyond it that the module accepts.
 */

#include <kunit/test.h>

#include "app.h"

#define FG	VOIPWAKE_APP_STATE_FOREGROUND
#define BG	VOIPWAKE_APP_STATE_BACKGROUND
#define AW	VOIPWAKE_APP_STATE_AWAKE

#define N_STATES	(VOIPWAKE_APP_STATE_AWAKE + 1)
#define N_EVENTS	(VW_EV_THAWED + 1)

/* How far past the table the bounds check is probed. */
#define BEYOND		16

struct expect {
	bool set;		/* the test has an answer for this pair */
	int err;
	enum voipwake_app_state next;
	enum vw_app_action act;
};

#define GO(n, a)	{ .set = true, .next = (n), .act = (a) }
#define REFUSED(e)	{ .set = true, .err = (e) }

static const struct expect table[N_STATES][N_EVENTS] = {
	[FG] = {
		[VW_EV_BACKGROUND] = GO(BG, VW_ACT_FREEZE),
		[VW_EV_FOREGROUND] = GO(FG, VW_ACT_NONE),
		/* A running app reads its own data. */
		[VW_EV_WAKE] = GO(FG, VW_ACT_NONE),
		/* Stale: the window was cancelled by foregrounding. */
		[VW_EV_WINDOW_END] = GO(FG, VW_ACT_NONE),
		[VW_EV_DONE] = REFUSED(-EINVAL),
		/* Its freeze is the other's; voipwake writes nothing. */
		[VW_EV_HOLD] = GO(FG, VW_ACT_NONE),
		[VW_EV_THAWED] = GO(FG, VW_ACT_NONE),
	},
	[BG] = {
		[VW_EV_BACKGROUND] = GO(BG, VW_ACT_NONE),
		[VW_EV_FOREGROUND] = GO(FG, VW_ACT_THAW),
		[VW_EV_WAKE] = GO(AW, VW_ACT_THAW),
		/* Stale: already refrozen. */
		[VW_EV_WINDOW_END] = GO(BG, VW_ACT_NONE),
		[VW_EV_DONE] = REFUSED(-EINVAL),
		/* Frozen already: wakes wait for the other's thaw. */
		[VW_EV_HOLD] = GO(BG, VW_ACT_NONE),
		/* Running since the other's thaw: a window, then frozen. */
		[VW_EV_THAWED] = GO(AW, VW_ACT_THAW),
	},
	[AW] = {
		/* Already on its way back to the freezer. */
		[VW_EV_BACKGROUND] = GO(AW, VW_ACT_NONE),
		[VW_EV_FOREGROUND] = GO(FG, VW_ACT_NONE),
		[VW_EV_WAKE] = GO(AW, VW_ACT_EXTEND),
		[VW_EV_WINDOW_END] = GO(BG, VW_ACT_FREEZE),
		[VW_EV_DONE] = GO(BG, VW_ACT_FREEZE),
		/* Frozen by another mid-window: voipwake's freeze stays. */
		[VW_EV_HOLD] = GO(BG, VW_ACT_FREEZE),
		[VW_EV_THAWED] = GO(AW, VW_ACT_NONE),
	},
};

/* Out-parameters start as values no transition produces. */
#define NO_STATE	((enum voipwake_app_state)0x5a)
#define NO_ACT		((enum vw_app_action)0x5a)

static void every_pair_matches_the_design_test(struct kunit *test)
{
	enum voipwake_app_state next;
	enum vw_app_action act;
	unsigned int s, e, legal = 0, refused = 0;
	int err;

	for (s = 0; s < N_STATES; s++) {
		for (e = 0; e < N_EVENTS; e++) {
			const struct expect *x = &table[s][e];

			KUNIT_ASSERT_TRUE_MSG(test, x->set,
					      "state %u, event %u: not in the test's table",
					      s, e);
			next = NO_STATE;
			act = NO_ACT;
			err = vw_app_next(s, e, &next, &act);
			KUNIT_EXPECT_EQ_MSG(test, err, x->err,
					    "state %u, event %u", s, e);
			if (x->err) {
				/* A refusal leaves the caller's state alone. */
				KUNIT_EXPECT_EQ_MSG(test, next, NO_STATE,
						    "state %u, event %u", s, e);
				KUNIT_EXPECT_EQ_MSG(test, act, NO_ACT,
						    "state %u, event %u", s, e);
				refused++;
				continue;
			}
			KUNIT_EXPECT_EQ_MSG(test, next, x->next,
					    "state %u, event %u: next", s, e);
			KUNIT_EXPECT_EQ_MSG(test, act, x->act,
					    "state %u, event %u: action", s, e);
			legal++;
		}
	}
	KUNIT_EXPECT_EQ(test, legal + refused, N_STATES * N_EVENTS);
	KUNIT_EXPECT_EQ(test, refused, 2U);
}

static void pairs_beyond_the_table_are_refused_test(struct kunit *test)
{
	static const u32 far[] = { BEYOND, 0x7fffffff, 0x80000000, U32_MAX };
	enum voipwake_app_state next = NO_STATE;
	enum vw_app_action act = NO_ACT;
	unsigned int s, e, i;

	for (s = 0; s < N_STATES + BEYOND; s++) {
		for (e = 0; e < N_EVENTS + BEYOND; e++) {
			if (s < N_STATES && e < N_EVENTS)
				continue;
			KUNIT_EXPECT_EQ_MSG(test, vw_app_next(s, e, &next, &act),
					    -EINVAL, "state %u, event %u", s, e);
		}
	}
	for (i = 0; i < ARRAY_SIZE(far); i++) {
		KUNIT_EXPECT_EQ(test, vw_app_next(far[i], VW_EV_WAKE, &next,
						  &act), -EINVAL);
		KUNIT_EXPECT_EQ(test, vw_app_next(BG, far[i], &next, &act),
				-EINVAL);
	}
	KUNIT_EXPECT_EQ(test, next, NO_STATE);
	KUNIT_EXPECT_EQ(test, act, NO_ACT);
}

static void foreground_wins_from_every_state_test(struct kunit *test)
{
	enum voipwake_app_state next;
	enum vw_app_action act;
	unsigned int s;

	for (s = 0; s < N_STATES; s++) {
		KUNIT_ASSERT_EQ(test, vw_app_next(s, VW_EV_FOREGROUND, &next,
						  &act), 0);
		KUNIT_EXPECT_EQ_MSG(test, next, FG, "from state %u", s);
		KUNIT_EXPECT_NE_MSG(test, act, VW_ACT_FREEZE, "from state %u",
				    s);
	}
}

/*
 * The freezer is written exactly when the app crosses into or out of the
 * background state: a freeze only on the way in, a thaw only on the way
 * out, and never a stay-awake outside a wake window.
 */
static void freezer_writes_follow_the_state_test(struct kunit *test)
{
	enum voipwake_app_state next;
	enum vw_app_action act;
	unsigned int s, e;

	for (s = 0; s < N_STATES; s++) {
		for (e = 0; e < N_EVENTS; e++) {
			if (vw_app_next(s, e, &next, &act))
				continue;
			KUNIT_EXPECT_EQ_MSG(test, act == VW_ACT_FREEZE,
					    s != BG && next == BG,
					    "state %u, event %u", s, e);
			KUNIT_EXPECT_EQ_MSG(test, act == VW_ACT_THAW,
					    s == BG && next != BG,
					    "state %u, event %u", s, e);
			if (act == VW_ACT_EXTEND)
				KUNIT_EXPECT_TRUE_MSG(test, s == AW && next == AW,
						      "state %u, event %u", s, e);
		}
	}
}

/*
 * Someone else's freeze wins: neither its coming (HOLD) nor a wake under
 * it may thaw; and its thaw (THAWED) leaves voipwake's background standing
 * once the window it opens is over.
 */
static void others_freeze_is_never_undone_test(struct kunit *test)
{
	enum voipwake_app_state next;
	enum vw_app_action act;
	unsigned int s;

	for (s = 0; s < N_STATES; s++) {
		KUNIT_ASSERT_EQ(test, vw_app_next(s, VW_EV_HOLD, &next, &act),
				0);
		KUNIT_EXPECT_NE_MSG(test, act, VW_ACT_THAW, "from state %u", s);
		KUNIT_EXPECT_NE_MSG(test, next, AW, "from state %u", s);
		KUNIT_ASSERT_EQ(test, vw_app_next(s, VW_EV_THAWED, &next,
						  &act), 0);
		KUNIT_EXPECT_EQ_MSG(test, next, s == BG ? AW : s,
				    "from state %u", s);
		if (next == AW)
			KUNIT_EXPECT_EQ(test, vw_app_next(AW, VW_EV_WINDOW_END,
							  &next, &act), 0);
	}
	KUNIT_EXPECT_EQ(test, next, BG);
	KUNIT_EXPECT_EQ(test, act, VW_ACT_FREEZE);
}

static void every_state_is_reachable_test(struct kunit *test)
{
	enum voipwake_app_state next;
	enum vw_app_action act;
	unsigned int seen = BIT(FG), s, e, round;

	for (round = 0; round < N_STATES; round++)
		for (s = 0; s < N_STATES; s++)
			for (e = 0; e < N_EVENTS; e++)
				if ((seen & BIT(s)) &&
				    !vw_app_next(s, e, &next, &act))
					seen |= BIT(next);
	KUNIT_EXPECT_EQ(test, seen, (unsigned int)GENMASK(N_STATES - 1, 0));
}

static struct kunit_case app_state_cases[] = {
	KUNIT_CASE(every_pair_matches_the_design_test),
	KUNIT_CASE(pairs_beyond_the_table_are_refused_test),
	KUNIT_CASE(foreground_wins_from_every_state_test),
	KUNIT_CASE(freezer_writes_follow_the_state_test),
	KUNIT_CASE(others_freeze_is_never_undone_test),
	KUNIT_CASE(every_state_is_reachable_test),
	{}
};

static struct kunit_suite app_state_suite = {
	.name = "voipwake_app_state",
	.test_cases = app_state_cases,
};

kunit_test_suite(app_state_suite);
