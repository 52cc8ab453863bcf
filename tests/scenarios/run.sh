#!/bin/sh
# Runs every scenario in tests/scenarios/, and the lesson scenario of every
# shipped topology (topologies/*.scn), against the netsim binary.
#
# A scenario's header comments say how to run it:
#   # topology: topologies/two_lans.conf    (path from the source root)
#   # args: --seed 7                        (extra netsim options, optional)
#   # failed: 1                             (expects that must fail, default 0;
#                                            the exit status is then 1)
# Each scenario prints TAP-like "ok N - ..." lines of its own; this runner
# prints one "ok"/"not ok" per scenario and a closing "N passed, N failed".
set -u
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
netsim=${NETSIM:-$top/netsim}
dir=$top/tests/scenarios
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

passed=0
failed=0
n=0

header() { sed -n "s/^# $1: *//p" "$2" | head -n 1; }

report() { # status name detail
  n=$((n + 1))
  if [ "$1" = ok ]; then
    passed=$((passed + 1))
    echo "ok $n - $2"
  else
    failed=$((failed + 1))
    echo "not ok $n - $2${3:+ ($3)}"
  fi
}

for scn in "$dir"/*.scn; do
  name=$(basename "$scn" .scn)
  topo=$(header topology "$scn")
  args=$(header args "$scn")
  want_failed=$(header failed "$scn")
  want_failed=${want_failed:-0}
  want=0
  [ "$want_failed" -gt 0 ] && want=1
  # shellcheck disable=SC2086
  "$netsim" -q $args -s "$scn" "$top/$topo" >"$out/$name.out" 2>&1
  got=$?
  # The exit status and the exact number of failed expects must both match.
  if [ "$got" -eq "$want" ] &&
    tail -n 1 "$out/$name.out" | grep -q "passed, $want_failed failed\$"; then
    report ok "$name"
  else
    report "not ok" "$name" "exit $got, expected $want with $want_failed failed"
    sed 's/^/    # /' "$out/$name.out" | tail -n 40
  fi
done

# Lessons: every shipped topology has a scenario of the same name that
# tells its lesson (topologies/NAME.scn runs on topologies/NAME.conf); its
# expects must all hold.  A topology with bridges runs on a copy whose
# real listening ports are 0 (any free port), so a port in use on this
# machine cannot fail it; the scenario itself uses no outside program.
for conf in "$top"/topologies/*.conf; do
  name=$(basename "$conf" .conf)
  scn=${conf%.conf}.scn
  if [ ! -f "$scn" ]; then
    report "not ok" "lesson $name" "topologies/$name.scn is missing"
    continue
  fi
  sed '/^listen *=/s/\(127\.0\.0\.1:\)[0-9][0-9]*/\10/g' "$conf" >"$out/$name.conf"
  "$netsim" -q -s "$scn" "$out/$name.conf" >"$out/lesson-$name.out" 2>&1
  got=$?
  if [ "$got" -eq 0 ] && tail -n 1 "$out/lesson-$name.out" | grep -q " passed, 0 failed\$"; then
    report ok "lesson $name ($(tail -n 1 "$out/lesson-$name.out"))"
  else
    report "not ok" "lesson $name" "exit $got"
    sed 's/^/    # /' "$out/lesson-$name.out" | tail -n 40
  fi
done

# Golden logs: the teaching story of a run, byte for byte, on
# topologies/two_lans.conf unless the scenario's "# topology:" header
# names another (golden/two_lans_minimal.conf: the same network on
# tcp-profile = minimal, for logs of TCP before the linux profile).
for scn in "$dir"/golden/*.scn; do
  name=golden/$(basename "$scn" .scn)
  topo=$(header topology "$scn")
  "$netsim" -e -s "$scn" "$top/${topo:-topologies/two_lans.conf}" >"$out/golden.log" 2>&1
  if cmp -s "$out/golden.log" "${scn%.scn}.log"; then
    report ok "$name (log identical to ${name}.log)"
  else
    report "not ok" "$name" "log differs from ${name}.log"
    diff "${scn%.scn}.log" "$out/golden.log" | head -n 20 | sed 's/^/    # /'
  fi
done

# Determinism: the same topology, script and seed give a byte-identical
# log; another seed gives another (the loss pattern changes).
lossy=$dir/lossy_link.scn
topo=$top/$(header topology "$lossy")
"$netsim" -e --seed 42 -s "$lossy" "$topo" >"$out/seed42a.log" 2>&1
"$netsim" -e --seed 42 -s "$lossy" "$topo" >"$out/seed42b.log" 2>&1
"$netsim" -e --seed 43 -s "$lossy" "$topo" >"$out/seed43.log" 2>&1
if cmp -s "$out/seed42a.log" "$out/seed42b.log" && [ -s "$out/seed42a.log" ]; then
  report ok "same seed, byte-identical log ($(wc -l <"$out/seed42a.log") lines)"
else
  report "not ok" "same seed, byte-identical log" "logs differ"
  diff "$out/seed42a.log" "$out/seed42b.log" | head -n 20 | sed 's/^/    # /'
fi
if ! cmp -s "$out/seed42a.log" "$out/seed43.log"; then
  report ok "another seed, another log"
else
  report "not ok" "another seed, another log" "identical"
fi

# The same for IGMP, whose report delays are random: drawn from the seed.
igmp=$dir/igmp_snooping.scn
topo=$top/$(header topology "$igmp")
"$netsim" -e --seed 42 -s "$igmp" "$topo" >"$out/igmp42a.log" 2>&1
"$netsim" -e --seed 42 -s "$igmp" "$topo" >"$out/igmp42b.log" 2>&1
"$netsim" -e --seed 43 -s "$igmp" "$topo" >"$out/igmp43.log" 2>&1
if cmp -s "$out/igmp42a.log" "$out/igmp42b.log" &&
  grep -q "igmp/report" "$out/igmp42a.log"; then
  report ok "IGMP: same seed, byte-identical log"
else
  report "not ok" "IGMP: same seed, byte-identical log" "logs differ"
  diff "$out/igmp42a.log" "$out/igmp42b.log" | head -n 20 | sed 's/^/    # /'
fi
if ! cmp -s "$out/igmp42a.log" "$out/igmp43.log"; then
  report ok "IGMP: another seed, other report delays"
else
  report "not ok" "IGMP: another seed, other report delays" "identical"
fi

echo "scenarios: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
