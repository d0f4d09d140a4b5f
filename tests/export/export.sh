#!/bin/sh
# export.sh BIN SAMPLES TMPDIR CASE: sipladder export writes a pcap, so
# its test reads that pcap back: the exported calls must show exactly as
# they show from the original captures (ladder, calls table), nothing
# else may be in the file, and its frames must be the calls' SIP, RTP,
# RTCP and ICMP frames, in capture order. Exit 1 naming each difference.
set -u
bin=$1 samples=$2 tmp=$3 case=$4
export COLUMNS=120 LC_ALL=C TZ=UTC
rm -rf "$tmp"
mkdir -p "$tmp" || exit 2
# stored nowhere: no command here is given --db, this is belt and braces
export SIPLADDER_DB="$tmp/unused.db"
cd "$samples" || exit 2
fail=0

bad() {
	echo "$case: $*"
	fail=1
}

# export OUT ARGS...: runs sipladder export, fails the case unless exit 0
export_to() {
	out=$1
	shift
	if ! "$bin" export "$@" -w "$tmp/$out" >"$tmp/$out.stdout" 2>"$tmp/$out.stderr"; then
		bad "export $* failed:"
		cat "$tmp/$out.stderr"
		return 1
	fi
}

# A ladder with times that do not depend on the first frame of the file
# (--delta: each row's time since the previous one, but for each call's
# first row) and without call numbers (the export renumbers from 1).
ladder() {
	"$bin" ladder --rtp --ascii --delta -q "$@" |
	    sed -E 's/^Call [0-9]+ /Call # /; s/^ +[0-9]+\.[0-9]{6} /  T /'
}

# same_ladder OUT ORIGINAL-ARGS...: OUT shows what the original showed
same_ladder() {
	out=$1
	shift
	ladder "$@" >"$tmp/want.ladder"
	ladder "$tmp/$out" >"$tmp/got.ladder"
	if [ ! -s "$tmp/want.ladder" ] || ! cmp -s "$tmp/want.ladder" "$tmp/got.ladder"; then
		bad "$out: the ladder differs from the original's:"
		diff -u "$tmp/want.ladder" "$tmp/got.ladder" | head -40
	fi
}

# The summary line of reading a file: "# N frames: S SIP messages (...),
# R RTP, C RTCP, I ICMP; ...", as "N S R C I skipped..."
summary() {
	"$bin" calls "$@" 2>&1 >/dev/null | sed -nE \
	    's/^# ([0-9]+) frames: ([0-9]+) SIP messages \([0-9]+ retransmitted\), ([0-9]+) RTP, ([0-9]+) RTCP, ([0-9]+) ICMP; .*skipped: (.*)$/\1 \2 \3 \4 \5 \6/p'
}

# frames OUT: the number of frames in OUT, by sipladder and by tshark
frames() {
	set -- $(summary "$tmp/$1")
	echo "$1"
}

# check_tshark OUT N: tshark counts N frames in OUT, in time order
check_tshark() {
	command -v tshark >/dev/null 2>&1 || return 0
	tshark -r "$tmp/$1" -T fields -e frame.time_epoch 2>/dev/null >"$tmp/$1.times"
	n=$(wc -l <"$tmp/$1.times")
	[ "$n" -eq "$2" ] || bad "$1: tshark reads $n frames, sipladder $2"
	sort -c -g "$tmp/$1.times" 2>/dev/null || bad "$1: frames out of time order (tshark)"
}

