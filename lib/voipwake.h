/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * libvoipwake: userspace access to the voipwake kernel module.
 *
 * The module is driven over the generic netlink family "voipwake"; the wire
 * format is include/uapi/linux/voipwake.h, installed next to this header as
 * <linux/voipwake.h>. This library hides the netlink plumbing behind a
 * client handle.
 *
 * Conventions shared by every call:
 *
 * - Calls return 0 on success or a negative errno, and never print.
 * - After a failed call, vw_last_error() may hold a message saying what was
 *   wrong: the kernel's extended ack text, or one written by the library.
 * - A client handle is NOT thread-safe. Use one handle per thread, or
 *   serialise every call made on a shared handle with your own lock.
 *   Different handles are independent and may be used concurrently.
 * - A handle holds two netlink sockets: one for requests and their
 *   replies, one for events (notifications). Events arrive also in the
 *   middle of other calls; they are queued and only ever delivered by
 *   vw_dispatch(). Poll vw_fd() to know when to call it. Should events
 *   be lost all the same, vw_dispatch() re-reads what they were about
 *   and says so (VW_EVENT_RESYNC): a wake is never lost silently.
 * - This header needs C11 or C++ (struct vw_event has anonymous unions).
 */
#ifndef VOIPWAKE_H
#define VOIPWAKE_H

#include <stdint.h>
#include <linux/voipwake.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque client handle: two netlink sockets bound to the voipwake family. */
struct vw_client;

/**
 * vw_library_version() - version of the libvoipwake actually loaded
 *
 * Return: a static string such as "0.1.0"; never NULL.
 */
const char *vw_library_version(void);

/**
 * vw_open() - connect to the voipwake kernel module
 * @out: where to store the new client handle
 *
 * Opens two generic netlink sockets with extended acks enabled, one for
 * requests and one for events, and resolves the "voipwake" family once;
 * the handle keeps the family id for later calls. The event socket gets a
 * receive buffer of 512 KiB (doubled by the kernel) if the caller has
 * CAP_NET_ADMIN, else as much of that as net.core.rmem_max allows.
 *
 * On failure *@out is set to NULL. Because there is no handle to hold the
 * reason, vw_last_error(NULL) then returns the message for the calling
 * thread's most recent vw_open() failure.
 *
 * Return: 0 on success; -ENOENT if the family does not exist (the voipwake
 * module is not loaded: the message says to run "modprobe voipwake");
 * -EPROTONOSUPPORT if the kernel offers no generic netlink sockets at
 * all; -ENOMEM, or the errno of the socket calls, otherwise.
 */
int vw_open(struct vw_client **out);

/**
 * vw_close() - close a client handle and free it
 * @c: handle from vw_open(), or NULL (then nothing happens)
 */
void vw_close(struct vw_client *c);

/**
 * vw_last_error() - message explaining the last failed call
 * @c: client handle, or NULL for the calling thread's last vw_open() failure
 *
 * A call that succeeds clears the message. A failed call may leave no
 * message (e.g. the kernel refused without explanation); the negative errno
 * it returned is then all there is.
 *
 * Return: a NUL-terminated string owned by the library, valid until the
 * next call on @c (or the next vw_open() in this thread), or NULL.
 */
const char *vw_last_error(const struct vw_client *c);

/* Room for the module version string, including its terminating NUL. */
#define VW_VERSION_LEN	64

/* Bits in vw_info.present: which attributes the module actually sent. */
#define VW_INFO_HAS_VERSION		(1U << 0)
#define VW_INFO_HAS_API_VERSION		(1U << 1)
#define VW_INFO_HAS_FEATURES		(1U << 2)
#define VW_INFO_HAS_WAKE_WINDOW_MS	(1U << 3)
#define VW_INFO_HAS_WAKE_WINDOW_MAX_MS	(1U << 4)
#define VW_INFO_HAS_MAX_SOCKS_PER_APP	(1U << 5)
#define VW_INFO_HAS_MIN_KEEPALIVE_S	(1U << 6)
#define VW_INFO_HAS_MAX_KEEPALIVE_S	(1U << 7)
#define VW_INFO_HAS_KEEPALIVE_TOLERANCE_PCT (1U << 8)
#define VW_INFO_HAS_KEEPALIVE_BUDGET_MS	(1U << 9)

/**
 * struct vw_info - what the loaded module reports about itself
 * @size: set by the caller to sizeof(struct vw_info) before vw_get_info()
 * @present: VW_INFO_HAS_* bits for the fields the module reported
 * @api_version: netlink ABI version, compare with VOIPWAKE_GENL_VERSION
 * @features: enum voipwake_feature bits the module implements
 * @wake_window_ms: default wake window
 * @wake_window_max_ms: upper bound for an extended wake window
 * @max_socks_per_app: how many sockets one app may mark
 * @version: module version string, NUL-terminated, truncated to fit
 * @min_keepalive_s: shortest keep-alive timeout an app may ask for
 * @max_keepalive_s: longest keep-alive timeout (VOIPWAKE_KEEPALIVE_MAX_S)
 * @keepalive_tolerance_pct: how early a keep-alive may come, in percent of
 *			     its timeout, for apps that set none
 * @keepalive_budget_ms: how long a keep-alive wake may run, for apps that
 *			 set none
 *
 * Forward compatibility: new fields are only ever appended, and @size tells
 * the library how much of the structure the caller knows about. A library
 * older than the caller's header fills what it knows and zeroes the rest; a
 * newer library writes nothing beyond @size, and sets no @present bit for
 * a field that lies beyond it.
 *
 * A field whose attribute the module did not send is 0 (the empty string
 * for @version) and its bit in @present is clear: that is not an error.
 */
