// SPDX-License-Identifier: GPL-2.0
/*
 * voipwake-session's policy (daemon/session_app.c) on its own: the clock,
 * the kernel, the bus and the timer are this file's, so that each test
 * says exactly what the agent asks of the kernel and tells the bus, and
 * when, as windows and units come and go.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "session.h"
#include "session_conf.h"

#define DELAY	10000000ULL	/* BackgroundDelaySec=10 */
#define MAX_LOG	32

static uint64_t now_us, mono_us, armed;
static char calls[MAX_LOG][160];	/* "bg PATH", "fg PATH", "sig ID STATE" */
static int ncalls;
static struct { const char *path; enum sess_kstate st; bool asked; } kern[4];

static void record(const char *fmt, ...)
{
	va_list ap;

	assert_true(ncalls < MAX_LOG);
	va_start(ap, fmt);
	vsnprintf(calls[ncalls++], sizeof(calls[0]), fmt, ap);
	va_end(ap);
}

void sess_log(int prio, const char *app, const char *fmt, ...)
{
	(void)prio, (void)app, (void)fmt;
}

uint64_t sess_now(void) { return now_us; }
uint64_t sess_mono_us(void) { return mono_us; }
void sess_timer_arm(struct sess *s, uint64_t due) { (void)s; armed = due; }

int sess_kernel_read(struct sess *s, const char *path, enum sess_kstate *st,
		     bool *asked)
{
	size_t i;

	(void)s;
	*st = SESS_K_NONE;
	*asked = false;
	for (i = 0; i < 4; i++) {
		if (kern[i].path && !strcmp(kern[i].path, path)) {
			*st = kern[i].st;
			*asked = kern[i].asked;
		}
	}
	return 0;
}

int sess_kernel_set(struct sess *s, const char *path, bool background)
{
	(void)s;
	record("%s %s", background ? "bg" : "fg", path);
	return 0;
}

void sess_rules_scan(struct sess *s, struct sess_app *a, struct sess_unit *u)
{
	/* As the real one: nothing for an app without rules. */
	if (sess_conf_rules(s->conf, a->id))
		record("scan %s", u->path);
}

void sess_rules_watch(struct sess *s, struct sess_app *a, struct sess_unit *u)
{
	(void)s, (void)a, (void)u;
}

void sess_bus_state_changed(struct sess *s, const struct sess_app *a)
{
	(void)s;
	record("sig %s %s", a->id, sess_state_name(a->state));
}

static struct sess_conf conf;
static struct sess sess;

static int setup(void **state)
{
	(void)state;
	memset(&sess, 0, sizeof(sess));
	memset(&conf, 0, sizeof(conf));
	memset(kern, 0, sizeof(kern));
	conf.delay_us = DELAY;
	sess.conf = &conf;
	sess.started = true;
	now_us = 1000000;
	mono_us = 5000;
	armed = 0;
	ncalls = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sess_apps_free(&sess);
	return 0;
}

static void expect_calls(int n, ...)
{
	va_list ap;
	int i;

	va_start(ap, n);
	for (i = 0; i < n && i < ncalls; i++)
		assert_string_equal(calls[i], va_arg(ap, const char *));
	va_end(ap);
	assert_int_equal(ncalls, n);
	ncalls = 0;
}

/* One app, A, one instance that asked for wakes, its window activated. */
static void app_a_focused(void)
{
	kern[0].path = "/cg/app-a-1.scope";
	kern[0].st = SESS_K_FOREGROUND;
	kern[0].asked = true;
	sess_app_unit_added(&sess, "a", "app-a-1.scope", "/cg/app-a-1.scope");
	sess_app_windows(&sess, "a", 1, 1, mono_us);
	expect_calls(0);
	assert_int_equal(armed, 0);
}

static void advance(uint64_t us)
{
	now_us += us;
	mono_us += us;
	sess_apps_timer(&sess);
}

static void test_background_after_delay(void **state)
{
	(void)state;
	app_a_focused();
	sess_app_windows(&sess, "a", 0, -1, mono_us);
	expect_calls(0);
	assert_int_equal(armed, now_us + DELAY);
	advance(DELAY - 1);
	expect_calls(0);
	advance(1);
	expect_calls(2, "sig a background", "bg /cg/app-a-1.scope");
	assert_int_equal(armed, 0);	/* nothing pending: no timer */
	/* A title change, a wake in the kernel: nothing moves. */
	sess_app_windows(&sess, "a", 0, 0, mono_us);
	advance(DELAY);
	expect_calls(0);
}

static void test_back_before_delay(void **state)
{
	(void)state;
	app_a_focused();
	sess_app_windows(&sess, "a", 0, -1, mono_us);
	advance(DELAY / 2);
	sess_app_windows(&sess, "a", 0, 1, mono_us);
	assert_int_equal(armed, 0);
	advance(DELAY);
	expect_calls(0);
}

static void test_foreground_at_once(void **state)
{
	struct sess_app *a;

	(void)state;
	app_a_focused();
	sess_app_windows(&sess, "a", 0, -1, mono_us);
	advance(DELAY);
	expect_calls(2, "sig a background", "bg /cg/app-a-1.scope");
	mono_us += 1234;		/* the event was read 1234 us ago */
	sess_app_windows(&sess, "a", 0, 1, mono_us - 1234);
	expect_calls(2, "fg /cg/app-a-1.scope", "sig a foreground");
	a = sess_app_find(&sess, "a");
	assert_int_equal(a->latency_us, 1234);
}

