#!/bin/sh
# The benchmarks, smoke-run: tiny sizes, so that a benchmark that no longer
# builds, hangs, or gets a byte back wrong fails `make check`.  Figures are
# printed, never judged (bench/README.md has the real runs).
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top/tests/tap.sh"
out=${TOP_BUILDDIR:-.}/bench-smoke
mkdir -p "$out"
if [ -z "${NETSIM:-}" ] || [ ! -x "$NETSIM" ]; then
  echo "bench-smoke: NETSIM not set: run through make check"
  exit 77
fi
bridge_smoke() {
  BENCH_OUT="$out" sh "$top/bench/bridge.sh" --smoke >"$out/bridge.out" 2>&1 ||
    { sed 's/^/  /' "$out/bridge.out"; return 1; }
  grep '^BENCH' "$out/bridge.out"
}
check "bench/bridge.sh --smoke: every byte back through a bridge, socat and direct" \
  bridge_smoke
# netsim and ns-3 side by side (bench/compare.sh), tiny and unoptimized: a
# build that broke, a hang, or a reply or frame lost on either side fails.
# Only where ns-3's development files are installed (CI has none).
compare_smoke() {
  BENCH_OUT="$out" CFLAGS="-O0 -g" CXXFLAGS="-O0 -g" \
    sh "$top/bench/run.sh" compare --pings 20 --rounds 1 >"$out/compare.out" 2>&1 ||
    { sed 's/^/  /' "$out/compare.out"; return 1; }
  grep '^BENCH compare .* ok=1$' "$out/compare.out"
}
if pkg-config --exists ns3-csma ns3-bridge ns3-internet ns3-internet-apps 2>/dev/null; then
  check "bench/run.sh compare --pings 20: two_lans in netsim and in ns-3, every reply back" \
    compare_smoke
else
  echo "bench-smoke: ns-3 not installed (apt-get install libns3-dev): compare not run"
fi
# Issue 13's targets table (bench/targets.sh), tiny: the baseline commit
# builds from git history, every row is printed, every workload checks out.
targets_smoke() {
  BENCH_OUT="$out" CFLAGS="-O0 -g" CXXFLAGS="-O0 -g" \
    sh "$top/bench/run.sh" targets --smoke --rounds 1 >"$out/targets.out" 2>&1 ||
    { sed 's/^/  /' "$out/targets.out"; return 1; }
  sed -n '/^target /,$p' "$out/targets.out"
  for row in "two_lans frame-hops/s" "two_lans, the best round" \
    "two_lans netsim / ns-3" "tcp bulk" \
    "hosts: --check" "hosts: load + build" "hosts: every host pings" \
    "hosts: memory per host"; do
    grep -q "$row" "$out/targets.out" || { echo "no row '$row'"; return 1; }
  done
}
check "bench/run.sh targets --smoke: every target's row, every workload right" \
  targets_smoke
tap_done bench-smoke
