// SPDX-License-Identifier: GPL-2.0
/*
 * voipwake-app-exec NAME: the app of /etc/voipwake/apps.d/NAME.conf, as
 * the ExecStart= of voipwake-app@NAME.service. Runs as root, because the
 * app's User= can be anyone; reads the file with voipwaked's own parser,
 * becomes User= (groups, gid, uid, each checked) and execs Exec=, split as
 * voipwaked splits it (exec_split.h). The unit's main process is then the
 * app itself, so systemd's exit status is the app's.
 *
 * The caller chooses only NAME: the unprivileged voipwaked may start
 * these units (the package's polkit rule), and what runs as whom is what
 * root wrote in apps.d. Anything else is refused, said on stderr (the
 * unit's journal), with a status voipwaked reports and backs off on.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "conf.h"
#include "exec_split.h"

#define ME	"voipwake-app-exec"

static int refuse(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int refuse(int status, const char *fmt, ...)
{
	va_list ap;

	fputs(ME ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

/*
 * Whoever may write the file, or rename another into its place in its
 * directory, decides what runs, as anyone: only root's will do, as sudo
 * holds its sudoers to. With both directories root's alone, the file
 * checked after parsing is the file parsed.
 */
static int check_owner(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return refuse(EX_CONFIG, "%s: %s", path, strerror(errno));
	if (st.st_uid || (st.st_mode & (S_IWGRP | S_IWOTH)))
		return refuse(EX_CONFIG,
			      "%s: not owned by root, or writable by others than root: refused",
			      path);
	return 0;
}

/* Becomes @name: its groups, then its gid, then its uid, each checked. */
static int become(const char *name)
{
	struct passwd *pw;

	errno = 0;
	pw = getpwnam(name);
	if (!pw)
		return refuse(EX_NOUSER, "User=%s: %s", name,
			      errno ? strerror(errno) : "no such user");
	if (initgroups(pw->pw_name, pw->pw_gid) || setgid(pw->pw_gid) ||
	    setuid(pw->pw_uid))
		return refuse(EX_OSERR, "cannot become %s: %s", name,
			      strerror(errno));
	if (getuid() != pw->pw_uid || geteuid() != pw->pw_uid ||
	    getgid() != pw->pw_gid || getegid() != pw->pw_gid ||
	    (pw->pw_uid && !setuid(0)))
		return refuse(EX_OSERR, "cannot become %s: ids still %u/%u %u/%u",
			      name, getuid(), geteuid(), getgid(), getegid());
	/* What systemd's User= and WorkingDirectory=~ gave the app. */
	if (setenv("HOME", pw->pw_dir, 1) || setenv("USER", pw->pw_name, 1) ||
	    setenv("LOGNAME", pw->pw_name, 1) ||
	    setenv("SHELL", pw->pw_shell, 1))
		return refuse(EX_OSERR, "environment: %s", strerror(errno));
	if (chdir(pw->pw_dir))
		return refuse(EX_OSERR, "User=%s: home %s: %s", name,
			      pw->pw_dir, strerror(errno));
	return 0;
}

int main(int argc, char **argv)
{
	static struct conf_app app;
	char err[CONF_PATH_MAX + 256];
	wordexp_t we;
	int ret;

	if (argc != 2)
		return refuse(EX_USAGE, "usage: " ME " NAME (the app of "
			      CONF_DIR "/" CONF_APPS "/NAME.conf)");
	ret = check_owner(CONF_DIR);
	if (!ret)
		ret = check_owner(CONF_DIR "/" CONF_APPS);
	if (ret)
		return ret;
	ret = conf_load_app(CONF_DIR, argv[1], &app, err, sizeof(err));
	if (ret)
		return refuse(EX_CONFIG, "%s", err);
	if (!app.exec[0])
		return refuse(EX_CONFIG,
			      "%s: no Exec=: app %s is started by others, not by voipwaked",
			      app.file, app.name);
	ret = check_owner(app.file);
	if (!ret && app.user[0])
		ret = become(app.user);
	if (ret)
		return ret;
	/* After become(): "~" and $HOME are the app's user's. */
	if (exec_split(app.exec, &we))
		return refuse(EX_CONFIG, "%s: Exec= '%s' cannot be split into words",
			      app.file, app.exec);
	execvp(we.we_wordv[0], we.we_wordv);
	ret = errno;
	refuse(0, "cannot run %s (Exec= of %s): %s", we.we_wordv[0], app.file,
	       strerror(ret));
	/* As a shell says it: not found, or found and not runnable. */
	return ret == ENOENT ? 127 : 126;
}
