#!/usr/bin/env python3
"""stranger_ack.py (finding 4, review stranger_ack): only the caller's ACK
stops our 2xx retransmissions.

The transaction layer used to take any ACK with the A leg's dialog ids
as the ACK of our 2xx, before the peer check: a stranger who sniffed the
ids could stop the retransmissions, and the caller's real ACK was then
absorbed. Here the callee answers (200) and the caller does not ACK yet;
the attacker (.66) sends the ACK the caller would send, from its own
address. The server must keep retransmitting the 200 to the caller (two
retransmissions seen within 3 s of the stranger's ACK, the timer gives them
at T1 and 3*T1 after the first 200); the caller's own ACK then stops them
(nothing within T2 + 0.6 s past a barrier), the call is up (RTP both ways)
and the caller's BYE ends it.
usage: stranger_ack.py SERVER_BIN PHONE_BIN CONF_DIR WORK_DIR [NET SIP_PORT RTP]
"""
import sys
import time

import sipsec as S

T2 = 4.0


def main():
    a, t, srv = S.start("stranger_ack", net="127.0.44", sip_port=29040, rtp="29500-29599")
    u1, u2 = S.users(a, srv)
    att, probe = S.party(a, "attacker"), S.party(a, "probe")
    S.registers(t, u2)
    call = S.Call(t, u1, u2, "2", a.sip_port + 100, a.sip_port + 200)
    if not (call.start() and call.ring()):
        return t.done(srv)

    def is_200(m):
        return (m.is_resp and m.code == 200 and m.cseq_method() == "INVITE" and
                m.callid() == call.a_callid)

    u2.send(call.answer_200(), srv.addr)
    ack = u2.expect(lambda m: m.method == "ACK" and m.callid() == call.b_inv.callid(), 3.0)
    t.check(ack is not None, "the server ACKs the callee's 200")
    ok = u1.expect(is_200, 3.0)
    if not t.check(ok is not None, "the 200 reaches the caller (not ACKed yet)"):
        return t.done(srv)
    target = S.uri_of(ok.h("contact"))

    # the stranger's ACK, with the A leg's Call-ID, tags and CSeq
    att.send(S.ack_for(att, ok, target), srv.addr)
    t0 = time.monotonic()
    seen = 0
    for _ in range(10):
        if seen >= 2 or u1.expect(is_200, max(0.0, t0 + 3.0 - time.monotonic())) is None:
            break
        seen += 1
    t.check(seen >= 2, "after the stranger's ACK the 200 is still retransmitted to the caller "
            "(%d retransmissions within %.1f s)" % (seen, time.monotonic() - t0))

    # the caller's own ACK stops them
    u1.send(S.ack_for(u1, ok, target), srv.addr)
    t.check(S.sync(srv, probe), "barrier after the caller's ACK")
    late = [p for p in u1.collect(T2 + 0.6) if p.msg and is_200(p.msg)]
    t.check(late == [], "the caller's ACK stops the retransmissions (%d more 200s within "
            "T2 + 0.6 s)" % len(late))
    # long past the barrier above: what the server said to the attacker is here
    back = [p.data.split(b"\r\n", 1)[0].decode("latin-1") for p in att.drain()]
    t.check(back == [], "nothing back to the attacker (got %s)" % back)

    # the call is up
    call.a_tag, call.a_target, call.relay_a = ok.to_tag(), target, S.sdp_addr(ok.body)
    call.a_cseq = ok.cseq_num()
    gb, ga = call.rtp_flows(seq0=0)
    t.check(gb == 5 and ga == 5, "the call is up: RTP both ways (%d/5, %d/5)" % (gb, ga))
    r, auth = call.caller_bye()
    t.check(r is not None and r.code == 200, "the caller's BYE ends the call (got %s)" % (
        r and r.code))
    t.check(call.expect_bye_at_callee() is not None, "the callee gets the BYE")
    call.close()
    return t.done(srv)


if __name__ == "__main__":
    sys.exit(main())
