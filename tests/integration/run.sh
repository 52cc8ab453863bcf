#!/bin/sh
# Integration tests: drive the real netsim binary as a user would.
#   test_cli.py      the command line, console, logs and exit codes
#   test_bridges.py  real programs (Python sockets, nc, curl, socat) talking
#                    to the simulated network through bridges
#   test_pcap.py     --pcap and --pcapng captures read back by tshark and
#                    capinfos (skipped when tshark is missing)
#   test_dot.py      --dot on every shipped topology, rendered by dot -Tsvg
#   test_html.py     --html replays opened and stepped through by headless
#                    Chromium (skipped when chromium is missing)
#   test_layers.py   each hop's MACs in the log; --layers as text and JSON
#   test_console.py  line editing in a pseudo-terminal: up arrow, Tab,
#                    history under XDG_STATE_HOME (skipped without libedit)
#   test_hostile.py  hostile input: unbounded files, huge words, full disks,
#                    port exhaustion end in clear errors, bounded
#   test_limits.py   one test per row of the README's Limits table
#   test_signals.py  SIGINT/SIGTERM while loading, running, serving
#                    bridges: exit 128+N, every log, pcap and replay whole
#   test_linux_compare.py  the same traffic on Linux network namespaces,
#                    compared field by field with netsim's capture (as
#                    root; skipped without namespaces, veth or tshark)
#   test_vxlan.py    [vxlan] segments: two netsims joined by VXLAN on
#                    127.0.0.1, hostile datagrams, tshark's decoding, and
#                    (as root) a kernel vxlan in a namespace pinging across
# Each prints "ok N - ..." lines and its own "NAME: N passed, N failed";
# the last line adds them up (scripts/test.sh reads only the last one).
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
export TOP_SRCDIR="$top"
export NETSIM="${NETSIM:-$top/netsim}"
if ! command -v python3 >/dev/null 2>&1; then
  echo "python3 not found: integration tests need it (apt-get install python3)"
  exit 77
fi
out=$(mktemp) || exit 1
st=$(mktemp) || exit 1
trap 'rm -f "$out" "$st"' EXIT
passed=0
failed=0
for t in cli console bridges pcap dot html layers hostile limits signals linux_compare vxlan; do
  # shown as it runs, kept for the summary; the status through a file
  { python3 "$top/tests/integration/test_$t.py" 2>&1; echo $? >"$st"; } | tee "$out"
  rc=$(cat "$st")
  line=$(grep -E '^[a-z]+: [0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1)
  if [ -z "$line" ]; then # it died before its summary
    echo "not ok - test_$t.py ended with status $rc and no summary"
    failed=$((failed + 1))
    continue
  fi
  p=$(echo "$line" | sed -E 's/^[a-z]+: ([0-9]+) passed.*/\1/')
  f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')
  [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1 # a failure the summary missed
  passed=$((passed + p))
  failed=$((failed + f))
done
echo "integration: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
