#!/bin/sh
# One command from a fresh clone to a passing test suite: installs what is
# missing, then builds twice in separate directories and runs `make check`
# in each: once with AddressSanitizer + UndefinedBehaviorSanitizer, once
# plain; both with --enable-werror (a warning fails the build).  With
# --distcheck it also runs `make distcheck`.
# Ends with the line "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 1
top=$(pwd)
scripts/deps.sh || { echo "0 passed, 1 failed"; exit 1; }
[ -x configure ] || ./autogen.sh >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
jobs=$(nproc 2>/dev/null || echo 2)
# Out-of-tree builds need a source tree that is not configured in place.
if [ -f config.status ]; then
  echo "note: the source tree was configured in place (./configure);" \
    "running 'make distclean' there so that the test builds can use it"
  make distclean >/dev/null 2>&1 || rm -f config.status
fi

status=0
total_pass=0
total_fail=0
count() { # add the closing "N passed, N failed" line of each test log
  for log in "$1"/tests/*.log "$1"/tests/*/*.log; do
    [ -f "$log" ] || continue
    line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    p=$(echo "$line" | sed -E 's/^(.*[^0-9])?([0-9]+) passed.*/\2/')
    f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
    total_pass=$((total_pass + ${p:-0}))
    total_fail=$((total_fail + ${f:-0}))
  done
}

build_and_check() { # dir configure-args...
  dir=$1
  shift
  echo "== $dir: configure $*"
  mkdir -p "$dir"
  if ! (cd "$dir" && "$top/configure" --quiet "$@"); then
    echo "FAILED: configure in $dir"
    status=1
    total_fail=$((total_fail + 1))
    return
  fi
  echo "== $dir: make check"
  if ! (cd "$dir" && make -j"$jobs" check >make-check.out 2>&1); then
    echo "FAILED: make check in $dir"
    status=1
    # a build that broke before any test ran still counts as a failure
    [ -f "$dir/tests/unit.log" ] || total_fail=$((total_fail + 1))
    tail -n 60 "$dir/make-check.out"
    for log in "$dir"/tests/*.log "$dir"/tests/*/*.log; do
      [ -f "$log" ] && grep -q -E 'not ok|FAIL|ERROR|failed' "$log" &&
        { echo "--- $log"; grep -E -B2 -A8 'not ok|:F:|:E:|ERROR|runtime error' "$log" | head -n 80; }
    done
  fi
  grep -E '^(# |PASS|FAIL|ERROR|SKIP)' "$dir/make-check.out" || true
  count "$dir"
}

build_and_check build-asan --enable-werror --enable-sanitizers
build_and_check build-plain --enable-werror CFLAGS="-O2 -g"

if [ "${1:-}" = "--distcheck" ]; then
  echo "== build-plain: make distcheck"
  (cd build-plain && make -j"$jobs" distcheck \
    DISTCHECK_CONFIGURE_FLAGS=--enable-werror >distcheck.out 2>&1) ||
    {
      echo "FAILED: make distcheck"
      status=1
      total_fail=$((total_fail + 1))
      tail -n 40 build-plain/distcheck.out
      # distcheck leaves its tree behind on failure: show what failed there
      for log in build-plain/netsim-*/_build/sub/tests/*.log \
        build-plain/netsim-*/_build/sub/tests/*/*.log; do
        [ -f "$log" ] && grep -q -E '^(not ok|FAIL|ERROR)|:F:|:E:' "$log" &&
          { echo "--- $log"; grep -E -B2 -A8 'not ok|:F:|:E:|ERROR|runtime error' "$log" | head -n 80; }
      done
    }
  grep -E 'archives ready|ready for distribution' build-plain/distcheck.out || true
fi

echo "$total_pass passed, $total_fail failed"
[ "$status" -eq 0 ] && [ "$total_fail" -eq 0 ]