struct vw_info {
	uint32_t size;
	uint32_t present;
	uint32_t api_version;
	uint32_t features;
	uint32_t wake_window_ms;
	uint32_t wake_window_max_ms;
	uint32_t max_socks_per_app;
	char version[VW_VERSION_LEN];
	uint32_t min_keepalive_s;
	uint32_t max_keepalive_s;
	uint32_t keepalive_tolerance_pct;
	uint32_t keepalive_budget_ms;
};

/* sizeof(struct vw_info) in libvoipwake 0.1, the smallest accepted size. */
#define VW_INFO_SIZE_VER0	92
/* sizeof(struct vw_info) since libvoipwake 0.3: the keep-alive limits. */
#define VW_INFO_SIZE_VER1	108

/**
 * vw_get_info() - ask the module for its version, features and limits
 * @c: client handle
 * @info: filled on success; the caller must set @info->size first
 *
 * Issues VOIPWAKE_CMD_INFO_GET. Any user may call it. On failure *@info is
 * left untouched.
 *
 * Return: 0 on success; -EINVAL if @c or @info is NULL or @info->size is
 * below VW_INFO_SIZE_VER0; -EBADMSG or -EPROTO if the reply is malformed;
 * the kernel's negative errno if it refused the request.
 */
int vw_get_info(struct vw_client *c, struct vw_info *info);

/* One bit of a wake_on mask: VW_WAKE_ON(VOIPWAKE_WAKE_DATA) and so on. */
#define VW_WAKE_ON(reason)	(1U << (reason))

/* Bits in vw_sock_info.present: which attributes the module sent. */
#define VW_SOCK_HAS_INO			(1U << 0)
#define VW_SOCK_HAS_CGROUP_ID		(1U << 1)
#define VW_SOCK_HAS_FAMILY		(1U << 2)
#define VW_SOCK_HAS_PROTOCOL		(1U << 3)
#define VW_SOCK_HAS_UID			(1U << 4)
#define VW_SOCK_HAS_WAKE_ON		(1U << 5)
#define VW_SOCK_HAS_WAKES		(1U << 6)

/**
 * struct vw_sock_info - a socket marked for wakes
 * @size: size of the structure; see below
 * @present: VW_SOCK_HAS_* bits for the fields the module reported
 * @ino: socket inode number, as in /proc/PID/fd ("socket:[ino]")
 * @cgroup_id: the app (cgroup v2 id) the socket belongs to
 * @family: AF_INET or AF_INET6
 * @protocol: IPPROTO_TCP or IPPROTO_UDP
 * @uid: the socket's owner
 * @wake_on: VW_WAKE_ON() bits of the reasons that wake the app
 * @wakes: how many wakes this socket caused
 *
 * Where the caller supplies the structure (vw_mark_socket()), it sets @size
 * to sizeof(struct vw_sock_info) first, exactly as for struct vw_info: the
 * library fills what it knows, zeroes the rest up to @size and never writes
 * beyond it. Where the library supplies it (dump callbacks, events), @size is
 * the library's own size: a field appended after 0.2 may only be read when
 * its VW_SOCK_HAS_* bit is set, which an older library never does.
 *
 * @ino is always present: a reply without it is refused as malformed.
 */
struct vw_sock_info {
	uint32_t size;
	uint32_t present;
	uint64_t ino;
	uint64_t cgroup_id;
	uint32_t family;
	uint32_t protocol;
	uint32_t uid;
	uint32_t wake_on;
	uint64_t wakes;
};

/* sizeof(struct vw_sock_info) in libvoipwake 0.2, the smallest accepted. */
#define VW_SOCK_INFO_SIZE_VER0	48

/* Bits in vw_app_info.present: which attributes the module sent. */
#define VW_APP_HAS_CGROUP_ID		(1U << 0)
#define VW_APP_HAS_STATE		(1U << 1)
#define VW_APP_HAS_FROZEN		(1U << 2)
#define VW_APP_HAS_WAKE_WINDOW_MS	(1U << 3)
#define VW_APP_HAS_SOCKS		(1U << 4)
#define VW_APP_HAS_WAKES_DATA		(1U << 5)
#define VW_APP_HAS_WAKES_CLOSE		(1U << 6)
#define VW_APP_HAS_WAKES_ERROR		(1U << 7)
#define VW_APP_HAS_WAKES_KEEPALIVE	(1U << 8)
#define VW_APP_HAS_FROZEN_MS		(1U << 9)
#define VW_APP_HAS_LAST_WAKE_NS		(1U << 10)
#define VW_APP_HAS_FREEZE_TIMEOUTS	(1U << 11)
#define VW_APP_HAS_KEEPALIVE_S		(1U << 12)
#define VW_APP_HAS_KEEPALIVE_TOLERANCE_PCT (1U << 13)
#define VW_APP_HAS_KEEPALIVE_BUDGET_MS	(1U << 14)
#define VW_APP_HAS_KEEPALIVE_OVERRUNS	(1U << 15)
#define VW_APP_HAS_KEEPALIVE_EARLIEST_NS (1U << 16)
#define VW_APP_HAS_KEEPALIVE_LATEST_NS	(1U << 17)
#define VW_APP_HAS_WAKE_SEQ		(1U << 18)
#define VW_APP_HAS_WAKE_INTERVAL_MS	(1U << 19)
#define VW_APP_HAS_WAKES_HELD		(1U << 20)
#define VW_APP_HAS_WAKE_SYSTEM		(1U << 21)
#define VW_APP_HAS_FREEZE_GATE_MS	(1U << 22)
#define VW_APP_HAS_FREEZE_GATE_SEQ	(1U << 23)
#define VW_APP_HAS_FREEZE_GATE_TIMEOUTS	(1U << 24)

