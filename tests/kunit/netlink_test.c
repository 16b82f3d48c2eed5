// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: what the voipwake family accepts from userspace. Requests are
 * built attribute by attribute in an skb and parsed the way the generic
 * netlink core parses them for a command at or after resv_start_op
 * (strictly, with the command's own policy), then handed to the checks the
 * handlers make before they touch any socket or cgroup.
 *
 * The policies, the ops and those checks are static in kernel/netlink.c:
 * this file compiles it in (tests/kunit/Kbuild leaves netlink.o out), so
 * what is tested is the module's own code, unchanged and unexported.
 *
 * voipwake_netlink_policy: the policies alone (types, lengths, ranges,
 * masks, attributes a command does not take).
 * voipwake_netlink_attrs: the bounds and rules the handlers add, with the
 * messages a refusal carries.
 */

#include <kunit/test.h>
#include <linux/limits.h>
#include <linux/skbuff.h>

#include "kernel/netlink.c"

/* The largest attribute set; each command parses with its own. */
#define TB_MAX	MAX((int)VOIPWAKE_A_APP_MAX, (int)VOIPWAKE_A_SOCK_MAX)

struct req {
	struct sk_buff *skb;
	struct nlattr *tb[TB_MAX + 1];
	struct netlink_ext_ack extack;
	struct genl_info info;
};

static int req_init(struct kunit *test)
{
	struct req *r;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->skb = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!r->skb)
		return -ENOMEM;
	test->priv = r;
	return 0;
}

static void req_exit(struct kunit *test)
{
	struct req *r = test->priv;

	kfree_skb(r->skb);
}

/* A new, empty request. */
static struct req *req_new(struct kunit *test)
{
	struct req *r = test->priv;

	skb_trim(r->skb, 0);
	memset(r->tb, 0, sizeof(r->tb));
	memset(&r->extack, 0, sizeof(r->extack));
	memset(&r->info, 0, sizeof(r->info));
	r->info.attrs = r->tb;
	r->info.extack = &r->extack;
	return r;
}

/* Appends an attribute; returns it, for comparing with extack->bad_attr. */
static const struct nlattr *put(struct kunit *test, struct req *r, int type,
				const void *data, int len)
{
	const struct nlattr *a = (const struct nlattr *)skb_tail_pointer(r->skb);

	KUNIT_ASSERT_EQ(test, nla_put(r->skb, type, len, data), 0);
	return a;
}

static const struct nlattr *put_u32(struct kunit *test, struct req *r,
				    int type, u32 v)
{
	return put(test, r, type, &v, sizeof(v));
}

static const struct genl_ops *op_of(struct kunit *test, u8 cmd)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vw_genl_ops); i++)
		if (vw_genl_ops[i].cmd == cmd)
			return &vw_genl_ops[i];
	KUNIT_FAIL_AND_ABORT(test, "no op for command %u", cmd);
	return NULL;
}

/* What the genl core does with a request for @cmd before its doit. */
static int parse(struct kunit *test, struct req *r, u8 cmd)
{
	const struct genl_ops *op = op_of(test, cmd);

	KUNIT_ASSERT_NOT_NULL(test, op->policy);
	KUNIT_ASSERT_LE(test, op->maxattr, (u32)TB_MAX);
	return nla_parse(r->tb, op->maxattr, (const struct nlattr *)r->skb->data,
			 r->skb->len, op->policy, &r->extack);
}

/* @cmd refuses a request holding only @type = @v, with @err and @msg. */
static void expect_refused_u32(struct kunit *test, u8 cmd, int type, u32 v,
			       int err, const char *msg)
{
	struct req *r = req_new(test);
	const struct nlattr *a = put_u32(test, r, type, v);

	KUNIT_EXPECT_EQ_MSG(test, parse(test, r, cmd), err,
			    "cmd %u attr %d = %u", cmd, type, v);
	KUNIT_EXPECT_PTR_EQ_MSG(test, r->extack.bad_attr, a,
				"cmd %u attr %d = %u", cmd, type, v);
	KUNIT_ASSERT_NOT_NULL_MSG(test, r->extack._msg,
				  "cmd %u attr %d = %u", cmd, type, v);
	KUNIT_EXPECT_STREQ_MSG(test, r->extack._msg, msg,
			       "cmd %u attr %d = %u", cmd, type, v);
}

