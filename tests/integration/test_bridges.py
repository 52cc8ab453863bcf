#!/usr/bin/env python3
"""Integration tests for bridges: real programs on this machine (a Python
socket client, nc, curl, socat, a real server) talk to the simulated
network through a running netsim, over real sockets on 127.0.0.1 only.

Each test writes its own topology into a temporary folder, with port 0
wherever it can, starts netsim (standard input not a terminal: it serves
until SIGTERM, -d or the end of its script), reads the bound ports from
--ready-file, drives the outside programs, then stops netsim and checks it
ended cleanly and without a sanitizer report.  Every wait has a timeout
and every loop a bound.

Usage: test_bridges.py [TEST_NAME...]   (default: every test)
"""
import asyncio
import contextlib
import json
import os
import re
import resource
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

from harness import NETSIM, TOP, Skip, check, test
from harness import _tests as results

LOCAL = "127.0.0.1"


def need(program):
    if shutil.which(program) is None:
        raise Skip(f"{program} not installed (scripts/deps.sh installs it)")


def note(text):
    print(f"# {text}", flush=True)


# ---------------------------------------------------------------- topologies

# Two LANs joined by r1 (as topologies/two_lans.conf): the bridge `web` on
# LAN A (sw1) with h1 and h2, the server h3 on LAN B (sw2).  Every path from
# the bridge to h3 crosses the router.
SERVICES = "tcp-echo 7; udp-echo 7; tcp-reply 8080 i am server; http 80"


def two_lans(bridge, params="", h3_params="", r1_extra="", extra=""):
    """The network, with the bridge's keys; params go on every link,
    h3_params on h3's only."""
    return f"""\
[switch sw1]
[switch sw2]

[router r1]
eth0 = 192.168.1.1/24 @ sw1 {params}
eth1 = 192.168.2.1/24 @ sw2 {params}
{r1_extra}

[host h1]
ip = 192.168.1.10/24
gateway = 192.168.1.1
link = sw1 {params}

[host h2]
ip = 192.168.1.11/24
gateway = 192.168.1.1
link = sw1 {params}

[host h3]
ip = 192.168.2.10/24
gateway = 192.168.2.1
link = sw2 {params} {h3_params}
services = {SERVICES}

[bridge web]
ip = 192.168.1.200/24
gateway = 192.168.1.1
link = sw1 {params}
{bridge}
{extra}
"""


# ------------------------------------------------------------------ netsim

READY_LINE = re.compile(
    r"^bridge (?P<name>[^:]+): (?P<proto>tcp|udp) (?P<laddr>[0-9.]+):(?P<lport>\d+)"
    r" -> (?P<raddr>[0-9.]+):(?P<rport>\d+)(?: \((?P<host>[^)]+)\))?"
    r" (?P<what>listening|forwarding)$")

SANITIZER = re.compile(r"(AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer"
                       r"|runtime error:|SUMMARY: )")


def sanitizer_report(text):
    m = SANITIZER.search(text)
    return text[max(0, m.start() - 200):m.start() + 1500] if m else None


