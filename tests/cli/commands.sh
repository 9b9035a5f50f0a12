# Sourced by tests/run: the command line's contract - exit statuses,
# --help on every command, score output in text and JSON, generated data.
# Uses $BIN, $WRAP and $TMP from tests/run.

cli_status() { # NAME EXPECTED_STATUS COMMAND...
	local name=$1 want=$2 out status
	shift 2
	out=$("$@" 2>&1)
	status=$?
	if [ "$status" -eq "$want" ]; then
		ok "$name"
	else
		not_ok "$name (exit $status, expected $want)" "$out"
	fi
}

cli_status "cli: no command is a usage error" 2 $WRAP "$BIN"
cli_status "cli: an unknown command is a usage error" 2 $WRAP "$BIN" frobnicate
cli_status "cli: an unknown option is a usage error" 2 $WRAP "$BIN" check --bogus
cli_status "cli: a missing data folder is a usage error" 2 $WRAP "$BIN" check --data "$TMP/nowhere"
cli_status "cli: score of an unknown id fails" 1 $WRAP "$BIN" score no-such-record
cli_status "cli: score refuses a path as an id" 2 $WRAP "$BIN" score ../data/records/coursera
cli_status "cli: gen refuses a zero count" 2 $WRAP "$BIN" gen 0 --out "$TMP/g0"
cli_status "cli: the shipped data checks clean" 0 $WRAP "$BIN" check
for c in check score build import new gen help version; do
	cli_status "cli: $c --help" 0 $WRAP "$BIN" $c --help
done

# cli_says NAME STATUS LINE COMMAND...: COMMAND exits STATUS and says
# exactly LINE (one line, stdout and stderr together).
cli_says() {
	local name=$1 want=$2 line=$3 out status
	shift 3
	out=$("$@" 2>&1)
	status=$?
	if [ "$status" -eq "$want" ] && [ "$out" = "$line" ]; then
		ok "$name"
	else
		not_ok "$name (exit $status, expected $want)" \
			"$(diff <(printf '%s\n' "$line") <(printf '%s\n' "$out"))"
	fi
}

# The mistakes a newcomer makes: each gets one line, with the closest
# command, option, value or id when one is close, and the right status.
cli_says "cli: a mistyped command suggests the command" 2 \
	"cancelatlas: no command 'chekc'; did you mean 'check'?" $WRAP "$BIN" chekc
cli_says "cli: help of a mistyped command suggests it too" 2 \
	"cancelatlas: no command 'chekc'; did you mean 'check'?" $WRAP "$BIN" help chekc
cli_says "cli: a command nothing like ours points at --help" 2 \
	"cancelatlas: no command 'frobnicate'; see 'cancelatlas --help'" $WRAP "$BIN" frobnicate
cli_says "cli: a mistyped option suggests the command's own" 2 \
	"cancelatlas: unknown option '--otu'; did you mean '--out'?" $WRAP "$BIN" build --otu x
cli_says "cli: a mistyped --opt=value is named without its value" 2 \
	"cancelatlas: unknown option '--otu'; did you mean '--out'?" $WRAP "$BIN" build --otu=x
cli_says "cli: a longer spelling of an option suggests it" 2 \
	"cancelatlas: unknown option '--output'; did you mean '--out'?" $WRAP "$BIN" gen 5 --output x
cli_says "cli: an option of another command is not suggested" 2 \
	"cancelatlas: unknown option '--json'; see 'cancelatlas check --help'" $WRAP "$BIN" check --json
cli_says "cli: a long option after one dash suggests two" 2 \
	"cancelatlas: unknown option '-list-codes'; did you mean '--list-codes'?" $WRAP "$BIN" check -list-codes
cli_says "cli: one dash before an option that takes a value is caught" 2 \
	"cancelatlas: unknown option '-out'; did you mean '--out'?" $WRAP "$BIN" build -out "$TMP/never"
cli_says "cli: an abbreviation of two options is ambiguous" 2 \
	"cancelatlas: ambiguous option '--t'; did you mean '--threads' or '--templates'?" $WRAP "$BIN" serve --t x
cli_says "cli: a value for an option that takes none" 2 \
	"cancelatlas: option '--json' takes no value; see 'cancelatlas score --help'" $WRAP "$BIN" score --json=yes coursera
