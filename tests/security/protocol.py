#!/usr/bin/env python3
"""protocol.py (finding 6): protocol version and unusable Contacts.

- `INVITE sip:2@SERVER SIP/3.0` gets `SIP/2.0 505` (not processed, no 401).
- An authenticated REGISTER of u1 whose Contact is 0.0.0.0, 255.255.255.255,
  224.0.0.1 (multicast) or the server's own listen address:port gets 400,
  and nothing is bound there (a REGISTER query afterwards lists only the
  good Contact registered at the end, which gets 200).
usage: protocol.py SERVER_BIN PHONE_BIN CONF_DIR WORK_DIR [NET SIP_PORT RTP]
"""
import sys

import sipsec as S


def main():
    a, t, srv = S.start("protocol", net="127.0.37", sip_port=27070, rtp="27800-27899")
    att = S.party(a, "attacker")
    u1 = S.UA(a.caller_ip, a.sip_port + 1, "u1", "u1pass", srv)

    # SIP/3.0 -> 505
    callid = S.new_callid(att.ip)
    ruri = "sip:2@%s" % srv.ip
    att.send(S.request("INVITE", ruri, att.ip, att.port, "sip:u1@%s" % srv.ip, S.new_tag(),
                       ruri, callid, 1, contact="<sip:u1@%s:%d>" % att.addr,
                       body=S.sdp(att.ip, 4000), version="SIP/3.0"),
             srv.addr)
    got = att.collect(1.0, limit=10)
    starts = [p.data.split(b"\r\n", 1)[0].decode("latin-1") for p in got]
    t.check(any(s.startswith("SIP/2.0 505") for s in starts),
            "INVITE ... SIP/3.0 gets SIP/2.0 505 (got %s)" % (starts or "nothing"))
    t.check(not any(s.startswith("SIP/2.0 401") for s in starts),
            "INVITE ... SIP/3.0 is not challenged as if it were SIP/2.0")

    # REGISTER with unusable Contacts -> 400
    bad = [("0.0.0.0", 5060), ("255.255.255.255", 5060), ("224.0.0.1", 5060),
           (srv.ip, srv.port)]
    for host, port in bad:
        contact = "<sip:u1@%s:%d>" % (host, port)
        r, _, _ = u1.register(contact=contact)
        t.check(r is not None and r.code == 400,
                "REGISTER with Contact %s:%d gets 400 (got %s)" % (host, port, r and r.code))
        if r is not None and r.code == 200:
            # undo it so the next case starts clean
            u1.register(expires=0, contact="*")

    # nothing of that was bound; a good Contact still registers
    r, _, _ = u1.register(query=True)
    listed = " ".join(r.all("contact")) if r is not None else ""
    t.check(r is not None and r.code == 200 and
            not any("@%s:%d" % hp in listed or "@%s>" % hp[0] in listed for hp in bad),
            "no binding at a refused Contact (query lists: %r)" % listed)
    r, _, _ = u1.register()
    t.check(r is not None and r.code == 200, "u1 still registers its own Contact (got %s)" %
            (r and r.code))
    return t.done(srv)


if __name__ == "__main__":
    sys.exit(main())
