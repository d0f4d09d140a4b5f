# lib.sh: helpers shared by run-sipp.sh, run-kamailio.sh, load-bench.sh,
# ../bench/security-bench.sh, ../e2e/seed.sh and
# ../thirdparty/make-kamailio-sipp.sh (sourced, POSIX sh, after setting
# SL_SCRIPT). Every wait is for a condition and bounded; every process is
# stopped by its pid, never by name (the interop scripts start each under
# `timeout`).

SIPP_DIR=$(cd "$(dirname "$0")" && pwd)

die() {
	echo "$SL_SCRIPT: $*" >&2
	exit 1
}

# skip WHY: ctest counts exit 77 as skipped (SKIP_RETURN_CODE).
skip() {
	echo "$SL_SCRIPT: skipped: $*" >&2
	exit 77
}

# wait_for TRIES CMD...: run CMD every 0.1 s until it succeeds, at most
# TRIES times (a port bound, a ready line: what the caller waits for).
wait_for() {
	wf_n=$1
	shift
	while [ "$wf_n" -gt 0 ]; do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		wf_n=$((wf_n - 1))
		sleep 0.1
	done
	return 1
}

# udp_bound ADDR:PORT: something listens there.
udp_bound() {
	ss -Hlun "src $1" | grep -q .
}

# free_base FIRST SERVER_IP UAC_IP UAS_IP: the first of FIRST, FIRST+10,
# ... FIRST+90 whose ports are all free: SIP on SERVER_IP:BASE,
# UAC_IP:BASE+1, UAS_IP:BASE+2, SIPp RTP on UAC_IP:BASE+1012 and
# UAS_IP:BASE+1022. A second copy of a test (another build directory)
# then moves aside instead of failing on "Address already in use".
free_base() {
	fb_b=$1
	while [ "$fb_b" -lt $(($1 + 100)) ]; do
		if ! udp_bound "$2:$fb_b" && ! udp_bound "$3:$((fb_b + 1))" &&
			! udp_bound "$4:$((fb_b + 2))" && ! udp_bound "$3:$((fb_b + 1012))" &&
			! udp_bound "$4:$((fb_b + 1022))"; then
			echo "$fb_b"
			return 0
		fi
		fb_b=$((fb_b + 10))
	done
	return 1
}

# udp_drops IP: datagrams dropped on full receive buffers by the sockets
# bound to IP, from the drops column of /proc/net/udp (addresses in host
# byte order: little endian).
udp_drops() {
	ud_hex=$(echo "$1" | awk -F. '{ printf "%02X%02X%02X%02X", $4, $3, $2, $1 }')
	awk -v ip="$ud_hex" 'NR > 1 && substr($2, 1, 8) == ip { d += $NF } END { print d + 0 }' \
		/proc/net/udp
}

# udp_idle IP: no datagram waits unread on a socket bound to IP (the
# rx_queue column of /proc/net/udp).
udp_idle() {
	ui_hex=$(echo "$1" | awk -F. '{ printf "%02X%02X%02X%02X", $4, $3, $2, $1 }')
	awk -v ip="$ui_hex" 'NR > 1 && substr($2, 1, 8) == ip && $5 !~ /:0+$/ { busy = 1 }
		END { exit busy }' /proc/net/udp
}

# child_of PID: the real process behind `timeout ... &` (its only child).
# Signal that one, not timeout: timeout passes a signal on to its child
# and to its process group, so the child would get it twice.
child_of() {
	wait_for 50 grep -q . "/proc/$1/task/$1/children" || return 1
	# shellcheck disable=SC2046 # split the pid list on purpose
	set -- $(cat "/proc/$1/task/$1/children")
	echo "$1"
}

# work_done RC DIR: the end of a script's work directory DIR: removed
# after a success (RC 0) unless KEEP_LOGS is set, else kept and named.
work_done() {
	if [ "$1" = 0 ] && [ -z "${KEEP_LOGS:-}" ]; then
		rm -rf "$2"
	else
		echo "$SL_SCRIPT: logs kept in $2" >&2
	fi
}

# stop_pid PID [SIGNAL]: signal a process this script started, SIGKILL it
# if it has not exited 5 s later (not all of them run under timeout(1)),
# and reap it; quiet when it is already gone.
stop_pid() {
	[ -n "$1" ] || return 0
	kill "-${2:-TERM}" "$1" 2>/dev/null || true
	wait_for 50 pid_gone "$1" || kill -KILL "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# pid_gone PID: no such process (the shell reaps its children as they exit).
pid_gone() {
	! kill -0 "$1" 2>/dev/null
}

# capture_stop PID PCAP IP PORT: stop the tcpdump PID (writing PCAP with
# -U) once it has written everything sent so far. On SIGINT tcpdump drops
# what the kernel holds for it but it has not read yet, so a marker
# datagram goes first, from IP:PORT to that same address: the capture
# filter must keep it and no traffic under test may go from IP to IP. When
# the marker is in the file, so is everything sent before it; then
# tcpdump is stopped and the marker filtered out again, leaving the
# capture as if it had been stopped at the right moment.
capture_stop() {
	cs_mark="sipladder-capture-end-$$-$(date +%s%N)"
	python3 - "$3" "$4" "$cs_mark" <<'EOF' || die "capture_stop: no marker from $3:$4"
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
s.settimeout(5)
s.sendto(sys.argv[3].encode(), s.getsockname())
s.recv(2048)
EOF
	wait_for 50 grep -qF "$cs_mark" "$2" ||
		die "capture_stop: tcpdump did not write the marker to $2 within 5 s"
	stop_pid "$1" INT
	if ! tcpdump -r "$2" -w "$2.tmp" "not (src host $3 and dst host $3)" 2>/dev/null ||
		! mv "$2.tmp" "$2"; then
		die "capture_stop: cannot drop the marker from $2"
	fi
}

# make_ulaw FILE SECONDS HALF: G.711 u-law for rtp_stream, a square wave
# of 4000/HALF Hz at about -12 dBm0 (u-law 0xB0 for HALF samples, then its
# negative 0x30), so the relayed audio can be told apart by ear or by
# byte: the scripts give caller and callee different tones.
make_ulaw() {
	mu_hi=$(printf '\260%.0s' $(seq "$3"))
	mu_lo=$(printf '\060%.0s' $(seq "$3"))
	mu_n=$(($2 * 4000 / $3))
	while [ "$mu_n" -gt 0 ]; do
		printf '%s%s' "$mu_hi" "$mu_lo"
		mu_n=$((mu_n - 1))
	done >"$1"
}

# sipp_register DIR LOCAL_IP LOCAL_PORT USER PASSWORD EXPIRES SERVER: one
# REGISTER with digest (uac_register_auth.xml); dies on failure.
sipp_register() {
	(cd "$1" && timeout 20 sipp -sf "$SIPP_DIR/uac_register_auth.xml" \
		-i "$2" -p "$3" -m 1 -nostdin -timeout 15s -timeout_error \
		-key user "$4" -key expires "$6" -au "$4" -ap "$5" \
		-trace_err -error_file "$1/sipp-register-errors.log" \
		"$7" >>"$1/sipp-register.log" 2>&1) ||
		die "REGISTER $4 from $2:$3 to $7 failed (see $1/sipp-register*.log)"
}
