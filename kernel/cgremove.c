// SPDX-License-Identifier: GPL-2.0
/*
 * Learning that an app's cgroup was removed. cgroup.events cannot always
 * say so: since 7.x an rmdir succeeds while the cgroup still holds tasks
 * that are dead but not yet unlinked, and the emptying that follows finds
 * its file gone and notifies nobody; before that, an emptying within
 * cgroup.events' rate limit was put off on a timer that the rmdir
 * cancelled (timers.c looks again for that case).
 *
 * The rmdir itself is always announced to the directory it was removed
 * from (fsnotify_delete(), as inotify's IN_DELETE), once the cgroup is
 * already dying. So each watched app puts an fsnotify mark on its cgroup's
 * parent, as nfsd's file cache does on the inodes it caches, and any
 * directory removed there runs the collector, which takes the apps whose
 * cgroup is dying. The marks see removals through the superblock the
 * app's files were opened on, the one its manager uses.
 */

#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/fsnotify_backend.h>
#include <linux/slab.h>

#include "app.h"
#include "cgremove.h"

static struct fsnotify_group *vw_rm_group;

struct vw_rm_mark {
	struct fsnotify_mark fsn;
};

static int vw_rm_event(struct fsnotify_mark *mark, u32 mask,
		       struct inode *inode, struct inode *dir,
		       const struct qstr *name, u32 cookie)
{
	if (mask & FS_ISDIR)
		vw_apps_collect();
	return 0;
}

static void vw_rm_free_mark(struct fsnotify_mark *mark)
{
	kfree(container_of(mark, struct vw_rm_mark, fsn));
}

static const struct fsnotify_ops vw_rm_ops = {
	.handle_inode_event = vw_rm_event,
	.free_mark = vw_rm_free_mark,
};

/*
 * Marks the parent of the cgroup directory that holds @events (the app's
 * cgroup.events); app->mutex held. A failure costs only this watch.
 */
void vw_rm_watch_start(struct vw_app *app, struct file *events)
{
	struct dentry *cg, *parent;
	struct vw_rm_mark *m;

	if (app->rm_mark || !events)
		return;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return;
	fsnotify_init_mark(&m->fsn, vw_rm_group);
	m->fsn.mask = FS_DELETE;
	cg = dget_parent(events->f_path.dentry);
	parent = dget_parent(cg);
	if (parent != cg &&
	    !fsnotify_add_inode_mark(&m->fsn, d_inode(parent), 0))
		app->rm_mark = &m->fsn;
	dput(parent);
	dput(cg);
	if (!app->rm_mark)
		fsnotify_put_mark(&m->fsn);
}

/* The app is out of the table: its mark goes (freed once fsnotify is). */
void vw_rm_watch_stop(struct vw_app *app)
{
	if (!app->rm_mark)
		return;
	fsnotify_destroy_mark(app->rm_mark, vw_rm_group);
	fsnotify_put_mark(app->rm_mark);
	app->rm_mark = NULL;
}

int __init vw_rm_init(void)
{
	vw_rm_group = fsnotify_alloc_group(&vw_rm_ops, FSNOTIFY_GROUP_DUPS);
	return PTR_ERR_OR_ZERO(vw_rm_group);
}

/* Every mark destroyed (no app is left): no event can reach us after. */
void vw_rm_exit(void)
{
	fsnotify_wait_marks_destroyed();
	fsnotify_put_group(vw_rm_group);
}