/**
 * struct vw_app_info - an app (a cgroup v2) known to the module
 * @size: size of the structure; the same rules as struct vw_sock_info
 * @present: VW_APP_HAS_* bits for the fields the module reported
 * @cgroup_id: the app's cgroup id (on cgroup2, the inode number of its
 *	       directory); always present
 * @state: enum voipwake_app_state
 * @frozen: non-zero when the cgroup freezer reports the app frozen
 * @wake_window_ms: the app's own wake window, 0 = the module default
 * @socks: how many of its sockets are marked
 * @wakes_data: wakes because data arrived
 * @wakes_close: wakes because a peer closed
 * @wakes_error: wakes because of a reset or socket error
 * @wakes_keepalive: wakes because a keep-alive timer was due
 * @frozen_ms: total time spent frozen
 * @last_wake_ns: CLOCK_BOOTTIME of the last wake, 0 = never
 * @freeze_timeouts: how often freezing did not complete in time
 * @reserved: zero; keeps the fields below clear of 0.2's size
 * @keepalive_s: the app's keep-alive timeout, 0 = none
 * @keepalive_tolerance_pct: how early its keep-alive may come, in percent
 *			     of @keepalive_s; 0 = the module default
 * @keepalive_budget_ms: how long its keep-alive wake may run; 0 = the
 *			 module default
 * @keepalive_overruns: keep-alive wakes whose budget ran out before the
 *			app said it was done
 * @keepalive_earliest_ns: CLOCK_BOOTTIME from which the next keep-alive
 *			   may come; reported only while one is armed (the
 *			   timeout is set and the app is not in the
 *			   foreground)
 * @keepalive_latest_ns: CLOCK_BOOTTIME by which it comes; as
 *			 @keepalive_earliest_ns
 * @wake_seq: counts the app's wake events (APP_WOKEN_NTF); in a wake
 *	      event, the number of that wake (see vw_wake_done())
 * @reserved2: zero
 * @wake_interval_ms: the least time between the app's socket wakes that
 *		      a policy daemon holds it to, 0 = none (since 0.4)
 * @reserved3: zero
 * @wakes_held: socket wakes that interval held back, each delivered once
 *		it had passed (since 0.4)
 * @wake_system: 1 if the app's keep-alive may wake the system from
 *		 suspend, 0 if it waits for the next resume (an admin's
 *		 setting, APP_WAKE_SYSTEM; since 0.5)
 * @reserved4: zero
 * @freeze_gate_ms: how long each freeze of the app waits for its marker
 *		    (vw_app_set_freeze_gate()), 0 = not at all (since 0.5)
 * @freeze_gate_seq: the open freeze gate's sequence, to answer with
 *		     vw_app_freeze_gate_done(); present only while one is
 *		     open (VW_APP_HAS_FREEZE_GATE_SEQ; since 0.5)
 * @freeze_gate_timeouts: freezes that went on because nobody answered
 *			  their gate in time (since 0.5)
 * @reserved5: zero
 */
struct vw_app_info {
	uint32_t size;
	uint32_t present;
	uint64_t cgroup_id;
	uint32_t state;
	uint32_t frozen;
	uint32_t wake_window_ms;
	uint32_t socks;
	uint64_t wakes_data;
	uint64_t wakes_close;
	uint64_t wakes_error;
	uint64_t wakes_keepalive;
	uint64_t frozen_ms;
	uint64_t last_wake_ns;
	uint32_t freeze_timeouts;
	uint32_t reserved;
	uint32_t keepalive_s;
	uint32_t keepalive_tolerance_pct;
	uint32_t keepalive_budget_ms;
	uint32_t keepalive_overruns;
	uint64_t keepalive_earliest_ns;
	uint64_t keepalive_latest_ns;
	uint32_t wake_seq;
	uint32_t reserved2;
	uint32_t wake_interval_ms;
	uint32_t reserved3;
	uint64_t wakes_held;
	uint32_t wake_system;
	uint32_t reserved4;
	uint32_t freeze_gate_ms;
	uint32_t freeze_gate_seq;
	uint32_t freeze_gate_timeouts;
	uint32_t reserved5;
};

/* sizeof(struct vw_app_info) in libvoipwake 0.2, the smallest accepted. */
#define VW_APP_INFO_SIZE_VER0	88
/*
 * sizeof(struct vw_app_info) since libvoipwake 0.3: the keep-alive fields
 * and the wake sequence number.
 */
#define VW_APP_INFO_SIZE_VER1	128
/* sizeof(struct vw_app_info) since libvoipwake 0.4: the wake interval. */
#define VW_APP_INFO_SIZE_VER2	144
/* sizeof(struct vw_app_info) since libvoipwake 0.5: whether it wakes the system. */
#define VW_APP_INFO_SIZE_VER3	152
/* sizeof(struct vw_app_info) since the freeze gate (0.5, later). */
#define VW_APP_INFO_SIZE_VER4	168

/*
 * struct vw_event type of the events vw_dispatch() makes up after it
 * found that events were lost: see there. Every other type is a
 * VOIPWAKE_CMD_*_NTF; this value cannot be one, as a generic netlink
 * command fits in 8 bits.
 */
#define VW_EVENT_RESYNC			0x100

