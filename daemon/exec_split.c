// SPDX-License-Identifier: GPL-2.0
/* An app's Exec= as words: exec_split.h says who shares it, and why. */

#include <errno.h>

#include "exec_split.h"

int exec_split(const char *exec, wordexp_t *we)
{
	int ret = wordexp(exec, we, WRDE_NOCMD | WRDE_UNDEF);

	if (ret)
		return -EINVAL;
	if (!we->we_wordc) {
		wordfree(we);
		return -EINVAL;
	}
	return 0;
}
