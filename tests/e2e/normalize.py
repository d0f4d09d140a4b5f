#!/usr/bin/env python3
"""normalize.py: reduce `sipladder calls --json` of an e2e run to what must
not change from run to run: who sent what to whom on which leg, the auth
round trips, the join, the streams and whether late RTP drew ICMP. Times,
Call-IDs, tags, packet counts and jitter are left out (they vary)."""
import argparse
import json
import sys

ROLES = {"127.0.0.50": "server", "127.0.0.183": "caller", "127.0.0.101": "callee"}


def role(addr, scenario):
    ip = addr.rsplit(":", 1)[0]
    r = ROLES.get(ip, addr)
    if scenario == "direct":
        # The seed's direct call: .101 calls .183.
        r = {"callee": "caller", "caller": "callee"}.get(r, r)
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--live", type=int, default=0)
    ap.add_argument("jsonl")
    a = ap.parse_args()
    out = []
    with open(a.jsonl) as f:
        objs = [json.loads(line) for line in f if line.strip()]
    for o in objs:
        if o["type"] not in ("call", "registration"):
            continue
        R = lambda x: role(x, a.scenario)
        auth = o["auth"]
        if o["type"] == "registration":
            out.append(f"registration {o['from']} {o['state']} status {o['status']}"
                       f" challenges {auth['invite_challenges']}")
        else:
            out.append(f"call {o['from']} -> {o['to']} ({o['callee']}) {o['state']}"
                       f" status {o['status']} hangup by {o['hangup_by']}")
            out.append(f"auth invite_challenges {auth['invite_challenges']}"
                       f" bye_challenges {auth['bye_challenges']} authorised {auth['authorised']}")
            for leg in o["legs"]:
                j = f" joined to {leg['joined_to']} confidence {leg['confidence']}" if leg["joined_to"] else ""
                out.append(f"leg {leg['name']} {R(leg['uac'])} -> {R(leg['uas'])}{j}")
        for m in o["messages"]:
            rt = " (retransmission)" if m["retransmission"] else ""
            an = f" anomalies {','.join(m['anomalies'])}" if m["anomalies"] else ""
            out.append(f"  {m['leg']} {R(m['src']):6} -> {R(m['dst']):6} {m['label']}{rt}{an}")
        icmp = 0
        for s in sorted(o.get("streams") or [], key=lambda s: (s["leg"], R(s["src"]))):
            ok = "packets" if s["packets"] > 0 else "no packets"
            out.append(f"  rtp {s['leg']} {R(s['src'])} -> {R(s['dst'])} {s['codec']} {ok} lost {s['lost']}")
            icmp += s["after_bye"]["icmp_unreachable"]
        if o["type"] == "call":
            out.append(f"icmp port unreachable after BYE: {'yes' if icmp else 'no'}")
    print("\n".join(out))


if __name__ == "__main__":
    sys.exit(main())
