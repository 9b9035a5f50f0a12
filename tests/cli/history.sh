# Sourced by tests/run: `cancelatlas history` on a git repository made
# here (two commits of Coursera, the second moving refund_disclosed 100 ->
# 50), without one, and in a shallow clone. Uses $BIN, $WRAP, $TMP and
# cli_status / cli_says from commands.sh.

hist_repo=$TMP/history/repo
mkdir -p "$hist_repo/data/records"
cp data/industries.yaml data/site.yaml "$hist_repo/data/"
cp data/records/coursera.yaml "$hist_repo/data/records/"
git init -q "$hist_repo"
dated_git "$hist_repo" 2026-06-05 add -A
dated_git "$hist_repo" 2026-06-05 commit -q -m "Add Coursera"
sed -i 's/refund_disclosed: 100/refund_disclosed: 50/; s/^why:/why:\n  refund_disclosed: One refund window, not per plan./' \
	"$hist_repo/data/records/coursera.yaml"
dated_git "$hist_repo" 2026-06-10 commit -q -a -m "Coursera: refund terms no longer per plan"
hist_new=$(git -C "$hist_repo" rev-parse --short=7 HEAD)
hist_old=$(git -C "$hist_repo" rev-parse --short=7 HEAD~1)
export XDG_CACHE_HOME=$TMP/history/cache

cli_status "cli: history --help" 0 $WRAP "$BIN" history --help
cli_status "cli: history without an id is a usage error" 2 $WRAP "$BIN" history
cli_says "cli: history of a mistyped id suggests the id" 1 \
	"cancelatlas: no record 'coursra' in data/records; did you mean 'coursera'?" \
	$WRAP "$BIN" history coursra

hist_expected="coursera: 2 versions, newest first (scores by CES-1.1)
2026-06-10 $hist_new Coursera: refund terms no longer per plan
  policy 72/100, grade B
  - 79 → 72 (B → B): refund_disclosed 100 → 50
2026-06-05 $hist_old Add Coursera
  policy 79/100, grade B
  - created: 79/100 (B)"
# Twice: the second run reads both commits from the cache.
for hist_run in first cached; do
	cli_says "cli: history prints each version and what changed ($hist_run)" 0 \
		"$hist_expected" $WRAP "$BIN" history --data "$hist_repo/data" coursera
done

hist_json=$($WRAP "$BIN" history --json --data "$hist_repo/data" coursera 2>&1)
if jq -e --arg c "$hist_new" '
	(.versions | length) == 2 and .history_unavailable == null and
	.versions[0].commit == $c and .versions[0].date == "2026-06-10" and
	.versions[0].score == 72 and .versions[0].grade == "B" and
	.versions[0].levels.refund_disclosed == 50 and
	.versions[0].changes == [{kind: "score", field: "policy", from: "79",
		to: "72", text: "79 → 72 (B → B): refund_disclosed 100 → 50"}] and
	.versions[1].changes[0].kind == "created"' <<<"$hist_json" >/dev/null; then
	ok "cli: history --json lists the versions with their changes"
else
	not_ok "cli: history --json lists the versions with their changes" "$hist_json"
fi

mkdir -p "$TMP/history/plain"
cp -r "$hist_repo/data" "$TMP/history/plain/"
cli_says "cli: history without a repository says why and prints the current version" 0 \
	"cancelatlas: no history for coursera: no git repository contains $TMP/history/plain/data; this is the current version only
coursera: 1 version, newest first (scores by CES-1.1)
$TMP/history/plain/data/records/coursera.yaml (working file)
  policy 72/100, grade B" \
	$WRAP "$BIN" history --data "$TMP/history/plain/data" coursera

git clone -q --depth 1 "file://$hist_repo" "$TMP/history/shallow" 2>/dev/null
hist_out=$($WRAP "$BIN" history --data "$TMP/history/shallow/data" coursera 2>&1)
if [ $? -eq 0 ] && grep -q "shallow clone" <<<"$hist_out" &&
	grep -q "policy 72/100" <<<"$hist_out"; then
	ok "cli: history in a shallow clone says so and prints the current version"
else
	not_ok "cli: history in a shallow clone says so and prints the current version" "$hist_out"
fi
unset XDG_CACHE_HOME
