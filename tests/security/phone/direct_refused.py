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
    p = S.Plan("direct_refused", 21000)
    t = S.Checks(p.name)
    srv = S.Endpoint(p.server, "server")
    srv_rtp = S.Endpoint(p.server_rtp, "server_rtp")
    att = S.Endpoint(p.attacker, "attacker")
    ph = S.Phone(p, "phone", ["--server", "%s:%d" % p.server])
    t.check(ph.ready(), "phone is waiting for calls")

    ruri = "sip:u@%s:%d" % p.phone
    # 20 T1: Timer G would have resent the 403 four times by then
    window = 20 * S.T1
    got = S.answer_once(att, S.request("INVITE", ruri, p.attacker, "a1@att", "x1", 1,
                                       body=S.sdp(p.attacker_rtp)), p.phone, window)
    t.check([m.code for m in got] == [403],
            "direct INVITE: exactly one response, 403 (got %s)" % [m.code for m in got])
    got = S.answer_once(att, S.request("OPTIONS", ruri, p.attacker, "a2@att", "x2", 1),
                        p.phone, window)
    t.check([m.code for m in got] == [403], "direct OPTIONS: one 403 (got %s)" %
            [m.code for m in got])
    got = S.answer_once(att, S.request("BYE", ruri, p.attacker, "a1@att", "x1", 2,
                                       to_tag="t1"), p.phone, window)
    t.check([m.code for m in got] == [403], "direct BYE: one 403 (got %s)" %
            [m.code for m in got])
    got = S.answer_once(att, S.request("ACK", ruri, p.attacker, "a1@att", "x1", 1,
                                       to_tag="t1"), p.phone, window)
    t.check(got == [], "direct ACK: no answer (got %s)" % [m.code for m in got])
    t.check(not ph.has("^incoming call") and not ph.has("^ringing"),
            "the phone never rang for the attacker")
    t.check(ph.running(), "the phone is still waiting")

    # the server's call is the one call of the run
    c = S.Caller(srv, p.phone, "s1@srv")
    r = c.invite(S.sdp(p.server_rtp))
    t.check(r is not None and r.code == 200, "server's INVITE: 200 (got %s)" %
            (r.code if r else None))
    c.ack()
    t.check(srv_rtp.wait_count(10, 5.0), "RTP reaches the server after the ACK")
    r = c.bye()
    t.check(r is not None and r.code == 200, "server's BYE: 200")
    t.check(ph.wait(10) == 0, "exit 0: the attacker's requests were no calls (rc %s)" %
            ph.rc)

    # --allow-direct: the attacker is a caller like any other, and the
    # phone's BYE goes to it, not to the server that knows nothing of it
    srv.collect_raw(0.0)
    n = len(srv.seen)
    ph2 = S.Phone(p, "phone-allow", ["--server", "%s:%d" % p.server, "--allow-direct",
                                     "--duration", "0.3"])
    t.check(ph2.ready(), "phone --allow-direct is waiting for calls")
    d = S.Caller(att, p.phone, "a3@att")
    r = d.invite(S.sdp(p.attacker_rtp))
    t.check(r is not None and r.code == 200, "--allow-direct: direct INVITE gets 200")
    d.ack()
    bye = att.expect(lambda m: m.method == "BYE", 5.0)
    t.check(bye is not None, "--allow-direct: the phone's BYE goes to the direct caller")
    if bye is not None:
        att.send(S.response(bye, 200, "OK"), p.phone)
    t.check(ph2.wait(10) == 0, "--allow-direct: exit 0 (rc %s)" % ph2.rc)
    srv.collect_raw(0.0)
    t.check(len(srv.seen) == n, "--allow-direct: nothing went to the server")
    return t.done(ph, ph2)


if __name__ == "__main__":
    sys.exit(main())
