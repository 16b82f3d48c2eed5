// SPDX-License-Identifier: GPL-2.0
/*
 * The client side of events, on real but idle generic netlink sockets (no
 * module needed): vw_dispatch() handing out queued events, vw_fd() being
 * readable exactly while events wait, drops reported once as -ENOBUFS
 * after a resync, the VW_EVENT_RESYNC events a resync delivers and the
 * keep-alive it must not miss nor run twice, the keep-alive handler
 * called for the app's own keep-alive wakes only, the sockets a handle
 * remembers, feature checks, and the argument checks every call makes
 * before it sends anything.
 */

#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <linux/genetlink.h>

#include "client.h"
#include "nlbuild.h"
#include "queue.h"

static int setup(void **state)
{
	*state = idle_client();
	return 0;
}

static int teardown(void **state)
{
	vw_close(*state);
	return 0;
}

/* A family id no family has: the kernel answers ENOENT. */
#define NO_FAMILY	0xfff0

static bool readable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	assert_true(poll(&pfd, 1, 0) >= 0);
	return pfd.revents & POLLIN;
}

struct seen {
	unsigned int n;
	uint64_t ids[8];
	struct vw_client *c;
	int nested;		/* what vw_dispatch() returned from within */
};

static void record(const struct vw_event *ev, void *arg)
{
	struct seen *s = arg;

	assert_int_equal(ev->type, VOIPWAKE_CMD_APP_FROZEN_NTF);
	assert_int_equal(ev->size, sizeof(*ev));
	assert_true(ev->app.present & VW_APP_HAS_CGROUP_ID);
	assert_int_equal(ev->sock.size, 0);
	if (s->n < ARRAY_SIZE(s->ids))
		s->ids[s->n] = ev->app.cgroup_id;
	s->n++;
	if (s->c)
		s->nested = vw_dispatch(s->c);
}

static void test_dispatch_queued(void **state)
{
	struct vw_client *c = *state;
	struct seen s = { 0 };

	vw_set_event_handler(c, record, &s);
	assert_int_equal(vw_dispatch(c), 0);
	queue_event(c, 1);
	queue_event(c, 2);
	queue_event(c, 3);
	assert_int_equal(vw_dispatch(c), 3);
	assert_int_equal(s.n, 3);
	assert_true(s.ids[0] == 1 && s.ids[1] == 2 && s.ids[2] == 3);
	assert_int_equal(vw_dispatch(c), 0);
	assert_null(vw_last_error(c));
}

/* Without a handler, events are consumed and counted all the same. */
static void test_dispatch_no_handler(void **state)
{
	struct vw_client *c = *state;

	queue_event(c, 1);
	queue_event(c, 2);
	assert_int_equal(vw_dispatch(c), 2);
	assert_int_equal(c->queue.count, 0);
}

static void test_fd_readable_while_queued(void **state)
{
	struct vw_client *c = *state;
	int fd;

	/* Events queued before anyone asked for the fd still show. */
	queue_event(c, 1);
	fd = vw_fd(c);
	assert_true(fd >= 0);
	assert_int_equal(vw_fd(c), fd);
	assert_true(readable(fd));
	/* Level-triggered: still readable until dispatched. */
	assert_true(readable(fd));
	queue_event(c, 2);
	assert_int_equal(vw_dispatch(c), 2);
	assert_false(readable(fd));
	queue_event(c, 3);
	assert_true(readable(fd));
	assert_int_equal(vw_dispatch(c), 1);
	assert_false(readable(fd));
}

/* Lost events are told once, after what the queue still held. */
static void test_overflow_reported_once(void **state)
{
	struct vw_client *c = *state;
	struct seen s = { 0 };
	unsigned int i;

	vw_set_event_handler(c, record, &s);
	for (i = 0; i < VW_EVQ_LEN + 3; i++)
		queue_event(c, i);
	assert_true(vw_events_dropped(c) == 3);
	assert_int_equal(vw_dispatch(c), -ENOBUFS);
	assert_int_equal(s.n, VW_EVQ_LEN);
	assert_non_null(vw_last_error(c));
	assert_non_null(strstr(vw_last_error(c), "3 events were dropped"));
	assert_int_equal(vw_dispatch(c), 0);
	assert_null(vw_last_error(c));
	/* The total stays available. */
	assert_true(vw_events_dropped(c) == 3);
}

