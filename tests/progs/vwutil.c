// SPDX-License-Identifier: GPL-2.0
#include "vwutil.h"

const char *last_error(const struct vw_client *c)
{
	const char *msg = vw_last_error(c);

	return msg ? msg : "";
}

const char *event_type(uint32_t type)
{
	switch (type) {
	case VOIPWAKE_CMD_APP_WOKEN_NTF:
		return "woken";
	case VOIPWAKE_CMD_APP_FROZEN_NTF:
		return "frozen";
	case VOIPWAKE_CMD_APP_THAWED_NTF:
		return "thawed";
	case VOIPWAKE_CMD_APP_FREEZE_TIMEOUT_NTF:
		return "freeze-timeout";
	case VOIPWAKE_CMD_SOCK_CLOSED_NTF:
		return "sock-closed";
	case VW_EVENT_BACKGROUNDED:
		return "backgrounded";
	case VW_EVENT_FOREGROUNDED:
		return "foregrounded";
	case VW_EVENT_UNMARKED:
		return "unmarked";
	case VW_EVENT_RESYNC:
		return "resync";
	}
	return "unknown";
}

const char *wake_reason(uint32_t reason)
{
	switch (reason) {
	case VOIPWAKE_WAKE_DATA:
		return "data";
	case VOIPWAKE_WAKE_CLOSE:
		return "close";
	case VOIPWAKE_WAKE_ERROR:
		return "error";
	case VOIPWAKE_WAKE_KEEPALIVE:
		return "keepalive";
	}
	return reason ? "unknown" : "none";
}

const char *app_state(uint32_t state)
{
	switch (state) {
	case VOIPWAKE_APP_STATE_FOREGROUND:
		return "fg";
	case VOIPWAKE_APP_STATE_BACKGROUND:
		return "bg";
	case VOIPWAKE_APP_STATE_AWAKE:
		return "awake";
	}
	return "unknown";
}
