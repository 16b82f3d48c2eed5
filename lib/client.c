// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Client handle lifecycle, error reporting and the request/reply round trip
 * over a generic netlink socket.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "client.h"

/*
 * A failed vw_open() has no handle to keep its message in, so the message
 * lives here, per thread, for vw_last_error(NULL) to return.
 */
static __thread struct {
	bool has_error;
	char error[VW_ERROR_LEN];
} vw_open_status;

void vw_client_clear_error(struct vw_client *c)
{
	c->has_error = false;
}

/* Records a message for vw_last_error() and passes @error through. */
int vw_client_fail(struct vw_client *c, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->error, sizeof(c->error), fmt, ap);
	va_end(ap);
	c->has_error = true;
	return error;
}

const char *vw_last_error(const struct vw_client *c)
{
	if (!c)
		return vw_open_status.has_error ? vw_open_status.error : NULL;
	return c->has_error ? c->error : NULL;
}

uint32_t vw_client_next_seq(struct vw_client *c)
{
	/* Zero would match unsolicited messages, never use it. */
	if (++c->seq == 0)
		++c->seq;
	return c->seq;
}

static ssize_t vw_client_recv(struct vw_client *c, const char *what)
{
	ssize_t n;

	do {
		n = mnl_socket_recvfrom(c->nl, c->buf.bytes, sizeof(c->buf));
	} while (n < 0 && errno == EINTR);
	if (n >= 0)
		return n;
	if (errno == ENOSPC)
		return vw_client_fail(c, -EMSGSIZE,
				      "%s reply exceeds the %d byte buffer",
				      what, VW_RECV_BUF_SIZE);
	return vw_client_fail(c, -errno, "receiving the %s reply failed",
			      what);
}

static int vw_client_outcome(struct vw_client *c, const struct vw_xfer *x,
			     const char *what)
{
	if (!x->error)
		return 0;
	if (!x->kernel_error)
		return vw_client_fail(c, x->error, "bad %s reply: %s", what,
				      x->why ? x->why : "unknown problem");
	/* The kernel's own words, when it gave any. */
	if (x->why)
		return vw_client_fail(c, x->error, "%s", x->why);
	return x->error;
}

/**
 * vw_client_transact() - send the request in c->buf and collect the answer
 * @c: client
 * @type: nlmsg_type of the expected reply
 * @parse: parser for the reply, or NULL if only an ack is expected
 * @data: passed to @parse
 * @what: name of the request, for messages
 *
 * Return: 0, or a negative errno with the message recorded if one is known.
 */
int vw_client_transact(struct vw_client *c, uint16_t type, vw_parse_fn parse,
		       void *data, const char *what)
{
	const struct nlmsghdr *req = &c->buf.nlh;
	struct vw_xfer x;
	ssize_t n;

	vw_xfer_init(&x, req, c->portid, type, parse, data);
	if (mnl_socket_sendto(c->nl, req, req->nlmsg_len) < 0)
		return vw_client_fail(c, -errno, "sending %s failed", what);
	do {
		n = vw_client_recv(c, what);
		if (n < 0)
			return n;
	} while (!vw_xfer_feed(&x, c->buf.bytes, n));
	return vw_client_outcome(c, &x, what);
}

static int vw_client_connect(struct vw_client *c)
{
	int one = 1;

	c->nl = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!c->nl)
		return vw_client_fail(c, -errno,
				      "cannot open a generic netlink socket");
	/* Capped acks keep replies small; extended acks carry the why. */
	if (mnl_socket_setsockopt(c->nl, NETLINK_EXT_ACK, &one,
				  sizeof(one)) < 0 ||
	    mnl_socket_setsockopt(c->nl, NETLINK_CAP_ACK, &one,
				  sizeof(one)) < 0)
		return vw_client_fail(c, -errno,
				      "cannot enable extended netlink acks");
	if (mnl_socket_bind(c->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return vw_client_fail(c, -errno,
				      "cannot bind the netlink socket");
	c->portid = mnl_socket_get_portid(c->nl);
	return 0;
}

static int vw_client_resolve(struct vw_client *c)
{
	struct vw_family *fam = &c->family;
	int ret;

	fam->name = VOIPWAKE_GENL_NAME;
	ret = vw_build_getfamily(c->buf.bytes, sizeof(c->buf),
				 vw_client_next_seq(c), fam->name);
	if (ret)
		return vw_client_fail(c, ret, "cannot build CTRL_CMD_GETFAMILY");
	ret = vw_client_transact(c, GENL_ID_CTRL, vw_parse_getfamily, fam,
				 "CTRL_CMD_GETFAMILY");
	if (ret == -ENOENT)
		return vw_client_fail(c, ret,
			"the voipwake kernel module is not loaded (no generic netlink family \"%s\"); try 'modprobe voipwake'",
			fam->name);
	return ret;
}

static void vw_open_status_set(int error, const char *msg)
{
	vw_open_status.has_error = error && msg;
	if (vw_open_status.has_error)
		snprintf(vw_open_status.error, sizeof(vw_open_status.error),
			 "%s", msg);
}

int vw_open(struct vw_client **out)
{
	struct vw_client *c;
	int ret;

	if (!out) {
		vw_open_status_set(-EINVAL, "no place to store the handle: out is NULL");
		return -EINVAL;
	}
	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (!c) {
		vw_open_status_set(-ENOMEM, "out of memory for a client handle");
		return -ENOMEM;
	}
	ret = vw_client_connect(c);
	if (!ret)
		ret = vw_client_resolve(c);
	vw_open_status_set(ret, vw_last_error(c));
	if (ret) {
		vw_close(c);
		return ret;
	}
	*out = c;
	return 0;
}

void vw_close(struct vw_client *c)
{
	if (!c)
		return;
	if (c->nl)
		mnl_socket_close(c->nl);
	free(c);
}
