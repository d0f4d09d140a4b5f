#!/bin/sh
# run-sipp.sh SERVER_BIN [SIPLADDER_BIN]: third-party SIPp (Debian
# sip-tester) against sipladder-server, the seed's scenario: the SIPp UAS
# registers as u2 (number 2), the SIPp UAC as u1 and calls 2 CALLS times
# with digest authentication of INVITE and BYE and G.711 RTP both ways
# through the server's relay. Every SIPp run must succeed (exit 0: all
# calls successful) and the server must stop cleanly on SIGTERM. Then the
# analyser reads the server's --trace-pcap: each call must be two legs
# joined into one call with the seed's message sequence and relayed RTP.
# The first call's ladder, times masked, goes to
# $SL_INTEROP_OUT/sipladder-server.ladder (and its message sequence beside
# it); when run-kamailio.sh left its sequence there, the two are compared.
#
# Loopback only, ports of its own (ctest runs tests in parallel):
#   127.0.0.50:15060   sipladder-server, RTP relay ports 31000-31199
#   127.0.0.183:15061  SIPp UAC, user u1, RTP :16072
#   127.0.0.101:15062  SIPp UAS, user u2, RTP :16082
# or, when one of those is taken (the test of another build directory),
# all 10, 20, ... 90 higher (relay ports 200, 400, ... higher).
# SIPLADDER_BIN defaults to `sipladder` beside SERVER_BIN. Needs sip-tester,
# iproute2 (ss), python3; exit 77 (skipped) without them. Env: CALLS (5),
# TALK_MS (2000), RING_MS (300), SL_INTEROP_OUT (default:
# /tmp/sipladder-interop), KEEP_LOGS=1 keeps the work directory after
# success too.
set -eu
SL_SCRIPT=run-sipp
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

[ $# -ge 1 ] || { echo "usage: $0 SERVER_BIN [SIPLADDER_BIN]" >&2; exit 2; }
SERVER=$1
SIPLADDER=${2:-$(dirname "$SERVER")/sipladder}
CALLS=${CALLS:-5}
TALK_MS=${TALK_MS:-2000}
RING_MS=${RING_MS:-300}
SRV=127.0.0.50
UAC=127.0.0.183
UAS=127.0.0.101

for t in sipp ss timeout python3; do
	command -v "$t" >/dev/null 2>&1 || skip "$t not installed"
done
base=$(free_base 15060 "$SRV" "$UAC" "$UAS") || die "no free ports near 15060"
SRV_PORT=$base
UAC_PORT=$((base + 1))
UAS_PORT=$((base + 2))
RELAY_LO=$((31000 + (base - 15060) * 20))
[ -x "$SERVER" ] || die "no server binary: $SERVER"
[ -x "$SIPLADDER" ] || die "no sipladder binary: $SIPLADDER"

work=$(mktemp -d /tmp/sl-interop-sipp.XXXXXX)
out=${SL_INTEROP_OUT:-${TMPDIR:-/tmp}/sipladder-interop}
mkdir -p "$out"
server_pid=
uas_pid=
cleanup() {
	rc=$?
	stop_pid "$uas_pid"
	stop_pid "$server_pid"
	work_done "$rc" "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$work"
make_ulaw caller.ulaw 1 10
make_ulaw callee.ulaw 1 8

# 1. the server, seeded so its Call-IDs, tags and nonces repeat run to run
timeout 50 "$SERVER" -c "$SIPP_DIR/../../src/server/conf" \
	--listen "$SRV:$SRV_PORT" --rtp-ports "$RELAY_LO-$((RELAY_LO + 199))" --seed 4 \
	--trace-pcap "$work/server.pcap" --log-level info >server.out 2>server.log &
server_pid=$!
server_proc=$(child_of "$server_pid") || die "server did not start"
wait_for 100 grep -q "^sipladder-server: ready on $SRV:$SRV_PORT\$" server.log ||
	die "server not ready: $(tail -3 server.log)"

# 2. callee and caller register; the callee answers on the port it
# registered from
sipp_register "$work" "$UAS" "$UAS_PORT" u2 u2pass 600 "$SRV:$SRV_PORT"
sipp_register "$work" "$UAC" "$UAC_PORT" u1 u1pass 600 "$SRV:$SRV_PORT"
timeout 45 sipp -sf "$SIPP_DIR/uas_answer.xml" -i "$UAS" -p "$UAS_PORT" \
	-mi "$UAS" -mp "$((base + 1022))" -m "$CALLS" -d "$RING_MS" -key user u2 \
	-nostdin -timeout 40s -timeout_error -trace_err -error_file sipp-uas-errors.log \
	>sipp-uas.log 2>&1 &
uas_pid=$!
wait_for 50 udp_bound "$UAS:$UAS_PORT" || die "SIPp UAS did not bind $UAS:$UAS_PORT"

# 3. the calls, one after the other (-l 1: SIPp 3.6 streams every call's
# RTP from its one -mp port); each rings RING_MS and talks TALK_MS
# -auth_uri: SIPp signs sip:HOST:PORT by default, not the Request-URI;
# the server holds the digest uri to the Request-URI (RFC 2617 3.2.2.5)
timeout 45 sipp -sf "$SIPP_DIR/uac_call_auth.xml" -i "$UAC" -p "$UAC_PORT" \
	-mi "$UAC" -mp "$((base + 1012))" -s 2 -key user u1 -au u1 -ap u1pass \
	-auth_uri "2@$SRV:$SRV_PORT" \
	-m "$CALLS" -l 1 -r 10 -d "$TALK_MS" -nostdin -timeout 40s -timeout_error \
	-trace_err -error_file sipp-uac-errors.log "$SRV:$SRV_PORT" \
	>sipp-uac.log 2>&1 ||
	die "SIPp UAC failed (exit $?): see $work/sipp-uac*.log"
wait "$uas_pid" || die "SIPp UAS failed: see $work/sipp-uas*.log"
uas_pid=

# 4. unregister, then a clean stop
sipp_register "$work" "$UAC" "$UAC_PORT" u1 u1pass 0 "$SRV:$SRV_PORT"
sipp_register "$work" "$UAS" "$UAS_PORT" u2 u2pass 0 "$SRV:$SRV_PORT"
kill -TERM "$server_proc"
src=0
wait "$server_pid" || src=$?
server_pid=
[ "$src" = 0 ] || die "server exited $src on SIGTERM: $(tail -3 server.log)"

# 5. what the analyser makes of the server's own trace
"$SIPLADDER" calls --json -q server.pcap >calls.jsonl ||
	die "sipladder calls --json failed"
first=$(python3 "$SIPP_DIR/ladder_tool.py" check b2bua "$CALLS" "$UAC" "$SRV" \
	"$UAS" calls.jsonl "$out/sipladder-server") || die "trace check failed"
"$SIPLADDER" ladder --rtp --ascii --width 120 -q --call "$first" server.pcap >ladder.txt ||
	die "sipladder ladder failed"
# the text ladder must show the merge the JSON check relied on
grep -q "^  leg B .* joined to A" ladder.txt || die "ladder without leg B joined to A"
python3 "$SIPP_DIR/ladder_tool.py" mask ladder.txt "$out/sipladder-server.ladder"
echo "$SL_SCRIPT: $CALLS calls through sipladder-server: ok; ladder of the first in" \
	"$out/sipladder-server.ladder" >&2
if [ -r "$out/kamailio.sequence" ]; then
	python3 "$SIPP_DIR/ladder_tool.py" compare "sipladder-server (B2BUA)" \
		"$out/sipladder-server.sequence" "kamailio (proxy)" "$out/kamailio.sequence"
fi
