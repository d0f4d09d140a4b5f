#!/usr/bin/env python3
"""relay_inject.py (finding 6): RTP cannot be injected into a call from
the caller's IP address on another port.

u2 registers from .101, u1 (.183) calls 2 with digest credentials and both
legs are answered. Then an attacker socket on the caller's own IP (.183,
another port: another process on the caller's host, another phone behind
the same NAT) sends RTP to the relay's A port, interleaved with the
caller's genuine RTP; likewise on the callee's IP towards the B port, and
from a foreign address (.66). The callee must receive every genuine packet
and none of the injected ones (and the other way round), and the relay
counts only the genuine ones (P-RTP-Stat of the caller's BYE). The server
runs without --rtp-latch, as by default.

usage: relay_inject.py SERVER_BIN PHONE_BIN CONF_DIR WORK_DIR [NET SIP_PORT RTP]
"""
import sys
import time

import sipsec as S

GENUINE_A, GENUINE_B, EVIL = 0x0a0a0a0a, 0x0b0b0b0b, 0x0bad0bad
N = 20


def ssrc(data):
    return int.from_bytes(data[8:12], "big") if len(data) >= 12 else None


def attack(t, call, evil_ep, genuine_ep, relay, victim, genuine_ssrc, what):
    """Interleave N injected and N genuine packets towards relay; victim
    must get the N genuine ones and nothing else by the deadline."""
    for i in range(N):
        evil_ep.send(S.rtp_packet(1000 + i, EVIL), relay)
        genuine_ep.send(S.rtp_packet(i, genuine_ssrc), relay)
    got = evil = other = 0
    end = time.monotonic() + 3.0
    for _ in range(S.MAX_LOOP):
        left = end - time.monotonic()
        if left <= 0 or got >= N:
            break
        p = victim.recv(left)
        if p is None:
            break
        s = ssrc(p.data)
        got += s == genuine_ssrc
        evil += s == EVIL
        other += s not in (genuine_ssrc, EVIL)
    # the relay reads each port in order: injected packets sent before the
    # last genuine one would have arrived by now; a last look costs nothing
    for p in victim.drain():
        evil += ssrc(p.data) == EVIL
    t.check(got == N, "%s: the genuine RTP gets through (%d/%d)" % (what, got, N))
    t.check(evil == 0 and other == 0, "%s: nothing injected is relayed (%d injected, %d other)"
            % (what, evil, other))


def main():
    a, t, srv = S.start("relay_inject", net="127.0.20", sip_port=5060, rtp="36000-36099")
    u1, u2 = S.users(a, srv)
    if not S.registers(t, u2, "u2 registers from %s" % a.callee_ip):
        return t.done(srv)
    call = S.Call(t, u1, u2, "2", 36200, 36202)
    if not t.check(call.setup(), "u1 calls 2, both legs answered"):
        return t.done(srv)
    lo, hi = (int(x) for x in a.rtp.split("-"))
    t.check(all(ip == a.srv_ip and lo <= port <= hi for ip, port in (call.relay_a, call.relay_b)),
            "the SDP on both legs points at the relay: %s %s" % (call.relay_a, call.relay_b))

    beside_a = S.Endpoint(a.caller_ip, 36204, "attacker beside the caller")
    beside_b = S.Endpoint(a.callee_ip, 36206, "attacker beside the callee")
    foreign = S.Endpoint(a.attacker_ip, 36208, "attacker elsewhere")
    attack(t, call, beside_a, call.rtp_a, call.relay_a, call.rtp_b, GENUINE_A,
           "caller's IP, another port -> A port")
    attack(t, call, beside_b, call.rtp_b, call.relay_b, call.rtp_a, GENUINE_B,
           "callee's IP, another port -> B port")
    attack(t, call, foreign, call.rtp_a, call.relay_a, call.rtp_b, GENUINE_A,
           "foreign IP -> A port")
    # nothing ever came back to the attackers either
    t.check(not beside_a.drain() and not beside_b.drain() and not foreign.drain(),
            "the attackers receive nothing")

    fin, _ = call.caller_bye()
    t.check(fin is not None and fin.code == 200, "the caller's BYE gets 200")
    # side A received 2N genuine packets and relayed them; the injected
    # ones were dropped, not counted
    stat = (fin.h("p-rtp-stat") or "") if fin is not None else ""
    t.check(",PR=%d," % (2 * N) in stat, "P-RTP-Stat counts the caller's RTP only: %s" % stat)
    t.check(call.expect_bye_at_callee() is not None, "the callee gets the server's BYE")
    for ep in (beside_a, beside_b, foreign):
        ep.close()
    call.close()
    return t.done(srv)


if __name__ == "__main__":
    sys.exit(main())
