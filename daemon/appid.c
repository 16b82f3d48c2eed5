// SPDX-License-Identifier: GPL-2.0
/*
 * App identity from systemd's unit names: see appid.h for the naming
 * convention this follows, and what a name matches.
 */

#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appid.h"

static bool has_suffix(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len > n && !memcmp(s + len - n, suffix, n);
}

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

static bool unit_suffix(const char *s, size_t len, size_t *stem)
{
	if (has_suffix(s, len, ".service")) {
		*stem = len - strlen(".service");
		return true;
	}
	if (has_suffix(s, len, ".scope")) {
		*stem = len - strlen(".scope");
		return true;
	}
	return false;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "\xNN" back into its byte; any other backslash is malformed. */
static int unescape(const char *in, size_t len, char *out, size_t outlen)
{
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < len; i++) {
		if (o + 1 >= outlen)
			return -ENAMETOOLONG;
		if (in[i] != '\\') {
			out[o++] = in[i];
			continue;
		}
		if (i + 3 >= len)
			return -EINVAL;
		/* A NUL would cut the name short where no one sees it. */
		if (in[i + 1] != 'x' || (hi = hexval(in[i + 2])) < 0 ||
		    (lo = hexval(in[i + 3])) < 0 || !(hi | lo))
			return -EINVAL;
		out[o++] = (char)(hi << 4 | lo);
		i += 3;
	}
	out[o] = '\0';
	return 0;
}

int appid_escape(const char *in, char *out, size_t len)
{
	size_t o = 0;
	const char *p;
	int n;

	for (p = in; *p; p++) {
		unsigned char c = *p;

		if (isalnum(c) || c == ':' || c == '_' ||
		    (c == '.' && p != in)) {
			if (o + 1 >= len)
				return -ENAMETOOLONG;
			out[o++] = c;
			continue;
		}
		n = snprintf(out + o, len - o, "\\x%02x", c);
		if (n < 0 || (size_t)n >= len - o)
			return -ENAMETOOLONG;
		o += n;
	}
	if (o >= len)
		return -ENAMETOOLONG;
	out[o] = '\0';
	return 0;
}

/*
 * The part between "app-" and the unit's own suffix: [LAUNCHER-]ID, with
 * a D-Bus activated app's bus name skipped.
 */
static int parse_app_body(const char *body, size_t len, struct appid *out)
{
	const char *d1 = memchr(body, '-', len), *d2, *id = body;
	size_t idlen = len;
	int ret;

	if (d1) {
		ret = unescape(body, d1 - body, out->launcher,
			       sizeof(out->launcher));
		if (ret)
			return ret;
		id = d1 + 1;
		idlen = body + len - id;
		d2 = memchr(id, '-', idlen);
		if (d2) {
			/* Only app-dbus-:BUS-ID has a third part. */
			if (strcmp(out->launcher, "dbus") || id[0] != ':')
				return -EINVAL;
			id = d2 + 1;
			idlen = body + len - id;
			if (memchr(id, '-', idlen))
				return -EINVAL;
		}
		if (d1 == body)
			return -EINVAL;
	}
	if (!idlen)
		return -EINVAL;
	ret = unescape(id, idlen, out->id, sizeof(out->id));
	if (ret)
		return ret;
	out->flatpak = !strcmp(out->launcher, "flatpak");
	return 0;
}

int appid_from_unit(const char *unit, struct appid *out)
{
	size_t len = strlen(unit), stem;
	const char *body, *end;
	bool scope;

	memset(out, 0, sizeof(*out));
	out->uid = APPID_NO_UID;
	if (len >= sizeof(out->unit))
		return -ENAMETOOLONG;
	if (!unit_suffix(unit, len, &stem))
		return -EINVAL;
	memcpy(out->unit, unit, len + 1);
	if (strncmp(unit, "app-", 4))
		return 0;

	scope = has_suffix(unit, len, ".scope");
	body = unit + 4;
	end = unit + stem;
	if (scope) {
		/* The instance is the last "-RANDOM", alphanumeric. */
		while (end > body && end[-1] != '-')
			end--;
		if (end == body || end == unit + stem ||
		    !all_alnum(end, unit + stem - end))
			goto bad;
		end--;
	} else {
		const char *at = memchr(body, '@', end - body);
		const char *dash = memrchr(body, '-', end - body);

		/*
		 * "@RANDOM", or a last "-RANDOM" of digits (GNOME's
		 * launcher), or "-autostart" (an XDG autostart entry).
		 */
		if (at)
			end = at;
		else if (dash && (all_digits(dash + 1, end - dash - 1) ||
				  (end - dash - 1 == 9 &&
				   !memcmp(dash + 1, "autostart", 9))))
			end = dash;
	}
	if (end <= body || parse_app_body(body, end - body, out))
		goto bad;
	return 0;
bad:
	out->id[0] = out->launcher[0] = '\0';
	out->flatpak = false;
	return -EINVAL;
}

