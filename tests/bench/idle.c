// SPDX-License-Identifier: GPL-2.0
/*
 * Idle cost: what the module does while nothing happens. Ten apps are
 * frozen (five hold a marked UDP socket, five none), then tracefs records
 * every work item queued or run and every timer started, system-wide;
 * the runs and timers that are voipwake's (a symbol of the module, as
 * the trace prints it) are the module's wake-ups, reported per hour.
 * Target: none.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <voipwake.h>

#include "bench.h"

#define IDLE_APPS	10
#define TRACING		"/sys/kernel/tracing"

static const char *const idle_events[] = {
	"workqueue/workqueue_queue_work", "workqueue/workqueue_execute_start",
	"timer/timer_start", "timer/hrtimer_start",
};

static void trace_write(const char *file, const char *s)
{
	char p[256];
	int fd;

	snprintf(p, sizeof(p), TRACING "/%s", file);
	fd = open(p, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0 || write(fd, s, strlen(s)) < 0)
		dief("%s: %s", p, strerror(errno));
	close(fd);
}

static void trace_events(const char *on)
{
	char p[128];
	size_t i;

	for (i = 0; i < sizeof(idle_events) / sizeof(idle_events[0]); i++) {
		snprintf(p, sizeof(p), "events/%s/enable", idle_events[i]);
		trace_write(p, on);
	}
}

/* The module's lines in the trace; -1 if the trace lost events. */
static long trace_count_ours(unsigned long *all)
{
	unsigned long in = 0, written = 0;
	FILE *f = fopen(TRACING "/trace", "r");
	char line[1024], *e;
	long n = 0;

	if (!f)
		die(TRACING "/trace");
	while (fgets(line, sizeof(line), f)) {
		e = strstr(line, "entries-in-buffer/entries-written:");
		if (e)
			sscanf(e, "entries-in-buffer/entries-written: %lu/%lu",
			       &in, &written);
		/* A work item queued and run is one wake-up: count the run. */
		else if (line[0] != '#' && !strstr(line, "workqueue_queue_work") &&
			 (strstr(line, "vw_") || strstr(line, "[voipwake]")))
			n++;
	}
	fclose(f);
	*all = written;
	return in == written ? n : -1;
}

/* An app: a process in its cgroup, holding a marked socket if @mark. */
static pid_t idle_app(const char *cg, int mark)
{
	struct vw_client *c;
	pid_t pid = fork();
	int s;

	if (pid < 0)
		die("fork");
	if (pid)
		return pid;
	cg_join(cg);
	if (mark) {
		s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (s < 0 || vw_open(&c) || vw_mark_socket(c, s, 0, NULL))
			_exit(1);
	}
	for (;;)
		pause();
}

void bench_idle(const struct bench_opts *o)
{
	int secs = o->fast ? 10 : 60, i, cgfd[IDLE_APPS], ev;
	pid_t pid[IDLE_APPS];
	unsigned long all;
	struct vw_client *c;
	char cg[32];
	long n;

	if (access(TRACING "/trace", F_OK) &&
	    mount("nodev", TRACING, "tracefs", 0, NULL)) {
		note("idle: no tracefs (%s): not measured", strerror(errno));
		return;
	}
	if (vw_open(&c))
		dief("vw_open");
	for (i = 0; i < IDLE_APPS; i++) {
		snprintf(cg, sizeof(cg), "vwb-idle%d", i);
		cg_make(cg);
		pid[i] = idle_app(cg, i % 2);
		cgfd[i] = cg_open(cg);
	}
	/* Every app holds its process (and socket) before it is frozen. */
	usleep(500000);
	for (i = 0; i < IDLE_APPS; i++) {
		snprintf(cg, sizeof(cg), "vwb-idle%d", i);
		if (vw_app_set_state(c, cgfd[i], VOIPWAKE_APP_STATE_BACKGROUND))
			dief("idle: background %s: %s", cg, vw_last_error(c));
		ev = cg_open_file(cg, "cgroup.events", O_RDONLY);
		cg_wait_frozen(ev, 1);
		close(ev);
	}
	/* What the freezes themselves ran is over. */
	sleep(2);
	trace_write("tracing_on", "0");
	trace_write("trace", "");
	trace_write("buffer_size_kb", "8192");
	trace_events("1");
	trace_write("tracing_on", "1");
	sleep(secs);
	trace_write("tracing_on", "0");
	trace_events("0");
	n = trace_count_ours(&all);
	if (n < 0)
		note("idle: the trace lost events: not measured");
	else
		report_value("idle", "module wake-ups per hour, 10 frozen apps",
			     "/h", n * 3600.0 / secs, "0", n == 0);
	progress("idle: %ld of %lu traced events were the module's in %d s",
		 n, all, secs);
	for (i = 0; i < IDLE_APPS; i++) {
		vw_app_set_state(c, cgfd[i], VOIPWAKE_APP_STATE_FOREGROUND);
		kill(pid[i], SIGKILL);
		waitpid(pid[i], NULL, 0);
		close(cgfd[i]);
		snprintf(cg, sizeof(cg), CG_ROOT "/vwb-idle%d", i);
		rmdir(cg);
	}
	vw_close(c);
}