/* The kernel's ENOBUFS met during a request: told by the next dispatch. */
static void test_enobufs_reported(void **state)
{
	struct vw_client *c = *state;

	c->enobufs = true;
	queue_event(c, 1);
	assert_int_equal(vw_dispatch(c), -ENOBUFS);
	assert_int_equal(c->queue.count, 0);
	assert_non_null(strstr(vw_last_error(c), "receive buffer"));
	/* No handler: nobody to hand a resync to, nothing re-read. */
	assert_non_null(strstr(vw_last_error(c), "nothing was re-read"));
	assert_int_equal(vw_dispatch(c), 0);
}

static void test_dispatch_from_handler(void **state)
{
	struct vw_client *c = *state;
	struct seen s = { .c = c };

	vw_set_event_handler(c, record, &s);
	queue_event(c, 1);
	assert_int_equal(vw_dispatch(c), 1);
	assert_int_equal(s.nested, -EBUSY);
	/* The handler's failed call does not stick to the outer one. */
	assert_null(vw_last_error(c));
}

/* What the handlers saw, in order: 'e' + app id, or 'k'. */
struct ka_log {
	char seen[32];
	unsigned int n;
	struct vw_client *c;
	int nested;
};

static void ka_log_put(struct ka_log *log, char ch)
{
	if (log->n < sizeof(log->seen) - 1)
		log->seen[log->n++] = ch;
}

static void log_event(const struct vw_event *ev, void *arg)
{
	ka_log_put(arg, 'e');
	ka_log_put(arg, '0' + (char)ev->app.cgroup_id);
}

static void log_keepalive(struct vw_client *c, void *arg)
{
	struct ka_log *log = arg;

	assert_ptr_equal(c, log->c);
	ka_log_put(log, 'k');
	log->nested = vw_dispatch(c);
}

/* As vw_set_keepalive() leaves the client, without asking the module. */
static void arm_keepalive(struct vw_client *c, uint64_t own,
			  struct ka_log *log)
{
	log->c = c;
	c->ka_fn = log_keepalive;
	c->ka_arg = log;
	c->ka_app_id = own;
}

/*
 * Only the own app's woken events that carry the flag run the keep-alive
 * handler, once each and after the event handler; other apps' (seen by
 * an admin) and wakes that are no keep-alive do not.
 */
static void test_keepalive_handler(void **state)
{
	struct vw_client *c = *state;
	struct ka_log log = { .n = 0 };

	vw_set_event_handler(c, log_event, &log);
	arm_keepalive(c, 3, &log);
	queue_woken(c, 3, VOIPWAKE_WAKE_KEEPALIVE, 1);
	queue_woken(c, 4, VOIPWAKE_WAKE_KEEPALIVE, 1);
	queue_woken(c, 3, VOIPWAKE_WAKE_DATA, 0);
	queue_event(c, 3);
	queue_woken(c, 3, VOIPWAKE_WAKE_DATA, 1);
	assert_int_equal(vw_dispatch(c), 5);
	assert_string_equal(log.seen, "e3ke4e3e3e3k");
	/* vw_dispatch() from within is refused, as from the event handler. */
	assert_int_equal(log.nested, -EBUSY);
	assert_null(vw_last_error(c));
}

/* With no event handler the keep-alive handler still runs. */
static void test_keepalive_without_event_handler(void **state)
{
	struct vw_client *c = *state;
	struct ka_log log = { .n = 0 };

	arm_keepalive(c, 5, &log);
	queue_woken(c, 5, VOIPWAKE_WAKE_KEEPALIVE, 1);
	queue_woken(c, 5, VOIPWAKE_WAKE_ERROR, 0);
	assert_int_equal(vw_dispatch(c), 2);
	assert_string_equal(log.seen, "k");

	/* Nor is a woken event without a flag (an older module's) one. */
	c->ka_app_id = 0;
	queue_woken(c, 0, VOIPWAKE_WAKE_DATA, 0);
	assert_int_equal(vw_dispatch(c), 1);
	assert_string_equal(log.seen, "k");
}

static void done_keepalive(struct vw_client *c, void *arg)
{
	struct ka_log *log = arg;

	ka_log_put(log, 'k');
	log->nested = vw_wake_done(c);
}

