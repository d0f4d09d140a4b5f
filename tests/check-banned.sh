#!/bin/sh
# check-banned.sh: curl's checksrc idea. Unbounded or locale-dependent C
# calls stay out of code that touches untrusted bytes, and each library
# stays behind its one boundary so it can be replaced or fuzzed alone.
# Exit 1 with the offending lines when anything is found.
set -u
cd "$(dirname "$0")/.." || exit 2
dirs="src dissectors reports"
fail=0
hit() {
	if [ -n "$2" ]; then
		printf '%s:\n%s\n\n' "$1" "$2"
		fail=1
	fi
}
hit "banned calls (use the bounded helpers in src/core)" "$(grep -rnE \
  '\b(sprintf|vsprintf|strcpy|strcat|strncpy|strtok|atoi|atol|sscanf|gets|alloca)[[:space:]]*\(' \
  $dirs --include='*.c' --include='*.h')"
hit "regcomp in a dissector (backtracking on wire data)" \
  "$(grep -rn 'regcomp' dissectors --include='*.c')"
# libpcap reads captures and writes them (src/capture/pcapwrite), all in
# slcapture.
hit "libpcap outside src/capture" \
  "$(grep -rln '#include <pcap' $dirs | grep -vE '^src/capture/')"
# The server and phone build and parse SIP with libosip2 directly (DESIGN 3.1);
# both worlds share its one-time set-up, src/core/osipinit.c (DESIGN 3.2b).
hit "libosip2 outside dissectors/sip.c, src/core/osipinit.c, src/sip, src/server, src/phone" \
  "$(grep -rln '#include <osip' $dirs | grep -vE '^dissectors/sip\.c$|^src/core/osipinit\.c$|^src/(sip|server|phone)/')"
# They share src/core with the analyzer, and the pcap writer
# (capture/pcapwrite.h, library slcapture), nothing else. Includes are
# spelled from the include roots (tests/check-includes.sh), so a path
# prefix names the directory.
hit "server/phone reaching into the analyzer (dissectors, correlate, model, store, reports, engine)" \
  "$(grep -rnE '#[[:space:]]*include[[:space:]]*"(dissectors|correlate|model|store|reports|engine|capture)/' \
    src/sip src/server src/phone 2>/dev/null | grep -v ':#include "capture/pcapwrite\.h"')"
# The call model (src/model) is what consumers read; the correlator's
# bookkeeping (corr_int.h) is its own, so reports never see it and the
# model needs nothing of the correlator or the renderers.
hit "reports reaching past the model (correlate, engine, capture, dissectors, store: read model/model.h)" \
  "$(grep -rnE '#[[:space:]]*include[[:space:]]*"(correlate|engine|capture|dissectors|store)/' reports 2>/dev/null)"
hit "corr_int.h outside src/correlate" \
  "$(grep -rln 'corr_int\.h' $dirs tests/unit 2>/dev/null | grep -v '^src/correlate/')"
hit "the model reaching into the correlator, reports, engine, capture or store" \
  "$(grep -rnE '#[[:space:]]*include[[:space:]]*"(correlate|reports|engine|capture|store)/' src/model 2>/dev/null)"
hit "sqlite3 outside src/store" \
  "$(grep -rln '#include <sqlite3.h>' $dirs | grep -v '^src/store/')"
hit "curses outside src/tui" \
  "$(grep -rlnE '#include <n?curses' $dirs | grep -v '^src/tui/')"
exit $fail
