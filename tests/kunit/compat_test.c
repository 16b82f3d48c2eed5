// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: kernel/compat.h, both of its branches. This kernel has
 * NL_SET_ERR_MSG_FMT, so VW_SET_ERR_MSG_FMT formats; the header is then
 * read a second time with NL_SET_ERR_MSG_FMT hidden, as 6.1 reads it,
 * to check the plain-text fallback on the same extack. The alarm wrapper
 * is checked for the promise it makes whichever branch was compiled.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>
#include <linux/voipwake.h>

#include "compat.h"
#include "netlink.h"

static void set_fmt(struct netlink_ext_ack *extack, unsigned int v,
		    unsigned int min)
{
	VW_SET_ERR_MSG_FMT(extack, "value is below the minimum",
			   "value %u is below the minimum (%u)", v, min);
}

#ifndef NL_SET_ERR_MSG_FMT
#error "this test expects a kernel with NL_SET_ERR_MSG_FMT (6.2+)"
#endif
#undef NL_SET_ERR_MSG_FMT
#undef VW_SET_ERR_MSG_FMT
#undef _VOIPWAKE_COMPAT_H
#include "compat.h"

static void set_plain(struct netlink_ext_ack *extack, unsigned int v,
		      unsigned int min)
{
	VW_SET_ERR_MSG_FMT(extack, "value is below the minimum",
			   "value %u is below the minimum (%u)", v, min);
}

static void fmt_message_carries_the_numbers_test(struct kunit *test)
{
	struct netlink_ext_ack extack = {};

	set_fmt(&extack, 599, 600);
	KUNIT_ASSERT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_STREQ(test, extack._msg,
			   "value 599 is below the minimum (600)");
	/* Formatted into the extack itself: it outlives the caller. */
	KUNIT_EXPECT_PTR_EQ(test, extack._msg, (const char *)extack._msg_buf);
}

static void plain_message_on_older_kernels_test(struct kunit *test)
{
	struct netlink_ext_ack extack = {};

	set_plain(&extack, 599, 600);
	KUNIT_ASSERT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_STREQ(test, extack._msg, "value is below the minimum");
	/* A static string: the buffer stays untouched. */
	KUNIT_EXPECT_EQ(test, extack._msg_buf[0], '\0');
}

static void no_extack_is_no_crash_test(struct kunit *test)
{
	set_fmt(NULL, 1, 2);
	set_plain(NULL, 1, 2);
	KUNIT_SUCCEED(test);
}

/*
 * compat.h refuses to build without GENL_MCAST_CAP_NET_ADMIN: what it
 * buys is an admin group unprivileged sockets cannot join.
 */
static void admin_group_needs_net_admin_test(struct kunit *test)
{
	const struct genl_multicast_group *g;
	unsigned int i, admin = 0;

	for (i = 0; i < vw_genl_family.n_mcgrps; i++) {
		g = &vw_genl_family.mcgrps[i];
		if (strcmp(g->name, VOIPWAKE_MCGRP_ADMIN))
			continue;
		admin++;
		KUNIT_EXPECT_TRUE(test, g->flags & GENL_MCAST_CAP_NET_ADMIN);
	}
	KUNIT_EXPECT_EQ(test, admin, 1U);
}

/*
 * vw_alarm_start() promises keepalive.c that an alarm is never lost: it
 * either fires, or, already due, is refused (false) and never calls back,
 * so the caller does its work. Whichever branch this kernel compiled.
 */
struct vw_test_alarm {
	struct alarm alarm;
	struct completion fired;
};

static VW_ALARM_RET vw_test_alarm_fn(struct alarm *alarm, ktime_t now)
{
	complete(&container_of(alarm, struct vw_test_alarm, alarm)->fired);
	return VW_ALARM_NORESTART;
}

static bool vw_test_alarm_at(struct vw_test_alarm *t, s64 from_now_ms)
{
	init_completion(&t->fired);
	alarm_init(&t->alarm, ALARM_BOOTTIME, vw_test_alarm_fn);
	return vw_alarm_start(&t->alarm,
			      ktime_add_ms(ktime_get_boottime(), from_now_ms));
}

/* Not on the stack: debugobjects wants an on-stack hrtimer annotated. */
static struct vw_test_alarm *vw_test_alarm_new(struct kunit *test)
{
	struct vw_test_alarm *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	return t;
}

static void alarm_in_the_future_fires_test(struct kunit *test)
{
	struct vw_test_alarm *t = vw_test_alarm_new(test);
	bool started = vw_test_alarm_at(t, 20);

	KUNIT_EXPECT_TRUE(test, started);
	if (started)
		KUNIT_EXPECT_NE(test,
				wait_for_completion_timeout(&t->fired, 5 * HZ),
				0UL);
	alarm_cancel(&t->alarm);
}

static void alarm_already_due_fires_or_is_refused_test(struct kunit *test)
{
	struct vw_test_alarm *t = vw_test_alarm_new(test);

	if (vw_test_alarm_at(t, -1000)) {
		KUNIT_EXPECT_NE(test,
				wait_for_completion_timeout(&t->fired, 5 * HZ),
				0UL);
	} else {
		/* Refused: it must not call back later either. */
		KUNIT_EXPECT_EQ(test,
				wait_for_completion_timeout(&t->fired, HZ / 5),
				0UL);
	}
	alarm_cancel(&t->alarm);
}

static struct kunit_case compat_cases[] = {
	KUNIT_CASE(fmt_message_carries_the_numbers_test),
	KUNIT_CASE(plain_message_on_older_kernels_test),
	KUNIT_CASE(no_extack_is_no_crash_test),
	KUNIT_CASE(admin_group_needs_net_admin_test),
	KUNIT_CASE(alarm_in_the_future_fires_test),
	KUNIT_CASE(alarm_already_due_fires_or_is_refused_test),
	{}
};

static struct kunit_suite compat_suite = {
	.name = "voipwake_compat",
	.test_cases = compat_cases,
};

kunit_test_suite(compat_suite);
