# shellcheck shell=sh
# tap.sh — sourced by the shell tests of tests/: one "ok N - WHAT" or
# "not ok N - WHAT" line per check, and a closing "NAME: N passed, N failed"
# line that scripts/test.sh adds up.

tap_n=0
tap_passed=0
tap_failed=0

# check WHAT COMMAND [ARG...]: runs the command; its status is the verdict.
check() {
  tap_what=$1
  shift
  tap_n=$((tap_n + 1))
  if "$@"; then
    tap_passed=$((tap_passed + 1))
    echo "ok $tap_n - $tap_what"
  else
    tap_failed=$((tap_failed + 1))
    echo "not ok $tap_n - $tap_what"
  fi
}

# tap_done NAME: the closing line; the status is 0 when nothing failed.
tap_done() {
  echo "$1: $tap_passed passed, $tap_failed failed"
  [ "$tap_failed" -eq 0 ]
}
