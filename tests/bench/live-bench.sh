#!/bin/sh
# live-bench.sh: live capture under load (issue #12; README.md beside this
# file). Not a timed test: drops never fail the run.
#
#   tests/bench/live-bench.sh [--quick] [--rates LIST] [--seconds S] [--runs N]
#                             [--keep DIR] [BUILD_DIR]
#
# Replays the first packets of the analyzer benchmark's capture (bench.sh's
# 2,000 B2BUA calls, 200 concurrent) onto lo with tcpreplay at rising
# packet rates, LIST (default 5000,10000,20000,50000,100000,200000 pps),
# S seconds (default 5) at each, while one capturing program runs, and
# reads how many packets the kernel dropped for it:
#
#   sipladder capture -i lo --db DB -f FILTER   (ladders to /dev/null, DB
#                                                fresh at each step)
#   tcpdump -i lo -w /dev/null FILTER           (tcpdump's defaults)
#   tcpdump -i lo --immediate-mode -B 32768 -w /dev/null FILTER
#                                               (libpcap opened as sipladder
#                                                opens it: immediate mode,
#                                                a 32 MiB buffer)
#
# Each step runs one program alone: they would otherwise share the second
# CPU (tcpreplay holds one). Rounds: every rate, each program in turn, N
# times (default 1). Printed: a row per step, then per program the highest
# rate at which it dropped nothing (in every run, and at every rate below).
# FILTER is "net 10.0.0.0/8 and (udp or icmp)": all of the replayed traffic
# and not the other tests' calls on lo (127.x addresses).
#
# The replayed frames are harmless: slgen's addresses are private (10/8)
# and their destination MACs (02:00:0a:...) are not lo's (all zero), so the
# kernel marks them for another host and IP drops them unseen; only packet
# sockets (the capturing programs) see them.
#
# --quick: a 40-call capture at 1000 and 2000 pps, 1 s each: checks the
# plumbing (ctest bench.live_smoke), its numbers mean nothing. --keep DIR
# keeps and reuses the capture as bench.sh --keep does (the same file).
# Environment: LIVE_SIPLADDER_ARGS, more options for sipladder capture
# (word-split: "-s 2048" shows what the snapshot length does).
#
# Needs tcpreplay and tcpdump, and root or CAP_NET_RAW + CAP_NET_ADMIN.
# BUILD_DIR (default build/release) must hold sipladder, tests/gen/slgen
# and tests/bench/pcaploop; this script builds nothing.
#
# Exit: 0 when every step ran; 1 when a program failed (did not start, did
# not stop, exited non-zero) or tcpreplay failed; 2 on usage, missing
# binaries, tcpreplay or tcpdump, or privileges; with --quick those last
# three are 77 instead, which ctest counts as skipped.
# shellcheck source-path=SCRIPTDIR
set -eu
SL_SCRIPT=live-bench
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=benchlib.sh
. "$here/benchlib.sh"
# die, wait_for, stop_pid, pid_gone (the interop scripts' helpers)
# shellcheck source=../interop/lib.sh
. "$here/../interop/lib.sh"

usage() {
	echo "usage: live-bench.sh [--quick] [--rates LIST] [--seconds S] [--runs N]" \
	    "[--keep DIR] [BUILD_DIR]" >&2
	exit 2
}

quick=0
rates=
secs_step=
runs=1
keep=
build=
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	--rates) [ $# -ge 2 ] || usage; rates=$2; shift ;;
	--seconds) [ $# -ge 2 ] || usage; secs_step=$2; shift ;;
	--runs) [ $# -ge 2 ] || usage; runs=$2; shift ;;
	--keep) [ $# -ge 2 ] || usage; keep=$2; shift ;;
	-h|--help) usage ;;
	-*) usage ;;
	*) [ -z "$build" ] || usage; build=$1 ;;
	esac
	shift
done
if [ $quick = 1 ]; then
	: "${rates:=1000,2000}" "${secs_step:=1}"
else
	: "${rates:=5000,10000,20000,50000,100000,200000}" "${secs_step:=5}"
