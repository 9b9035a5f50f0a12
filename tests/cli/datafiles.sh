# Sourced by tests/run: a data folder comes from pull requests, so its
# files are hostile. Links, FIFOs and devices are refused by name and never
# read or waited on; a records folder that cannot be listed fails check and
# build and keeps serve's site; a build killed with -9 leaves nothing
# behind for good. Uses $BIN, $WRAP, $TMP, check, ok, not_ok, skip, and
# start_serve from tests/cli/commands.sh.

df=$TMP/datafiles
mkdir -p "$df"

# fresh_data DIR: a copy of the shipped data folder.
fresh_data() {
	rm -rf "$1"
	mkdir -p "$1"
	cp -r data/. "$1/"
}

# Each runs under `timeout`, so a loader that waits on a FIFO fails the
# test (status 124) instead of hanging the suite.
fresh_data "$df/fifo"
mkfifo "$df/fifo/records/pipe.yaml"
check "cli: check refuses a FIFO record by name, without waiting on it" bash -c "
	out=\$(timeout 20 $WRAP '$BIN' check --data '$df/fifo' 2>&1); [ \$? -eq 1 ] &&
	grep -qxF '$df/fifo/records/pipe.yaml: error[E032]: not a regular file (a FIFO); records, industries.yaml and site.yaml must be regular files, so it was not read' <<<\"\$out\""

fresh_data "$df/environ"
ln -s /proc/self/environ "$df/environ/records/leak.yaml"
check "cli: a record linked to /proc/self/environ is refused, the environment never shown" bash -c "
	out=\$(ATLAS_TEST_SECRET=hunter2-secret timeout 20 $WRAP '$BIN' check --data '$df/environ' 2>&1); [ \$? -eq 1 ] &&
	grep -qF 'leak.yaml: error[E032]: not a regular file (a symbolic link)' <<<\"\$out\" &&
	! grep -q 'hunter2-secret' <<<\"\$out\""

fresh_data "$df/zero"
ln -s /dev/zero "$df/zero/records/zero.yaml"
ln -sf /dev/zero "$df/zero/industries.yaml"
check "cli: records and industries.yaml linked to /dev/zero are refused at once" bash -c "
	out=\$(timeout 20 $WRAP '$BIN' check --data '$df/zero' 2>&1); [ \$? -eq 1 ] &&
	grep -qF 'zero.yaml: error[E032]: not a regular file (a symbolic link)' <<<\"\$out\" &&
	grep -qF 'industries.yaml: error[E032]: not a regular file (a symbolic link)' <<<\"\$out\""

# A records folder that cannot be listed. Root lists any folder whatever
# its mode, so as root the commands run as nobody (setpriv), in a folder
# of nobody's outside the private $TMP.
as_nobody=()
unlistable_ok=1
if [ "$(id -u)" -eq 0 ]; then
	as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	"${as_nobody[@]}" true 2>/dev/null || unlistable_ok=0
fi
if [ $unlistable_ok -eq 1 ]; then
	ul=$(mktemp -d "${TMPDIR:-/tmp}/atlas-unlistable.XXXXXX")
	chmod 755 "$ul"
	fresh_data "$ul/data"
	[ "$(id -u)" -eq 0 ] && chown -R 65534:65534 "$ul"
	run_as() { "${as_nobody[@]}" "$@"; }
	if out=$(cd "$ul" && run_as $WRAP "$BIN" build --data data \
		--templates "$ROOT/templates" --out site 2>&1); then
		chmod 000 "$ul/data/records"
		check "cli: check of an unreadable records folder fails and says why" bash -c "
			out=\$(cd '$ul' && ${as_nobody[*]} $WRAP '$BIN' check --data data 2>&1); [ \$? -eq 1 ] &&
			grep -qxF 'data/records: error[E001]: cannot list records: Permission denied' <<<\"\$out\""
		check "cli: build with an unreadable records folder fails and keeps the last good site" bash -c "
			before=\$(cat '$ul/site/index.html') &&
			out=\$(cd '$ul' && ${as_nobody[*]} $WRAP '$BIN' build --data data --templates '$ROOT/templates' --out site 2>&1); [ \$? -eq 1 ] &&
			grep -qF 'cannot list records: Permission denied' <<<\"\$out\" &&
			grep -qF 'site is unchanged' <<<\"\$out\" &&
			[ \"\$(cat '$ul/site/index.html')\" = \"\$before\" ] &&
			[ -f '$ul/site/c/coursera/index.html' ]"
		chmod 755 "$ul/data/records"
	else
		not_ok "cli: a data folder builds as nobody, to be made unreadable" "$out"
	fi
	rm -rf "$ul"
else
	skip "cli: an unreadable records folder fails check and build" \
		"running as root and cannot drop to nobody with setpriv here"
fi

# serve: a reload (SIGHUP) that meets a FIFO record, then a records
# folder that cannot be listed, keeps serving the old site and says why;
# SIGTERM then still stops the server at once.
srv=$df/serve
fresh_data "$srv/data"
# wait_for_log FILE TEXT: up to 20 s for TEXT to appear in FILE.
wait_for_log() {
	local i
	for ((i = 0; i < 200; i++)); do
		grep -qF "$2" "$1" && return 0
		sleep 0.1
	done
	return 1
}
# stops_within PID SECONDS: the process exits within SECONDS (else it is
# killed, so the suite goes on).
stops_within() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$1" 2>/dev/null
	return 1
}
if ! command -v curl >/dev/null; then
	not_ok "cli: serve keeps its site when a reload meets a FIFO or an unreadable records folder" \
		"no curl to fetch pages (make test installs it)"
