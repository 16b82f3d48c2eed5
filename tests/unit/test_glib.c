// SPDX-License-Identifier: GPL-2.0
/*
 * libvoipwake-glib without the module: VwClient around a handle on idle
 * netlink sockets, with events queued on it as the kernel's (or a
 * resync's) would be.
 * Its GSource must fire in the main context, each event become its
 * signal with the GSocket the wake names (weakly held: a socket freed or
 * closed is forgotten), a handler may dispose of the client mid-dispatch,
 * and every failure must be a VW_ERROR carrying libvoipwake's message.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "queue.h"
#include "vw-private.h"

#define APP	0x42

struct fixture {
	VwClient *client;
	struct vw_client *c;	/* its handle, for queueing */
	GSocket *sock;
	guint64 ino;
};

/* A UDP socket: anything with an inode stands in for a marked one. */
static GSocket *udp_socket(guint64 *ino)
{
	GError *error = NULL;
	GSocket *sock = g_socket_new(G_SOCKET_FAMILY_IPV4,
				     G_SOCKET_TYPE_DATAGRAM,
				     G_SOCKET_PROTOCOL_UDP, &error);
	struct stat st;

	assert_null(error);
	assert_int_equal(fstat(g_socket_get_fd(sock), &st), 0);
	*ino = st.st_ino;
	return sock;
}

static int setup(void **state)
{
	struct fixture *f = g_new0(struct fixture, 1);
	GError *error = NULL;

	f->client = g_object_new(VW_TYPE_CLIENT, NULL);
	f->c = idle_client();
	assert_true(vw_client_attach(f->client, f->c, &error));
	assert_null(error);
	f->sock = udp_socket(&f->ino);
	vw_client_remember(f->client, f->ino, f->sock);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	g_clear_object(&f->sock);
	g_clear_object(&f->client);
	g_free(f);
	return 0;
}

/* Runs the main context until nothing is left to do. */
static void drain(void)
{
	while (g_main_context_iteration(NULL, FALSE))
		;
}

struct heard {
	unsigned int woken, frozen, thawed, resync;
	unsigned int backgrounded, foregrounded, unmarked;
	char order[8];		/* 'b' and 'f', as they came */
	GSocket *unmarked_socket;
	guint64 unmarked_ino;
	VwWakeReason reason;
	GSocket *socket;
	guint bytes;
	gboolean keepalive;
	gboolean dispose;	/* the woken handler disposes of the client */
};

static void on_woken(VwClient *client, VwWakeReason reason, GSocket *socket,
		     guint bytes, gboolean keepalive, struct heard *h)
{
	h->woken++;
	h->reason = reason;
	h->socket = socket;
	h->bytes = bytes;
	h->keepalive = keepalive;
	if (h->dispose)
		g_object_run_dispose(G_OBJECT(client));
}

static void on_count(VwClient *client, unsigned int *n)
{
	(void)client;
	(*n)++;
}

static void on_state(VwClient *client, struct heard *h, char what)
{
	size_t n = strlen(h->order);

	(void)client;
	if (n + 1 < sizeof(h->order))
		h->order[n] = what;
	if (what == 'b')
		h->backgrounded++;
	else
		h->foregrounded++;
}

static void on_backgrounded(VwClient *client, struct heard *h)
{
	on_state(client, h, 'b');
}

static void on_foregrounded(VwClient *client, struct heard *h)
{
	on_state(client, h, 'f');
}

static void on_unmarked(VwClient *client, GSocket *socket, guint64 ino,
			struct heard *h)
{
	(void)client;
	h->unmarked++;
	h->unmarked_socket = socket;
	h->unmarked_ino = ino;
}

static void listen_all(VwClient *client, struct heard *h)
{
	g_signal_connect(client, "backgrounded", G_CALLBACK(on_backgrounded),
			 h);
	g_signal_connect(client, "foregrounded", G_CALLBACK(on_foregrounded),
			 h);
	g_signal_connect(client, "unmarked", G_CALLBACK(on_unmarked), h);
	g_signal_connect(client, "woken", G_CALLBACK(on_woken), h);
	g_signal_connect(client, "frozen", G_CALLBACK(on_count), &h->frozen);
	g_signal_connect(client, "thawed", G_CALLBACK(on_count), &h->thawed);
	g_signal_connect(client, "resync", G_CALLBACK(on_count), &h->resync);
}

