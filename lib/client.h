/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * The client handle and the request/reply round trip that every public
 * call is built on.
 *
 * A handle holds two generic netlink sockets. The kernel sends an app's
 * events to the port that marked one of its sockets (SOCK_MARK) and to
 * the port that last set its own keep-alive (APP_SET without a cgroup),
 * and multicasts them to the "admin" group: those requests, and the
 * group membership, go through @evt, so that events land there and
 * nowhere else. Every other request uses @req, whose replies can then
 * neither be crowded out by a flood of events nor delay them.
 */
#ifndef VW_CLIENT_H
#define VW_CLIENT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <libmnl/libmnl.h>

#include "codec.h"

/* Big enough for any reply, including a capped ack with extack text. */
#define VW_RECV_BUF_SIZE	32768
/* Big enough for any request: a header and a few attributes. */
#define VW_REQ_BUF_SIZE		1024
#define VW_ERROR_LEN		256

/* How often a dump flagged NLM_F_DUMP_INTR is tried before -EAGAIN. */
#define VW_DUMP_TRIES		4

/*
 * SO_RCVBUF asked for on the event socket; the kernel doubles it, and
 * caps the request at net.core.rmem_max unless SO_RCVBUFFORCE (with
 * CAP_NET_ADMIN) is allowed. An event costs about 1 KiB of it.
 */
#define VW_EVENT_RCVBUF		(512 * 1024)

struct vw_nlsock {
	struct mnl_socket *nl;
	uint32_t portid;
};

/* A socket marked through this handle: its app's events come to us. */
struct vw_marked {
	uint64_t ino;
	uint64_t app_id;	/* 0 if the module did not say */
};

struct vw_client {
	struct vw_nlsock req;	/* requests and their replies */
	struct vw_nlsock evt;	/* events, and the requests that route them */
	uint32_t seq;
	struct vw_family family;
	bool has_error;
	char error[VW_ERROR_LEN];

	/* What the module implements: see vw_client_need(). */
	bool info_known;
	uint32_t features;	/* valid if @features_known */
	bool features_known;
	char mod_version[VW_VERSION_LEN];

	/* Events: see vw_dispatch(). */
	void (*event_fn)(const struct vw_event *ev, void *arg);
	void *event_arg;
	bool dispatching;	/* in vw_dispatch(): refuse to recurse */
	bool nowait;		/* read replies with MSG_DONTWAIT only */
	bool enobufs;		/* the kernel dropped events, not yet told */
	bool admin;		/* in the admin group: every app's events */
	uint64_t drops_told;	/* queue drops vw_dispatch() has reported */
	int epfd;		/* vw_fd(): epoll of @evt and @evfd */
	int evfd;		/* eventfd, readable while events wait */
	bool evfd_set;
	struct vw_vec marked;	/* struct vw_marked */
	struct vw_evq queue;

	/* The caller's own keep-alive: see vw_set_keepalive(). */
	vw_keepalive_fn ka_fn;
	void *ka_arg;
	uint64_t ka_app_id;	/* cgroup id of the caller's own app */
	uint64_t ka_seen;	/* its wakes_keepalive, handler run up to it */
	/* The last wake delivered, which vw_wake_done() says it is done with. */
	bool done_seq_set;
	uint32_t done_seq;

	/* The request being built and sent. */
	union {
		struct nlmsghdr nlh;
		char bytes[VW_REQ_BUF_SIZE];
	} buf;
	/*
	 * Each datagram received: apart from @buf, so that events can be
	 * read with a request built and not yet sent.
	 */
	union {
		struct nlmsghdr nlh;
		char bytes[VW_RECV_BUF_SIZE];
	} rbuf;
};

/* Builds a request with no arguments but the family and sequence. */
typedef int (*vw_build_fn)(void *buf, size_t len, uint16_t family,
			   uint32_t seq);

struct vw_client *vw_client_alloc(void);
int vw_client_open_socks(struct vw_client *c);
uint32_t vw_client_next_seq(struct vw_client *c);
ssize_t vw_client_recv(struct vw_client *c, struct vw_nlsock *s, int flags);
int vw_client_read_event(struct vw_client *c);
int vw_client_transact(struct vw_client *c, struct vw_nlsock *s,
		       uint16_t type, vw_parse_fn parse, void *data,
		       const char *what);
int vw_client_dump(struct vw_client *c, vw_build_fn build, vw_parse_fn parse,
		   struct vw_vec *vec, const char *what);
int vw_client_dump_each(struct vw_client *c, vw_build_fn build,
			vw_parse_fn parse, size_t item_size, const char *what,
			int (*each)(const void *item, void *ctx), void *ctx);
bool vw_client_loss_pending(const struct vw_client *c);
void vw_client_sync_evfd(struct vw_client *c);
int vw_client_fail(struct vw_client *c, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void vw_client_clear_error(struct vw_client *c);

/* info.c */
int vw_client_need(struct vw_client *c, uint32_t feature, const char *what);

/* app.c */
int vw_app_query(struct vw_client *c, int cgroup_fd, struct vw_app_info *ai);

/* resync.c: what the handle tracks, and putting it right after a loss. */
int vw_marked_reserve(struct vw_client *c);
void vw_marked_add(struct vw_client *c, const struct vw_sock_info *si);
void vw_marked_del(struct vw_client *c, uint64_t ino);
bool vw_marked_app(const struct vw_client *c, uint64_t app_id);
void vw_ka_baseline(struct vw_client *c, const struct vw_app_info *own);
bool vw_event_note(struct vw_client *c, const struct vw_event *ev);
void vw_resync_event(struct vw_client *c, const struct vw_app_info *ai,
		     struct vw_event *ev);
void vw_deliver(struct vw_client *c, const struct vw_event *ev);
int vw_resync(struct vw_client *c, int *delivered);

#endif /* VW_CLIENT_H */
