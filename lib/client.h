/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * The client handle and the request/reply round trip that every public
 * call is built on.
 */
#ifndef VW_CLIENT_H
#define VW_CLIENT_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "codec.h"

/* Big enough for any reply, including a capped ack with extack text. */
#define VW_RECV_BUF_SIZE	32768
#define VW_ERROR_LEN		256

struct vw_client {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	struct vw_family family;
	bool has_error;
	char error[VW_ERROR_LEN];
	/* Holds the request being sent, then each datagram received. */
	union {
		struct nlmsghdr nlh;
		char bytes[VW_RECV_BUF_SIZE];
	} buf;
};

uint32_t vw_client_next_seq(struct vw_client *c);
int vw_client_transact(struct vw_client *c, uint16_t type, vw_parse_fn parse,
		       void *data, const char *what);
int vw_client_fail(struct vw_client *c, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void vw_client_clear_error(struct vw_client *c);

#endif /* VW_CLIENT_H */
