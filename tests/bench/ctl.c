// SPDX-License-Identifier: GPL-2.0
/*
 * Control-path cost, each pair timed one call at a time, interleaved:
 *
 *   mark + unmark (two netlink round trips through libvoipwake) against
 *   one plain setsockopt() on the same socket, and against two INFO_GETs
 *   (the null round trip of this ABI: the floor of any request);
 *   background + foreground (APP_SET twice, on the wake figure's app, a
 *   real process) against two direct writes to its cgroup.freeze.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <voipwake.h>

#include "bench.h"

static double mark_unmark(struct vw_client *c, int fd)
{
	uint64_t t0 = mono_ns();
	int err = vw_mark_socket(c, fd, 0, NULL);

	if (!err)
		err = vw_unmark_socket(c, fd);
	if (err)
		dief("mark/unmark: %s (%s)", strerror(-err),
		     vw_last_error(c) ?: "");
	return mono_ns() - t0;
}

static double plain_setsockopt(int fd, int *on)
{
	uint64_t t0 = mono_ns();

	*on = !*on;
	if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, on, sizeof(*on)))
		die("setsockopt");
	return mono_ns() - t0;
}

static double two_info_gets(struct vw_client *c)
{
	struct vw_info info = { .size = sizeof(info) };
	uint64_t t0 = mono_ns();

	if (vw_get_info(c, &info) || vw_get_info(c, &info))
		dief("INFO_GET: %s", vw_last_error(c) ?: "");
	return mono_ns() - t0;
}

static double bg_fg(struct wake_ctx *w)
{
	uint64_t t0 = mono_ns();
	int err = vw_app_set_state(w->c, w->cgfd, VOIPWAKE_APP_STATE_BACKGROUND);

	if (!err)
		err = vw_app_set_state(w->c, w->cgfd,
				       VOIPWAKE_APP_STATE_FOREGROUND);
	if (err)
		dief("background/foreground: %s", strerror(-err));
	t0 = mono_ns() - t0;
	cg_wait_frozen(w->events_fd, 0);
	return t0;
}

static double two_writes(struct wake_ctx *w)
{
	uint64_t t0 = mono_ns();

	cg_write(w->freeze_fd, "1");
	cg_write(w->freeze_fd, "0");
	t0 = mono_ns() - t0;
	cg_wait_frozen(w->events_fd, 0);
	return t0;
}

void bench_ctl(const struct bench_opts *o, struct wake_ctx *w)
{
	struct series s[5] = { 0 };
	int n = o->fast ? 100 : 1000, i, k, order[5], on = 0, a, b;
	struct vw_client *c;

	if (vw_open(&c))
		dief("vw_open");
	tcp_pair(&a, &b);
	for (i = -20; i < n; i++) {
		for (k = 0; k < 5; k++)
			order[k] = k;
		shuffle(order, 5);
		for (k = 0; k < 5; k++) {
			double ns;

			switch (order[k]) {
			case 0:
				ns = mark_unmark(c, a);
				break;
			case 1:
				ns = plain_setsockopt(a, &on);
				break;
			case 2:
				ns = bg_fg(w);
				break;
			case 4:
				ns = two_info_gets(c);
				break;
			default:
				ns = two_writes(w);
			}
			if (i >= 0)
				series_add(&s[order[k]], ns / 1000);
		}
	}
	report_series("ctl", "mark + unmark (libvoipwake)", "us", &s[0]);
	report_series("ctl", "setsockopt(SO_KEEPALIVE)", "us", &s[1]);
	report_series("ctl", "background + foreground (APP_SET x2)", "us",
		      &s[2]);
	report_series("ctl", "two writes to cgroup.freeze", "us", &s[3]);
	report_series("ctl", "two INFO_GETs (libvoipwake)", "us", &s[4]);
	report_ratio_ci("ctl", "mark+unmark / setsockopt", &s[0], &s[1],
			"<= 4", 4);
	report_ratio_ci("ctl", "mark+unmark / two INFO_GETs", &s[0], &s[4],
			"<= 2.5", 2.5);
	report_ratio_ci("ctl", "background+foreground / two freeze writes",
			&s[2], &s[3], NULL, 0);
	for (k = 0; k < 5; k++)
		series_free(&s[k]);
	close(a);
	close(b);
	vw_close(c);
}