static void test_which_apps(void **state)
{
	(void)state;
	/* b asked for nothing: background for the session, not frozen. */
	sess_app_unit_added(&sess, "b", "app-b-1.scope", "/cg/app-b-1.scope");
	advance(DELAY);
	expect_calls(1, "sig b background");
	/* Listed: frozen although it asked for nothing. */
	conf.apps.ids = (char *[]){ "c" };
	conf.apps.n = 1;
	sess_app_unit_added(&sess, "c", "app-c-1.scope", "/cg/app-c-1.scope");
	advance(DELAY);
	expect_calls(2, "sig c background", "bg /cg/app-c-1.scope");
	/* Phone mode, and its exemption. */
	conf.freeze_all = true;
	conf.exempt.ids = (char *[]){ "e" };
	conf.exempt.n = 1;
	sess_app_unit_added(&sess, "d", "app-d-1.scope", "/cg/app-d-1.scope");
	sess_app_unit_added(&sess, "e", "app-e-1.scope", "/cg/app-e-1.scope");
	advance(DELAY);
	assert_int_equal(ncalls, 3);
	ncalls = 0;
	/* b is frozen now that all are; e, exempt, never. */
	sess_apps_reconfigure(&sess);
	expect_calls(1, "bg /cg/app-b-1.scope");
	conf.apps.n = 0;
	conf.exempt.n = 0;
}

/*
 * An app with MarkSockets= rules asked for its wakes through them: it is
 * frozen although it marked nothing, and its sockets are looked for
 * once the kernel holds it.
 */
static void test_rules_freeze_and_scan(void **state)
{
	struct sess_rules r = { .id = "m", .n = 1 };

	(void)state;
	conf.marks = &r;
	conf.nmarks = 1;
	sess_app_unit_added(&sess, "m", "app-m-1.scope", "/cg/app-m-1.scope");
	advance(DELAY);
	expect_calls(3, "sig m background", "bg /cg/app-m-1.scope",
		     "scan /cg/app-m-1.scope");
	/* Rules emptied: an app that asked for nothing again. */
	r.n = 0;
	sess_app_unit_added(&sess, "m", "app-m-2.scope", "/cg/app-m-2.scope");
	advance(DELAY);
	expect_calls(0);
	conf.nmarks = 0;
	conf.marks = NULL;
}

static void test_unmapped_left_alone(void **state)
{
	struct sess_app *a;

	(void)state;
	sess_app_windows(&sess, "nounit", 1, 1, mono_us);
	sess_app_windows(&sess, "nounit", 0, -1, mono_us);
	advance(DELAY * 2);
	expect_calls(0);
	assert_int_equal(armed, 0);
	a = sess_app_find(&sess, "nounit");
	assert_non_null(a);
	assert_true(a->said_unmapped);
	/* Its unit appears: from now on it is an app like any other. */
	sess_app_unit_added(&sess, "nounit", "app-nounit-1.scope",
			    "/cg/app-nounit-1.scope");
	assert_int_equal(armed, now_us + DELAY);
	advance(DELAY);
	expect_calls(1, "sig nounit background");
}

static void test_restart_reads_kernel(void **state)
{
	(void)state;
	sess.started = false;
	kern[0].path = "/cg/app-a-1.scope";
	kern[0].st = SESS_K_BACKGROUND;
	kern[0].asked = true;
	sess_app_unit_added(&sess, "a", "app-a-1.scope", "/cg/app-a-1.scope");
	sess_app_windows(&sess, "a", 1, 0, mono_us);
	sess.started = true;
	sess_apps_timer(&sess);
	/* Background already, as the kernel holds it: nothing to do. */
	expect_calls(0);
	assert_int_equal(armed, 0);
	sess_app_windows(&sess, "a", 0, 1, mono_us);
	expect_calls(2, "fg /cg/app-a-1.scope", "sig a foreground");
}

static void test_new_instance_grace(void **state)
{
	(void)state;
	app_a_focused();
	sess_app_windows(&sess, "a", 0, -1, mono_us);
	advance(DELAY);
	expect_calls(2, "sig a background", "bg /cg/app-a-1.scope");
	kern[1].path = "/cg/app-a-2.scope";
	kern[1].asked = true;
	sess_app_unit_added(&sess, "a", "app-a-2.scope", "/cg/app-a-2.scope");
	expect_calls(0);
	advance(DELAY);
	expect_calls(1, "bg /cg/app-a-2.scope");
	sess_app_unit_removed(&sess, "/cg/app-a-2.scope");
	sess_apps_release(&sess);
	expect_calls(1, "fg /cg/app-a-1.scope");
}

static void test_shell_says(void **state)
{
	(void)state;
	app_a_focused();
	assert_int_equal(sess_app_set_control(&sess, "a", "sideways"),
			 -EINVAL);
	assert_int_equal(sess_app_set_control(&sess, "", "auto"), -EINVAL);
	assert_int_equal(sess_app_set_control(&sess, "a", "background"), 0);
	advance(DELAY);
	expect_calls(2, "sig a background", "bg /cg/app-a-1.scope");
	assert_int_equal(sess_app_set_control(&sess, "a", "auto"), 0);
	expect_calls(2, "fg /cg/app-a-1.scope", "sig a foreground");
	sess_app_windows(&sess, "a", 0, -1, mono_us);
	assert_int_equal(sess_app_set_control(&sess, "a", "foreground"), 0);
	advance(DELAY * 2);
	expect_calls(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_background_after_delay),
		T(test_back_before_delay),
		T(test_foreground_at_once),
		T(test_which_apps),
		T(test_rules_freeze_and_scan),
		T(test_unmapped_left_alone),
		T(test_restart_reads_kernel),
		T(test_new_instance_grace),
		T(test_shell_says),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
