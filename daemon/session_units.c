// SPDX-License-Identifier: GPL-2.0
/*
 * The user's running apps, as the user manager's cgroup tree shows them:
 * every app-….scope and app-….service under app.slice (and the slices
 * nested in it), systemd.io/DESKTOP_ENVIRONMENTS's place for apps.
 *
 * Read once at start, then kept by inotify on those directories: cgroupfs
 * reports the mkdir and rmdir of a unit's cgroup like any directory's, so
 * nothing is polled and no unit change costs a D-Bus round trip. An
 * overflow of the inotify queue is met with a full re-read.
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include "appid.h"
#include "session.h"

#define WATCH_MASK	(IN_CREATE | IN_DELETE | IN_ONLYDIR)

struct sess_watch {
	int wd;
	char *path;
	bool top;			/* the user manager's own directory */
};

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && !strcmp(s + n - m, suffix);
}

static void unit_found(struct sess *s, const char *dir, const char *name)
{
	struct appid a;
	char *path;

	/* voipwaked's own reading of the convention, so both agree. */
	if (appid_from_unit(name, &a) || !a.id[0] ||
	    strlen(a.id) > SESS_ID_MAX)
		return;
	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return;
	sess_app_unit_added(s, a.id, name, path);
	free(path);
}

static int watch_slice(struct sess *s, const char *path, bool top);

static void dir_entry(struct sess *s, const struct sess_watch *w,
		      const char *name)
{
	char *path;

	if (w->top) {
		if (strcmp(name, "app.slice"))
			return;
	} else if (!ends_with(name, ".slice")) {
		unit_found(s, w->path, name);
		return;
	}
	if (asprintf(&path, "%s/%s", w->path, name) < 0)
		return;
	watch_slice(s, path, false);
	free(path);
}

/* Watches @path and takes in what it already holds. */
static int watch_slice(struct sess *s, const char *path, bool top)
{
	struct sess_watch *ws, *w;
	struct dirent *de;
	size_t i;
	DIR *d;
	int wd;

	wd = inotify_add_watch(s->inotify_fd, path, WATCH_MASK);
	if (wd < 0) {
		if (errno != ENOENT)
			sess_log(LOG_WARNING, NULL, "cannot watch %s: %m", path);
		return -errno;
	}
	for (i = 0; i < s->nwatches; i++)
		if (s->watches[i].wd == wd)
			break;
	if (i == s->nwatches) {
		ws = realloc(s->watches, (i + 1) * sizeof(*ws));
		if (!ws)
			return -ENOMEM;
		s->watches = ws;
		ws[i].path = strdup(path);
		if (!ws[i].path)
			return -ENOMEM;
		ws[i].wd = wd;
		ws[i].top = top;
		s->nwatches++;
	}
	w = &s->watches[i];
	/* Read after the watch is set: nothing created meanwhile is missed. */
	d = opendir(path);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		dir_entry(s, w, de->d_name);
		w = &s->watches[i];	/* the array may have moved */
	}
	closedir(d);
	return 0;
}

static void watch_gone(struct sess *s, int wd)
{
	size_t i;

	for (i = 0; i < s->nwatches; i++) {
		if (s->watches[i].wd != wd)
			continue;
		free(s->watches[i].path);
		s->watches[i] = s->watches[--s->nwatches];
		return;
	}
}

/* After lost events: units that went away, then everything there is. */
static void rescan(struct sess *s)
{
	struct sess_app *a, *an;
	struct sess_unit *u, *un;
	size_t i;

	sess_log(LOG_NOTICE, NULL, "inotify queue overflowed: reading every app unit again");
	for (a = s->apps; a; a = an) {
		an = a->next;
		for (u = a->units; u; u = un) {
			un = u->next;
			if (access(u->path, F_OK) && errno == ENOENT)
				sess_app_unit_removed(s, u->path);
		}
	}
	for (i = 0; i < s->nwatches; i++)
		free(s->watches[i].path);
	s->nwatches = 0;
	watch_slice(s, s->user_cgroup, true);
}

