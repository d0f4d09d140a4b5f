#!/usr/bin/env python3
"""A capture written into a pipe that stays open, as `tcpdump -U -w - |
sipladder ladder -` gives: each finished call must be on stdout within
15 s of its last packet, while the pipe is still open, not at EOF.

The capture's newest frame is the engine's clock; once the writer goes
quiet the engine follows the wall clock, so the calls (over for 10 s of
linger) appear about 10 s after the write. This test waits on that
output with a 15 s deadline (the requirement), never on a fixed sleep."""
import os
import select
import subprocess
import sys
import time

DEADLINE_S = 15.0


def main():
    binary, capture = sys.argv[1], sys.argv[2]
    want = [l for l in sys.argv[3:]]
    with open(capture, "rb") as f:
        data = f.read()
    p = subprocess.Popen([binary, "ladder", "-"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # odd-sized writes: records arrive cut anywhere, as from a live writer
    off, sizes, i = 0, (1, 5, 24, 333, 4096), 0
    while off < len(data):
        k = sizes[i % len(sizes)]
        p.stdin.write(data[off:off + k])
        p.stdin.flush()
        off += k
        i += 1
    written = time.monotonic()
    out = b""
    found = set()
    while len(found) < len(want):
        left = written + DEADLINE_S - time.monotonic()
        if left <= 0:
            break
        r, _, _ = select.select([p.stdout], [], [], left)
        if not r:
            break
        chunk = os.read(p.stdout.fileno(), 65536)
        if not chunk:
            break
        out += chunk
        for w in want:
            if w.encode() in out:
                found.add(w)
    took = time.monotonic() - written
    alive = p.poll() is None
    rest, err = p.communicate(timeout=30)   # closes the pipe: EOF
    missing = [w for w in want if w not in found]
    if missing or not alive:
        sys.stderr.write("pipe-open: missing %r after %.1f s (process %s)\n--- stdout\n%s\n"
                         "--- stderr\n%s\n" % (missing, took, "running" if alive else "exited",
                                               (out + rest).decode(errors="replace"),
                                               err.decode(errors="replace")))
        return 1
    if p.returncode != 0:
        sys.stderr.write("pipe-open: exit %d\n%s" % (p.returncode, err.decode(errors="replace")))
        return 1
    if rest.strip():
        sys.stderr.write("pipe-open: output after EOF that should have come before:\n%s\n"
                         % rest.decode(errors="replace"))
        return 1
    print("pipe-open: %d calls shown %.1f s after the last write, pipe still open"
          % (len(want), took))
    return 0


if __name__ == "__main__":
    sys.exit(main())
