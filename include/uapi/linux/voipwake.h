/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * voipwake: kernel-assisted socket wake for backgrounded apps.
 *
 * This header is the whole ABI between voipwake.ko and userspace. It is
 * included by the module, by libvoipwake and by the tools, and it is what
 * Documentation/netlink/specs/voipwake.yaml describes.
 *
 * Transport: generic netlink, family VOIPWAKE_GENL_NAME, version
 * VOIPWAKE_GENL_VERSION. Attribute numbering starts at 1; zero is never
 * sent. Unknown attributes in replies must be ignored by clients so that
 * the module can grow new ones. Requests are validated strictly: an
 * attribute a command does not define is refused.
 *
 * Model. An app is a cgroup v2. A marked socket belongs to the app of the
 * cgroup that created it (the socket's own cgroup data). An app is
 * foreground (runs normally), background (frozen through the cgroup v2
 * freezer) or awake (thawed for a wake window, then frozen again).
 *
 * VOIPWAKE_CMD_INFO_GET (do, any user)
 *   Reply: VOIPWAKE_A_INFO_* describing the loaded module.
 *
 * VOIPWAKE_CMD_SOCK_MARK (do, the socket's owner or CAP_NET_ADMIN)
 *   Request: SOCK_FD (an fd in the caller's own table; to mark another
 *   process's socket, take a duplicate with pidfd_getfd(2), which applies
 *   the ptrace rule), optional SOCK_WAKE_ON (reason bits, default all).
 *   TCP (not listening) and UDP over IPv4/IPv6 only. Reply: the socket
 *   (SOCK_INO, SOCK_CGROUP_ID, ...). Errors: EBADF, ENOTSOCK,
 *   EAFNOSUPPORT, EPROTONOSUPPORT, EOPNOTSUPP (listening), EALREADY,
 *   EBUSY (sk_user_data taken by another kernel user, the protocol
 *   replaced by kTLS, sockmap or IPV6_ADDRFORM, or a TCP_ULP), EAGAIN,
 *   ENOSPC (app at max_socks_per_app), EPERM, EINVAL (root cgroup or
 *   PID 1's cgroup). The netlink socket that marked receives the app's
 *   own events until it closes. From its first mark until its close, a
 *   socket refuses IPV6_ADDRFORM (EBUSY), another TCP_ULP (EEXIST) and
 *   listen() (EINVAL).
 *
 * VOIPWAKE_CMD_SOCK_UNMARK (do): SOCK_FD. ENOENT if not marked.
 * VOIPWAKE_CMD_SOCK_GET (dump): marked sockets the caller may see (its
 *   own uid's, or all with CAP_NET_ADMIN).
 *
 * VOIPWAKE_CMD_APP_SET (do): APP_CGROUP_FD (an open cgroup v2 directory)
 *   plus any of APP_STATE (foreground/background), APP_WAKE_WINDOW_MS
 *   (0 restores the module default) and the keep-alive settings below.
 *   The caller must be able to open that cgroup's cgroup.freeze for
 *   writing, exactly as cgroupfs decides. Without APP_CGROUP_FD the
 *   request is about the caller's own app (its cgroup), and may carry
 *   only APP_KEEPALIVE_S and APP_KEEPALIVE_TOLERANCE_PCT: an app sets its
 *   own keep-alive, and that netlink socket then receives its events.
 *
 *   Keep-alive: APP_KEEPALIVE_S is the timeout T, 0 to clear, else
 *   min_keepalive_s..VOIPWAKE_KEEPALIVE_MAX_S. While the app is not in
 *   the foreground it is woken (reason KEEPALIVE) no later than T after
 *   its last keep-alive, or after it was put in the background, and no
 *   earlier than T less the tolerance (APP_KEEPALIVE_TOLERANCE_PCT of T,
 *   1..50, 0 = module default). The module picks the instant inside
 *   that window so that as many apps as possible share one wake. A wake
 *   for any other reason inside the window counts as the keep-alive
 *   (APP_WOKEN_NTF carries APP_WAKE_KEEPALIVE) and restarts the period.
 *   A keep-alive wake lasts APP_KEEPALIVE_BUDGET_MS (1000..30000, 0 =
 *   module default), or until APP_WAKE_DONE; a budget that runs out is
 *   counted in APP_KEEPALIVE_OVERRUNS.
 *
 *   Throttle: APP_WAKE_INTERVAL_MS (needs CAP_NET_ADMIN in the initial
 *   user namespace, as it is a policy daemon's, not the app's) is the
 *   least time from the start of one wake to the next socket wake, 0 =
 *   none, else up to VOIPWAKE_WAKE_INTERVAL_MAX_MS. A socket wake that
 *   comes sooner is held, not lost: the app is woken for it once the
 *   interval has passed (APP_WAKES_HELD counts them). Keep-alive wakes
 *   are never held.
 *
 *   Waking the system: APP_WAKE_SYSTEM (1 or 0; CAP_NET_ADMIN in the
 *   initial user namespace, as for a systemd timer's WakeSystem=) says
 *   whether the app's keep-alive may wake the system from suspend. An app
 *   nobody set follows the module parameter wake_system_default (0: no).
 *   A keep-alive that may not wake the system is not lost: it falls due
 *   at the next resume and is served then. While the system runs, both
 *   are served alike. APP_GET reports what applies to the app.
 *
 *   Someone else's freeze: APP_HELD 1 (needs CAP_NET_ADMIN in the initial
 *   user namespace, a policy daemon's word) says that another manager
 *   (systemd's FreezeUnit) froze the app's cgroup over voipwake's own
 *   freeze, which the kernel cannot see; 0 says that freeze is over.
 *   While held, voipwake writes no "0" to cgroup.freeze and every wake
 *   waits, to be delivered at the release. The module sets and clears it
 *   itself for what it can see (a "1" it did not write, a "0" it did not
 *   write), and APP_GET reports it.
 *
 *   Freeze gate: APP_FREEZE_GATE_MS (0..VOIPWAKE_FREEZE_GATE_MAX_MS, 0 =
 *   none, the default; CAP_NET_ADMIN in the initial user namespace, as
 *   for APP_HELD) makes every freeze of the app wait, up to that long,
 *   for whoever marks its sockets for it (the policy daemon's
 *   MarkSockets=): its background, the end of a wake window and a done.
 *   The module then leaves the app running (and awake, holding off
 *   suspend, if it was), sends APP_FREEZE_GATE_NTF with a new
 *   APP_FREEZE_GATE_SEQ to the admin group only, and freezes once
 *   APP_SET answers with that APP_FREEZE_GATE_SEQ (same rights; a
 *   sequence that is not the open gate's is refused with ESTALE), or
 *   once the time is up (APP_FREEZE_GATE_TIMEOUTS counts those). A wake
 *   that extends the window, a foreground and someone else's freeze end
 *   the gate; another freeze request joins it. Setting 0 lets an open
 *   gate through at once. APP_GET reports APP_FREEZE_GATE_SEQ while a
 *   gate is open. (FEATURE_FREEZE_GATE)
 * VOIPWAKE_CMD_APP_GET (do, with APP_CGROUP_FD or for the caller's own
 *   app; or dump): app state and statistics, for apps the caller may
 *   see.
 * VOIPWAKE_CMD_APP_WAKE_DONE (do): ends the caller's own app's wake
 *   window now (or the app named by APP_CGROUP_FD, with the APP_SET
 *   permission). EINVAL if that app is not awake. With APP_WAKE_SEQ, the
 *   seq of the last APP_WOKEN_NTF the app has handled, a done that a newer
 *   keep-alive wake overtook (the app was frozen on its way to saying
 *   done, and woken again) is refused with ESTALE instead of ending that
 *   keep-alive unseen. Other wakes need no seq: a done never loses data,
 *   the module wakes the app again for what it left unread.
 *
 * Notifications (multicast group VOIPWAKE_MCGRP_ADMIN, CAP_NET_ADMIN to
 * join; and unicast to each netlink socket that marked one of the app's
 * sockets, and to the one that last set the app's own keep-alive):
 *   APP_WOKEN_NTF (APP_* with WAKE_REASON, WAKE_SOCK_INO, WAKE_BYTES,
 *   WAKE_KEEPALIVE),
 *   APP_FROZEN_NTF, APP_THAWED_NTF, APP_FREEZE_TIMEOUT_NTF (APP_*),
 *   SOCK_CLOSED_NTF (SOCK_*).
 *   APP_BACKGROUNDED_NTF (APP_*): the app left the foreground (APP_SET
 *   with APP_STATE background); sent before it is frozen, so the app
 *   reads it when it next runs. APP_FOREGROUNDED_NTF (APP_*): the app is
 *   in the foreground again (APP_SET foreground, or a freeze that
 *   failed); sent once it is thawed. Each comes once per crossing, in
 *   order; wakes in between are APP_WOKEN_NTF. (FEATURE_STATE_NTF)
 *   APP_FREEZE_GATE_NTF (APP_* with FREEZE_GATE_SEQ): admin group only,
 *   see the freeze gate above. (FEATURE_FREEZE_GATE)
 *   SOCK_UNMARKED_NTF (SOCK_*): a SOCK_UNMARK took the socket's mark
 *   away. Sent to the same audience, but not to the netlink socket that
 *   asked (it has the reply). The module never drops a mark by itself:
 *   a mark ends by SOCK_UNMARK or by the socket's close (SOCK_CLOSED_NTF)
 *   only. (FEATURE_UNMARK_NTF)
 *   A module without a feature bit simply never sends its events.
 *
 * Every refusal is an NLMSG_ERROR carrying a negative errno and, where the
 * client asked for NETLINK_EXT_ACK, a message naming what was wrong.
 */
#ifndef _UAPI_LINUX_VOIPWAKE_H
#define _UAPI_LINUX_VOIPWAKE_H

#define VOIPWAKE_GENL_NAME	"voipwake"
#define VOIPWAKE_GENL_VERSION	1

#define VOIPWAKE_MCGRP_ADMIN	"admin"

/*
 * Capabilities a client can test before relying on them. Bits are only
 * ever added; a bit is set when the running module implements it.
 */
enum voipwake_feature {
	VOIPWAKE_FEATURE_MARK_TCP = 1 << 0,
	VOIPWAKE_FEATURE_MARK_UDP = 1 << 1,
	VOIPWAKE_FEATURE_FREEZE = 1 << 2,
	VOIPWAKE_FEATURE_KEEPALIVE = 1 << 3,
	VOIPWAKE_FEATURE_WAKE_INTERVAL = 1 << 4,
	VOIPWAKE_FEATURE_STATE_NTF = 1 << 5,	/* APP_{BACK,FORE}GROUNDED_NTF */
	VOIPWAKE_FEATURE_UNMARK_NTF = 1 << 6,	/* SOCK_UNMARKED_NTF */
	VOIPWAKE_FEATURE_WAKE_SYSTEM = 1 << 7,
	VOIPWAKE_FEATURE_HELD = 1 << 8,
	VOIPWAKE_FEATURE_FREEZE_GATE = 1 << 9,	/* APP_FREEZE_GATE_* */
};

/*
 * Keep-alive bounds. The lower bound of the timeout is the module
 * parameter min_keepalive_s (VOIPWAKE_A_INFO_MIN_KEEPALIVE_S, 600 unless
 * the administrator lowered it).
 */
#define VOIPWAKE_KEEPALIVE_MAX_S		3600
#define VOIPWAKE_KEEPALIVE_TOLERANCE_MAX_PCT	50
#define VOIPWAKE_KEEPALIVE_BUDGET_MIN_MS	1000
#define VOIPWAKE_KEEPALIVE_BUDGET_MAX_MS	30000
#define VOIPWAKE_WAKE_INTERVAL_MAX_MS		3600000
#define VOIPWAKE_FREEZE_GATE_MAX_MS		1000

enum voipwake_app_state {
	VOIPWAKE_APP_STATE_FOREGROUND,
	VOIPWAKE_APP_STATE_BACKGROUND,
	VOIPWAKE_APP_STATE_AWAKE,
};

/* Why an app woke; also bits (1 << reason) in VOIPWAKE_A_SOCK_WAKE_ON. */
enum voipwake_wake_reason {
	VOIPWAKE_WAKE_DATA = 1,		/* inbound data queued */
	VOIPWAKE_WAKE_CLOSE,		/* peer closed (FIN) */
	VOIPWAKE_WAKE_ERROR,		/* reset or socket error */
	VOIPWAKE_WAKE_KEEPALIVE,	/* keep-alive timer due */

	__VOIPWAKE_WAKE_MAX,
	VOIPWAKE_WAKE_MAX = (__VOIPWAKE_WAKE_MAX - 1)
};

enum {
	VOIPWAKE_A_INFO_UNSPEC,
	VOIPWAKE_A_INFO_VERSION,		/* string: module version */
	VOIPWAKE_A_INFO_API_VERSION,		/* u32: VOIPWAKE_GENL_VERSION */
	VOIPWAKE_A_INFO_FEATURES,		/* u32: enum voipwake_feature bits */
	VOIPWAKE_A_INFO_WAKE_WINDOW_MS,		/* u32: default wake window */
	VOIPWAKE_A_INFO_WAKE_WINDOW_MAX_MS,	/* u32: cap on an extended window */
	VOIPWAKE_A_INFO_MAX_SOCKS_PER_APP,	/* u32: marked sockets per app */
	VOIPWAKE_A_INFO_MIN_KEEPALIVE_S,	/* u32: shortest keep-alive timeout */
	VOIPWAKE_A_INFO_MAX_KEEPALIVE_S,	/* u32: longest keep-alive timeout */
	VOIPWAKE_A_INFO_KEEPALIVE_TOLERANCE_PCT, /* u32: default tolerance */
	VOIPWAKE_A_INFO_KEEPALIVE_BUDGET_MS,	/* u32: default handler budget */

	__VOIPWAKE_A_INFO_MAX,
	VOIPWAKE_A_INFO_MAX = (__VOIPWAKE_A_INFO_MAX - 1)
};

enum {
	VOIPWAKE_A_SOCK_UNSPEC,
	VOIPWAKE_A_SOCK_PAD,
	VOIPWAKE_A_SOCK_FD,			/* u32, request only */
	VOIPWAKE_A_SOCK_WAKE_ON,		/* u32: 1 << enum voipwake_wake_reason */
	VOIPWAKE_A_SOCK_INO,			/* u64: socket inode, as in /proc/PID/fd */
	VOIPWAKE_A_SOCK_CGROUP_ID,		/* u64: the owning app */
	VOIPWAKE_A_SOCK_FAMILY,			/* u32: AF_INET or AF_INET6 */
	VOIPWAKE_A_SOCK_PROTOCOL,		/* u32: IPPROTO_TCP or IPPROTO_UDP */
	VOIPWAKE_A_SOCK_UID,			/* u32: socket owner */
	VOIPWAKE_A_SOCK_WAKES,			/* u64: wakes this socket caused */

	__VOIPWAKE_A_SOCK_MAX,
	VOIPWAKE_A_SOCK_MAX = (__VOIPWAKE_A_SOCK_MAX - 1)
};

enum {
	VOIPWAKE_A_APP_UNSPEC,
	VOIPWAKE_A_APP_PAD,
	VOIPWAKE_A_APP_CGROUP_FD,		/* u32, request only */
	VOIPWAKE_A_APP_CGROUP_ID,		/* u64 */
	VOIPWAKE_A_APP_STATE,			/* u32: enum voipwake_app_state */
	VOIPWAKE_A_APP_FROZEN,			/* u8: the freezer reports frozen */
	VOIPWAKE_A_APP_WAKE_WINDOW_MS,		/* u32: 0 = module default */
	VOIPWAKE_A_APP_SOCKS,			/* u32: marked sockets */
	VOIPWAKE_A_APP_WAKES_DATA,		/* u64 */
	VOIPWAKE_A_APP_WAKES_CLOSE,		/* u64 */
	VOIPWAKE_A_APP_WAKES_ERROR,		/* u64 */
	VOIPWAKE_A_APP_WAKES_KEEPALIVE,		/* u64 */
	VOIPWAKE_A_APP_FROZEN_MS,		/* u64: total time frozen */
	VOIPWAKE_A_APP_LAST_WAKE_NS,		/* u64: CLOCK_BOOTTIME, 0 = never */
	VOIPWAKE_A_APP_FREEZE_TIMEOUTS,		/* u32 */
	VOIPWAKE_A_APP_WAKE_REASON,		/* u32: in APP_WOKEN_NTF */
	VOIPWAKE_A_APP_WAKE_SOCK_INO,		/* u64: in APP_WOKEN_NTF */
	VOIPWAKE_A_APP_WAKE_BYTES,		/* u32: APP_WOKEN_NTF: unread, or head datagram */
	VOIPWAKE_A_APP_KEEPALIVE_S,		/* u32: keep-alive timeout, 0 = none */
	VOIPWAKE_A_APP_KEEPALIVE_TOLERANCE_PCT,	/* u32: 0 = module default */
	VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS,	/* u32: 0 = module default */
	VOIPWAKE_A_APP_KEEPALIVE_OVERRUNS,	/* u32: budgets that ran out */
	VOIPWAKE_A_APP_KEEPALIVE_EARLIEST_NS,	/* u64: CLOCK_BOOTTIME, while armed */
	VOIPWAKE_A_APP_KEEPALIVE_LATEST_NS,	/* u64: CLOCK_BOOTTIME, while armed */
	VOIPWAKE_A_APP_WAKE_KEEPALIVE,		/* u8: APP_WOKEN_NTF: keep-alive due */
	VOIPWAKE_A_APP_WAKE_SEQ,		/* u32: counts APP_WOKEN_NTFs */
	VOIPWAKE_A_APP_WAKE_INTERVAL_MS,	/* u32: throttle, 0 = none */
	VOIPWAKE_A_APP_WAKES_HELD,		/* u64: wakes the throttle held */
	VOIPWAKE_A_APP_WAKE_SYSTEM,		/* u8: keep-alive may wake the system */
	VOIPWAKE_A_APP_HELD,			/* u8: someone else's freeze holds it */
	VOIPWAKE_A_APP_FREEZE_GATE_MS,		/* u32: wait for the marker, 0 = none */
	VOIPWAKE_A_APP_FREEZE_GATE_SEQ,		/* u32: the open gate; APP_SET: answer */
	VOIPWAKE_A_APP_FREEZE_GATE_TIMEOUTS,	/* u32: gates nobody answered in time */

	__VOIPWAKE_A_APP_MAX,
	VOIPWAKE_A_APP_MAX = (__VOIPWAKE_A_APP_MAX - 1)
};

enum {
	VOIPWAKE_CMD_UNSPEC,
	VOIPWAKE_CMD_INFO_GET,
	VOIPWAKE_CMD_SOCK_MARK,
	VOIPWAKE_CMD_SOCK_UNMARK,
	VOIPWAKE_CMD_SOCK_GET,
	VOIPWAKE_CMD_APP_SET,
	VOIPWAKE_CMD_APP_GET,
	VOIPWAKE_CMD_APP_WAKE_DONE,
	VOIPWAKE_CMD_APP_WOKEN_NTF,
	VOIPWAKE_CMD_APP_FROZEN_NTF,
	VOIPWAKE_CMD_APP_THAWED_NTF,
	VOIPWAKE_CMD_APP_FREEZE_TIMEOUT_NTF,
	VOIPWAKE_CMD_SOCK_CLOSED_NTF,
	VOIPWAKE_CMD_APP_BACKGROUNDED_NTF,
	VOIPWAKE_CMD_APP_FOREGROUNDED_NTF,
	VOIPWAKE_CMD_SOCK_UNMARKED_NTF,
	VOIPWAKE_CMD_APP_FREEZE_GATE_NTF,

	__VOIPWAKE_CMD_MAX,
	VOIPWAKE_CMD_MAX = (__VOIPWAKE_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_VOIPWAKE_H */
