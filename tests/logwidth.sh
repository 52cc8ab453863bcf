#!/bin/sh
# logwidth.sh — the ordinary log stays under 100 columns.
#
# The golden logs (tests/scenarios/golden/*.log, the teaching story byte
# for byte) are the reference: every event line of theirs — the time,
# node, event, frame id and summary, not the indented why: lines, decoded
# layers or tables — must be at most 100 columns wide.  What does not fit
# belongs on the why: line (-e) or in `show frame`.  The goldens are
# English; widths are counted in bytes (LC_ALL=C), never fewer than the
# display columns of any UTF-8 text.
#
# The event lines shown as examples in README's "The event log" section
# (up to its first subsection) must be lines of a golden log, so that the
# README shows the format netsim really writes.
set -u
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=tests/tap.sh
. "$top/tests/tap.sh"
LC_ALL=C
export LC_ALL

max=100
event='^ *[0-9][0-9]*\.[0-9]\{6\}  '
goldens=$top/tests/scenarios/golden

# The widest event line of each golden, and the lines over $max.
for log in "$goldens"/*.log; do
  name=$(basename "$log")
  wide=$(grep "$event" "$log" | awk -v max="$max" 'length($0) > max')
  widest=$(grep "$event" "$log" | awk '{ if (length($0) > w) w = length($0) } END { print w + 0 }')
  check "$name: event lines at most $max columns (widest $widest)" test -z "$wide"
  [ -z "$wide" ] || printf '%s\n' "$wide" | sed 's/^/    # /'
  check "$name: has event lines" test "$widest" -gt 0
done

# README's examples: its event-log section, up to the next heading.
examples=$(sed -n '/^## The event log$/,/^##/p' "$top/README.md" |
  sed -n '/^```$/,/^```$/p' | grep "$event")
check "README: the event log section shows example lines" test -n "$examples"
missing=$(printf '%s\n' "$examples" | while IFS= read -r line; do
  [ -z "$line" ] && continue
  grep -qxF -- "$line" "$goldens"/*.log || printf '%s\n' "$line"
done)
check "README: every example event line is a golden log's line" test -z "$missing"
[ -z "$missing" ] || printf '%s\n' "$missing" | sed 's/^/    # /'

tap_done logwidth
