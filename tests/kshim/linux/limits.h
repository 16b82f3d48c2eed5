/* SPDX-License-Identifier: GPL-2.0 */
/* See types.h beside this file. */
#ifndef _VW_KSHIM_LIMITS_H
#define _VW_KSHIM_LIMITS_H

#include <stdint.h>

#define U64_MAX UINT64_MAX

#endif /* _VW_KSHIM_LIMITS_H */
