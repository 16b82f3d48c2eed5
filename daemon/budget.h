/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The wake budget of one app instance, as pure logic (no I/O, times in
 * ms of CLOCK_BOOTTIME passed in), so that it is unit-tested alone.
 *
 * An app may have N socket wakes per PERIOD. Over it, its socket wakes
 * are held PERIOD/N apart by the module (APP_WAKE_INTERVAL_MS), which is
 * what the budget allows on average. The throttle is lifted once the app
 * is back to half its budget and half a period has passed since it began,
 * so that it does not flap at the edge: the hysteresis.
 */
#ifndef BUDGET_H
#define BUDGET_H

#include <stdbool.h>
#include <stdint.h>

struct budget {
	uint32_t wakes;		/* N; 0: no budget */
	uint32_t period_s;
	uint64_t *ring;		/* times of the latest N + 1 socket wakes */
	uint32_t cap, len, head;
	bool throttled;
	uint64_t throttled_at;
	uint32_t throttles;	/* times it went over */
};

enum budget_verdict {
	BUDGET_KEEP,		/* nothing to change */
	BUDGET_THROTTLE,	/* over: hold its wakes budget_interval_ms() apart */
	BUDGET_LIFT,		/* back within: lift the throttle */
};

/*
 * (Re)sets the policy; the history is kept when N is unchanged.
 * Return: 0, or -ENOMEM (then there is no budget).
 */
int budget_set(struct budget *b, uint32_t wakes, uint32_t period_s);
void budget_free(struct budget *b);

/* One socket wake at @now. */
void budget_record(struct budget *b, uint64_t now);

/* Socket wakes in the period up to @now (at most N + 1). */
uint32_t budget_used(const struct budget *b, uint64_t now);

/* What the throttle should become at @now. */
enum budget_verdict budget_check(const struct budget *b, uint64_t now);

/* Call once the verdict was carried out (the module took it). */
void budget_throttled(struct budget *b, uint64_t now);
void budget_lifted(struct budget *b);

/* A throttle found in the kernel at start: another daemon's, ours now. */
void budget_adopt(struct budget *b, uint64_t now);

/* PERIOD/N in ms: the interval a throttle holds wakes apart. */
uint32_t budget_interval_ms(const struct budget *b);

/*
 * While throttled, the earliest time at which budget_check() may say
 * BUDGET_LIFT with no further wake: when to look again, as a one-shot
 * timer. 0 when not throttled (nothing will change without a wake).
 */
uint64_t budget_next_check(const struct budget *b, uint64_t now);

#endif /* BUDGET_H */
