// SPDX-License-Identifier: GPL-2.0
/*
 * Notifications: parsing each *_NTF into a struct vw_event, the bounded
 * event queue, and notifications interleaved with replies and dumps being
 * queued rather than lost or mistaken for protocol errors.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "codec.h"
#include "nlbuild.h"

static int parse(const struct nlmsghdr *nlh, struct vw_event *ev)
{
	void *copy = nlb_dup(nlh, nlh->nlmsg_len);
	const char *why = NULL;
	int ret;

	assert_non_null(copy);
	ret = vw_parse_event(copy, ev, &why);
	if (ret)
		assert_non_null(why);
	free(copy);
	return ret;
}

static struct nlmsghdr *woken(void *buf, uint32_t reason)
{
	return nlb_woken(buf, reason, reason == VOIPWAKE_WAKE_KEEPALIVE);
}

static struct nlmsghdr *app_ntf(void *buf, uint8_t cmd, uint64_t id)
{
	struct nlmsghdr *nlh = nlb_ntf(buf, cmd);

	nlb_put_u64_pad(nlh, VOIPWAKE_A_APP_CGROUP_ID, id, VOIPWAKE_A_APP_PAD);
	return nlh;
}

static void test_woken(void **state)
{
	struct vw_event ev;
	union test_buf buf;

	(void)state;
	memset(&ev, 0xff, sizeof(ev));
	assert_int_equal(parse(woken(&buf, VOIPWAKE_WAKE_DATA), &ev), 0);
	assert_int_equal(ev.size, sizeof(struct vw_event));
	assert_int_equal(ev.type, VOIPWAKE_CMD_APP_WOKEN_NTF);
	assert_int_equal(ev.present, VW_EVENT_HAS_REASON |
			 VW_EVENT_HAS_SOCK_INO | VW_EVENT_HAS_BYTES |
			 VW_EVENT_HAS_KEEPALIVE);
	assert_int_equal(ev.reason, VOIPWAKE_WAKE_DATA);
	assert_true(ev.sock_ino == TEST_INO);
	assert_int_equal(ev.bytes, 1400);
	assert_int_equal(ev.keepalive, 0);
	assert_int_equal(ev.reserved, 0);
	assert_int_equal(ev.reserved2, 0);
	assert_int_equal(ev.app.size, sizeof(ev.app));
	assert_int_equal(ev.sock.size, 0);
	assert_int_equal(ev.sock.present, 0);
	assert_true(ev.app.cgroup_id == TEST_CGROUP_ID);
	assert_true(ev.app.wakes_keepalive == 1ULL << 40);
	assert_int_equal(ev.app.frozen, 1);
	assert_true(ev.app.present & VW_APP_HAS_LAST_WAKE_NS);
	assert_true(ev.app.last_wake_ns == 0xfedcba9876543210ULL);
	assert_int_equal(ev.app.keepalive_s, 900);
	assert_int_equal(ev.app.keepalive_overruns, 6);
	assert_true(ev.app.present & VW_APP_HAS_KEEPALIVE_LATEST_NS);
	assert_true(ev.app.keepalive_latest_ns == TEST_KA_LATEST);
}

/*
 * A keep-alive wake, a data wake that serves as the keep-alive, any
 * non-zero flag, and a module that does not send the flag at all.
 */
