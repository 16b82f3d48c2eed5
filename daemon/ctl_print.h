/* SPDX-License-Identifier: GPL-2.0 */
/*
 * voipwakectl's output, text and JSON through one code path, as
 * iproute2's print_* functions do: each call names a JSON key and a text
 * format; in JSON mode it adds the member to the object being built
 * (json-c, which writes valid JSON whatever the bytes), in text mode it
 * prints the text form. A subcommand is written once for both.
 */
#ifndef CTL_PRINT_H
#define CTL_PRINT_H

#include <stdbool.h>
#include <stdint.h>

/* Starts the output: a JSON object at the root, or plain text. */
void print_start(bool json);
/* Ends it: prints the JSON (pretty) or nothing. Return: 0, -EIO. */
int print_end(void);
/* For monitor: prints the root object on one line and starts another. */
void print_flush_line(void);
bool print_is_json(void);

/* Text only; JSON ignores it. printf-like. */
void print_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Members: @key in JSON (ignored inside an array), @fmt in text. */
void print_open_object(const char *key);
void print_close_object(void);
void print_open_array(const char *key);
void print_close_array(void);
/* @v NULL: null in JSON, "-" in text. Text strips control bytes. */
void print_string(const char *key, const char *fmt, const char *v);
/* @has false: null in JSON, "-" (formatted as a string by @sfmt) in text. */
void print_u64(const char *key, const char *fmt, const char *sfmt, bool has,
	       uint64_t v);
void print_bool(const char *key, const char *fmt, bool has, bool v);
/* A JSON number, a text string (as "12.5s ago"): both given. */
void print_double(const char *key, double v);

#endif /* CTL_PRINT_H */
