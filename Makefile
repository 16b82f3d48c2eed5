# SPDX-License-Identifier: GPL-2.0
#
#   make                 voipwake.ko (against KDIR) and the userspace parts
#   make install         DESTDIR= PREFIX= honoured; install-module and
#                        install-userspace do each half (with DKMS,
#                        only the second: see dkms.conf)
#   make check           every test: unit, KUnit, static, and VM scenarios
#                        on 6.1, 6.12 and the debug kernel, two guests at
#                        a time (KERNELS=, VW_JOBS= override)
#   make kunit           KUnit tests in a debug kernel (KASAN, lockdep, ...)
#                        built from linux-source on first use
#   make dkms-check      build and install through DKMS (throwaway trees)
#   make vmtest          VM scenarios only (KERNELS="6.1 6.12", T=glob)
#   make demo            boot a guest and show voipwake at work
#   make bench           benchmarks in a guest per kernel, as a table and
#                        as JSON in build/bench/ (see performance.rst)
#   make fuzz            the userspace parsers under libFuzzer, FUZZ_SECONDS
#                        (10) each: libvoipwake's netlink codec and
#                        voipwaked's configuration (tests/fuzz)
#   make stress          long forms of the fuzz and race scenarios (a
#                        million fuzz messages, a minute per race, ten
#                        minutes per libFuzzer harness)
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
	$(MAKE) -C lib/glib
	$(MAKE) -C daemon
	$(MAKE) -C examples VOIPWAKE=tree

progs: userspace
	$(MAKE) -C tests/progs

install: install-module install-userspace

# Debian's DKMS keeps its voipwake.ko in updates/dkms/; a second one in
# updates/ would leave depmod to pick either. DKMS owns it, or we do.
install-module:
	@if ls $(DESTDIR)/lib/modules/$(KVER)/updates/dkms/voipwake.ko* \
		>/dev/null 2>&1; then \
		echo "voipwake.ko for $(KVER) is installed by DKMS: run" \
		     "'make install-userspace', or 'dkms remove voipwake/$(VERSION)' first" >&2; \
		exit 1; fi
	$(MAKE) module
	install -D -m644 voipwake.ko $(DESTDIR)$(MODDIR)/voipwake.ko
	$(if $(DESTDIR),,depmod -a $(KVER))

install-userspace: userspace
	$(MAKE) -C lib install
	$(MAKE) -C lib/glib install
	$(MAKE) -C daemon install

deps:
	scripts/deps.sh build unit headers vm static kbuild dkms fuzz

unit: userspace
	$(MAKE) -C tests/unit check

static:
	scripts/static-check.sh
	Documentation/man/check
	scripts/spec-check.py
	scripts/spec-check.py --self-test

fuzz:
	scripts/deps.sh build fuzz
	$(MAKE) -C tests/fuzz check

kunit:
	scripts/deps.sh build vm kbuild
	$(MAKE) progs
	tests/kunit/run

# The README's app example builds as the README says.
docs-check: userspace
	tests/docs/readme-example

# Builds and installs through real DKMS, in throwaway trees.
dkms-check:
	scripts/deps.sh dkms headers
	tests/dkms/run

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
	$(MAKE) fuzz
	$(MAKE) kunit
	$(MAKE) static
	$(MAKE) docs-check
	$(MAKE) dkms-check
	$(MAKE) harness-check
	KERNELS="$${KERNELS:-6.1 6.12 debug}" VW_JOBS="$${VW_JOBS:-2}" \
		$(MAKE) vmtest

# The same scenarios with VW_LONG=1 and room for it: their timeouts are
# raised in a copy, as the harness reads a scenario's own.
STRESS_DIR := $(CURDIR)/build/stress
stress: progs
	scripts/deps.sh fuzz
	$(MAKE) -C tests/fuzz check FUZZ_SECONDS=$${FUZZ_SECONDS:-600}
	rm -rf $(STRESS_DIR) && mkdir -p $(STRESS_DIR)
	for f in tests/vm/scenarios/fuzz-*.sh tests/vm/scenarios/race-*.sh; do \
		sed 's/^# vw-timeout: .*/# vw-timeout: 1200/' $$f \
			>$(STRESS_DIR)/$${f##*/} || exit 1; \
	done
	VW_SCEN_DIR=$(STRESS_DIR) VW_GUEST_ENV="VW_LONG=1 $$VW_GUEST_ENV" \
		tests/vm/run

demo: deps
	$(MAKE) progs
	VW_SCEN_DIR=$(CURDIR)/tests/vm/demo VW_SHOW=1 KERNELS="$${KERNELS:-6.12}" \
		tests/vm/run

# Not part of check: speed goals live only here. KERNELS as for vmtest.
bench:
	scripts/deps.sh build headers vm
	$(MAKE) progs
	$(MAKE) -C tests/bench bench

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tests/bench clean
	$(MAKE) -C lib clean
	$(MAKE) -C lib/glib clean
	$(MAKE) -C daemon clean
	$(MAKE) -C examples clean
	$(MAKE) -C tests/progs clean
	$(MAKE) -C tests/unit clean
	$(MAKE) -C tests/fuzz clean
	rm -rf build

.PHONY: all module userspace progs install install-module \
	install-userspace deps unit kunit static docs-check dkms-check vmtest \
	harness-check check demo bench stress clean fuzz
