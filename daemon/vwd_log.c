// SPDX-License-Identifier: GPL-2.0
/*
 * voipwaked's log. Under systemd, stderr is a journal stream
 * ($JOURNAL_STREAM names it): then each message goes to the journal with
 * fields of its own (APP=, APP_ID=, CGROUP=, REASON=), which
 * "journalctl APP=phone" selects. Elsewhere (a test guest, a terminal)
 * it is one line on stderr with journald's "<N>" priority prefix and the
 * same fields after the message.
 */

#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include <systemd/sd-journal.h>

#include "vwd.h"

static bool to_journal;

/* systemd.exec(5): stderr is the journal if its device:inode match. */
void vwd_log_init(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	to_journal = js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 &&
		     !fstat(2, &st) && st.st_dev == dev && st.st_ino == ino;
}

uint64_t vwd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void emit(int prio, const char *app, const char *app_id,
		 const char *cgroup, const char *reason, const char *msg)
{
	if (to_journal) {
		sd_journal_send("MESSAGE=%s", msg, "PRIORITY=%d", prio,
				"SYSLOG_IDENTIFIER=" VWD_PROG,
				"APP=%s", app ? app : "",
				"APP_ID=%s", app_id ? app_id : "",
				"CGROUP=%s", cgroup ? cgroup : "",
				"REASON=%s", reason ? reason : "", NULL);
		return;
	}
	fprintf(stderr, "<%d>" VWD_PROG ": %s", prio, msg);
	if (app)
		fprintf(stderr, " APP=%s", app);
	if (app_id && app_id[0])
		fprintf(stderr, " APP_ID=%s", app_id);
	if (cgroup && cgroup[0])
		fprintf(stderr, " CGROUP=%s", cgroup);
	if (reason)
		fprintf(stderr, " REASON=%s", reason);
	fputc('\n', stderr);
}

static void vemit(int prio, const char *app, const char *app_id,
		  const char *cgroup, const char *reason, const char *fmt,
		  va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	emit(prio, app, app_id, cgroup, reason, buf);
}

void vwd_log(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vemit(prio, NULL, NULL, NULL, NULL, fmt, ap);
	va_end(ap);
}

void vwd_log_app(int prio, const struct vwd_inst *in, const char *reason,
		 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vemit(prio, vwd_inst_name(in), in->appid.id, in->shown, reason, fmt,
	      ap);
	va_end(ap);
}

void vwd_log_conf(int prio, const struct vwd_app *a, const char *reason,
		  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vemit(prio, a->conf.name, NULL, NULL, reason, fmt, ap);
	va_end(ap);
}