static void expect_parsed_u32(struct kunit *test, u8 cmd, int type, u32 v)
{
	struct req *r = req_new(test);

	put_u32(test, r, type, v);
	KUNIT_EXPECT_EQ_MSG(test, parse(test, r, cmd), 0,
			    "cmd %u attr %d = %u", cmd, type, v);
	KUNIT_EXPECT_NOT_NULL(test, r->tb[type]);
	KUNIT_EXPECT_NULL(test, r->extack._msg);
}

static const u8 sock_cmds[] = {
	VOIPWAKE_CMD_SOCK_MARK, VOIPWAKE_CMD_SOCK_UNMARK,
};

static const u8 app_cmds[] = {
	VOIPWAKE_CMD_APP_SET, VOIPWAKE_CMD_APP_GET, VOIPWAKE_CMD_APP_WAKE_DONE,
};

/*
 * The genl core validates strictly (unknown and unnamed attributes, bad
 * lengths, trailing bytes) only commands at or after resv_start_op, and
 * gives those without a policy one that refuses every attribute.
 */
static void every_command_is_strict_test(struct kunit *test)
{
	const struct genl_ops *op;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, vw_genl_family.resv_start_op,
			(u8)VOIPWAKE_CMD_INFO_GET);
	for (i = 0; i < ARRAY_SIZE(vw_genl_ops); i++) {
		op = &vw_genl_ops[i];
		KUNIT_EXPECT_GE_MSG(test, op->cmd, vw_genl_family.resv_start_op,
				    "cmd %u", op->cmd);
		KUNIT_EXPECT_FALSE_MSG(test,
				       op->validate & GENL_DONT_VALIDATE_STRICT,
				       "cmd %u", op->cmd);
	}
	for (i = 0; i < ARRAY_SIZE(sock_cmds); i++) {
		op = op_of(test, sock_cmds[i]);
		KUNIT_EXPECT_PTR_EQ(test, op->policy, &vw_sock_policy[0]);
		KUNIT_EXPECT_EQ(test, op->maxattr, (u32)VOIPWAKE_A_SOCK_MAX);
	}
	for (i = 0; i < ARRAY_SIZE(app_cmds); i++) {
		op = op_of(test, app_cmds[i]);
		KUNIT_EXPECT_NOT_NULL(test, op->policy);
		KUNIT_EXPECT_EQ(test, op->maxattr, (u32)VOIPWAKE_A_APP_MAX);
	}
	/* Neither takes an attribute: the core refuses any. */
	KUNIT_EXPECT_NULL(test, op_of(test, VOIPWAKE_CMD_INFO_GET)->policy);
	KUNIT_EXPECT_NULL(test, op_of(test, VOIPWAKE_CMD_SOCK_GET)->policy);
}

static void fd_beyond_int_max_is_refused_test(struct kunit *test)
{
	static const struct { u8 cmd; int type; } fds[] = {
		{ VOIPWAKE_CMD_SOCK_MARK, VOIPWAKE_A_SOCK_FD },
		{ VOIPWAKE_CMD_SOCK_UNMARK, VOIPWAKE_A_SOCK_FD },
		{ VOIPWAKE_CMD_APP_SET, VOIPWAKE_A_APP_CGROUP_FD },
		{ VOIPWAKE_CMD_APP_GET, VOIPWAKE_A_APP_CGROUP_FD },
		{ VOIPWAKE_CMD_APP_WAKE_DONE, VOIPWAKE_A_APP_CGROUP_FD },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fds); i++) {
		expect_parsed_u32(test, fds[i].cmd, fds[i].type, 0);
		expect_parsed_u32(test, fds[i].cmd, fds[i].type, INT_MAX);
		expect_refused_u32(test, fds[i].cmd, fds[i].type,
				   (u32)INT_MAX + 1, -ERANGE,
				   "integer out of range");
		expect_refused_u32(test, fds[i].cmd, fds[i].type, U32_MAX,
				   -ERANGE, "integer out of range");
	}
}

