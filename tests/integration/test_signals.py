#!/usr/bin/env python3
"""Integration tests: SIGINT and SIGTERM at any moment of a run end it
with exit status 128 + N (README "Exit status", netsim(1)) and leave
every output complete: the log (text or JSON lines) ends on a whole line,
every pcap file reads to its last record, the --html replay has its
closing tags.  The moments: while a big generated topology loads and its
network is built, during a long fast run, and while bridges serve real
sockets on 127.0.0.1.  The signal goes once the --ready-file says the
handlers are in place where that file exists (as test_pcap.py does),
else after fixed delays that fall before and after it."""
import html.parser
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time

from harness import NETSIM, TOPO, check, main, test

TWO_LANS = os.path.join(TOPO, "two_lans.conf")
SIGNALS = (signal.SIGINT, signal.SIGTERM)


def start(args, cwd, stdin=subprocess.DEVNULL):
    return subprocess.Popen([NETSIM, *args], cwd=cwd, stdin=stdin,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)


def wait_ready(p, path, limit=60):
    deadline = time.monotonic() + limit
    while not os.path.exists(path):
        check(p.poll() is None, f"ended before it was ready: {p.returncode}")
        check(time.monotonic() < deadline, f"no ready file in {limit} s")
        time.sleep(0.02)


def wait_handlers(p, limit=60):
    """Until p catches SIGINT and SIGTERM (SigCgt in /proc/PID/status):
    before netsim's main() installs its handlers, a signal ends any
    program the default way, and under a loaded sanitizer build that
    takes longer than the test's early moment.  Bounded."""
    want = (1 << (signal.SIGINT - 1)) | (1 << (signal.SIGTERM - 1))
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and p.poll() is None:
        try:
            with open(f"/proc/{p.pid}/status") as f:
                for line in f:
                    if line.startswith("SigCgt:") and \
                            int(line.split()[1], 16) & want == want:
                        return
        except OSError:
            return  # no /proc: the moment is all there is
        time.sleep(0.005)


def stop(p, sig, what):
    """Sends sig; the run must end by itself with 128 + sig."""
    p.send_signal(sig)
    try:
        _, err = p.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        raise AssertionError(f"{what}: still running 120 s after {sig.name}")
    check(p.returncode == 128 + sig,
          f"{what}: {sig.name}: exit {p.returncode}: {err[-300:]}")
    return err


def check_log(path, jsonl=False):
    """The log ends on a whole line (and each JSON line parses)."""
    if not os.path.exists(path):
        return
    with open(path, "rb") as f:
        data = f.read()
    check(data == b"" or data.endswith(b"\n"), f"{path}: cut last line")
    if jsonl:
        for line in data.splitlines():
            json.loads(line)


def pcap_records(path):
    """Walks a pcap file record by record; the number of records.  A
    record cut short fails."""
    with open(path, "rb") as f:
        data = f.read()
    check(len(data) >= 24, f"{path}: no global header")
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    check(struct.unpack(end + "I", data[:4])[0] in (0xA1B2C3D4, 0xA1B23C4D),
          f"{path}: magic {magic:#x}")
    at, n = 24, 0
    while at < len(data):
        check(at + 16 <= len(data), f"{path}: record header cut at {at}")
        incl = struct.unpack(end + "I", data[at + 8:at + 12])[0]
        check(at + 16 + incl <= len(data), f"{path}: record {n} cut")
        at += 16 + incl
        n += 1
    if shutil.which("capinfos"):
        p = subprocess.run(["capinfos", "-c", path], capture_output=True,
                           text=True, timeout=60)
        check(p.returncode == 0, f"capinfos {path}: {p.stderr}")
    return n


def check_pcaps(folder):
    if not os.path.isdir(folder):
        return 0
    return sum(pcap_records(os.path.join(folder, f))
               for f in os.listdir(folder) if f.endswith(".pcap"))


