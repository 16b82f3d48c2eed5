/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * libvoipwake-glib: the enumerations and the app status a VwClient hands
 * out. Their values are libvoipwake's (enum voipwake_wake_reason,
 * enum voipwake_app_state, VW_WAKE_ON()); vw-types.c checks that they stay
 * so.
 */
#ifndef VW_GLIB_TYPES_H
#define VW_GLIB_TYPES_H

#if !defined(VOIPWAKE_GLIB_INSIDE) && !defined(VOIPWAKE_GLIB_COMPILATION)
#error "Only <voipwake-glib.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * VwWakeReason:
 * @VW_WAKE_REASON_NONE: no reason was reported
 * @VW_WAKE_REASON_DATA: data arrived on a marked socket
 * @VW_WAKE_REASON_CLOSE: the peer closed a marked connection
 * @VW_WAKE_REASON_ERROR: a marked socket was reset or failed
 * @VW_WAKE_REASON_KEEPALIVE: the app's keep-alive was due
 *
 * Why the module woke the app.
 */
typedef enum {
	VW_WAKE_REASON_NONE = 0,
	VW_WAKE_REASON_DATA = 1,
	VW_WAKE_REASON_CLOSE = 2,
	VW_WAKE_REASON_ERROR = 3,
	VW_WAKE_REASON_KEEPALIVE = 4,
} VwWakeReason;

/**
 * VwWakeOn:
 * @VW_WAKE_ON_DEFAULT: every reason the module knows (none of the bits)
 * @VW_WAKE_ON_DATA: wake the app when data arrives
 * @VW_WAKE_ON_CLOSE: wake it when the peer closes the connection
 * @VW_WAKE_ON_ERROR: wake it on a reset or another socket error
 *
 * What a marked socket wakes its app for: see vw_client_mark_socket().
 */
typedef enum /*< flags >*/ {
	VW_WAKE_ON_DEFAULT = 0,
	VW_WAKE_ON_DATA = 1 << 1,
	VW_WAKE_ON_CLOSE = 1 << 2,
	VW_WAKE_ON_ERROR = 1 << 3,
} VwWakeOn;

/**
 * VwAppState:
 * @VW_APP_STATE_FOREGROUND: the app runs normally
 * @VW_APP_STATE_BACKGROUND: the app is frozen in the background
 * @VW_APP_STATE_AWAKE: the app is in the background but thawed for a wake
 *
 * Where an app stands, as the module sees it.
 */
typedef enum {
	VW_APP_STATE_FOREGROUND = 0,
	VW_APP_STATE_BACKGROUND = 1,
	VW_APP_STATE_AWAKE = 2,
} VwAppState;

GType vw_wake_reason_get_type(void) G_GNUC_CONST;
#define VW_TYPE_WAKE_REASON (vw_wake_reason_get_type())
GType vw_wake_on_get_type(void) G_GNUC_CONST;
#define VW_TYPE_WAKE_ON (vw_wake_on_get_type())
GType vw_app_state_get_type(void) G_GNUC_CONST;
#define VW_TYPE_APP_STATE (vw_app_state_get_type())

/**
 * VwAppStatus:
 * @cgroup_id: the app's cgroup v2 id
 * @state: where it stands
 * @frozen: whether the cgroup freezer reports it frozen
 * @socks: how many of its sockets are marked
 * @wakes_data: wakes for data
 * @wakes_close: wakes for a peer's close
 * @wakes_error: wakes for a reset or socket error
 * @wakes_keepalive: wakes for its keep-alive
 * @frozen_ms: how long it has been frozen in all
 * @keepalive_s: its keep-alive timeout, 0 for none
 * @keepalive_latest_ns: CLOCK_BOOTTIME by which its next keep-alive comes,
 *	0 while none is armed (no timeout, or in the foreground)
 *
 * The caller's own app, as vw_client_get_status() read it. Only the
 * library allocates it (fields may be appended); free it with
 * vw_app_status_free().
 */
typedef struct {
	guint64 cgroup_id;
	VwAppState state;
	gboolean frozen;
	guint socks;
	guint64 wakes_data;
	guint64 wakes_close;
	guint64 wakes_error;
	guint64 wakes_keepalive;
	guint64 frozen_ms;
	guint keepalive_s;
	guint64 keepalive_latest_ns;
} VwAppStatus;

GType vw_app_status_get_type(void) G_GNUC_CONST;
#define VW_TYPE_APP_STATUS (vw_app_status_get_type())
VwAppStatus *vw_app_status_copy(const VwAppStatus *status);
void vw_app_status_free(VwAppStatus *status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(VwAppStatus, vw_app_status_free)

G_END_DECLS

#endif /* VW_GLIB_TYPES_H */
