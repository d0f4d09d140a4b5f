#!/bin/sh
# roundtrip.sh BIN SAMPLES TMPDIR: every capture of SAMPLES, read into a
# database of its own, must print from the database byte for byte as from
# the capture file: ladder --rtp, ladder --style wireshark, calls, rtp,
# calls --json, rtp --json (stdout), and the same summary line (stderr).
# Reading it again stores nothing and says how many calls it skipped;
# --max-calls and db prune keep the newest calls. Exit 1 listing every
# difference.
set -u
bin=$1 samples=$2 tmp=$3
export COLUMNS=120 LC_ALL=C TZ=UTC
unset SIPLADDER_DB
rm -rf "$tmp"
mkdir -p "$tmp" || exit 2
fail=0
n=0
for cap in "$samples"/*.pcap "$samples"/*.pcapng; do
	[ -f "$cap" ] || continue
	name=$(basename "$cap")
	db=$tmp/$name.db
	if ! "$bin" read -q --db "$db" "$cap" >"$tmp/read.out" 2>"$tmp/read.err"; then
		echo "$name: read failed:"; cat "$tmp/read.err"
		fail=1
		continue
	fi
	stored=$(sed -n 's/^read: .*: \([0-9]*\) calls\{0,1\} stored, 0 already stored$/\1/p' "$tmp/read.out")
	if [ -z "$stored" ]; then
		echo "$name: unexpected read output:"; cat "$tmp/read.out"
		fail=1
	fi
	for args in "ladder --rtp" "ladder --style wireshark" "calls" "rtp" "calls --json" \
	    "rtp --json"; do
		# shellcheck disable=SC2086 # args are words on purpose
		"$bin" $args "$cap" >"$tmp/file.out" 2>"$tmp/file.err"
		frc=$?
		# shellcheck disable=SC2086
		"$bin" $args --db "$db" >"$tmp/db.out" 2>"$tmp/db.err"
		drc=$?
		if [ "$frc" != "$drc" ]; then
			echo "$name: $args: exit $frc from the file, $drc from the database"
			cat "$tmp/db.err"
			fail=1
		fi
		if ! cmp -s "$tmp/file.out" "$tmp/db.out"; then
			echo "$name: $args: the database prints differently:"
			diff -u "$tmp/file.out" "$tmp/db.out" | head -40
			fail=1
		fi
		# the summary proper; hints about the run itself (such as
		# duplicate packets) are not stored
		sum='^# ([0-9]+ frames: |[0-9]+ calls printed out of start order)'
		grep -E "$sum" "$tmp/file.err" >"$tmp/file.sum"
		grep -E "$sum" "$tmp/db.err" >"$tmp/db.sum"
		if ! cmp -s "$tmp/file.sum" "$tmp/db.sum"; then
			echo "$name: $args: the summary differs:"
			diff -u "$tmp/file.sum" "$tmp/db.sum"
			fail=1
		fi
	done
	# the same file again: nothing new, every call skipped
	"$bin" read -q --db "$db" "$cap" >"$tmp/again.out" 2>&1
	again=$(sed -n 's/^read: .*: 0 calls stored, \([0-9]*\) already stored$/\1/p' "$tmp/again.out")
	if [ "$again" != "$stored" ]; then
		echo "$name: read again: expected 0 stored, $stored already stored:"
		cat "$tmp/again.out"
		fail=1
	fi
	if ! "$bin" db check --db "$db" >/dev/null; then
		echo "$name: db check failed"
		fail=1
	fi
	n=$((n + 1))
done
# retention: read honours --max-calls after its import, db prune by count,
# and neither leaves the file damaged
db=$tmp/prune.db
"$bin" read -q --db "$db" "$samples/b2bua-auth.pcap" >/dev/null
"$bin" read -q --db "$db" --max-calls 3 "$samples/direct-call.pcap" >/dev/null
left=$("$bin" db sql --db "$db" "SELECT count(*) FROM calls" | tail -n 1)
if [ "$left" != 3 ]; then
	echo "read --max-calls 3: $left calls left"
	fail=1
fi
"$bin" db prune --db "$db" --max-calls 1 >"$tmp/prune.out"
left=$("$bin" db sql --db "$db" "SELECT group_concat(capture || '/' || idx) FROM calls" | tail -n 1)
if ! grep -q '^pruned: 2 calls, 1 capture (' "$tmp/prune.out" || [ "$left" != 2/1 ]; then
	echo "db prune --max-calls 1: left $left:"
	cat "$tmp/prune.out"
	fail=1
fi
"$bin" db vacuum --db "$db" >/dev/null && "$bin" db check --db "$db" >/dev/null || {
	echo "db vacuum or check failed after pruning"
	fail=1
}
if [ "$n" -eq 0 ]; then
	echo "roundtrip: no capture in $samples"
	exit 1
fi
[ "$fail" -eq 0 ] && rm -rf "$tmp" && echo "roundtrip: $n captures print the same from the database"
exit $fail
