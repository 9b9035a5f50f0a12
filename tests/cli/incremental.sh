# Sourced by tests/run: incremental builds. A build that finds its last
# site and manifest rebuilds only what changed, and the result is the
# same, byte for byte, as a full build of the same data; a build killed
# half-way is completed by the next one.
# Uses $BIN, $WRAP, $TMP, check, ok and not_ok from tests/run.

inc=$TMP/incremental
mkdir -p "$inc"

# same_as_full NAME DATA SITE: SITE equals a --full build of DATA.
same_as_full() {
	local name=$1 data=$2 site=$3 out
	rm -rf "$inc/full"
	if ! out=$($WRAP "$BIN" build --data "$data" --templates "$inc/templates" \
		--out "$inc/full" --full 2>&1); then
		not_ok "$name" "the full build failed: $out"
	elif out=$(diff -r "$site" "$inc/full" 2>&1); then
		ok "$name"
	else
		not_ok "$name" "$(head -20 <<<"$out")"
	fi
}

# The files of SITE with their checksums, one "SUM PATH" a line.
sums() {
	(cd "$1" && find . -type f -print0 | sort -z | xargs -0 md5sum)
}

# build_inc DATA SITE: build, output in $out, status in $status.
build_inc() {
	out=$($WRAP "$BIN" build --data "$1" --templates "$inc/templates" \
		--out "$2" 2>&1)
	status=$?
}

