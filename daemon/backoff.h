/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The relaunch backoff of an app voipwaked starts, as iOS relaunches a
 * VoIP app: 1 s after an unclean end, doubling up to a cap (300 s by
 * default), and starting over once a launch stayed up long enough (600 s).
 * systemd 252 has no RestartSteps=, and its own Restart= gives up after
 * 5 starts in 10 s. Pure logic, times in ms passed in.
 */
#ifndef BACKOFF_H
#define BACKOFF_H

#include <stdint.h>

struct backoff {
	uint32_t next_s;	/* the delay the next failure gets */
	uint32_t max_s;
	uint32_t reset_s;
	uint64_t started_at;	/* ms: the current launch */
};

void backoff_init(struct backoff *b, uint32_t max_s, uint32_t reset_s);

/* A launch began at @now. */
void backoff_started(struct backoff *b, uint64_t now);

/*
 * The launch ended uncleanly at @now: returns how many seconds to wait
 * before the relaunch, and doubles the next one.
 */
uint32_t backoff_failed(struct backoff *b, uint64_t now);

#endif /* BACKOFF_H */