/*
 * The app's place in its life cycle and its marks, as iOS tells an app
 * applicationDidEnterBackground and applicationWillEnterForeground.
 * BACKGROUNDED is sent before the app is frozen, so it reads it at its
 * next wake (or when it is back); FOREGROUNDED once it is thawed. UNMARKED:
 * someone else (the policy daemon, an administrator) took the mark of one
 * of the app's sockets away; @sock says which. A module without
 * VOIPWAKE_FEATURE_STATE_NTF or VOIPWAKE_FEATURE_UNMARK_NTF in
 * vw_get_info()'s features never sends them: nothing fails, they just
 * never come. They came after VOIPWAKE_0.5, without a call of their own
 * (#ifdef VW_EVENT_UNMARKED tells).
 */
#define VW_EVENT_BACKGROUNDED		VOIPWAKE_CMD_APP_BACKGROUNDED_NTF
#define VW_EVENT_FOREGROUNDED		VOIPWAKE_CMD_APP_FOREGROUNDED_NTF
#define VW_EVENT_UNMARKED		VOIPWAKE_CMD_SOCK_UNMARKED_NTF
/*
 * A freeze of the app waits for its marker: mark what must be marked,
 * then answer with vw_app_freeze_gate_done() and @app.freeze_gate_seq.
 * Sent to the admin group only (vw_subscribe_admin()), by a module with
 * VOIPWAKE_FEATURE_FREEZE_GATE, for apps whose gate was set.
 */
#define VW_EVENT_FREEZE_GATE		VOIPWAKE_CMD_APP_FREEZE_GATE_NTF

/* Bits in vw_event.present, for the event's own fields. */
#define VW_EVENT_HAS_REASON		(1U << 0)
#define VW_EVENT_HAS_SOCK_INO		(1U << 1)
#define VW_EVENT_HAS_BYTES		(1U << 2)
#define VW_EVENT_HAS_KEEPALIVE		(1U << 3)

/**
 * struct vw_event - one notification from the module
 * @size: sizeof(struct vw_event) in the library that delivers it
 * @type: the notification's command: VOIPWAKE_CMD_APP_WOKEN_NTF,
 *	  VOIPWAKE_CMD_APP_FROZEN_NTF, VOIPWAKE_CMD_APP_THAWED_NTF,
 *	  VOIPWAKE_CMD_APP_FREEZE_TIMEOUT_NTF, VOIPWAKE_CMD_SOCK_CLOSED_NTF,
 *	  VW_EVENT_BACKGROUNDED, VW_EVENT_FOREGROUNDED, VW_EVENT_UNMARKED or
 *	  VW_EVENT_FREEZE_GATE;
 *	  or VW_EVENT_RESYNC, made up by the library (see vw_dispatch())
 * @present: VW_EVENT_HAS_* bits for @reason, @sock_ino, @bytes and
 *	     @keepalive
 * @reason: enum voipwake_wake_reason (APP_WOKEN_NTF)
 * @sock_ino: inode of the socket that woke the app (APP_WOKEN_NTF)
 * @bytes: bytes queued on that socket (APP_WOKEN_NTF)
 * @reserved: zero
 * @app: the app, for every APP_*_NTF and VW_EVENT_RESYNC (then @app.size
 *	 is non-zero and VW_APP_HAS_CGROUP_ID set); all zero for other types
 * @sock: the socket, for SOCK_CLOSED_NTF and VW_EVENT_UNMARKED (then
 *	  @sock.size is non-zero and VW_SOCK_HAS_INO set); all zero for
 *	  other types
 * @keepalive: non-zero when this wake is, or serves as, the app's
 *	       keep-alive (APP_WOKEN_NTF): the app should refresh its
 *	       connection now, as vw_set_keepalive() describes. For
 *	       VW_EVENT_RESYNC: non-zero when keep-alive wakes of the
 *	       caller's own app were among the lost events, with the same
 *	       meaning; VW_EVENT_HAS_KEEPALIVE is set only for the own app
 * @reserved2: zero
 *
 * The event belongs to the library and is valid only during the handler
 * call. Notification types the library does not know are not delivered;
 * a handler should still ignore types it does not know, as a later
 * library may deliver more: VW_EVENT_RESYNC came after VOIPWAKE_0.3,
 * without a call of its own (#ifdef VW_EVENT_RESYNC tells).
 *
 * Forward compatibility: @app and @sock each sit in a union with fixed
 * room (@app_room, @sock_room), so that struct vw_app_info and struct
 * vw_sock_info can grow without moving @sock or anything after it. New
 * event fields are appended at the end. As everywhere, read a field added
 * after 0.2 only when its present bit is set.
 */
struct vw_event {
	uint32_t size;
	uint32_t type;
	uint32_t present;
	uint32_t reason;
	uint64_t sock_ino;
	uint32_t bytes;
	uint32_t reserved;
	union {
		struct vw_app_info app;
		uint64_t app_room[24];
	};
	union {
		struct vw_sock_info sock;
		uint64_t sock_room[16];
	};
	uint32_t keepalive;
	uint32_t reserved2;
};

