#!/usr/bin/env python3
"""mkseeds_server.py: writes the seed corpus of fuzz_server (record format
in fuzz_server.c) from the seed's call flow: REGISTER with digest, an
authenticated INVITE answered, ringing, rejected, cancelled or left
unanswered, hangups on both legs, re-INVITE/INFO/UPDATE/OPTIONS, and the
SIP datagrams of sample-pcaps/b2bua-auth.pcap as they are (their nonces
are not ours). The nonce and the tags the server picks are read from a run
of replay_server with FUZZ_SERVER_SHOW=1: the server under the fuzzer is
deterministic (ids seeded 42, fake clock), so they hold in every run. The
server only accepts nonces it issued in the same run and tracks their use,
so every flow starts with the unauthenticated REGISTER that draws the
nonce, and every credential after it is qop=auth with the next nc.

usage: mkseeds_server.py REPLAY_SERVER OUTDIR [PCAP]"""
import hashlib
import os
import re
import struct
import subprocess
import sys
import tempfile

SRV = "127.0.0.61"
PEER = {"a": 0, "b": 1, "x": 2, "v6": 3}
EP = {"a": "127.0.0.183:5060", "b": "127.0.0.101:5060"}
ADV = {0: 0, 10: 1, 100: 2, 500: 3, 2000: 4, 8000: 5, 32000: 6, 200000: 7}
SDP_A = ("v=0\r\no=- 1 1 IN IP4 127.0.0.183\r\ns=-\r\nc=IN IP4 127.0.0.183\r\n"
         "t=0 0\r\nm=audio 40000 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\n"
         "a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n")
SDP_B = ("v=0\r\no=- 2 2 IN IP4 127.0.0.101\r\ns=-\r\nc=IN IP4 127.0.0.101\r\n"
         "t=0 0\r\nm=audio 41000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")


def rec(peer, text, kind=0, adv=0):
    data = text.encode() if isinstance(text, str) else text
    ctl = PEER[peer] | ADV[adv] << 2 | kind << 5
    return struct.pack(">BH", ctl, len(data)) + data


def reply(peer, status, sdp="", adv=0):
    return rec(peer, struct.pack(">H", status - 100) + sdp.encode(), 1, adv)


def indialog(peer, method, sdp="", adv=0, cseq=0):
    idx = ["ACK", "BYE", "INFO", "UPDATE", "OPTIONS", "INVITE", "CANCEL"].index(method)
    return rec(peer, bytes([idx, cseq]) + sdp.encode(), 2, adv)


def req(method, ruri, ua, user, to, callid, cseq, branch, ftag="f1", to_tag=None,
        extra="", body=""):
    ep = EP[ua]
    return (f"{method} {ruri} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP {ep};branch={branch};rport\r\n"
            f"From: <sip:{user}@{SRV}>;tag={ftag}\r\n"
            f"To: <{to}>{';tag=' + to_tag if to_tag else ''}\r\n"
            f"Call-ID: {callid}\r\nCSeq: {cseq} {method}\r\n"
            f"Contact: <sip:{user}@{ep}>\r\nMax-Forwards: 70\r\n{extra}"
            + ("Content-Type: application/sdp\r\n" if body else "")
            + f"Content-Length: {len(body)}\r\n\r\n{body}")


def md5(s):
    return hashlib.md5(s.encode()).hexdigest()


def show(replay, records, check=True):
    """The datagrams the server sends for this input: [(to, text)]."""
    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(b"".join(records))
    env = dict(os.environ, FUZZ_SERVER_SHOW="1")
    r = subprocess.run([replay, f.name], env=env, capture_output=True, text=True,
                       errors="replace", check=check)
    os.unlink(f.name)
    out = []
    for part in r.stderr.split("---- ")[1:]:
        head, _, body = part.partition("\n")
        if head.startswith("out to "):
            out.append((head[7:], body))
    return out


