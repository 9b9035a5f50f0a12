# Cancel Atlas - build, test and run.
#
#   make            build ./cancelatlas
#   make run        build, check the shipped data and serve the site on
#                   http://127.0.0.1:8080 (PORT=N for another port)
#   make test       every test; the last line counts passed and failed
#   make asan ubsan valgrind   the tests again under each tool
#   make fuzz-run   every fuzzer for FUZZ_SECONDS (15) from its corpus
#   make install    the program, its templates and its manual under PREFIX
#                   (DESTDIR too); make uninstall removes them
#   make deps       install every Debian package any goal here uses
#
# Each goal first installs the Debian packages it needs that are missing
# (scripts/deps: apt-get, through sudo when not root), so on a new Debian 12
# machine `make run` or `make test` is the first command. On a ready
# machine that check is one dpkg-query.

PREFIX   ?= /usr/local
CC       ?= cc
CFLAGS   ?= -O2 -g
BUILD    ?= build
BIN      ?= cancelatlas
SANITIZE ?=
PORT     ?= 8080

# The libraries, by their pkg-config names, and the Debian packages that
# building and serving need (make, make run).
PKGS     := libfyaml jansson sqlite3 libpq libmicrohttpd zlib libbrotlienc \
	    pangocairo glib-2.0 libgit2 libcurl libxml-2.0
DEB_PKGS := gcc libc6-dev pkg-config libfyaml-dev libjansson-dev \
	    libsqlite3-dev libmicrohttpd-dev zlib1g-dev libbrotli-dev
# The review queue may live in PostgreSQL (src/store_pg.c, --db
# postgresql://...) as well as SQLite, through libpq.
DEB_PKGS += libpq-dev
# The share images (src/card.c): cairo draws them and pango lays out the
# text of any script; DejaVu is their font. src/pngenc.c writes their
# PNGs itself (zlib only for the checksums), so libpng is not linked (cairo
# brings it for itself; the unit tests read PNGs back through cairo).
DEB_PKGS += libcairo2-dev libpango1.0-dev fonts-dejavu-core
# A record's history is read from the data's own git history (src/history.c).
DEB_PKGS += libgit2-dev
# `monitor` fetches the pages records cite with libcurl and reads their
# text with libxml2's HTML parser (src/monitor.c, src/htmltext.c); GLib
# (there for pango) hashes what it keeps.
DEB_PKGS += libcurl4-openssl-dev libxml2-dev
# What the tests add (make test): cmocka for the unit tests, curl and jq
# for the command line's (libcurl, which the server's tests use too, is
# already a build dependency). The site
# suite (tests/site/run.sh) needs headless Chromium for axe and the index, Java
# for the Nu Html Checker, rsvg-convert for the badges, fonts to render
# them, python3 for the CSV check and feedparser to read the Atom feeds;
# Node (18 or later, Debian 12's is) and npm only when there are none
# already (e.g. from NodeSource), Java likewise.
# PostgreSQL's server (initdb, pg_ctl) runs a throwaway database for the
# store's tests against PostgreSQL (tests/pgserver). The deployment's test
# (tests/cli/deploy.sh) runs deploy/'s nginx configuration in a real nginx
# and checks the systemd unit with systemd-analyze.
TEST_DEB_PKGS := libcmocka-dev curl jq postgresql \
	    chromium librsvg2-bin fonts-dejavu-core python3 \
	    python3-feedparser nginx systemd \
	    $(if $(shell command -v java),,default-jre-headless) \
	    $(if $(shell command -v node),,nodejs) \
	    $(if $(shell command -v npm),,npm)
# CI's tools (make asan ubsan valgrind fuzz-run format-check), and what
# bench/serve.sh runs beside `cancelatlas serve` (make deps only). On
# Debian 12 clang alone cannot link -fsanitize=address, undefined or
# fuzzer: their runtimes are in libclang-rt-14-dev, which libclang-rt-dev
# brings.
SANITIZER_DEB_PKGS := clang libclang-rt-dev
CI_DEB_PKGS := $(SANITIZER_DEB_PKGS) clang-format valgrind
BENCH_DEB_PKGS := nginx wrk

# The packages this run of make needs, from its goals: building and
# serving always; the tests' for the goals that run them; CI's tools for
# the goals that use them.
GOALS     := $(or $(MAKECMDGOALS),all)
NEED_DEPS  = "to build and serve" "$(DEB_PKGS)" \
	     $(if $(filter test asan ubsan valgrind $(BUILD)/tests/%,$(GOALS)), \
		"for the tests" "$(TEST_DEB_PKGS)") \
	     $(if $(filter asan ubsan fuzz fuzz-run,$(GOALS)), \
		"for clang's sanitizers" "$(SANITIZER_DEB_PKGS)") \
	     $(if $(filter valgrind,$(GOALS)),"for make valgrind" valgrind) \
	     $(if $(filter format format-check,$(GOALS)),"for make format" clang-format)

