#!/bin/sh
# bench.sh: the analyzer benchmark of issue #3 (README.md beside this file).
#
#   tests/bench/bench.sh [--quick] [--runs N] [--keep DIR] [--no-tshark] [BUILD_DIR]
#
# Generates a large B2BUA capture with slgen, then times on it, in this
# one run: pcaploop (a bare libpcap read loop, the floor), sipladder calls
# --json, sipladder read --db (the same analysis stored into a fresh
# SQLite database: issue #12's import cost), and tshark -q -z sip,stat -z
# rtp,streams when installed. Each tool runs once per round, N rounds
# (default 3); the table shows the median wall and CPU time, packets per
# second, the ratio to pcaploop and the peak RSS, then the import's cost
# against the in-memory analysis and the database's size per call. A
# second capture with half the calls at the same concurrency shows
# whether sipladder's memory grows with capture length.
# --quick uses a small capture: it checks that everything runs, and its
# timings mean nothing (start-up dominates).
#
# BUILD_DIR (default build/release) must hold sipladder, tests/gen/slgen,
# tests/bench/pcaploop and tests/bench/benchrun (the runner that measures
# each command); this script builds nothing. Captures go to a
# temporary directory, removed at the end, or to --keep DIR, where they
# are kept and reused by later runs.
#
# Exit: 0 when every tool ran and agreed on the packet count, 1 when a
# tool failed, 2 on usage or missing binaries. Timings never fail the run.
# shellcheck source-path=SCRIPTDIR
set -eu
SL_SCRIPT=bench
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=benchlib.sh
. "$here/benchlib.sh"

usage() {
	echo "usage: bench.sh [--quick] [--runs N] [--keep DIR] [--no-tshark] [BUILD_DIR]" >&2
	exit 2
}

quick=0
runs=3
keep=
tshark_on=1
build=
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	--runs) [ $# -ge 2 ] || usage; runs=$2; shift ;;
	--keep) [ $# -ge 2 ] || usage; keep=$2; shift ;;
	--no-tshark) tshark_on=0 ;;
	-h|--help) usage ;;
	-*) usage ;;
	*) [ -z "$build" ] || usage; build=$1 ;;
	esac
	shift
done
case $runs in
''|*[!0-9]*|0) echo "bench: --runs wants a positive number" >&2; exit 2 ;;
esac

root=$(cd "$here/../.." && pwd)
build=$(bench_build_dir "$root" "$build")
sipladder=$build/sipladder
slgen=$build/tests/gen/slgen
pcaploop=$build/tests/bench/pcaploop
benchrun=$build/tests/bench/benchrun
for b in "$sipladder" "$slgen" "$pcaploop" "$benchrun"; do
	if [ ! -x "$b" ]; then
		echo "bench: $b missing; build it first:" >&2
		echo "  cmake --build $build --target sipladder slgen pcaploop benchrun" >&2
		exit 2
	fi
done

# Issue #3: >= 5M packets, >= 2000 calls, 200 concurrent, 15 s RTP each.
if [ $quick = 1 ]; then
	calls=40 conc=10 secs=2
else
	calls=2000 conc=200 secs=15
fi
half=$((calls / 2))

tmp=$(mktemp -d "${TMPDIR:-/tmp}/slbench.XXXXXX")
BENCH_TMP=$tmp
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
if [ -n "$keep" ]; then
	mkdir -p "$keep"
	capdir=$(cd "$keep" && pwd)
else
	capdir=$tmp
fi

# ---- captures ----

echo "bench: generating captures in $capdir" >&2
big=$(bench_capture "$slgen" "$capdir" "$calls" "$conc" "$secs")
small=$(bench_capture "$slgen" "$capdir" "$half" "$conc" "$secs")
packets=$(bench_packets "$pcaploop" "$big")
packets_small=$(bench_packets "$pcaploop" "$small")

# ---- runs ----

