#!/bin/sh
# check-includes.sh: one include style, and includes that follow the
# libraries' links (top-level CMakeLists.txt).
#
# Every project header is included with quotes by its path from one of
# the two include roots: src/ ("core/buf.h", "engine/engine.h") or the
# repository root ("dissectors/sip.h", "reports/report.h",
# "tests/unit/unit.h"). So, in every .c/.h of src/, dissectors/, reports/
# and tests/, this fails on:
#  - "../" or "./" in an include;
#  - "src/..." (src/ is a root: "core/buf.h", not "src/core/buf.h");
#  - a quoted name that is no header under either root, e.g. a bare
#    same-directory name ("fmt.h" from reports/; only src/cli.h, at the
#    src/ root itself, is spelled without a directory);
#  - a name found under both roots, or a top-level directory that src/
#    also has (the roots must share no name, or a spelling would be
#    ambiguous);
#  - a project header in angle brackets.
# And outside tests/, a directory includes only headers of the libraries
# it links (the table below mirrors the CMake links), so the links stay
# acyclic and the server and phone never reach into the analyzer.
# Exit 1 listing every offending line.
set -u
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp) || exit 2
trap 'rm -f "$tmp"' EXIT
find src dissectors reports tests -name '*.h' -type f >"$tmp"
fail=0
for d in */; do
	d=${d%/}
	if [ -e "src/$d" ]; then
		echo "src/$d: the repository root and src/ both have '$d': includes of it would be ambiguous"
		fail=1
	fi
done
find src dissectors reports tests -type f \( -name '*.c' -o -name '*.h' \) | sort |
xargs awk -v hdrs="$tmp" '
BEGIN {
	while ((getline h < hdrs) > 0)
		hdr[h] = 1
	# directory (under src/, or top level) -> what its files may include:
	# directories, or single headers. Mirrors target_link_libraries.
	allow["core"]        = "core"
	allow["capture"]     = "core capture"
	allow["dissectors"]  = "core dissectors"
	allow["model"]       = "core model dissectors/sip.h"
	allow["correlate"]   = "core dissectors model correlate"
	allow["reports"]     = "core model reports"
	allow["engine"]      = "core capture dissectors model correlate engine"
	allow["store"]       = "core dissectors model engine store"
	allow["export"]      = "core capture dissectors model engine export"
	allow["sip"]         = "core sip capture/pcapwrite.h"
	allow["server"]      = "core sip server"
	allow["phone"]       = "core sip phone"
	allow["tui"]         = "core capture dissectors model correlate reports engine store tui cli.h"
	allow["src"]         = "core capture dissectors model correlate reports engine store export tui cli.h"
	bad = 0
}
function report(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg
	bad = 1
}
# the library a file belongs to: "core" for src/core/x.c, "src" for
# src/main.c, "dissectors" for dissectors/x.c; "" for tests
function owner(path,   n, p) {
	n = split(path, p, "/")
	if (p[1] == "tests")
		return ""
	if (p[1] == "src")
		return n == 2 ? "src" : p[2]
	return p[1]
}
# the library of a resolved include, "cli.h" for the program header
function target(name,   n, p) {
	n = split(name, p, "/")
	return n == 1 ? name : p[1]
}
/^[ \t]*#[ \t]*include[ \t]*"/ {
	name = $0
	sub(/^[^"]*"/, "", name)
	sub(/".*$/, "", name)
	if (name ~ /(^|\/)\.\.?\//) {
		report("relative include \"" name "\": spell it from src/ or the repository root")
		next
	}
	if (name ~ /^src\//) {
		report("\"" name "\": src/ is an include root, drop the \"src/\"")
		next
	}
	in_src = (("src/" name) in hdr)
	in_top = (name in hdr)
	if (in_src && in_top) {
		report("\"" name "\" is under both src/ and the repository root")
		next
	}
	if (!in_src && !in_top) {
		report("\"" name "\" is no header under src/ or the repository root (a bare same-directory name? spell it \"dir/" name "\")")
		next
	}
	me = owner(FILENAME)
	if (me == "")
		next
	if (!(me in allow)) {
		report("directory \"" me "\" is not in the include table of tests/check-includes.sh")
		next
	}
	t = target(name)
	if (t == "tests") {
		report("\"" name "\": only tests include tests/")
		next
	}
	n = split(allow[me], ok, " ")
	found = 0
	for (i = 1; i <= n; i++)
		if (ok[i] == t || ok[i] == name)
			found = 1
	if (!found)
		report("\"" name "\": " me " does not link " t " (allowed: " allow[me] ")")
	next
}
/^[ \t]*#[ \t]*include[ \t]*</ {
	name = $0
	sub(/^[^<]*</, "", name)
	sub(/>.*$/, "", name)
	if ((("src/" name) in hdr) || (name in hdr))
		report("<" name "> is a project header: include it with quotes")
}
END { exit bad }
' || fail=1
exit $fail