static int on_inotify(sd_event_source *src, int fd, uint32_t revents,
		      void *arg)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	struct sess *s = arg;
	ssize_t n;
	size_t i;
	char *path;

	(void)src;
	(void)revents;
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			return 0;
		for (ev = (void *)buf; (char *)ev < buf + n;
		     ev = (void *)((char *)ev + sizeof(*ev) + ev->len)) {
			if (ev->mask & IN_Q_OVERFLOW) {
				rescan(s);
				continue;
			}
			if (ev->mask & IN_IGNORED) {
				watch_gone(s, ev->wd);
				continue;
			}
			if (!(ev->mask & IN_ISDIR) || !ev->len)
				continue;
			for (i = 0; i < s->nwatches; i++)
				if (s->watches[i].wd == ev->wd)
					break;
			if (i == s->nwatches)
				continue;
			if (ev->mask & IN_CREATE) {
				dir_entry(s, &s->watches[i], ev->name);
			} else if (ev->mask & IN_DELETE &&
				   asprintf(&path, "%s/%s", s->watches[i].path,
					    ev->name) >= 0) {
				sess_app_unit_removed(s, path);
				free(path);
			}
		}
	}
}

/* Where cgroup2 is mounted, from /proc/self/mountinfo. */
static char *cgroup2_mount(void)
{
	char line[4096], mnt[PATH_MAX], *sep;
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *ret = NULL;

	if (!f)
		return NULL;
	while (!ret && fgets(line, sizeof(line), f)) {
		sep = strstr(line, " - ");
		if (!sep || strncmp(sep, " - cgroup2 ", 11))
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1)
			ret = strdup(mnt);
	}
	fclose(f);
	return ret;
}

/* @pid's cgroup (0: ours), below the cgroup2 mount: "/user.slice/...". */
static int proc_cgroup(pid_t pid, char *buf, size_t len)
{
	char file[64], line[4096];
	int ret = -ENOENT;
	FILE *f;

	if (pid)
		snprintf(file, sizeof(file), "/proc/%d/cgroup", (int)pid);
	else
		snprintf(file, sizeof(file), "/proc/self/cgroup");
	f = fopen(file, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::/", 4))
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(buf, len, "%s", line + 3);
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}

char *sess_pid_cgroup(pid_t pid)
{
	char rel[4096], *mnt, *ret = NULL;

	if (proc_cgroup(pid, rel, sizeof(rel)))
		return NULL;
	mnt = cgroup2_mount();
	if (mnt && asprintf(&ret, "%s%s", mnt, rel) < 0)
		ret = NULL;
	free(mnt);
	return ret;
}

/*
 * The user manager's cgroup: ours (we are one of its services) up to its
 * "user@UID.service" component.
 */
static char *find_user_cgroup(void)
{
	char *self = sess_pid_cgroup(0), *comp, *end;

	if (!self)
		return NULL;
	for (comp = strchr(self + 1, '/'); comp; comp = end) {
		comp++;
		end = strchrnul(comp, '/');
		if (end - comp > 13 && !strncmp(comp, "user@", 5) &&
		    !strncmp(end - 8, ".service", 8)) {
			*end = '\0';
			return self;
		}
		if (!*end)
			break;
	}
	free(self);
	return NULL;
}

int sess_units_init(struct sess *s, const char *user_cgroup)
{
	int ret;

	s->user_cgroup = user_cgroup ? strdup(user_cgroup) :
				       find_user_cgroup();
	if (!s->user_cgroup) {
		sess_log(LOG_ERR, NULL, "not a service of a user manager (no user@UID.service in /proc/self/cgroup): give --user-cgroup");
		return -ENOENT;
	}
	s->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (s->inotify_fd < 0)
		return -errno;
	ret = sd_event_add_io(s->event, &s->inotify_src, s->inotify_fd,
			      EPOLLIN, on_inotify, s);
	if (ret < 0)
		return ret;
	ret = watch_slice(s, s->user_cgroup, true);
	if (ret < 0)
		sess_log(LOG_ERR, NULL, "cannot watch the user manager's cgroup %s: %s",
			 s->user_cgroup, strerror(-ret));
	return ret;
}

void sess_units_fini(struct sess *s)
{
	size_t i;

	sd_event_source_disable_unref(s->inotify_src);
	s->inotify_src = NULL;
	if (s->inotify_fd >= 0)
		close(s->inotify_fd);
	s->inotify_fd = -1;
	for (i = 0; i < s->nwatches; i++)
		free(s->watches[i].path);
	free(s->watches);
	s->watches = NULL;
	s->nwatches = 0;
	free(s->user_cgroup);
	s->user_cgroup = NULL;
}
