# Sourced by tests/run: the deployment in deploy/, run for real.
#
# nginx with deploy/nginx/cancelatlas.conf, changed only in its paths and
# ports, runs as the current user in a scratch prefix (nginx -p), in
# front of a site `cancelatlas serve --trust-proxy 127.0.0.1` built: the
# files nginx sends are the site's, with serve's headers, compressed from
# FILE.gz when there is one; the pages serve makes and the write API go
# through to serve, whose rate limit counts each client behind nginx on
# its own. The systemd unit must pass `systemd-analyze verify` without a
# warning, and its command line must start serve.
# Uses $BIN, $WRAP, $TMP, check, ok, not_ok and skip from tests/run, and
# start_serve from commands.sh.

deploy_tmp=$TMP/deploy
mkdir -p "$deploy_tmp"

# deploy_serve LOG ARGS...: `cancelatlas serve ARGS --port 0` in the
# background (start_serve from commands.sh); sets deploy_pid, and
# deploy_port once it is serving.
deploy_serve() {
	local log=$1
	shift
	deploy_port=
	start_serve "$log" $WRAP "$BIN" serve "$@"
	local status=$?
	deploy_pid=$serve_pid
	[ "$status" -eq 0 ] || return 1
	deploy_port=${serve_url%/}
	deploy_port=${deploy_port##*:}
}

# A TCP port free now on 127.0.0.1, for nginx, which cannot pick one.
deploy_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

DEPLOY_CORRECTION='{"record":"coursera","field":"summary","wrong":"The refund page moved.","proposed":"It is now at https://example.com/refunds","evidence_url":"https://example.com/refunds","email":"a@example.com"}'

# deploy_post FROM [HEADER]: a correction sent to nginx from source
# address FROM; prints the status.
deploy_post() {
	curl -sS --interface "$1" -o /dev/null -w '%{http_code}' \
		-H 'Content-Type: application/json' ${2:+-H "$2"} \
		--data "$DEPLOY_CORRECTION" "$nginx_url/api/v1/corrections"
}

# The headers of one answer, sorted, one a line, but those that differ
# by server and by request: Date, Server, ETag, Last-Modified,
# Content-Length, Accept-Ranges, Connection, Transfer-Encoding,
# Keep-Alive, and Vary (serve says it of every file it holds compressed,
# nginx only where it may compress: not below 20 bytes or for RIS).
deploy_headers() {
	curl -sS -o /dev/null -D - "$@" | tr -d '\r' | sed 1d |
		grep -viE '^(date|server|etag|last-modified|content-length|accept-ranges|connection|transfer-encoding|keep-alive|vary):|^$' |
		sort
}

# Every file of site $1, through nginx, is the file byte for byte (a
# folder's index.html as the folder), with the headers serve sends for
# it (base URL $2); prints what differs.
deploy_same_files() {
	local site=$1 serve=$2 f rel url bad=0 n=0 a b
	while IFS= read -r -d '' f; do
		rel=${f#"$site"}
		case $rel in */.* | *.gz) continue ;; esac
		url=${rel%index.html}
		n=$((n + 1))
		if ! curl -sS -o "$deploy_tmp/got" "$nginx_url$url" ||
			! cmp -s "$f" "$deploy_tmp/got"; then
			echo "$url: not the bytes of $f"
			bad=1
		fi
		a=$(deploy_headers "$nginx_url$url")
		b=$(deploy_headers "$serve$url")
		# A share card is cached for a day behind nginx, not a
		# minute: its address is shared and fetched by other sites.
		case $url in /share/cards/*)
			grep -qx 'Cache-Control: public, max-age=86400' <<<"$a" || {
				echo "$url: not cached for a day"
				bad=1
			}
			a=$(grep -v '^Cache-Control:' <<<"$a")
			b=$(grep -v '^Cache-Control:' <<<"$b")
			;;
		esac
		if [ "$a" != "$b" ]; then
			echo "$url: headers differ (< nginx, > serve):"
			diff <(echo "$a") <(echo "$b")
			bad=1
		fi
	done < <(find "$site" -type f -print0)
	[ $n -gt 20 ] || { echo "only $n files"; bad=1; }
	return $bad
}

deploy_nginx_test() {
	local nginx conf=deploy/nginx/cancelatlas.conf dir=$deploy_tmp/nginx
	local site=$deploy_tmp/site port out status tracking
	nginx=$(command -v nginx || command -v /usr/sbin/nginx)
	if [ -z "$nginx" ]; then
		skip "cli: deploy: nginx in front of serve" "nginx not installed"
		return
	fi
	cp -r data "$deploy_tmp/data"
	if ! deploy_serve "$deploy_tmp/serve.log" --data "$deploy_tmp/data" \
		--templates templates --out "$site" --db "$deploy_tmp/atlas.db" \
		--rate-limit 2 --trust-proxy 127.0.0.1; then
		not_ok "cli: deploy: serve --trust-proxy 127.0.0.1 starts" "$(cat "$deploy_tmp/serve.log")"
		return
	fi
	local serve_url=http://127.0.0.1:$deploy_port
	port=$(deploy_free_port)
	nginx_url=http://127.0.0.1:$port
	mkdir -p "$dir/logs" "$dir/temp"
	# The shipped file with its root, upstream and port changed, and
	# its IPv6 listen left out (a test machine may have no IPv6).
	sed -e "s|^\(\troot \)/srv/cancelatlas/www/site;|\1$site;|" \
		-e "s|^\(\tserver \)127\.0\.0\.1:8080;|\1127.0.0.1:$deploy_port;|" \
		-e "s|^\(\tlisten \)80;|\1127.0.0.1:$port;|" \
		-e '/^\tlisten \[::\]:80;$/d' "$conf" >"$dir/cancelatlas.conf"
	local changed
	changed=$(diff "$conf" "$dir/cancelatlas.conf" | grep -c '^[<>]')
	if [ "$changed" -ne 7 ]; then
		not_ok "cli: deploy: the nginx configuration is changed in its root, upstream and listen lines only" \
			"$(diff "$conf" "$dir/cancelatlas.conf")"
		kill -TERM "$deploy_pid"
		wait "$deploy_pid"
		return
	fi
	# As root, nginx's workers would be nobody, who may not read the
	# scratch folder: they run as the current user, as without root.
	{
		[ "$(id -u)" = 0 ] && echo "user $(id -un) $(id -gn);"
		cat <<-EOF
			worker_processes 1;
			pid $dir/nginx.pid;
			events { worker_connections 256; }
			http {
				access_log $dir/logs/access.log;
				client_body_temp_path $dir/temp/body;
				proxy_temp_path $dir/temp/proxy;
				fastcgi_temp_path $dir/temp/fastcgi;
				uwsgi_temp_path $dir/temp/uwsgi;
				scgi_temp_path $dir/temp/scgi;
				include $dir/cancelatlas.conf;
			}
		EOF
	} >"$dir/nginx.conf"
	local ngx=("$nginx" -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log")
	if ! out=$("${ngx[@]}" -t 2>&1); then
		not_ok "cli: deploy: nginx -t accepts deploy/nginx/cancelatlas.conf" "$out"
		kill -TERM "$deploy_pid"
		wait "$deploy_pid"
		return
	fi
	ok "cli: deploy: nginx -t accepts deploy/nginx/cancelatlas.conf"
	"${ngx[@]}" -g 'daemon off;' 2>"$dir/stderr" &
	local nginx_pid=$! i
	for ((i = 0; i < 100; i++)); do
		curl -s -o /dev/null "$nginx_url/" && break
		sleep 0.1
	done

	# A file the build never writes, and dot files in and below the root.
	gzip -9 -k "$site/about/index.html"
	echo secret >"$site/.env"
	echo secret >"$site/assets/.notes"
	check "cli: deploy: nginx sends every file of the site, byte for byte, with serve's headers (a share card cached longer)" \
		deploy_same_files "$site" "$serve_url"
	check "cli: deploy: FILE.gz is sent as it is (gzip_static), with its length" bash -c "
		curl -sS -D '$deploy_tmp/h' -o '$deploy_tmp/gz' -H 'Accept-Encoding: gzip' '$nginx_url/about/' &&
		cmp '$site/about/index.html.gz' '$deploy_tmp/gz' &&
		grep -qix 'content-encoding: gzip' <(tr -d '\r' <'$deploy_tmp/h') &&
		grep -qix \"content-length: \$(stat -c %s '$site/about/index.html.gz')\" <(tr -d '\r' <'$deploy_tmp/h')"
	check "cli: deploy: other text is compressed on the way, with Vary, and decompresses to the file" bash -c "
		curl -sS -D '$deploy_tmp/h' -o '$deploy_tmp/css.gz' -H 'Accept-Encoding: gzip' '$nginx_url/assets/style.css' &&
		grep -qix 'content-encoding: gzip' <(tr -d '\r' <'$deploy_tmp/h') &&
		grep -qix 'vary: accept-encoding' <(tr -d '\r' <'$deploy_tmp/h') &&
		gzip -dc '$deploy_tmp/css.gz' | cmp - '$site/assets/style.css'"
	check "cli: deploy: a missing page is 404 with 404.html and serve's headers" bash -c "
		[ \"\$(curl -sS -o '$deploy_tmp/404' -w '%{http_code}' '$nginx_url/no/such/page')\" = 404 ] &&
		cmp '$site/404.html' '$deploy_tmp/404' &&
		[ \"\$(deploy_headers '$nginx_url/no/such/page')\" = \"\$(deploy_headers '$serve_url/no/such/page')\" ]"
	check "cli: deploy: a folder without its slash redirects as serve does" bash -c "
		[ \"\$(deploy_headers '$nginx_url/c/coursera' | grep -iv '^content-type')\" = \"\$(deploy_headers '$serve_url/c/coursera' | grep -iv '^content-type')\" ] &&
		deploy_headers '$nginx_url/c/coursera' | grep -qx 'Location: /c/coursera/'"
	check "cli: deploy: dot files are never sent" bash -c "
		for p in /.cancelatlas-site /.env /assets/.notes /%2eenv; do
			[ \"\$(curl -sS -o '$deploy_tmp/dot' -w '%{http_code}' '$nginx_url'\$p)\" = 404 ] || exit 1
			! grep -q secret '$deploy_tmp/dot' || exit 1
		done"

	# Writes through nginx: stored, and their status read back through it.
	out=$(curl -sS -D "$deploy_tmp/h" -H 'Content-Type: application/json' \
		--data "$DEPLOY_CORRECTION" "$nginx_url/api/v1/corrections")
	tracking=$(jq -r .tracking <<<"$out" 2>/dev/null)
	if grep -q '^HTTP/1.1 202' "$deploy_tmp/h" && [ -n "$tracking" ] &&
		curl -sS "$nginx_url/api/v1/corrections/$tracking" | jq -e '.status == "pending"' >/dev/null &&
		[ "$(curl -sS -o /dev/null -w '%{http_code}' "$nginx_url/corrections/status/$tracking/")" = 200 ]; then
		ok "cli: deploy: a correction POSTed through nginx is 202, and its status and status page read back"
	else
		not_ok "cli: deploy: a correction POSTed through nginx is 202, and its status and status page read back" \
			"$(cat "$deploy_tmp/h"; echo "$out")"
	fi
	check "cli: deploy: the answers serve makes keep its headers, each once" bash -c "
		[ \"\$(deploy_headers '$nginx_url/api/v1/corrections/$tracking')\" = \"\$(deploy_headers '$serve_url/api/v1/corrections/$tracking')\" ] &&
		[ -z \"\$(deploy_headers '$nginx_url/api/v1/corrections/$tracking' | cut -d: -f1 | uniq -d)\" ]"
	check "cli: deploy: a body over serve's 16 KiB is refused by nginx with 413" bash -c "
		head -c 20000 /dev/zero | tr '\0' x >'$deploy_tmp/big' &&
		[ \"\$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @'$deploy_tmp/big' '$nginx_url/api/v1/corrections')\" = 413 ]"
	# Two clients behind nginx (127.0.0.2 and 127.0.0.3: every 127/8
	# address is this machine) are limited apart, 2 writes a minute
	# each; a forged X-Forwarded-For does not free one from its limit.
	local a b c d e
	a=$(deploy_post 127.0.0.2)
	b=$(deploy_post 127.0.0.2)
	c=$(deploy_post 127.0.0.2)
	d=$(deploy_post 127.0.0.3)
	e=$(deploy_post 127.0.0.2 'X-Forwarded-For: 203.0.113.9')
	if [ "$a $b $c $d $e" = "202 202 429 202 429" ]; then
		ok "cli: deploy: behind nginx the rate limit counts each client apart, and a forged X-Forwarded-For changes nothing"
	else
		not_ok "cli: deploy: behind nginx the rate limit counts each client apart, and a forged X-Forwarded-For changes nothing" \
			"127.0.0.2: $a $b $c, 127.0.0.3: $d, 127.0.0.2 forging: $e"
	fi
	kill -QUIT "$nginx_pid" 2>/dev/null
	wait "$nginx_pid" 2>/dev/null
	kill -TERM "$deploy_pid"
	wait "$deploy_pid"
	rm -f "$site/about/index.html.gz" "$site/.env" "$site/assets/.notes"
}

deploy_systemd_test() {
	local unit=deploy/cancelatlas.service dir=$deploy_tmp/systemd out
	if ! command -v systemd-analyze >/dev/null; then
		skip "cli: deploy: the systemd unit verifies" "systemd-analyze not installed"
		return
	fi
	mkdir -p "$dir"
	# The program where this test has it; the rest as shipped.
	sed "s|/usr/local/bin/cancelatlas|$BIN|" "$unit" >"$dir/cancelatlas.service"
	sed 's/^ProtectSystem=/ProtectSytem=/' "$dir/cancelatlas.service" >"$dir/broken.service"
	if ! out=$(systemd-analyze verify --man=no "$dir/broken.service" 2>&1) || [ -n "$out" ]; then
		check "cli: deploy: systemd-analyze verify reports a misspelled key (so it can fail)" \
			grep -q "Unknown key 'ProtectSytem'" <<<"$out"
	else
		skip "cli: deploy: the systemd unit verifies" "systemd-analyze verify does not run here"
		return
	fi
	if out=$(systemd-analyze verify --man=no "$dir/cancelatlas.service" 2>&1) && [ -z "$out" ]; then
		ok "cli: deploy: systemd-analyze verify passes deploy/cancelatlas.service without a word"
	else
		not_ok "cli: deploy: systemd-analyze verify passes deploy/cancelatlas.service without a word" "$out"
	fi
	out=$(systemd-analyze security --offline=yes "$dir/cancelatlas.service" 2>&1 | tail -n 1)
	local score
	score=$(sed -n 's/.*exposure level for cancelatlas.service: \([0-9.]*\).*/\1/p' <<<"$out")
	if [ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 1.5) }'; then
		ok "cli: deploy: systemd-analyze security rates the unit $score (at most 1.5)"
	else
		not_ok "cli: deploy: systemd-analyze security rates the unit at most 1.5" "$out"
	fi
	# Its command line, with its folders moved here and any free port,
	# starts serve.
	local cmdline
	cmdline=$(sed -n '/^ExecStart=/,/[^\\]$/p' "$unit" | sed 's/^ExecStart=//; s/\\$//' | tr -d '\t\n')
	read -ra args <<<"$cmdline"
	local i
	for i in "${!args[@]}"; do
		args[$i]=${args[$i]//\/srv\/cancelatlas/$dir}
		args[$i]=${args[$i]//\/var\/lib\/cancelatlas/$dir}
		[ "${args[$i]}" = 8080 ] && args[$i]=0
	done
	mkdir -p "$dir/www"
	cp -r data "$dir/data"
	if [ "${args[0]}" = /usr/local/bin/cancelatlas ] && [ "${args[1]}" = serve ] &&
		deploy_serve "$dir/serve.log" --templates templates "${args[@]:2}" &&
		curl -fsS -o /dev/null "http://127.0.0.1:$deploy_port/c/coursera/" &&
		[ -f "$dir/cancelatlas.db" ] && [ -f "$dir/www/site/index.html" ]; then
		ok "cli: deploy: the unit's command line starts serve (${args[*]:1})"
	else
		not_ok "cli: deploy: the unit's command line starts serve (${args[*]:1})" "$(cat "$dir/serve.log" 2>/dev/null)"
	fi
	kill -TERM "$deploy_pid" 2>/dev/null
	wait "$deploy_pid" 2>/dev/null
}

export -f deploy_headers
deploy_nginx_test
deploy_systemd_test
