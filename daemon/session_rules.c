// SPDX-License-Identifier: GPL-2.0
/*
 * MarkSockets= for the user's own apps: the connections an app that does
 * not use libvoipwake names in its rules are marked, as the user, each
 * time the agent puts an instance of it in the background, and again
 * each time it is frozen after a wake. Those refreezes are seen as
 * cgroupfs tells them, by inotify on the instance's cgroup.events (the
 * module's events reach only root's admin group, and a marker only while
 * a socket it marked lives: not after the app replaced its connection).
 *
 * pidfd_getfd(2) needs ptrace access to the app: the same user, where
 * Yama's kernel.yama.ptrace_scope is 0 (at 1 only a debugger's
 * descendants can be taken). A refusal is said once per app and cause.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <voipwake.h>

#include "session.h"
#include "session_conf.h"
#include "sockscan.h"

void sess_rules_scan(struct sess *s, struct sess_app *a, struct sess_unit *u)
{
	const struct sess_rules *r = sess_conf_rules(s->conf, a->id);
	struct sockscan sc;
	int fd, ret;

	if (!r || !s->vw)
		return;
	fd = open(u->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;		/* gone */
	ret = sockscan_mark(s->vw, fd, r->rules, r->n, &sc);
	close(fd);
	if (ret) {
		if (ret != a->rules_err_said)
			sess_log(LOG_ERR, a->id,
				 "%s: cannot look for the sockets of %s: %s",
				 a->id, u->name, strerror(-ret));
		a->rules_err_said = ret;
		return;
	}
	if (sc.marked)
		sess_log(LOG_INFO, a->id,
			 "%s: marked %u socket(s) of %s by MarkSockets= (%u named, %u marked already, %u in all)",
			 a->id, sc.marked, u->name, sc.matched, sc.already,
			 sc.socks);
	if (sc.err && sc.err != a->rules_err_said)
		sess_log(LOG_WARNING, a->id,
			 "%s: cannot %s a socket of %s (pid %d) that MarkSockets= names: %s",
			 a->id, sc.taking ? "take" : "mark", u->name,
			 sc.err_pid, sockscan_why(&sc));
	a->rules_err_said = sc.err;
}

/* "frozen 1" in the instance's cgroup.events. */
static bool frozen(const struct sess_unit *u)
{
	char path[4096], line[64];
	bool ret = false;
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup.events", u->path);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (!strcmp(line, "frozen 1\n"))
			ret = true;
	fclose(f);
	return ret;
}

static struct sess_unit *unit_of_wd(struct sess *s, int wd, struct sess_app **ap)
{
	struct sess_unit *u;
	struct sess_app *a;

	for (a = s->apps; a; a = a->next)
		for (u = a->units; u; u = u->next)
			if (u->rules_wd == wd) {
				*ap = a;
				return u;
			}
	return NULL;
}

/* cgroup.events changed: a held instance frozen again is looked at. */
static int on_inotify(sd_event_source *src, int fd, uint32_t revents,
		      void *arg)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	struct sess *s = arg;
	struct sess_unit *u;
	struct sess_app *a;
	bool now;
	ssize_t n;
	char *p;

	(void)src, (void)revents;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)p;
			u = unit_of_wd(s, ev->wd, &a);
			if (!u)
				continue;
			if (ev->mask & IN_IGNORED) {
				u->rules_wd = 0;	/* the cgroup is gone */
				continue;
			}
			now = frozen(u);
			if (now && !u->was_frozen && u->held)
				sess_rules_scan(s, a, u);
			u->was_frozen = now;
		}
	}
	return 0;
}

/* Watches a held instance with rules for its refreezes. */
void sess_rules_watch(struct sess *s, struct sess_app *a, struct sess_unit *u)
{
	char path[4096];
	int fd, wd;

	if (!sess_conf_rules(s->conf, a->id) || u->rules_wd)
		return;
	if (!s->rules_src) {
		fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (fd < 0)
			return;
		if (sd_event_add_io(s->event, &s->rules_src, fd, EPOLLIN,
				    on_inotify, s) < 0) {
			close(fd);
			return;
		}
		sd_event_source_set_io_fd_own(s->rules_src, 1);
	}
	snprintf(path, sizeof(path), "%s/cgroup.events", u->path);
	wd = inotify_add_watch(sd_event_source_get_io_fd(s->rules_src), path,
			       IN_MODIFY);
	if (wd < 0) {
		sess_log(LOG_WARNING, a->id,
			 "%s: cannot watch %s for its refreezes (%s): its new connections are marked at its next background only",
			 a->id, u->name, strerror(errno));
		return;
	}
	u->rules_wd = wd;
	u->was_frozen = frozen(u);
}

void sess_rules_fini(struct sess *s)
{
	s->rules_src = sd_event_source_disable_unref(s->rules_src);
}
