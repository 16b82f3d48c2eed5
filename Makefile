# SPDX-License-Identifier: GPL-2.0
#
#   make                 voipwake.ko (against KDIR) and the userspace parts
#   make install         DESTDIR= PREFIX= honoured
#   make check           every test: unit, KUnit, static, and VM scenarios
#                        on 6.1, 6.12 and the debug kernel, two guests at
#                        a time (KERNELS=, VW_JOBS= override)
#   make kunit           KUnit tests in a debug kernel (KASAN, lockdep, ...)
#                        built from linux-source on first use
#   make vmtest          VM scenarios only (KERNELS="6.1 6.12", T=glob)
#   make demo            boot a guest and show voipwake at work
#   make bench           benchmarks (keep-alive coalescing, for now)
#
# make check, make kunit and make demo install the Debian packages they
# need first (scripts/deps.sh), so each works on a fresh Debian 12 machine.

VERSION := $(shell cat VERSION)
MAKEFLAGS += --no-print-directory
PREFIX ?= /usr/local
KDIR ?= $(shell scripts/kdir.sh)
KVER ?= $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
MODDIR ?= /lib/modules/$(KVER)/updates

export PREFIX DESTDIR

all: module userspace

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

userspace:
	$(MAKE) -C lib
	$(MAKE) -C daemon
	$(MAKE) -C examples VOIPWAKE=tree

progs: userspace
	$(MAKE) -C tests/progs

install: all
	install -D -m644 voipwake.ko $(DESTDIR)$(MODDIR)/voipwake.ko
	$(if $(DESTDIR),,depmod -a $(KVER))
	$(MAKE) -C lib install
	$(MAKE) -C daemon install

deps:
	scripts/deps.sh build unit headers vm static kbuild

unit: userspace
	$(MAKE) -C tests/unit check

static:
	scripts/static-check.sh
	Documentation/man/check

kunit:
	scripts/deps.sh build vm kbuild
	$(MAKE) progs
	tests/kunit/run

vmtest: progs
	tests/vm/run

# The harness's own test: it must fail what should fail.
harness-check: progs
	tests/vm/check-harness

# Sequential on purpose: each stage's failure should be the last thing
# on the screen, and the VM summary the very last line. Within vmtest,
# the debug kernel's guests (CPU-bound) overlap the cloud kernels' (which
# mostly wait on timers): two at a time took a quarter off the time of a
# sample of scenarios on all three kernels, on 2 cores.
check: deps
	$(MAKE) all
	$(MAKE) unit
	$(MAKE) kunit
	$(MAKE) static
	$(MAKE) harness-check
	KERNELS="$${KERNELS:-6.1 6.12 debug}" VW_JOBS="$${VW_JOBS:-2}" \
		$(MAKE) vmtest

demo: deps
	$(MAKE) progs
	VW_SCEN_DIR=$(CURDIR)/tests/vm/demo VW_SHOW=1 KERNELS="$${KERNELS:-6.12}" \
		tests/vm/run

bench:
	scripts/deps.sh build
	$(MAKE) -C tests/bench bench

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tests/bench clean
	$(MAKE) -C lib clean
	$(MAKE) -C daemon clean
	$(MAKE) -C examples clean
	$(MAKE) -C tests/progs clean
	$(MAKE) -C tests/unit clean
	rm -rf build

.PHONY: all module userspace progs install deps unit kunit static vmtest \
	harness-check check demo bench clean
