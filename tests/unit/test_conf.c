// SPDX-License-Identifier: GPL-2.0
/*
 * voipwaked's configuration parser (daemon/conf.c) on files written to a
 * temporary directory: defaults, every key, and refusals that name the
 * file and line, with nothing kept from a refused configuration.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf.h"
#include "exec_split.h"

struct dir {
	char path[64];
};

static int dir_setup(void **state)
{
	struct dir *d = calloc(1, sizeof(*d));
	char apps[96];

	strcpy(d->path, "/tmp/vw-conf-XXXXXX");
	assert_non_null(mkdtemp(d->path));
	snprintf(apps, sizeof(apps), "%s/apps.d", d->path);
	assert_int_equal(mkdir(apps, 0755), 0);
	*state = d;
	return 0;
}

static int dir_teardown(void **state)
{
	struct dir *d = *state;
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->path);
	assert_int_equal(system(cmd), 0);
	free(d);
	return 0;
}

static void put(const struct dir *d, const char *name, const char *text)
{
	char path[160];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", d->path, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Loads, expecting a refusal whose message contains @want. */
static void refused(const struct dir *d, const char *want)
{
	struct conf *c = NULL;
	char err[1024];

	assert_int_equal(conf_load(d->path, &c, err, sizeof(err)), -EINVAL);
	assert_null(c);
	if (!strstr(err, want))
		fail_msg("expected '%s' in '%s'", want, err);
}

static void test_empty_is_defaults(void **state)
{
	struct dir *d = *state;
	struct conf *c;
	char err[256], b[32];

	assert_int_equal(conf_load(d->path, &c, err, sizeof(err)), 0);
	assert_int_equal(c->napps, 0);
	assert_true(c->load_module);
	assert_false(c->allow_unlisted);
	assert_int_equal(c->mark_gate_ms, 200);
	conf_budget_str(&c->defaults, b, sizeof(b));
	assert_string_equal(b, "60/1h");
	conf_free(c);
}

static void test_apps(void **state)
{
	const struct conf_app *a;
	struct dir *d = *state;
	struct conf *c;
	char err[256], b[32];

	put(d, "voipwaked.conf",
	    "[daemon]\n"
	    "UnlistedApps = allow\nMarkGateMs = 0\n"
	    "[defaults]\nWakeBudget = 10/5m\n"
	    "; a comment\nOnDaemonStop = keep\n");
	put(d, "apps.d/phone.conf", "[app]\nCgroup = user.slice/phone\n"
	    "WakeWindowMs = 2000\nKeepaliveMinSec = 600\nWakeSystem = no\n");
	put(d, "apps.d/sip.conf", "[app]\nExec = /usr/bin/voip-client -v\n"
	    "User = voip\nBackground = yes\nWakeBudget = off\n"
	    "RestartMaxSec = 60\n");
	put(d, "apps.d/notes.txt", "not a config: ignored\n");
	put(d, "apps.d/calls.conf", "[app]\nAppId = org.gnome.Calls\n");
	put(d, "apps.d/bare.conf", "[app]\nUnit = baresip@.service\n");
	put(d, "apps.d/my-app.conf", "[app]\nExec = /bin/true\n");
	assert_int_equal(conf_load(d->path, &c, err, sizeof(err)), 0);
	assert_int_equal(c->napps, 5);
	assert_string_equal(conf_app(c, "calls")->match, "org.gnome.Calls");
	assert_string_equal(conf_app(c, "calls")->cgroup, "");
	assert_string_equal(conf_app(c, "bare")->match, "baresip@.service");
	/* An app it starts is named by its unit, escaped as systemd does. */
	assert_string_equal(conf_app(c, "my-app")->match,
			    "voipwake-app@my\\x2dapp.service");
	assert_true(c->allow_unlisted);
	assert_int_equal(c->mark_gate_ms, 0);

	a = conf_app(c, "phone");
	assert_non_null(a);
	assert_string_equal(a->cgroup, "/sys/fs/cgroup/user.slice/phone");
	assert_int_equal(a->policy.wake_window_ms, 2000);
	assert_int_equal(a->policy.keepalive_min_s, 600);
	conf_budget_str(&a->policy, b, sizeof(b));
	assert_string_equal(b, "10/5m");
	/* [defaults] gives every app its policy. */
	assert_int_equal(a->policy.on_stop, ON_STOP_KEEP);
	assert_false(a->policy.wake_system);
	/* A listed app may wake the system unless it says otherwise. */
	assert_true(conf_app(c, "sip")->policy.wake_system);

	a = conf_app(c, "sip");
	assert_non_null(a);
	assert_string_equal(a->cgroup, "");
	assert_string_equal(a->match, "voipwake-app@sip.service");
	assert_string_equal(a->exec, "/usr/bin/voip-client -v");
	assert_string_equal(a->user, "voip");
	assert_true(a->background);
	assert_int_equal(a->policy.budget_wakes, 0);
	assert_int_equal(a->restart_max_s, 60);
	assert_int_equal(a->restart_reset_s, 600);
	assert_int_equal(a->startup_s, 10);
	assert_null(conf_app(c, "notes"));
	conf_free(c);
}

