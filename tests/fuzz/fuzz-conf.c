// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for voipwaked's configuration parser, through its
 * public entry point alone (daemon/conf.h: conf_load() and
 * conf_free()), so that it keeps working while daemon/ is reworked:
 * an administrator's files are its input.
 *
 * Input: the files of a configuration directory, separated by lines that
 * are exactly "%%". The first is voipwaked.conf; each further one is
 * apps.d/appN.conf (up to FZ_APPS of them). They are written to a
 * directory of our own under /dev/shm (tmpfs: no disk I/O per run) and
 * loaded. A refusal must say what was wrong: a non-empty, terminated
 * message that names the file. Seeds: tests/fuzz/corpus/conf; conf.dict
 * holds the sections, keys and values the parser knows.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"

#define FZ_APPS		4
#define FZ_SEP		"\n%%\n"

static char dir[64];

static void cleanup(void)
{
	char path[128];
	int i;

	for (i = 0; i < FZ_APPS; i++) {
		snprintf(path, sizeof(path), "%s/apps.d/app%d.conf", dir, i);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/apps.d", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/" CONF_MAIN, dir);
	unlink(path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char apps[96];

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "/dev/shm/vw-fuzz-conf-XXXXXX");
	if (!mkdtemp(dir)) {
		snprintf(dir, sizeof(dir), "/tmp/vw-fuzz-conf-XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	snprintf(apps, sizeof(apps), "%s/apps.d", dir);
	if (mkdir(apps, 0700))
		abort();
	atexit(cleanup);
	return 0;
}

static void put(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "w");

	if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *end = data + size, *next;
	struct conf *conf = NULL;
	char path[128], err[512];
	int i, ret;

	for (i = -1; i < FZ_APPS; i++) {
		if (i < 0)
			snprintf(path, sizeof(path), "%s/" CONF_MAIN, dir);
		else
			snprintf(path, sizeof(path), "%s/apps.d/app%d.conf",
				 dir, i);
		if (data > end) {
			unlink(path);
			continue;
		}
		next = memmem(data, end - data, FZ_SEP, strlen(FZ_SEP));
		put(path, data, (next ? next : end) - data);
		data = next ? next + strlen(FZ_SEP) : end + 1;
	}

	memset(err, 'x', sizeof(err));
	ret = conf_load(dir, &conf, err, sizeof(err));
	if (ret) {
		/* Bad input gets a clear error, naming its file. */
		if (!memchr(err, '\0', sizeof(err)) || !err[0] ||
		    !strstr(err, dir))
			abort();
		if (conf)
			abort();
		return 0;
	}
	/* A rule left out is said with its file (and line). */
	for (i = 0; i < (int)conf->nwarnings; i++)
		if (!strstr(conf->warnings[i], dir))
			abort();
	conf_free(conf);
	return 0;
}
