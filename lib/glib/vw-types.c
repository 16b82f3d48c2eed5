// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * The enumerations and VwAppStatus. Their values are libvoipwake's, so
 * that they pass through unchanged: checked here, at build time (as
 * ints: they are enumerations of different types).
 */

#include "vw-private.h"

G_STATIC_ASSERT((int)VW_WAKE_REASON_DATA == (int)VOIPWAKE_WAKE_DATA);
G_STATIC_ASSERT((int)VW_WAKE_REASON_CLOSE == (int)VOIPWAKE_WAKE_CLOSE);
G_STATIC_ASSERT((int)VW_WAKE_REASON_ERROR == (int)VOIPWAKE_WAKE_ERROR);
G_STATIC_ASSERT((int)VW_WAKE_REASON_KEEPALIVE == (int)VOIPWAKE_WAKE_KEEPALIVE);
G_STATIC_ASSERT((int)VW_WAKE_REASON_KEEPALIVE == (int)VOIPWAKE_WAKE_MAX);
G_STATIC_ASSERT(VW_WAKE_ON_DATA == VW_WAKE_ON(VOIPWAKE_WAKE_DATA));
G_STATIC_ASSERT(VW_WAKE_ON_CLOSE == VW_WAKE_ON(VOIPWAKE_WAKE_CLOSE));
G_STATIC_ASSERT(VW_WAKE_ON_ERROR == VW_WAKE_ON(VOIPWAKE_WAKE_ERROR));
G_STATIC_ASSERT((int)VW_APP_STATE_FOREGROUND == (int)VOIPWAKE_APP_STATE_FOREGROUND);
G_STATIC_ASSERT((int)VW_APP_STATE_BACKGROUND == (int)VOIPWAKE_APP_STATE_BACKGROUND);
G_STATIC_ASSERT((int)VW_APP_STATE_AWAKE == (int)VOIPWAKE_APP_STATE_AWAKE);

G_DEFINE_ENUM_TYPE(VwWakeReason, vw_wake_reason,
	G_DEFINE_ENUM_VALUE(VW_WAKE_REASON_NONE, "none"),
	G_DEFINE_ENUM_VALUE(VW_WAKE_REASON_DATA, "data"),
	G_DEFINE_ENUM_VALUE(VW_WAKE_REASON_CLOSE, "close"),
	G_DEFINE_ENUM_VALUE(VW_WAKE_REASON_ERROR, "error"),
	G_DEFINE_ENUM_VALUE(VW_WAKE_REASON_KEEPALIVE, "keepalive"))

G_DEFINE_FLAGS_TYPE(VwWakeOn, vw_wake_on,
	G_DEFINE_ENUM_VALUE(VW_WAKE_ON_DEFAULT, "default"),
	G_DEFINE_ENUM_VALUE(VW_WAKE_ON_DATA, "data"),
	G_DEFINE_ENUM_VALUE(VW_WAKE_ON_CLOSE, "close"),
	G_DEFINE_ENUM_VALUE(VW_WAKE_ON_ERROR, "error"))

G_DEFINE_ENUM_TYPE(VwAppState, vw_app_state,
	G_DEFINE_ENUM_VALUE(VW_APP_STATE_FOREGROUND, "foreground"),
	G_DEFINE_ENUM_VALUE(VW_APP_STATE_BACKGROUND, "background"),
	G_DEFINE_ENUM_VALUE(VW_APP_STATE_AWAKE, "awake"))

G_DEFINE_BOXED_TYPE(VwAppStatus, vw_app_status, vw_app_status_copy,
		    vw_app_status_free)

/**
 * vw_app_status_copy:
 * @status: a #VwAppStatus
 *
 * Returns: (transfer full): a copy of @status
 */
VwAppStatus *vw_app_status_copy(const VwAppStatus *status)
{
	return g_memdup2(status, sizeof(*status));
}

/**
 * vw_app_status_free:
 * @status: (transfer full) (nullable): a #VwAppStatus
 *
 * Frees @status.
 */
void vw_app_status_free(VwAppStatus *status)
{
	g_free(status);
}

/* From libvoipwake's structure: what was not reported stays 0. */
VwAppStatus *vw_app_status_new_from(const struct vw_app_info *ai)
{
	VwAppStatus *st = g_new0(VwAppStatus, 1);

	st->cgroup_id = ai->cgroup_id;
	st->state = (VwAppState)ai->state;
	st->frozen = ai->frozen != 0;
	st->socks = ai->socks;
	st->wakes_data = ai->wakes_data;
	st->wakes_close = ai->wakes_close;
	st->wakes_error = ai->wakes_error;
	st->wakes_keepalive = ai->wakes_keepalive;
	st->frozen_ms = ai->frozen_ms;
	st->keepalive_s = ai->keepalive_s;
	if (ai->present & VW_APP_HAS_KEEPALIVE_LATEST_NS)
		st->keepalive_latest_ns = ai->keepalive_latest_ns;
	return st;
}
