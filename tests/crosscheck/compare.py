#!/usr/bin/env python3
"""compare.py SIPLADDER_JSONL TSHARK_SIP_TSV TSHARK_STREAMS [--corrupt]

Compares sipladder's `calls --json` output with tshark on the same capture
(crosscheck.sh produces the three files):

- SIP messages: sipladder's summary `sip_messages` against the request and
  status lines tshark dissected. tshark shows one frame per datagram, so a
  datagram carrying two messages is one frame but two messages; the frame
  count is printed too.
- RTP streams, keyed by source, destination and SSRC: the same set on both
  sides; per stream packets and lost exactly, max delta, max jitter and
  mean jitter within 0.01 ms (both sides print 3 decimals, and sipladder
  re-derives Wireshark 4.0's arithmetic rather than sharing its code).

Exit 0 when everything agrees, 1 otherwise; every figure compared is
printed, ours against tshark's, so a failing ctest log says what differs.
"""
import json
import re
import sys

TOLERANCE_MS = 0.01

# One row of tshark -z rtp,streams (Wireshark 4.0): start, end, src, port,
# dst, port, SSRC, payload (may contain spaces), packets, "lost (pct%)",
# min/mean/max delta, min/mean/max jitter, optional problem flag.
ROW = re.compile(
    r"^\s*(?P<start>[\d.]+)\s+(?P<end>[\d.]+)\s+(?P<src>\S+)\s+(?P<sport>\d+)"
    r"\s+(?P<dst>\S+)\s+(?P<dport>\d+)\s+(?P<ssrc>0x[0-9A-Fa-f]+)\s+(?P<payload>.*?)"
    r"\s+(?P<packets>\d+)\s+(?P<lost>-?\d+) \([-\d.]+%\)"
    r"\s+(?P<min_delta>[-\d.]+)\s+(?P<mean_delta>[-\d.]+)\s+(?P<max_delta>[-\d.]+)"
    r"\s+(?P<min_jitter>[-\d.]+)\s+(?P<mean_jitter>[-\d.]+)\s+(?P<max_jitter>[-\d.]+)"
    r"\s*X?\s*$")


def endpoint(text):
    """'192.168.1.1:5060' or '[2001:db8::1]:5060' -> (host, port)."""
    host, _, port = text.rpartition(":")
    return host.strip("[]"), int(port)


def stream_key(src, sport, dst, dport, ssrc):
    return (src, int(sport), dst, int(dport), int(ssrc, 16))


def key_text(k):
    src, sport, dst, dport, ssrc = k
    src, dst = ("[%s]" % a if ":" in a else a for a in (src, dst))
    return "%s:%d -> %s:%d 0x%08X" % (src, sport, dst, dport, ssrc)


def read_sipladder(path):
    messages = None
    streams = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            obj = json.loads(line)
            if obj["type"] == "summary":
                messages = obj["sip_messages"]
                continue
            for s in obj["streams"]:
                k = stream_key(*endpoint(s["src"]), *endpoint(s["dst"]), s["ssrc"])
                if k in streams:
                    raise SystemExit("sipladder: stream %s twice" % key_text(k))
                streams[k] = {
                    "packets": s["packets"],
                    "lost": s["lost"],
                    "max_delta": s["max_delta_ms"],
                    "max_jitter": s["max_jitter_ms"],
                    "mean_jitter": s["mean_jitter_ms"],
                }
    if messages is None:
        raise SystemExit("sipladder: no summary line")
    return messages, streams


def read_tshark_sip(path):
    frames = 0
    messages = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 3:
                continue
            frames += 1
            # -E occurrence=a -E aggregator=, : every method / status code
            messages += sum(len(c.split(",")) for c in cols[1:3] if c)
    return frames, messages


def read_tshark_streams(path):
    streams = {}
    header = False
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if "Src IP addr" in line:
                header = True
                continue
            if not header or line.startswith("="):
                continue
            m = ROW.match(line)
            if m is None:
                raise SystemExit("tshark: cannot parse stream row: %r" % line)
            k = stream_key(m["src"], m["sport"], m["dst"], m["dport"], m["ssrc"])
            streams[k] = {
                "packets": int(m["packets"]),
                "lost": int(m["lost"]),
                "max_delta": float(m["max_delta"]),
                "max_jitter": float(m["max_jitter"]),
                "mean_jitter": float(m["mean_jitter"]),
            }
    if not header:
        raise SystemExit("tshark: no rtp,streams table")
    return streams


def compare_stream(k, ours, theirs):
    ok = True
    cells = []
    for field in ("packets", "lost"):
        same = ours[field] == theirs[field]
        ok &= same
        cells.append("%s %s/%s%s" % (field, ours[field], theirs[field],
                                     "" if same else " MISMATCH"))
    for field in ("max_delta", "max_jitter", "mean_jitter"):
        a, b = ours[field], theirs[field]
        # sipladder writes null when the clock rate is unknown; tshark 0
        same = (a if a is not None else 0.0) - b
        same = abs(same) <= TOLERANCE_MS + 1e-9
        ok &= same
        cells.append("%s %s/%.3f%s" % (field, "null" if a is None else "%.3f" % a,
                                       b, "" if same else " MISMATCH"))
    print("  %s: %s" % (key_text(k), ", ".join(cells)))
    return ok


def main(argv):
    if len(argv) not in (4, 5) or (len(argv) == 5 and argv[4] != "--corrupt"):
        print(__doc__, file=sys.stderr)
        return 2
    our_msgs, ours = read_sipladder(argv[1])
    frames, their_msgs = read_tshark_sip(argv[2])
    theirs = read_tshark_streams(argv[3])
    if len(argv) == 5 and theirs:
        first = sorted(theirs)[0]
        theirs[first]["packets"] += 1

    ok = our_msgs == their_msgs
    print("SIP messages: sipladder %d, tshark %d (in %d frames)%s"
          % (our_msgs, their_msgs, frames, "" if ok else " MISMATCH"))
    print("RTP streams: sipladder %d, tshark %d (figures: sipladder/tshark)"
          % (len(ours), len(theirs)))
    for k in sorted(set(ours) | set(theirs)):
        if k not in theirs:
            print("  %s: only in sipladder MISMATCH" % key_text(k))
            ok = False
        elif k not in ours:
            print("  %s: only in tshark MISMATCH" % key_text(k))
            ok = False
        else:
            ok &= compare_stream(k, ours[k], theirs[k])
    print("crosscheck: %s" % ("same figures" if ok else "MISMATCH"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
