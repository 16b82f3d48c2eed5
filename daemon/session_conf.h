/* SPDX-License-Identifier: GPL-2.0 */
/*
 * voipwake-session's configuration: /etc/voipwake/session.conf, then the
 * user's $XDG_CONFIG_HOME/voipwake/session.conf, read with inih. Later
 * files override single values and add to lists; an empty list
 * assignment empties the list so far (as in systemd's unit files).
 * voipwake-session.conf(5) is the reference for every key.
 */
#ifndef VW_SESSION_CONF_H
#define VW_SESSION_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rules.h"

#define SESS_CONF_SYSTEM	"/etc/voipwake/session.conf"
#define SESS_CONF_USER		"voipwake/session.conf"	/* in XDG_CONFIG_HOME */
#define SESS_DELAY_DEF_US	(10 * 1000000ULL)	/* Android's freezer */
#define SESS_DELAY_MAX_US	(3600 * 1000000ULL)
#define SESS_RULES_MAX		16	/* MarkSockets= rules per app */

struct sess_idlist {
	char **ids;
	size_t n;
};

/* MarkSockets=ID RULE...: an app that does not mark its own sockets. */
struct sess_rules {
	char *id;
	struct rule rules[SESS_RULES_MAX];
	size_t n;
};

struct sess_conf {
	uint64_t delay_us;		/* BackgroundDelaySec= */
	bool freeze_all;		/* FreezeAll= */
	struct sess_idlist apps;	/* Apps= */
	struct sess_idlist exempt;	/* ExemptApps= */
	struct sess_rules *marks;	/* MarkSockets=, one per app ID */
	size_t nmarks;
	/* "FILE:LINE: what" of each bad rule, left out alone. */
	struct sess_idlist warnings;
};

/*
 * Reads @files in order (@n of them; a missing one is skipped). On
 * success *@out is a new configuration; on failure nothing is kept and
 * @err says "FILE:LINE: what was wrong". A bad MarkSockets= rule is no
 * failure: it is left out and said in (*@out)->warnings.
 */
int sess_conf_load(const char *const *files, size_t n, struct sess_conf **out,
		   char *err, size_t errlen);
void sess_conf_free(struct sess_conf *conf);

bool sess_conf_has(const struct sess_idlist *l, const char *id);

/* The app's MarkSockets= rules, or NULL. */
const struct sess_rules *sess_conf_rules(const struct sess_conf *c,
					 const char *id);

/* 1..SESS_ID_MAX printable characters, no white space: an app ID. */
bool sess_id_valid(const char *id);

#endif /* VW_SESSION_CONF_H */
