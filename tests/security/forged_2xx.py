#!/usr/bin/env python3
"""forged_2xx.py (finding 1): responses only from where the request went.

(ii) A 200 OK for an unknown Call-ID of the server's form
     `<digits>@<server ip>`, sent by an attacker (.66) with a Contact at a
     victim (.77): nothing comes back to either (no ACK, no BYE), checked
     after a barrier plus a window longer than T1.
(iii) During a ringing call (callee .101 answered 180, not 200) the
     attacker sends, from its own address, a 486 and then a 200 OK with the
     B leg's Call-ID, tags, branch and CSeq copied from the B-leg INVITE
     (assumed known): the caller gets neither, the attacker and victim get
     nothing; the call is answered only when the real callee sends its 200,
     and hangs up normally.
usage: forged_2xx.py SERVER_BIN PHONE_BIN CONF_DIR WORK_DIR [NET SIP_PORT RTP]
"""
import random
import sys

import sipsec as S


def forged_200(inv, contact_ip, contact_port, to_tag, code=200, reason="OK"):
    """A response built from what the callee saw, with the attacker's Contact
    and SDP (an answer for 200)."""
    body = S.sdp(contact_ip, contact_port + 100) if code == 200 else ""
    return S.response(inv, code, reason, to_tag,
                      ["Contact: <sip:u2@%s:%d>" % (contact_ip, contact_port)], body)


def main():
    a, t, srv = S.start("forged_2xx", net="127.0.31", sip_port=27010, rtp="27200-27299")
    att, probe = S.party(a, "attacker"), S.party(a, "probe")
    victim = S.Endpoint(a.net + ".77", a.sip_port + 1, "victim")
    u1, u2 = S.users(a, srv)

    # (ii) a stray 200 for a Call-ID of the server's form
    for i in range(3):
        cid = "%d@%s" % (random.getrandbits(63), srv.ip)
        fake_inv = S.Msg(S.request(
            "INVITE", "sip:u2@%s:%d" % victim.addr, srv.ip, srv.port,
            "sip:u1@%s" % srv.ip, str(random.getrandbits(31)), "sip:u2@%s" % srv.ip, cid, 1,
            branch=S.new_branch()).encode())
        att.send(forged_200(fake_inv, victim.ip, victim.port, S.new_tag()), srv.addr)
    t.check(S.sync(srv, probe), "barrier: the server answers OPTIONS after the stray 200s")
    got = S.quiet([att, victim], 4 * S.T1)
    t.check(got == [], "stray 200 OKs (unknown Call-IDs <digits>@server) draw nothing "
            "(got %s)" % [(e.name, p.data[:24]) for e, p in got])

    # (iii) a ringing call; the attacker answers in the callee's place
    S.registers(t, u2)
    call = S.Call(t, u1, u2, "2", a.sip_port + 100, a.sip_port + 200)
    if not (call.start() and call.ring()):
        return t.done(srv)
    inv = call.b_inv
    att.send(forged_200(inv, att.ip, att.port, call.b_tag, 486, "Busy Here"), srv.addr)
    att.send(forged_200(inv, victim.ip, victim.port, call.b_tag), srv.addr)
    t.check(S.sync(srv, probe), "barrier: the server answers OPTIONS after the forgeries")
    got = S.quiet([att, victim, u1, u2], 4 * S.T1)
    finals = [p.msg for e, p in got if e is u1 and p.msg and p.msg.final()]
    t.check(finals == [], "the caller gets no final response from the forged 486/200 "
            "(got %s)" % finals)
    t.check(not any(e in (att, victim) for e, p in got),
            "the attacker and the forged Contact get nothing (no ACK, no BYE): %s" %
            [(e.name, p.data[:24]) for e, p in got if e in (att, victim)])
    t.check(not any(e is u2 and p.msg and p.msg.method in ("ACK", "BYE", "CANCEL")
                    for e, p in got),
            "the real callee gets no ACK/BYE/CANCEL because of the forgeries")

    # the real answer still completes the call
    ok = call.answer()
    if ok is not None:
        t.check(call.relay_a[0] == srv.ip, "the caller's 200 carries the relay's SDP")
        gb, ga = call.rtp_flows()
        t.check(gb == 5 and ga == 5, "RTP flows between the real parties (%d/5, %d/5)" % (gb, ga))
        r, _ = call.caller_bye()
        t.check(r is not None and r.code == 200, "the caller hangs up (got %s)" % (r and r.code))
        t.check(call.expect_bye_at_callee() is not None, "the callee gets the BYE")
    # the barrier covers SIP; RTP was relayed at once, all of it having
    # reached the parties in rtp_flows
    t.check(S.sync(srv, probe), "barrier after the call")
    got = att.drain() + victim.drain()
    t.check(got == [], "the attacker never got anything from the call")
    call.close()
    return t.done(srv)


if __name__ == "__main__":
    sys.exit(main())
