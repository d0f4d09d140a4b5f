#!/usr/bin/env python3
"""version.py (finding 8, the phone's half): a request in any SIP version
but 2.0 gets `SIP/2.0 505 Version Not Supported` and nothing else (RFC 3261
7.1, 21.5.6): no 100 Trying, no ringing, not counted as a call.

From the server: INVITE ... SIP/3.0 (a good offer otherwise) and OPTIONS
... SIP/3.0 get one 505 each, ACK ... SIP/3.0 nothing. The version is
case-insensitive: OPTIONS ... sip/2.0 gets 200. The phone's one call
(--calls 1) is then the server's good call: exit 0.
usage: version.py PHONE_BIN WORK_DIR [PORT]
"""
import sys

import phonesec as S


def main():
    p, t, (srv,) = S.start("version", 21080, "server")
    ph = S.phone(t, p, S.via_server(p))

    ruri = "sip:u@%s:%d" % p.phone
    got = S.answer_once(srv, S.request("INVITE", ruri, p.server, "v1@srv", "f1", 1,
                                       body=S.sdp(p.server_rtp), version="SIP/3.0"), p.phone)
    t.check([m.start for m in got] == ["SIP/2.0 505 Version Not Supported"],
            "INVITE SIP/3.0: exactly one SIP/2.0 505 (got %s)" % [m.start for m in got])
    t.check(not ph.has("^sipladder-phone: info: incoming call") and not ph.has("^sipladder-phone: info: ringing"),
            "the SIP/3.0 INVITE did not ring")
    S.answered(t, srv, S.request("OPTIONS", ruri, p.server, "v2@srv", "f2", 1,
                                 version="SIP/3.0"), p.phone, [505], "OPTIONS SIP/3.0: one 505")
    S.answered(t, srv, S.request("ACK", ruri, p.server, "v1@srv", "f1", 1, to_tag="x",
                                 version="SIP/3.0"), p.phone, [], "ACK SIP/3.0: no answer")
    srv.send(S.request("OPTIONS", ruri, p.server, "v3@srv", "f3", 1, version="sip/2.0"),
             p.phone)
    r = srv.expect(lambda m: m.is_resp and m.h("call-id") == "v3@srv" and m.code >= 200, 3.0)
    t.check(r is not None and r.code == 200, "OPTIONS sip/2.0 (lower case): 200")

    S.good_call(t, S.Caller(srv, p.phone, "v4@srv"), S.sdp(p.server_rtp), "the good call")
    t.check(ph.wait(10) == 0, "exit 0: the 505s were no calls (rc %s)" % ph.rc)
    t.check(ph.log().count("\nsipladder-phone: info: incoming call from") == 1, "one incoming call in all")
    return t.done(ph)


if __name__ == "__main__":
    sys.exit(main())
