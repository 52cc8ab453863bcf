#!/bin/sh
# Replays every fuzz corpus (fuzz/corpus/TARGET/*) through its target's
# entry point, built with the normal compiler (fuzz/replay.c as main): what
# a fuzzer once found, or once reached, stays covered in `make check` and,
# in CI, under ASan/UBSan.  A crash, a sanitizer report or a leaked frame
# makes the target's check fail.
set -u
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
build=${TOP_BUILDDIR:-$top}
. "$top/tests/tap.sh"

replay() { # target
  n=$(find "$top/fuzz/corpus/$1" -type f | wc -l)
  [ "$n" -gt 0 ] || { echo "  fuzz/corpus/$1 is empty"; return 1; }
  out=$("$build/fuzz/replay-$1" "$top/fuzz/corpus/$1" 2>&1)
  st=$?
  echo "$out" | tail -n 20 | sed 's/^/    # /'
  [ "$st" -eq 0 ] && echo "$out" | grep -q "^replayed $n inputs\$"
}

for t in ${FUZZ_TARGETS:-topology script wire inject bridge}; do
  check "fuzz corpus of $t replays cleanly" replay "$t"
done
tap_done fuzz_replay
