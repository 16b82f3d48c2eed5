// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Reading the answer to one request: walking the received datagrams,
 * matching messages to the request and decoding acknowledgements.
 */

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "codec.h"

/* Largest errno the kernel can put in an NLMSG_ERROR (MAX_ERRNO). */
#define VW_MAX_ERRNO	4095

static const struct vw_attr_rule vw_ext_ack_rules[NLMSGERR_ATTR_MSG + 1] = {
	[NLMSGERR_ATTR_MSG] = {
		MNL_TYPE_NUL_STRING, "NLMSGERR_ATTR_MSG is not a string" },
};

/*
 * Where the extended ack attributes of an NLMSG_ERROR start, or SIZE_MAX if
 * the echoed request does not fit.
 */
static size_t vw_ext_ack_offset(const struct nlmsghdr *nlh, size_t len)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_flags & NLM_F_CAPPED)
		return sizeof(*err);
	/* Uncapped: the whole request is echoed in place of err->msg. */
	if (err->msg.nlmsg_len > len - sizeof(err->error))
		return SIZE_MAX;
	return MNL_ALIGN(sizeof(err->error) + err->msg.nlmsg_len);
}

/*
 * The text is a courtesy: if the attributes around it are damaged, the
 * errno still stands on its own, so drop the text rather than the error.
 */
static const char *vw_ack_tlv_msg(const struct nlmsghdr *nlh, size_t off)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MSG + 1];
	size_t len = mnl_nlmsg_get_payload_len(nlh);
	const char *why;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off > len)
		return NULL;
	if (vw_attrs_parse((const char *)mnl_nlmsg_get_payload(nlh) + off,
			   len - off, vw_ext_ack_rules, NLMSGERR_ATTR_MSG,
			   tb, &why))
		return NULL;
	return tb[NLMSGERR_ATTR_MSG] ? mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG])
				     : NULL;
}

static const char *vw_ext_ack_msg(const struct nlmsghdr *nlh)
{
	size_t len = mnl_nlmsg_get_payload_len(nlh);

	return vw_ack_tlv_msg(nlh, vw_ext_ack_offset(nlh, len));
}

/**
 * vw_parse_error() - decode an NLMSG_ERROR message
 * @nlh: the message, nlmsg_len bytes readable
 * @error: set to 0 for an acknowledgement, else the negative errno
 * @msg: set to the extended ack text (pointing into @nlh) or NULL; on
 *	 failure, to the reason the message was refused
 *
 * Return: 0, -EBADMSG if the message is truncated, -EPROTO if the error
 * code is not a valid negative errno.
 */
int vw_parse_error(const struct nlmsghdr *nlh, int *error, const char **msg)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err)) {
		*msg = "truncated NLMSG_ERROR";
		return -EBADMSG;
	}
	if (err->error > 0 || err->error < -VW_MAX_ERRNO) {
		*msg = "NLMSG_ERROR carries an invalid error code";
		return -EPROTO;
	}
	*error = err->error;
	*msg = err->error ? vw_ext_ack_msg(nlh) : NULL;
	return 0;
}

/**
 * vw_xfer_init() - prepare to collect the answer to @req
 * @x: state to initialise
 * @req: the request, as sent
 * @portid: our port id
 * @type: nlmsg_type of the expected reply
 * @parse: parser for the reply, or NULL if only an ack is expected
 * @data: passed to @parse
 */
void vw_xfer_init(struct vw_xfer *x, const struct nlmsghdr *req,
		  uint32_t portid, uint16_t type, vw_parse_fn parse,
		  void *data)
{
	*x = (struct vw_xfer) {
		.seq = req->nlmsg_seq,
		.portid = portid,
		.type = type,
		.dump = !!(req->nlmsg_flags & NLM_F_DUMP),
		.parse = parse,
		.data = data,
	};
}

/**
 * vw_xfer_notify() - hand notifications met during the exchange to @fn
 * @x: exchange state, after vw_xfer_init()
 * @ntf_type: nlmsg_type of the family's notifications (its id)
 * @fn: called for each message of that type with nlmsg_seq 0
 * @arg: passed to @fn
 *
 * Without this, notifications are skipped like any message that does not
 * answer the request.
 */
void vw_xfer_notify(struct vw_xfer *x, uint16_t ntf_type, vw_notify_fn fn,
		    void *arg)
{
	x->ntf_type = ntf_type;
	x->notify = fn;
	x->notify_arg = arg;
}

static int vw_xfer_finish(struct vw_xfer *x, int error, const char *why)
{
	x->error = error;
	x->why = why;
	return 1;
}

static int vw_xfer_ack(struct vw_xfer *x, const struct nlmsghdr *nlh)
{
	const char *msg;
	int error;
	int ret;

	ret = vw_parse_error(nlh, &error, &msg);
	if (ret)
		return vw_xfer_finish(x, ret, msg);
	if (error) {
		x->kernel_error = true;
		return vw_xfer_finish(x, error, msg);
	}
	if (x->dump)
		return vw_xfer_finish(x, -EPROTO,
				      "dump acknowledged without NLMSG_DONE");
	if (x->parse && !x->replies)
		return vw_xfer_finish(x, -EPROTO,
				      "acknowledged without a reply");
	return vw_xfer_finish(x, 0, NULL);
}