static void test_woken_keepalive(void **state)
{
	static const struct {
		uint32_t reason;
		int ka;			/* -1: not sent */
		uint32_t want;
	} cases[] = {
		{ VOIPWAKE_WAKE_KEEPALIVE, 1, 1 },
		{ VOIPWAKE_WAKE_DATA, 1, 1 },
		{ VOIPWAKE_WAKE_CLOSE, 0, 0 },
		{ VOIPWAKE_WAKE_DATA, 0x80, 1 },
		{ VOIPWAKE_WAKE_DATA, -1, 0 },
	};
	struct vw_event ev;
	union test_buf buf;
	struct nlmsghdr *nlh;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		if (cases[i].ka >= 0) {
			nlh = nlb_woken(&buf, cases[i].reason, cases[i].ka);
		} else {
			nlh = nlb_ntf(&buf, VOIPWAKE_CMD_APP_WOKEN_NTF);
			nlb_app_attrs(nlh);
			mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_WAKE_REASON,
					 cases[i].reason);
		}
		memset(&ev, 0xff, sizeof(ev));
		assert_int_equal(parse(nlh, &ev), 0);
		assert_int_equal(ev.reason, cases[i].reason);
		assert_int_equal(ev.keepalive, cases[i].want);
		assert_int_equal(!!(ev.present & VW_EVENT_HAS_KEEPALIVE),
				 cases[i].ka >= 0);
	}
}

static void test_app_events(void **state)
{
	static const uint8_t cmds[] = {
		VOIPWAKE_CMD_APP_FROZEN_NTF,
		VOIPWAKE_CMD_APP_THAWED_NTF,
		VOIPWAKE_CMD_APP_FREEZE_TIMEOUT_NTF,
		VW_EVENT_BACKGROUNDED,
		VW_EVENT_FOREGROUNDED,
	};
	struct vw_event ev;
	union test_buf buf;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		memset(&ev, 0xff, sizeof(ev));
		assert_int_equal(parse(app_ntf(&buf, cmds[i], 5 + i), &ev),
				 0);
		assert_int_equal(ev.type, cmds[i]);
		assert_int_equal(ev.present, 0);
		assert_int_equal(ev.reason, 0);
		assert_int_equal(ev.keepalive, 0);
		assert_true(ev.sock_ino == 0);
		assert_int_equal(ev.app.size, sizeof(ev.app));
		assert_int_equal(ev.sock.size, 0);
		assert_true(ev.app.cgroup_id == 5 + i);
		assert_int_equal(ev.app.present, VW_APP_HAS_CGROUP_ID);
	}
}

/* The freeze gate's event: the APP_* set, with the gate's own fields. */
static void test_freeze_gate_event(void **state)
{
	struct vw_event ev;
	union test_buf buf;
	struct nlmsghdr *nlh;

	(void)state;
	nlh = app_ntf(&buf, VW_EVENT_FREEZE_GATE, 9);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_FREEZE_GATE_MS, 200);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_FREEZE_GATE_SEQ, 0xfffffffe);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_FREEZE_GATE_TIMEOUTS, 3);
	memset(&ev, 0xff, sizeof(ev));
	assert_int_equal(parse(nlh, &ev), 0);
	assert_int_equal(ev.type, VOIPWAKE_CMD_APP_FREEZE_GATE_NTF);
	assert_int_equal(ev.app.present,
			 VW_APP_HAS_CGROUP_ID | VW_APP_HAS_FREEZE_GATE_MS |
			 VW_APP_HAS_FREEZE_GATE_SEQ |
			 VW_APP_HAS_FREEZE_GATE_TIMEOUTS);
	assert_true(ev.app.cgroup_id == 9);
	assert_int_equal(ev.app.freeze_gate_ms, 200);
	assert_int_equal(ev.app.freeze_gate_seq, 0xfffffffe);
	assert_int_equal(ev.app.freeze_gate_timeouts, 3);

	/* A gate sequence of the wrong size is refused, not read short. */
	nlh = app_ntf(&buf, VW_EVENT_FREEZE_GATE, 9);
	mnl_attr_put_u16(nlh, VOIPWAKE_A_APP_FREEZE_GATE_SEQ, 1);
	assert_int_equal(parse(nlh, &ev), -EBADMSG);
}

