// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * What a handle keeps track of so that a lost event is never a lost wake:
 * the sockets marked through it (whose apps' events come to it), the
 * caller's own app and how far its keep-alive wakes were handled; and the
 * resynchronisation that vw_dispatch() runs after an overflow, which
 * re-reads those apps and hands each to the handlers as a
 * VW_EVENT_RESYNC event.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "client.h"

/**
 * vw_marked_reserve() - make room to remember one more marked socket
 * @c: client
 *
 * Called before SOCK_MARK is sent, so that a mark the module made is
 * never forgotten for want of memory.
 *
 * Return: 0, or -ENOMEM with the message recorded.
 */
int vw_marked_reserve(struct vw_client *c)
{
	if (vw_vec_reserve(&c->marked))
		return vw_client_fail(c, -ENOMEM,
				      "out of memory for the list of marked sockets");
	return 0;
}

static struct vw_marked *vw_marked_find(struct vw_client *c, uint64_t ino)
{
	struct vw_marked *m = c->marked.items;
	size_t i;

	for (i = 0; i < c->marked.n; i++)
		if (m[i].ino == ino)
			return &m[i];
	return NULL;
}

/**
 * vw_marked_add() - remember a socket the module marked for us
 * @c: client, after vw_marked_reserve()
 * @si: the SOCK_MARK reply
 *
 * An inode already listed is one whose close we missed, since reused.
 */
void vw_marked_add(struct vw_client *c, const struct vw_sock_info *si)
{
	struct vw_marked m = {
		.ino = si->ino,
		.app_id = si->present & VW_SOCK_HAS_CGROUP_ID ?
			  si->cgroup_id : 0,
	};
	struct vw_marked *old = vw_marked_find(c, m.ino);

	if (old)
		*old = m;
	else
		vw_vec_push(&c->marked, &m);
}

/**
 * vw_marked_del() - forget a marked socket (unmarked, or closed)
 * @c: client
 * @ino: its inode; nothing happens if it is not listed
 */
void vw_marked_del(struct vw_client *c, uint64_t ino)
{
	struct vw_marked *m = vw_marked_find(c, ino);
	struct vw_marked *last;

	if (!m)
		return;
	last = (struct vw_marked *)c->marked.items + c->marked.n - 1;
	*m = *last;
	c->marked.n--;
}

/**
 * vw_marked_app() - whether a socket of an app was marked through @c
 * @c: client
 * @app_id: the app's cgroup id
 *
 * Return: true if so: the module sends that app's events to @c.
 */
bool vw_marked_app(const struct vw_client *c, uint64_t app_id)
{
	const struct vw_marked *m = c->marked.items;
	size_t i;

	for (i = 0; app_id && i < c->marked.n; i++)
		if (m[i].app_id == app_id)
			return true;
	return false;
}

/**
 * vw_ka_baseline() - start counting the own app's keep-alive wakes
 * @c: client, c->ka_app_id just set from @own
 * @own: the own app, as APP_GET reported it
 *
 * Keep-alive wakes before vw_set_keepalive() are none of its handler's
 * business. Called again for the same app, nothing changes: a wake whose
 * event is still on its way must still run the handler.
 */
void vw_ka_baseline(struct vw_client *c, const struct vw_app_info *own)
{
	c->ka_seen = own->present & VW_APP_HAS_WAKES_KEEPALIVE ?
		     own->wakes_keepalive : 0;
}

static bool vw_is_own(const struct vw_client *c, const struct vw_event *ev)
{
	return c->ka_app_id && ev->app.cgroup_id == c->ka_app_id;
}

/**
 * vw_event_note() - account for an event being delivered
 * @c: client
 * @ev: the event, just handed to the event handler
 *
 * Admin events name other apps too, and an app may be woken for its
 * keep-alive without having asked for the handler: only the own app's
 * keep-alives count. A timer keep-alive carries the app's count of them,
 * and one at or below c->ka_seen was already handled by a resync (its
 * event was still on its way when the count was re-read): its handler
 * does not run twice. A wake for data that served as the keep-alive is
 * not in that count, and always runs it.
 *
 * Return: true if the keep-alive handler is due for @ev.
 */
bool vw_event_note(struct vw_client *c, const struct vw_event *ev)
{
	uint64_t n = ev->app.wakes_keepalive;
	bool counted;

	/* Unmarked by someone else: no resync re-reads its app for it. */
	if (ev->type == VOIPWAKE_CMD_SOCK_CLOSED_NTF ||
	    ev->type == VW_EVENT_UNMARKED) {
		vw_marked_del(c, ev->sock.ino);
		return false;
	}
	if (!vw_is_own(c, ev) || !ev->keepalive)
		return false;
	if (ev->type == VW_EVENT_RESYNC)
		return true;
	if (ev->type != VOIPWAKE_CMD_APP_WOKEN_NTF)
		return false;
	counted = ev->reason == VOIPWAKE_WAKE_KEEPALIVE &&
		  (ev->app.present & VW_APP_HAS_WAKES_KEEPALIVE);
	if (!counted)
		return true;
	if (n <= c->ka_seen)
		return false;
	c->ka_seen = n;
	return true;
}

/**
 * vw_resync_event() - the VW_EVENT_RESYNC event for one app
 * @c: client
 * @ai: the app as just re-read
 * @ev: filled
 *
 * For the own app it also says whether a keep-alive was missed: its
 * count of keep-alive wakes went past the last one handled.
 */
void vw_resync_event(struct vw_client *c, const struct vw_app_info *ai,
		     struct vw_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->size = sizeof(*ev);
	ev->type = VW_EVENT_RESYNC;
	ev->app = *ai;
	ev->app.size = sizeof(ev->app);
	if (!vw_is_own(c, ev))
		return;
	ev->present |= VW_EVENT_HAS_KEEPALIVE;
	if (!(ai->present & VW_APP_HAS_WAKES_KEEPALIVE) ||
	    ai->wakes_keepalive <= c->ka_seen)
		return;
	ev->keepalive = 1;
	c->ka_seen = ai->wakes_keepalive;
}

/**
 * vw_deliver() - hand one event to the handlers
 * @c: client
 * @ev: the event, a copy the handlers' calls cannot overwrite
 */
void vw_deliver(struct vw_client *c, const struct vw_event *ev)
{
	/*
	 * Before the handlers, which may say done. With the admin group,
	 * other apps' wakes come here too: then there is no telling.
	 */
	if (ev->type == VOIPWAKE_CMD_APP_WOKEN_NTF && !c->admin &&
	    (ev->app.present & VW_APP_HAS_WAKE_SEQ)) {
		c->done_seq = ev->app.wake_seq;
		c->done_seq_set = true;
	}
	if (c->event_fn)
		c->event_fn(ev, c->event_arg);
	/* After the event handler, which may have changed the own app. */
	if (vw_event_note(c, ev) && c->ka_fn)
		c->ka_fn(c, c->ka_arg);
}

static bool vw_app_listed(const struct vw_vec *apps, uint64_t id)
{
	const struct vw_app_info *ai = apps->items;
	size_t i;

	for (i = 0; i < apps->n; i++)
		if (ai[i].cgroup_id == id)
			return true;
	return false;
}

/* The own app, unless the module no longer knows it. */
static int vw_resync_own(struct vw_client *c, struct vw_vec *apps)
{
	struct vw_app_info own;
	int ret;

	if (!c->ka_app_id)
		return 0;
	ret = vw_app_query(c, -1, &own);
	if (ret == -ENOENT) {
		vw_client_clear_error(c);
		return 0;
	}
	if (ret)
		return ret;
	/* Moved to another cgroup: vw_set_keepalive() says to call again. */
	if (own.cgroup_id != c->ka_app_id)
		return 0;
	return vw_vec_push(apps, &own) ?
	       vw_client_fail(c, -ENOMEM, "out of memory re-reading apps") :
	       0;
}

/* Every app an admin sees, or the apps of the sockets marked here. */
static int vw_resync_others(struct vw_client *c, struct vw_vec *apps)
{
	struct vw_vec dump = { .item_size = sizeof(struct vw_app_info) };
	const struct vw_app_info *ai;
	size_t i;
	int ret;

	if (!c->admin && !c->marked.n)
		return 0;
	ret = vw_client_dump(c, vw_build_app_dump, vw_parse_app_dump, &dump,
			     "VOIPWAKE_CMD_APP_GET dump");
	ai = dump.items;
	for (i = 0; !ret && i < dump.n; i++) {
		if (!c->admin && !vw_marked_app(c, ai[i].cgroup_id))
			continue;
		if (vw_app_listed(apps, ai[i].cgroup_id))
			continue;
		if (vw_vec_push(apps, &ai[i]))
			ret = vw_client_fail(c, -ENOMEM,
					     "out of memory re-reading apps");
	}
	vw_vec_free(&dump);
	return ret;
}

/* Forget the marked sockets whose close was among the lost events. */
static int vw_resync_marked(struct vw_client *c)
{
	struct vw_vec dump = { .item_size = sizeof(struct vw_sock_info) };
	const struct vw_sock_info *si;
	struct vw_marked *m;
	size_t i, j;
	int ret;

	if (!c->marked.n)
		return 0;
	ret = vw_client_dump(c, vw_build_sock_dump, vw_parse_sock_dump, &dump,
			     "VOIPWAKE_CMD_SOCK_GET dump");
	si = dump.items;
	m = c->marked.items;
	for (i = 0; !ret && i < c->marked.n;) {
		for (j = 0; j < dump.n && si[j].ino != m[i].ino; j++)
			;
		if (j < dump.n)
			i++;
		else
			vw_marked_del(c, m[i].ino);
	}
	vw_vec_free(&dump);
	return ret;
}

/**
 * vw_resync() - put things right after events were lost
 * @c: client, in vw_dispatch()
 * @delivered: set to the number of VW_EVENT_RESYNC events delivered
 *
 * Re-reads the own app (APP_GET), and with an app dump every app whose
 * sockets were marked here (every app, for an admin); prunes the marked
 * sockets that are gone; then delivers a VW_EVENT_RESYNC for each app,
 * the own app first. Its requests go to the request socket and are read
 * without waiting (their answers are queued before sendto() returns), so
 * vw_dispatch() still never blocks. What was read before a request
 * failed is delivered all the same.
 *
 * Return: 0, or the negative errno of the first request that failed,
 * with its message recorded.
 */
int vw_resync(struct vw_client *c, int *delivered)
{
	struct vw_vec apps = { .item_size = sizeof(struct vw_app_info) };
	const struct vw_app_info *ai;
	char failed[VW_ERROR_LEN] = "";
	struct vw_event ev;
	size_t i;
	int ret;

	c->nowait = true;
	ret = vw_resync_own(c, &apps);
	if (!ret)
		ret = vw_resync_others(c, &apps);
	if (!ret)
		ret = vw_resync_marked(c);
	c->nowait = false;
	/* The handlers' calls below overwrite the message. */
	if (ret && c->has_error)
		snprintf(failed, sizeof(failed), "%s", c->error);

	ai = apps.items;
	for (i = 0; i < apps.n; i++) {
		vw_resync_event(c, &ai[i], &ev);
		vw_deliver(c, &ev);
	}
	*delivered = (int)apps.n;
	vw_vec_free(&apps);
	if (!ret)
		return 0;
	if (failed[0])
		return vw_client_fail(c, ret, "%s", failed);
	vw_client_clear_error(c);
	return ret;
}