/*
 * A request from the keep-alive handler (as vw_wake_done() is meant to
 * be made) reuses the client's buffer: the events still queued come out
 * intact, and the request gets its answer.
 */
static void test_keepalive_handler_calls(void **state)
{
	struct vw_client *c = *state;
	struct ka_log log = { .n = 0 };

	vw_set_event_handler(c, log_event, &log);
	arm_keepalive(c, 2, &log);
	c->ka_fn = done_keepalive;
	queue_woken(c, 2, VOIPWAKE_WAKE_KEEPALIVE, 1);
	queue_woken(c, 1, VOIPWAKE_WAKE_DATA, 0);
	queue_event(c, 2);
	c->family.id = NO_FAMILY;
	assert_int_equal(vw_dispatch(c), 3);
	assert_int_equal(log.nested, -ENOENT);
	assert_string_equal(log.seen, "e2ke1e2");
	assert_int_equal(vw_client_recv(c, &c->req, MSG_DONTWAIT), -EAGAIN);
	assert_int_equal(vw_client_recv(c, &c->evt, MSG_DONTWAIT), -EAGAIN);
	assert_false(readable(vw_fd(c)));
}

/* Requests and events each have a socket; vw_fd() watches the latter. */
static void test_two_sockets(void **state)
{
	struct vw_client *c = *state;
	int req_buf, evt_buf;
	socklen_t len = sizeof(int);

	assert_true(c->req.portid != 0 && c->evt.portid != 0);
	assert_true(c->req.portid != c->evt.portid);
	assert_int_equal(getsockopt(mnl_socket_get_fd(c->req.nl), SOL_SOCKET,
				    SO_RCVBUF, &req_buf, &len), 0);
	assert_int_equal(getsockopt(mnl_socket_get_fd(c->evt.nl), SOL_SOCKET,
				    SO_RCVBUF, &evt_buf, &len), 0);
	/* Doubled by the kernel, and capped by rmem_max unless forced. */
	assert_true(evt_buf > req_buf);
	assert_true(vw_fd(c) >= 0);
	assert_false(readable(vw_fd(c)));
}

/* What the handlers saw, for the resync tests. */
struct resync_log {
	char seen[32];
	unsigned int n;
	struct vw_event last;	/* the last VW_EVENT_RESYNC */
};

static void resync_log_put(struct resync_log *log, char ch)
{
	if (log->n < sizeof(log->seen) - 1)
		log->seen[log->n++] = ch;
}

/* 'r' + app id for a resync, 'R' + app id for one with a keep-alive. */
static void resync_event(const struct vw_event *ev, void *arg)
{
	struct resync_log *log = arg;

	if (ev->type != VW_EVENT_RESYNC) {
		resync_log_put(log, 'e');
	} else {
		log->last = *ev;
		resync_log_put(log, ev->keepalive ? 'R' : 'r');
	}
	resync_log_put(log, '0' + (char)ev->app.cgroup_id);
}

static void resync_keepalive(struct vw_client *c, void *arg)
{
	(void)c;
	resync_log_put(arg, 'k');
}

static void resync_arm(struct vw_client *c, struct resync_log *log,
		       uint64_t own, uint64_t seen)
{
	vw_set_event_handler(c, resync_event, log);
	c->ka_fn = resync_keepalive;
	c->ka_arg = log;
	c->ka_app_id = own;
	c->ka_seen = seen;
}

static struct vw_app_info app_with(uint64_t id, uint64_t kas)
{
	struct vw_app_info ai = {
		.size = sizeof(ai),
		.present = VW_APP_HAS_CGROUP_ID | VW_APP_HAS_WAKES_KEEPALIVE,
		.cgroup_id = id,
		.wakes_keepalive = kas,
	};

	return ai;
}

/*
 * The own app's resync event says whether keep-alives were missed: its
 * count went past the last one handled. Another app's says nothing.
 */
