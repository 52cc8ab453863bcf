#!/bin/sh
# i18n.sh — netsim in Chinese (po/zh_CN.po), and the catalogue's coverage.
#
# The catalogue under test is the source tree's po/zh_CN.po, compiled here
# into a locale tree of the build directory that netsim is pointed at with
# NETSIM_LOCALEDIR (core/i18n.h): no installed catalogue is used.  The
# Chinese locale: an installed zh_CN.UTF-8 if there is one, else one that
# localedef (Debian's `locales`) generates into the build directory
# (LOCPATH), else C.UTF-8 with LANGUAGE=zh_CN (gettext then still
# translates; only the C library's own texts stay English).
#
# Checks: (a) scenarios give the same ok/not ok lines and exit status in
# Chinese as in the C locale, and the Chinese run's reasons are Chinese;
# (b) --help is Chinese; (c) every marked message of every file in
# po/POTFILES.in is translated in po/zh_CN.po (none missing, untranslated
# or fuzzy, printf formats intact), and every source file with marked
# messages is listed in po/POTFILES.in.
set -u
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
build=${TOP_BUILDDIR:-$top}
netsim=${NETSIM:-$build/netsim}
# shellcheck source=tests/tap.sh
. "$top/tests/tap.sh"

for tool in msgfmt xgettext msgcmp; do
  command -v "$tool" >/dev/null || {
    echo "i18n: $tool not found (Debian: apt-get install gettext)"
    echo "i18n: 0 passed, 1 failed"
    exit 1
  }
done
work=$build/tests/i18n-work
rm -rf "$work"
mkdir -p "$work/mo/zh_CN/LC_MESSAGES" "$work/locale"
trap 'rm -rf "$work"' EXIT

# ---- the catalogue (c) --------------------------------------------------
# xgettext's options are po/Makevars' (the ones `make update-po` uses).
xopts=$(sed -n '/^XGETTEXT_OPTIONS *=/,/[^\\]$/p' "$top/po/Makevars" |
  sed 's/^XGETTEXT_OPTIONS *= *//; s/\\$//' | tr '\n' ' ')
files=$(grep -v '^#' "$top/po/POTFILES.in" | grep -v '^ *$')
extract() {
  # shellcheck disable=SC2086
  (cd "$top" && xgettext $xopts --package-name=netsim -o "$work/netsim.pot" \
    $files) && [ -f "$work/netsim.pot" ]
}
check "xgettext extracts the marked messages of po/POTFILES.in" extract
# msgcmp counts an untranslated or fuzzy entry as missing.
check "po/zh_CN.po translates every marked message" \
  msgcmp "$top/po/zh_CN.po" "$work/netsim.pot"
