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
every loop has a count bound. Standard library only.

Command line of every test (CMakeLists.txt passes it):
    TEST.py PHONE_BIN WORK_DIR [PORT]
"""
import os
import re
import select
import socket
import subprocess
import sys
import time

NET = "127.0.21"
MAX_LOOP = 100000          # upper bound of every receive loop
T1 = 0.05                  # the phones run with --t1 50


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


class Checks:
    """check() records failures; done() prints them and the phone's log."""

    def __init__(self, name):
        self.name = name
        self.failures = []
        self.passed = 0

    def check(self, cond, what):
        if cond:
            self.passed += 1
            print("ok:", what)
        else:
            self.failures.append(what)
            print("FAIL:", what, file=sys.stderr)
        sys.stdout.flush()
        return bool(cond)

    def done(self, *phones):
        for p in phones:
            p.kill()
            # ASan/UBSan reports would otherwise pass for a failed call
            self.check("Sanitizer" not in p.log() and "runtime error:" not in p.log(),
                       "%s: no sanitizer report" % p.name)
        if self.failures:
            for p in phones:
                tail = p.log().splitlines()[-60:]
                print("--- %s (last %d lines) ---" % (p.log_path, len(tail)),
                      file=sys.stderr)
                print("\n".join(tail), file=sys.stderr)
            print("security.phone_%s: %d check(s) failed, %d passed" % (
                self.name, len(self.failures), self.passed), file=sys.stderr)
            return 1
        print("security.phone_%s: all %d checks passed" % (self.name, self.passed))
        return 0


def wait_until(cond, timeout, step=0.02):
    """Poll cond() until true or timeout; returns its last value."""
    end = time.monotonic() + timeout
    for _ in range(int(timeout / step) + 2):
        v = cond()
        if v or time.monotonic() >= end:
            return v
        time.sleep(step)
    return cond()


# ----- the phone -----

