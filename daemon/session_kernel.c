// SPDX-License-Identifier: GPL-2.0
/*
 * What the agent asks of voipwake.ko, through libvoipwake, as the user:
 * the user manager's cgroups are delegated to the user (user@.service has
 * Delegate=yes), and the module's rule for APP_SET is exactly cgroupfs's
 * (who may write cgroup.freeze), so no privilege is needed or held.
 *
 * The module may be loaded after the session starts, or reloaded: the
 * connection is opened when first needed and again after it failed, and
 * its absence is said once.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <voipwake.h>

#include "session.h"

/*
 * Apps whose sockets we marked (MarkSockets=) send us their events: read
 * and dropped (session_rules.c sees refreezes in cgroupfs), so that the
 * library forgets the sockets as they close.
 */
static int on_events(sd_event_source *src, int fd, uint32_t revents,
		     void *arg)
{
	struct sess *s = arg;

	(void)src, (void)fd, (void)revents;
	if (s->vw)
		vw_dispatch(s->vw);
	return 0;
}

static struct vw_client *client(struct sess *s)
{
	int ret, fd;

	if (s->vw)
		return s->vw;
	ret = vw_open(&s->vw);
	if (!ret) {
		fd = vw_fd(s->vw);
		ret = fd < 0 ? fd : sd_event_add_io(s->event, &s->vw_src, fd,
						    EPOLLIN, on_events, s);
		if (ret)
			sess_kernel_close(s);
	}
	if (ret) {
		if (!s->said_no_module)
			sess_log(LOG_WARNING, NULL,
				 "cannot reach the voipwake module (%s): apps are not frozen until it is loaded",
				 vw_last_error(NULL) ?: strerror(-ret));
		s->said_no_module = true;
		return NULL;
	}
	if (s->said_no_module)
		sess_log(LOG_NOTICE, NULL, "the voipwake module is there now");
	s->said_no_module = false;
	return s->vw;
}

void sess_kernel_close(struct sess *s)
{
	s->vw_src = sd_event_source_disable_unref(s->vw_src);
	vw_close(s->vw);
	s->vw = NULL;
}

static int open_cgroup(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int sess_kernel_read(struct sess *s, const char *path, enum sess_kstate *st,
		     bool *asked)
{
	struct vw_app_info info = { .size = sizeof(info) };
	struct vw_client *c = client(s);
	int fd, ret;

	*st = SESS_K_NONE;
	*asked = false;
	if (!c)
		return -ENOPROTOOPT;
	fd = open_cgroup(path);
	if (fd < 0)
		return fd;
	ret = vw_app_get(c, fd, &info);
	close(fd);
	if (ret == -ENOENT)
		return 0;
	if (ret)
		return ret;
	*st = info.state == VOIPWAKE_APP_STATE_FOREGROUND ?
	      SESS_K_FOREGROUND : SESS_K_BACKGROUND;
	*asked = info.socks || info.keepalive_s;
	return 0;
}

/* @path is @prot or holds it: freezing it would freeze @prot. */
static bool holds(const char *path, const char *prot)
{
	size_t n = strlen(path);

	return prot && !strncmp(path, prot, n) &&
	       (prot[n] == '\0' || prot[n] == '/');
}

void sess_kernel_protect(struct sess *s, int slot, const char *path)
{
	free(s->protect[slot]);
	s->protect[slot] = path ? strdup(path) : NULL;
}

int sess_kernel_set(struct sess *s, const char *path, bool background)
{
	struct vw_client *c;
	int fd, ret, tries = 0;
	size_t i;

	for (i = 0; background && i < 2; i++) {
		if (holds(path, s->protect[i])) {
			sess_log(LOG_WARNING, NULL,
				 "not freezing %s: it holds %s", path,
				 i ? "this agent" : "the compositor");
			return -EPERM;
		}
	}
again:
	c = client(s);
	if (!c)
		return -ENOPROTOOPT;
	fd = open_cgroup(path);
	if (fd < 0)
		return fd;
	ret = vw_app_set_state(c, fd, background ?
			       VOIPWAKE_APP_STATE_BACKGROUND :
			       VOIPWAKE_APP_STATE_FOREGROUND);
	close(fd);
	/* The family went away under us (rmmod): reconnect, once. */
	if (ret == -ENOENT && !tries++) {
		sess_kernel_close(s);
		goto again;
	}
	if (ret)
		sess_log(LOG_WARNING, NULL, "cannot move %s to the %s: %s (%s)",
			 path, background ? "background" : "foreground",
			 vw_last_error(c) ?: "", strerror(-ret));
	return ret;
}
