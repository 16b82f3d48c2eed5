/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A client handle on real but idle generic netlink sockets, and events
 * queued on it as a reply exchange would queue them: what test_client
 * and test_glib drive the event plumbing with, no module needed.
 */
#ifndef VW_TEST_QUEUE_H
#define VW_TEST_QUEUE_H

#include <stdint.h>

#include "client.h"

/* vw_open() minus the family lookup; features taken as unknown. */
struct vw_client *idle_client(void);

void queue_event(struct vw_client *c, uint64_t id);

/* For queue_woken_count(): the event carries no keep-alive count. */
#define NO_COUNT	UINT64_MAX

void queue_woken_count(struct vw_client *c, uint64_t id, uint32_t reason,
		       uint8_t ka, uint64_t kas);
void queue_woken(struct vw_client *c, uint64_t id, uint32_t reason,
		 uint8_t ka);
void queue_woken_sock(struct vw_client *c, uint64_t id, uint32_t reason,
		      uint64_t ino, uint32_t bytes);
void queue_closed(struct vw_client *c, uint64_t ino, uint64_t id);
void queue_sock_ntf(struct vw_client *c, uint8_t cmd, uint64_t ino,
		    uint64_t id);
void queue_ntf(struct vw_client *c, uint8_t cmd, uint64_t id);

#endif /* VW_TEST_QUEUE_H */
