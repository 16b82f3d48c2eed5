# SPDX-License-Identifier: GPL-2.0
#
# Feature probes of the kernel voipwake is built against, for compat.h:
# each looks for an interface in the header that declares it and defines
# VW_HAVE_<FEATURE> when it is there. By feature, not version, because
# distributions backport; by grep, not a test compile, because a probe
# then costs nothing. A header that is not where it should be stops the
# build: a probe that quietly fails would pick the wrong branch.
#
# Included by ../Kbuild and tests/kunit/Kbuild, so the code under test
# compiles as it does in voipwake.ko.

# vw_probe HEADER,EXTENDED_REGEX,MACRO
vw_probe = $(if $(wildcard $(srctree)/include/$(1)),,$(error voipwake: no $(1) in $(srctree)/include to probe))$(if $(shell grep -qsE '$(2)' $(srctree)/include/$(1) && echo y),-D$(3))

# alarm_start() gave way to alarm_start_timer() (7.x).
ccflags-y += $(call vw_probe,linux/alarmtimer.h,\<alarm_start_timer\>,VW_HAVE_ALARM_START_TIMER)
# An alarm's callback said whether to restart it, up to 6.12 at least.
ccflags-y += $(call vw_probe,linux/alarmtimer.h,enum alarmtimer_restart,VW_HAVE_ALARMTIMER_RESTART)
# sock_i_uid() gave way to sk_uid() (7.x).
ccflags-y += $(call vw_probe,net/sock.h,inline kuid_t sk_uid\>,VW_HAVE_SK_UID)
# A workqueue says whether it is per-CPU or unbound; saying neither warns
# (7.x), where before per-CPU was the only default.
ccflags-y += $(call vw_probe,linux/workqueue.h,\<WQ_PERCPU\>,VW_HAVE_WQ_PERCPU)
# hrtimer_init() gave way to hrtimer_setup() (6.13).
ccflags-y += $(call vw_probe,linux/hrtimer.h,\<hrtimer_setup\>,VW_HAVE_HRTIMER_SETUP)
