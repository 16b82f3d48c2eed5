// SPDX-License-Identifier: GPL-2.0
/*
 * The client side of events, on a real but idle generic netlink socket (no
 * module needed): vw_dispatch() handing out queued events, vw_fd() being
 * readable exactly while events wait, drops reported once as -ENOBUFS, the
 * keep-alive handler called for the app's own keep-alive wakes only, and
 * the argument checks every call makes before it sends anything.
 */

#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>
#include <linux/genetlink.h>

#include "client.h"
#include "nlbuild.h"

/* What vw_open() sets up, minus the family lookup that needs the module. */
static int setup(void **state)
{
	struct vw_client *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	c->epfd = -1;
	c->evfd = -1;
	c->nl = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	assert_non_null(c->nl);
	assert_int_equal(mnl_socket_bind(c->nl, 0, MNL_SOCKET_AUTOPID), 0);
	c->portid = mnl_socket_get_portid(c->nl);
	c->family.id = TEST_FAMILY;
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	vw_close(*state);
	return 0;
}

/* Queues an APP_FROZEN_NTF for app @id, as a reply exchange would. */
static void queue_event(struct vw_client *c, uint64_t id)
{
	union test_buf buf;
	struct nlmsghdr *nlh = nlb_ntf(&buf, VOIPWAKE_CMD_APP_FROZEN_NTF);

	nlb_put_u64_pad(nlh, VOIPWAKE_A_APP_CGROUP_ID, id, VOIPWAKE_A_APP_PAD);
	vw_evq_notify(nlh, &c->queue);
	vw_client_sync_evfd(c);
}

/* Queues an APP_WOKEN_NTF for app @id, its WAKE_KEEPALIVE @ka. */
static void queue_woken(struct vw_client *c, uint64_t id, uint32_t reason,
			uint8_t ka)
{
	union test_buf buf;
	struct nlmsghdr *nlh = nlb_ntf(&buf, VOIPWAKE_CMD_APP_WOKEN_NTF);

	nlb_put_u64_pad(nlh, VOIPWAKE_A_APP_CGROUP_ID, id, VOIPWAKE_A_APP_PAD);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_WAKE_REASON, reason);
	mnl_attr_put_u8(nlh, VOIPWAKE_A_APP_WAKE_KEEPALIVE, ka);
	vw_evq_notify(nlh, &c->queue);
	vw_client_sync_evfd(c);
}

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

/* A family id no family has: the kernel answers ENOENT. */
#define NO_FAMILY	0xfff0

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
	assert_int_equal(vw_client_recv(c, MSG_DONTWAIT), -EAGAIN);
	assert_false(readable(vw_fd(c)));
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

	/* Nothing reached the socket, so there is nothing to read. */
	assert_int_equal(vw_client_recv(c, MSG_DONTWAIT), -EAGAIN);
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
		cmocka_unit_test_setup_teardown(test_subscribe_without_group,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_argument_checks, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("client_events", tests, NULL,
					   NULL);
}
