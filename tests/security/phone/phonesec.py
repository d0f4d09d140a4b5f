"""phonesec.py: what the phone's security tests (tests/security/phone/*.py)
share. Each test runs the real sipladder-phone on 127.0.21.101 and plays
every other party itself over UDP on its own loopback addresses:

    server   127.0.21.50   the phone's --server (or a direct caller)
    attacker 127.0.21.66   a third party
    victim   127.0.21.77   where a forged SDP points RTP

Each test has its own port block (PORT .. PORT+16, see Plan; moved by
100 while one of its ports is taken), so the tests run in parallel with
each other and with every other suite. Nothing
sleeps a fixed time: each wait polls until a condition or a deadline, and
every loop has a count bound. Standard library only. The SIP messages,
endpoints, checks and the phone process are those of ../sipsec.py; what
is here is the phone's address plan and a scripted caller.

Command line of every test (CMakeLists.txt passes it):
    TEST.py PHONE_BIN WORK_DIR [PORT]
"""
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import sipsec  # noqa: E402

MAX_LOOP, Msg, response = sipsec.MAX_LOOP, sipsec.Msg, sipsec.response  # the tests' S.*
NET = "127.0.21"
T1 = 0.05                  # the phones run with --t1 50
WINDOW = 20 * T1           # Timer G would have resent a final 4 times by then


# ----- command line, checks -----

BLOCK = [(".101", 0), (".50", 2), (".66", 4), (".77", 6), (".66", 8), (".101", 10),
         (".50", 12), (".66", 14), (".77", 16)]


def free_block(base, stride=100, tries=10):
    """The first port block base + k*stride whose every address of the plan
    is free right now: the same test run from another build directory at
    the same time must not make this one fail."""
    for k in range(tries):
        b = base + k * stride
        socks = []
        try:
            for host, off in BLOCK:
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                socks.append(s)
                s.bind((NET + host, b + off))
            return b
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    return base


class Plan:
    """Addresses and ports of one test."""

    def __init__(self, name, port):
        argv = sys.argv[1:]
        if len(argv) not in (2, 3):
            print("usage: %s.py PHONE_BIN WORK_DIR [PORT]" % name, file=sys.stderr)
            sys.exit(2)
        self.name = name
        self.phone_bin, self.work = argv[:2]
        base = free_block(int(argv[2]) if len(argv) > 2 else port)
        os.makedirs(self.work, exist_ok=True)
        self.phone = (NET + ".101", base)
        self.phone_rtp = base + 10
        self.server = (NET + ".50", base + 2)
        self.server_rtp = (NET + ".50", base + 12)
        self.attacker = (NET + ".66", base + 4)
        self.attacker_rtp = (NET + ".66", base + 14)
        self.attacker2 = (NET + ".66", base + 8)      # a second socket of its
        self.victim = (NET + ".77", base + 6)
        self.victim_rtp = (NET + ".77", base + 16)


class Checks(sipsec.Checks):
    """check() records failures; done() kills the phones, checks their logs
    for sanitizer reports and prints the failures with each phone's log."""

    def __init__(self, name):
        sipsec.Checks.__init__(self, "security.phone_" + name)

    def done(self, *phones):
        for p in phones:
            p.kill()
            # ASan/UBSan reports would otherwise pass for a failed call
            self.check("Sanitizer" not in p.log() and "runtime error:" not in p.log(),
                       "%s: no sanitizer report" % p.name)
        return self.report(phones, 60)


# ----- the phone -----

class Phone(sipsec.Phone):
    """sipladder-phone answer on the plan's phone address; stderr in
    WORK/NAME.log."""

    def __init__(self, plan, name, extra):
        sipsec.Phone.__init__(self, plan, name, [
            "answer", "--bind", "%s:%d" % plan.phone, "--rtp-port", str(plan.phone_rtp),
            "--t1", "50", "--ring-delay", "0", "--timeout", "40",
            "--log-level", "debug"] + list(extra))

    def ready(self, timeout=10.0):
        return self.wait_line("^sipladder-phone: info: waiting for calls on ", timeout)


def start(name, port, *roles):
    """A test's Plan, its Checks and an Endpoint (named after its role) at
    each of the plan's addresses roles ("server", "attacker_rtp", ...)."""
    p = Plan(name, port)
    return p, Checks(name), [Endpoint(getattr(p, r), r) for r in roles]


def phone(t, p, extra, name="phone", what="phone is waiting for calls"):
    """A Phone with options extra, checked to be waiting for calls."""
    ph = Phone(p, name, extra)
    t.check(ph.ready(), what)
    return ph


def via_server(p, *extra):
    """The phone's options for taking calls from the plan's server only."""
    return ["--server", "%s:%d" % p.server] + list(extra)


# ----- SIP text -----

def default_branch(method, cseq, callid):
    return "z9hG4bK%s%d%s" % (method.lower(), cseq, callid.split("@")[0][-8:])


