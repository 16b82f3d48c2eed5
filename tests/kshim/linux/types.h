/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough of the kernel's types to build the module's pure sources
 * (kernel/kaplan.c) in userspace, for unit tests and benchmarks. Put this
 * directory first on the include path of those builds only.
 */
#ifndef _VW_KSHIM_TYPES_H
#define _VW_KSHIM_TYPES_H

#include <stdbool.h>
#include <stdint.h>

typedef uint64_t u64;

#endif /* _VW_KSHIM_TYPES_H */
