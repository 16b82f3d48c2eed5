/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An app's Exec= as words: shared by voipwaked, which checks it before it
 * asks systemd to start the app, and voipwake-app-exec, which execs it, so
 * that both read one line the same way.
 */
#ifndef EXEC_SPLIT_H
#define EXEC_SPLIT_H

#include <wordexp.h>

/*
 * Splits @exec as a shell would, without running anything: quotes,
 * backslashes, $VAR and ~ are honoured; a command substitution or an
 * undefined variable is refused. On success @we holds at least one word
 * (free it with wordfree()).
 *
 * Return: 0; -EINVAL if @exec cannot be split or has no word.
 */
int exec_split(const char *exec, wordexp_t *we);

#endif /* EXEC_SPLIT_H */
