/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VW_CGREMOVE_H
#define VW_CGREMOVE_H

struct file;
struct vw_app;

void vw_rm_watch_start(struct vw_app *app, struct file *events);
void vw_rm_watch_stop(struct vw_app *app);
int vw_rm_init(void);
void vw_rm_exit(void);

#endif
