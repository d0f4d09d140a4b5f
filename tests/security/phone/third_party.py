#!/usr/bin/env python3
"""third_party.py (finding 7c): only the call's peer can move or end it.

The phone runs with --server and --allow-direct, so the attacker may call
it, but not touch the server's call. With the call up and RTP flowing to
the server, the attacker sends, with the right Call-ID and both tags:
a BYE, a re-INVITE pointing RTP at the victim, an INFO, a CANCEL (one 403
each) and an ACK with an SDP (nothing back). The call stays up: RTP keeps
going to the server, same SSRC, nothing at the victim; the server's own
BYE then ends it (exit 0). While a second call rings, the attacker's
CANCEL gets 403 and the server's ends it.
usage: third_party.py PHONE_BIN WORK_DIR [PORT]
"""
import sys

import phonesec as S


def main():
    p = S.Plan("third_party", 21040)
    t = S.Checks(p.name)
    srv = S.Endpoint(p.server, "server")
    srv_rtp = S.Endpoint(p.server_rtp, "server_rtp")
    att = S.Endpoint(p.attacker, "attacker")
    victim_rtp = S.Endpoint(p.victim_rtp, "victim_rtp")
    ph = S.Phone(p, "phone", ["--server", "%s:%d" % p.server, "--allow-direct"])
    t.check(ph.ready(), "phone is waiting for calls")

    c = S.Caller(srv, p.phone, "t1@srv")
    r = c.invite(S.sdp(p.server_rtp))
    t.check(r is not None and r.code == 200, "server's INVITE: 200")
    c.ack()
    t.check(srv_rtp.wait_count(10, 5.0), "RTP reaches the server")
    first = [d for d, _ in srv_rtp.seen if S.is_rtp(d)]
    ssrc = S.ssrc(first[0]) if first else None

    window = 20 * S.T1
    # a CANCEL is the INVITE's: its CSeq number, no To tag
    cancel = S.request("CANCEL", c.ruri, p.attacker, c.callid, c.ftag, 1)
    for method, text in (("BYE", c.in_dialog("BYE", src=att)),
                         ("INVITE", c.in_dialog("INVITE", body=S.sdp(p.victim_rtp), src=att)),
                         ("INFO", c.in_dialog("INFO", src=att)), ("CANCEL", cancel)):
        got = S.answer_once(att, text, p.phone, window)
        t.check([m.code for m in got] == [403], "third-party %s: one 403 (got %s)" %
                (method, [m.code for m in got]))
    got = S.answer_once(att, c.in_dialog("ACK", body=S.sdp(p.victim_rtp), src=att, cseq=1),
                        p.phone, window)
    t.check(got == [], "third-party ACK: no answer")

    n = len(srv_rtp.seen)
    t.check(srv_rtp.wait_count(n + 10, 5.0), "RTP still reaches the server")
    later = [d for d, _ in srv_rtp.seen[n:] if S.is_rtp(d)]
    t.check(ssrc is not None and all(S.ssrc(d) == ssrc for d in later),
            "same RTP stream (SSRC) as before")
    victim_rtp.collect_raw(0.0)
    t.check(len(victim_rtp.seen) == 0, "nothing at the victim (got %d)" %
            len(victim_rtp.seen))
    t.check(not ph.has("^peer hung up") and not ph.has("re-INVITE accepted"),
            "the phone neither hung up nor moved its media")
    t.check(ph.running(), "the call is up")

    r = c.bye()
    t.check(r is not None and r.code == 200, "server's BYE: 200")
    t.check(ph.wait(10) == 0, "exit 0 (rc %s)" % ph.rc)
    t.check(ph.has("^peer hung up"), "the server's BYE ended the call")

    # while it rings, a CANCEL ends the call only from the caller
    ph2 = S.Phone(p, "phone-ring", ["--server", "%s:%d" % p.server, "--allow-direct",
                                    "--ring-delay", "20"])
    t.check(ph2.ready(), "phone is waiting for calls again")
    c = S.Caller(srv, p.phone, "t2@srv")
    srv.send(S.request("INVITE", c.ruri, p.server, c.callid, c.ftag, 1,
                       body=S.sdp(p.server_rtp)), p.phone)
    t.check(srv.expect(lambda m: m.is_resp and m.code == 180, 5.0) is not None,
            "the phone rings")
    got = S.answer_once(att, S.request("CANCEL", c.ruri, p.attacker, c.callid, c.ftag, 1),
                        p.phone, window)
    t.check([m.code for m in got] == [403], "third-party CANCEL while ringing: one 403")
    t.check(not ph2.has("cancelled"), "the call still rings")
    srv.send(S.request("CANCEL", c.ruri, p.server, c.callid, c.ftag, 1,
                       branch=S.default_branch("INVITE", 1, c.callid)), p.phone)
    r = srv.expect(lambda m: m.is_resp and m.code == 487, 5.0)
    t.check(r is not None, "the caller's CANCEL: 487 for the INVITE")
    t.check(ph2.wait(10) == 1 and ph2.has("^sipladder-phone: call cancelled by the caller"),
            "exit 1: the one call was cancelled (rc %s)" % ph2.rc)
    return t.done(ph, ph2)


if __name__ == "__main__":
    sys.exit(main())