/**
 * vw_mark_socket() - ask the module to wake the socket's app for it
 * @c: client handle
 * @fd: the socket, in the caller's own fd table (for another process's
 *	socket, a duplicate from pidfd_getfd(2))
 * @wake_on: VW_WAKE_ON() bits of the reasons that wake the app; 0 lets the
 *	     module use its default (every reason)
 * @out: filled with the socket as the module sees it, or NULL; the caller
 *	 sets @out->size first
 *
 * Issues VOIPWAKE_CMD_SOCK_MARK, from the event socket of @c, which then
 * receives the app's events (see vw_dispatch()). Only TCP (not listening)
 * and UDP sockets over IPv4 or IPv6 can be marked, by their owner or with
 * CAP_NET_ADMIN. The handle remembers the socket (until it is unmarked
 * through @c or closed), so that its app is re-read after a loss of
 * events.
 *
 * Return: 0; -EINVAL if @out->size is too small (nothing is sent then);
 * -ENOMEM if the handle cannot remember one more socket (nothing is sent);
 * -EBADF if @fd is negative; -EBADMSG or -EPROTO if the reply is malformed;
 * the kernel's errno otherwise, notably -ENOTSOCK, -EAFNOSUPPORT,
 * -EPROTONOSUPPORT, -EOPNOTSUPP (listening socket), -EALREADY, -EBUSY
 * (another kernel user owns the socket), -ENOSPC (the app has
 * max_socks_per_app marked sockets), -EPERM, -EINVAL (root cgroup).
 * -ENOBUFS if the reply was lost because events filled the event socket
 * faster than the library could make room for it: the socket may be
 * marked all the same (marking again says -EALREADY).
 */
int vw_mark_socket(struct vw_client *c, int fd, uint32_t wake_on,
		   struct vw_sock_info *out);

/**
 * vw_unmark_socket() - stop watching a socket
 * @c: client handle
 * @fd: the socket, in the caller's own fd table
 *
 * Issues VOIPWAKE_CMD_SOCK_UNMARK.
 *
 * Return: 0; -EBADF if @fd is negative; -ENOENT if the socket is not
 * marked; the kernel's errno otherwise.
 */
int vw_unmark_socket(struct vw_client *c, int fd);

/**
 * vw_app_set_state() - move an app to the foreground or the background
 * @c: client handle
 * @cgroup_fd: the app's cgroup v2 directory, opened O_RDONLY|O_DIRECTORY
 * @state: VOIPWAKE_APP_STATE_FOREGROUND or VOIPWAKE_APP_STATE_BACKGROUND
 *
 * Issues VOIPWAKE_CMD_APP_SET. The caller must be allowed to open the
 * cgroup's cgroup.freeze for writing. A backgrounded app is frozen; the
 * module thaws it for a wake window when one of its marked sockets wakes it.
 *
 * Return: 0; -EBADF if @cgroup_fd is negative; the kernel's errno
 * otherwise.
 */
int vw_app_set_state(struct vw_client *c, int cgroup_fd,
		     enum voipwake_app_state state);

/**
 * vw_app_set_wake_window() - set how long a woken app stays awake
 * @c: client handle
 * @cgroup_fd: the app's cgroup v2 directory
 * @ms: the window in milliseconds; 0 restores the module default
 *
 * Issues VOIPWAKE_CMD_APP_SET with only the wake window.
 *
 * Return: 0; -EBADF if @cgroup_fd is negative; the kernel's errno
 * otherwise (-ERANGE or -EINVAL for a window out of bounds).
 */
int vw_app_set_wake_window(struct vw_client *c, int cgroup_fd, uint32_t ms);

/**
 * vw_wake_done() - end the calling process's app's wake window now
 * @c: client handle
 *
 * Issues VOIPWAKE_CMD_APP_WAKE_DONE for the cgroup of the calling
 * process, which is frozen again. The freeze takes the caller on its way
 * back from the request, so the call itself returns (with 0) only when
 * the app is next woken: call it last, as iOS apps call their completion
 * handler, and expect to resume there.
 *
 * The request names the last wake vw_dispatch() delivered (its
 * APP_WAKE_SEQ; not after vw_subscribe_admin(), whose events are other
 * apps' too). If a keep-alive wake came since (the app was frozen by its
 * window's end on its way here, or the keep-alive is due while it is
 * awake), the module refuses with -ESTALE and the app stays awake:
 * dispatch, let the keep-alive handler run, then say done again. Data
 * that arrived unread is never lost to a done: the module wakes the app
 * again for it.
 *
 * It may be called from an event handler or a keep-alive handler (see
 * vw_set_keepalive()): it returns there at the app's next wake, and the
 * events of that wake are delivered as usual, by the same vw_dispatch()
 * or the next.
 *
 * Return: 0; -EINVAL if the app is not awake; -ESTALE as above; the
 * kernel's errno otherwise.
 */
int vw_wake_done(struct vw_client *c);

/**
 * vw_wake_done_app() - end another app's wake window now
 * @c: client handle
 * @cgroup_fd: the app's cgroup v2 directory
 *
 * As vw_wake_done(), for the app named by @cgroup_fd; needs the same
 * permission as vw_app_set_state().
 *
 * Return: 0; -EBADF if @cgroup_fd is negative; -EINVAL if the app is not
 * awake; the kernel's errno otherwise.
 */
int vw_wake_done_app(struct vw_client *c, int cgroup_fd);

/**
 * vw_app_get() - read one app's state and statistics
 * @c: client handle
 * @cgroup_fd: the app's cgroup v2 directory
 * @out: filled on success; the caller sets @out->size first
 *
 * Issues VOIPWAKE_CMD_APP_GET. On failure *@out is left untouched.
 *
 * Return: 0; -EINVAL if @out is NULL or @out->size is below
 * VW_APP_INFO_SIZE_VER0; -EBADF if @cgroup_fd is negative; -EBADMSG or
 * -EPROTO if the reply is malformed; the kernel's errno otherwise (-ENOENT
 * if the module does not know the app).
 */
int vw_app_get(struct vw_client *c, int cgroup_fd, struct vw_app_info *out);

