#!/usr/bin/env python3
"""indialog.py (finding 4): in-dialog requests only from the dialog's peer.

With a call established (caller .183 -> server -> callee .101, RTP through
the relay), an attacker at .66 who knows both dialogs' Call-IDs and tags
sends, on the A leg (as the caller) and on the B leg (as the callee): a
re-INVITE whose SDP points at the attacker, an ACK with such SDP, and a BYE.
None may change the call: the attacker gets no 2xx, neither party gets a
BYE, RTP still flows between the real parties and none reaches the
attacker. Then the caller's own re-INVITE is challenged (401), accepted
with credentials (200, ACK), RTP still flows, and its BYE (401, then 200)
ends the call at the callee.
usage: indialog.py SERVER_BIN PHONE_BIN CONF_DIR WORK_DIR [NET SIP_PORT RTP]
"""
import sys

import sipsec as S


def main():
    a, t, srv = S.start("indialog", net="127.0.34", sip_port=27040, rtp="27500-27599")
    att, probe = S.party(a, "attacker"), S.party(a, "probe")
    att_rtp = S.Endpoint(a.attacker_ip, a.sip_port + 300, "attacker-rtp")
    u1, u2 = S.users(a, srv)
    S.registers(t, u2)
    call = S.Call(t, u1, u2, "2", a.sip_port + 100, a.sip_port + 200)
    if not call.setup():
        return t.done(srv)
    gb, ga = call.rtp_flows(seq0=0)
    t.check(gb == 5 and ga == 5, "RTP flows both ways before the attack (%d/5, %d/5)" % (gb, ga))

    b = call.b_inv
    legs = {
        # leg: (R-URI, From uri, From tag, To uri, To tag, Call-ID)
        "A": (call.a_target, "sip:u1@%s" % srv.ip, call.a_ftag, call.to_uri, call.a_tag,
              call.a_callid),
        "B": (call.b_target, S.uri_of(b.h("to")), call.b_tag, S.uri_of(b.h("from")),
              b.from_tag(), b.callid()),
    }
    evil_sdp = S.sdp(att_rtp.ip, att_rtp.port)
    contact = "<sip:x@%s:%d>" % att.addr
    cseq = 1000
    # phase 1: re-INVITE and ACK with the attacker's SDP; phase 2: BYE
    for phase, methods in ((1, (("INVITE", evil_sdp), ("ACK", evil_sdp))), (2, (("BYE", ""),))):
        for leg, (ruri, furi, ftag, turi, ttag, cid) in legs.items():
            cseq += 1
            for method, body in methods:
                att.send(S.request(method, ruri, att.ip, att.port, furi, ftag, turi, cid,
                                   cseq, to_tag=ttag, contact=contact, body=body), srv.addr)
        what = "re-INVITE/ACK" if phase == 1 else "BYE"
        t.check(S.sync(srv, probe), "barrier after the attacker's %s" % what)
        got = S.quiet([att, u1, u2, att_rtp], 4 * S.T1)
        ok2xx = [p.msg for e, p in got if e is att and p.msg and p.msg.is_resp and
                 200 <= p.msg.code < 300]
        t.check(ok2xx == [], "the attacker's %s on both legs get no 2xx (got %s)" %
                (what, [(m.start, m.cseq_method()) for m in ok2xx]))
        for m in ok2xx:
            if m.cseq_method() == "INVITE":
                att.send(S.ack_for(att, m, legs["A"][0]), srv.addr)
        reqs = [(e.name, p.msg.start) for e, p in got if e in (u1, u2) and p.msg and
                p.msg.method in ("BYE", "INVITE", "UPDATE", "CANCEL")]
        t.check(reqs == [], "after the attacker's %s no BYE/re-INVITE reaches the caller or "
                "the callee (got %s)" % (what, reqs))
        for e, p in got:
            if e in (u1, u2) and p.msg and p.msg.method == "BYE":
                e.send(S.response(p.msg, 200, "OK"), srv.addr)
        gb, ga = call.rtp_flows(seq0=100 * phase)
        t.check(gb == 5 and ga == 5, "after the attacker's %s RTP still flows between the "
                "real parties (%d/5, %d/5)" % (what, gb, ga))
        # rtp_flows saw every packet relayed to its party: a copy to the
        # attacker would have left with it
        leaked = att_rtp.drain()
        t.check(leaked == [], "after the attacker's %s no RTP reaches the attacker's SDP "
                "address (%d packets)" % (what, len(leaked)))

    # the caller's own re-INVITE: challenged like its BYE, then accepted
    body = S.sdp(u1.ip, call.rtp_a.port)
    br = S.new_branch()
    u1.send(call.caller_req("INVITE", body=body, branch=br), srv.addr)
    r = u1.final_to(call.a_callid, call.a_cseq, "INVITE")
    t.check(r is not None and r.code == 401,
            "the caller's re-INVITE without credentials gets 401 (got %s)" % (r and r.code))
    if r is not None and r.code == 401:
        u1.send(S.ack_for(u1, r, call.a_target, branch=br), srv.addr)
        auth = u1.auth("INVITE", call.a_target, r.h("www-authenticate"))
        u1.send(call.caller_req("INVITE", body=body, auth=auth), srv.addr)
        r = u1.final_to(call.a_callid, call.a_cseq, "INVITE")
        t.check(r is not None and r.code == 200,
                "the caller's re-INVITE with credentials gets 200 (got %s)" % (r and r.code))
    if r is not None and r.code == 200:
        u1.send(S.ack_for(u1, r, call.a_target), srv.addr)
    elif r is not None and r.code >= 300:
        u1.send(S.ack_for(u1, r, call.a_target), srv.addr)
    gb, ga = call.rtp_flows(seq0=300)
    t.check(gb == 5 and ga == 5, "RTP flows after the caller's re-INVITE (%d/5, %d/5)" %
            (gb, ga))

    r, auth = call.caller_bye()
    t.check(r is not None and r.code == 200 and auth is not None,
            "the real caller's BYE is challenged, then 200 (got %s)" % (r and r.code))
    t.check(call.expect_bye_at_callee() is not None, "the callee gets the BYE")
    t.check(S.sync(srv, probe), "barrier after the call")
    leaked = att.drain() + att_rtp.drain()
    t.check(not any(p.msg and not p.msg.is_resp for p in leaked),
            "the attacker never got a request from the server")
    call.close()
    return t.done(srv)


if __name__ == "__main__":
    sys.exit(main())