/* A wake for the marked socket names that very GSocket. */
static void test_woken_names_socket(void **state)
{
	struct fixture *f = *state;
	struct heard h = { 0 };

	listen_all(f->client, &h);
	queue_woken_sock(f->c, APP, VOIPWAKE_WAKE_DATA, f->ino, 1400);
	drain();
	assert_int_equal(h.woken, 1);
	assert_int_equal(h.reason, VW_WAKE_REASON_DATA);
	assert_ptr_equal(h.socket, f->sock);
	assert_int_equal(h.bytes, 1400);
	assert_false(h.keepalive);

	/* Another socket's wake, and a keep-alive's, name none. */
	queue_woken_sock(f->c, APP, VOIPWAKE_WAKE_CLOSE, f->ino + 1, 0);
	drain();
	assert_int_equal(h.woken, 2);
	assert_int_equal(h.reason, VW_WAKE_REASON_CLOSE);
	assert_null(h.socket);
	queue_woken(f->c, APP, VOIPWAKE_WAKE_KEEPALIVE, 1);
	drain();
	assert_int_equal(h.woken, 3);
	assert_int_equal(h.reason, VW_WAKE_REASON_KEEPALIVE);
	assert_null(h.socket);
	assert_true(h.keepalive);
}

/*
 * Frozen, thawed and a resync each have their signal; nothing else leaks
 * out. A resync event is what vw_dispatch() makes up after a loss (it
 * needs the module to re-read the app): queued here as it would be.
 */
static void test_frozen_thawed_resync(void **state)
{
	struct fixture *f = *state;
	struct vw_event resync = {
		.size = sizeof(resync), .type = VW_EVENT_RESYNC,
		.app = { .size = sizeof(resync.app),
			 .present = VW_APP_HAS_CGROUP_ID, .cgroup_id = APP },
	};
	struct heard h = { 0 };

	listen_all(f->client, &h);
	queue_ntf(f->c, VOIPWAKE_CMD_APP_FROZEN_NTF, APP);
	queue_ntf(f->c, VOIPWAKE_CMD_APP_THAWED_NTF, APP);
	queue_ntf(f->c, VOIPWAKE_CMD_APP_FROZEN_NTF, APP);
	queue_ntf(f->c, VOIPWAKE_CMD_APP_FREEZE_TIMEOUT_NTF, APP);
	assert_true(vw_evq_push(&f->c->queue, &resync));
	vw_client_sync_evfd(f->c);
	drain();
	assert_int_equal(h.frozen, 2);
	assert_int_equal(h.thawed, 1);
	assert_int_equal(h.resync, 1);
	assert_int_equal(h.woken, 0);
}

/* The client holds no reference: a freed socket is forgotten. */
static void test_socket_freed(void **state)
{
	struct fixture *f = *state;
	struct heard h = { 0 };

	listen_all(f->client, &h);
	g_clear_object(&f->sock);
	queue_woken_sock(f->c, APP, VOIPWAKE_WAKE_DATA, f->ino, 10);
	drain();
	assert_int_equal(h.woken, 1);
	assert_null(h.socket);
}

/*
 * A close the module reports is forgotten too, weak reference and all:
 * freeing the socket later must not call into the client (valgrind).
 */
static void test_socket_closed(void **state)
{
	struct fixture *f = *state;
	struct heard h = { 0 };

	listen_all(f->client, &h);
	queue_closed(f->c, f->ino, APP);
	queue_woken_sock(f->c, APP, VOIPWAKE_WAKE_DATA, f->ino, 10);
	drain();
	assert_int_equal(h.woken, 1);
	assert_null(h.socket);
	g_clear_object(&f->client);
	g_clear_object(&f->sock);
}

/* Background and foreground each have their signal, in their order. */
static void test_backgrounded_foregrounded(void **state)
{
	struct fixture *f = *state;
	struct heard h = { 0 };

	listen_all(f->client, &h);
	queue_ntf(f->c, VW_EVENT_BACKGROUNDED, APP);
	queue_ntf(f->c, VOIPWAKE_CMD_APP_FROZEN_NTF, APP);
	queue_ntf(f->c, VW_EVENT_FOREGROUNDED, APP);
	queue_ntf(f->c, VW_EVENT_BACKGROUNDED, APP);
	drain();
	assert_string_equal(h.order, "bfb");
	assert_int_equal(h.frozen, 1);
	assert_int_equal(h.unmarked + h.woken + h.thawed, 0);
}

/*
 * An unmark by someone else names the GSocket marked here, then forgets
 * it as a close does: its later wakes name none, and freeing it later
 * must not call into the client (valgrind). Another socket's names none.
 */
