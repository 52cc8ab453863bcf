#!/bin/sh
# replay.sh — what --html costs: the run with and without the replay page,
# the page's size, and how long Chromium takes to have it ready
# (bench/README.md, "replay").
#
#   bench/replay.sh                 # 9,000 pings: ~126,000 events, past the
#                                   # 100,000-event bound
#   bench/replay.sh --pings 2000
#   bench/replay.sh --smoke         # 100 pings: a few seconds
#   NETSIM=/tmp/build/netsim CHROMIUM=chromium bench/replay.sh
#
# NETSIM: the netsim to run (default ./netsim; build it optimized for
# figures that mean something).  The browser part runs when CHROMIUM
# (default chromium) is there: the page writes the milliseconds it took to
# be ready (data parsed, first step drawn) into <body data-ready-ms>, read
# back with --dump-dom.
#
# Exit status: 0 when both runs ended well and the page was written, 1
# otherwise, 2 for bad usage.  Speed is reported, never judged.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
netsim=${NETSIM:-./netsim}
chromium=${CHROMIUM:-chromium}
pings=9000
while [ $# -gt 0 ]; do
  case $1 in
  --pings) [ $# -ge 2 ] || exit 2; pings=$2; shift 2 ;;
  --smoke) pings=100; shift ;;
  *) echo "usage: bench/replay.sh [--smoke] [--pings N]" >&2; exit 2 ;;
  esac
done
[ -x "$netsim" ] || { echo "replay.sh: no netsim at $netsim (set NETSIM)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'h1 ping h3 count %s interval 1ms\nwait\n' "$pings" >"$tmp/run.scn"
topo=$top/topologies/two_lans.conf

now_ms() { date +%s%3N; }
t0=$(now_ms)
"$netsim" -q -s "$tmp/run.scn" "$topo" >/dev/null || exit 1
t1=$(now_ms)
"$netsim" -q --html "$tmp/page.html" -s "$tmp/run.scn" "$topo" >/dev/null || exit 1
t2=$(now_ms)
[ -s "$tmp/page.html" ] || exit 1
"$netsim" -e -s "$tmp/run.scn" "$topo" 2>/dev/null | grep -c '^ *[0-9][0-9]*\.[0-9]' >"$tmp/events" || true

echo "replay bench: two_lans, h1 ping h3 count $pings interval 1ms"
echo "  events in the run:      $(cat "$tmp/events")"
echo "  run without --html:     $((t1 - t0)) ms"
echo "  run with --html:        $((t2 - t1)) ms"
echo "  page size:              $(wc -c <"$tmp/page.html") bytes"
if command -v "$chromium" >/dev/null 2>&1; then
  t3=$(now_ms)
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu \
    --dump-dom "file://$tmp/page.html" >"$tmp/dom.html" 2>/dev/null || true
  t4=$(now_ms)
  ready=$(grep -o 'data-ready-ms="[0-9]*"' "$tmp/dom.html" | grep -o '[0-9][0-9]*' || echo "?")
  echo "  page ready in Chromium: $ready ms (the whole headless load: $((t4 - t3)) ms)"
else
  echo "  page ready in Chromium: not measured ($chromium is missing)"
fi