static void wake_on_takes_only_socket_reasons_test(struct kunit *test)
{
	unsigned int bit;

	for (bit = 0; bit < 32; bit++) {
		if (VW_WAKE_ON_DEFAULT & BIT(bit))
			expect_parsed_u32(test, VOIPWAKE_CMD_SOCK_MARK,
					  VOIPWAKE_A_SOCK_WAKE_ON, BIT(bit));
		else
			expect_refused_u32(test, VOIPWAKE_CMD_SOCK_MARK,
					   VOIPWAKE_A_SOCK_WAKE_ON, BIT(bit),
					   -EINVAL, "reserved bit set");
	}
	/* Exactly data, close and error: a timer is no socket's to ask. */
	KUNIT_EXPECT_EQ(test, (u32)VW_WAKE_ON_DEFAULT,
			(u32)(BIT(VOIPWAKE_WAKE_DATA) | BIT(VOIPWAKE_WAKE_CLOSE) |
			      BIT(VOIPWAKE_WAKE_ERROR)));
	expect_parsed_u32(test, VOIPWAKE_CMD_SOCK_MARK, VOIPWAKE_A_SOCK_WAKE_ON,
			  VW_WAKE_ON_DEFAULT);
	expect_refused_u32(test, VOIPWAKE_CMD_SOCK_MARK,
			   VOIPWAKE_A_SOCK_WAKE_ON,
			   VW_WAKE_ON_DEFAULT | BIT(VOIPWAKE_WAKE_KEEPALIVE),
			   -EINVAL, "reserved bit set");
}

static void state_is_foreground_or_background_test(struct kunit *test)
{
	expect_parsed_u32(test, VOIPWAKE_CMD_APP_SET, VOIPWAKE_A_APP_STATE,
			  VOIPWAKE_APP_STATE_FOREGROUND);
	expect_parsed_u32(test, VOIPWAKE_CMD_APP_SET, VOIPWAKE_A_APP_STATE,
			  VOIPWAKE_APP_STATE_BACKGROUND);
	/* Only a wake makes an app awake. */
	expect_refused_u32(test, VOIPWAKE_CMD_APP_SET, VOIPWAKE_A_APP_STATE,
			   VOIPWAKE_APP_STATE_AWAKE, -ERANGE,
			   "integer out of range");
	expect_refused_u32(test, VOIPWAKE_CMD_APP_SET, VOIPWAKE_A_APP_STATE,
			   U32_MAX, -ERANGE, "integer out of range");
}

static void wake_window_above_max_is_refused_test(struct kunit *test)
{
	expect_parsed_u32(test, VOIPWAKE_CMD_APP_SET,
			  VOIPWAKE_A_APP_WAKE_WINDOW_MS, 0);
	expect_parsed_u32(test, VOIPWAKE_CMD_APP_SET,
			  VOIPWAKE_A_APP_WAKE_WINDOW_MS, VW_WINDOW_MAX_MS);
	expect_refused_u32(test, VOIPWAKE_CMD_APP_SET,
			   VOIPWAKE_A_APP_WAKE_WINDOW_MS, VW_WINDOW_MAX_MS + 1,
			   -ERANGE, "integer out of range");
}

static void wake_interval_above_max_is_refused_test(struct kunit *test)
{
	expect_parsed_u32(test, VOIPWAKE_CMD_APP_SET,
			  VOIPWAKE_A_APP_WAKE_INTERVAL_MS, 0);
	expect_parsed_u32(test, VOIPWAKE_CMD_APP_SET,
			  VOIPWAKE_A_APP_WAKE_INTERVAL_MS,
			  VOIPWAKE_WAKE_INTERVAL_MAX_MS);
	expect_refused_u32(test, VOIPWAKE_CMD_APP_SET,
			   VOIPWAKE_A_APP_WAKE_INTERVAL_MS,
			   VOIPWAKE_WAKE_INTERVAL_MAX_MS + 1,
			   -ERANGE, "integer out of range");
}

