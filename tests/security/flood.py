#!/usr/bin/env python3
"""flood.py (finding 5): a flooding IP is locked out, legitimate phones are not.

The server runs with the default --rate-limit (30 unverified requests per
2 s, then blocked --rate-block 60 s). The attacker (.66) floods
unauthenticated INVITEs at FLOOD_RATE/s and a second source (.67) floods
stray 200 OKs (foreign datagrams), both until the legitimate call is over
(at least MIN_FLOOD_S, at most MAX_FLOOD_S). Meanwhile sipladder-phone u2
(.101, registered before) answers and sipladder-phone u1 (.183) registers
and calls 2 during the flood: both must exit 0. Checks: the attacker gets
at most 2 x (limit + slack) datagrams in all and none after the first
2 s; after the flood neither source gets an answer to an OPTIONS (still
blocked) while the probe (.90) does; the server log holds a handful of
lines about each flooding source, not one per datagram, and at least one
saying it was blocked.
usage: flood.py SERVER_BIN PHONE_BIN CONF_DIR WORK_DIR [NET SIP_PORT RTP]
"""
import re
import select
import sys
import threading
import time

import sipsec as S

FLOOD_RATE = 500       # datagrams per second per source
MIN_FLOOD_S = 4.0
MAX_FLOOD_S = 30.0
LIMIT = 30             # the default --rate-limit 30/2
SLACK = 5


class Flood(threading.Thread):
    """Paced sender of make(i) to srv from ep; records what comes back."""

    def __init__(self, ep, srv, make):
        threading.Thread.__init__(self, daemon=True)
        self.ep, self.srv, self.make = ep, srv, make
        self.stop = threading.Event()
        self.sent = 0
        self.back = []          # (seconds since start, bytes)
        self.t0 = None
        self.end = None

    def run(self):
        self.t0 = time.monotonic()
        limit = int(MAX_FLOOD_S * FLOOD_RATE)
        while not self.stop.is_set() and self.sent < limit:
            now = time.monotonic()
            if now - self.t0 > MAX_FLOOD_S:
                break
            due = self.t0 + self.sent / FLOOD_RATE
            if now < due:
                r, _, _ = select.select([self.ep.sock], [], [], due - now)
                if r:
                    data = self.ep.sock.recv(65535)
                    self.back.append((time.monotonic() - self.t0, len(data)))
                continue
            self.ep.sock.sendto(self.make(self.sent), self.srv.addr)
            self.sent += 1
        self.end = time.monotonic()

    def take_rest(self):
        """What came back after the flood stopped (call after a barrier)."""
        for p in self.ep.drain():
            self.back.append((p.t - self.t0, len(p.data)))

    def rate(self):
        return self.sent / max(1e-6, (self.end or time.monotonic()) - self.t0)


