// SPDX-License-Identifier: GPL-2.0
/*
 * vw-json PATH [FILE]: parses FILE (default stdin) as JSON with json-c and
 * prints the value at PATH, a dot-separated walk of object keys and array
 * indices ("apps.0.name", "daemon.pid"); "#" as the last step prints an
 * array's length. Strings print bare, null as "null". Exits 1 if the input
 * is not JSON or PATH is not in it, so that a scenario reads back what
 * voipwakectl printed through a real parser and not through grep.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

static int fail(const char *what, const char *detail)
{
	fprintf(stderr, "vw-json: %s: %s\n", what, detail);
	return 1;
}

int main(int argc, char *argv[])
{
	struct json_object *v, *next;
	char *path, *step, *save, *end;
	const char *file;
	long idx;

	if (argc < 2 || argc > 3)
		return fail("usage", "vw-json PATH [FILE]");
	file = argc == 3 ? argv[2] : "/dev/stdin";
	v = json_object_from_file(file);
	if (!v)
		return fail(file, json_util_get_last_err() ?: "not JSON");
	path = strdup(argv[1]);
	for (step = strtok_r(path, ".", &save); step;
	     step = strtok_r(NULL, ".", &save)) {
		if (!strcmp(step, "#") && json_object_is_type(v, json_type_array)) {
			printf("%zu\n", json_object_array_length(v));
			return 0;
		}
		if (json_object_is_type(v, json_type_array)) {
			idx = strtol(step, &end, 10);
			if (*end || idx < 0 ||
			    (size_t)idx >= json_object_array_length(v))
				return fail(argv[1], "no such index");
			v = json_object_array_get_idx(v, idx);
		} else if (json_object_object_get_ex(v, step, &next)) {
			v = next;
		} else {
			return fail(argv[1], "no such key");
		}
	}
	if (json_object_is_type(v, json_type_string))
		puts(json_object_get_string(v));
	else
		puts(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	return 0;
}
