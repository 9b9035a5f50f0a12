# Sourced by tests/run: `cancelatlas monitor` against a local site
# (tests/tools/monitor_server.py) whose pages change, vanish, move, hang,
# grow past the size cap and hide behind robots.txt between two runs, then
# `build --db` with what it stored. Never touches the internet. Uses $BIN,
# $WRAP, $TMP and cli_status / cli_says from commands.sh.

mon_dir=$TMP/monitor
mkdir -p "$mon_dir/srv" "$mon_dir/data/records"
python3 tests/tools/monitor_server.py "$mon_dir/srv" 2>"$mon_dir/server.err" &
mon_pid=$!
for _ in $(seq 100); do
	[ -f "$mon_dir/srv/port" ] && break
	sleep 0.05
done
mon_base=http://127.0.0.1:$(cat "$mon_dir/srv/port" 2>/dev/null)

# Coursera's record, reviewed 2026-05-20, citing the local site: the
# official page changes, the deletion page vanishes, one piece of evidence
# starts redirecting, one hangs, one is too big, one is a PDF, one is
# disallowed by robots.txt. "steady" cites only pages that stay put.
cp data/industries.yaml data/site.yaml "$mon_dir/data/"
mon_record() { # ID NAME OFFICIAL DELETION EVIDENCE_PATH...
	local id=$1 name=$2 official=$3 deletion=$4
	shift 4
	sed -e "s#^id: .*#id: $id#" -e "s#^name: .*#name: $name#" \
		-e "s#^reviewed: .*#reviewed: 2026-05-20#" \
		-e "s#^official_page: .*#official_page: $mon_base$official#" \
		-e "s#^  url: https://www.coursera.org/about/privacy#  url: $mon_base$deletion#" \
		-e '/^evidence:/,$d' data/records/coursera.yaml
	echo "refund_page: $mon_base/refund"
	echo "evidence:"
	for p in "$@"; do
		printf '  - title: Page %s\n    url: %s%s\n    accessed: 2026-05-20\n' \
			"$p" "$mon_base" "$p"
	done
}
mon_record coursera Coursera /terms /gone /terms /old /etag /slow /huge \
	/doc.pdf /private/policy >"$mon_dir/data/records/coursera.yaml"
mon_record steady Steady /refund /refund /etag >"$mon_dir/data/records/steady.yaml"
mon_run() { # EPOCH ARGS...: monitor the test data at time EPOCH
	local epoch=$1
	shift
	SOURCE_DATE_EPOCH=$epoch $WRAP "$BIN" monitor --data "$mon_dir/data" \
		--db "$mon_dir/monitor.db" --timeout 1000 --max-bytes 65536 \
		--retries 1 "$@"
}

cli_status "cli: monitor --help" 0 $WRAP "$BIN" monitor --help
cli_says "cli: monitor of a mistyped id suggests the id" 1 \
	"cancelatlas: no record 'coursra' in $mon_dir/data/records; did you mean 'coursera'?" \
	$WRAP "$BIN" monitor --data "$mon_dir/data" --db "$mon_dir/x.db" --only coursra
cli_says "cli: monitor refuses a delay that is not a number" 2 \
	"cancelatlas: 'soon' is not a valid delay (0 to 600000 ms); see 'cancelatlas monitor --help'" \
	$WRAP "$BIN" monitor --data "$mon_dir/data" --delay soon
cli_says "cli: monitor takes ids only after --only" 2 \
	"cancelatlas: unexpected argument 'coursera'; did you mean '--only coursera'?" \
	$WRAP "$BIN" monitor --data "$mon_dir/data" coursera

# The first run, on the review day, with a delay: the baseline.
mon_review_day=$(date -u -d 2026-05-20T12:00:00Z +%s)
mon_out=$(mon_run "$mon_review_day" --delay 150 2>&1)
mon_status=$?
mon_expected="coursera (Coursera, reviewed 2026-05-20): 9 cited pages, none changed, moved or broken
  unchanged  $mon_base/terms (official page)
  unchanged  $mon_base/refund (refund page)
  unchanged  $mon_base/gone (deletion page)
  unchanged  $mon_base/old (evidence)
  unchanged  $mon_base/etag (evidence)
  unchanged  $mon_base/slow (evidence)
  unchanged  $mon_base/huge (evidence)
             the page was cut at the size cap
  unchanged  $mon_base/doc.pdf (evidence)
  unchecked  $mon_base/private/policy (evidence): disallowed by robots.txt (Disallow: /private)
steady (Steady, reviewed 2026-05-20): 2 cited pages, none changed, moved or broken
  unchanged  $mon_base/refund (official page)
  unchanged  $mon_base/etag (evidence)
