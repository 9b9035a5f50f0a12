# Sourced by tests/run: the reference's data imports as it is published.
# A file of reference-shaped companies with the quirks of the real thing
# (tests/fixtures/reference-quirks.json), then 2,000 of them in one go,
# then the 2,591 services of the JustDeleteMe directory (from $SHARED,
# skipped without it): nothing is skipped, every record passes check,
# and the data folder builds. Uses $BIN, $WRAP, $TMP, $SHARED, check,
# skip, ok and not_ok from tests/run.

# import_suite NAME JSON: import JSON into a new data folder, then check
# and build it. The report is kept in $TMP/import-NAME/report.
import_suite() {
	local name=$1 json=$2 dir=$TMP/import-$1 out n
	mkdir -p "$dir/data"
	cp data/industries.yaml data/site.yaml "$dir/data/"
	n=$(jq '.companies | length' "$json")
	if ! out=$($WRAP "$BIN" --data "$dir/data" import "$json" 2>"$dir/warnings" >"$dir/report"); then
		not_ok "import $name: all $n companies import (exit 0)" "$(tail -n 5 "$dir/report"; tail -n 20 "$dir/warnings")"
		return
	fi
	if grep -q "^imported $n records into $dir/data/records (0 skipped" "$dir/report" &&
		[ "$(find "$dir/data/records" -name '*.yaml' | wc -l)" -eq "$n" ]; then
		ok "import $name: $n companies, $n records, none skipped"
	else
		not_ok "import $name: $n companies, $n records, none skipped" "$(tail -n 5 "$dir/report")"
	fi
	if out=$($WRAP "$BIN" --data "$dir/data" check 2>&1); then
		ok "import $name: the records pass check ($(tail -n 1 <<<"$out"))"
	else
		not_ok "import $name: the records pass check" "$(grep -m 20 'error\[' <<<"$out")"
	fi
	if out=$($WRAP "$BIN" --data "$dir/data" build --templates templates --out "$dir/site" 2>&1); then
		ok "import $name: the data folder builds ($(tail -n 1 <<<"$out"))"
	else
		not_ok "import $name: the data folder builds" "$(tail -n 20 <<<"$out")"
	fi
}

quirks=tests/fixtures/reference-quirks.json
import_suite quirks "$quirks"
q=$TMP/import-quirks
check "import quirks: the report counts warnings by kind and names the industries added" bash -c "
	grep -qx 'warnings: 3 W110 (import: a source without a URL, cited by the official page), 1 W111 (import: a published value left out), 18 W112 (import: a value read from text, repaired or inferred)' '$q/report' &&
	grep -qx 'industries added: Meal Kits; Pet care; Fitness & wellness apps; Other' '$q/report' &&
	[ \$(grep -c 'is new: added to' '$q/report') -eq 4 ] &&
	grep -qx '  slug: fitness-wellness-apps' '$q/data/industries.yaml'"
check "import quirks: every warning names the company and the field" bash -c "
	[ \$(grep -c 'warning\\[W11[012]\\]: companies\\[[0-9]*\\] ([^)]*): .*\`' '$q/warnings') -eq 22 ] &&
	! grep -v 'warning\\[W11[012]\\]' '$q/warnings'"
check "import quirks: free text, dict sources and channel spellings read as facts" bash -c "
	r='$q/data/records'
	grep -qx '  offered: true' \"\$r/ironbridge-gym-uk.yaml\" &&
	grep -qx '  note: freeze up to 3 months, in person' \"\$r/ironbridge-gym-uk.yaml\" &&
	grep -qx '  note: a few regions allow up to 3-month pause' \"\$r/lumen-stream-de.yaml\" &&
	grep -qx 'channels: \\[online, in-person, postal-mail\\]' \"\$r/ironbridge-gym-uk.yaml\" &&
	grep -qx 'channels: \\[app-store, email, postal-mail\\]' \"\$r/lumen-stream-de.yaml\" &&
	grep -qx \"  - title: How do I cancel? | Ironbridge's help\" \"\$r/ironbridge-gym-uk.yaml\" &&
	grep -qx '    accessed: 2026-05-20' \"\$r/lumen-stream-de.yaml\" &&
	grep -qx 'reviewed: 2026-06-06' \"\$r/pawsbox.yaml\" &&
	grep -qx 'reviewed: 2026-06-06' \"\$r/orbitfit-au.yaml\" &&
	grep -qx 'official_page: https://northgas.example.co.uk/terms' \"\$r/northgas-uk.yaml\""
check "import quirks: our companies.json gives the reference's strings back" bash -c "
	jq -e '.companies[] | select(.id == \"ironbridge-gym-uk\") |
		.pause == \"available (freeze up to 3 months, in person)\" and
		(.data_deletion | endswith(\" https://ironbridge.example.com/privacy-policy/\"))' \
		'$q/site/api/v1/companies.json' >/dev/null"

# 2,000 reference-shaped companies: the quirky ones over and over, each
# under a name (and so an id) of its own.
big=$TMP/import-2000.json
if jq '.companies as $c | .total_count = 2000 |
	.companies = [range(2000) as $i | $c[$i % ($c | length)] | del(.id) | .name = "\(.name) \($i)"]' \
	"$quirks" >"$big"; then
	import_t0=$(date +%s%N)
	import_suite 2000 "$big"
	echo "# import 2000: import, check and build in $((($(date +%s%N) - import_t0) / 1000000)) ms"
else
	not_ok "import 2000: jq makes the file"
fi

# The JustDeleteMe directory, each service as a reference-shaped company:
# its name, its url as the official page and the deletion link, its notes
# as the deletion note, levels from its difficulty. Untrusted text in many
# languages; nothing of it may be skipped.
jdm=$SHARED/vendor-data/justdeleteme/sites.json
if [ ! -f "$jdm" ]; then
	skip "import justdeleteme: 2,591 real services" "no $jdm (the data ships in ../shared, beside the clone)"
else
	jdm_json=$TMP/import-justdeleteme.json
	if jq '{generated: "2026-06-30", companies: [.[] | {
		name, industry: "Online accounts", jurisdiction: "US",
		cancellation_types: ({easy: ["online (self-serve)"], medium: ["online"],
			hard: ["email"], limited: ["email"], impossible: []}[.difficulty] // []),
		pause: "",
		data_deletion: ((.notes // "") + " " + .url),
		policy: {
			scores: ({easy: {cancel_url: 100, channel_disclosed: 100, findability: 85},
				medium: {cancel_url: 75, channel_disclosed: 80, findability: 70},
				hard: {cancel_url: 25, channel_disclosed: 60, findability: 40},
				limited: {cancel_url: 25, channel_disclosed: 30, findability: 40},
				impossible: {cancel_url: 0, channel_disclosed: 0, findability: 0}}[.difficulty]
				+ {notice_disclosed: 0, refund_disclosed: 0}),
			policy_url: .url,
			policy_summary: (.notes // ""),
			policy_checked: "2026-06-30",
			sources: [{title: ("JustDeleteMe: " + .name), url: .url}]
		}, flow: null}]}' "$jdm" >"$jdm_json"; then
		import_suite justdeleteme "$jdm_json"
	else
		not_ok "import justdeleteme: jq makes the file from $jdm"
	fi
fi
