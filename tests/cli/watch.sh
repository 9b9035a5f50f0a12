# Sourced by tests/run (suite cli): `serve --watch` over HTTP with curl.
# A record edited as editors save it (in place, renamed over, vim's
# backup dance) sends "build" on /_watch/events and the page changes; a
# template edit does too; scratch files do not; a broken record turns
# every page into its diagnostics, escaped, until it is fixed; pages are
# never cached; SIGTERM ends the open streams. Without --watch, /_watch/
# is 404 and no page has the script.
# Uses start_serve/stop_serve from commands.sh, and check/ok/not_ok.

wdir=$TMP/watch
rm -rf "$wdir"
mkdir -p "$wdir"
cp -r data "$wdir/data"
cp -r templates "$wdir/templates"
wrec=$wdir/data/records/coursera.yaml

# watch_mark: remember how many "build" events the stream has sent.
watch_mark() {
	seen=$(grep -c '^event: build$' "$wdir/events.log")
}

# watch_events: wait (up to 20 s) for a "build" event after the mark;
# fails with the stream's log.
watch_events() {
	local want=$((seen + 1)) i n
	for ((i = 0; i < 400; i++)); do
		n=$(grep -c '^event: build$' "$wdir/events.log")
		[ "$n" -ge "$want" ] && return 0
		sleep 0.05
	done
	echo "$n build events, expected $want:"
	cat "$wdir/events.log"
	return 1
}

# watch_page_has TEXT: the record page holds TEXT (status 200), within
# 20 s: a save that takes its editor several steps (a backup renamed, a
# file written) can start a build between them on a busy machine, whose
# event comes before the build of the whole save.
watch_page_has() {
	local body i
	for ((i = 0; i < 200; i++)); do
		body=$(curl -fsS "${serve_url}c/coursera/" 2>&1) &&
			grep -qF -- "$1" <<<"$body" && return 0
		sleep 0.1
	done
	echo "no \"$1\" in the page after 20 s:"
	head -c 2000 <<<"$body"
	return 1
}

