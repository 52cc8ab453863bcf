#!/bin/sh
# One command from a fresh clone to a running netsim: installs what is
# missing, builds in build/, and starts the two-LAN network (extra
# arguments are passed to netsim, e.g. -e for explanations).
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
scripts/deps.sh
[ -x configure ] || ./autogen.sh >/dev/null
mkdir -p build
if [ ! -f build/Makefile ]; then
  (cd build && "$top/configure" --quiet)
fi
make -C build -j"$(nproc)" netsim >/dev/null
exec build/netsim "$@" topologies/two_lans.conf
