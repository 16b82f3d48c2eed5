// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int parse_u32(const char *s, uint32_t *v)
{
	unsigned long long n;
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || *end || n > UINT32_MAX)
		return -EINVAL;
	*v = n;
	return 0;
}

void parse_warn_add(char ***list, size_t *n, const char *file, int line,
		    const char *fmt, va_list ap)
{
	char msg[512], **w;
	int k;

	k = snprintf(msg, sizeof(msg), "%s:%d: ", file, line);
	vsnprintf(msg + k, sizeof(msg) - k, fmt, ap);
	w = realloc(*list, (*n + 1) * sizeof(*w));
	if (!w)
		return;
	*list = w;
	w[*n] = strdup(msg);
	if (w[*n])
		(*n)++;
}