static void test_refusals(void **state)
{
	static const struct {
		const char *file, *text, *want;
	} cases[] = {
		{ "apps.d/a.conf", "[app]\nCgroup = a\nWakeBudget = 5/0s\n",
		  "apps.d/a.conf:3: WakeBudget must be N/PERIOD" },
		{ "apps.d/a.conf", "[app]\nCgroup = a\nWakeBudget = 1/2h\n",
		  "apps.d/a.conf:3: WakeBudget '1/2h' would space wakes more than an hour apart" },
		{ "apps.d/a.conf", "[app]\n\nCgroup = a\nBogus = 1\n",
		  "apps.d/a.conf:4: unknown key 'Bogus' in [app]" },
		{ "apps.d/a.conf", "[app]\nCgroup = a\nCgroup = b\n",
		  "apps.d/a.conf:3: Cgroup is given twice" },
		{ "apps.d/a.conf", "[app]\nCgroup = ../etc\n",
		  "apps.d/a.conf:2: Cgroup must be a cgroup path without '..'" },
		{ "apps.d/a.conf", "[app]\nCgroup = /etc\n",
		  "apps.d/a.conf:2: Cgroup must be under /sys/fs/cgroup" },
		{ "apps.d/a.conf", "[app]\nExec = voip-client\n",
		  "apps.d/a.conf:2: Exec must start with an absolute path" },
		{ "apps.d/a.conf", "[app]\nCgroup = a\nWakeWindowMs = 50\n",
		  "apps.d/a.conf:3: WakeWindowMs must be 0 or 100..600000" },
		{ "apps.d/a.conf", "[app]\nCgroup = a\nKeepaliveBudgetMs = 31000\n",
		  "KeepaliveBudgetMs must be 0 or 1000..30000" },
		{ "apps.d/a.conf", "[app]\nCgroup = a\nBackground = maybe\n",
		  "apps.d/a.conf:3: Background must be yes or no" },
		{ "apps.d/a.conf", "[app]\nCgroup = a\n\nWakeSystem = sometimes\n",
		  "apps.d/a.conf:4: WakeSystem must be yes or no" },
		{ "apps.d/a.conf", "[app]\nCgroup = a\n[extra]\nx = 1\n",
		  "apps.d/a.conf:4: unknown section [extra]" },
		{ "apps.d/a.conf", "[app]\nCgroup = a\n[broken\n",
		  "apps.d/a.conf:3: syntax error" },
		{ "apps.d/a.conf", "[app]\nWakeBudget = 5/1h\n",
		  "an app needs AppId=, Unit= or Cgroup= (started elsewhere) or Exec=" },
		{ "apps.d/a.conf", "[app]\nAppId = org.example.App.service\n",
		  "apps.d/a.conf:2: AppId must be an application ID" },
		{ "apps.d/a.conf", "[app]\nUnit = org.example.App\n",
		  "apps.d/a.conf:2: Unit must be a unit name" },
		{ "apps.d/a.conf", "[app]\nUnit = a b.service\n",
		  "apps.d/a.conf:2: Unit must be a unit name" },
		{ "apps.d/a.conf", "[app]\nAppId = x\nUnit = x.service\n",
		  "apps.d/a.conf:3: Unit: the app is named already" },
		{ "apps.d/a.conf", "[app]\nAppId = x\nCgroup = x\n",
		  "AppId=/Unit= or Cgroup=, not both" },
		{ "apps.d/a.conf", "[app]\nAppId = x\nExec = /bin/true\n",
		  "Exec= names the app's unit itself" },
		{ "voipwaked.conf", "[daemon]\nMarkGateMs = 1001\n",
		  "voipwaked.conf:2: MarkGateMs must be 0 or 1..1000" },
		{ "voipwaked.conf", "[daemon]\nStateFile = /run/x\n",
		  "voipwaked.conf:2: StateFile is no longer used" },
		{ "voipwaked.conf", "[daemon]\nAppCgroupRoot = x\n",
		  "voipwaked.conf:2: AppCgroupRoot is no longer used" },
		{ "apps.d/a.conf", "[app]\nCgroup = a\nUser = voip\n",
		  "User= needs Exec=" },
		{ "apps.d/a.conf",
		  "[app]\nCgroup = a\nKeepaliveMinSec = 900\nKeepaliveMaxSec = 700\n",
		  "KeepaliveMinSec is above KeepaliveMaxSec" },
		{ "apps.d/bad name.conf", "[app]\nCgroup = a\n",
		  "an app's name (the file name before .conf)" },
		{ "voipwaked.conf", "[daemon]\nUnlistedApps = maybe\n",
		  "voipwaked.conf:2: UnlistedApps must be allow or deny" },
		{ "voipwaked.conf", "[defaults]\nExec = /bin/true\n",
		  "voipwaked.conf:2: unknown key 'Exec' in [defaults]" },
	};
	struct dir *d = *state;
	char path[160];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		put(d, cases[i].file, cases[i].text);
		refused(d, cases[i].want);
		snprintf(path, sizeof(path), "%s/%s", d->path, cases[i].file);
		assert_int_equal(unlink(path), 0);
	}
}