class Auth:
    def __init__(self, replay):
        self.probe = rec("x", req("REGISTER", f"sip:{SRV}", "a", "u1", f"sip:u1@{SRV}",
                                  "probe", 1, "z9hG4bKp"))
        ch = next(t for _, t in show(replay, [self.probe]) if t.startswith("SIP/2.0 401"))
        self.realm = re.search(r'realm="([^"]*)"', ch).group(1)
        self.nonce = re.search(r'nonce="([^"]*)"', ch).group(1)
        self.nc = 0

    def hdr(self, user, pw, method, uri):
        self.nc += 1
        nc = f"{self.nc:08x}"
        ha1 = md5(f"{user}:{self.realm}:{pw}")
        resp = md5(f"{ha1}:{self.nonce}:{nc}:fzcn:auth:{md5(f'{method}:{uri}')}")
        return (f'Authorization: Digest username="{user}", realm="{self.realm}", '
                f'nonce="{self.nonce}", uri="{uri}", response="{resp}", algorithm=MD5, '
                f'cnonce="fzcn", nc={nc}, qop=auth\r\n')


def flows(replay):
    au = Auth(replay)
    reg_b = rec("b", req("REGISTER", f"sip:{SRV}", "b", "u2", f"sip:u2@{SRV}", "reg-u2", 2,
                         "z9hG4bKrb2", extra="Expires: 600\r\n"
                         + au.hdr("u2", "u2pass", "REGISTER", f"sip:{SRV}")))
    invite = req("INVITE", f"sip:2@{SRV}", "a", "u1", f"sip:2@{SRV}", "call@a", 2,
                 "z9hG4bKi2", ftag="c1", body=SDP_A,
                 extra=au.hdr("u1", "u1pass", "INVITE", f"sip:2@{SRV}"))
    inv = rec("a", invite)
    s = {}
    s["register-challenge"] = [
        rec("a", req("REGISTER", f"sip:{SRV}", "a", "u1", f"sip:u1@{SRV}", "reg-u1", 1,
                     "z9hG4bKr1", extra="Expires: 600\r\n")),
        rec("a", req("REGISTER", f"sip:{SRV}", "a", "u1", f"sip:u1@{SRV}", "reg-u1", 2,
                     "z9hG4bKr2", extra="Expires: 600\r\n"
                     + au.hdr("u1", "u1pass", "REGISTER", f"sip:{SRV}")), adv=100)]
    s["register-unregister"] = [reg_b, rec("b", req(
        "REGISTER", f"sip:{SRV}", "b", "u2", f"sip:u2@{SRV}", "reg-u2", 3, "z9hG4bKrb3",
        extra="Expires: 0\r\n" + au.hdr("u2", "u2pass", "REGISTER", f"sip:{SRV}")), adv=2000)]
    s["register-wrong-password"] = [rec("b", req(
        "REGISTER", f"sip:{SRV}", "b", "u2", f"sip:u2@{SRV}", "reg-bad", 1, "z9hG4bKw",
        extra=au.hdr("u2", "nope", "REGISTER", f"sip:{SRV}")))]
    # 400 s on, past --nonce-ttl: the same credentials are stale
    s["register-stale"] = [reg_b, rec("b", b"", 0, 200000), rec("b", req(
        "REGISTER", f"sip:{SRV}", "b", "u2", f"sip:u2@{SRV}", "reg-u2", 4, "z9hG4bKst",
        extra=au.hdr("u2", "u2pass", "REGISTER", f"sip:{SRV}")), adv=200000)]
    s["invite-unauth"] = [reg_b, rec("a", invite.replace(invite[invite.index("Authorization"):
                                                                   invite.index("\r\n", invite.index("Authorization")) + 2], ""))]
    answered = [reg_b, inv, reply("b", 180, adv=100), reply("b", 200, SDP_B, adv=500),
                indialog("a", "ACK", adv=10)]
    s["call-caller-bye-unauth"] = answered + [indialog("a", "BYE", adv=2000),
                                              reply("b", 200, adv=10)]
    s["call-callee-bye"] = answered + [indialog("b", "BYE", adv=2000, cseq=1)]
    s["call-reinvite-info-update"] = answered + [
        indialog("b", "INVITE", SDP_B.replace("41000", "41002"), adv=500, cseq=1),
        indialog("b", "ACK", adv=10), indialog("a", "INFO", adv=100),
        indialog("a", "UPDATE", SDP_A, adv=100), indialog("a", "OPTIONS", adv=100)]
    s["call-rejected-486"] = [reg_b, inv, reply("b", 486, adv=100), indialog("b", "ACK")]
    s["call-callee-challenges"] = [reg_b, inv, reply("b", 407, adv=100)]
    s["call-redirect"] = [reg_b, inv, reply("b", 302, adv=100)]
    s["call-noanswer"] = [reg_b, inv, reply("b", 180, adv=100), rec("x", b"", 0, 8000),
                          reply("b", 487, adv=10)]
    s["call-cancel"] = [reg_b, inv, reply("b", 180, adv=100), rec("a", req(
        "CANCEL", f"sip:2@{SRV}", "a", "u1", f"sip:2@{SRV}", "call@a", 2, "z9hG4bKi2",
        ftag="c1"), adv=500), reply("b", 200), reply("b", 487), indialog("b", "ACK")]
    s["call-unregistered-callee"] = [inv, rec("a", b"", 0, 32000)]
    s["call-retransmits"] = [reg_b, inv, rec("a", invite, adv=500), reply("b", 100),
                             rec("b", b"", 3, 500), rec("a", b"", 3, 2000)]
    s["call-late-200-after-cancel"] = [reg_b, inv, rec("a", req(
        "CANCEL", f"sip:2@{SRV}", "a", "u1", f"sip:2@{SRV}", "call@a", 2, "z9hG4bKi2",
        ftag="c1"), adv=100), reply("b", 200, SDP_B)]
    s["options-and-unknown"] = [
        rec("x", req("OPTIONS", f"sip:{SRV}", "a", "u1", f"sip:{SRV}", "o@x", 1, "z9hG4bKo")),
        rec("v6", req("MESSAGE", f"sip:2@{SRV}", "a", "u1", f"sip:2@{SRV}", "m@x", 1,
                      "z9hG4bKm", body="hi")),
        rec("a", req("BYE", f"sip:2@{SRV}", "a", "u1", f"sip:2@{SRV}", "nodlg@x", 1,
                     "z9hG4bKnd", to_tag="zz")),
        rec("b", "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.61:5060;branch=z9hG4bKstray\r\n"
            "From: <sip:a@b>;tag=1\r\nTo: <sip:b@c>;tag=2\r\nCall-ID: stray\r\n"
            "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n")]
    # the caller's BYE with credentials needs the To tag we gave the A leg
    out = show(replay, [au.probe] + answered)
    ok = [t for to, t in out if to == EP["a"] and t.startswith("SIP/2.0 200")
          and "CSeq: 2 INVITE" in t]
    if ok:
        tag = re.search(r"^To:.*;tag=([^;\r\n]+)", ok[-1], re.M).group(1)
        bye = req("BYE", f"sip:2@{SRV}", "a", "u1", f"sip:2@{SRV}", "call@a", 3,
                  "z9hG4bKbye", ftag="c1", to_tag=tag,
                  extra='Reason: SIP;text="User hangup"\r\n'
                  + au.hdr("u1", "u1pass", "BYE", f"sip:2@{SRV}"))
        s["call-caller-bye-auth"] = answered + [rec("a", bye, adv=2000),
                                                reply("b", 200, adv=10)]
    return {k: [au.probe] + v for k, v in s.items()}


def pcap_seed(pcap):
    """The pcap's SIP datagrams, caller side from a, callee side from b."""
    r = subprocess.run(["tshark", "-r", pcap, "-Y", "sip", "-T", "fields", "-e", "ip.src",
                        "-e", "udp.payload"], capture_output=True, text=True, check=True)
    recs = []
    for line in r.stdout.splitlines():
        src, _, hexp = line.partition("\t")
        if not hexp:
            continue
        peer = "b" if src.endswith(".101") else "a" if src.endswith(".183") else "x"
        recs.append(rec(peer, bytes.fromhex(hexp.replace(":", "")), 0, 10))
    return recs[:64]


def main():
    replay, outdir = sys.argv[1], sys.argv[2]
    seeds = flows(replay)
    if len(sys.argv) > 3:
        seeds["pcap-b2bua-auth"] = pcap_seed(sys.argv[3])
    os.makedirs(outdir, exist_ok=True)
    for name, recs in seeds.items():
        with open(os.path.join(outdir, "seed-" + name), "wb") as f:
            f.write(b"".join(recs))
    print(f"{len(seeds)} seeds in {outdir}")


if __name__ == "__main__":
    main()
