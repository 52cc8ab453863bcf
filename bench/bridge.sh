#!/bin/sh
# bridge.sh — how fast bytes cross a netsim bridge, next to socat and a
# direct connection, in one run (bench/README.md, "bridge").
#
#   bench/bridge.sh                      # 64 MiB, 2,000 round trips, 3 rounds
#   bench/bridge.sh --mib 16 --rounds 5 --delay-us 10
#   bench/bridge.sh --smoke              # a few seconds; for a CI test
#   NETSIM=/tmp/build/netsim bench/bridge.sh
#   SOCAT_OPTS="-b 65536" bench/bridge.sh   # socat with a bigger buffer
#
# Three paths to an echo, all on 127.0.0.1:
#   direct  the client -> a plain echo server (bridge_bench echo)
#   socat   the client -> socat TCP-LISTEN,fork -> the same echo server
#   bridge  the client -> netsim's bridge `listen` rule -> switch sw1 ->
#           tcp-echo on host h3, links rate=0 and delay=--delay-us
#
# NETSIM: the netsim to run.  Without it, one is built optimized (CFLAGS,
# default -O2 -g) in $BENCH_OUT/netsim-build with the tree's configure
# (run ./autogen.sh first in a fresh clone).  bench/bridge_bench.c is
# compiled straight into $BENCH_OUT/bridge_bench (BENCH_OUT defaults to
# bench/out).
#
# Exit status: 0 when every byte came back right, 1 when one did not,
# something hung, would not start or crashed (netsim must end on SIGTERM
# with status 143), 2 for bad usage.  Speed is reported,
# never judged.  Everything started here is killed on exit.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
out=${BENCH_OUT:-$here/out}
CC=${CC:-cc}
CFLAGS=${CFLAGS:--O2 -g}

mib=64 pings=2000 size=64 rounds=3 delay_us=0 timeout_ms=10000
usage() {
  echo "usage: bench/bridge.sh [--smoke] [--mib N] [--pings N] [--size N]" \
    "[--rounds N] [--delay-us N]" >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case $1 in
    --smoke) mib=1 pings=50 rounds=1 timeout_ms=5000; shift; continue ;;
    --mib | --pings | --size | --rounds | --delay-us) [ $# -ge 2 ] || usage ;;
    *) usage ;;
  esac
  case $2 in '' | *[!0-9]*) usage ;; esac
  case $1 in
    --mib) mib=$2 ;;
    --pings) pings=$2 ;;
    --size) size=$2 ;;
    --rounds) rounds=$2 ;;
    --delay-us) delay_us=$2 ;;
  esac
  shift 2
done

say() { echo "bridge.sh: $*" >&2; }

# ---- building ---------------------------------------------------------------

mkdir -p "$out"
# shellcheck disable=SC2086  # word splitting of CFLAGS is intended
$CC -std=gnu11 $CFLAGS -Wall -Wextra -pthread -o "$out/bridge_bench" \
  "$here/bridge_bench.c"
bb=$out/bridge_bench

build_netsim() {
  b=$out/netsim-build
  if [ ! -x "$top/configure" ]; then
    say "no $top/configure: run ./autogen.sh there first, or set NETSIM"
    exit 1
  fi
  if [ -f "$top/config.status" ]; then
    say "$top is configured in place, so it cannot also build out of tree:" \
      "set NETSIM=$top/netsim (built with -O2) instead"
    exit 1
  fi
  # Configure again only when the flags changed.
  if [ ! -f "$b/Makefile" ] || [ "$(cat "$b/.bench-cflags" 2>/dev/null)" != "$CC $CFLAGS" ]; then
    say "configuring $b with CC=$CC CFLAGS=$CFLAGS"
    mkdir -p "$b"
    (cd "$b" && "$top/configure" -q CC="$CC" CFLAGS="$CFLAGS")
    echo "$CC $CFLAGS" >"$b/.bench-cflags"
  fi
  say "building $b/netsim"
  if ! make -s -C "$b" -j2 netsim >"$b/make.log" 2>&1; then
    tail -20 "$b/make.log" >&2
    say "building netsim failed (the whole log: $b/make.log)"
    exit 1
  fi
  NETSIM=$b/netsim
}
[ -n "${NETSIM:-}" ] || build_netsim
[ -x "$NETSIM" ] || { say "NETSIM=$NETSIM is not a program"; exit 1; }

# ---- starting the three paths ---------------------------------------------

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bridge-bench.XXXXXX")
pids=""
# shellcheck disable=SC2317  # called by the trap
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# Waits (at most 10 s) for file $1 to exist.
wait_file() {
  i=0
  while [ ! -s "$1" ] && [ $i -lt 200 ]; do
    sleep 0.05
    i=$((i + 1))
  done
  [ -s "$1" ]
}

