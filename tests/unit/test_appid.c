// SPDX-License-Identifier: GPL-2.0
/*
 * daemon/appid.c: systemd's desktop unit names as GNOME, KDE, Flatpak,
 * D-Bus activation and systemd-run write them, cgroup paths as
 * /proc/PID/cgroup gives them, and what an administrator's name matches.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "appid.h"

static void test_units(void **state)
{
	static const struct {
		const char *unit, *id, *launcher;
		bool flatpak;
	} ok[] = {
		{ "app-gnome-org.gnome.Evince-12345.scope", "org.gnome.Evince",
		  "gnome", false },
		{ "app-org.gnome.Evince-12345.scope", "org.gnome.Evince", "",
		  false },
		{ "app-gnome-org.gnome.Evince@12345.service",
		  "org.gnome.Evince", "gnome", false },
		{ "app-org.kde.amarok.service", "org.kde.amarok", "", false },
		{ "app-KDE-org.kde.okular@12345.service", "org.kde.okular",
		  "KDE", false },
		{ "app-flatpak-org.telegram.desktop-4242.scope",
		  "org.telegram.desktop", "flatpak", true },
		{ "app-flatpak-org.telegram.desktop@4242.service",
		  "org.telegram.desktop", "flatpak", true },
		{ "app-gnome-org.gnome.Evolution\\x2dalarm\\x2dnotify-2437.scope",
		  "org.gnome.Evolution-alarm-notify", "gnome", false },
		{ "app-dbus-:1.2-org.gnome.Calls@0.service", "org.gnome.Calls",
		  "dbus", false },
		/* GNOME's launcher, an autostart entry, a launcher's scope. */
		{ "app-gnome-org.gnome.Evince-12345.service",
		  "org.gnome.Evince", "gnome", false },
		{ "app-gnome-foo-autostart.service", "foo", "gnome", false },
		{ "app-org.kde.okular@a1b2.service", "org.kde.okular", "",
		  false },
		{ "app-foot-1234.scope", "foot", "", false },
		{ "app-vwtest-org.voipwake.A-1.scope", "org.voipwake.A",
		  "vwtest", false },
		/* systemd-run --user --scope names a scope run-uUUID, not app-. */
		{ "run-u42.scope", "", "", false },
		{ "baresip.service", "", "", false },
		{ "baresip@work.service", "", "", false },
	};
	static const char *const bad[] = {
		"app-.scope",
		"app-a-b-c.service", "app-a-b-c-d.scope", "app-x\\q-1.scope",
		"app-x\\x2-1.scope", "sshd.socket", "app-org.foo.Bar-.scope",
		"app--org.foo-1.scope", "",
		/* A scope's RANDOM is alphanumeric; no NUL in a name. */
		"app-foo.scope", "app-foo-12.3.scope", "app-a\\x00b-1.scope",
		"app-foo.slice", "app-",
	};
	struct appid a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(appid_from_unit(ok[i].unit, &a), 0);
		assert_string_equal(a.unit, ok[i].unit);
		assert_string_equal(a.id, ok[i].id);
		assert_string_equal(a.launcher, ok[i].launcher);
		assert_int_equal(a.flatpak, ok[i].flatpak);
		assert_int_equal(a.uid, APPID_NO_UID);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (!appid_from_unit(bad[i], &a))
			fail_msg("'%s' taken as app '%s'", bad[i], a.id);
		assert_string_equal(a.id, "");
	}
}

