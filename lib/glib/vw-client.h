/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * libvoipwake-glib: VwClient, libvoipwake for GLib apps (and, through
 * GObject Introspection, for Python, GJS, Vala and Rust).
 */
#ifndef VW_GLIB_CLIENT_H
#define VW_GLIB_CLIENT_H

#if !defined(VOIPWAKE_GLIB_INSIDE) && !defined(VOIPWAKE_GLIB_COMPILATION)
#error "Only <voipwake-glib.h> can be included directly."
#endif

#include <gio/gio.h>

#include "vw-types.h"

G_BEGIN_DECLS

#define VW_TYPE_CLIENT (vw_client_get_type())
G_DECLARE_FINAL_TYPE(VwClient, vw_client, VW, CLIENT, GObject)

VwClient *vw_client_new(GCancellable *cancellable, GError **error);

gboolean vw_client_mark_socket(VwClient *self, GSocket *socket,
			       VwWakeOn wake_on, GError **error);
gboolean vw_client_unmark_socket(VwClient *self, GSocket *socket,
				 GError **error);
gboolean vw_client_set_keepalive(VwClient *self, guint timeout_s,
				 GError **error);
gboolean vw_client_clear_keepalive(VwClient *self, GError **error);
gboolean vw_client_done(VwClient *self, GError **error);
VwAppStatus *vw_client_get_status(VwClient *self, GError **error);
guint vw_client_get_keepalive(VwClient *self);

G_END_DECLS

#endif /* VW_GLIB_CLIENT_H */