static void test_unmarked(void **state)
{
	struct fixture *f = *state;
	struct heard h = { 0 };

	listen_all(f->client, &h);
	queue_sock_ntf(f->c, VW_EVENT_UNMARKED, f->ino, APP);
	drain();
	assert_int_equal(h.unmarked, 1);
	assert_ptr_equal(h.unmarked_socket, f->sock);
	assert_true(h.unmarked_ino == f->ino);
	queue_sock_ntf(f->c, VW_EVENT_UNMARKED, f->ino, APP);
	queue_woken_sock(f->c, APP, VOIPWAKE_WAKE_DATA, f->ino, 10);
	drain();
	assert_int_equal(h.unmarked, 2);
	assert_null(h.unmarked_socket);
	assert_int_equal(h.woken, 1);
	assert_null(h.socket);
	assert_int_equal(h.backgrounded + h.foregrounded, 0);
	g_clear_object(&f->client);
	g_clear_object(&f->sock);
}

/* A handler may dispose of the client in the middle of a dispatch. */
static void test_dispose_in_handler(void **state)
{
	struct fixture *f = *state;
	struct heard h = { .dispose = TRUE };
	GError *error = NULL;

	listen_all(f->client, &h);
	queue_woken_sock(f->c, APP, VOIPWAKE_WAKE_DATA, f->ino, 1);
	queue_woken_sock(f->c, APP, VOIPWAKE_WAKE_DATA, f->ino, 2);
	drain();
	/* Disposed: the dispatch ends unheard, then nothing more. */
	assert_int_equal(h.woken, 1);
	drain();
	assert_int_equal(h.woken, 1);
	assert_false(vw_client_done(f->client, &error));
	assert_int_equal(error->domain, VW_ERROR);
	assert_int_equal(error->code, VW_ERROR_FAILED);
	assert_non_null(strstr(error->message, "disposed"));
	g_error_free(error);
}

/*
 * Without the module, construction fails as NOT_LOADED with the
 * library's advice. Skipped where voipwake is loaded (a developer's own
 * machine): CI's host cannot load modules.
 */
static void test_not_loaded(void **state)
{
	GError *error = NULL;
	VwClient *client;

	(void)state;
	if (access("/sys/module/voipwake", F_OK) == 0)
		skip();
	client = vw_client_new(NULL, &error);
	assert_null(client);
	assert_non_null(error);
	assert_int_equal(error->domain, VW_ERROR);
	assert_int_equal(error->code, VW_ERROR_NOT_LOADED);
	assert_non_null(strstr(error->message, "modprobe voipwake"));
	g_error_free(error);
}

/* A client nobody initialised refuses every call, and says why. */
static void test_uninitialised(void **state)
{
	VwClient *client = g_object_new(VW_TYPE_CLIENT, NULL);
	GError *error = NULL;
	guint64 ino;
	GSocket *sock = udp_socket(&ino);

	(void)state;
	assert_false(vw_client_mark_socket(client, sock, VW_WAKE_ON_DEFAULT,
					   &error));
	assert_int_equal(error->code, VW_ERROR_FAILED);
	assert_non_null(strstr(error->message, "not initialised"));
	g_clear_error(&error);
	assert_null(vw_client_get_status(client, &error));
	assert_int_equal(error->code, VW_ERROR_FAILED);
	g_clear_error(&error);
	assert_int_equal(vw_client_get_keepalive(client), 0);
	g_object_unref(sock);
	g_object_unref(client);
}

/*
 * The library's refusals, made before anything is sent: the code from
 * the errno, the message from vw_last_error().
 */
static void test_refusals_carry_message(void **state)
{
	struct fixture *f = *state;
	GError *error = NULL;

	/* Closed: its fd is -1, which libvoipwake refuses as EBADF. */
	assert_true(g_socket_close(f->sock, NULL));
	assert_false(vw_client_mark_socket(f->client, f->sock,
					   VW_WAKE_ON_DATA, &error));
	assert_int_equal(error->domain, VW_ERROR);
	assert_int_equal(error->code, VW_ERROR_INVALID_ARGUMENT);
	assert_string_equal(error->message, "socket fd -1 is negative");
	g_clear_error(&error);

	assert_false(vw_client_set_keepalive(f->client, 0, &error));
	assert_int_equal(error->code, VW_ERROR_INVALID_ARGUMENT);
	assert_non_null(strstr(error->message, "vw_clear_keepalive()"));
	g_clear_error(&error);
	assert_int_equal(vw_client_get_keepalive(f->client), 0);
}

