/* SPDX-License-Identifier: LGPL-2.1-or-later OR MIT */
/*
 * Netlink message codec: pure functions that build requests into caller
 * buffers and parse replies out of them. Nothing here touches a socket,
 * which is what lets tests/unit feed it hand-made replies.
 *
 * Buffers must be 4-byte aligned (netlink alignment). A parser handed a
 * struct nlmsghdr may read nlmsg_len bytes from it: vw_xfer_feed() checks
 * that before calling one. Parsers check every other length before reading
 * and report problems as -EBADMSG (the bytes do not form valid messages or
 * attributes) or -EPROTO (well-formed, but not what the protocol allows
 * here); *why then names the problem in a static string.
 *
 * Attribute rules for every reply: unknown attribute types are skipped so
 * the module can grow new ones; a known attribute with the wrong payload
 * size is an error; if an attribute appears twice, the last one wins.
 */
#ifndef VW_CODEC_H
#define VW_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#include "voipwake.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* How one known attribute type must look. */
struct vw_attr_rule {
	enum mnl_attr_data_type type;
	const char *why;	/* reported when the attribute breaks the rule */
};

int vw_attrs_check(const void *buf, size_t len);
int vw_attrs_parse(const void *buf, size_t len,
		   const struct vw_attr_rule *rules, unsigned int max,
		   const struct nlattr **tb, const char **why);

struct nlmsghdr *vw_genl_put(void *buf, size_t len, uint16_t type,
			     uint8_t cmd, uint8_t version, uint32_t seq);
struct nlmsghdr *vw_genl_put_dump(void *buf, size_t len, uint16_t type,
				  uint8_t cmd, uint8_t version, uint32_t seq);
int vw_genl_attrs(const struct nlmsghdr *nlh, uint8_t cmd,
		  const void **attrs, size_t *len, const char **why);
int vw_genl_cmd(const struct nlmsghdr *nlh, uint8_t *cmd, const char **why);
int vw_copy_out(void *dst, const void *src, size_t src_size,
		size_t min_size);

/*
 * Where a plain number attribute lands in a result structure (one that
 * starts with u32 size and u32 present, as struct vw_info does) and which
 * present bit tells it was sent. A u8 or u32 goes in a u32 field, a u64 in
 * a u64 field.
 */
struct vw_field {
	uint16_t type;		/* attribute type */
	uint16_t offset;	/* of the field in the structure */
	uint16_t size;		/* of the field: 4 or 8 */
	uint32_t bit;		/* in the structure's present mask */
};

#define VW_FIELD(type, st, member, bit)					\
	{ (type), offsetof(st, member), sizeof(((st *)0)->member), (bit) }

void vw_fields_store(const struct nlattr **tb, const struct vw_field *fields,
		     size_t n, void *dst);
int vw_fields_copy_out(void *dst, const void *src, size_t src_size,
		       size_t min_size, const struct vw_field *fields,
		       size_t n);

/* A growable array of fixed-size items: what a dump collects. */
struct vw_vec {
	void *items;
	size_t item_size;
	size_t n;
	size_t cap;
};

int vw_vec_reserve(struct vw_vec *v);
int vw_vec_push(struct vw_vec *v, const void *item);
void vw_vec_free(struct vw_vec *v);

/*
 * GETFAMILY request and reply; @name and @mcgrp are set by the caller.
 * @mcgrp_id is 0 when the family offers no group of that name.
 */
struct vw_family {
	const char *name;
	const char *mcgrp;
	uint16_t id;
	uint32_t version;
	uint32_t mcgrp_id;
};

int vw_build_getfamily(void *buf, size_t len, uint32_t seq, const char *name);
int vw_parse_getfamily(const struct nlmsghdr *nlh, void *family,
		       const char **why);

int vw_build_info_get(void *buf, size_t len, uint16_t family, uint32_t seq);
int vw_parse_info(const struct nlmsghdr *nlh, void *info, const char **why);
int vw_info_copy_out(struct vw_info *dst, const struct vw_info *src);

/* SOCK_MARK, SOCK_UNMARK and the SOCK_GET dump. */
int vw_build_sock_mark(void *buf, size_t len, uint16_t family, uint32_t seq,
		       int fd, uint32_t wake_on);
int vw_build_sock_unmark(void *buf, size_t len, uint16_t family,
			 uint32_t seq, int fd);
int vw_build_sock_dump(void *buf, size_t len, uint16_t family, uint32_t seq);
int vw_sock_attrs(const void *attrs, size_t len, struct vw_sock_info *si,
		  const char **why);
int vw_parse_sock_mark(const struct nlmsghdr *nlh, void *si,
		       const char **why);
