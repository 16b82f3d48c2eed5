/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by vw-peer, vw-app and vw-sock. Nothing here needs
 * libvoipwake, so vw-peer does not link it.
 */
#ifndef VW_TEST_UTIL_H
#define VW_TEST_UTIL_H

#include <stdint.h>
#include <sys/socket.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t mono_ns(void);

/* printf() one line to stdout and flush it at once. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "error what=WHAT errno=NAME" (@err a positive errno), exits 1. */
void fail(const char *what, int err) __attribute__((noreturn));

/* "ECONNRESET" for ECONNRESET (a positive errno); never NULL. */
const char *errname(int err);

/* Decimal, 0x hex or 0 octal, whole string, fits in 32 bits: 0 or -EINVAL. */
int parse_u32(const char *s, uint32_t *out);

/*
 * Wake reason bits (1 << VOIPWAKE_WAKE_*): a comma-separated list of
 * data, close, error, keepalive, or a plain number (so tests can pass
 * bits the module must refuse). 0 or -EINVAL.
 */
int parse_wake_on(const char *s, uint32_t *out);

/* Writes our pid to PATH/cgroup.procs: 0 or -errno. */
int join_cgroup(const char *path);

/* 127.0.0.1 or ::1 (@family AF_INET or AF_INET6) and @port; its length. */
socklen_t loopback_addr(struct sockaddr_storage *ss, int family,
			uint16_t port);

/* The port of an AF_INET or AF_INET6 address, host order. */
unsigned int sock_port(const struct sockaddr_storage *ss);

/* Creates (empty) FILE: 0 or -errno. */
int touch(const char *file);

#endif /* VW_TEST_UTIL_H */
