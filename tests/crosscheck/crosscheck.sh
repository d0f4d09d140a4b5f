#!/bin/sh
# crosscheck.sh SIPLADDER CAPTURE [--corrupt]
#
# Runs sipladder and tshark on the same capture and compares what both
# count: SIP messages, and for every RTP stream packets, lost, max delta,
# max and mean jitter (compare.py says how). tshark decodes RTP only where
# SIP/SDP set the conversation up, as sipladder does, so no RTP heuristics.
# --corrupt adds one packet to tshark's first stream before comparing: the
# self-test that proves a mismatch fails.
#
# Exit: 0 same figures, 1 a mismatch, 77 tshark or python3 missing (ctest
# SKIP_RETURN_CODE), 2 usage or a tool failing.
set -eu

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
	echo "usage: crosscheck.sh SIPLADDER CAPTURE [--corrupt]" >&2
	exit 2
fi
bin=$1
cap=$2
corrupt=${3:-}
here=$(cd "$(dirname "$0")" && pwd)

for t in tshark python3; do
	if ! command -v "$t" >/dev/null 2>&1; then
		echo "crosscheck: $t not installed, skipped" >&2
		exit 77
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/crosscheck.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Fixed environment: tshark prints a profile warning as root and both tools
# must not depend on the user's locale or Wireshark preferences.
export LC_ALL=C TZ=UTC
ts() {
	HOME="$tmp" timeout 120 tshark -n -r "$cap" "$@" 2>"$tmp/tshark.err" ||
		{ cat "$tmp/tshark.err" >&2; exit 2; }
}

# One line per SIP message: tshark shows one frame per datagram, so a
# datagram with two messages has two request/status lines in one frame.
ts -Y sip -T fields -E occurrence=a -E aggregator=, \
	-e frame.number -e sip.Request-Line -e sip.Status-Line >"$tmp/sip.tsv"
ts -q -z rtp,streams >"$tmp/streams.txt"
timeout 120 "$bin" calls --json -q "$cap" >"$tmp/sipladder.jsonl" ||
	{ echo "crosscheck: sipladder failed on $cap" >&2; exit 2; }

exec python3 "$here/compare.py" "$tmp/sipladder.jsonl" "$tmp/sip.tsv" \
	"$tmp/streams.txt" ${corrupt:+"$corrupt"}
