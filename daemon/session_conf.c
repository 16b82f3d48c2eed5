// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing voipwake-session's configuration with inih. A file is read whole
 * into a copy of what the files before it gave, and kept only if every
 * line of it was right: a bad file is refused with its line, and the
 * running configuration stays.
 */

#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "parse.h"
#include "session.h"
#include "session_conf.h"

struct parse {
	struct sess_conf *conf;
	unsigned int seen;		/* single-valued keys given, as bits */
	char msg[512];			/* the first error only */
	const char *path;
	FILE *f;
	int line;			/* of the line inih last read */
	int newlines;			/* read so far */
};

enum { SEEN_DELAY = 1, SEEN_FREEZE_ALL = 2 };

static int bad(struct parse *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int bad(struct parse *p, const char *fmt, ...)
{
	va_list ap;

	if (p->msg[0])
		return 0;
	va_start(ap, fmt);
	vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
	va_end(ap);
	return 0;
}

bool sess_id_valid(const char *id)
{
	size_t i, len = strlen(id);

	if (!len || len > SESS_ID_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!isgraph((unsigned char)id[i]))
			return false;
	return true;
}

bool sess_conf_has(const struct sess_idlist *l, const char *id)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->ids[i], id))
			return true;
	return false;
}

static void list_clear(struct sess_idlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->ids[i]);
	free(l->ids);
	l->ids = NULL;
	l->n = 0;
}

static int list_add(struct sess_idlist *l, const char *id)
{
	char **ids;

	if (sess_conf_has(l, id))
		return 0;
	ids = realloc(l->ids, (l->n + 1) * sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	l->ids = ids;
	l->ids[l->n] = strdup(id);
	if (!l->ids[l->n])
		return -ENOMEM;
	l->n++;
	return 0;
}

static int list_copy(struct sess_idlist *to, const struct sess_idlist *from)
{
	size_t i;

	for (i = 0; i < from->n; i++)
		if (list_add(to, from->ids[i]))
			return -ENOMEM;
	return 0;
}

const struct sess_rules *sess_conf_rules(const struct sess_conf *c,
					 const char *id)
{
	size_t i;

	for (i = 0; i < c->nmarks; i++)
		if (!strcmp(c->marks[i].id, id))
			return c->marks[i].n ? &c->marks[i] : NULL;
	return NULL;
}

static struct sess_rules *rules_get(struct sess_conf *c, const char *id)
{
	struct sess_rules *m;
	size_t i;

	for (i = 0; i < c->nmarks; i++)
		if (!strcmp(c->marks[i].id, id))
			return &c->marks[i];
	m = realloc(c->marks, (c->nmarks + 1) * sizeof(*m));
	if (!m)
		return NULL;
	c->marks = m;
	m = &c->marks[c->nmarks];
	memset(m, 0, sizeof(*m));
	m->id = strdup(id);
	if (!m->id)
		return NULL;
	c->nmarks++;
	return m;
}

static void rules_clear(struct sess_conf *c)
{
	size_t i;

	for (i = 0; i < c->nmarks; i++)
		free(c->marks[i].id);
	free(c->marks);
	c->marks = NULL;
	c->nmarks = 0;
}

static int rules_copy(struct sess_conf *to, const struct sess_conf *from)
{
	struct sess_rules *m;
	size_t i;

	for (i = 0; i < from->nmarks; i++) {
		m = rules_get(to, from->marks[i].id);
		if (!m)
			return -ENOMEM;
		memcpy(m->rules, from->marks[i].rules, sizeof(m->rules));
		m->n = from->marks[i].n;
	}
	return 0;
}

static void warn(struct parse *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Said, and the configuration goes on without what it is about. */
static void warn(struct parse *p, const char *fmt, ...)
{
	struct sess_idlist *w = &p->conf->warnings;
	va_list ap;

	va_start(ap, fmt);
	parse_warn_add(&w->ids, &w->n, p->path, p->line, fmt, ap);
	va_end(ap);
}

/*
 * "ID RULE...": the rules add to the app's; "ID" alone empties them. A
 * bad rule is left out alone, and the rest of the file stays in force.
 */
static int mark_sockets(struct parse *p, const char *val)
{
	char *copy = strdup(val), *tok, *save = NULL, why[160];
	struct sess_rules *m = NULL;
	struct rule r;
	int ret = 1;

	if (!copy)
		return bad(p, "out of memory");
	tok = strtok_r(copy, " \t", &save);
	/* An app ID has no ':', a rule always has: the ID was left out. */
	if (!tok || !sess_id_valid(tok) || strchr(tok, ':')) {
		ret = bad(p, "MarkSockets must be an app ID and its rules (as org.example.Phone tcp:5060 udp:local:5060), not '%s'",
			  val);
		goto out;
	}
	m = rules_get(p->conf, tok);
	if (!m) {
		ret = bad(p, "out of memory");
		goto out;
	}
	if (!(tok = strtok_r(NULL, " \t", &save)))
		m->n = 0;
	for (; tok; tok = strtok_r(NULL, " \t", &save)) {
		if (rule_parse(tok, &r, why, sizeof(why))) {
			warn(p, "MarkSockets: rule '%s' of %s ignored: %s", tok,
			     m->id, why);
			continue;
		}
		if (m->n == SESS_RULES_MAX) {
			warn(p, "MarkSockets: rule '%s' of %s ignored: an app has at most %d rules",
			     tok, m->id, SESS_RULES_MAX);
			continue;
		}
		m->rules[m->n++] = r;
	}
out:
	free(copy);
	return ret;
}

/* fgets() for inih, counting lines: the warnings name theirs. */
static char *read_line(char *buf, int len, void *arg)
{
	struct parse *p = arg;
	char *s = fgets(buf, len, p->f);

	p->line = p->newlines + 1;
	if (s && strchr(s, '\n'))
		p->newlines++;
	return s;
}

/* White-space separated app IDs; an empty value empties the list. */
static int id_list(struct parse *p, const char *key, const char *val,
		   struct sess_idlist *l)
{
	char *copy, *tok, *save = NULL;
	int ret = 1;

	if (!val[0]) {
		list_clear(l);
		return 1;
	}
	copy = strdup(val);
	if (!copy)
		return bad(p, "out of memory");
	for (tok = strtok_r(copy, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		if (!sess_id_valid(tok)) {
			ret = bad(p, "%s: '%s' is not an app ID (1 to %d printable characters)",
				  key, tok, SESS_ID_MAX);
			break;
		}
		if (list_add(l, tok)) {
			ret = bad(p, "out of memory");
			break;
		}
	}
	free(copy);
	return ret;
}

/*
 * A time span as systemd's *Sec= keys take it: a whole number of seconds,
 * or a number with one of the units ms, s, min, h.
 */
static int timespan(struct parse *p, const char *key, const char *val,
		    uint64_t *us)
{
	static const struct { const char *unit; uint64_t us; } units[] = {
		{ "", 1000000 }, { "s", 1000000 }, { "ms", 1000 },
		{ "min", 60000000 }, { "h", 3600000000ULL },
	};
	unsigned long long n;
	char *end;
	size_t i;

	if (!isdigit((unsigned char)val[0]))
		goto out;
	errno = 0;
	n = strtoull(val, &end, 10);
	if (errno)
		goto out;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit))
			continue;
		if (n > SESS_DELAY_MAX_US / units[i].us)
			goto out;
		*us = n * units[i].us;
		return 1;
	}
out:
	return bad(p, "%s must be a time span from 0 to 1h (as 10, 10s, 500ms, 2min), not '%s'",
		   key, val);
}

