// SPDX-License-Identifier: GPL-2.0
/*
 * MarkSockets= for the user's own apps: the connections an app that does
 * not use libvoipwake names in its rules are marked, as the user, each
 * time the agent puts an instance of it in the background, and again at
 * each refreeze after a wake. The agent hears of those refreezes only as
 * a marker of the app's sockets (the module sends each marker the app's
 * events; the admin group is root's), so an app none of whose sockets
 * matched at the background is looked at again only at its next
 * background.
 *
 * pidfd_getfd(2) needs ptrace access to the app: the same user, where
 * Yama's kernel.yama.ptrace_scope is 0 (at 1 only a debugger's
 * descendants can be taken). A refusal is said once per app and cause.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <voipwake.h>

#include "cgroup.h"
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
	if (!u->cgid)
		u->cgid = cg_id(u->path);
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

/* An event of an app one of whose sockets we marked: a refreeze? */
void sess_rules_event(struct sess *s, const struct vw_event *ev)
{
	struct sess_unit *u;
	struct sess_app *a;

	if (ev->type != VOIPWAKE_CMD_APP_FROZEN_NTF ||
	    !(ev->app.present & VW_APP_HAS_CGROUP_ID))
		return;
	for (a = s->apps; a; a = a->next)
		for (u = a->units; u; u = u->next)
			if (u->held && u->cgid == ev->app.cgroup_id)
				sess_rules_scan(s, a, u);
}