# measure NAME CAPTURE EXPECTED-PACKETS CMD...: one measured run, appended
# as "wall cpu maxrss_kb" to $tmp/NAME.runs. A non-zero exit, or a packet
# count other than the capture's, is a tool failure.
measure() {
	name=$1 cap=$2 want=$3
	shift 3
	line=$("$benchrun" "$tmp/$name.out" "$@")
	rc=$(echo "$line" | sed 's/.*rc=\([0-9]*\).*/\1/')
	if [ "$rc" != 0 ]; then
		tail -5 "$tmp/$name.out.err" >&2 || true
		echo "bench: $name failed (exit $rc): $*" >&2
		exit 1
	fi
	got=$(count_of "$name")
	if [ "$got" != "$want" ]; then
		echo "bench: $name saw $got packets in $cap, not $want" >&2
		exit 1
	fi
	echo "$line" | awk '{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		printf "%s %.3f %s\n", v["wall"], v["user"] + v["sys"], v["maxrss_kb"]
	}' >>"$tmp/$name.runs"
}

# Packets each tool says it read, from its own output.
count_of() {
	case $1 in
	pcaploop*)
		awk '{ print $2 }' "$tmp/$1.out" ;;
	sipladder*)
		# stderr summary: "# 6095892 frames: ..."
		sed -n 's/^# \([0-9]*\) frames:.*/\1/p' "$tmp/$1.out.err" | tail -1 ;;
	tshark)
		# no total in its statistics: trust the exit code
		echo "$packets" ;;
	esac
}

# store_round: after a run of sipladder read --db, appends "bytes calls"
# to $tmp/store.runs (the database file, with its WAL if one was left,
# and the calls the run says it stored), then removes the database: each
# round imports into a fresh one, as a first import does.
store_round() {
	db_bytes=0
	for f in "$tmp/round.db" "$tmp/round.db-wal"; do
		[ ! -f "$f" ] || db_bytes=$((db_bytes + $(wc -c <"$f")))
	done
	# stdout: "read: FILE: 2000 calls stored, 0 already stored"
	db_calls=$(sed -n 's/^read: .*: \([0-9]*\) calls\{0,1\} stored, .*/\1/p' \
	    "$tmp/sipladder-read.out" | tail -1)
	if [ -z "$db_calls" ] || [ "$db_calls" = 0 ] || [ "$db_bytes" = 0 ]; then
		echo "bench: sipladder read stored nothing:" >&2
		cat "$tmp/sipladder-read.out" "$tmp/sipladder-read.out.err" >&2
		exit 1
	fi
	echo "$db_bytes $db_calls" >>"$tmp/store.runs"
	rm -f "$tmp/round.db" "$tmp/round.db-wal" "$tmp/round.db-shm"
}

