/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VOIPWAKE_PARAMS_H
#define _VOIPWAKE_PARAMS_H

/*
 * Module parameters are writable at run time through sysfs, so every reader
 * takes a snapshot with these accessors instead of touching the variables.
 */
/* Bounds of a wake window, module-wide or per app. */
#define VW_WINDOW_MIN_MS	100
#define VW_WINDOW_MAX_MS	600000

unsigned int vw_param_wake_window_ms(void);
unsigned int vw_param_wake_window_max_ms(void);
unsigned int vw_param_max_socks_per_app(void);
unsigned int vw_param_freeze_timeout_ms(void);
unsigned int vw_param_min_keepalive_s(void);
unsigned int vw_param_keepalive_tolerance_pct(void);
unsigned int vw_param_keepalive_budget_ms(void);

bool vw_param_wake_system_default(void);

#endif /* _VOIPWAKE_PARAMS_H */
