# Cancel Atlas - build, test and run.
#
#   make            build ./cancelatlas
#   make run        check the shipped data and serve the site on :8080
#   make test       every test; the last line counts passed and failed
#   make asan ubsan valgrind   the tests again under each tool
#   make deps       install missing Debian packages (apt-get)

PREFIX   ?= /usr/local
CC       ?= cc
CFLAGS   ?= -O2 -g
BUILD    ?= build
BIN      ?= cancelatlas
SANITIZE ?=

PKGS     := libfyaml jansson sqlite3 libmicrohttpd zlib libbrotlienc pangocairo \
	    libpng
DEB_PKGS := build-essential pkg-config libfyaml-dev libjansson-dev \
	    libcmocka-dev valgrind clang clang-format jq \
	    libsqlite3-dev libmicrohttpd-dev zlib1g-dev libbrotli-dev
# The share images (src/card.c): cairo draws them and pango lays out the
# text of any script, libpng encodes them; DejaVu is their font.
DEB_PKGS += libcairo2-dev libpango1.0-dev libpng-dev fonts-dejavu-core
# The server's tests (tests/http) use libcurl; bench/serve.sh runs nginx
# and wrk beside `cancelatlas serve`.
DEB_PKGS += libcurl4-openssl-dev nginx wrk
# The site suite (tests/site/run.sh): headless Chromium for axe and the
# index, Java for the Nu Html Checker, rsvg-convert for the badges, fonts
# to render them, python3 for the CSV check; Node and npm only when there
# are none already (e.g. from NodeSource), Java likewise.
DEB_PKGS += chromium librsvg2-bin fonts-dejavu-core python3 \
	    $(if $(shell command -v java),,default-jre-headless) \
	    $(if $(shell command -v node),,nodejs) \
	    $(if $(shell command -v npm),,npm)

WARNINGS := -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 \
	    -Wstrict-prototypes -Wmissing-prototypes -Wvla
# WERROR=1 (as CI sets it) makes every warning fail the build.
ALL_CFLAGS   = -std=c17 $(WARNINGS) $(if $(WERROR),-Werror) $(CFLAGS) $(SANITIZE) \
	       -DCANCELATLAS_SHARE='"$(PREFIX)/share/cancelatlas"' \
	       -D_DEFAULT_SOURCE -pthread -MMD -MP \
	       $(shell pkg-config --cflags $(PKGS))
ALL_LDFLAGS  = $(LDFLAGS) $(SANITIZE) -pthread
LIBS         = $(shell pkg-config --libs $(PKGS)) -lm

LIB_SRC   := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ   := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC  := $(wildcard tests/tools/*.c)
TOOL_BIN  := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tests/%)
HTTP_SRC  := $(wildcard tests/http/*.c)
HTTP_BIN  := $(HTTP_SRC:tests/http/%.c=$(BUILD)/tests/http/%)

.PHONY: all run test check-all asan ubsan valgrind fuzz format format-check \
	install deps clean regen-golden

all: $(BIN)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libatlas.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/obj/main.o $(BUILD)/libatlas.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/test_%: tests/unit/test_%.c $(BUILD)/libatlas.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libatlas.a \
		$(LIBS) $(shell pkg-config --libs cmocka)

$(BUILD)/tests/%: tests/tools/%.c $(BUILD)/libatlas.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libatlas.a \
		$(LIBS)

# HTTP tests drive a real `cancelatlas serve` over sockets with libcurl.
$(BUILD)/tests/http/%: tests/http/%.c $(BUILD)/libatlas.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libatlas.a \
		$(LIBS) $(shell pkg-config --libs libcurl)

# The shipped data is checked, then built and served on 127.0.0.1:8080
# (Ctrl-C stops; corrections go to ./cancelatlas.db).
run: $(BIN)
	./$(BIN) check
	./$(BIN) serve --bind 127.0.0.1 --port 8080

test: $(BIN) $(UNIT_BIN) $(TOOL_BIN) $(HTTP_BIN)
	@BIN=$(abspath $(BIN)) BUILD=$(abspath $(BUILD)) \
		TEST_WRAPPER="$(TEST_WRAPPER)" tests/run

asan:
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
		TEST_WRAPPER="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --suppressions=$(CURDIR)/tests/valgrind.supp" \
		test

FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
fuzz:
	$(MAKE) BUILD=build/fuzz CC=clang CFLAGS="-O1 -g" \
		SANITIZE="-fsanitize=address,undefined,fuzzer-no-link" \
		build/fuzz/libatlas.a
	@mkdir -p build/fuzz/bin
	for f in $(FUZZ_SRC); do \
		n=$$(basename $$f .c); \
		clang -std=c17 -D_DEFAULT_SOURCE -O1 -g -Isrc \
			-fsanitize=address,undefined,fuzzer $$f \
			build/fuzz/libatlas.a $(LIBS) -o build/fuzz/bin/$$n \
			|| exit 1; \
	done
	@echo "fuzzers in build/fuzz/bin; run e.g. (new inputs go to the first folder):" \
		"mkdir -p build/fuzz/new && build/fuzz/bin/fuzz_yaml_load" \
		"-max_total_time=60 build/fuzz/new fuzz/corpus/yaml_load"

# juris_data.c is generated (scripts/gen-juris) and left as written.
FORMAT_SRC = $(filter-out src/juris_data.c,$(wildcard src/*.c src/*.h)) \
	     $(wildcard tests/unit/*.c tests/tools/*.c tests/http/*.c fuzz/*.c)

format:
	clang-format -i $(FORMAT_SRC)

format-check:
	clang-format --dry-run --Werror $(FORMAT_SRC)

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/cancelatlas
	install -m 644 man/cancelatlas.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -d $(DESTDIR)$(PREFIX)/share/cancelatlas/templates/assets
	install -m 644 templates/*.mustache \
		$(DESTDIR)$(PREFIX)/share/cancelatlas/templates/
	install -m 644 templates/assets/* \
		$(DESTDIR)$(PREFIX)/share/cancelatlas/templates/assets/

# Installs only what is missing, so it is instant on a ready machine.
deps:
	@missing=$$(for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y \
			--no-install-recommends $$missing; \
	else echo "deps: all installed"; fi

# Rewrites tests/errors/*/expected.err and tests/golden/site/ from what
# the program does now: review the diff before committing it.
regen-golden: $(BIN)
	@BIN=$(abspath $(BIN)) REGEN=1 tests/run errors golden

clean:
	rm -rf build $(BIN)

-include $(LIB_OBJ:.o=.d) $(BUILD)/obj/main.d
-include $(UNIT_BIN:=.d) $(TOOL_BIN:=.d) $(HTTP_BIN:=.d)
