// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * vw_get_info(): what the loaded module reports about itself.
 */

#include <errno.h>

#include "client.h"

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

	ret = vw_build_info_get(c->buf.bytes, sizeof(c->buf), c->family.id,
				vw_client_next_seq(c));
	if (ret)
		return vw_client_fail(c, ret,
				      "cannot build VOIPWAKE_CMD_INFO_GET");
	ret = vw_client_transact(c, c->family.id, vw_parse_info, &full,
				 "VOIPWAKE_CMD_INFO_GET");
	if (ret)
		return ret;
	return vw_info_copy_out(info, &full);
}
