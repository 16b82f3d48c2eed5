/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rules that name an unmodified app's connections that matter, so that
 * voipwaked (and voipwake-session) can mark them for it: a protocol and
 * remote port ranges, optionally a remote address prefix; or, for UDP,
 * local port ranges. voipwaked.conf(5) is the reference of the syntax:
 *
 *   tcp:5060-5061       udp:5060,5080       tcp:443@2001:db8::/32
 *   tcp:5222@192.0.2.7  udp:local:5060-5070
 */
#ifndef RULES_H
#define RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RULE_RANGES_MAX	8	/* port ranges in one rule */
#define RULE_STR_MAX	128	/* rule_str()'s longest */

struct rule_range {
	uint16_t lo, hi;
};

struct rule {
	uint8_t proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	bool local;		/* the ports are local ones (UDP only) */
	uint8_t nranges;
	struct rule_range ranges[RULE_RANGES_MAX];
	uint8_t family;		/* 0: any address; AF_INET or AF_INET6 */
	uint8_t plen;		/* prefix length, in bits */
	uint8_t addr[16];	/* the prefix, host bits zero */
};

/* A connected or bound socket, as sock_diag gives it. */
struct rule_sock {
	uint8_t proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	uint8_t family;		/* AF_INET or AF_INET6 */
	uint16_t lport, rport;	/* host order; rport 0: not connected */
	uint8_t raddr[16];	/* 4 bytes for AF_INET */
};

/*
 * Parses one rule. 0, or -EINVAL with @why saying what is wrong (without
 * the rule itself, which the caller quotes).
 */
int rule_parse(const char *s, struct rule *r, char *why, size_t len);

/* The rule as rule_parse() reads it back, for messages. */
void rule_str(const struct rule *r, char *buf, size_t len);

bool rule_match(const struct rule *r, const struct rule_sock *s);
/* Whether any of @n rules matches: the first one's index, else -1. */
int rules_match(const struct rule *r, size_t n, const struct rule_sock *s);

#endif /* RULES_H */
