#!/bin/sh
# layers.sh — every dependency between the layers of src/ points down.
#
# Each layer is a static library (src/LAYER/libLAYER.a).  LAYERS lists them
# bottom up (core wire net apps config sim trace cli).  For each library
# this reads, with nm, the symbols it needs from outside itself and the
# symbols every other layer defines.  A symbol defined by a layer above is
# an upward call: the test names the layer, the symbol and where it lives,
# and fails.  A symbol no layer defines (GLib, libc) is the outside world
# and allowed.
set -u
top=${TOP_BUILDDIR:-$(cd "$(dirname "$0")/.." && pwd)}
layers=${LAYERS:-core wire net apps config sim bridge trace cli}
nm=${NM:-nm}
case $nm in *" "*) ;; *) command -v "$nm" >/dev/null 2>&1 || nm="nm" ;; esac
src=${TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
# shellcheck source=tests/tap.sh
. "$src/tests/tap.sh"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

rank=0
for l in $layers; do
  lib=$top/src/$l/lib$l.a
  if [ ! -f "$lib" ]; then
    echo "layers: $lib not built" >&2
    echo "layers: 0 passed, 1 failed"
    exit 1
  fi
  rank=$((rank + 1))
  # defined: "symbol rank layer"; undefined: "symbol"
  $nm -g --defined-only "$lib" 2>/dev/null |
    awk -v r="$rank" -v l="$l" 'NF == 3 { print $3, r, l }' >>"$out/defined"
  $nm -g --undefined-only "$lib" 2>/dev/null |
    awk 'NF >= 2 && $1 == "U" { print $2 }' | sort -u >"$out/undef.$l"
done
sort -u -k1,1 "$out/defined" >"$out/defined.sorted"

# no_upward_calls LAYER RANK: lists the symbols LAYER takes from above.
no_upward_calls() {
  join "$out/undef.$1" "$out/defined.sorted" |
    awk -v r="$2" '$2 > r { print "    " $1 " (defined in " $3 "/)" }' >"$out/up.$1"
  [ -s "$out/up.$1" ] || return 0
  echo "  $1/ uses symbols of a higher layer:"
  cat "$out/up.$1"
  return 1
}

rank=0
for l in $layers; do
  rank=$((rank + 1))
  check "$l/ calls only the layers below it" no_upward_calls "$l" "$rank"
done
tap_done layers
