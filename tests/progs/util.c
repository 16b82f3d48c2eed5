// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/voipwake.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

const char *errname(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "EUNKNOWN";
}

void fail(const char *what, int err)
{
	say("error what=%s errno=%s", what, errname(err));
	exit(1);
}

int parse_u32(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (!*s || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > UINT32_MAX)
		return -EINVAL;
	*out = v;
	return 0;
}

static int wake_bit(const char *name, size_t len, uint32_t *bit)
{
	static const char *const names[] = {
		[VOIPWAKE_WAKE_DATA] = "data",
		[VOIPWAKE_WAKE_CLOSE] = "close",
		[VOIPWAKE_WAKE_ERROR] = "error",
		[VOIPWAKE_WAKE_KEEPALIVE] = "keepalive",
	};
	int i;

	for (i = 1; i <= VOIPWAKE_WAKE_MAX; i++) {
		if (names[i] && strlen(names[i]) == len &&
		    !strncmp(names[i], name, len)) {
			*bit = 1U << i;
			return 0;
		}
	}
	return -EINVAL;
}

int parse_wake_on(const char *s, uint32_t *out)
{
	uint32_t bits = 0, bit;
	size_t len;

	if (!parse_u32(s, out))
		return 0;
	while (*s) {
		len = strcspn(s, ",");
		if (wake_bit(s, len, &bit))
			return -EINVAL;
		bits |= bit;
		s += len;
		if (*s == ',' && *++s == '\0')
			return -EINVAL;
	}
	if (!bits)
		return -EINVAL;
	*out = bits;
	return 0;
}

int join_cgroup(const char *path)
{
	char file[4096], pid[32];
	int fd, len, ret = 0;
	ssize_t n;

	if (snprintf(file, sizeof(file), "%s/cgroup.procs", path) >=
	    (int)sizeof(file))
		return -ENAMETOOLONG;
	fd = open(file, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = snprintf(pid, sizeof(pid), "%d\n", getpid());
	n = write(fd, pid, len);
	if (n < 0)
		ret = -errno;
	else if (n != len)
		ret = -EIO;
	close(fd);
	return ret;
}

socklen_t loopback_addr(struct sockaddr_storage *ss, int family,
			uint16_t port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sin6->sin6_addr = in6addr_loopback;
		return sizeof(*sin6);
	}
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sizeof(*sin);
}

unsigned int sock_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return ntohs(((const struct sockaddr_in *)ss)->sin_port);
}

int touch(const char *file)
{
	int fd = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}