/* Every u32 any command takes must be exactly 4 bytes and not nested. */
static void u32_of_wrong_shape_is_refused_test(struct kunit *test)
{
	static const u8 cmds[] = {
		VOIPWAKE_CMD_SOCK_MARK, VOIPWAKE_CMD_APP_SET,
		VOIPWAKE_CMD_APP_WAKE_DONE,
	};
	static const u8 zeros[8];
	static const int lens[] = { 0, 1, 2, 3, 5, 8 };
	const struct nlattr *a;
	const struct genl_ops *op;
	unsigned int c, i, n = 0;
	struct req *r;
	int type;
	u32 v = 1;

	for (c = 0; c < ARRAY_SIZE(cmds); c++) {
		op = op_of(test, cmds[c]);
		for (type = 1; type <= op->maxattr; type++) {
			if (op->policy[type].type != NLA_U32)
				continue;
			n++;
			for (i = 0; i < ARRAY_SIZE(lens); i++) {
				r = req_new(test);
				a = put(test, r, type, zeros, lens[i]);
				KUNIT_EXPECT_EQ_MSG(test, parse(test, r, cmds[c]),
						    -EINVAL, "cmd %u attr %d len %d",
						    cmds[c], type, lens[i]);
				KUNIT_EXPECT_PTR_EQ(test, r->extack.bad_attr, a);
				KUNIT_ASSERT_NOT_NULL(test, r->extack._msg);
				KUNIT_EXPECT_STREQ(test, r->extack._msg,
						   "invalid attribute length");
			}
			r = req_new(test);
			a = put(test, r, type | NLA_F_NESTED, &v, sizeof(v));
			KUNIT_EXPECT_EQ_MSG(test, parse(test, r, cmds[c]),
					    -EINVAL, "cmd %u attr %d nested",
					    cmds[c], type);
			KUNIT_EXPECT_PTR_EQ(test, r->extack.bad_attr, a);
			KUNIT_ASSERT_NOT_NULL(test, r->extack._msg);
			KUNIT_EXPECT_STREQ(test, r->extack._msg,
					   "NLA_F_NESTED not expected");
		}
	}
	/* SOCK: fd, wake_on; APP: fd, state, window, 3 keep-alive; DONE: 2. */
	KUNIT_EXPECT_GE(test, n, 10U);
}

/* @cmd refuses @type (of @len bytes) as one it does not take. */
static void expect_unsupported(struct kunit *test, u8 cmd, int type, int len)
{
	static const u8 zeros[8];
	struct req *r = req_new(test);
	const struct nlattr *a = put(test, r, type, zeros, len);

	KUNIT_EXPECT_EQ_MSG(test, parse(test, r, cmd), -EINVAL,
			    "cmd %u attr %d", cmd, type);
	KUNIT_EXPECT_PTR_EQ_MSG(test, r->extack.bad_attr, a, "cmd %u attr %d",
				cmd, type);
	KUNIT_ASSERT_NOT_NULL(test, r->extack._msg);
	KUNIT_EXPECT_STREQ_MSG(test, r->extack._msg,
			       type > op_of(test, cmd)->maxattr || !type ?
			       "Unknown attribute type" : "Unsupported attribute",
			       "cmd %u attr %d", cmd, type);
}

