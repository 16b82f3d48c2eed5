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
 */
#ifndef VOIPWAKE_H
#define VOIPWAKE_H

#include <stdint.h>
#include <linux/voipwake.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque client handle: one netlink socket bound to the voipwake family. */
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
 * Opens a generic netlink socket with extended acks enabled and resolves the
 * "voipwake" family once; the handle keeps the family id for later calls.
 *
 * On failure *@out is set to NULL. Because there is no handle to hold the
 * reason, vw_last_error(NULL) then returns the message for the calling
 * thread's most recent vw_open() failure.
 *
 * Return: 0 on success; -ENOENT if the family does not exist (the voipwake
 * module is not loaded); -ENOMEM, or the errno of the socket calls,
 * otherwise.
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
 *
 * Forward compatibility: new fields are only ever appended, and @size tells
 * the library how much of the structure the caller knows about. A library
 * older than the caller's header fills what it knows and zeroes the rest; a
 * newer library writes nothing beyond @size.
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
};

/* sizeof(struct vw_info) in libvoipwake 0.1, the smallest accepted size. */
#define VW_INFO_SIZE_VER0	92

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

#ifdef __cplusplus
}
#endif

#endif /* VOIPWAKE_H */
