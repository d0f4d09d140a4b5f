#!/usr/bin/env python3
"""ids.py (finding 1): the server's identifiers are unpredictable.

Server A (no --seed; --rate-limit 0, this test sends many challenged
requests) answers 150 unauthenticated INVITEs (401 To tags, nonces) and
carries 20 calls between scripted phones (A-leg To tags, B-leg Call-IDs,
From tags and INVITE branches, the ACK and BYE branches). Over the ~250
identifiers: no repeats (nonces included); per kind (tag, Call-ID, branch)
the digits are uniform (chi-square, p ~ 1e-7 bound) and the bits of their
values balanced (monobit overall and, with >= 100 samples, per bit
position: |z| <= 6). Then servers B and C are started within the same
second (retried if a second boundary falls between) and each challenges 40
INVITEs and carries 2 calls: their identifier sets are disjoint (a
time-seeded generator would repeat). Server D with --seed must warn that
its ids are insecure.
usage: ids.py SERVER_BIN PHONE_BIN CONF_DIR WORK_DIR [NET SIP_PORT RTP]
"""
import math
import re
import sys

import sipsec as S

Z_MAX = 6.0


def harvest(t, a, srv, net_ip_base, n_unauth, n_calls):
    """{kind: [ids]} seen from srv: 'tag', 'callid', 'branch', 'nonce'."""
    ids = {"tag": [], "callid": [], "branch": [], "nonce": []}
    port = a.sip_port + 1
    u1 = S.UA(net_ip_base + ".183", port, "u1", "u1pass", srv)
    u2 = S.UA(net_ip_base + ".101", port, "u2", "u2pass", srv)
    r, _, ch = u2.register()
    t.check(r is not None and r.code == 200, "%s: u2 registers" % srv.name)
    if ch:
        ids["nonce"].append(S.parse_challenge(ch).get("nonce"))
    ruri = "sip:2@%s" % srv.ip
    for i in range(n_unauth):
        callid = S.new_callid(u1.ip)
        br = S.new_branch()
        u1.send(u1.req("INVITE", ruri, callid, 1, S.new_tag(), ruri, branch=br,
                       body=S.sdp(u1.ip, 4000)), srv.addr)
        r = u1.final_to(callid, 1, timeout=2.0)
        if r is None or r.code != 401:
            t.check(False, "%s: unauthenticated INVITE %d gets 401 (got %s)" % (
                srv.name, i, r and r.code))
            break
        u1.send(S.ack_for(u1, r, ruri, branch=br), srv.addr)
        ids["tag"].append(r.to_tag())
        ids["nonce"].append(S.parse_challenge(r.h("www-authenticate")).get("nonce"))
    for i in range(n_calls):
        call = S.Call(t, u1, u2, "2", port + 100, port + 200)
        ok = call.start() and call.ring() and call.answer()
        if ok:
            ids["tag"] += [call.a_tag, call.b_inv.from_tag()]
            ids["callid"].append(call.b_inv.callid())
            ids["branch"].append(call.b_inv.branch())
            ids["nonce"].append(S.parse_challenge(call.challenge).get("nonce"))
            ack = [p.msg for p in u2.seen if p.msg and p.msg.method == "ACK" and
                   p.msg.callid() == call.b_inv.callid()]
            if ack:
                ids["branch"].append(ack[-1].branch())
            # the callee hangs up: the server's BYE on the A leg has a branch
            u2.send(call.callee_bye_req(), srv.addr)
            r = u2.final_to(call.b_inv.callid(), call.b_cseq, "BYE")
            t.check(r is not None and r.code == 200, "%s: callee's BYE gets 200" % srv.name)
            bye = u1.expect(lambda m: m.method == "BYE" and m.callid() == call.a_callid, 3.0)
            if bye is not None:
                u1.send(S.response(bye, 200, "OK"), srv.addr)
                ids["branch"].append(bye.branch())
        call.close()
        if not ok:
            t.check(False, "%s: call %d completes" % (srv.name, i))
            break
    u1.close()
    u2.close()
    for k in ids:
        ids[k] = [x for x in ids[k] if x]
    return ids


def core(s):
    """The random part of an id: no branch cookie, no @host."""
    if s.startswith("z9hG4bK"):
        s = s[7:]
    return s.split("@", 1)[0]


def chi2_ok(counts, what, t):
    n = sum(counts.values())
    k = len(counts)
    if k < 2 or n / k < 5:
        print("%s: %d symbols over %d bins, too few for chi-square" % (what, n, k))
        return
    e = n / k
    chi = sum((c - e) ** 2 / e for c in counts.values())
    df = k - 1
    bound = df + 10 * math.sqrt(2 * df)
    t.check(chi <= bound, "%s: chi-square %.1f <= %.1f (df %d, %d symbols)" % (
        what, chi, bound, df, n))