static void test_resync_event(void **state)
{
	struct vw_client *c = *state;
	struct resync_log log = { .n = 0 };
	struct vw_app_info ai = app_with(3, 7);
	struct vw_event ev;

	resync_arm(c, &log, 3, 5);
	memset(&ev, 0xff, sizeof(ev));
	vw_resync_event(c, &ai, &ev);
	assert_int_equal(ev.type, VW_EVENT_RESYNC);
	assert_int_equal(ev.size, sizeof(ev));
	assert_int_equal(ev.present, VW_EVENT_HAS_KEEPALIVE);
	assert_int_equal(ev.keepalive, 1);
	assert_true(ev.app.cgroup_id == 3 && ev.app.wakes_keepalive == 7);
	assert_int_equal(ev.app.size, sizeof(ev.app));
	assert_int_equal(ev.sock.size, 0);
	assert_true(c->ka_seen == 7);
	vw_deliver(c, &ev);
	assert_string_equal(log.seen, "R3k");

	/* Read again with no keep-alive since: nothing missed. */
	vw_resync_event(c, &ai, &ev);
	assert_int_equal(ev.present, VW_EVENT_HAS_KEEPALIVE);
	assert_int_equal(ev.keepalive, 0);
	vw_deliver(c, &ev);
	assert_string_equal(log.seen, "R3kr3");

	/* Another app (an admin's, or a marked socket's): no keep-alive. */
	ai = app_with(4, 100);
	vw_resync_event(c, &ai, &ev);
	assert_int_equal(ev.present, 0);
	assert_int_equal(ev.keepalive, 0);
	assert_true(c->ka_seen == 7);

	/* Without the count (an older module) nothing can be told. */
	ai = app_with(3, 0);
	ai.present = VW_APP_HAS_CGROUP_ID;
	vw_resync_event(c, &ai, &ev);
	assert_int_equal(ev.keepalive, 0);
}

/*
 * After a resync ran the keep-alive handler, the lost keep-alives whose
 * events were still on their way do not run it again; later ones do, and
 * so does a data wake that served as the keep-alive (it is not counted).
 */
static void test_resync_then_stale_keepalive(void **state)
{
	struct vw_client *c = *state;
	struct resync_log log = { .n = 0 };

	resync_arm(c, &log, 3, 7);
	queue_woken_count(c, 3, VOIPWAKE_WAKE_KEEPALIVE, 1, 6);
	queue_woken_count(c, 3, VOIPWAKE_WAKE_KEEPALIVE, 1, 7);
	queue_woken_count(c, 3, VOIPWAKE_WAKE_KEEPALIVE, 1, 8);
	queue_woken_count(c, 3, VOIPWAKE_WAKE_DATA, 1, 8);
	queue_woken_count(c, 3, VOIPWAKE_WAKE_DATA, 0, 8);
	/* Another app's count means nothing for ours. */
	queue_woken_count(c, 4, VOIPWAKE_WAKE_KEEPALIVE, 1, 9);
	assert_int_equal(vw_dispatch(c), 6);
	assert_string_equal(log.seen, "e3e3e3ke3ke3e4");
	assert_true(c->ka_seen == 8);
}

/* The keep-alive count set by vw_set_keepalive() is where a resync starts. */
static void test_keepalive_baseline(void **state)
{
	struct vw_client *c = *state;
	struct vw_app_info own = app_with(3, 42);

	c->ka_seen = 1;
	vw_ka_baseline(c, &own);
	assert_true(c->ka_seen == 42);
	own.present = VW_APP_HAS_CGROUP_ID;
	vw_ka_baseline(c, &own);
	assert_true(c->ka_seen == 0);
}

static struct vw_sock_info sock_with(uint64_t ino, uint64_t id)
{
	struct vw_sock_info si = {
		.size = sizeof(si),
		.present = VW_SOCK_HAS_INO | VW_SOCK_HAS_CGROUP_ID,
		.ino = ino,
		.cgroup_id = id,
	};

	return si;
}

/*
 * The sockets marked through a handle name the apps a resync re-reads;
 * a socket is forgotten when it closes, and a reused inode is updated.
 */
