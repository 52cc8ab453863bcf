#!/bin/sh
# install.sh — `make install` puts netsim, netsim(1) and the example
# topologies in place, and the installed netsim finds a topology by name
# (netsim two_lans, netsim two_lans.conf) from any directory.
#
# Under `make check` it installs the build tree into a scratch folder
# (make install DESTDIR=TMP) and runs TMP/$bindir/netsim with
# NETSIM_TOPOLOGY_DIR=TMP/$topologiesdir, the compiled-in folder not being
# there.  Under `make installcheck` (INSTALLED=yes; `make distcheck` runs it
# after a real install into its own prefix) it checks the files in place,
# without the override (unless DESTDIR is set), so the folder compiled into
# netsim is the one tested.
#
# Environment (set by Makefile.am): TOP_SRCDIR, TOP_BUILDDIR, MAKE, bindir,
# man1dir, topologiesdir, lessonsdir; INSTALLED and DESTDIR for installcheck.
set -u
top=${TOP_SRCDIR:?}
bindir=${bindir:?} man1dir=${man1dir:?} topologiesdir=${topologiesdir:?}
lessonsdir=${lessonsdir:?}
# shellcheck source=tests/tap.sh
. "$top/tests/tap.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/elsewhere"

if [ "${INSTALLED:-}" = yes ]; then
  root=${DESTDIR:-}
  unset NETSIM_TOPOLOGY_DIR
  [ -z "$root" ] || export NETSIM_TOPOLOGY_DIR="$root$topologiesdir"
else
  root=$work/root
  make_install() {
    (unset MAKEFLAGS MFLAGS && ${MAKE:-make} -s -C "${TOP_BUILDDIR:?}" \
      install DESTDIR="$root") >"$work/install.out" 2>&1 ||
      { cat "$work/install.out"; return 1; }
  }
  check "make install DESTDIR=..." make_install
  export NETSIM_TOPOLOGY_DIR="$root$topologiesdir"
fi
netsim=$root$bindir/netsim
dir=$root$topologiesdir
page=$root$man1dir/netsim.1
names=$(for f in "$top"/topologies/*.conf; do basename "$f" .conf; done |
  LC_ALL=C sort)

same_topologies() {
  for n in $names; do
    cmp "$top/topologies/$n.conf" "$dir/$n.conf" || return 1
  done
}
no_placeholder() { ! grep -n '@[A-Za-z_]*@' "$page"; }
# run_elsewhere ARGS...: netsim run from an unrelated directory; its
# output is in $work/out and $work/err, its status in $rc.
run_elsewhere() {
  rc=0
  (cd "$work/elsewhere" && "$netsim" "$@") >"$work/out" 2>"$work/err" </dev/null ||
    rc=$?
}
# checks_by_name ARG: `netsim --check ARG` loads the installed two_lans.conf.
# checked_ok SOURCE: the run passed --check and its last line names SOURCE.
checked_ok() {
  if [ "$rc" -eq 0 ] && [ "$(tail -n 1 "$work/out")" = "$1: OK" ]; then
    return 0
  fi
  cat "$work/out" "$work/err"
  return 1
}
# checks_by_name ARG: `netsim --check ARG` loads the installed two_lans.conf.
checks_by_name() {
  run_elsewhere --check "$1"
  checked_ok "$dir/two_lans.conf"
}
lists_names() {
  run_elsewhere --check no_such_net
  want="available: $(echo "$names" | paste -s -d , - | sed 's/,/, /g')"
  if [ "$rc" -eq 2 ] && grep -q -F "no_such_net" "$work/err" &&
    grep -q -F "$dir" "$work/err" && grep -q -F "$want" "$work/err"; then
    return 0
  fi
  echo "exit $rc, want '$want' in:"
  cat "$work/err"
  return 1
}
local_file_wins() {
  printf '[switch sw1]\n[host h1]\nip = 10.0.0.1/24\nlink = sw1\n' \
    >"$work/elsewhere/two_lans.conf"
  run_elsewhere --check two_lans.conf
  rm -f "$work/elsewhere/two_lans.conf"
  checked_ok two_lans.conf
}
# The lesson scenarios are installed beside their topologies, and the
# installed two_lans.scn passes against the installed two_lans.
lesson_installed() {
  for f in "$top"/topologies/*.scn; do
    cmp "$f" "$dir/$(basename "$f")" || return 1
  done
  run_elsewhere -q -s "$dir/two_lans.scn" two_lans
  if [ "$rc" -eq 0 ] && tail -n 1 "$work/out" | grep -q ' passed, 0 failed$'; then
    return 0
  fi
  cat "$work/out" "$work/err"
  return 1
}
# Every file of lessons/ is installed (a lesson added to the tree but not
# to Makefile.am's list fails here), and an installed lesson passes.
lessons_installed() {
  for f in "$top"/lessons/*; do
    cmp "$f" "$root$lessonsdir/$(basename "$f")" || return 1
  done
  l=$root$lessonsdir/03_mac_vs_ip
  run_elsewhere -q -s "$l.scn" "$l.conf"
  if [ "$rc" -eq 0 ] && tail -n 1 "$work/out" | grep -q ' passed, 0 failed$'; then
    return 0
  fi
  cat "$work/out" "$work/err"
  return 1
}
runs_a_script_by_name() {
  printf 'h1 ping h3 count 1\nwait\nexpect h1 ping replies 1\n' >"$work/in.scn"
  run_elsewhere -q -s "$work/in.scn" two_lans
  if [ "$rc" -eq 0 ] && grep -q '1 passed, 0 failed' "$work/out"; then
    return 0
  fi
  cat "$work/out" "$work/err"
  return 1
}

check "netsim in $bindir" test -x "$netsim"
check "netsim(1) in $man1dir" test -f "$page"
check "netsim(1) has no @VALUE@ left" no_placeholder
check "every topologies/*.conf in $topologiesdir" same_topologies
check "netsim --check two_lans from another directory" checks_by_name two_lans
check "netsim --check two_lans.conf from another directory" \
  checks_by_name two_lans.conf
check "an unknown name lists the installed names" lists_names
check "a file in the current directory wins over the name" local_file_wins
check "a script runs against a topology given by name" runs_a_script_by_name
check "the lesson scenarios in $topologiesdir" lesson_installed
check "the course's lessons in $lessonsdir" lessons_installed
tap_done install