static void test_error_codes(void **state)
{
	static const struct {
		int err;
		VwError code;
	} map[] = {
		{ ENOTSOCK, VW_ERROR_NOT_SUPPORTED },
		{ EAFNOSUPPORT, VW_ERROR_NOT_SUPPORTED },
		{ EPROTONOSUPPORT, VW_ERROR_NOT_SUPPORTED },
		{ EOPNOTSUPP, VW_ERROR_NOT_SUPPORTED },
		{ EPERM, VW_ERROR_PERMISSION_DENIED },
		{ EACCES, VW_ERROR_PERMISSION_DENIED },
		{ EINVAL, VW_ERROR_INVALID_ARGUMENT },
		{ ERANGE, VW_ERROR_INVALID_ARGUMENT },
		{ EBADF, VW_ERROR_INVALID_ARGUMENT },
		{ ENOENT, VW_ERROR_NOT_FOUND },
		{ EALREADY, VW_ERROR_EXISTS },
		{ EBUSY, VW_ERROR_BUSY },
		{ ENOSPC, VW_ERROR_NO_SPACE },
		{ ESTALE, VW_ERROR_STALE },
		{ ENOBUFS, VW_ERROR_EVENTS_LOST },
		{ EBADMSG, VW_ERROR_PROTOCOL },
		{ EPROTO, VW_ERROR_PROTOCOL },
		{ EMSGSIZE, VW_ERROR_PROTOCOL },
		{ ENOMEM, VW_ERROR_FAILED },
		{ EIO, VW_ERROR_FAILED },
	};
	GEnumClass *cls = g_type_class_ref(VW_TYPE_ERROR);
	struct vw_client *c = idle_client();
	GError *error = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < G_N_ELEMENTS(map); i++)
		assert_int_equal(vw_error_from_errno(map[i].err), map[i].code);
	/* Every code has a nick, for bindings and messages. */
	assert_int_equal(cls->n_values, VW_ERROR_PROTOCOL + 1);
	g_type_class_unref(cls);
	/* No message from the library: the errno's words. */
	assert_false(vw_error_take(&error, -EBUSY, c));
	assert_int_equal(error->code, VW_ERROR_BUSY);
	assert_string_equal(error->message, g_strerror(EBUSY));
	g_error_free(error);
	vw_close(c);
}

static void test_app_status(void **state)
{
	struct vw_app_info ai = {
		.size = sizeof(ai),
		.present = VW_APP_HAS_CGROUP_ID | VW_APP_HAS_STATE |
			   VW_APP_HAS_KEEPALIVE_S,
		.cgroup_id = APP, .state = VOIPWAKE_APP_STATE_AWAKE,
		.frozen = 0, .socks = 2, .wakes_data = 5,
		.wakes_keepalive = 3, .keepalive_s = 600,
		.keepalive_latest_ns = 12345,
	};
	g_autoptr(VwAppStatus) st = vw_app_status_new_from(&ai);
	g_autoptr(VwAppStatus) copy = NULL;

	(void)state;
	assert_true(st->cgroup_id == APP);
	assert_int_equal(st->state, VW_APP_STATE_AWAKE);
	assert_int_equal(st->socks, 2);
	assert_true(st->wakes_data == 5 && st->wakes_keepalive == 3);
	assert_int_equal(st->keepalive_s, 600);
	/* Not reported (no present bit): 0, not whatever was there. */
	assert_true(st->keepalive_latest_ns == 0);
	ai.present |= VW_APP_HAS_KEEPALIVE_LATEST_NS;
	g_clear_pointer(&st, vw_app_status_free);
	st = vw_app_status_new_from(&ai);
	assert_true(st->keepalive_latest_ns == 12345);
	copy = g_boxed_copy(VW_TYPE_APP_STATUS, st);
	assert_memory_equal(copy, st, sizeof(*st));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_woken_names_socket, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_backgrounded_foregrounded,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmarked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frozen_thawed_resync, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_socket_freed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_socket_closed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dispose_in_handler, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_refusals_carry_message,
						setup, teardown),
		cmocka_unit_test(test_not_loaded),
		cmocka_unit_test(test_uninitialised),
		cmocka_unit_test(test_error_codes),
		cmocka_unit_test(test_app_status),
	};

	/* A g_warning() or g_critical() is a failure, not a line of noise. */
	g_log_set_always_fatal(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);
	return cmocka_run_group_tests_name("libvoipwake-glib", tests, NULL,
					   NULL);
}