2 records: 10 unchanged, 0 changed, 0 moved, 0 broken, 1 unchecked"
if [ "$mon_status" -eq 0 ] && [ "$mon_out" = "$mon_expected" ]; then
	ok "cli: monitor's first run stores every page and exits 0"
else
	not_ok "cli: monitor's first run stores every page and exits 0 (exit $mon_status)" \
		"$(diff <(printf '%s\n' "$mon_expected") <(printf '%s\n' "$mon_out"))"
fi

# Politeness, from the server's log of that run: robots.txt once, the
# site's name and contact in the User-Agent, each URL once (steady's are
# coursera's too), never a disallowed page, and 150 ms between requests.
# The log's times are rounded to the millisecond, and their difference is
# a float (74453.086 - 74452.936 is 0.1499999...), so a gap counts from
# 149 ms: without the delay the requests come a millisecond or two apart.
mon_log=$mon_dir/srv/requests.log
mon_ua="CancelAtlas-monitor/1.0 (+https://www.cancelatlas.com; corrections@cancelatlas.com)"
if [ "$(grep -c ' /robots.txt ' "$mon_log")" = 1 ] &&
	[ "$(cut -d' ' -f2 "$mon_log" | sort | uniq -d)" = "" ] &&
	! grep -q ' /private' "$mon_log" &&
	[ "$(cut -d' ' -f3- "$mon_log" | sort -u)" = "$mon_ua|" ] &&
	awk 'NR > 1 && $1 - prev < 0.149 { bad = 1 } { prev = $1 } END { exit bad }' "$mon_log"; then
	ok "cli: monitor is polite: robots.txt once, its User-Agent, one request at a time with the delay"
else
	not_ok "cli: monitor is polite: robots.txt once, its User-Agent, one request at a time with the delay" \
		"$(cat "$mon_log")"
fi

# The site changes; the second run is six weeks after the review.
echo 2 >"$mon_dir/srv/phase"
: >"$mon_log"
mon_out=$(mon_run "$SOURCE_DATE_EPOCH" --delay 0 2>&1)
mon_status=$?
mon_since="             since the review of 2026-05-20 (the copy of 2026-05-20):"
mon_expected="coursera (Coursera, reviewed 2026-05-20): 9 cited pages, 5 changed, moved or broken since the review
  changed    $mon_base/terms (official page)
$mon_since
             - You can cancel online at any time from your account page.
             + To cancel, call us during office hours.
  unchanged  $mon_base/refund (refund page)
  broken     $mon_base/gone (deletion page): HTTP 404
  moved      $mon_base/old (evidence): now at $mon_base/new
$mon_since
             the text is the same
  unchanged  $mon_base/etag (evidence)
  broken     $mon_base/slow (evidence): timed out after 2 attempts
  unchanged  $mon_base/huge (evidence)
             the page was cut at the size cap
  changed    $mon_base/doc.pdf (evidence)
$mon_since
             not a text page: its bytes changed
  unchecked  $mon_base/private/policy (evidence): disallowed by robots.txt (Disallow: /private)
steady (Steady, reviewed 2026-05-20): 2 cited pages, none changed, moved or broken
  unchanged  $mon_base/refund (official page)
  unchanged  $mon_base/etag (evidence)
2 records: 5 unchanged, 2 changed, 1 moved, 2 broken, 1 unchecked"
if [ "$mon_status" -eq 1 ] && [ "$mon_out" = "$mon_expected" ]; then
	ok "cli: monitor names the record, the page and the words that changed, and what broke or moved (exit 1)"
else
	not_ok "cli: monitor names the record, the page and the words that changed, and what broke or moved (exit $mon_status, expected 1)" \
		"$(diff <(printf '%s\n' "$mon_expected") <(printf '%s\n' "$mon_out"))"
fi
if grep -q '^[0-9.]* /etag .*|"v1"$' "$mon_log"; then
	ok "cli: monitor asks again with If-None-Match and takes 304 as unchanged"
else
	not_ok "cli: monitor asks again with If-None-Match and takes 304 as unchanged" "$(cat "$mon_log")"
fi

cli_status "cli: monitor --only a record whose pages stayed put exits 0" 0 \
	mon_run "$SOURCE_DATE_EPOCH" --delay 0 --only steady

