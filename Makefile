# libxlvcpu / xlvcpu
#
#   make                 build the library (shared and static) and xlvcpu
#   make demo            install build deps (as root), build, convert every
#                        example in domain-configs/, and show the scopes
#                        on a simulated host
#   make deps            check the Debian packages the build and the tests
#                        need; as root, install the missing ones (apt-get)
#   make check           build, run every test, then again under ASan+UBSan
#                        (installs nothing: packagers build without network)
#   make ci              everything CI runs: check, check-valgrind, fuzz,
#                        check-crash, check-concurrency, check-deb, e2e
#                        (tests/ci)
#   make check-fast      the tests once, without the sanitizer pass
#   make check-valgrind  unit tests, cli and hostile suites under valgrind
#                        (VALGRIND_SUITES="scopes inject" for more)
#   make fuzz            each libFuzzer target FUZZ_SECONDS (default 60)
#   make fuzz-regress    the fuzz corpora and crash reproducers, once
#   make check-crash     1,000 commands killed at random (tests/crash)
#   make check-concurrency  16 x 100 commands at once (tests/concurrency)
#   make e2e             real Xen under QEMU (tests/e2e, as root)
#   make peers           xl, virsh and xlvcpu side by side in the lab (as
#                        root); make peers-readme puts its table into
#                        README.md
#   make check-deb       build the Debian packages, lintian, install, use,
#                        remove and purge them (tests/deb, as root)
#   make bench           build and run the benchmarks
#   make abi-baseline    record the library's ABI in libxlvcpu/libxlvcpu.abi
#                        (tests/unit/test_abi.sh compares against it)
#   make install PREFIX=/usr DESTDIR=/tmp/stage   (SYSTEMDUNITDIR: where the
#                        autostart unit goes, default PREFIX/lib/systemd/system;
#                        COMPLETIONDIR: the bash completion's, default
#                        PREFIX/share/bash-completion/completions)
#   make clean

VERSION := 1.1.0
SOVERSION := 1

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
# bash-completion's directory as its .pc names it, moved into PREFIX
# (older .pc files derive it from prefix, newer ones from datadir); that
# layout when bash-completion is not installed.
COMPLETIONDIR ?= $(or $(shell pkg-config --variable=completionsdir \
    --define-variable=prefix=$(PREFIX) \
    --define-variable=datadir=$(PREFIX)/share bash-completion 2>/dev/null),\
    $(PREFIX)/share/bash-completion/completions)
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR ?=

# Build directory; the sanitizer pass uses build-asan.
B ?= build
CC ?= gcc
CFLAGS ?= -O2 -g
# CPPFLAGS and LDFLAGS as the environment gives them (a distribution's
# hardening flags, e.g. Debian's dpkg-buildflags).
CPPFLAGS ?=
LDFLAGS ?=
SAN ?=

# The shared library loads libxml2 through its XML module when XML is
# first needed (libxlvcpu/xml_module.h); the module and everything
# linking the static library link libxml2 itself.
PKGS := xenlight xlutil xenstore yajl
DEP_CFLAGS := $(shell pkg-config --cflags $(PKGS) libxml-2.0 2>/dev/null)
DEP_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -ldl
XML_LIBS := $(shell pkg-config --libs libxml-2.0 2>/dev/null)
STLIB_LIBS := $(DEP_LIBS) $(XML_LIBS)
# The command writes its --json output with yajl's generator.
CLI_LIBS := $(shell pkg-config --libs yajl 2>/dev/null)
# The libxenlight the build uses, for xlvcpu --version (xlvcpu/main.c).
XEN_BUILD_VERSION := $(or $(shell pkg-config --modversion xenlight \
                                  2>/dev/null),unknown)
TEST_LIBS := $(STLIB_LIBS) $(shell pkg-config --libs cmocka 2>/dev/null)

