// SPDX-License-Identifier: GPL-2.0
/*
 * The compositor's windows, through wlr-foreign-toplevel-management-
 * unstable-v1 (phoc, sway, labwc): each toplevel's app_id and whether it
 * is activated (has the focus), as of its last done event. Every change
 * is handed to the policy as a difference: one window more or less for
 * an app ID, one activated window more or less.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <wayland-client.h>

#include "session.h"
#include "session_conf.h"
#include "wlr-foreign-toplevel-management-unstable-v1-client-protocol.h"

#define MANAGER_VERSION	3	/* the version protocols/ describes */

struct toplevel {
	struct toplevel *next;
	struct sess_wl *wl;
	struct zwlr_foreign_toplevel_handle_v1 *h;
	char *id;			/* as counted by the policy */
	bool activated;
	bool counted;
	char *next_id;			/* as the compositor says it now */
	bool next_activated;
};

struct sess_wl {
	struct sess *s;
	struct wl_display *display;
	struct wl_registry *registry;
	struct zwlr_foreign_toplevel_manager_v1 *manager;
	uint32_t manager_name;
	sd_event_source *src;
	struct toplevel *tops;
	uint64_t seen_us;		/* when the events at hand were read */
	bool said_no_id;
};

static void lost(struct sess_wl *wl, const char *why)
{
	sess_log(LOG_NOTICE, NULL, "the compositor is gone (%s): stopping", why);
	sd_event_exit(wl->s->event, 0);
}

static void top_title(void *data, struct zwlr_foreign_toplevel_handle_v1 *h,
		      const char *title)
{
	(void)data, (void)h, (void)title;
}

static void top_app_id(void *data, struct zwlr_foreign_toplevel_handle_v1 *h,
		       const char *app_id)
{
	struct toplevel *t = data;
	char *id = strdup(app_id);

	(void)h;
	if (!id)
		return;
	free(t->next_id);
	t->next_id = id;
}

static void top_output(void *data, struct zwlr_foreign_toplevel_handle_v1 *h,
		       struct wl_output *output)
{
	(void)data, (void)h, (void)output;
}

static void top_state(void *data, struct zwlr_foreign_toplevel_handle_v1 *h,
		      struct wl_array *state)
{
	struct toplevel *t = data;
	uint32_t *st;

	(void)h;
	t->next_activated = false;
	wl_array_for_each(st, state)
		if (*st == ZWLR_FOREIGN_TOPLEVEL_HANDLE_V1_STATE_ACTIVATED)
			t->next_activated = true;
}

static void uncount(struct toplevel *t)
{
	if (t->counted)
		sess_app_windows(t->wl->s, t->id, -1, -(int)t->activated,
				 t->wl->seen_us);
	t->counted = false;
}

static void top_done(void *data, struct zwlr_foreign_toplevel_handle_v1 *h)
{
	struct toplevel *t = data;
	struct sess_wl *wl = t->wl;
	const char *id = t->next_id ?: "";

	(void)h;
	if (t->counted && !strcmp(t->id, id)) {
		if (t->activated != t->next_activated)
			sess_app_windows(wl->s, id, 0,
					 t->next_activated ? 1 : -1,
					 wl->seen_us);
		t->activated = t->next_activated;
		return;
	}
	uncount(t);
	free(t->id);
	t->id = strdup(id);
	t->activated = t->next_activated;
	if (!t->id)
		return;
	if (!sess_id_valid(id)) {
		if (!wl->said_no_id)
			sess_log(LOG_NOTICE, NULL, "a window with app ID '%s' cannot be told to be any app's: left alone (said once)",
				 id);
		wl->said_no_id = true;
		return;
	}
	t->counted = true;
	sess_app_windows(wl->s, id, 1, t->activated, wl->seen_us);
}

