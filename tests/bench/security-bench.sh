#!/bin/sh
# security-bench.sh BUILD_DIR [SECONDS]: what sipladder-server gives an
# attacker (not a test: nothing here decides pass/fail; the targets are
# printed next to the numbers).
#
# 1. Amplification: one unauthenticated request each (a minimal INVITE with
#    compact headers, a realistic INVITE with SDP, a REGISTER), everything
#    that comes back within AMP_WAIT_S (5) seconds is counted: datagrams,
#    bytes and bytes back / bytes in. Targets: <= 2 datagrams, <= 4x.
# 2. Flood: one source (.66) sends unauthenticated INVITEs at FLOOD_RATE
#    (5000) per second for SECONDS (60; paced, bounded to rate x seconds,
#    the achieved rate is printed) while sipladder-phone u1 (.183) registers,
#    calls u2 (.101, sipladder-phone answer) for CALL_S (0.5) seconds and
#    unregisters, in a loop until the flood ends. Printed: the share of
#    legitimate calls that succeeded (target 100%), what the flooder got
#    back, the server's VmRSS at start, middle and end and VmHWM at the end
#    (target: flat), datagrams the server's sockets dropped on full receive
#    buffers, and the server's log lines about the flooder.
#
# Build BUILD_DIR with the sipladder-server and sipladder-phone targets (a
# release build measures the server; a sanitizer build works, slower, and
# runs with ASAN_OPTIONS=quarantine_size_mb=0 unless ASAN_OPTIONS is set:
# ASan's quarantine of freed memory would otherwise grow VmRSS by itself).
# Addresses 127.0.39.x, SIP port 27090, relay ports 28000-28999 (the
# tests/security address plan); the server runs with its default
# --rate-limit. Environment: FLOOD_RATE, CALL_S, AMP_WAIT_S, KEEP_LOGS=1,
# SERVER_ARGS (more server options: "--rate-limit 0" shows what the
# stateless answers alone do under the whole flood).
# Word splitting of "rss hwm" pairs and the flood's result line is on
# purpose, and $row is the one format of both table lines. Helpers (die,
# wait_for, stop_pid, udp_drops, work_done) come from ../interop/lib.sh.
# shellcheck disable=SC2046,SC2059
set -eu
SL_SCRIPT=security-bench
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../interop/lib.sh"

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: security-bench.sh BUILD_DIR [SECONDS]" >&2
	exit 2
fi
BUILD=$1
DUR=${2:-60}
FLOOD_RATE=${FLOOD_RATE:-5000}
CALL_S=${CALL_S:-0.5}
AMP_WAIT_S=${AMP_WAIT_S:-5}
case $DUR in '' | *[!0-9]*) die "SECONDS must be a whole number" ;; esac
[ "$DUR" -ge 2 ] || die "SECONDS must be at least 2"
SRC=$(cd "$HERE/../.." && pwd)
SERVER=$BUILD/sipladder-server
PHONE=$BUILD/sipladder-phone
[ -x "$SERVER" ] || die "no $SERVER (build the sipladder-server target)"
[ -x "$PHONE" ] || die "no $PHONE (build the sipladder-phone target)"
command -v python3 >/dev/null 2>&1 || die "python3 not found"
ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=0}
PYTHONDONTWRITEBYTECODE=1
export ASAN_OPTIONS PYTHONDONTWRITEBYTECODE

NET=127.0.39
SRV=$NET.50
PORT=27090
ATT=$NET.66
CALLER=$NET.183
CALLEE=$NET.101

