#!/bin/sh
# A scaled network loads, runs and logs the same twice (issue 13).
#
# 10,000 hosts on 40 switches of 250 behind one router with 40 interfaces,
# the layout of `bench/run.sh scale` (bench/bench.c gateway_text), written
# here with awk so that make check needs no benchmark build.  The first and
# last host of every LAN ping their gateway; every host of the network is
# loaded and built.  Two runs with the same seed must give byte-identical
# logs.  Nothing here is timed: bench/ prints the figures.
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top/tests/tap.sh"
out=${TOP_BUILDDIR:-.}/scale-test
mkdir -p "$out"
if [ -z "${NETSIM:-}" ] || [ ! -x "$NETSIM" ]; then
  echo "scale: NETSIM not set: run through make check"
  exit 77
fi
hosts=10000
per=250
lans=$((hosts / per))

awk -v hosts=$hosts -v per=$per 'BEGIN {
  lans = int((hosts + per - 1) / per)
  printf "# tests/scale.sh: %d hosts, %d per switch, one router\n", hosts, per
  for (k = 0; k < lans; k++) printf "[switch s%d]\n", k
  printf "\n[router r1]\n"
  for (k = 0; k < lans; k++)
    printf "eth%d = 10.%d.%d.1/24 @ s%d\n", k, int(k / 256), k % 256, k
  for (i = 0; i < hosts; i++) {
    k = int(i / per); j = i % per
    printf "\n[host h%d]\nip = 10.%d.%d.%d/24\ngateway = 10.%d.%d.1\nlink = s%d\n",
      i, int(k / 256), k % 256, j + 2, int(k / 256), k % 256, k
  }
}' >"$out/scale.conf"

awk -v lans=$lans -v per=$per 'BEGIN {
  for (k = 0; k < lans; k++) {
    gw = sprintf("10.%d.%d.1", int(k / 256), k % 256)
    printf "h%d ping %s count 1\nh%d ping %s count 1\n", k * per, gw,
      k * per + per - 1, gw
  }
  print "wait"
  for (k = 0; k < lans; k++)
    printf "expect h%d ping replies 1\nexpect h%d ping replies 1\n", k * per,
      k * per + per - 1
}' >"$out/scale.scn"

check_summary() {
  timeout 300 "$NETSIM" --check "$out/scale.conf" >"$out/check.out" 2>&1 &&
    grep -q "10041 nodes (40 switches, 1 router, 10000 hosts)" "$out/check.out"
}
check "--check: $hosts hosts load and are counted" check_summary

run_once() {
  timeout 300 "$NETSIM" --seed 7 -l "$out/log$1" -s "$out/scale.scn" \
    "$out/scale.conf" >"$out/run$1.out" 2>&1 ||
    { tail -5 "$out/run$1.out"; return 1; }
}
check "run 1: every first and last host of a LAN pings its gateway" run_once 1
check "run 2: the same" run_once 2
same_logs() {
  [ -s "$out/log1" ] && cmp "$out/log1" "$out/log2" &&
    grep -q "arp/ignore" "$out/log1"
}
check "the two logs are identical (and not empty)" same_logs
tap_done scale
