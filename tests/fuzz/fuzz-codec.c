// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for libvoipwake's netlink codec: what the kernel (or
 * anyone who can reach the socket, before the client drops datagrams not
 * from the kernel) sends back is parsed here, so every byte of it is the
 * fuzzer's.
 *
 * Input: one selector byte, then datagrams, each a little-endian u16
 * length and that many bytes (the last may be short). The selector picks
 * the exchange the datagrams answer, as lib/client.c runs it: the reply
 * to GETFAMILY, INFO_GET, SOCK_MARK, APP_GET, a SOCK_GET or APP_GET dump,
 * or a bare ack (APP_SET, SOCK_UNMARK, WAKE_DONE), notifications
 * interleaved with any of them going to the event queue as in
 * vw_client_transact(); or no request at all, the event socket read as
 * vw_client_read_event() reads it. A parsed result is then copied out to
 * a caller's structure of the oldest size and of the newest, and the
 * error text, which may point into the datagram, is read in full while
 * the datagram is alive (ASan checks it ends inside).
 *
 * Seeds: tests/fuzz/corpus/codec, made by mkseeds.c from the unit tests'
 * own message builders.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include "codec.h"
#include "fuzz-codec.h"

static struct vw_evq queue;
/* Read, so that the compiler keeps the strlen() of each error text. */
volatile size_t why_len;

struct exchange {
	vw_parse_fn parse;	/* NULL: an ack, or events only */
	uint16_t type;		/* of the reply; 0: no request */
	bool dump;
	size_t item;		/* dumps: size of one collected item */
};

static const struct exchange exchanges[FZ_N] = {
	[FZ_GETFAMILY] = { vw_parse_getfamily, GENL_ID_CTRL, false, 0 },
	[FZ_INFO] = { vw_parse_info, TEST_FAMILY, false, 0 },
	[FZ_SOCK_MARK] = { vw_parse_sock_mark, TEST_FAMILY, false, 0 },
	[FZ_APP_GET] = { vw_parse_app_get, TEST_FAMILY, false, 0 },
	[FZ_SOCK_DUMP] = { vw_parse_sock_dump, TEST_FAMILY, true,
			   sizeof(struct vw_sock_info) },
	[FZ_APP_DUMP] = { vw_parse_app_dump, TEST_FAMILY, true,
			  sizeof(struct vw_app_info) },
	[FZ_ACK] = { NULL, TEST_FAMILY, false, 0 },
	[FZ_EVENTS] = { NULL, 0, false, 0 },
};

/* Whatever the parsers filled, copied out as old and new callers ask. */
union result {
	struct vw_family family;
	struct vw_info info;
	struct vw_sock_info sock;
	struct vw_app_info app;
	struct vw_vec vec;
};

static void copy_out(int sel, union result *r)
{
	union {
		struct vw_info info;
		struct vw_sock_info sock;
		struct vw_app_info app;
	} dst;

	switch (sel) {
	case FZ_INFO:
		dst.info.size = VW_INFO_SIZE_VER0;
		vw_info_copy_out(&dst.info, &r->info);
		dst.info.size = sizeof(dst.info);
		vw_info_copy_out(&dst.info, &r->info);
		break;
	case FZ_SOCK_MARK:
		dst.sock.size = VW_SOCK_INFO_SIZE_VER0;
		vw_copy_out(&dst.sock, &r->sock, sizeof(r->sock),
			    VW_SOCK_INFO_SIZE_VER0);
		break;
	case FZ_APP_GET:
		dst.app.size = VW_APP_INFO_SIZE_VER0;
		vw_app_info_copy_out(&dst.app, &r->app);
		dst.app.size = sizeof(dst.app);
		vw_app_info_copy_out(&dst.app, &r->app);
		break;
	}
}

/* Each datagram in a buffer of its own size: ASan sees every overread. */
static int feed(struct vw_xfer *x, int sel, const uint8_t *p, size_t n)
{
	void *dg = malloc(n ? n : 1);
	int done = 0;

	if (!dg)
		return 1;
	memcpy(dg, p, n);
	if (sel == FZ_EVENTS) {
		vw_ntf_feed(dg, n, TEST_FAMILY, vw_evq_notify, &queue);
	} else {
		done = vw_xfer_feed(x, dg, n);
		/* What vw_client_outcome() prints with %s. */
		if (x->why)
			why_len += strlen(x->why);
	}
	free(dg);
	return done;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	union {
		struct nlmsghdr nlh;
		char bytes[FZ_REQ_BUF];
	} req;
	const struct exchange *ex;
	union result r;
	struct vw_xfer x;
	size_t n;
	int sel;

	if (size < 1)
		return 0;
	sel = data[0] % FZ_N;
	ex = &exchanges[sel];
	data++;
	size--;

	memset(&r, 0, sizeof(r));
	if (ex->dump)
		r.vec.item_size = ex->item;
	if (sel == FZ_GETFAMILY) {
		r.family.name = VOIPWAKE_GENL_NAME;
		r.family.mcgrp = VOIPWAKE_MCGRP_ADMIN;
	}
	fz_request(sel, req.bytes, sizeof(req));
	vw_xfer_init(&x, &req.nlh, TEST_PORTID, ex->type, ex->parse, &r);
	vw_xfer_notify(&x, TEST_FAMILY, vw_evq_notify, &queue);

	while (size) {
		n = size >= 2 ? (size_t)(data[0] | data[1] << 8) : 0;
		data += size >= 2 ? 2 : size;
		size -= size >= 2 ? 2 : size;
		if (n > size)
			n = size;
		if (feed(&x, sel, data, n))
			break;
		data += n;
		size -= n;
	}
	if (sel != FZ_EVENTS && x.error == 0 && x.replies)
		copy_out(sel, &r);
	if (ex->dump)
		vw_vec_free(&r.vec);
	/* Keep the queue from filling for good: its overflow path ran. */
	queue.head = 0;
	queue.count = 0;
	return 0;
}
