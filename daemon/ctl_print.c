// SPDX-License-Identifier: GPL-2.0
/*
 * Text and JSON through one code path: see ctl_print.h. JSON objects are
 * built with json-c on a small stack of open containers and written when
 * done; strings are made valid UTF-8 first (utf8.h: a cgroup or unit
 * name is any bytes), so that non-ASCII names stay readable and the
 * output valid.
 */

#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "ctl_print.h"
#include "utf8.h"

#define DEPTH	8

static bool json;
static json_object *stack[DEPTH];
static int top = -1;
static bool lines;

bool print_is_json(void)
{
	return json;
}

void print_start(bool as_json)
{
	json = as_json;
	top = -1;
	lines = false;
	/*
	 * json-c's default string hash is seeded from getrandom(), which
	 * blocks until the kernel's random pool is ready: seconds after
	 * boot in a VM. Our keys are our own, so hash flooding is no
	 * concern: the unseeded hash.
	 */
	if (json)
		json_global_set_string_hash(JSON_C_STR_HASH_PERLLIKE);
	if (json)
		stack[++top] = json_object_new_object();
}

/* A member with no key outside an array is text only. */
static void add(const char *key, json_object *v)
{
	json_object *cur = stack[top];

	if (json_object_is_type(cur, json_type_array))
		json_object_array_add(cur, v);
	else if (key)
		json_object_object_add(cur, key, v);
	else
		json_object_put(v);
}

static void dump(int flags)
{
	const char *s;

	if (!json || top < 0)
		return;
	s = json_object_to_json_string_ext(stack[0], flags |
					   JSON_C_TO_STRING_NOSLASHESCAPE);
	fputs(s, stdout);
	fputc('\n', stdout);
	json_object_put(stack[0]);
	top = -1;
}

static const char *plain(json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
}

/*
 * The root object one member a line, and each element of an array one
 * line too: an app or a socket per line, as voipwakectl always wrote it,
 * so that a line-oriented tool (grep) still finds an app's fields
 * together. Every value is json-c's own writing.
 */
static void dump_root(void)
{
	const char *sep = "";
	json_object *k;
	size_t i, n;

	fputs("{\n", stdout);
	json_object_object_foreach(stack[0], key, v) {
		k = json_object_new_string(key);
		fprintf(stdout, "%s\t%s: ", sep, plain(k));
		json_object_put(k);
		sep = ",\n";
		if (!json_object_is_type(v, json_type_array)) {
			fputs(plain(v), stdout);
			continue;
		}
		n = json_object_array_length(v);
		fputs(n ? "[\n" : "[", stdout);
		for (i = 0; i < n; i++)
			fprintf(stdout, "\t\t%s%s\n",
				plain(json_object_array_get_idx(v, i)),
				i + 1 < n ? "," : "");
		fputs(n ? "\t]" : "]", stdout);
	}
	fputs("\n}\n", stdout);
}

int print_end(void)
{
	if (json && top >= 0) {
		/* After print_flush_line(), what is left is an empty line's. */
		if (!lines)
			dump_root();
		json_object_put(stack[0]);
		top = -1;
	}
	return ferror(stdout) ? -EIO : 0;
}

void print_flush_line(void)
{
	lines = true;
	dump(JSON_C_TO_STRING_SPACED);
	if (json)
		stack[++top] = json_object_new_object();
	fflush(stdout);
}

void print_text(const char *fmt, ...)
{
	va_list ap;

	if (json)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

static void open_container(const char *key, json_object *o)
{
	if (!json)
		return;
	if (top + 1 >= DEPTH) {
		json_object_put(o);
		return;
	}
	add(key, o);
	stack[++top] = o;
}

void print_open_object(const char *key)
{
	if (json)
		open_container(key, json_object_new_object());
}

void print_open_array(const char *key)
{
	if (json)
		open_container(key, json_object_new_array());
}

void print_close_object(void)
{
	if (json && top > 0)
		top--;
}

void print_close_array(void)
{
	print_close_object();
}

/* For a terminal: printable ASCII and valid UTF-8, '?' for the rest. */
static char *text_clean(const char *s)
{
	char *c = utf8_clean(s), *p;

	for (p = c; p && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return c;
}

void print_string(const char *key, const char *fmt, const char *v)
{
	char *c;

	if (!json) {
		if (!fmt)
			return;
		c = v ? text_clean(v) : NULL;
		printf(fmt, c ? c : "-");
		free(c);
		return;
	}
	if (!v) {
		add(key, NULL);
		return;
	}
	c = utf8_clean(v);
	add(key, c ? json_object_new_string(c) : NULL);
	free(c);
}

void print_u64(const char *key, const char *fmt, const char *sfmt, bool has,
	       uint64_t v)
{
	if (json)
		add(key, has ? json_object_new_uint64(v) : NULL);
	else if (has && fmt)
		printf(fmt, v);
	else if (sfmt)
		printf(sfmt, "-");
}

void print_bool(const char *key, const char *fmt, bool has, bool v)
{
	if (json)
		add(key, has ? json_object_new_boolean(v) : NULL);
	else if (fmt)
		printf(fmt, !has ? "-" : v ? "yes" : "no");
}

void print_double(const char *key, double v)
{
	if (json)
		add(key, json_object_new_double(v));
}
