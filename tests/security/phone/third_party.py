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
    p, t, (srv, srv_rtp, att, victim_rtp) = S.start("third_party", 21040, "server",
                                                    "server_rtp", "attacker", "victim_rtp")
    ph = S.phone(t, p, S.via_server(p, "--allow-direct"))

    c = S.Caller(srv, p.phone, "t1@srv")
    r = c.invite(S.sdp(p.server_rtp))
    t.check(r is not None and r.code == 200, "server's INVITE: 200")
    c.ack()
    t.check(srv_rtp.wait_count(10, 5.0), "RTP reaches the server")
    first = [x.data for x in srv_rtp.seen if S.is_rtp(x.data)]
    ssrc = S.ssrc(first[0]) if first else None

    # a CANCEL is the INVITE's: its CSeq number, no To tag
    cancel = S.request("CANCEL", c.ruri, p.attacker, c.callid, c.ftag, 1)
    for method, text in (("BYE", c.in_dialog("BYE", src=att)),
                         ("INVITE", c.in_dialog("INVITE", body=S.sdp(p.victim_rtp), src=att)),
                         ("INFO", c.in_dialog("INFO", src=att)), ("CANCEL", cancel)):
        S.answered(t, att, text, p.phone, [403], "third-party %s: one 403" % method)
    S.answered(t, att, c.in_dialog("ACK", body=S.sdp(p.victim_rtp), src=att, cseq=1), p.phone,
               [], "third-party ACK: no answer")

    n = len(srv_rtp.seen)
    t.check(srv_rtp.wait_count(n + 10, 5.0), "RTP still reaches the server")
    later = [x.data for x in srv_rtp.seen[n:] if S.is_rtp(x.data)]
    t.check(ssrc is not None and all(S.ssrc(d) == ssrc for d in later),
            "same RTP stream (SSRC) as before")
    victim_rtp.drain()
    t.check(len(victim_rtp.seen) == 0, "nothing at the victim (got %d)" %
            len(victim_rtp.seen))
    t.check(not ph.has("^sipladder-phone: info: peer hung up") and not ph.has("re-INVITE accepted"),
            "the phone neither hung up nor moved its media")
    t.check(ph.running(), "the call is up")

    r = c.bye()
    t.check(r is not None and r.code == 200, "server's BYE: 200")
    t.check(ph.wait(10) == 0, "exit 0 (rc %s)" % ph.rc)
    t.check(ph.has("^sipladder-phone: info: peer hung up"), "the server's BYE ended the call")

    # while it rings, a CANCEL ends the call only from the caller
    ph2 = S.phone(t, p, S.via_server(p, "--allow-direct", "--ring-delay", "20"), "phone-ring",
                  "phone is waiting for calls again")
    c = S.Caller(srv, p.phone, "t2@srv")
    srv.send(S.request("INVITE", c.ruri, p.server, c.callid, c.ftag, 1,
                       body=S.sdp(p.server_rtp)), p.phone)
    t.check(srv.expect(lambda m: m.is_resp and m.code == 180, 5.0) is not None,
            "the phone rings")
    S.answered(t, att, S.request("CANCEL", c.ruri, p.attacker, c.callid, c.ftag, 1), p.phone,
               [403], "third-party CANCEL while ringing: one 403")
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
