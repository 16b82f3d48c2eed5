/* SPDX-License-Identifier: GPL-2.0 */
/* The module's states and wake reasons by name, for voipwaked and voipwakectl. */
#ifndef NAMES_H
#define NAMES_H

#include <stdint.h>

/* "foreground", "background", "awake"; NULL for a value not known here. */
const char *state_name(uint32_t state);
/* "data", "close", "error", "keepalive"; NULL for one not known here. */
const char *reason_name(uint32_t reason);

#endif /* NAMES_H */
