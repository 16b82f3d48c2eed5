// SPDX-License-Identifier: GPL-2.0
/*
 * vw-notify PATH: plays systemd's side of sd_notify(3) for a daemon under
 * test. Binds a datagram socket at PATH (the daemon's NOTIFY_SOCKET) and
 * prints each message it receives on a line of its own, newlines inside
 * a message turned into spaces, until killed.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[4096];
	ssize_t n, i;
	int fd;

	if (argc != 2 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: vw-notify PATH\n");
		return 2;
	}
	strcpy(sa.sun_path, argv[1]);
	unlink(argv[1]);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("vw-notify");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	puts("listening");
	while ((n = recv(fd, buf, sizeof(buf) - 1, 0)) >= 0) {
		for (i = 0; i < n; i++)
			if (buf[i] == '\n')
				buf[i] = ' ';
		buf[n] = '\0';
		puts(buf);
	}
	perror("vw-notify: recv");
	return 1;
}