median() {	# column $1 of $tmp/$2.runs
	sort -n -k"$1" "$tmp/$2.runs" | awk -v c="$1" '{ v[NR] = $c }
		END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

peak_mb() {
	sort -n -k3 "$tmp/$1.runs" | tail -1 | awk '{ printf "%.1f\n", $3 / 1024 }'
}

have_tshark=0
if [ $tshark_on = 1 ] && command -v tshark >/dev/null 2>&1; then
	have_tshark=1
fi
for t in pcaploop pcaploop-unlocked sipladder sipladder-read sipladder-half tshark store; do
	: >"$tmp/$t.runs"
done

# Round robin, one run of each tool per round, so that a burst of other
# load on the machine lands on all of them rather than on one.
load_before=$(bench_load)
echo "bench: timing, $runs round(s)" >&2
i=0
while [ $i -lt "$runs" ]; do
	i=$((i + 1))
	measure pcaploop "$big" "$packets" "$pcaploop" "$big"
	measure pcaploop-unlocked "$big" "$packets" "$pcaploop" --unlocked "$big"
	measure sipladder "$big" "$packets" "$sipladder" calls --json "$big"
	# the same analysis, stored: the engine's sink hands each call to
	# the store's writer thread, which commits in batches (2 CPUs here:
	# the thread can run beside the analysis, so wall may stay below cpu)
	measure sipladder-read "$big" "$packets" "$sipladder" read --db "$tmp/round.db" "$big"
	store_round
	measure sipladder-half "$small" "$packets_small" "$sipladder" calls --json "$small"
	if [ $have_tshark = 1 ]; then
		# as in tests/crosscheck: no user profile, C locale
		measure tshark "$big" "$packets" env HOME="$tmp" LC_ALL=C \
		    tshark -n -q -r "$big" -z sip,stat -z rtp,streams
	fi
done
load_after=$(bench_load)

# ---- report ----

base=$(median 1 pcaploop)
row() {	# NAME LABEL
	w=$(median 1 "$1")
	c=$(median 2 "$1")
	awk -v l="$2" -v w="$w" -v c="$c" -v p="$packets" -v b="$base" -v m="$(peak_mb "$1")" \
	    'BEGIN { printf "%-34s %8.3f %8.3f %12.0f %8.2fx %10s\n", l, w, c, p / w, w / b, m }'
}

size=$(wc -c <"$big" | tr -d ' ')
echo
echo "sipladder benchmark, $(bench_machine)"
echo "capture: $calls calls, $conc concurrent, $secs s RTP each:" \
    "$packets packets, $size bytes; medians of $runs run(s)"
echo "load average before/after: $load_before / $load_after"
echo
printf "%-34s %8s %8s %12s %9s %10s\n" tool "wall s" "cpu s" packets/s "vs loop" "peak RSS MB"
row pcaploop "pcaploop (bare libpcap loop)"
row pcaploop-unlocked "pcaploop --unlocked"
row sipladder "sipladder calls --json"
row sipladder-read "sipladder read --db (SQLite)"
if [ $have_tshark = 1 ]; then
	row tshark "tshark -z sip,stat -z rtp,streams"
else
	echo "tshark: not installed or --no-tshark, not run"
fi

# Issue #12: the import may cost at most 30% more than the analysis in
# memory; both run in the same rounds. The ratio of the medians, then the
# median and range of each round's own ratio: a round's two runs are back
# to back, so a burst of other load moves both or neither more often than
# it moves the medians apart. The size is the median over the rounds (each
# a fresh database, so they should agree).
paste -d' ' "$tmp/sipladder-read.runs" "$tmp/sipladder.runs" |
    awk '{ printf "%.4f %.4f\n", $1 / $4, $2 / $5 }' >"$tmp/ratio.runs"
spread() {	# column $1 of $tmp/$2.runs: "lowest highest"
	sort -n -k"$1" "$tmp/$2.runs" | awk -v c="$1" 'NR == 1 { lo = $c } { hi = $c }
		END { print lo, hi }'
}
echo
echo "import into SQLite (read --db, fresh database each round) against the analysis" \
    "in memory (calls --json), target at most 1.30x:"
awk -v rw="$(median 1 sipladder-read)" -v mw="$(median 1 sipladder)" \
    -v rc="$(median 2 sipladder-read)" -v mc="$(median 2 sipladder)" \
    -v qw="$(median 1 ratio)" -v qc="$(median 2 ratio)" \
    -v sw="$(spread 1 ratio)" -v sc="$(spread 2 ratio)" \
    -v rr="$(peak_mb sipladder-read)" -v mr="$(peak_mb sipladder)" \
    -v b="$(median 1 store)" -v n="$(median 2 store)" 'BEGIN {
	split(sw, w, " "); split(sc, c, " ")
	printf "  medians: wall %.3f s / %.3f s = %.2fx, cpu %.3f s / %.3f s = %.2fx\n",
	    rw, mw, rw / mw, rc, mc, rc / mc
	printf "  per round (its two runs back to back): wall %.2fx (%.2fx to %.2fx), cpu %.2fx (%.2fx to %.2fx)\n",
	    qw, w[1], w[2], qc, c[1], c[2]
	printf "  database %d bytes for %d calls: %.0f bytes per call; peak RSS %.1f MB (in memory %.1f MB)\n",
	    b, n, b / n, rr, mr
}'

rss_half=$(peak_mb sipladder-half)
rss_full=$(peak_mb sipladder)
echo
echo "memory against capture length (same $conc concurrent calls):"
awk -v a="$rss_half" -v b="$rss_full" -v h="$half" -v f="$calls" \
    -v ph="$packets_small" -v pf="$packets" 'BEGIN {
	printf "  %5d calls, %8d packets: peak RSS %6.1f MB\n", h, ph, a
	printf "  %5d calls, %8d packets: peak RSS %6.1f MB (%+.1f MB for twice the length)\n", f, pf, b, b - a
}'
echo
echo "bench: done"
