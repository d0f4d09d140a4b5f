#!/usr/bin/env python3
"""blocked_signed.py (finding 5, review F1): the rate limit as a weapon.

Whoever shares a phone's IP address (another process on its host, a phone
behind the same NAT, or anyone forging that source) can get the IP blocked
(--rate-limit, default 30 unverified requests per 2 s). The block must not
hold the phone's signed requests back: before the fix they were dropped
unread, so their credentials stayed unspent and could be replayed from
elsewhere with the attacker's Contact.

A. u2 (.101) registers (its challenge's nonce kept). A socket on .101,
   another port, sends OPTIONS until the IP is blocked (31 do it; at most
   3 rounds). Then, from the blocked IP: u2's REGISTER without credentials,
   an OPTIONS and an INVITE without credentials draw nothing at all, not
   even a 100 Trying (barrier + window). u2's REGISTER signed with the old
   nonce (qop=auth, nc 2) gets 200. The attacker (.66) replays that signed
   REGISTER with its own Via and Contact: 401 stale=TRUE. u1 (from .102)
   calls 2: the INVITE reaches u2, not the attacker.
B. The sniffed flow of the review: a socket on u1's IP (.183) sends 30
   OPTIONS, so that u1's own 401 to its REGISTER is the 31st charge and
   blocks it. u1's signed REGISTER (answering that 401) is still processed
   (200); its replay from .66 with the attacker's Contact gets 401 stale;
   a call from u2 (at .102) to 1 reaches u1, not the attacker; .183 is
   blocked (an OPTIONS from it gets nothing).
usage: blocked_signed.py SERVER_BIN PHONE_BIN CONF_DIR WORK_DIR [NET SIP_PORT RTP]
"""
import re
import sys

import sipsec as S

LIMIT = 30          # the default --rate-limit 30/2
ROUNDS = 3          # bursts of LIMIT + 1 OPTIONS at most to get a block


def options(ep, srv):
    cid = S.new_callid(ep.ip)
    ep.send(S.request("OPTIONS", "sip:%s:%d" % srv.addr, ep.ip, ep.port, "sip:x@%s" % ep.ip,
                      S.new_tag(), "sip:%s" % srv.ip, cid, 1), srv.addr)
    return cid


def burst(ep, srv, n):
    """n OPTIONS from ep; returns how many were answered (all answers are
    in by the time the last one's deadline passes: the server answers in
    order, and nothing comes after a dropped one)."""
    cids = [options(ep, srv) for _ in range(n)]
    got = set()
    for _ in range(n):
        m = ep.expect(lambda m: m.is_resp and m.callid() in cids and m.callid() not in got,
                      2 * S.T1)
        if m is None:
            break
        got.add(m.callid())
    return len(got)


def silent(t, srv, probe, eps, what, window=4 * S.T1 + 0.6):
    """Barrier, then a window: nothing arrives on eps. Checked."""
    t.check(S.sync(srv, probe), "barrier after %s" % what)
    got = S.quiet(eps, window)
    starts = [(e.name, p.data.split(b"\r\n", 1)[0].decode("latin-1")) for e, p in got]
    return t.check(got == [], "%s: nothing back, not even a 100 (got %s)" % (what, starts))


def signed_register(ua, ch, nc):
    """ua's REGISTER (its own Contact) answering challenge ch with nc."""
    ruri = "sip:" + ua.domain
    ua.reg_cseq += 1
    return ua.req("REGISTER", ruri, ua.reg_callid, ua.reg_cseq, ua.reg_tag, ua.aor(),
                  extra=["Expires: 600", "Authorization: " + ua.auth("REGISTER", ruri, ch,
                                                                    nc=nc)])


def replay(t, srv, att, text, ua):
    """The attacker resends ua's signed REGISTER text from its own address
    with its own Via and Contact: checked to get 401 stale=TRUE."""
    forged = text.replace("Contact: <sip:%s@%s:%d>" % (ua.user, ua.ip, ua.port),
                          "Contact: <sip:%s@%s:%d>" % (ua.user, att.ip, att.port))
    forged = re.sub(r"Via: SIP/2.0/UDP [^;]+", "Via: SIP/2.0/UDP %s:%d" % att.addr, forged)
    t.check(forged != text and att.ip in forged, "the replay carries the attacker's Contact")
    att.send(forged, srv.addr)
    r = att.expect(lambda m: m.is_resp and m.final() and m.callid() == ua.reg_callid, 3.0)
    t.check(r is not None and r.code == 401 and S.is_stale(r.h("www-authenticate")),
            "the attacker's replay of %s's signed REGISTER with its own Contact gets 401 "
            "stale=TRUE (got %s %s)" % (ua.user, r and r.code,
                                       r and r.h("www-authenticate")))