# pkg-config runs once, and only when a recipe first needs its answer:
# after scripts/deps has installed it and the libraries.
pkg = $(shell pkg-config $(1) 2>/dev/null)
PKG_CFLAGS = $(eval PKG_CFLAGS := $(call pkg,--cflags $(PKGS)))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $(call pkg,--libs $(PKGS)))$(PKG_LIBS)

WARNINGS := -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 \
	    -Wstrict-prototypes -Wmissing-prototypes -Wvla
# WERROR=1 (as CI sets it) makes every warning fail the build.
ALL_CFLAGS   = -std=c17 $(WARNINGS) $(if $(WERROR),-Werror) $(CFLAGS) $(SANITIZE) \
	       -D_DEFAULT_SOURCE -pthread -MMD -MP $(PKG_CFLAGS)
ALL_LDFLAGS  = $(LDFLAGS) $(SANITIZE) -pthread
LIBS         = $(PKG_LIBS) -lm

LIB_SRC   := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ   := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC  := $(wildcard tests/tools/*.c)
TOOL_BIN  := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tests/%)
HTTP_SRC  := $(wildcard tests/http/*.c)
HTTP_BIN  := $(HTTP_SRC:tests/http/%.c=$(BUILD)/tests/http/%)
FUZZ_SRC  := $(wildcard fuzz/fuzz_*.c)
REPLAY_BIN := $(FUZZ_SRC:fuzz/fuzz_%.c=$(BUILD)/tests/replay_%)

.PHONY: all run test check-all asan ubsan valgrind fuzz fuzz-run format \
	format-check \
	install uninstall deps need-deps clean regen-golden

all: $(BIN)

# Every compiler run waits for this: the missing packages are installed
# first, and said so (quietly nothing when none is missing).
need-deps:
	@scripts/deps $(NEED_DEPS)

$(BUILD)/obj/%.o: src/%.c | need-deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libatlas.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/obj/main.o $(BUILD)/libatlas.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# A binary built elsewhere (make asan) has the templates beside it too,
# where it looks for them.
ifneq ($(dir $(BIN)),./)
all test: $(dir $(BIN))templates
$(dir $(BIN))templates:
	@mkdir -p $(@D)
	ln -sfn "$$(realpath -m --relative-to=$(@D) templates)" $@
endif

# Every unit test links tests/unit/fixture.c, the fixtures they share.
$(BUILD)/tests/fixture.o: tests/unit/fixture.c | need-deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc -c $< -o $@

$(BUILD)/tests/test_%: tests/unit/test_%.c $(BUILD)/tests/fixture.o \
		$(BUILD)/libatlas.a | need-deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc $(ALL_LDFLAGS) -o $@ $< \
		$(BUILD)/tests/fixture.o $(BUILD)/libatlas.a \
		$(LIBS) $(call pkg,--libs cmocka)

# test_extra_field proves that a field is added to the record format by
# one row of src/record_field.c: RECORD_TEST_EXTRA_FIELD adds such a row,
# and the library is built again with it, beside the real one.
EXTRA_OBJ := $(LIB_SRC:src/%.c=$(BUILD)/extra-field/%.o)

$(BUILD)/extra-field/%.o: src/%.c | need-deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DRECORD_TEST_EXTRA_FIELD -c $< -o $@

$(BUILD)/extra-field/libatlas.a: $(EXTRA_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/tests/test_extra_field: tests/unit/test_extra_field.c \
		$(BUILD)/extra-field/libatlas.a | need-deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DRECORD_TEST_EXTRA_FIELD -Isrc $(ALL_LDFLAGS) \
		-o $@ $< $(BUILD)/extra-field/libatlas.a $(LIBS) \
		$(call pkg,--libs cmocka)

$(BUILD)/tests/%: tests/tools/%.c $(BUILD)/libatlas.a | need-deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libatlas.a \
		$(LIBS)

# HTTP tests drive a real `cancelatlas serve` over sockets with libcurl.
$(BUILD)/tests/http/%: tests/http/%.c $(BUILD)/libatlas.a | need-deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libatlas.a \
		$(LIBS) $(call pkg,--libs libcurl)

# Each libFuzzer harness (fuzz/fuzz_NAME.c) also links with the plain
# main() of fuzz/replay.c, under the build's own compiler, so make test
# replays its committed corpus (fuzz/corpus/NAME) with no clang needed.
$(BUILD)/tests/replay.o: fuzz/replay.c | need-deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc -c $< -o $@

$(BUILD)/tests/replay_%: fuzz/fuzz_%.c $(BUILD)/tests/replay.o \
		$(BUILD)/libatlas.a | need-deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc $(ALL_LDFLAGS) -o $@ $< \
		$(BUILD)/tests/replay.o $(BUILD)/libatlas.a $(LIBS)

# serve checks the shipped data as it builds it (a port in use is said
# before that), then serves it on 127.0.0.1:$(PORT) (Ctrl-C stops;
# corrections go to ./cancelatlas.db).
run: $(BIN)
	./$(BIN) serve --bind 127.0.0.1 --port $(PORT)

test: $(BIN) $(UNIT_BIN) $(TOOL_BIN) $(HTTP_BIN) $(REPLAY_BIN)
	@BIN=$(abspath $(BIN)) BUILD=$(abspath $(BUILD)) \
		TEST_WRAPPER="$(TEST_WRAPPER)" tests/run

# Each runs the tests again in a sub-make; clang or valgrind is
# installed first.
asan ubsan valgrind: need-deps

# tests/lsan.supp: a leak inside libfyaml itself (see the file).
asan:
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	$(MAKE) BUILD=build/asan BIN=build/asan/cancelatlas CC=clang \
		CFLAGS="-O1 -g -fno-omit-frame-pointer" \
		SANITIZE="-fsanitize=address" test

ubsan:
	$(MAKE) BUILD=build/ubsan BIN=build/ubsan/cancelatlas CC=clang \
		CFLAGS="-O1 -g -fno-omit-frame-pointer" \
		SANITIZE="-fsanitize=undefined -fno-sanitize-recover=all" test

valgrind:
	$(MAKE) BUILD=build/valgrind BIN=build/valgrind/cancelatlas \
		CFLAGS="-O1 -g" \
		TEST_WRAPPER="valgrind -q --vgdb=no --error-exitcode=99 --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --suppressions=$(CURDIR)/tests/valgrind.supp" \
		test

# make fuzz builds every harness with libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer (which aborts at its first report, as ASan
# does) into build/fuzz/bin; make fuzz-run then fuzzes each for
# FUZZ_SECONDS from a scratch copy of its committed corpus (fuzz/run.sh)
# and fails on any crash, leak, sanitizer report or hang.
FUZZ_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_SECONDS ?= 15

fuzz fuzz-run: need-deps

fuzz:
	$(MAKE) BUILD=build/fuzz CC=clang CFLAGS="-O1 -g" \
		SANITIZE="$(FUZZ_SANITIZE) -fsanitize=fuzzer-no-link" \
		build/fuzz/libatlas.a
	@mkdir -p build/fuzz/bin
	for f in $(FUZZ_SRC); do \
		n=$$(basename $$f .c); \
		clang -std=c17 -D_DEFAULT_SOURCE -O1 -g -Isrc \
			$(FUZZ_SANITIZE) -fsanitize=fuzzer $$f \
			build/fuzz/libatlas.a $(LIBS) -o build/fuzz/bin/$$n \
			|| exit 1; \
	done
	@echo "fuzzers in build/fuzz/bin; make fuzz-run runs each" \
		"$(FUZZ_SECONDS) s (FUZZ_SECONDS=N) from its corpus"

fuzz-run: fuzz
	FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run.sh build/fuzz/bin

# juris_data.c is generated (scripts/gen-juris) and left as written.
FORMAT_SRC = $(filter-out src/juris_data.c,$(wildcard src/*.c src/*.h)) \
	     $(wildcard tests/unit/*.c tests/unit/*.h tests/tools/*.c \
		       tests/http/*.c fuzz/*.c fuzz/*.h)

format format-check: need-deps

format:
	clang-format -i $(FORMAT_SRC)

format-check:
	clang-format --dry-run --Werror $(FORMAT_SRC)

# The program looks for its templates in ../share/cancelatlas/templates
# from its own folder when there are none beside it: PREFIX/share, under
# any PREFIX.
SHARE_DIR = $(DESTDIR)$(PREFIX)/share/cancelatlas

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/cancelatlas
	install -m 644 man/cancelatlas.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	cd templates && find . -type f | while read -r f; do \
		install -D -m 644 "$$f" "$(SHARE_DIR)/templates/$$f" || exit 1; \
	done

# What install wrote: the binary, the manual, and share/cancelatlas, which
# holds nothing but the templates.
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/cancelatlas \
		$(DESTDIR)$(PREFIX)/share/man/man1/cancelatlas.1
	rm -rf $(SHARE_DIR)

# Every package any goal uses, tests, CI's tools and benchmarks included.
deps:
	@scripts/deps "to build and serve" "$(DEB_PKGS)" \
		"for the tests" "$(TEST_DEB_PKGS)" \
		"for make asan ubsan valgrind fuzz-run format" "$(CI_DEB_PKGS)" \
		"for the benchmarks (bench/)" "$(BENCH_DEB_PKGS)" && \
		echo "deps: every package is installed"

# Rewrites tests/errors/*/expected.err and tests/golden/site/ from what
# the program does now: review the diff before committing it.
regen-golden: $(BIN)
	@BIN=$(abspath $(BIN)) REGEN=1 tests/run errors golden

clean:
	rm -rf build $(BIN)

-include $(LIB_OBJ:.o=.d) $(EXTRA_OBJ:.o=.d) $(BUILD)/obj/main.d
-include $(UNIT_BIN:=.d) $(TOOL_BIN:=.d) $(HTTP_BIN:=.d) $(REPLAY_BIN:=.d) \
	$(BUILD)/tests/replay.d $(BUILD)/tests/fixture.d