static void top_free(struct toplevel *t)
{
	struct toplevel **pp;

	for (pp = &t->wl->tops; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	zwlr_foreign_toplevel_handle_v1_destroy(t->h);
	free(t->id);
	free(t->next_id);
	free(t);
}

static void top_closed(void *data, struct zwlr_foreign_toplevel_handle_v1 *h)
{
	struct toplevel *t = data;

	(void)h;
	uncount(t);
	top_free(t);
}

static void top_parent(void *data, struct zwlr_foreign_toplevel_handle_v1 *h,
		       struct zwlr_foreign_toplevel_handle_v1 *parent)
{
	(void)data, (void)h, (void)parent;
}

static const struct zwlr_foreign_toplevel_handle_v1_listener top_listener = {
	.title = top_title,
	.app_id = top_app_id,
	.output_enter = top_output,
	.output_leave = top_output,
	.state = top_state,
	.done = top_done,
	.closed = top_closed,
	.parent = top_parent,
};

static void mgr_toplevel(void *data,
			 struct zwlr_foreign_toplevel_manager_v1 *mgr,
			 struct zwlr_foreign_toplevel_handle_v1 *h)
{
	struct sess_wl *wl = data;
	struct toplevel *t = calloc(1, sizeof(*t));

	(void)mgr;
	if (!t) {
		zwlr_foreign_toplevel_handle_v1_destroy(h);
		return;
	}
	t->wl = wl;
	t->h = h;
	t->next = wl->tops;
	wl->tops = t;
	zwlr_foreign_toplevel_handle_v1_add_listener(h, &top_listener, t);
}

static void mgr_finished(void *data,
			 struct zwlr_foreign_toplevel_manager_v1 *mgr)
{
	struct sess_wl *wl = data;

	zwlr_foreign_toplevel_manager_v1_destroy(mgr);
	wl->manager = NULL;
	lost(wl, "it stopped listing windows");
}

static const struct zwlr_foreign_toplevel_manager_v1_listener mgr_listener = {
	.toplevel = mgr_toplevel,
	.finished = mgr_finished,
};

static void reg_global(void *data, struct wl_registry *reg, uint32_t name,
		       const char *iface, uint32_t version)
{
	struct sess_wl *wl = data;

	if (wl->manager ||
	    strcmp(iface, zwlr_foreign_toplevel_manager_v1_interface.name))
		return;
	wl->manager = wl_registry_bind(reg, name,
				       &zwlr_foreign_toplevel_manager_v1_interface,
				       version < MANAGER_VERSION ?
				       version : MANAGER_VERSION);
	wl->manager_name = name;
	zwlr_foreign_toplevel_manager_v1_add_listener(wl->manager,
						      &mgr_listener, wl);
}

static void reg_global_remove(void *data, struct wl_registry *reg,
			      uint32_t name)
{
	struct sess_wl *wl = data;

	(void)reg;
	if (wl->manager && name == wl->manager_name)
		lost(wl, "it withdrew the toplevel manager");
}

static const struct wl_registry_listener reg_listener = {
	.global = reg_global,
	.global_remove = reg_global_remove,
};

static int on_prepare(sd_event_source *src, void *arg)
{
	struct sess_wl *wl = arg;

	(void)src;
	wl_display_dispatch_pending(wl->display);
	wl_display_flush(wl->display);
	return 0;
}

static int on_io(sd_event_source *src, int fd, uint32_t revents, void *arg)
{
	struct sess_wl *wl = arg;

	(void)src, (void)fd;
	wl->seen_us = sess_mono_us();
	if (!(revents & EPOLLIN) || wl_display_dispatch(wl->display) < 0) {
		sd_event_source_set_enabled(wl->src, SD_EVENT_OFF);
		lost(wl, strerror(wl_display_get_error(wl->display) ?: EPIPE));
		return 0;
	}
	wl_display_flush(wl->display);
	return 0;
}

/* The compositor must never be frozen: its cgroup, from its socket. */
static void protect_compositor(struct sess_wl *wl)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	char *path;

	if (getsockopt(wl_display_get_fd(wl->display), SOL_SOCKET,
		       SO_PEERCRED, &cred, &len))
		return;
	path = sess_pid_cgroup(cred.pid);
	sess_kernel_protect(wl->s, 0, path);
	free(path);
}

int sess_wl_init(struct sess *s)
{
	struct sess_wl *wl = calloc(1, sizeof(*wl));
	int ret;

	if (!wl)
		return -ENOMEM;
	s->wl = wl;
	wl->s = s;
	wl->display = wl_display_connect(NULL);
	if (!wl->display) {
		sess_log(LOG_ERR, NULL, "cannot connect to the Wayland compositor (WAYLAND_DISPLAY=%s): %m",
			 getenv("WAYLAND_DISPLAY") ?: "");
		return -errno ?: -ECONNREFUSED;
	}
	protect_compositor(wl);
	wl->registry = wl_display_get_registry(wl->display);
	wl_registry_add_listener(wl->registry, &reg_listener, wl);
	/* The globals; then every window as it is, with its done. */
	wl->seen_us = sess_mono_us();
	if (wl_display_roundtrip(wl->display) < 0 ||
	    wl_display_roundtrip(wl->display) < 0) {
		sess_log(LOG_ERR, NULL, "the compositor hung up at once");
		return -EPIPE;
	}
	if (!wl->manager) {
		sess_log(LOG_ERR, NULL, "the compositor offers no %s (phoc, sway and labwc do): nothing to follow",
			 zwlr_foreign_toplevel_manager_v1_interface.name);
		return -EPROTONOSUPPORT;
	}
	ret = sd_event_add_io(s->event, &wl->src,
			      wl_display_get_fd(wl->display), EPOLLIN, on_io,
			      wl);
	if (ret >= 0)
		ret = sd_event_source_set_prepare(wl->src, on_prepare);
	return ret < 0 ? ret : 0;
}

void sess_wl_fini(struct sess *s)
{
	struct sess_wl *wl = s->wl;

	if (!wl)
		return;
	sd_event_source_disable_unref(wl->src);
	while (wl->tops)
		top_free(wl->tops);
	if (wl->manager)
		zwlr_foreign_toplevel_manager_v1_destroy(wl->manager);
	if (wl->registry)
		wl_registry_destroy(wl->registry);
	/* The handles' destroy requests, before the socket closes. */
	if (wl->display) {
		wl_display_flush(wl->display);
		wl_display_disconnect(wl->display);
	}
	free(wl);
	s->wl = NULL;
}