mon_json=$(mon_run "$SOURCE_DATE_EPOCH" --delay 0 --json --only coursera steady 2>&1)
if jq -e --arg b "$mon_base" '
	(.records | map(.id)) == ["coursera", "steady"] and
	(.records[0].pages | map({(.url | ltrimstr($b)): .status}) | add) ==
		{"/terms": "changed", "/refund": "unchanged", "/gone": "broken",
		 "/old": "moved", "/etag": "unchanged", "/slow": "broken",
		 "/huge": "unchanged", "/doc.pdf": "changed",
		 "/private/policy": "unchecked"} and
	(.records[0].pages[0] | .removed == ["You can cancel online at any time from your account page."]
		and .added == ["To cancel, call us during office hours."]
		and .baseline.after_review == false
		and .checked == "2026-07-01T00:00:00Z") and
	(.records[0].pages[3].redirects == ["301 \($b)/old -> \($b)/new"]) and
	(.records[0].pages[6].truncated == true) and
	.counts == {"unchecked": 1, "unchanged": 5, "changed": 2, "moved": 1, "broken": 2}' \
	<<<"$mon_json" >/dev/null; then
	ok "cli: monitor --json gives each page's status, words, redirects and the counts"
else
	not_ok "cli: monitor --json gives each page's status, words, redirects and the counts" "$mon_json"
fi

# build --db shows it: the record page's notice and the per-record JSON.
mon_site=$mon_dir/site
if $WRAP "$BIN" build --data "$mon_dir/data" --db "$mon_dir/monitor.db" \
	--out "$mon_site" >"$mon_dir/build.out" 2>&1 &&
	jq -e --arg b "$mon_base" '
		(.policy.sources | map({(.url | ltrimstr($b)): [.status, .checked]}) | add) ==
		{"/terms": ["changed", "2026-07-01"], "/old": ["moved", "2026-07-01"],
		 "/etag": ["unchanged", "2026-07-01"], "/slow": ["broken", "2026-07-01"],
		 "/huge": ["unchanged", "2026-07-01"], "/doc.pdf": ["changed", "2026-07-01"],
		 "/private/policy": ["unchecked", "2026-07-01"]}' \
		"$mon_site/api/v1/companies/coursera.json" >/dev/null &&
	grep -q "the deletion page <a href=\"$mon_base/gone\" rel=\"nofollow noopener\">$mon_base/gone</a> could not be fetched (HTTP 404)" \
		"$mon_site/c/coursera/index.html" &&
	grep -q "the official page <a href=\"$mon_base/terms\" rel=\"nofollow noopener\">$mon_base/terms</a> has changed" \
		"$mon_site/c/coursera/index.html" &&
	grep -q 'Cited pages last checked <time datetime="2026-07-01">' \
		"$mon_site/c/coursera/index.html" &&
	! grep -q 'monitoring found' "$mon_site/c/steady/index.html"; then
	ok "cli: build --db marks the sources changed and broken and flags them on the record page"
else
	not_ok "cli: build --db marks the sources changed and broken and flags them on the record page" \
		"$(cat "$mon_dir/build.out"; jq .policy.sources "$mon_site/api/v1/companies/coursera.json")"
fi

# A record whose cited pages changed or broke is due for review, though
# reviewed six weeks ago: on its page, in its JSON, and in `stale`.
if jq -e '.stale == true and .review_age_days == 42' \
	"$mon_site/api/v1/companies/coursera.json" >/dev/null &&
	jq -e '.stale == false' "$mon_site/api/v1/companies/steady.json" >/dev/null &&
	grep -q 'monitoring found a cited page changed, moved or broken' \
		"$mon_site/c/coursera/index.html" &&
	grep -q '/c/coursera/' "$mon_site/stale/index.html" &&
	! grep -q '/c/steady/' "$mon_site/stale/index.html"; then
	ok "cli: a record whose cited pages changed or broke is due for review on its page and in its JSON"
else
	not_ok "cli: a record whose cited pages changed or broke is due for review on its page and in its JSON" \
		"$(jq '{stale, review_age_days}' "$mon_site/api/v1/companies/coursera.json")"
fi
stale_json=$($WRAP "$BIN" stale --data "$mon_dir/data" --db "$mon_dir/monitor.db" --json)
stale_status=$?
if [ "$stale_status" -eq 1 ] &&
	jq -e --arg b "$mon_base" '
		(.records | map(.id)) == ["coursera"] and
		(.records[0].reasons | map(.kind) | unique) == ["source_broken", "source_changed"] and
		(.records[0].reasons | map(select(.kind == "source_broken")) | map(.url) | index($b + "/gone")) != null' \
		<<<"$stale_json" >/dev/null; then
	ok "cli: stale lists a record whose cited pages changed or broke, with those pages as the reasons (exit 1)"
else
	not_ok "cli: stale lists a record whose cited pages changed or broke, with those pages as the reasons (exit $stale_status)" \
		"$stale_json"
fi

kill "$mon_pid" 2>/dev/null
wait "$mon_pid" 2>/dev/null