# The frames of a call as the original run counted them: its SIP
# messages (calls table), its streams' RTP and RTCP packets and the ICMP
# errors quoting them (rtp --json).
call_frames() {
	msgs=$("$bin" calls -q "$@" | awk 'NR > 1 { n += $6 } END { print n + 0 }')
	media=$("$bin" rtp --json -q "$@" | awk '
	    { if (match($0, /"codec":"[^"]*","packets":[0-9]+/)) { s = substr($0, RSTART, RLENGTH); sub(/.*:/, "", s); n += s }
	      if (match($0, /"rtcp_packets":[0-9]+/)) { s = substr($0, RSTART, RLENGTH); sub(/.*:/, "", s); n += s }
	      if (match($0, /"icmp_unreachable":[0-9]+/)) { s = substr($0, RSTART, RLENGTH); sub(/.*:/, "", s); n += s } }
	    END { print n + 0 }')
	echo $((msgs + media))
}

case $case in
call3)
	# the seed's B2BUA call alone: both legs, their four streams and the
	# ICMP errors after the BYE, not the two registrations around it
	export_to c3.pcap --call 3 b2bua-auth.pcap || exit 1
	grep -qx "export: 644 frames of 1 call written to $tmp/c3.pcap" "$tmp/c3.pcap.stderr" ||
	    bad "unexpected message: $(cat "$tmp/c3.pcap.stderr")"
	same_ladder c3.pcap --call 3 b2bua-auth.pcap
	"$bin" calls -q --call 3 b2bua-auth.pcap | sed -E 's/^ *[0-9]+ / # /' >"$tmp/want.calls"
	"$bin" calls -q "$tmp/c3.pcap" | sed -E 's/^ *[0-9]+ / # /' >"$tmp/got.calls"
	cmp -s "$tmp/want.calls" "$tmp/got.calls" || {
		bad "the calls table differs:"
		diff -u "$tmp/want.calls" "$tmp/got.calls"
	}
	grep -q '^ *R[0-9]' "$tmp/got.calls" && bad "registrations in the export"
	set -- $(summary "$tmp/c3.pcap")
	[ "$#" -ge 6 ] || { bad "no summary line"; exit 1; }
	[ "$1" -eq $(($2 + $3 + $4 + $5)) ] ||
	    bad "$1 frames are not SIP $2 + RTP $3 + RTCP $4 + ICMP $5"
	[ "$6" = none ] || bad "frames skipped in the export: $6"
	want=$(call_frames --call 3 b2bua-auth.pcap)
	[ "$1" -eq "$want" ] || bad "$1 frames, the call has $want"
	check_tshark c3.pcap "$1"
	;;
callid)
	# leg B's Call-ID selects the merged call: the very same file as by
	# its number, both legs in it
	export_to c3.pcap --call 3 b2bua-auth.pcap || exit 1
	export_to cid.pcap --call 3724391562@127.0.0.50 b2bua-auth.pcap || exit 1
	cmp -s "$tmp/c3.pcap" "$tmp/cid.pcap" || bad "--call CALL-ID wrote another file than --call 3"
	legs=$("$bin" calls -q "$tmp/cid.pcap" | awk 'NR == 2 { print $5 }')
	[ "$legs" = 2 ] || bad "the B2BUA call has $legs legs, not 2"
	;;
nomerge)
	# with the legs kept apart, leg B's Call-ID is leg B alone
	export_to b.pcap --no-merge --call 3724391562@127.0.0.50 b2bua-auth.pcap || exit 1
	same_ladder b.pcap --no-merge --call 3724391562@127.0.0.50 b2bua-auth.pcap
	n=$(frames b.pcap)
	want=$(call_frames --no-merge --call 3724391562@127.0.0.50 b2bua-auth.pcap)
	[ "$n" -eq "$want" ] || bad "$n frames, leg B has $want"
	;;
registration)
	export_to r1.pcap --call R1 b2bua-auth.pcap || exit 1
	rows=$("$bin" calls -q "$tmp/r1.pcap" | awk 'NR > 1 { printf "%s ", $1 }')
	[ "$rows" = "R1 " ] || bad "rows '$rows' instead of R1 alone"
	n=$(frames r1.pcap)
	want=$(call_frames --call R1 b2bua-auth.pcap)
	[ "$n" -eq "$want" ] || bad "$n frames, R1 has $want messages"
	# nothing matched: no file at all (and exit 1)
	"$bin" export -q --call 99 b2bua-auth.pcap -w "$tmp/none.pcap" 2>/dev/null
	[ $? -eq 1 ] || bad "--call 99: not exit 1"
	[ -e "$tmp/none.pcap" ] && bad "--call 99 wrote a file"
	;;
merged)
	# two calls of two files merged by time, into one file in time order
	export_to two.pcap --call 3,4 b2bua-auth.pcap direct-call.pcap || exit 1
	export_to four.pcap --call 4 b2bua-auth.pcap direct-call.pcap || exit 1
	export_to c3.pcap --call 3 b2bua-auth.pcap || exit 1
	grep -q "of 2 calls written" "$tmp/two.pcap.stderr" || bad "$(cat "$tmp/two.pcap.stderr")"
	same_ladder two.pcap --call 3,4 b2bua-auth.pcap direct-call.pcap
	n2=$(frames two.pcap) n4=$(frames four.pcap) n3=$(frames c3.pcap)
	[ "$n2" -eq $((n3 + n4)) ] || bad "$n2 frames, not $n3 + $n4"
	want=$(call_frames --call 4 b2bua-auth.pcap direct-call.pcap)
	[ "$n4" -eq "$want" ] || bad "call 4: $n4 frames, the call has $want"
	check_tshark two.pcap "$n2"
	;;
