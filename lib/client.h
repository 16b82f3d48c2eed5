/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * The client handle and the request/reply round trip that every public
 * call is built on.
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
#define VW_ERROR_LEN		256

/* How often a dump flagged NLM_F_DUMP_INTR is tried before -EAGAIN. */
#define VW_DUMP_TRIES		4

struct vw_client {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	struct vw_family family;
	bool has_error;
	char error[VW_ERROR_LEN];

	/* Events: see vw_dispatch(). */
	void (*event_fn)(const struct vw_event *ev, void *arg);
	void *event_arg;
	bool dispatching;	/* in vw_dispatch(): refuse to recurse */
	bool enobufs;		/* the kernel dropped messages, not yet told */
	uint64_t drops_told;	/* queue drops vw_dispatch() has reported */
	int epfd;		/* vw_fd(): epoll of the socket and @evfd */
	int evfd;		/* eventfd, readable while @queue holds events */
	bool evfd_set;
	struct vw_evq queue;

	/* The caller's own keep-alive: see vw_set_keepalive(). */
	vw_keepalive_fn ka_fn;
	void *ka_arg;
	uint64_t ka_app_id;	/* cgroup id of the caller's own app */

	/* Holds the request being sent, then each datagram received. */
	union {
		struct nlmsghdr nlh;
		char bytes[VW_RECV_BUF_SIZE];
	} buf;
};

/* Builds a request with no arguments but the family and sequence. */
typedef int (*vw_build_fn)(void *buf, size_t len, uint16_t family,
			   uint32_t seq);

uint32_t vw_client_next_seq(struct vw_client *c);
ssize_t vw_client_recv(struct vw_client *c, int flags);
int vw_client_transact(struct vw_client *c, uint16_t type, vw_parse_fn parse,
		       void *data, const char *what);
int vw_client_dump(struct vw_client *c, vw_build_fn build, vw_parse_fn parse,
		   struct vw_vec *vec, const char *what);
int vw_client_dump_each(struct vw_client *c, vw_build_fn build,
			vw_parse_fn parse, size_t item_size, const char *what,
			int (*each)(const void *item, void *ctx), void *ctx);
void vw_client_sync_evfd(struct vw_client *c);
int vw_client_fail(struct vw_client *c, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void vw_client_clear_error(struct vw_client *c);

#endif /* VW_CLIENT_H */