/* A socket's close, and its unmark by someone else: the SOCK_* set. */
static void test_sock_events(void **state)
{
	static const uint8_t cmds[] = {
		VOIPWAKE_CMD_SOCK_CLOSED_NTF,
		VW_EVENT_UNMARKED,
	};
	struct vw_event ev;
	union test_buf buf;
	struct nlmsghdr *nlh;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		nlh = nlb_ntf(&buf, cmds[i]);
		nlb_sock_attrs(nlh);
		assert_int_equal(parse(nlh, &ev), 0);
		assert_int_equal(ev.type, cmds[i]);
		assert_int_equal(ev.app.size, 0);
		assert_int_equal(ev.app.present, 0);
		assert_true(ev.app.cgroup_id == 0);
		assert_int_equal(ev.sock.size, sizeof(ev.sock));
		assert_true(ev.sock.ino == TEST_INO);
		assert_true(ev.sock.cgroup_id == TEST_CGROUP_ID);
		assert_int_equal(ev.sock.family, AF_INET6);
	}
}

/* A newer module's notification, or a command that is no notification. */
static void test_unknown_type(void **state)
{
	struct vw_event ev;
	union test_buf buf;

	(void)state;
	assert_int_equal(parse(app_ntf(&buf, VOIPWAKE_CMD_MAX + 1, 1), &ev),
			 -EOPNOTSUPP);
	assert_int_equal(parse(app_ntf(&buf, VOIPWAKE_CMD_APP_GET, 1), &ev),
			 -EOPNOTSUPP);
}

static void test_malformed(void **state)
{
	struct vw_event ev;
	union test_buf buf;
	struct nlmsghdr *nlh;

	(void)state;
	/* No app id. */
	nlh = nlb_ntf(&buf, VOIPWAKE_CMD_APP_FROZEN_NTF);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_STATE, 1);
	assert_int_equal(parse(nlh, &ev), -EPROTO);

	/* No socket inode. */
	nlh = nlb_ntf(&buf, VOIPWAKE_CMD_SOCK_CLOSED_NTF);
	nlb_put_u64_pad(nlh, VOIPWAKE_A_SOCK_CGROUP_ID, 1,
			VOIPWAKE_A_SOCK_PAD);
	assert_int_equal(parse(nlh, &ev), -EPROTO);

	/* A wake detail of the wrong size. */
	nlh = woken(&buf, VOIPWAKE_WAKE_DATA);
	mnl_attr_put_u16(nlh, VOIPWAKE_A_APP_WAKE_BYTES, 1);
	assert_int_equal(parse(nlh, &ev), -EBADMSG);
	nlh = woken(&buf, VOIPWAKE_WAKE_DATA);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_WAKE_KEEPALIVE, 1);
	assert_int_equal(parse(nlh, &ev), -EBADMSG);

	/* Cut inside the last attribute (a u8: 3 bytes are padding). */
	nlh = woken(&buf, VOIPWAKE_WAKE_DATA);
	nlh->nlmsg_len -= 4;
	assert_int_equal(parse(nlh, &ev), -EBADMSG);

	/* Too short for the generic netlink header. */
	nlh = nlb_ntf(&buf, VOIPWAKE_CMD_APP_FROZEN_NTF);
	nlh->nlmsg_len = NLMSG_HDRLEN + 1;
	assert_int_equal(parse(nlh, &ev), -EBADMSG);
}

/* A recognisable event: APP_FROZEN_NTF for app @id. */
static void make_event(struct vw_event *ev, uint64_t id)
{
	union test_buf buf;

	assert_int_equal(parse(app_ntf(&buf, VOIPWAKE_CMD_APP_FROZEN_NTF, id),
			       ev), 0);
}

static void test_queue_fifo(void **state)
{
	struct vw_evq *q = calloc(1, sizeof(*q));
	struct vw_event in, out;
	uint64_t next_in = 0, next_out = 0;
	unsigned int round, i;

	(void)state;
	assert_non_null(q);
	assert_false(vw_evq_pop(q, &out));
	/* Enough rounds to wrap around the ring several times. */
	for (round = 0; round < 5; round++) {
		for (i = 0; i < 200; i++) {
			make_event(&in, next_in++);
			assert_true(vw_evq_push(q, &in));
		}
		for (i = 0; i < 200; i++) {
			assert_true(vw_evq_pop(q, &out));
			assert_true(out.app.cgroup_id == next_out++);
		}
	}
	assert_int_equal(q->count, 0);
	assert_true(q->overflows == 0);
	free(q);
}

