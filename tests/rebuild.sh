#!/bin/sh
# rebuild.sh — every object depends on the configuration.
#
# In a scratch build tree it builds src/core/libcore.a plain, configures
# the tree again with the same options (nothing may be rebuilt: config.h is
# left as it was), then with --enable-sanitizers (every object must be
# rebuilt, instrumented).  The other libraries, netsim and the unit tests
# take the same flags from Makefile.am, so one library stands for all of
# them and the test stays cheap.
#
# Skipped (77) when the source tree is configured in place (a second build
# tree is then refused by configure) or the compiler cannot build with
# AddressSanitizer.
set -u
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
cc=${CC:-cc}
# shellcheck source=tests/tap.sh
. "$top/tests/tap.sh"
if [ -f "$top/config.status" ]; then
  echo "rebuild: $top is configured in place; skipped"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo 'int main(void) { return 0; }' >"$work/t.c"
if ! $cc -fsanitize=address,undefined -o "$work/t" "$work/t.c" 2>/dev/null; then
  echo "rebuild: $cc cannot build with -fsanitize=address,undefined; skipped"
  exit 77
fi
mkdir "$work/b"
cd "$work/b" || exit 1
lib=src/core/libcore.a

configure() { "$top/configure" -q -C CC="$cc" CFLAGS="-O0" "$@" >configure.out 2>&1 ||
  { cat configure.out; return 1; }; }
build() { (unset MAKEFLAGS MFLAGS && ${MAKE:-make} -s "$lib") >make.out 2>&1 ||
  { cat make.out; return 1; }; }
# none (every) object of the library is newer than the file stamp
none_rebuilt() {
  new=$(find src/core -name '*.o' -newer stamp)
  [ -z "$new" ] || { echo "rebuilt: $new"; return 1; }
}
all_rebuilt() {
  old=$(find src/core -name '*.o' ! -newer stamp)
  [ -z "$old" ] || { echo "not rebuilt: $old"; return 1; }
}
instrumented() { ${NM:-nm} "$lib" | grep -q __asan_report; }

check "plain configure and build" eval 'configure && build'
check "plain build is not instrumented" eval '! instrumented'
sleep 1
touch stamp
check "configure again, same options" configure
check "config.h untouched" test ! config.h -nt stamp
check "make runs" build
check "nothing rebuilt" none_rebuilt
sleep 1
touch stamp
check "configure --enable-sanitizers" configure --enable-sanitizers
check "make rebuilds" build
check "every object rebuilt" all_rebuilt
check "the rebuilt library is instrumented" instrumented
tap_done rebuild
