/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CRC-32 (IEEE 802.3, the zlib/PNG one) for the test programs, so that
 * vw-peer and vw-app can compare what was sent with what arrived.
 */
#ifndef VW_TEST_CRC32_H
#define VW_TEST_CRC32_H

#include <stddef.h>
#include <stdint.h>

/*
 * Extends @crc (0 for an empty stream) over @len bytes at @buf. Returns
 * the same value as zlib's crc32(crc, buf, len).
 */
uint32_t crc32_update(uint32_t crc, const void *buf, size_t len);

#endif /* VW_TEST_CRC32_H */