fi
# Bounds keep every run finite: at most 12 rates of at most 30 s, 5 runs.
case $runs in
''|*[!0-9]*) usage ;;
esac
if [ "$runs" -lt 1 ] || [ "$runs" -gt 5 ]; then
	echo "$SL_SCRIPT: --runs: 1 to 5" >&2
	exit 2
fi
case $secs_step in
''|*[!0-9]*) usage ;;
esac
if [ "$secs_step" -lt 1 ] || [ "$secs_step" -gt 30 ]; then
	echo "$SL_SCRIPT: --seconds: 1 to 30" >&2
	exit 2
fi
rates=$(echo "$rates" | tr ',' ' ')
n_rates=0
max_rate=0
for r in $rates; do
	case $r in
	''|*[!0-9]*|0*) echo "$SL_SCRIPT: --rates: positive packet rates, comma-separated" >&2; exit 2 ;;
	esac
	[ "$r" -le 1000000 ] || { echo "$SL_SCRIPT: --rates: at most 1000000 pps" >&2; exit 2; }
	n_rates=$((n_rates + 1))
	[ "$r" -le "$max_rate" ] || max_rate=$r
done
if [ "$n_rates" -lt 1 ] || [ "$n_rates" -gt 12 ]; then
	echo "$SL_SCRIPT: --rates: 1 to 12 rates" >&2
	exit 2
fi

root=$(cd "$here/../.." && pwd)
build=$(bench_build_dir "$root" "$build")
sipladder=$build/sipladder
slgen=$build/tests/gen/slgen
pcaploop=$build/tests/bench/pcaploop
for b in "$sipladder" "$slgen" "$pcaploop"; do
	if [ ! -x "$b" ]; then
		echo "$SL_SCRIPT: $b missing; build it first:" >&2
		echo "  cmake --build $build --target sipladder slgen pcaploop" >&2
		exit 2
	fi
done

# What the machine lacks: exit 2, or 77 (skipped) for the ctest smoke,
# which has nothing to check on such a machine.
missing() {
	echo "$SL_SCRIPT: $*" >&2
	[ $quick = 0 ] || exit 77
	exit 2
}
command -v tcpreplay >/dev/null 2>&1 ||
	missing "tcpreplay not found; install it: apt-get install tcpreplay"
command -v tcpdump >/dev/null 2>&1 ||
	missing "tcpdump not found; install it: apt-get install tcpdump"
# CAP_NET_ADMIN (12) and CAP_NET_RAW (13) in the effective set, which
# root has unless a container took them away: tcpreplay and both
# capturing programs open packet sockets.
cap_eff=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status)
if [ -z "$cap_eff" ] || [ $((0x$cap_eff & 0x3000)) != $((0x3000)) ]; then
	missing "needs root or CAP_NET_RAW and CAP_NET_ADMIN (packet sockets on lo)"
fi

# ---- the capture to replay ----

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sllive.XXXXXX")
BENCH_TMP=$tmp
tool_pid=
replay_pid=
cleanup() {
	stop_pid "$replay_pid"
	stop_pid "$tool_pid" KILL
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
if [ -n "$keep" ]; then
	mkdir -p "$keep"
	capdir=$(cd "$keep" && pwd)
else
	capdir=$tmp
fi
if [ $quick = 1 ]; then
	calls=40 conc=10 secs=2
else
	calls=2000 conc=200 secs=15
fi
echo "$SL_SCRIPT: generating the capture in $capdir" >&2
big=$(bench_capture "$slgen" "$capdir" "$calls" "$conc" "$secs")
packets=$(bench_packets "$pcaploop" "$big")

# The cut: as many packets as the fastest step sends, from the start of
# the capture (calls setting up, then 200 talking: what a busy server's
# link carries). tcpreplay loads it whole (--preload-pcap), so reading a
# file never paces the replay.
need=$((max_rate * secs_step))
[ "$need" -le "$packets" ] || need=$packets
cut=$tmp/cut.pcap
tcpdump -r "$big" -c "$need" -w "$cut" 2>"$tmp/cut.err" ||
	die "cannot cut $big: $(cat "$tmp/cut.err")"

# ---- steps ----

filter="net 10.0.0.0/8 and (udp or icmp)"
tools="sipladder tcpdump tcpdump-imm"

label() {
	case $1 in
	sipladder) echo "sipladder capture --db" ;;
	tcpdump) echo "tcpdump -w /dev/null" ;;
	tcpdump-imm) echo "tcpdump --immediate-mode -B 32768" ;;
	esac
}