def request(method, ruri, src, callid, ftag, cseq, to_tag=None, branch=None, body="",
            version="SIP/2.0", cseq_method=None, contact=None):
    """A request from src (ip, port) with Via there, and Contact too unless
    contact (ip, port) says otherwise; To is the Request-URI."""
    return sipsec.request(method, ruri, src[0], src[1], "sip:caller@%s" % src[0], ftag, ruri,
                          callid, cseq, to_tag=to_tag,
                          branch=branch or default_branch(method, cseq, callid),
                          contact="<sip:caller@%s:%d>" % (contact or src), body=body,
                          version=version, cseq_method=cseq_method)


def sdp(addr, media="audio"):
    """An offer of PCMU and PCMA at addr (ip, port)."""
    return sipsec.sdp(addr[0], addr[1], media)


def is_rtp(data):
    return len(data) >= 12 and data[0] >> 6 == 2


def ssrc(data):
    return int.from_bytes(data[8:12], "big")


# ----- UDP endpoints -----

class Endpoint(sipsec.Endpoint):
    """sipsec.Endpoint at addr (ip, port): every datagram received is kept
    in self.seen (Packets)."""

    def __init__(self, addr, name):
        sipsec.Endpoint.__init__(self, addr[0], addr[1], name)

    def wait_count(self, n, timeout):
        """Receive until n datagrams have been seen in all; False at the
        deadline."""
        end = time.monotonic() + timeout
        for _ in range(MAX_LOOP):
            if len(self.seen) >= n:
                return True
            left = end - time.monotonic()
            if left <= 0:
                return False
            self.recv(left)
        return len(self.seen) >= n


def answer_once(ep, text, to, window=WINDOW):
    """Send text and collect the responses within window: the phone must
    answer an unverified source with exactly one datagram, so a window of a
    few T1 is where Timer G or a 100 before the final would show."""
    ep.send(text, to)
    return [p.msg for p in ep.collect(window) if p.msg is not None and p.msg.is_resp]


def answered(t, ep, text, to, codes, what, window=WINDOW):
    """answer_once, checked to be exactly the responses codes (a list);
    returns them."""
    got = answer_once(ep, text, to, window)
    t.check([m.code for m in got] == codes, "%s (got %s)" % (what, [m.code for m in got]))
    return got


class Caller:
    """A scripted caller at ep: INVITE, the final response, ACK, BYE."""

    def __init__(self, ep, phone_addr, callid, ftag="c1"):
        self.ep, self.to, self.callid, self.ftag = ep, phone_addr, callid, ftag
        self.ruri = "sip:u@%s:%d" % phone_addr
        self.cseq = 1
        self.tag = None

    def invite(self, body, timeout=5.0):
        """INVITE; the final response (None at the deadline)."""
        self.ep.send(request("INVITE", self.ruri, self.ep.addr, self.callid, self.ftag,
                             self.cseq, body=body), self.to)
        r = self.ep.expect(lambda m: m.is_resp and m.code >= 200 and
                           m.h("call-id") == self.callid, timeout)
        if r is not None:
            self.tag = r.to_tag()
        return r

    def ack(self, src=None):
        """ACK for the 2xx, from src (another Endpoint) if given."""
        ep = src or self.ep
        ep.send(request("ACK", self.ruri, ep.addr, self.callid, self.ftag, self.cseq,
                        to_tag=self.tag, branch="z9hG4bKack%d%s" % (self.cseq, ep.name)),
                self.to)

    def in_dialog(self, method, body="", src=None, cseq=None):
        """An in-dialog request (right Call-ID and tags) sent from src."""
        ep = src or self.ep
        if cseq is None:
            self.cseq += 1
            cseq = self.cseq
        return request(method, self.ruri, ep.addr, self.callid, self.ftag, cseq,
                       to_tag=self.tag, body=body,
                       branch="z9hG4bK%s%d%s" % (method.lower(), cseq, ep.name))

    def bye(self, timeout=5.0):
        self.ep.send(self.in_dialog("BYE"), self.to)
        return self.ep.expect(lambda m: m.is_resp and m.code >= 200 and
                              m.cseq_method() == "BYE", timeout)


def good_call(t, c, body, label, rtp=None):
    """c's INVITE with body answered 200, the ACK, RTP at the Endpoint rtp
    (if given), c's BYE answered 200."""
    r = c.invite(body)
    t.check(r is not None and r.code == 200, "%s: INVITE 200 (got %s)" % (
        label, r.code if r else None))
    c.ack()
    if rtp is not None:
        t.check(rtp.wait_count(10, 5.0), "%s: RTP reaches %s after the ACK" % (label, rtp.name))
    r = c.bye()
    t.check(r is not None and r.code == 200, "%s: BYE 200 (got %s)" % (
        label, r.code if r else None))