cp -r templates "$inc/templates"
if "$BIN" gen 60 --seed 7 --out "$inc/data" >/dev/null 2>&1; then
	build_inc "$inc/data" "$inc/site"
	if [ $status -eq 0 ] && grep -qF "full build: $inc/site holds no site yet" <<<"$out" &&
		[ -f "$inc/site/.cancelatlas-manifest" ]; then
		ok "cli: a first build is a full one, says so and writes a manifest"
	else
		not_ok "cli: a first build is a full one, says so and writes a manifest" "$out"
	fi

	build_inc "$inc/data" "$inc/site"
	if [ $status -eq 0 ] && grep -q '^rebuilt 0 records of 60: 0 files written, 0 shared files rewritten, 0 deleted, in [0-9.]* s (incremental; --full rebuilds everything)$' <<<"$out"; then
		ok "cli: a build with nothing changed writes nothing"
	else
		not_ok "cli: a build with nothing changed writes nothing" "$out"
	fi

	# --timings: each phase once, in order, adding up to the whole.
	out=$($WRAP "$BIN" build --data "$inc/data" --templates "$inc/templates" \
		--out "$inc/site" --timings 2>&1 >/dev/null)
	# Each phase also says how many cores were busy: CPU over wall time,
	# never more than the machine has (a little more for rounding).
	phases=$(sed -n 's/^  \([a-z]*\) *[0-9.]* s *[0-9.]* cores .*/\1/p' <<<"$out" | tr '\n' ' ')
	total=$(sed -n 's/^cancelatlas: where the \([0-9.]*\) s went (wall clock; [0-9.]* s of CPU, [0-9.]* cores busy):$/\1/p' <<<"$out")
	sum=$(awk '/^  [a-z]+ +[0-9.]+ s / { s += $2 } END { printf "%.3f", s }' <<<"$out")
	busy=$(sed -n 's/^cancelatlas: where the .* s of CPU, \([0-9.]*\) cores busy):$/\1/p' <<<"$out")
	most=$(awk '/^  [a-z]+ +[0-9.]+ s +[0-9.]+ cores / && $2 >= 0.005 { if ($4 > m) m = $4 } END { print m + 0 }' <<<"$out")
	if [ "$phases" = "load catalog plan records shared caches commit free " ] &&
		[ -n "$total" ] && awk -v a="$sum" -v b="$total" 'BEGIN { exit !(a - b < 0.01 && b - a < 0.01) }' &&
		awk -v b="$busy" -v m="$most" -v n="$(nproc)" 'BEGIN { exit !(b > 0 && b <= n + 0.3 && m <= n + 0.3) }'; then
		ok "cli: build --timings says where the time went, phase by phase"
	else
		not_ok "cli: build --timings says where the time went, phase by phase" \
			"$out" "phases: $phases; sum $sum of $total; cores $busy, at most $most"
	fi

	# One record renamed: its files and the shared pages change, and
	# nothing else.
	id=$(ls "$inc/data/records" | sed -n 5p)
	id=${id%.yaml}
	sums "$inc/site" >"$inc/before"
	sed -i 's/^name: \(.*\)$/name: \1 Renamed Here/' "$inc/data/records/$id.yaml"
	build_inc "$inc/data" "$inc/site"
	sums "$inc/site" >"$inc/after"
	changed=$(diff "$inc/before" "$inc/after" | sed -n 's/^> [0-9a-f]*  \.\///p')
	foreign=$(grep -v -e "$id" -e '^\.cancelatlas-manifest$' <<<"$changed" |
		grep -e '^c/' -e '^share/' -e '^api/v1/companies/' || true)
	# The index page that lists it now (the listings are paged).
	listing=$(cd "$inc/site" && grep -lF 'Renamed Here' index.html page/*/index.html | head -1)
	if [ $status -eq 0 ] && grep -q '^rebuilt 1 record of 60: ' <<<"$out" &&
		[ -n "$listing" ] &&
		grep -qF 'Renamed Here' "$inc/site/c/$id/index.html" &&
		grep -qx "c/$id/index.html" <<<"$changed" &&
		grep -qx "$listing" <<<"$changed" && [ -z "$foreign" ]; then
		ok "cli: one changed record rebuilds its own files and the shared pages only"
	else
		not_ok "cli: one changed record rebuilds its own files and the shared pages only" \
			"$out" "changed: $changed" "not its own: $foreign"
	fi
	same_as_full "cli: the incremental build equals a full one (diff -r)" \
		"$inc/data" "$inc/site"

	# A listing page whose values did not change is kept, not rendered
	# again: a mark put in one by hand outlives the next one-record
	# build. The keys that decide it belong to the manifest's state of
	# the shared pages: a journal naming them (a build cut short while
	# replacing them) makes every listing page rendered again.
	other=$(cd "$inc/site" && grep -L "c/$id/" industries/*/index.html | head -1)
	[ -n "$other" ] && printf '<!-- by hand -->\n' >>"$inc/site/$other"
	sed -i 's/ Renamed Here$/ Renamed Again/' "$inc/data/records/$id.yaml"
	build_inc "$inc/data" "$inc/site"
	if [ $status -eq 0 ] && [ -n "$other" ] && [ -s "$inc/site/.cancelatlas-pages" ] &&
		grep -qF 'Renamed Again' "$inc/site/c/$id/index.html" &&
		grep -qF '<!-- by hand -->' "$inc/site/$other"; then
		ok "cli: a listing page whose values did not change is not rendered again"
	else
		not_ok "cli: a listing page whose values did not change is not rendered again" \
			"$out" "page: $other"
	fi
	printf 'cancelatlas-journal 1\nsite\nend 1\n' >"$inc/site/.cancelatlas-journal"
	build_inc "$inc/data" "$inc/site"
	if [ $status -eq 0 ] && grep -qF "the last build of $inc/site was interrupted" <<<"$out" &&
		! grep -qF '<!-- by hand -->' "$inc/site/$other"; then
		ok "cli: after a build cut short in the shared pages, every listing page is rendered"
	else
		not_ok "cli: after a build cut short in the shared pages, every listing page is rendered" \
			"$out" "page: $other"
	fi
	same_as_full "cli: ... and the site equals a full build" "$inc/data" "$inc/site"

	# A record removed: the number of records is on every page.
	gone=$(ls "$inc/data/records" | sed -n 9p)
	gone=${gone%.yaml}
	rm "$inc/data/records/$gone.yaml"
	build_inc "$inc/data" "$inc/site"
	if [ $status -eq 0 ] && grep -qF 'full build: records changed since the last build' <<<"$out" &&
		[ ! -e "$inc/site/c/$gone" ] && [ ! -e "$inc/site/api/v1/companies/$gone.json" ] &&
		! grep -qF "record/$gone" "$inc/site/.cancelatlas-manifest"; then
		ok "cli: a removed record's files are removed"
	else
		not_ok "cli: a removed record's files are removed" "$out"
	fi
	same_as_full "cli: after a removal the site equals a full build" \
		"$inc/data" "$inc/site"

	echo '/* changed */' >>"$inc/templates/assets/record.js"
	build_inc "$inc/data" "$inc/site"
	if [ $status -eq 0 ] && grep -qF 'full build: templates changed since the last build' <<<"$out" &&
		grep -qF '/* changed */' "$inc/site/assets/record.js"; then
		ok "cli: a changed template means a full build, and says so"
	else
		not_ok "cli: a changed template means a full build, and says so" "$out"
	fi

	truncate -s -40 "$inc/site/.cancelatlas-manifest"
	sed -i 's/ Renamed Here/ Renamed Again/' "$inc/data/records/$id.yaml"
	build_inc "$inc/data" "$inc/site"
	if [ $status -eq 0 ] && grep -q 'full build: the manifest is damaged' <<<"$out" &&
		grep -qF 'Renamed Again' "$inc/site/c/$id/index.html"; then
		ok "cli: a damaged manifest means a full build, and says so"
	else
		not_ok "cli: a damaged manifest means a full build, and says so" "$out"
	fi

	rm "$inc/site/.cancelatlas-manifest"
	build_inc "$inc/data" "$inc/site"
	if [ $status -eq 0 ] && grep -qF 'full build: there is no manifest' <<<"$out"; then
		ok "cli: a missing manifest means a full build, and says so"
	else
		not_ok "cli: a missing manifest means a full build, and says so" "$out"
	fi

	# The records kept in the site: a record changed with its size and
	# modification time put back is still seen (its bytes are hashed),
	# an unchanged site's cache is not written again, and a damaged
	# cache is ignored with a note. The parse trees earlier programs
	# kept go once the cache is written.
	trees="$inc/site/.cancelatlas-parsed"
	rm -f "$trees"
	echo 'CATREE01' > "$inc/site/.cancelatlas-trees"
	build_inc "$inc/data" "$inc/site"
	rec="$inc/data/records/$id.yaml"
	if [ -s "$trees" ] && [ ! -e "$inc/site/.cancelatlas-trees" ]; then
		ok "cli: a build keeps its records, and no parse trees"
	else
		not_ok "cli: a build keeps its records, and no parse trees" "$(ls -a "$inc/site")"
	fi
	ino=$(stat -c %i "$trees" 2>/dev/null)
	build_inc "$inc/data" "$inc/site"
	if [ $status -eq 0 ] && [ "$(stat -c %i "$trees" 2>/dev/null)" = "$ino" ]; then
		ok "cli: a build with nothing changed leaves the parse cache as it was"
	else
		not_ok "cli: a build with nothing changed leaves the parse cache as it was" "$out"
	fi
	stamp=$(stat -c %y "$rec")
	size=$(stat -c %s "$rec")
	sed -i 's/ Renamed Again/ Renamed Agaim/' "$rec"
	touch -d "$stamp" "$rec"
	build_inc "$inc/data" "$inc/site"
	if [ $status -eq 0 ] && [ "$(stat -c %s "$rec")" = "$size" ] &&
		[ "$(stat -c %y "$rec")" = "$stamp" ] &&
		grep -qF 'Renamed Agaim' "$inc/site/c/$id/index.html"; then
		ok "cli: a record changed with its size and time kept is rebuilt"
	else
		not_ok "cli: a record changed with its size and time kept is rebuilt" "$out"
	fi
	same_as_full "cli: ... and the site equals a full build" "$inc/data" "$inc/site"

	printf 'XXXXXXXX' | dd of="$trees" bs=1 seek=64 conv=notrunc 2>/dev/null
	sed -i 's/ Renamed Agaim/ Renamed Thrice/' "$rec"
	build_inc "$inc/data" "$inc/site"
	if [ $status -eq 0 ] && grep -q "the parse cache $trees is damaged (.*) and ignored" <<<"$out" &&
		grep -qF 'Renamed Thrice' "$inc/site/c/$id/index.html"; then
		ok "cli: a parse cache with a damaged index is ignored, with a note"
	else
		not_ok "cli: a parse cache with a damaged index is ignored, with a note" "$out"
	fi
	same_as_full "cli: ... and the site equals a full build" "$inc/data" "$inc/site"

	printf 'XXXX' | dd of="$trees" bs=1 seek=$(($(stat -c %s "$trees") - 12)) \
		conv=notrunc 2>/dev/null
	build_inc "$inc/data" "$inc/site"
	if [ $status -eq 0 ] && grep -q 'the parse cache held 1 damaged record, ignored' <<<"$out"; then
		ok "cli: a damaged record in the parse cache is parsed again, with a note"
	else
		not_ok "cli: a damaged record in the parse cache is parsed again, with a note" "$out"
	fi
	same_as_full "cli: ... and the site equals a full build" "$inc/data" "$inc/site"
	build_inc "$inc/data" "$inc/site"
	if [ $status -eq 0 ] && ! grep -q 'parse cache' <<<"$out"; then
		ok "cli: the next build finds the parse cache whole again"
	else
		not_ok "cli: the next build finds the parse cache whole again" "$out"
	fi

	# The record files' stats kept in the site: files last changed long
	# before a build are not read by the next one while their stat is
	# the same; one written in place with its size and modification time
	# put back has a new ctime, and is read and rebuilt.
	touch -d '2020-01-02 03:04:05' "$inc/data/records/"*.yaml
	# (touch changed their ctimes: trusted once that is 2 s old.)
	sleep 3
	build_inc "$inc/data" "$inc/site"
	statfile="$inc/site/.cancelatlas-stat"
	now=$(date +%s)
	if [ $status -eq 0 ] && [ -s "$statfile" ] &&
		[ "$(stat -c %Y "$statfile")" -le $((now - 2)) ]; then
		ok "cli: a build keeps its record files' stats, dated before it began"
	else
		not_ok "cli: a build keeps its record files' stats, dated before it began" \
			"$out" "$(ls -la --time-style=+%s "$inc/site")"
	fi
	ino=$(stat -c %i "$rec")
	sed 's/ Renamed Thrice/ Renamed Thrica/' "$rec" >"$inc/rec.tmp"
	cat "$inc/rec.tmp" >"$rec"
	touch -d '2020-01-02 03:04:05' "$rec"
	build_inc "$inc/data" "$inc/site"
	if [ $status -eq 0 ] && [ "$(stat -c %i "$rec")" = "$ino" ] &&
		[ "$(stat -c %s "$rec")" = "$(stat -c %s "$inc/rec.tmp")" ] &&
		grep -q '^rebuilt 1 record of 59: ' <<<"$out" &&
		grep -qF 'Renamed Thrica' "$inc/site/c/$id/index.html"; then
		ok "cli: a record written in place with its size and mtime kept is rebuilt (its ctime changed)"
	else
		not_ok "cli: a record written in place with its size and mtime kept is rebuilt (its ctime changed)" "$out"
	fi
	same_as_full "cli: ... and the site equals a full build" "$inc/data" "$inc/site"

	build_inc "$inc/data" "$inc/site"
	cp -a "$inc/site" "$inc/site-before-full"
	out=$($WRAP "$BIN" build --data "$inc/data" --templates "$inc/templates" \
		--out "$inc/site" --full 2>&1)
	if grep -q '^built 59 records: ' <<<"$out" && ! grep -q '^rebuilt' <<<"$out" &&
		! grep -q '^full build' <<<"$out"; then
		ok "cli: --full rebuilds everything"
	else
		not_ok "cli: --full rebuilds everything" "$out"
	fi

	# --full trusts nothing of the old site: a card whose key still
	# says what it shows, but whose bytes are not what this program
	# draws (other fonts, say), is drawn again, not linked.
	card=share/cards/$id.png
	printf 'drawn elsewhere' >>"$inc/site/$card"
	out=$($WRAP "$BIN" build --data "$inc/data" --templates "$inc/templates" \
		--out "$inc/site" --full 2>&1)
	if cmp -s "$inc/site/$card" "$inc/site-before-full/$card"; then
		ok "cli: --full draws every share image again"
	else
		not_ok "cli: --full draws every share image again" "$out"
	fi

	# Killed at random points while replacing files in place: the next
	# build says so, completes it, and the site equals a full build.
	# Each round kills a later build than the last until one is caught
	# with its journal written.
	hits=0
	delay=2
	for round in 1 2 3 4 5 6 7 8; do
		for f in "$inc/data/records/"*.yaml; do
			sed -i "s/^name: \(.*\)\$/name: \1 K$round/" "$f"
		done
		$WRAP "$BIN" build --data "$inc/data" --templates "$inc/templates" \
			--out "$inc/site" >/dev/null 2>&1 &
		pid=$!
		sleep "$((delay / 10)).$((delay % 10))"
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
		journal=no
		[ -e "$inc/site/.cancelatlas-journal" ] && journal=yes && hits=$((hits + 1))
		build_inc "$inc/data" "$inc/site"
		if [ $status -ne 0 ]; then
			not_ok "cli: a build killed half-way (round $round) is completed by the next" "$out"
		elif [ $journal = yes ] && ! grep -q "the last build of $inc/site was interrupted" <<<"$out"; then
			not_ok "cli: a build killed half-way (round $round) is completed by the next" \
				"a journal was left, but the build did not say so: $out"
		elif ls -a "$inc/site" | grep -q '^\.tmp-'; then
			not_ok "cli: a build killed half-way (round $round) is completed by the next" \
				"temporary files left: $(ls -a "$inc/site")"
		else
			same_as_full "cli: a build killed at $delay tenths of a second (journal: $journal) is completed by the next" \
				"$inc/data" "$inc/site"
		fi
		[ $hits -ge 2 ] && break
		delay=$((delay + 2 + RANDOM % 4))
	done
	if [ $hits -gt 0 ]; then
		ok "cli: $hits of the killed builds were caught replacing files"
	else
		not_ok "cli: no killed build was caught replacing files (the kills came too early or too late)"
	fi
