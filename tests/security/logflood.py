#!/usr/bin/env python3
"""logflood.py (finding 5, review logflood): the log stays bounded under a
flood from many sources.

The log budget used to be per source only (5 full lines per source and
10 s), so each spoofed source bought 5 lines: 250 sources, 1250 lines.
Now at most 100 full lines are written per 10 s interval in all, and the
interval's report names at most 20 sources plus one line for the rest.

To count within one interval the test first learns where the server's
10 s report falls: a primer source (.253) sends 6 rejected datagrams, one
more than its burst, so the next report names it. Right after that line,
250 sources (127.0.43.1-.252 without the server's .50 and the probe's .90,
one socket bound to each address) send 5 rejected datagrams each, 1250 in
all (BYEs outside any dialog, malformed datagrams and stray 200 OKs in
turn). After a barrier (the probe's OPTIONS is answered: the server still
works, and has handled the flood), the test waits for the next report.
Checks: the flood was over before that report; the sources' full log lines
are at most 100, the report lines at most 21, and nothing else was logged
meanwhile; the report accounts for every line it suppressed (written +
suppressed = 1250).
usage: logflood.py SERVER_BIN PHONE_BIN CONF_DIR WORK_DIR [NET SIP_PORT RTP]
"""
import re
import sys
import time

import sipsec as S

PER_SOURCE = 5
LOG_GLOBAL = 100            # SL_RL_LOG_GLOBAL
REPORT_LINES = 20           # SL_RL_REPORT_LINES, plus one line for the rest
INTERVAL_S = 10.0           # SL_RL_INTERVAL_MS


def bad_datagram(ep, srv, k):
    """The k-th rejected datagram from ep: BYE outside a dialog, garbage,
    stray 200 OK."""
    if k % 3 == 0:
        return S.request("BYE", "sip:x@%s" % srv.ip, ep.ip, ep.port, "sip:a@%s" % ep.ip,
                         S.new_tag(), "sip:b@%s" % srv.ip, S.new_callid(ep.ip), 1,
                         to_tag=S.new_tag())
    if k % 3 == 1:
        return "NOT SIP %d from %s\r\n\r\n" % (k, ep.ip)
    return ("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP %s:%d;branch=z9hG4bKstray%d\r\n"
            "From: <sip:a@%s>;tag=1\r\nTo: <sip:b@%s>;tag=2\r\nCall-ID: stray%d@%s\r\n"
            "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n" % (
                srv.ip, srv.port, k, ep.ip, srv.ip, k, ep.ip))


def report_lines(log, ip_re):
    """The report lines of a log text about sources matching ip_re, and
    the 'more sources' lines."""
    named = re.findall(r"^sipladder-server: \w+: (%s): \d+ datagrams dropped.*$" % ip_re,
                       log, re.M)
    rest = re.findall(r"^sipladder-server: \w+: (\d+) more sources: .*$", log, re.M)
    return named, rest


def main():
    a, t, srv = S.start("logflood", net="127.0.43", sip_port=29030, rtp="29400-29499")
    probe = S.party(a, "probe")
    net_re = re.escape(a.net) + r"\.\d+"

    # the primer: 6 rejected datagrams, the next report names it
    primer = S.Endpoint(a.net + ".253", a.sip_port + 1, "primer")
    for k in range(PER_SOURCE + 1):
        primer.send(bad_datagram(primer, srv, 0), srv.addr)
    t.check(S.sync(srv, probe), "barrier after the primer")
    pat = re.compile(r"^sipladder-server: \w+: %s: \d+ datagrams dropped" %
                     re.escape(primer.ip), re.M)
    t.check(S.wait_until(lambda: pat.search(srv.log()), INTERVAL_S + 3),
            "the primer is reported within %d s" % (INTERVAL_S + 3))
    mark = len(srv.log())

    # the flood, right after a report
    hosts = [h for h in range(1, 253) if h not in (50, 90)]
    eps = [S.Endpoint("%s.%d" % (a.net, h), a.sip_port + 1) for h in hosts]
    t0 = time.monotonic()
    sent = 0
    for ep in eps:
        for k in range(PER_SOURCE):
            ep.send(bad_datagram(ep, srv, k), srv.addr)
            sent += 1
    t.check(S.sync(srv, probe), "the server still answers after %d datagrams from %d "
            "sources" % (sent, len(eps)))
    took = time.monotonic() - t0
    during = srv.log()[mark:]
    t.check(report_lines(during, net_re) == ([], []),
            "the flood and its barrier (%.1f s) fit before the next report" % took)

    # the next report
    t.check(S.wait_until(lambda: report_lines(srv.log()[mark:], net_re)[1], INTERVAL_S + 3),
            "the next report comes within %d s" % (INTERVAL_S + 3))
    # the rest line is the report's last: the named ones are in
    text = srv.log()[mark:]
    lines = text.splitlines()
    flood_ips = set("%s.%d" % (a.net, h) for h in hosts)
    full = [ln for ln in lines
            if re.match(r"^sipladder-server: \w+: (%s):\d+: " % net_re, ln) and
            re.match(r"^sipladder-server: \w+: (%s):" % net_re, ln).group(1) in flood_ips]
    named, rest = report_lines(text, net_re)
    other = [ln for ln in lines if ln not in full and not re.search(
        r"datagrams dropped \(blocked\)", ln)]
    print("%d datagrams from %d sources in %.2f s: %d full log lines, %d report lines "
          "naming sources, %d for the rest, %d others" % (
              sent, len(eps), took, len(full), len(named), len(rest), len(other)))
    for ln in lines[-3:]:
        print("  " + ln)
    t.check(len(full) <= LOG_GLOBAL, "at most %d full log lines for the %d datagrams "
            "(got %d)" % (LOG_GLOBAL, sent, len(full)))
    t.check(len(full) >= 1, "the flood is logged at all (%d lines)" % len(full))
    t.check(len(named) <= REPORT_LINES and len(rest) == 1,
            "the report names at most %d sources and has one line for the rest (got %d, %d)"
            % (REPORT_LINES, len(named), len(rest)))
    t.check(len(lines) <= LOG_GLOBAL + REPORT_LINES + 1 and other == [],
            "nothing else logged: %d lines in the interval (others: %s)" % (
                len(lines), other[:3]))
    m = re.search(r"(\d+) more sources: (\d+) datagrams dropped \(blocked\), (\d+) log lines "
                  r"suppressed", text)
    suppressed = int(m.group(3)) if m else 0
    suppressed += sum(int(x) for x in re.findall(
        r"^sipladder-server: \w+: %s: \d+ datagrams dropped \(blocked\), (\d+) log lines "
        r"suppressed" % net_re, text, re.M))
    t.check(len(full) + suppressed == sent,
            "the report accounts for the suppressed lines (%d written + %d suppressed of "
            "%d)" % (len(full), suppressed, sent))
    for ep in eps:
        ep.close()
    return t.done(srv)


if __name__ == "__main__":
    sys.exit(main())