# Without --watch: none of it.
if start_serve "$wdir/plain.log" $WRAP "$BIN" serve --data "$wdir/data" \
	--templates "$wdir/templates" --out "$wdir/site-plain" --db "$wdir/plain.db"; then
	check "watch: without --watch, /_watch/events and /_watch/reload.js are 404" bash -c "
		[ \"\$(curl -s -o /dev/null -w '%{http_code}' '${serve_url}_watch/events')\" = 404 ] &&
		[ \"\$(curl -s -o /dev/null -w '%{http_code}' '${serve_url}_watch/reload.js')\" = 404 ]"
	check "watch: without --watch, pages carry no reload script" bash -c "
		page=\$(curl -fsS '${serve_url}c/coursera/') && [ -n \"\$page\" ] &&
		! grep -q '_watch' <<<\"\$page\" &&
		! curl -fsS '${serve_url}' | grep -q '_watch'"
	stop_serve
else
	not_ok "watch: serve without --watch starts" "$(cat "$wdir/plain.log")"
fi

cli_status "watch: --watch with --no-build is a usage error" 2 \
	$WRAP "$BIN" serve --watch --no-build --out "$wdir/site"

if ! start_serve "$wdir/serve.log" $WRAP "$BIN" serve --watch --data "$wdir/data" \
	--templates "$wdir/templates" --out "$wdir/site" --db "$wdir/w.db"; then
	not_ok "watch: serve --watch starts" "$(cat "$wdir/serve.log")"
	return 0 2>/dev/null || exit 0
fi
ok "watch: serve --watch starts"

check "watch: pages carry the reload script, as a file, and are not cached" bash -c "
	curl -fsS -D '$wdir/h1' -o '$wdir/p1' '${serve_url}c/coursera/' &&
	grep -q '<script src=\"/_watch/reload.js\" data-watch-build=\"[0-9a-f]*-0\" defer></script>' '$wdir/p1' &&
	grep -qi '^cache-control: no-store' '$wdir/h1' && ! grep -qi '^etag:' '$wdir/h1' &&
	grep -qi \"^content-security-policy: .*script-src 'self';\" '$wdir/h1' &&
	[ \$(grep -c '_watch/reload.js' '$wdir/p1') = 1 ] &&
	tail -n 3 '$wdir/p1' | grep -q '</script>' &&
	curl -fsS '${serve_url}' | grep -q 'data-watch-build'"
check "watch: the 404 page carries the script too" bash -c "
	[ \"\$(curl -s -o '$wdir/p404' -w '%{http_code}' '${serve_url}no/such/page')\" = 404 ] &&
	grep -q 'data-watch-build' '$wdir/p404'"
check "watch: /_watch/reload.js is JavaScript that reloads on a new build" bash -c "
	curl -fsS -D '$wdir/h2' -o '$wdir/js' '${serve_url}_watch/reload.js' &&
	grep -qi '^content-type: text/javascript' '$wdir/h2' &&
	grep -q \"new EventSource('/_watch/events')\" '$wdir/js' &&
	grep -q 'location.reload()' '$wdir/js'"
check "watch: other files are revalidated (no-cache, ETag, 304)" bash -c "
	curl -fsS -D '$wdir/h3' -o /dev/null '${serve_url}assets/style.css' &&
	grep -qi '^cache-control: no-cache' '$wdir/h3' &&
	etag=\$(grep -i '^etag:' '$wdir/h3' | cut -d' ' -f2 | tr -d '\r') && [ -n \"\$etag\" ] &&
	[ \"\$(curl -s -o /dev/null -w '%{http_code}' -H \"If-None-Match: \$etag\" '${serve_url}assets/style.css')\" = 304 ]"

# One stream for the rest of the tests.
curl -sN "${serve_url}_watch/events" >"$wdir/events.log" 2>/dev/null &
stream_pid=$!
check "watch: a stream opens with retry and hello (the current build)" bash -c "
	for i in \$(seq 100); do grep -q '^data: ' '$wdir/events.log' && break; sleep 0.05; done
	grep -qx 'retry: 500' '$wdir/events.log' && grep -qx 'event: hello' '$wdir/events.log' &&
	grep -qx 'data: [0-9a-f]*-0' '$wdir/events.log'"

# Saved as VS Code does by default: written in place.
watch_mark
t0=$(date +%s%N)
sed 's/^name: .*/name: Coursera Watched/' "$wrec" >"$wdir/tmp.yaml"
cat "$wdir/tmp.yaml" >"$wrec"
check "watch: a record written in place sends a build event" watch_events
t1=$(date +%s%N)
check "watch: ... and the page has the new text" watch_page_has "Coursera Watched"
echo "# watch: an edit at 1 record is served $(((t1 - t0) / 1000000)) ms after the save"
check "watch: the build event names a new build" bash -c "
	grep -qx 'data: [0-9a-f]*-1' '$wdir/events.log' &&
	curl -fsS '${serve_url}c/coursera/' | grep -q 'data-watch-build=\"[0-9a-f]*-1\"'"

# Saved through a temporary file renamed over it (emacs, atomic saves).
watch_mark
sed 's/^name: .*/name: Coursera Renamed/' "$wrec" >"$wdir/data/records/.coursera.yaml.tmp"
mv "$wdir/data/records/.coursera.yaml.tmp" "$wrec"
check "watch: a record renamed over sends a build event" watch_events
check "watch: ... and the page has the new text" watch_page_has "Coursera Renamed"

# vim: 4913 probe, the old file renamed to a backup, a new one written,
# the backup deleted; plus its swap file.
watch_mark
printf 'x' >"$wdir/data/records/.coursera.yaml.swp"
: >"$wdir/data/records/4913" && rm "$wdir/data/records/4913"
mv "$wrec" "$wrec~"
sed 's/^name: .*/name: Coursera Vim/' "$wrec~" >"$wrec"
rm "$wrec~" "$wdir/data/records/.coursera.yaml.swp"
check "watch: vim's save sends a build event" watch_events
check "watch: ... and the page has the new text" watch_page_has "Coursera Vim"

# Scratch files alone are not edits.
sleep 0.3
watch_mark
printf 'x' >"$wdir/data/records/#coursera.yaml#"
printf 'x' >"$wdir/data/records/notes~"
rm "$wdir/data/records/#coursera.yaml#" "$wdir/data/records/notes~"
sleep 0.5
check "watch: editors' scratch files start no build" bash -c "
	[ \$(grep -c '^event: build$' '$wdir/events.log') = $seen ]"

# The templates are watched too, and a folder made later in them.
watch_mark
sed 's|<h1>How hard|<h1>Watched template: how hard|' "$wdir/templates/record.mustache" >"$wdir/tmp.mustache"
cat "$wdir/tmp.mustache" >"$wdir/templates/record.mustache"
check "watch: a template edit sends a build event" watch_events
check "watch: ... and the page has the new text" watch_page_has "Watched template"
watch_mark
mkdir "$wdir/templates/later"
check "watch: a folder made after the start sends a build event" watch_events
watch_mark
printf 'x\n' >"$wdir/templates/later/note.txt"
check "watch: a file in that folder sends one too" watch_events

# A broken record: every page is its diagnostics, escaped, with the
# source line; the fix brings the page back.
watch_mark
sed 's/^reviewed: .*/reviewed: <b>June 5th/' "$wrec" >"$wdir/tmp.yaml"
cat "$wdir/tmp.yaml" >"$wrec"
check "watch: a broken record sends a build event" watch_events
# The diagnostics page: 500, the problem as file:line:column, escaped,
# its source line, the id of the last build; assets still served.
watch_diagnostics() {
	local id
	id=$(grep '^data: ' "$wdir/events.log" | tail -n 1 | cut -c7-)
	[ "$(curl -s -o "$wdir/diag" -w '%{http_code}' "${serve_url}c/coursera/")" = 500 ] &&
		grep -q '^[^ ]*data/records/coursera.yaml:5:11: error\[E017\]: .*(got `&lt;b&gt;June 5th`)' "$wdir/diag" &&
		grep -qF '5 | reviewed: &lt;b&gt;June 5th' "$wdir/diag" && ! grep -q '<b>June' "$wdir/diag" &&
		grep -qF "data-watch-build=\"$id\"" "$wdir/diag" &&
		[ "$(curl -s -o "$wdir/diag2" -w '%{http_code}' "$serve_url")" = 500 ] &&
		grep -q 'coursera.yaml:5:11' "$wdir/diag2" &&
		[ "$(curl -s -o /dev/null -w '%{http_code}' "${serve_url}assets/style.css")" = 200 ] ||
		{ cat "$wdir/diag"; return 1; }
}
check "watch: ... and every page shows its diagnostics (500), escaped, with the source line" watch_diagnostics
watch_mark
sed 's/^reviewed: .*/reviewed: 2026-06-05/' "$wrec" >"$wdir/tmp.yaml"
cat "$wdir/tmp.yaml" >"$wrec"
check "watch: the fix sends a build event" watch_events
check "watch: ... and the page is back" watch_page_has "Coursera Vim"

# Past LIVERELOAD_CLIENTS (32) streams, the oldest is ended.
for i in $(seq 32); do
	curl -sN "${serve_url}_watch/events" >/dev/null 2>&1 &
	extra_pids+=($!)
done
check "watch: past 32 streams the oldest is ended" bash -c "
	for i in \$(seq 100); do kill -0 $stream_pid 2>/dev/null || exit 0; sleep 0.05; done
	echo 'the first stream is still open'; exit 1"

# SIGTERM with streams open: they end, and serve stops at once.
t0=$(date +%s)
stop_serve
status=$?
t1=$(date +%s)
check "watch: SIGTERM with streams open stops serve in under 5 s, exit 0" bash -c "
	[ $status = 0 ] && [ $((t1 - t0)) -lt 5 ] || { echo 'exit $status after $((t1 - t0)) s'; exit 1; }"
for p in "$stream_pid" "${extra_pids[@]}"; do
	kill "$p" 2>/dev/null
	wait "$p" 2>/dev/null
done
unset extra_pids
