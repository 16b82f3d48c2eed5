// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
/*
 * The library's own version, fixed at build time from the top-level
 * VERSION file.
 */

#include "voipwake.h"

#ifndef VW_LIB_VERSION
#error "VW_LIB_VERSION must be defined by the build (see lib/Makefile)"
#endif

const char *vw_library_version(void)
{
	return VW_LIB_VERSION;
}
