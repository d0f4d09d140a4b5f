# benchlib.sh: helpers shared by bench.sh and live-bench.sh (sourced,
# POSIX sh). The caller sets SL_SCRIPT (the prefix of messages) and
# BENCH_TMP (its scratch directory, removed by the caller). Variables
# here start with bl_: sh has no locals, and the callers' own names must
# survive a call.
# shellcheck shell=sh

# bench_build_dir ROOT [DIR]: the build directory as an absolute path:
# DIR as given, DIR under the source tree ROOT when only that exists, or
# ROOT/build/release when DIR is empty (the README's release build).
bench_build_dir() {
	if [ -z "${2:-}" ]; then
		echo "$1/build/release"
	elif [ ! -d "$2" ] && [ -d "$1/$2" ]; then
		echo "$1/$2"
	else
		echo "$2"
	fi
}

# bench_capture SLGEN DIR CALLS CONC SECS: prints the path of slgen's
# B2BUA benchmark capture of CALLS calls, CONC up at any time, SECS s of
# RTP each, in DIR; made unless DIR already holds it (bench.sh --keep
# and live-bench.sh --keep then share one set of captures).
bench_capture() {
	bl_f=$2/bench-$3calls-$4-$5.pcap
	if [ ! -s "$bl_f" ]; then
		# under another name until complete: --keep must never reuse
		# a capture cut short by an interrupted run
		"$1" bench -o "$bl_f.part" --calls "$3" --concurrent "$4" \
		    --rtp-seconds "$5" >"$BENCH_TMP/slgen.out" 2>&1 || {
			cat "$BENCH_TMP/slgen.out" >&2
			echo "$SL_SCRIPT: slgen failed" >&2
			exit 1
		}
		# on disk before timing starts: writeback must not overlap it
		sync "$bl_f.part" 2>/dev/null || sync
		mv "$bl_f.part" "$bl_f"
	fi
	echo "$bl_f"
}

# bench_packets PCAPLOOP FILE: the packet count of FILE, by the bare
# libpcap loop. Also warms the page cache: the timed runs that follow
# read the capture from memory, not from the disk.
bench_packets() {
	"$1" "$2" >"$BENCH_TMP/count" 2>&1 || {
		cat "$BENCH_TMP/count" >&2
		echo "$SL_SCRIPT: pcaploop cannot read $2" >&2
		exit 1
	}
	awk '{ print $2 }' "$BENCH_TMP/count"
}

# bench_machine: "2026-12-07T05:25Z, 2 CPUs, AMD EPYC": when and where,
# the first words of every result block (README.md quotes them).
bench_machine() {
	echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs," \
	    "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
}

# bench_load: the 1, 5 and 15 minute load averages, printed before and
# after a run: on a shared machine they say how far to trust its times.
bench_load() {
	cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"
}
