# lib.sh: helpers shared by run-sipp.sh, run-kamailio.sh, load-bench.sh and
# ../bench/security-bench.sh (sourced, POSIX sh, after setting SL_SCRIPT).
# Every wait is bounded; every process is stopped by its pid, never by
# name (the interop scripts start each under `timeout`).

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
# TRIES times.
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

# stop_pid PID [SIGNAL]: signal a process this script started and reap it;
# quiet when it is already gone.
stop_pid() {
	[ -n "$1" ] || return 0
	kill "-${2:-TERM}" "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
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
