// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * vw_mark_socket(), vw_unmark_socket(), vw_sock_dump(): sockets whose
 * activity wakes their app.
 */

#include <errno.h>
#include <sys/stat.h>

#include "client.h"

int vw_mark_socket(struct vw_client *c, int fd, uint32_t wake_on,
		   struct vw_sock_info *out)
{
	struct vw_sock_info full;
	int ret;

	if (!c)
		return -EINVAL;
	vw_client_clear_error(c);
	if (out && out->size < VW_SOCK_INFO_SIZE_VER0)
		return vw_client_fail(c, -EINVAL,
				      "struct vw_sock_info needs ->size set to sizeof(struct vw_sock_info)");
	if (fd < 0)
		return vw_client_fail(c, -EBADF, "socket fd %d is negative",
				      fd);

	ret = vw_marked_reserve(c);
	if (ret)
		return ret;

	ret = vw_build_sock_mark(c->buf.bytes, sizeof(c->buf), c->family.id,
				 vw_client_next_seq(c), fd, wake_on);
	if (ret)
		return vw_client_fail(c, ret,
				      "cannot build VOIPWAKE_CMD_SOCK_MARK");
	/* From the event socket: the module sends the app's events there. */
	ret = vw_client_transact(c, &c->evt, c->family.id, vw_parse_sock_mark,
				 &full, "VOIPWAKE_CMD_SOCK_MARK");
	if (ret)
		return ret;
	vw_marked_add(c, &full);
	if (!out)
		return 0;
	return vw_copy_out(out, &full, sizeof(full), VW_SOCK_INFO_SIZE_VER0);
}

int vw_unmark_socket(struct vw_client *c, int fd)
{
	struct stat st;
	int ret;

	if (!c)
		return -EINVAL;
	vw_client_clear_error(c);
	if (fd < 0)
		return vw_client_fail(c, -EBADF, "socket fd %d is negative",
				      fd);

	/* A socket's inode is the ino the module names it by. */
	if (fstat(fd, &st))
		st.st_ino = 0;

	ret = vw_build_sock_unmark(c->buf.bytes, sizeof(c->buf), c->family.id,
				   vw_client_next_seq(c), fd);
	if (ret)
		return vw_client_fail(c, ret,
				      "cannot build VOIPWAKE_CMD_SOCK_UNMARK");
	/*
	 * From the event socket, as the mark: the module tells every
	 * listener of the app but the one that asked, so this handle does
	 * not hear of its own unmark (VW_EVENT_UNMARKED is someone else's).
	 */
	ret = vw_client_transact(c, &c->evt, c->family.id, NULL, NULL,
				 "VOIPWAKE_CMD_SOCK_UNMARK");
	/* Not marked (any more) is as good as unmarked here. */
	if ((!ret || ret == -ENOENT) && st.st_ino)
		vw_marked_del(c, st.st_ino);
	return ret;
}

struct vw_sock_cb {
	int (*fn)(const struct vw_sock_info *sock, void *arg);
	void *arg;
};

static int vw_sock_each(const void *item, void *ctx)
{
	const struct vw_sock_cb *cb = ctx;

	return cb->fn(item, cb->arg);
}

int vw_sock_dump(struct vw_client *c,
		 int (*cb)(const struct vw_sock_info *sock, void *arg),
		 void *arg)
{
	struct vw_sock_cb each = { cb, arg };

	if (!c)
		return -EINVAL;
	vw_client_clear_error(c);
	if (!cb)
		return vw_client_fail(c, -EINVAL, "no callback given");
	return vw_client_dump_each(c, vw_build_sock_dump, vw_parse_sock_dump,
				   sizeof(struct vw_sock_info),
				   "VOIPWAKE_CMD_SOCK_GET dump", vw_sock_each,
				   &each);
}
