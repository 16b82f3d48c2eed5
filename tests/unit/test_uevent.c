// SPDX-License-Identifier: GPL-2.0
/*
 * daemon/uevent.c's socket filter, on a datagram socket pair: what the
 * kernel would send for the module's loading and unloading comes
 * through, every other uevent (another module's, a battery's, a module
 * whose name starts the same) is dropped before the reader wakes.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "uevent.h"

static const char *passes(int tx, int rx, const char *msg, size_t len)
{
	static char buf[256];
	ssize_t n;

	assert_int_equal(send(tx, msg, len, 0), (ssize_t)len);
	n = recv(rx, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	if (n < 0) {
		assert_int_equal(errno, EAGAIN);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

#define MSG(s)	s, sizeof(s)

static void test_filter(void **state)
{
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	assert_int_equal(uevent_filter_module(sv[1], "voipwake"), 0);
	assert_non_null(passes(sv[0], sv[1],
			       MSG("add@/module/voipwake\0ACTION=add\0DEVPATH=/module/voipwake")));
	assert_non_null(passes(sv[0], sv[1],
			       MSG("remove@/module/voipwake\0ACTION=remove")));
	assert_null(passes(sv[0], sv[1],
			   MSG("change@/devices/platform/battery/power_supply/BAT0\0ACTION=change")));
	assert_null(passes(sv[0], sv[1], MSG("add@/module/veth\0ACTION=add")));
	assert_null(passes(sv[0], sv[1],
			   MSG("add@/module/voipwake_test\0ACTION=add")));
	assert_null(passes(sv[0], sv[1], MSG("add@/module/voipwak")));
	assert_null(passes(sv[0], sv[1], MSG("bind@/module/voipwake\0ACTION=bind")));
	assert_null(passes(sv[0], sv[1], "", 1));
	assert_int_equal(uevent_filter_module(sv[1],
		"a-module-name-longer-than-any-the-kernel-allows-for-its-own"),
		-ENAMETOOLONG);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter),
	};

	return cmocka_run_group_tests_name("uevent", tests, NULL, NULL);
}