/**
 * vw_app_get_own() - read the calling process's own app
 * @c: client handle
 * @out: filled on success; the caller sets @out->size first
 *
 * As vw_app_get(), for the app of the cgroup the caller is in: an
 * APP_GET without APP_CGROUP_FD, which needs no right over that cgroup.
 * An app learns this way whether it is in the foreground (@out->state),
 * its keep-alive and when it is next due, and its wakes so far. Nothing
 * is subscribed: the call does not make the app's events come to @c.
 *
 * Return: 0; -EINVAL if @out is NULL or @out->size is below
 * VW_APP_INFO_SIZE_VER0; -ENOENT if the module does not know the app
 * (it has marked no socket and set no keep-alive, or the module forgot
 * it, as vw_app_get(3) tells; the root cgroup is never an app); -EBADMSG
 * or -EPROTO if the reply is malformed; the kernel's errno otherwise.
 */
int vw_app_get_own(struct vw_client *c, struct vw_app_info *out);

/**
 * vw_app_dump() - call @cb for every app the caller may see
 * @c: client handle
 * @cb: called once per app with a library-owned structure, valid during
 *	the call; a non-zero return stops the walk
 * @arg: passed to @cb
 *
 * Issues a VOIPWAKE_CMD_APP_GET dump. The whole dump is read before the
 * first @cb call, so @cb sees one consistent snapshot and may itself make
 * calls on @c. A dump the module flags as interrupted (NLM_F_DUMP_INTR:
 * the set of apps changed meanwhile) is retried a few times.
 *
 * Return: 0 when every app was passed to @cb; the first non-zero value @cb
 * returned; -EAGAIN if the set kept changing during every retry; -ENOMEM;
 * -EBADMSG or -EPROTO for a malformed reply; the kernel's errno otherwise.
 */
int vw_app_dump(struct vw_client *c,
		int (*cb)(const struct vw_app_info *app, void *arg), void *arg);

/**
 * vw_sock_dump() - call @cb for every marked socket the caller may see
 * @c: client handle
 * @cb: as for vw_app_dump()
 * @arg: passed to @cb
 *
 * Issues a VOIPWAKE_CMD_SOCK_GET dump: the caller's own uid's sockets, or
 * all of them with CAP_NET_ADMIN. Otherwise exactly as vw_app_dump().
 *
 * Return: as vw_app_dump().
 */
int vw_sock_dump(struct vw_client *c,
		 int (*cb)(const struct vw_sock_info *sock, void *arg),
		 void *arg);

/**
 * vw_set_event_handler() - choose what vw_dispatch() calls for each event
 * @c: client handle
 * @fn: handler, or NULL to discard events
 * @arg: passed to @fn
 *
 * Events arrive on the event socket of @c: the events of every app one of
 * whose sockets was marked through @c, of the caller's own app after
 * vw_set_keepalive(), and, after vw_subscribe_admin(), every event.
 * Events that arrive while a call waits for its reply are queued (up to
 * 256; beyond that they are counted and dropped, and vw_dispatch() puts
 * the loss right). The handler is only ever called from vw_dispatch(); it
 * may make calls on @c, except vw_dispatch() and vw_close(). The app's own
 * keep-alives also go to the handler of vw_set_keepalive(), after this
 * one.
 */
void vw_set_event_handler(struct vw_client *c,
			  void (*fn)(const struct vw_event *ev, void *arg),
			  void *arg);

/**
 * vw_subscribe_admin() - receive every app's events
 * @c: client handle
 *
 * Joins the multicast group VOIPWAKE_MCGRP_ADMIN on the event socket.
 * After a loss of events, vw_dispatch() then re-reads every app.
 *
 * Return: 0; -EPERM without CAP_NET_ADMIN; -EOPNOTSUPP if the loaded module
 * offers no such group; the errno of setsockopt(2) otherwise.
 */
int vw_subscribe_admin(struct vw_client *c);

/**
 * vw_fd() - a file descriptor to poll for events
 * @c: client handle
 *
 * The descriptor is readable (POLLIN) whenever vw_dispatch() has events to
 * deliver, including events queued during other calls, which leave the
 * event socket itself quiet, and a loss of events still to be put right.
 * It is an epoll instance over the event socket and an eventfd. Do not
 * read from it, and do not close it: vw_close() does. The same descriptor
 * is returned every time.
 *
 * Return: the descriptor, or a negative errno if it could not be set up.
 */
int vw_fd(struct vw_client *c);

/**
 * vw_dispatch() - deliver pending events to the handler
 * @c: client handle
 *
 * Never blocks: runs the handler for every queued event, then for every
 * event the event socket holds (read with MSG_DONTWAIT), and returns
 * when there is none left (or after a bounded batch, leaving vw_fd()
 * readable).
 *
 * Events are lost if the kernel cannot queue them (the event socket's
 * receive buffer overflowed: it reports that as ENOBUFS), or if the
 * library's queue overflowed or a notification was malformed (see
 * vw_events_dropped()). vw_dispatch() then delivers the events still
 * held, and resynchronises: it re-reads, on the request socket and
 * without waiting, the caller's own app (the one of vw_set_keepalive()),
 * every app one of whose sockets was marked through @c and still is (or
 * every app, after vw_subscribe_admin()), and hands each to the event
 * handler as one event of type VW_EVENT_RESYNC, with @app filled. A
 * handler should take it as "re-check this app": read its sockets, which
 * may hold data whose wake event was lost. If keep-alive wakes of the
 * own app were lost (its wakes_keepalive went past the last keep-alive
 * the library handled), that event has @keepalive set, and the handler
 * of vw_set_keepalive() runs once after it. So no wake goes unnoticed;
 * only a wake for data that served as the keep-alive cannot be told from
 * any other, and leaves @keepalive clear. Events read after a
 * VW_EVENT_RESYNC may predate it; a keep-alive handled by the resync
 * does not run the handler again when its own event comes.
 *
 * A loss is reported once, as -ENOBUFS, after all that was delivered;
 * vw_last_error() tells what was lost and how many VW_EVENT_RESYNC events
 * were delivered, or, if re-reading failed (then events are delivered for
 * what was read before the failure), why: the caller must then re-read
 * the state it tracks itself (vw_app_dump(), vw_sock_dump()).
 *
 * Return: the number of events handled (with no handler set: discarded);
 * -ENOBUFS as above; -EBUSY if called from a handler; another negative
 * errno if reading the socket failed.
 */
