// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's uevents for one module's loading and unloading, filtered
 * in the kernel (a classic BPF socket filter) so that no other uevent
 * wakes the process: a phone's kernel sends them all the time (a
 * battery's charge, say).
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/filter.h>

#include "uevent.h"

/*
 * Appends to @f a test of the uevent's first @len bytes against @s: a
 * match accepts the message, a mismatch goes on after the test. Words
 * while they last, then bytes.
 */
static size_t match(struct sock_filter *f, size_t n, const char *s,
		    size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, left;
	uint32_t v;
	int size;

	while (i < len) {
		if (len - i >= 4) {
			v = (uint32_t)u[i] << 24 | (uint32_t)u[i + 1] << 16 |
			    (uint32_t)u[i + 2] << 8 | u[i + 3];
			size = BPF_W;
		} else {
			v = u[i];
			size = BPF_B;
		}
		f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | size | BPF_ABS,
						      i);
		i += size == BPF_W ? 4 : 1;
		/* Tests still to come after this one, each two instructions. */
		left = (len - i) / 4 + (len - i) % 4;
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						      v, 0, 2 * left + 1);
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0xffff);
	return n;
}

int uevent_filter_module(int fd, const char *module)
{
	char add[UEVENT_NAME_MAX + 16], rm[UEVENT_NAME_MAX + 16];
	struct sock_filter f[2 * 2 * (sizeof(rm) + 1)];
	struct sock_fprog prog = { .filter = f };
	size_t n;

	if (strlen(module) > UEVENT_NAME_MAX)
		return -ENAMETOOLONG;
	/* The NUL after the path too: not voipwakeX. */
	n = snprintf(add, sizeof(add), "add@/module/%s", module);
	n = match(f, 0, add, n + 1);
	n = match(f, n, rm, snprintf(rm, sizeof(rm), "remove@/module/%s",
				     module) + 1);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0);
	prog.len = n;
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
			  sizeof(prog)) ? -errno : 0;
}

