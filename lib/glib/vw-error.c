// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * The VW_ERROR domain: libvoipwake's negative errno becomes a code, and
 * its message (vw_last_error()) the GError's.
 */

#include <errno.h>

#include "vw-private.h"

G_DEFINE_QUARK(vw-error-quark, vw_error)

G_DEFINE_ENUM_TYPE(VwError, vw_error,
	G_DEFINE_ENUM_VALUE(VW_ERROR_FAILED, "failed"),
	G_DEFINE_ENUM_VALUE(VW_ERROR_NOT_LOADED, "not-loaded"),
	G_DEFINE_ENUM_VALUE(VW_ERROR_NOT_SUPPORTED, "not-supported"),
	G_DEFINE_ENUM_VALUE(VW_ERROR_PERMISSION_DENIED, "permission-denied"),
	G_DEFINE_ENUM_VALUE(VW_ERROR_INVALID_ARGUMENT, "invalid-argument"),
	G_DEFINE_ENUM_VALUE(VW_ERROR_NOT_FOUND, "not-found"),
	G_DEFINE_ENUM_VALUE(VW_ERROR_EXISTS, "exists"),
	G_DEFINE_ENUM_VALUE(VW_ERROR_BUSY, "busy"),
	G_DEFINE_ENUM_VALUE(VW_ERROR_NO_SPACE, "no-space"),
	G_DEFINE_ENUM_VALUE(VW_ERROR_NOT_AWAKE, "not-awake"),
	G_DEFINE_ENUM_VALUE(VW_ERROR_STALE, "stale"),
	G_DEFINE_ENUM_VALUE(VW_ERROR_EVENTS_LOST, "events-lost"),
	G_DEFINE_ENUM_VALUE(VW_ERROR_PROTOCOL, "protocol"))

/*
 * vw_error_from_errno() - the code for one of libvoipwake's errnos
 * @err_no: a positive errno, as libvoipwake's calls return it negated
 *
 * What an errno means depends little on the call, with two exceptions
 * the callers handle: ENOENT from vw_open() (the module is not loaded)
 * and EINVAL from vw_wake_done() (not in a wake).
 *
 * Return: the code; VW_ERROR_FAILED for an errno not listed.
 */
VwError vw_error_from_errno(gint err_no)
{
	switch (err_no) {
	case ENOTSOCK:
	case EAFNOSUPPORT:
	case EPROTONOSUPPORT:
	case EOPNOTSUPP:
		return VW_ERROR_NOT_SUPPORTED;
	case EPERM:
	case EACCES:
		return VW_ERROR_PERMISSION_DENIED;
	case EINVAL:
	case ERANGE:
	case EBADF:
		return VW_ERROR_INVALID_ARGUMENT;
	case ENOENT:
		return VW_ERROR_NOT_FOUND;
	case EALREADY:
		return VW_ERROR_EXISTS;
	case EBUSY:
		return VW_ERROR_BUSY;
	case ENOSPC:
		return VW_ERROR_NO_SPACE;
	case ESTALE:
		return VW_ERROR_STALE;
	case ENOBUFS:
		return VW_ERROR_EVENTS_LOST;
	case EBADMSG:
	case EPROTO:
	case EMSGSIZE:
		return VW_ERROR_PROTOCOL;
	}
	return VW_ERROR_FAILED;
}

/*
 * vw_error_set() - set @error from a failed libvoipwake call
 * @error: where to put it, or NULL
 * @code: the code
 * @ret: the call's negative errno
 * @c: the handle it was made on, or NULL for vw_open()
 *
 * Return: FALSE, for the callers to return.
 */
gboolean vw_error_set(GError **error, VwError code, gint ret,
		      const struct vw_client *c)
{
	const char *msg = vw_last_error(c);

	g_set_error_literal(error, VW_ERROR, code,
			    msg ? msg : g_strerror(-ret));
	return FALSE;
}

/* As vw_error_set(), with the code that the errno means. */
gboolean vw_error_take(GError **error, gint ret, const struct vw_client *c)
{
	return vw_error_set(error, vw_error_from_errno(-ret), ret, c);
}
