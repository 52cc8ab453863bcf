#!/bin/sh
# hugepages.sh — a big topology makes netsim start again on huge pages
# (src/core/hugepages.h): the same process (pid) then carries the glibc
# tunable and NETSIM_HUGEPAGES=1 in its environment, it answers as it would
# have, and NETSIM_HUGEPAGES=0 or the user's own tunable stop the restart.
set -u
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
build=${TOP_BUILDDIR:-$top}
netsim=${NETSIM:-$build/netsim}
# shellcheck source=tests/tap.sh
. "$top/tests/tap.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 32,000 hosts, 250 per switch: about 2.3 MB of text, over the 2 MiB mark.
awk 'BEGIN {
  hosts = 32000; per = 250; lans = int((hosts + per - 1) / per)
  for (k = 0; k < lans; k++) printf "[switch s%d]\n", k
  printf "\n[router r1]\n"
  for (k = 0; k < lans; k++) printf "eth%d = 10.%d.%d.1/24 @ s%d\n", k, int(k / 256), k % 256, k
  for (i = 0; i < hosts; i++) {
    k = int(i / per); j = i % per
    printf "\n[host h%d]\nip = 10.%d.%d.%d/24\ngateway = 10.%d.%d.1\nlink = s%d\n", i, int(k / 256), k % 256, j + 2, int(k / 256), k % 256, k
  }
}' >"$work/big.conf"

big_enough() { [ "$(wc -c <"$work/big.conf")" -ge 2097152 ]; }
check "the topology is over 2 MiB" big_enough

# The environment of a netsim reading its console input from a FIFO, read
# from /proc (an exec keeps the pid) once it shows `ready` (a line of it),
# or after 10 s; then the input ends with a ping, which must be answered.
# $1: the environment line to wait for; the rest: assignments to start with.
environ_of() {
  ready=$1
  shift
  rm -f "$work/in" "$work/out" "$work/environ"
  mkfifo "$work/in"
  env "$@" "$netsim" -q "$work/big.conf" <"$work/in" >"$work/out" 2>&1 &
  pid=$!
  exec 3>"$work/in"
  tries=0
  while [ "$tries" -lt 100 ]; do
    tr '\0' '\n' <"/proc/$pid/environ" >"$work/environ" 2>/dev/null
    grep -q "^$ready\$" "$work/environ" && break
    sleep 0.1
    tries=$((tries + 1))
  done
  echo "h1 ping 10.0.0.1 count 1" >&3
  exec 3>&-
  wait "$pid"
  status=$?
  if [ "$status" -ne 0 ] || ! grep -q " 1 received" "$work/out"; then
    echo "netsim: status $status"
    cat "$work/out"
    return 1
  fi
}

glibc() { ldd --version 2>&1 | grep -qi 'glibc\|gnu libc'; }

restarted() {
  environ_of NETSIM_HUGEPAGES=1 &&
    grep -q '^NETSIM_HUGEPAGES=1$' "$work/environ" &&
    grep -q '^GLIBC_TUNABLES=.*glibc.malloc.hugetlb=1' "$work/environ"
}
# (glibc cuts the variable's text at the first ':' as it parses it, so
# /proc shows only the user's part.)
kept_tunables() {
  environ_of NETSIM_HUGEPAGES=1 GLIBC_TUNABLES=glibc.malloc.perturb=0 &&
    grep -q '^NETSIM_HUGEPAGES=1$' "$work/environ" &&
    grep -q '^GLIBC_TUNABLES=glibc.malloc.perturb=0' "$work/environ"
}
not_restarted() {
  environ_of NETSIM_HUGEPAGES=0 NETSIM_HUGEPAGES=0 &&
    ! grep -q 'GLIBC_TUNABLES=.*hugetlb' "$work/environ"
}
# The automatic case: neither is set.
unset NETSIM_HUGEPAGES GLIBC_TUNABLES
if [ -d /proc/self ] && glibc; then
  check "a big topology restarts it on huge pages, and it runs" restarted
  check "with the user's GLIBC_TUNABLES too, kept" kept_tunables
  check "NETSIM_HUGEPAGES=0: no restart, and it runs" not_restarted
else
  echo "# no /proc or not glibc: the restart is not made here"
fi
same_summary() {
  "$netsim" --check "$work/big.conf" >"$work/a" 2>&1 &&
    NETSIM_HUGEPAGES=0 "$netsim" --check "$work/big.conf" >"$work/b" 2>&1 &&
    cmp -s "$work/a" "$work/b"
}
check "--check says the same with and without the restart" same_summary
tap_done hugepages
