// SPDX-License-Identifier: GPL-2.0
/*
 * An app unit's name to its application ID, by the desktop naming
 * convention (systemd.io/DESKTOP_ENVIRONMENTS), as launchers, Flatpak and
 * xdg-desktop-portal use it:
 *
 *   app-[LAUNCHER-]ID-RANDOM.scope
 *   app-[LAUNCHER-]ID[@RANDOM|-RANDOM|-autostart].service
 *
 * LAUNCHER is alphanumeric ("gnome", "KDE", "flatpak"); ID is escaped as
 * systemd escapes unit names ("\x2d" for a dash in it).
 *
 * This is the agent's only knowledge of the convention. voipwaked's
 * app-identity module (daemon/appid.c) is to replace it: the agent calls
 * nothing else of it.
 */

#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "session.h"

static bool all_alnum(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]))
			return false;
	return true;
}

static bool all_digits(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return len > 0;
}

static bool has_suffix(const char *s, size_t len, const char *suffix,
		       size_t *stem)
{
	size_t n = strlen(suffix);

	if (len <= n || memcmp(s + len - n, suffix, n))
		return false;
	*stem = len - n;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Undoes systemd's "\xNN" escapes of @len bytes of @s into @out. */
static int unescape(const char *s, size_t len, char *out, size_t outlen)
{
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\\') {
			if (i + 3 >= len)
				return -EINVAL;
			if (s[i + 1] != 'x' || (hi = hexval(s[i + 2])) < 0 ||
			    (lo = hexval(s[i + 3])) < 0 || !(hi | lo))
				return -EINVAL;
			c = hi << 4 | lo;
			i += 3;
		}
		if (o + 1 >= outlen)
			return -ENAMETOOLONG;
		out[o++] = c;
	}
	out[o] = '\0';
	return o ? 0 : -EINVAL;
}

int sess_unit_app_id(const char *unit, char *id, size_t len)
{
	size_t n = strlen(unit), end, w;
	const char *body, *dash, *at;
	bool scope;

	if (strncmp(unit, "app-", 4))
		return -EINVAL;
	if (has_suffix(unit, n, ".scope", &end))
		scope = true;
	else if (has_suffix(unit, n, ".service", &end))
		scope = false;
	else
		return -EINVAL;
	body = unit + 4;
	end -= 4;

	at = memchr(body, '@', end);
	if (!scope && at) {
		end = at - body;
	} else {
		/* The last dash-separated word: RANDOM, or autostart. */
		dash = memrchr(body, '-', end);
		w = dash ? body + end - (dash + 1) : 0;
		if (dash && (scope ? all_alnum(dash + 1, w) :
			     all_digits(dash + 1, w) ||
			     (w == 9 && !memcmp(dash + 1, "autostart", 9))))
			end = dash - body;
		else if (scope)
			return -EINVAL;		/* a scope has its RANDOM */
	}
	/* The launcher: an alphanumeric word before a dash, if any. */
	dash = memchr(body, '-', end);
	if (dash && dash > body && all_alnum(body, dash - body) &&
	    dash + 1 < body + end) {
		end -= dash + 1 - body;
		body = dash + 1;
	}
	if (!end)
		return -EINVAL;
	return unescape(body, end, id, len);
}