# Warnings are errors in development and CI; a distribution build may
# pass WERROR= to keep a newer compiler's new warnings from failing it.
WERROR ?= -Werror
WARN := -Wall -Wextra $(WERROR)
BASE_CFLAGS := -std=gnu11 $(WARN) $(CPPFLAGS) $(CFLAGS) $(SAN) -Ilibxlvcpu $(DEP_CFLAGS)
# Test programs build paths and names into fixed buffers on purpose.
TEST_CFLAGS := $(BASE_CFLAGS) -Wno-format-truncation
LIB_CFLAGS := $(BASE_CFLAGS) -fPIC -fvisibility=hidden

LIB_SRCS := $(sort $(wildcard libxlvcpu/*.c))
LIB_OBJS := $(LIB_SRCS:libxlvcpu/%.c=$(B)/obj/lib/%.o)
# xml.c goes into the XML module (with its entry, xml_module.c, and the
# text checks it uses) and the static library; the shared library has
# xml_load.c in its place.
MODULE_OBJS := $(addprefix $(B)/obj/lib/,xml.o xml_module.o text.o)
SHLIB_OBJS := $(filter-out $(addprefix $(B)/obj/lib/,xml.o xml_module.o),$(LIB_OBJS))
STLIB_OBJS := $(filter-out $(addprefix $(B)/obj/lib/,xml_load.o xml_module.o),$(LIB_OBJS))
CLI_SRCS := $(sort $(wildcard xlvcpu/*.c))
CLI_OBJS := $(CLI_SRCS:xlvcpu/%.c=$(B)/obj/cli/%.o)
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
TOOL_SRCS := tests/golden.c tests/conformance.c
TOOL_BINS := $(TOOL_SRCS:tests/%.c=$(B)/tests/%)
BENCH_SRCS := $(sort $(wildcard bench/*.c))
BENCH_BINS := $(BENCH_SRCS:bench/%.c=$(B)/bench/%)

SONAME := libxlvcpu.so.$(SOVERSION)
SHLIB := $(B)/lib/libxlvcpu.so.$(VERSION)
STLIB := $(B)/lib/libxlvcpu.a
MODULE := $(B)/lib/libxlvcpu/libxlvcpu-xml.so.1
XLVCPU := $(B)/bin/xlvcpu

.PHONY: FORCE all check check-all check-fast check-asan tests bench install \
        uninstall clean deps demo e2e peers peers-readme ci check-crash check-deb \
        check-concurrency fuzz fuzz-regress fuzz-build fuzz-bins \
        check-valgrind abi-baseline

all: $(SHLIB) $(MODULE) $(STLIB) $(XLVCPU)

deps:
	@./.ci/deps

# Each object depends on the headers it includes (-MMD writes them to a
# .d file beside it; -MP keeps a removed header from breaking the build).
$(B)/obj/lib/%.o: libxlvcpu/%.c | $(B)/obj/lib
	$(CC) $(LIB_CFLAGS) -MMD -MP -c $< -o $@

$(B)/obj/cli/%.o: xlvcpu/%.c | $(B)/obj/cli
	$(CC) $(BASE_CFLAGS) $(CLI_DEFS) -Ixlvcpu -MMD -MP -c $< -o $@

# main.o says which libxenlight it was built for; the file below changes
# only when that does, so a new libxen-dev rebuilds main.o and nothing
# else.
$(B)/obj/cli/main.o: CLI_DEFS = \
    -DXLV_XEN_BUILD_VERSION='"$(XEN_BUILD_VERSION)"'
$(B)/obj/cli/main.o: $(B)/obj/cli/xen-build-version
$(B)/obj/cli/xen-build-version: FORCE | $(B)/obj/cli
	@echo '$(XEN_BUILD_VERSION)' | cmp -s - $@ || \
	    echo '$(XEN_BUILD_VERSION)' > $@

-include $(LIB_OBJS:.o=.d) $(CLI_OBJS:.o=.d)

$(SHLIB): $(SHLIB_OBJS) libxlvcpu/libxlvcpu.map | $(B)/lib
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -shared -Wl,-soname,$(SONAME) \
	    -Wl,--version-script=libxlvcpu/libxlvcpu.map -Wl,-z,defs \
	    -o $@ $(SHLIB_OBJS) $(DEP_LIBS)
	ln -sf libxlvcpu.so.$(VERSION) $(B)/lib/$(SONAME)
	ln -sf $(SONAME) $(B)/lib/libxlvcpu.so

# The XML module exports its entry only (libxlvcpu/xml_module.map).
$(MODULE): $(MODULE_OBJS) libxlvcpu/xml_module.map | $(B)/lib/libxlvcpu
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -shared -Wl,-soname,$(notdir $@) \
	    -Wl,--version-script=libxlvcpu/xml_module.map -Wl,-z,defs \
	    -o $@ $(MODULE_OBJS) $(XML_LIBS)

$(STLIB): $(STLIB_OBJS) | $(B)/lib
	rm -f $@
	ar rcs $@ $(STLIB_OBJS)

# In the tree, the command finds its library next door ($ORIGIN/../lib).
$(XLVCPU): $(CLI_OBJS) $(SHLIB) | $(B)/bin
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $(CLI_OBJS) -L$(B)/lib -lxlvcpu $(CLI_LIBS) \
	    -Wl,-rpath,'$$ORIGIN/../lib'

# Installed, it is linked again: with no rpath when LIBDIR is where the
# loader looks anyway (an rpath makes it probe a dozen subdirectories of
# it at every start, and Debian's lintian flags one to such a
# directory), else with LIBDIR as its rpath.  INSTALL_RPATH overrides.
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)
SYSTEM_LIBDIRS := /lib /usr/lib /usr/local/lib \
    $(if $(MULTIARCH),/lib/$(MULTIARCH) /usr/lib/$(MULTIARCH))
INSTALL_RPATH ?= $(if $(filter $(SYSTEM_LIBDIRS),$(LIBDIR)),,$(LIBDIR))
XLVCPU_INSTALLED := $(B)/bin/xlvcpu.installed

$(XLVCPU_INSTALLED): $(CLI_OBJS) $(SHLIB) FORCE | $(B)/bin
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $(CLI_OBJS) -L$(B)/lib -lxlvcpu $(CLI_LIBS) \
	    $(if $(INSTALL_RPATH),-Wl$(comma)-rpath$(comma)$(INSTALL_RPATH))

comma := ,
FORCE:

# Tests link the static library: they reach the private functions too.
$(B)/tests/%: tests/unit/%.c $(STLIB) | $(B)/tests
	$(CC) $(TEST_CFLAGS) $(LDFLAGS) -o $@ $< $(STLIB) $(TEST_LIBS)

$(B)/tests/%: tests/%.c tests/testutil.h $(STLIB) | $(B)/tests
	$(CC) $(TEST_CFLAGS) $(LDFLAGS) -Itests -o $@ $< $(STLIB) $(TEST_LIBS)

$(B)/bench/%: bench/%.c $(STLIB) | $(B)/bench
	$(CC) $(TEST_CFLAGS) $(LDFLAGS) -o $@ $< $(STLIB) $(TEST_LIBS)

$(B)/obj/lib $(B)/obj/cli $(B)/lib $(B)/lib/libxlvcpu $(B)/bin $(B)/tests $(B)/bench:
	mkdir -p $@

tests: all $(UNIT_BINS) $(TOOL_BINS)

check-fast: tests
	tests/run $(B)

check-asan:
	$(MAKE) B=build-asan CFLAGS="-O1 -g" \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    check-fast

check: check-all

# Both passes always run; the target fails if either failed.
check-all: tests
	@status=0; tests/run $(B) || status=1; \
	$(MAKE) --no-print-directory check-asan || status=1; \
	exit $$status

demo: deps
	@$(MAKE) --no-print-directory all
	@sh domain-configs/convert-all.sh $(B)
	@sh domain-configs/scopes-demo.sh $(B)

e2e: all
	tests/e2e/run

# xl, virsh (libvirt's libxl driver) and xlvcpu side by side in the lab
# (tests/e2e/peers): a table of what each did, in build/e2e/peers.md.
peers: all
	E2E_SUITES=peers tests/e2e/run

# README.md's side-by-side table becomes the one make peers printed last.
peers-readme:
	tests/e2e/peers-readme $(B)/e2e/peers.md README.md

# The Debian packages (debian/): built, linted, installed, used, removed
# and purged on this machine (tests/deb/run.sh; as root).
check-deb:
	sh tests/deb/run.sh $(B)

# Everything CI runs (tests/ci): the tests as built and under ASan+UBSan
# and valgrind (side by side), fuzzing, crash, concurrency, the Debian
# packages, and the Xen lab, with one closing summary.
ci: deps
	@tests/ci

# The ABI of the functions and types of libxlvcpu.h, as the default build
# (-O2 -g) makes them; run after an intended change to the interface.
abi-baseline: $(SHLIB)
	abidw --headers-dir libxlvcpu --drop-private-types --no-corpus-path \
	    --out-file libxlvcpu/libxlvcpu.abi $(B)/lib/$(SONAME)

bench: all $(BENCH_BINS)
	$(B)/bench/convert domain-configs $(XLVCPU)
	$(B)/bench/store $(XLVCPU)

install: all $(XLVCPU_INSTALLED)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) \
	    $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3
	install -m 0755 $(XLVCPU_INSTALLED) $(DESTDIR)$(BINDIR)/xlvcpu
	install -m 0755 $(SHLIB) $(DESTDIR)$(LIBDIR)/
	install -d $(DESTDIR)$(LIBDIR)/libxlvcpu
	install -m 0644 $(MODULE) $(DESTDIR)$(LIBDIR)/libxlvcpu/
	ln -sf libxlvcpu.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libxlvcpu.so
	install -m 0644 $(STLIB) $(DESTDIR)$(LIBDIR)/
	install -m 0644 libxlvcpu/libxlvcpu.h $(DESTDIR)$(INCLUDEDIR)/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    libxlvcpu/libxlvcpu.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/libxlvcpu.pc
	install -d $(DESTDIR)$(SYSTEMDUNITDIR)
	sed -e 's|@BINDIR@|$(BINDIR)|' xlvcpu/xlvcpu-autostart.service.in \
	    > $(DESTDIR)$(SYSTEMDUNITDIR)/xlvcpu-autostart.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/xlvcpu-autostart.service
	install -m 0644 man/xlvcpu.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 man/libxlvcpu.3 $(DESTDIR)$(MANDIR)/man3/
	install -d $(DESTDIR)$(COMPLETIONDIR)
	install -m 0644 xlvcpu/xlvcpu.bash-completion \
	    $(DESTDIR)$(COMPLETIONDIR)/xlvcpu

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/xlvcpu $(DESTDIR)$(LIBDIR)/libxlvcpu.* \
	    $(DESTDIR)$(LIBDIR)/libxlvcpu/libxlvcpu-xml.so.1 \
	    $(DESTDIR)$(INCLUDEDIR)/libxlvcpu.h \
	    $(DESTDIR)$(PKGCONFIGDIR)/libxlvcpu.pc \
	    $(DESTDIR)$(MANDIR)/man1/xlvcpu.1 $(DESTDIR)$(MANDIR)/man3/libxlvcpu.3 \
	    $(DESTDIR)$(SYSTEMDUNITDIR)/xlvcpu-autostart.service \
	    $(DESTDIR)$(COMPLETIONDIR)/xlvcpu
	-rmdir $(DESTDIR)$(LIBDIR)/libxlvcpu 2>/dev/null

include tests/crash/crash.mk
include tests/concurrency/concurrency.mk
include tests/fuzz/fuzz.mk
include tests/valgrind.mk

clean:
	rm -rf build build-asan build-fuzz