else
	not_ok "cli: generate records for the incremental builds"
fi

# A record's checks are not run again while its file, the day, the
# industries and the program are those under which it passed them with
# nothing to say; when the day or the industries change, a build says
# what a --full one says. The stat cache trusts only files changed (ctime
# too) more than 2 s before the build that saw them: hence the wait.
chk=$inc/checks
# check_diags DATA SITE [ARGS...]: the diagnostics' first lines, sorted,
# in $diags; status in $status.
check_diags() {
	local data=$1 site=$2
	shift 2
	out=$($WRAP "$BIN" build --data "$data" --templates "$inc/templates" \
		--out "$site" "$@" 2>&1)
	status=$?
	diags=$(grep -E '^[^ ]+:[0-9]+:[0-9]+: (error|warning)\[' <<<"$out" | sort)
}
if "$BIN" gen 40 --seed 11 --out "$chk/data" >/dev/null 2>&1; then
	sleep 2.2
	check_diags "$chk/data" "$chk/site"
	check_diags "$chk/data" "$chk/site"
	if [ $status -eq 0 ] && [ -z "$diags" ]; then
		ok "cli: records checked once build again with nothing to say"
	else
		not_ok "cli: records checked once build again with nothing to say" "$out"
	fi

	later=$((SOURCE_DATE_EPOCH + 200 * 86400))
	SOURCE_DATE_EPOCH=$later check_diags "$chk/data" "$chk/site"
	stale=$diags
	SOURCE_DATE_EPOCH=$later check_diags "$chk/data" "$chk/full" --full
	if grep -q 'warning\[W101\]' <<<"$stale" && [ "$stale" = "$diags" ]; then
		ok "cli: on a later day, a build finds the reviews gone stale, as a full one does"
	else
		not_ok "cli: on a later day, a build finds the reviews gone stale, as a full one does" \
			"incremental: $stale" "--full: $diags"
	fi

	industry=$(sed -n 's/^industry: //p' "$chk/data/records/"*.yaml | head -n 1)
	cp "$chk/data/industries.yaml" "$chk/industries.all.yaml"
	awk -v n="$industry" '$0 == "- name: " n { skip = 2 } skip { skip--; next } 1' \
		"$chk/industries.all.yaml" >"$chk/data/industries.yaml"
	check_diags "$chk/data" "$chk/site"
	gone=$diags
	check_diags "$chk/data" "$chk/full" --full
	if [ $status -ne 0 ] && grep -qF "$industry" <<<"$gone" && [ "$gone" = "$diags" ]; then
		ok "cli: an industry taken out is found missing by the next build, as by a full one"
	else
		not_ok "cli: an industry taken out is found missing by the next build, as by a full one" \
			"industry: $industry" "incremental: $gone" "--full: $diags"
	fi

	# check reads those caches, and only reads them: what it says, with
	# an industry missing, on a later day, with a record broken, or with
	# nothing to say, is what it says without them.
	check_same() { # NAME: check with and without the site's caches
		local with without ws wos
		with=$($WRAP "$BIN" check --data "$chk/data" --out "$chk/site" 2>&1)
		ws=$?
		without=$($WRAP "$BIN" check --data "$chk/data" --out "$chk/none" 2>&1)
		wos=$?
		if [ "$with" = "$without" ] && [ $ws = $wos ] && grep -q "records checked" <<<"$with"; then
			ok "cli: check with a site's caches says what it says without them: $1"
		else
			not_ok "cli: check with a site's caches says what it says without them: $1" \
				"with (exit $ws): $with" "without (exit $wos): $without"
		fi
	}
	caches() { md5sum "$chk/site/.cancelatlas-stat" "$chk/site/.cancelatlas-parsed"; }
	check_same "an industry missing"
	cp "$chk/industries.all.yaml" "$chk/data/industries.yaml"
	check_diags "$chk/data" "$chk/site"
	before=$(caches)
	check_same "every record kept, nothing to say"
	SOURCE_DATE_EPOCH=$later check_same "a later day"
	rec=$(ls "$chk/data/records" | sed -n 3p)
	sed -i 's/^reviewed: .*/reviewed: 2031-01-01/' "$chk/data/records/$rec"
	check_same "a record broken"
	if [ "$(caches)" = "$before" ]; then
		ok "cli: check leaves the site's caches as they were"
	else
		not_ok "cli: check leaves the site's caches as they were"
	fi
else
	not_ok "cli: generate records for the checks kept between builds"
fi
