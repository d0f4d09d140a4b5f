#!/usr/bin/env python3
"""relay_loop.py (finding 6, review relay_loop): SDP aimed at the relay
itself, multicast or broadcast is ignored.

The relay used to send to whatever the SDP announced. An authenticated
caller (and, before the callee's re-INVITE was challenged, a callee) could
aim side A at the relay's B port and side B at the A port: one seed packet
then circled inside the server for ever, a core's worth of CPU counted as
media. With a call up (RTP both ways), each party in turn re-INVITEs
(answering the challenge) with SDP naming the relay's other port, the
relay's same port, the server's SIP port, 224.0.0.1 and 255.255.255.255,
and the other party sends RTP towards it; once the relay has handled those
packets (the server runs at --log-level debug, where the relay logs each
packet it drops; it reads a burst of SIP before its relay sockets, so a
SIP barrier is not enough), the real SDP is restored (RTP flows both ways
again). Then both sides at once point at each
other's relay port and a seed packet goes in: a datagram from relay B's
address to relay A's (forged with a raw socket when the test may open one,
i.e. as root; otherwise only the parties' own packets are sent) and
packets from both parties. Checks: the server's CPU time (utime + stime of
/proc/PID/stat) grows by at most 0.3 s within the 2 s after the seed and
the server answers OPTIONS meanwhile; the relay's P-RTP-Stat (PS: packets
it sent from each side's port, in the 200 to the caller's BYE and the BYE
to the callee) equals what the parties received from it, so it never sent
one packet to its own ports, multicast or broadcast.
usage: relay_loop.py SERVER_BIN PHONE_BIN CONF_DIR WORK_DIR [NET SIP_PORT RTP]
"""
import os
import re
import socket
import struct
import sys

import sipsec as S

CPU_MAX_S = 0.3
CPU_WINDOW_S = 2.0


def cpu_s(pid):
    """utime + stime of pid in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    for _ in range(4):
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def send_forged(src, dst, data):
    """One UDP datagram from src (ip, port) to dst through a raw socket;
    False when the test may not open one (not root)."""
    try:
        raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    except PermissionError:
        return False
    sip, dip = socket.inet_aton(src[0]), socket.inet_aton(dst[0])
    ulen = 8 + len(data)
    pseudo = sip + dip + struct.pack("!BBH", 0, 17, ulen)
    c = csum(pseudo + struct.pack("!HHHH", src[1], dst[1], ulen, 0) + data) or 0xffff
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + ulen, 0, 0, 64, 17, 0, sip, dip)
    raw.sendto(ip + struct.pack("!HHHH", src[1], dst[1], ulen, c) + data, (dst[0], 0))
    raw.close()
    return True


def ps_of(m):
    """PS= (packets sent) of a message's P-RTP-Stat, or None."""
    v = m.h("p-rtp-stat") if m is not None else None
    g = re.search(r"PS=(\d+)", v or "")
    return int(g.group(1)) if g else None


def until_handled(srv, port_addr, party, relay, n=5):
    """A condition: the relay has handled the next n packets arriving at
    port_addr, i.e. logged them dropped (debug) or relayed them to party
    (from relay), counting from now."""
    pat = re.compile(r"RTP to port %d dropped" % port_addr[1])

    def count():
        party.drain()
        return len(pat.findall(srv.log())) + len([p for p in party.seen if p.addr == relay])
    c0 = count()
    return lambda: count() - c0 >= n


