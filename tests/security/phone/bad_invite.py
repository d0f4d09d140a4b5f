#!/usr/bin/env python3
"""bad_invite.py (finding 7d): a bad INVITE is no call: it takes no call
slot and never ends the run or decides its exit code.

The phone answers with the default --calls 1.
1. --server mode, forged from the server's address: an INVITE without SDP
   gets one 488, and its retransmission (same branch) one more 488,
   counted once; an INVITE offering only video one 488; a re-INVITE for
   an unknown dialog one 481. The phone is still up, the good call that
   follows is its one call (200, ACK, RTP, BYE), exit 0 with
   "calls: 1 attempted, 0 failed, 3 refused".
2. Direct mode, from anyone: the attacker's INVITE without SDP gets one
   488; the phone is still up and takes the honest direct call after it,
   exit 0.
usage: bad_invite.py PHONE_BIN WORK_DIR [PORT]
"""
import sys

import phonesec as S


def main():
    p, t, (srv, srv_rtp, att, att_rtp) = S.start("bad_invite", 21060, "server", "server_rtp",
                                                 "attacker", "attacker_rtp")
    ph = S.phone(t, p, S.via_server(p))

    ruri = "sip:u@%s:%d" % p.phone
    bad = S.request("INVITE", ruri, p.server, "b1@srv", "f1", 1)
    S.answered(t, srv, bad, p.phone, [488], "INVITE without SDP: one 488")
    got = S.answered(t, srv, bad, p.phone, [488], "its retransmission: one 488")
    srv.send(S.request("ACK", ruri, p.server, "b1@srv", "f1", 1,
                       to_tag=got[0].to_tag() if got else "x",
                       branch=S.default_branch("INVITE", 1, "b1@srv")), p.phone)
    video = S.request("INVITE", ruri, p.server, "b3@srv", "f3", 1,
                      body=S.sdp(p.server_rtp, media="video"))
    S.answered(t, srv, video, p.phone, [488], "INVITE without audio: one 488")
    S.answered(t, srv, S.request("INVITE", ruri, p.server, "b4@srv", "f4", 2, to_tag="nx",
                                 body=S.sdp(p.server_rtp)), p.phone, [481],
               "re-INVITE for no dialog: one 481")
    t.check(ph.running(), "the phone is still running after the refusals")

    S.good_call(t, S.Caller(srv, p.phone, "b2@srv"), S.sdp(p.server_rtp), "the good call",
                rtp=srv_rtp)
    t.check(ph.wait(10) == 0, "exit 0: the refusals took no call slot (rc %s)" % ph.rc)
    t.check(ph.has("^sipladder-phone: info: calls: 1 attempted, 0 failed, 3 refused$"),
            "the phone counts 1 call and 3 refusals")
    t.check(ph.log().count("sipladder-phone: warn: refused INVITE from 127.0.21.50:%d with 488 Not "
                           "Acceptable Here: no SDP offer" % p.server[1]) == 1,
            "one warning line for the INVITE without SDP (its retransmission: debug)")
    t.check(ph.has(r"^sipladder-phone: warn: refused INVITE from 127\.0\.21\.50:\d+ with 488 Not "
                   r"Acceptable Here: no SDP offer"), "the refusal is a warning")
    t.check(not ph.has("^sipladder-phone: error:"), "no error line")
    t.check(ph.log().count("\nsipladder-phone: info: incoming call from") == 1, "one incoming call in all")
    t.check(ph.has("^sipladder-phone: info: peer hung up$"), "the good call ended normally")

    # 2. direct mode: anyone may send the bad INVITE
    ph2 = S.phone(t, p, [], "phone-direct", "direct phone is waiting for calls")
    S.answered(t, att, S.request("INVITE", ruri, p.attacker, "b5@att", "f5", 1), p.phone,
               [488], "direct INVITE without SDP: one 488")
    t.check(ph2.running(), "direct: the phone is still running after the 488")
    S.good_call(t, S.Caller(att, p.phone, "b6@att"), S.sdp(p.attacker_rtp),
                "the direct good call", rtp=att_rtp)
    t.check(ph2.wait(10) == 0, "direct: exit 0 (rc %s)" % ph2.rc)
    t.check(ph2.has("^sipladder-phone: info: calls: 1 attempted, 0 failed, 1 refused$"),
            "direct: 1 call and 1 refusal")
    return t.done(ph, ph2)


if __name__ == "__main__":
    sys.exit(main())