int vw_parse_sock_dump(const struct nlmsghdr *nlh, void *vec,
		       const char **why);

/* What an APP_SET sets: each NULL to leave it as it is. */
struct vw_app_settings {
	const uint32_t *state;		/* enum voipwake_app_state */
	const uint32_t *wake_window_ms;
	const uint32_t *keepalive_s;
	const uint32_t *keepalive_tolerance_pct;
	const uint32_t *keepalive_budget_ms;
	const uint32_t *wake_interval_ms;
	const uint8_t *wake_system;	/* 0 or 1 */
	const uint8_t *held;		/* 0 or 1 */
	const uint32_t *freeze_gate_ms;
	const uint32_t *freeze_gate_seq;	/* the marker's answer */
};

/* APP_SET, APP_GET (do and dump) and APP_WAKE_DONE. */
int vw_build_app_set(void *buf, size_t len, uint16_t family, uint32_t seq,
		     int cgroup_fd, const struct vw_app_settings *set);
int vw_build_app_get(void *buf, size_t len, uint16_t family, uint32_t seq,
		     int cgroup_fd);
int vw_build_app_dump(void *buf, size_t len, uint16_t family, uint32_t seq);
int vw_build_app_wake_done(void *buf, size_t len, uint16_t family,
			   uint32_t seq, int cgroup_fd,
			   const uint32_t *wake_seq);
int vw_app_attrs(const void *attrs, size_t len, struct vw_app_info *ai,
		 struct vw_event *ev, const char **why);
int vw_parse_app_get(const struct nlmsghdr *nlh, void *ai, const char **why);
int vw_app_info_copy_out(struct vw_app_info *dst,
			 const struct vw_app_info *src);
int vw_parse_app_dump(const struct nlmsghdr *nlh, void *vec,
		      const char **why);

int vw_parse_event(const struct nlmsghdr *nlh, struct vw_event *ev,
		   const char **why);

/* How many events the client keeps while no one dispatches them. */
#define VW_EVQ_LEN	256

/* A bounded FIFO of parsed events; when full, new events are dropped. */
struct vw_evq {
	struct vw_event slots[VW_EVQ_LEN];
	unsigned int head;	/* oldest event */
	unsigned int count;
	uint64_t overflows;	/* dropped: the queue was full */
	uint64_t malformed;	/* dropped: the notification was malformed */
};

bool vw_evq_push(struct vw_evq *q, const struct vw_event *ev);
bool vw_evq_pop(struct vw_evq *q, struct vw_event *ev);
void vw_evq_notify(const struct nlmsghdr *nlh, void *evq);

/* Parses one reply message of the expected type into @data. */
typedef int (*vw_parse_fn)(const struct nlmsghdr *nlh, void *data,
			   const char **why);

/* Takes a notification (nlmsg_seq 0) met while reading replies. */
typedef void (*vw_notify_fn)(const struct nlmsghdr *nlh, void *arg);

/*
 * One request/acknowledge exchange (or one dump), fed with every datagram
 * received until vw_xfer_feed() says it is finished.
 */
struct vw_xfer {
	/* set by vw_xfer_init() */
	uint32_t seq;		/* nlmsg_seq of the request */
	uint32_t portid;	/* our netlink port id */
	uint16_t type;		/* nlmsg_type of the expected reply */
	bool dump;		/* the request has NLM_F_DUMP: ends at DONE */
	vw_parse_fn parse;	/* NULL if only an ack is expected */
	void *data;		/* passed to @parse */
	/* set by vw_xfer_notify(), else none */
	uint16_t ntf_type;	/* nlmsg_type of notifications */
	vw_notify_fn notify;
	void *notify_arg;
	/* results */
	unsigned int replies;	/* reply messages parsed */
	int error;		/* 0 or negative errno once finished */
	const char *why;	/* may point into the fed buffer: copy it */
	bool kernel_error;	/* @error came from the kernel's NLMSG_ERROR */
	bool intr;		/* NLM_F_DUMP_INTR seen: the dump is unusable */
};

int vw_parse_error(const struct nlmsghdr *nlh, int *error, const char **msg);
void vw_xfer_init(struct vw_xfer *x, const struct nlmsghdr *req,
		  uint32_t portid, uint16_t type, vw_parse_fn parse,
		  void *data);
void vw_xfer_notify(struct vw_xfer *x, uint16_t ntf_type, vw_notify_fn fn,
		    void *arg);
int vw_xfer_feed(struct vw_xfer *x, const void *buf, size_t len);
int vw_ntf_feed(const void *buf, size_t len, uint16_t ntf_type,
		vw_notify_fn fn, void *arg);

#endif /* VW_CODEC_H */
