# SPDX-License-Identifier: GPL-2.0
#
#   make               module for the running kernel (KDIR= to override) and tools
#   make module|tools  one of them
#   make check         every test: unit tests, fuzzers, the QEMU kernel matrix
#   make demo          a QEMU VM that signs and loads real programs
#   make bench         the gate's cost per decision per kernel, beside native signing, boot time, the verifier (BENCHMARKS.md)
#   make install       module and tools into DESTDIR/PREFIX
#                      (install-module, install-tools: one of them)
#   make install-boot  arming at boot: gatekeeper-arm, /etc/gatekeeper,
#                      gatekeeper.service, the initramfs-tools hook
#   make deb           Debian packages gatekeeper-dkms and gatekeeper-tools into dist/
#   make clean
#
# WERROR=1 turns warnings into errors (the tests set it; a user's build on a
# newer compiler should not fail on a new warning).

KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
# bash-completion loads completions/TOOL when TOOL is first completed: one
# script (completion/gatekeeper) under the name of each tool.
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
CLANG ?= clang
BPFTOOL ?= bpftool
CC ?= cc

GK_VERSION := $(shell cat VERSION)
WERROR ?= 0
WERROR_FLAG := $(if $(filter 1,$(WERROR)),-Werror)
CFLAGS ?= -O2 -g
CFLAGS += -Wall -Wextra $(WERROR_FLAG) -std=gnu11 -Icore -Ilib
LDLIBS_TOOLS := -lcrypto -lbpf -lelf -lkeyutils -ljansson
BPF_CFLAGS = -g -O2 -target bpf -I/usr/include/$(shell $(CC) -dumpmachine)

BPF_HOOKS := fd:1 load:2 load_k:3
LSKELS := $(foreach h,$(BPF_HOOKS),gatekeeper/bpf/gate_$(word 1,$(subst :, ,$(h))).lskel.h) \
	gatekeeper/bpf/bpf/skel_internal.h
