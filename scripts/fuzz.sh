#!/bin/sh
# scripts/fuzz.sh TARGET [MINUTES] — runs a fuzz target (fuzz/TARGET.c) with
# clang's libFuzzer, ASan and UBSan for MINUTES (default 10).
#
# TARGET: topology (the topology loader), script (whole runs of a fuzzed
# scenario), wire (every decoder and printer), inject (frames injected into
# a live network), bridge (bytes from outside sockets on 127.0.0.1
# through a bridge's TCP and UDP rules).  The build goes to build-fuzz/ (FUZZ_BUILD overrides);
# new inputs that reach new code collect in build-fuzz/corpus-TARGET/; a
# crash, hang, leak or sanitizer report is written to fuzz/crashes/TARGET/
# and libFuzzer stops there.  Every such finding, once fixed, becomes a
# file of fuzz/corpus/TARGET/ (make check replays them all:
# tests/fuzz_replay.sh).  With FUZZ_MERGE=1, the inputs that add coverage
# are merged into fuzz/corpus/TARGET/ at the end.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
usage() {
  echo "usage: scripts/fuzz.sh topology|script|wire|inject|bridge [MINUTES]" >&2
  exit 2
}
[ $# -ge 1 ] || usage
target=$1
minutes=${2:-10}
case $target in topology | script | wire | inject | bridge) ;; *) usage ;; esac
case $minutes in '' | *[!0-9]*) usage ;; esac
command -v clang >/dev/null || {
  echo "scripts/fuzz.sh needs clang with libFuzzer (apt-get install clang)" >&2
  exit 2
}
build=${FUZZ_BUILD:-$top/build-fuzz}
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
flags="-g -O1 -fno-omit-frame-pointer $san"

# The libraries once, instrumented for coverage (fuzzer-no-link).
if [ ! -f "$build/Makefile" ]; then
  [ -x "$top/configure" ] || (cd "$top" && ./autogen.sh >/dev/null)
  mkdir -p "$build"
  (cd "$build" && "$top/configure" --quiet CC=clang \
    CFLAGS="$flags -fsanitize=fuzzer-no-link")
fi
make -C "$build" -j"$(nproc)" netsim >/dev/null

var() { sed -n "s/^$1 = //p" "$build/Makefile" | head -n 1; }
libs="src/cli/libcli.a src/trace/libtrace.a src/bridge/libbridge.a
  src/sim/libsim.a src/config/libconfig.a src/apps/libapps.a src/net/libnet.a
  src/wire/libwire.a src/core/libcore.a"
set --
for l in $libs; do set -- "$@" "$build/$l"; done
# shellcheck disable=SC2046 # the flags are word lists
clang $flags -fsanitize=fuzzer -std=gnu11 -include "$build/config.h" \
  -I"$top/src" -I"$build/src" $(var GLIB_CFLAGS) \
  "$top/fuzz/$target.c" "$top/fuzz/common.c" "$@" \
  $(var GLIB_LIBS) $(var PCAP_LIBS) -lm -o "$build/fuzz-$target"

work="$build/corpus-$target"
crashes="$top/fuzz/crashes/$target"
mkdir -p "$work" "$crashes"
echo "fuzzing $target for $minutes min; findings go to fuzz/crashes/$target/"
status=0
"$build/fuzz-$target" -max_total_time=$((minutes * 60)) -timeout=60 \
  -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$crashes/" \
  "$work" "$top/fuzz/corpus/$target" || status=$?
if [ "${FUZZ_MERGE:-0}" = 1 ]; then
  "$build/fuzz-$target" -merge=1 "$top/fuzz/corpus/$target" "$work"
fi
exit "$status"
