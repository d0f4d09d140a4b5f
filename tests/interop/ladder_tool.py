#!/usr/bin/env python3
"""ladder_tool.py: checks and comparisons over `sipladder calls --json`
for the interop scripts (python3, standard library only).

  check MODE CALLS CALLER SERVER CALLEE JSONL PREFIX
      MODE b2bua (sipladder-server) or proxy (Kamailio). Every INVITE call
      in JSONL must be the SIPp call, completed, authorised, with the
      expected messages on both hops and RTP both ways; exactly CALLS such
      calls, and every registration must have succeeded. Writes the first
      call's message sequence, by role, to PREFIX.sequence and prints its
      leg A Call-ID (for `sipladder ladder --call`). Exit 1 with every
      problem listed when the capture is not what it should be.
  mask IN OUT
      Copies a ladder with the leading time of each row blanked, so runs
      can be compared.
  compare NAME_A SEQ_A NAME_B SEQ_B
      Prints two sequences side by side, aligned (difflib), and a summary
      of what only one side has.
"""
import difflib
import json
import re
import sys

# Messages of one hop in order; 100 Trying is optional (SIPp and servers
# send it or not) and retransmissions are left out. "AUTH" stands for the
# challenge: 401 from a B2BUA acting as the UAS (Yate), 407 from a proxy.
HOP_CALLER = ["c>s INVITE", "s>c AUTH", "c>s ACK", "c>s INVITE", "s>c 180",
              "s>c 200", "c>s ACK", "c>s BYE", "s>c AUTH", "c>s BYE",
              "s>c 200"]
HOP_CALLEE = ["s>u INVITE", "u>s 180", "u>s 200", "s>u ACK", "s>u BYE",
              "u>s 200"]
CHALLENGE = {"b2bua": "401", "proxy": "407"}
# (earlier, later): causality that holds for a B2BUA and a proxy alike.
# Indexes are into HOP_CALLER (a) and HOP_CALLEE (b).
ORDER_COMMON = [(("a", 3), ("b", 0)),   # authorised INVITE, then the callee's
                (("b", 1), ("a", 4)),   # 180 relayed
                (("b", 2), ("a", 5)),   # 200 relayed
                (("a", 9), ("b", 4))]   # authorised BYE, then the callee's
ORDER_PROXY = [(("a", 6), ("b", 3)),    # the ACK is forwarded, not made
               (("b", 5), ("a", 10))]   # the BYE's 200 is relayed
ROLE_NAMES = {"c": "caller", "s": "server", "u": "callee"}


def host(endpoint):
    if endpoint.startswith("["):
        return endpoint[1:endpoint.index("]")]
    return endpoint.rsplit(":", 1)[0]