/* What only the kernel sends is refused in a request, at its own size. */
static void reply_attributes_are_refused_test(struct kunit *test)
{
	static const struct { int type, len; } sock_only[] = {
		{ VOIPWAKE_A_SOCK_PAD, 0 },
		{ VOIPWAKE_A_SOCK_INO, 8 },
		{ VOIPWAKE_A_SOCK_CGROUP_ID, 8 },
		{ VOIPWAKE_A_SOCK_FAMILY, 4 },
		{ VOIPWAKE_A_SOCK_PROTOCOL, 4 },
		{ VOIPWAKE_A_SOCK_UID, 4 },
		{ VOIPWAKE_A_SOCK_WAKES, 8 },
	};
	static const struct { int type, len; } app_only[] = {
		{ VOIPWAKE_A_APP_PAD, 0 },
		{ VOIPWAKE_A_APP_CGROUP_ID, 8 },
		{ VOIPWAKE_A_APP_FROZEN, 1 },
		{ VOIPWAKE_A_APP_SOCKS, 4 },
		{ VOIPWAKE_A_APP_WAKES_DATA, 8 },
		{ VOIPWAKE_A_APP_WAKES_CLOSE, 8 },
		{ VOIPWAKE_A_APP_WAKES_ERROR, 8 },
		{ VOIPWAKE_A_APP_WAKES_KEEPALIVE, 8 },
		{ VOIPWAKE_A_APP_FROZEN_MS, 8 },
		{ VOIPWAKE_A_APP_LAST_WAKE_NS, 8 },
		{ VOIPWAKE_A_APP_FREEZE_TIMEOUTS, 4 },
		{ VOIPWAKE_A_APP_WAKE_REASON, 4 },
		{ VOIPWAKE_A_APP_WAKE_SOCK_INO, 8 },
		{ VOIPWAKE_A_APP_WAKE_BYTES, 4 },
		{ VOIPWAKE_A_APP_KEEPALIVE_OVERRUNS, 4 },
		{ VOIPWAKE_A_APP_KEEPALIVE_EARLIEST_NS, 8 },
		{ VOIPWAKE_A_APP_KEEPALIVE_LATEST_NS, 8 },
		{ VOIPWAKE_A_APP_WAKE_KEEPALIVE, 1 },
		{ VOIPWAKE_A_APP_WAKES_HELD, 8 },
	};
	unsigned int c, i;

	for (c = 0; c < ARRAY_SIZE(sock_cmds); c++) {
		for (i = 0; i < ARRAY_SIZE(sock_only); i++)
			expect_unsupported(test, sock_cmds[c], sock_only[i].type,
					   sock_only[i].len);
		expect_unsupported(test, sock_cmds[c], 0, 4);
		expect_unsupported(test, sock_cmds[c], VOIPWAKE_A_SOCK_MAX + 1,
				   4);
	}
	for (c = 0; c < ARRAY_SIZE(app_cmds); c++) {
		for (i = 0; i < ARRAY_SIZE(app_only); i++)
			expect_unsupported(test, app_cmds[c], app_only[i].type,
					   app_only[i].len);
		expect_unsupported(test, app_cmds[c], 0, 4);
		expect_unsupported(test, app_cmds[c], VOIPWAKE_A_APP_MAX + 1, 4);
	}
}

/* A done names the app and the wake, nothing else. */
static void wake_done_takes_no_settings_test(struct kunit *test)
{
	static const int settings[] = {
		VOIPWAKE_A_APP_STATE, VOIPWAKE_A_APP_WAKE_WINDOW_MS,
		VOIPWAKE_A_APP_KEEPALIVE_S,
		VOIPWAKE_A_APP_KEEPALIVE_TOLERANCE_PCT,
		VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(settings); i++)
		expect_unsupported(test, VOIPWAKE_CMD_APP_WAKE_DONE,
				   settings[i], 4);
	expect_parsed_u32(test, VOIPWAKE_CMD_APP_WAKE_DONE,
			  VOIPWAKE_A_APP_WAKE_SEQ, U32_MAX);
	/* WAKE_SEQ is what a done says, not a setting. */
	expect_unsupported(test, VOIPWAKE_CMD_APP_SET, VOIPWAKE_A_APP_WAKE_SEQ,
			   4);
}

static void trailing_bytes_are_refused_test(struct kunit *test)
{
	struct req *r = req_new(test);

	put_u32(test, r, VOIPWAKE_A_SOCK_FD, 3);
	skb_put_zero(r->skb, 2);
	KUNIT_EXPECT_EQ(test, parse(test, r, VOIPWAKE_CMD_SOCK_MARK), -EINVAL);
	KUNIT_ASSERT_NOT_NULL(test, r->extack._msg);
	KUNIT_EXPECT_STREQ(test, r->extack._msg,
			   "bytes leftover after parsing attributes");
}

static struct kunit_case policy_cases[] = {
	KUNIT_CASE(every_command_is_strict_test),
	KUNIT_CASE(fd_beyond_int_max_is_refused_test),
	KUNIT_CASE(wake_on_takes_only_socket_reasons_test),
	KUNIT_CASE(state_is_foreground_or_background_test),
	KUNIT_CASE(wake_window_above_max_is_refused_test),
	KUNIT_CASE(wake_interval_above_max_is_refused_test),
	KUNIT_CASE(u32_of_wrong_shape_is_refused_test),
	KUNIT_CASE(reply_attributes_are_refused_test),
	KUNIT_CASE(wake_done_takes_no_settings_test),
	KUNIT_CASE(trailing_bytes_are_refused_test),
	{}
};

