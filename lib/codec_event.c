// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * Notifications: turning a VOIPWAKE_CMD_*_NTF message into a struct
 * vw_event, and the bounded queue that holds events met while a request
 * waited for its reply.
 */

#include <errno.h>
#include <string.h>

#include "codec.h"

/*
 * Where @app and @sock sit is ABI: callers built against 0.2 read them at
 * these offsets from any later library. Growing struct vw_app_info or
 * struct vw_sock_info past its room must fail here, not in the field.
 */
_Static_assert(offsetof(struct vw_event, app) == 32,
	       "struct vw_event: app moved");
_Static_assert(sizeof(struct vw_app_info) <= sizeof(((struct vw_event *)0)->app_room),
	       "struct vw_app_info outgrew its room in struct vw_event");
_Static_assert(offsetof(struct vw_event, sock) == 224,
	       "struct vw_event: sock moved");
_Static_assert(sizeof(struct vw_sock_info) <= sizeof(((struct vw_event *)0)->sock_room),
	       "struct vw_sock_info outgrew its room in struct vw_event");
_Static_assert(offsetof(struct vw_event, keepalive) == 352,
	       "struct vw_event: keepalive moved");

/**
 * vw_parse_event() - parse a notification
 * @nlh: the message (nlmsg_seq 0, the family's type), nlmsg_len readable
 * @ev: overwritten (on failure, with nothing useful)
 * @why: set on failure
 *
 * The APP_*_NTF notifications carry the APP_* set (APP_WOKEN_NTF with
 * WAKE_REASON, WAKE_SOCK_INO, WAKE_BYTES and WAKE_KEEPALIVE besides);
 * SOCK_CLOSED_NTF and SOCK_UNMARKED_NTF carry the SOCK_* set. Other commands are not events
 * this library knows, which is not an error: a newer module may send
 * more.
 *
 * Return: 0; -EOPNOTSUPP for a command that is not a known notification;
 * -EBADMSG or -EPROTO if the message is malformed.
 */
int vw_parse_event(const struct nlmsghdr *nlh, struct vw_event *ev,
		   const char **why)
{
	const void *attrs;
	uint8_t cmd;
	size_t len;
	int ret;

	ret = vw_genl_cmd(nlh, &cmd, why);
	if (ret)
		return ret;
	memset(ev, 0, sizeof(*ev));
	ev->size = sizeof(*ev);
	ev->type = cmd;
	switch (cmd) {
	case VOIPWAKE_CMD_APP_WOKEN_NTF:
	case VOIPWAKE_CMD_APP_FROZEN_NTF:
	case VOIPWAKE_CMD_APP_THAWED_NTF:
	case VOIPWAKE_CMD_APP_FREEZE_TIMEOUT_NTF:
	case VOIPWAKE_CMD_APP_BACKGROUNDED_NTF:
	case VOIPWAKE_CMD_APP_FOREGROUNDED_NTF:
	case VOIPWAKE_CMD_APP_FREEZE_GATE_NTF:
		ret = vw_genl_attrs(nlh, cmd, &attrs, &len, why);
		if (!ret)
			ret = vw_app_attrs(attrs, len, &ev->app, ev, why);
		return ret;
	case VOIPWAKE_CMD_SOCK_CLOSED_NTF:
	case VOIPWAKE_CMD_SOCK_UNMARKED_NTF:
		ret = vw_genl_attrs(nlh, cmd, &attrs, &len, why);
		if (!ret)
			ret = vw_sock_attrs(attrs, len, &ev->sock, why);
		return ret;
	}
	*why = "not a notification this library knows";
	return -EOPNOTSUPP;
}

/**
 * vw_evq_push() - append an event
 * @q: queue
 * @ev: the event
 *
 * Return: true, or false (and the drop counted) if the queue is full.
 */
bool vw_evq_push(struct vw_evq *q, const struct vw_event *ev)
{
	if (q->count == VW_EVQ_LEN) {
		q->overflows++;
		return false;
	}
	q->slots[(q->head + q->count) % VW_EVQ_LEN] = *ev;
	q->count++;
	return true;
}

/**
 * vw_evq_pop() - take the oldest event
 * @q: queue
 * @ev: receives the event
 *
 * Return: true, or false if the queue is empty.
 */
bool vw_evq_pop(struct vw_evq *q, struct vw_event *ev)
{
	if (!q->count)
		return false;
	*ev = q->slots[q->head];
	q->head = (q->head + 1) % VW_EVQ_LEN;
	q->count--;
	return true;
}

/**
 * vw_evq_notify() - queue a notification met on the socket
 * @nlh: the message
 * @evq: struct vw_evq
 *
 * A vw_notify_fn: what the client hands to vw_xfer_notify() and
 * vw_ntf_feed(). Unknown notification types are skipped; malformed ones
 * are counted as dropped, as are those the full queue cannot take.
 */
void vw_evq_notify(const struct nlmsghdr *nlh, void *evq)
{
	struct vw_evq *q = evq;
	struct vw_event ev;
	const char *why;
	int ret;

	ret = vw_parse_event(nlh, &ev, &why);
	if (ret == -EOPNOTSUPP)
		return;
	if (ret) {
		q->malformed++;
		return;
	}
	vw_evq_push(q, &ev);
}
