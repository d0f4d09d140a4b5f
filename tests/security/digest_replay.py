#!/usr/bin/env python3
"""digest_replay.py (finding 2): digest credentials cannot be replayed.

Challenges offer qop="auth". An Authorization once accepted is replayed:
(a) u1's REGISTER credentials in a new REGISTER (new Call-ID) from the
    attacker (.66), once binding the attacker's Contact, once as
    `Contact: *` + `Expires: 0`: 401 with stale=TRUE, and a REGISTER query
    of u1 still lists u1's own Contact;
(b) the INVITE credentials of an established call on an INVITE with a new
    Call-ID, from the attacker and from the caller's own address (a spoofed
    source): 401, the callee sees no new INVITE;
(c) the BYE credentials of call X on call Y's BYE (right Call-ID and tags),
    from the attacker and from the caller's address: not 2xx, the callee
    gets no BYE, RTP of Y still flows, and the caller's own BYE of Y works.
Also: Authorization uri= other than the Request-URI -> 400; qop=auth with
an nc already used -> 401 stale=TRUE, with a higher nc -> 200.
usage: digest_replay.py SERVER_BIN PHONE_BIN CONF_DIR WORK_DIR [NET SIP_PORT RTP]
"""
import sys

import sipsec as S


def with_headers(text, **repl):
    """text with whole header lines replaced (name=value, None drops it)."""
    head, _, body = text.partition("\r\n\r\n")
    lines = head.split("\r\n")
    out = [lines[0]]
    for ln in lines[1:]:
        name = ln.split(":", 1)[0].strip().lower().replace("-", "_")
        if name in repl:
            if repl[name] is not None:
                out.append("%s: %s" % (ln.split(":", 1)[0], repl.pop(name)))
            else:
                repl.pop(name)
            continue
        out.append(ln)
    for k, v in repl.items():
        if v is not None:
            out.insert(len(out), "%s: %s" % (k.replace("_", "-").title(), v))
    return "\r\n".join(out) + "\r\n\r\n" + body


def binding_of(t, u1):
    """Contact values a REGISTER query of u1 lists."""
    r, _, _ = u1.register(query=True)
    t.check(r is not None and r.code == 200, "u1's REGISTER query gets 200 (got %s)" %
            (r and r.code))
    return " ".join(r.all("contact")) if r is not None else ""


def final_from(ep, callid, timeout=3.0):
    return ep.expect(lambda m: m.is_resp and m.final() and m.callid() == callid, timeout)