def main():
    a, t, srv = S.start("relay_loop", net="127.0.42", sip_port=29020, rtp="29300-29399",
                       log_level="debug")
    u1, u2 = S.users(a, srv)
    probe = S.party(a, "probe")
    S.registers(t, u2)
    call = S.Call(t, u1, u2, "2", a.sip_port + 100, a.sip_port + 200)
    if not call.setup():
        return t.done(srv)
    ra, rb = call.relay_a, call.relay_b
    print("relay A %s:%d, relay B %s:%d" % (ra + rb))
    seq = [0]

    def flows(what):
        gb, ga = call.rtp_flows(seq0=seq[0])
        seq[0] += 10
        t.check(gb == 5 and ga == 5, "%s: RTP flows both ways (%d/5, %d/5)" % (what, gb, ga))

    flows("before the attack")
    real = {"A": S.sdp(u1.ip, call.rtp_a.port), "B": S.sdp(u2.ip, call.rtp_b.port)}
    bad = [("the relay's other port", None), ("the relay's same port", None),
           ("the server's SIP port", (srv.ip, srv.port)),
           ("multicast 224.0.0.1", ("224.0.0.1", a.sip_port + 400)),
           ("broadcast 255.255.255.255", ("255.255.255.255", a.sip_port + 400))]

    def reinvite(side, body, what):
        finals = call.reinvite(side, body)
        last = finals[-1] if finals else None
        t.check(last is not None and last.code in (200, 488), "%s's re-INVITE with SDP at %s "
                "is answered (%s)" % ("caller" if side == "A" else "callee", what,
                                      [r and r.code for r in finals]))

    # one side at a time: the other party's RTP must reach no one else
    for side in ("A", "B"):
        own, other = (ra, rb) if side == "A" else (rb, ra)
        # the other party's RTP arrives at dst, leaves from relay towards party
        src, dst = (call.rtp_b, rb) if side == "A" else (call.rtp_a, ra)
        party, relay = (call.rtp_a, ra) if side == "A" else (call.rtp_b, rb)
        for what, addr in bad:
            addr = addr or (other if "other" in what else own)
            reinvite(side, S.sdp(addr[0], addr[1]), what)
            handled = until_handled(srv, dst, party, relay)
            for i in range(5):
                src.send(S.rtp_packet(seq[0] + i, 0x0c0c0c0c), dst)
            seq[0] += 10
            # the server reads a burst of SIP before its relay sockets: wait
            # until the relay has handled them (dropped, or relayed to the
            # party), so that they meet the SDP under test
            S.wait_until(handled, 3.0)
            reinvite(side, real[side], "its own address")
            call.rtp_a.drain()
            call.rtp_b.drain()
            flows("after %s aimed at %s" % (side, what))

    # both sides at each other's port, then a seed
    reinvite("A", S.sdp(rb[0], rb[1]), "the relay's B port")
    reinvite("B", S.sdp(ra[0], ra[1]), "the relay's A port")
    c0 = cpu_s(srv.pid())
    forged = send_forged(rb, ra, S.rtp_packet(1))
    print("seed from %s:%d to %s:%d %s" % (rb + ra + ("forged with a raw socket" if forged
                                                      else "not sent (no raw socket)",)))
    for i in range(5):
        call.rtp_a.send(S.rtp_packet(seq[0] + i, 0x0a0a0a0a), ra)
        call.rtp_b.send(S.rtp_packet(seq[0] + i, 0x0b0b0b0b), rb)
    seq[0] += 10
    S.quiet([call.rtp_a, call.rtp_b], CPU_WINDOW_S)
    used = cpu_s(srv.pid()) - c0
    print("server CPU within %.1f s after the seed: %.2f s" % (CPU_WINDOW_S, used))
    t.check(used <= CPU_MAX_S, "no packet loops in the relay: server CPU %.2f s <= %.1f s "
            "within %.1f s after the seed" % (used, CPU_MAX_S, CPU_WINDOW_S))
    t.check(S.sync(srv, probe), "the server answers OPTIONS after the seed")
    reinvite("A", real["A"], "its own address")
    reinvite("B", real["B"], "its own address")
    call.rtp_a.drain()
    call.rtp_b.drain()
    flows("after the loop attempt")

    # what the relay sent from each port went to the parties, and nowhere
    # else: flows() saw all it relayed arrive, so nothing is on its way
    call.rtp_a.drain()
    call.rtp_b.drain()
    r, _ = call.caller_bye()
    t.check(r is not None and r.code == 200, "the caller's BYE ends the call (got %s)" % (
        r and r.code))
    bye_b = call.expect_bye_at_callee()
    t.check(bye_b is not None, "the callee gets the BYE")
    got_a = len([p for p in call.rtp_a.seen if p.addr == ra])
    got_b = len([p for p in call.rtp_b.seen if p.addr == rb])
    ps_a, ps_b = ps_of(r), ps_of(bye_b)
    t.check(ps_a == got_a, "relay port A sent only to the caller: PS=%s, the caller got %d "
            "(%s)" % (ps_a, got_a, r and r.h("p-rtp-stat")))
    t.check(ps_b == got_b, "relay port B sent only to the callee: PS=%s, the callee got %d "
            "(%s)" % (ps_b, got_b, bye_b and bye_b.h("p-rtp-stat")))
    call.close()
    return t.done(srv)


if __name__ == "__main__":
    sys.exit(main())
