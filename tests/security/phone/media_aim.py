#!/usr/bin/env python3
"""media_aim.py: a direct caller cannot aim the phone's RTP at a third
party. The ACK proves the signalling address, not the media address, and
there is no ICE/consent here: a direct call's SDP c= must be the address
its INVITE came from (README.md, Security 6).

1. Direct mode (default --calls 1): the attacker's INVITE offers the
   victim's RTP address; it gets exactly one datagram, 488, and the phone
   never rings. The attacker ACKs it from its own address anyway: the
   victim receives nothing. The refusal takes no call slot: an honest
   direct call (c= its own address) follows and works (200, ACK, RTP);
   within it a re-INVITE moving the media to the victim gets 488 and the
   call goes on unchanged (RTP to the caller, nothing at the victim);
   BYE, exit 0 with "calls: 1 attempted, 0 failed, 1 refused".
2. --server --allow-direct: the attacker's direct INVITE aimed at the
   victim still gets 488, while the server's INVITE may name another
   address (its relay's, here the victim's port): exempt, RTP goes there.
usage: media_aim.py PHONE_BIN WORK_DIR [PORT]
"""
import sys

import phonesec as S


def main():
    p, t, (srv, att, att_rtp, victim_rtp) = S.start("media_aim", 21100, "server", "attacker",
                                                    "attacker_rtp", "victim_rtp")
    ruri = "sip:u@%s:%d" % p.phone
    aimed = S.request("INVITE", ruri, p.attacker, "m1@att", "a1", 1, body=S.sdp(p.victim_rtp))

    # 1. direct mode: the attack, then an honest call
    ph = S.phone(t, p, [])
    got = S.answered(t, att, aimed, p.phone, [488], "INVITE with c= the victim: one 488")
    final = [m for m in got if m.code >= 200]
    # what the attack did before: ACK the final (then a 200) from its own address
    att.send(S.request("ACK", ruri, p.attacker, "m1@att", "a1", 1,
                       to_tag=final[0].to_tag() if final else "x",
                       branch=S.default_branch("INVITE", 1, "m1@att")), p.phone)
    t.check(victim_rtp.collect(S.WINDOW) == [],
            "the attacker's ACK: nothing at the victim")
    t.check(ph.has(r"^sipladder-phone: warn: refused INVITE from 127\.0\.21\.66:\d+ with 488 Not Acceptable "
                   r"Here: SDP c= 127\.0\.21\.77 is not the caller's address 127\.0\.21\.66"),
            "the phone says why")
    t.check(not ph.has("^sipladder-phone: info: incoming call") and not ph.has("^sipladder-phone: info: ringing"), "the phone never rang")
    t.check(ph.running(), "the phone is still waiting for calls")

    c = S.Caller(att, p.phone, "m2@att")
    r = c.invite(S.sdp(p.attacker_rtp))
    t.check(r is not None and r.code == 200, "honest direct call: 200 (got %s)" %
            (r.code if r else None))
    c.ack()
    t.check(att_rtp.wait_count(10, 5.0), "honest direct call: RTP reaches the caller")

    reinv = c.in_dialog("INVITE", body=S.sdp(p.victim_rtp))
    att.send(reinv, p.phone)
    r = att.expect(lambda m: m.is_resp and m.code >= 200 and m.cseq_method() == "INVITE", 5.0)
    t.check(r is not None and r.code == 488, "re-INVITE with c= the victim: 488 (got %s)" %
            (r.code if r else None))
    att.send(S.request("ACK", c.ruri, p.attacker, c.callid, c.ftag, c.cseq, to_tag=c.tag,
                       branch="z9hG4bKinvite%d%s" % (c.cseq, att.name)), p.phone)
    t.check(ph.has(r"^sipladder-phone: warn: re-INVITE refused: SDP c= 127\.0\.21\.77 is not the caller's "
                   r"address 127\.0\.21\.66"), "the phone says why")
    n = len(att_rtp.seen)
    t.check(att_rtp.wait_count(n + 10, 5.0), "RTP still reaches the caller")
    victim_rtp.drain()
    t.check(len(victim_rtp.seen) == 0, "nothing at the victim (got %d)" %
            len(victim_rtp.seen))
    r = c.bye()
    t.check(r is not None and r.code == 200, "honest direct call: BYE 200")
    t.check(ph.wait(10) == 0, "exit 0: the refusal took no call slot (rc %s)" % ph.rc)
    t.check(ph.has("^sipladder-phone: info: calls: 1 attempted, 0 failed, 1 refused$"), "1 call, 1 refusal")
    victim_rtp.drain()
    t.check(len(victim_rtp.seen) == 0, "never anything at the victim (got %d)" %
            len(victim_rtp.seen))

    # 2. --allow-direct: direct callers are checked, the server is not
    ph2 = S.phone(t, p, S.via_server(p, "--allow-direct"), "phone-server",
                  "phone --server --allow-direct is waiting for calls")
    aimed = S.request("INVITE", ruri, p.attacker, "m3@att", "a3", 1, body=S.sdp(p.victim_rtp))
    S.answered(t, att, aimed, p.phone, [488], "--allow-direct: the attacker's aimed INVITE: 488")
    S.good_call(t, S.Caller(srv, p.phone, "m4@srv"), S.sdp(p.victim_rtp),
                "the server's call with another c= (a relay)", rtp=victim_rtp)
    t.check(ph2.wait(10) == 0, "--allow-direct: exit 0 (rc %s)" % ph2.rc)
    return t.done(ph, ph2)


if __name__ == "__main__":
    sys.exit(main())
