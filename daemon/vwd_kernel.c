// SPDX-License-Identifier: GPL-2.0
/*
 * The module, as the daemon hears it: the admin multicast group's events
 * on an sd-event io source, and nothing periodic. A full dump happens at
 * start (or when the module comes), after events were lost (ENOBUFS),
 * and when a client lists the apps.
 *
 * The module's coming and going is told by the kernel's uevents for
 * /module/voipwake, so an rmmod is noticed without polling, and the
 * module is never loaded back against the administrator's will.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include <libkmod.h>

#include "uevent.h"
#include "vwd.h"

static int on_events(sd_event_source *s, int fd, uint32_t revents,
		     void *arg);

static void on_event(const struct vw_event *ev, void *arg)
{
	vwd_apps_event(arg, ev);
}

static int collect(const struct vw_app_info *ai, void *arg)
{
	struct vwd *d = arg;
	struct vw_event ev = { .size = sizeof(ev), .type = VW_EVENT_RESYNC };

	ev.app = *ai;
	vwd_apps_event(d, &ev);
	return 0;
}

/* Every app the module knows, read afresh; instances it forgot go. */
int vwd_kernel_resync(struct vwd *d)
{
	size_t i;
	int ret;

	if (!d->c)
		return -ENOENT;
	for (i = 0; i < d->ninsts; i++)
		d->insts[i]->seen = false;
	ret = vw_app_dump(d->c, collect, d);
	if (ret) {
		vwd_log(LOG_ERR, "cannot read the kernel's apps: %s",
			vw_last_error(d->c) ?: strerror(-ret));
		return ret;
	}
	vwd_inst_forget_unseen(d);
	d->ninsts_read = d->ninsts;
	return 0;
}

static void disconnect(struct vwd *d)
{
	vwd_rules_stop(d);
	d->nl_src = sd_event_source_disable_unref(d->nl_src);
	vw_close(d->c);
	d->c = NULL;
}

/* The module must be there: ask libkmod, as modprobe would. */
static int load_module(void)
{
	struct kmod_module *mod = NULL;
	struct kmod_ctx *ctx;
	int ret;

	ctx = kmod_new(NULL, NULL);
	if (!ctx)
		return -ENOMEM;
	ret = kmod_module_new_from_name(ctx, "voipwake", &mod);
	if (!ret)
		ret = kmod_module_probe_insert_module(mod, 0, NULL, NULL, NULL,
						      NULL);
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return ret > 0 ? -ENOENT : ret;
}

static int connect_module(struct vwd *d)
{
	int ret, fd;

	/* Looking the family up would have the kernel load the module. */
	if (access("/sys/module/voipwake", F_OK))
		return -ENOENT;
	ret = vw_open(&d->c);
	if (!ret)
		ret = vw_subscribe_admin(d->c);
	if (!ret) {
		fd = vw_fd(d->c);
		ret = fd < 0 ? fd : sd_event_add_io(d->ev, &d->nl_src, fd,
						    EPOLLIN, on_events, d);
	}
	if (ret) {
		vwd_log(LOG_ERR, "cannot connect to the voipwake module: %s (%s)",
			(d->c ? vw_last_error(d->c) : vw_last_error(NULL)) ?: "",
			strerror(-ret));
		disconnect(d);
		return ret;
	}
	vw_set_event_handler(d->c, on_event, d);
	vwd_kernel_resync(d);
	vwd_rules_gate_cgroups(d);
	vwd_bus_module_changed(d);
	return 0;
}

static int on_events(sd_event_source *s, int fd, uint32_t revents,
		     void *arg)
{
	struct vwd *d = arg;
	int ret;

	(void)s;
	(void)fd;
	(void)revents;
	ret = vw_dispatch(d->c);
	if (ret == -ENOBUFS) {
		vwd_log(LOG_WARNING, "events were lost: reading every app again (%s)",
			vw_last_error(d->c) ?: "");
		vwd_kernel_resync(d);
	} else if (ret < 0) {
		vwd_log(LOG_ERR, "cannot read the module's events: %s",
			vw_last_error(d->c) ?: strerror(-ret));
	}
	return 0;
}

/* "add@/module/voipwake" and "remove@/module/voipwake". */
static int on_uevent(sd_event_source *s, int fd, uint32_t revents,
		     void *arg)
{
	struct vwd *d = arg;
	char buf[4096];
	ssize_t n;

	(void)s;
	(void)revents;
	while ((n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT)) > 0) {
		buf[n] = '\0';
		if (!strcmp(buf, "remove@/module/voipwake") && d->c) {
			vwd_log(LOG_WARNING, "the voipwake module was unloaded: waiting for it to come back");
			disconnect(d);
			vwd_bus_module_changed(d);
		} else if (!strcmp(buf, "add@/module/voipwake") && !d->c &&
			   !connect_module(d)) {
			vwd_log(LOG_NOTICE, "the voipwake module is back: reading its apps again");
		}
	}
	return 0;
}

static int watch_uevents(struct vwd *d)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int fd, ret;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    NETLINK_KOBJECT_UEVENT);
	if (fd < 0)
		return -errno;
	ret = uevent_filter_module(fd, "voipwake");
	if (ret) {
		close(fd);
		return ret;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		ret = -errno;
		close(fd);
		return ret;
	}
	ret = sd_event_add_io(d->ev, &d->uevent_src, fd, EPOLLIN, on_uevent, d);
	if (ret) {
		close(fd);
		return ret;
	}
	sd_event_source_set_io_fd_own(d->uevent_src, 1);
	return 0;
}

/*
 * Connects to the module, loading it first if it is missing and
 * LoadModule= allows. Without it the daemon still runs (its D-Bus
 * interface says so) and connects when the module comes.
 */
int vwd_kernel_start(struct vwd *d)
{
	int ret = watch_uevents(d);

	if (ret)
		vwd_log(LOG_WARNING, "cannot watch for the module's uevents (%s): an rmmod or modprobe will go unnoticed",
			strerror(-ret));
	if (access("/sys/module/voipwake", F_OK) && d->conf->load_module) {
		ret = load_module();
		if (ret)
			vwd_log(LOG_ERR, "cannot load the voipwake module: %s",
				strerror(-ret));
		else
			vwd_log(LOG_NOTICE, "loaded the voipwake module");
	}
	ret = connect_module(d);
	if (ret == -ENOENT)
		vwd_log(LOG_WARNING, "the voipwake module is not loaded: waiting for it");
	return 0;
}

void vwd_kernel_stop(struct vwd *d)
{
	d->uevent_src = sd_event_source_disable_unref(d->uevent_src);
	disconnect(d);
}

/* The instance's cgroup, opened for the module's APP_CGROUP_FD. */
int vwd_open_app(struct vwd_inst *in)
{
	char path[CONF_PATH_MAX + 32];
	int fd = cg_open_by_id(in->id);

	if (fd >= 0 || !in->path[0])
		return fd;
	snprintf(path, sizeof(path), CGROUP_ROOT "%s", in->path);
	fd = cg_open(path);
	if (fd >= 0 && cg_id(path) != in->id) {
		close(fd);
		return -ESTALE;
	}
	return fd;
}