static void test_same_cgroup_twice(void **state)
{
	struct dir *d = *state;

	put(d, "apps.d/a.conf", "[app]\nCgroup = shared\n");
	put(d, "apps.d/b.conf", "[app]\nCgroup = /sys/fs/cgroup/shared/\n");
	refused(d, "cgroup /sys/fs/cgroup/shared is also app a's");
}

static void test_same_name_twice(void **state)
{
	struct dir *d = *state;

	put(d, "apps.d/a.conf", "[app]\nAppId = org.example.App\n");
	put(d, "apps.d/b.conf", "[app]\nAppId = org.example.App\n");
	refused(d, "name org.example.App is also app a's");
}

/*
 * A bad MarkSockets= rule is dropped alone, said with its file and line;
 * the app's other rules, and every other key, stay in force.
 */
static void test_mark_sockets(void **state)
{
	struct dir *d = *state;
	const struct conf_app *a;
	char err[256], path[160], want[256];
	struct conf *c;

	put(d, "apps.d/sip.conf",
	    "[app]\n"
	    "Cgroup = sip\n"
	    "MarkSockets = tcp:5060-5061 udp:5060\n"
	    "; a comment\n"
	    "MarkSockets = tcp:99999 tcp:443@2001:db8::/32\n"
	    "WakeBudget = 10/1h\n"
	    "MarkSockets = udp:local:5060@192.0.2.1\n");
	assert_int_equal(conf_load(d->path, &c, err, sizeof(err)), 0);
	a = conf_app(c, "sip");
	assert_non_null(a);
	assert_int_equal(a->nrules, 3);
	assert_int_equal(a->policy.budget_wakes, 10);
	assert_int_equal(c->nwarnings, 2);
	snprintf(path, sizeof(path), "%s/apps.d/sip.conf", d->path);
	snprintf(want, sizeof(want),
		 "%s:5: MarkSockets: rule 'tcp:99999' ignored: ", path);
	if (strncmp(c->warnings[0], want, strlen(want)))
		fail_msg("expected '%s' in '%s'", want, c->warnings[0]);
	snprintf(want, sizeof(want),
		 "%s:7: MarkSockets: rule 'udp:local:5060@192.0.2.1' ignored: ",
		 path);
	if (strncmp(c->warnings[1], want, strlen(want)))
		fail_msg("expected '%s' in '%s'", want, c->warnings[1]);
	conf_free(c);
}

