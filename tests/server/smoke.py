#!/usr/bin/env python3
"""smoke.py: sipladder-server on loopback against scripted UAs.

Starts the server on 127.0.0.60:PORT with src/server/conf and checks, over
real UDP sockets: REGISTER without credentials (100 + 401 realm "Yate"),
with them (200, Contact ;expires=), too brief (423 + Min-Expires), an
INVITE without credentials (100 + 401 with domain=), a malformed request
(400 echoing Via/Call-ID), binary noise (dropped, server alive), then the
seed's call: u2 registers from 127.0.0.101, u1 (127.0.0.183) calls 2 with
credentials, the B-leg INVITE has a new Call-ID, From u1, Max-Forwards 19
and relay SDP, 180/200 are relayed, ACKs per leg, RTP is relayed both
ways, the caller's BYE is challenged then accepted, the callee gets a BYE
with Reason, and the relay port is closed afterwards (ICMP port
unreachable, seen as ECONNREFUSED). Finally SIGTERM twice: exit 0, "bye" logged.

Every wait is bounded; the whole run takes about a second. SIP messages,
digest and UDP endpoints are those of the security tests (../security/
sipsec.py).
usage: smoke.py BIN CONF_DIR SIP_PORT RTP_LO-RTP_HI WORKDIR
"""
import os
import select
import signal
import socket
import subprocess
import sys
import time
import types

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "security"))
import sipsec as S  # noqa: E402

SERVER = "127.0.0.60"
CALLER = "127.0.0.183"
CALLEE = "127.0.0.101"
PROBE = "127.0.0.90"
failures = []
GONE_PORT = 0


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)
    return cond


class UA(S.Endpoint):
    def __init__(self, ip, port, user, password):
        S.Endpoint.__init__(self, ip, port, user)
        self.user, self.password = user, password
        self.n = 0

    def branch(self):
        self.n += 1
        return "z9hG4bK%s%d%d" % (self.user, self.port, self.n)

    def want(self, pred, what, timeout=2.0):
        """Next message matching pred, skipping others; None (a failed
        check) on timeout."""
        m = self.expect(pred, timeout)
        if m is None:
            check(False, "timeout waiting for " + what)
        return m

    def auth(self, method, uri, challenge):
        """RFC 2069 credentials (no qop, whatever the challenge offers)."""
        return S.authorization(self.user, self.password, method, uri, challenge, use_qop=False)


def request(ua, method, ruri, callid, cseq, to, ftag, extra=(), body="", branch=None,
            to_tag=None):
    return S.request(method, ruri, ua.ip, ua.port, "sip:%s@%s" % (ua.user, SERVER), ftag, to,
                     callid, cseq, to_tag=to_tag, branch=branch or ua.branch(),
                     contact="<sip:%s@%s:%d>" % (ua.user, ua.ip, ua.port), extra=extra,
                     body=body)


def sdp(ip, port):
    return S.sdp(ip, port, pts=(0,))


def register(ua, srv, expires=600):
    callid = "reg-%s@%s" % (ua.user, ua.ip)
    to = "sip:%s@%s" % (ua.user, SERVER)
    ruri = "sip:" + SERVER
    ua.send(request(ua, "REGISTER", ruri, callid, 1, to, "r1", ["Expires: %d" % expires]), srv)
    c = ua.want(lambda m: m.is_resp and m.code >= 200, "401 to REGISTER")
    if not c:
        return None, None
    challenge = c.h("www-authenticate")
    ua.send(request(ua, "REGISTER", ruri, callid, 2, to, "r1", [
        "Expires: %d" % expires, "Authorization: " + ua.auth("REGISTER", ruri, challenge)]),
        srv)
    return c, ua.want(lambda m: m.is_resp and m.code >= 200, "final to REGISTER")


