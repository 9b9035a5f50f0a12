# Sourced by tests/run: what the Makefile does for a new user. Its
# packages step (scripts/deps) against a stand-in apt-get; make run's
# port; make install and make uninstall, and the installed program run
# from another folder, where it finds its templates under PREFIX/share.
# Uses $BIN, $BUILD, $WRAP, $ROOT and $TMP from tests/run.

# --- scripts/deps -----------------------------------------------------
# PATH holds only what scripts/deps runs, with stand-ins for apt-get and
# sudo that log how they were called, and for id (FAKE_UID, default 0).
fake=$TMP/fake-bin
mkdir -p "$fake"
for c in bash env sort dpkg-query; do
	ln -sf "$(command -v $c)" "$fake/$c"
done
printf '#!/bin/sh\necho "apt-get $*" >>"%s/apt.log"\n' "$TMP" >"$fake/apt-get"
printf '#!/bin/sh\necho "${FAKE_UID:-0}"\n' >"$fake/id"
chmod +x "$fake/apt-get" "$fake/id"
deps() { # WHY PACKAGES...: scripts/deps with the stand-ins
	rm -f "$TMP/apt.log"
	deps_said=$(PATH=$fake "$ROOT/scripts/deps" "$@" 2>&1)
	deps_status=$?
}
# expect_deps STATUS 'LINES' [APT_LOG]: the last deps run exited STATUS
# and said LINES; apt-get was called as in APT_LOG (or not at all).
expect_deps() {
	local log
	log=$(cat "$TMP/apt.log" 2>/dev/null)
	[ "$deps_status" -eq "$1" ] && [ "$deps_said" = "$2" ] &&
		[ "$log" = "${3:-}" ] && return 0
	printf 'exit %s (expected %s); said:\n%s\napt-get calls:\n%s\n' \
		"$deps_status" "$1" "$deps_said" "$log"
	return 1
}
nope=cancelatlas-no-such-package

deps_ready() {
	deps "to build" "bash dpkg"
	expect_deps 0 ""
}
check "deps: nothing missing: silent, and no apt-get" deps_ready

deps_root() {
	deps "to build" "bash $nope" "for the tests" "dpkg $nope-2"
	expect_deps 0 "deps: installing 2 missing Debian packages with apt-get, as root:
  to build: $nope
  for the tests: $nope-2
deps: installed 2 packages" "apt-get update -q
apt-get install -y --no-install-recommends $nope $nope-2"
}
check "deps: as root it says what it installs and why, then apt-get installs only that" deps_root

deps_no_sudo() {
	FAKE_UID=1000 deps "to build" "bash $nope"
	expect_deps 1 "deps: 1 Debian package is missing:
  to build: $nope
deps: installing needs root, and there is no sudo; as root, run:
  apt-get update && apt-get install -y --no-install-recommends $nope
then run make again."
}
check "deps: not root and no sudo: it says what to run, and fails" deps_no_sudo

deps_sudo() {
	printf '#!/bin/sh\necho "sudo $*" >>"%s/apt.log"; exit 1\n' "$TMP" >"$fake/sudo"
	chmod +x "$fake/sudo"
	FAKE_UID=1000 deps "to build" "$nope"
	rm -f "$fake/sudo"
	expect_deps 1 "deps: installing 1 missing Debian package with apt-get, through sudo:
  to build: $nope
deps: apt-get failed (see above); once it works, run make again:
  sudo apt-get update && sudo apt-get install -y --no-install-recommends $nope" \
		"sudo apt-get update -q"
}
check "deps: not root: through sudo, and when that fails it says what to run" deps_sudo

# --- make run ----------------------------------------------------------
# make from within make test, without the outer make's flags and
# variables.
plain_make() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$ROOT" "$@"
}

make_run_port() {
	plain_make -n run | grep -- '--bind 127.0.0.1 --port 8080$' &&
		plain_make -n run PORT=8081 | grep -- '--bind 127.0.0.1 --port 8081$'
}
check "make run serves on 127.0.0.1:8080, or on PORT" make_run_port

# --- make install, make uninstall -----------------------------------------
# The binary under test is installed as it is (-o: never rebuilt here).
install_make() {
	plain_make BIN="$BIN" BUILD="$BUILD" -o "$BIN" "$@"
}

# build_from_root PROGRAM OUT [ARGS...]: build the shipped data from /.
build_from_root() {
	local program=$1 out=$2
	shift 2
	(cd / && $WRAP "$program" build --data "$ROOT/data" --out "$out" "$@" >/dev/null) &&
		[ -f "$out/assets/style.css" ]
}

inst=$TMP/inst
mkdir -p "$inst/bin"
echo 'not ours' >"$inst/bin/other-tool"
check "install: make install PREFIX=DIR" install_make install PREFIX="$inst"
check "install: the program, its manual and its templates with their assets" \
	test -x "$inst/bin/cancelatlas" -a -f "$inst/share/man/man1/cancelatlas.1" \
	-a -f "$inst/share/cancelatlas/templates/layout.mustache" \
	-a -f "$inst/share/cancelatlas/templates/assets/index.js"
check "install: the installed program builds the site from / with --data" \
	build_from_root "$inst/bin/cancelatlas" "$TMP/inst-site"

# Without the installed templates it says where it looked, and
# --templates still overrides.
mv "$inst/share/cancelatlas/templates" "$inst/templates.away"
out=$(cd / && $WRAP "$inst/bin/cancelatlas" build --data "$ROOT/data" --out "$TMP/inst-none" 2>&1)
status=$?
want="cancelatlas: no templates in $inst/bin/templates or $inst/bin/../share/cancelatlas/templates; give --templates DIR"
if [ $status -eq 2 ] && [ "$out" = "$want" ] && [ ! -e "$TMP/inst-none" ]; then
	ok "install: no templates: exit 2, one line naming both places looked in"
else
	not_ok "install: no templates: exit 2, one line naming both places looked in" \
		"exit $status; got:"$'\n'"$out"$'\n'"expected:"$'\n'"$want"
fi
check "install: --templates overrides the places looked in" \
	build_from_root "$inst/bin/cancelatlas" "$TMP/inst-override" \
	--templates "$inst/templates.away"
mv "$inst/templates.away" "$inst/share/cancelatlas/templates"

check "uninstall: make uninstall PREFIX=DIR" install_make uninstall PREFIX="$inst"
left=$(cd "$inst" && find . -type f -o -type l | sort)
if [ "$left" = "./bin/other-tool" ] && [ ! -e "$inst/share/cancelatlas" ]; then
	ok "uninstall: removes what install wrote, and nothing else"
else
	not_ok "uninstall: removes what install wrote, and nothing else" "left: $left"
fi

check "install: DESTDIR stages the files under it" \
	install_make install DESTDIR="$TMP/stage" PREFIX=/opt/atlas
check "install: the staged program finds its staged templates" \
	build_from_root "$TMP/stage/opt/atlas/bin/cancelatlas" "$TMP/stage-site"
