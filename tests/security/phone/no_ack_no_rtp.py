#!/usr/bin/env python3
"""no_ack_no_rtp.py (finding 7b): an INVITE that is never ACKed makes the
phone send no RTP, wherever its SDP points.

1. Direct mode (anyone may call): the attacker's INVITE offers its own
   RTP address (a direct offer of another address gets 488, media_aim.py)
   and names the victim's SIP address as Contact; it is answered 200 but
   never ACKed. An ACK with the right Call-ID and tags
   from a third address (neither the INVITE's source nor its Contact) does
   not count. Over the
   whole ring + answer + Timer L (64*T1) window no RTP goes out and the
   victim receives nothing, neither RTP nor a BYE; the 200 is retransmitted a bounded
   number of times (RFC 3261 13.3.1.4) to the INVITE's source only. The
   call counts as failed: exit 1, "no ACK".
2. With --server, the same INVITE from the server's address: still no RTP
   at the victim; the call ends with a BYE to the server (13.3.1.4).
usage: no_ack_no_rtp.py PHONE_BIN WORK_DIR [PORT]
"""
import sys
import time

import phonesec as S


def until_exit(ph, eps, timeout, on_msg=None):
    """Receive on eps until the phone exits (or the deadline): its exit
    code, None if it had to be killed."""
    end = time.monotonic() + timeout
    for _ in range(S.MAX_LOOP):
        if not ph.running() or time.monotonic() >= end:
            break
        for ep in eps:
            got = ep.recv(0.01)
            if got and on_msg:
                on_msg(ep, got.data)
    rc = ph.wait(5)
    for ep in eps:
        ep.drain()
    return rc


def main():
    p, t, (att, srv, att2, victim_sip, victim_rtp, att_rtp) = S.start(
        "no_ack_no_rtp", 21020, "attacker", "server", "attacker2", "victim", "victim_rtp",
        "attacker_rtp")

    # 1. direct mode
    ph = S.phone(t, p, [])
    c = S.Caller(att, p.phone, "n1@att")
    att.send(S.request("INVITE", c.ruri, p.attacker, c.callid, c.ftag, 1,
                       body=S.sdp(p.attacker_rtp), contact=p.victim), p.phone)
    r = att.expect(lambda m: m.is_resp and m.code >= 200, 5.0)
    t.check(r is not None and r.code == 200, "the forged INVITE is answered 200")
    c.tag = r.to_tag() if r else "x"
    c.ack(src=att2)             # the right dialog, the wrong source
    rc = until_exit(ph, [victim_rtp, victim_sip, att, att_rtp], 30)

    t.check(len(att_rtp.seen) == 0, "no RTP at the offer's address (got %d)" %
            len(att_rtp.seen))
    t.check(len(victim_rtp.seen) == 0, "no RTP at the victim (got %d)" %
            len(victim_rtp.seen))
    t.check(len(victim_sip.seen) == 0, "nothing at the victim's SIP address either (got %d)"
            % len(victim_sip.seen))
    t.check(rc == 1, "exit 1: the call failed (rc %s)" % rc)
    t.check(ph.has("^sipladder-phone: error: call failed: no ACK for 200 OK from 127.0.21.66:"),
            "the phone says why")
    t.check(ph.has("^sipladder-phone: call failed: no ACK"), "it is the exit reason")
    t.check(ph.has("dropped ACK from 127.0.21.66:%d: " % p.attacker2[1]),
            "the third party's ACK was dropped")
    msgs = [S.Msg(x.data) for x in att.seen]
    oks = [m for m in msgs if m.is_resp and m.code == 200]
    # 64*T1 of retransmissions at T1, 2T1, 4T1... capped at T2: at most 11
    t.check(1 <= len(oks) <= 11, "the 200 went out %d times" % len(oks))
    t.check(not any(m.method for m in msgs), "no request to the unverified caller")

    # 2. the INVITE comes from the server's address
    att.seen.clear()
    victim_rtp.seen.clear()
    ph2 = S.phone(t, p, S.via_server(p), "phone-server", "phone --server is waiting for calls")
    c = S.Caller(srv, p.phone, "n2@srv")
    r = c.invite(S.sdp(p.victim_rtp))
    t.check(r is not None and r.code == 200, "the INVITE is answered 200")
    byes = []

    def answer_bye(ep, data):
        if ep is srv and data.startswith(b"BYE "):
            m = S.Msg(data)
            byes.append(m)
            srv.send(S.response(m, 200, "OK"), p.phone)

    rc = until_exit(ph2, [victim_rtp, srv], 30, answer_bye)
    t.check(len(victim_rtp.seen) == 0, "--server: no RTP at the victim (got %d)" %
            len(victim_rtp.seen))
    t.check(len(byes) >= 1 and byes[0].h("call-id") == c.callid,
            "--server: the call ended with a BYE to the server")
    t.check(rc == 1 and ph2.has("^sipladder-phone: call failed: no ACK"),
            "--server: exit 1, no ACK (rc %s)" % rc)
    return t.done(ph, ph2)


if __name__ == "__main__":
    sys.exit(main())