/*
 * voipwake-app-exec's reading: one app's file alone, checked as the whole
 * directory is, and not failed by another app's bad file.
 */
/* conf_load_app() of NAME fails with RET, and its message says WHAT. */
static void load_refused(const char *dir, const char *name, int ret,
			 const char *what)
{
	struct conf_app a;
	char err[512];

	assert_int_equal(conf_load_app(dir, name, &a, err, sizeof(err)), ret);
	assert_non_null(strstr(err, what));
}

static void test_one_app(void **state)
{
	struct dir *d = *state;
	static struct conf_app a;
	char err[1024];

	put(d, "apps.d/sip.conf",
	    "[app]\nExec = /usr/bin/voip-client -v\nUser = voip\n");
	put(d, "apps.d/broken.conf", "[app]\nNoSuchKey = 1\n");
	put(d, "apps.d/calls.conf", "[app]\nAppId = org.gnome.Calls\n");
	put(d, "apps.d/both.conf", "[app]\nExec = /bin/true\nAppId = x\n");
	assert_int_equal(conf_load_app(d->path, "sip", &a, err, sizeof(err)), 0);
	assert_string_equal(a.name, "sip");
	assert_string_equal(a.exec, "/usr/bin/voip-client -v");
	assert_string_equal(a.user, "voip");
	assert_string_equal(a.match, "voipwake-app@sip.service");
	/* Read, with no Exec=: the launcher refuses it, not the parser. */
	assert_int_equal(conf_load_app(d->path, "calls", &a, err, sizeof(err)), 0);
	assert_string_equal(a.exec, "");
	load_refused(d->path, "both", -EINVAL, "Exec= names the app's unit itself");
	load_refused(d->path, "broken", -EINVAL, "broken.conf:2: ");
	load_refused(d->path, "gone", -ENOENT, "apps.d/gone.conf: No such file");
	/* The instance name is the caller's: no path, nothing hidden. */
	load_refused(d->path, "../sip", -EINVAL, "is no app name");
	assert_int_equal(conf_load_app(d->path, "a/b", &a, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(conf_load_app(d->path, ".hidden", &a, err,
				       sizeof(err)), -EINVAL);
	assert_int_equal(conf_load_app(d->path, "", &a, err, sizeof(err)),
			 -EINVAL);
}

/* Exec= as words: quotes honoured, nothing run, no word refused. */
static void test_exec_split(void **state)
{
	wordexp_t we;

	(void)state;
	assert_int_equal(exec_split("/bin/app --name 'a b' \"c\\\"d\"", &we),
			 0);
	assert_int_equal(we.we_wordc, 4);
	assert_string_equal(we.we_wordv[0], "/bin/app");
	assert_string_equal(we.we_wordv[2], "a b");
	assert_string_equal(we.we_wordv[3], "c\"d");
	wordfree(&we);
	assert_int_equal(exec_split("/bin/app $(touch /tmp/x)", &we), -EINVAL);
	assert_int_equal(exec_split("/bin/app `id`", &we), -EINVAL);
	assert_int_equal(exec_split("/bin/app $VW_NO_SUCH_VARIABLE", &we),
			 -EINVAL);
	assert_int_equal(exec_split("/bin/app 'unclosed", &we), -EINVAL);
	assert_int_equal(exec_split("   ", &we), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty_is_defaults,
						dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(test_mark_sockets, dir_setup,
						dir_teardown),
		cmocka_unit_test_setup_teardown(test_apps, dir_setup,
						dir_teardown),
		cmocka_unit_test_setup_teardown(test_refusals, dir_setup,
						dir_teardown),
		cmocka_unit_test_setup_teardown(test_same_name_twice,
						dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(test_same_cgroup_twice,
						dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(test_one_app, dir_setup,
						dir_teardown),
		cmocka_unit_test(test_exec_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
