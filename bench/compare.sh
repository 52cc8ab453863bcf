#!/bin/sh
# compare.sh — netsim's two_lans next to the same workload in ns-3.
#
#   bench/run.sh compare                         # 10,000 pings, 3 rounds
#   bench/run.sh compare --pings 2000 --rounds 5
#   bench/run.sh compare --checksums             # ns-3 computing checksums
#
# run.sh builds bench/out/bench and then runs this script (BENCH names the
# binary).  It builds bench/ns3/two_lans.cc against the installed ns-3 into
# $BENCH_OUT/ns3-two-lans (again only when the source is newer), then runs
# `bench two_lans` and the ns-3 program alternately, --rounds times, with
# the same --pings, so that a busy moment of a shared machine hits both.
# It prints each round, the median and range of each figure, the median of
# the rounds' ratios, and one `BENCH compare` line.  bench/README.md ("compare
# with ns-3") says how the two programs are made to do the same work.
#
# Without ns-3's development files (Debian/Ubuntu: apt-get install
# libns3-dev) or a C++ compiler it says so and exits 0.  Exit 1 when the
# build fails or a run's check fails (a ping without all its replies, a
# dropped frame in ns-3); 2 for bad usage.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${BENCH_OUT:-$here/out}
bench=${BENCH:-$out/bench}
CXX=${CXX:-c++}
CXXFLAGS=${CXXFLAGS:--O2 -g}
mods="ns3-core ns3-network ns3-csma ns3-bridge ns3-internet ns3-internet-apps"

usage() {
  echo "usage: run.sh compare [--pings 1-65535] [--rounds 1-100] [--checksums]" >&2
  exit 2
}
pings=10000
rounds=3
ns3_opts=
while [ $# -gt 0 ]; do
  case $1 in
    --pings) [ $# -ge 2 ] || usage; pings=$2; shift ;;
    --rounds) [ $# -ge 2 ] || usage; rounds=$2; shift ;;
    --checksums) ns3_opts=--checksums ;;
    *) usage ;;
  esac
  shift
done
case $pings$rounds in *[!0-9]*) usage ;; esac
if [ "$pings" -lt 1 ] || [ "$pings" -gt 65535 ] || [ "$rounds" -lt 1 ] ||
  [ "$rounds" -gt 100 ]; then
  usage
fi

# shellcheck disable=SC2086  # $mods is a list
if ! pkg-config --exists $mods 2>/dev/null; then
  echo "run.sh compare: skipped: ns-3 not found by pkg-config ($mods);" \
    "Debian/Ubuntu: apt-get install libns3-dev"
  exit 0
fi
if ! command -v "$CXX" >/dev/null 2>&1; then
  echo "run.sh compare: skipped: no C++ compiler ($CXX; set CXX)"
  exit 0
fi

ns3=$out/ns3-two-lans
src=$here/ns3/two_lans.cc
if [ ! -x "$ns3" ] || [ -n "$(find "$src" -newer "$ns3")" ]; then
  # Debian's ns3-*.pc (3.37-2) name /usr/lib/<arch>/libgsl.so, which only
  # libgsl-dev installs, and carry a stray "-I/usr;": keep -L and -l words
  # and the library files that exist.
  libs=
  # shellcheck disable=SC2086
  for w in $(pkg-config --libs $mods); do
    case $w in
      -l* | -L*) libs="$libs $w" ;;
      *) if [ -e "$w" ]; then libs="$libs $w"; fi ;;
    esac
  done
  echo "run.sh compare: building $ns3 with $CXX $CXXFLAGS" \
    "(ns-3 $(pkg-config --modversion ns3-core))"
  mkdir -p "$out"
  # shellcheck disable=SC2086,SC2046  # flags split into words
  $CXX -std=c++17 $CXXFLAGS $(pkg-config --cflags $mods) \
    -o "$ns3.tmp" "$src" $libs
  mv "$ns3.tmp" "$ns3"
fi

# One run of one side: its output saved, its BENCH line (tagged with the
# side and the round) appended to $bench_out.  Status 1 when it failed.
bench_out=$out/compare.bench
: >"$bench_out"
run_side() { # side round command...
  side=$1 round=$2
  shift 2
  log=$out/compare-$side.out
  rc=0
  "$@" >"$log" 2>&1 || rc=$?
  line=$(grep '^BENCH' "$log" || true)
  if [ "$rc" -ne 0 ] || [ -z "$line" ]; then
    echo "run.sh compare: $side failed (exit $rc):" >&2
    sed 's/^/  /' "$log" >&2
    return 1
  fi
  echo "$line" | sed "s/^BENCH [a-z0-9_]*/$side round=$round/" >>"$bench_out"
}