cli_says "cli: an option without its value" 2 \
	"cancelatlas: option '--out' needs a value; see 'cancelatlas gen --help'" $WRAP "$BIN" gen 5 --out
cli_says "cli: a mistyped option before the command" 2 \
	"cancelatlas: unknown option '--dat'; did you mean '--data'?" $WRAP "$BIN" --dat data check
cli_says "cli: -v suggests --version" 2 \
	"cancelatlas: unknown option '-v'; did you mean '--version'?" $WRAP "$BIN" -v
cli_says "cli: --data without a folder" 2 \
	"cancelatlas: option '--data' needs a value; see 'cancelatlas --help'" $WRAP "$BIN" --data
cli_says "cli: a mistyped record id suggests the id" 1 \
	"cancelatlas: no record 'coursra' in data/records; did you mean 'coursera'?" $WRAP "$BIN" score coursra
cli_says "cli: an id nothing like ours says only that it is missing" 1 \
	"cancelatlas: no record 'no-such-record' in data/records" $WRAP "$BIN" score no-such-record
cli_says "cli: a record file's path suggests its id" 2 \
	"cancelatlas: 'data/records/coursera.yaml' is not a record id; did you mean 'coursera'?" \
	$WRAP "$BIN" score data/records/coursera.yaml
cli_says "cli: an id in capitals suggests it in lower case" 2 \
	"cancelatlas: 'Coursera' is not a record id; did you mean 'coursera'?" $WRAP "$BIN" score Coursera
cli_says "cli: new given a file name suggests the id" 2 \
	"cancelatlas: 'Acme-Stream.yaml' is not a valid id; did you mean 'acme-stream'?" $WRAP "$BIN" new Acme-Stream.yaml
cli_says "cli: new given no kind of id says what one is" 2 \
	"cancelatlas: 'acme_stream' is not a valid id: use lower-case letters, digits and single hyphens" \
	$WRAP "$BIN" new acme_stream
cli_says "cli: a missing record id says what an id is" 2 \
	"cancelatlas: score takes one record id: the name of a file in data/records, without .yaml; see 'cancelatlas score --help'" \
	$WRAP "$BIN" score
cli_says "cli: a mistyped action suggests the action" 2 \
	"cancelatlas: no action 'lsit'; did you mean 'list'?" $WRAP "$BIN" corrections lsit
cli_says "cli: a mistyped status suggests the status" 2 \
	"cancelatlas: no status 'pendng'; did you mean 'pending'?" $WRAP "$BIN" audits list --status pendng
cli_says "cli: a folder given to check suggests --data" 2 \
	"cancelatlas: unexpected argument 'data'; did you mean '--data data'?" $WRAP "$BIN" check data
cli_says "cli: a folder given to gen suggests --out" 2 \
	"cancelatlas: unexpected argument '$TMP/never'; did you mean '--out $TMP/never'?" $WRAP "$BIN" gen 5 "$TMP/never"
cli_says "cli: a number given to serve suggests --port" 2 \
	"cancelatlas: unexpected argument '8080'; did you mean '--port 8080'?" $WRAP "$BIN" serve 8080
cli_says "cli: help takes one command" 2 \
	"cancelatlas: unexpected argument 'score'; see 'cancelatlas help --help'" $WRAP "$BIN" help check score
cli_says "cli: version takes no argument" 2 \
	"cancelatlas: unexpected argument 'now'; see 'cancelatlas version --help'" $WRAP "$BIN" version now
cli_says "cli: --data naming no folder" 2 \
	"cancelatlas: no data folder '$TMP/nowhere'" $WRAP "$BIN" score --data "$TMP/nowhere/" coursera
cli_says "cli: --data naming a folder without records/" 2 \
	"cancelatlas: '$TMP' is not a data folder: it has no records/ folder" $WRAP "$BIN" build --data "$TMP" --out "$TMP/never"