def main():
    a, t, srv = S.start("flood", net="127.0.36", sip_port=27060, rtp="27700-27799")
    att, probe = S.party(a, "attacker"), S.party(a, "probe")
    att2 = S.Endpoint(a.net + ".67", a.sip_port + 1, "attacker2")
    sv = "%s:%d" % srv.addr

    def invite(i):
        return ("INVITE sip:2@%s SIP/2.0\r\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bKf%d\r\n"
                "From: <sip:u1@%s>;tag=f%d\r\nTo: <sip:2@%s>\r\nCall-ID: flood%d@%s\r\n"
                "CSeq: 1 INVITE\r\nContact: <sip:u1@%s:%d>\r\nMax-Forwards: 70\r\n"
                "Content-Length: 0\r\n\r\n" % (srv.ip, att.ip, att.port, i, srv.ip, i, srv.ip,
                                              i, att.ip, att.ip, att.port)).encode()

    def stray(i):
        return ("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP %s;branch=z9hG4bKs%d\r\n"
                "From: <sip:u1@%s>;tag=%d\r\nTo: <sip:u2@%s>;tag=s%d\r\n"
                "Call-ID: %d@%s\r\nCSeq: 1 INVITE\r\nContact: <sip:u2@%s:%d>\r\n"
                "Content-Length: 0\r\n\r\n" % (sv, i, srv.ip, i, srv.ip, i, 10**12 + i, srv.ip,
                                              att2.ip, att2.port)).encode()

    t.check(S.sync(srv, att2), "before the flood the second source is answered")
    att2.seen.clear()
    common = ["--server", sv, "--timeout", "25", "--log-level", "info"]
    callee = S.Phone(a, "callee", ["answer", "--bind", "%s:%d" % (a.callee_ip, a.sip_port + 1),
                                   "--user", "u2", "--password", "u2pass", "--register",
                                   "--calls", "1", "--ring-delay", "0.2",
                                   "--rtp-port", str(a.sip_port + 200)] + common)
    if not t.check(callee.wait_line(r"^sipladder-phone: info: waiting for calls on", 10),
                   "the callee phone registers before the flood"):
        callee.kill()
        return t.done(srv)

    floods = [Flood(att, srv, invite), Flood(att2, srv, stray)]
    for f in floods:
        f.start()
    S.wait_until(lambda: floods[0].sent >= 4 * LIMIT, 5)
    caller = S.Phone(a, "caller", ["call", "2", "--bind", "%s:%d" % (a.caller_ip,
                                                                      a.sip_port + 1),
                                   "--user", "u1", "--password", "u1pass", "--register",
                                   "--duration", "1", "--rtp-port", str(a.sip_port + 100)]
                     + common)
    rc_caller = caller.wait(30)
    rc_callee = callee.wait(10)
    # the flood outlasts the server's rate window (2 s, the default under
    # test) by its count: paced at FLOOD_RATE, MIN_FLOOD_S worth of
    # datagrams take at least MIN_FLOOD_S
    S.wait_until(lambda: all(f.sent >= FLOOD_RATE * MIN_FLOOD_S for f in floods),
                 MAX_FLOOD_S)
    for f in floods:
        f.stop.set()
    for f in floods:
        f.join(10)
    # the server reads its socket in order: once it answers the probe, it
    # has answered (or not) every datagram of the flood
    t.check(S.sync(srv, probe), "barrier after the flood")
    for f in floods:
        f.take_rest()
    t.check(rc_caller == 0, "the legitimate caller registers and completes its call during "
            "the flood (exit %s): %s" % (rc_caller, caller.log().strip().splitlines()[-1:]))
    t.check(rc_callee == 0, "the legitimate callee answers during the flood (exit %s)" %
            rc_callee)

    for f in floods:
        n = len(f.back)
        late = [x for x in f.back if x[0] > 2.0]
        print("%s: sent %d in %.1f s (%.0f/s), %d datagrams / %d bytes back, %d after 2 s" % (
            f.ep.name, f.sent, f.end - f.t0, f.rate(), n, sum(b for _, b in f.back),
            len(late)))
        t.check(f.sent >= FLOOD_RATE * MIN_FLOOD_S, "%s flooded %d datagrams" % (
            f.ep.name, f.sent))
        t.check(n <= 2 * (LIMIT + SLACK), "%s: at most %d datagrams back in all (got %d of "
                "%d sent)" % (f.ep.name, 2 * (LIMIT + SLACK), n, f.sent))
        t.check(late == [], "%s: blocked: nothing back after the first 2 s (got %d)" % (
            f.ep.name, len(late)))
    t.check(len(floods[0].back) > 0, "the attacker's first INVITEs were answered (limit, "
            "not a dead server)")

    # still blocked after the flood; the probe is not
    for ep in (att, att2):
        other = S.Endpoint(ep.ip, ep.port + 1, ep.name + "-probe")
        callid = S.new_callid(other.ip)
        other.send(S.request("OPTIONS", "sip:" + sv, other.ip, other.port,
                             "sip:x@%s" % other.ip, "o", "sip:" + sv, callid, 1), srv.addr)
        got = other.collect(2 * S.T1)
        t.check(got == [], "%s: an OPTIONS after the flood gets no answer (still blocked; "
                "got %d datagrams)" % (ep.name, len(got)))
        other.close()
    t.check(S.sync(srv, probe), "the server still answers another IP")

    log = srv.log()
    for f in floods:
        ip = f.ep.ip + ":"
        lines = [ln for ln in log.splitlines() if ip in ln]
        blocked = [ln for ln in lines if re.search(r"block|rate", ln, re.I)]
        most = LIMIT + SLACK + int(f.end - f.t0) + 1
        print("%s: %d log lines, %d about the block" % (f.ep.name, len(lines), len(blocked)))
        t.check(len(lines) <= most, "%s: at most %d log lines for %d datagrams (got %d)" % (
            f.ep.name, most, f.sent, len(lines)))
        t.check(1 <= len(blocked) <= int(f.end - f.t0) + 2,
                "%s: the block is logged, once per interval (%d lines: %s)" % (
                    f.ep.name, len(blocked), blocked[:3]))
    return t.done(srv)


if __name__ == "__main__":
    sys.exit(main())