compiles() {
  msgfmt --check --statistics -o "$work/mo/zh_CN/LC_MESSAGES/netsim.mo" \
    "$top/po/zh_CN.po"
}
check "po/zh_CN.po compiles, printf formats intact" compiles
# A source file that marks messages (_(" or N_(", or a counter list's
# X(name, "meaning") rows) but is not listed.
unlisted() {
  (cd "$top" && grep -l -E '(^|[^A-Za-z0-9_])N?_\("|^ *X\([a-z0-9_]+, "' \
    src/*.c src/*/*.c src/*/*.h) |
    while read -r f; do
      grep -q -x -F "$f" "$top/po/POTFILES.in" || echo "not in po/POTFILES.in: $f"
    done
}
none_unlisted() { [ -z "$(unlisted | tee /dev/stderr)" ]; }
check "every file with marked messages is in po/POTFILES.in" none_unlisted
count=$(grep -c '^msgid ' "$work/netsim.pot" 2>/dev/null || echo 1)
echo "# $((count - 1)) marked messages"

# ---- a Chinese locale ---------------------------------------------------
if locale -a 2>/dev/null | grep -q -i -x 'zh_CN\.utf-\{0,1\}8'; then
  zh="LANG=zh_CN.UTF-8"
elif command -v localedef >/dev/null && [ -f /usr/share/i18n/locales/zh_CN ] &&
  { localedef -i zh_CN -f UTF-8 "$work/locale/zh_CN.UTF-8" >/dev/null 2>&1 ||
    [ -f "$work/locale/zh_CN.UTF-8/LC_CTYPE" ]; }; then
  zh="LOCPATH=$work/locale LANG=zh_CN.UTF-8"
else
  zh="LANG=C.UTF-8 LANGUAGE=zh_CN"
fi
echo "# Chinese as: $zh"
# run_in C|zh ARGS...: netsim in that language, output and status to files.
run_in() {
  lang=$1
  shift
  if [ "$lang" = zh ]; then
    # shellcheck disable=SC2086
    env -u LC_ALL -u LC_MESSAGES NETSIM_LOCALEDIR="$work/mo" $zh "$netsim" "$@"
  else
    env -u LANGUAGE LC_ALL=C NETSIM_LOCALEDIR="$work/mo" "$netsim" "$@"
  fi
}

# ---- (b) --help ----------------------------------------------------------
run_in zh --help >"$work/help.zh" 2>&1
check "--help in Chinese" grep -q '逐帧模拟以太网局域网' "$work/help.zh"
check "--help in Chinese keeps the option names" grep -q -- '--explain' "$work/help.zh"
run_in C --help >"$work/help.C" 2>&1
check "--help in the C locale is English" grep -q 'Simulate Ethernet LANs' "$work/help.C"
run_in zh --fast --realtime >"$work/err.zh" 2>&1
check "an error in Chinese" grep -q '不能同时使用' "$work/err.zh"

# The console's help: translated, each command's synopsis (the words before
# its explanation) kept as it is.
echo help | run_in C -q >"$work/cmds.C" 2>&1
echo help | run_in zh -q >"$work/cmds.zh" 2>&1
check "help in Chinese" grep -q '组播' "$work/cmds.zh"
synopses_kept() {
  [ "$(wc -l <"$work/cmds.C")" -eq "$(wc -l <"$work/cmds.zh")" ] || return 1
  # A line's text before its first Chinese character (the synopsis, and
  # maybe the start of the explanation) is the start of the English line.
  paste -d '\n' "$work/cmds.C" "$work/cmds.zh" | LC_ALL=C awk '
    NR % 2 == 1 { c = $0; next }
    {
      i = match($0, /[\200-\377]/); p = i > 0 ? substr($0, 1, i - 1) : $0
      sub(/ +$/, "", p)
      if (substr(c, 1, length(p)) != p) { print "synopsis changed: " p; bad = 1 }
    }
    END { exit bad }'
}
check "help in Chinese keeps every synopsis" synopses_kept

# ---- (a) scenarios ------------------------------------------------------
# Same ok/not ok lines and exit status in both languages; the reasons of
# the Chinese run are Chinese (the words to find, after each scenario).
same_results() { # scenario topology (paths from the source root)
  n=$(basename "$1")
  run_in C -e -s "$top/$1" "$top/$2" >"$work/$n.C" 2>&1
  echo $? >"$work/$n.C.status"
  run_in zh -e -s "$top/$1" "$top/$2" >"$work/$n.zh" 2>&1
  echo $? >"$work/$n.zh.status"
  grep -E '^(not )?ok|passed, [0-9]+ failed' "$work/$n.C" >"$work/$n.C.ok"
  grep -E '^(not )?ok|passed, [0-9]+ failed' "$work/$n.zh" >"$work/$n.zh.ok"
  [ -s "$work/$n.C.ok" ] && cmp -s "$work/$n.C.ok" "$work/$n.zh.ok" &&
    cmp -s "$work/$n.C.status" "$work/$n.zh.status" ||
    { diff "$work/$n.C.ok" "$work/$n.zh.ok"; return 1; }
}
# every line of a run in the C locale is ASCII (its reasons untranslated)
english() { ! LC_ALL=C grep -n '[^ -~]' "$1"; }
# The --html replay: its labels in Chinese (the page's and its script's).
replay_in() {
  printf 'h1 ping h3 count 1\nwait\n' >"$work/replay.scn"
  run_in "$1" -q --html "$work/replay.$1.html" -s "$work/replay.scn" \
    "$top/topologies/two_lans.conf" >/dev/null 2>&1
}
replay_in C
replay_in zh
check "the replay page in Chinese" grep -q '<html lang="zh-CN">' "$work/replay.zh.html"
check "the replay page's labels in Chinese" grep -q '<h2>拓扑</h2>' "$work/replay.zh.html"
check "the replay script's labels in Chinese" \
  grep -q '"why: {1}":"原因：{1}"' "$work/replay.zh.html"
check "the replay page in the C locale is English" english "$work/replay.C.html"
# The scenarios below, and every lesson (lessons/NN.scn on NN.conf).
scenarios() {
  cat <<'LIST'
tests/scenarios/broadcast_why.scn tests/scenarios/lan_and_remote.conf 受限广播 组播组 经网关
tests/scenarios/ping_across_router.scn topologies/two_lans.conf 缓存中 经网关
tests/scenarios/tcp_echo_across_router.scn topologies/two_lans.conf 三次握手
tests/scenarios/failing_expects.scn topologies/two_lans.conf
LIST
  for l in "$top"/lessons/*.scn; do
    [ -f "$l" ] || continue
    l=${l#"$top"/}
    echo "$l ${l%.scn}.conf"
  done
}
scenarios >"$work/list"
while read -r scn topo words; do
  check "$scn: same results in Chinese" same_results "$scn" "$topo"
  n=$(basename "$scn")
  for w in $words; do
    check "$scn: Chinese reason ($w)" grep -q "why: .*$w" "$work/$n.zh"
  done
  check "$scn: reasons in the C locale are English" english "$work/$n.C"
done <"$work/list"

tap_done i18n
