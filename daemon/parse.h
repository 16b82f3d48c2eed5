/* SPDX-License-Identifier: GPL-2.0 */
/* Numbers as voipwaked's files and voipwakectl's arguments write them. */
#ifndef PARSE_H
#define PARSE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Strict decimal: no sign, no spaces, no trailing bytes. 0 or -EINVAL. */
int parse_u32(const char *s, uint32_t *v);

/*
 * Appends "FILE:LINE: message" to a list of strings, for what a
 * configuration says and goes on without; nothing if memory runs out.
 */
void parse_warn_add(char ***list, size_t *n, const char *file, int line,
		    const char *fmt, va_list ap);

#endif /* PARSE_H */
