/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels voipwake supports (Debian's 6.1 and
 * 6.12) lives here, probed by feature rather than by version number.
 */
#ifndef _VOIPWAKE_COMPAT_H
#define _VOIPWAKE_COMPAT_H

#include <net/genetlink.h>

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

#endif /* _VOIPWAKE_COMPAT_H */
