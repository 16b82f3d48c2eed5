// SPDX-License-Identifier: GPL-2.0
/*
 * Apps voipwaked starts (Exec=): each in its own cgroup, relaunched as iOS
 * relaunches a VoIP app: after a non-zero exit or a signal, with a backoff
 * of 1 s doubling to RestartMaxSec, started over once a launch has stayed
 * up RestartResetSec. An exit with status 0 is the app's own decision and
 * is respected.
 *
 * The daemon is a child subreaper, and apps live in cgroups of their own,
 * so a restarted daemon finds its apps still running (the kernel keeps
 * waking them meanwhile) and adopts them instead of starting twins. It
 * cannot know how an adopted app exits, and relaunches it when its cgroup
 * empties.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wordexp.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "vwd.h"

static int mkdir_p(const char *path)
{
	char buf[VW_PATH_MAX], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return mkdir(buf, 0755) && errno != EEXIST ? -errno : 0;
}

static int write_file(const char *dir, const char *file, const char *s)
{
	char path[VW_PATH_MAX + 32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n < 0 ? -errno : 0;
}

/* The first pid in the app's cgroup, 0 if it has none. */
static pid_t cgroup_first_pid(const char *cgroup)
{
	char path[VW_PATH_MAX + 32];
	int pid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%d", &pid) != 1)
		pid = 0;
	fclose(f);
	return pid;
}

void vwd_launch_adopt(struct vwd_app *a)
{
	a->pid = cgroup_first_pid(a->conf.cgroup);
	a->adopted = a->pid > 0;
	a->finished = false;
	a->backoff_s = 1;
	a->started_at = vwd_now_ms();
	/* Running already: it was backgrounded (or not) by whoever ran it. */
	a->backgrounded = a->adopted;
	a->relaunch_at = a->adopted ? 0 : a->started_at;
	if (a->adopted)
		vwd_log(LOG_INFO, "app %s is running (pid %d): adopted",
			a->conf.name, a->pid);
}

/* In the child: join the cgroup, drop to the user, exec. Never returns. */
static void child(const struct vw_app_conf *c, char **argv)
{
	struct passwd *pw = NULL;
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (write_file(c->cgroup, "cgroup.procs", "0")) {
		fprintf(stderr, "<3>" VWD_PROG ": app %s: cannot join %s: %m\n",
			c->name, c->cgroup);
		_exit(126);
	}
	if (c->user[0]) {
		pw = getpwnam(c->user);
		if (!pw || initgroups(pw->pw_name, pw->pw_gid) ||
		    setgid(pw->pw_gid) || setuid(pw->pw_uid)) {
			fprintf(stderr, "<3>" VWD_PROG ": app %s: cannot become user %s\n",
				c->name, c->user);
			_exit(126);
		}
	}
	if (chdir(pw ? pw->pw_dir : "/"))
		(void)!chdir("/");
	setsid();
	execv(argv[0], argv);
	fprintf(stderr, "<3>" VWD_PROG ": app %s: cannot run %s: %m\n",
		c->name, argv[0]);
	_exit(127);
}

static void launch(struct vwd *d, struct vwd_app *a)
{
	wordexp_t we;
	pid_t pid;
	int ret, fd;

	a->relaunch_at = 0;
	ret = wordexp(a->conf.exec, &we, WRDE_NOCMD | WRDE_UNDEF);
	if (ret || !we.we_wordc) {
		vwd_log(LOG_ERR, "app %s: Exec= '%s' cannot be split into words",
			a->conf.name, a->conf.exec);
		if (!ret)
			wordfree(&we);
		a->finished = true;
		return;
	}
	ret = mkdir_p(a->conf.cgroup);
	if (ret) {
		vwd_log(LOG_ERR, "app %s: cannot create cgroup %s: %s",
			a->conf.name, a->conf.cgroup, strerror(-ret));
		wordfree(&we);
		a->relaunch_at = vwd_now_ms() + 1000ULL * a->backoff_s;
		return;
	}
	/* A cgroup left in the background would freeze it as it starts. */
	fd = vwd_cgroup_open(a->conf.cgroup);
	if (fd >= 0) {
		vw_app_set_state(d->c, fd, VOIPWAKE_APP_STATE_FOREGROUND);
		close(fd);
	}
	pid = fork();
	if (pid == 0)
		child(&a->conf, we.we_wordv);
	wordfree(&we);
	if (pid < 0) {
		vwd_log(LOG_ERR, "app %s: fork: %s", a->conf.name,
			strerror(errno));
		a->relaunch_at = vwd_now_ms() + 1000ULL * a->backoff_s;
		return;
	}
	a->pid = pid;
	a->adopted = false;
	a->backgrounded = false;
	a->started_at = vwd_now_ms();
	vwd_log(LOG_INFO, "app %s started (pid %d) in %s", a->conf.name, pid,
		a->conf.cgroup);
}

