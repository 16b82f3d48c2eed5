// SPDX-License-Identifier: GPL-2.0
/*
 * vw-runas UID CMD [ARG...]: run CMD as an unprivileged user (uid and gid
 * UID, no supplementary groups). Dropping from root to a non-zero uid
 * clears every capability, which is what the privilege tests need: a
 * plain user, not root with fewer bits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *end;
	unsigned long id;

	if (argc < 3) {
		fprintf(stderr, "usage: vw-runas UID CMD [ARG...]\n");
		return 2;
	}
	errno = 0;
	id = strtoul(argv[1], &end, 10);
	if (errno || *end || id == 0 || id > 0xfffffffeUL) {
		fprintf(stderr, "vw-runas: bad uid '%s'\n", argv[1]);
		return 2;
	}
	if (setgroups(0, NULL) || setresgid(id, id, id) ||
	    setresuid(id, id, id)) {
		fprintf(stderr, "vw-runas: cannot become %lu: %s\n", id,
			strerror(errno));
		return 1;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "vw-runas: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
