#!/bin/sh
# manpage.sh — netsim(1) documents every option `netsim --help` lists, has
# the sections a man page needs, and renders without a groff warning (when
# groff is installed; the other checks need only a shell).
set -u
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
build=${TOP_BUILDDIR:-$top}
netsim=${NETSIM:-$build/netsim}
page=$build/doc/netsim.1
# shellcheck source=tests/tap.sh
. "$top/tests/tap.sh"

# The page writes a dash as \- (a hyphen that troff must not break).
documents() { grep -q -e "$(printf '%s' "$1" | sed 's/-/\\\\-/g')" "$page"; }
has_section() { grep -q "^\.SH \"*$1\"*\$" "$page"; }
no_placeholder() { ! grep -n '@[A-Za-z_]*@' "$page"; }
renders_cleanly() {
  warnings=$(groff -man -Tutf8 -ww -z "${1:-$page}" 2>&1) || warnings="groff failed: $warnings"
  [ -z "$warnings" ] || { echo "$warnings"; return 1; }
}

# install.sh, running beside this test, does `make install` in the same
# tree, which may remake the page through config.status: that removes the
# file, then writes it (a distcheck once failed here so).  Wait a moment
# for it, and read a copy.
tries=0
while [ ! -s "$page" ] && [ "$tries" -lt 20 ]; do
  sleep 0.5
  tries=$((tries + 1))
done
if [ ! -s "$page" ]; then
  echo "manpage: $page not made (run configure)"
  echo "manpage: 0 passed, 1 failed"
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$page" "$work/netsim.1"
page=$work/netsim.1
check "configure filled in every @VALUE@" no_placeholder
for section in NAME SYNOPSIS DESCRIPTION OPTIONS "TOPOLOGY FILES" FILES \
  "EXIT STATUS" EXAMPLES "SEE ALSO"; do
  check "section $section" has_section "$section"
done
options=$("$netsim" --help | grep -o -E '^  +(-[A-Za-z], )?--[a-z-]+' |
  sed -E 's/^ +//; s/,//')
check "netsim --help lists options" test -n "$options"
for opt in $options; do
  check "documents $opt" documents "$opt"
done
# Every show command the console's help lists is named on the page.
shows=$(echo help | "$netsim" -q | grep -o -E 'show [a-z]+' | sort -u)
check "netsim help lists show commands" test -n "$shows"
for show in $(printf '%s\n' "$shows" | sed 's/^show //'); do
  check "documents show $show" documents "show $show"
done
# The install folders come from --prefix, which may be long (make distcheck's
# once made a line that troff could not adjust): the page must break them at
# their slashes.  Render it again with every folder under a deep prefix.
deep_prefix() {
  # (in sed's replacement, \\: is the page's \:)
  deep='/\\:home/\\:a-rather-long-user-name/\\:src/\\:netsim-build-with-a-long-name/\\:_inst/\\:share'
  sed "s|^\(\.IR* \)/|\1$deep/|" "$page" > "$work/deep.1"
  grep -q 'a-rather-long-user-name/\\:src' "$work/deep.1" ||
    { echo "no install folder found on the page"; return 1; }
  renders_cleanly "$work/deep.1"
}
if command -v groff >/dev/null 2>&1; then
  check "groff -man -ww renders it without a warning" renders_cleanly
  check "a long install prefix still renders without a warning" deep_prefix
else
  echo "# groff not installed: rendering not checked"
fi
tap_done manpage
