#!/bin/sh
# run.sh — build the benchmark optimized, in its own directory, and run it.
#
#   bench/run.sh                  # every workload, default sizes
#   bench/run.sh two_lans --pings 2000
#   CC=clang CFLAGS="-O3" bench/run.sh scale
#
# Compiles bench/bench.c with the library sources it needs straight into
# bench/out/bench (no configure step, so it works from a clean clone with
# only a C compiler, pkg-config and libglib2.0-dev).  Default flags are
# plain -O2 -g: portable, what a distribution build would use, no
# -march=native.  Exits non-zero only if the build fails or a workload's
# correctness check fails; speed is reported, never judged.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
out=${BENCH_OUT:-$here/out}

CC=${CC:-cc}
CFLAGS=${CFLAGS:--O2 -g}

if ! pkg-config --exists glib-2.0; then
  echo "run.sh: glib-2.0 not found by pkg-config (Debian/Ubuntu: apt-get install libglib2.0-dev)" >&2
  exit 1
fi

# Only the layers a network run needs: no console, scenario or trace.
srcs=""
for layer in core wire net apps config sim; do
  srcs="$srcs $top/src/$layer/*.c"
done

mkdir -p "$out"
echo "run.sh: building $out/bench with $CC $CFLAGS"
# shellcheck disable=SC2086,SC2046  # word splitting of flags and globs is intended
$CC -std=gnu11 $CFLAGS -Wall -Wextra -Wno-unused-parameter \
  -I"$top/src" $(pkg-config --cflags glib-2.0) \
  -o "$out/bench" "$here/bench.c" $srcs \
  $(pkg-config --libs glib-2.0) -lm

if [ $# -eq 0 ]; then
  set -- all
fi
echo "run.sh: $out/bench $*"
exec "$out/bench" "$@"
