# Sourced by tests/run: `cancelatlas stale` on the fixture data as it is
# (nothing due at the tests' date, 2026-07-01) and with Coursera's review
# moved back to January 2025, which must be listed and marked stale in
# its per-record JSON. Uses $BIN, $WRAP, $TMP and cli_status / cli_says
# from commands.sh.

stale_data=$TMP/stale/data
mkdir -p "$TMP/stale"
cp -r tests/fixtures/site "$stale_data"

cli_status "cli: stale --help" 0 $WRAP "$BIN" stale --help
cli_says "cli: stale with nothing due says nothing and exits 0" 0 "" \
	$WRAP "$BIN" stale --data "$stale_data"
cli_status "cli: stale --days takes a number" 2 \
	$WRAP "$BIN" stale --data "$stale_data" --days soon
cli_status "cli: stale with a missing --db is a usage error" 2 \
	$WRAP "$BIN" stale --data "$stale_data" --db "$TMP/stale/none.db"
cli_status "cli: stale takes no argument" 2 \
	$WRAP "$BIN" stale --data "$stale_data" coursera

sed -i "s/^reviewed: .*/reviewed: 2025-01-15/; s/accessed: 2026-[0-9-]*/accessed: 2025-01-10/" "$stale_data/records/coursera.yaml"
cli_says "cli: stale lists a record reviewed in January 2025 and exits 1" 1 \
	"coursera  reviewed 2025-01-15, 17 months ago (532 days): reviewed more than 180 days ago" \
	$WRAP "$BIN" stale --data "$stale_data"
stale_json=$($WRAP "$BIN" stale --json --data "$stale_data" 2>&1)
if jq -e '.today == "2026-07-01" and .days == 180 and .count == 1 and
	.records[0].id == "coursera" and .records[0].review_age_days == 532 and
	.records[0].reasons[0].kind == "age"' <<<"$stale_json" >/dev/null; then
	ok "cli: stale --json lists it with its age and reason"
else
	not_ok "cli: stale --json lists it with its age and reason" "$stale_json"
fi
stale_out=$($WRAP "$BIN" stale --data "$stale_data" --days 100 2>&1)
if [ "$(head -n 1 <<<"$stale_out")" = "coursera  reviewed 2025-01-15, 17 months ago (532 days): reviewed more than 100 days ago" ] &&
	[ "$(wc -l <<<"$stale_out")" -gt 1 ]; then
	ok "cli: stale --days lists more records, oldest review first"
else
	not_ok "cli: stale --days lists more records, oldest review first" "$stale_out"
fi

if stale_res=$($WRAP "$BIN" build --data "$stale_data" --out "$TMP/stale/site" \
	--templates templates 2>&1) &&
	jq -e '.stale == true and .review_age_days == 532' \
		"$TMP/stale/site/api/v1/companies/coursera.json" >/dev/null &&
	jq -e '.stale == false' "$TMP/stale/site/api/v1/companies/hostile.json" >/dev/null &&
	grep -q '<p class="notice stale" id="due-for-review"><strong>Due for review.</strong>' \
		"$TMP/stale/site/c/coursera/index.html" &&
	! grep -q 'id="due-for-review"' "$TMP/stale/site/c/hostile/index.html" &&
	grep -q '<a href="/stale/">1 record due for review</a>' "$TMP/stale/site/index.html" &&
	grep -q 'id="r-coursera"[^>]*data-stale="1"' "$TMP/stale/site/stale/index.html" &&
	grep -q '>reviewed Jan 2025</text>' "$TMP/stale/site/share/badges/coursera.svg"; then
	ok "cli: the site marks a record reviewed in January 2025 stale (page, JSON, index, /stale/, badge)"
else
	not_ok "cli: the site marks a record reviewed in January 2025 stale (page, JSON, index, /stale/, badge)" "$stale_res"
fi
