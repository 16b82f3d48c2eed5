// SPDX-License-Identifier: GPL-2.0
/*
 * Wake budgets: a ring of the latest socket wakes, and the throttle's
 * hysteresis. See budget.h.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"

int budget_set(struct budget *b, uint32_t wakes, uint32_t period_s)
{
	uint64_t *ring = NULL;

	if (wakes == b->wakes && period_s == b->period_s)
		return 0;
	if (wakes && wakes != b->wakes) {
		ring = calloc(wakes + 1, sizeof(*ring));
		if (!ring) {
			budget_free(b);
			return -ENOMEM;
		}
	}
	if (wakes != b->wakes) {
		free(b->ring);
		b->ring = ring;
		b->cap = wakes ? wakes + 1 : 0;
		b->len = 0;
		b->head = 0;
	}
	b->wakes = wakes;
	b->period_s = period_s;
	return 0;
}

void budget_free(struct budget *b)
{
	free(b->ring);
	memset(b, 0, sizeof(*b));
}

void budget_record(struct budget *b, uint64_t now)
{
	if (!b->cap)
		return;
	b->ring[b->head] = now;
	b->head = (b->head + 1) % b->cap;
	if (b->len < b->cap)
		b->len++;
}

static uint64_t period_ms(const struct budget *b)
{
	return (uint64_t)b->period_s * 1000;
}

uint32_t budget_used(const struct budget *b, uint64_t now)
{
	uint64_t since = now > period_ms(b) ? now - period_ms(b) : 0;
	uint32_t i, n = 0;

	/* Boot time starts near 0: a wake at 0 ms still counts. */
	if (!since)
		return b->len;
	for (i = 0; i < b->len; i++)
		if (b->ring[i] > since)
			n++;
	return n;
}

uint32_t budget_interval_ms(const struct budget *b)
{
	return b->wakes ? (uint32_t)(period_ms(b) / b->wakes) : 0;
}

enum budget_verdict budget_check(const struct budget *b, uint64_t now)
{
	uint32_t n;

	if (!b->wakes)
		return b->throttled ? BUDGET_LIFT : BUDGET_KEEP;
	n = budget_used(b, now);
	if (!b->throttled)
		return n > b->wakes ? BUDGET_THROTTLE : BUDGET_KEEP;
	if (n <= b->wakes / 2 && now - b->throttled_at >= period_ms(b) / 2)
		return BUDGET_LIFT;
	return BUDGET_KEEP;
}

void budget_throttled(struct budget *b, uint64_t now)
{
	b->throttled = true;
	b->throttled_at = now;
	b->throttles++;
}

void budget_lifted(struct budget *b)
{
	b->throttled = false;
}

void budget_adopt(struct budget *b, uint64_t now)
{
	if (b->throttled)
		return;
	b->throttled = true;
	b->throttled_at = now;
}

/* The @k-th oldest wake the ring holds. */
static uint64_t ring_at(const struct budget *b, uint32_t k)
{
	return b->ring[(b->head + b->cap - b->len + k) % b->cap];
}

uint64_t budget_next_check(const struct budget *b, uint64_t now)
{
	uint32_t keep = b->wakes / 2;
	uint64_t at = now, hold;

	if (!b->throttled)
		return 0;
	hold = b->throttled_at + period_ms(b) / 2;
	/*
	 * Wakes come in time order: once the one @keep places from the
	 * newest is a period old, at most @keep are left in the period.
	 */
	if (b->wakes && b->len > keep)
		at = ring_at(b, b->len - keep - 1) + period_ms(b);
	if (at < now)
		at = now;
	return at > hold ? at : hold;
}
