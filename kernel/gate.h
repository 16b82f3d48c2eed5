/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VOIPWAKE_GATE_H
#define _VOIPWAKE_GATE_H

#include <linux/types.h>

#include "app.h"

/* What a transition does to the freeze gate: vw_gate_verdict(). */
enum vw_gate_verdict {
	VW_GATE_PASS,		/* no gate: the transition goes on */
	VW_GATE_START,		/* a freeze to gate: open one, wait */
	VW_GATE_JOIN,		/* a gate is open: this waits with it */
	VW_GATE_CANCEL,		/* the gate ends; the transition goes on */
};

enum vw_gate_verdict vw_gate_verdict(unsigned int gate_ms, bool open,
				     enum voipwake_app_state cur,
				     enum vw_app_event ev,
				     enum vw_app_action act, bool extends);
int vw_gate_check_answer(bool open, u32 open_seq, u32 seq);

void vw_app_gate_start(struct vw_app *app, enum vw_app_event ev);
void vw_app_gate_cancel(struct vw_app *app);
void vw_app_gate_through(struct vw_app *app);
int vw_app_gate_answer(struct vw_app *app, u32 seq,
		       struct netlink_ext_ack *extack);
void vw_app_gate_set(struct vw_app *app, unsigned int ms);
void vw_app_gate_timeout_fn(struct work_struct *work);

#endif /* _VOIPWAKE_GATE_H */