def main():
    if len(sys.argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    binary, conf, port, rtp, work = sys.argv[1:6]
    port = int(port)
    srv = (SERVER, port)
    os.makedirs(work, exist_ok=True)
    log_path = os.path.join(work, "server.log")
    trace = os.path.join(work, "server.pcap")
    log = open(log_path, "w+")
    proc = subprocess.Popen([binary, "-c", conf, "--listen", "%s:%d" % srv, "--rtp-ports",
                             rtp, "--trace-pcap", trace, "--log-level", "debug",
                             "--seed", "7", "--no-answer", "10"], stderr=log)
    try:
        return run(proc, srv, port, log, log_path, trace)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def wait_ready(proc, log_path):
    def ready():
        with open(log_path) as f:
            return "sipladder-server: ready on " in f.read()
    return bool(S.wait_until(lambda: ready() or proc.poll() is not None, 5)) and ready()


def proc_state(pid):
    """The state letter of /proc/PID/stat (R, S, T...), "" once it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""


def sigterm_pending(pid):
    """A SIGTERM sent to pid waits in its process-wide pending set, i.e. the
    server's signalfd has not read it yet."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for ln in f:
                if ln.startswith("ShdPnd:"):
                    return int(ln.split()[1], 16) >> (signal.SIGTERM - 1) & 1 == 1
    except (OSError, ValueError):
        pass
    return False


def run(proc, srv, port, log, log_path, trace):
    if not check(wait_ready(proc, log_path), "server prints its ready line"):
        return 1
    base = port + 1
    u1 = UA(CALLER, base, "u1", "u1pass")
    u2 = UA(CALLEE, base, "u2", "u2pass")

    # REGISTER: challenge, then 200
    c401, ok = register(u1, srv)
    if c401 is not None:
        check(c401.code == 401, "REGISTER without credentials gets 401 (got %d)" % c401.code)
        ch = c401.h("www-authenticate") or ""
        check('realm="Yate"' in ch and "stale=FALSE" in ch and "algorithm=MD5" in ch,
              "401 carries a Yate-style challenge: " + ch)
    if ok is not None:
        check(ok.code == 200, "REGISTER with credentials gets 200 (got %d)" % ok.code)
        check("expires=600" in (ok.h("contact") or ""), "200 Contact has ;expires=600")
        check(ok.h("expires") == "600", "200 has Expires: 600")

    # 423 below --min-expires
    _, brief = register(u1, srv, expires=30)
    if brief is not None:
        check(brief.code == 423 and brief.h("min-expires") == "60",
              "Expires: 30 gets 423 with Min-Expires: 60")

    # INVITE without credentials: 100 + 401 (the seed's first exchange)
    callid = "call1@%s" % CALLER
    to = "sip:2@%s" % SERVER
    inv_body = sdp(CALLER, base + 100)
    inv1 = request(u1, "INVITE", to, callid, 1, to, "c1", body=inv_body, branch="z9hG4bKinv1")
    u1.send(inv1, srv)
    t = u1.want(lambda m: m.is_resp, "100 to INVITE")
    check(t is not None and t.code == 100, "INVITE gets 100 Trying first")
    c = u1.want(lambda m: m.is_resp and m.code >= 200, "401 to INVITE")
    challenge = ""
    if c is not None:
        challenge = c.h("www-authenticate") or ""
        check(c.code == 401 and 'domain="%s"' % SERVER in challenge,
              "unauthenticated INVITE gets 401 with domain=")
        ack = ("ACK %s SIP/2.0\r\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bKinv1;rport\r\n"
               "From: <sip:u1@%s>;tag=c1\r\nTo: %s\r\nCall-ID: %s\r\nCSeq: 1 ACK\r\n"
               "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n") % (
                   to, CALLER, base, SERVER, c.h("to"), callid)
        u1.send(ack, srv)

    # a malformed request (CSeq number not a number) is answered 400
    bad = ("OPTIONS sip:%s SIP/2.0\r\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bKbad\r\n"
           "From: <sip:u1@%s>;tag=b\r\nTo: <sip:%s>\r\nCall-ID: bad@x\r\nCSeq: abc OPTIONS\r\n"
           "Content-Length: 0\r\n\r\n") % (SERVER, CALLER, base, SERVER, SERVER)
    u1.send(bad, srv)
    r = u1.want(lambda m: m.is_resp, "400 to a malformed request")
    check(r is not None and r.code == 400 and r.h("call-id") == "bad@x",
          "malformed request gets 400 echoing its Call-ID")
    u1.sock.sendto(b"\x00\x01\x02garbage\xff" * 10, srv)

    # a peer that vanished: our 100 draws ICMP port unreachable, which must
    # not cost the next datagram, the 200 (IP_RECVERR fails one send);
    # checked in the trace at the end. The server is stopped while the
    # peer sends and goes away, so the port is surely closed.
    global GONE_PORT
    GONE_PORT = base + 10
    gone = UA(CALLER, base + 10, "u1", "u1pass")
    proc.send_signal(signal.SIGSTOP)
    # SIGSTOP takes effect asynchronously: a server still running could
    # answer before the socket is closed, and no ICMP would follow
    check(S.wait_until(lambda: proc_state(proc.pid) == "T", 5, step=0.001),
          "the server stops on SIGSTOP")
    gone.send(request(gone, "OPTIONS", "sip:" + SERVER, "o1@x", 1, "sip:" + SERVER, "o"), srv)
    gone.sock.close()
    proc.send_signal(signal.SIGCONT)
    # no wait: the server reads its socket in order, so it has answered
    # the OPTIONS by the time it answers the next REGISTER

    # the callee registers
    _, ok2 = register(u2, srv)
    check(ok2 is not None and ok2.code == 200, "u2 registers")

    # the seed's call: authorised INVITE
    inv2 = request(u1, "INVITE", to, callid, 2, to, "c1", body=inv_body,
                   extra=["Authorization: " + u1.auth("INVITE", to, challenge)],
                   branch="z9hG4bKinv2")
    u1.send(inv2, srv)
    t = u1.want(lambda m: m.is_resp, "100 to the authorised INVITE")
    check(t is not None and t.code == 100, "authorised INVITE gets 100")
    b_inv = u2.want(lambda m: m.method == "INVITE", "B-leg INVITE")
    if b_inv is None:
        return finish(proc, srv, log_path)
    check(b_inv.h("call-id") != callid, "B leg has a new Call-ID")
    check(b_inv.h("from").startswith("<sip:u1@") or '" <sip:u1@' in b_inv.h("from"),
          "B leg From keeps user u1: " + b_inv.h("from"))
    check(b_inv.h("max-forwards") == "19", "B leg Max-Forwards 19 (got %s)" % b_inv.h("max-forwards"))
    check(b_inv.ruri == "sip:u2@%s:%d" % (CALLEE, base), "B leg goes to the registered Contact")
    check(b_inv.h("authorization") is None, "B leg carries no Authorization")
    relay_b = S.sdp_addr(b_inv.body)
    check(relay_b[0] == SERVER and relay_b[1] != base + 100, "B-leg SDP points at the relay")
    btag = "callee1"
    u2.send(S.response(b_inv, 100, "Trying"), srv)
    u2.send(S.response(b_inv, 180, "Ringing", btag, ["Contact: <sip:u2@%s:%d>" % (CALLEE, base)]),
            srv)
    ring = u1.want(lambda m: m.is_resp and m.code == 180, "180 relayed to the caller")
    check(ring is not None and "tag=" in (ring.h("to") or ""), "180 relayed with a To tag")
    u2.send(S.response(b_inv, 200, "OK", btag, ["Contact: <sip:u2@%s:%d>" % (CALLEE, base)],
                       sdp(CALLEE, base + 200)), srv)
    b_ack = u2.want(lambda m: m.method == "ACK", "ACK of the B leg")
    ok = u1.want(lambda m: m.is_resp and m.code == 200 and m.cseq_method() == "INVITE",
                   "200 relayed to the caller")
    if ok is None or b_ack is None:
        return finish(proc, srv, log_path)
    relay_a = S.sdp_addr(ok.body)
    check(relay_a[0] == SERVER and relay_a[1] not in (0, relay_b[1]),
          "A-leg 200 SDP points at the relay's other port")
    a_to_tag = ok.to_tag()
    ack2 = ("ACK sip:2@%s:%d SIP/2.0\r\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bKack2;rport\r\n"
            "From: <sip:u1@%s>;tag=c1\r\nTo: %s\r\nCall-ID: %s\r\nCSeq: 2 ACK\r\n"
            "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n") % (
                SERVER, port, CALLER, base, SERVER, ok.h("to"), callid)
    u1.send(ack2, srv)

    # RTP both ways through the relay
    ra = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    ra.bind((CALLER, base + 100))
    rb = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rb.bind((CALLEE, base + 200))
    for i in range(5):
        ra.sendto(S.rtp_packet(i), relay_a)
        rb.sendto(S.rtp_packet(100 + i), relay_b)
    got_b = got_a = 0
    end = time.monotonic() + 2
    while time.monotonic() < end and (got_a < 5 or got_b < 5):
        r, _, _ = select.select([ra, rb], [], [], 0.2)
        for s in r:
            data, addr = s.recvfrom(2048)
            if s is rb:
                got_b += addr == relay_b
            else:
                got_a += addr == relay_a
    check(got_b == 5, "caller's RTP relayed to the callee from the B port (%d/5)" % got_b)
    check(got_a == 5, "callee's RTP relayed to the caller from the A port (%d/5)" % got_a)

    # BYE from the caller: 100 + 401, then with credentials 100 + 200
    bye_uri = "sip:2@%s:%d" % (SERVER, port)
    reason = 'Reason: SIP;text="User hangup"'
    bye1 = request(u1, "BYE", bye_uri, callid, 3, to, "c1", extra=[reason], to_tag=a_to_tag)
    u1.send(bye1, srv)
    t = u1.want(lambda m: m.is_resp, "100 to BYE")
    check(t is not None and t.code == 100, "BYE gets 100 Trying")
    c = u1.want(lambda m: m.is_resp and m.code >= 200, "401 to BYE")
    check(c is not None and c.code == 401, "the caller's BYE is challenged")
    if c is not None:
        bye2 = request(u1, "BYE", bye_uri, callid, 4, to, "c1", extra=[
            reason, "Authorization: " + u1.auth("BYE", bye_uri, c.h("www-authenticate"))],
            to_tag=a_to_tag)
        u1.send(bye2, srv)
        fin = u1.want(lambda m: m.is_resp and m.code >= 200, "200 to the authorised BYE")
        check(fin is not None and fin.code == 200, "authorised BYE gets 200")
        check(fin is not None and (fin.h("p-rtp-stat") or "").startswith("PS=5,"),
              "200 to BYE carries P-RTP-Stat")
        b_bye = u2.want(lambda m: m.method == "BYE", "BYE on the B leg")
        if b_bye is not None:
            check(b_bye.h("reason") == 'SIP;text="User hangup"',
                  "B-leg BYE carries the Reason: %s" % b_bye.h("reason"))
            check(b_bye.h("call-id") == b_inv.h("call-id"), "B-leg BYE in the B dialog")
            u2.send(S.response(b_bye, 200, "OK"), srv)
    # the relay ports are closed: the kernel refuses late RTP
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    probe.bind((CALLEE, base + 202))
    probe.connect(relay_b)
    probe.settimeout(1)
    refused = False
    try:
        probe.send(S.rtp_packet(1))
        probe.recv(2048)
    except ConnectionRefusedError:
        refused = True
    except socket.timeout:
        pass
    check(refused, "late RTP to the closed relay port draws ICMP port unreachable")
    return finish(proc, srv, log_path, trace)


def trace_sent(path, dst):
    """UDP payloads to dst in a LINKTYPE_RAW IPv4 pcap."""
    out = []
    with open(path, "rb") as f:
        data = f.read()
    off = 24
    while off + 16 <= len(data):
        incl = int.from_bytes(data[off + 8:off + 12], "little")
        pkt = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if len(pkt) < 28 or pkt[0] >> 4 != 4 or pkt[9] != 17:
            continue
        ihl = (pkt[0] & 15) * 4
        ip = socket.inet_ntoa(pkt[16:20])
        port = int.from_bytes(pkt[ihl + 2:ihl + 4], "big")
        if (ip, port) == dst:
            out.append(pkt[ihl + 8:])
    return out


def finish(proc, srv, log_path, trace=None):
    # a barrier, not a pause: the server answers this OPTIONS after
    # everything sent before, so a crash on any of it shows here
    probe = S.Endpoint(PROBE, 0, "probe")
    check(S.sync(types.SimpleNamespace(addr=srv), probe) and proc.poll() is None,
          "server still running (answers OPTIONS) before SIGTERM")
    probe.close()
    # twice, as timeout(1) does: the second must not kill the shutdown.
    # It is sent once the first has been read (no longer pending): two
    # sent together would merge into one, and the second is only a danger
    # between that read and the server's exit
    proc.send_signal(signal.SIGTERM)
    S.wait_until(lambda: proc.poll() is not None or not sigterm_pending(proc.pid), 5,
                 step=0.0005)
    proc.send_signal(signal.SIGTERM)
    try:
        rc = proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        rc = -1
    check(rc == 0, "SIGTERM: exit 0 (got %s)" % rc)
    with open(log_path) as f:
        text = f.read()
    check("bye (signal 15)" in text, "bye logged")
    check("malformed request" in text and "127.0.0.183:" in text,
          "the rejection is logged with the peer address")
    check("ERROR: AddressSanitizer" not in text and "runtime error" not in text,
          "no sanitizer report")
    if trace:
        sent = trace_sent(trace, (CALLER, GONE_PORT))
        check(len(sent) == 2 and sent[0].startswith(b"SIP/2.0 100") and
              sent[1].startswith(b"SIP/2.0 200"),
              "after an ICMP error the next send still leaves (trace: %r)" %
              [x[:12] for x in sent])
    if failures:
        print("--- server log ---\n" + text, file=sys.stderr)
        print("%d check(s) failed" % len(failures), file=sys.stderr)
        return 1
    print("smoke: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
