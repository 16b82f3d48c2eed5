/* SPDX-License-Identifier: GPL-2.0 */
/* Numbers as voipwaked's files and voipwakectl's arguments write them. */
#ifndef PARSE_H
#define PARSE_H

#include <stdint.h>

/* Strict decimal: no sign, no spaces, no trailing bytes. 0 or -EINVAL. */
int parse_u32(const char *s, uint32_t *v);

#endif /* PARSE_H */
