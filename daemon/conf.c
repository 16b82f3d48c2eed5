// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing voipwaked's configuration with inih. Every value is checked as
 * it is read, against the bounds the module itself enforces, so that a bad
 * file is refused with its line here and never half-applied later.
 */

#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>
#include <linux/voipwake.h>

#include "conf.h"
#include "parse.h"

/* The module's own bounds (include/uapi/linux/voipwake.h, params.c). */
#define WINDOW_MIN_MS	100
#define WINDOW_MAX_MS	600000

/* Defaults: Documentation/admin-guide.rst says why these. */
#define DEF_BUDGET_WAKES	60
#define DEF_BUDGET_PERIOD_S	3600
#define DEF_STARTUP_S		10
#define DEF_RESTART_MAX_S	300
#define DEF_RESTART_RESET_S	600

enum { K_MAX = 32 };	/* keys per file, for "given twice" */

struct parse {
	struct conf *conf;
	struct conf_app *app;	/* NULL: voipwaked.conf */
	const char *file;
	const char *seen[K_MAX];
	int nseen;
	char *err;			/* the first error only */
	size_t errlen;
	FILE *f;
	int line;			/* of the line inih last read */
	int newlines;			/* read so far */
};

static int bad(struct parse *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int bad(struct parse *p, const char *fmt, ...)
{
	va_list ap;

	if (p->err[0])
		return 0;
	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
	return 0;
}

/* 0, or lo..hi: the form every "0 means the default" setting takes. */
static int zero_or(struct parse *p, const char *key, const char *s,
		   uint32_t lo, uint32_t hi, uint32_t *v)
{
	if (parse_u32(s, v) || (*v && (*v < lo || *v > hi)))
		return bad(p, "%s must be 0 or %u..%u, not '%s'", key, lo, hi,
			   s);
	return 1;
}

static int range(struct parse *p, const char *key, const char *s,
		 uint32_t lo, uint32_t hi, uint32_t *v)
{
	if (parse_u32(s, v) || *v < lo || *v > hi)
		return bad(p, "%s must be %u..%u, not '%s'", key, lo, hi, s);
	return 1;
}

static int boolean(struct parse *p, const char *key, const char *s, bool *v)
{
	if (!strcasecmp(s, "yes") || !strcasecmp(s, "true") || !strcmp(s, "1"))
		*v = true;
	else if (!strcasecmp(s, "no") || !strcasecmp(s, "false") ||
		 !strcmp(s, "0"))
		*v = false;
	else
		return bad(p, "%s must be yes or no, not '%s'", key, s);
	return 1;
}

/* "N/PERIOD" (PERIOD: a number and s, m or h) or "off". */
static int budget(struct parse *p, const char *s, struct policy *pol)
{
	uint32_t n, unit = 1;
	unsigned long per;
	const char *slash;
	char num[16], *end;

	if (!strcasecmp(s, "off")) {
		pol->budget_wakes = 0;
		pol->budget_period_s = 0;
		return 1;
	}
	slash = strchr(s, '/');
	if (!slash || (size_t)(slash - s) >= sizeof(num))
		goto out;
	memcpy(num, s, slash - s);
	num[slash - s] = '\0';
	if (parse_u32(num, &n) || !n || n > CONF_BUDGET_WAKES_MAX ||
	    !isdigit((unsigned char)slash[1]))
		goto out;
	errno = 0;
	per = strtoul(slash + 1, &end, 10);
	if (errno)
		goto out;
	if (!strcmp(end, "h"))
		unit = 3600;
	else if (!strcmp(end, "m"))
		unit = 60;
	else if (strcmp(end, "s") && *end)
		goto out;
	if (!per || per > CONF_BUDGET_PERIOD_MAX_S / unit)
		goto out;
	per *= unit;
	if (conf_budget_check(n, per) == -ERANGE)
		return bad(p, "WakeBudget '%s' would space wakes more than an hour apart",
			   s);
	pol->budget_wakes = n;
	pol->budget_period_s = per;
	return 1;
out:
	return bad(p, "WakeBudget must be N/PERIOD (as 60/1h, 10/5m, 4/20s; N 1..100000, PERIOD up to 24h) or off, not '%s'",
		   s);
}

static int on_stop(struct parse *p, const char *s, struct policy *pol)
{
	if (!strcasecmp(s, "foreground"))
		pol->on_stop = ON_STOP_FOREGROUND;
	else if (!strcasecmp(s, "keep"))
		pol->on_stop = ON_STOP_KEEP;
	else if (!strcasecmp(s, "stop"))
		pol->on_stop = ON_STOP_STOP;
	else
		return bad(p, "OnDaemonStop must be foreground, keep or stop, not '%s'",
			   s);
	return 1;
}

/* Policy keys, in [defaults] and in an app's [app]. -1: not one. */
static int policy_key(struct parse *p, const char *key, const char *val,
		      struct policy *pol)
{
	if (!strcmp(key, "WakeBudget"))
		return budget(p, val, pol);
	if (!strcmp(key, "WakeWindowMs"))
		return zero_or(p, key, val, WINDOW_MIN_MS, WINDOW_MAX_MS,
			       &pol->wake_window_ms);
	if (!strcmp(key, "KeepaliveBudgetMs"))
		return zero_or(p, key, val, VOIPWAKE_KEEPALIVE_BUDGET_MIN_MS,
			       VOIPWAKE_KEEPALIVE_BUDGET_MAX_MS,
			       &pol->keepalive_budget_ms);
	if (!strcmp(key, "KeepaliveMinSec"))
		return zero_or(p, key, val, 1, VOIPWAKE_KEEPALIVE_MAX_S,
			       &pol->keepalive_min_s);
	if (!strcmp(key, "KeepaliveMaxSec"))
		return zero_or(p, key, val, 1, VOIPWAKE_KEEPALIVE_MAX_S,
			       &pol->keepalive_max_s);
	if (!strcmp(key, "OnDaemonStop"))
		return on_stop(p, val, pol);
	if (!strcmp(key, "WakeSystem"))
		return boolean(p, key, val, &pol->wake_system);
	return -1;
}

/* An absolute cgroup path, or one relative to the cgroup2 mount. */
static int cgroup_path(struct parse *p, const char *key, const char *val,
		       char *out)
{
	int n;

	if (!val[0] || strstr(val, "..") || strchr(val, '\n'))
		return bad(p, "%s must be a cgroup path without '..', not '%s'",
			   key, val);
	if (val[0] == '/')
		n = snprintf(out, CONF_PATH_MAX, "%s", val);
	else
		n = snprintf(out, CONF_PATH_MAX, CGROUP_ROOT "/%s", val);
	if (n < 0 || n >= CONF_PATH_MAX)
		return bad(p, "%s is too long", key);
	if (strncmp(out, CGROUP_ROOT "/", sizeof(CGROUP_ROOT)))
		return bad(p, "%s must be under " CGROUP_ROOT ", not '%s'",
			   key, val);
	while (n > 1 && out[n - 1] == '/')
		out[--n] = '\0';
	return 1;
}

static int copy(struct parse *p, const char *key, const char *val,
		char *out, size_t len)
{
	if (!val[0] || strlen(val) >= len)
		return bad(p, "%s must be 1..%zu characters", key, len - 1);
	strcpy(out, val);
	return 1;
}

static int daemon_key(struct parse *p, const char *key, const char *val)
{
	struct conf *c = p->conf;

	/* Gone with the state file and the daemon's own cgroup tree. */
	if (!strcmp(key, "AppCgroupRoot"))
		return bad(p, "AppCgroupRoot is no longer used: apps voipwaked starts run as units in " CONF_APP_SLICE ", remove it");
	if (!strcmp(key, "StateFile"))
		return bad(p, "StateFile is no longer used: voipwakectl asks voipwaked over D-Bus, remove it");
	if (!strcmp(key, "LoadModule"))
		return boolean(p, key, val, &c->load_module);
	if (!strcmp(key, "MarkGateMs"))
		return zero_or(p, key, val, 1, VOIPWAKE_FREEZE_GATE_MAX_MS,
			       &c->mark_gate_ms);
	if (!strcmp(key, "UnlistedApps")) {
		if (!strcasecmp(val, "allow"))
			c->allow_unlisted = true;
		else if (!strcasecmp(val, "deny"))
			c->allow_unlisted = false;
		else
			return bad(p, "UnlistedApps must be allow or deny, not '%s'",
				   val);
		return 1;
	}
	return bad(p, "unknown key '%s' in [daemon]", key);
}

static void warn(struct parse *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Said, and the configuration goes on without what it is about. */
static void warn(struct parse *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	parse_warn_add(&p->conf->warnings, &p->conf->nwarnings, p->file,
		       p->line, fmt, ap);
	va_end(ap);
}

/*
 * Rules separated by blanks. A bad one is dropped alone: the app's
 * other rules and the whole configuration stay in force.
 */
static int mark_sockets(struct parse *p, struct conf_app *a, const char *val)
{
	char *copy = strdup(val), *tok, *save, why[160];
	struct rule r;

	if (!copy)
		return bad(p, "%s", strerror(ENOMEM));
	for (tok = strtok_r(copy, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		if (rule_parse(tok, &r, why, sizeof(why))) {
			warn(p, "MarkSockets: rule '%s' ignored: %s", tok, why);
			continue;
		}
		if (a->nrules == CONF_RULES_MAX) {
			warn(p, "MarkSockets: rule '%s' ignored: an app has at most %d rules",
			     tok, CONF_RULES_MAX);
			continue;
		}
		a->rules[a->nrules++] = r;
	}
	free(copy);
	return 1;
}

static int app_key(struct parse *p, const char *key, const char *val)
{
	struct conf_app *a = p->app;
	int ret = policy_key(p, key, val, &a->policy);

	if (ret >= 0)
		return ret;
	if (!strcmp(key, "Cgroup"))
		return cgroup_path(p, key, val, a->cgroup);
	if (!strcmp(key, "AppId") || !strcmp(key, "Unit")) {
		if (a->match[0])
			return bad(p, "%s: the app is named already (AppId= or Unit=, once)",
				   key);
		if (!appid_name_valid(val) ||
		    (key[0] == 'U') != appid_is_unit_name(val))
			return bad(p, "%s must be %s, not '%s'", key,
				   key[0] == 'U' ? "a unit name (NAME.service, NAME.scope, or a template NAME@.service)" :
				   "an application ID (letters, digits and ._-, as org.example.App)",
				   val);
		return copy(p, key, val, a->match, sizeof(a->match));
	}
	if (!strcmp(key, "Exec")) {
		if (val[0] != '/')
			return bad(p, "Exec must start with an absolute path, not '%s'",
				   val);
		return copy(p, key, val, a->exec, sizeof(a->exec));
	}
	if (!strcmp(key, "MarkSockets"))
		return mark_sockets(p, a, val);
	if (!strcmp(key, "User"))
		return copy(p, key, val, a->user, sizeof(a->user));
	if (!strcmp(key, "Background"))
		return boolean(p, key, val, &a->background);
	if (!strcmp(key, "StartupSec"))
		return range(p, key, val, 1, 3600, &a->startup_s);
	if (!strcmp(key, "RestartMaxSec"))
		return range(p, key, val, 1, 86400, &a->restart_max_s);
	if (!strcmp(key, "RestartResetSec"))
		return range(p, key, val, 1, 86400, &a->restart_reset_s);
	return bad(p, "unknown key '%s' in [app]", key);
}

static int handler(void *user, const char *section, const char *key,
		   const char *val)
{
	struct parse *p = user;
	int i, ret;

	for (i = 0; i < p->nseen; i++)
		if (!strcmp(p->seen[i], key))
			return bad(p, "%s is given twice", key);
	/* Rules add up, one line or many. */
	if (p->nseen < K_MAX && strcmp(key, "MarkSockets"))
		p->seen[p->nseen++] = strdup(key);

	if (p->app) {
		if (strcmp(section, "app"))
			return bad(p, "unknown section [%s]: an app's file has only [app]",
				   section);
		return app_key(p, key, val);
	}
	if (!strcmp(section, "daemon"))
		return daemon_key(p, key, val);
	if (!strcmp(section, "defaults")) {
		ret = policy_key(p, key, val, &p->conf->defaults);
		return ret >= 0 ? ret : bad(p, "unknown key '%s' in [defaults]",
					    key);
	}
	return bad(p, "unknown section [%s]: voipwaked.conf has [daemon] and [defaults]",
		   section);
}

static int report(char *err, size_t errlen, const char *path, int line,
		  const char *msg)
{
	if (line > 0)
		snprintf(err, errlen, "%s:%d: %s", path, line,
			 msg[0] ? msg : "syntax error");
	else
		snprintf(err, errlen, "%s: %s", path, msg);
	return -EINVAL;
}

/* fgets() for inih, counting lines: the handler's warnings name theirs. */
static char *read_line(char *buf, int len, void *arg)
{
	struct parse *p = arg;
	char *s = fgets(buf, len, p->f);

	p->line = p->newlines + 1;
	if (s && strchr(s, '\n'))
		p->newlines++;
	return s;
}

/*
 * 0; -ENOENT if the file is absent; else -EINVAL with @err set to
 * "FILE:LINE: what". inih returns the line of the first error, the first
 * line our handler refused included.
 */
static int parse_file(struct parse *p, const char *path, char *err,
		      size_t errlen)
{
	FILE *f = fopen(path, "re");
	char msg[512] = "";
	int line, i;

	if (!f) {
		if (errno == ENOENT)
			return -ENOENT;
		return report(err, errlen, path, 0, strerror(errno));
	}
	p->file = path;
	p->err = msg;
	p->errlen = sizeof(msg);
	p->nseen = 0;
	p->f = f;
	p->line = 0;
	p->newlines = 0;
	line = ini_parse_stream(read_line, p, handler, p);
	fclose(f);
	for (i = 0; i < p->nseen; i++)
		free((void *)p->seen[i]);
	if (line < 0)
		return report(err, errlen, path, 0, strerror(ENOMEM));
	return line ? report(err, errlen, path, line, msg) : 0;
}

static bool valid_name(const char *s, size_t len)
{
	size_t i;

	if (!len || len >= CONF_NAME_MAX || s[0] == '.')
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-@", s[i]))
			return false;
	return true;
}

static void app_defaults(struct conf_app *a, const struct conf *c)
{
	a->policy = c->defaults;
	a->startup_s = DEF_STARTUP_S;
	a->restart_max_s = DEF_RESTART_MAX_S;
	a->restart_reset_s = DEF_RESTART_RESET_S;
}

/* What no single line shows: how the keys of one file fit together. */
static const char *app_check(struct conf_app *a)
{
	const struct policy *pol = &a->policy;

	char esc[APPID_UNIT_MAX];

	if (!a->cgroup[0] && !a->match[0] && !a->exec[0])
		return "an app needs AppId=, Unit= or Cgroup= (started elsewhere) or Exec= (started by voipwaked)";
	if (a->exec[0] && (a->cgroup[0] || a->match[0]))
		return "Exec= names the app's unit itself: no AppId=, Unit= or Cgroup= with it";
	if (a->cgroup[0] && a->match[0])
		return "an app is named once: AppId=/Unit= or Cgroup=, not both";
	if (a->exec[0] &&
	    (appid_escape(a->name, esc, sizeof(esc)) ||
	     snprintf(a->match, sizeof(a->match),
		      CONF_APP_TEMPLATE "%s.service", esc) >=
	     (int)sizeof(a->match)))
		return "the app's name is too long for a unit name";
	if (a->user[0] && !a->exec[0])
		return "User= needs Exec=: voipwaked starts only what it launches";
	if (a->background && !a->exec[0])
		return "Background= needs Exec=: an app started elsewhere is backgrounded by its starter";
	if (pol->keepalive_min_s && pol->keepalive_max_s &&
	    pol->keepalive_min_s > pol->keepalive_max_s)
		return "KeepaliveMinSec is above KeepaliveMaxSec";
	return NULL;
}

static int app_cmp(const void *x, const void *y)
{
	return strcmp(((const struct conf_app *)x)->name,
		      ((const struct conf_app *)y)->name);
}

static bool same_app(const struct conf_app *a, const struct conf_app *b)
{
	return (a->cgroup[0] && !strcmp(a->cgroup, b->cgroup)) ||
	       (a->match[0] && !strcmp(a->match, b->match));
}

/* One app's file, @a named already: 0, -ENOENT (absent), or -EINVAL. */
static int load_app(struct conf *c, struct conf_app *a, const char *path,
		    char *err, size_t errlen)
{
	struct parse p = { .conf = c, .app = a };
	const char *why;
	int ret;

	snprintf(a->file, sizeof(a->file), "%s", path);
	app_defaults(a, c);
	ret = parse_file(&p, path, err, errlen);
	why = ret ? NULL : app_check(a);
	if (why)
		ret = report(err, errlen, path, 0, why);
	return ret;
}

static int load_apps(struct conf *c, char *err, size_t errlen)
{
	char dir[CONF_DIR_MAX + 16], path[CONF_DIR_MAX + 16 + 256];
	struct conf_app *a;
	struct dirent *de;
	size_t len, i, j;
	DIR *d;
	int ret = 0;

	snprintf(dir, sizeof(dir), "%s/" CONF_APPS, c->dir);
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : report(err, errlen, dir, 0,
						    strerror(errno));
	while (!ret && (de = readdir(d))) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 6 ||
		    strcmp(de->d_name + len - 5, ".conf"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (!valid_name(de->d_name, len - 5)) {
			ret = report(err, errlen, path, 0,
				     "an app's name (the file name before .conf) may hold only letters, digits and ._-@");
			break;
		}
		a = realloc(c->apps, (c->napps + 1) * sizeof(*a));
		if (!a) {
			ret = report(err, errlen, path, 0, strerror(ENOMEM));
			break;
		}
		c->apps = a;
		a = &c->apps[c->napps++];
		memset(a, 0, sizeof(*a));
		memcpy(a->name, de->d_name, len - 5);
		ret = load_app(c, a, path, err, errlen);
		if (ret == -ENOENT)	/* gone since readdir(): no app */
			c->napps--, ret = 0;
	}
	closedir(d);
	if (ret)
		return ret;
	/* qsort() of a NULL array is undefined, even for no element. */
	if (c->napps)
		qsort(c->apps, c->napps, sizeof(*c->apps), app_cmp);
	for (i = 0; i < c->napps; i++)
		for (j = i + 1; j < c->napps; j++)
			if (same_app(&c->apps[i], &c->apps[j])) {
				snprintf(err, errlen,
					 "%s: %s %s is also app %s's (%s)",
					 c->apps[j].file,
					 c->apps[j].cgroup[0] ? "cgroup" : "name",
					 c->apps[j].cgroup[0] ? c->apps[j].cgroup :
					 c->apps[j].match, c->apps[i].name,
					 c->apps[i].file);
				return -EINVAL;
			}
	return 0;
}

int conf_load(const char *dir, struct conf **out, char *err,
		 size_t errlen)
{
	char path[CONF_DIR_MAX + 64];
	struct conf *c;
	struct parse p;
	int ret;

	err[0] = '\0';
	if (strlen(dir) >= CONF_DIR_MAX) {
		snprintf(err, errlen, "configuration directory name too long");
		return -ENAMETOOLONG;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	snprintf(c->dir, sizeof(c->dir), "%s", dir);
	c->load_module = true;
	c->mark_gate_ms = CONF_MARK_GATE_MS;
	c->defaults.budget_wakes = DEF_BUDGET_WAKES;
	c->defaults.budget_period_s = DEF_BUDGET_PERIOD_S;
	c->defaults.on_stop = ON_STOP_FOREGROUND;
	/* The apps the policy lists may wake the system; others may not. */
	c->defaults.wake_system = true;

	snprintf(path, sizeof(path), "%s/" CONF_MAIN, dir);
	p = (struct parse){ .conf = c };
	ret = parse_file(&p, path, err, errlen);
	if (ret == -ENOENT)
		ret = 0;
	if (!ret)
		ret = load_apps(c, err, errlen);
	if (ret) {
		conf_free(c);
		return -EINVAL;
	}
	*out = c;
	return 0;
}

int conf_load_app(const char *dir, const char *name, struct conf_app *out,
		  char *err, size_t errlen)
{
	char path[CONF_DIR_MAX + 16 + CONF_NAME_MAX + 8];
	struct conf c = { .defaults.on_stop = ON_STOP_FOREGROUND };
	size_t i;
	int ret;

	err[0] = '\0';
	if (!valid_name(name, strlen(name))) {
		snprintf(err, errlen,
			 "'%s' is no app name: letters, digits and ._-@ only, not starting with '.'",
			 name);
		return -EINVAL;
	}
	if (strlen(dir) >= CONF_DIR_MAX) {
		snprintf(err, errlen, "configuration directory name too long");
		return -ENAMETOOLONG;
	}
	snprintf(path, sizeof(path), "%s/" CONF_APPS "/%s.conf", dir, name);
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", name);
	ret = load_app(&c, out, path, err, errlen);
	if (ret == -ENOENT)
		report(err, errlen, path, 0, strerror(ENOENT));
	/* Its rules' warnings are voipwaked's to say, not the launcher's. */
	for (i = 0; i < c.nwarnings; i++)
		free(c.warnings[i]);
	free(c.warnings);
	return ret;
}

void conf_free(struct conf *conf)
{
	size_t i;

	if (!conf)
		return;
	for (i = 0; i < conf->nwarnings; i++)
		free(conf->warnings[i]);
	free(conf->warnings);
	free(conf->apps);
	free(conf);
}

const struct conf_app *conf_app(const struct conf *conf,
				      const char *name)
{
	size_t i;

	for (i = 0; i < conf->napps; i++)
		if (!strcmp(conf->apps[i].name, name))
			return &conf->apps[i];
	return NULL;
}

int conf_budget_check(uint32_t wakes, uint32_t period_s)
{
	if (!wakes)
		return 0;
	if (wakes > CONF_BUDGET_WAKES_MAX || !period_s ||
	    period_s > CONF_BUDGET_PERIOD_MAX_S)
		return -EINVAL;
	/* The throttle spaces wakes PERIOD/N apart; the module caps that. */
	if ((uint64_t)period_s * 1000 / wakes > VOIPWAKE_WAKE_INTERVAL_MAX_MS)
		return -ERANGE;
	return 0;
}

void conf_budget_str(const struct policy *p, char *buf, size_t len)
{
	uint32_t s = p->budget_period_s;

	if (!p->budget_wakes)
		snprintf(buf, len, "off");
	else if (s % 3600 == 0)
		snprintf(buf, len, "%u/%uh", p->budget_wakes, s / 3600);
	else if (s % 60 == 0)
		snprintf(buf, len, "%u/%um", p->budget_wakes, s / 60);
	else
		snprintf(buf, len, "%u/%us", p->budget_wakes, s);
}
