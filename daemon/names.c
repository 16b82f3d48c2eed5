// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>

#include <linux/voipwake.h>

#include "names.h"

const char *state_name(uint32_t state)
{
	switch (state) {
	case VOIPWAKE_APP_STATE_FOREGROUND:
		return "foreground";
	case VOIPWAKE_APP_STATE_BACKGROUND:
		return "background";
	case VOIPWAKE_APP_STATE_AWAKE:
		return "awake";
	}
	return NULL;
}

const char *reason_name(uint32_t reason)
{
	static const char *const names[] = {
		[VOIPWAKE_WAKE_DATA] = "data",
		[VOIPWAKE_WAKE_CLOSE] = "close",
		[VOIPWAKE_WAKE_ERROR] = "error",
		[VOIPWAKE_WAKE_KEEPALIVE] = "keepalive",
	};

	return reason < sizeof(names) / sizeof(names[0]) ? names[reason] : NULL;
}
