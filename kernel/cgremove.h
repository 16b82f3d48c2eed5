/* SPDX-License-Identifier: GPL-2.0 */
#ifndef VW_CGREMOVE_H
#define VW_CGREMOVE_H

#include <linux/kconfig.h>

struct file;
struct vw_app;

/*
 * Without fsnotify (no distribution kernel lacks it) an app's removal is
 * learnt from cgroup.events alone, which 7.x does not always send.
 */
#if IS_ENABLED(CONFIG_FSNOTIFY)
void vw_rm_watch_start(struct vw_app *app, struct file *events);
void vw_rm_watch_stop(struct vw_app *app);
int vw_rm_init(void);
void vw_rm_exit(void);
#else
static inline void vw_rm_watch_start(struct vw_app *app, struct file *events)
{
}

static inline void vw_rm_watch_stop(struct vw_app *app)
{
}

static inline int vw_rm_init(void)
{
	return 0;
}

static inline void vw_rm_exit(void)
{
}
#endif

#endif
