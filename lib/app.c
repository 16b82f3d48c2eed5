// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Apps: moving them between foreground and background, their wake window
 * and keep-alive timer, ending a wake early, and reading their state.
 */

#include <errno.h>

#include "client.h"

/*
 * @cgroup_fd < 0 means the caller's own app: no CGROUP_FD attribute. The
 * module then sends the app's events to the sender: the event socket.
 */
static int vw_app_set(struct vw_client *c, int cgroup_fd,
		      const struct vw_app_settings *set)
{
	int ret;

	ret = vw_build_app_set(c->buf.bytes, sizeof(c->buf), c->family.id,
			       vw_client_next_seq(c), cgroup_fd, set);
	if (ret)
		return vw_client_fail(c, ret,
				      "cannot build VOIPWAKE_CMD_APP_SET");
	return vw_client_transact(c, cgroup_fd < 0 ? &c->evt : &c->req,
				  c->family.id, NULL, NULL,
				  "VOIPWAKE_CMD_APP_SET");
}

/* What every call about an app named by its cgroup checks first. */
static int vw_app_named(struct vw_client *c, int cgroup_fd)
{
	if (!c)
		return -EINVAL;
	vw_client_clear_error(c);
	if (cgroup_fd < 0)
		return vw_client_fail(c, -EBADF, "cgroup fd %d is negative",
				      cgroup_fd);
	return 0;
}

/* An APP_SET about the app that @cgroup_fd names. */
static int vw_app_set_other(struct vw_client *c, int cgroup_fd,
			    const struct vw_app_settings *set)
{
	int ret = vw_app_named(c, cgroup_fd);

	return ret ? ret : vw_app_set(c, cgroup_fd, set);
}

int vw_app_set_state(struct vw_client *c, int cgroup_fd,
		     enum voipwake_app_state state)
{
	uint32_t s = state;
	struct vw_app_settings set = { .state = &s };

	return vw_app_set_other(c, cgroup_fd, &set);
}

int vw_app_set_wake_window(struct vw_client *c, int cgroup_fd, uint32_t ms)
{
	struct vw_app_settings set = { .wake_window_ms = &ms };

	return vw_app_set_other(c, cgroup_fd, &set);
}

/* Named in -EOPNOTSUPP messages, see vw_client_need(). */
#define VW_KEEPALIVE_FEATURE	"keep-alive timers (VOIPWAKE_FEATURE_KEEPALIVE)"

int vw_app_set_keepalive(struct vw_client *c, int cgroup_fd,
			 uint32_t timeout_s, uint32_t tolerance_pct,
			 uint32_t budget_ms)
{
	struct vw_app_settings set = {
		.keepalive_s = &timeout_s,
		.keepalive_tolerance_pct = &tolerance_pct,
		.keepalive_budget_ms = &budget_ms,
	};
	int ret = vw_app_named(c, cgroup_fd);

	if (!ret)
		ret = vw_client_need(c, VOIPWAKE_FEATURE_KEEPALIVE,
				     VW_KEEPALIVE_FEATURE);
	return ret ? ret : vw_app_set(c, cgroup_fd, &set);
}

int vw_app_set_wake_interval(struct vw_client *c, int cgroup_fd,
			     uint32_t ms)
{
	struct vw_app_settings set = { .wake_interval_ms = &ms };
	int ret = vw_app_named(c, cgroup_fd);

	if (!ret)
		ret = vw_client_need(c, VOIPWAKE_FEATURE_WAKE_INTERVAL,
				     "the wake interval (VOIPWAKE_FEATURE_WAKE_INTERVAL)");
	return ret ? ret : vw_app_set(c, cgroup_fd, &set);
}

int vw_app_set_wake_system(struct vw_client *c, int cgroup_fd, int wake)
{
	uint8_t v = !!wake;
	struct vw_app_settings set = { .wake_system = &v };
	int ret = vw_app_named(c, cgroup_fd);

	if (!ret)
		ret = vw_client_need(c, VOIPWAKE_FEATURE_WAKE_SYSTEM,
				     "waking the system (VOIPWAKE_FEATURE_WAKE_SYSTEM)");
	return ret ? ret : vw_app_set(c, cgroup_fd, &set);
}

int vw_app_set_held(struct vw_client *c, int cgroup_fd, int held)
{
	uint8_t v = !!held;
	struct vw_app_settings set = { .held = &v };
	int ret = vw_app_named(c, cgroup_fd);

	if (!ret)
		ret = vw_client_need(c, VOIPWAKE_FEATURE_HELD,
				     "another manager's freeze (VOIPWAKE_FEATURE_HELD)");
	return ret ? ret : vw_app_set(c, cgroup_fd, &set);
}

#define VW_GATE_FEATURE	"the freeze gate (VOIPWAKE_FEATURE_FREEZE_GATE)"

int vw_app_set_freeze_gate(struct vw_client *c, int cgroup_fd, uint32_t ms)
{
	struct vw_app_settings set = { .freeze_gate_ms = &ms };
	int ret = vw_app_named(c, cgroup_fd);

	if (!ret)
		ret = vw_client_need(c, VOIPWAKE_FEATURE_FREEZE_GATE,
				     VW_GATE_FEATURE);
	return ret ? ret : vw_app_set(c, cgroup_fd, &set);
}

int vw_app_freeze_gate_done(struct vw_client *c, int cgroup_fd, uint32_t seq)
{
	struct vw_app_settings set = { .freeze_gate_seq = &seq };
	int ret = vw_app_named(c, cgroup_fd);

	if (!ret)
		ret = vw_client_need(c, VOIPWAKE_FEATURE_FREEZE_GATE,
				     VW_GATE_FEATURE);
	return ret ? ret : vw_app_set(c, cgroup_fd, &set);
}

