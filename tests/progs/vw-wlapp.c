// SPDX-License-Identifier: GPL-2.0
/*
 * vw-wlapp APP_ID [TITLE]: a real Wayland app for the session tests. It
 * maps one xdg-shell toplevel with the given app_id (a 64x64 shared-memory
 * buffer, one colour) and reports what the compositor tells it, one line
 * per event, until the compositor asks it to close, or it is killed.
 * A test runs it next to vw-app in one app-….scope: the scope is the app,
 * this is its window, vw-app its signalling connection.
 *
 * Lines on stdout:
 *   mapped app_id=ID                     the first buffer is committed
 *   configure w=W h=H activated=0|1      as xdg_toplevel.configure says;
 *                                        each one, t= CLOCK_MONOTONIC ns
 *   close                                the compositor asked us to close
 *   error what=WHAT errno=NAME           then exit 1
 *
 * Answers xdg_wm_base.ping, so that a compositor that pings never takes
 * it for hung while it runs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include <wayland-client.h>

#include "util.h"
#include "xdg-shell-client-protocol.h"

#define SIZE	64

struct app {
	struct wl_compositor *compositor;
	struct wl_shm *shm;
	struct xdg_wm_base *wm;
	struct wl_surface *surface;
	struct xdg_surface *xsurface;
	struct xdg_toplevel *toplevel;
	struct wl_buffer *buffer;
	const char *app_id;
	bool mapped;
	bool activated;
	bool closed;
};

static void reg_global(void *data, struct wl_registry *reg, uint32_t name,
		       const char *iface, uint32_t version)
{
	struct app *a = data;

	(void)version;
	if (!strcmp(iface, wl_compositor_interface.name))
		a->compositor = wl_registry_bind(reg, name,
						 &wl_compositor_interface, 4);
	else if (!strcmp(iface, wl_shm_interface.name))
		a->shm = wl_registry_bind(reg, name, &wl_shm_interface, 1);
	else if (!strcmp(iface, xdg_wm_base_interface.name))
		a->wm = wl_registry_bind(reg, name, &xdg_wm_base_interface, 1);
}

static void reg_remove(void *data, struct wl_registry *reg, uint32_t name)
{
	(void)data, (void)reg, (void)name;
}

static const struct wl_registry_listener reg_listener = {
	.global = reg_global,
	.global_remove = reg_remove,
};

static void wm_ping(void *data, struct xdg_wm_base *wm, uint32_t serial)
{
	(void)data;
	xdg_wm_base_pong(wm, serial);
}

static const struct xdg_wm_base_listener wm_listener = { .ping = wm_ping };

/* One ARGB buffer in a memfd: all a toplevel needs to be mapped. */
static struct wl_buffer *make_buffer(struct wl_shm *shm)
{
	size_t len = SIZE * SIZE * 4;
	struct wl_shm_pool *pool;
	struct wl_buffer *buf;
	uint32_t *px;
	size_t i;
	int fd;

	fd = memfd_create("vw-wlapp", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, len))
		fail("memfd", errno);
	px = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (px == MAP_FAILED)
		fail("mmap", errno);
	for (i = 0; i < SIZE * SIZE; i++)
		px[i] = 0xff3070c0;
	munmap(px, len);
	pool = wl_shm_create_pool(shm, fd, len);
	buf = wl_shm_pool_create_buffer(pool, 0, SIZE, SIZE, SIZE * 4,
					WL_SHM_FORMAT_ARGB8888);
	wl_shm_pool_destroy(pool);
	close(fd);
	return buf;
}

static void xsurface_configure(void *data, struct xdg_surface *xs,
			       uint32_t serial)
{
	struct app *a = data;

	xdg_surface_ack_configure(xs, serial);
	if (!a->buffer)
		a->buffer = make_buffer(a->shm);
	wl_surface_attach(a->surface, a->buffer, 0, 0);
	wl_surface_damage(a->surface, 0, 0, SIZE, SIZE);
	wl_surface_commit(a->surface);
	if (!a->mapped)
		say("mapped app_id=%s", a->app_id);
	a->mapped = true;
}

static const struct xdg_surface_listener xsurface_listener = {
	.configure = xsurface_configure,
};

static void top_configure(void *data, struct xdg_toplevel *top, int32_t w,
			  int32_t h, struct wl_array *states)
{
	struct app *a = data;
	uint32_t *st;

	(void)top;
	a->activated = false;
	wl_array_for_each(st, states)
		if (*st == XDG_TOPLEVEL_STATE_ACTIVATED)
			a->activated = true;
	say("configure w=%d h=%d activated=%d t=%llu", w, h, a->activated,
	    (unsigned long long)mono_ns());
}

static void top_close(void *data, struct xdg_toplevel *top)
{
	struct app *a = data;

	(void)top;
	say("close");
	a->closed = true;
}

static const struct xdg_toplevel_listener top_listener = {
	.configure = top_configure,
	.close = top_close,
};

int main(int argc, char **argv)
{
	struct app a = {};
	struct wl_display *d;
	struct wl_registry *reg;
	struct pollfd pfd;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: vw-wlapp APP_ID [TITLE]\n");
		return 2;
	}
	a.app_id = argv[1];
	d = wl_display_connect(NULL);
	if (!d)
		fail("connect", errno ?: ECONNREFUSED);
	reg = wl_display_get_registry(d);
	wl_registry_add_listener(reg, &reg_listener, &a);
	if (wl_display_roundtrip(d) < 0)
		fail("roundtrip", errno);
	if (!a.compositor || !a.shm || !a.wm)
		fail("globals", ENOTSUP);
	xdg_wm_base_add_listener(a.wm, &wm_listener, &a);
	a.surface = wl_compositor_create_surface(a.compositor);
	a.xsurface = xdg_wm_base_get_xdg_surface(a.wm, a.surface);
	xdg_surface_add_listener(a.xsurface, &xsurface_listener, &a);
	a.toplevel = xdg_surface_get_toplevel(a.xsurface);
	xdg_toplevel_add_listener(a.toplevel, &top_listener, &a);
	xdg_toplevel_set_app_id(a.toplevel, a.app_id);
	/* Not the app_id: a test must be able to tell the two apart. */
	xdg_toplevel_set_title(a.toplevel, argc > 2 ? argv[2] : "vw-wlapp");
	wl_surface_commit(a.surface);

	pfd = (struct pollfd){ .fd = wl_display_get_fd(d), .events = POLLIN };
	while (!a.closed) {
		while (wl_display_prepare_read(d))
			wl_display_dispatch_pending(d);
		wl_display_flush(d);
		if (poll(&pfd, 1, -1) < 0) {
			wl_display_cancel_read(d);
			if (errno == EINTR)
				continue;
			fail("poll", errno);
		}
		if (pfd.revents & POLLIN) {
			if (wl_display_read_events(d))
				fail("read", errno);
		} else {
			wl_display_cancel_read(d);
		}
		if (pfd.revents & (POLLHUP | POLLERR))
			fail("compositor", EPIPE);
		if (wl_display_dispatch_pending(d) < 0)
			fail("dispatch", errno);
	}
	wl_display_disconnect(d);
	return 0;
}
