#!/usr/bin/env python3
"""protocol.py (finding 6): protocol version and unusable Contacts.

- `INVITE sip:2@SERVER SIP/3.0` gets `SIP/2.0 505` (not processed, no 401).
- An authenticated REGISTER of u1 whose Contact is 0.0.0.0, 255.255.255.255,
  224.0.0.1 (multicast) or the server's own listen address:port gets 400,
  and nothing is bound there (a REGISTER query afterwards lists only the
  good Contact registered at the end, which gets 200).
- An INVITE from u1 to 2 (u2 registered at .101) whose Contact is one of
  the same four addresses gets 400, without credentials and with u1's
  (answering an earlier challenge), and no call starts: the callee sees no
  INVITE, the caller nothing but 100 and the 400, within a window past a
  barrier. An INVITE with u1's own Contact does reach the callee.
usage: protocol.py SERVER_BIN PHONE_BIN CONF_DIR WORK_DIR [NET SIP_PORT RTP]
"""
import sys

import sipsec as S


def main():
    a, t, srv = S.start("protocol", net="127.0.37", sip_port=27070, rtp="27800-27899")
    att, probe = S.party(a, "attacker"), S.party(a, "probe")
    u1 = S.UA(a.caller_ip, a.sip_port + 1, "u1", "u1pass", srv)

    # SIP/3.0 -> 505
    callid = S.new_callid(att.ip)
    ruri = "sip:2@%s" % srv.ip
    att.send(S.request("INVITE", ruri, att.ip, att.port, "sip:u1@%s" % srv.ip, S.new_tag(),
                       ruri, callid, 1, contact="<sip:u1@%s:%d>" % att.addr,
                       body=S.sdp(att.ip, 4000), version="SIP/3.0"),
             srv.addr)
    # the final answer, then a barrier: whatever else the server says to
    # that INVITE at once (a 401) has left by the time it answers the probe
    att.expect(lambda m: m.final(), 3.0)
    t.check(S.sync(srv, probe), "barrier after the SIP/3.0 INVITE")
    att.drain()
    starts = [p.data.split(b"\r\n", 1)[0].decode("latin-1") for p in att.seen]
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

    # INVITE with unusable Contacts -> 400, no call
    u2 = S.UA(a.callee_ip, a.sip_port + 1, "u2", "u2pass", srv)
    S.registers(t, u2)
    ch = challenge(srv, u1)
    t.check(ch is not None, "an INVITE of u1 is challenged")
    for i, (host, port) in enumerate(bad):
        invite_bad_contact(t, srv, u1, u2, probe, "<sip:u1@%s:%d>" % (host, port), ch, i + 1)
    # an honest INVITE does reach the callee (the check above is not vacuous)
    call = S.Call(t, u1, u2, "2", a.sip_port + 100, a.sip_port + 200)
    if call.start():
        call.callee.send(S.response(call.b_inv, 486, "Busy Here", call.b_tag), srv.addr)
        r = u1.final_to(call.a_callid, call.a_cseq, "INVITE")
        t.check(r is not None and r.code == 486,
                "an INVITE with u1's own Contact reaches the callee, whose 486 comes back "
                "(got %s)" % (r and r.code))
        if r is not None:
            u1.send(S.ack_for(u1, r, call.to_uri, branch=r.branch()), srv.addr)
    call.close()
    return t.done(srv)


def challenge(srv, u1):
    """A 401 to an INVITE of u1 with its own Contact (ACKed): its challenge."""
    callid, ftag, br = S.new_callid(u1.ip), S.new_tag(), S.new_branch()
    to = "sip:2@%s" % srv.ip
    u1.send(u1.req("INVITE", to, callid, 1, ftag, to, branch=br), srv.addr)
    r = u1.final_to(callid, 1, "INVITE")
    if r is None:
        return None
    u1.send(S.ack_for(u1, r, to, branch=br), srv.addr)
    return r.h("www-authenticate") if r.code == 401 else None


def invite_bad_contact(t, srv, u1, u2, probe, contact, ch, nc):
    """u1 INVITEs 2 with Contact contact, without credentials and with
    credentials answering ch (nc): checked to get 400 both times and to
    start no call."""
    callid, ftag = S.new_callid(u1.ip), S.new_tag()
    to = "sip:2@%s" % srv.ip
    body = S.sdp(u1.ip, u1.port + 100)
    for cseq, auth in ((1, None), (2, ch and u1.auth("INVITE", to, ch, nc=nc))):
        br = S.new_branch()
        extra = ["Authorization: " + auth] if auth else []
        u1.send(u1.req("INVITE", to, callid, cseq, ftag, to, extra=extra, body=body,
                       branch=br, contact=contact), srv.addr)
        r = u1.final_to(callid, cseq, "INVITE")
        if r is not None:
            u1.send(S.ack_for(u1, r, to, branch=br), srv.addr)
        t.check(r is not None and r.code == 400, "INVITE with Contact %s %s gets 400 (got "
                "%s)" % (contact, "with u1's credentials" if auth else "without credentials",
                         r and r.code))
    t.check(S.sync(srv, probe), "barrier after the INVITE with Contact %s" % contact)
    S.quiet([u1, u2], 2 * S.T1)
    invites = [p.msg.start for p in u2.seen if p.msg and p.msg.method == "INVITE"]
    ups = [p.msg.start for p in u1.seen if p.msg and p.msg.is_resp and
           p.msg.callid() == callid and p.msg.code not in (100, 401, 400)]
    t.check(invites == [] and ups == [],
            "INVITE with Contact %s starts no call (callee got %s, caller got %s)" % (
                contact, invites, ups))


if __name__ == "__main__":
    sys.exit(main())