static void test_marked_sockets(void **state)
{
	struct vw_client *c = *state;
	struct vw_sock_info si;
	unsigned int i;

	assert_false(vw_marked_app(c, 1));
	for (i = 0; i < 40; i++) {
		assert_int_equal(vw_marked_reserve(c), 0);
		si = sock_with(100 + i, 1 + i % 3);
		vw_marked_add(c, &si);
	}
	assert_int_equal(c->marked.n, 40);
	assert_true(vw_marked_app(c, 1) && vw_marked_app(c, 2) &&
		    vw_marked_app(c, 3));
	assert_false(vw_marked_app(c, 0));
	assert_false(vw_marked_app(c, 4));

	/* Inode 100 comes back for app 5: one entry, the new app. */
	si = sock_with(100, 5);
	assert_int_equal(vw_marked_reserve(c), 0);
	vw_marked_add(c, &si);
	assert_int_equal(c->marked.n, 40);
	assert_true(vw_marked_app(c, 5));

	/* App 2's sockets close, one event each: app 2 is no longer ours. */
	for (i = 0; i < 40; i++)
		if (1 + i % 3 == 2)
			queue_closed(c, 100 + i, 2);
	assert_int_equal(vw_dispatch(c), 13);
	assert_false(vw_marked_app(c, 2));
	assert_true(vw_marked_app(c, 1) && vw_marked_app(c, 3));
	assert_int_equal(c->marked.n, 27);
	vw_marked_del(c, 12345);
	assert_int_equal(c->marked.n, 27);

	/* Unmarked by someone else: as good as closed, for the handle. */
	for (i = 0; i < 40; i++)
		if (1 + i % 3 == 3)
			queue_sock_ntf(c, VW_EVENT_UNMARKED, 100 + i, 3);
	assert_int_equal(vw_dispatch(c), 13);
	assert_false(vw_marked_app(c, 3));
	assert_int_equal(c->marked.n, 14);

	/* Without the app's id in the reply, nothing names an app. */
	si = sock_with(999, 0);
	si.present = VW_SOCK_HAS_INO;
	assert_int_equal(vw_marked_reserve(c), 0);
	vw_marked_add(c, &si);
	assert_false(vw_marked_app(c, 0));
}

/* Unmarked through the handle, or not marked at all: forgotten. */
static void test_unmark_forgets(void **state)
{
	struct vw_client *c = *state;
	struct vw_sock_info si;
	struct stat st;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	si = sock_with(st.st_ino, 7);
	assert_int_equal(vw_marked_reserve(c), 0);
	vw_marked_add(c, &si);
	assert_true(vw_marked_app(c, 7));
	/* No such family: ENOENT, which is what "not marked" is, too. */
	c->family.id = NO_FAMILY;
	assert_int_equal(vw_unmark_socket(c, fd), -ENOENT);
	assert_false(vw_marked_app(c, 7));
	close(fd);
}

/*
 * A loss makes vw_fd() readable even once the socket is dry, and the next
 * vw_dispatch() re-reads the state. With nothing tracked there is nothing
 * to re-read, and the loss is still told, once.
 */
static void test_loss_nothing_tracked(void **state)
{
	struct vw_client *c = *state;
	struct resync_log log = { .n = 0 };
	int fd = vw_fd(c);

	vw_set_event_handler(c, resync_event, &log);
	assert_false(readable(fd));
	c->enobufs = true;
	vw_client_sync_evfd(c);
	assert_true(readable(fd));
	assert_int_equal(vw_dispatch(c), -ENOBUFS);
	assert_non_null(strstr(vw_last_error(c), "receive buffer"));
	assert_non_null(strstr(vw_last_error(c),
			       "0 VW_EVENT_RESYNC events delivered"));
	assert_false(readable(fd));
	assert_int_equal(log.n, 0);
	assert_int_equal(vw_dispatch(c), 0);
}

/*
 * Re-reading fails (here: no such family): the events still held are
 * delivered, -ENOBUFS says that the caller must re-read itself, and the
 * resync read nothing without waiting, so it did not block.
 */
