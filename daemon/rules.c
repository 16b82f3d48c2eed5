// SPDX-License-Identifier: GPL-2.0
/*
 * The rule parser and matcher that voipwaked and voipwake-session share
 * (rules.h). A rule is refused whole, with the reason, never guessed at:
 * a typo in a port must not mark (and so keep waking the app for) a
 * connection nobody named.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "rules.h"

static int why_(char *why, size_t len, const char *msg)
{
	snprintf(why, len, "%s", msg);
	return -EINVAL;
}

/* "N" or "N-M", 1..65535, at @s up to @end. */
static int parse_range(const char *s, const char *end, struct rule_range *r)
{
	unsigned long v[2] = { 0, 0 };
	int i = 0;

	for (;;) {
		if (s == end || *s < '0' || *s > '9')
			return -EINVAL;
		while (s < end && *s >= '0' && *s <= '9') {
			v[i] = v[i] * 10 + (*s++ - '0');
			if (v[i] > 65535)
				return -EINVAL;
		}
		if (s == end)
			break;
		if (*s != '-' || i)
			return -EINVAL;
		s++;
		i++;
	}
	if (!i)
		v[1] = v[0];
	if (!v[0] || v[0] > v[1])
		return -EINVAL;
	r->lo = v[0];
	r->hi = v[1];
	return 0;
}

static int parse_ports(const char *s, const char *end, struct rule *r,
		       char *why, size_t len)
{
	const char *comma;

	if (s == end)
		return why_(why, len, "no port: a rule is PROTO:PORTS (as tcp:5060 or udp:5060-5061)");
	while (s <= end) {
		comma = memchr(s, ',', end - s);
		if (!comma)
			comma = end;
		if (r->nranges == RULE_RANGES_MAX)
			return why_(why, len, "more than 8 port ranges in one rule");
		if (parse_range(s, comma, &r->ranges[r->nranges++]))
			return why_(why, len, "a port is a number 1..65535, a range is LOW-HIGH with LOW <= HIGH");
		s = comma + 1;
	}
	return 0;
}

/* "ADDR" or "ADDR/LEN"; the host bits must be zero. */
static int parse_prefix(const char *s, struct rule *r, char *why, size_t len)
{
	char addr[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long plen;
	unsigned int max, i;
	char *end;

	if (!n || n >= sizeof(addr))
		return why_(why, len, "after @ comes an address or a prefix (as 192.0.2.0/24 or 2001:db8::/32)");
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (inet_pton(AF_INET, addr, r->addr) == 1)
		r->family = AF_INET, max = 32;
	else if (inet_pton(AF_INET6, addr, r->addr) == 1)
		r->family = AF_INET6, max = 128;
	else
		return why_(why, len, "after @ comes an IPv4 or IPv6 address, with an optional /LENGTH");
	plen = max;
	if (slash) {
		if (slash[1] < '0' || slash[1] > '9')
			return why_(why, len, "a prefix length is a number");
		errno = 0;
		plen = strtoul(slash + 1, &end, 10);
		if (errno || *end || plen > max)
			return why_(why, len, r->family == AF_INET ?
				    "an IPv4 prefix length is 0..32" :
				    "an IPv6 prefix length is 0..128");
	}
	r->plen = plen;
	for (i = plen; i < max; i++)
		if (r->addr[i / 8] & (0x80 >> (i % 8)))
			return why_(why, len, "the address has bits set past the prefix length (as 192.0.2.1/24 for 192.0.2.0/24)");
	return 0;
}

int rule_parse(const char *s, struct rule *r, char *why, size_t len)
{
	const char *colon = strchr(s, ':'), *ports, *at;

	memset(r, 0, sizeof(*r));
	if (!colon)
		return why_(why, len, "a rule is tcp:PORTS[@PREFIX], udp:PORTS[@PREFIX] or udp:local:PORTS");
	if (colon - s == 3 && !strncasecmp(s, "tcp", 3))
		r->proto = IPPROTO_TCP;
	else if (colon - s == 3 && !strncasecmp(s, "udp", 3))
		r->proto = IPPROTO_UDP;
	else
		return why_(why, len, "the protocol is tcp or udp");
	ports = colon + 1;
	if (!strncasecmp(ports, "local:", 6)) {
		if (r->proto != IPPROTO_UDP)
			return why_(why, len, "only udp rules may name local ports: a TCP connection is named by its server's port");
		r->local = true;
		ports += 6;
	}
	at = strchr(ports, '@');
	if (at && r->local)
		return why_(why, len, "a udp:local: rule names no remote address");
	if (parse_ports(ports, at ?: ports + strlen(ports), r, why, len))
		return -EINVAL;
	return at ? parse_prefix(at + 1, r, why, len) : 0;
}

void rule_str(const struct rule *r, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN];
	size_t at;
	int i, n;

	n = snprintf(buf, len, "%s:%s", r->proto == IPPROTO_TCP ? "tcp" : "udp",
		     r->local ? "local:" : "");
	for (i = 0; i < r->nranges && n >= 0 && (size_t)n < len; i++) {
		at = n;
		if (r->ranges[i].lo == r->ranges[i].hi)
			n += snprintf(buf + at, len - at, "%s%u", i ? "," : "",
				      r->ranges[i].lo);
		else
			n += snprintf(buf + at, len - at, "%s%u-%u",
				      i ? "," : "", r->ranges[i].lo,
				      r->ranges[i].hi);
	}
	if (r->family && n >= 0 && (size_t)n < len &&
	    inet_ntop(r->family, r->addr, addr, sizeof(addr)))
		snprintf(buf + n, len - n, "@%s/%u", addr, r->plen);
}

static bool in_ranges(const struct rule *r, uint16_t port)
{
	int i;

	for (i = 0; i < r->nranges; i++)
		if (port >= r->ranges[i].lo && port <= r->ranges[i].hi)
			return true;
	return false;
}

static bool in_prefix(const uint8_t *prefix, unsigned int plen,
		      const uint8_t *addr)
{
	unsigned int full = plen / 8, rest = plen % 8;
	uint8_t mask = 0xff << (8 - rest);

	if (memcmp(prefix, addr, full))
		return false;
	return !rest || !((prefix[full] ^ addr[full]) & mask);
}

static const uint8_t v4mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

bool rule_match(const struct rule *r, const struct rule_sock *s)
{
	const uint8_t *addr = s->raddr;
	int family = s->family;

	if (r->proto != s->proto)
		return false;
	if (r->local)
		return in_ranges(r, s->lport);
	if (!s->rport || !in_ranges(r, s->rport))
		return false;
	if (!r->family)
		return true;
	/* An IPv6 socket talking to an IPv4 server has it as ::ffff:a.b.c.d. */
	if (family == AF_INET6 && !memcmp(addr, v4mapped, sizeof(v4mapped))) {
		family = AF_INET;
		addr += sizeof(v4mapped);
	}
	return family == r->family && in_prefix(r->addr, r->plen, addr);
}

int rules_match(const struct rule *r, size_t n, const struct rule_sock *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (rule_match(&r[i], s))
			return i;
	return -1;
}