CORE_SRCS := core/digest.c core/bundle.c core/probe_catalogue.c
# The policy language: policy/ holds it and nothing else.
POLICY_SRCS := $(wildcard policy/*.c)
# One library for the tools (files, hex, keys and certificates, output,
# options, signing requests, the evidence formats), one folder per tool.
LIB_OBJS := $(patsubst %.c,%.o,$(wildcard lib/*.c))
LIBGK := lib/libgk.a
GKSIGN := tools/gk-sign/gk-sign
GKCTL := tools/gkctl/gkctl
GKVERIFY := tools/gk-verify/gk-verify
TOOLS := $(GKSIGN) $(GKCTL) $(GKVERIFY)
TEST_PROGS := $(patsubst %.c,%.o,$(wildcard tests/progs/*.bpf.c)) tests/progs/gk-load tests/progs/gk-raw \
	tests/progs/gk-hook tests/progs/gk-native

.PHONY: all module tools skeletons check demo bench install install-module install-tools install-boot deb clean
all: module tools

gatekeeper/bpf/gate_%.bpf.o: gatekeeper/bpf/gate.bpf.c
	$(CLANG) $(BPF_CFLAGS) -DGK_HOOK=$(word 2,$(subst :, ,$(filter $*:%,$(BPF_HOOKS)))) -c $< -o $@

gatekeeper/bpf/gate_%.lskel.h: gatekeeper/bpf/gate_%.bpf.o
	$(BPFTOOL) gen skeleton -L $< name gate_bpf > $@.tmp && mv $@.tmp $@

# A gate whose kfuncs have no BTF can never arm: refuse to build one.
module: $(LSKELS)
	@test -f $(KDIR)/vmlinux || { echo "error: $(KDIR)/vmlinux is missing, so kbuild would skip module BTF and the gate could not arm." >&2; \
		echo "       Copy the target kernel's BTF there (e.g. cp /sys/kernel/btf/vmlinux $(KDIR)/) and retry." >&2; exit 1; }
	@test -x $(KDIR)/tools/bpf/resolve_btfids/resolve_btfids || { echo "error: $(KDIR)/tools/bpf/resolve_btfids/resolve_btfids is missing (see README, 'Kernel 6.1')." >&2; exit 1; }
	@gatekeeper/check-bpf-internals $(KDIR) gatekeeper/bpf/bpf/skel_internal.h
	$(MAKE) -C $(KDIR) M=$(CURDIR) GK_WERROR=$(WERROR) modules
	@readelf -S gatekeeper.ko | grep -q '\.BTF' || { echo "error: gatekeeper.ko has no .BTF section: the gate could not arm." >&2; rm -f gatekeeper.ko; exit 1; }

# The generated BPF half alone: make deb ships it in the DKMS source.
skeletons: $(LSKELS)

# The light skeleton's runtime comes from the installed libbpf; kbuild does
# not search /usr/include, so it is placed beside the generated skeletons.
gatekeeper/bpf/bpf/skel_internal.h: $(wildcard /usr/include/bpf/skel_internal.h)
	install -D -m 0644 /usr/include/bpf/skel_internal.h $@

tools: $(TOOLS) $(TEST_PROGS)

lib/%.o: lib/%.c lib/*.h core/*.h
	$(CC) $(CFLAGS) -c -o $@ $<

# --version of every tool, and the module's MODULE_VERSION (Kbuild): VERSION.
lib/cli.o: CFLAGS += -DGK_VERSION='"$(GK_VERSION)"'
lib/cli.o: VERSION

$(LIBGK): $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

# gk-sign: the publisher's tool, with its ELF reader.
$(GKSIGN): $(wildcard tools/gk-sign/*.c) $(CORE_SRCS) $(LIBGK) tools/gk-sign/*.h lib/*.h core/*.h
	$(CC) $(CFLAGS) -o $@ $(filter %.c,$^) $(LIBGK) $(LDLIBS_TOOLS)

# gkctl: one file per object, as bpftool; it parses policies with the
# module's parser.
$(GKCTL): $(wildcard tools/gkctl/*.c) $(POLICY_SRCS) core/gk_attest.c $(CORE_SRCS) $(LIBGK) \
		tools/gkctl/*.h lib/*.h core/*.h policy/*.h
	$(CC) $(CFLAGS) -Ipolicy -o $@ $(filter %.c,$^) $(LIBGK) $(LDLIBS_TOOLS)

# gk-verify: the attestation verifier.  It links OpenSSL, jansson and
# tpm2-tss's unmarshalling library only (building lib/ takes libbpf's
# headers as well).
$(GKVERIFY): $(wildcard tools/gk-verify/*.c) core/gk_attest.c core/mlog.c $(LIBGK) tools/gk-verify/*.h \
		lib/*.h core/*.h
	$(CC) $(CFLAGS) -o $@ $(filter %.c,$^) $(LIBGK) -lcrypto -ljansson -ltss2-mu

# Programs and a plain libbpf loader for the kernel tests.
tests/progs/%.bpf.o: tests/progs/%.bpf.c
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

tests/progs/gk-load: tests/progs/gk-load.c
	$(CC) $(CFLAGS) -o $@ $< -lbpf -lpthread

tests/progs/gk-raw: tests/progs/gk-raw.c tests/progs/gk-raw-prog.h $(CORE_SRCS) core/*.h
	$(CC) $(CFLAGS) -o $@ $< $(CORE_SRCS) -lcrypto -lpthread

# gk-native: the kernel's own per-load signature check beside the gate's.
tests/progs/gk-native: tests/progs/gk-native.c tests/progs/gk-raw-prog.h
	$(CC) $(CFLAGS) -o $@ $<

tests/progs/gk-hook: tests/progs/gk-hook.c $(CORE_SRCS) core/*.h
	$(CC) $(CFLAGS) -o $@ $< $(CORE_SRCS) -lcrypto -lbpf

# These install what they need first, so they do not depend on "tools".
check:
	tests/run-all

demo:
	tests/demo

bench:
	tests/bench

# The release the module was built for, not necessarily the running one.
KRELEASE = $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null || uname -r)

install: install-module install-tools

install-module: module
	install -D -m 0644 gatekeeper.ko $(DESTDIR)/lib/modules/$(KRELEASE)/extra/gatekeeper.ko
	depmod $(if $(DESTDIR),-b $(DESTDIR)) $(KRELEASE)

# The tools and man pages alone (the gatekeeper-tools package).
install-tools: $(TOOLS)
	install -D -m 0755 $(GKSIGN) $(DESTDIR)$(PREFIX)/bin/gk-sign
	install -D -m 0755 $(GKCTL) $(DESTDIR)$(PREFIX)/bin/gkctl
	install -D -m 0755 $(GKVERIFY) $(DESTDIR)$(PREFIX)/bin/gk-verify
	install -D -m 0644 docs/gkctl.8 $(DESTDIR)$(PREFIX)/share/man/man8/gkctl.8
	install -D -m 0644 docs/gk-sign.1 $(DESTDIR)$(PREFIX)/share/man/man1/gk-sign.1
	install -D -m 0644 docs/gk-verify.1 $(DESTDIR)$(PREFIX)/share/man/man1/gk-verify.1
	install -D -m 0644 policy/gatekeeper-policy.5 $(DESTDIR)$(PREFIX)/share/man/man5/gatekeeper-policy.5
	install -D -m 0644 docs/gatekeeper.4 $(DESTDIR)$(PREFIX)/share/man/man4/gatekeeper.4
	install -D -m 0644 completion/gatekeeper $(DESTDIR)$(BASHCOMPDIR)/gkctl
	install -D -m 0644 completion/gatekeeper $(DESTDIR)$(BASHCOMPDIR)/gk-sign
	install -D -m 0644 completion/gatekeeper $(DESTDIR)$(BASHCOMPDIR)/gk-verify

# Arming at boot (gatekeeper-arm(8)): the script, /etc/gatekeeper (where
# it looks; an existing gatekeeper.conf is kept), the systemd unit and the
# initramfs-tools hook.
UNITDIR ?= $(PREFIX)/lib/systemd/system
INITRAMFSDIR ?= /usr/share/initramfs-tools
install-boot:
	install -d $(DESTDIR)$(PREFIX)/sbin
	sed 's/@VERSION@/$(GK_VERSION)/' boot/gatekeeper-arm >$(DESTDIR)$(PREFIX)/sbin/gatekeeper-arm
	chmod 0755 $(DESTDIR)$(PREFIX)/sbin/gatekeeper-arm
	install -D -m 0644 docs/gatekeeper-arm.8 $(DESTDIR)$(PREFIX)/share/man/man8/gatekeeper-arm.8
	install -d $(DESTDIR)$(UNITDIR)
	sed 's|@SBINDIR@|$(PREFIX)/sbin|' boot/gatekeeper.service >$(DESTDIR)$(UNITDIR)/gatekeeper.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/gatekeeper.service
	install -D -m 0755 boot/early-hook.sh $(DESTDIR)$(INITRAMFSDIR)/hooks/gatekeeper
	install -D -m 0755 boot/early-init-top.sh \
		$(DESTDIR)$(INITRAMFSDIR)/scripts/init-top/gatekeeper
	install -d -m 0755 $(addprefix $(DESTDIR)/etc/gatekeeper/,keys.d admin.d verifier.d bundles.d)
	[ -e $(DESTDIR)/etc/gatekeeper/gatekeeper.conf ] || \
		install -m 0644 boot/gatekeeper.conf $(DESTDIR)/etc/gatekeeper/gatekeeper.conf

# Debian packages, built by dpkg-buildpackage from a copy of the tracked
# files in $(DEBDIR) (README, "Install with DKMS").
DEBDIR ?= dist
deb:
	@v=$$(dpkg-parsechangelog -S Version) && [ "$$v" = "$(GK_VERSION)" ] || { \
		echo "error: debian/changelog is at $$v, VERSION at $(GK_VERSION): add a changelog entry (dch -v $(GK_VERSION))" >&2; exit 1; }
	rm -rf $(DEBDIR)/gatekeeper-$(GK_VERSION)
	mkdir -p $(DEBDIR)/gatekeeper-$(GK_VERSION)
	git ls-files -z | xargs -0 sh -c 'for f; do [ -e "$$f" ] && printf "%s\0" "$$f"; done' sh | \
		tar --null -T - -cf - | tar -xf - -C $(DEBDIR)/gatekeeper-$(GK_VERSION)
	cd $(DEBDIR)/gatekeeper-$(GK_VERSION) && dpkg-buildpackage -us -uc -J2
	rm -rf $(DEBDIR)/gatekeeper-$(GK_VERSION)
	@ls $(DEBDIR)/*_$(GK_VERSION)_*.deb

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	rm -rf gatekeeper/bpf/*.o gatekeeper/bpf/*.lskel.h gatekeeper/bpf/bpf $(TOOLS) $(LIBGK) \
		$(LIB_OBJS) $(TEST_PROGS)
