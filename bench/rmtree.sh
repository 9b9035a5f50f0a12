#!/usr/bin/env bash
# bench/rmtree.sh SITE [COPIES]: how long deleting a built site takes,
# as a full build deletes the site it replaced (rmtree, src/rmtree.c),
# as it did before (nftw() and remove()), and with rm -rf as the peer.
# Each deletes its own copy of SITE (cp -a), made beside SITE so that it
# is on the same file system: run it on tmpfs for the CPU's share, on
# disk for the whole. Prints seconds and each one's ratio to rm -rf.
#
#	make && cancelatlas gen 20000 --seed 1 --out /dev/shm/d &&
#	cancelatlas build --data /dev/shm/d --out /dev/shm/site &&
#	bench/rmtree.sh /dev/shm/site
set -euo pipefail
cd "$(dirname "$0")/.."
site=${1:?usage: bench/rmtree.sh SITE [COPIES]}
runs=${2:-3}
make -s build/libatlas.a
bin=build/rmtree_bench
cc -std=c17 -O2 -D_DEFAULT_SOURCE -pthread -Isrc bench/rmtree_bench.c \
	build/libatlas.a -o "$bin"
files=$(find "$site" -type f | wc -l)
echo "# bench/rmtree.sh $(date -u +%F): $files files in $site" \
	"($(df -T "$site" | awk 'NR == 2 { print $2 }')), $runs runs each, median"
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
declare -A took
for way in rm nftw rmtree; do
	for ((i = 0; i < runs; i++)); do
		copy=$site.bench-$way-$i
		rm -rf "$copy"
		cp -a "$site" "$copy"
		sync
		if [ "$way" = rm ]; then
			s=$({ /usr/bin/time -f %e rm -rf "$copy"; } 2>&1)
		else
			s=$("$bin" "$way" "$copy")
		fi
		echo "$s"
	done >"$site.bench-$way.txt"
	took[$way]=$(median <"$site.bench-$way.txt")
	rm -f "$site.bench-$way.txt"
done
printf '%-8s %8s %12s\n' way seconds 'rm -rf / way'
for way in rm nftw rmtree; do
	printf '%-8s %8.2f %11.2fx\n' "$way" "${took[$way]}" \
		"$(echo "${took[rm]} / ${took[$way]}" | bc -l)"
done
