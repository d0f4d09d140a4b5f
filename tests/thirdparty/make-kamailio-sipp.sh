#!/bin/sh
# Records sample-pcaps/thirdparty-kamailio-sipp.pcap: SIP and RTP written by
# Debian's kamailio and sip-tester (SIPp), not by our generator, so the
# analyser meets a real stack's quirks. Loopback only:
#   127.0.0.50:5060   kamailio, proxy + registrar (kamailio.cfg here)
#   127.0.0.101:5060  SIPp UAS, user u2, RTP on :6000
#   127.0.0.183:5060  SIPp UAC, user u1, RTP on :6000
# Sequence: u2 and u1 REGISTER (401, digest, 200); u1 calls u2 (407, ACK,
# INVITE with credentials, 100/180/200, ACK, G.711 A-law RTP both ways for
# about 7 s, an RFC 4733 digit from the caller, BYE/200); u1 calls u3, who
# is not registered (407, then 404); both unregister (Expires 0).
#
# Not run by CI: the capture is committed. Run by hand, as root (tcpdump,
# and SIPp's pcap playback uses a raw socket):
#   tests/thirdparty/make-kamailio-sipp.sh [OUTPUT.pcap]
# Needs: kamailio, sip-tester, tcpdump, iproute2 (ss), python3. KEEP_LOGS=1
# keeps the work directory (kamailio, SIPp and tcpdump logs) after success
# too.
set -eu
SL_SCRIPT=make-kamailio-sipp

here=$(cd "$(dirname "$0")" && pwd)
# die, wait_for, udp_bound, capture_stop
. "$here/../interop/lib.sh"
out=${1:-$here/../../sample-pcaps/thirdparty-kamailio-sipp.pcap}
case $out in /*) ;; *) out=$(pwd)/$out ;; esac

PROXY=127.0.0.50
UAS=127.0.0.101
UAC=127.0.0.183
RTP_FILE=${RTP_FILE:-/usr/share/sip-tester/g711a.pcap}
DTMF_FILE=${DTMF_FILE:-/usr/share/sip-tester/dtmf_2833_1.pcap}

[ "$(id -u)" = 0 ] || die "must run as root (tcpdump, raw socket for RTP)"
KAMAILIO=$(command -v kamailio || echo /usr/sbin/kamailio)
for t in "$KAMAILIO" sipp tcpdump ss timeout python3; do
	command -v "$t" >/dev/null 2>&1 || die "missing $t"
done
for f in "$RTP_FILE" "$DTMF_FILE"; do
	[ -r "$f" ] || die "missing $f (package sip-tester)"
done

work=$(mktemp -d /tmp/sl-thirdparty.XXXXXX)
tcpdump_pid=
kamailio_pid=
uas_pid=
cleanup() {
	rc=$?
	# Only the processes this script started, by pid; `timeout` passes the
	# signal on to its child.
	for p in $uas_pid $kamailio_pid; do
		kill "$p" 2>/dev/null || true
	done
	[ -n "$tcpdump_pid" ] && kill -INT "$tcpdump_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	work_done "$rc" "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cd "$work"
mkdir run

# 1. capture: everything between the three hosts, nothing else on lo
timeout 120 tcpdump -i lo --immediate-mode -U -w "$work/capture.pcap" \
	"host $PROXY or host $UAS or host $UAC" 2>"$work/tcpdump.log" &
tcpdump_pid=$!
wait_for 50 grep -q 'listening on' "$work/tcpdump.log" || die "tcpdump did not start"

# 2. proxy in the foreground (-DD), logging to stderr (-E), private run dir
timeout 120 "$KAMAILIO" -f "$here/kamailio.cfg" -DD -E -Y "$work/run" \
	-P "$work/run/kamailio.pid" -m 32 -M 8 -w "$work" >"$work/kamailio.log" 2>&1 &
kamailio_pid=$!
wait_for 50 udp_bound "$PROXY:5060" || die "kamailio did not bind $PROXY:5060"

# sipp_run IP SCENARIO ARGS...: one SIPp client run to the proxy, one call.
sipp_run() {
	ip=$1
	sf=$2
	shift 2
	timeout 40 sipp -sf "$here/$sf" -i "$ip" -p 5060 -mi "$ip" -mp 6000 \
		-m 1 -nostdin -timeout 30s -timeout_error \
		-trace_err -error_file "$work/sipp-errors.log" \
		"$@" "$PROXY:5060" >>"$work/sipp.log" 2>&1 ||
		die "sipp $sf $* failed"
}

# 3. registrations
sipp_run "$UAS" register.xml -key user u2 -key expires 600 -au u2 -ap u2pass
sipp_run "$UAC" register.xml -key user u1 -key expires 600 -au u1 -ap u1pass

# 4. callee waits for one call; it streams 7 s of A-law silence
head -c 56000 /dev/zero | tr '\000' '\325' >"$work/silence.al"
timeout 60 sipp -sf "$here/uas.xml" -i "$UAS" -p 5060 -mi "$UAS" -mp 6000 \
	-m 1 -nostdin -timeout 45s -timeout_error -key user u2 \
	>>"$work/sipp-uas.log" 2>&1 &
uas_pid=$!
wait_for 50 udp_bound "$UAS:5060" || die "SIPp UAS did not bind $UAS:5060"

# 5. the answered call; the caller talks for 8 s (its pcap lasts 7.05 s),
# then sends digit 1 as RFC 4733 events
sipp_run "$UAC" uac.xml -s u2 -key user u1 -au u1 -ap u1pass \
	-key rtp_file "$RTP_FILE" -key dtmf_file "$DTMF_FILE" -d 8000
wait "$uas_pid" || die "SIPp UAS failed"
uas_pid=

# 6. a call to nobody: challenged, then 404 from the registrar's lookup
sipp_run "$UAC" uac.xml -s u3 -key user u1 -au u1 -ap u1pass \
	-key rtp_file "$RTP_FILE" -key dtmf_file "$DTMF_FILE" -d 8000

# 7. unregistrations
sipp_run "$UAC" register.xml -key user u1 -key expires 0 -au u1 -ap u1pass
sipp_run "$UAS" register.xml -key user u2 -key expires 0 -au u2 -ap u2pass

# 8. stop the proxy, then the capture once it holds the last packets (the
# UAC's port is free by then; nothing else goes from the UAC to itself)
kill "$kamailio_pid" 2>/dev/null || true
wait "$kamailio_pid" 2>/dev/null || true
kamailio_pid=
capture_stop "$tcpdump_pid" "$work/capture.pcap" "$UAC" 5060
tcpdump_pid=

cp "$work/capture.pcap" "$out"
echo "make-kamailio-sipp: wrote $out" >&2
