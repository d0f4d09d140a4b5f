#!/bin/sh
# bench.sh: the analyzer benchmark of issue #3 (README.md beside this file).
#
#   tests/bench/bench.sh [--quick] [--runs N] [--keep DIR] [--no-tshark] [BUILD_DIR]
#
# Generates a large B2BUA capture with slgen, then times on it, in this
# one run: pcaploop (a bare libpcap read loop, the floor), sipladder calls
# --json, and tshark -q -z sip,stat -z rtp,streams when installed. Each
# tool runs once per round, N rounds (default 3); the table shows the
# median wall and CPU time, packets per second, the ratio to pcaploop and
# the peak RSS. A second capture with half the calls at the same
# concurrency shows whether sipladder's memory grows with capture length.
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
set -eu

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

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ -z "$build" ]; then
	build=$root/build/release
elif [ ! -d "$build" ] && [ -d "$root/$build" ]; then
	build=$root/$build
fi
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
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
if [ -n "$keep" ]; then
	mkdir -p "$keep"
	capdir=$(cd "$keep" && pwd)
else
	capdir=$tmp
fi

# ---- captures ----

# Prints the capture's path; makes it unless --keep already holds it.
capture() {
	f=$capdir/bench-$1calls-$conc-$secs.pcap
	if [ ! -s "$f" ]; then
		# under another name until complete: --keep must never reuse
		# a capture cut short by an interrupted run
		"$slgen" bench -o "$f.part" --calls "$1" --concurrent "$conc" \
		    --rtp-seconds "$secs" >"$tmp/slgen.out" 2>&1 || {
			cat "$tmp/slgen.out" >&2
			echo "bench: slgen failed" >&2
			exit 1
		}
		# on disk before timing starts: writeback must not overlap it
		sync "$f.part" 2>/dev/null || sync
		mv "$f.part" "$f"
	fi
	echo "$f"
}

echo "bench: generating captures in $capdir" >&2
big=$(capture "$calls")
small=$(capture "$half")

# Also warms the page cache: every timed run reads the capture from memory.
packets_of() {
	"$pcaploop" "$1" >"$tmp/count" 2>&1 || {
		cat "$tmp/count" >&2
		echo "bench: pcaploop cannot read $1" >&2
		exit 1
	}
	awk '{ print $2 }' "$tmp/count"
}
packets=$(packets_of "$big")
packets_small=$(packets_of "$small")

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

median() {	# column $1 of $tmp/$2.runs
	sort -n -k"$1" "$tmp/$2.runs" | awk -v c="$1" '{ v[NR] = $c }
		END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

peak_mb() {
	sort -n -k3 "$tmp/$1.runs" | tail -1 | awk '{ printf "%.1f\n", $3 / 1024 }'
}

load() {
	cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"
}

have_tshark=0
if [ $tshark_on = 1 ] && command -v tshark >/dev/null 2>&1; then
	have_tshark=1
fi
for t in pcaploop pcaploop-unlocked sipladder sipladder-half tshark; do
	: >"$tmp/$t.runs"
done

# Round robin, one run of each tool per round, so that a burst of other
# load on the machine lands on all of them rather than on one.
load_before=$(load)
echo "bench: timing, $runs round(s)" >&2
i=0
while [ $i -lt "$runs" ]; do
	i=$((i + 1))
	measure pcaploop "$big" "$packets" "$pcaploop" "$big"
	measure pcaploop-unlocked "$big" "$packets" "$pcaploop" --unlocked "$big"
	measure sipladder "$big" "$packets" "$sipladder" calls --json "$big"
	measure sipladder-half "$small" "$packets_small" "$sipladder" calls --json "$small"
	if [ $have_tshark = 1 ]; then
		# as in tests/crosscheck: no user profile, C locale
		measure tshark "$big" "$packets" env HOME="$tmp" LC_ALL=C \
		    tshark -n -q -r "$big" -z sip,stat -z rtp,streams
	fi
done
load_after=$(load)

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
echo "sipladder benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs," \
    "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "capture: $calls calls, $conc concurrent, $secs s RTP each:" \
    "$packets packets, $size bytes; medians of $runs run(s)"
echo "load average before/after: $load_before / $load_after"
echo
printf "%-34s %8s %8s %12s %9s %10s\n" tool "wall s" "cpu s" packets/s "vs loop" "peak RSS MB"
row pcaploop "pcaploop (bare libpcap loop)"
row pcaploop-unlocked "pcaploop --unlocked"
row sipladder "sipladder calls --json"
if [ $have_tshark = 1 ]; then
	row tshark "tshark -z sip,stat -z rtp,streams"
else
	echo "tshark: not installed or --no-tshark, not run"
fi

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