int vw_dispatch(struct vw_client *c);

/**
 * vw_events_dropped() - events the library had to discard
 * @c: client handle
 *
 * Return: how many notifications were dropped because the event queue was
 * full, or because they were malformed, since vw_open().
 */
uint64_t vw_events_dropped(const struct vw_client *c);

/* What vw_dispatch() calls when the caller's own app is due a keep-alive. */
typedef void (*vw_keepalive_fn)(struct vw_client *c, void *arg);

/**
 * vw_set_keepalive() - be woken regularly to keep a connection alive
 * @c: client handle
 * @timeout_s: the longest the app may go without a keep-alive, in seconds:
 *	       from the module's min_keepalive_s (struct vw_info) to
 *	       VOIPWAKE_KEEPALIVE_MAX_S
 * @handler: called for each keep-alive, or NULL to watch for them in the
 *	     event handler alone (struct vw_event's keepalive field)
 * @arg: passed to @handler
 *
 * The Linux form of iOS's setKeepAliveTimeout:handler:. Issues
 * VOIPWAKE_CMD_APP_SET for the calling process's own app (its cgroup)
 * with only the timeout, from the event socket of @c, then
 * VOIPWAKE_CMD_APP_GET to learn that app's cgroup id and its count of
 * keep-alive wakes so far. Setting one's own timeout needs no privilege,
 * and makes the event socket of @c receive the app's events (see
 * vw_dispatch(), which also tells how a keep-alive whose event was lost
 * still runs @handler).
 *
 * While the app is in the background, the module wakes it no later than
 * @timeout_s after its last keep-alive (or after it went to the
 * background), a little earlier where that lets several apps share one
 * wake; a wake for any other reason close enough to that time serves as
 * the keep-alive. Either way the APP_WOKEN_NTF event has its keepalive
 * field set, and vw_dispatch() calls @handler once for it, after the
 * event handler (if any). A wake by the timer lasts the keep-alive budget
 * (the module's keepalive_budget_ms, see struct vw_info, unless an
 * administrator set the app's own); an app that has not called
 * vw_wake_done() by then is frozen all the same and the overrun counted.
 * A wake for data that serves as the keep-alive keeps its wake window.
 *
 * @handler typically sends a keep-alive on the app's own connection (a
 * CRLF ping for SIP over TCP, say) and then calls vw_wake_done(), which
 * returns only at the app's next wake. Like the event handler it may make
 * any call on @c except vw_dispatch() and vw_close().
 *
 * Calling it again replaces the timeout and the handler; the timeout
 * counts from the start of the current period. A process that moves to
 * another cgroup must call it again.
 *
 * Return: 0; -EINVAL if @timeout_s is 0 (use vw_clear_keepalive()) or
 * @c is NULL; -EOPNOTSUPP if the loaded module has no keep-alive timers
 * (VOIPWAKE_FEATURE_KEEPALIVE is not among its features: the message
 * names it, and nothing is sent); the kernel's errno otherwise, notably
 * -ERANGE for a timeout out of bounds and -EINVAL for the root cgroup.
 * On failure the handler is left as it was; if only the APP_GET failed,
 * the module may hold the new timeout all the same.
 */
int vw_set_keepalive(struct vw_client *c, uint32_t timeout_s,
		     vw_keepalive_fn handler, void *arg);

/**
 * vw_clear_keepalive() - stop keep-alive wakes for the calling process
 * @c: client handle
 *
 * Issues VOIPWAKE_CMD_APP_SET for the caller's own app with a timeout of
 * 0, from the event socket, then forgets the handler vw_set_keepalive()
 * gave.
 *
 * Return: 0; -EOPNOTSUPP as for vw_set_keepalive(); the kernel's errno
 * otherwise (the handler is then kept).
 */
int vw_clear_keepalive(struct vw_client *c);

/**
 * vw_app_set_keepalive() - set another app's keep-alive timer
 * @c: client handle
 * @cgroup_fd: the app's cgroup v2 directory
 * @timeout_s: as for vw_set_keepalive(); 0 clears the timer
 * @tolerance_pct: how early the keep-alive may come, in percent of
 *		   @timeout_s (1 to VOIPWAKE_KEEPALIVE_TOLERANCE_MAX_PCT);
 *		   0 for the module default
 * @budget_ms: how long a keep-alive wake may run before the app is frozen
 *	       again (VOIPWAKE_KEEPALIVE_BUDGET_MIN_MS to
 *	       VOIPWAKE_KEEPALIVE_BUDGET_MAX_MS); 0 for the module default
 *
 * Issues VOIPWAKE_CMD_APP_SET with the three keep-alive settings; needs
 * the same permission as vw_app_set_state(). The app's events do not
 * come to @c for it: they go where they went before.
 *
 * Return: 0; -EBADF if @cgroup_fd is negative; -EOPNOTSUPP as for
 * vw_set_keepalive(); the kernel's errno otherwise (-ERANGE for a
 * setting out of bounds).
 */
