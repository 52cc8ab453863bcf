#!/bin/sh
# screenshot.sh: makes docs/replay.png, the README's picture of the browser
# replay, from a shipped lesson, so it can be refreshed whenever the page
# changes:
#
#   NETSIM=build/netsim scripts/screenshot.sh
#
# It runs topologies/two_lans.scn with --html, then has headless Chromium
# (Debian package chromium) open the page at the step where r1 forwards
# the first echo request across the router (TTL 63, new MACs) and save
# what it shows.
#
# Environment (all optional):
#   NETSIM    the netsim binary (default ./netsim); it needs --html
#   CHROMIUM  the browser (default chromium)
#   OUT       the picture (default docs/replay.png in the source tree)
#   STEP      the event to open the page at (default: the number of the
#             first route/forward event in the run's log), passed to the
#             page as ?step=N
# Exit status: 0 the picture is written; 1 a step failed; 2 something
# needed is missing (each with one line on standard error saying what).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
netsim=${NETSIM:-./netsim}
chromium=${CHROMIUM:-chromium}
out=${OUT:-$top/docs/replay.png}
topo=$top/topologies/two_lans.conf
scn=$top/topologies/two_lans.scn

die() { # status message
  echo "screenshot.sh: $2" >&2
  exit "$1"
}

[ -x "$netsim" ] || command -v "$netsim" >/dev/null 2>&1 ||
  die 2 "no netsim at '$netsim' (build it, or set NETSIM=path/to/netsim)"
"$netsim" --help 2>&1 | grep -q -e '--html' ||
  die 2 "$netsim has no --html option: it cannot write the replay page (build a newer netsim, or set NETSIM)"
command -v "$chromium" >/dev/null 2>&1 ||
  die 2 "no '$chromium' browser (apt-get install chromium, or set CHROMIUM)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The run: the event log as text (to find the step) and the page.
if ! "$netsim" -l "$tmp/events.log" --html "$tmp/replay.html" -s "$scn" "$topo" \
  >"$tmp/run.out" 2>&1; then
  tail -n 20 "$tmp/run.out" >&2
  die 1 "netsim failed on $scn"
fi
[ -s "$tmp/replay.html" ] || die 1 "netsim wrote no replay page"

# The events are numbered from 1 in the order of the log; a line that
# starts with a time is one event (a "why:" line is not).
step=${STEP:-$(awk '/^ *[0-9]+\.[0-9]+ / { n++ }
  /^ *[0-9]+\.[0-9]+ +[^ ]+ +route\/forward / { print n; exit }' "$tmp/events.log")}
[ -n "$step" ] || die 1 "no route/forward event in the run (set STEP=N)"

mkdir -p "$(dirname "$out")"
rm -f "$out"
# --virtual-time-budget lets the page's scripts finish drawing first.
"$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --window-size=1400,900 --virtual-time-budget=5000 \
  --screenshot="$out" "file://$tmp/replay.html?step=$step" \
  >"$tmp/chromium.out" 2>&1 || {
  tail -n 20 "$tmp/chromium.out" >&2
  die 1 "$chromium failed"
}
[ -s "$out" ] || die 1 "$chromium wrote no picture"
echo "screenshot.sh: $out (two_lans.scn, step $step)"
