/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * libvoipwake-glib: the VW_ERROR domain. libvoipwake returns a negative
 * errno and keeps a message saying why (vw_last_error()); a GError of
 * this domain carries that message, and a code named after what went
 * wrong.
 */
#ifndef VW_GLIB_ERROR_H
#define VW_GLIB_ERROR_H

#if !defined(VOIPWAKE_GLIB_INSIDE) && !defined(VOIPWAKE_GLIB_COMPILATION)
#error "Only <voipwake-glib.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * VW_ERROR:
 *
 * The error domain of libvoipwake-glib: see #VwError.
 */
#define VW_ERROR (vw_error_quark())
GQuark vw_error_quark(void);

/**
 * VwError:
 * @VW_ERROR_FAILED: anything not listed below; the message says what
 * @VW_ERROR_NOT_LOADED: the voipwake kernel module is not loaded (ENOENT
 *	from vw_open())
 * @VW_ERROR_NOT_SUPPORTED: the module or the socket cannot do what was
 *	asked: not a TCP or UDP socket over IPv4 or IPv6, a listening
 *	socket, or a module too old for the call (ENOTSOCK, EAFNOSUPPORT,
 *	EPROTONOSUPPORT, EOPNOTSUPP)
 * @VW_ERROR_PERMISSION_DENIED: the caller may not do this (EPERM, EACCES)
 * @VW_ERROR_INVALID_ARGUMENT: an argument the module or the library
 *	refused: a timeout out of bounds, a bad descriptor, the root cgroup
 *	(EINVAL, ERANGE, EBADF)
 * @VW_ERROR_NOT_FOUND: no such thing: the socket is not marked, the
 *	module does not know the app (ENOENT)
 * @VW_ERROR_EXISTS: the socket is marked already (EALREADY)
 * @VW_ERROR_BUSY: another kernel user holds the socket (EBUSY)
 * @VW_ERROR_NO_SPACE: the app has as many marked sockets as it may
 *	(ENOSPC)
 * @VW_ERROR_NOT_AWAKE: vw_client_done() outside a wake: the app is in the
 *	foreground, or was frozen already (EINVAL), or the module does not
 *	know it (ENOENT)
 * @VW_ERROR_STALE: vw_client_done() was overtaken by a keep-alive wake:
 *	the app stays awake, and #VwClient::keepalive-due follows (ESTALE)
 * @VW_ERROR_EVENTS_LOST: the reply was lost to a full receive buffer; the
 *	request may have taken effect (ENOBUFS)
 * @VW_ERROR_PROTOCOL: the module's reply was malformed (EBADMSG, EPROTO,
 *	EMSGSIZE)
 *
 * Codes of the #VW_ERROR domain. The message is libvoipwake's own
 * (vw_last_error(): the kernel's extended ack, or the library's words),
 * or the errno's description where there is none.
 */
typedef enum {
	VW_ERROR_FAILED,
	VW_ERROR_NOT_LOADED,
	VW_ERROR_NOT_SUPPORTED,
	VW_ERROR_PERMISSION_DENIED,
	VW_ERROR_INVALID_ARGUMENT,
	VW_ERROR_NOT_FOUND,
	VW_ERROR_EXISTS,
	VW_ERROR_BUSY,
	VW_ERROR_NO_SPACE,
	VW_ERROR_NOT_AWAKE,
	VW_ERROR_STALE,
	VW_ERROR_EVENTS_LOST,
	VW_ERROR_PROTOCOL,
} VwError;

GType vw_error_get_type(void) G_GNUC_CONST;
#define VW_TYPE_ERROR (vw_error_get_type())

G_END_DECLS

#endif /* VW_GLIB_ERROR_H */