static struct kunit_suite policy_suite = {
	.name = "voipwake_netlink_policy",
	.init = req_init,
	.exit = req_exit,
	.test_cases = policy_cases,
};

/*
 * APP_SET with @type = @v, through the policy and vw_nl_app_conf(): 0 and
 * @conf filled, or the error with @msg on the attribute.
 */
static int app_conf(struct kunit *test, int type, u32 v,
		    struct vw_app_conf *conf, const struct nlattr **a)
{
	struct req *r = req_new(test);
	int err;

	*a = put_u32(test, r, type, v);
	err = parse(test, r, VOIPWAKE_CMD_APP_SET);
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "attr %d = %u: policy", type, v);
	memset(conf, 0, sizeof(*conf));
	return vw_nl_app_conf(&r->info, conf);
}

static void expect_conf_refused(struct kunit *test, int type, u32 v,
				const char *msg)
{
	struct req *r = test->priv;
	struct vw_app_conf conf;
	const struct nlattr *a;

	KUNIT_EXPECT_EQ_MSG(test, app_conf(test, type, v, &conf, &a), -ERANGE,
			    "attr %d = %u", type, v);
	KUNIT_EXPECT_PTR_EQ_MSG(test, r->extack.bad_attr, a, "attr %d = %u",
				type, v);
	KUNIT_ASSERT_NOT_NULL(test, r->extack._msg);
	KUNIT_EXPECT_STREQ_MSG(test, r->extack._msg, msg, "attr %d = %u",
			       type, v);
}

/* Accepted: the one setting given is marked and holds @v. */
static void expect_conf(struct kunit *test, int type, u32 v)
{
	struct vw_app_conf conf;
	const struct nlattr *a;
	bool *has;
	unsigned int *val;

	KUNIT_ASSERT_EQ_MSG(test, app_conf(test, type, v, &conf, &a), 0,
			    "attr %d = %u", type, v);
	switch (type) {
	case VOIPWAKE_A_APP_WAKE_WINDOW_MS:
		has = &conf.has_window;
		val = &conf.window_ms;
		break;
	case VOIPWAKE_A_APP_KEEPALIVE_S:
		has = &conf.has_ka_period;
		val = &conf.ka_period_s;
		break;
	case VOIPWAKE_A_APP_KEEPALIVE_TOLERANCE_PCT:
		has = &conf.has_ka_tol;
		val = &conf.ka_tol_pct;
		break;
	case VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS:
		has = &conf.has_ka_budget;
		val = &conf.ka_budget_ms;
		break;
	default:
		KUNIT_FAIL_AND_ABORT(test, "attr %d is no setting", type);
		return;
	}
	KUNIT_EXPECT_TRUE_MSG(test, *has, "attr %d = %u", type, v);
	KUNIT_EXPECT_EQ_MSG(test, *val, v, "attr %d = %u", type, v);
	KUNIT_EXPECT_EQ(test, conf.has_window + conf.has_ka_period +
			conf.has_ka_tol + conf.has_ka_budget, 1);
}

static void wake_window_below_min_is_refused_test(struct kunit *test)
{
	static const char msg[] =
		"wake window must be 0 (default) or 100..600000 ms";
	const int t = VOIPWAKE_A_APP_WAKE_WINDOW_MS;

	expect_conf(test, t, 0);
	expect_conf_refused(test, t, 1, msg);
	expect_conf_refused(test, t, VW_WINDOW_MIN_MS - 1, msg);
	expect_conf(test, t, VW_WINDOW_MIN_MS);
	expect_conf(test, t, VW_WINDOW_MAX_MS);
}