static void test_cgroups(void **state)
{
	struct appid a;

	(void)state;
	assert_int_equal(appid_from_cgroup(
		"/user.slice/user-1000.slice/user@1000.service/app.slice/"
		"app-gnome-org.gnome.Calls-4242.scope", &a), 0);
	assert_string_equal(a.id, "org.gnome.Calls");
	assert_int_equal(a.uid, 1000);

	/* A sub-cgroup of a delegated unit is the unit's. */
	assert_int_equal(appid_from_cgroup(
		"/user.slice/user-1000.slice/user@1000.service/app.slice/"
		"app-org.linphone.linphone@7.service/worker", &a), 0);
	assert_string_equal(a.unit, "app-org.linphone.linphone@7.service");
	assert_string_equal(a.id, "org.linphone.linphone");
	assert_int_equal(a.uid, 1000);

	/*
	 * A system unit (an app voipwaked started: named by its unit, not
	 * by the desktop convention), and the user manager itself.
	 */
	assert_int_equal(appid_from_cgroup(
		"/voipwake.slice/voipwake-apps.slice/voipwake-app@my\\x2dsip.service",
		&a), 0);
	assert_string_equal(a.unit, "voipwake-app@my\\x2dsip.service");
	assert_string_equal(a.id, "");
	assert_string_equal(a.launcher, "");
	assert_int_equal(a.uid, APPID_NO_UID);
	assert_true(appid_matches(&a, "voipwake-app@my\\x2dsip.service"));
	assert_false(appid_matches(&a, "voipwake-app@sip.service"));
	assert_int_equal(appid_from_cgroup(
		"/user.slice/user-1000.slice/user@1000.service", &a), 0);
	assert_string_equal(a.unit, "user@1000.service");
	assert_int_equal(a.uid, APPID_NO_UID);

	assert_int_equal(appid_from_cgroup("/", &a), -ENOENT);
	assert_int_equal(appid_from_cgroup("/user.slice/phone", &a), -ENOENT);
}

static void test_self(void **state)
{
	struct appid a;
	int ret;

	(void)state;
	/* Whatever cgroup this runs in, it parses or has no unit. */
	ret = appid_from_pid(getpid(), &a);
	assert_true(ret == 0 || ret == -ENOENT || ret == -EINVAL);
	assert_int_equal(appid_from_pid(0x7ffffff0, &a), -ESRCH);
}

static void test_matches(void **state)
{
	struct appid a;

	(void)state;
	assert_int_equal(appid_from_unit(
		"app-gnome-org.gnome.Calls-4242.scope", &a), 0);
	assert_true(appid_matches(&a, "org.gnome.Calls"));
	assert_true(appid_matches(&a, "app-gnome-org.gnome.Calls-4242.scope"));
	assert_false(appid_matches(&a, "org.gnome"));
	assert_false(appid_matches(&a, "org.gnome.Calls.scope"));
	assert_false(appid_matches(&a, "app-gnome-org.gnome.Calls-1.scope"));

	assert_int_equal(appid_from_unit("baresip@work.service", &a), 0);
	assert_true(appid_matches(&a, "baresip@.service"));
	assert_true(appid_matches(&a, "baresip@work.service"));
	assert_false(appid_matches(&a, "baresip.service"));
	assert_false(appid_matches(&a, "baresip@.scope"));
	assert_false(appid_matches(&a, "bare@.service"));
	/* A unit that is not an app's has no ID to match. */
	assert_false(appid_matches(&a, ""));
}

static void test_names(void **state)
{
	static const char *const valid[] = {
		"org.gnome.Calls", "baresip", "linphone-desktop",
		"baresip.service", "baresip@.service", "baresip@work.service",
		"app-gnome-org.gnome.Calls-4242.scope",
		"app-gnome-org.gnome.Evolution\\x2dalarm-1.scope",
	};
	static const char *const invalid[] = {
		"", ".hidden", "-x", "a b", "a/b", "x@y", "a@b@.service",
		"@.service", "a;b.service",
	};
	char buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++)
		if (!appid_name_valid(valid[i]))
			fail_msg("'%s' refused", valid[i]);
	for (i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
		if (appid_name_valid(invalid[i]))
			fail_msg("'%s' accepted", invalid[i]);

	assert_int_equal(appid_escape("my-app.v2", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "my\\x2dapp.v2");
	assert_int_equal(appid_escape(".x", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "\\x2ex");
	assert_int_equal(appid_escape("abcdef", buf, 6), -ENAMETOOLONG);
	assert_int_equal(appid_escape("a-", buf, 4), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_cgroups),
		cmocka_unit_test(test_self),
		cmocka_unit_test(test_matches),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests_name("appid", tests, NULL, NULL);
}
