#!/usr/bin/env python3
"""bad_invite.py (finding 7d): a bad INVITE is a failed call, not the end
of the run.

The phone answers with --server and --calls 3. The server sends:
1. an INVITE without SDP: one 488, and its retransmission (same branch)
   one more 488, counted once;
2. a good call: 200, ACK, RTP, BYE, 200 -- the phone is still there;
3. an INVITE offering only video: one 488.
After the third call the phone exits 1, saying 2 of 3 calls failed.
usage: bad_invite.py PHONE_BIN WORK_DIR [PORT]
"""
import sys

import phonesec as S


def main():
    p = S.Plan("bad_invite", 21060)
    t = S.Checks(p.name)
    srv = S.Endpoint(p.server, "server")
    srv_rtp = S.Endpoint(p.server_rtp, "server_rtp")
    ph = S.Phone(p, "phone", ["--server", "%s:%d" % p.server, "--calls", "3"])
    t.check(ph.ready(), "phone is waiting for calls")

    ruri = "sip:u@%s:%d" % p.phone
    window = 20 * S.T1
    bad = S.request("INVITE", ruri, p.server, "b1@srv", "f1", 1)
    got = S.answer_once(srv, bad, p.phone, window)
    t.check([m.code for m in got] == [488], "INVITE without SDP: one 488 (got %s)" %
            [m.code for m in got])
    got = S.answer_once(srv, bad, p.phone, window)
    t.check([m.code for m in got] == [488], "its retransmission: one 488 (got %s)" %
            [m.code for m in got])
    srv.send(S.request("ACK", ruri, p.server, "b1@srv", "f1", 1,
                       to_tag=got[0].to_tag() if got else "x",
                       branch=S.default_branch("INVITE", 1, "b1@srv")), p.phone)
    t.check(ph.running(), "the phone is still running after the 488")

    c = S.Caller(srv, p.phone, "b2@srv")
    r = c.invite(S.sdp(p.server_rtp))
    t.check(r is not None and r.code == 200, "the good call: 200 (got %s)" %
            (r.code if r else None))
    c.ack()
    t.check(srv_rtp.wait_count(10, 5.0), "the good call: RTP reaches the server")
    r = c.bye()
    t.check(r is not None and r.code == 200, "the good call: BYE 200")

    video = S.request("INVITE", ruri, p.server, "b3@srv", "f3", 1,
                      body=S.sdp(p.server_rtp, media="video"))
    got = S.answer_once(srv, video, p.phone, window)
    t.check([m.code for m in got] == [488], "INVITE without audio: one 488 (got %s)" %
            [m.code for m in got])

    t.check(ph.wait(10) == 1, "exit 1 after the third call (rc %s)" % ph.rc)
    t.check(ph.has("^calls: 3 attempted, 2 failed$"), "the phone counts 3 calls, 2 failed")
    t.check(ph.has(r"^sipladder-phone: 2 of 3 calls failed \(first: incoming call from "
                   r"127\.0\.21\.50:\d+ refused with 488: no SDP offer"),
            "the exit reason names the first failure")
    t.check(ph.has("^peer hung up$"), "the good call ended normally")
    return t.done(ph)


if __name__ == "__main__":
    sys.exit(main())
