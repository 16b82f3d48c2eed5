/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels voipwake supports (Debian's 6.1 and
 * 6.12, and the newest Debian has) lives here, probed by feature rather
 * than by version number: by a macro of the kernel's where there is one,
 * else by probes.mk, which greps the kernel's headers (VW_HAVE_*).
 */
#ifndef _VOIPWAKE_COMPAT_H
#define _VOIPWAKE_COMPAT_H

#include <linux/alarmtimer.h>
#include <linux/hrtimer.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/sock.h>

/*
 * The admin event group must be closed to unprivileged listeners, and
 * before GENL_MCAST_CAP_NET_ADMIN (6.8, backported to 6.1.y) a family had
 * no way to say so: anyone could join any group. Refuse to build rather
 * than ship events that leak other users' apps.
 */
#ifndef GENL_MCAST_CAP_NET_ADMIN
#error "voipwake needs GENL_MCAST_CAP_NET_ADMIN (Linux 6.8, or 6.1.y with the backport)"
#endif

/*
 * NL_SET_ERR_MSG_FMT (6.2) formats into the extack; older kernels only
 * carry a static string, so there the caller's @plain text is sent, which
 * must say the same without the numbers.
 */
#ifdef NL_SET_ERR_MSG_FMT
#define VW_SET_ERR_MSG_FMT(extack, plain, fmt, args...)	\
	do {							\
		(void)(plain);					\
		NL_SET_ERR_MSG_FMT(extack, fmt, ##args);	\
	} while (0)
#else
#define VW_SET_ERR_MSG_FMT(extack, plain, fmt, args...)	\
	do {							\
		(void)(fmt);					\
		NL_SET_ERR_MSG(extack, plain);			\
	} while (0)
#endif

/* Once only, though compat_test.c reads this header twice. */
#ifndef _VOIPWAKE_COMPAT_ONCE
#define _VOIPWAKE_COMPAT_ONCE

/*
 * alarm_start() is gone after 6.12; alarm_start_timer() does not queue an
 * alarm whose time has already passed, and says so instead of firing it.
 * vw_alarm_start() returns false then, and the caller does at once what
 * the alarm would have done.
 */
#ifdef VW_HAVE_ALARM_START_TIMER
static inline bool vw_alarm_start(struct alarm *alarm, ktime_t expires)
{
	return alarm_start_timer(alarm, expires, false);
}
#else
static inline bool vw_alarm_start(struct alarm *alarm, ktime_t expires)
{
	alarm_start(alarm, expires);
	return true;
}
#endif

/*
 * An alarm's callback returned whether to restart it; after 6.12 it
 * returns nothing. A callback is declared VW_ALARM_RET and ends with
 * "return VW_ALARM_NORESTART;".
 */
#ifdef VW_HAVE_ALARMTIMER_RESTART
#define VW_ALARM_RET		enum alarmtimer_restart
#define VW_ALARM_NORESTART	ALARMTIMER_NORESTART
#else
#define VW_ALARM_RET		void
#define VW_ALARM_NORESTART
#endif

/*
 * The uid of a socket's owner: sock_i_uid() took sk_callback_lock to read
 * it; after 6.12 sk_uid() is a READ_ONCE() of sk->sk_uid, and the old
 * name is gone.
 */
#ifdef VW_HAVE_SK_UID
static inline kuid_t vw_sk_uid(struct sock *sk)
{
	return sk_uid(sk);
}
#else
static inline kuid_t vw_sk_uid(struct sock *sk)
{
	return sock_i_uid(sk);
}
#endif

/*
 * Our work items run on the CPU that queued them, as a woken socket's
 * softirq did: per-CPU, which kernels before WQ_PERCPU gave by default
 * and newer ones ask to be told.
 */
#ifdef VW_HAVE_WQ_PERCPU
#define VW_WQ_PERCPU WQ_PERCPU
#else
#define VW_WQ_PERCPU 0
#endif

/*
 * hrtimer_setup() (6.13) sets a timer's function with its clock, and
 * hrtimer_init() is gone after it.
 */
#ifdef VW_HAVE_HRTIMER_SETUP
static inline void vw_hrtimer_setup(struct hrtimer *t,
				    enum hrtimer_restart (*fn)(struct hrtimer *),
				    clockid_t clock, enum hrtimer_mode mode)
{
	hrtimer_setup(t, fn, clock, mode);
}
#else
static inline void vw_hrtimer_setup(struct hrtimer *t,
				    enum hrtimer_restart (*fn)(struct hrtimer *),
				    clockid_t clock, enum hrtimer_mode mode)
{
	hrtimer_init(t, clock, mode);
	t->function = fn;
}
#endif

#endif /* _VOIPWAKE_COMPAT_ONCE */

#endif /* _VOIPWAKE_COMPAT_H */
