"""What the integration test scripts share: where netsim and the shipped
topologies are, a list of tests, check(), Skip, and main(), which prints
one "ok N - name" line per test and the "NAME: N passed, N failed" line
that run.sh adds up.  (test_bridges.py keeps its own main: it picks
tests by name and times them.)"""
import os
import subprocess
import sys

TOP = os.environ.get("TOP_SRCDIR", os.path.join(os.path.dirname(__file__), "..", ".."))
NETSIM = os.environ.get("NETSIM", os.path.join(TOP, "netsim"))
TOPO = os.path.join(TOP, "topologies")

# Each script is its own process: one list per script.
_tests = []


def test(fn):
    _tests.append(fn)
    return fn


class Skip(Exception):
    """A test that cannot run here: only when an outside program is missing."""


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def run(*args, stdin=None, timeout=60):
    """netsim with args; its exit status, standard output and error."""
    p = subprocess.run([NETSIM, *args], input=stdin, capture_output=True,
                       text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def main(name):
    passed = failed = 0
    for i, fn in enumerate(_tests, 1):
        try:
            fn()
            print(f"ok {i} - {fn.__name__}", flush=True)
            passed += 1
        except Skip as e:
            print(f"ok {i} - {fn.__name__} # SKIP {e}", flush=True)
            passed += 1
        except Exception as e:  # noqa: BLE001 - report every failure
            print(f"not ok {i} - {fn.__name__}: {e}", flush=True)
            failed += 1
    print(f"{name}: {passed} passed, {failed} failed")
    sys.exit(0 if failed == 0 else 1)