class Checker:
    def __init__(self, mode, roles):
        self.mode = mode
        self.roles = roles  # ip -> "c" | "s" | "u"
        self.problems = []

    def fail(self, call, what):
        self.problems.append("call %s: %s" % (call.get("index"), what))

    def token(self, msg):
        src = self.roles.get(host(msg["src"]), "?")
        dst = self.roles.get(host(msg["dst"]), "?")
        what = msg["method"] if msg["method"] else str(msg["status"])
        return "%s>%s %s" % (src, dst, what)

    def sequence(self, call):
        """(token, leg, label) of every message but 100s and retransmissions."""
        seq = []
        for m in call["messages"]:
            if m["retransmission"] or m["status"] == 100:
                continue
            seq.append((self.token(m), m["leg"], m["label"]))
        return seq

    def check_call(self, call):
        seq = self.sequence(call)
        challenge = CHALLENGE[self.mode]
        want = {"a": [t.replace("AUTH", challenge) for t in HOP_CALLER],
                "b": HOP_CALLEE}
        hops = {"a": [], "b": []}
        for pos, (tok, _, _) in enumerate(seq):
            roles = tok[0] + tok[2]
            hop = "a" if "c" in roles else "b" if "u" in roles else None
            if hop is None:
                self.fail(call, "message between unexpected hosts: " + tok)
                continue
            hops[hop].append((tok, pos))
        for hop in "ab":
            got = [t for t, _ in hops[hop]]
            if got != want[hop]:
                self.fail(call, "hop %s messages\n    got  %s\n    want %s"
                          % ("caller-server" if hop == "a" else "server-callee",
                             got, want[hop]))
                return
        order = ORDER_COMMON + (ORDER_PROXY if self.mode == "proxy" else [])
        for (h1, i1), (h2, i2) in order:
            if hops[h1][i1][1] > hops[h2][i2][1]:
                self.fail(call, "%s came before %s" % (want[h2][i2], want[h1][i1]))
        for key, value in (("state", "completed"), ("hangup_by", "caller")):
            if call[key] != value:
                self.fail(call, "%s is %r, not %r" % (key, call[key], value))
        if not call["auth"]["authorised"]:
            self.fail(call, "INVITE without credentials")
        if call["auth"]["bye_challenges"] != 1:
            self.fail(call, "%d BYE challenges, not 1" % call["auth"]["bye_challenges"])
        legs = call["legs"]
        if self.mode == "b2bua":
            if len(legs) != 2 or legs[1]["joined_to"] != "A":
                self.fail(call, "not two joined legs: %s" % [
                    (l["name"], l["call_id"], l["joined_to"]) for l in legs])
            elif legs[0]["call_id"] == legs[1]["call_id"]:
                self.fail(call, "both legs have one Call-ID")
            # relayed media: each side sends to the server, the server on
            flows = {("c", "s"), ("s", "u"), ("u", "s"), ("s", "c")}
        else:
            if len(legs) != 1:
                self.fail(call, "%d legs through a proxy" % len(legs))
            flows = {("c", "u"), ("u", "c")}
        seen = set()
        for st in call["streams"]:
            pair = (self.roles.get(host(st["src"])), self.roles.get(host(st["dst"])))
            if st["packets"] > 0 and st["codec"] == "PCMU":
                seen.add(pair)
        if not flows <= seen:
            self.fail(call, "RTP flows missing: %s" % sorted(
                "%s->%s" % (ROLE_NAMES[a], ROLE_NAMES[b]) for a, b in flows - seen))
        return seq


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def cmd_check(argv):
    mode, calls, caller, server, callee, jsonl, prefix = argv
    if mode not in CHALLENGE:
        raise SystemExit("mode must be b2bua or proxy")
    checker = Checker(mode, {caller: "c", server: "s", callee: "u"})
    objs = read_jsonl(jsonl)
    found = [o for o in objs if o["type"] == "call"]
    first = None
    for call in found:
        seq = checker.check_call(call)
        if first is None and seq is not None:
            first = (call, seq)
    if len(found) != int(calls):
        checker.problems.append("%d calls in the capture, not %s" % (len(found), calls))
    for reg in (o for o in objs if o["type"] == "registration"):
        if reg["state"] not in ("registered", "unregistered"):
            checker.problems.append("registration %s of %s: %s"
                                    % (reg["index"], reg["from"], reg["state"]))
    if checker.problems or first is None:
        for p in checker.problems or ["no call"]:
            print("check: " + p, file=sys.stderr)
        return 1
    call, seq = first
    with open(prefix + ".sequence", "w", encoding="utf-8") as f:
        for tok, leg, label in seq:
            f.write("%-16s %-3s %s\n" % (
                "%s -> %s" % (ROLE_NAMES.get(tok[0], "?"), ROLE_NAMES.get(tok[2], "?")),
                leg or "-", label))
        # what the message list does not show: dialogs and media paths
        f.write("# dialogs: %d (%s)\n" % (
            len(call["legs"]), ", ".join(
                "%s %s->%s" % (l["name"], l["from"], l["to"]) for l in call["legs"])))
        flows = []
        for st in call["streams"]:
            flow = "%s->%s" % (ROLE_NAMES.get(checker.roles.get(host(st["src"])), "?"),
                               ROLE_NAMES.get(checker.roles.get(host(st["dst"])), "?"))
            if flow not in flows:
                flows.append(flow)
        f.write("# rtp: %s\n" % ", ".join(flows))
    print(call["call_id"][0])
    return 0


def cmd_mask(argv):
    src, dst = argv
    row = re.compile(r"^( *)(\d+\.\d+)( )")
    with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as o:
        for line in f:
            o.write(row.sub(lambda m: m.group(1) + "t".rjust(len(m.group(2)), ".")
                            + m.group(3), line))
    return 0


def cmd_compare(argv):
    name_a, path_a, name_b, path_b = argv
    with open(path_a, encoding="utf-8") as f:
        a = [l.rstrip("\n") for l in f]
    with open(path_b, encoding="utf-8") as f:
        b = [l.rstrip("\n") for l in f]
    meta_a = [l for l in a if l.startswith("#")]
    meta_b = [l for l in b if l.startswith("#")]
    a = [l for l in a if not l.startswith("#")]
    b = [l for l in b if not l.startswith("#")]
    # align on direction + method/status, ignoring leg names and phrases
    key = lambda l: " ".join(l.split()[:3]) + " " + l.split()[4]
    sm = difflib.SequenceMatcher(None, [key(l) for l in a], [key(l) for l in b],
                                 autojunk=False)
    width = max([len(l) for l in a] + [len(name_a)]) + 2
    print("%-*s   %s" % (width, name_a, name_b))
    only_a, only_b = [], []
    for op, a0, a1, b0, b1 in sm.get_opcodes():
        for i in range(max(a1 - a0, b1 - b0)):
            la = a[a0 + i] if a0 + i < a1 else ""
            lb = b[b0 + i] if b0 + i < b1 else ""
            mark = "=" if op == "equal" else "|" if la and lb else "<" if la else ">"
            print("%-*s %s %s" % (width, la, mark, lb))
            if op != "equal":
                if la:
                    only_a.append(" ".join(la.split()[4:]))
                if lb:
                    only_b.append(" ".join(lb.split()[4:]))
    print("%d messages vs %d; %d in the same place" % (
        len(a), len(b), sum(t.size for t in sm.get_matching_blocks())))
    print("only or elsewhere in %s: %s" % (name_a, ", ".join(only_a) or "none"))
    print("only or elsewhere in %s: %s" % (name_b, ", ".join(only_b) or "none"))
    pad = max(len(name_a), len(name_b)) + 1
    for ma, mb in zip(meta_a, meta_b):
        print("%-*s %s\n%-*s %s" % (pad, name_a + ":", ma[2:], pad, name_b + ":", mb[2:]))
    return 0


def main():
    cmds = {"check": cmd_check, "mask": cmd_mask, "compare": cmd_compare}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        return cmds[sys.argv[1]](sys.argv[2:])
    except ValueError as e:
        print("ladder_tool: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
