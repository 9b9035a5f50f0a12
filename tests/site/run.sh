#!/usr/bin/env bash
# tests/site/run.sh SITE_DIR DATA_DIR [HOSTILE_ID] - check a built site.
#
# Prints one "ok - NAME" / "not ok - NAME" line per check, details
# indented beneath a failure (tests/run reads them); exits 1 if any failed.
#   - Nu Html Checker (vnu.jar, errors only), one run over every .html page,
#     every .svg (SVG mode) and the stylesheet; rsvg-convert renders every
#     .svg; every record has its badge
#   - links, sitemap, feeds (tests/browser/links.js)
#   - JSON, JSON Schema, JSON-LD (tests/browser/json.js)
#   - CSV (tests/site/csv_check.py)
#   - share images and Open Graph tags (tests/site/cards_check.py)
#   - headless Chromium: axe, scripts from data, the index (browser.js)
# SITE_DIR must be built from DATA_DIR; HOSTILE_ID (default hostile) is
# the record whose text fields hold markup.
#
# With SCREENSHOTS=1 it also builds the demo site (cancelatlas gen 300
# --seed 3 plus data/records/coursera.yaml, with BIN) and saves the
# screenshots of docs/screenshots/ from it (tests/browser/screenshots.js).
#
# Needs Node >= 18 (Debian 12's), Java >= 11, Chromium (/usr/bin/chromium or CHROMIUM),
# rsvg-convert and python3 (make deps installs them). Missing ones are
# failures, never skips. The Node packages are pinned in
# tests/browser/package-lock.json and installed with npm ci when missing
# or older than the lock file.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BROWSER=$ROOT/tests/browser
site=${1:?usage: run.sh SITE_DIR DATA_DIR [HOSTILE_ID]}
data=${2:?usage: run.sh SITE_DIR DATA_DIR [HOSTILE_ID]}
hostile=${3:-hostile}
site=$(cd "$site" && pwd) || exit 2
failed=0
work=$(mktemp -d "${TMPDIR:-/tmp}/atlas-site.XXXXXX")
trap 'rm -rf "$work"' EXIT

