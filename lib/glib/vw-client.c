// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * VwClient: a libvoipwake handle as a GObject. Its GSource watches
 * vw_fd() in the main context it was made in, and turns what
 * vw_dispatch() delivers into signals; the calls take GSockets and
 * report failures as GErrors of the VW_ERROR domain.
 */

#include <errno.h>
#include <glib-unix.h>

#include "vw-private.h"

/**
 * VwClient:
 *
 * A connection to the voipwake kernel module for an app: it marks the
 * app's sockets, sets its keep-alive, says when a wake is done, and
 * emits a signal for each of the module's events about the app.
 *
 * The signals are emitted in the thread-default #GMainContext of the
 * thread that made the client, from a #GSource watching the module's
 * events; use the client from that thread only.
 */
struct _VwClient {
	GObject parent_instance;

	struct vw_client *c;	/* NULL until initialised, and once closed */
	GMainContext *context;
	GSource *source;	/* watches vw_fd() */
	/* Marked sockets by inode, as the module names them; weak refs. */
	GHashTable *socks;
	guint keepalive_s;
	gboolean dispatching;	/* inside vw_dispatch() */
	gboolean disposed;
};

enum {
	PROP_0,
	PROP_KEEPALIVE,
	N_PROPS
};

enum {
	SIGNAL_WOKEN,
	SIGNAL_KEEPALIVE_DUE,
	SIGNAL_FROZEN,
	SIGNAL_THAWED,
	SIGNAL_RESYNC,
	SIGNAL_BACKGROUNDED,
	SIGNAL_FOREGROUNDED,
	SIGNAL_UNMARKED,
	N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

static void vw_client_initable_iface_init(GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(VwClient, vw_client, G_TYPE_OBJECT,
	G_IMPLEMENT_INTERFACE(G_TYPE_INITABLE, vw_client_initable_iface_init))

static void vw_client_sock_gone(gpointer data, GObject *where)
{
	VwClient *self = data;
	GHashTableIter it;
	gpointer sock;

	g_hash_table_iter_init(&it, self->socks);
	while (g_hash_table_iter_next(&it, NULL, &sock))
		if (sock == (gpointer)where)
			g_hash_table_iter_remove(&it);
}

/* Forgets @ino's socket: unmarked, or closed. */
static void vw_client_forget(VwClient *self, guint64 ino)
{
	GSocket *sock = g_hash_table_lookup(self->socks, &ino);

	if (!sock)
		return;
	g_object_weak_unref(G_OBJECT(sock), vw_client_sock_gone, self);
	g_hash_table_remove(self->socks, &ino);
}

/* The socket marked as @ino: named in the wakes it causes. */
void vw_client_remember(VwClient *self, guint64 ino, GSocket *sock)
{
	guint64 *key;

	/* Listed already: a close we missed, since reused. */
	vw_client_forget(self, ino);
	key = g_new(guint64, 1);
	*key = ino;
	g_object_weak_ref(G_OBJECT(sock), vw_client_sock_gone, self);
	g_hash_table_insert(self->socks, key, sock);
}

static void vw_client_forget_all(VwClient *self)
{
	GHashTableIter it;
	gpointer sock;

	g_hash_table_iter_init(&it, self->socks);
	while (g_hash_table_iter_next(&it, NULL, &sock)) {
		g_object_weak_unref(sock, vw_client_sock_gone, self);
		g_hash_table_iter_remove(&it);
	}
}

static GSocket *vw_client_sock_of(VwClient *self, const struct vw_event *ev)
{
	if (!(ev->present & VW_EVENT_HAS_SOCK_INO))
		return NULL;
	return g_hash_table_lookup(self->socks, &ev->sock_ino);
}

/* libvoipwake's event handler, run inside vw_dispatch(). */
static void vw_client_on_event(const struct vw_event *ev, void *arg)
{
	VwClient *self = arg;
	VwWakeReason reason;

	switch (ev->type) {
	case VOIPWAKE_CMD_APP_WOKEN_NTF:
		reason = ev->present & VW_EVENT_HAS_REASON &&
			 ev->reason <= VOIPWAKE_WAKE_MAX ?
			 (VwWakeReason)ev->reason : VW_WAKE_REASON_NONE;
		g_signal_emit(self, signals[SIGNAL_WOKEN], 0, reason,
			      vw_client_sock_of(self, ev), (guint)ev->bytes,
			      (gboolean)(ev->keepalive != 0));
		break;
	case VOIPWAKE_CMD_APP_FROZEN_NTF:
		g_signal_emit(self, signals[SIGNAL_FROZEN], 0);
		break;
	case VOIPWAKE_CMD_APP_THAWED_NTF:
		g_signal_emit(self, signals[SIGNAL_THAWED], 0);
		break;
	case VOIPWAKE_CMD_SOCK_CLOSED_NTF:
		vw_client_forget(self, ev->sock.ino);
		break;
	case VW_EVENT_BACKGROUNDED:
		g_signal_emit(self, signals[SIGNAL_BACKGROUNDED], 0);
		break;
	case VW_EVENT_FOREGROUNDED:
		g_signal_emit(self, signals[SIGNAL_FOREGROUNDED], 0);
		break;
	case VW_EVENT_UNMARKED:
		/* Named while still listed, then forgotten as at a close. */
		g_signal_emit(self, signals[SIGNAL_UNMARKED], 0,
			      g_hash_table_lookup(self->socks, &ev->sock.ino),
			      (guint64)ev->sock.ino);
		vw_client_forget(self, ev->sock.ino);
		break;
	case VW_EVENT_RESYNC:
		g_signal_emit(self, signals[SIGNAL_RESYNC], 0);
		break;
	}
}

/* libvoipwake's keep-alive handler, run inside vw_dispatch(). */
static void vw_client_on_keepalive(struct vw_client *c, void *arg)
{
	(void)c;
	g_signal_emit(arg, signals[SIGNAL_KEEPALIVE_DUE], 0);
}

static gboolean vw_client_ready(gint fd, GIOCondition cond, gpointer data)
{
	VwClient *self = data;
	int ret;

	(void)fd;
	(void)cond;
	/* A handler may drop the last reference, or dispose: not yet. */
	g_object_ref(self);
	self->dispatching = TRUE;
	ret = vw_dispatch(self->c);
	self->dispatching = FALSE;
	/*
	 * A loss was put right: VwClient::resync said so. Anything else is
	 * a failing recvmsg(), which the next readiness tries again.
	 */
	if (ret == -ENOBUFS)
		g_debug("voipwake: %s", vw_last_error(self->c));
	else if (ret < 0)
		g_warning("voipwake: reading events failed: %s",
			  vw_last_error(self->c) ?: g_strerror(-ret));
	if (self->disposed && self->c) {
		vw_close(self->c);
		self->c = NULL;
	}
	g_object_unref(self);
	return G_SOURCE_CONTINUE;
}

/*
 * vw_client_attach - make @c, an open libvoipwake handle, the handle of
 * @self (not yet initialised), and watch its events from the current
 * thread-default GMainContext. @c belongs to @self from then on; on
 * failure it is closed. Not public: the unit tests hand it a handle on
 * idle sockets, where vw_open() would need the module.
 */
gboolean vw_client_attach(VwClient *self, struct vw_client *c,
			  GError **error)
{
	int fd = vw_fd(c);

	if (fd < 0) {
		vw_error_take(error, fd, c);
		vw_close(c);
		return FALSE;
	}
	self->c = c;
	vw_set_event_handler(c, vw_client_on_event, self);
	self->context = g_main_context_ref_thread_default();
	self->source = g_unix_fd_source_new(fd, G_IO_IN);
	g_source_set_callback(self->source, G_SOURCE_FUNC(vw_client_ready),
			      self, NULL);
	g_source_set_static_name(self->source, "VwClient");
	g_source_attach(self->source, self->context);
	return TRUE;
}

static gboolean vw_client_initable_init(GInitable *initable,
					GCancellable *cancellable,
					GError **error)
{
	VwClient *self = VW_CLIENT(initable);
	struct vw_client *c;
	int ret;

	if (self->c)
		return TRUE;
	if (g_cancellable_set_error_if_cancelled(cancellable, error))
		return FALSE;
	ret = vw_open(&c);
	if (ret)
		return vw_error_set(error, ret == -ENOENT ?
				    VW_ERROR_NOT_LOADED :
				    vw_error_from_errno(-ret), ret, NULL);
	return vw_client_attach(self, c, error);
}

static void vw_client_initable_iface_init(GInitableIface *iface)
{
	iface->init = vw_client_initable_init;
}

/* What every call checks: a live client, or a GError saying it is not. */
static gboolean vw_client_usable(VwClient *self, GError **error)
{
	if (self->c && !self->disposed)
		return TRUE;
	g_set_error_literal(error, VW_ERROR, VW_ERROR_FAILED,
			    self->disposed ? "the VwClient was disposed of" :
			    "the VwClient was not initialised (g_initable_init())");
	return FALSE;
}

/**
 * vw_client_new:
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Connects to the voipwake kernel module (vw_open()). The client's signals
 * are emitted in the current thread-default #GMainContext.
 *
 * Returns: (transfer full): a new #VwClient, or %NULL with @error set:
 *   %VW_ERROR_NOT_LOADED if the module is not loaded
 */
VwClient *vw_client_new(GCancellable *cancellable, GError **error)
{
	return g_initable_new(VW_TYPE_CLIENT, cancellable, error, NULL);
}

/**
 * vw_client_mark_socket:
 * @self: a #VwClient
 * @socket: a connected TCP socket or a UDP socket, over IPv4 or IPv6
 * @wake_on: what the socket wakes the app for; %VW_WAKE_ON_DEFAULT for
 *   every reason
 * @error: return location for a #GError
 *
 * Asks the module to watch @socket while the app is in the background,
 * and to wake the app for it (vw_mark_socket()). The app's events come to
 * this client from then on. The client does not keep @socket alive:
 * closing it unmarks it.
 *
 * Returns: %TRUE once marked; %FALSE with @error set otherwise, e.g.
 *   %VW_ERROR_EXISTS if it is marked already, %VW_ERROR_NOT_SUPPORTED for
 *   a listening or non-IP socket, %VW_ERROR_NO_SPACE if the app marked as
 *   many sockets as it may
 */
gboolean vw_client_mark_socket(VwClient *self, GSocket *socket,
			       VwWakeOn wake_on, GError **error)
{
	struct vw_sock_info si = { .size = sizeof(si) };
	int ret;

	g_return_val_if_fail(VW_IS_CLIENT(self), FALSE);
	g_return_val_if_fail(G_IS_SOCKET(socket), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!vw_client_usable(self, error))
		return FALSE;
	ret = vw_mark_socket(self->c, g_socket_get_fd(socket), wake_on, &si);
	if (ret)
		return vw_error_take(error, ret, self->c);
	vw_client_remember(self, si.ino, socket);
	return TRUE;
}

static void vw_client_forget_sock(VwClient *self, GSocket *socket)
{
	GHashTableIter it;
	gpointer sock;

	g_hash_table_iter_init(&it, self->socks);
	while (g_hash_table_iter_next(&it, NULL, &sock)) {
		if (sock != socket)
			continue;
		g_object_weak_unref(sock, vw_client_sock_gone, self);
		g_hash_table_iter_remove(&it);
	}
}

/**
 * vw_client_unmark_socket:
 * @self: a #VwClient
 * @socket: a socket marked with vw_client_mark_socket()
 * @error: return location for a #GError
 *
 * Stops the module watching @socket (vw_unmark_socket()).
 *
 * Returns: %TRUE once unmarked; %FALSE with @error set otherwise, e.g.
 *   %VW_ERROR_NOT_FOUND if it was not marked
 */
gboolean vw_client_unmark_socket(VwClient *self, GSocket *socket,
				 GError **error)
{
	int ret;

	g_return_val_if_fail(VW_IS_CLIENT(self), FALSE);
	g_return_val_if_fail(G_IS_SOCKET(socket), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!vw_client_usable(self, error))
		return FALSE;
	ret = vw_unmark_socket(self->c, g_socket_get_fd(socket));
	/* Not marked (any more) is as good as unmarked for the table. */
	if (!ret || ret == -ENOENT)
		vw_client_forget_sock(self, socket);
	return ret ? vw_error_take(error, ret, self->c) : TRUE;
}

/* The keepalive property, notified when it changes. */
static void vw_client_keepalive_is(VwClient *self, guint timeout_s)
{
	if (self->keepalive_s == timeout_s)
		return;
	self->keepalive_s = timeout_s;
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_KEEPALIVE]);
}

