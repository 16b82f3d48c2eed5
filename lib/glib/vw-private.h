/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/* libvoipwake-glib's own helpers, not installed. */
#ifndef VW_GLIB_PRIVATE_H
#define VW_GLIB_PRIVATE_H

#include <voipwake.h>

#include "voipwake-glib.h"

VwError vw_error_from_errno(gint err_no);
gboolean vw_error_set(GError **error, VwError code, gint ret,
		      const struct vw_client *c);
gboolean vw_error_take(GError **error, gint ret, const struct vw_client *c);
VwAppStatus *vw_app_status_new_from(const struct vw_app_info *ai);
gboolean vw_client_attach(VwClient *self, struct vw_client *c,
			  GError **error);
void vw_client_remember(VwClient *self, guint64 ino, GSocket *sock);

#endif /* VW_GLIB_PRIVATE_H */
