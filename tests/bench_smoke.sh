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
tap_done bench-smoke
