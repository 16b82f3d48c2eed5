// SPDX-License-Identifier: GPL-2.0
/*
 * What voipwakectl knows of voipwaked: app names from its configuration,
 * and its policy state (wake budgets, relaunches) from the state file it
 * rewrites every second. The kernel stays the truth about the apps
 * themselves; this only adds what the daemon alone knows.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "ctl.h"

static struct vw_conf *ctl_conf(void)
{
	static struct vw_conf *conf;
	static bool tried;
	char err[1024];

	if (!tried) {
		tried = true;
		if (vw_conf_load(VW_CONF_DIR, &conf, err, sizeof(err)))
			fprintf(stderr, PROG ": ignoring voipwaked's configuration: %s\n",
				err);
	}
	return conf;
}

/* An app's name from voipwaked's configuration, else a cgroup path. */
const char *ctl_app_cgroup(const char *arg)
{
	const struct vw_app_conf *a;
	struct vw_conf *conf;

	if (strchr(arg, '/'))
		return arg;
	conf = ctl_conf();
	a = conf ? vw_conf_app(conf, arg) : NULL;
	return a ? a->cgroup : arg;
}

/* "NAME key=value ...", as vwd_apps.c writes it. */
static int parse_app(char *line, struct ctl_daemon_app *a)
{
	char *save, *tok, *v;

	memset(a, 0, sizeof(*a));
	tok = strtok_r(line, " \n", &save);
	if (!tok)
		return -EINVAL;
	snprintf(a->name, sizeof(a->name), "%s", tok);
	while ((tok = strtok_r(NULL, " \n", &save))) {
		v = strchr(tok, '=');
		if (!v)
			continue;
		*v++ = '\0';
		if (!strcmp(tok, "id"))
			a->cgroup_id = strtoull(v, NULL, 10);
		else if (!strcmp(tok, "budget"))
			snprintf(a->budget, sizeof(a->budget), "%s", v);
		else if (!strcmp(tok, "used"))
			a->used = strtoul(v, NULL, 10);
		else if (!strcmp(tok, "throttled"))
			a->throttled = v[0] == '1';
		else if (!strcmp(tok, "throttles"))
			a->throttles = strtoul(v, NULL, 10);
		else if (!strcmp(tok, "pid"))
			a->pid = atoi(v);
		else if (!strcmp(tok, "relaunches"))
			a->relaunches = strtoul(v, NULL, 10);
	}
	return 0;
}

/*
 * 0 with @st filled if voipwaked runs; -ENOENT if it does not (a state
 * file a dead daemon left counts as none).
 */
int ctl_daemon_read(struct ctl_daemon *st)
{
	struct vw_conf *conf = ctl_conf();
	struct ctl_daemon_app *apps;
	char line[8192];
	FILE *f;
	int pid;

	memset(st, 0, sizeof(*st));
	f = fopen(conf ? conf->state_file : "/run/voipwake/state", "re");
	if (!f)
		return -ENOENT;
	if (!fgets(line, sizeof(line), f) ||
	    sscanf(line, "voipwaked %d", &pid) != 1 || pid <= 0 ||
	    (kill(pid, 0) && errno != EPERM)) {
		fclose(f);
		return -ENOENT;
	}
	st->pid = pid;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "app ", 4))
			continue;
		apps = realloc(st->apps, (st->napps + 1) * sizeof(*apps));
		if (!apps)
			break;
		st->apps = apps;
		if (!parse_app(line + 4, &st->apps[st->napps]))
			st->napps++;
	}
	fclose(f);
	return 0;
}

const struct ctl_daemon_app *ctl_daemon_app(const struct ctl_daemon *st,
					    uint64_t cgroup_id)
{
	size_t i;

	for (i = 0; i < st->napps; i++)
		if (st->apps[i].cgroup_id == cgroup_id)
			return &st->apps[i];
	return NULL;
}

void ctl_daemon_free(struct ctl_daemon *st)
{
	free(st->apps);
	st->apps = NULL;
	st->napps = 0;
}
