// SPDX-License-Identifier: GPL-2.0
/*
 * An app's fields as status -j and monitor -j both give them, so that
 * both say the same thing the same way.
 */

#include <inttypes.h>

#include "ctl.h"

/* Plain numbers of struct vw_app_info, in output order. */
static const struct {
	const char *key;
	uint32_t bit;
	size_t offset;
	bool is_u64;
	bool omit;		/* left out, not null, when not reported */
} app_numbers[] = {
	{ "wake_window_ms", VW_APP_HAS_WAKE_WINDOW_MS,
	  offsetof(struct vw_app_info, wake_window_ms), false, false },
	{ "socks", VW_APP_HAS_SOCKS, offsetof(struct vw_app_info, socks),
	  false, false },
	{ "wakes_data", VW_APP_HAS_WAKES_DATA,
	  offsetof(struct vw_app_info, wakes_data), true, false },
	{ "wakes_close", VW_APP_HAS_WAKES_CLOSE,
	  offsetof(struct vw_app_info, wakes_close), true, false },
	{ "wakes_error", VW_APP_HAS_WAKES_ERROR,
	  offsetof(struct vw_app_info, wakes_error), true, false },
	{ "wakes_keepalive", VW_APP_HAS_WAKES_KEEPALIVE,
	  offsetof(struct vw_app_info, wakes_keepalive), true, false },
	{ "frozen_ms", VW_APP_HAS_FROZEN_MS,
	  offsetof(struct vw_app_info, frozen_ms), true, false },
	{ "last_wake_ns", VW_APP_HAS_LAST_WAKE_NS,
	  offsetof(struct vw_app_info, last_wake_ns), true, false },
	{ "freeze_timeouts", VW_APP_HAS_FREEZE_TIMEOUTS,
	  offsetof(struct vw_app_info, freeze_timeouts), false, false },
	{ "wake_seq", VW_APP_HAS_WAKE_SEQ,
	  offsetof(struct vw_app_info, wake_seq), false, false },
	{ "wake_interval_ms", VW_APP_HAS_WAKE_INTERVAL_MS,
	  offsetof(struct vw_app_info, wake_interval_ms), false, false },
	{ "wakes_held", VW_APP_HAS_WAKES_HELD,
	  offsetof(struct vw_app_info, wakes_held), true, false },
	{ "keepalive_s", VW_APP_HAS_KEEPALIVE_S,
	  offsetof(struct vw_app_info, keepalive_s), false, false },
	{ "keepalive_tolerance_pct", VW_APP_HAS_KEEPALIVE_TOLERANCE_PCT,
	  offsetof(struct vw_app_info, keepalive_tolerance_pct), false,
	  false },
	{ "keepalive_budget_ms", VW_APP_HAS_KEEPALIVE_BUDGET_MS,
	  offsetof(struct vw_app_info, keepalive_budget_ms), false, false },
	{ "keepalive_overruns", VW_APP_HAS_KEEPALIVE_OVERRUNS,
	  offsetof(struct vw_app_info, keepalive_overruns), false, false },
	/* Only while a keep-alive is armed: absent is the normal case. */
	{ "keepalive_earliest_ns", VW_APP_HAS_KEEPALIVE_EARLIEST_NS,
	  offsetof(struct vw_app_info, keepalive_earliest_ns), true, true },
	{ "keepalive_latest_ns", VW_APP_HAS_KEEPALIVE_LATEST_NS,
	  offsetof(struct vw_app_info, keepalive_latest_ns), true, true },
	{ "freeze_gate_ms", VW_APP_HAS_FREEZE_GATE_MS,
	  offsetof(struct vw_app_info, freeze_gate_ms), false, false },
	{ "freeze_gate_timeouts", VW_APP_HAS_FREEZE_GATE_TIMEOUTS,
	  offsetof(struct vw_app_info, freeze_gate_timeouts), false, false },
	/* Only while a freeze waits for its marker. */
	{ "freeze_gate_seq", VW_APP_HAS_FREEZE_GATE_SEQ,
	  offsetof(struct vw_app_info, freeze_gate_seq), false, true },
};

/* Everything about @ai but its id, as JSON members; text prints none. */
void ctl_print_app_fields(const struct vw_app_info *ai)
{
	const char *p;
	uint64_t v;
	size_t i;

	if (!print_is_json())
		return;
	print_string("state", NULL, !(ai->present & VW_APP_HAS_STATE) ? NULL :
		     state_name(ai->state) ?: "unknown");
	print_bool("frozen", NULL, ai->present & VW_APP_HAS_FROZEN,
		   ai->frozen);
	print_bool("wake_system", NULL, ai->present & VW_APP_HAS_WAKE_SYSTEM,
		   ai->wake_system);
	for (i = 0; i < ARRAY_SIZE(app_numbers); i++) {
		if (app_numbers[i].omit &&
		    !(ai->present & app_numbers[i].bit))
			continue;
		p = (const char *)ai + app_numbers[i].offset;
		if (app_numbers[i].is_u64)
			v = *(const uint64_t *)p;
		else
			v = *(const uint32_t *)p;
		print_u64(app_numbers[i].key, NULL, NULL,
			  ai->present & app_numbers[i].bit, v);
	}
}
