# Sourced by tests/run: the site built from a git repository made here
# (the fixture data, then a commit moving Coursera's refund_disclosed 100
# -> 50) shows each record's history on its page, in its JSON and in the
# Atom feeds, which feedparser reads as valid Atom (tests/site/
# feed_check.py); in a shallow clone the build says once that there is no
# history and the pages say so. Uses $BIN, $WRAP, $TMP and ok / not_ok.

feeds_repo=$TMP/feeds/repo
mkdir -p "$feeds_repo"
cp -r tests/fixtures/site "$feeds_repo/data"
git init -q "$feeds_repo"
dated_git "$feeds_repo" 2026-06-05 add -A
dated_git "$feeds_repo" 2026-06-05 commit -q -m "Add the records"
sed -i 's/refund_disclosed: 100/refund_disclosed: 50/' \
	"$feeds_repo/data/records/coursera.yaml"
dated_git "$feeds_repo" 2026-06-10 commit -q -a -m "Coursera: refund terms no longer per plan"
feeds_new=$(git -C "$feeds_repo" rev-parse --short=7 HEAD)
export XDG_CACHE_HOME=$TMP/feeds/cache
feeds_site=$TMP/feeds/site

if feeds_out=$($WRAP "$BIN" build --data "$feeds_repo/data" --out "$feeds_site" \
	--templates templates 2>&1); then
	ok "cli: the site builds from a git repository"
else
	not_ok "cli: the site builds from a git repository" "$feeds_out"
fi
if grep -q 'history unavailable' <<<"$feeds_out"; then
	not_ok "cli: a build with history says nothing about it" "$feeds_out"
else
	ok "cli: a build with history says nothing about it"
fi

page=$feeds_site/c/coursera/index.html
if grep -q "<code>$feeds_new</code> <span class=\"history-note\">Coursera: refund terms no longer per plan</span>" "$page" &&
	grep -q '<li>79 → 72 (B → B): refund_disclosed 100 → 50</li>' "$page" &&
	grep -q '<svg [^>]*class="chart chart-steps"' "$page" &&
	grep -q 'href="/c/coursera/feed.atom"' "$page" &&
	grep -q '<li>created: 79/100 (B)</li>' "$page"; then
	ok "cli: the record page shows its versions, newest first, and the step chart"
else
	not_ok "cli: the record page shows its versions, newest first, and the step chart" \
		"$(sed -n '/history-h/,/decisions-h/p' "$page")"
fi

if jq -e --arg c "$feeds_new" '.history_available and (.history | length) == 2 and
	.history[0].commit == $c and .history[0].date == "2026-06-10" and
	.history[0].score == 72 and .history[0].levels.refund_disclosed == 50 and
	.history[1].changes[0].kind == "created"' \
	"$feeds_site/api/v1/companies/coursera.json" >/dev/null; then
	ok "cli: the per-record JSON lists the versions"
else
	not_ok "cli: the per-record JSON lists the versions" \
		"$(jq .history "$feeds_site/api/v1/companies/coursera.json" 2>&1)"
fi

if feeds_res=$(/usr/bin/python3 tests/site/feed_check.py "$feeds_site/feed.atom" \
	"$feeds_site"/c/*/feed.atom 2>&1); then
	ok "cli: every feed is valid Atom to feedparser ($feeds_res)"
else
	not_ok "cli: every feed is valid Atom to feedparser" "$feeds_res"
fi
feeds_first=$(/usr/bin/python3 -c '
import sys, feedparser
d = feedparser.parse(sys.argv[1])
print(d.entries[0].title, "|", d.entries[0].id, "|", d.entries[0].updated)' \
	"$feeds_site/feed.atom" 2>&1)
if [[ $feeds_first == "Coursera: 79 → 72 (B → B): refund_disclosed 100 → 50 | tag:atlas.example.org,2026-06-10:c/coursera/"*" | 2026-06-10T00:00:00Z" ]]; then
	ok "cli: /feed.atom starts with the latest change"
else
	not_ok "cli: /feed.atom starts with the latest change" "$feeds_first"
fi

# The checker catches what it is for: a repeated entry id.
cp "$feeds_site/feed.atom" "$TMP/feeds/dup.atom"
perl -0pi -e 's{(<entry>\n<id>)[^<]*(</id>.*?<entry>\n<id>)[^<]*(</id>)}{$1tag:x,2026:a$2tag:x,2026:a$3}s' \
	"$TMP/feeds/dup.atom"
if ! /usr/bin/python3 tests/site/feed_check.py "$TMP/feeds/dup.atom" >/dev/null 2>&1; then
	ok "cli: the feed check refuses a repeated entry id"
else
	not_ok "cli: the feed check refuses a repeated entry id"
fi

git clone -q --depth 1 "file://$feeds_repo" "$TMP/feeds/shallow" 2>/dev/null
feeds_out=$($WRAP "$BIN" build --data "$TMP/feeds/shallow/data" \
	--out "$TMP/feeds/shallow-site" --templates templates 2>&1)
if [ $? -eq 0 ] && [ "$(grep -c 'history unavailable.*shallow clone' <<<"$feeds_out")" = 1 ] &&
	grep -q 'class="history-none">This build was made without the version history' \
		"$TMP/feeds/shallow-site/c/coursera/index.html" &&
	jq -e '.history_available == false and .history == []' \
		"$TMP/feeds/shallow-site/api/v1/companies/coursera.json" >/dev/null; then
	ok "cli: a build in a shallow clone says once that history is unavailable, and pages say so"
else
	not_ok "cli: a build in a shallow clone says once that history is unavailable, and pages say so" "$feeds_out"
fi
unset XDG_CACHE_HOME
