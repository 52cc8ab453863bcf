#!/bin/sh
# run.sh — build the benchmark optimized, in its own directory, and run it.
#
#   bench/run.sh                  # every workload, default sizes
#   bench/run.sh two_lans --pings 2000
#   CC=clang CFLAGS="-O3" bench/run.sh scale   # the scale table (--million)
#   bench/run.sh compare --pings 2000          # two_lans in netsim and ns-3
#   bench/run.sh targets [--million]           # issue 13's targets, verdicts
#   bench/run.sh shapes --hosts 64000          # a big router, a long chain
#
# Compiles bench/bench.c with the library sources it needs straight into
# bench/out/bench (no configure step, so it works from a clean clone with
# only a C compiler, pkg-config and libglib2.0-dev).  Default flags are
# -O3 -g -flto=auto -fno-tree-slp-vectorize (the last where $CC takes
# it), what configure gives netsim itself when no CFLAGS are set:
# portable, no -march=native.  Exits non-zero only if the build fails or a workload's
# correctness check fails; speed is reported, never judged.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
out=${BENCH_OUT:-$here/out}

CC=${CC:-cc}
if [ -z "${CFLAGS+set}" ]; then
  CFLAGS="-O3 -g -flto=auto"
  # As configure does: no pairing of counters into vector adds (GCC).
  if echo 'int main(void) { return 0; }' |
    $CC -x c -fno-tree-slp-vectorize -Werror -o /dev/null - 2>/dev/null; then
    CFLAGS="$CFLAGS -fno-tree-slp-vectorize"
  fi
fi
# targets.sh says which flags built this tree.
export BENCH_CFLAGS="$CFLAGS"

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
  -I"$top/src" -DGETTEXT_PACKAGE='"netsim"' $(pkg-config --cflags glib-2.0) \
  -o "$out/bench" "$here/bench.c" $srcs \
  $(pkg-config --libs glib-2.0) -lm

if [ $# -eq 0 ]; then
  set -- all
fi

# Issue 13's targets, each with its verdict: bench/targets.sh.
if [ "$1" = targets ]; then
  shift
  BENCH="$out/bench" BENCH_OUT="$out" exec sh "$here/targets.sh" "$@"
fi

# netsim against ns-3 on the two_lans workload: bench/compare.sh.
if [ "$1" = compare ]; then
  shift
  BENCH="$out/bench" BENCH_OUT="$out" exec sh "$here/compare.sh" "$@"
fi

# The scale table: one generated network per size, each in a fresh
# process so that its peak RSS is its own.  --million adds 1,000,000 hosts;
# --sizes "N ..." picks other sizes.  NETSIM names the netsim binary whose
# --check is timed (default: ./netsim in the build tree, else PATH).
if [ "$1" = scale ]; then
  shift
  sizes="1000 10000 100000"
  while [ $# -gt 0 ]; do
    case $1 in
      --million) sizes="$sizes 1000000" ;;
      --sizes) sizes=$2; shift ;;
      *) echo "run.sh scale: unknown option $1 (--million, --sizes \"N ...\")" >&2; exit 2 ;;
    esac
    shift
  done
  netsim=${NETSIM:-$(command -v netsim || true)}
  [ -n "$netsim" ] || echo "run.sh: no netsim binary (set NETSIM=path): no --check column" >&2
  printf '%9s %9s %9s %9s %9s %9s %10s %10s %5s\n' hosts check_s load_s \
    summary_s build_s run_s peak_kib bytes/host ok
  status=0
  for n in $sizes; do
    conf=$out/gateway-$n.conf
    "$out/bench" gen --hosts "$n" >"$conf"
    check=-
    if [ -n "$netsim" ]; then
      /usr/bin/time -f '%e' -o "$out/check.time" "$netsim" --check "$conf" >/dev/null 2>&1 &&
        check=$(cat "$out/check.time")
    fi
    # A million hosts: loaded, summarized and built, not run (run_s 0).
    workload=gateway
    [ "$n" -lt 1000000 ] || workload=load
    line=$("$out/bench" $workload --hosts "$n" | grep '^BENCH') || status=1
    echo "$line" >>"$out/scale.bench"
    echo "$line" | awk -v c="$check" '{
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      printf "%9s %9s %9.3f %9.3f %9.3f %9.3f %10s %10s %5s\n", v["hosts"], c,
        v["load_s"], v["summary_s"], v["build_s"], v["run_s"], v["rss_kib"],
        v["bytes_per_host"], v["ok"] }'
  done
  exit $status
fi
echo "run.sh: $out/bench $*"
exec "$out/bench" "$@"
