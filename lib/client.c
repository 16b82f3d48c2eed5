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
#include <unistd.h>
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

/**
 * vw_client_recv() - receive one datagram into c->rbuf
 * @c: client
 * @s: the socket to read, c->req or c->evt
 * @flags: recvmsg(2) flags, e.g. MSG_DONTWAIT
 *
 * Only the kernel speaks for the module: a datagram from any other sender
 * (another process can address our port id) is dropped and reads as empty.
 *
 * Return: its length (0 if dropped); -EMSGSIZE if it did not fit in
 * c->rbuf; the negative errno of recvmsg(2), notably -ENOBUFS when the
 * kernel had to drop messages for us and -EAGAIN.
 */
ssize_t vw_client_recv(struct vw_client *c, struct vw_nlsock *s, int flags)
{
	struct sockaddr_nl addr;
	struct iovec iov = {
		.iov_base = c->rbuf.bytes,
		.iov_len = sizeof(c->rbuf),
	};
	struct msghdr msg = {
		.msg_name = &addr,
		.msg_namelen = sizeof(addr),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t n;

	do {
		n = recvmsg(mnl_socket_get_fd(s->nl), &msg, flags);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (msg.msg_flags & MSG_TRUNC)
		return -EMSGSIZE;
	if (msg.msg_namelen != sizeof(addr) || addr.nl_pid != 0)
		return 0;
	return n;
}

static int vw_client_outcome(struct vw_client *c, const struct vw_xfer *x,
			     const char *what)
{
	if (!x->error)
		return x->dump && x->intr ? -EINTR : 0;
	if (x->error == -ENOMEM && !x->kernel_error)
		return vw_client_fail(c, x->error,
				      "out of memory reading the %s reply",
				      what);
	if (!x->kernel_error)
		return vw_client_fail(c, x->error, "bad %s reply: %s", what,
				      x->why ? x->why : "unknown problem");
	/* The kernel's own words, when it gave any. */
	if (x->why)
		return vw_client_fail(c, x->error, "%s", x->why);
	return x->error;
}

/*
 * Reads until the exchange is finished. A generic netlink request is
 * carried out within sendto(), and a dump's later parts are produced
 * within the recvmsg() that reads the part before, so an answer is always
 * queued by the time it is read: c->nowait (vw_dispatch(), which must not
 * block) reads without waiting, and running dry is then a lost answer.
 * Once the kernel reports that it dropped messages (ENOBUFS), whatever
 * answer survived is likewise already queued. On the event socket that
 * report also means events were lost, which vw_dispatch() must tell.
 *
 * The event socket is never read blocking: events can fill it between
 * the drain before a request and the request, the kernel then drops the
 * answer, and it reports only the first of a run of losses, so waiting
 * for the answer could wait forever.
 */
static int vw_client_collect(struct vw_client *c, struct vw_nlsock *s,
			     struct vw_xfer *x, const char *what)
{
	int flags = c->nowait || s == &c->evt ? MSG_DONTWAIT : 0;
	bool overflowed = false;
	ssize_t n;

	for (;;) {
		n = vw_client_recv(c, s, flags);
		if (n == -ENOBUFS) {
			if (s == &c->evt)
				c->enobufs = true;
			overflowed = true;
			flags = MSG_DONTWAIT;
			continue;
		}
		if (n == -EAGAIN && flags && (overflowed || s == &c->evt)) {
			c->enobufs |= s == &c->evt;
			return vw_client_fail(c, -ENOBUFS,
					      "the %s reply was lost: the netlink receive buffer overflowed (the request may have taken effect)",
					      what);
		}
		if (n == -EAGAIN && flags)
			return vw_client_fail(c, -EAGAIN,
					      "no %s reply was queued", what);
		if (n == -EMSGSIZE)
			return vw_client_fail(c, -EMSGSIZE,
					      "%s reply exceeds the %d byte buffer",
					      what, VW_RECV_BUF_SIZE);
		if (n < 0)
			return vw_client_fail(c, (int)n,
					      "receiving the %s reply failed",
					      what);
		if (vw_xfer_feed(x, c->rbuf.bytes, n))
			return vw_client_outcome(c, x, what);
	}
}

/**
 * vw_client_read_event() - read one datagram of the event socket
 * @c: client
 *
 * Notifications go to the queue; anything else in the datagram (a late
 * answer to an abandoned request) is skipped. A lost or malformed
 * datagram is recorded as a loss, which vw_dispatch() puts right.
 *
 * Return: 1 if a datagram was read or a loss recorded; 0 if the socket
 * is empty; the negative errno of recvmsg(2) otherwise.
 */
int vw_client_read_event(struct vw_client *c)
{
	ssize_t n = vw_client_recv(c, &c->evt, MSG_DONTWAIT);

	if (n == -EAGAIN)
		return 0;
	if (n == -ENOBUFS) {
		c->enobufs = true;
		return 1;
	}
	if (n == -EMSGSIZE) {
		/* Gone, and whatever it was cannot be told. */
		c->queue.malformed++;
		return 1;
	}
	if (n < 0)
		return (int)n;
	if (vw_ntf_feed(c->rbuf.bytes, n, c->family.id, vw_evq_notify,
			&c->queue))
		c->queue.malformed++;
	return 1;
}

/*
 * The kernel drops a reply that finds the receive buffer full, as it
 * drops events, though the request took effect: on the event socket,
 * where events may have piled up, move them to the queue first to make
 * room (what the queue cannot take counts as lost, and is resynchronised).
 * Read empty, the socket is no longer congested, so a later loss is
 * reported again. Bounded, against a flood that never lets it run dry.
 */
#define VW_MAKE_ROOM_MAX	65536

static void vw_client_make_room(struct vw_client *c, struct vw_nlsock *s)
{
	unsigned int i;

	if (s != &c->evt)
		return;
	for (i = 0; i < VW_MAKE_ROOM_MAX && vw_client_read_event(c) > 0; i++)
		;
}

/**
 * vw_client_transact() - send the request in c->buf and collect the answer
 * @c: client
 * @s: the socket to use: c->evt for the requests that make the kernel
 *     send events to the sender, c->req for every other
 * @type: nlmsg_type of the expected reply
 * @parse: parser for the reply (each dump message), or NULL if only an ack
 *	   is expected
 * @data: passed to @parse
 * @what: name of the request, for messages
 *
 * Notifications that arrive meanwhile are queued for vw_dispatch().
 *
 * Return: 0; -EINTR (with no message) for a dump the kernel flagged as
 * inconsistent, to be retried; or a negative errno with the message
 * recorded if one is known.
 */
int vw_client_transact(struct vw_client *c, struct vw_nlsock *s,
		       uint16_t type, vw_parse_fn parse, void *data,
		       const char *what)
{
	const struct nlmsghdr *req = &c->buf.nlh;
	struct vw_xfer x;
	int ret;

	vw_xfer_init(&x, req, s->portid, type, parse, data);
	/* The request socket gets none, but nothing the kernel sends is lost. */
	vw_xfer_notify(&x, c->family.id, vw_evq_notify, &c->queue);
	vw_client_make_room(c, s);
	if (mnl_socket_sendto(s->nl, req, req->nlmsg_len) < 0)
		return vw_client_fail(c, -errno, "sending %s failed", what);
	ret = vw_client_collect(c, s, &x, what);
	vw_client_sync_evfd(c);
	return ret;
}

/**
 * vw_client_dump() - run a dump to its end, retrying if interrupted
 * @c: client
 * @build: builds the dump request
 * @parse: parser appending each message's item to @vec
 * @vec: emptied before each try; holds the whole dump on success
 * @what: name of the request, for messages
 *
 * Return: 0, -EAGAIN after VW_DUMP_TRIES interrupted tries, or a negative
 * errno with the message recorded if one is known.
 */
int vw_client_dump(struct vw_client *c, vw_build_fn build, vw_parse_fn parse,
		   struct vw_vec *vec, const char *what)
{
	int tries;
	int ret;

	for (tries = 0; tries < VW_DUMP_TRIES; tries++) {
		vec->n = 0;
		ret = build(c->buf.bytes, sizeof(c->buf), c->family.id,
			    vw_client_next_seq(c));
		if (ret)
			return vw_client_fail(c, ret, "cannot build %s", what);
		ret = vw_client_transact(c, &c->req, c->family.id, parse, vec,
					 what);
		if (ret != -EINTR)
			return ret;
	}
	return vw_client_fail(c, -EAGAIN,
			      "%s was interrupted %d times: the module's state kept changing",
			      what, VW_DUMP_TRIES);
}

/**
 * vw_client_dump_each() - run a dump, then hand each item to @each
 * @c: client
 * @build: builds the dump request
 * @parse: collects one message's item into a struct vw_vec
 * @item_size: size of one collected item
 * @what: names the request in error messages
 * @each: called per item until it returns non-zero
 * @ctx: passed to @each
 *
 * The items are collected first, so @each may call back into @c: the
 * client's buffer is free by then.
 *
 * Return: 0, the dump's negative errno, or what @each returned.
 */
int vw_client_dump_each(struct vw_client *c, vw_build_fn build,
			vw_parse_fn parse, size_t item_size, const char *what,
			int (*each)(const void *item, void *ctx), void *ctx)
{
	struct vw_vec vec = { .item_size = item_size };
	const char *item;
	size_t i;
	int ret;

	ret = vw_client_dump(c, build, parse, &vec, what);
	item = vec.items;
	for (i = 0; !ret && i < vec.n; i++, item += item_size)
		ret = each(item, ctx);
	vw_vec_free(&vec);
	return ret;
}

/**
 * vw_client_loss_pending() - whether vw_dispatch() has a loss to tell
 * @c: client
 *
 * Return: true if the kernel dropped events for the event socket, or the
 * library dropped some, since vw_dispatch() last reported a loss.
 */
bool vw_client_loss_pending(const struct vw_client *c)
{
	return c->enobufs ||
	       c->queue.overflows + c->queue.malformed != c->drops_told;
}

/**
 * vw_client_sync_evfd() - make vw_fd() readable exactly while events wait
 * @c: client
 *
 * A loss counts as waiting: vw_dispatch() must run to put it right, even
 * if the socket that reported it has since been read dry.
 */
void vw_client_sync_evfd(struct vw_client *c)
{
	uint64_t v = 1;
	bool want = c->queue.count > 0 || vw_client_loss_pending(c);

	if (c->evfd < 0 || want == c->evfd_set)
		return;
	/* A non-blocking eventfd: neither call can block or fail usefully. */
	if (want) {
		if (write(c->evfd, &v, sizeof(v)) == sizeof(v))
			c->evfd_set = true;
	} else {
		if (read(c->evfd, &v, sizeof(v)) == sizeof(v) ||
		    errno == EAGAIN)
			c->evfd_set = false;
	}
}

static int vw_nlsock_open(struct vw_client *c, struct vw_nlsock *s,
			  const char *which)
{
	int one = 1;

	s->nl = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!s->nl && errno == EPROTONOSUPPORT)
		return vw_client_fail(c, -EPROTONOSUPPORT,
				      "this kernel offers no generic netlink sockets, which voipwake needs");
	if (!s->nl)
		return vw_client_fail(c, -errno,
				      "cannot open a generic netlink socket for %s",
				      which);
	/* Capped acks keep replies small; extended acks carry the why. */
	if (mnl_socket_setsockopt(s->nl, NETLINK_EXT_ACK, &one,
				  sizeof(one)) < 0 ||
	    mnl_socket_setsockopt(s->nl, NETLINK_CAP_ACK, &one,
				  sizeof(one)) < 0)
		return vw_client_fail(c, -errno,
				      "cannot enable extended netlink acks");
	if (mnl_socket_bind(s->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return vw_client_fail(c, -errno,
				      "cannot bind the netlink socket for %s",
				      which);
	s->portid = mnl_socket_get_portid(s->nl);
	return 0;
}

/*
 * Room for bursts: an app's wake brings two or three events, and an
 * admin hears every app. Past net.core.rmem_max only with CAP_NET_ADMIN
 * (SO_RCVBUFFORCE); without it, as much as the administrator allows. A
 * smaller buffer is no failure: an overflow is recovered from anyway.
 */
static void vw_event_rcvbuf(struct vw_nlsock *s)
{
	int fd = mnl_socket_get_fd(s->nl);
	int size = VW_EVENT_RCVBUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

/**
 * vw_client_open_socks() - open and bind the request and event sockets
 * @c: client, with both sockets still closed
 *
 * Return: 0, or a negative errno with the message recorded.
 */
int vw_client_open_socks(struct vw_client *c)
{
	int ret;

	ret = vw_nlsock_open(c, &c->req, "requests");
	if (!ret)
		ret = vw_nlsock_open(c, &c->evt, "events");
	if (!ret)
		vw_event_rcvbuf(&c->evt);
	return ret;
}

static int vw_client_resolve(struct vw_client *c)
{
	struct vw_family *fam = &c->family;
	int ret;

	fam->name = VOIPWAKE_GENL_NAME;
	fam->mcgrp = VOIPWAKE_MCGRP_ADMIN;
	ret = vw_build_getfamily(c->buf.bytes, sizeof(c->buf),
				 vw_client_next_seq(c), fam->name);
	if (ret)
		return vw_client_fail(c, ret, "cannot build CTRL_CMD_GETFAMILY");
	ret = vw_client_transact(c, &c->req, GENL_ID_CTRL, vw_parse_getfamily,
				 fam, "CTRL_CMD_GETFAMILY");
	if (ret == -ENOENT)
		return vw_client_fail(c, ret,
			"the voipwake kernel module is not loaded (no generic netlink family \"%s\"): load it with 'modprobe voipwake' as root",
			fam->name);
	return ret;
}

/**
 * vw_client_alloc() - a handle with nothing open yet
 *
 * Return: the handle, for vw_client_open_socks() and then vw_close(); or
 * NULL if out of memory.
 */
struct vw_client *vw_client_alloc(void)
{
	struct vw_client *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->epfd = -1;
	c->evfd = -1;
	c->marked.item_size = sizeof(struct vw_marked);
	return c;
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
	c = vw_client_alloc();
	if (!c) {
		vw_open_status_set(-ENOMEM, "out of memory for a client handle");
		return -ENOMEM;
	}
	ret = vw_client_open_socks(c);
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
	if (c->epfd >= 0)
		close(c->epfd);
	if (c->evfd >= 0)
		close(c->evfd);
	if (c->evt.nl)
		mnl_socket_close(c->evt.nl);
	if (c->req.nl)
		mnl_socket_close(c->req.nl);
	vw_vec_free(&c->marked);
	free(c);
}
