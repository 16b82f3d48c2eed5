// SPDX-License-Identifier: GPL-2.0
/*
 * voipwakectl background, foreground, wake-window, wake-done and
 * keepalive: an app, named by its cgroup v2 directory or by its name in
 * voipwaked's configuration. background and foreground also take an
 * application ID or a unit name, which only voipwaked can resolve to
 * the instances running: those go to it over D-Bus, and it judges the
 * caller as the kernel would.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"

/* A cgroup path for @app, or NULL if only voipwaked can tell. */
static const char *app_cgroup(const char *app)
{
	const struct conf_app *ca = ctl_conf_app(app);
	static char full[4096];

	if (ca)
		return ca->cgroup[0] ? ca->cgroup : NULL;
	snprintf(full, sizeof(full), CGROUP_ROOT "/%s", app);
	if (strchr(app, '/') || !access(full, F_OK))
		return app;
	return NULL;
}

/*
 * Opens the client and the app's cgroup (a path, or an app's name in
 * voipwaked's configuration); on failure, the exit status.
 */
static int app_open(const char *app, struct vw_client **c, int *fd)
{
	const char *path = app_cgroup(app);
	int ret;

	if (!path) {
		fprintf(stderr, PROG ": no cgroup '%s' and no app of that name with Cgroup= in /etc/voipwake/apps.d: name it by its cgroup\n",
			app);
		return EXIT_FAIL;
	}
	ret = ctl_cgroup_open(path, fd);
	if (ret)
		return ret;
	ret = ctl_open(c);
	if (ret)
		close(*fd);
	return ret;
}

static int app_set_state(int argc, char *argv[],
			 enum voipwake_app_state state, const char *verb)
{
	struct vw_client *c;
	struct ctl_args a;
	int ret, fd;

	ret = ctl_parse(argc, argv, 0, 1, 1, &a);
	if (ret >= 0)
		return ret;
	if (!app_cgroup(a.args[0]))
		return ctl_daemon_set_state(a.args[0], verb);
	ret = app_open(a.args[0], &c, &fd);
	if (ret)
		return ret;
	ret = vw_app_set_state(c, fd, state);
	if (ret)
		ctl_report(c, ret, "cannot %s %s", verb, a.args[0]);
	vw_close(c);
	close(fd);
	return ret ? EXIT_FAIL : EXIT_OK;
}

int ctl_background(int argc, char *argv[])
{
	return app_set_state(argc, argv, VOIPWAKE_APP_STATE_BACKGROUND,
			     "background");
}

int ctl_foreground(int argc, char *argv[])
{
	return app_set_state(argc, argv, VOIPWAKE_APP_STATE_FOREGROUND,
			     "foreground");
}

int ctl_wake_window(int argc, char *argv[])
{
	struct vw_client *c;
	struct ctl_args a;
	uint32_t ms;
	int ret, fd;

	ret = ctl_parse(argc, argv, 0, 2, 2, &a);
	if (ret >= 0)
		return ret;
	if (parse_u32(a.args[1], &ms))
		return ctl_cmd_error(argv[0],
				     "MS must be a number of milliseconds, not '%s'",
				     a.args[1]);
	ret = app_open(a.args[0], &c, &fd);
	if (ret)
		return ret;
	ret = vw_app_set_wake_window(c, fd, ms);
	if (ret)
		ctl_report(c, ret, "cannot set the wake window of %s to %u ms",
			   a.args[0], ms);
	vw_close(c);
	close(fd);
	return ret ? EXIT_FAIL : EXIT_OK;
}

int ctl_wake_done(int argc, char *argv[])
{
	struct vw_client *c;
	struct ctl_args a;
	int ret, fd = -1;

	ret = ctl_parse(argc, argv, 0, 0, 1, &a);
	if (ret >= 0)
		return ret;
	if (a.nargs)
		ret = app_open(a.args[0], &c, &fd);
	else
		ret = ctl_open(&c);
	if (ret)
		return ret;
	ret = fd >= 0 ? vw_wake_done_app(c, fd) : vw_wake_done(c);
	if (ret)
		ctl_report(c, ret, "cannot end the wake window of %s",
			   a.nargs ? a.args[0] : "this process's app");
	vw_close(c);
	if (fd >= 0)
		close(fd);
	return ret ? EXIT_FAIL : EXIT_OK;
}

int ctl_keepalive(int argc, char *argv[])
{
	struct vw_client *c;
	struct ctl_args a;
	uint32_t secs;
	int ret, fd;

	ret = ctl_parse(argc, argv, CTL_OPT_TOLERANCE | CTL_OPT_BUDGET, 2, 2,
			&a);
	if (ret >= 0)
		return ret;
	if (!strcmp(a.args[1], "off"))
		secs = 0;
	else if (parse_u32(a.args[1], &secs))
		return ctl_cmd_error(argv[0],
				     "SECONDS must be a number of seconds or off, not '%s'",
				     a.args[1]);
	ret = app_open(a.args[0], &c, &fd);
	if (ret)
		return ret;
	ret = vw_app_set_keepalive(c, fd, secs, a.tolerance_pct, a.budget_ms);
	if (ret && secs)
		ctl_report(c, ret, "cannot set the keep-alive of %s to %u s",
			   a.args[0], secs);
	else if (ret)
		ctl_report(c, ret, "cannot clear the keep-alive of %s",
			   a.args[0]);
	vw_close(c);
	close(fd);
	return ret ? EXIT_FAIL : EXIT_OK;
}