int vw_app_set_keepalive(struct vw_client *c, int cgroup_fd,
			 uint32_t timeout_s, uint32_t tolerance_pct,
			 uint32_t budget_ms);

/**
 * vw_app_set_wake_interval() - hold an app's socket wakes apart
 * @c: client handle
 * @cgroup_fd: the app's cgroup v2 directory
 * @ms: the least time from the start of one wake to the next socket wake,
 *	up to VOIPWAKE_WAKE_INTERVAL_MAX_MS; 0 lifts it
 *
 * A policy daemon's throttle for an app over its wake budget: a socket
 * wake that comes sooner is held and delivered once the interval has
 * passed, never lost; keep-alive wakes are never held. Issues
 * VOIPWAKE_CMD_APP_SET with APP_WAKE_INTERVAL_MS.
 *
 * Return: 0; -EBADF if @cgroup_fd is negative; -EOPNOTSUPP if the module
 * has no VOIPWAKE_FEATURE_WAKE_INTERVAL (nothing is sent); -EPERM without
 * CAP_NET_ADMIN in the initial user namespace; -ERANGE above the maximum;
 * the kernel's errno otherwise.
 */
int vw_app_set_wake_interval(struct vw_client *c, int cgroup_fd,
			     uint32_t ms);

/**
 * vw_app_set_wake_system() - let an app's keep-alive wake the system
 * @c: client handle
 * @cgroup_fd: the app's cgroup v2 directory
 * @wake: non-zero: its keep-alive may wake the system from suspend; 0: it
 *	  waits for the next resume, and is served then
 *
 * An administrator's or policy daemon's choice, as WakeSystem= is for a
 * systemd timer. Issues VOIPWAKE_CMD_APP_SET with APP_WAKE_SYSTEM.
 *
 * Return: 0; -EBADF if @cgroup_fd is negative; -EOPNOTSUPP if the module
 * has no VOIPWAKE_FEATURE_WAKE_SYSTEM (nothing is sent); -EPERM without
 * CAP_NET_ADMIN in the initial user namespace; the kernel's errno
 * otherwise.
 */
int vw_app_set_wake_system(struct vw_client *c, int cgroup_fd, int wake);

/**
 * vw_app_set_held() - say that another manager's freeze holds an app
 * @c: client handle
 * @cgroup_fd: the app's cgroup v2 directory
 * @held: non-zero when another manager (systemd's FreezeUnit) froze the
 *	  app's cgroup, 0 when that freeze is over
 *
 * For a policy daemon that sees what the kernel cannot: a freeze written
 * over voipwake's own. While held, the module never thaws the app and
 * holds its wakes; at the release it delivers them. Issues
 * VOIPWAKE_CMD_APP_SET with APP_HELD.
 *
 * Return: 0; -EBADF if @cgroup_fd is negative; -EOPNOTSUPP if the module
 * has no VOIPWAKE_FEATURE_HELD (nothing is sent); -EPERM without
 * CAP_NET_ADMIN in the initial user namespace; the kernel's errno
 * otherwise.
 */
int vw_app_set_held(struct vw_client *c, int cgroup_fd, int held);

/**
 * vw_app_set_freeze_gate() - make an app's freezes wait for its marker
 * @c: client handle
 * @cgroup_fd: the app's cgroup v2 directory
 * @ms: how long each freeze waits, at most VOIPWAKE_FREEZE_GATE_MAX_MS;
 *	0 turns the gate off (and lets an open one through)
 *
 * For a policy daemon that marks an unmodified app's sockets for it: each
 * freeze of the app (its background, a wake window's end, a done) then
 * waits, the app still running, until the daemon answers the
 * VW_EVENT_FREEZE_GATE event with vw_app_freeze_gate_done(), or until
 * @ms have passed (counted in freeze_gate_timeouts). A wake that keeps
 * the app awake, a foreground or another manager's freeze ends the wait.
 * Issues VOIPWAKE_CMD_APP_SET with APP_FREEZE_GATE_MS.
 *
 * Return: 0; -EBADF if @cgroup_fd is negative; -EOPNOTSUPP if the module
 * has no VOIPWAKE_FEATURE_FREEZE_GATE (nothing is sent); -EPERM without
 * CAP_NET_ADMIN in the initial user namespace; the kernel's errno
 * otherwise (-ERANGE above the maximum).
 */
int vw_app_set_freeze_gate(struct vw_client *c, int cgroup_fd, uint32_t ms);

/**
 * vw_app_freeze_gate_done() - let an app's gated freeze through
 * @c: client handle
 * @cgroup_fd: the app's cgroup v2 directory
 * @seq: the gate's sequence, VW_EVENT_FREEZE_GATE's
 *	 @app.freeze_gate_seq
 *
 * Says that the app's sockets are marked: the module freezes it now.
 * Issues VOIPWAKE_CMD_APP_SET with APP_FREEZE_GATE_SEQ.
 *
 * Return: 0; -ESTALE if no gate of that sequence is open (it timed out,
 * a wake ended it, or a newer one opened); -EBADF, -EOPNOTSUPP and
 * -EPERM as vw_app_set_freeze_gate(); the kernel's errno otherwise.
 */
int vw_app_freeze_gate_done(struct vw_client *c, int cgroup_fd, uint32_t seq);

#ifdef __cplusplus
}
#endif

#endif /* VOIPWAKE_H */