# cpu_ticks PID: user + system clock ticks of PID so far (fields 14, 15
# of /proc/PID/stat; the name field has no spaces for these programs).
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null
}

# settle PID TENTHS: wait until PID's CPU time has not moved for TENTHS
# tenths of a second, at most 10 s: the program has then taken what the
# kernel held for it, and the stop that follows loses nothing (a program
# stopped with packets still in its ring discards them uncounted).
settle() {
	se_n=100
	se_still=0
	se_prev=
	while [ $se_n -gt 0 ]; do
		se_now=$(cpu_ticks "$1") || return 0
		if [ "$se_now" = "$se_prev" ]; then
			se_still=$((se_still + 1))
			[ $se_still -lt "$2" ] || return 0
		else
			se_still=0
		fi
		se_prev=$se_now
		se_n=$((se_n - 1))
		sleep 0.1
	done
	return 1
}

# step TOOL RATE RUN: one replay at RATE pps with TOOL capturing; appends
# "rate tool run sent pps seen received dropped" to $tmp/results and
# prints the row.
step() {
	st_tool=$1 st_rate=$2
	st_count=$((st_rate * secs_step))
	[ "$st_count" -le "$need" ] || st_count=$need
	rm -f "$tmp/live.db" "$tmp/live.db-wal" "$tmp/live.db-shm"
	case $st_tool in
	sipladder)
		# not -q: it would hide the "capturing on" line waited for
		# below (the drop line comes even with -q, the summary is
		# one more line at the end)
		# shellcheck disable=SC2086 # LIVE_SIPLADDER_ARGS: options
		"$sipladder" capture -i lo --db "$tmp/live.db" -f "$filter" \
		    ${LIVE_SIPLADDER_ARGS:-} >/dev/null 2>"$tmp/tool.err" &
		st_ready="^sipladder: capturing on" ;;
	tcpdump)
		tcpdump -i lo -n -w /dev/null "$filter" 2>"$tmp/tool.err" &
		st_ready="listening on" ;;
	tcpdump-imm)
		tcpdump -i lo -n --immediate-mode -B 32768 -w /dev/null "$filter" \
		    2>"$tmp/tool.err" &
		st_ready="listening on" ;;
	esac
	tool_pid=$!
	wait_for 100 grep -q "$st_ready" "$tmp/tool.err" ||
		die "$(label "$st_tool") did not start: $(cat "$tmp/tool.err")"
	# bounded: the replay's own time plus its preload, several times
	# over; in the background, so that SIGINT or SIGTERM ends the
	# script at once (the shell runs a trap only between commands)
	timeout $((secs_step * 4 + 60)) tcpreplay -i lo --preload-pcap \
	    --pps="$st_rate" --limit="$st_count" "$cut" >"$tmp/replay.out" 2>&1 &
	replay_pid=$!
	st_rc=0
	wait "$replay_pid" || st_rc=$?
	replay_pid=
	[ "$st_rc" = 0 ] || die "tcpreplay failed (exit $st_rc): $(tail -5 "$tmp/replay.out")"
	# tcpdump without immediate mode is handed a ring block when it is
	# full or 1 s old (its default timeout): wait longer than that
	st_quiet=3
	[ "$st_tool" != tcpdump ] || st_quiet=12
	settle "$tool_pid" "$st_quiet" || echo "$SL_SCRIPT: $(label "$st_tool") still busy 10 s" \
	    "after the replay; stopping it anyway" >&2
	kill -INT "$tool_pid" 2>/dev/null || true
	# sipladder ends its open calls and commits them: seconds at most
	wait_for 300 pid_gone "$tool_pid" || {
		stop_pid "$tool_pid" KILL
		tool_pid=
		die "$(label "$st_tool") did not stop within 30 s of SIGINT"
	}
	st_rc=0
	wait "$tool_pid" || st_rc=$?
	tool_pid=
	[ "$st_rc" = 0 ] || die "$(label "$st_tool") exited $st_rc: $(tail -5 "$tmp/tool.err")"

	# tcpreplay: "Actual: 250000 packets (54247657 bytes) sent in 4.99
	# seconds" and "Rated: 10849540.0 Bps, 86.79 Mbps, 50000.04 pps"
	st_sent=$(sed -n 's/^Actual: \([0-9]*\) packets.*/\1/p' "$tmp/replay.out")
	st_pps=$(sed -n 's/^Rated: .*, \([0-9.]*\) pps.*/\1/p' "$tmp/replay.out")
	case $st_tool in
	sipladder)
		# "# capture: N packets received by filter, D dropped by
		# kernel, I dropped by interface" and "# F frames: ..."
		st_seen=$(sed -n 's/^# \([0-9]*\) frames:.*/\1/p' "$tmp/tool.err")
		# shellcheck disable=SC2046 # three numbers, or none
		set -- $(sed -n 's/^# capture: \([0-9]*\) packets received by filter, \([0-9]*\) dropped by kernel, \([0-9]*\) dropped by interface.*/\1 \2 \3/p' \
		    "$tmp/tool.err")
		;;
	*)
		# "C packets captured", "R packets received by filter", "D
		# packets dropped by kernel" (and by interface, when any)
		st_seen=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured$/\1/p' "$tmp/tool.err")
		set -- "$(sed -n 's/^\([0-9]*\) packets\{0,1\} received by filter$/\1/p' "$tmp/tool.err")" \
		    "$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel$/\1/p' "$tmp/tool.err")" \
		    "$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by interface$/\1/p' "$tmp/tool.err")"
		;;
	esac
	if [ $# != 3 ] || [ -z "$1" ] || [ -z "$2" ] || [ -z "$st_sent" ]; then
		die "no counters from $(label "$st_tool") or tcpreplay: $(cat "$tmp/tool.err" "$tmp/replay.out")"
	fi
	st_drop=$(($2 + ${3:-0}))
	echo "$st_rate $st_tool $run $st_sent $st_pps ${st_seen:-0} $1 $st_drop" >>"$tmp/results"
	printf '%9s %10.0f  %-34s %9s %10s %9s\n' "$st_rate" "$st_pps" "$(label "$st_tool")" \
	    "${st_seen:-?}" "$1" "$st_drop"
}

