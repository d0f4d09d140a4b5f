#!/bin/sh
# run-kamailio.sh [SIPLADDER_BIN]: the calls of run-sipp.sh through
# Kamailio (kamailio-auth.cfg: registrar + digest auth, a proxy), captured
# with tcpdump on lo and read back with `sipladder`. Checks every SIPp
# scenario succeeded and the analyser saw each call as one authorised,
# completed dialog with RTP both ways; then writes the ladder of the
# first call, times masked, to $SL_INTEROP_OUT/kamailio.ladder and, when
# run-sipp.sh left sipladder-server's ladder there, prints how the two
# message sequences differ (a proxy vs a B2BUA).
#
# Loopback only, on addresses of its own so it can run beside run-sipp.sh:
#   127.0.1.50:15160   kamailio      127.0.1.183:15161  SIPp UAC, user u1
#   127.0.1.101:15162  SIPp UAS, u2  RTP: UAC :16172, UAS :16182
# or, when one of those is taken (the test of another build directory),
# all 10, 20, ... 90 higher; the capture filter keeps to this run's ports.
# Needs root (tcpdump), kamailio, sip-tester, tcpdump, iproute2, python3;
# exit 77 (skipped) when one is missing. Env: CALLS (5), TALK_MS (2000),
# RING_MS (300), SL_INTEROP_OUT (default: /tmp/sipladder-interop),
# KEEP_LOGS=1 keeps the work directory after success too.
set -eu
SL_SCRIPT=run-kamailio
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

SIPLADDER=${1:-sipladder}
CALLS=${CALLS:-5}
TALK_MS=${TALK_MS:-2000}
RING_MS=${RING_MS:-300}
PROXY=127.0.1.50
UAC=127.0.1.183
UAS=127.0.1.101

KAMAILIO=$(command -v kamailio || echo /usr/sbin/kamailio)
[ -x "$KAMAILIO" ] || skip "kamailio not installed"
for t in sipp tcpdump ss timeout python3; do
	command -v "$t" >/dev/null 2>&1 || skip "$t not installed"
done
[ "$(id -u)" = 0 ] || skip "tcpdump on lo needs root"
command -v "$SIPLADDER" >/dev/null 2>&1 || die "no sipladder binary: $SIPLADDER"
base=$(free_base 15160 "$PROXY" "$UAC" "$UAS") || die "no free ports near 15160"
PROXY_PORT=$base
UAC_PORT=$((base + 1))
UAS_PORT=$((base + 2))

work=$(mktemp -d /tmp/sl-interop-kamailio.XXXXXX)
out=${SL_INTEROP_OUT:-${TMPDIR:-/tmp}/sipladder-interop}
mkdir -p "$out"
tcpdump_pid=
kamailio_pid=
uas_pid=
cleanup() {
	rc=$?
	stop_pid "$uas_pid"
	stop_pid "$kamailio_pid"
	stop_pid "$tcpdump_pid" INT
	work_done "$rc" "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$work"
mkdir run
make_ulaw caller.ulaw 1 10
make_ulaw callee.ulaw 1 8

# 1. capture: only this run's addresses and ports
timeout 50 tcpdump -i lo --immediate-mode -U -w capture.pcap \
	"(host $PROXY or host $UAC or host $UAS) and udp and (port $base or" \
	"port $((base + 1)) or port $((base + 2)) or port $((base + 1012)) or" \
	"port $((base + 1022)))" 2>tcpdump.log &
tcpdump_pid=$!
wait_for 50 grep -q 'listening on' tcpdump.log || die "tcpdump did not start"

# 2. the proxy in the foreground (-DD), logging to stderr (-E)
timeout 50 "$KAMAILIO" -f "$SIPP_DIR/kamailio-auth.cfg" -l "udp:$PROXY:$PROXY_PORT" \
	-DD -E -Y "$work/run" -P "$work/run/kamailio.pid" -m 64 -M 8 -w "$work" \
	>kamailio.log 2>&1 &
kamailio_pid=$!
wait_for 50 udp_bound "$PROXY:$PROXY_PORT" || die "kamailio did not bind $PROXY:$PROXY_PORT"

# 3. the callee registers from the port its UAS will answer on, then waits
sipp_register "$work" "$UAS" "$UAS_PORT" u2 u2pass 600 "$PROXY:$PROXY_PORT"
sipp_register "$work" "$UAC" "$UAC_PORT" u1 u1pass 600 "$PROXY:$PROXY_PORT"
timeout 40 sipp -sf "$SIPP_DIR/uas_answer.xml" -i "$UAS" -p "$UAS_PORT" \
	-mi "$UAS" -mp "$((base + 1022))" -m "$CALLS" -d "$RING_MS" -key user u2 \
	-nostdin -timeout 35s -timeout_error -trace_err -error_file sipp-uas-errors.log \
	>sipp-uas.log 2>&1 &
uas_pid=$!
wait_for 50 udp_bound "$UAS:$UAS_PORT" || die "SIPp UAS did not bind $UAS:$UAS_PORT"

# 4. the calls, one after the other (-l 1: SIPp 3.6 streams every call's
# RTP from its one -mp port); each rings RING_MS and talks TALK_MS
timeout 40 sipp -sf "$SIPP_DIR/uac_call_auth.xml" -i "$UAC" -p "$UAC_PORT" \
	-mi "$UAC" -mp "$((base + 1012))" -s 2 -key user u1 -au u1 -ap u1pass \
	-m "$CALLS" -l 1 -r 10 -d "$TALK_MS" -nostdin -timeout 35s -timeout_error \
	-trace_err -error_file sipp-uac-errors.log -trace_stat -stf sipp-uac.csv \
	"$PROXY:$PROXY_PORT" >sipp-uac.log 2>&1 ||
	die "SIPp UAC failed (exit $?): see $work/sipp-uac*.log"
wait "$uas_pid" || die "SIPp UAS failed: see $work/sipp-uas*.log"
uas_pid=

# 5. unregister, stop the proxy, stop the capture once it holds all of it
# (the UAC's SIP port is free by then and in the capture filter)
sipp_register "$work" "$UAC" "$UAC_PORT" u1 u1pass 0 "$PROXY:$PROXY_PORT"
sipp_register "$work" "$UAS" "$UAS_PORT" u2 u2pass 0 "$PROXY:$PROXY_PORT"
stop_pid "$kamailio_pid"
kamailio_pid=
capture_stop "$tcpdump_pid" capture.pcap "$UAC" "$UAC_PORT"
tcpdump_pid=

# 6. what the analyser makes of it
"$SIPLADDER" calls --json -q capture.pcap >calls.jsonl ||
	die "sipladder calls --json failed"
first=$(python3 "$SIPP_DIR/ladder_tool.py" check proxy "$CALLS" "$UAC" "$PROXY" \
	"$UAS" calls.jsonl "$out/kamailio") || die "capture check failed"
"$SIPLADDER" ladder --rtp --ascii --width 120 -q --call "$first" capture.pcap >ladder.txt ||
	die "sipladder ladder failed"
python3 "$SIPP_DIR/ladder_tool.py" mask ladder.txt "$out/kamailio.ladder"
echo "$SL_SCRIPT: $CALLS calls through kamailio: ok; ladder of the first in $out/kamailio.ladder" >&2
if [ -r "$out/sipladder-server.sequence" ]; then
	python3 "$SIPP_DIR/ladder_tool.py" compare "sipladder-server (B2BUA)" \
		"$out/sipladder-server.sequence" "kamailio (proxy)" "$out/kamailio.sequence"
fi
