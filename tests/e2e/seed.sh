#!/bin/sh
# seed.sh: play one of the seed's scenarios live on loopback with the
# reference server and phones, capture it, and check what sipladder makes
# of it against tests/e2e/<scenario>.expected (times masked).
#
#   seed.sh [--scenario b2bua|direct|register] [--bin DIR] [--out DIR]
#           [--keep] [--capture FILE]
#
# The capture is a live tcpdump on lo when we may (root + tcpdump): only
# that sees the kernel's ICMP port unreachable for RTP sent to a closed
# relay port, as in the seed. Otherwise the server's --trace-pcap (or, for
# the direct call, the caller's) is analysed and the ICMP check is skipped
# with a note. --capture copies the analysed capture out (make-samples.sh).
# Every program run has its own --seed, so captures of different
# scenarios never share a Call-ID, tag or branch when merged.
# Exit: 0 pass, 1 mismatch or a program failed, 2 usage, 77 cannot run here.
set -eu
SL_SCRIPT=seed.sh

here=$(cd "$(dirname "$0")" && pwd)
# wait_for, die, stop_pid, capture_stop
. "$here/../interop/lib.sh"
src=$(cd "$here/../.." && pwd)
scenario=b2bua
bin=$src/build/release
out=
keep=0
capture_out=
while [ $# -gt 0 ]; do
	case $1 in
	--scenario) scenario=$2; shift 2 ;;
	--bin) bin=$(cd "$2" && pwd); shift 2 ;;
	--out) out=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	--capture) capture_out=$2; shift 2 ;;
	*) echo "seed.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
case $scenario in b2bua|direct|register) ;; *)
	echo "seed.sh: unknown scenario $scenario" >&2; exit 2 ;;
esac
for p in sipladder sipladder-server sipladder-phone; do
	[ -x "$bin/$p" ] || { echo "seed.sh: $bin/$p not built" >&2; exit 77; }
done
command -v python3 >/dev/null || { echo "seed.sh: python3 missing" >&2; exit 77; }

own_out=0
if [ -z "$out" ]; then
	out=$(mktemp -d "${TMPDIR:-/tmp}/sl-e2e.XXXXXX")
	own_out=1
else
	mkdir -p "$out"
fi
cd "$out"
rm -f ./*.pcap ./*.log ./*.jsonl ./*.txt

S=127.0.0.50 C=127.0.0.183 P=127.0.0.101
pids=

# Every background program is bounded by its own --timeout; this makes
# sure nothing outlives the script even when it fails half way.
cleanup() {
	for pid in $pids; do kill "$pid" 2>/dev/null || true; done
}
trap 'cleanup; [ "$keep" = 1 ] || [ $own_out = 0 ] || rm -rf "$out"' EXIT

live=0
if [ "$(id -u)" = 0 ] && command -v tcpdump >/dev/null; then
	tcpdump -i lo --immediate-mode -U -n -s 0 -w live.pcap \
		"(host $S or host $C or host $P) and (udp port 5060 or udp portrange 30000-30099 or udp portrange 41000-41003 or icmp)" \
		2>tcpdump.log &
	tpid=$!
	pids="$pids $tpid"
	if wait_for 100 grep -q "listening on" tcpdump.log; then live=1; else
		echo "seed.sh: tcpdump did not start: $(cat tcpdump.log)" >&2
		stop_pid "$tpid"
	fi
fi

phone() { "$bin/sipladder-phone" "$@" --timeout 30; }

case $scenario in
b2bua|register)
	"$bin/sipladder-server" -c "$src/src/server/conf" --listen $S:5060 \
		--rtp-ports 30000-30099 --trace-pcap server.pcap --seed 1 \
		2>server.log &
	spid=$!
	pids="$pids $spid"
	wait_for 100 grep -q "ready on" server.log || die "server not ready: $(cat server.log)"
	;;
esac

rc=0
case $scenario in
b2bua)
	phone answer --bind $P:5060 --server $S:5060 --user u2 --password u2pass \
		--register --ring-delay 1 --rtp-port 41002 --trace-pcap callee.pcap \
		--seed 3 2>callee.log &
	cpid=$!
	pids="$pids $cpid"
	wait_for 100 grep -q "registered" callee.log ||
		die "callee did not register: $(cat callee.log)"
	phone call 2 --bind $C:5060 --server $S:5060 --user u1 --password u1pass \
		--register --duration 3 --rtp-port 41000 --rtp-linger 200 \
		--trace-pcap caller.pcap --seed 2 2>caller.log || rc=1
	wait "$cpid" || rc=1
	analysed=server.pcap
	;;
direct)
	# The seed's second capture: .101 calls .183 directly, .183 hangs up.
	phone answer --bind $C:5060 --ring-delay 1 --duration 3 --rtp-port 41000 \
		--trace-pcap callee.pcap --seed 5 2>callee.log &
	cpid=$!
	pids="$pids $cpid"
	wait_for 100 grep -q "waiting" callee.log || die "callee not ready: $(cat callee.log)"
	phone call "sip:0@$C:5060" --bind $P:5060 --rtp-port 41002 \
		--rtp-linger 200 --trace-pcap caller.pcap --seed 6 2>caller.log || rc=1
	wait "$cpid" || rc=1
	analysed=caller.pcap
	;;
register)
	phone register --bind $C:5060 --server $S:5060 --user u1 --password u1pass \
		--expires 600 --seed 7 --trace-pcap caller.pcap 2>caller.log || rc=1
	phone unregister --bind $C:5060 --server $S:5060 --user u1 --password u1pass \
		--seed 8 --trace-pcap caller2.pcap 2>>caller.log || rc=1
	analysed=server.pcap
	;;
esac

# Nothing to wait for: every phone has exited, each after the final
# response to its last request (so the server has handled all they sent)
# and after its lingering RTP, whose ICMP the kernel sent at once. Only
# tcpdump may lag behind: capture_stop waits until it has caught up.
if [ -n "${spid:-}" ]; then
	kill -TERM "$spid"
	wait "$spid" || { echo "seed.sh: server did not exit cleanly" >&2; rc=1; }
fi
if [ $live = 1 ]; then
	# .183:5060 is free now, and no traffic goes from .183 to itself
	capture_stop "$tpid" live.pcap $C 5060
	analysed=live.pcap
fi
pids=

if [ $rc != 0 ]; then
	for f in server.log callee.log caller.log; do
		[ -f $f ] && { echo "--- $f" >&2; cat $f >&2; }
	done
	echo "seed.sh: a program failed" >&2
	exit 1
fi

"$bin/sipladder" calls --json -q "$analysed" >calls.jsonl
"$bin/sipladder" ladder --ascii --rtp --width 160 "$analysed" >ladder.txt
[ -n "$capture_out" ] && cp "$analysed" "$capture_out"
python3 "$here/normalize.py" --scenario "$scenario" --live $live \
	calls.jsonl >normalized.txt
# Without a live capture the kernel's ICMP is not in the analysed file.
if [ $live = 1 ]; then
	cp "$here/$scenario.expected" expected.txt
else
	grep -v '^icmp' "$here/$scenario.expected" >expected.txt || true
fi
if ! diff -u expected.txt normalized.txt; then
	echo "seed.sh: $scenario: sipladder's view differs from the seed (ladder below)" >&2
	cat ladder.txt >&2
	exit 1
fi
[ $live = 1 ] || echo "seed.sh: note: no live capture (needs root + tcpdump): ICMP not checked" >&2
cat ladder.txt
echo "seed.sh: $scenario: ok ($analysed)"