work=$(mktemp -d /tmp/sl-security-bench.XXXXXX)
srv_pid=
callee_pid=
flood_pid=
cleanup() {
	rc=$?
	stop_pid "$flood_pid"
	stop_pid "$callee_pid"
	stop_pid "$srv_pid"
	work_done "$rc" "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# mem_kib PID: "rss hwm" in KiB
mem_kib() {
	awk '/^VmRSS:/ { r = $2 } /^VmHWM:/ { h = $2 } END { print r, h }' "/proc/$1/status"
}

# shellcheck disable=SC2086
"$SERVER" -c "$SRC/src/server/conf" --listen "$SRV:$PORT" --rtp-ports 28000-28999 \
	--log-level info ${SERVER_ARGS:-} 2>"$work/server.log" &
srv_pid=$!
wait_for 100 grep -qE "ready on $SRV:$PORT" "$work/server.log" || die "server not ready: $(cat "$work/server.log")"

echo "$SL_SCRIPT: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, $SERVER ${SERVER_ARGS:-}"
echo
echo "amplification: one unauthenticated request, everything back within ${AMP_WAIT_S} s"
PYTHONPATH=$SRC/tests/security python3 - "$SRV" "$PORT" "$NET" "$AMP_WAIT_S" <<'EOF'
import sys
import sipsec as S
from reflection import minimal_invite, realistic_invite, register

class Srv:
    pass

srv = Srv()
srv.ip, srv.port = sys.argv[1], int(sys.argv[2])
srv.addr = (srv.ip, srv.port)
net, wait = sys.argv[3], float(sys.argv[4])
cases = []
for i, (label, build) in enumerate((("INVITE minimal", minimal_invite),
                                    ("INVITE with SDP", realistic_invite),
                                    ("REGISTER", register))):
    ep = S.Endpoint("%s.%d" % (net, 61 + i), srv.port + 1, label)
    cases.append((label, ep, build(ep, srv).encode()))
for label, ep, req in cases:
    ep.send(req, srv.addr)
S.quiet([ep for _, ep, _ in cases], wait)
row = "%-16s %8s %7s %10s %6s  %s"
print(row % ("request", "bytes-in", "dgrams", "bytes-back", "ratio", "target <=2, <=4x"))
for label, ep, req in cases:
    back = sum(len(p.data) for p in ep.seen)
    ratio = back / len(req)
    ok = len(ep.seen) <= 2 and ratio <= 4
    print(row % (label, len(req), len(ep.seen), back, "%.2f" % ratio, "ok" if ok else "MISSED"))
EOF

echo
echo "flood: $ATT sends unauthenticated INVITEs at $FLOOD_RATE/s for $DUR s;"
echo "       u1 ($CALLER) registers, calls u2 ($CALLEE) for $CALL_S s, unregisters, in a loop"
"$PHONE" answer --bind "$CALLEE:$((PORT + 1))" --server "$SRV:$PORT" --user u2 \
	--password u2pass --register --calls 1000000 --ring-delay 0 \
	--rtp-port $((PORT + 200)) --timeout $((DUR + 60)) 2>"$work/callee.log" &
callee_pid=$!
wait_for 100 grep -q "^sipladder-phone: info: waiting for calls on" "$work/callee.log" || die "callee did not register: $(cat "$work/callee.log")"

set -- $(mem_kib "$srv_pid")
rss0=$1
drops0=$(udp_drops "$SRV")
PYTHONPATH=$SRC/tests/security python3 - "$SRV" "$PORT" "$ATT" "$FLOOD_RATE" "$DUR" "$NET" \
	>"$work/flood.out" 2>"$work/flood.err" <<'EOF' &
import select, socket, sys, time
import sipsec as S
srv = (sys.argv[1], int(sys.argv[2]))
att, rate, dur, net = sys.argv[3], int(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
s.bind((att, srv[1] + 1))
s.setblocking(False)
port = srv[1] + 1
tmpl = ("INVITE sip:2@{0} SIP/2.0\r\nVia: SIP/2.0/UDP {1}:{2};branch=z9hG4bKfl{3}\r\n"
        "From: <sip:u1@{0}>;tag=fl{3}\r\nTo: <sip:2@{0}>\r\nCall-ID: fl{3}@{1}\r\n"
        "CSeq: 1 INVITE\r\nContact: <sip:u1@{1}:{2}>\r\nMax-Forwards: 70\r\n"
        "Content-Length: 0\r\n\r\n")
limit = int(rate * dur)
sent = back = back_bytes = 0


def take():
    """What the server sent back so far."""
    global back, back_bytes
    for _ in range(1000):
        try:
            back_bytes += len(s.recv(65535))
            back += 1
        except (BlockingIOError, ConnectionRefusedError):
            return


t0 = time.monotonic()
for _ in range(limit + 1000000):
    el = time.monotonic() - t0
    if sent >= limit or el > dur + 5:
        break
    due = min(limit, int(el * rate) + 1)
    burst = 0
    while sent < due and burst < 500:
        try:
            s.sendto(tmpl.format(srv[0], att, port, sent).encode(), srv)
        except (BlockingIOError, ConnectionRefusedError):
            pass
        sent += 1
        burst += 1
    take()
    # until the next datagram is due (datagram k at t0 + k / rate), or an
    # answer comes
    if sent >= due:
        select.select([s], [], [], max(0.0, t0 + sent / rate - time.monotonic()))
secs = time.monotonic() - t0


class Srv:
    addr = srv


# the server reads its socket in order: once it answers an OPTIONS from
# another address, whatever it had to say to the flood has been sent
probe = S.Endpoint(net + ".90", srv[1] + 1, "probe")
if not S.sync(Srv, probe):
    print("security-bench: the server did not answer the probe after the flood",
          file=sys.stderr)
take()
print(sent, "%.1f" % secs, int(sent / secs), back, back_bytes)
EOF
flood_pid=$!

t0=$(date +%s)
half=$((t0 + DUR / 2))
calls=0
ok=0
rss_mid=
n=0
while [ $n -lt $((DUR * 20)) ] && [ "$(date +%s)" -lt $((t0 + DUR)) ]; do
	n=$((n + 1))
	if [ -z "$rss_mid" ] && [ "$(date +%s)" -ge "$half" ]; then
		set -- $(mem_kib "$srv_pid")
		rss_mid=$1
	fi
	calls=$((calls + 1))
	if "$PHONE" call 2 --bind "$CALLER:$((PORT + 1))" --server "$SRV:$PORT" --user u1 \
		--password u1pass --register --duration "$CALL_S" --rtp-port $((PORT + 100)) \
		--timeout 15 2>"$work/caller-$calls.log"; then
		ok=$((ok + 1))
		rm -f "$work/caller-$calls.log"
	fi
done
wait "$flood_pid" || true
flood_pid=
set -- $(mem_kib "$srv_pid")
rss_end=$1
hwm_end=$2
[ -n "$rss_mid" ] || rss_mid=$rss_end
drops=$(($(udp_drops "$SRV") - drops0))
set -- $(cat "$work/flood.out") 0 0 0 0 0
att_lines=$(grep -c "$ATT:" "$work/server.log" || true)
block_lines=$(grep "$ATT:" "$work/server.log" | grep -ciE "block" || true)

row='%-8s %6s %7s %9s %10s %7s %9s %9s %9s %9s %6s %6s\n'
printf "$row" sent secs rate/s back-dgr back-bytes legit-ok rss-start rss-mid rss-end hwm-end drops log
printf "$row" "$1" "$2" "$3" "$4" "$5" "$ok/$calls" "$rss0" "$rss_mid" "$rss_end" \
	"$hwm_end" "$drops" "$att_lines"
pct=0
[ "$calls" -eq 0 ] || pct=$((ok * 100 / calls))
echo "legitimate calls: $ok of $calls succeeded ($pct%, target 100%)"
echo "flooder: $1 INVITEs at $3/s (asked $FLOOD_RATE/s), $4 datagrams back;" \
	"server log: $att_lines lines about it, $block_lines about the block"
echo "memory (KiB): VmRSS $rss0 -> $rss_mid -> $rss_end, VmHWM $hwm_end" \
	"($(awk -v a="$rss0" -v b="$rss_end" 'BEGIN { printf "%+.1f%%", (b - a) * 100 / a }'))"
[ "$ok" = "$calls" ] || echo "$SL_SCRIPT: failed call logs in $work" >&2
# shellcheck disable=SC2034 # read by work_done (lib.sh) in cleanup
[ "$ok" = "$calls" ] || KEEP_LOGS=1
stop_pid "$callee_pid"
callee_pid=
echo "$SL_SCRIPT: done"