/* @cgroup_fd < 0 means the caller's own app: no CGROUP_FD attribute. */
static int vw_app_wake_done(struct vw_client *c, int cgroup_fd,
			    const uint32_t *wake_seq)
{
	int ret;

	ret = vw_build_app_wake_done(c->buf.bytes, sizeof(c->buf),
				     c->family.id, vw_client_next_seq(c),
				     cgroup_fd, wake_seq);
	if (ret)
		return vw_client_fail(c, ret,
				      "cannot build VOIPWAKE_CMD_APP_WAKE_DONE");
	return vw_client_transact(c, &c->req, c->family.id, NULL, NULL,
				  "VOIPWAKE_CMD_APP_WAKE_DONE");
}

int vw_wake_done(struct vw_client *c)
{
	if (!c)
		return -EINVAL;
	vw_client_clear_error(c);
	/* Done with the last wake delivered, not with a newer one. */
	return vw_app_wake_done(c, -1, c->done_seq_set ? &c->done_seq : NULL);
}

int vw_wake_done_app(struct vw_client *c, int cgroup_fd)
{
	int ret = vw_app_named(c, cgroup_fd);

	return ret ? ret : vw_app_wake_done(c, cgroup_fd, NULL);
}

/**
 * vw_app_query() - APP_GET into a full-size structure
 * @c: client
 * @cgroup_fd: the app's cgroup directory, or < 0 for the caller's own app
 * @ai: filled on success
 *
 * Return: 0, or a negative errno with the message recorded.
 */
int vw_app_query(struct vw_client *c, int cgroup_fd, struct vw_app_info *ai)
{
	int ret;

	ret = vw_build_app_get(c->buf.bytes, sizeof(c->buf), c->family.id,
			       vw_client_next_seq(c), cgroup_fd);
	if (ret)
		return vw_client_fail(c, ret,
				      "cannot build VOIPWAKE_CMD_APP_GET");
	return vw_client_transact(c, &c->req, c->family.id, vw_parse_app_get,
				  ai, "VOIPWAKE_CMD_APP_GET");
}

/* @cgroup_fd < 0: the caller's own app. */
static int vw_app_get_into(struct vw_client *c, int cgroup_fd,
			   struct vw_app_info *out)
{
	struct vw_app_info full;
	int ret;

	if (!out || out->size < VW_APP_INFO_SIZE_VER0)
		return vw_client_fail(c, -EINVAL,
				      "struct vw_app_info needs ->size set to sizeof(struct vw_app_info)");
	ret = vw_app_query(c, cgroup_fd, &full);
	/* The kernel's "not an app" would not tell an app what to do. */
	if (ret == -ENOENT && cgroup_fd < 0)
		return vw_client_fail(c, ret,
				      "the module does not know the caller's app (its cgroup): mark a socket or set a keep-alive first");
	if (ret)
		return ret;
	return vw_app_info_copy_out(out, &full);
}

int vw_app_get(struct vw_client *c, int cgroup_fd, struct vw_app_info *out)
{
	int ret = vw_app_named(c, cgroup_fd);

	return ret ? ret : vw_app_get_into(c, cgroup_fd, out);
}

int vw_app_get_own(struct vw_client *c, struct vw_app_info *out)
{
	if (!c)
		return -EINVAL;
	vw_client_clear_error(c);
	return vw_app_get_into(c, -1, out);
}

/*
 * The app's own timeout needs no right over its cgroup, and the module
 * then sends the app's events to the event socket. The app's id is what
 * vw_dispatch() knows its keep-alive wakes by, and its count of them so
 * far is where a resync starts counting missed ones.
 */
int vw_set_keepalive(struct vw_client *c, uint32_t timeout_s,
		     vw_keepalive_fn handler, void *arg)
{
	struct vw_app_settings set = { .keepalive_s = &timeout_s };
	struct vw_app_info own;
	int ret;

	if (!c)
		return -EINVAL;
	vw_client_clear_error(c);
	if (!timeout_s)
		return vw_client_fail(c, -EINVAL,
				      "a keep-alive timeout of 0 s sets none: call vw_clear_keepalive() to stop keep-alive wakes");

	ret = vw_client_need(c, VOIPWAKE_FEATURE_KEEPALIVE,
			     VW_KEEPALIVE_FEATURE);
	if (!ret)
		ret = vw_app_set(c, -1, &set);
	if (ret)
		return ret;
	/*
	 * Only a keep-alive cleared by someone else (an admin's request
	 * through the cgroup) leaves the app idle enough to be dropped
	 * between the two requests; the app should hear that, not "not
	 * an app".
	 */
	ret = vw_app_query(c, -1, &own);
	if (ret == -ENOENT)
		return vw_client_fail(c, ret,
				      "the keep-alive was cleared by another request, and the app dropped, before it could be read back");
	if (ret)
		return ret;
	c->ka_fn = handler;
	c->ka_arg = arg;
	if (own.cgroup_id != c->ka_app_id) {
		c->ka_app_id = own.cgroup_id;
		vw_ka_baseline(c, &own);
	}
	return 0;
}

int vw_clear_keepalive(struct vw_client *c)
{
	uint32_t none = 0;
	struct vw_app_settings set = { .keepalive_s = &none };
	int ret;

	if (!c)
		return -EINVAL;
	vw_client_clear_error(c);
	ret = vw_client_need(c, VOIPWAKE_FEATURE_KEEPALIVE,
			     VW_KEEPALIVE_FEATURE);
	if (!ret)
		ret = vw_app_set(c, -1, &set);
	if (ret)
		return ret;
	c->ka_fn = NULL;
	c->ka_arg = NULL;
	c->ka_app_id = 0;
	return 0;
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
