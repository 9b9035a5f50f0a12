# Runs in the case's data/ folder before the check.
# Bad bytes after clean lines and after other non-ASCII text, each line's
# column counted in characters; more bad lines than are shown; a byte
# order mark first (not counted) and one in the middle; a last line
# without its newline; a crowded flow line after lines with brackets.
{
	printf 'id: bytes\nname: Caf\303\251 \303\234n\303\257code\n'
	printf 'note: \303\247\303\240\tx\n'
	printf 'summary: ab\357\273\277cd\n'
	printf 'x: \303\251\303 y\n'
	printf 'del: abc\177defgh ijk\n'
	for i in $(seq 22); do printf 'k%s: a\001b \303\251\n' "$i"; done
	printf 'z: \177'
} >records/bytes.yaml
printf '\357\273\277id:\tbom\nname: fine\n' >records/bom.yaml
{
	printf 'id: later\nchannels: [online, phone]\nnotes: {a: 1}\n'
	printf 'x: "a [ b"\nlist:\n  - ['
	for i in $(seq 10001); do printf 'a,'; done
	printf 'a]\n'
} >records/later.yaml