/**
 * vw_client_set_keepalive:
 * @self: a #VwClient
 * @timeout_s: the longest the app may go without a keep-alive, in
 *   seconds: from the module's minimum (600 unless the administrator
 *   lowered it) to 3600
 * @error: return location for a #GError
 *
 * Asks the module to wake the app for a keep-alive, while it is in the
 * background, no later than @timeout_s after the last one
 * (vw_set_keepalive()). #VwClient::keepalive-due is emitted for each; the
 * app refreshes its connection, then calls vw_client_done(). Calling it
 * again replaces the timeout.
 *
 * Returns: %TRUE once set; %FALSE with @error set otherwise, e.g.
 *   %VW_ERROR_INVALID_ARGUMENT for a timeout out of bounds (0 included:
 *   see vw_client_clear_keepalive())
 */
gboolean vw_client_set_keepalive(VwClient *self, guint timeout_s,
				 GError **error)
{
	int ret;

	g_return_val_if_fail(VW_IS_CLIENT(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!vw_client_usable(self, error))
		return FALSE;
	ret = vw_set_keepalive(self->c, timeout_s, vw_client_on_keepalive,
			       self);
	if (ret)
		return vw_error_take(error, ret, self->c);
	vw_client_keepalive_is(self, timeout_s);
	return TRUE;
}

/**
 * vw_client_clear_keepalive:
 * @self: a #VwClient
 * @error: return location for a #GError
 *
 * Stops the keep-alive wakes (vw_clear_keepalive()).
 *
 * Returns: %TRUE once cleared; %FALSE with @error set otherwise
 */
gboolean vw_client_clear_keepalive(VwClient *self, GError **error)
{
	int ret;

	g_return_val_if_fail(VW_IS_CLIENT(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!vw_client_usable(self, error))
		return FALSE;
	ret = vw_clear_keepalive(self->c);
	if (ret)
		return vw_error_take(error, ret, self->c);
	vw_client_keepalive_is(self, 0);
	return TRUE;
}

/**
 * vw_client_get_keepalive:
 * @self: a #VwClient
 *
 * Returns: the keep-alive timeout set through @self, in seconds; 0 for
 *   none
 */
guint vw_client_get_keepalive(VwClient *self)
{
	g_return_val_if_fail(VW_IS_CLIENT(self), 0);
	return self->keepalive_s;
}

/**
 * vw_client_done:
 * @self: a #VwClient
 * @error: return location for a #GError
 *
 * Ends the app's wake now: the app is frozen again at once
 * (vw_wake_done()). The freeze takes the app inside this call, which
 * returns only when the app is next woken; the main loop then goes on,
 * and delivers that wake's signals. Call it last in a wake: after the
 * answer is sent and every expected reply read, as an iOS app calls its
 * completion handler.
 *
 * Returns: %TRUE at the next wake; %FALSE with @error set otherwise:
 *   %VW_ERROR_NOT_AWAKE if the app is not in a wake (the foreground, say,
 *   or the module does not know the app at all),
 *   %VW_ERROR_STALE if a keep-alive came meanwhile (the app stays awake,
 *   #VwClient::keepalive-due follows: refresh, then say done again)
 */
gboolean vw_client_done(VwClient *self, GError **error)
{
	int ret;

	g_return_val_if_fail(VW_IS_CLIENT(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!vw_client_usable(self, error))
		return FALSE;
	ret = vw_wake_done(self->c);
	/* Not in a wake, or not even an app the module knows. */
	if (ret == -EINVAL || ret == -ENOENT)
		return vw_error_set(error, VW_ERROR_NOT_AWAKE, ret, self->c);
	return ret ? vw_error_take(error, ret, self->c) : TRUE;
}

/**
 * vw_client_get_status:
 * @self: a #VwClient
 * @error: return location for a #GError
 *
 * Reads the calling process's own app from the module
 * (vw_app_get_own()): whether it is in the foreground, its keep-alive and
 * its wakes.
 *
 * Returns: (transfer full): the app's status, or %NULL with @error set:
 *   %VW_ERROR_NOT_FOUND if the module does not know the app (it has
 *   marked no socket and set no keep-alive)
 */
VwAppStatus *vw_client_get_status(VwClient *self, GError **error)
{
	struct vw_app_info ai = { .size = sizeof(ai) };
	int ret;

	g_return_val_if_fail(VW_IS_CLIENT(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!vw_client_usable(self, error))
		return NULL;
	ret = vw_app_get_own(self->c, &ai);
	if (ret) {
		vw_error_take(error, ret, self->c);
		return NULL;
	}
	return vw_app_status_new_from(&ai);
}

static void vw_client_get_property(GObject *object, guint prop_id,
				   GValue *value, GParamSpec *pspec)
{
	VwClient *self = VW_CLIENT(object);

	switch (prop_id) {
	case PROP_KEEPALIVE:
		g_value_set_uint(value, self->keepalive_s);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
	}
}

static void vw_client_dispose(GObject *object)
{
	VwClient *self = VW_CLIENT(object);

	self->disposed = TRUE;
	if (self->source) {
		g_source_destroy(self->source);
		g_clear_pointer(&self->source, g_source_unref);
	}
	vw_client_forget_all(self);
	/* Inside vw_dispatch(), vw_client_ready() closes it on its way out. */
	if (self->c && !self->dispatching) {
		vw_close(self->c);
		self->c = NULL;
	}
	G_OBJECT_CLASS(vw_client_parent_class)->dispose(object);
}

static void vw_client_finalize(GObject *object)
{
	VwClient *self = VW_CLIENT(object);

	g_hash_table_unref(self->socks);
	g_clear_pointer(&self->context, g_main_context_unref);
	G_OBJECT_CLASS(vw_client_parent_class)->finalize(object);
}

/* A signal that tells only that something happened: no arguments. */
static guint vw_signal_new(VwClientClass *klass, const char *name)
{
	return g_signal_new(name, G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST,
			    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void vw_client_class_init(VwClientClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = vw_client_get_property;
	object_class->dispose = vw_client_dispose;
	object_class->finalize = vw_client_finalize;

	/**
	 * VwClient:keepalive:
	 *
	 * The keep-alive timeout set through this client, in seconds; 0 for
	 * none.
	 */
	props[PROP_KEEPALIVE] =
		g_param_spec_uint("keepalive", NULL, NULL, 0, G_MAXUINT, 0,
				  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
				  G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, props);

	/**
	 * VwClient::woken:
	 * @self: the client
	 * @reason: why the app was woken
	 * @socket: (nullable): the marked socket that woke it, if it was
	 *   marked through this client and is still open
	 * @bytes: the bytes queued on that socket at the wake
	 * @keepalive: whether this wake is, or serves as, the app's keep-alive
	 *   (#VwClient::keepalive-due follows)
	 *
	 * The module woke the app: it runs until its wake window ends or it
	 * calls vw_client_done(). Read the socket, answer, then say done.
	 */
	signals[SIGNAL_WOKEN] =
		g_signal_new("woken", G_TYPE_FROM_CLASS(klass),
			     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
			     G_TYPE_NONE, 4, VW_TYPE_WAKE_REASON,
			     G_TYPE_SOCKET, G_TYPE_UINT, G_TYPE_BOOLEAN);

	/**
	 * VwClient::keepalive-due:
	 * @self: the client
	 *
	 * The app's keep-alive is due (see vw_client_set_keepalive()): send
	 * the protocol's keep-alive on the connection, read the answer, then
	 * call vw_client_done(). Emitted after #VwClient::woken, also when a
	 * keep-alive wake's event was lost.
	 */
	signals[SIGNAL_KEEPALIVE_DUE] = vw_signal_new(klass, "keepalive-due");

	/**
	 * VwClient::frozen:
	 * @self: the client
	 *
	 * The module froze the app. An app hears it when it runs again: at
	 * its next wake.
	 */
	signals[SIGNAL_FROZEN] = vw_signal_new(klass, "frozen");

	/**
	 * VwClient::thawed:
	 * @self: the client
	 *
	 * The module thawed the app: for a wake, or for the foreground.
	 */
	signals[SIGNAL_THAWED] = vw_signal_new(klass, "thawed");

	/**
	 * VwClient::resync:
	 * @self: the client
	 *
	 * Events about the app were lost (a full receive buffer, say), and
	 * the library re-read its state: read the marked sockets, whose wake
	 * may have been among them. A keep-alive among them still comes as
	 * #VwClient::keepalive-due.
	 */
	signals[SIGNAL_RESYNC] = vw_signal_new(klass, "resync");

	/**
	 * VwClient::backgrounded:
	 * @self: the client
	 *
	 * The app was moved to the background (iOS's
	 * applicationDidEnterBackground). It is told before it is frozen, so
	 * it hears it when it next runs: at its next wake, or as it comes
	 * back. Never emitted with a module that lacks
	 * VOIPWAKE_FEATURE_STATE_NTF.
	 */
	signals[SIGNAL_BACKGROUNDED] = vw_signal_new(klass, "backgrounded");

	/**
	 * VwClient::foregrounded:
	 * @self: the client
	 *
	 * The app is in the foreground again (iOS's
	 * applicationWillEnterForeground): it runs freely until it is next
	 * moved to the background. Follows #VwClient::backgrounded, once per
	 * return. Never emitted with a module that lacks
	 * VOIPWAKE_FEATURE_STATE_NTF.
	 */
	signals[SIGNAL_FOREGROUNDED] = vw_signal_new(klass, "foregrounded");

	/**
	 * VwClient::unmarked:
	 * @self: the client
	 * @socket: (nullable): the socket, if it was marked through this
	 *   client and is still open
	 * @inode: the socket's inode, as the module names it
	 *
	 * Someone else (the policy daemon, an administrator) took the mark
	 * of one of the app's sockets away: it wakes the app no more. An
	 * unmark through this client is not told. Never emitted with a
	 * module that lacks VOIPWAKE_FEATURE_UNMARK_NTF.
	 */
	signals[SIGNAL_UNMARKED] =
		g_signal_new("unmarked", G_TYPE_FROM_CLASS(klass),
			     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
			     G_TYPE_NONE, 2, G_TYPE_SOCKET, G_TYPE_UINT64);
}

static void vw_client_init(VwClient *self)
{
	self->socks = g_hash_table_new_full(g_int64_hash, g_int64_equal,
					    g_free, NULL);
}
