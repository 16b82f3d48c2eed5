// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * vw_get_info(): what the loaded module reports about itself; and the
 * check, before a request an older module would refuse without saying
 * why, that it implements what the request needs.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "client.h"

/* Keeps what later feature checks need from a full INFO reply. */
static void vw_info_note(struct vw_client *c, const struct vw_info *full)
{
	c->info_known = true;
	c->features_known = full->present & VW_INFO_HAS_FEATURES;
	c->features = full->features;
	snprintf(c->mod_version, sizeof(c->mod_version), "%s",
		 full->present & VW_INFO_HAS_VERSION ? full->version : "");
}

static int vw_info_query(struct vw_client *c, struct vw_info *full)
{
	int ret;

	ret = vw_build_info_get(c->buf.bytes, sizeof(c->buf), c->family.id,
				vw_client_next_seq(c));
	if (ret)
		return vw_client_fail(c, ret,
				      "cannot build VOIPWAKE_CMD_INFO_GET");
	ret = vw_client_transact(c, &c->req, c->family.id, vw_parse_info, full,
				 "VOIPWAKE_CMD_INFO_GET");
	if (!ret)
		vw_info_note(c, full);
	return ret;
}

int vw_get_info(struct vw_client *c, struct vw_info *info)
{
	struct vw_info full;
	int ret;

	if (!c)
		return -EINVAL;
	vw_client_clear_error(c);
	if (!info || info->size < VW_INFO_SIZE_VER0)
		return vw_client_fail(c, -EINVAL,
				      "struct vw_info needs ->size set to sizeof(struct vw_info)");

	ret = vw_info_query(c, &full);
	if (ret)
		return ret;
	return vw_info_copy_out(info, &full);
}

/**
 * vw_client_need() - refuse early what the loaded module cannot do
 * @c: client
 * @feature: the enum voipwake_feature bit the request needs
 * @what: names the feature in the message, e.g. "keep-alive timers
 *	  (VOIPWAKE_FEATURE_KEEPALIVE)"
 *
 * An older module refuses an attribute it does not know as invalid, which
 * tells a developer nothing; the module's feature bits do. They are read
 * once (INFO_GET) and kept, as a handle does not outlive the module. If
 * they cannot be read, the request goes ahead and speaks for itself.
 *
 * Return: 0, or -EOPNOTSUPP with a message naming @what.
 */
int vw_client_need(struct vw_client *c, uint32_t feature, const char *what)
{
	struct vw_info full;

	if (!c->info_known && vw_info_query(c, &full))
		vw_client_clear_error(c);
	if (!c->features_known || (c->features & feature))
		return 0;
	return vw_client_fail(c, -EOPNOTSUPP,
			      "the loaded voipwake module%s%s does not implement %s: load a newer voipwake.ko",
			      c->mod_version[0] ? " " : "", c->mod_version,
			      what);
}
