/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the test programs that link libvoipwake (vw-app,
 * vw-sock, vw-libtest); util.h holds what every program may use.
 */
#ifndef VW_TEST_VWUTIL_H
#define VW_TEST_VWUTIL_H

#include <stdint.h>
#include <voipwake.h>

/* vw_last_error(), or "" when there is none: always printable. */
const char *last_error(const struct vw_client *c);

/* "woken", "frozen", ..., "resync"; "unknown" for anything else. */
const char *event_type(uint32_t type);

/* "data", "close", "error", "keepalive"; "none" for 0. */
const char *wake_reason(uint32_t reason);

/* "fg", "bg", "awake"; "unknown" for anything else. */
const char *app_state(uint32_t state);

#endif /* VW_TEST_VWUTIL_H */
