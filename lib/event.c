// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Events: the handler, the "admin" multicast group, the pollable fd and
 * vw_dispatch(), which also runs the keep-alive handler.
 *
 * Notifications come to the event socket, interleaved with the replies to
 * the few requests sent there (see client.h). While such a call waits for
 * its reply they are parsed into c->queue; vw_dispatch() hands out the
 * queue, then whatever the socket holds. vw_fd() is an epoll instance
 * over the event socket and an eventfd that is readable exactly while the
 * queue is not empty (or a loss waits to be put right), so a poll loop
 * never sleeps on queued events.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client.h"

/* Datagrams one vw_dispatch() reads at most; vw_fd() stays readable. */
#define VW_DISPATCH_BUDGET	64

void vw_set_event_handler(struct vw_client *c,
			  void (*fn)(const struct vw_event *ev, void *arg),
			  void *arg)
{
	if (!c)
		return;
	c->event_fn = fn;
	c->event_arg = arg;
}

int vw_subscribe_admin(struct vw_client *c)
{
	unsigned int grp;

	if (!c)
		return -EINVAL;
	vw_client_clear_error(c);
	grp = c->family.mcgrp_id;
	if (!grp)
		return vw_client_fail(c, -EOPNOTSUPP,
				      "the loaded voipwake module offers no \"%s\" multicast group",
				      VOIPWAKE_MCGRP_ADMIN);
	if (mnl_socket_setsockopt(c->evt.nl, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) == 0) {
		c->admin = true;
		return 0;
	}
	if (errno == EPERM)
		return vw_client_fail(c, -EPERM,
				      "joining the \"%s\" multicast group needs CAP_NET_ADMIN",
				      VOIPWAKE_MCGRP_ADMIN);
	return vw_client_fail(c, -errno,
			      "cannot join the \"%s\" multicast group (id %u)",
			      VOIPWAKE_MCGRP_ADMIN, grp);
}

static int vw_epoll_add(int epfd, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

int vw_fd(struct vw_client *c)
{
	int epfd, evfd;
	int ret;

	if (!c)
		return -EINVAL;
	vw_client_clear_error(c);
	if (c->epfd >= 0)
		return c->epfd;

	evfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (evfd < 0)
		return vw_client_fail(c, -errno, "cannot create an eventfd");
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0) {
		ret = vw_client_fail(c, -errno,
				     "cannot create an epoll instance");
		close(evfd);
		return ret;
	}
	if (vw_epoll_add(epfd, mnl_socket_get_fd(c->evt.nl)) ||
	    vw_epoll_add(epfd, evfd)) {
		ret = vw_client_fail(c, -errno,
				     "cannot add to the epoll instance");
		close(epfd);
		close(evfd);
		return ret;
	}
	c->epfd = epfd;
	c->evfd = evfd;
	c->evfd_set = false;
	vw_client_sync_evfd(c);
	return epfd;
}

/*
 * Runs the handlers for the events queued when called; those that their
 * own calls queue wait for the next round, so a handler whose calls cause
 * events cannot keep vw_dispatch() busy for ever. Each event is a copy:
 * the handlers' calls may queue more.
 */
static int vw_run_queue(struct vw_client *c)
{
	unsigned int n = c->queue.count;
	struct vw_event ev;
	unsigned int i;

	for (i = 0; i < n && vw_evq_pop(&c->queue, &ev); i++)
		vw_deliver(c, &ev);
	return i;
}

/*
 * Events were lost: re-read the state and deliver it (see vw_resync()),
 * then tell, once, that this happened.
 */
static int vw_dispatch_lost(struct vw_client *c)
{
	uint64_t drops = c->queue.overflows + c->queue.malformed;
	uint64_t fresh = drops - c->drops_told;
	char why[96], failed[VW_ERROR_LEN];
	int resynced = 0;
	int ret;

	if (c->enobufs)
		snprintf(why, sizeof(why),
			 "the netlink receive buffer overflowed");
	else
		snprintf(why, sizeof(why),
			 "%" PRIu64 " events were dropped: event queue of %d full, or malformed",
			 fresh, VW_EVQ_LEN);
	c->enobufs = false;
	c->drops_told = drops;
	if (!c->event_fn && !c->ka_fn)
		return vw_client_fail(c, -ENOBUFS,
				      "events were lost (%s); with no handler set, nothing was re-read",
				      why);

	ret = vw_resync(c, &resynced);
	if (ret) {
		snprintf(failed, sizeof(failed), "%s",
			 c->has_error ? c->error : "no reason given");
		return vw_client_fail(c, -ENOBUFS,
				      "events were lost (%s) and re-reading the state failed; re-read it with vw_app_dump() and vw_sock_dump(): %s",
				      why, failed);
	}
	return vw_client_fail(c, -ENOBUFS,
			      "events were lost (%s); the state was re-read and %d VW_EVENT_RESYNC events delivered",
			      why, resynced);
}

int vw_dispatch(struct vw_client *c)
{
	unsigned int budget = VW_DISPATCH_BUDGET;
	int handled = 0;
	int ret = 0;

	if (!c)
		return -EINVAL;
	vw_client_clear_error(c);
	if (c->dispatching)
		return vw_client_fail(c, -EBUSY,
				      "vw_dispatch() called from an event or keep-alive handler");

	c->dispatching = true;
	for (;;) {
		handled += vw_run_queue(c);
		if (!budget--)
			break;
		/*
		 * Read on past a loss: what the socket still holds predates
		 * the state the resync reads, and belongs before it.
		 */
		ret = vw_client_read_event(c);
		if (ret <= 0)
			break;
	}
	if (ret < 0)
		ret = vw_client_fail(c, ret, "reading events failed");
	else
		ret = vw_client_loss_pending(c) ? vw_dispatch_lost(c) : 0;
	c->dispatching = false;
	vw_client_sync_evfd(c);
	if (ret)
		return ret;
	/* The handler's own calls may have failed: this call did not. */
	vw_client_clear_error(c);
	return handled;
}

uint64_t vw_events_dropped(const struct vw_client *c)
{
	return c ? c->queue.overflows + c->queue.malformed : 0;
}
