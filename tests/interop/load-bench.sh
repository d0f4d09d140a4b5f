#!/bin/sh
# load-bench.sh [SERVER_BIN]: the load benchmark of issue #4 (not a test:
# timings and rates never decide pass/fail). SIPp places authenticated
# calls (uac_call_auth.xml: INVITE challenged, BYE challenged, TALK_MS of
# RTP) to a SIPp UAS registered as u2, through sipladder-server and then
# through Kamailio (kamailio-auth.cfg, the same users and challenges) when
# it is installed, at each rate of RATES in turn. Each step is bounded:
# STEP_S seconds of calls (rate x STEP_S calls, at most MAX_CALLS) and a
# SIPp global timeout. A target stops climbing at its first step with a
# failed call. Prints one row per step and the highest rate with zero
# failed calls per target; memory is VmRSS/VmHWM of sipladder-server (one
# process) and the summed Pss of Kamailio's processes (their shared memory
# counted once), before and after each step.
#
# Build the server without sanitizers first (cmake --preset release).
# SERVER_BIN "-" or empty: Kamailio only; NO_KAMAILIO=1: server only.
# Environment:
#   RATES      calls per second, in turn ("10 20 50 ... 1600 2400 3200")
#   STEP_S     seconds of calls per step (5); MAX_CALLS caps a step (4000)
#   TALK_MS    talk time, RTP included (0: the stream starts and stops)
#   SETTLE_S   more time after a step before memory is read (0): each
#              step waits anyway until the target has read every datagram
#              sent to it
#   FLAT_S     settle time of the two memory-check steps at FLAT_RATE (800,
#              at most the best rate) that end each target (40, longer
#              than every SIP timer; 0 skips them)
#   SERVER_ARGS  more sipladder-server options (e.g. --trace-pcap FILE)
#   NET        first three bytes of the addresses (127.0.3): server .50,
#              Kamailio .51, UAC .183, UAS .101; another NET lets two
#              benchmarks run at once
#   KEEP_LOGS=1  keep the work directory (kept anyway when a call failed)
# Ports: SIP 25060 (server, Kamailio), 25061 (UAC), 25062 (UAS); SIPp RTP
# 26072/26082; relay 20000-29999 (the server's default).
# Word splitting of pid lists and "rss hwm" pairs is on purpose, and $ROW
# is the one format of every row.
# shellcheck disable=SC2046,SC2086,SC2059
set -eu
SL_SCRIPT=load-bench
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

SERVER=${1:--}
RATES=${RATES:-10 20 50 100 200 400 800 1600 2400 3200}
STEP_S=${STEP_S:-5}
MAX_CALLS=${MAX_CALLS:-4000}
TALK_MS=${TALK_MS:-0}
SETTLE_S=${SETTLE_S:-0}
FLAT_S=${FLAT_S:-40}
FLAT_RATE=${FLAT_RATE:-800}
NET=${NET:-127.0.3}
SRV=$NET.50
KAM=$NET.51
SIP_PORT=25060
UAC=$NET.183
UAC_PORT=25061
UAS=$NET.101
UAS_PORT=25062

command -v sipp >/dev/null 2>&1 || die "sipp not installed (package sip-tester)"
command -v ss >/dev/null 2>&1 || die "ss not installed (package iproute2)"
KAMAILIO=$(command -v kamailio || echo /usr/sbin/kamailio)
[ -x "$KAMAILIO" ] || NO_KAMAILIO=1
[ "$SERVER" = - ] || [ -x "$SERVER" ] || die "no server binary: $SERVER"