static void test_loss_resync_fails(void **state)
{
	struct vw_client *c = *state;
	struct resync_log log = { .n = 0 };
	struct vw_sock_info si = sock_with(100, 4);

	resync_arm(c, &log, 3, 0);
	assert_int_equal(vw_marked_reserve(c), 0);
	vw_marked_add(c, &si);
	c->family.id = NO_FAMILY;
	queue_event(c, 4);
	c->enobufs = true;
	assert_int_equal(vw_dispatch(c), -ENOBUFS);
	assert_string_equal(log.seen, "e4");
	assert_non_null(strstr(vw_last_error(c),
			       "re-reading the state failed"));
	assert_non_null(strstr(vw_last_error(c), "vw_app_dump()"));
	assert_false(c->nowait);
	assert_int_equal(vw_client_recv(c, &c->req, MSG_DONTWAIT), -EAGAIN);
	assert_int_equal(vw_dispatch(c), 0);

	/* The library's own drops are a loss too. */
	c->queue.malformed++;
	assert_int_equal(vw_dispatch(c), -ENOBUFS);
	assert_non_null(strstr(vw_last_error(c), "1 events were dropped"));
}

/*
 * Fills the event socket, shrunk to the kernel's minimum, with the
 * answers to requests nobody reads, until the kernel drops some: a real
 * overflow (ENOBUFS), no module needed.
 */
static void flood_event_socket(struct vw_client *c)
{
	int fd = mnl_socket_get_fd(c->evt.nl);
	union test_buf buf;
	int one = 1;
	unsigned int i;

	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &one,
				    sizeof(one)), 0);
	for (i = 0; i < 64; i++) {
		assert_int_equal(vw_build_info_get(&buf, sizeof(buf),
						   NO_FAMILY, 1000 + i), 0);
		assert_true(mnl_socket_sendto(c->evt.nl, &buf,
					      buf.nlh.nlmsg_len) > 0);
	}
}

/* A real overflow of the event socket is found, put right and told. */
static void test_event_socket_overflow(void **state)
{
	struct vw_client *c = *state;
	int fd = vw_fd(c);

	c->family.id = NO_FAMILY;
	flood_event_socket(c);
	assert_true(readable(fd));
	assert_int_equal(vw_dispatch(c), -ENOBUFS);
	assert_non_null(strstr(vw_last_error(c), "receive buffer"));
	/* What the socket held (answers, not events) was read and skipped. */
	assert_int_equal(vw_client_recv(c, &c->evt, MSG_DONTWAIT), -EAGAIN);
	assert_false(readable(fd));
	assert_int_equal(vw_dispatch(c), 0);
	assert_true(vw_events_dropped(c) == 0);
}

/*
 * A request on the event socket first makes room there: its answer is
 * not lost to a buffer full of unread events, and the overflow they
 * caused is left for vw_dispatch() to put right.
 */
static void test_event_request_makes_room(void **state)
{
	struct vw_client *c = *state;
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int fd = vw_fd(c);

	assert_true(sock >= 0);
	c->family.id = NO_FAMILY;
	flood_event_socket(c);
	assert_int_equal(vw_mark_socket(c, sock, 0, NULL), -ENOENT);
	assert_int_equal(c->marked.n, 0);
	assert_true(c->enobufs);
	assert_true(readable(fd));
	assert_int_equal(vw_dispatch(c), -ENOBUFS);
	assert_false(readable(fd));
	close(sock);
}

/* A module without keep-alive timers: told before anything is sent. */
static void test_feature_missing(void **state)
{
	struct vw_client *c = *state;

	c->features_known = true;
	c->features = VOIPWAKE_FEATURE_MARK_TCP | VOIPWAKE_FEATURE_MARK_UDP |
		      VOIPWAKE_FEATURE_FREEZE;
	strcpy(c->mod_version, "0.0.9");
	assert_int_equal(vw_set_keepalive(c, 600, NULL, NULL), -EOPNOTSUPP);
	assert_non_null(strstr(vw_last_error(c),
			       "VOIPWAKE_FEATURE_KEEPALIVE"));
	assert_non_null(strstr(vw_last_error(c), "module 0.0.9 does not"));
	assert_int_equal(vw_clear_keepalive(c), -EOPNOTSUPP);
	assert_int_equal(vw_app_set_keepalive(c, 3, 600, 0, 0), -EOPNOTSUPP);
	/* Without a version string the message still reads. */
	c->mod_version[0] = '\0';
	assert_int_equal(vw_set_keepalive(c, 600, NULL, NULL), -EOPNOTSUPP);
	assert_non_null(strstr(vw_last_error(c),
			       "the loaded voipwake module does not"));
	assert_int_equal(vw_client_recv(c, &c->req, MSG_DONTWAIT), -EAGAIN);
	assert_int_equal(vw_client_recv(c, &c->evt, MSG_DONTWAIT), -EAGAIN);
}