ok() { echo "ok - $1"; }
not_ok() {
	failed=1
	echo "not ok - $1"
	shift
	[ $# -gt 0 ] && printf '%s\n' "$@" | sed 's/^/    /'
	return 0
}

# Run a program that prints its own ok/not ok lines. A program that fails
# without saying which check failed (a crash) is a failure of its own.
run() {
	local status
	"$@" 2>&1 | tee "$work/run.out"
	status=${PIPESTATUS[0]}
	if [ "$status" -ne 0 ]; then
		failed=1
		grep -q '^not ok - ' "$work/run.out" ||
			not_ok "$(basename "$2") ran to the end (exit status $status)" "$(tail -n 30 "$work/run.out")"
	fi
	return 0
}

# --- what the checks need -------------------------------------------------
missing=()
node -e 'process.exit(+process.versions.node.split(".")[0] < 18 ? 1 : 0)' 2>/dev/null ||
	missing+=("Node.js >= 18 (found: $(node --version 2>/dev/null || echo none); apt-get install nodejs npm)")
command -v npm >/dev/null || missing+=("npm (apt-get install npm)")
java -version >/dev/null 2>&1 || missing+=("Java for vnu.jar (apt-get install default-jre-headless)")
chromium=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || missing+=("Chromium at $chromium (apt-get install chromium, or set CHROMIUM)")
command -v rsvg-convert >/dev/null || missing+=("rsvg-convert (apt-get install librsvg2-bin)")
command -v python3 >/dev/null || missing+=("python3 (apt-get install python3)")
if [ ${#missing[@]} -gt 0 ]; then
	not_ok "the site checks have what they need (run make deps)" "${missing[@]/#/missing: }"
	exit 1
fi

# npm ci when node_modules is missing or older than package(-lock).json;
# flock keeps two test runs from installing over each other.
#
# A network that intercepts TLS with its own certificate authority (a
# company proxy) makes npm refuse the registry on a machine that does not
# trust that authority yet. Every package is pinned in package-lock.json
# by its sha512, which npm ci checks on each download whatever the
# transport, so the install is then tried once more without the TLS
# check, and says so: what arrives is byte for byte what was locked, or
# nothing is installed.
install_log=$work/npm.log
if ! (
	cd "$BROWSER" &&
		flock package-lock.json sh -c '
		if [ ! -f node_modules/.package-lock.json ] ||
		   [ package.json -nt node_modules/.package-lock.json ] ||
		   [ package-lock.json -nt node_modules/.package-lock.json ]; then
			echo "installing tests/browser/node_modules (npm ci)" >&2
			npm ci --ignore-scripts --no-audit --no-fund >"$1" 2>&1 && exit 0
			cat "$1"
			grep -qE "SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT|UNABLE_TO_VERIFY_LEAF|CERT_UNTRUSTED" "$1" || exit 1
			[ "$(grep -c "\"integrity\": \"sha512-" package-lock.json)" -eq \
			  "$(grep -c "\"node_modules/" package-lock.json)" ] || exit 1
			echo "the registry'"'"'s TLS certificate is not trusted here (a proxy?); every package is pinned by sha512 in package-lock.json, so installing again with that check alone" >&2
			npm ci --ignore-scripts --no-audit --no-fund --strict-ssl=false
		fi' sh "$work/npm-ci.log"
) >"$install_log" 2>&1; then
	not_ok "npm ci installs the pinned checkers into tests/browser/node_modules" "$(tail -n 20 "$install_log")"
	exit 1
fi
grep -h "not trusted here" "$install_log" | sed 's/^/# /'
vnu_jar=$BROWSER/node_modules/vnu-jar/build/dist/vnu.jar

nrecords=$(find "$data/records" -name '*.yaml' | wc -l)

# --- Nu Html Checker and rsvg-convert, in the background ---------------
# One JVM for every file: pages, SVG (badges, favicon) and CSS.
(cd "$site" && find . -type f \( -name '*.html' -o -name '*.svg' -o -name '*.css' \) | sort) >"$work/nu-files"
(
	cd "$site" &&
		java -jar "$vnu_jar" --errors-only --format gnu --stdout \
			--skip-non-html --also-check-svg --also-check-css . >"$work/nu.out" 2>&1
	echo $? >"$work/nu.status"
) &
nu_pid=$!
(
	cd "$site" && find . -type f -name '*.svg' -print0 | sort -z |
		xargs -0 -r -P2 -n1 sh -c 'rsvg-convert "$1" >/dev/null 2>"$1.rsvg-err" ||
			echo "$1: rsvg-convert cannot render it: $(head -c 300 "$1.rsvg-err")"; rm -f "$1.rsvg-err"' _
) >"$work/rsvg.out" 2>&1 &
rsvg_pid=$!

# --- the filesystem checks -----------------------------------------------
run node "$BROWSER/links.js" "$site"
run node "$BROWSER/json.js" "$site" "$nrecords" --fixture
run python3 "$ROOT/tests/site/csv_check.py" "$site" "$nrecords" "$hostile"
run python3 "$ROOT/tests/site/cards_check.py" "$site" "$data"

# Every record has its badge: 232x52, role="img" and a <title>.
problems=()
for f in "$data"/records/*.yaml; do
	id=$(basename "$f" .yaml)
	svg=$site/share/badges/$id.svg
	if [ ! -f "$svg" ]; then
		problems+=("share/badges/$id.svg is missing")
	elif ! head -n1 "$svg" | grep -q 'width="232" height="52"' ||
		! head -n1 "$svg" | grep -q 'role="img"' || ! grep -q '<title[ >]' "$svg"; then
		problems+=("share/badges/$id.svg: the root lacks width=232 height=52 or role=img, or there is no <title>")
	fi
done
if [ ${#problems[@]} -eq 0 ]; then ok "every record has a 232x52 badge with role=img and a <title> ($nrecords)"; else
	not_ok "every record has a 232x52 badge with role=img and a <title>" "${problems[@]}"; fi

# --- Chromium --------------------------------------------------------------
CHROMIUM=$chromium run node "$BROWSER/browser.js" "$site" "$hostile"

# --- the Nu and rsvg results -----------------------------------------------
wait "$nu_pid" "$rsvg_pid"
nu_status=$(cat "$work/nu.status" 2>/dev/null || echo none)
count() { grep -c "$1" "$work/nu-files"; }
nu_report() { # LABEL EXT
	local lines
	lines=$(grep -E "^\"file:[^\"]*\\.$2\"" "$work/nu.out" | sed -e "s#^\"file:$site/\\./#\"#")
	if [ -n "$lines" ]; then
		not_ok "Nu Html Checker: no error in $(count "\\.$2\$") $1" "$lines"
	else
		ok "Nu Html Checker: no error in $(count "\\.$2\$") $1"
	fi
}
if [ "$nu_status" != 0 ] && [ "$nu_status" != 1 ] || [ "$(count '\.html$')" -eq 0 ]; then
	not_ok "Nu Html Checker ran (exit status $nu_status)" "$(tail -n 20 "$work/nu.out")"
else
	nu_report "HTML pages" html
	nu_report "SVG files (SVG mode)" svg
	nu_report "stylesheets" css
	# Anything else vnu said (a message about no file of ours), or a
	# failure status with no message, fails too.
	other=$(grep -vE '^"file:[^"]*\.(html|svg|css)"' "$work/nu.out")
	if [ -n "$other" ] || { [ "$nu_status" = 1 ] && [ ! -s "$work/nu.out" ]; }; then
		not_ok "Nu Html Checker: no message outside the checked files (exit status $nu_status)" "$other"
	fi
fi
nsvg=$(count '\.svg$')
if [ -s "$work/rsvg.out" ]; then
	not_ok "rsvg-convert renders every SVG ($nsvg)" "$(cat "$work/rsvg.out")"
else
	ok "rsvg-convert renders every SVG ($nsvg)"
fi

# --- screenshots (SCREENSHOTS=1) --------------------------------------------
if [ "${SCREENSHOTS:-}" = 1 ]; then
	bin=${BIN:-$ROOT/cancelatlas}
	demo=$work/demo
	# A repository of two dated commits, so record pages show a history.
	demo_git() {
		GIT_AUTHOR_NAME=Ed GIT_AUTHOR_EMAIL=ed@example.com \
			GIT_COMMITTER_NAME=Ed GIT_COMMITTER_EMAIL=ed@example.com \
			GIT_AUTHOR_DATE="$1T12:00:00Z" GIT_COMMITTER_DATE="$1T12:00:00Z" \
			git -C "$demo" "${@:2}"
	}
	if out=$("$bin" gen 300 --seed 3 --data "$ROOT/data" --out "$demo/data" 2>&1) &&
		cp "$ROOT/data/records/coursera.yaml" "$demo/data/records/" &&
		sed -i 's/refund_disclosed: 100/refund_disclosed: 50/' "$demo/data/records/coursera.yaml" &&
		git init -q "$demo" && demo_git 2026-03-02 add -A &&
		demo_git 2026-03-02 commit -q -m "Add the records" &&
		cp "$ROOT/data/records/coursera.yaml" "$demo/data/records/" &&
		demo_git 2026-06-05 commit -q -a -m "Coursera: refund terms no longer per plan"; then
		CHROMIUM=$chromium run node "$BROWSER/screenshots.js" "$bin" "$demo/data" \
			"$ROOT/templates" "$demo/serve" "$ROOT/docs/screenshots"
	else
		not_ok "the demo data (gen 300 --seed 3 + coursera) is made for the screenshots" "$out"
	fi
fi

exit $failed
