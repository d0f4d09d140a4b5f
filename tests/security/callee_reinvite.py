#!/usr/bin/env python3
"""callee_reinvite.py (finding 4, review callee_spoof): the callee's
re-INVITE is challenged.

In-dialog requests on the B leg used to be trusted on their source address
alone: a re-INVITE forged from the callee's ip:port (anyone who sees the
traffic can forge a source address) moved the relay's B peer to the
attacker's SDP address, so the caller's audio went to the attacker. Here
the re-INVITE comes from the callee's real socket (no raw-socket spoofing
needed: what the server sees is the same), with the attacker's SDP:

- with a call up and RTP flowing, the callee's re-INVITE without
  credentials gets 401; the caller's RTP is still relayed to the callee's
  SDP address and none reaches the attacker's;
- the callee's re-INVITE with u2's credentials is accepted (200, ACK) and
  moves the callee's media to the new port it names (on its own address):
  the relay then sends the caller's RTP there;
- the callee's BYE is still not challenged (200), and the caller gets the
  BYE.
usage: callee_reinvite.py SERVER_BIN PHONE_BIN CONF_DIR WORK_DIR [NET SIP_PORT RTP]
"""
import sys
import time

import sipsec as S


def caller_rtp_reaches(call, dst, others, seq0, n=5, timeout=2.0):
    """The caller sends n packets: how many reach dst from the relay's B
    port (polled until n or the deadline), and the packets arriving on any
    of others meanwhile (the relay sends each packet where it goes as it
    reads it, so once n have reached dst a stray copy is queued too)."""
    for i in range(n):
        call.rtp_a.send(S.rtp_packet(seq0 + i, 0x0a0a0a0a), call.relay_a)
    got, stray = 0, []
    end = time.monotonic() + timeout
    for _ in range(S.MAX_LOOP):
        left = end - time.monotonic()
        if got >= n or left <= 0:
            break
        for e, p in S.quiet([dst] + others, min(0.1, left)):
            if e is dst and p.addr == call.relay_b:
                got += 1
            elif e is not dst:
                stray.append(p)
    stray += [p for e in others for p in e.drain()]
    return got, stray


def main():
    a, t, srv = S.start("callee_reinvite", net="127.0.41", sip_port=29010, rtp="29200-29299")
    u1, u2 = S.users(a, srv)
    att_rtp = S.Endpoint(a.attacker_ip, a.sip_port + 300, "attacker-rtp")
    S.registers(t, u2)
    call = S.Call(t, u1, u2, "2", a.sip_port + 100, a.sip_port + 200)
    if not call.setup():
        return t.done(srv)
    gb, ga = call.rtp_flows(seq0=0)
    t.check(gb == 5 and ga == 5, "RTP flows both ways (%d/5, %d/5)" % (gb, ga))

    # 1. without credentials, media aimed at the attacker: 401, nothing moves
    br = S.new_branch()
    u2.send(call.callee_req("INVITE", body=S.sdp(att_rtp.ip, att_rtp.port), branch=br),
            srv.addr)
    r = u2.final_to(call.b_inv.callid(), call.b_cseq, "INVITE")
    t.check(r is not None and r.code == 401,
            "the callee's re-INVITE without credentials gets 401 (got %s)" % (r and r.code))
    if r is not None:
        u2.send(S.ack_for(u2, r, call.b_target, branch=br), srv.addr)
    got, stray = caller_rtp_reaches(call, call.rtp_b, [att_rtp], 100)
    t.check(got == 5, "after the refused re-INVITE the caller's RTP still reaches the callee "
            "(%d/5)" % got)
    t.check(stray == [], "none reaches the re-INVITE's SDP address (%d packets)" % len(stray))
    gb, ga = call.rtp_flows(seq0=200)
    t.check(gb == 5 and ga == 5, "RTP still flows both ways (%d/5, %d/5)" % (gb, ga))

    # 2. with u2's credentials: accepted, the callee's media moves to a new port
    new_rtp = S.Endpoint(u2.ip, a.sip_port + 202, "callee-rtp2")
    if r is not None and r.code == 401:
        auth = u2.auth("INVITE", call.b_target, r.h("www-authenticate"))
        u2.send(call.callee_req("INVITE", body=S.sdp(new_rtp.ip, new_rtp.port), auth=auth),
                srv.addr)
        r = u2.final_to(call.b_inv.callid(), call.b_cseq, "INVITE")
        t.check(r is not None and r.code == 200,
                "the callee's re-INVITE with u2's credentials gets 200 (got %s)" % (
                    r and r.code))
        if r is not None and r.code == 200:
            u2.send(S.ack_for(u2, r, call.b_target), srv.addr)
            got, stray = caller_rtp_reaches(call, new_rtp, [call.rtp_b, att_rtp], 300)
            t.check(got == 5 and stray == [], "the caller's RTP now goes to the port the "
                    "signed re-INVITE named (%d/5, %d elsewhere)" % (got, len(stray)))

    # 3. the callee's BYE is not challenged
    u2.send(call.callee_req("BYE"), srv.addr)
    r = u2.final_to(call.b_inv.callid(), call.b_cseq, "BYE")
    t.check(r is not None and r.code == 200,
            "the callee's BYE is not challenged: 200 (got %s)" % (r and r.code))
    bye = u1.expect(lambda m: m.method == "BYE" and m.callid() == call.a_callid, 3.0)
    t.check(bye is not None, "the caller gets the BYE")
    if bye is not None:
        u1.send(S.response(bye, 200, "OK"), srv.addr)
    new_rtp.close()
    call.close()
    return t.done(srv)


if __name__ == "__main__":
    sys.exit(main())
