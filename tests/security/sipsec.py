"""sipsec.py: what the security tests (tests/security/*.py) share.

Each test runs the real sipladder-server on its own loopback /24 and plays
every party itself over UDP: the caller (.183), the callee (.101), the
attacker (.66), a probe (.90) used as a barrier. Nothing here sleeps a
fixed time: every wait has a deadline and every loop a count bound.

    a, t, srv = sipsec.start("ids", net="127.0.30", sip_port=27000,
                             rtp="27100-27199", extra=["--rate-limit", "0"])
    u1, u2 = sipsec.users(a, srv)
    probe = sipsec.party(a, "probe")
    ...
    return t.done(srv)

The phone's tests (phone/phonesec.py) build on the messages, digest,
endpoints and checks here.

Command line of every test (CMakeLists.txt passes it):
    TEST.py SERVER_BIN PHONE_BIN CONF_DIR WORK_DIR [NET SIP_PORT RTP_LO-RTP_HI]
Standard library only.
"""
import hashlib
import os
import re
import secrets
import select
import signal
import socket
import subprocess
import sys
import time

T1 = 0.5
MAX_LOOP = 100000          # upper bound of every receive loop


# ----- command line, checks -----

class Args:
    pass


def args(name, net, sip_port, rtp):
    """The test's command line, with its address plan as defaults."""
    argv = sys.argv[1:]
    if len(argv) not in (4, 5, 6, 7) or argv[0] in ("-h", "--help"):
        print("usage: %s.py SERVER_BIN PHONE_BIN CONF_DIR WORK_DIR "
              "[NET SIP_PORT RTP_LO-RTP_HI]" % name, file=sys.stderr)
        sys.exit(2)
    a = Args()
    a.name = name
    a.server_bin, a.phone_bin, a.conf, a.work = argv[:4]
    a.net = argv[4] if len(argv) > 4 else net
    a.sip_port = int(argv[5]) if len(argv) > 5 else sip_port
    a.rtp = argv[6] if len(argv) > 6 else rtp
    a.srv_ip = a.net + ".50"
    a.caller_ip = a.net + ".183"
    a.callee_ip = a.net + ".101"
    a.attacker_ip = a.net + ".66"
    a.probe_ip = a.net + ".90"
    os.makedirs(a.work, exist_ok=True)
    return a


class Checks:
    """check() records failures; done() prints them and the server logs."""

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

    def done(self, *servers):
        servers = [s for s in servers if s is not None]
        for s in servers:
            s.stop(self)
        return self.report(servers)

    def report(self, procs, lines=80):
        """The exit status: 1 after printing the end of each of procs' logs
        (objects with name and log()) and the failures, 0 when none."""
        if self.failures:
            for s in procs:
                tail = s.log().splitlines()[-lines:]
                print("--- %s log (last %d lines) ---" % (s.name, len(tail)),
                      file=sys.stderr)
                print("\n".join(tail), file=sys.stderr)
            print("%s: %d check(s) failed, %d passed:" % (
                self.name, len(self.failures), self.passed), file=sys.stderr)
            for f in self.failures:
                print("  - " + f, file=sys.stderr)
            return 1
        print("%s: all %d checks passed" % (self.name, self.passed))
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


def start(test, net, sip_port, rtp, **server_kw):
    """The command line of the test named test, its Checks and its started
    Server (keyword arguments go to Server): a, t, srv."""
    a = args(test, net, sip_port, rtp)
    t = Checks(test)
    return a, t, Server(a, t, **server_kw).start()


# ----- the server -----