class Closing(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.closed = set()

    def handle_endtag(self, tag):
        self.closed.add(tag)


def check_html(path):
    """The replay is whole: it ends with </html>, its body and scripts
    are closed."""
    if not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as f:
        text = f.read()
    check(text.rstrip().endswith("</html>"), f"{path}: no closing </html>")
    parser = Closing()
    parser.feed(text)
    parser.close()
    check({"html", "body", "script"} <= parser.closed,
          f"{path}: closed only {sorted(parser.closed)}")


def check_outputs(d, jsonl=False):
    check_log(os.path.join(d, "log"), jsonl)
    check_html(os.path.join(d, "replay.html"))
    return check_pcaps(os.path.join(d, "pcap"))


OUTPUTS = ["-l", "log", "--pcap", "pcap", "--html", "replay.html"]


def big_topology(path, hosts=30000):
    """hosts hosts, 100 a switch: seconds to load and build."""
    with open(path, "w") as f:
        for s in range(hosts // 100):
            f.write(f"[switch sw{s}]\n")
        for h in range(hosts):
            f.write(f"[host h{h}]\nip = 10.{h // 250}.{h % 250}.1/24\n"
                    f"link = sw{h // 100}\n")


@test
def signal_while_a_big_topology_loads():
    with tempfile.TemporaryDirectory() as d:
        topo = os.path.join(d, "big.conf")
        big_topology(topo)
        with open(os.path.join(d, "s.scn"), "w") as f:
            f.write("h0 ping h1 count 100\nwait 60s\n")
        # Early (reading the file), later (building the network) and
        # late (the run, if this machine is fast).
        for delay, sig in ((0.1, signal.SIGINT), (0.7, signal.SIGTERM),
                           (2.0, signal.SIGINT)):
            # No --pcap: a file per link is more than the descriptors
            # allowed (test_limits.py).
            p = start(["--realtime", "-l", "log", "--html", "replay.html",
                       "-s", "s.scn", "big.conf"], d)
            wait_handlers(p)
            time.sleep(delay)
            stop(p, sig, f"after {delay} s")
            check_outputs(d)


@test
def signal_while_the_topology_is_still_being_read():
    """A topology read from a pipe whose writer has not finished: netsim
    is inside the loader, which checks no flag.  The signal must end it
    there and then (status 128 + N, the loading message), not once the
    file is complete: the pipe stays open until netsim has ended."""
    for sig in SIGNALS:
        with tempfile.TemporaryDirectory() as d:
            fifo = os.path.join(d, "topology.conf")
            os.mkfifo(fifo)
            p = start(["--check", fifo], d)
            wait_handlers(p)
            w = os.open(fifo, os.O_WRONLY)  # until netsim opens it
            try:
                os.write(w, b"[switch sw1]\n\n[host h1]\nip = 10.0.0.1/24\n")
                time.sleep(0.2)  # netsim blocks on the rest
                err = stop(p, sig, "reading a pipe")
                check("interrupted while loading" in err, err[-300:])
            finally:
                os.close(w)


@test
def signal_during_a_long_run():
    script = ("h1 tcp connect h3:7\nh1 tcp send size 60000000\n"
              "h2 ping h4 count 60000 interval 1ms\nwait\n")
    moments = ((0.0, signal.SIGINT, False), (0.3, signal.SIGTERM, True),
               (1.0, signal.SIGINT, False))
    for delay, sig, jsonl in moments:
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "s.scn"), "w") as f:
                f.write(script)
            fmt = ["--log-format", "jsonl"] if jsonl else []
            p = start(["-e", *fmt, *OUTPUTS, "--ready-file", "ready",
                       "-s", "s.scn", TWO_LANS], d)
            wait_ready(p, os.path.join(d, "ready"))
            time.sleep(delay)
            stop(p, sig, f"{delay} s into the run")
            check_outputs(d, jsonl)


BRIDGED = """[switch sw1]
[host h1]
ip = 192.168.1.10/24
link = sw1
[bridge br]
ip = 192.168.1.200/24
link = sw1
listen = tcp:127.0.0.1:0 -> h3:7
[host h3]
ip = 192.168.1.30/24
link = sw1
services = tcp-echo:7
"""


def bridge_port(ready):
    with open(ready) as f:
        line = f.readline()
    # "bridge br: tcp 127.0.0.1:41877 -> 192.168.1.30:7 (h3) listening"
    return int(line.split()[3].rsplit(":", 1)[1])


@test
def signal_while_bridges_serve():
    for sig in SIGNALS:
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "b.conf"), "w") as f:
                f.write(BRIDGED)
            p = start(["-e", *OUTPUTS, "--ready-file", "ready", "b.conf"], d)
            wait_ready(p, os.path.join(d, "ready"))
            with socket.create_connection(
                    ("127.0.0.1", bridge_port(os.path.join(d, "ready"))),
                    timeout=10) as s:
                s.sendall(b"hello\n")
                got = b""
                while len(got) < 6:
                    chunk = s.recv(64)
                    check(chunk, "the echo closed early")
                    got += chunk
                check(got == b"hello\n", got)
                stop(p, sig, "bridged")
            check(check_outputs(d) > 0, "no frame captured")


if __name__ == "__main__":
    main("signals")