static void test_queue_overflow(void **state)
{
	struct vw_evq *q = calloc(1, sizeof(*q));
	struct vw_event in, out;
	unsigned int i;

	(void)state;
	assert_non_null(q);
	for (i = 0; i < VW_EVQ_LEN + 5; i++) {
		make_event(&in, i);
		assert_int_equal(vw_evq_push(q, &in), i < VW_EVQ_LEN);
	}
	assert_int_equal(q->count, VW_EVQ_LEN);
	assert_true(q->overflows == 5);
	/* The oldest are kept, in order. */
	for (i = 0; i < VW_EVQ_LEN; i++) {
		assert_true(vw_evq_pop(q, &out));
		assert_true(out.app.cgroup_id == i);
	}
	assert_false(vw_evq_pop(q, &out));
	free(q);
}

static void notify(struct vw_evq *q, const struct nlmsghdr *nlh)
{
	void *copy = nlb_dup(nlh, nlh->nlmsg_len);

	assert_non_null(copy);
	vw_evq_notify(copy, q);
	free(copy);
}

static void test_notify_sink(void **state)
{
	struct vw_evq *q = calloc(1, sizeof(*q));
	struct vw_event out;
	union test_buf buf;
	struct nlmsghdr *nlh;

	(void)state;
	assert_non_null(q);
	notify(q, woken(&buf, VOIPWAKE_WAKE_KEEPALIVE));
	/* Unknown: skipped, and no drop either. */
	notify(q, app_ntf(&buf, VOIPWAKE_CMD_MAX + 3, 1));
	/* Malformed: counted. */
	nlh = nlb_ntf(&buf, VOIPWAKE_CMD_APP_THAWED_NTF);
	assert_int_equal(q->count, 1);
	notify(q, nlh);
	assert_int_equal(q->count, 1);
	assert_true(q->malformed == 1);
	assert_true(q->overflows == 0);
	assert_true(vw_evq_pop(q, &out));
	assert_int_equal(out.reason, VOIPWAKE_WAKE_KEEPALIVE);
	assert_int_equal(out.keepalive, 1);
	free(q);
}

/* A SOCK_MARK exchange whose notifications go to @q. */
static void mark_init(struct vw_xfer *x, struct vw_sock_info *si,
		      struct vw_evq *q)
{
	struct nlmsghdr req = { .nlmsg_seq = TEST_SEQ };

	vw_xfer_init(x, &req, TEST_PORTID, TEST_FAMILY, vw_parse_sock_mark,
		     si);
	vw_xfer_notify(x, TEST_FAMILY, vw_evq_notify, q);
}

static void test_interleaved_before_reply(void **state)
{
	struct nlb_dgram ntf = { .len = 0 }, reply = { .len = 0 };
	struct nlb_dgram ack = { .len = 0 };
	struct vw_evq *q = calloc(1, sizeof(*q));
	struct vw_event out;
	struct vw_sock_info si;
	union test_buf buf;
	struct vw_xfer x;

	(void)state;
	assert_non_null(q);
	mark_init(&x, &si, q);
	/* Each its own datagram, as the kernel sends them. */
	nlb_dg_add(&ntf, woken(&buf, VOIPWAKE_WAKE_DATA));
	nlb_dg_add(&reply, nlb_sock_reply(&buf, VOIPWAKE_CMD_SOCK_MARK,
					  TEST_SEQ));
	nlb_dg_add(&ack, nlb_ack(&buf));
	assert_int_equal(nlb_feed(&x, &ntf), 0);
	assert_int_equal(q->count, 1);
	assert_int_equal(nlb_feed(&x, &reply), 0);
	assert_int_equal(nlb_feed(&x, &ack), 1);
	assert_int_equal(x.error, 0);
	assert_int_equal(x.replies, 1);
	assert_true(si.ino == TEST_INO);
	assert_true(vw_evq_pop(q, &out));
	assert_int_equal(out.type, VOIPWAKE_CMD_APP_WOKEN_NTF);
	assert_true(out.sock_ino == TEST_INO);
	assert_true(out.app.cgroup_id == TEST_CGROUP_ID);
	free(q);
}