echo "sipladder live capture benchmark, $(bench_machine)"
echo "replayed onto lo: the first $need of $packets packets of $(basename "$big"), up to" \
    "$secs_step s per rate; $runs run(s)"
echo "filter: $filter; sipladder capture ${LIVE_SIPLADDER_ARGS:-(no extra options)}"
echo "load average before: $(bench_load)"
echo
printf '%9s %10s  %-34s %9s %10s %9s\n' "rate pps" "sent pps" program seen received dropped
: >"$tmp/results"
run=0
while [ $run -lt "$runs" ]; do
	run=$((run + 1))
	for r in $rates; do
		for t in $tools; do
			step "$t" "$r"
		done
	done
done
echo "load average after: $(bench_load)"

# The highest rate a program took with no drop, counting up the list:
# every run at it and at each lower rate dropped nothing.
echo
echo "highest rate with zero kernel drops (every run, every lower rate too):"
for t in $tools; do
	sort -n -k1 "$tmp/results" | awk -v t="$t" -v l="$(label "$t")" '
		$2 == t { d[$1] += $8; if (!($1 in seen)) { seen[$1] = 1; r[++n] = $1 }
			  if (!($1 in p) || $5 < p[$1]) p[$1] = $5 }
		END {
			best = ""; first = ""
			for (i = 1; i <= n; i++) {
				if (d[r[i]] > 0) { first = r[i]; break }
				best = r[i]
			}
			if (best == "")
				printf "  %-34s none: drops at %d pps already\n", l, r[1]
			else if (first == "")
				printf "  %-34s %d pps (sent at %.0f pps), the highest rate tried\n", l, best, p[best]
			else
				printf "  %-34s %d pps (sent at %.0f pps); %d dropped at %d pps\n", l, best, p[best], d[first], first
		}'
done
echo
echo "$SL_SCRIPT: done"