class Server:
    """sipladder-server on IP:PORT with the sample conf; stderr to a file."""

    def __init__(self, a, t, ip=None, port=None, rtp=None, extra=(), name="server",
                 log_level="info", seed=None):
        self.a, self.t = a, t
        self.ip = ip or a.srv_ip
        self.port = port or a.sip_port
        self.addr = (self.ip, self.port)
        self.rtp = rtp or a.rtp
        self.name = name
        self.log_path = os.path.join(a.work, name + ".log")
        self.cmd = [a.server_bin, "-c", a.conf, "--listen", "%s:%d" % self.addr,
                    "--rtp-ports", self.rtp, "--log-level", log_level,
                    "--no-answer", "30"]
        if seed is not None:
            self.cmd += ["--seed", str(seed)]
        self.cmd += list(extra)
        self.proc = None
        self.started_at = None

    def spawn(self):
        self.logf = open(self.log_path, "w")
        self.started_at = time.time()
        self.proc = subprocess.Popen(self.cmd, stderr=self.logf, stdout=subprocess.DEVNULL)
        return self

    def wait_ready(self, timeout=10):
        ok = wait_until(lambda: "sipladder-server: ready on " in self.log() or
                        self.proc.poll() is not None, timeout)
        return bool(ok) and "sipladder-server: ready on " in self.log()

    def start(self):
        """Spawn and wait for the ready line; a failure ends the test."""
        self.spawn()
        if not self.t.check(self.wait_ready(), "%s prints its ready line (%s)" % (
                self.name, " ".join(self.cmd[1:]))):
            self.stop(self.t)
            sys.exit(self.t.done())
        return self

    def log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def pid(self):
        return self.proc.pid

    def stop(self, t=None):
        """SIGTERM, bounded wait; exit 0 and no sanitizer report expected."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            if t:
                t.check(True, "%s still running at the end" % self.name)
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                rc = self.proc.wait()
        else:
            rc = self.proc.returncode
            if t:
                t.check(False, "%s still running at the end (exit %s)" % (self.name, rc))
        self.proc = None
        self.logf.close()
        if t:
            text = self.log()
            t.check(rc == 0, "%s: SIGTERM -> exit 0 (got %s)" % (self.name, rc))
            t.check("AddressSanitizer" not in text and "runtime error" not in text and
                    "LeakSanitizer" not in text, "%s: no sanitizer report" % self.name)
        return rc


# ----- SIP messages -----

COMPACT = {"i": "call-id", "f": "from", "t": "to", "v": "via", "m": "contact",
           "l": "content-length", "c": "content-type", "k": "supported"}


class Msg:
    def __init__(self, data):
        self.raw = data
        text = data.decode("utf-8", "replace")
        head, _, self.body = text.partition("\r\n\r\n")
        lines = head.split("\r\n")
        self.start = lines[0]
        self.headers = []
        for ln in lines[1:]:
            k, _, v = ln.partition(":")
            k = k.strip().lower()
            self.headers.append((COMPACT.get(k, k), v.strip()))
        parts = self.start.split(" ", 2)
        self.is_resp = parts[0].startswith("SIP/")
        try:
            self.code = int(parts[1]) if self.is_resp else 0
        except (IndexError, ValueError):
            self.code = -1
        self.method = None if self.is_resp else parts[0]
        self.ruri = None if self.is_resp or len(parts) < 2 else parts[1]

    def h(self, name):
        for k, v in self.headers:
            if k == name:
                return v
        return None

    def all(self, name):
        return [v for k, v in self.headers if k == name]

    def cseq_method(self):
        return (self.h("cseq") or " ").split()[-1]

    def cseq_num(self):
        try:
            return int((self.h("cseq") or "0").split()[0])
        except ValueError:
            return -1

    def callid(self):
        return self.h("call-id")

    def from_tag(self):
        return tag_of(self.h("from"))

    def to_tag(self):
        return tag_of(self.h("to"))

    def branch(self):
        m = re.search(r";\s*branch=([^;,\s]+)", self.h("via") or "")
        return m.group(1) if m else None

    def final(self):
        return self.is_resp and self.code >= 200

    def __repr__(self):
        return "<%s>" % self.start


def tag_of(v):
    m = re.search(r";\s*tag=([^;>\s,]+)", v or "")
    return m.group(1) if m else None


def uri_of(v):
    """The URI of a name-addr or addr-spec header value."""
    if v is None:
        return None
    m = re.search(r"<([^>]*)>", v)
    return m.group(1) if m else v.split(";")[0].strip()


def request(method, ruri, via_host, via_port, from_uri, ftag, to_uri, callid, cseq,
            to_tag=None, branch=None, contact=None, extra=(), body="", version="SIP/2.0",
            cseq_method=None):
    lines = [
        "%s %s %s" % (method, ruri, version),
        "Via: SIP/2.0/UDP %s:%d;branch=%s;rport" % (via_host, via_port,
                                                     branch or new_branch()),
        "From: <%s>;tag=%s" % (from_uri, ftag),
        "To: <%s>%s" % (to_uri, ";tag=" + to_tag if to_tag else ""),
        "Call-ID: %s" % callid,
        "CSeq: %d %s" % (cseq, cseq_method or method),
    ]
    if contact:
        lines.append("Contact: %s" % contact)
    lines.append("Max-Forwards: 70")
    lines += [e for e in extra if e]
    if body:
        lines.append("Content-Type: application/sdp")
    lines.append("Content-Length: %d" % len(body.encode()))
    return "\r\n".join(lines) + "\r\n\r\n" + body


def response(req, code, reason, to_tag=None, extra=(), body=""):
    """A response to req as its UAS would send it (Vias, From, To, CSeq)."""
    lines = ["SIP/2.0 %d %s" % (code, reason)]
    lines += ["Via: " + v for v in req.all("via")]
    lines.append("From: " + req.h("from"))
    to = req.h("to")
    if to_tag and "tag=" not in to:
        to += ";tag=" + to_tag
    lines.append("To: " + to)
    lines.append("Call-ID: " + req.h("call-id"))
    lines.append("CSeq: " + req.h("cseq"))
    lines += [e for e in extra if e]
    if body:
        lines.append("Content-Type: application/sdp")
    lines.append("Content-Length: %d" % len(body.encode()))
    return "\r\n".join(lines) + "\r\n\r\n" + body


def new_branch():
    return "z9hG4bK" + secrets.token_hex(8)


def new_tag():
    return secrets.token_hex(5)


def new_callid(host):
    return "%s@%s" % (secrets.token_hex(8), host)


RTPMAP = {0: "PCMU/8000", 8: "PCMA/8000"}


def sdp(ip, port, media="audio", pts=(0, 8)):
    """An offer (or answer) of the G.711 payload types pts at ip:port."""
    return ("v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
            "m=%s %d RTP/AVP %s\r\n" % (ip, ip, media, port, " ".join(map(str, pts))) +
            "".join("a=rtpmap:%d %s\r\n" % (pt, RTPMAP[pt]) for pt in pts))


def sdp_addr(body):
    c = re.search(r"c=IN IP4 (\S+)", body or "")
    m = re.search(r"m=audio (\d+)", body or "")
    return (c.group(1), int(m.group(1))) if c and m else (None, 0)


def rtp_packet(seq, ssrc=0x12345678):
    return bytes([0x80, 0x00, (seq >> 8) & 255, seq & 255]) + \
        ((seq * 160) & 0xffffffff).to_bytes(4, "big") + ssrc.to_bytes(4, "big") + b"\xff" * 160


# ----- digest (RFC 2617 / 3261 22) -----

def md5(s):
    return hashlib.md5(s.encode()).hexdigest()


def parse_challenge(v):
    """Parameters of a WWW-Authenticate value, names lower-case, unquoted."""
    out = {}
    if not v:
        return out
    v = re.sub(r"^\s*Digest\s+", "", v, flags=re.I)
    for m in re.finditer(r'([A-Za-z-]+)\s*=\s*("([^"]*)"|[^,\s]+)', v):
        out[m.group(1).lower()] = m.group(3) if m.group(3) is not None else m.group(2)
    return out


def offers_qop_auth(challenge):
    qop = parse_challenge(challenge).get("qop")
    return qop is not None and "auth" in [q.strip() for q in qop.split(",")]


def is_stale(challenge):
    return (parse_challenge(challenge).get("stale") or "").lower() == "true"


def authorization(user, password, method, uri, challenge, nc=1, cnonce=None,
                  use_qop=None, uri_param=None):
    """Authorization value answering challenge. qop=auth when offered
    (use_qop None) or when use_qop is True; uri_param overrides uri= only
    in the header (the response is computed over it, as a client would)."""
    p = parse_challenge(challenge)
    realm, nonce = p.get("realm", ""), p.get("nonce", "")
    duri = uri_param or uri
    ha1 = md5("%s:%s:%s" % (user, realm, password))
    ha2 = md5("%s:%s" % (method, duri))
    qop = offers_qop_auth(challenge) if use_qop is None else use_qop
    parts = ['Digest username="%s"' % user, 'realm="%s"' % realm, 'nonce="%s"' % nonce,
             'uri="%s"' % duri]
    if qop:
        cnonce = cnonce or secrets.token_hex(8)
        ncs = "%08x" % nc
        resp = md5("%s:%s:%s:%s:auth:%s" % (ha1, nonce, ncs, cnonce, ha2))
        parts += ['response="%s"' % resp, "algorithm=MD5", 'cnonce="%s"' % cnonce,
                  "qop=auth", "nc=%s" % ncs]
    else:
        resp = md5("%s:%s:%s" % (ha1, nonce, ha2))
        parts += ['response="%s"' % resp, "algorithm=MD5"]
    if "opaque" in p:
        parts.append('opaque="%s"' % p["opaque"])
    return ", ".join(parts)


# ----- UDP endpoints -----

class Packet:
    def __init__(self, data, addr):
        self.data, self.addr, self.t = data, addr, time.monotonic()
        self.msg = Msg(data) if data[:4] in (b"SIP/",) or re.match(rb"^[A-Z]+ ", data) \
            else None


class Endpoint:
    """A bound UDP socket; every received datagram is kept in self.seen."""

    def __init__(self, ip, port=0, name=None):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        self.sock.bind((ip, port))
        self.addr = self.sock.getsockname()
        self.ip, self.port = self.addr
        self.name = name or "%s:%d" % self.addr
        self.seen = []
        self.sent_bytes = 0

    def send(self, data, to):
        if isinstance(data, str):
            data = data.encode()
        self.sent_bytes += len(data)
        self.sock.sendto(data, to)
        return len(data)

    def recv(self, timeout):
        """One datagram (Packet); None by the deadline or on an ICMP error
        for an earlier datagram."""
        r, _, _ = select.select([self.sock], [], [], max(0.0, timeout))
        if not r:
            return None
        try:
            data, addr = self.sock.recvfrom(65535)
        except ConnectionRefusedError:
            return None
        p = Packet(data, addr)
        self.seen.append(p)
        return p

    def expect(self, pred, timeout=3.0, src=None):
        """The next SIP message matching pred (from src if given), skipping
        others; None when the deadline passes."""
        end = time.monotonic() + timeout
        for _ in range(MAX_LOOP):
            left = end - time.monotonic()
            if left <= 0:
                return None
            p = self.recv(left)
            if p is None:
                continue
            if p.msg is not None and pred(p.msg) and (src is None or p.addr == src):
                return p.msg
        return None

    def collect(self, window, limit=MAX_LOOP):
        """Everything arriving within window seconds (at most limit)."""
        out = []
        end = time.monotonic() + window
        for _ in range(MAX_LOOP):
            if len(out) >= limit:
                break
            p = self.recv(end - time.monotonic())
            if p is None:
                if time.monotonic() >= end:
                    break
                continue
            out.append(p)
        return out

    def drain(self):
        """Datagrams already queued (no wait)."""
        return self.collect(0.0)

    def close(self):
        self.sock.close()


def sync(srv, probe):
    """Barrier: the server answers an OPTIONS from probe. The server handles
    datagrams in order, so whatever it does at once on the datagrams sent
    before has left by the time the answer arrives. True on a 200."""
    callid = new_callid(probe.ip)
    probe.send(request("OPTIONS", "sip:%s:%d" % srv.addr, probe.ip, probe.port,
                       "sip:probe@%s" % probe.ip, new_tag(), "sip:%s:%d" % srv.addr,
                       callid, 1), srv.addr)
    r = probe.expect(lambda m: m.is_resp and m.final() and m.callid() == callid, 3.0)
    return r is not None and r.code == 200


def quiet(eps, window):
    """Datagrams arriving on any of eps within window seconds: [(ep, Packet)]."""
    out = []
    end = time.monotonic() + window
    socks = {e.sock: e for e in eps}
    for _ in range(MAX_LOOP):
        left = end - time.monotonic()
        if left <= 0:
            break
        r, _, _ = select.select(list(socks), [], [], left)
        for s in r:
            p = socks[s].recv(0)
            if p is not None:
                out.append((socks[s], p))
    return out


# ----- scripted user agents -----

class UA(Endpoint):
    """A scripted phone of user/password at ip:port using server srv."""

    def __init__(self, ip, port, user, password, srv, name=None):
        Endpoint.__init__(self, ip, port, name or user)
        self.user, self.password, self.srv = user, password, srv
        self.domain = srv.ip
        self.reg_callid = new_callid(ip)
        self.reg_cseq = 0
        self.reg_tag = new_tag()

    def aor(self, user=None):
        return "sip:%s@%s" % (user or self.user, self.domain)

    def contact(self):
        return "<sip:%s@%s:%d>" % (self.user, self.ip, self.port)

    def req(self, method, ruri, callid, cseq, ftag, to_uri, to_tag=None, extra=(),
            body="", from_user=None, branch=None, contact=None, cseq_method=None,
            version="SIP/2.0"):
        return request(method, ruri, self.ip, self.port, self.aor(from_user), ftag, to_uri,
                       callid, cseq, to_tag=to_tag, branch=branch,
                       contact=contact if contact is not None else self.contact(),
                       extra=extra, body=body, cseq_method=cseq_method, version=version)

    def final_to(self, callid, cseq=None, method=None, timeout=3.0):
        return self.expect(lambda m: m.is_resp and m.final() and m.callid() == callid and
                           (cseq is None or m.cseq_num() == cseq) and
                           (method is None or m.cseq_method() == method), timeout)

    def auth(self, method, uri, challenge, **kw):
        return authorization(self.user, self.password, method, uri, challenge, **kw)

    def register(self, expires=600, contact=None, user=None, extra=(), query=False):
        """REGISTER, answering one 401. Returns (final, last request text,
        challenge or None). contact: a Contact value (default ours)."""
        ruri = "sip:" + self.domain
        hdrs = list(extra)
        if not query:
            hdrs.append("Expires: %d" % expires)
        self.reg_cseq += 1
        text = self.req("REGISTER", ruri, self.reg_callid, self.reg_cseq, self.reg_tag,
                        self.aor(user), extra=hdrs, from_user=user,
                        contact="" if query else contact)
        self.send(text, self.srv.addr)
        r = self.final_to(self.reg_callid, self.reg_cseq)
        if r is None or r.code != 401:
            return r, text, None
        ch = r.h("www-authenticate")
        self.reg_cseq += 1
        text = self.req("REGISTER", ruri, self.reg_callid, self.reg_cseq, self.reg_tag,
                        self.aor(user), extra=hdrs + [
                            "Authorization: " + self.auth("REGISTER", ruri, ch)],
                        from_user=user, contact="" if query else contact)
        self.send(text, self.srv.addr)
        return self.final_to(self.reg_callid, self.reg_cseq), text, ch

    def options_ping(self):
        return sync(self.srv, self)


def party(a, role, name=None):
    """An Endpoint at the address of role (caller, callee, attacker, probe),
    port SIP_PORT+1."""
    return Endpoint(getattr(a, role + "_ip"), a.sip_port + 1, name or role)


def users(a, srv):
    """The scripted caller u1 and callee u2 at their addresses, port
    SIP_PORT+1."""
    return (UA(a.caller_ip, a.sip_port + 1, "u1", "u1pass", srv),
            UA(a.callee_ip, a.sip_port + 1, "u2", "u2pass", srv))


def registers(t, ua, what=None):
    """ua registers (answering the challenge): checked, True on a 200."""
    r, _, _ = ua.register()
    return t.check(r is not None and r.code == 200, what or "%s registers" % ua.user)


def ack_for(ua, resp, ruri, branch=None):
    """ACK of a final response to INVITE (non-2xx: same branch as the INVITE)."""
    return request("ACK", ruri, ua.ip, ua.port, uri_of(resp.h("from")), resp.from_tag(),
                   uri_of(resp.h("to")), resp.callid(), resp.cseq_num(),
                   to_tag=resp.to_tag(), branch=branch or new_branch(),
                   cseq_method="ACK")


class Call:
    """A call from a scripted caller through the server to a scripted callee.

    start() runs INVITE -> 401 -> ACK -> INVITE+auth until the B-leg INVITE
    reaches the callee (b_inv); ring() makes the callee answer 100/180 and
    waits for the 180 at the caller; answer() sends the callee's 200 and
    completes both ACKs. Fields afterwards: a_callid, a_ftag, a_tag (the
    server's tag toward the caller), a_target (server Contact for the
    caller's in-dialog requests), b_inv, b_tag (callee's tag), b_target,
    relay_a/relay_b (relay addresses the caller/callee send RTP to),
    rtp_a/rtp_b (Endpoints of caller/callee media)."""

    def __init__(self, t, caller, callee, number, rtp_a_port, rtp_b_port):
        self.t, self.caller, self.callee, self.number = t, caller, callee, number
        self.srv = caller.srv
        self.a_callid = new_callid(caller.ip)
        self.a_ftag = new_tag()
        self.a_cseq = 0
        self.to_uri = "sip:%s@%s" % (number, self.srv.ip)
        self.rtp_a = Endpoint(caller.ip, rtp_a_port, "caller-rtp")
        self.rtp_b = Endpoint(callee.ip, rtp_b_port, "callee-rtp")
        self.b_tag = new_tag()
        self.b_cseq = 0
        self.a_tag = self.a_target = self.b_inv = self.b_target = None
        self.relay_a = self.relay_b = None
        self.challenge = None
        self.a_invite_auth = None

    def invite_text(self, auth=None, branch=None, from_user=None):
        extra = ["Authorization: " + auth] if auth else []
        return self.caller.req("INVITE", self.to_uri, self.a_callid, self.a_cseq, self.a_ftag,
                               self.to_uri, extra=extra, body=sdp(self.caller.ip,
                                                                   self.rtp_a.port),
                               branch=branch, from_user=from_user)

    def start(self, from_user=None, expect_b=True):
        c = self.caller
        self.a_cseq += 1
        br = new_branch()
        c.send(self.invite_text(branch=br, from_user=from_user), self.srv.addr)
        r = c.final_to(self.a_callid, self.a_cseq)
        if not self.t.check(r is not None and r.code == 401,
                            "call %s: INVITE without credentials gets 401 (got %s)" % (
                                self.number, r and r.code)):
            return None
        c.send(ack_for(c, r, self.to_uri, branch=br), self.srv.addr)
        self.challenge = r.h("www-authenticate")
        self.a_cseq += 1
        self.a_invite_auth = c.auth("INVITE", self.to_uri, self.challenge)
        c.send(self.invite_text(self.a_invite_auth, from_user=from_user), self.srv.addr)
        if not expect_b:
            return True
        self.b_inv = self.callee.expect(lambda m: m.method == "INVITE" and
                                        m.to_tag() is None, 3.0)
        if not self.t.check(self.b_inv is not None, "call %s: B-leg INVITE reaches the callee"
                            % self.number):
            return None
        self.relay_b = sdp_addr(self.b_inv.body)
        self.b_target = uri_of(self.b_inv.h("contact"))
        return self.b_inv

    def callee_contact(self):
        return "Contact: <sip:%s@%s:%d>" % (self.callee.user, self.callee.ip, self.callee.port)

    def ring(self):
        self.callee.send(response(self.b_inv, 100, "Trying"), self.srv.addr)
        self.callee.send(response(self.b_inv, 180, "Ringing", self.b_tag,
                                  [self.callee_contact()]), self.srv.addr)
        r = self.caller.expect(lambda m: m.is_resp and m.code == 180 and
                               m.callid() == self.a_callid, 3.0)
        self.t.check(r is not None, "call %s: 180 reaches the caller" % self.number)
        return r

    def answer_200(self):
        return response(self.b_inv, 200, "OK", self.b_tag, [self.callee_contact()],
                        sdp(self.callee.ip, self.rtp_b.port))

    def answer(self):
        self.callee.send(self.answer_200(), self.srv.addr)
        return self.complete()

    def complete(self):
        """After the callee's 200: the server's ACK on B, 200 + our ACK on A."""
        ack = self.callee.expect(lambda m: m.method == "ACK" and
                                 m.callid() == self.b_inv.callid(), 3.0)
        self.t.check(ack is not None, "call %s: the server ACKs the callee's 200" % self.number)
        ok = self.caller.expect(lambda m: m.is_resp and m.code == 200 and
                                m.cseq_method() == "INVITE" and m.callid() == self.a_callid,
                                3.0)
        if not self.t.check(ok is not None, "call %s: 200 reaches the caller" % self.number):
            return None
        self.a_tag = ok.to_tag()
        self.a_target = uri_of(ok.h("contact")) or "sip:%s@%s:%d" % (
            self.number, self.srv.ip, self.srv.port)
        self.relay_a = sdp_addr(ok.body)
        self.caller.send(ack_for(self.caller, ok, self.a_target), self.srv.addr)
        return ok

    def setup(self, from_user=None):
        """The whole call up to the established state; True on success."""
        return bool(self.start(from_user) and self.ring() and self.answer())

    # in-dialog requests of the two real parties

    def caller_req(self, method, extra=(), body="", auth=None, branch=None):
        self.a_cseq += 1
        ex = list(extra) + (["Authorization: " + auth] if auth else [])
        return self.caller.req(method, self.a_target, self.a_callid, self.a_cseq, self.a_ftag,
                               self.to_uri, to_tag=self.a_tag, extra=ex, body=body,
                               branch=branch)

    def caller_bye(self):
        """BYE from the caller, answering the challenge. Returns the final
        response and the Authorization used (None if not challenged)."""
        c = self.caller
        c.send(self.caller_req("BYE"), self.srv.addr)
        r = c.final_to(self.a_callid, self.a_cseq, "BYE")
        if r is None or r.code != 401:
            return r, None
        auth = c.auth("BYE", self.a_target, r.h("www-authenticate"))
        c.send(self.caller_req("BYE", auth=auth), self.srv.addr)
        return c.final_to(self.a_callid, self.a_cseq, "BYE"), auth

    def callee_bye_req(self):
        """A BYE in the B dialog as the callee would send it."""
        self.b_cseq += 1
        return request("BYE", self.b_target, self.callee.ip, self.callee.port,
                       uri_of(self.b_inv.h("to")), self.b_tag, uri_of(self.b_inv.h("from")),
                       self.b_inv.callid(), self.b_cseq, to_tag=self.b_inv.from_tag())

    def callee_req(self, method, extra=(), body="", auth=None, branch=None, cseq=None):
        """A request in the B dialog from the callee's own socket; CSeq the
        next one, or cseq (an ACK's)."""
        if cseq is None:
            self.b_cseq += 1
            cseq = self.b_cseq
        b, u = self.b_inv, self.callee
        ex = list(extra) + (["Authorization: " + auth] if auth else [])
        return request(method, self.b_target, u.ip, u.port, uri_of(b.h("to")), self.b_tag,
                       uri_of(b.h("from")), b.callid(), cseq, to_tag=b.from_tag(),
                       branch=branch, contact=None if method == "ACK" else u.contact(),
                       extra=ex, body=body)

    def reinvite(self, side, body):
        """A re-INVITE with body from the caller (side "A") or the callee
        ("B"), answering a 401 with the party's credentials; every final
        response is ACKed. Returns the final responses (None: none came)."""
        a = side == "A"
        ua = self.caller if a else self.callee
        callid = self.a_callid if a else self.b_inv.callid()
        target = self.a_target if a else self.b_target
        finals, auth = [], None
        for _ in range(2):
            br = new_branch()
            if a:
                text, cseq = self.caller_req("INVITE", body=body, auth=auth, branch=br), \
                    self.a_cseq
            else:
                text, cseq = self.callee_req("INVITE", body=body, auth=auth, branch=br), \
                    self.b_cseq
            ua.send(text, self.srv.addr)
            r = ua.final_to(callid, cseq, "INVITE")
            finals.append(r)
            if r is None:
                break
            ua.send(ack_for(ua, r, target, branch=br if r.code >= 300 else None),
                    self.srv.addr)
            if r.code != 401 or auth is not None:
                break
            auth = ua.auth("INVITE", target, r.h("www-authenticate"))
        return finals

    def expect_bye_at_callee(self, timeout=3.0):
        """The server's BYE on the B leg, answered 200."""
        b = self.callee.expect(lambda m: m.method == "BYE" and
                               m.callid() == self.b_inv.callid(), timeout)
        if b is not None:
            self.callee.send(response(b, 200, "OK"), self.srv.addr)
        return b

    def rtp_flows(self, n=5, seq0=0, timeout=2.0):
        """RTP both ways through the relay: (callee got, caller got) of n."""
        for i in range(n):
            self.rtp_a.send(rtp_packet(seq0 + i, 0x0a0a0a0a), self.relay_a)
            self.rtp_b.send(rtp_packet(seq0 + i, 0x0b0b0b0b), self.relay_b)
        got_b = got_a = 0
        end = time.monotonic() + timeout
        for _ in range(MAX_LOOP):
            if time.monotonic() >= end or (got_a >= n and got_b >= n):
                break
            for ep, p in quiet([self.rtp_a, self.rtp_b], min(0.1, end - time.monotonic())):
                if ep is self.rtp_b and p.addr == self.relay_b:
                    got_b += 1
                elif ep is self.rtp_a and p.addr == self.relay_a:
                    got_a += 1
        return got_b, got_a

    def close(self):
        self.rtp_a.close()
        self.rtp_b.close()


# ----- sipladder-phone as a legitimate UA -----

class Phone:
    """sipladder-phone COMMAND ... with stderr in WORK/NAME.log (a: anything
    with phone_bin and work)."""

    def __init__(self, a, name, argv):
        self.a, self.name = a, name
        self.log_path = os.path.join(a.work, name + ".log")
        self.cmd = [a.phone_bin] + list(argv)
        self.logf = open(self.log_path, "w")
        self.proc = subprocess.Popen(self.cmd, stderr=self.logf, stdout=subprocess.DEVNULL)
        self.rc = None

    def log(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def has(self, pattern):
        """A line of the log matches pattern (re.M)."""
        return re.search(pattern, self.log(), re.M) is not None

    def wait_line(self, pattern, timeout):
        return wait_until(lambda: self.has(pattern) or self.proc.poll() is not None,
                          timeout) and self.has(pattern)

    def running(self):
        return self.proc.poll() is None

    def wait(self, timeout):
        """Exit code (also in self.rc), or None after killing it at the
        deadline."""
        try:
            self.rc = self.proc.wait(timeout=timeout)
            return self.rc
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None
        finally:
            self.logf.close()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.logf.close()