static void test_subscribe_without_group(void **state)
{
	struct vw_client *c = *state;

	assert_int_equal(vw_subscribe_admin(c), -EOPNOTSUPP);
	assert_non_null(strstr(vw_last_error(c), "\"admin\""));
}

static int never(const struct vw_app_info *ai, void *arg)
{
	(void)ai;
	(void)arg;
	fail();
	return 0;
}

static int never_sock(const struct vw_sock_info *si, void *arg)
{
	(void)si;
	(void)arg;
	fail();
	return 0;
}

/* Refused before anything is sent: the socket stays quiet. */
static void test_argument_checks(void **state)
{
	struct vw_sock_info si = { .size = VW_SOCK_INFO_SIZE_VER0 - 8 };
	struct vw_app_info ai = { .size = 0 };
	struct vw_client *c = *state;

	assert_int_equal(vw_mark_socket(c, 3, 0, &si), -EINVAL);
	assert_non_null(vw_last_error(c));
	si.size = sizeof(si);
	assert_int_equal(vw_mark_socket(c, -1, 0, &si), -EBADF);
	assert_int_equal(vw_unmark_socket(c, -2), -EBADF);
	assert_int_equal(vw_app_set_state(c, -1,
					  VOIPWAKE_APP_STATE_BACKGROUND),
			 -EBADF);
	assert_int_equal(vw_app_set_wake_window(c, -1, 0), -EBADF);
	assert_int_equal(vw_app_set_keepalive(c, -1, 600, 0, 0), -EBADF);
	assert_int_equal(vw_set_keepalive(c, 0, NULL, NULL), -EINVAL);
	assert_non_null(strstr(vw_last_error(c), "vw_clear_keepalive()"));
	assert_int_equal(vw_wake_done_app(c, -1), -EBADF);
	assert_int_equal(vw_app_get(c, 3, &ai), -EINVAL);
	assert_int_equal(vw_app_get(c, 3, NULL), -EINVAL);
	ai.size = sizeof(ai);
	assert_int_equal(vw_app_get(c, -1, &ai), -EBADF);
	assert_int_equal(vw_app_dump(c, NULL, NULL), -EINVAL);
	assert_int_equal(vw_sock_dump(c, NULL, NULL), -EINVAL);

	assert_int_equal(vw_mark_socket(NULL, 3, 0, NULL), -EINVAL);
	assert_int_equal(vw_app_dump(NULL, never, NULL), -EINVAL);
	assert_int_equal(vw_sock_dump(NULL, never_sock, NULL), -EINVAL);
	assert_int_equal(vw_wake_done(NULL), -EINVAL);
	assert_int_equal(vw_set_keepalive(NULL, 600, NULL, NULL), -EINVAL);
	assert_int_equal(vw_clear_keepalive(NULL), -EINVAL);
	assert_int_equal(vw_app_set_keepalive(NULL, 3, 600, 0, 0), -EINVAL);
	assert_int_equal(vw_dispatch(NULL), -EINVAL);
	assert_int_equal(vw_fd(NULL), -EINVAL);
	assert_int_equal(vw_subscribe_admin(NULL), -EINVAL);
	assert_true(vw_events_dropped(NULL) == 0);
	vw_set_event_handler(NULL, NULL, NULL);

	/* Nothing reached either socket, so there is nothing to read. */
	assert_int_equal(vw_client_recv(c, &c->req, MSG_DONTWAIT), -EAGAIN);
	assert_int_equal(vw_client_recv(c, &c->evt, MSG_DONTWAIT), -EAGAIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dispatch_queued, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dispatch_no_handler,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_fd_readable_while_queued,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_overflow_reported_once,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_enobufs_reported, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dispatch_from_handler,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_keepalive_handler, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_keepalive_without_event_handler, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keepalive_handler_calls,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_sockets, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_resync_event, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_resync_then_stale_keepalive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keepalive_baseline, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_marked_sockets, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unmark_forgets, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_loss_nothing_tracked,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_loss_resync_fails, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_event_socket_overflow,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_request_makes_room,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_feature_missing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_subscribe_without_group,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_argument_checks, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("client_events", tests, NULL,
					   NULL);
}
