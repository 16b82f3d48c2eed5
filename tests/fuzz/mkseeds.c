// SPDX-License-Identifier: GPL-2.0
/*
 * mkseeds DIR: writes fuzz-codec's seed corpus into DIR, one file per
 * exchange as the module answers it, built with the unit tests' own
 * message builders (tests/unit/nlbuild.c) so that the seeds follow the
 * codec when it grows. The format is fuzz-codec.c's.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>

#include "codec.h"
#include "fuzz-codec.h"

struct seed {
	unsigned char bytes[16384];
	size_t len;
};

static void start(struct seed *s, int sel)
{
	s->bytes[0] = sel;
	s->len = 1;
}

/* Appends one datagram of the messages built in @d. */
static void add(struct seed *s, const struct nlb_dgram *d)
{
	if (s->len + 2 + d->len > sizeof(s->bytes))
		abort();
	s->bytes[s->len++] = d->len & 0xff;
	s->bytes[s->len++] = d->len >> 8;
	memcpy(s->bytes + s->len, d->buf.bytes, d->len);
	s->len += d->len;
}

static void save(const char *dir, const char *name, const struct seed *s)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(s->bytes, 1, s->len, f) != s->len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* One datagram: @a, then @b unless NULL. */
static void one(struct seed *s, struct nlmsghdr *a, struct nlmsghdr *b)
{
	struct nlb_dgram d = { .len = 0 };

	nlb_dg_add(&d, a);
	if (b)
		nlb_dg_add(&d, b);
	add(s, &d);
}

static struct nlmsghdr *multi(struct nlmsghdr *nlh)
{
	nlh->nlmsg_flags |= NLM_F_MULTI;
	return nlh;
}

/* A data wake that serves as the keep-alive: every WAKE_* attribute. */
static struct nlmsghdr *woken(void *buf)
{
	return nlb_woken(buf, VOIPWAKE_WAKE_DATA, 1);
}

static struct nlmsghdr *sock_ntf(void *buf, uint8_t cmd)
{
	struct nlmsghdr *nlh = nlb_ntf(buf, cmd);

	nlb_sock_attrs(nlh);
	return nlh;
}

static struct nlmsghdr *closed(void *buf)
{
	return sock_ntf(buf, VOIPWAKE_CMD_SOCK_CLOSED_NTF);
}

int main(int argc, char **argv)
{
	union test_buf a, b, req;
	struct nlb_dgram d;
	struct seed s;
	const char *dir = argc > 1 ? argv[1] : ".";

	start(&s, FZ_GETFAMILY);
	one(&s, nlb_family_groups_reply(&a), nlb_ack(&b));
	save(dir, "getfamily", &s);

	start(&s, FZ_INFO);
	one(&s, nlb_info_reply(&a), nlb_ack(&b));
	save(dir, "info", &s);

	start(&s, FZ_SOCK_MARK);
	one(&s, woken(&a), NULL);	/* an event first, on the event socket */
	one(&s, nlb_sock_reply(&a, VOIPWAKE_CMD_SOCK_MARK, TEST_SEQ),
	    nlb_ack(&b));
	save(dir, "sock-mark", &s);

	/* Refused, the whole request echoed (uncapped), with its text. */
	fz_request(FZ_SOCK_MARK, &req, sizeof(req));
	start(&s, FZ_SOCK_MARK);
	one(&s, nlb_error(&a, -EALREADY, "socket is already marked",
			  &req.nlh), NULL);
	save(dir, "sock-mark-refused", &s);

	start(&s, FZ_APP_GET);
	one(&s, nlb_app_reply(&a, VOIPWAKE_CMD_APP_GET, TEST_SEQ),
	    nlb_ack(&b));
	save(dir, "app-get", &s);

	/* Dumps: two parts, the second datagram ending in DONE. */
	start(&s, FZ_SOCK_DUMP);
	one(&s, multi(nlb_sock_reply(&a, VOIPWAKE_CMD_SOCK_GET, TEST_SEQ)),
	    multi(nlb_sock_reply(&b, VOIPWAKE_CMD_SOCK_GET, TEST_SEQ)));
	one(&s, multi(nlb_sock_reply(&a, VOIPWAKE_CMD_SOCK_GET, TEST_SEQ)),
	    nlb_done(&b, 0, NULL));
	save(dir, "sock-dump", &s);

	start(&s, FZ_APP_DUMP);
	one(&s, multi(nlb_app_reply(&a, VOIPWAKE_CMD_APP_GET, TEST_SEQ)),
	    closed(&b));
	one(&s, multi(nlb_app_reply(&a, VOIPWAKE_CMD_APP_GET, TEST_SEQ)),
	    nlb_done(&b, -EINTR, "dump interrupted"));
	save(dir, "app-dump", &s);

	start(&s, FZ_ACK);
	one(&s, nlb_ack(&a), woken(&b));
	save(dir, "ack", &s);

	start(&s, FZ_ACK);
	one(&s, nlb_error(&a, -EPERM, "no permission over the cgroup",
			  NULL), NULL);
	save(dir, "ack-refused", &s);

	/* The event socket: every notification, several per datagram. */
	start(&s, FZ_EVENTS);
	d.len = 0;
	nlb_dg_add(&d, woken(&a));
	nlb_dg_add(&d, closed(&b));
	add(&s, &d);
	/* A FROZEN_NTF without the app's id (malformed), then with it. */
	d.len = 0;
	nlb_dg_add(&d, nlb_ntf(&a, VOIPWAKE_CMD_APP_FROZEN_NTF));
	nlb_app_attrs(&a.nlh);
	nlb_dg_add(&d, &a.nlh);
	add(&s, &d);
	/* Backgrounded, foregrounded and a socket unmarked by another. */
	d.len = 0;
	nlb_app_attrs(nlb_ntf(&a, VW_EVENT_BACKGROUNDED));
	nlb_dg_add(&d, &a.nlh);
	nlb_app_attrs(nlb_ntf(&a, VW_EVENT_FOREGROUNDED));
	nlb_dg_add(&d, &a.nlh);
	nlb_dg_add(&d, sock_ntf(&b, VW_EVENT_UNMARKED));
	add(&s, &d);
	/* A freeze gate opened, with the gate's fields. */
	d.len = 0;
	nlb_app_attrs(nlb_ntf(&a, VW_EVENT_FREEZE_GATE));
	mnl_attr_put_u32(&a.nlh, VOIPWAKE_A_APP_FREEZE_GATE_MS, 200);
	mnl_attr_put_u32(&a.nlh, VOIPWAKE_A_APP_FREEZE_GATE_SEQ, 4);
	mnl_attr_put_u32(&a.nlh, VOIPWAKE_A_APP_FREEZE_GATE_TIMEOUTS, 1);
	nlb_dg_add(&d, &a.nlh);
	add(&s, &d);
	save(dir, "events", &s);
	return 0;
}