class Netsim:
    """One netsim run in its own folder: the topology written there, the
    process started with --ready-file (and, unless quiet, a jsonl event log
    with reasons); stdout and stderr go to files.  Used in a with-block,
    which kills the process if a test left it running."""

    def __init__(self, d, conf, *args, quiet=False, script=None, nofile=None, env=None):
        self.dir = d
        self.conf = os.path.join(d, "net.conf")
        self.ready = os.path.join(d, "ready")
        self.log = os.path.join(d, "log.jsonl")
        self.out_path = os.path.join(d, "stdout")
        self.err_path = os.path.join(d, "stderr")
        with open(self.conf, "w") as f:
            f.write(conf)
        argv = [NETSIM, "--ready-file", self.ready]
        argv += ["-q"] if quiet else ["-e", "-l", self.log, "--log-format", "jsonl"]
        if script is not None:
            path = os.path.join(d, "run.scn")
            with open(path, "w") as f:
                f.write(script)
            argv += ["-s", path]
        argv += [*args, self.conf]
        if nofile is not None:  # the shell lowers the limit, then becomes netsim
            argv = ["sh", "-c", f'ulimit -n {nofile} && exec "$0" "$@"', *argv]
        self.out = open(self.out_path, "w")
        self.err = open(self.err_path, "w")
        self.p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self.out,
                                  stderr=self.err, env=None if env is None
                                  else {**os.environ, **env})
        self.rules = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait(timeout=30)
        self.out.close()
        self.err.close()

    def stderr(self):
        with open(self.err_path, errors="replace") as f:
            return f.read()

    def stdout(self):
        with open(self.out_path, errors="replace") as f:
            return f.read()

    def wait_ready(self, timeout=30.0):
        """Waits for the ready file; parses its lines into self.rules and
        checks stderr printed the same lines."""
        end = time.monotonic() + timeout
        while not os.path.exists(self.ready):
            if self.p.poll() is not None:
                raise AssertionError(f"netsim exited {self.p.returncode} before it was ready:"
                                     f" {self.stderr()[-1500:]}")
            if time.monotonic() > end:
                raise AssertionError(f"no ready file after {timeout} s: {self.stderr()[-800:]}")
            time.sleep(0.02)
        with open(self.ready) as f:
            lines = f.read().splitlines()
        check(lines, "the ready file is empty")
        self.rules = []
        for line in lines:
            m = READY_LINE.match(line)
            check(m, f"ready line not in the documented format: {line!r}")
            self.rules.append(m.groupdict())
        err = self.stderr().splitlines()
        for line in lines:
            check(line in err, f"{line!r} in the ready file but not on stderr: {err[:10]}")
        return self

    def port(self, proto, target_port, bridge="web"):
        """The outside port of the listen rule to target_port."""
        found = [int(r["lport"]) for r in self.rules
                 if r["what"] == "listening" and r["proto"] == proto
                 and r["name"] == bridge and int(r["rport"]) == target_port]
        check(len(found) == 1, f"{proto} listen rules to port {target_port}: {self.rules}")
        check(found[0] != 0, "port 0 printed instead of the port bound")
        return found[0]

    def alive(self):
        check(self.p.poll() is None, f"netsim exited {self.p.returncode}:"
                                     f" {self.stderr()[-1500:]}")

    def stop(self, sig=signal.SIGTERM, timeout=60.0):
        """Ends a serving run with a signal; checks it ended cleanly."""
        self.alive()
        self.p.send_signal(sig)
        self.finish(timeout, ok=(0, 128 + sig))

    def finish(self, timeout=60.0, ok=(0,)):
        """Waits for netsim to end by itself; checks the status and that no
        sanitizer spoke."""
        try:
            self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"netsim still running {timeout} s later") from None
        err = self.stderr()
        report = sanitizer_report(err)
        check(report is None, f"sanitizer report: {report}")
        check(self.p.returncode in ok, f"exit {self.p.returncode}, not {ok}: stderr"
                                       f" {err[-1000:]}\nstdout {self.stdout()[-1500:]}")

    def events(self, name=None):
        """The jsonl event log (the whole lines of it), or its events called name."""
        if not os.path.exists(self.log):
            return []
        out = []
        with open(self.log) as f:
            for line in f:
                if not line.endswith("\n"):
                    break  # still being written
                e = json.loads(line)
                if name is None or e["event"] == name:
                    out.append(e)
        return out

    def wait_event(self, name, what=lambda e: True, count=1, timeout=20.0):
        end = time.monotonic() + timeout
        while True:
            got = [e for e in self.events(name) if what(e)]
            if len(got) >= count:
                return got
            if time.monotonic() > end:
                raise AssertionError(f"{count} x {name} not logged within {timeout} s;"
                                     f" got {[e['summary'] for e in got]}")
            time.sleep(0.05)

    def rss(self):
        """Resident memory in bytes."""
        with open(f"/proc/{self.p.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        raise AssertionError("no VmRSS")

    def cpu_seconds(self):
        """User plus system CPU time the process has used."""
        with open(f"/proc/{self.p.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def text_of(e):
    return e["summary"] + " " + e.get("why", "")


# ------------------------------------------------------- outside programs

def connect(port, timeout=10.0):
    return socket.create_connection((LOCAL, port), timeout=timeout)


def outcome(s, timeout=15.0):
    """What one recv on s gives: ('data', bytes), ('eof', b''), ('reset',
    b'') or ('timeout', b'')."""
    s.settimeout(timeout)
    try:
        data = s.recv(65536)
    except ConnectionResetError:
        return "reset", b""
    except socket.timeout:
        return "timeout", b""
    return ("data", data) if data else ("eof", b"")


def connect_or_reset(port):
    """A connected socket, or None when the reset of a refused connection
    came before connect() returned (it can: connect waits in poll)."""
    try:
        return connect(port)
    except ConnectionResetError:
        return None


def ask(s, line, timeout=15.0):
    """Sends line on s: 'ok' when it comes back, else what outcome() saw
    ('reset' for None, a connection reset while connecting)."""
    if s is None:
        return "reset"
    try:
        s.sendall(line)
    except OSError:
        pass  # already reset: recv says so
    kind, data = outcome(s, timeout)
    return "ok" if kind == "data" and data == line else kind


def classify(socks):
    """Asks each socket in turn; the sockets sorted by the answer."""
    kinds = {"ok": [], "reset": [], "eof": [], "timeout": [], "data": []}
    for i, s in enumerate(socks):
        kinds[ask(s, b"hello %d\n" % i)].append(s)
    return kinds


def reconnect_works(port, n=5, timeout=15.0):
    """n new clients all get their echo, trying again until timeout."""
    end = time.monotonic() + timeout
    while True:
        try:
            for i in range(n):
                echo_works(port, b"again %d\n" % i)
            return
        except (OSError, AssertionError) as e:
            if time.monotonic() > end:
                raise AssertionError(f"new connections fail: {e!r}") from None
            time.sleep(0.3)


def recv_exactly(s, n, timeout=30.0):
    s.settimeout(timeout)
    buf = bytearray()
    while len(buf) < n:
        chunk = s.recv(min(65536, n - len(buf)))
        if not chunk:
            raise AssertionError(f"EOF after {len(buf)} of {n} bytes")
        buf += chunk
    return bytes(buf)


def recv_all(s, timeout=30.0, limit=1 << 24):
    """Everything until EOF (bounded by limit bytes and timeout)."""
    s.settimeout(timeout)
    buf = bytearray()
    while len(buf) <= limit:
        chunk = s.recv(65536)
        if not chunk:
            return bytes(buf)
        buf += chunk
    raise AssertionError(f"more than {limit} bytes")


def echo_works(port, payload=b"still serving\n"):
    with connect(port) as s:
        s.sendall(payload)
        check(recv_exactly(s, len(payload)) == payload, "echo differs")


def select_writable(s, timeout):
    with selectors.DefaultSelector() as sel:
        sel.register(s, selectors.EVENT_WRITE)
        return bool(sel.select(timeout))


def free_port(kind=socket.SOCK_STREAM):
    """A port nobody uses right now (bound, then released)."""
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind((LOCAL, 0))
        return s.getsockname()[1]


def run(argv, stdin=b"", timeout=30):
    p = subprocess.run(argv, input=stdin, capture_output=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


class RealServer(threading.Thread):
    """A real TCP server on 127.0.0.1 (port 0) serving one connection with
    handler(conn); what the handler returns, or raises, is kept."""

    def __init__(self, handler):
        super().__init__(daemon=True)
        self.sock = socket.socket()
        self.sock.bind((LOCAL, 0))
        self.sock.listen(5)
        self.sock.settimeout(60)
        self.port = self.sock.getsockname()[1]
        self.handler = handler
        self.result = None
        self.error = None
        self.start()

    def run(self):
        try:
            conn, _ = self.sock.accept()
            with conn:
                conn.settimeout(30)
                self.result = self.handler(conn)
        except Exception as e:  # noqa: BLE001 - reported by join_result
            self.error = e
        finally:
            self.sock.close()

    def join_result(self, timeout=30.0):
        self.join(timeout)
        check(not self.is_alive(), "the real server is still waiting")
        if self.error is not None:
            raise AssertionError(f"real server: {self.error!r}")
        return self.result


def course_server(conn):
    """The course's one-shot server, as written in class."""
    data = conn.recv(1024)
    conn.send(b"i am server")
    return data


# The course's client as README.md shows it ("Real programs in the
# simulated LAN"), verbatim but for the port: one line typed, sent, the
# answer printed; 'Bye' ends it.
CLIENT_PY = """\
import socket
import sys

client = socket.socket()                 # TCP
client.connect(('127.0.0.1', int(sys.argv[1])))
while True:
    msg = input('>>> ')
    client.send(msg.encode('utf-8'))
    data = client.recv(1024)
    print(data.decode('utf-8'))
    if msg == 'Bye':
        break
client.close()
"""


def course_client(d, port, lines):
    path = os.path.join(d, "client.py")
    with open(path, "w") as f:
        f.write(CLIENT_PY)
    rc, out, err = run([sys.executable, path, str(port)],
                       stdin="".join(l + "\n" for l in lines).encode(), timeout=60)
    check(rc == 0, f"client.py exit {rc}: {err.decode()[-600:]}")
    return out.decode()


# ------------------------------------------------------------------ tests

@test
def course_client_across_the_router():
    """client.py against tcp-reply and tcp-echo on h3, through the bridge
    on the other LAN: the lines it prints are exact."""
    bridge = "listen = tcp:127.0.0.1:0 -> h3:8080; tcp:127.0.0.1:0 -> h3:7"
    with tempfile.TemporaryDirectory() as d, Netsim(d, two_lans(bridge)) as ns:
        ns.wait_ready()
        lines = ["hello", "how are you", "Bye"]
        out = course_client(d, ns.port("tcp", 8080), lines)
        check(out == ">>> i am server\n\n" * 3, repr(out))
        out = course_client(d, ns.port("tcp", 7), lines)
        check(out == "".join(f">>> {l}\n" for l in lines), repr(out))
        ns.wait_event("bridge/close", count=2)
        ns.stop()
        forwarded = [e for e in ns.events("route/forward") if e["node"] == "r1"]
        check(any("192.168.1.200" in e["summary"] for e in forwarded),
              "no frame of the bridge crossed r1")
        for name in ("bridge/listen", "bridge/accept", "bridge/close"):
            got = ns.events(name)
            check(got and all(e["node"] == "web" for e in got), f"{name}: {got[:2]}")


@contextlib.contextmanager
def scripted(bridge, script, expects):
    """netsim on two_lans with bridge, its script run to the end with
    every one of its expects holding; the run, for more checks."""
    with tempfile.TemporaryDirectory() as d, \
            Netsim(d, two_lans(bridge), script=script) as ns:
        ns.wait_ready()
        ns.finish(timeout=60)
        out = ns.stdout()
        check(out.rstrip().endswith(f"{expects} passed, 0 failed"), out[-800:])
        yield ns


class RealUdpServer(threading.Thread):
    """A UDP socket on 127.0.0.1 that answers the first datagram it gets
    with reply(data); got holds that datagram (or the error)."""

    def __init__(self, reply):
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((LOCAL, 0))
        self.sock.settimeout(30)
        self.port = self.sock.getsockname()[1]
        self.reply = reply
        self.got = []
        self.start()

    def run(self):
        try:
            data, peer = self.sock.recvfrom(2048)
            self.got.append(data)
            self.sock.sendto(self.reply(data), peer)
        except OSError as e:
            self.got.append(e)

    def close(self):
        self.join(10)
        self.sock.close()


@test
def course_server_reached_from_a_simulated_host():
    """The one-shot server on a real port, reached by h1 through a connect
    rule; a real UDP server likewise.  The script checks what h1 got and
    the bridge's counters."""
    server = RealServer(course_server)
    udp = RealUdpServer(lambda data: b"udp back: " + data)
    bridge = (f"connect = tcp:9000 -> 127.0.0.1:{server.port};"
              f" udp:5300 -> 127.0.0.1:{udp.port}")
    script = ("h1 tcp connect web:9000\nh1 tcp send hello\n"
              "h2 udp send web:5300 marco\nwait 2s\n"
              'expect h1 tcp received "i am server"\n'
              'expect h2 udp received "udp back: marco"\n'
              "expect web counter bridge.connected 1\n"
              "expect web counter bridge.bytes_out 5\n"
              "expect web counter bridge.bytes_in 11\n")
    try:
        with scripted(bridge, script, 5) as ns:
            check(server.join_result() == b"hello", f"the server got {server.result!r}")
            udp.join(10)
            check(udp.got == [b"marco"], f"the UDP server got {udp.got}")
            lines = [r for r in ns.rules if r["what"] == "forwarding"]
            check(len(lines) == 2 and lines[0]["laddr"] == "192.168.1.200"
                  and lines[0]["lport"] == "9000", lines)
            check(ns.events("bridge/connect"), "no bridge/connect event")
    finally:
        udp.close()


@test
def empty_and_refused_udp_through_connect_rules():
    """An empty datagram from h2 reaches a real UDP server through a
    connect rule (it crashed netsim once: an empty buffer has no data
    pointer) and the answer comes back; a datagram to a real port where
    nothing listens is sent, and the ICMP port unreachable that comes back
    is counted as a refusal, not as a drop."""
    udp = RealUdpServer(lambda data: b"got %d bytes" % len(data))
    closed = free_port(socket.SOCK_DGRAM)
    bridge = (f"connect = udp:5300 -> 127.0.0.1:{udp.port};"
              f" udp:5301 -> 127.0.0.1:{closed}")
    script = ('h2 udp send web:5300 ""\nwait 2s\n'
              "h1 udp send web:5301 knock\nwait 2s\n"
              'expect h2 udp received "got 0 bytes"\n'
              "expect web counter bridge.udp_out 2\n"
              "expect web counter bridge.udp_refused 1\n"
              "expect web counter bridge.udp_dropped 0\n")
    try:
        with scripted(bridge, script, 4) as ns:
            udp.join(10)
            check(udp.got == [b""], f"the UDP server got {udp.got}")
            refusals = ns.events("bridge/udp-refused")
            check(len(refusals) == 1 and str(closed) in text_of(refusals[0]),
                  refusals)
    finally:
        udp.close()


@test
def http_get_reaches_a_real_web_server():
    """h1's `http get` through a connect rule to Python's http.server on a
    real port: the status, the headers and the whole body, UTF-8 included,
    are what a real client (urllib, as curl) gets from the same server."""
    import functools
    import http.server
    import urllib.request
    with tempfile.TemporaryDirectory() as d:
        site = os.path.join(d, "site")
        os.mkdir(site)
        line = "x" * 150  # longer than any excerpt
        page = f"<p>你好, netsim</p>\n<p>{line}</p>\n"
        with open(os.path.join(site, "page.html"), "w", encoding="utf-8") as f:
            f.write(page)
        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        handler = functools.partial(Quiet, directory=site)
        server = http.server.ThreadingHTTPServer((LOCAL, 0), handler)
        port = server.server_address[1]
        t = threading.Thread(target=server.serve_forever, daemon=True)
        t.start()
        try:
            with urllib.request.urlopen(f"http://{LOCAL}:{port}/page.html",
                                        timeout=10) as r:
                real = r.read().decode("utf-8")
            check(real == page, repr(real))
            script = ("h1 http get web:8000 /page.html timeout 20s\nwait\n"
                      "expect h1 http status 200\n"
                      'expect h1 http body "netsim</p>"\n'
                      "h1 http get web:8000 /missing.html timeout 20s\nwait\n"
                      "expect h1 http status 404\n")
            bridge = f"connect = tcp:8000 -> 127.0.0.1:{port}"
            with Netsim(d, two_lans(bridge), script=script) as ns:
                ns.wait_ready()
                ns.finish(timeout=60)
                out = ns.stdout()
                check(out.rstrip().endswith("3 passed, 0 failed"), out[-800:])
                check("http GET http://web:8000/page.html: HTTP/1.0 200 OK" in out,
                      out[:800])
                check(f"Content-Length: {len(page.encode())}" in out, out[:800])
                # the body as urllib read it, line for line, UTF-8 as text
                for body_line in page.splitlines():
                    check(f"\n{body_line}\n" in out, f"{body_line!r} not in {out[:1200]}")
        finally:
            server.shutdown()
            server.server_close()


@test
def http_get_decodes_a_chunked_answer():
    """A real HTTP/1.1 server that answers in chunks (written one by one,
    so they cross the bridge in separate segments, a chunk boundary inside
    a line and data that looks like the last chunk): `http get` prints and
    matches the body as urllib reads it, without chunk sizes or trailer."""
    import http.server
    import urllib.request
    chunks = [b"<p>first ", b"line</p>\n0\r\n\r\n", "<p>二</p>\n".encode()]
    body = b"".join(chunks)

    class Chunked(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for c in chunks:
                self.wfile.write(b"%x;ext=1\r\n%s\r\n" % (len(c), c))
                self.wfile.flush()
                time.sleep(0.05)
            self.wfile.write(b"0\r\nX-Trailer: t\r\n\r\n")
            self.close_connection = True

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer((LOCAL, 0), Chunked)
    port = server.server_address[1]
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        with urllib.request.urlopen(f"http://{LOCAL}:{port}/", timeout=10) as r:
            real = r.read()
        check(real == body, repr(real))
        script = ("h1 http get web:8000 / timeout 20s\nwait\n"
                  "expect h1 http status 200\n"
                  'expect h1 http body "first line</p>"\n'
                  'expect h1 http body lacks "ext=1"\n')
        with tempfile.TemporaryDirectory() as d, \
                Netsim(d, two_lans(f"connect = tcp:8000 -> 127.0.0.1:{port}"),
                       script=script) as ns:
            ns.wait_ready()
            ns.finish(timeout=60)
            out = ns.stdout()
            check(out.rstrip().endswith("3 passed, 0 failed"), out[-800:])
            check(f"HTTP/1.1 200 OK, {len(body)} bytes of body" in out, out[:800])
            for line in ("<p>first line</p>", "<p>二</p>"):
                check(f"\n{line}\n" in out, f"{line!r} not in {out[:1200]}")
            check("X-Trailer" not in out and ";ext" not in out, out[:1200])
    finally:
        server.shutdown()
        server.server_close()


@test
def nc_tcp_with_half_close():
    need("nc")
    data = b"".join(b"line %d of the nc test\n" % i for i in range(2000))
    with tempfile.TemporaryDirectory() as d, \
            Netsim(d, two_lans("listen = tcp:127.0.0.1:0 -> h3:7")) as ns:
        ns.wait_ready()
        # -N: shut the socket down after EOF on stdin; echo then closes too
        rc, out, err = run(["nc", "-N", LOCAL, str(ns.port("tcp", 7))], stdin=data)
        check(rc == 0, f"nc exit {rc}: {err!r}")
        check(out == data, f"{len(out)} bytes back of {len(data)}")
        close = ns.wait_event("bridge/close")
        ns.stop()
        check(str(len(data)) in close[0]["summary"], f"byte counts: {close[0]}")


@test
def nc_udp():
    need("nc")
    with tempfile.TemporaryDirectory() as d, \
            Netsim(d, two_lans("listen = udp:127.0.0.1:0 -> h3:7")) as ns:
        ns.wait_ready()
        p = subprocess.Popen(["nc", "-u", LOCAL, str(ns.port("udp", 7))],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        try:
            p.stdin.write(b"hello over udp\n")
            p.stdin.flush()
            got = b""
            end = time.monotonic() + 15
            os.set_blocking(p.stdout.fileno(), False)
            while b"\n" not in got and time.monotonic() < end:
                chunk = p.stdout.read(4096)
                if chunk:
                    got += chunk
                else:
                    time.sleep(0.02)
            check(got == b"hello over udp\n", f"got {got!r}")
        finally:
            p.kill()
            p.wait(10)
        ns.wait_event("bridge/udp-map")
        ns.stop()


@test
def curl_gets_the_page_twice_on_one_connection():
    need("curl")
    with tempfile.TemporaryDirectory() as d, \
            Netsim(d, two_lans("listen = tcp:127.0.0.1:0 -> h3:80")) as ns:
        ns.wait_ready()
        url = f"http://{LOCAL}:{ns.port('tcp', 80)}/"
        rc, out, err = run(["curl", "-sS", "-m", "30", "-w", "\n%{http_code} %{num_connects}\n",
                            url, url + "index.html"])
        check(rc == 0, f"curl exit {rc}: {err!r}")
        text = out.decode()
        check(text.count("\n200 ") == 2, text)
        check("h3" in text and "192.168.2.10" in text, text)
        # keep-alive: the second request went on the first connection
        check("\n200 0\n" in text, f"a second connection: {text}")
        ns.stop()
        check(len(ns.events("bridge/accept")) == 1, "curl's connection counted twice")


@test
def socat_as_a_client():
    need("socat")
    data = os.urandom(300_000)
    with tempfile.TemporaryDirectory() as d, \
            Netsim(d, two_lans("listen = tcp:127.0.0.1:0 -> h3:7")) as ns:
        ns.wait_ready()
        # -t 30: after its EOF socat waits for the echo, not 0.5 s
        rc, out, err = run(["socat", "-t", "30", "-", f"TCP:{LOCAL}:{ns.port('tcp', 7)}"],
                           stdin=data, timeout=60)
        check(rc == 0, f"socat exit {rc}: {err!r}")
        check(out == data, f"{len(out)} bytes back of {len(data)}, the first"
                           f" {len(os.path.commonprefix([out, data]))} equal")
        ns.stop()


async def echo_clients(port, n, size, limit):
    """n clients, all connected at once before any sends, each sending size
    random bytes and reading them back; returns (failures, slowest
    connect)."""
    arrived = 0
    all_in = asyncio.Event()

    def arrive():
        nonlocal arrived
        arrived += 1
        if arrived == n:
            all_in.set()

    async def one(i):
        data = os.urandom(size)
        t0 = time.monotonic()
        try:
            r, w = await asyncio.open_connection(LOCAL, port)
        finally:
            arrive()
        took = time.monotonic() - t0
        try:
            await all_in.wait()
            w.write(data)
            got = await r.readexactly(size)
            return (None if got == data else f"client {i}: bytes differ"), took
        finally:
            w.close()

    async def guarded(i):
        try:
            return await one(i)
        except (OSError, asyncio.IncompleteReadError) as e:
            return f"client {i}: {e!r}", 0.0

    results_ = await asyncio.wait_for(asyncio.gather(*(guarded(i) for i in range(n))),
                                      timeout=limit)
    return [f for f, _ in results_ if f], max(t for _, t in results_)


def many_clients(n, size, loss="", limit=300):
    """n clients through links of unlimited rate (no queue to overflow),
    with loss on h3's link."""
    bridge = "listen = tcp:127.0.0.1:0 -> h3:7"
    conf = two_lans(bridge, params="rate=0", h3_params=loss)
    link = f"rate=0 {loss}".strip()
    with tempfile.TemporaryDirectory() as d, Netsim(d, conf, quiet=True) as ns:
        ns.wait_ready()
        start = time.monotonic()
        try:
            failures, slowest = asyncio.run(echo_clients(ns.port("tcp", 7), n, size, limit))
        except asyncio.TimeoutError:
            raise AssertionError(f"not done within {limit} s: a hang") from None
        took = time.monotonic() - start
        note(f"{n} clients at once x {size // 1024} KiB echoed ({link}): {took:.1f} s,"
             f" slowest connect {slowest:.2f} s")
        check(not failures, f"{len(failures)} failed: {failures[:5]}")
        echo_works(ns.port("tcp", 7))
        ns.stop()


@test
def thousand_clients_echo_64k_each():
    many_clients(1000, 65536)


@test
def two_hundred_clients_through_5_percent_loss():
    many_clients(200, 65536, loss="loss=0.05")


class Stream:
    """A long byte stream that is a random 1 MiB block repeated: what is
    sent at offset i is block[i % 1 MiB], so what comes back is checked in
    order without keeping it."""

    def __init__(self):
        self.block = os.urandom(1 << 20)
        self.view = memoryview(self.block * 2)  # a slice never wraps

    def at(self, offset, n):
        i = offset % len(self.block)
        return self.view[i:i + min(n, len(self.block))]


@test
def slow_reader_backpressure_bounds_memory():
    """A client that sends to tcp-echo and does not read: once the
    simulated windows and buffers are full the bridge stops reading it, so
    the client stalls after what the kernel's socket buffers hold and netsim
    grows no further than its TCP buffers' bounds (the linux profile's
    autotuning: tcp-rmem-max 6 MiB + tcp-wmem-max 4 MiB for each of the two
    simulated connections, the bridge's and the echo service's, about
    20 MiB); once it reads, every byte comes back, in order."""
    cap = 64 << 20
    # ASan keeps freed memory in quarantine: not growth that counts here
    env = {"ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=1"}
    stream = Stream()
    with tempfile.TemporaryDirectory() as d, \
            Netsim(d, two_lans("listen = tcp:127.0.0.1:0 -> h3:7"), quiet=True, env=env) as ns:
        ns.wait_ready()
        echo_works(ns.port("tcp", 7))
        rss0 = ns.rss()
        with connect(ns.port("tcp", 7)) as s:
            s.setblocking(False)
            sent = 0
            end = time.monotonic() + 120
            while sent < cap and time.monotonic() < end:
                if not select_writable(s, 2.0):
                    break  # stalled for 2 s: backpressure
                sent += s.send(stream.at(sent, cap - sent))
            grew = ns.rss() - rss0
            note(f"a client that does not read stalled after {sent / 2**20:.1f} MiB;"
                 f" netsim grew {grew / 2**20:.1f} MiB")
            check(sent < 40 << 20, f"{sent} bytes taken from a client that does not read")
            check(grew < 32 << 20, f"netsim grew {grew} bytes")
            got = 0
            s.setblocking(True)
            s.settimeout(60)
            while got < sent:
                chunk = s.recv(1 << 20)
                check(chunk, f"EOF after {got} of {sent} bytes")
                i = 0
                while i < len(chunk):  # compare against the stream, block by block
                    want = stream.at(got + i, len(chunk) - i)
                    check(chunk[i:i + len(want)] == want, f"bytes differ near offset {got + i}")
                    i += len(want)
                got += len(chunk)
        ns.stop()


@test
def abrupt_client_exit():
    """A client that resets (SO_LINGER 0) and one killed with unread data:
    the simulated side sees a reset, and netsim serves the next client."""
    with tempfile.TemporaryDirectory() as d, \
            Netsim(d, two_lans("listen = tcp:127.0.0.1:0 -> h3:7")) as ns:
        ns.wait_ready()
        port = ns.port("tcp", 7)
        s = connect(port)
        s.sendall(b"x" * 100_000)
        recv_exactly(s, 1000)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        s.close()
        child = subprocess.Popen([sys.executable, "-c", f"""
import socket, sys, time
s = socket.create_connection(('{LOCAL}', {port}))
s.sendall(b'y' * 200_000)
print('sent', flush=True)
time.sleep(60)
"""], stdout=subprocess.PIPE)
        try:
            check(child.stdout.readline() == b"sent\n", "the child did not send")
            time.sleep(0.3)  # the echo comes back and waits unread
        finally:
            child.kill()
            child.wait(10)
        ns.wait_event("bridge/close", count=2)
        echo_works(port)
        ns.stop()
        resets = [e for e in ns.events("ip/send")
                  if e["node"] == "web" and "[R" in e["summary"]]
        check(len(resets) >= 2, f"{len(resets)} simulated resets from the bridge")


@test
def simulated_reset_reaches_the_outside_client():
    """A listen rule to a port nobody listens on: h3 answers RST, and the
    outside client sees a reset or EOF, never a hang."""
    with tempfile.TemporaryDirectory() as d, \
            Netsim(d, two_lans("listen = tcp:127.0.0.1:0 -> h3:81")) as ns:
        ns.wait_ready()
        s = connect_or_reset(ns.port("tcp", 81))
        kind = ask(s, b"anyone?", timeout=20)
        check(kind in ("reset", "eof"), kind)
        if s is not None:
            s.close()
        ns.wait_event("bridge/refuse", lambda e: "refused" in text_of(e))
        ns.stop()


@test
def refused_outbound_resets_the_simulated_client():
    port = free_port()  # nobody listens there
    script = ("h1 tcp connect web:9000\nh1 tcp send hello\nwait 2s\n"
              "expect h1 tcp state CLOSED\nexpect h1 tcp received 0\n"
              "expect web counter bridge.refused 1\n")
    with tempfile.TemporaryDirectory() as d, \
            Netsim(d, two_lans(f"connect = tcp:9000 -> 127.0.0.1:{port}"),
                   script=script) as ns:
        ns.finish(timeout=60)
        out = ns.stdout()
        check(out.rstrip().endswith("3 passed, 0 failed"), out[-800:])
        got = ns.events("bridge/refuse")
        check(any("refused" in text_of(e) for e in got), f"bridge/refuse: {got}")


@test
def unreachable_target_resets_the_outside_client():
    """Targets with no route (r1 answers net unreachable) and on r1's LAN
    without a host (host unreachable once r1's ARP gives up): the outside
    client sees a reset or EOF soon, not after minutes."""
    bridge = "listen = tcp:127.0.0.1:0 -> 10.9.9.9:80; tcp:127.0.0.1:0 -> 192.168.2.99:81"
    r1 = "arp-retry = 200ms\narp-retries = 2"
    with tempfile.TemporaryDirectory() as d, \
            Netsim(d, two_lans(bridge, r1_extra=r1)) as ns:
        ns.wait_ready()
        for target in (80, 81):
            start = time.monotonic()
            s = connect_or_reset(ns.port("tcp", target))
            kind = ask(s, b"anyone?", timeout=30)
            check(kind in ("reset", "eof"), f"port {target}: {kind}")
            if s is not None:
                s.close()
            note(f"unreachable target {target}: closed after {time.monotonic() - start:.2f} s")
        ns.wait_event("bridge/refuse", lambda e: "unreachable" in text_of(e), count=2)
        ns.stop()


@test
def half_close_both_ways():
    """Outside FIN after data (tcp-echo finishes and closes); a real server
    that closes first still gets what the simulated client sends after;
    a simulated client that closes first still gets the server's answer."""
    def first_then_listen(conn):
        conn.sendall(b"first")
        conn.shutdown(socket.SHUT_WR)
        return recv_all(conn)

    def listen_then_answer(conn):
        got = recv_all(conn)
        conn.sendall(b"late reply")
        return got

    closer = RealServer(first_then_listen)
    late = RealServer(listen_then_answer)
    bridge = ("listen = tcp:127.0.0.1:0 -> h3:7\n"
              f"connect = tcp:9001 -> 127.0.0.1:{closer.port};"
              f" tcp:9002 -> 127.0.0.1:{late.port}")
    script = ("wait 2s\n"  # the outside client below runs meanwhile
              "h1 tcp connect web:9001\nh2 tcp connect web:9002\n"
              "h2 tcp send hello\nh2 tcp close\nwait 1s\n"
              'expect h1 tcp received "first"\nexpect h1 tcp state CLOSE-WAIT\n'
              "h1 tcp send after-fin\nh1 tcp close\nwait 1s\n"
              'expect h2 tcp received "late reply"\n')
    data = os.urandom(200_000)
    with tempfile.TemporaryDirectory() as d, \
            Netsim(d, two_lans(bridge), script=script) as ns:
        ns.wait_ready()
        with connect(ns.port("tcp", 7)) as s:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
            back = recv_all(s)
        check(back == data, f"{len(back)} bytes echoed of {len(data)} before EOF")
        ns.finish(timeout=60)
        out = ns.stdout()
        check(out.rstrip().endswith("3 passed, 0 failed"), out[-800:])
        check(closer.join_result() == b"after-fin", f"closer got {closer.result!r}")
        check(late.join_result() == b"hello", f"late got {late.result!r}")


@test
def port_zero_binds_distinct_ports_and_says_which():
    bridge = ("listen = tcp:127.0.0.1:0; tcp:127.0.0.1:0 -> h3:7; udp:127.0.0.1:0 -> h3:7\n"
              "forward = h3:8080")
    with tempfile.TemporaryDirectory() as d, Netsim(d, two_lans(bridge)) as ns:
        ns.wait_ready()
        check(len(ns.rules) == 3, ns.rules)
        ports = [int(r["lport"]) for r in ns.rules]
        check(0 not in ports and len(set(ports[:2])) == 2, ports)
        for r in ns.rules:
            check(r["laddr"] == LOCAL and r["raddr"] == "192.168.2.10" and r["host"] == "h3", r)
        check(ns.rules[0]["rport"] == "8080", f"forward= not the default target: {ns.rules[0]}")
        with connect(ports[0]) as s:
            s.sendall(b"hi")
            check(recv_exactly(s, 12) == b"i am server\n", "tcp-reply via forward=")
        ns.stop()


@test
def port_in_use_is_a_startup_error():
    with socket.socket() as taken, tempfile.TemporaryDirectory() as d:
        taken.bind((LOCAL, 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        with Netsim(d, two_lans(f"listen = tcp:127.0.0.1:{port} -> h3:7")) as ns:
            ns.finish(timeout=30, ok=(2,))
            err = ns.stderr()
            check("web" in err and str(port) in err, err)
            check(not os.path.exists(ns.ready), "a ready file although nothing serves")


@test
def fast_and_remote_addresses_are_refused():
    """--fast with a bridge exits 2; a non-loopback address without
    allow-remote is a topology error (only checked: nothing is bound)."""
    with tempfile.TemporaryDirectory() as d:
        with Netsim(d, two_lans("listen = tcp:127.0.0.1:0 -> h3:7"), "--fast") as ns:
            ns.finish(timeout=30, ok=(2,))
            check("fast" in ns.stderr(), ns.stderr())
        conf = os.path.join(d, "remote.conf")
        with open(conf, "w") as f:
            f.write(two_lans("listen = tcp:0.0.0.0:0 -> h3:7"))
        rc, _, err = run([NETSIM, "--check", conf])
        check(rc == 2 and b"allow-remote" in err, f"exit {rc}: {err!r}")
        with open(conf, "w") as f:
            f.write(two_lans("listen = tcp:127.0.0.1:0 -> h3:7"))
        rc, out, err = run([NETSIM, "--check", conf])
        check(rc == 0, f"exit {rc}: {err!r}")


@test
def file_descriptors_run_out():
    """netsim with 40 descriptors and 60 clients: the extra ones are
    refused, netsim neither crashes nor spins, and serves again once the
    clients are gone."""
    with tempfile.TemporaryDirectory() as d, \
            Netsim(d, two_lans("listen = tcp:127.0.0.1:0 -> h3:7"), nofile=40) as ns:
        ns.wait_ready()
        port = ns.port("tcp", 7)
        socks = [connect_or_reset(port) for _ in range(60)]
        try:
            kinds = classify(socks)
            summary = {k: len(v) for k, v in kinds.items()}
            note(f"60 clients, 40 descriptors: {summary}")
            check(kinds["ok"] and kinds["reset"] + kinds["eof"], summary)
            check(len(kinds["ok"]) + len(kinds["reset"]) + len(kinds["eof"]) == 60, summary)
            before = ns.cpu_seconds()
            time.sleep(1.0)
            spent = ns.cpu_seconds() - before
            check(spent < 0.5, f"netsim used {spent:.2f} s of CPU in 1 s while idle")
            ns.alive()
        finally:
            for s in filter(None, socks):
                s.close()
        reconnect_works(port)
        ns.stop()
        check(ns.events("bridge/refuse"), "no bridge/refuse logged")


@test
def connection_limit_refuses_and_logs():
    bridge = "listen = tcp:127.0.0.1:0 -> h3:7\nmax-connections = 5"
    with tempfile.TemporaryDirectory() as d, Netsim(d, two_lans(bridge)) as ns:
        ns.wait_ready()
        port = ns.port("tcp", 7)
        socks = []
        try:
            kinds = []
            for i in range(8):  # one at a time: exactly the first 5 fit
                socks.append(connect_or_reset(port))
                kinds.append(ask(socks[-1], b"hello %d\n" % i))
            check(kinds[:5] == ["ok"] * 5, kinds)
            check(all(k in ("reset", "eof") for k in kinds[5:]), kinds)
            refused = ns.wait_event("bridge/refuse", lambda e: "limit" in text_of(e), count=3)
            check(len(refused) == 3, [e["summary"] for e in refused])
        finally:
            for s in filter(None, socks):
                s.close()
        reconnect_works(port, n=1)
        ns.stop()


@test
def udp_peers_get_their_own_replies_and_show_bridges_lists_them():
    """Two outside peers each get only their own echoes; `show bridges` in
    the script lists both mappings; a second bridge with a 1 s idle timeout
    forgets its mapping."""
    extra = """
[bridge quick]
ip = 192.168.1.201/24
gateway = 192.168.1.1
link = sw1
listen = udp:127.0.0.1:0 -> h3:7
udp-timeout = 1s
"""
    script = ("wait 5s\nshow bridges\n"
              "expect web counter bridge.udp_mappings 2\n"
              "expect web counter bridge.udp_in 6\nexpect web counter bridge.udp_out 6\n"
              "expect quick counter bridge.udp_expired 1\n"
              "expect quick counter bridge.udp_mappings 0\n")
    conf = two_lans("listen = udp:127.0.0.1:0 -> h3:7", extra=extra)
    peers = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(3)]
    try:
        with tempfile.TemporaryDirectory() as d, Netsim(d, conf, script=script) as ns:
            ns.wait_ready()
            for p in peers:
                p.bind((LOCAL, 0))
                p.settimeout(10)
            port = ns.port("udp", 7)
            for i in range(3):
                for j, p in enumerate(peers[:2]):
                    p.sendto(b"peer %d datagram %d" % (j, i), (LOCAL, port))
                for j, p in enumerate(peers[:2]):
                    data, src = p.recvfrom(2048)
                    check(data == b"peer %d datagram %d" % (j, i), f"peer {j} got {data!r}")
                    check(src == (LOCAL, port), f"reply from {src}")
            peers[2].sendto(b"quick", (LOCAL, ns.port("udp", 7, bridge="quick")))
            check(peers[2].recvfrom(2048)[0] == b"quick", "no echo through quick")
            ns.finish(timeout=60)
            out = ns.stdout()
            check(out.rstrip().endswith("5 passed, 0 failed"), out[-1500:])
            for p in peers[:2]:
                check(f"{LOCAL}:{p.getsockname()[1]}" in out,
                      f"peer {p.getsockname()} not in show bridges: {out[-1500:]}")
            check(len(ns.events("bridge/udp-map")) == 3, "bridge/udp-map events")
            check(len(ns.events("bridge/udp-expire")) == 1, "bridge/udp-expire events")
    finally:
        for p in peers:
            p.close()


@test
def duration_and_sigint_end_a_serving_run():
    bridge = "listen = tcp:127.0.0.1:0 -> h3:7"
    with tempfile.TemporaryDirectory() as d1, tempfile.TemporaryDirectory() as d2:
        start = time.monotonic()
        with Netsim(d1, two_lans(bridge), "-d", "2s") as ns:
            ns.wait_ready()
            echo_works(ns.port("tcp", 7))
            ns.finish(timeout=30)
        took = time.monotonic() - start
        check(took >= 1.9, f"-d 2s ended after {took:.2f} s of wall time")
        with Netsim(d2, two_lans(bridge)) as ns:
            ns.wait_ready()
            s = connect(ns.port("tcp", 7))  # open while netsim ends
            ns.stop(signal.SIGINT)
            kind, _ = outcome(s, timeout=10)
            s.close()
            check(kind in ("reset", "eof"), f"the open client saw {kind}")
            with open(ns.log) as f:
                check(f.read().endswith("\n"), "the log's last line is cut")


def main():
    # 1,000 clients here and 1,000 relays in netsim (which inherits it)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    chosen = sys.argv[1:]
    unknown = set(chosen) - {fn.__name__ for fn in results}
    if unknown:
        print(f"no such test: {sorted(unknown)}", file=sys.stderr)
        sys.exit(2)
    passed = failed = 0
    n = 0
    for fn in results:
        if chosen and fn.__name__ not in chosen:
            continue
        n += 1
        start = time.monotonic()
        try:
            fn()
            print(f"ok {n} - {fn.__name__} ({time.monotonic() - start:.1f} s)", flush=True)
            passed += 1
        except Skip as e:
            print(f"ok {n} - {fn.__name__} # SKIP {e}", flush=True)
            passed += 1
        except Exception as e:  # noqa: BLE001 - report every failure
            print(f"not ok {n} - {fn.__name__}", flush=True)
            text = str(e) if isinstance(e, AssertionError) else "".join(
                traceback.format_exception(e)[-3:])  # where an OSError came from
            for line in text.splitlines() or [repr(e)]:
                print(f"#   {line}", flush=True)
            failed += 1
    print(f"bridges: {passed} passed, {failed} failed")
    sys.exit(0 if failed == 0 else 1)


if __name__ == "__main__":
    main()