fragmented)
	# a 3-fragment INVITE (last fragment first) and a 2-fragment IPv6 one
	# go out with their fragments; the lone fragment of a third never does
	export_to fr.pcap --call 1,2 fragmented.pcap || exit 1
	same_ladder fr.pcap fragmented.pcap
	set -- $(summary "$tmp/fr.pcap")
	[ "$1 $2" = "17 14" ] || bad "$1 frames and $2 SIP messages, not 17 and 14"
	shift 5
	[ "$*" = "3 fragments reassembled" ] || bad "skipped: $*"
	check_tshark fr.pcap 17
	export_to fr2.pcap --call 2 fragmented.pcap || exit 1
	[ "$(frames fr2.pcap)" = 8 ] || bad "call 2: $(frames fr2.pcap) frames, not 8"
	;;
dedup)
	# the wire and the server's own trace (raw IP) merged: with --dedup the
	# export is the wire's alone, byte for byte; without, both copies, and
	# as one pcap holds one link type, as raw IP
	export_to wire.pcap --call 1 b2bua-lossy.pcap || exit 1
	export_to dd.pcap --dedup --call 1 b2bua-lossy.pcap b2bua-lossy-trace.pcap || exit 1
	cmp -s "$tmp/wire.pcap" "$tmp/dd.pcap" || bad "--dedup export differs from the wire's"
	export_to mix.pcap --call 1 b2bua-lossy.pcap b2bua-lossy-trace.pcap || exit 1
	grep -q "written as raw IP" "$tmp/mix.pcap.stderr" || bad "mixed link types not said"
	"$bin" calls -q b2bua-lossy.pcap b2bua-lossy-trace.pcap >"$tmp/want.calls"
	"$bin" calls -q "$tmp/mix.pcap" >"$tmp/got.calls"
	cmp -s "$tmp/want.calls" "$tmp/got.calls" || {
		bad "raw IP export: the calls table differs:"
		diff -u "$tmp/want.calls" "$tmp/got.calls"
	}
	[ "$(frames mix.pcap)" -eq $(($(frames wire.pcap) * 2)) ] ||
	    bad "$(frames mix.pcap) frames, not twice the wire's $(frames wire.pcap)"
	check_tshark mix.pcap "$(frames mix.pcap)"
	;;
samples)
	# every call of every sample alone: it shows from its export as it
	# showed from the capture (but for its number, and frame numbers in
	# anomaly lines). A frame can carry messages of two calls (one
	# datagram, two dialogs), so the call is picked by a Call-ID of its
	ref() {
		ladder "$@" 2>/dev/null | sed -E 's/^Registration R[0-9]+ /Registration R# /;
		    s/! frame [0-9]+ /! frame # /'
	}
	for cap in *.pcap *.pcapng; do
		# "N CALL-ID" or "RN CALL-ID" per call, registration and dialog
		"$bin" calls --json -q "$cap" 2>/dev/null | sed -nE \
		    's/^\{"schema":1,"type":"([a-z]+)","index":([0-9]+),"call_id":\["([^"]*)".*$/\1 \2 \3/p' |
		    sed -E 's/^registration /R/; s/^[a-z]+ //' >"$tmp/calls.list"
		[ -s "$tmp/calls.list" ] || bad "$cap: no calls listed"
		while read -r c cid; do
			export_to one.pcap -q --call "$c" "$cap" || continue
			ref --call "$c" "$cap" >"$tmp/want.ladder"
			ref --call "$cid" "$tmp/one.pcap" >"$tmp/got.ladder"
			if [ ! -s "$tmp/want.ladder" ] || ! cmp -s "$tmp/want.ladder" "$tmp/got.ladder"
			then
				bad "$cap call $c ($cid): the ladder differs:"
				diff -u "$tmp/want.ladder" "$tmp/got.ladder" | head -20
			fi
		done <"$tmp/calls.list"
	done
	;;
*)
	echo "unknown case $case"
	exit 2
	;;
esac
exit $fail
