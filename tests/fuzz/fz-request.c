// SPDX-License-Identifier: GPL-2.0
/* The request behind each fuzzed exchange: see fuzz-codec.h. */

#include <stdlib.h>

#include "codec.h"
#include "fuzz-codec.h"

void fz_request(int sel, void *buf, size_t len)
{
	static const uint32_t state = VOIPWAKE_APP_STATE_BACKGROUND;
	const struct vw_app_settings set = { .state = &state };
	int ret = 0;

	switch (sel) {
	case FZ_GETFAMILY:
		ret = vw_build_getfamily(buf, len, TEST_SEQ, VOIPWAKE_GENL_NAME);
		break;
	case FZ_INFO:
		ret = vw_build_info_get(buf, len, TEST_FAMILY, TEST_SEQ);
		break;
	case FZ_SOCK_MARK:
		ret = vw_build_sock_mark(buf, len, TEST_FAMILY, TEST_SEQ, 3, 0);
		break;
	case FZ_APP_GET:
		ret = vw_build_app_get(buf, len, TEST_FAMILY, TEST_SEQ, -1);
		break;
	case FZ_SOCK_DUMP:
		ret = vw_build_sock_dump(buf, len, TEST_FAMILY, TEST_SEQ);
		break;
	case FZ_APP_DUMP:
		ret = vw_build_app_dump(buf, len, TEST_FAMILY, TEST_SEQ);
		break;
	case FZ_ACK:
	case FZ_EVENTS:
		ret = vw_build_app_set(buf, len, TEST_FAMILY, TEST_SEQ, 4, &set);
		break;
	}
	if (ret)
		abort();
}