/*
 * NLMSG_DONE ends a dump. It carries the dump's own error code, then, with
 * NLM_F_ACK_TLVS, extended ack attributes, and may itself be flagged
 * NLM_F_DUMP_INTR.
 */
static int vw_xfer_done(struct vw_xfer *x, const struct nlmsghdr *nlh)
{
	int error;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(error))
		return vw_xfer_finish(x, -EBADMSG, "truncated NLMSG_DONE");
	memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(error));
	if (error > 0 || error < -VW_MAX_ERRNO)
		return vw_xfer_finish(x, -EPROTO,
				      "NLMSG_DONE carries an invalid error code");
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		x->intr = true;
	if (error) {
		x->kernel_error = true;
		return vw_xfer_finish(x, error,
				      vw_ack_tlv_msg(nlh, sizeof(error)));
	}
	return vw_xfer_finish(x, 0, NULL);
}

/* A notification (sequence 0, the family's type), not part of any reply. */
static bool vw_is_ntf(const struct nlmsghdr *nlh, uint16_t ntf_type)
{
	return ntf_type && nlh->nlmsg_seq == 0 && nlh->nlmsg_type == ntf_type;
}

/* Returns 1 once the exchange is finished, 0 to keep reading. */
static int vw_xfer_msg(struct vw_xfer *x, const struct nlmsghdr *nlh)
{
	const char *why = NULL;
	int ret;

	/* Events interleave with replies: keep them for later. */
	if (x->notify && vw_is_ntf(nlh, x->ntf_type)) {
		x->notify(nlh, x->notify_arg);
		return 0;
	}
	/* Leftovers of an earlier, abandoned exchange. */
	if (nlh->nlmsg_seq != x->seq || nlh->nlmsg_pid != x->portid)
		return 0;

	if (nlh->nlmsg_type == NLMSG_NOOP)
		return 0;
	if (nlh->nlmsg_type == NLMSG_ERROR)
		return vw_xfer_ack(x, nlh);
	if (nlh->nlmsg_type == NLMSG_DONE && x->dump)
		return vw_xfer_done(x, nlh);
	if (nlh->nlmsg_type != x->type || !x->parse)
		return vw_xfer_finish(x, -EPROTO,
				      "unexpected message type in reply");
	if (x->replies && !x->dump)
		return vw_xfer_finish(x, -EPROTO, "more than one reply");
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		x->intr = true;

	x->replies++;
	ret = x->parse(nlh, x->data, &why);
	return ret ? vw_xfer_finish(x, ret, why) : 0;
}

/*
 * mnl_nlmsg_ok() compares nlmsg_len with the bytes left as an int, so a
 * length with the top bit set passes, and the message then reaches
 * gigabytes past the datagram (the parser reads it, mnl_nlmsg_next()
 * jumps there). The kernel never sends one; found by tests/fuzz.
 */
static bool vw_nlmsg_ok(const struct nlmsghdr *nlh, int left)
{
	return left >= (int)sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) &&
	       nlh->nlmsg_len <= (unsigned int)left;
}

/**
 * vw_xfer_feed() - consume one received datagram
 * @x: exchange state
 * @buf: the datagram, 4-byte aligned
 * @len: its length
 *
 * Messages for other requests are skipped; notifications go to the
 * vw_xfer_notify() handler, if any. The exchange finishes at the
 * acknowledgement (at NLMSG_DONE for a dump), or at the first problem;
 * x->error and x->why then hold the outcome, and x->intr tells whether the
 * kernel flagged the dump as inconsistent.
 *
 * Return: 1 when finished, 0 when more datagrams are needed.
 */
int vw_xfer_feed(struct vw_xfer *x, const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	int left = len > INT_MAX ? INT_MAX : (int)len;

	while (vw_nlmsg_ok(nlh, left)) {
		if (vw_xfer_msg(x, nlh)) {
			/* Events after the end of the answer are not lost. */
			nlh = mnl_nlmsg_next(nlh, &left);
			if (x->notify)
				vw_ntf_feed(nlh, left > 0 ? left : 0,
					    x->ntf_type, x->notify,
					    x->notify_arg);
			return 1;
		}
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	/* The last message may lack padding, which makes @left negative. */
	if (left > 0)
		return vw_xfer_finish(x, -EBADMSG,
				      "truncated netlink message");
	return 0;
}

/**
 * vw_ntf_feed() - take the notifications out of a datagram
 * @buf: the datagram, 4-byte aligned
 * @len: its length
 * @ntf_type: nlmsg_type of the family's notifications
 * @fn: called for each notification
 * @arg: passed to @fn
 *
 * For reading the socket while no request is outstanding: everything that
 * is not a notification (late answers to abandoned requests) is skipped.
 *
 * Return: 0, or -EBADMSG if the datagram ends inside a message (the
 * notifications before that point were handed to @fn).
 */
int vw_ntf_feed(const void *buf, size_t len, uint16_t ntf_type,
		vw_notify_fn fn, void *arg)
{
	const struct nlmsghdr *nlh = buf;
	int left = len > INT_MAX ? INT_MAX : (int)len;

	while (vw_nlmsg_ok(nlh, left)) {
		if (vw_is_ntf(nlh, ntf_type))
			fn(nlh, arg);
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	return left > 0 ? -EBADMSG : 0;
}