work=$(mktemp -d /tmp/sl-interop-bench.XXXXXX)
target_pid=
uas_pid=
cleanup() {
	rc=$?
	stop_pid "$uas_pid"
	stop_pid "$target_pid"
	# a failed call's SIPp error log is worth keeping
	if awk '$6 > 0 { f = 1 } END { exit !f }' "$work/results.txt" 2>/dev/null; then
		rc=1
	fi
	work_done "$rc" "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$work"
mkdir run
make_ulaw caller.ulaw 1 10
make_ulaw callee.ulaw 1 8

# All pids of the tree rooted at PID.
tree_of() {
	echo "$1"
	# shellcheck disable=SC2013 # pids, not lines
	for to_c in $(cat "/proc/$1/task/"*/children 2>/dev/null); do
		tree_of "$to_c"
	done
}

# mem_kib KIND PID: "rss hwm" (server) or "pss -" (kamailio tree), KiB.
mem_kib() {
	if [ "$1" = server ]; then
		awk '/^VmRSS:/ { r = $2 } /^VmHWM:/ { h = $2 } END { print r, h }' \
			"/proc/$2/status"
	else
		for mk_p in $(tree_of "$2"); do
			cat "/proc/$mk_p/smaps_rollup" 2>/dev/null
		done | awk '/^Pss:/ { s += $2 } END { print s, "-" }'
	fi
}

# cpu_ms PID...: user + system CPU time so far, milliseconds.
cpu_ms() {
	for cm_p in "$@"; do
		cat "/proc/$cm_p/stat" 2>/dev/null
	done | awk -v hz="$(getconf CLK_TCK)" \
		'{ sub(/^.*\) /, ""); t += $12 + $13 } END { printf "%d\n", t * 1000 / hz }'
}

# csv_last FILE FIELD...: the named columns of a SIPp -trace_stat file's
# last row.
csv_last() {
	cl_f=$1
	shift
	awk -F';' -v want="$*" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		{ last = $0 }
		END {
			n = split(last, v, ";"); k = split(want, w, " ")
			for (i = 1; i <= k; i++) printf "%s%s", (i > 1 ? " " : ""), v[col[w[i]]]
			print ""
		}' "$cl_f"
}

results=$work/results.txt
: >"$results"

# step LABEL KIND ADDR RATE SETTLE_S: one bounded SIPp UAC run at RATE
# against the target ($pid, $name), a row of results; sets $failed.
step() {
	label=$1
	rate=$4
	calls=$((rate * STEP_S))
	[ "$calls" -le "$MAX_CALLS" ] || calls=$MAX_CALLS
	pids=$(tree_of "$pid")
	mem0=$(mem_kib "$2" "$pid")
	cpu0=$(cpu_ms $pids)
	drops0=$(udp_drops "$3")
	t0=$(date +%s%N)
	csv=$work/$name-$rate-$t0.csv
	timeout $((STEP_S * 4 + 40)) sipp -sf "$SIPP_DIR/uac_call_auth.xml" \
		-i "$UAC" -p "$UAC_PORT" -mi "$UAC" -mp 26072 -s 2 \
		-key user u1 -au u1 -ap u1pass -auth_uri "2@$3:$SIP_PORT" \
		-m "$calls" -r "$rate" \
		-d "$TALK_MS" -recv_timeout 10000 -nostdin \
		-timeout $((STEP_S * 4 + 30))s -trace_stat -stf "$csv" -fd 1 \
		-trace_err -error_file "$work/$name-$rate-$t0-errors.log" \
		"$3:$SIP_PORT" >"$work/$name-$rate-$t0.log" 2>&1 || true
	t1=$(date +%s%N)
	# CPU and drops once the target has taken all the step sent it
	wait_for 100 udp_idle "$3" ||
		echo "$SL_SCRIPT: $label $rate: datagrams still queued at $3 after 10 s" >&2
	# Memory after a wait of fixed length on purpose: the flat steps let
	# every SIP timer of the step run out (64*T1 = 32 s), state that
	# neither target shows from outside; SETTLE_S (0) adds to the others
	[ "$5" = 0 ] || sleep "$5"
	mem1=$(mem_kib "$2" "$pid")
	cpu1=$(cpu_ms $pids)
	drops1=$(udp_drops "$3")
	set -- $(csv_last "$csv" "SuccessfulCall(C)" "Retransmissions(C)" \
		"ResponseTime1(C)")
	ok=${1:-0}
	retrans=${2:-?}
	# SIPp writes response times as HH:MM:SS:microseconds
	setup=$(echo "${3:-}" | awk -F: 'NF == 4 {
		printf "%.1f", ($1 * 3600 + $2 * 60 + $3) * 1000 + $4 / 1000 }')
	failed=$((calls - ok))
	set -- $mem0 $mem1
	ms=$(( (t1 - t0) / 1000000 ))
	printf "$ROW" "$label" "$rate" "$((calls * 1000 / (ms > 0 ? ms : 1)))" \
		"$calls" "$ok" "$failed" "$retrans" "$ms" "${setup:-?}" "$1" "$3" "$4" \
		"$(( (cpu1 - cpu0) * 1000 / calls ))" "$((drops1 - drops0))" |
		tee -a "$results"
	[ "$failed" = 0 ] || why "$work/$name-$rate-$t0-errors.log" \
		"$work/$name-uas-errors.log"
}

# why UAC_ERRORS UAS_ERRORS: what SIPp said about the failed calls, counted
# by kind (the UAS log covers the target's whole run).
why() {
	{
		grep -ohE 'receive timeout|unexpected message|max UDP retransmission' \
			"$1" 2>/dev/null | sed 's/^/UAC: /'
		grep -ohE 'Dead call|receive timeout|unexpected message' "$2" 2>/dev/null |
			sed 's/Dead call/message for an ended Call-ID/' |
			sed 's/^/UAS: /'
	} | sort | uniq -c | awk '{ n = $1; $1 = ""; printf "    %s x%d\n", $0, n }'
}

# bench NAME KIND ADDR: start the target, register the UAS, climb RATES,
# then the memory check.
bench() {
	name=$1
	kind=$2
	addr=$3
	log=$work/$name.log
	if [ "$kind" = server ]; then
		# --rate-limit 0: SIPp sends every call from one address and
		# each call is challenged twice, thousands a second; the
		# per-source limit exists to stop exactly that from strangers
		timeout 900 "$SERVER" -c "$SIPP_DIR/../../src/server/conf" \
			--listen "$addr:$SIP_PORT" --log-level warn --rate-limit 0 \
			${SERVER_ARGS:-} >"$log" 2>&1 &
	else
		timeout 900 "$KAMAILIO" -f "$SIPP_DIR/kamailio-auth.cfg" \
			-l "udp:$addr:$SIP_PORT" -DD -E -Y "$work/run" \
			-P "$work/run/kamailio.pid" -m 256 -M 8 -w "$work" >"$log" 2>&1 &
	fi
	target_pid=$!
	wait_for 100 udp_bound "$addr:$SIP_PORT" || die "$name did not bind $addr:$SIP_PORT"
	pid=$(child_of "$target_pid") || die "$name: no process"
	sipp_register "$work" "$UAS" "$UAS_PORT" u2 u2pass 3600 "$addr:$SIP_PORT"
	timeout 900 sipp -sf "$SIPP_DIR/uas_answer.xml" -i "$UAS" -p "$UAS_PORT" \
		-mi "$UAS" -mp 26082 -d 0 -key user u2 -nostdin -timeout 850s \
		-trace_err -error_file "$work/$name-uas-errors.log" \
		>"$work/$name-uas.log" 2>&1 &
	uas_pid=$!
	# ready once its media port is bound as well (SIPp opens it at start)
	wait_for 50 udp_bound "$UAS:$UAS_PORT" || die "SIPp UAS did not bind"
	wait_for 50 udp_bound "$UAS:26082" || die "SIPp UAS did not bind its media port"
	best=
	for rate in $RATES; do
		step "$name" "$kind" "$addr" "$rate" "$SETTLE_S"
		[ "$failed" = 0 ] || break
		best=$rate
	done
	# Memory once every SIP timer has run out (64*T1 = 32 s): if nothing
	# accumulates, the second settled step ends where the first did.
	if [ -n "$best" ] && [ "$FLAT_S" -gt 0 ]; then
		flat=$FLAT_RATE
		[ "$flat" -le "$best" ] || flat=$best
		step "$name/flat" "$kind" "$addr" "$flat" "$FLAT_S"
		step "$name/flat" "$kind" "$addr" "$flat" "$FLAT_S"
	fi
	stop_pid "$uas_pid"
	uas_pid=
	stop_pid "$target_pid"
	target_pid=
}

echo "$SL_SCRIPT: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, STEP_S=$STEP_S TALK_MS=$TALK_MS"
# cps: the rate asked of SIPp; real: calls / ms, what it managed (the
# last call's duration included); ms: the step's wall time;
# rss-pre/post: VmRSS (server) or summed Pss (kamailio) in KiB around the
# step; hwm: VmHWM after it; setup: mean ms from the first INVITE to 200;
# us/call: the target's CPU time per call; drops: datagrams the target's
# sockets dropped on full receive buffers during the step.
ROW='%-21s %5s %5s %6s %6s %6s %7s %6s %6s %8s %8s %8s %7s %6s\n'
printf "$ROW" target cps real calls ok failed retrans ms setup rss-pre \
	rss-post hwm us/call drops
[ "$SERVER" = - ] || bench sipladder-server server "$SRV"
[ -n "${NO_KAMAILIO:-}" ] || bench kamailio kamailio "$KAM"
echo "highest rate with zero failed calls:"
for t in sipladder-server kamailio; do
	awk -v t="$t" '$1 == t && $6 == 0 && $5 > 0 { best = $2 } $1 == t { seen = 1 }
		END { if (seen) printf "  %-16s %s cps\n", t, (best == "" ? "none" : best) }' "$results"
done
[ "$FLAT_S" -gt 0 ] || exit 0
echo "memory, settled $FLAT_S s after each of two equal steps (flat: no growth):"
for t in sipladder-server kamailio; do
	awk -v t="$t/flat" '$1 == t { n++; m[n] = $11; r = $2; c = $4 }
		END { if (n == 2) printf "  %-16s %s KiB, then %s KiB after %d more calls at %s cps (%+.1f%%)\n",
			substr(t, 1, length(t) - 5), m[1], m[2], c, r, (m[2] - m[1]) * 100 / m[1] }' "$results"
done
