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
sed -n '/^```yaml$/,/^```$/p' "$SHARED/SPEC.md" | sed '1d;$d' |
	sed 's/sha256: 0f3c\.\.\. .*/sha256: 0f3c5d8e9a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5/' \
		>"$flow_dir/records/northwind-stream.yaml"
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
if $WRAP "$BIN" gen 2000 --seed 7 --out "$gen_dir" >/dev/null 2>&1; then
	cli_status "cli: 2,000 generated records pass check" 0 $WRAP "$BIN" check --data "$gen_dir"
	check "cli: generated records are all fictional and under example.com" bash -c "
		[ \$(grep -l '^fictional: true' '$gen_dir'/records/*.yaml | wc -l) -eq 2000 ] &&
		! grep -hE '^ *(- )?(url|official_page|refund_page): ' '$gen_dir'/records/*.yaml | grep -v 'https://example.com/'"
else
	not_ok "cli: gen 2000 records" "$("$BIN" gen 2000 --seed 7 --out "$gen_dir.2" 2>&1)"
fi

# A skeleton fails until its TODOs are filled, then passes.
new_dir=$TMP/new-data
mkdir -p "$new_dir/records"
cp data/industries.yaml "$new_dir/"
cli_status "cli: new writes a skeleton" 0 $WRAP "$BIN" new --data "$new_dir" acme-stream
cli_status "cli: new refuses to overwrite" 1 $WRAP "$BIN" new --data "$new_dir" acme-stream
check "cli: an unfilled skeleton fails check with E030" bash -c "
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
