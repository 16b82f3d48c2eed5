// SPDX-License-Identifier: GPL-2.0
/*
 * The MarkSockets= rule parser and matcher (daemon/rules.c): what each
 * form accepts and reads back as, what it refuses and why, and which
 * sockets each matches, IPv4-mapped IPv6 addresses included.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "rules.h"

/* Parses @s and expects it read back as @back. */
static void accepted(const char *s, const char *back)
{
	char why[160] = "", buf[RULE_STR_MAX];
	struct rule r;

	if (rule_parse(s, &r, why, sizeof(why)))
		fail_msg("'%s' refused: %s", s, why);
	rule_str(&r, buf, sizeof(buf));
	if (strcmp(buf, back))
		fail_msg("'%s' read back as '%s', not '%s'", s, buf, back);
}

static void refused(const char *s, const char *want)
{
	char why[160] = "";
	struct rule r;

	assert_int_equal(rule_parse(s, &r, why, sizeof(why)), -EINVAL);
	if (!strstr(why, want))
		fail_msg("'%s': expected '%s' in '%s'", s, want, why);
}

static void test_parse(void **state)
{
	(void)state;
	accepted("tcp:5060-5061", "tcp:5060-5061");
	accepted("udp:5060", "udp:5060");
	accepted("TCP:5222", "tcp:5222");
	accepted("tcp:443@2001:db8::/32", "tcp:443@2001:db8::/32");
	accepted("tcp:1883,8883@192.0.2.0/24", "tcp:1883,8883@192.0.2.0/24");
	accepted("tcp:993@192.0.2.7", "tcp:993@192.0.2.7/32");
	accepted("tcp:1-65535@::/0", "tcp:1-65535@::/0");
	accepted("udp:local:5060-5070", "udp:local:5060-5070");
	accepted("tcp:1,2,3,4,5,6,7,8", "tcp:1,2,3,4,5,6,7,8");
}

static void test_refusals(void **state)
{
	(void)state;
	refused("5060", "a rule is tcp:PORTS");
	refused("sctp:5060", "the protocol is tcp or udp");
	refused("tcp:", "no port");
	refused("tcp:0", "1..65535");
	refused("tcp:65536", "1..65535");
	refused("tcp:5061-5060", "LOW <= HIGH");
	refused("tcp:5060-", "1..65535");
	refused("tcp:5060,", "1..65535");
	refused("tcp:50x60", "1..65535");
	refused("tcp:1-2-3", "1..65535");
	refused("tcp:1,2,3,4,5,6,7,8,9", "more than 8");
	refused("tcp:local:5060", "only udp rules may name local ports");
	refused("udp:local:5060@192.0.2.1", "names no remote address");
	refused("tcp:443@", "after @ comes an address");
	refused("tcp:443@example.org", "IPv4 or IPv6 address");
	refused("tcp:443@192.0.2.0/33", "0..32");
	refused("tcp:443@2001:db8::/129", "0..128");
	refused("tcp:443@192.0.2.0/", "a number");
	refused("tcp:443@192.0.2.0/24x", "0..32");
	refused("tcp:443@192.0.2.1/24", "bits set past the prefix");
	refused("tcp:443@2001:db8::1/32", "bits set past the prefix");
}

static struct rule rule(const char *s)
{
	char why[160];
	struct rule r;

	if (rule_parse(s, &r, why, sizeof(why)))
		fail_msg("'%s' refused: %s", s, why);
	return r;
}

static struct rule_sock sock(int proto, const char *raddr, uint16_t rport,
			     uint16_t lport)
{
	struct rule_sock s = { .proto = proto, .lport = lport,
			       .rport = rport };

	if (inet_pton(AF_INET, raddr, s.raddr) == 1)
		s.family = AF_INET;
	else if (inet_pton(AF_INET6, raddr, s.raddr) == 1)
		s.family = AF_INET6;
	else
		fail_msg("bad address %s", raddr);
	return s;
}

static void test_match(void **state)
{
	struct rule r;
	struct rule_sock s;

	(void)state;
	r = rule("tcp:5060-5061");
	assert_true(rule_match(&r, (s = sock(IPPROTO_TCP, "192.0.2.1", 5061, 40000), &s)));
	assert_false(rule_match(&r, (s = sock(IPPROTO_TCP, "192.0.2.1", 5062, 40000), &s)));
	assert_false(rule_match(&r, (s = sock(IPPROTO_UDP, "192.0.2.1", 5060, 40000), &s)));
	/* Remote rules match the remote port only. */
	assert_false(rule_match(&r, (s = sock(IPPROTO_TCP, "192.0.2.1", 40000, 5060), &s)));

	r = rule("tcp:443@2001:db8::/32");
	assert_true(rule_match(&r, (s = sock(IPPROTO_TCP, "2001:db8:1::5", 443, 1), &s)));
	assert_false(rule_match(&r, (s = sock(IPPROTO_TCP, "2001:db9::5", 443, 1), &s)));
	assert_false(rule_match(&r, (s = sock(IPPROTO_TCP, "192.0.2.1", 443, 1), &s)));

	/* IPv4 prefixes, on IPv4 and on IPv4-mapped IPv6 sockets. */
	r = rule("tcp:5222@192.0.2.0/25");
	assert_true(rule_match(&r, (s = sock(IPPROTO_TCP, "192.0.2.127", 5222, 1), &s)));
	assert_false(rule_match(&r, (s = sock(IPPROTO_TCP, "192.0.2.128", 5222, 1), &s)));
	assert_true(rule_match(&r, (s = sock(IPPROTO_TCP, "::ffff:192.0.2.5", 5222, 1), &s)));
	assert_false(rule_match(&r, (s = sock(IPPROTO_TCP, "::ffff:198.51.100.5", 5222, 1), &s)));

	/* /0 matches every address of its family. */
	r = rule("tcp:80@0.0.0.0/0");
	assert_true(rule_match(&r, (s = sock(IPPROTO_TCP, "203.0.113.9", 80, 1), &s)));
	assert_false(rule_match(&r, (s = sock(IPPROTO_TCP, "2001:db8::1", 80, 1), &s)));

	/* An unconnected UDP socket has no remote port: local rules. */
	r = rule("udp:5060");
	assert_false(rule_match(&r, (s = sock(IPPROTO_UDP, "0.0.0.0", 0, 5060), &s)));
	r = rule("udp:local:5060-5070");
	assert_true(rule_match(&r, (s = sock(IPPROTO_UDP, "0.0.0.0", 0, 5065), &s)));
	assert_true(rule_match(&r, (s = sock(IPPROTO_UDP, "::", 0, 5070), &s)));
	assert_false(rule_match(&r, (s = sock(IPPROTO_UDP, "::", 0, 5071), &s)));
	assert_false(rule_match(&r, (s = sock(IPPROTO_TCP, "::", 0, 5065), &s)));
}

static void test_rules_match(void **state)
{
	struct rule r[2];
	struct rule_sock s;

	(void)state;
	r[0] = rule("tcp:5222");
	r[1] = rule("udp:5060");
	s = sock(IPPROTO_UDP, "192.0.2.1", 5060, 1);
	assert_int_equal(rules_match(r, 2, &s), 1);
	s = sock(IPPROTO_TCP, "192.0.2.1", 5222, 1);
	assert_int_equal(rules_match(r, 2, &s), 0);
	s = sock(IPPROTO_TCP, "192.0.2.1", 5060, 1);
	assert_int_equal(rules_match(r, 2, &s), -1);
	assert_int_equal(rules_match(r, 0, &s), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_rules_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
