// SPDX-License-Identifier: GPL-2.0
/*
 * voipwake-session's configuration parser (daemon/session_conf.c), on
 * files in a temporary directory. Its app unit names are voipwaked's
 * (daemon/appid.c, test_appid.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "session.h"
#include "session_conf.h"

/* session_conf.c logs nothing; session.h's logger is not linked here. */
void sess_log(int prio, const char *app, const char *fmt, ...)
{
	(void)prio, (void)app, (void)fmt;
}

struct files {
	char dir[64];
	char path[2][96];
};

static int files_setup(void **state)
{
	struct files *f = calloc(1, sizeof(*f));

	strcpy(f->dir, "/tmp/vw-sess-conf-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path[0], sizeof(f->path[0]), "%s/system.conf", f->dir);
	snprintf(f->path[1], sizeof(f->path[1]), "%s/user.conf", f->dir);
	*state = f;
	return 0;
}

static int files_teardown(void **state)
{
	struct files *f = *state;

	unlink(f->path[0]);
	unlink(f->path[1]);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int load(struct files *f, struct sess_conf **c, char *err)
{
	const char *paths[2] = { f->path[0], f->path[1] };

	return sess_conf_load(paths, 2, c, err, 512);
}

static void test_conf_defaults(void **state)
{
	struct sess_conf *c;
	char err[512] = "";

	assert_int_equal(load(*state, &c, err), 0);
	assert_int_equal(c->delay_us, 10000000);
	assert_false(c->freeze_all);
	assert_int_equal(c->apps.n, 0);
	assert_int_equal(c->exempt.n, 0);
	sess_conf_free(c);
}

static void test_conf_layers(void **state)
{
	struct files *f = *state;
	struct sess_conf *c;
	char err[512] = "";

	put(f->path[0], "[Session]\nBackgroundDelaySec=2min\nApps=a.b c.d\n"
			"ExemptApps=x.y\nFreezeAll=yes\n");
	put(f->path[1], "[Session]\nBackgroundDelaySec=500ms\nApps=e.f\n"
			"ExemptApps=\nExemptApps=z.z\n");
	assert_int_equal(load(f, &c, err), 0);
	assert_int_equal(c->delay_us, 500000);
	assert_true(c->freeze_all);
	assert_int_equal(c->apps.n, 3);
	assert_true(sess_conf_has(&c->apps, "c.d"));
	assert_true(sess_conf_has(&c->apps, "e.f"));
	/* The empty assignment dropped the system's x.y. */
	assert_int_equal(c->exempt.n, 1);
	assert_true(sess_conf_has(&c->exempt, "z.z"));
	assert_false(sess_conf_has(&c->exempt, "x.y"));
	sess_conf_free(c);
}

/*
 * MarkSockets=ID RULE...: rules add up across lines and files, "ID" alone
 * empties the app's; a bad rule is left out with FILE:LINE and the rest
 * of the file stays in force.
 */
static void test_conf_mark_sockets(void **state)
{
	struct files *f = *state;
	const struct sess_rules *r;
	struct sess_conf *c;
	char err[512] = "";

	put(f->path[0], "[Session]\nMarkSockets=org.a tcp:5060\n"
			"MarkSockets=org.b tcp:5222\n");
	put(f->path[1], "[Session]\nMarkSockets=org.a udp:local:5060 tcp:0\n"
			"FreezeAll=yes\nMarkSockets=org.b\n"
			"MarkSockets=org.c tcp:1883@192.0.2.1/8\n");
	assert_int_equal(load(f, &c, err), 0);
	assert_true(c->freeze_all);
	r = sess_conf_rules(c, "org.a");
	assert_non_null(r);
	assert_int_equal(r->n, 2);
	assert_null(sess_conf_rules(c, "org.b"));
	assert_null(sess_conf_rules(c, "org.c"));
	assert_int_equal(c->warnings.n, 2);
	assert_non_null(strstr(c->warnings.ids[0],
			       "user.conf:2: MarkSockets: rule 'tcp:0' of org.a ignored: "));
	assert_non_null(strstr(c->warnings.ids[1],
			       "user.conf:5: MarkSockets: rule 'tcp:1883@192.0.2.1/8' of org.c ignored: "));
	sess_conf_free(c);

	/* No app ID: the file is refused, as any bad key is. */
	put(f->path[1], "[Session]\nMarkSockets=tcp:5060\n");
	c = (void *)1;
	assert_int_equal(load(f, &c, err), -EINVAL);
	assert_null(c);
	assert_non_null(strstr(err, "user.conf:2: MarkSockets must be an app ID and its rules"));
}

static void test_conf_refusals(void **state)
{
	static const struct { const char *text, *err; } cases[] = {
		{ "[Session]\nBackgroundDelaySec=2h\n",
		  "user.conf:2: BackgroundDelaySec must be a time span" },
		{ "[Session]\nBackgroundDelaySec=-1\n",
		  "user.conf:2: BackgroundDelaySec must be" },
		{ "[Session]\nBackgroundDelaySec=10 s\n",
		  "user.conf:2: BackgroundDelaySec must be" },
		{ "[Session]\n\nFreezeAll=maybe\n",
		  "user.conf:3: FreezeAll must be yes or no, not 'maybe'" },
		{ "[Session]\nFreezeAll=no\nFreezeAll=yes\n",
		  "user.conf:3: FreezeAll is given twice" },
		{ "[Daemon]\nFreezeAll=no\n",
		  "user.conf:2: unknown section [Daemon]" },
		{ "[Session]\nFreeze=no\n",
		  "user.conf:2: unknown key 'Freeze' in [Session]" },
		{ "[Session\n", "user.conf:1: syntax error" },
	};
	struct files *f = *state;
	struct sess_conf *c;
	char err[512];
	size_t i;

	put(f->path[0], "[Session]\nFreezeAll=yes\n");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		put(f->path[1], cases[i].text);
		err[0] = '\0';
		c = (void *)1;
		assert_int_equal(load(f, &c, err), -EINVAL);
		assert_null(c);
		assert_non_null(strstr(err, cases[i].err));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_conf_defaults,
						files_setup, files_teardown),
		cmocka_unit_test_setup_teardown(test_conf_layers,
						files_setup, files_teardown),
		cmocka_unit_test_setup_teardown(test_conf_mark_sockets,
						files_setup, files_teardown),
		cmocka_unit_test_setup_teardown(test_conf_refusals,
						files_setup, files_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
