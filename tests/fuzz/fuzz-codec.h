/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What fuzz-codec and mkseeds agree on: the exchanges a selector byte
 * names, and the request each one answers.
 */
#ifndef VW_FUZZ_CODEC_H
#define VW_FUZZ_CODEC_H

#include <stddef.h>

/* The port, sequence and family of the unit tests' fake replies. */
#include "nlbuild.h"

#define FZ_REQ_BUF	1024

enum {
	FZ_GETFAMILY,
	FZ_INFO,
	FZ_SOCK_MARK,
	FZ_APP_GET,
	FZ_SOCK_DUMP,
	FZ_APP_DUMP,
	FZ_ACK,
	FZ_EVENTS,
	FZ_N
};

/* Builds the request the selector's exchange answers, at FZ_SEQ. */
void fz_request(int sel, void *buf, size_t len);

#endif /* VW_FUZZ_CODEC_H */