elif ! start_serve "$srv/log" $WRAP "$BIN" serve --data "$srv/data" \
	--templates "$ROOT/templates" --out "$srv/site" --db "$srv/queue.db"; then
	not_ok "cli: serve starts on the copy of the data" "$(cat "$srv/log")"
	kill -KILL "$serve_pid" 2>/dev/null
else
	page_before=$(curl -sf "${serve_url}c/coursera/")
	mkfifo "$srv/data/records/pipe.yaml"
	kill -HUP "$serve_pid"
	if wait_for_log "$srv/log" "still serving the previous site" &&
		grep -qF 'pipe.yaml: error[E032]: not a regular file (a FIFO)' "$srv/log" &&
		[ "$(curl -sf "${serve_url}c/coursera/")" = "$page_before" ] &&
		[ -n "$page_before" ]; then
		ok "cli: serve's reload refuses a FIFO record and keeps the old site"
	else
		not_ok "cli: serve's reload refuses a FIFO record and keeps the old site" \
			"$(tail -n 20 "$srv/log")"
	fi
	rm "$srv/data/records/pipe.yaml"
	mv "$srv/data/records" "$srv/data/records-aside"
	echo 'not a folder' >"$srv/data/records"
	kill -HUP "$serve_pid"
	if wait_for_log "$srv/log" "cannot list records: Not a directory" &&
		[ "$(grep -c 'still serving the previous site' "$srv/log")" -eq 2 ] &&
		[ "$(curl -sf "${serve_url}c/coursera/")" = "$page_before" ]; then
		ok "cli: serve's reload of a records folder that cannot be listed keeps the old site"
	else
		not_ok "cli: serve's reload of a records folder that cannot be listed keeps the old site" \
			"$(tail -n 20 "$srv/log")"
	fi
	kill -TERM "$serve_pid"
	if stops_within "$serve_pid" 5; then
		wait "$serve_pid"
		check "cli: SIGTERM after those reloads stops serve at once, cleanly" \
			grep -qxF 'cancelatlas: stopped' "$srv/log"
	else
		not_ok "cli: SIGTERM after those reloads stops serve at once, cleanly" \
			"still running 5 s after SIGTERM; $(tail -n 5 "$srv/log")"
	fi
fi

# A build killed with -9 leaves its folder beside the site; the next build
# removes it and says so, and leaves a folder without a build's mark alone.
kb=$df/killed
mkdir -p "$kb"
if $WRAP "$BIN" gen 300 --seed 5 --out "$kb/data" >/dev/null 2>&1; then
	$WRAP "$BIN" build --data "$kb/data" --templates "$ROOT/templates" \
		--out "$kb/site" >/dev/null 2>&1 &
	kb_pid=$!
	for ((i = 0; i < 3000; i++)); do
		[ -f "$kb/site.new-$kb_pid/.cancelatlas-site" ] && break
		kill -0 "$kb_pid" 2>/dev/null || break
		sleep 0.01
	done
	kill -KILL "$kb_pid" 2>/dev/null
	wait "$kb_pid" 2>/dev/null
	mkdir -p "$kb/site.new-999999999" && echo precious >"$kb/site.new-999999999/notes.txt"
	if [ ! -d "$kb/site.new-$kb_pid" ]; then
		not_ok "cli: a build killed with -9 leaves its folder, for the next build to remove" \
			"the build was not caught half-way: no $kb/site.new-$kb_pid"
	else
		check "cli: the build after one killed with -9 removes its folder and says how much" bash -c "
			out=\$($WRAP '$BIN' build --data '$kb/data' --templates '$ROOT/templates' --out '$kb/site' 2>&1) &&
			grep -qE '^removed 1 folder that interrupted builds left beside it \([0-9.]+ [KM]iB\)$' <<<\"\$out\" &&
			[ ! -e '$kb/site.new-$kb_pid' ] && [ -f '$kb/site/index.html' ] &&
			[ \"\$(ls -d '$kb'/site.* | xargs -n1 basename)\" = site.new-999999999 ] &&
			[ \"\$(cat '$kb/site.new-999999999/notes.txt')\" = precious ]"
	fi
else
	not_ok "cli: gen 300 records to build and kill"
fi
