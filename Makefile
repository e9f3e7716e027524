# btfkit build. `make` builds the library and CLI into build/; `make check`
# builds everything with AddressSanitizer + UndefinedBehaviorSanitizer into
# build/asan/ and runs the whole test suite; `make bench` times btfkit against
# libbpf and bpftool. See README.md.

VERSION := 0.1.0
SOVERSION := 0

PREFIX ?= /usr/local
DESTDIR ?=
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

CC ?= cc
BUILD ?= build
OPT ?= -O2 -g

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wvla -Wno-format-nonliteral
CFLAGS_BASE := -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) -Iinclude -Isrc -fPIC \
	-fvisibility=hidden -MMD -MP
ifeq ($(SAN),1)
CFLAGS_BASE += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS_SAN := -fsanitize=address,undefined
endif
CFLAGS_ALL := $(CFLAGS_BASE) $(CFLAGS)
LDLIBS_LIB := -lelf -llzma -lzstd -lz -llz4 -lbz2 -luring -lpthread

LIB_SRCS := $(wildcard src/*.c src/*/*.c)
LIB_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
CLI_SRCS := $(wildcard tools/btfkit/*.c)
CLI_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(CLI_SRCS))
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(UNIT_SRCS))
# Test helpers: those that link libbpf (differential tests) are built only
# where libbpf is installed; the unit tests and every other helper need only
# the library's own dependencies.
HAVE_LIBBPF ?= $(shell printf '\043include <bpf/btf.h>\nint main(void){return 0;}\n' | \
	$(CC) -x c - -o /dev/null -lbpf 2>/dev/null && echo 1)
HELPER_SRCS := $(wildcard tests/helpers/*.c)
HELPER_LIBBPF_SRCS := $(shell grep -lE '^\#include (<bpf/|"kload.h")' $(HELPER_SRCS) /dev/null)
HELPER_PLAIN_SRCS := $(filter-out $(HELPER_LIBBPF_SRCS),$(HELPER_SRCS))
HELPER_BINS := $(patsubst tests/helpers/%.c,$(BUILD)/tests/%,$(HELPER_PLAIN_SRCS))
ifeq ($(HAVE_LIBBPF),1)
HELPER_BINS += $(patsubst tests/helpers/%.c,$(BUILD)/tests/%,$(HELPER_LIBBPF_SRCS))
endif
# Benchmark programs (bench/*.c; they time btfkit against libbpf).
BENCH_BINS := $(patsubst bench/%.c,$(BUILD)/bench/%,$(wildcard bench/*.c))
# Fuzz targets tests/fuzz/targets/NAME.c: replay-NAME (plain main, in every
# build, run by tests/fuzz/replay.sh) and fuzz-NAME (libFuzzer, `make fuzz`).
FUZZ_NAMES := $(patsubst tests/fuzz/targets/%.c,%,$(wildcard tests/fuzz/targets/*.c))
FUZZ_DEPS := tests/fuzz/fuzz_common.c tests/fuzz/fuzz.h
REPLAY_BINS := $(patsubst %,$(BUILD)/fuzz/replay-%,$(FUZZ_NAMES))
FUZZ_BINS := $(patsubst %,$(BUILD)/fuzz/fuzz-%,$(FUZZ_NAMES))
FUZZ_TIME ?= 60
FUZZ_TARGETS ?= $(FUZZ_NAMES)

STATIC_LIB := $(BUILD)/libbtfkit.a
SHARED_LIB := $(BUILD)/libbtfkit.so.$(VERSION)
SONAME := libbtfkit.so.$(SOVERSION)
CLI := $(BUILD)/btfkit
UNIT := $(BUILD)/tests/unit

.PHONY: all lib cli tests check check-fast check-corpus test run bench fuzz fuzz-bins replay-bins install uninstall clean
all: lib cli

lib: $(STATIC_LIB) $(SHARED_LIB)
cli: $(CLI)

$(BUILD)/obj/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(STATIC_LIB): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(SHARED_LIB): $(LIB_OBJS) libbtfkit.map
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=libbtfkit.map \
		$(LDFLAGS_SAN) $(LDFLAGS) -o $@ $(LIB_OBJS) $(LDLIBS_LIB)
	ln -sf libbtfkit.so.$(VERSION) $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $(BUILD)/libbtfkit.so

# The CLI links the static library: one self-contained binary.
$(CLI): $(CLI_OBJS) $(STATIC_LIB)
	$(CC) $(LDFLAGS_SAN) $(LDFLAGS) -o $@ $(CLI_OBJS) $(STATIC_LIB) $(LDLIBS_LIB)

# The pkg-config file is written at install time from the install's own
# PREFIX, LIBDIR and INCLUDEDIR (so a tree built with one PREFIX installs
# correctly with another), with paths under PREFIX written ${prefix}-relative
# (pkg-config --define-prefix can then relocate a DESTDIR staging copy).
pc_rel = $(patsubst $(PREFIX)%,$${prefix}%,$(1))
define write_pc
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(call pc_rel,$(LIBDIR))|' \
	    -e 's|@INCLUDEDIR@|$(call pc_rel,$(INCLUDEDIR))|' -e 's|@VERSION@|$(VERSION)|' \
	    libbtfkit.pc.in > $(1)
endef

# Unit tests may reach internal functions: they link the object files.
$(UNIT): $(UNIT_OBJS) $(STATIC_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_SAN) $(LDFLAGS) -o $@ $(UNIT_OBJS) $(STATIC_LIB) $(LDLIBS_LIB)

# Test helpers (libbpf linked next to btfkit in the differential ones).
$(BUILD)/tests/%: tests/helpers/%.c $(STATIC_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS_SAN) $(LDFLAGS) -o $@ $< $(STATIC_LIB) \
		$(if $(filter $<,$(HELPER_LIBBPF_SRCS)),-lbpf) $(LDLIBS_LIB)

$(BUILD)/bench/%: bench/%.c $(STATIC_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS_SAN) $(LDFLAGS) -o $@ $< $(STATIC_LIB) -lbpf $(LDLIBS_LIB)

# btf_canon (the encoder tests' canonical comparison) has its own folder.
CANON_SRCS := tests/helpers/btf_canon.c $(wildcard tests/helpers/canon/*.c)
$(BUILD)/tests/btf_canon: $(CANON_SRCS) tests/helpers/canon/canon.h $(STATIC_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests/helpers $(LDFLAGS_SAN) $(LDFLAGS) -o $@ $(CANON_SRCS) \
		$(STATIC_LIB) $(LDLIBS_LIB)

$(BUILD)/fuzz/replay-%: tests/fuzz/targets/%.c tests/fuzz/replay_main.c $(FUZZ_DEPS) $(STATIC_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS_SAN) $(LDFLAGS) -o $@ $< tests/fuzz/fuzz_common.c \
		tests/fuzz/replay_main.c $(STATIC_LIB) $(LDLIBS_LIB)

$(BUILD)/fuzz/fuzz-%: tests/fuzz/targets/%.c $(FUZZ_DEPS) $(STATIC_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer $(LDFLAGS_SAN) $(LDFLAGS) -o $@ $< \
		tests/fuzz/fuzz_common.c $(STATIC_LIB) $(LDLIBS_LIB)

# LD_PRELOAD shim that makes close/fclose/fsync fail (tests/cli/layer.sh).
FAULT_SO := $(BUILD)/tests/fault_inject.so
$(FAULT_SO): tests/cli/fault_inject.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE -O1 $(WARN) -shared -fPIC -o $@ $< -ldl

tests: all $(UNIT) $(HELPER_BINS) $(REPLAY_BINS) $(FAULT_SO)

# The full suite under ASan + UBSan (leak checking on). Ends with
# "N passed, M failed". The fuzz replay runs twice: with the gcc build and
# with clang's sanitizers (REPLAY_BUILDS), whose UBSan also flags a zero
# offset applied to a null pointer, which gcc's does not.
check:
	$(MAKE) SAN=1 BUILD=build/asan OPT="-O1 -g" tests
	$(MAKE) CC=clang SAN=1 BUILD=build/clang OPT="-O1 -g" replay-bins
	REPLAY_BUILDS=build/clang BUILD=build/asan tests/run.sh

# The edit loop's tier, under 2 minutes: unit and CLI tests and a few corpus
# modules on the optimised build (no sanitizer rebuild).
check-fast: tests
	BTFKIT_TIER=fast BUILD=$(BUILD) tests/run.sh unit cli corpus

# Corpus-wide sweeps, run before an issue is closed (hours, not minutes):
# the full suite on every module of the corpus package under ASan + UBSan,
# CORPUS_JOBS test scripts at a time, then every fuzz target for
# CORPUS_FUZZ_TIME seconds, CORPUS_JOBS targets at a time.
CORPUS_FUZZ_TIME ?= 600
CORPUS_JOBS ?= $(shell nproc 2>/dev/null || echo 1)
check-corpus:
	$(MAKE) SAN=1 BUILD=build/asan OPT="-O1 -g" tests
	$(MAKE) CC=clang SAN=1 BUILD=build/clang OPT="-O1 -g" replay-bins
	REPLAY_BUILDS=build/clang BTFKIT_TIER=corpus BUILD=build/asan TEST_JOBS=$(CORPUS_JOBS) tests/run.sh
	$(MAKE) fuzz FUZZ_TIME=$(CORPUS_FUZZ_TIME) FUZZ_JOBS=$(CORPUS_JOBS)

# The same suite on the optimised build, without sanitizers.
test: tests
	BUILD=$(BUILD) tests/run.sh

# Main job of the quick start: summarise and dump the running kernel's BTF
# (or the shipped sample where /sys/kernel/btf is absent).
run: all
	@scripts/run-main

bench: all $(HELPER_BINS) $(BENCH_BINS)
	BUILD=$(BUILD) bench/run.sh

# libFuzzer: the library and targets built with clang, ASan, UBSan and
# coverage into build/fuzz, then each target in FUZZ_TARGETS runs FUZZ_TIME
# seconds from its corpus (tests/fuzz/corpus/NAME). Crashes are written to
# tests/fuzz/crashes/NAME/. See tests/fuzz/README.md.
fuzz:
	$(MAKE) CC=clang SAN=1 BUILD=build/fuzz OPT="-O1 -g" CFLAGS="-fsanitize=fuzzer-no-link" fuzz-bins
	FUZZ_TIME="$(FUZZ_TIME)" FUZZ_TARGETS="$(FUZZ_TARGETS)" FUZZ_JOBS="$(FUZZ_JOBS)" scripts/fuzz

fuzz-bins: $(FUZZ_BINS)

# The replay of every fuzz target alone (make check builds it with clang too).
replay-bins: $(REPLAY_BINS)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/btfkit \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(CLI) $(DESTDIR)$(BINDIR)/btfkit
	install -m 644 $(STATIC_LIB) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(SHARED_LIB) $(DESTDIR)$(LIBDIR)/
	ln -sf libbtfkit.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libbtfkit.so
	install -m 644 include/btfkit/*.h $(DESTDIR)$(INCLUDEDIR)/btfkit/
	$(call write_pc,$(DESTDIR)$(PKGCONFIGDIR)/libbtfkit.pc)
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/libbtfkit.pc
	install -m 644 docs/man/btfkit.1 $(DESTDIR)$(MANDIR)/man1/
	install -d $(DESTDIR)$(MANDIR)/man3
	install -m 644 docs/man/*.3 $(DESTDIR)$(MANDIR)/man3/
	@# man bk_FUNCTION: a link page to the page of the header declaring it
	for h in include/btfkit/*.h; do \
		for f in $$(sed -n 's/^BK_API[^(]*[ *]\(bk_[a-z0-9_]*\)(.*/\1/p' $$h); do \
			echo ".so man3/btfkit-$$(basename $$h .h).3" > $(DESTDIR)$(MANDIR)/man3/$$f.3; \
		done; \
	done
	install -d $(DESTDIR)$(BASHCOMPDIR)
	install -m 644 tools/btfkit/bash-completion/btfkit $(DESTDIR)$(BASHCOMPDIR)/btfkit

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/btfkit $(DESTDIR)$(LIBDIR)/libbtfkit.* \
		$(DESTDIR)$(PKGCONFIGDIR)/libbtfkit.pc $(DESTDIR)$(MANDIR)/man1/btfkit.1 \
		$(DESTDIR)$(BASHCOMPDIR)/btfkit
	rm -rf $(DESTDIR)$(INCLUDEDIR)/btfkit
	rm -f $(DESTDIR)$(MANDIR)/man3/libbtfkit.3 $(DESTDIR)$(MANDIR)/man3/btfkit-*.3 \
		$(DESTDIR)$(MANDIR)/man3/bk_*.3

clean:
	rm -rf build

# Header dependencies written by -MMD -MP next to each object and binary.
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
