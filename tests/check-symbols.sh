#!/bin/sh
# check-symbols.sh LIB.a...: no global symbol is defined by two of the
# project's static libraries, nor twice inside one (DESIGN 3.2b). A
# program that links the analyzer and the server worlds together (a test,
# a fuzzer) would otherwise get whichever definition the linker met
# first, silently. Weak and common definitions are left out: they are
# allowed to repeat. Exit 1 listing every such symbol and where it is.
set -u
[ $# -gt 0 ] || { echo "usage: $0 lib.a..." >&2; exit 2; }
NM=${NM:-nm}
tmp=$(mktemp) || exit 2
trap 'rm -f "$tmp"' EXIT
for lib in "$@"; do
	[ -r "$lib" ] || { echo "$0: cannot read $lib" >&2; exit 2; }
	name=$(basename "$lib")
	# "obj.o:" headers, then "addr T sym"; keep strong definitions only
	"$NM" -g --defined-only "$lib" | awk -v lib="$name" '
		/:$/ { obj = substr($0, 1, length($0) - 1); next }
		NF >= 3 && $2 ~ /^[BDGRSTi]$/ { print $3, lib "(" obj ")" }
	' >>"$tmp" || exit 2
done
dups=$(sort "$tmp" | awk '
	$1 == prev { where = where " " $2; n++; next }
	{ if (n > 1) print prev ":" where; prev = $1; where = " " $2; n = 1 }
	END { if (n > 1) print prev ":" where }
')
if [ -n "$dups" ]; then
	printf 'symbols defined more than once (give one world distinct names):\n%s\n' "$dups"
	exit 1
fi
exit 0