/* "user@1000.service" gives 1000. */
static bool user_manager(const char *c, size_t len, uid_t *uid)
{
	char buf[32], *end;
	unsigned long n;

	if (len >= sizeof(buf) || len < 14 || strncmp(c, "user@", 5) ||
	    !has_suffix(c, len, ".service"))
		return false;
	memcpy(buf, c + 5, len - 5 - 8);
	buf[len - 5 - 8] = '\0';
	if (!isdigit((unsigned char)buf[0]))
		return false;
	errno = 0;
	n = strtoul(buf, &end, 10);
	if (errno || *end || n >= APPID_NO_UID)
		return false;
	*uid = n;
	return true;
}

int appid_from_cgroup(const char *path, struct appid *out)
{
	const char *p = path, *c, *unit = NULL;
	size_t len, unit_len = 0, stem;
	uid_t uid = APPID_NO_UID, mgr = APPID_NO_UID, u;
	char name[APPID_UNIT_MAX];
	int ret;

	memset(out, 0, sizeof(*out));
	out->uid = APPID_NO_UID;
	while (*p) {
		while (*p == '/')
			p++;
		c = p;
		while (*p && *p != '/')
			p++;
		len = p - c;
		if (!len || !unit_suffix(c, len, &stem))
			continue;
		/* A unit under a user manager is that user's. */
		uid = mgr;
		if (user_manager(c, len, &u))
			mgr = u;
		unit = c;
		unit_len = len;
	}
	if (!unit)
		return -ENOENT;
	if (unit_len >= sizeof(name))
		return -ENAMETOOLONG;
	memcpy(name, unit, unit_len);
	name[unit_len] = '\0';
	ret = appid_from_unit(name, out);
	out->uid = uid;
	return ret;
}

int appid_from_pid(pid_t pid, struct appid *out)
{
	char path[64], *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int ret = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? -ESRCH : -errno;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (strncmp(line, "0::", 3))
			continue;
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		ret = appid_from_cgroup(line + 3, out);
		break;
	}
	free(line);
	fclose(f);
	return ret;
}

bool appid_is_unit_name(const char *name)
{
	size_t stem;

	return unit_suffix(name, strlen(name), &stem);
}

bool appid_matches(const struct appid *a, const char *name)
{
	size_t len = strlen(name), stem, ulen;
	const char *at;

	if (!unit_suffix(name, len, &stem))
		return a->id[0] && !strcmp(a->id, name);
	if (!strcmp(a->unit, name))
		return true;
	/* "foo@.service" matches "foo@X.service". */
	at = memchr(name, '@', stem);
	if (!at || at + 1 != name + stem)
		return false;
	ulen = strlen(a->unit);
	return ulen > len && !strncmp(a->unit, name, at + 1 - name) &&
	       !strcmp(a->unit + ulen - (len - stem), name + stem);
}

bool appid_name_valid(const char *name)
{
	size_t len = strlen(name), stem, i;
	const char *at;

	if (!len || len >= APPID_UNIT_MAX || name[0] == '.' ||
	    name[0] == '-')
		return false;
	if (!unit_suffix(name, len, &stem)) {
		for (i = 0; i < len; i++)
			if (!isalnum((unsigned char)name[i]) &&
			    !strchr("._-", name[i]))
				return false;
		return true;
	}
	for (i = 0; i < stem; i++)
		if (!isalnum((unsigned char)name[i]) &&
		    !strchr(":_.\\-@", name[i]))
			return false;
	at = memchr(name, '@', stem);
	return !at || (at != name && !memchr(at + 1, '@', name + stem - at - 1));
}
