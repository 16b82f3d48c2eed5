/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The keep-alive planner: a pure function of the pending windows, with no
 * clock and no locking. Time is whatever unit the caller counts in (the
 * module: CLOCK_BOOTTIME ns). The same source is tested by KUnit
 * (tests/kunit) and measured by the coalescing benchmark (tests/bench).
 */
#ifndef _VOIPWAKE_KAPLAN_H
#define _VOIPWAKE_KAPLAN_H

/* Userspace builds put tests/kshim first on the include path. */
#include <linux/limits.h>
#include <linux/list.h>
#include <linux/types.h>

/*
 * When an app's keep-alive may fire: never before @earliest (the app is
 * not due yet), never after @latest (its connection would lapse).
 */
struct vw_ka_window {
	u64 earliest;
	u64 latest;
};

/* One app's keep-alive, on its scheduler's list while armed. */
struct vw_ka_entry {
	struct list_head node;
	u64 start;			/* the period began here */
	u64 period;
	unsigned int tol_pct;
	struct vw_ka_window w;		/* derived from the three above */
	bool wake;			/* may wake the system from suspend */
};

/*
 * @margin: how long before a deadline a wake is aimed, so that the work
 * between the timer and the thaw never makes it late. At most a quarter
 * of a window is given up for it.
 */
struct vw_ka_sched {
	struct list_head armed;
	u64 margin;
};

struct vw_ka_window vw_ka_window_for(u64 start, u64 period,
				     unsigned int tol_pct);

void vw_ka_sched_init(struct vw_ka_sched *s, u64 margin);
void vw_ka_entry_init(struct vw_ka_entry *e);
bool vw_ka_armed(const struct vw_ka_entry *e);
void vw_ka_arm(struct vw_ka_sched *s, struct vw_ka_entry *e, u64 start,
	       u64 period, unsigned int tol_pct);
void vw_ka_disarm(struct vw_ka_entry *e);
bool vw_ka_due(const struct vw_ka_entry *e, u64 now);
u64 vw_ka_plan(const struct vw_ka_sched *s);
u64 vw_ka_plan_waking(const struct vw_ka_sched *s);
unsigned int vw_ka_fire(struct vw_ka_sched *s, u64 now,
			void (*fn)(struct vw_ka_entry *e, void *arg),
			void *arg);

#endif /* _VOIPWAKE_KAPLAN_H */