def analyse(t, server, kind, ids):
    vals = [core(x) for x in ids]
    if not t.check(len(vals) >= 8, "%s: %d %s ids harvested" % (server, len(vals), kind)):
        return
    if all(re.fullmatch(r"[0-9]+", v) for v in vals):
        ints = [int(v) for v in vals]
        top = max(ints).bit_length()
        d = max(1, int(math.log10(max(ints) + 1)) - 3)
        counts = {str(i): 0 for i in range(10)}
        for v in ints:
            for ch in str(v % 10 ** d).zfill(d):
                counts[ch] += 1
        chi2_ok(counts, "%s %s: last %d decimal digits" % (server, kind, d), t)
    elif all(re.fullmatch(r"[0-9a-fA-F]+", v) for v in vals):
        ln = max(len(v) for v in vals)
        ints = [int(v, 16) for v in vals]
        top = 4 * ln
        counts = {"%x" % i: 0 for i in range(16)}
        for v in ints:
            for ch in "%0*x" % (ln, v):
                counts[ch] += 1
        chi2_ok(counts, "%s %s: hex digits" % (server, kind), t)
    else:
        counts = {}
        for v in vals:
            for ch in v:
                counts[ch] = counts.get(ch, 0) + 1
        chi2_ok(counts, "%s %s: characters" % (server, kind), t)
        return
    # bits of the values; the top two positions may be biased when the
    # range is not a power of two, so they are left out
    bits = max(1, top - 2)
    n = len(ints)
    ones = [sum((v >> b) & 1 for v in ints) for b in range(bits)]
    total = n * bits
    z = (sum(ones) - total / 2) / math.sqrt(total / 4)
    t.check(abs(z) <= Z_MAX, "%s %s: monobit z %.2f over %d bits" % (server, kind, z, total))
    if n >= 100:
        worst = max(range(bits), key=lambda b: abs(ones[b] - n / 2))
        zb = (ones[worst] - n / 2) / math.sqrt(n / 4)
        t.check(abs(zb) <= Z_MAX, "%s %s: every bit position balanced (worst bit %d: %d/%d "
                "ones, z %.2f)" % (server, kind, worst, ones[worst], n, zb))


def flat(ids, kinds=("tag", "callid", "branch", "nonce")):
    return [x for k in kinds for x in ids.get(k, [])]


def main():
    a, t, srv = S.start("ids", net="127.0.30", sip_port=27000, rtp="27100-27199",
                        extra=["--rate-limit", "0"], name="serverA")
    ids = harvest(t, a, srv, a.net, 150, 20)
    srv.stop(t)
    every = flat(ids, ("tag", "callid", "branch"))
    print("server A: %s" % ", ".join("%d %ss" % (len(v), k) for k, v in ids.items()))
    t.check(len(every) >= 200, "about 200 server-generated ids or more (got %d)" % len(every))
    dups = sorted({x for x in every if every.count(x) > 1})
    t.check(dups == [], "no id repeats (repeated: %s)" % dups[:5])
    nonces = ids["nonce"]
    t.check(len(set(nonces)) == len(nonces), "no nonce repeats (%d nonces, %d distinct)" % (
        len(nonces), len(set(nonces))))
    for kind in ("tag", "callid", "branch"):
        analyse(t, "server A", kind, ids[kind])

    # two servers started within the same second
    pair = None
    for attempt in range(3):
        b = S.Server(a, t, ip=a.net + ".51", extra=["--rate-limit", "0"], name="serverB")
        c = S.Server(a, t, ip=a.net + ".52", extra=["--rate-limit", "0"], name="serverC")
        b.spawn()
        c.spawn()
        if int(b.started_at) == int(c.started_at):
            pair = (b, c)
            break
        b.stop()
        c.stop()
    if not t.check(pair is not None, "servers B and C started within one second"):
        return t.done()
    sets = []
    for s in pair:
        t.check(s.wait_ready(), "%s prints its ready line" % s.name)
    for s in pair:
        # the same caller/callee addresses, one server after the other
        sets.append(set(flat(harvest(t, a, s, a.net, 40, 2))))
    both = sets[0] & sets[1]
    t.check(len(sets[0]) >= 40 and len(sets[1]) >= 40 and not both,
            "servers B and C (same second) share no id or nonce (%d, %d ids; common: %s)" % (
                len(sets[0]), len(sets[1]), sorted(both)[:5]))
    for s in pair:
        s.stop(t)

    # --seed: deterministic ids, announced as insecure
    d = S.Server(a, t, ip=a.net + ".53", seed=7, name="serverD").start()
    warned = [ln for ln in d.log().splitlines() if re.search(r"seed", ln, re.I) and
              re.search(r"insecure|warn", ln, re.I)]
    t.check(warned != [], "--seed prints a warning about insecure ids")
    return t.done(d)


if __name__ == "__main__":
    sys.exit(main())
