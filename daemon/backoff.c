// SPDX-License-Identifier: GPL-2.0
/* The relaunch backoff: see backoff.h. */

#include "backoff.h"

void backoff_init(struct backoff *b, uint32_t max_s, uint32_t reset_s)
{
	b->next_s = 1;
	b->max_s = max_s ? max_s : 1;
	b->reset_s = reset_s;
	b->started_at = 0;
}

void backoff_started(struct backoff *b, uint64_t now)
{
	b->started_at = now;
}

uint32_t backoff_failed(struct backoff *b, uint64_t now)
{
	uint32_t delay;

	if (now - b->started_at >= (uint64_t)b->reset_s * 1000)
		b->next_s = 1;
	delay = b->next_s < b->max_s ? b->next_s : b->max_s;
	b->next_s = delay * 2 > b->max_s ? b->max_s : delay * 2;
	return delay;
}