status=0
echo "run.sh compare: $rounds rounds of two_lans, --pings $pings," \
  "netsim then ns-3${ns3_opts:+ ($ns3_opts)}"
round=1
while [ "$round" -le "$rounds" ]; do
  run_side netsim "$round" "$bench" two_lans --pings "$pings" || status=1
  # shellcheck disable=SC2086  # no options is no word
  run_side ns3 "$round" "$ns3" --pings "$pings" $ns3_opts || status=1
  round=$((round + 1))
done

# The table, medians and ratio, from the tagged BENCH lines.
awk -v pings="$pings" -v rounds="$rounds" '
function median(a, n,   i, j, t, b) {
  for (i = 1; i <= n; i++) b[i] = a[i]
  for (i = 2; i <= n; i++)
    for (j = i; j > 1 && b[j - 1] > b[j]; j--) { t = b[j]; b[j] = b[j - 1]; b[j - 1] = t }
  return n % 2 ? b[(n + 1) / 2] : (b[n / 2] + b[n / 2 + 1]) / 2
}
function lo(a, n,   i, m) { m = a[1]; for (i = 2; i <= n; i++) if (a[i] < m) m = a[i]; return m }
function hi(a, n,   i, m) { m = a[1]; for (i = 2; i <= n; i++) if (a[i] > m) m = a[i]; return m }
function mega(v) { return sprintf("%.2f M", v / 1e6) }
function kilo(v) { return sprintf("%.1f k", v / 1e3) }
{
  delete v
  for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
  s = $1; r = v["round"]
  hps[s, r] = v["hops_per_s"]; wall[s, r] = v["wall_s"]
  hops[s] = v["frame_hops"]; events[s] = v["events"]
  if (s == "ns3") { backoffs = v["backoffs"]; checks = v["checksums"] }
  if (v["ok"] != 1) bad++
  seen[s, r] = 1
}
END {
  printf "%5s %14s %9s %14s %9s %8s\n", "round", "netsim hops/s", "wall s", "ns-3 hops/s", "wall s", "ratio"
  n = 0
  for (r = 1; r <= rounds; r++) {
    if (!seen["netsim", r] || !seen["ns3", r]) continue
    n++
    a[n] = hps["netsim", r]; b[n] = hps["ns3", r]
    wa[n] = wall["netsim", r]; wb[n] = wall["ns3", r]
    q[n] = b[n] > 0 ? a[n] / b[n] : 0
    printf "%5d %14s %9.3f %14s %9.3f %7.1fx\n", r, mega(a[n]), wa[n], kilo(b[n]), wb[n], q[n]
  }
  if (n == 0) { print "compare: no round completed"; exit 1 }
  printf "compare: same work: netsim %d frame-hops and %d events per run, ns-3 %d frame-hops and %d events (%d CSMA backoffs), checksums in ns-3 %s\n", \
    hops["netsim"], events["netsim"], hops["ns3"], events["ns3"], backoffs, checks ? "on" : "off"
  printf "compare: netsim median %s frame-hops/s (%s-%s), wall %.3f s\n", mega(median(a, n)), mega(lo(a, n)), mega(hi(a, n)), median(wa, n)
  printf "compare: ns-3   median %s frame-hops/s (%s-%s), wall %.3f s\n", kilo(median(b, n)), kilo(lo(b, n)), kilo(hi(b, n)), median(wb, n)
  printf "compare: netsim / ns-3 = %.1fx (median of %d rounds, range %.1f-%.1fx)\n", median(q, n), n, lo(q, n), hi(q, n)
  printf "BENCH compare pings=%d rounds=%d netsim_hops_per_s=%.0f ns3_hops_per_s=%.0f netsim_wall_s=%.6f ns3_wall_s=%.6f ratio=%.2f ratio_min=%.2f ratio_max=%.2f netsim_frame_hops=%d ns3_frame_hops=%d ns3_backoffs=%d ns3_checksums=%d ok=%d\n", \
    pings, n, median(a, n), median(b, n), median(wa, n), median(wb, n), median(q, n), lo(q, n), hi(q, n), \
    hops["netsim"], hops["ns3"], backoffs, checks, (bad == 0 && n == rounds)
}' "$bench_out" || status=1
exit $status