/* Packed together, before, between and after reply and ack. */
static void test_interleaved_one_datagram(void **state)
{
	struct vw_evq *q = calloc(1, sizeof(*q));
	struct nlb_dgram d = { .len = 0 };
	struct vw_event out;
	struct vw_sock_info si;
	union test_buf buf;
	struct vw_xfer x;
	uint64_t id;

	(void)state;
	assert_non_null(q);
	mark_init(&x, &si, q);
	nlb_dg_add(&d, app_ntf(&buf, VOIPWAKE_CMD_APP_FROZEN_NTF, 1));
	nlb_dg_add(&d, nlb_sock_reply(&buf, VOIPWAKE_CMD_SOCK_MARK,
				      TEST_SEQ));
	nlb_dg_add(&d, app_ntf(&buf, VOIPWAKE_CMD_APP_THAWED_NTF, 2));
	nlb_dg_add(&d, nlb_ack(&buf));
	nlb_dg_add(&d, app_ntf(&buf, VOIPWAKE_CMD_APP_FROZEN_NTF, 3));
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, 0);
	assert_true(si.cgroup_id == TEST_CGROUP_ID);
	for (id = 1; id <= 3; id++) {
		assert_true(vw_evq_pop(q, &out));
		assert_true(out.app.cgroup_id == id);
	}
	assert_false(vw_evq_pop(q, &out));
	free(q);
}

/* Before a kernel error, and malformed: neither spoils the answer. */
static void test_interleaved_error_and_malformed(void **state)
{
	struct vw_evq *q = calloc(1, sizeof(*q));
	struct nlb_dgram d = { .len = 0 };
	struct vw_sock_info si;
	union test_buf buf;
	struct vw_xfer x;

	(void)state;
	assert_non_null(q);
	mark_init(&x, &si, q);
	nlb_dg_add(&d, nlb_ntf(&buf, VOIPWAKE_CMD_APP_FROZEN_NTF));
	nlb_dg_add(&d, woken(&buf, VOIPWAKE_WAKE_CLOSE));
	nlb_dg_add(&d, nlb_error(&buf, -EALREADY, "socket already marked",
				 NULL));
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, -EALREADY);
	assert_string_equal(x.why, "socket already marked");
	assert_int_equal(q->count, 1);
	assert_true(q->malformed == 1);
	free(q);
}

static void test_interleaved_dump(void **state)
{
	struct nlmsghdr req = {
		.nlmsg_seq = TEST_SEQ,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP,
	};
	struct vw_vec vec = { .item_size = sizeof(struct vw_app_info) };
	struct vw_evq *q = calloc(1, sizeof(*q));
	struct nlb_dgram d = { .len = 0 };
	union test_buf buf;
	struct nlmsghdr *nlh;
	struct vw_xfer x;

	(void)state;
	assert_non_null(q);
	vw_xfer_init(&x, &req, TEST_PORTID, TEST_FAMILY, vw_parse_app_dump,
		     &vec);
	vw_xfer_notify(&x, TEST_FAMILY, vw_evq_notify, q);
	nlh = nlb_app_reply(&buf, VOIPWAKE_CMD_APP_GET, TEST_SEQ);
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlb_dg_add(&d, nlh);
	assert_int_equal(nlb_feed(&x, &d), 0);
	d.len = 0;
	nlb_dg_add(&d, woken(&buf, VOIPWAKE_WAKE_ERROR));
	assert_int_equal(nlb_feed(&x, &d), 0);
	d.len = 0;
	nlb_dg_add(&d, nlb_done(&buf, 0, NULL));
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, 0);
	assert_int_equal(vec.n, 1);
	assert_int_equal(q->count, 1);
	vw_vec_free(&vec);
	free(q);
}