static void keepalive_between_min_and_max_test(struct kunit *test)
{
	const int t = VOIPWAKE_A_APP_KEEPALIVE_S;
	unsigned int min = vw_param_min_keepalive_s();
	char one[NETLINK_MAX_FMTMSG_LEN], below[NETLINK_MAX_FMTMSG_LEN];

	/* The message carries both numbers on a kernel with _FMT. */
	KUNIT_ASSERT_GT(test, min, 2U);
	snprintf(one, sizeof(one),
		 "keep-alive timeout 1 s is below min_keepalive_s (%u s)", min);
	snprintf(below, sizeof(below),
		 "keep-alive timeout %u s is below min_keepalive_s (%u s)",
		 min - 1, min);
	expect_conf(test, t, 0);
	expect_conf_refused(test, t, 1, one);
	expect_conf_refused(test, t, min - 1, below);
	expect_conf(test, t, min);
	expect_conf(test, t, VOIPWAKE_KEEPALIVE_MAX_S);
	expect_conf_refused(test, t, VOIPWAKE_KEEPALIVE_MAX_S + 1,
			    "keep-alive timeout is above its maximum of 3600 s");
	expect_conf_refused(test, t, U32_MAX,
			    "keep-alive timeout is above its maximum of 3600 s");
}

static void tolerance_up_to_max_test(struct kunit *test)
{
	static const char msg[] =
		"keep-alive tolerance must be 0 (default) or 1..50 %";
	const int t = VOIPWAKE_A_APP_KEEPALIVE_TOLERANCE_PCT;

	expect_conf(test, t, 0);
	expect_conf(test, t, 1);
	expect_conf(test, t, VOIPWAKE_KEEPALIVE_TOLERANCE_MAX_PCT);
	expect_conf_refused(test, t, VOIPWAKE_KEEPALIVE_TOLERANCE_MAX_PCT + 1,
			    msg);
	expect_conf_refused(test, t, U32_MAX, msg);
}

static void budget_between_min_and_max_test(struct kunit *test)
{
	static const char msg[] =
		"keep-alive budget must be 0 (default) or 1000..30000 ms";
	const int t = VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS;

	expect_conf(test, t, 0);
	expect_conf_refused(test, t, 1, msg);
	expect_conf_refused(test, t, VOIPWAKE_KEEPALIVE_BUDGET_MIN_MS - 1, msg);
	expect_conf(test, t, VOIPWAKE_KEEPALIVE_BUDGET_MIN_MS);
	expect_conf(test, t, VOIPWAKE_KEEPALIVE_BUDGET_MAX_MS);
	expect_conf_refused(test, t, VOIPWAKE_KEEPALIVE_BUDGET_MAX_MS + 1, msg);
}

/* The handlers below return before they look up any socket or cgroup. */
static void fd_is_required_test(struct kunit *test)
{
	struct req *r;

	r = req_new(test);
	put_u32(test, r, VOIPWAKE_A_SOCK_WAKE_ON, VW_WAKE_ON_DEFAULT);
	KUNIT_ASSERT_EQ(test, parse(test, r, VOIPWAKE_CMD_SOCK_MARK), 0);
	KUNIT_EXPECT_EQ(test, vw_nl_sock_mark(NULL, &r->info), -EINVAL);
	KUNIT_EXPECT_EQ(test, r->extack.miss_type, (u16)VOIPWAKE_A_SOCK_FD);

	r = req_new(test);
	KUNIT_ASSERT_EQ(test, parse(test, r, VOIPWAKE_CMD_SOCK_UNMARK), 0);
	KUNIT_EXPECT_EQ(test, vw_nl_sock_unmark(NULL, &r->info), -EINVAL);
	KUNIT_EXPECT_EQ(test, r->extack.miss_type, (u16)VOIPWAKE_A_SOCK_FD);
}

static void wake_on_nothing_is_refused_test(struct kunit *test)
{
	struct req *r = req_new(test);
	const struct nlattr *a;

	put_u32(test, r, VOIPWAKE_A_SOCK_FD, 0);
	a = put_u32(test, r, VOIPWAKE_A_SOCK_WAKE_ON, 0);
	KUNIT_ASSERT_EQ(test, parse(test, r, VOIPWAKE_CMD_SOCK_MARK), 0);
	KUNIT_EXPECT_EQ(test, vw_nl_sock_mark(NULL, &r->info), -EINVAL);
	KUNIT_EXPECT_PTR_EQ(test, r->extack.bad_attr, a);
	KUNIT_ASSERT_NOT_NULL(test, r->extack._msg);
	KUNIT_EXPECT_STREQ(test, r->extack._msg,
			   "a mark that wakes for nothing is pointless");
}

