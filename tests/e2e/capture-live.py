#!/usr/bin/env python3
"""`sipladder capture` on lo: a call sent on addresses of this test's own
(127.0.9.11/.12) must be shown as a ladder while capture runs, a call
left unanswered must be shown when SIGINT stops the capture (exit 0),
and the -w file must give the very same ladders when read back. The
calls are stored in a database of the test's own (--db, never the user's
default): `sipladder calls --db` lists both, and the ladders rendered
from it are the ones shown live.

Live capture needs root or CAP_NET_RAW: without it the test says so and
is skipped (exit 77), never passed. It waits on output, never sleeps."""
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time

A, B = "127.0.9.11", "127.0.9.12"
LADDER_ARGS = ["--ascii", "--width", "120", "--rtp"]


def read_until(p, stream, needle, deadline):
    """Reads stream until needle appears or the deadline passes."""
    buf = b""
    while needle.encode() not in buf:
        left = deadline - time.monotonic()
        if left <= 0 or p.poll() is not None and not select.select([stream], [], [], 0)[0]:
            break
        r, _, _ = select.select([stream], [], [], left)
        if not r:
            break
        chunk = os.read(stream.fileno(), 65536)
        if not chunk:
            break
        buf += chunk
    return buf


def sip(method_or_status, cid, cseq, method, frm, to, body=""):
    start = ("SIP/2.0 " + method_or_status) if method_or_status[0].isdigit() \
        else "%s sip:u2@%s SIP/2.0" % (method_or_status, B)
    ctype = "Content-Type: application/sdp\r\n" if body else ""
    return ("%s\r\nVia: SIP/2.0/UDP %s:5060;branch=z9hG4bK%s%d\r\nFrom: <sip:u1@%s>;tag=f1\r\n"
            "To: <sip:u2@%s>%s\r\nCall-ID: %s\r\nCSeq: %d %s\r\nMax-Forwards: 70\r\n%s"
            "Content-Length: %d\r\n\r\n%s" % (start, A, cid[:4], cseq, A, B, to, cid, cseq,
                                               method, ctype, len(body), body)).encode()


def sdp(ip, port):
    return ("v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
            "m=audio %d RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n" % (ip, ip, port))


def play(sa, sb):
    """One answered call with media, then an INVITE nobody answers."""
    cid = "live1@" + A
    sa.sendto(sip("INVITE", cid, 1, "INVITE", "", "", sdp(A, 40000)), (B, 5060))
    sb.sendto(sip("200 OK", cid, 1, "INVITE", "", ";tag=t2", sdp(B, 40002)), (A, 5060))
    sa.sendto(sip("ACK", cid, 1, "ACK", "", ";tag=t2"), (B, 5060))
    ra = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    ra.bind((A, 40000))
    rb = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rb.bind((B, 40002))
    for i in range(10):
        hdr = bytes([0x80, 0]) + i.to_bytes(2, "big") + (i * 160).to_bytes(4, "big")
        ra.sendto(hdr + (0x1111).to_bytes(4, "big") + b"\xff" * 160, (B, 40002))
        rb.sendto(hdr + (0x2222).to_bytes(4, "big") + b"\xff" * 160, (A, 40000))
    sa.sendto(sip("BYE", cid, 2, "BYE", "", ";tag=t2"), (B, 5060))
    sb.sendto(sip("200 OK", cid, 2, "BYE", "", ";tag=t2"), (A, 5060))
    sa.sendto(sip("INVITE", "live2@" + A, 1, "INVITE", "", ""), (B, 5060))
    for s in (ra, rb):
        s.close()


def stored(binary, db, live):
    """What is wrong with the database the capture filled: both calls
    listed by `calls --db`, their ladders from it as shown live."""
    fails = []
    calls = subprocess.run([binary, "calls", "-q", "--json", "--db", db], capture_output=True)
    ids = [cid for line in calls.stdout.decode(errors="replace").splitlines()
           for cid in json.loads(line).get("call_id", [])]
    for cid in ("live1@" + A, "live2@" + A):
        if cid not in ids:
            fails.append("call %s not in the database (calls --db: exit %d, %s)"
                         % (cid, calls.returncode, calls.stderr.decode(errors="replace")))
    table = subprocess.run([binary, "calls", "-q", "--db", db], capture_output=True)
    rows = [line.split()[0] for line in table.stdout.decode(errors="replace").splitlines()[1:]]
    if rows != ["1", "2"]:
        fails.append("calls --db lists %s, not calls 1 and 2:\n%s"
                     % (rows, table.stdout.decode(errors="replace")))
    ladders = subprocess.run([binary, "ladder", "-q", "--db", db] + LADDER_ARGS,
                             capture_output=True)
    if ladders.stdout != live:
        fails.append("the database renders differently:\n--- live\n%s\n--- database\n%s"
                     % (live.decode(errors="replace"), ladders.stdout.decode(errors="replace")))
    return fails


def remove(tmp):
    for name in os.listdir(tmp):
        os.unlink(os.path.join(tmp, name))
    os.rmdir(tmp)


def main():
    binary = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="sl-capture-")
    pcap = os.path.join(tmp, "live.pcap")
    db = os.path.join(tmp, "live.db")
    p = subprocess.Popen([binary, "capture", "-i", "lo", "-f", "host %s or host %s" % (A, B),
                          "-w", pcap, "--db", db] + LADDER_ARGS, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    err = read_until(p, p.stderr, "capturing on", time.monotonic() + 10)
    if b"capturing on" not in err:
        p.wait(timeout=10)
        err += p.stderr.read()
        if p.returncode == 3 and b"not permitted" in err:
            print("capture-live: skipped: %s" % err.decode(errors="replace").strip())
            remove(tmp)
            return 77
        sys.stderr.write("capture-live: capture did not start (exit %s):\n%s\n"
                         % (p.returncode, err.decode(errors="replace")))
        return 1
    sa = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sa.bind((A, 5060))
    sb = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sb.bind((B, 5060))
    play(sa, sb)
    sent = time.monotonic()
    out = read_until(p, p.stdout, "Call 1", sent + 15)
    took = time.monotonic() - sent
    ok = b"Call 1" in out
    p.send_signal(signal.SIGINT)
    rest, err2 = p.communicate(timeout=20)
    out += rest
    err += err2
    fails = []
    if not ok:
        fails.append("no ladder for the finished call within 15 s while capturing")
    if p.returncode != 0:
        fails.append("exit %d after SIGINT" % p.returncode)
    if b"Call 2" not in out:
        fails.append("the unanswered call was not shown at SIGINT")
    if b"# capture:" not in err or b"dropped by kernel" not in err:
        fails.append("no drop counters in the summary")
    back = subprocess.run([binary, "ladder", "-q"] + LADDER_ARGS + [pcap],
                          capture_output=True)
    if back.stdout != out:
        fails.append("the -w file reads back differently:\n--- live\n%s\n--- file\n%s"
                     % (out.decode(errors="replace"), back.stdout.decode(errors="replace")))
    fails += stored(binary, db, out)
    for s in (sa, sb):
        s.close()
    if fails:
        sys.stderr.write("capture-live: %s\n--- stdout\n%s\n--- stderr\n%s\n" % (
            "\n".join(fails), out.decode(errors="replace"), err.decode(errors="replace")))
        return 1
    remove(tmp)
    print("capture-live: finished call shown %.1f s after its last packet; "
          "SIGINT showed the open one; -w file reads back the same; both calls stored" % took)
    return 0


if __name__ == "__main__":
    sys.exit(main())
