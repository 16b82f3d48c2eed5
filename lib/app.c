// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Apps: moving them between foreground and background, their wake window,
 * ending a wake early, and reading their state.
 */

#include <errno.h>

#include "client.h"

static int vw_app_set(struct vw_client *c, int cgroup_fd,
		      const uint32_t *state, const uint32_t *wake_window_ms)
{
	int ret;

	if (!c)
		return -EINVAL;
	vw_client_clear_error(c);
	if (cgroup_fd < 0)
		return vw_client_fail(c, -EBADF, "cgroup fd %d is negative",
				      cgroup_fd);

	ret = vw_build_app_set(c->buf.bytes, sizeof(c->buf), c->family.id,
			       vw_client_next_seq(c), cgroup_fd, state,
			       wake_window_ms);
	if (ret)
		return vw_client_fail(c, ret,
				      "cannot build VOIPWAKE_CMD_APP_SET");
	return vw_client_transact(c, c->family.id, NULL, NULL,
				  "VOIPWAKE_CMD_APP_SET");
}

int vw_app_set_state(struct vw_client *c, int cgroup_fd,
		     enum voipwake_app_state state)
{
	uint32_t s = state;

	return vw_app_set(c, cgroup_fd, &s, NULL);
}

int vw_app_set_wake_window(struct vw_client *c, int cgroup_fd, uint32_t ms)
{
	return vw_app_set(c, cgroup_fd, NULL, &ms);
}

/* @cgroup_fd < 0 means the caller's own app: no attribute at all. */
static int vw_app_wake_done(struct vw_client *c, int cgroup_fd)
{
	int ret;

	ret = vw_build_app_wake_done(c->buf.bytes, sizeof(c->buf),
				     c->family.id, vw_client_next_seq(c),
				     cgroup_fd);
	if (ret)
		return vw_client_fail(c, ret,
				      "cannot build VOIPWAKE_CMD_APP_WAKE_DONE");
	return vw_client_transact(c, c->family.id, NULL, NULL,
				  "VOIPWAKE_CMD_APP_WAKE_DONE");
}

int vw_wake_done(struct vw_client *c)
{
	if (!c)
		return -EINVAL;
	vw_client_clear_error(c);
	return vw_app_wake_done(c, -1);
}

int vw_wake_done_app(struct vw_client *c, int cgroup_fd)
{
	if (!c)
		return -EINVAL;
	vw_client_clear_error(c);
	if (cgroup_fd < 0)
		return vw_client_fail(c, -EBADF, "cgroup fd %d is negative",
				      cgroup_fd);
	return vw_app_wake_done(c, cgroup_fd);
}

int vw_app_get(struct vw_client *c, int cgroup_fd, struct vw_app_info *out)
{
	struct vw_app_info full;
	int ret;

	if (!c)
		return -EINVAL;
	vw_client_clear_error(c);
	if (!out || out->size < VW_APP_INFO_SIZE_VER0)
		return vw_client_fail(c, -EINVAL,
				      "struct vw_app_info needs ->size set to sizeof(struct vw_app_info)");
	if (cgroup_fd < 0)
		return vw_client_fail(c, -EBADF, "cgroup fd %d is negative",
				      cgroup_fd);

	ret = vw_build_app_get(c->buf.bytes, sizeof(c->buf), c->family.id,
			       vw_client_next_seq(c), cgroup_fd);
	if (ret)
		return vw_client_fail(c, ret,
				      "cannot build VOIPWAKE_CMD_APP_GET");
	ret = vw_client_transact(c, c->family.id, vw_parse_app_get, &full,
				 "VOIPWAKE_CMD_APP_GET");
	if (ret)
		return ret;
	return vw_copy_out(out, &full, sizeof(full), VW_APP_INFO_SIZE_VER0);
}

struct vw_app_cb {
	int (*fn)(const struct vw_app_info *app, void *arg);
	void *arg;
};

static int vw_app_each(const void *item, void *ctx)
{
	const struct vw_app_cb *cb = ctx;

	return cb->fn(item, cb->arg);
}

int vw_app_dump(struct vw_client *c,
		int (*cb)(const struct vw_app_info *app, void *arg), void *arg)
{
	struct vw_app_cb each = { cb, arg };

	if (!c)
		return -EINVAL;
	vw_client_clear_error(c);
	if (!cb)
		return vw_client_fail(c, -EINVAL, "no callback given");
	return vw_client_dump_each(c, vw_build_app_dump, vw_parse_app_dump,
				   sizeof(struct vw_app_info),
				   "VOIPWAKE_CMD_APP_GET dump", vw_app_each,
				   &each);
}
