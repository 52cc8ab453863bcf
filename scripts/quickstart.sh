#!/bin/sh
# One command from a fresh clone to a running netsim: installs what is
# missing, builds, and starts the two-LAN network (extra arguments are
# passed to netsim, e.g. -e for explanations).
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
[ -x configure ] || ./autogen.sh >/dev/null
[ -f Makefile ] || ./configure --quiet
make -j"$(nproc)" netsim >/dev/null
exec ./netsim "$@" topologies/two_lans.conf
