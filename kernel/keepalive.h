/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _VOIPWAKE_KEEPALIVE_H
#define _VOIPWAKE_KEEPALIVE_H

#include <linux/types.h>

#include "kaplan.h"

struct vw_app;
struct workqueue_struct;

void vw_ka_init(struct workqueue_struct *wq);
void vw_ka_exit(void);

/* All with app->mutex held. */
void vw_ka_app_update(struct vw_app *app, bool restart);
bool vw_ka_app_absorb(struct vw_app *app);
bool vw_ka_app_window(struct vw_app *app, struct vw_ka_window *w);
unsigned int vw_ka_app_budget_ms(struct vw_app *app);

#endif /* _VOIPWAKE_KEEPALIVE_H */
