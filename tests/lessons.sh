#!/bin/sh
# Runs every lesson of lessons/ (lessons/NN_NAME.scn on lessons/NN_NAME.conf)
# against the netsim binary, as a teacher types it:
#   netsim -s lessons/NN_NAME.scn lessons/NN_NAME.conf
# Every expect of every lesson must hold; a lesson without its topology,
# or a topology without its lesson, fails.  Each lesson must also open with
# its note in English and in Chinese (a line of CJK text in its first
# comment block).
set -u
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
netsim=${NETSIM:-$top/netsim}
dir=$top/lessons
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

passed=0
failed=0
n=0

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

cjk=$(printf '[\344-\351]')

# The first comment block of a file: its opening lines that start with #.
opening() { sed -n '/^#/!q;p' "$1"; }

for f in "$dir"/*.scn "$dir"/*.conf; do
  [ -e "$f" ] || continue
  name=$(basename "$f")
  base=${f%.*}
  [ -f "$base.scn" ] && [ -f "$base.conf" ] ||
    report "not ok" "$name" "lessons come in pairs: NAME.conf and NAME.scn"
  # CJK characters start with the UTF-8 lead bytes 0xe4-0xe9.
  if opening "$f" | LC_ALL=C grep -q "$cjk" &&
    opening "$f" | LC_ALL=C grep -q '[A-Za-z]'; then
    :
  else
    report "not ok" "$name" "does not open with its note in English and Chinese"
  fi
done

for scn in "$dir"/*.scn; do
  [ -e "$scn" ] || continue
  name=$(basename "$scn" .scn)
  conf=${scn%.scn}.conf
  [ -f "$conf" ] || continue
  (cd "$top" && "$netsim" -s "lessons/$name.scn" "lessons/$name.conf") \
    >"$out/$name.out" 2>&1
  got=$?
  # The summary line (log lines of what the run ends may follow it).
  last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out/$name.out" | tail -n 1)
  case $last in
  *" passed, 0 failed") ok=$got ;;
  *) ok=1 ;;
  esac
  if [ "$ok" -eq 0 ] && ! grep -q "^not ok" "$out/$name.out"; then
    report ok "lesson $name ($last)"
  else
    report "not ok" "lesson $name" "exit $got"
    grep -E "^(not ok|netsim:)" "$out/$name.out" | sed 's/^/    # /'
    tail -n 5 "$out/$name.out" | sed 's/^/    # /'
  fi
done

[ "$n" -gt 0 ] || report "not ok" "lessons" "no lessons found in $dir"
echo "lessons: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
