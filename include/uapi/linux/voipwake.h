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
 * VOIPWAKE_CMD_INFO_GET (do, any user)
 *   Request: no attributes.
 *   Reply:   VOIPWAKE_A_INFO_* describing the loaded module: its version
 *            string, the ABI version, a bitmask of features
 *            (enum voipwake_feature) and the effective defaults taken
 *            from the module parameters.
 *
 * Every refusal is an NLMSG_ERROR carrying a negative errno and, where the
 * client asked for NETLINK_EXT_ACK, a message naming what was wrong.
 */
#ifndef _UAPI_LINUX_VOIPWAKE_H
#define _UAPI_LINUX_VOIPWAKE_H

#define VOIPWAKE_GENL_NAME	"voipwake"
#define VOIPWAKE_GENL_VERSION	1

/*
 * Capabilities a client can test before relying on them. Bits are only
 * ever added; a bit is set only when the running module implements it.
 */
enum voipwake_feature {
	VOIPWAKE_FEATURE_MARK_TCP = 1 << 0,
	VOIPWAKE_FEATURE_MARK_UDP = 1 << 1,
	VOIPWAKE_FEATURE_FREEZE = 1 << 2,
};

enum {
	VOIPWAKE_A_INFO_UNSPEC,
	VOIPWAKE_A_INFO_VERSION,		/* string: module version */
	VOIPWAKE_A_INFO_API_VERSION,		/* u32: VOIPWAKE_GENL_VERSION */
	VOIPWAKE_A_INFO_FEATURES,		/* u32: enum voipwake_feature bits */
	VOIPWAKE_A_INFO_WAKE_WINDOW_MS,		/* u32: default wake window */
	VOIPWAKE_A_INFO_WAKE_WINDOW_MAX_MS,	/* u32: cap on an extended window */
	VOIPWAKE_A_INFO_MAX_SOCKS_PER_APP,	/* u32: marked sockets per app */

	__VOIPWAKE_A_INFO_MAX,
	VOIPWAKE_A_INFO_MAX = (__VOIPWAKE_A_INFO_MAX - 1)
};

enum {
	VOIPWAKE_CMD_UNSPEC,
	VOIPWAKE_CMD_INFO_GET,

	__VOIPWAKE_CMD_MAX,
	VOIPWAKE_CMD_MAX = (__VOIPWAKE_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_VOIPWAKE_H */