static int boolean(struct parse *p, const char *key, const char *val,
		   bool *v)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (!strcasecmp(val, yes[i]) || !strcasecmp(val, no[i])) {
			*v = !strcasecmp(val, yes[i]);
			return 1;
		}
	}
	return bad(p, "%s must be yes or no, not '%s'", key, val);
}

static int once(struct parse *p, const char *key, unsigned int bit)
{
	if (p->seen & bit)
		return bad(p, "%s is given twice", key);
	p->seen |= bit;
	return 1;
}

static int handler(void *user, const char *section, const char *key,
		   const char *val)
{
	struct parse *p = user;
	struct sess_conf *c = p->conf;

	if (strcmp(section, "Session"))
		return bad(p, "unknown section [%s]: the file has only [Session]",
			   section);
	if (!strcmp(key, "BackgroundDelaySec"))
		return once(p, key, SEEN_DELAY) &&
		       timespan(p, key, val, &c->delay_us);
	if (!strcmp(key, "FreezeAll"))
		return once(p, key, SEEN_FREEZE_ALL) &&
		       boolean(p, key, val, &c->freeze_all);
	if (!strcmp(key, "Apps"))
		return id_list(p, key, val, &c->apps);
	if (!strcmp(key, "ExemptApps"))
		return id_list(p, key, val, &c->exempt);
	if (!strcmp(key, "MarkSockets"))
		return mark_sockets(p, val);
	return bad(p, "unknown key '%s' in [Session]", key);
}

static struct sess_conf *conf_copy(const struct sess_conf *from)
{
	struct sess_conf *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->delay_us = from ? from->delay_us : SESS_DELAY_DEF_US;
	c->freeze_all = from && from->freeze_all;
	if (from && (list_copy(&c->apps, &from->apps) ||
		     list_copy(&c->exempt, &from->exempt) ||
		     list_copy(&c->warnings, &from->warnings) ||
		     rules_copy(c, from))) {
		sess_conf_free(c);
		return NULL;
	}
	return c;
}

/* On top of *@conf: a new *@conf on success, the old one on failure. */
static int parse_file(const char *path, struct sess_conf **conf, char *err,
		      size_t errlen)
{
	struct parse p = { .conf = conf_copy(*conf) };
	FILE *f;
	int line;

	if (!p.conf) {
		snprintf(err, errlen, "%s: %s", path, strerror(ENOMEM));
		return -ENOMEM;
	}
	f = fopen(path, "re");
	if (!f) {
		sess_conf_free(p.conf);
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	p.path = path;
	p.f = f;
	line = ini_parse_stream(read_line, &p, handler, &p);
	fclose(f);
	if (line) {
		if (line < 0)
			snprintf(err, errlen, "%s: %s", path, strerror(ENOMEM));
		else
			snprintf(err, errlen, "%s:%d: %s", path, line,
				 p.msg[0] ? p.msg : "syntax error");
		sess_conf_free(p.conf);
		return -EINVAL;
	}
	sess_conf_free(*conf);
	*conf = p.conf;
	return 0;
}

int sess_conf_load(const char *const *files, size_t n, struct sess_conf **out,
		   char *err, size_t errlen)
{
	struct sess_conf *conf = conf_copy(NULL);
	size_t i;
	int ret;

	*out = NULL;
	if (!conf) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		ret = parse_file(files[i], &conf, err, errlen);
		if (ret) {
			sess_conf_free(conf);
			return ret;
		}
	}
	*out = conf;
	return 0;
}

void sess_conf_free(struct sess_conf *conf)
{
	if (!conf)
		return;
	list_clear(&conf->apps);
	list_clear(&conf->exempt);
	list_clear(&conf->warnings);
	rules_clear(conf);
	free(conf);
}
