"""What the integration test scripts share: where netsim and the shipped
topologies are, a list of tests, check(), Skip, and main(), which prints
one "ok N - name" line per test and the "NAME: N passed, N failed" line
that run.sh adds up.  (test_bridges.py keeps its own main: it picks
tests by name and times them.)"""
import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

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


class Console:
    """netsim's console in a pseudo-terminal, as a person would use it.
    Killed on exit from the with-block if it is still running.  Its
    history goes to a temporary XDG_STATE_HOME (self.state), removed
    after, never to the user's own."""

    def __init__(self, *args, state=None):
        self.own_state = state is None
        self.state = tempfile.mkdtemp(prefix="netsim-state-") if state is None else state
        env = dict(os.environ, XDG_STATE_HOME=self.state, TERM="xterm")
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(NETSIM, [NETSIM, *args], env)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)
        if self.own_state:
            shutil.rmtree(self.state, ignore_errors=True)

    def type(self, line):
        os.write(self.fd, line.encode() + b"\n")

    def keys(self, keys):
        """Bytes as typed, no newline added (arrows, Tab)."""
        os.write(self.fd, keys)

    def read_until(self, needle, timeout=20.0, after=None):
        """Output until needle shows up (after the text `after`, if given:
        a prompt that follows some output, not an earlier one)."""
        buf = b""
        end = time.time() + timeout

        def found():
            start = 0
            if after is not None:
                i = buf.find(after.encode())
                if i < 0:
                    return False
                start = i + len(after)
            return needle.encode() in buf[start:]

        while not found():
            left = end - time.time()
            if left <= 0:
                raise AssertionError(f"timed out waiting for {needle!r}; got {buf[-800:]!r}")
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                buf += chunk
        return buf.decode(errors="replace")

    def pending_output(self):
        r, _, _ = select.select([self.fd], [], [], 0)
        return os.read(self.fd, 4096).decode(errors="replace") if r else ""

    def exit_status(self, timeout=10.0):
        """Waits (draining output) for the process to end; returns its exit
        code, or fails if it does not end in time or was killed."""
        end = time.time() + timeout
        while time.time() < end:
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.pid = 0
                check(os.WIFEXITED(status), f"ended by signal: status {status}")
                return os.WEXITSTATUS(status)
            try:
                os.read(self.fd, 65536)
            except OSError:
                pass
            time.sleep(0.02)
        raise AssertionError(f"netsim did not exit within {timeout} s")




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
