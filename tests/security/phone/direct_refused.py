#!/usr/bin/env python3
"""direct_refused.py (finding 7a): with --server the phone takes requests
from the server's address only.

- An INVITE sent straight to the phone by the attacker gets exactly one
  datagram back, 403 (no 100 Trying before it, no Timer G copies after
  it), and the phone never rings; OPTIONS and BYE get one 403 each, an
  ACK nothing.
- None of that counts as a call: the server's call afterwards is the
  phone's one call (--calls 1) and succeeds, exit 0.
- With --allow-direct the attacker's direct call is taken, and the
  phone's BYE for it goes to the caller, not to the server.
usage: direct_refused.py PHONE_BIN WORK_DIR [PORT]
"""
import sys

import phonesec as S


def main():
    p, t, (srv, srv_rtp, att) = S.start("direct_refused", 21000, "server", "server_rtp",
                                        "attacker")
    ph = S.phone(t, p, S.via_server(p))

    ruri = "sip:u@%s:%d" % p.phone
    # S.WINDOW, 20 T1: Timer G would have resent the 403 four times by then
    S.answered(t, att, S.request("INVITE", ruri, p.attacker, "a1@att", "x1", 1,
                                 body=S.sdp(p.attacker_rtp)), p.phone, [403],
               "direct INVITE: exactly one response, 403")
    S.answered(t, att, S.request("OPTIONS", ruri, p.attacker, "a2@att", "x2", 1), p.phone,
               [403], "direct OPTIONS: one 403")
    S.answered(t, att, S.request("BYE", ruri, p.attacker, "a1@att", "x1", 2, to_tag="t1"),
               p.phone, [403], "direct BYE: one 403")
    S.answered(t, att, S.request("ACK", ruri, p.attacker, "a1@att", "x1", 1, to_tag="t1"),
               p.phone, [], "direct ACK: no answer")
    t.check(not ph.has("^sipladder-phone: info: incoming call") and not ph.has("^sipladder-phone: info: ringing"),
            "the phone never rang for the attacker")
    t.check(ph.running(), "the phone is still waiting")

    # the server's call is the one call of the run
    S.good_call(t, S.Caller(srv, p.phone, "s1@srv"), S.sdp(p.server_rtp), "the server's call",
                rtp=srv_rtp)
    t.check(ph.wait(10) == 0, "exit 0: the attacker's requests were no calls (rc %s)" %
            ph.rc)

    # --allow-direct: the attacker is a caller like any other, and the
    # phone's BYE goes to it, not to the server that knows nothing of it
    srv.drain()
    n = len(srv.seen)
    ph2 = S.phone(t, p, S.via_server(p, "--allow-direct", "--duration", "0.3"), "phone-allow",
                  "phone --allow-direct is waiting for calls")
    d = S.Caller(att, p.phone, "a3@att")
    r = d.invite(S.sdp(p.attacker_rtp))
    t.check(r is not None and r.code == 200, "--allow-direct: direct INVITE gets 200")
    d.ack()
    bye = att.expect(lambda m: m.method == "BYE", 5.0)
    t.check(bye is not None, "--allow-direct: the phone's BYE goes to the direct caller")
    if bye is not None:
        att.send(S.response(bye, 200, "OK"), p.phone)
    t.check(ph2.wait(10) == 0, "--allow-direct: exit 0 (rc %s)" % ph2.rc)
    srv.drain()
    t.check(len(srv.seen) == n, "--allow-direct: nothing went to the server")
    return t.done(ph, ph2)


if __name__ == "__main__":
    sys.exit(main())
