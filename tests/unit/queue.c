// SPDX-License-Identifier: GPL-2.0
/*
 * Events queued on an idle client handle: see queue.h. Failures abort,
 * as the handle is the test's own setup, not what it tests.
 */

#include <stdlib.h>

#include "nlbuild.h"
#include "queue.h"

/*
 * What vw_open() sets up, minus the family lookup that needs the module,
 * and with the module's features taken as unknown, as if INFO_GET had
 * failed: no test sends anything to the made-up family by accident.
 */
struct vw_client *idle_client(void)
{
	struct vw_client *c = vw_client_alloc();

	if (!c || vw_client_open_socks(c))
		abort();
	c->family.id = TEST_FAMILY;
	c->info_known = true;
	return c;
}

static void queue_push(struct vw_client *c, const struct nlmsghdr *nlh)
{
	vw_evq_notify(nlh, &c->queue);
	vw_client_sync_evfd(c);
}

/* Queues an APP_*_NTF @cmd for app @id, with nothing but its id. */
void queue_ntf(struct vw_client *c, uint8_t cmd, uint64_t id)
{
	union test_buf buf;
	struct nlmsghdr *nlh = nlb_ntf(&buf, cmd);

	nlb_put_u64_pad(nlh, VOIPWAKE_A_APP_CGROUP_ID, id, VOIPWAKE_A_APP_PAD);
	queue_push(c, nlh);
}

/* Queues an APP_FROZEN_NTF for app @id. */
void queue_event(struct vw_client *c, uint64_t id)
{
	queue_ntf(c, VOIPWAKE_CMD_APP_FROZEN_NTF, id);
}

/*
 * Queues an APP_WOKEN_NTF for app @id, its WAKE_KEEPALIVE @ka, with the
 * app's count of keep-alive wakes @kas unless it is NO_COUNT.
 */
void queue_woken_count(struct vw_client *c, uint64_t id, uint32_t reason,
		       uint8_t ka, uint64_t kas)
{
	union test_buf buf;
	struct nlmsghdr *nlh = nlb_ntf(&buf, VOIPWAKE_CMD_APP_WOKEN_NTF);

	nlb_put_u64_pad(nlh, VOIPWAKE_A_APP_CGROUP_ID, id, VOIPWAKE_A_APP_PAD);
	if (kas != NO_COUNT)
		nlb_put_u64_pad(nlh, VOIPWAKE_A_APP_WAKES_KEEPALIVE, kas,
				VOIPWAKE_A_APP_PAD);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_WAKE_REASON, reason);
	mnl_attr_put_u8(nlh, VOIPWAKE_A_APP_WAKE_KEEPALIVE, ka);
	queue_push(c, nlh);
}

void queue_woken(struct vw_client *c, uint64_t id, uint32_t reason,
		 uint8_t ka)
{
	queue_woken_count(c, id, reason, ka, NO_COUNT);
}

/* Queues an APP_WOKEN_NTF naming the socket @ino and its @bytes. */
void queue_woken_sock(struct vw_client *c, uint64_t id, uint32_t reason,
		      uint64_t ino, uint32_t bytes)
{
	union test_buf buf;
	struct nlmsghdr *nlh = nlb_ntf(&buf, VOIPWAKE_CMD_APP_WOKEN_NTF);

	nlb_put_u64_pad(nlh, VOIPWAKE_A_APP_CGROUP_ID, id, VOIPWAKE_A_APP_PAD);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_WAKE_REASON, reason);
	nlb_put_u64_pad(nlh, VOIPWAKE_A_APP_WAKE_SOCK_INO, ino,
			VOIPWAKE_A_APP_PAD);
	mnl_attr_put_u32(nlh, VOIPWAKE_A_APP_WAKE_BYTES, bytes);
	mnl_attr_put_u8(nlh, VOIPWAKE_A_APP_WAKE_KEEPALIVE, 0);
	queue_push(c, nlh);
}

/* Queues a SOCK_CLOSED_NTF for socket @ino of app @id. */
void queue_closed(struct vw_client *c, uint64_t ino, uint64_t id)
{
	queue_sock_ntf(c, VOIPWAKE_CMD_SOCK_CLOSED_NTF, ino, id);
}

/* Queues a socket notification @cmd for socket @ino of app @id. */
void queue_sock_ntf(struct vw_client *c, uint8_t cmd, uint64_t ino,
		    uint64_t id)
{
	union test_buf buf;
	struct nlmsghdr *nlh = nlb_ntf(&buf, cmd);

	nlb_put_u64_pad(nlh, VOIPWAKE_A_SOCK_INO, ino, VOIPWAKE_A_SOCK_PAD);
	nlb_put_u64_pad(nlh, VOIPWAKE_A_SOCK_CGROUP_ID, id,
			VOIPWAKE_A_SOCK_PAD);
	queue_push(c, nlh);
}
