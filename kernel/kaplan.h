/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The keep-alive planner: a pure function of the pending windows, with no
 * clock and no locking, so that the same source is tested in userspace
 * (tests/unit) and measured by the coalescing benchmark (tests/bench).
 */
#ifndef _VOIPWAKE_KAPLAN_H
#define _VOIPWAKE_KAPLAN_H

/* Userspace builds put tests/kshim first on the include path. */
#include <linux/limits.h>
#include <linux/types.h>

/*
 * When an app's keep-alive may fire: never before @earliest (the app is
 * not due yet), never after @latest (its connection would lapse).
 */
struct vw_ka_window {
	u64 earliest;
	u64 latest;
};

struct vw_ka_window vw_ka_window_for(u64 start, u64 period,
				     unsigned int tolerance_pct);
u64 vw_ka_next(const struct vw_ka_window *w, unsigned int n, bool *fire);

#endif /* _VOIPWAKE_KAPLAN_H */
