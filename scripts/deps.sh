#!/bin/sh
# Installs the Debian packages netsim needs to build and test, if missing.
# Idempotent: installs nothing when everything is there. Needs root (no sudo).
# netcat-openbsd, socat and curl are the outside programs the bridge tests
# (tests/integration/test_bridges.py) drive against the simulated network.
# libpcap-dev writes --pcap files; tshark (with capinfos) checks the
# captures in tests/integration/test_pcap.py; graphviz's dot renders the
# drawings of --dot (tests/integration/test_dot.py); headless chromium opens
# the --html replays (tests/integration/test_html.py); iproute2 (ip,
# bridge), iputils-ping and ethtool build and drive the Linux twin that
# tests/integration/test_linux_compare.py compares netsim's captures with.
# gettext and autopoint build the translations (po/); locales lets
# tests/i18n.sh generate a zh_CN.UTF-8 locale (localedef) to run netsim in
# Chinese.
set -eu
pkgs="gcc make autoconf automake pkg-config libglib2.0-dev check python3 groff-base libedit-dev
  netcat-openbsd socat curl libpcap-dev tshark graphviz chromium
  iproute2 iputils-ping ethtool gettext autopoint locales"
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
    missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "netsim needs these Debian packages:$missing" >&2
  echo "run as root: apt-get install -y$missing" >&2
  exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
