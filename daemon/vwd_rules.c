// SPDX-License-Identifier: GPL-2.0
/*
 * MarkSockets=: voipwaked marks an unmodified app's connections for it,
 * each time the app is frozen (the first time it is backgrounded, and
 * again after every wake window), and when the daemon starts or reloads
 * and finds it in the background. With a module that has the freeze gate
 * (VOIPWAKE_FEATURE_FREEZE_GATE), before each freeze: the daemon sets the
 * app's gate (MarkGateMs=), the module tells it before it freezes the app
 * and waits, bounded, for its answer, and the daemon marks and answers.
 * Again once the freeze is complete (APP_FROZEN_NTF), for a connection
 * the app opened between the scan and the freeze, or after a gate nobody
 * answered in time: marking a socket that already holds unread data (or a
 * peer's close) wakes the frozen app at once, so nothing that arrived in
 * between is lost (Documentation/admin-guide.rst says what is and is not
 * guaranteed).
 *
 * The marks go through a client of their own: the module sends a
 * marker the events of the socket's app, and the daemon's main client,
 * which hears them all from the admin group, must not hear them twice.
 * That client's events are read and dropped.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "sockscan.h"
#include "vwd.h"

static int on_mark_events(sd_event_source *s, int fd, uint32_t revents,
			  void *arg)
{
	struct vwd *d = arg;

	(void)s;
	(void)fd;
	(void)revents;
	/* Dropped: the admin group brings the same ones to d->c. */
	if (d->mark_c)
		vw_dispatch(d->mark_c);
	return 0;
}

static int mark_client(struct vwd *d)
{
	int ret, fd;

	if (d->mark_c)
		return 0;
	ret = vw_open(&d->mark_c);
	if (ret)
		return ret;
	fd = vw_fd(d->mark_c);
	ret = fd < 0 ? fd : sd_event_add_io(d->ev, &d->mark_src, fd, EPOLLIN,
					    on_mark_events, d);
	if (ret)
		vwd_rules_stop(d);
	return ret;
}

void vwd_rules_stop(struct vwd *d)
{
	d->mark_src = sd_event_source_disable_unref(d->mark_src);
	vw_close(d->mark_c);
	d->mark_c = NULL;
}

void vwd_rules_scan(struct vwd_inst *in)
{
	struct vwd_app *a = in->app;
	struct sockscan s;
	int fd, ret;

	if (!a || !a->conf.nrules || !in->d->c)
		return;
	ret = mark_client(in->d);
	if (ret) {
		vwd_log_app(LOG_ERR, in, "rules",
			    "cannot open a client to mark app %s's sockets: %s",
			    a->conf.name, strerror(-ret));
		return;
	}
	fd = vwd_open_app(in);
	if (fd < 0)
		return;		/* gone: its cgroup was removed */
	ret = sockscan_mark(in->d->mark_c, fd, a->conf.rules, a->conf.nrules,
			    &s);
	close(fd);
	if (ret) {
		if (ret != a->rules_err_said)
			vwd_log_app(LOG_ERR, in, "rules",
				    "cannot look for app %s's sockets: %s%s",
				    a->conf.name, strerror(-ret),
				    ret == -ENOENT || ret == -EPROTONOSUPPORT ?
				    " (sock_diag for TCP and UDP: the inet_diag, tcp_diag and udp_diag modules)" :
				    "");
		a->rules_err_said = ret;
		return;
	}
	if (s.marked)
		vwd_log_app(LOG_INFO, in, "rules",
			    "app %s: marked %u socket(s) by MarkSockets= (%u named, %u marked already, %u in all)",
			    a->conf.name, s.marked, s.matched, s.already,
			    s.socks);
	/* Said once per app and cause: it would be said at every freeze. */
	if (s.err && s.err != a->rules_err_said)
		vwd_log_app(LOG_WARNING, in, "rules",
			    "cannot %s a socket of app %s (pid %d) that MarkSockets= names: %s",
			    s.taking ? "take" : "mark", a->conf.name, s.err_pid,
			    sockscan_why(&s));
	a->rules_err_said = s.err;
}

/*
 * Sets or clears the app's freeze gate where the module's differs: on
 * while it has MarkSockets= rules (and MarkGateMs= is not 0). A module
 * without the gate reports no FREEZE_GATE_MS: its apps are marked after
 * each freeze only, as before. An app the module does not know yet (its
 * first background) reports nothing: the library asks the module's
 * features instead, and sends nothing to one without the gate.
 */
void vwd_rules_gate(struct vwd_inst *in, int fd, bool on)
{
	uint32_t want = on ? in->d->conf->mark_gate_ms : 0;
	bool known = in->ki.present & VW_APP_HAS_CGROUP_ID;
	int ret;

	if (known && (!(in->ki.present & VW_APP_HAS_FREEZE_GATE_MS) ||
		      in->ki.freeze_gate_ms == want))
		return;
	if (!known && !want)
		return;
	ret = vw_app_set_freeze_gate(in->d->c, fd, want);
	if (ret == -EOPNOTSUPP)
		return;
	if (ret) {
		vwd_log_app(LOG_ERR, in, "rules",
			    "cannot set the freeze gate of app %s: %s",
			    in->shown, vw_last_error(in->d->c) ?: strerror(-ret));
		return;
	}
	in->ki.freeze_gate_ms = want;
}

/*
 * The module waits for the marks before it freezes the app: mark, then
 * let the freeze through. An answer that comes too late (the gate timed
 * out, or a wake ended it) is refused with ESTALE, and is no matter.
 */
void vwd_rules_gate_open(struct vwd_inst *in)
{
	uint32_t seq = in->ki.freeze_gate_seq;
	int fd, ret;

	if (!(in->ki.present & VW_APP_HAS_FREEZE_GATE_SEQ) || !in->d->c)
		return;
	vwd_rules_scan(in);
	fd = vwd_open_app(in);
	if (fd < 0)
		return;
	ret = vw_app_freeze_gate_done(in->d->c, fd, seq);
	close(fd);
	if (ret && ret != -ESTALE)
		vwd_log_app(LOG_ERR, in, "rules",
			    "cannot let app %s's freeze through: %s", in->shown,
			    vw_last_error(in->d->c) ?: strerror(-ret));
}

/*
 * The module hears of an unmodified app first when it is frozen, too late
 * to gate that freeze: an app named by its cgroup (Cgroup=) is given its
 * gate as soon as its cgroup is there when the daemon connects or
 * reloads, so that its first background waits for the marks too. Apps
 * the daemon starts get theirs before it backgrounds them; apps found by
 * ID or unit, from the first freeze the module tells of.
 */
void vwd_rules_gate_cgroups(struct vwd *d)
{
	const struct conf_app *ca;
	int fd, ret;
	size_t i;

	for (i = 0; d->c && i < d->napps; i++) {
		ca = &d->apps[i]->conf;
		if (!ca->nrules || !ca->cgroup[0] || !d->conf->mark_gate_ms)
			continue;
		fd = cg_open(ca->cgroup);
		if (fd < 0)
			continue;
		ret = vw_app_set_freeze_gate(d->c, fd, d->conf->mark_gate_ms);
		close(fd);
		if (ret && ret != -EOPNOTSUPP)
			vwd_log_conf(LOG_ERR, d->apps[i], "rules",
				     "cannot set the freeze gate of app %s: %s",
				     ca->name,
				     vw_last_error(d->c) ?: strerror(-ret));
	}
}