def main():
    a, t, srv = S.start("digest_replay", net="127.0.32", sip_port=27020, rtp="27300-27399")
    att, probe = S.party(a, "attacker"), S.party(a, "probe")
    u1, u2 = S.users(a, srv)
    mine = "@%s:%d" % u1.addr

    S.registers(t, u2)
    r, reg_text, ch = u1.register()
    t.check(r is not None and r.code == 200, "u1 registers")
    t.check(S.offers_qop_auth(ch), 'the REGISTER challenge offers qop="auth": %s' % ch)

    # (a) REGISTER credentials replayed from another address
    for label, repl in (("binding the attacker", {"contact": "<sip:u1@%s:%d>" % att.addr}),
                        ("removing all bindings", {"contact": "*", "expires": "0"})):
        callid = S.new_callid(att.ip)
        forged = with_headers(reg_text, call_id=callid,
                              via="SIP/2.0/UDP %s:%d;branch=%s;rport" % (
                                  att.ip, att.port, S.new_branch()), **repl)
        att.send(forged, srv.addr)
        r = final_from(att, callid)
        ch2 = r.h("www-authenticate") if r is not None else None
        t.check(r is not None and r.code == 401 and S.is_stale(ch2),
                "replayed REGISTER credentials (%s) get 401 stale=TRUE (got %s %s)" % (
                    label, r and r.code, ch2))
        listed = binding_of(t, u1)
        t.check(mine in listed and "@%s:" % att.ip not in listed,
                "u1's binding unchanged after the replay (%s): %r" % (label, listed))

    # (b) INVITE credentials replayed on a new Call-ID
    x = S.Call(t, u1, u2, "2", a.sip_port + 100, a.sip_port + 200)
    if not x.setup():
        return t.done(srv)
    inv_auth = x.a_invite_auth
    for label, ep in (("from the attacker", att), ("from the caller's address", u1)):
        callid = S.new_callid(ep.ip)
        ep.send(S.request("INVITE", x.to_uri, ep.ip, ep.port, "sip:u1@%s" % srv.ip,
                          S.new_tag(), x.to_uri, callid, 1,
                          contact="<sip:u1@%s:%d>" % ep.addr,
                          extra=["Authorization: " + inv_auth],
                          body=S.sdp(ep.ip, ep.port + 300)), srv.addr)
        r = final_from(ep, callid)
        t.check(r is not None and r.code == 401,
                "replayed INVITE credentials on a new Call-ID %s get 401 (got %s)" % (
                    label, r and r.code))
        if r is not None:
            ep.send(S.ack_for(ep, r, x.to_uri, branch=None), srv.addr)
    t.check(S.sync(srv, probe), "barrier after the INVITE replays")
    got = [p.msg for p in u2.collect(2 * S.T1) if p.msg and p.msg.method == "INVITE"]
    t.check(got == [], "the callee sees no INVITE from the replays (got %s)" % got)

    # (c) BYE credentials of call X replayed on call Y
    y = S.Call(t, u1, u2, "2", a.sip_port + 102, a.sip_port + 202)
    if not y.setup():
        return t.done(srv)
    r, bye_auth = x.caller_bye()
    t.check(r is not None and r.code == 200 and bye_auth is not None,
            "call X: the caller's BYE is challenged, then 200 (got %s)" % (r and r.code))
    x.expect_bye_at_callee()
    for label, ep in (("from the attacker", att), ("from the caller's address", u1)):
        y.a_cseq += 1
        ep.send(S.request("BYE", y.a_target, ep.ip, ep.port, "sip:u1@%s" % srv.ip, y.a_ftag,
                          y.to_uri, y.a_callid, y.a_cseq, to_tag=y.a_tag,
                          extra=["Authorization: " + bye_auth]), srv.addr)
        r = final_from(ep, y.a_callid, 2.0)
        t.check(r is None or r.code >= 300,
                "call X's BYE credentials on call Y's BYE %s are rejected (got %s)" % (
                    label, r and r.code))
    t.check(S.sync(srv, probe), "barrier after the BYE replays")
    byes = [p.msg for p in u2.collect(2 * S.T1) if p.msg and p.msg.method == "BYE"]
    t.check(byes == [], "the callee gets no BYE for call Y (got %s)" % byes)
    for m in byes:
        u2.send(S.response(m, 200, "OK"), srv.addr)
    gb, ga = y.rtp_flows()
    t.check(gb == 5 and ga == 5, "call Y's RTP still flows both ways (%d/5, %d/5)" % (gb, ga))
    r, _ = y.caller_bye()
    t.check(r is not None and r.code == 200, "the caller's own BYE of call Y works (got %s)" %
            (r and r.code))
    t.check(y.expect_bye_at_callee() is not None, "the callee gets call Y's BYE")

    # uri= not the Request-URI -> 400
    callid = S.new_callid(u1.ip)
    ruri = "sip:2@%s" % srv.ip
    tag = S.new_tag()
    body = S.sdp(u1.ip, a.sip_port + 104)
    br = S.new_branch()
    u1.send(u1.req("INVITE", ruri, callid, 1, tag, ruri, body=body, branch=br), srv.addr)
    r = final_from(u1, callid)
    if t.check(r is not None and r.code == 401, "a fresh INVITE is challenged"):
        u1.send(S.ack_for(u1, r, ruri, branch=br), srv.addr)
        auth = u1.auth("INVITE", ruri, r.h("www-authenticate"),
                       uri_param="sip:1@%s" % srv.ip)
        u1.send(u1.req("INVITE", ruri, callid, 2, tag, ruri, body=body,
                       extra=["Authorization: " + auth]), srv.addr)
        r = final_from(u1, callid)
        t.check(r is not None and r.code == 400,
                "Authorization uri= other than the Request-URI gets 400 (got %s)" %
                (r and r.code))
        if r is not None and r.code >= 300:
            u1.send(S.ack_for(u1, r, ruri, branch=None), srv.addr)
    t.check(S.sync(srv, probe), "barrier after the uri= mismatch")
    got = [p.msg for p in u2.drain() if p.msg and p.msg.method == "INVITE"]
    t.check(got == [], "the callee sees no INVITE from the uri= mismatch")

    # qop=auth: a used nc is stale, a higher one is accepted
    ruri = "sip:" + srv.ip
    u1.reg_cseq += 1
    u1.send(u1.req("REGISTER", ruri, u1.reg_callid, u1.reg_cseq, u1.reg_tag, u1.aor(),
                   extra=["Expires: 600"]), srv.addr)
    r = u1.final_to(u1.reg_callid, u1.reg_cseq)
    if t.check(r is not None and r.code == 401, "REGISTER challenged for the nc checks"):
        ch = r.h("www-authenticate")
        cnonce = "0a4f113b"
        for nc, want in ((1, 200), (1, "stale"), (2, 200)):
            u1.reg_cseq += 1
            auth = u1.auth("REGISTER", ruri, ch, nc=nc, cnonce=cnonce, use_qop=True)
            u1.send(u1.req("REGISTER", ruri, u1.reg_callid, u1.reg_cseq, u1.reg_tag,
                           u1.aor(), extra=["Expires: 600", "Authorization: " + auth]),
                    srv.addr)
            r = u1.final_to(u1.reg_callid, u1.reg_cseq)
            if want == 200:
                t.check(r is not None and r.code == 200,
                        "qop=auth nc=%08x (new) is accepted (got %s)" % (nc, r and r.code))
            else:
                c = r.h("www-authenticate") if r is not None else None
                t.check(r is not None and r.code == 401 and S.is_stale(c),
                        "qop=auth nc=%08x again gets 401 stale=TRUE (got %s %s)" % (
                            nc, r and r.code, c))
    x.close()
    y.close()
    return t.done(srv)


if __name__ == "__main__":
    sys.exit(main())
