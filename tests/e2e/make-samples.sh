#!/bin/sh
# make-samples.sh: record sample-pcaps/{b2bua-auth,direct-call,register}.pcap
# from live runs of the reference server and phones (tests/e2e/seed.sh),
# after checking each run against the seed. Needs root and tcpdump (the
# kernel's ICMP is only seen on the wire). The programs run with fixed
# --seed values, so Call-IDs, tags, branches and nonces repeat; the times,
# RTP counts and jitter are the machine's and differ run to run, which is
# why the files are committed and CI never runs this.
#   make-samples.sh [BUILD_DIR]   (default build/release)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
bin=${1:-$src/build/release}
[ "$(id -u)" = 0 ] && command -v tcpdump >/dev/null ||
	{ echo "make-samples.sh: needs root and tcpdump" >&2; exit 1; }
for scn in b2bua:b2bua-auth direct:direct-call register:register; do
	"$here/seed.sh" --scenario "${scn%%:*}" --bin "$bin" \
		--capture "$src/sample-pcaps/${scn#*:}.pcap" >/dev/null
	echo "make-samples.sh: wrote sample-pcaps/${scn#*:}.pcap"
done
