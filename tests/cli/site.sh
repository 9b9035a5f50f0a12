# Sourced by tests/run: the site's identity. Every absolute URL a build
# writes is on the site's base URL (site.yaml's, or --base-url's for one
# build) or comes from the data; the program names no host of its own.
# Uses $BIN, $WRAP, $TMP, check, ok and not_ok from tests/run.

site_data=tests/fixtures/site
site_tmp=$TMP/site-identity
mkdir -p "$site_tmp"

# The origins (scheme://host[:port]) of the absolute URLs in the files of
# folder $1 that are neither on base $2 nor in a file of the data folder
# $3 (records' pages, site.yaml's licence) nor a standard's identifier
# (XML namespaces, schema.org, JSON Schema), one a line. Entities and
# percent-escapes are undone first, so escaped forms of a URL count too.
foreign_origins() {
	local site=$1 base=$2 data=$3 origin
	find "$site" -type f \( -name '*.html' -o -name '*.json' -o -name '*.xml' \
		-o -name '*.atom' -o -name '*.txt' -o -name '*.csv' -o -name '*.svg' \
		-o -name '*.bib' -o -name '*.ris' \) -print0 |
		xargs -0 cat |
		sed -e 's/&quot;/"/g' -e "s/&#39;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g' |
		grep -oE "https?://[^][:space:]\"'<>()\\\\{}|^\`/?#,;]+" |
		sort -u |
		while IFS= read -r origin; do
			case $origin in
			"$base") continue ;;
			http://www.w3.org | http://www.sitemaps.org | https://schema.org | https://json-schema.org) continue ;;
			esac
			# A name cut to fit (the badge) ends in an ellipsis: its
			# start must still be the data's.
			grep -rqiF -- "${origin%…}" "$data" || echo "$origin"
		done
}

if out=$($WRAP "$BIN" build --data "$site_data" --templates templates \
	--base-url http://127.0.0.1:8080/ --out "$site_tmp/staging" 2>&1); then
	ok "cli: build --base-url builds the fixture site"
	bad=$(foreign_origins "$site_tmp/staging" http://127.0.0.1:8080 "$site_data")
	if [ -z "$bad" ]; then
		ok "cli: with --base-url every absolute URL is on it or from the data"
	else
		not_ok "cli: with --base-url every absolute URL is on it or from the data" \
			"not on the base URL and not in the data: $bad"
	fi
	check "cli: --base-url replaces site.yaml's url everywhere, once-slashed" bash -c "
		! grep -rlF -e https://atlas.example.org -e cancelatlas.com -e '8080//' '$site_tmp/staging' &&
		grep -qx 'Sitemap: http://127.0.0.1:8080/sitemap.xml' '$site_tmp/staging/robots.txt' &&
		grep -qF '<link rel=\"self\" type=\"application/atom+xml\" href=\"http://127.0.0.1:8080/feed.atom\"/>' '$site_tmp/staging/feed.atom' &&
		grep -q '<id>tag:127.0.0.1,[0-9-]*:c/coursera/' '$site_tmp/staging/c/coursera/feed.atom' &&
		grep -qF 'http://127.0.0.1:8080/c/coursera (CC BY-SA 4.0).' '$site_tmp/staging/c/coursera/cite.txt' &&
		grep -qF '<link rel=\"canonical\" href=\"http://127.0.0.1:8080/c/coursera/\">' '$site_tmp/staging/c/coursera/index.html' &&
		jq -e '.endpoints | all(.url | startswith(\"http://127.0.0.1:8080/api/\") or startswith(\"http://127.0.0.1:8080/data/\") or startswith(\"http://127.0.0.1:8080/\"))' '$site_tmp/staging/api/v1/index.json' >/dev/null &&
		jq -e '.url == \"http://127.0.0.1:8080/c/coursera\"' '$site_tmp/staging/api/v1/companies/coursera.json' >/dev/null"
else
	not_ok "cli: build --base-url builds the fixture site" "$out"
fi

if out=$($WRAP "$BIN" build --data "$site_data" --templates templates \
	--out "$site_tmp/published" 2>&1); then
	bad=$(foreign_origins "$site_tmp/published" https://atlas.example.org "$site_data")
	if [ -z "$bad" ] && ! grep -rlF cancelatlas.com "$site_tmp/published" >/dev/null &&
		grep -qx 'Sitemap: https://atlas.example.org/sitemap.xml' "$site_tmp/published/robots.txt"; then
		ok "cli: without --base-url the build uses site.yaml's url, and no host of the program's own"
	else
		not_ok "cli: without --base-url the build uses site.yaml's url, and no host of the program's own" \
			"not on the base URL and not in the data: $bad"
	fi
else
	not_ok "cli: the fixture site builds" "$out"
fi

for bad in ftp://example.org https://example.org/atlas 'https://example.org/?q=1' example.org \
	'https://user@example.org' 'http://127.0.0.1:99999'; do
	cli_status "cli: build --base-url '$bad' is a usage error" 2 \
		$WRAP "$BIN" build --data "$site_data" --base-url "$bad" --out "$site_tmp/never"
done
cli_status "cli: serve --base-url with a path is a usage error" 2 \
	$WRAP "$BIN" serve --data "$site_data" --base-url https://example.org/x --port 0
check "cli: a refused --base-url says why and builds nothing" bash -c "
	out=\$($WRAP '$BIN' build --base-url https://example.org/atlas --out '$site_tmp/never' 2>&1)
	grep -qF -- \"--base-url 'https://example.org/atlas' is not a base URL: it must be the root of a host\" <<<\"\$out\" &&
	[ ! -e '$site_tmp/never' ]"

# A data folder without site.yaml: check warns, build says what to write.
nosite=$site_tmp/no-settings
mkdir -p "$nosite/records"
cp data/industries.yaml "$nosite/"
cp data/records/coursera.yaml "$nosite/records/"
check "cli: check warns (W106) of a data folder without site.yaml" bash -c "
	out=\$($WRAP '$BIN' check --data '$nosite' 2>&1) &&
	grep -qF '$nosite/site.yaml: warning[W106]: no site settings' <<<\"\$out\""
check "cli: build without site.yaml fails, naming the file and what to put in it" bash -c "
	out=\$($WRAP '$BIN' build --data '$nosite' --templates templates --base-url http://127.0.0.1:8080 --out '$site_tmp/nosite' 2>&1); [ \$? -eq 1 ] &&
	grep -qF '$nosite/site.yaml: error[E001]: cannot read the site settings' <<<\"\$out\" &&
	grep -qF \"the site's name, url\" <<<\"\$out\" && [ ! -e '$site_tmp/nosite' ]"
check "cli: score --json needs site.yaml; score alone does not" bash -c "
	$WRAP '$BIN' score --data '$nosite' coursera >/dev/null &&
	! $WRAP '$BIN' score --data '$nosite' coursera --json >/dev/null 2>&1"

check "cli: gen writes the site.yaml of its data folder into the new one" bash -c "
	$WRAP '$BIN' gen 3 --out '$site_tmp/gen' >/dev/null && cmp data/site.yaml '$site_tmp/gen/site.yaml'"
check "cli: build and serve --help explain --base-url and site.yaml" bash -c "
	'$BIN' build --help | grep -q -- '--base-url URL' && '$BIN' build --help | grep -q 'site.yaml' &&
	'$BIN' serve --help | grep -q -- '--base-url URL'"
