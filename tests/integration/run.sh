#!/bin/sh
# Integration tests: drive the real netsim binary as a user would.
top=${TOP_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
export TOP_SRCDIR="$top"
export NETSIM="${NETSIM:-$top/netsim}"
if ! command -v python3 >/dev/null 2>&1; then
  echo "python3 not found: integration tests need it (apt-get install python3)"
  exit 77
fi
exec python3 "$top/tests/integration/test_cli.py"
