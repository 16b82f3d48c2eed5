// SPDX-License-Identifier: GPL-2.0
/*
 * What makes the tests/kunit/ test files one module, voipwake_kunit.ko: each
 * only declares its suites (kunit_test_suite()), and KUnit runs them
 * all when the module loads.
 */

#include <linux/module.h>

MODULE_DESCRIPTION("KUnit tests of voipwake, built with the code they test");
MODULE_LICENSE("GPL");