check "cli: no data folder here says where to look" bash -c "
	cd '$TMP' && out=\$($WRAP '$BIN' check 2>&1); [ \$? -eq 2 ] &&
	[ \"\$out\" = \"cancelatlas: no data folder 'data' here (run cancelatlas where it is, or name one with --data DIR)\" ]"
for c in check score build serve import new gen corrections audits help version; do
	check "cli: $c -h is $c --help" bash -c "
		a=\$($WRAP '$BIN' $c -h) && b=\$($WRAP '$BIN' $c --help) && [ \"\$a\" = \"\$b\" ] &&
		grep -q '^usage: cancelatlas $c' <<<\"\$a\" && [ \"\$a\" = \"\$($WRAP '$BIN' help $c)\" ]"
done
check "cli: nothing was built by the mistakes above" test ! -e "$TMP/never"

# Every option a command's --help lists is one the command takes. Each is
# tried alone against a data folder that does not exist, so nothing runs:
# the answer may be a usage error, never "unknown option".
cli_help_options() {
	local c opt out bad=
	for c in check score history stale build new gen serve corrections audits import monitor; do
		for opt in $("$BIN" "$c" --help 2>&1 | grep -o -- '--[a-z][a-z-]*' | sort -u); do
			out=$(timeout 10 $WRAP "$BIN" "$c" --data "$TMP/nowhere" "$opt" 2>&1 </dev/null)
			case $out in *"unknown option"*) bad="$bad $c $opt:" ;; esac
		done
	done
	[ -z "$bad" ] || { echo "refused:$bad"; return 1; }
}
check "cli: every option a command's --help lists is accepted" cli_help_options
check "cli: --help lists every command" bash -c \
	"'$BIN' --help | grep -q 'check' && '$BIN' --help | grep -q 'score'"

check "cli: score prints the seed's sentence" bash -c "
	'$BIN' score coursera | grep -qF 'Coursera scores 79/100 (grade B) for how clearly it documents cancellation in the US — a clearly documented cancellation policy. Cancellation is available via online (self-serve), in-app.'"

cli_json() { # NAME JQ_FILTER COMMAND...: the filter must print true
	local name=$1 filter=$2 out
	shift 2
	if out=$("$@" 2>&1 | jq -e "$filter" 2>&1) && [ "$out" = true ]; then
		ok "$name"
	else
		not_ok "$name" "$out"
	fi
}

cli_json "cli: score --json gives policy 79/B and no flow" \
	'.policy.score == 79 and .policy.grade == "B" and .flow == null and
	 .policy.scores == {"cancel_url":50,"channel_disclosed":100,"notice_disclosed":100,"refund_disclosed":100,"findability":70} and
	 .cancellation_types == ["online (self-serve)","in-app"] and
	 .policy.policy_checked == "2026-06-05" and (.policy.sources | length) == 2' \
	$WRAP "$BIN" score coursera --json

# SPEC.md's fictional record with its audit, scored over the command line.
flow_dir=$TMP/flow-data
mkdir -p "$flow_dir/records"
cp data/industries.yaml data/site.yaml "$flow_dir/"
cp tests/unit/fixtures/northwind-stream.yaml "$flow_dir/records/"
# The fixture is SPEC.md's example as written, but for the sha256 that
# SPEC.md leaves out ("0f3c...").
without_sha() { sed 's/sha256: 0f3c.*/sha256: 0f3c/'; }
if [ -f "$SHARED/SPEC.md" ]; then
	check "cli: the northwind-stream fixture is SPEC.md's example" diff \
		<(sed -n '/^```yaml$/,/^```$/p' "$SHARED/SPEC.md" | sed '1d;$d' | without_sha) \
		<(grep -v '^#' tests/unit/fixtures/northwind-stream.yaml | without_sha)
else
	skip "cli: the northwind-stream fixture is SPEC.md's example" \
		"no $SHARED/SPEC.md (it ships in ../shared, beside the clone)"
fi
cli_json "cli: SPEC's worked example scores policy 85/B and flow 85/B" \
	'.policy.score == 85 and .policy.grade == "B" and .policy.band == "A" and
	 .flow.score == 85 and .flow.grade == "B" and .flow.audit_date == "2026-05-03" and
	 .flow.evidence_tier == "editor_verified" and .gap == 0 and
	 .headline.score == 85' \
	$WRAP "$BIN" score --data "$flow_dir" northwind-stream --json
check "cli: score shows the flow beside the policy and the gap" bash -c "
	out=\$('$BIN' --data '$flow_dir' score northwind-stream) &&
	grep -q 'Verified-Flow (editor_verified, audited 2026-05-03' <<<\"\$out\" &&
	grep -q 'capped from A: an A needs at most 3 steps' <<<\"\$out\" &&
	grep -q 'gap +0' <<<\"\$out\""

# Generated data: 2,000 records pass check with no errors.
gen_dir=$TMP/gen2000
if gen_said=$($WRAP "$BIN" gen 2000 --seed 7 --out "$gen_dir/" 2>&1); then
	# One line: the count, where, the seed, every other file written
	# (each of which exists), and the command that checks them.
	check "cli: gen says what it wrote and how to check it" bash -c '
		said=$1 dir=$2
		[ "$(wc -l <<<"$said")" -eq 1 ] &&
		[[ $said == "wrote 2,000 fictional records to $dir/records (seed 7), with "*"; check with: cancelatlas check --data $dir" ]] &&
		files=${said#*, with } && files=${files%%;*} &&
		grep -qw industries.yaml <<<"$files" &&
		for f in ${files//,/ }; do
			[ "$f" = and ] || [ -f "$dir/$f" ] || { echo "no $dir/$f"; exit 1; }
		done' _ "$gen_said" "$gen_dir"
	cli_status "cli: 2,000 generated records pass check" 0 $WRAP "$BIN" check --data "$gen_dir"
	check "cli: generated records are all fictional and under example.com" bash -c "
		[ \$(grep -l '^fictional: true' '$gen_dir'/records/*.yaml | wc -l) -eq 2000 ] &&
		! grep -hE '^ *(- )?(url|official_page|refund_page): ' '$gen_dir'/records/*.yaml | grep -v 'https://example.com/'"
else
	not_ok "cli: gen 2000 records" "$("$BIN" gen 2000 --seed 7 --out "$gen_dir.2" 2>&1)"
fi

# A skeleton goes to standard output or to a file named with --out, never
# into a records folder, where it would fail check.
new_dir=$TMP/new-data
mkdir -p "$new_dir/records" "$TMP/drafts"
cp data/industries.yaml "$new_dir/"
check "cli: new prints the skeleton and writes nothing" bash -c "
	cd '$TMP/drafts' && out=\$($WRAP '$BIN' new --data '$new_dir' acme-stream) &&
	grep -q '^id: acme-stream$' <<<\"\$out\" &&
	[ -z \"\$(ls -A)\" ] && [ -z \"\$(ls -A '$new_dir/records')\" ]"
cli_status "cli: new --out writes a skeleton" 0 $WRAP "$BIN" new --data "$new_dir" acme-stream --out "$TMP/drafts/acme-stream.yaml"
cli_status "cli: new refuses to overwrite" 1 $WRAP "$BIN" new --data "$new_dir" acme-stream -o "$TMP/drafts/acme-stream.yaml"
check "cli: new --force overwrites a file outside the records" bash -c "
	echo old >'$TMP/drafts/acme-stream.yaml' &&
	$WRAP '$BIN' new --data '$new_dir' acme-stream -o '$TMP/drafts/acme-stream.yaml' --force >/dev/null &&
	grep -q '^id: acme-stream$' '$TMP/drafts/acme-stream.yaml'"
check "cli: new --out FOLDER writes FOLDER/ID.yaml" bash -c "
	out=\$($WRAP '$BIN' new --data '$new_dir' beta-box --out '$TMP/drafts') &&
	[ -f '$TMP/drafts/beta-box.yaml' ] && grep -qF 'then move it to $new_dir/records/beta-box.yaml' <<<\"\$out\""
for target in "$new_dir/records" "$new_dir/records/acme-stream.yaml" \
	"$new_dir/../new-data/records/x.yaml"; do
	check "cli: new refuses a records folder, even with --force (${target#"$TMP"/})" bash -c "
		out=\$($WRAP '$BIN' new --data '$new_dir' acme-stream --force --out '$target' 2>&1); [ \$? -eq 1 ] &&
		grep -q 'writes no skeleton into a records folder: it fails .check. until every TODO is filled in; write it elsewhere (--out acme-stream.yaml), fill it in, then move it into .*/records/\$' <<<\"\$out\" &&
		[ \$(wc -l <<<\"\$out\") -eq 1 ] && [ -z \"\$(ls -A '$new_dir/records')\" ]"
done
# Any data folder's records, not only --data's; from inside it too.
check "cli: new refuses the records folder it runs in" bash -c "
	cd '$new_dir/records' && ! $WRAP '$BIN' new acme-stream --out acme-stream.yaml 2>/dev/null &&
	[ -z \"\$(ls -A .)\" ]"
check "cli: an unfilled skeleton fails check with E030" bash -c "
	cp '$TMP/drafts/acme-stream.yaml' '$new_dir/records/' &&
	out=\$('$BIN' check --data '$new_dir' 2>&1); [ \$? -eq 1 ] &&
	grep -q 'acme-stream.yaml:[0-9]*:[0-9]*: error\[E030\]' <<<\"\$out\""

# The companies.json a build publishes imports back to the same records.
rt=$TMP/roundtrip
mkdir -p "$rt/records"
cp data/industries.yaml data/site.yaml "$rt/"
if $WRAP "$BIN" gen 60 --seed 11 --out "$rt/src" >/dev/null 2>&1 &&
	cp data/records/coursera.yaml "$rt/src/records/" &&
	$WRAP "$BIN" --data "$rt/src" build --templates templates --out "$rt/site" >/dev/null 2>&1; then
	cli_status "cli: import reads back the companies.json of a build" 0 \
		$WRAP "$BIN" --data "$rt" import "$rt/site/api/v1/companies.json"
	cli_status "cli: imported records pass check" 0 $WRAP "$BIN" --data "$rt" check
	check "cli: every imported record scores as its source" bash -c "
		for f in '$rt'/src/records/*.yaml; do
			id=\$(basename \"\$f\" .yaml)
			a=\$('$BIN' --data '$rt/src' score \"\$id\" --json | jq -c '[.policy.scores, .policy.score, .policy.grade, .flow.score, .flow.grade]')
			b=\$('$BIN' --data '$rt' score \"\$id\" --json | jq -c '[.policy.scores, .policy.score, .policy.grade, .flow.score, .flow.grade]')
			[ \"\$a\" = \"\$b\" ] || { echo \"\$id: \$a != \$b\"; exit 1; }
		done"
	cli_status "cli: import refuses to overwrite without --force" 1 \
		$WRAP "$BIN" --data "$rt" import "$rt/site/api/v1/companies.json"
else
	not_ok "cli: build a site to import back"
fi

# A build replaces its folder whole, so it never takes one it did not write.
mine=$TMP/mine
mkdir -p "$mine" && echo precious >"$mine/notes.txt"
check "cli: build refuses a folder of someone's files and keeps them" bash -c "
	out=\$($WRAP '$BIN' build --templates templates --out '$mine' 2>&1); [ \$? -eq 1 ] &&
	grep -qF 'holds files that no build wrote' <<<\"\$out\" &&
	[ \"\$(cat '$mine/notes.txt')\" = precious ] && [ \"\$(ls -A '$mine')\" = notes.txt ]"
cli_status "cli: an empty option value is a usage error" 2 $WRAP "$BIN" build --out ""
check "cli: a site folder named with a trailing slash builds, and builds again" bash -c "
	$WRAP '$BIN' build --templates templates --out '$TMP/slash/' >/dev/null &&
	$WRAP '$BIN' build --templates templates --out '$TMP/slash/' >/dev/null &&
	[ -f '$TMP/slash/index.html' ] && ! ls -d '$TMP'/slash.* 2>/dev/null"

# start_serve LOG ARGS...: `cancelatlas serve ARGS --port 0` in the
# background; sets serve_pid, and serve_url once it says it is serving.
start_serve() {
	local log=$1 i
	shift
	"$@" --port 0 >"$log" 2>&1 &
	serve_pid=$!
	serve_url=
	for ((i = 0; i < 600; i++)); do
		serve_url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$log" | head -n 1)
		[ -n "$serve_url" ] && return 0
		kill -0 "$serve_pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# stop_serve: SIGTERM drains and exits 0.
stop_serve() {
	kill -TERM "$serve_pid" 2>/dev/null
	wait "$serve_pid"
}

# A site served as found, with no templates named: served, and forms
# answered in JSON, rather than a crash.
if start_serve "$TMP/nobuild.log" $WRAP "$BIN" serve --no-build --out "$TMP/slash" &&
	curl -fsS -o /dev/null "${serve_url}" && stop_serve; then
	ok "cli: serve --no-build without --templates serves the site"
else
	not_ok "cli: serve --no-build without --templates serves the site" "$(cat "$TMP/nobuild.log")"
	kill "$serve_pid" 2>/dev/null
fi

# Requests are answered while the first build runs: 503 with when to
# try again, a page that says so (JSON under /api/), then the
# site. A template that is a FIFO holds the build until the test writes
# it (every read of the templates reads it again).
hold=$TMP/hold
mkdir -p "$hold"
cp -r templates "$hold/templates"
rm "$hold/templates/terms.mustache"
mkfifo "$hold/templates/terms.mustache"
$WRAP "$BIN" serve --templates "$hold/templates" --out "$hold/site" \
	--db "$hold/atlas.db" --port 0 >"$hold/out" 2>"$hold/err" &
hold_pid=$!
hold_port=
for ((i = 0; i < 600; i++)); do
	hold_port=$(sed -n 's/^cancelatlas: building the site; 127\.0\.0\.1 port \([0-9]*\) answers 503 until it is ready$/\1/p' "$hold/err")
	[ -n "$hold_port" ] && break
	sleep 0.1
done
page=$(curl -sS -D "$hold/head" "http://127.0.0.1:$hold_port/" 2>&1)
api=$(curl -sS -o /dev/null -w '%{http_code} %{content_type}' "http://127.0.0.1:$hold_port/api/v1/companies.json" 2>&1)
if [ -n "$hold_port" ] && head -1 "$hold/head" | grep -q ' 503 ' &&
	grep -qi '^Retry-After: 5' "$hold/head" &&
	grep -qi '^Cache-Control: no-store' "$hold/head" &&
	grep -qF '<a href="">try again</a>' <<<"$page" &&
	grep -qF '<h1>Building the site</h1>' <<<"$page" &&
	[ "$api" = "503 application/json; charset=utf-8" ] && [ ! -s "$hold/out" ]; then
	ok "cli: serve answers 503 with Retry-After while its first build runs"
else
	not_ok "cli: serve answers 503 with Retry-After while its first build runs" \
		"port=$hold_port api=$api $(cat "$hold/head" "$hold/err")"
fi
# Let the build go on: the template is written each time it is read.
(while :; do cat templates/terms.mustache >"$hold/templates/terms.mustache"; done) 2>/dev/null &
feeder=$!
for ((i = 0; i < 600; i++)); do
	grep -q '^serving http://' "$hold/out" && break
	sleep 0.1
done
kill "$feeder" 2>/dev/null
wait "$feeder" 2>/dev/null
code=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$hold_port/")
kill -TERM "$hold_pid" 2>/dev/null
wait "$hold_pid"
hold_status=$?
if grep -q '^serving http://' "$hold/out" && [ "$code" = 200 ] && [ $hold_status -eq 0 ]; then
	ok "cli: serve answers with the site once its first build ends, and drains on SIGTERM"
else
	not_ok "cli: serve answers with the site once its first build ends, and drains on SIGTERM" "GET / $code, exit $hold_status $(cat "$hold/out" "$hold/err")"
fi
# Held in its first build again (nothing feeds the template now), it
# stops on SIGTERM as a build does, rather than after the build.
"$BIN" serve --templates "$hold/templates" --out "$hold/site2" \
	--db "$hold/atlas.db" --port 0 >/dev/null 2>"$hold/err2" &
hold_pid=$!
for ((i = 0; i < 600; i++)); do
	grep -q '^cancelatlas: building the site; ' "$hold/err2" && break
	sleep 0.1
done
kill -TERM "$hold_pid"
for ((i = 0; i < 100; i++)); do
	kill -0 "$hold_pid" 2>/dev/null || break
	sleep 0.1
done
if kill -0 "$hold_pid" 2>/dev/null; then
	not_ok "cli: serve stops on SIGTERM during its first build" "$(cat "$hold/err2")"
	kill -KILL "$hold_pid"
	wait "$hold_pid"
else
	wait "$hold_pid"
	hold_status=$?
	if [ $hold_status -eq 143 ]; then
		ok "cli: serve stops on SIGTERM during its first build"
	else
		not_ok "cli: serve stops on SIGTERM during its first build" "exit $hold_status"
	fi
fi

# The README's tour, every command in order, on a fresh copy of the
# project: each one succeeds, and the shipped data is left as it was,
# with no skeleton or import in data/records.
tour=$TMP/tour
mkdir -p "$tour"
cp -r data templates README.md "$tour/"
cp -r data "$TMP/tour-data-before"
printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$WRAP" "$BIN" >"$tour/cancelatlas"
chmod +x "$tour/cancelatlas"
mapfile -t tour_lines < <(sed -n '/^## A short tour/,/^## /p' README.md |
	sed -n '/^```sh$/,/^```$/p' | grep '^\./cancelatlas ')
if [ ${#tour_lines[@]} -lt 8 ]; then
	not_ok "cli: tour: the README's tour has its commands (found ${#tour_lines[@]})"
fi
for line in "${tour_lines[@]}"; do
	cmd=${line%%#*}
	cmd=${cmd%"${cmd##*[! ]}"}
	case $cmd in
	"./cancelatlas serve"*)
		# Served on a free port, then stopped as Ctrl-C would.
		if (cd "$tour" && start_serve "$TMP/tour-serve.log" $cmd && stop_serve); then
			ok "cli: tour: $cmd"
		else
			not_ok "cli: tour: $cmd" "$(cat "$TMP/tour-serve.log")"
		fi
		;;
	*)
		if out=$(cd "$tour" && bash -c "$cmd" 2>&1); then
			ok "cli: tour: $cmd"
		else
			not_ok "cli: tour: $cmd" "$out"
		fi
		;;
	esac
done
cli_status "cli: tour: check still passes after the tour" 0 bash -c "cd '$tour' && ./cancelatlas check"
check "cli: tour: data/ is as shipped, nothing left in data/records" \
	diff -r "$TMP/tour-data-before" "$tour/data"
check "cli: tour: the skeleton was written beside the data" \
	grep -q '^id: acme-stream$' "$tour/acme-stream.yaml"

# An accepted correction names the record file in the data folder it was
# run with, and the line of the field, however far from the working
# folder that data is; a record renamed since says so, with its new id.
far=$TMP/far/away
mkdir -p "$far" "$TMP/cwd"
cp -r data "$far/atlas-data"
send_correction() { # FIELD: prints the tracking id
	curl -sf -H 'Content-Type: application/json' -d '{"record": "coursera",
		"field": "'"$1"'", "wrong": "It is out of date.", "proposed": "75",
		"evidence_url": "https://example.com/cancel"}' \
		"${serve_url}api/v1/corrections" | jq -r .tracking
}
accept() { # TRACKING: what the editor is told
	(cd "$TMP/cwd" && $WRAP "$BIN" --data "$far/atlas-data" corrections \
		--db "$far/queue.db" accept "$1" --reason 'Checked.')
}
if ! command -v curl >/dev/null; then
	not_ok "cli: accept names the record file under --data, with the line" \
		"no curl to send the corrections (make test installs it)"
elif ! (cd "$TMP/cwd" && start_serve "$TMP/far.log" $WRAP "$BIN" serve \
	--data "$far/atlas-data/" --templates "$ROOT/templates" \
	--out "$far/site" --db "$far/queue.db" &&
	for f in cancel_url why summary; do send_correction $f || exit 1; done \
		>"$far/sent"; status=$?
	stop_serve; exit $status); then
	not_ok "cli: corrections are sent to a server on a far data folder" "$(cat "$TMP/far.log")"
else
	mapfile -t sent <"$far/sent"
	file=$far/atlas-data/records/coursera.yaml
	line_of() { grep -n "^$1" "$file" | head -n 1 | cut -d: -f1; }
	has_lines() { # NAME OUTPUT LINE...: OUTPUT holds each LINE whole
		local name=$1 out=$2 l
		shift 2
		for l in "$@"; do
			grep -qxF -- "$l" <<<"$out" || { not_ok "$name" "$out"; return; }
		done
		ok "$name"
	}
	has_lines "cli: accept names the record file under --data, with the line" \
		"$(accept "${sent[0]}" 2>&1)" \
		"  $file:$(line_of '  cancel_url: '): field \`cancel_url\`"
	# why: the line of its first reason (why.cancel_url's text).
	has_lines "cli: accept of a correction to why gives the line of the reasons" \
		"$(accept "${sent[1]}" 2>&1)" \
		"  $file:$(line_of '    Self-serve cancellation exists'): field \`why\`"
	mv "$file" "${file%.yaml}-us.yaml"
	sed -i 's/^id: coursera$/id: coursera-us/' "${file%.yaml}-us.yaml"
	has_lines "cli: accept of a correction to a renamed record gives its new id" \
		"$(accept "${sent[2]}" 2>&1)" "  $file: field \`summary\`" \
		"  (no record 'coursera' in $far/atlas-data/records now: renamed or removed; did you mean 'coursera-us'?)"
fi
