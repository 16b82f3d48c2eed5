/* SPDX-License-Identifier: GPL-2.0 */
/* A uevent socket that hears one module come and go: see uevent.c. */
#ifndef UEVENT_H
#define UEVENT_H

#define UEVENT_NAME_MAX	56

/*
 * Attaches to @fd (a NETLINK_KOBJECT_UEVENT socket, or any datagram
 * socket in a test) a filter that passes only "add@/module/MODULE" and
 * "remove@/module/MODULE" messages. Return: 0, or -errno.
 */
int uevent_filter_module(int fd, const char *module);

#endif /* UEVENT_H */