class Phone:
    """sipladder-phone answer on the plan's phone address; stderr in
    WORK/NAME.log."""

    def __init__(self, plan, name, extra):
        self.name = name
        self.log_path = os.path.join(plan.work, name + ".log")
        self.cmd = [plan.phone_bin, "answer", "--bind", "%s:%d" % plan.phone,
                    "--rtp-port", str(plan.phone_rtp), "--t1", "50", "--ring-delay", "0",
                    "--timeout", "40", "--log-level", "debug"] + list(extra)
        self.logf = open(self.log_path, "w")
        self.proc = subprocess.Popen(self.cmd, stderr=self.logf, stdout=subprocess.DEVNULL)
        self.rc = None

    def log(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def has(self, pattern):
        return re.search(pattern, self.log(), re.M) is not None

    def ready(self, timeout=10.0):
        return wait_until(lambda: self.has("^waiting for calls on ") or
                          self.proc.poll() is not None, timeout) and \
            self.has("^waiting for calls on ")

    def running(self):
        return self.proc.poll() is None

    def wait(self, timeout):
        """Exit code, or None after killing it at the deadline."""
        try:
            self.rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None
        return self.rc

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if not self.logf.closed:
            self.logf.close()


# ----- SIP text -----

class Msg:
    """A received SIP message: start line, headers (first of each), body."""

    def __init__(self, data):
        text = data.decode("latin-1")
        head, _, self.body = text.partition("\r\n\r\n")
        lines = head.split("\r\n")
        self.start = lines[0]
        self.headers = {}
        for ln in lines[1:]:
            k, _, v = ln.partition(":")
            self.headers.setdefault(k.strip().lower(), v.strip())
        self.is_resp = self.start.startswith("SIP/")
        self.code = int(self.start.split()[1]) if self.is_resp else 0
        self.method = None if self.is_resp else self.start.split()[0]

    def h(self, name):
        return self.headers.get(name.lower(), "")

    def cseq_method(self):
        parts = self.h("cseq").split()
        return parts[1] if len(parts) > 1 else ""

    def to_tag(self):
        m = re.search(r";\s*tag=([^;>\s]+)", self.h("to"))
        return m.group(1) if m else ""


def default_branch(method, cseq, callid):
    return "z9hG4bK%s%d%s" % (method.lower(), cseq, callid.split("@")[0][-8:])


def request(method, ruri, src, callid, ftag, cseq, to_tag=None, branch=None, body="",
            version="SIP/2.0", cseq_method=None, contact=None):
    """A request from src (ip, port) with Via there, and Contact too unless
    contact (ip, port) says otherwise."""
    branch = branch or default_branch(method, cseq, callid)
    contact = contact or src
    lines = ["%s %s %s" % (method, ruri, version),
             "Via: SIP/2.0/UDP %s:%d;branch=%s;rport" % (src[0], src[1], branch),
             "From: <sip:caller@%s>;tag=%s" % (src[0], ftag),
             "To: <%s>%s" % (ruri, ";tag=" + to_tag if to_tag else ""),
             "Call-ID: %s" % callid,
             "CSeq: %d %s" % (cseq, cseq_method or method),
             "Max-Forwards: 70",
             "Contact: <sip:caller@%s:%d>" % contact]
    if body:
        lines.append("Content-Type: application/sdp")
    lines.append("Content-Length: %d" % len(body.encode()))
    return "\r\n".join(lines) + "\r\n\r\n" + body


def response(m, code, reason):
    """A response to the received request m (one Via), no body."""
    return ("SIP/2.0 %d %s\r\nVia: %s\r\nFrom: %s\r\nTo: %s\r\nCall-ID: %s\r\n"
            "CSeq: %s\r\nContent-Length: 0\r\n\r\n" % (
                code, reason, m.h("via"), m.h("from"), m.h("to"), m.h("call-id"),
                m.h("cseq")))


def sdp(addr, media="audio"):
    """An offer of PCMU and PCMA at addr (ip, port)."""
    return ("v=0\r\no=t 7 7 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
            "m=%s %d RTP/AVP 0 8\r\n" % (addr[0], addr[0], media, addr[1]))


def is_rtp(data):
    return len(data) >= 12 and data[0] >> 6 == 2


def ssrc(data):
    return int.from_bytes(data[8:12], "big")


# ----- UDP endpoints -----

class Endpoint:
    """A bound UDP socket; every datagram received is kept in self.seen as
    (data, source)."""

    def __init__(self, addr, name):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        self.sock.bind(addr)
        self.addr = addr
        self.name = name
        self.seen = []

    def send(self, text, to):
        self.sock.sendto(text.encode() if isinstance(text, str) else text, to)

    def recv(self, timeout):
        r, _, _ = select.select([self.sock], [], [], max(0.0, timeout))
        if not r:
            return None
        try:
            data, src = self.sock.recvfrom(65535)
        except ConnectionRefusedError:   # ICMP for an earlier datagram
            return None
        self.seen.append((data, src))
        return data, src

    def expect(self, pred, timeout):
        """The next SIP message matching pred; None at the deadline."""
        end = time.monotonic() + timeout
        for _ in range(MAX_LOOP):
            left = end - time.monotonic()
            if left <= 0:
                return None
            got = self.recv(left)
            if got is None:
                continue
            if got[0][:4] == b"SIP/" or re.match(rb"^[A-Z]+ ", got[0]):
                m = Msg(got[0])
                if pred(m):
                    return m
        return None

    def collect(self, window, limit=MAX_LOOP):
        """SIP messages arriving within window seconds."""
        out = []
        end = time.monotonic() + window
        for _ in range(limit):
            got = self.recv(end - time.monotonic())
            if got is None:
                if time.monotonic() >= end:
                    break
                continue
            out.append(Msg(got[0]))
        return out

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

    def collect_raw(self, window):
        """Datagrams arriving within window seconds."""
        out = []
        end = time.monotonic() + window
        for _ in range(MAX_LOOP):
            got = self.recv(end - time.monotonic())
            if got is None:
                if time.monotonic() >= end:
                    break
                continue
            out.append(got[0])
        return out

    def close(self):
        self.sock.close()


def answer_once(ep, text, to, window):
    """Send text and collect the responses within window: the phone must
    answer an unverified source with exactly one datagram, so a window of a
    few T1 is where Timer G or a 100 before the final would show."""
    ep.send(text, to)
    return [m for m in ep.collect(window) if m.is_resp]


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
