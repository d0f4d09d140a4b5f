#!/usr/bin/env python3
"""callerid.py (finding 3): no caller-ID spoofing by an authenticated user.

u1 answers the INVITE challenge with its own credentials (u1/u1pass) but
puts `From: <sip:u2@SERVER>`: 403, and the callee (u2, registered) never
sees an INVITE. The same with a From display name "u2" and user u2 at
another host. Control: the same caller with From u1 reaches the callee, so
the silence above is the server's refusal, not a broken route.
usage: callerid.py SERVER_BIN PHONE_BIN CONF_DIR WORK_DIR [NET SIP_PORT RTP]
"""
import sys

import sipsec as S


def spoofed_invite(t, srv, u1, ruri, from_value):
    """INVITE -> 401 -> INVITE with u1's credentials and From from_value.
    Returns the final response to the second INVITE."""
    callid = S.new_callid(u1.ip)
    body = S.sdp(u1.ip, u1.port + 100)

    def text(cseq, branch, extra=()):
        raw = u1.req("INVITE", ruri, callid, cseq, "x", ruri, body=body, branch=branch,
                     extra=extra)
        head, _, rest = raw.partition("\r\n\r\n")
        lines = [("From: " + from_value) if ln.startswith("From:") else ln
                 for ln in head.split("\r\n")]
        return "\r\n".join(lines) + "\r\n\r\n" + rest

    br = S.new_branch()
    u1.send(text(1, br), srv.addr)
    r = u1.final_to(callid, 1)
    if not t.check(r is not None and r.code == 401,
                   "INVITE From %s without credentials gets 401 (got %s)" % (
                       from_value, r and r.code)):
        return r
    u1.send(S.ack_for(u1, r, ruri, branch=br), srv.addr)
    auth = u1.auth("INVITE", ruri, r.h("www-authenticate"))
    u1.send(text(2, S.new_branch(), ["Authorization: " + auth]), srv.addr)
    r = u1.final_to(callid, 2)
    if r is not None and r.code >= 300:
        u1.send(S.ack_for(u1, r, ruri), srv.addr)
    return r


def main():
    a, t, srv = S.start("callerid", net="127.0.33", sip_port=27030, rtp="27400-27499")
    probe = S.party(a, "probe")
    u1, u2 = S.users(a, srv)
    S.registers(t, u2)
    ruri = "sip:2@%s" % srv.ip

    for frm in ("<sip:u2@%s>;tag=sp1" % srv.ip,
                '"u2" <sip:u2@%s>;tag=sp2' % srv.ip,
                "<sip:u2@%s>;tag=sp3" % u1.ip):
        r = spoofed_invite(t, srv, u1, ruri, frm)
        t.check(r is not None and r.code == 403,
                "authenticated as u1 with From %s: 403 (got %s)" % (frm, r and r.code))
    t.check(S.sync(srv, probe), "barrier after the spoofed INVITEs")
    got = [p.msg for p in u2.collect(2 * S.T1) if p.msg and p.msg.method == "INVITE"]
    t.check(got == [], "the callee never sees an INVITE from the spoofed calls (got %d: %s)" %
            (len(got), [m.h("from") for m in got]))
    for m in got:  # unfixed server: let those legs end
        u2.send(S.response(m, 486, "Busy Here", "busy"), srv.addr)

    # control: the honest From reaches the callee
    call = S.Call(t, u1, u2, "2", a.sip_port + 100, a.sip_port + 200)
    if call.start():
        t.check("sip:u1@" in (call.b_inv.h("from") or ""),
                "control: the honest call reaches the callee From u1: %s" %
                call.b_inv.h("from"))
        u2.send(S.response(call.b_inv, 486, "Busy Here", call.b_tag), srv.addr)
        r = u1.final_to(call.a_callid, call.a_cseq)
        t.check(r is not None and r.code == 486, "control: the callee's 486 reaches the caller")
    call.close()
    return t.done(srv)


if __name__ == "__main__":
    sys.exit(main())