/* An unclean end: relaunch after the backoff, which then doubles. */
static void plan_relaunch(struct vwd_app *a, const char *how)
{
	uint64_t now = vwd_now_ms();

	if (now - a->started_at >= 1000ULL * a->conf.restart_reset_s)
		a->backoff_s = 1;
	a->relaunch_at = now + 1000ULL * a->backoff_s;
	a->failed = true;
	vwd_log(LOG_WARNING, "app %s %s after %llu s up: relaunch %u in %u s",
		a->conf.name, how,
		(unsigned long long)(now - a->started_at) / 1000,
		a->relaunches + 1, a->backoff_s);
	a->backoff_s = a->backoff_s * 2 > a->conf.restart_max_s ?
		       a->conf.restart_max_s : a->backoff_s * 2;
}

void vwd_launch_tick(struct vwd *d, struct vwd_app *a)
{
	uint64_t now = vwd_now_ms();
	int fd;

	if (d->stopping || a->finished)
		return;
	if (a->adopted && a->pid && !cgroup_first_pid(a->conf.cgroup)) {
		a->pid = 0;
		a->adopted = false;
		plan_relaunch(a, "exited while adopted (status unknown)");
	}
	if (!a->pid && a->relaunch_at && now >= a->relaunch_at) {
		if (a->failed) {
			a->relaunches++;
			a->failed = false;
		}
		launch(d, a);
		return;
	}
	if (!a->pid || a->backgrounded || !a->conf.background)
		return;
	/* Ready once it has marked a socket, or when its startup time is up. */
	if ((a->in_kernel && a->ki.socks) ||
	    now - a->started_at >= 1000ULL * a->conf.startup_s) {
		fd = vwd_cgroup_open(a->conf.cgroup);
		if (fd < 0)
			return;
		if (vw_app_set_state(d->c, fd, VOIPWAKE_APP_STATE_BACKGROUND))
			vwd_log(LOG_ERR, "cannot background app %s: %s",
				a->conf.name, vw_last_error(d->c) ?: "");
		else
			vwd_log(LOG_INFO, "app %s backgrounded", a->conf.name);
		a->backgrounded = true;
		close(fd);
	}
}

static struct vwd_app *by_pid(struct vwd *d, pid_t pid)
{
	size_t i;

	for (i = 0; i < d->napps; i++)
		if (d->apps[i].pid == pid && !d->apps[i].adopted)
			return &d->apps[i];
	return NULL;
}

void vwd_launch_reap(struct vwd *d)
{
	struct vwd_app *a;
	char how[64];
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		a = by_pid(d, pid);
		if (!a)
			continue;	/* an orphan we reap as subreaper */
		a->pid = 0;
		if (WIFEXITED(status) && !WEXITSTATUS(status)) {
			a->finished = true;
			vwd_log(LOG_INFO, "app %s exited with status 0: not relaunched",
				a->conf.name);
			continue;
		}
		if (WIFEXITED(status))
			snprintf(how, sizeof(how), "exited with status %d",
				 WEXITSTATUS(status));
		else
			snprintf(how, sizeof(how), "was killed by signal %d (%s)",
				 WTERMSIG(status), strsignal(WTERMSIG(status)));
		if (!d->stopping)
			plan_relaunch(a, how);
	}
}

/* Sends @sig to every process in @cgroup; the number signalled. */
static int signal_cgroup(const char *cgroup, int sig)
{
	char path[VW_PATH_MAX + 32];
	int pid, n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fscanf(f, "%d", &pid) == 1)
		n += !kill(pid, sig);
	fclose(f);
	return n;
}

/*
 * OnDaemonStop=stop, for apps it launched: they were thawed already;
 * SIGTERM, a grace period, then cgroup.kill for what is left.
 */
void vwd_launch_stop(struct vwd *d)
{
	uint64_t deadline = vwd_now_ms() + VWD_STOP_WAIT_MS;
	struct vwd_app *a;
	bool left;
	size_t i;

	for (i = 0; i < d->napps; i++) {
		a = &d->apps[i];
		if (a->conf.exec[0] && a->conf.policy.on_stop == VW_ON_STOP_STOP &&
		    signal_cgroup(a->conf.cgroup, SIGTERM))
			vwd_log(LOG_INFO, "stopping app %s", a->conf.name);
	}
	do {
		vwd_launch_reap(d);
		left = false;
		for (i = 0; i < d->napps; i++) {
			a = &d->apps[i];
			if (a->conf.exec[0] &&
			    a->conf.policy.on_stop == VW_ON_STOP_STOP &&
			    cgroup_first_pid(a->conf.cgroup))
				left = true;
		}
		if (left)
			usleep(50000);
	} while (left && vwd_now_ms() < deadline);
	for (i = 0; left && i < d->napps; i++) {
		a = &d->apps[i];
		if (a->conf.exec[0] && a->conf.policy.on_stop == VW_ON_STOP_STOP &&
		    cgroup_first_pid(a->conf.cgroup)) {
			vwd_log(LOG_WARNING, "app %s did not stop in %d ms: killed",
				a->conf.name, VWD_STOP_WAIT_MS);
			write_file(a->conf.cgroup, "cgroup.kill", "1");
		}
	}
	vwd_launch_reap(d);
}