# The echo server ends itself after an hour even if this script is killed.
"$bb" echo "$tmp/echo.port" 3600 &
pids="$pids $!"
wait_file "$tmp/echo.port" || { say "the echo server did not start"; exit 1; }
echo_port=$(cat "$tmp/echo.port")
set -- "direct=$echo_port"

if command -v socat >/dev/null 2>&1; then
  socat_port=$("$bb" free-port)
  # shellcheck disable=SC2086  # SOCAT_OPTS is split into options
  socat ${SOCAT_OPTS:-} "TCP-LISTEN:$socat_port,bind=127.0.0.1,reuseaddr,fork" \
    "TCP:127.0.0.1:$echo_port" &
  pids="$pids $!"
  "$bb" wait "$socat_port" 5000 || { say "socat did not start"; exit 1; }
  set -- "$@" "socat=$socat_port"
else
  say "socat is not installed: no socat column (Debian/Ubuntu: apt-get install socat)"
fi

cat >"$tmp/topo.conf" <<EOF
# bench/bridge.sh: a bridge one switch away from tcp-echo
[switch sw1]

[bridge web]
ip = 10.0.0.200/24
link = sw1 rate=0 delay=${delay_us}us
listen = tcp:127.0.0.1:0 -> 10.0.0.3:7

[host h3]
ip = 10.0.0.3/24
link = sw1 rate=0 delay=${delay_us}us
services = tcp-echo:7
EOF
# -d: netsim ends itself after an hour (of wall-clock time) at the latest.
"$NETSIM" -q -d 3600s --ready-file "$tmp/ready" "$tmp/topo.conf" \
  </dev/null >"$tmp/netsim.out" 2>"$tmp/netsim.err" &
netsim_pid=$!
pids="$pids $netsim_pid"
if ! wait_file "$tmp/ready"; then
  say "netsim did not get ready; its stderr:"
  cat "$tmp/netsim.err" >&2
  exit 1
fi
bridge_port=$(sed -n 's/^bridge web: tcp 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$tmp/ready")
[ -n "$bridge_port" ] || { say "no port in the ready file:"; cat "$tmp/ready" >&2; exit 1; }
set -- "$@" "bridge=$bridge_port"

# ---- measuring --------------------------------------------------------------

# Each simulated round trip crosses two links each way.
sim_rtt_us=$((4 * delay_us))
echo "bridge: client -> 127.0.0.1:$bridge_port -> bridge web 10.0.0.200 ->" \
  "sw1 -> h3 10.0.0.3 tcp-echo:7; links rate=0 delay=${delay_us}us" \
  "(simulated round trip ${sim_rtt_us} us); netsim -q ($NETSIM)"
[ -z "${socat_port:-}" ] ||
  echo "socat: client -> 127.0.0.1:$socat_port -> socat ${SOCAT_OPTS:-}(fork) -> 127.0.0.1:$echo_port echo"
echo "direct: client -> 127.0.0.1:$echo_port echo (one thread per connection)"
# In the background, so that a signal to this script runs the trap at once
# (a shell waiting for a foreground command would wait for it first).
"$bb" measure --mib "$mib" --pings "$pings" --size "$size" --rounds "$rounds" \
  --timeout-ms "$timeout_ms" --sim-rtt-us "$sim_rtt_us" "$@" &
measure_pid=$!
pids="$pids $measure_pid"
status=0
wait "$measure_pid" || status=$?

# netsim must still be running, and end on SIGTERM within 5 s with status
# 143 (a watchdog kills it otherwise: a hang; any other status is a crash
# or, in a sanitizer build, a report).
if ! kill -TERM "$netsim_pid" 2>/dev/null; then
  say "netsim had ended during the run; its stderr:"
  cat "$tmp/netsim.err" >&2
  exit 1
fi
(sleep 5 && kill -KILL "$netsim_pid" 2>/dev/null) &
watchdog=$!
pids="$pids $watchdog"
netsim_status=0
wait "$netsim_pid" || netsim_status=$?
case $netsim_status in
  143) ;; # 128 + SIGTERM: it stopped as asked
  137)
    say "netsim did not end within 5 s of SIGTERM (a hang)"
    exit 1
    ;;
  *)
    say "netsim ended with status $netsim_status, not 143 (a crash or a sanitizer report?); its stderr:"
    cat "$tmp/netsim.err" >&2
    exit 1
    ;;
esac
exit "$status"
