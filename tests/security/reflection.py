#!/usr/bin/env python3
"""reflection.py (finding 5): no amplification toward a spoofed source.

From three sockets of the attacker (.66), at once: a minimal
unauthenticated INVITE (compact headers, ~186 bytes), a realistic one with
SDP, and a REGISTER without credentials. Each must draw exactly two
datagrams, 100 Trying and one 401, and nothing later: every datagram
arriving within 4*T1 + 0.6 s after the 401 is counted, which covers the
401's retransmissions at T1 and 3*T1 a stateful INVITE transaction would
send without an ACK. The bytes that come back are at most 4x the
request's bytes.
usage: reflection.py SERVER_BIN PHONE_BIN CONF_DIR WORK_DIR [NET SIP_PORT RTP]
"""
import sys
import time

import sipsec as S


def minimal_invite(att, srv):
    """The smallest INVITE the server challenges: compact header names."""
    return ("INVITE sip:2@%s SIP/2.0\r\nv: SIP/2.0/UDP %s:%d;branch=z9hG4bK%d\r\n"
            "f: <sip:1@x>;tag=1\r\nt: <sip:2@x>\r\ni: %d\r\nCSeq: 1 INVITE\r\n"
            "m: <sip:1@%s:%d>\r\nl: 0\r\n\r\n") % (
                srv.ip, att.ip, att.port, att.port, att.port, att.ip, att.port)


def realistic_invite(att, srv):
    uri = "sip:2@%s" % srv.ip
    return S.request("INVITE", uri, att.ip, att.port, "sip:u1@%s" % srv.ip, S.new_tag(), uri,
                     S.new_callid(att.ip), 1, contact="<sip:u1@%s:%d>" % att.addr,
                     extra=["User-Agent: sipladder-security-test",
                            "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS"],
                     body=S.sdp(att.ip, 40000))


def register(att, srv):
    ruri = "sip:" + srv.ip
    aor = "sip:u1@%s" % srv.ip
    return S.request("REGISTER", ruri, att.ip, att.port, aor, S.new_tag(), aor,
                     S.new_callid(att.ip), 1, contact="<sip:u1@%s:%d>" % att.addr,
                     extra=["Expires: 600"])


def main():
    a, t, srv = S.start("reflection", net="127.0.35", sip_port=27050, rtp="27600-27699")
    cases = []
    for i, (label, build) in enumerate((("minimal INVITE", minimal_invite),
                                        ("INVITE with SDP", realistic_invite),
                                        ("REGISTER", register))):
        ep = S.Endpoint(a.attacker_ip, a.sip_port + 1 + i, label)
        cases.append((label, ep, build(ep, srv)))
    for label, ep, text in cases:
        ep.send(text, srv.addr)

    # each socket: first everything until the 401 arrives (bounded), then a
    # window past the retransmissions a stateful transaction would make
    deadline = time.monotonic() + 3.0
    t401 = {}
    for _ in range(1000):
        if len(t401) == len(cases) or time.monotonic() >= deadline:
            break
        for e, p in S.quiet([c[1] for c in cases], min(0.1, deadline - time.monotonic())):
            if p.msg is not None and p.msg.code == 401 and e.name not in t401:
                t401[e.name] = p.t
    last = max(t401.values()) if t401 else time.monotonic()
    S.quiet([c[1] for c in cases], max(0.0, last + 4 * S.T1 + 0.6 - time.monotonic()))

    for label, ep, text in cases:
        got = ep.seen
        starts = [p.data.split(b"\r\n", 1)[0].decode("latin-1") for p in got]
        back = sum(len(p.data) for p in got)
        print("%s: %d bytes in, %d datagrams / %d bytes back (%.2fx): %s" % (
            label, len(text), len(got), back, back / len(text), starts))
        t.check(len(starts) == 2 and starts[0].startswith("SIP/2.0 100") and
                starts[1].startswith("SIP/2.0 401"),
                "%s without credentials draws exactly 100 + 401 (got %s)" % (label, starts))
        t.check(back <= 4 * len(text), "%s: %d bytes back <= 4 x %d bytes in" % (
            label, back, len(text)))

    compact_requests(a, t, srv)
    return t.done(srv)


def compact_cases():
    """(label, request text) of the smallest requests, Call-ID left as %s."""
    head = "v:SIP/2.0/UDP a\r\nf:<sip:1@x>;tag=1\r\nt:<sip:2@x>%s\r\ni:%%s\r\nCSeq:%s %s\r\n"

    def req(method, ruri="sip:x", version="SIP/2.0", to_tag="", cseq="1", more=""):
        return ("%s %s %s\r\n" % (method, ruri, version) +
                head % (to_tag, cseq, method) + more + "\r\n")
    return [
        ("REGISTER", "REGISTER sip:x SIP/2.0\r\nv:SIP/2.0/UDP a\r\nf:<sip:u1@x>;tag=1\r\n"
                     "t:<sip:u1@x>\r\ni:%s\r\nCSeq:1 REGISTER\r\n\r\n"),
        ("OPTIONS", req("OPTIONS")),
        ("unknown method", req("FOO")),
        ("CANCEL", req("CANCEL")),
        ("BYE", req("BYE", to_tag=";tag=2")),
        ("INVITE without Contact", req("INVITE", "sip:2@x")),
        ("SIP/3.0", req("FOO", version="SIP/3.0")),
        ("malformed CSeq", req("FOO", cseq="x")),
        ("long Require", req("FOO", more="Require:" + ",".join(["a"] * 200) + "\r\n")),
        ("61 Vias", req("FOO").replace("v:SIP/2.0/UDP a", "v:SIP/2.0/UDP a" +
                                       ",SIP/2.0/UDP b" * 60)),
    ]


def compact_requests(a, t, srv):
    probe = S.party(a, "probe")
    cases = []
    for i, (label, text) in enumerate(compact_cases()):
        ep = S.Endpoint(a.attacker_ip, a.sip_port + 10 + i, label)
        cases.append((label, ep, text % ("c%d" % ep.port)))
    for label, ep, text in cases:
        ep.send(text, srv.addr)
    t.check(S.sync(srv, probe), "barrier after the compact requests")
    S.quiet([c[1] for c in cases], 4 * S.T1 + 0.6)
    for label, ep, text in cases:
        got = ep.seen
        starts = [p.data.split(b"\r\n", 1)[0].decode("latin-1") for p in got]
        back = sum(len(p.data) for p in got)
        print("compact %s: %d bytes in, %d datagrams / %d bytes back (%.2fx): %s" % (
            label, len(text), len(got), back, back / len(text), starts))
        t.check(len(got) <= 2, "compact %s (%d bytes) draws at most 2 datagrams (got %s)" % (
            label, len(text), starts))
        t.check(back <= 4 * len(text), "compact %s: %d bytes back <= 4 x %d bytes in" % (
            label, back, len(text)))


if __name__ == "__main__":
    sys.exit(main())
