/* SPDX-License-Identifier: GPL-2.0 */
/* Names as valid UTF-8, for D-Bus and JSON: see utf8.c. */
#ifndef UTF8_H
#define UTF8_H

#include <stdbool.h>

bool utf8_valid(const char *s);
/* A copy of @s with each byte that is not UTF-8 as U+FFFD; NULL: ENOMEM. */
char *utf8_clean(const char *s);

#endif /* UTF8_H */