def call_reaches(t, srv, caller, number, callee, att, rtp_port):
    """caller calls number: the INVITE reaches callee (refused there with
    486), never att. Checked."""
    call = S.Call(t, caller, callee, number, rtp_port, rtp_port + 2)
    inv = call.start()
    if inv is not None:
        callee.send(S.response(inv, 486, "Busy Here", call.b_tag), srv.addr)
        r = caller.final_to(call.a_callid, call.a_cseq, "INVITE")
        if r is not None:
            caller.send(S.ack_for(caller, r, call.to_uri, branch=r.branch()), srv.addr)
        t.check(r is not None and r.code == 486, "the call to %s is refused by %s's 486 "
                "(got %s)" % (number, callee.user, r and r.code))
    stolen = [p.msg.start for p in att.seen if p.msg and p.msg.method == "INVITE"]
    t.check(stolen == [], "the call to %s never reaches the attacker (got %s)" % (number,
                                                                                stolen))
    call.close()


def main():
    a, t, srv = S.start("blocked_signed", net="127.0.40", sip_port=29000, rtp="29100-29199")
    u1, u2 = S.users(a, srv)
    att, probe = S.party(a, "attacker"), S.party(a, "probe")

    # --- A: u2's IP blocked by a neighbour ---
    r, _, ch = u2.register()
    t.check(r is not None and r.code == 200 and ch is not None,
            "u2 registers (challenged, nonce kept)")
    neigh = S.Endpoint(a.callee_ip, a.sip_port + 2, "u2-neighbour")
    blocked = False
    for rnd in range(ROUNDS):
        n = burst(neigh, srv, LIMIT + 1)
        print("round %d: %d of %d OPTIONS from %s answered" % (rnd + 1, n, LIMIT + 1,
                                                               neigh.name))
        # blocked: one more OPTIONS draws nothing after a barrier
        cid = options(neigh, srv)
        S.sync(srv, probe)
        blocked = neigh.expect(lambda m: m.callid() == cid, 2 * S.T1) is None
        if blocked:
            break
    t.check(blocked, "%d OPTIONS from u2's IP (another port) block the IP" % (LIMIT + 1))

    # unsigned requests from the blocked IP: nothing back at all
    ruri = "sip:" + srv.ip
    u2.reg_cseq += 1
    u2.send(u2.req("REGISTER", ruri, u2.reg_callid, u2.reg_cseq, u2.reg_tag, u2.aor(),
                   extra=["Expires: 600"]), srv.addr)
    silent(t, srv, probe, [u2], "u2's REGISTER without credentials from the blocked IP")
    options(u2, srv)
    to = "sip:1@%s" % srv.ip
    u2.send(u2.req("INVITE", to, S.new_callid(u2.ip), 1, S.new_tag(), to,
                   body=S.sdp(u2.ip, a.sip_port + 300)), srv.addr)
    silent(t, srv, probe, [u2, neigh], "an OPTIONS and an INVITE without credentials from "
           "the blocked IP")

    # u2's signed REGISTER still goes through; its replay does not
    signed = signed_register(u2, ch, 2)
    u2.send(signed, srv.addr)
    r = u2.final_to(u2.reg_callid, u2.reg_cseq)
    t.check(r is not None and r.code == 200, "u2's signed REGISTER (old nonce, nc 2) from the "
            "blocked IP is processed: 200 (got %s)" % (r and r.code))
    replay(t, srv, att, signed, u2)
    # the caller on a third address (.102): .183 must start part B uncharged
    u1b = S.UA(a.net + ".102", a.sip_port + 1, "u1", "u1pass", srv, name="u1@.102")
    call_reaches(t, srv, u1b, "2", u2, att, a.sip_port + 100)

    # --- B: the victim's own 401 is the charge that blocks it ---
    pre = S.Endpoint(a.caller_ip, a.sip_port + 2, "u1-neighbour")
    n = burst(pre, srv, LIMIT)
    t.check(n == LIMIT, "%d OPTIONS from u1's IP are answered (not blocked yet: %d)" % (
        LIMIT, n))
    u1.reg_cseq += 1
    u1.send(u1.req("REGISTER", ruri, u1.reg_callid, u1.reg_cseq, u1.reg_tag, u1.aor(),
                   extra=["Expires: 600"]), srv.addr)
    r = u1.final_to(u1.reg_callid, u1.reg_cseq)
    t.check(r is not None and r.code == 401, "u1's REGISTER gets its 401 (the 31st charge)")
    if r is not None and r.code == 401:
        signed = signed_register(u1, r.h("www-authenticate"), 1)
        u1.send(signed, srv.addr)       # the attacker sniffs this
        r = u1.final_to(u1.reg_callid, u1.reg_cseq)
        t.check(r is not None and r.code == 200, "u1's signed REGISTER is processed although "
                "its IP is now blocked: 200 (got %s)" % (r and r.code))
        replay(t, srv, att, signed, u1)
    cid = options(pre, srv)
    S.sync(srv, probe)
    t.check(pre.expect(lambda m: m.callid() == cid, 2 * S.T1) is None,
            "u1's IP is blocked (an OPTIONS from it gets nothing)")
    u2b = S.UA(a.net + ".102", a.sip_port + 3, "u2", "u2pass", srv, name="u2@.102")
    call_reaches(t, srv, u2b, "1", u1, att, a.sip_port + 110)
    t.check(S.sync(srv, probe), "the server still answers another IP")
    return t.done(srv)


if __name__ == "__main__":
    sys.exit(main())