static void app_set_of_nothing_is_refused_test(struct kunit *test)
{
	struct req *r = req_new(test);

	put_u32(test, r, VOIPWAKE_A_APP_CGROUP_FD, 0);
	KUNIT_ASSERT_EQ(test, parse(test, r, VOIPWAKE_CMD_APP_SET), 0);
	KUNIT_EXPECT_EQ(test, vw_nl_app_set(NULL, &r->info), -EINVAL);
	KUNIT_ASSERT_NOT_NULL(test, r->extack._msg);
	KUNIT_EXPECT_STREQ(test, r->extack._msg,
			   "nothing to set: give a state, a wake window or a keep-alive setting");
}

/* Without APP_CGROUP_FD an app may set only its own keep-alive. */
static void app_sets_no_admin_setting_test(struct kunit *test)
{
	static const struct { int type; u32 v; } admin[] = {
		{ VOIPWAKE_A_APP_STATE, VOIPWAKE_APP_STATE_BACKGROUND },
		{ VOIPWAKE_A_APP_STATE, VOIPWAKE_APP_STATE_FOREGROUND },
		{ VOIPWAKE_A_APP_WAKE_WINDOW_MS, 1000 },
		{ VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS, 5000 },
		{ VOIPWAKE_A_APP_WAKE_INTERVAL_MS, 1000 },
	};
	const struct nlattr *a;
	unsigned int i;
	struct req *r;

	for (i = 0; i < ARRAY_SIZE(admin); i++) {
		r = req_new(test);
		put_u32(test, r, VOIPWAKE_A_APP_KEEPALIVE_TOLERANCE_PCT, 10);
		a = put_u32(test, r, admin[i].type, admin[i].v);
		KUNIT_ASSERT_EQ(test, parse(test, r, VOIPWAKE_CMD_APP_SET), 0);
		KUNIT_EXPECT_EQ_MSG(test, vw_nl_app_set(NULL, &r->info), -EPERM,
				    "attr %d", admin[i].type);
		KUNIT_EXPECT_PTR_EQ(test, r->extack.bad_attr, a);
		KUNIT_ASSERT_NOT_NULL(test, r->extack._msg);
		KUNIT_EXPECT_STREQ(test, r->extack._msg,
				   "an app sets only its own keep-alive timeout and tolerance; this needs APP_CGROUP_FD");
	}
}

/* A bound checked late still refuses the whole request. */
static void one_bad_setting_refuses_all_test(struct kunit *test)
{
	struct req *r = req_new(test);
	struct vw_app_conf conf = {};
	const struct nlattr *a;

	put_u32(test, r, VOIPWAKE_A_APP_WAKE_WINDOW_MS, 1000);
	put_u32(test, r, VOIPWAKE_A_APP_KEEPALIVE_S, 0);
	put_u32(test, r, VOIPWAKE_A_APP_KEEPALIVE_TOLERANCE_PCT, 10);
	a = put_u32(test, r, VOIPWAKE_A_APP_KEEPALIVE_BUDGET_MS, 999);
	KUNIT_ASSERT_EQ(test, parse(test, r, VOIPWAKE_CMD_APP_SET), 0);
	KUNIT_EXPECT_EQ(test, vw_nl_app_set(NULL, &r->info), -ERANGE);
	KUNIT_EXPECT_PTR_EQ(test, r->extack.bad_attr, a);
	KUNIT_EXPECT_EQ(test, vw_nl_app_conf(&r->info, &conf), -ERANGE);
}

static struct kunit_case attr_cases[] = {
	KUNIT_CASE(wake_window_below_min_is_refused_test),
	KUNIT_CASE(keepalive_between_min_and_max_test),
	KUNIT_CASE(tolerance_up_to_max_test),
	KUNIT_CASE(budget_between_min_and_max_test),
	KUNIT_CASE(fd_is_required_test),
	KUNIT_CASE(wake_on_nothing_is_refused_test),
	KUNIT_CASE(app_set_of_nothing_is_refused_test),
	KUNIT_CASE(app_sets_no_admin_setting_test),
	KUNIT_CASE(one_bad_setting_refuses_all_test),
	{}
};

static struct kunit_suite attr_suite = {
	.name = "voipwake_netlink_attrs",
	.init = req_init,
	.exit = req_exit,
	.test_cases = attr_cases,
};

kunit_test_suites(&policy_suite, &attr_suite);
