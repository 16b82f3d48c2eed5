#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Prints the kernel build directory to build against when KDIR is not
# given: the running kernel's, else the newest installed Debian cloud
# kernel headers (on a build host the running kernel is often not the
# target, and may have no headers at all).

running=/lib/modules/$(uname -r)/build
if [ -d "$running" ]; then
	echo "$running"
	exit 0
fi
newest=$(ls -d /lib/modules/*-cloud-amd64/build 2>/dev/null | sort -V | tail -n1)
if [ -n "$newest" ]; then
	echo "$newest"
	exit 0
fi
echo "no kernel headers: install linux-headers-cloud-amd64 or pass KDIR=" >&2
exit 1