/* Without a notification handler (before the family is known): skipped. */
static void test_no_notify_handler(void **state)
{
	struct nlmsghdr req = { .nlmsg_seq = TEST_SEQ };
	struct nlb_dgram d = { .len = 0 };
	struct vw_sock_info si;
	union test_buf buf;
	struct vw_xfer x;

	(void)state;
	vw_xfer_init(&x, &req, TEST_PORTID, TEST_FAMILY, vw_parse_sock_mark,
		     &si);
	nlb_dg_add(&d, woken(&buf, VOIPWAKE_WAKE_DATA));
	nlb_dg_add(&d, nlb_sock_reply(&buf, VOIPWAKE_CMD_SOCK_MARK,
				      TEST_SEQ));
	nlb_dg_add(&d, nlb_ack(&buf));
	assert_int_equal(nlb_feed(&x, &d), 1);
	assert_int_equal(x.error, 0);
}

static void count_ntf(const struct nlmsghdr *nlh, void *arg)
{
	unsigned int *n = arg;

	(void)nlh;
	(*n)++;
}

static int ntf_feed(struct nlb_dgram *d, unsigned int *n)
{
	void *copy = nlb_dup(d->buf.bytes, d->len);
	int ret;

	assert_non_null(copy);
	*n = 0;
	ret = vw_ntf_feed(copy, d->len, TEST_FAMILY, count_ntf, n);
	free(copy);
	return ret;
}

/* Reading with no request outstanding: only notifications count. */
static void test_ntf_feed(void **state)
{
	struct nlb_dgram d = { .len = 0 };
	union test_buf buf;
	struct nlmsghdr *nlh;
	unsigned int n;

	(void)state;
	nlb_dg_add(&d, nlb_sock_reply(&buf, VOIPWAKE_CMD_SOCK_MARK, 5));
	nlb_dg_add(&d, woken(&buf, VOIPWAKE_WAKE_DATA));
	nlh = nlb_ack(&buf);
	nlh->nlmsg_seq = 0;
	nlb_dg_add(&d, nlh);
	/* Sequence 0, but not our family. */
	nlb_dg_add(&d, nlb_genl(&buf, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, 0, 0));
	nlb_dg_add(&d, app_ntf(&buf, VOIPWAKE_CMD_APP_THAWED_NTF, 1));
	assert_int_equal(ntf_feed(&d, &n), 0);
	assert_int_equal(n, 2);

	/* The datagram ends inside a message: what came before counts. */
	d.len -= 4;
	assert_int_equal(ntf_feed(&d, &n), -EBADMSG);
	assert_int_equal(n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_woken),
		cmocka_unit_test(test_woken_keepalive),
		cmocka_unit_test(test_app_events),
		cmocka_unit_test(test_freeze_gate_event),
		cmocka_unit_test(test_sock_events),
		cmocka_unit_test(test_unknown_type),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_queue_fifo),
		cmocka_unit_test(test_queue_overflow),
		cmocka_unit_test(test_notify_sink),
		cmocka_unit_test(test_interleaved_before_reply),
		cmocka_unit_test(test_interleaved_one_datagram),
		cmocka_unit_test(test_interleaved_error_and_malformed),
		cmocka_unit_test(test_interleaved_dump),
		cmocka_unit_test(test_no_notify_handler),
		cmocka_unit_test(test_ntf_feed),
	};

	return cmocka_run_group_tests_name("codec_event", tests, NULL, NULL);
}
