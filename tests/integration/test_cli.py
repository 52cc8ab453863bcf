#!/usr/bin/env python3
"""Integration tests: netsim's command line, console, logs and exit codes,
driven the way a user drives them (a shell, a pipe, a terminal)."""
import re
import json
import os
import signal
import stat
import subprocess
import tempfile
import time

from harness import NETSIM, TOP, TOPO, Console, check, main, run, test


@test
def help_lists_every_option():
    rc, out, _ = run("--help")
    check(rc == 0, f"exit {rc}")
    for opt in ("--script", "--check", "--fast", "--realtime", "--duration",
                "--log", "--log-format", "--explain", "--quiet", "--seed",
                "--dot", "--version", "TOPOLOGY"):
        check(opt in out, f"{opt} missing from --help")


@test
def version():
    rc, out, _ = run("--version")
    check(rc == 0 and out.startswith("netsim "), out)


@test
def check_every_shipped_topology():
    names = sorted(f for f in os.listdir(TOPO) if f.endswith(".conf"))
    check(len(names) >= 4, f"only {names}")
    for name in names:
        rc, out, err = run("--check", os.path.join(TOPO, name))
        check(rc == 0, f"{name}: exit {rc}: {err}")
        check("OK" in out and "host" in out, f"{name}: {out}")


@test
def bad_topology_exits_2_naming_file_section_key():
    with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as f:
        f.write("[switch sw1]\n[host h1]\nip = 192.168.1.300/24\nlink = sw1\n")
    try:
        rc, out, err = run("--check", f.name)
        check(rc == 2, f"exit {rc}")
        check(os.path.basename(f.name) in err, err)
        check("[host h1]" in err and "ip" in err and "192.168.1.300/24" in err, err)
        check(out == "", f"stdout not empty: {out!r}")
        # the same topology with a script: nothing runs either
        rc, out, err = run("-s", "-", f.name, stdin="h1 ping h1\n")
        check(rc == 2 and out == "", f"exit {rc}, out {out!r}")
    finally:
        os.unlink(f.name)


@test
def missing_topology_file():
    rc, _, err = run("--check", "/nonexistent/net.conf")
    check(rc == 2 and "/nonexistent/net.conf" in err, err)


@test
def bad_script_names_file_and_line():
    with tempfile.NamedTemporaryFile("w", suffix=".scn", delete=False) as f:
        f.write("# comment\nh1 ping h3 count 1\nh1 pingg h3\n")
    try:
        rc, out, err = run("-s", f.name, os.path.join(TOPO, "two_lans.conf"))
        check(rc == 2, f"exit {rc}")
        check(f"{f.name}:3" in err, err)
        check("PING" not in out, "the script ran although it was bad")
    finally:
        os.unlink(f.name)


@test
def ambiguous_link_is_named_in_the_error():
    conf = os.path.join(TOP, "tests", "scenarios", "two_subnets_one_lan.conf")
    rc, out, err = run("-q", "-s", "-", conf, stdin="link r1 sw1 down\n")
    check(rc == 2, f"exit {rc}")
    check("<stdin>:1:" in err and "joined by 2 links" in err and "r1:eth1" in err, err)
    check("is down" not in out, "the command ran although it was ambiguous")


@test
def script_from_stdin_passes():
    script = "h1 ping h3 count 2\nwait\nexpect h1 ping replies 2\n"
    rc, out, _ = run("-q", os.path.join(TOPO, "two_lans.conf"), stdin=script)
    check(rc == 0, f"exit {rc}: {out}")
    check("ok 1 - expect h1 ping replies 2" in out, out)
    check(out.rstrip().endswith("1 passed, 0 failed"), out)
    check("2 packets transmitted, 2 received, 0% packet loss" in out, out)


def readme_try_list():
    """The console lines of the README's first "Try:" block, prompts cut."""
    with open(os.path.join(TOP, "README.md"), encoding="utf-8") as f:
        text = f.read()
    block = re.search(r"Try:\n\n```\n(.*?)```", text, re.S)
    check(block is not None, "no Try: block in README.md")
    return [l.removeprefix("netsim> ") for l in block.group(1).splitlines()]


@test
def piped_try_list_lets_quit_finish_the_ping():
    """The README's Try list piped in, `quit` last: quit ends the script as
    its end does, so the ping and traceroute started finish and print."""
    lines = readme_try_list()
    check(lines[-1] == "quit" and any("ping" in l for l in lines), lines)
    rc, out, err = run("-q", os.path.join(TOPO, "two_lans.conf"),
                       stdin="\n".join(lines) + "\n")
    check(rc == 0, f"exit {rc}: {err}")
    check("2 packets transmitted, 2 received, 0% packet loss" in out, out)
    check(" 2  h3 (192.168.2.10)" in out, out)
    check(out.rstrip().endswith("0 passed, 0 failed"), out)
    # quit ends the script: what follows it is not run
    rc, out, _ = run("-q", os.path.join(TOPO, "two_lans.conf"),
                     stdin="h1 ping h3 count 1\nquit\nprint after quit\n")
    check("1 packets transmitted, 1 received" in out, out)
    check("after quit" not in out, out)


@test
def failed_expect_exits_1_with_got():
    script = "h1 ping h3 count 2\nwait\nexpect h1 ping replies 5\n"
    rc, out, _ = run("-q", "-s", "-", stdin=script)  # built-in network
    check(rc == 1, f"exit {rc}")
    check("not ok 1 - expect h1 ping replies 5" in out and "got 2" in out, out)
    check("0 passed, 1 failed" in out, out)


@test
def explain_shows_the_mask_and_and_flooding():
    script = "h1 ping h3 count 1\nwait\n"
    rc, out, _ = run("-e", "-s", "-", os.path.join(TOPO, "two_lans.conf"), stdin=script)
    check(rc == 0, f"exit {rc}")
    check("192.168.2.10 & 255.255.255.0 = 192.168.2.0, not my 192.168.1.0/24: via gateway 192.168.1.1" in out, "mask AND not explained")
    check("why:" in out and "flood" in out, "flood not explained")
    check("ttl 64->63" in out, "TTL not shown")


@test
def jsonl_log_is_valid_json_with_schema():
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "log.jsonl")
        rc, out, _ = run("-e", "--log-format", "jsonl", "-l", path, "-s", "-",
                         stdin="h1 ping h3 count 1\nwait\n")
        check(rc == 0, f"exit {rc}")
        events = [json.loads(line) for line in open(path)]
        check(len(events) > 10, f"{len(events)} events")
        for e in events:
            check(set(e) >= {"t", "time", "node", "event", "frame", "summary"}, e)
            check(isinstance(e["t"], int), e)
        names = {e["event"] for e in events}
        for n in ("arp/request", "arp/reply", "switch/flood", "switch/learn", "route/forward"):
            check(n in names, f"{n} not in {sorted(names)}")
        check(any("why" in e for e in events), "no why with -e")
        check(all(a["t"] <= b["t"] for a, b in zip(events, events[1:])), "time goes back")
        check("arp/request" not in out, "log went to stdout despite -l")


@test
def tcp_in_the_jsonl_log_shows_handshake_and_segments():
    """The log a student reads: every TCP state change, and the segments
    with flags, seq/ack and length, as JSON objects a program can check;
    the window and the options in each frame's layers (--layers)."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "log.jsonl")
        script = ('h1 tcp connect h3:7\nh1 tcp send "hi there"\nwait\n'
                  'h1 tcp close\nwait\nexpect h1 tcp received echo\n')
        rc, out, _ = run("-e", "--layers", "--log-format", "jsonl", "-l", path,
                         "-s", "-", stdin=script)
        check(rc == 0, f"exit {rc}: {out}")
        events = [json.loads(line) for line in open(path)]
        states = [e["summary"].split(" ", 3)[-1] for e in events
                  if e["event"] == "tcp/state" and e["node"] == "h1"]
        check(states[:2] == ["CLOSED -> SYN-SENT", "SYN-SENT -> ESTABLISHED"],
              states)
        check("FIN-WAIT-2 -> TIME-WAIT" in states, states)
        sent = [e["summary"] for e in events
                if e["event"] == "ip/send" and "TCP" in e["summary"]]
        check(any("[S] seq" in s for s in sent), sent[:3])
        check(any("[S.] seq" in s and " ack " in s for s in sent), sent[:3])
        check(any("len 8" in s for s in sent), "no 8-byte data segment")
        tcp = [{f["name"]: f["value"] for f in layer["fields"]}
               for e in events if e["event"] == "link/frame"
               for layer in e["layers"]
               if layer["layer"].startswith("Transmission Control Protocol")]
        check(any(t.get("Maximum segment size") == "1460" for t in tcp),
              "no SYN with MSS 1460 in the frames' layers")
        check(tcp and all("Window" in t for t in tcp), "a TCP layer without window")
        why = [e.get("why", "") for e in events if e["event"] == "tcp/state"]
        check(any("three-way handshake" in w for w in why), why)


@test
def the_log_ends_with_the_run():
    """A TCP connection to a service left open at the end of the run: the
    network's teardown sends and logs nothing (it once logged a reset after
    the summary, stamped earlier than the events before it, for a frame
    that reached no wire), so the log is in time order to its end."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "log.jsonl")
        script = ("h1 tcp connect h3:7\nh1 tcp send hi\nwait\n"
                  "h2 ping h4 count 1\nwait 5s\n")
        rc, out, _ = run("--log-format", "jsonl", "-l", path, "-s", "-",
                         stdin=script)
        check(rc == 0, f"exit {rc}: {out}")
        events = [json.loads(line) for line in open(path)]
        check(all(a["t"] <= b["t"] for a, b in zip(events, events[1:])),
              [(e["time"], e["event"]) for e in events[-4:]])
        check(not any(e["event"] == "tcp/rst" for e in events),
              [e["summary"] for e in events if e["event"] == "tcp/rst"])
        check(events[-1]["event"] == "ping/done", events[-1])


@test
def send_after_close_is_refused_even_before_connected():
    """`tcp close` typed while the SYN is still out, then `tcp send`: the
    send is refused with a message (it was once dropped in silence), and
    nothing reaches the server."""
    script = ("h1 tcp connect h3:7\nh1 tcp close\nh1 tcp send late\nwait\n"
              "expect h3 service 7/tcp bytes_in 0\n")
    rc, out, _ = run("-q", "-s", "-", stdin=script)
    check(rc == 0, f"exit {rc}: {out}")
    check("h1 already closed its side of the connection" in out, out)
    check(out.rstrip().endswith("1 passed, 0 failed"), out)


@test
def leave_without_join_is_an_error():
    """`leave` of a group never joined says so (as IP_DROP_MEMBERSHIP
    fails), instead of claiming to have left it."""
    script = "h1 leave 239.1.1.1\nh1 join 239.1.1.1\nh1 leave 239.1.1.1\n"
    rc, out, _ = run("-q", "-s", "-", stdin=script)
    check(rc == 0, f"exit {rc}: {out}")
    lines = out.splitlines()
    check(lines[:3] == ["h1: error: h1 has not joined 239.1.1.1: nothing to leave",
                        "h1: joined 239.1.1.1", "h1: left 239.1.1.1"], lines)


@test
def ready_file_keeps_a_fifo_and_a_symlink():
    """--ready-file given a FIFO (a script waiting on it) or a symbolic
    link writes through it; it was renamed over and became a plain file."""
    import threading
    with tempfile.TemporaryDirectory() as d:
        fifo = os.path.join(d, "ready.fifo")
        os.mkfifo(fifo)
        got = []

        def reader():
            with open(fifo, "rb") as f:
                got.append(f.read())

        t = threading.Thread(target=reader, daemon=True)
        t.start()
        rc, out, err = run("-q", "-s", "/dev/null", "--ready-file", fifo,
                           timeout=30)
        t.join(10)
        check(rc == 0, f"exit {rc}: {err}")
        check(got == [b""], got)
        check(stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced")
        target = os.path.join(d, "real.txt")
        with open(target, "w") as f:
            f.write("old\n")
        link = os.path.join(d, "ready.link")
        os.symlink("real.txt", link)
        rc, out, err = run("-q", "-s", "/dev/null", "--ready-file", link)
        check(rc == 0, f"exit {rc}: {err}")
        check(os.path.islink(link), "the link was replaced")
        check(os.path.getsize(target) == 0, "the link's file was not written")


@test
def udp_and_http_answer_at_the_console():
    """Typed at a console on stdin: services answer, show tables list the
    sockets and connections."""
    script = ('h1 udp send h3:7 marco\n'
              'h2 tcp connect h3:80\n'
              'h2 tcp send "GET /index.html HTTP/1.1\\r\\nHost: h3\\r\\n\\r\\n"\n'
              'wait\nshow sockets h3\nshow tcp h2\n')
    rc, out, _ = run("-q", "-s", "-", stdin=script)
    check(rc == 0, f"exit {rc}: {out}")
    # h1's port is ephemeral: Linux's range, 32768-60999
    m = re.search(r"udp 192\.168\.2\.10:7 -> h1 port (\d+): 5 bytes: marco", out)
    check(m is not None and 32768 <= int(m.group(1)) <= 60999, out)
    check("received" in out and "HTTP/1.1 200 OK" in out, out)
    check("LISTEN" in out and "tcp-echo" in out and "http" in out, out)
    check("ESTABLISHED" in out and "SND.UNA" in out, out)


@test
def quiet_prints_no_log():
    rc, out, _ = run("-q", "-s", "-", stdin="h1 ping h3 count 1\nwait\n")
    check(rc == 0 and "switch/" not in out and "arp/" not in out, out)


@test
def duration_stops_the_clock():
    rc, out, _ = run("-d", "3s", "-s", "-", stdin="h1 ping h3 count 100\nwait\nprint done\n")
    check(rc == 0, f"exit {rc}")
    # 100 pings one second apart cannot finish within 3 s of virtual time
    check("100 packets transmitted" not in out, out[-500:])


@test
def realtime_script_waits_on_the_wall_clock():
    """--realtime with a script: `wait 200ms` takes at least 200 ms of wall
    time, a bare `wait` still ends once the pings are done, and the expects
    pass as in fast mode."""
    script = ("h1 ping h3 count 2 interval 100ms\nwait 200ms\n"
              "expect h1 ping replies 2\nh1 ping h4 count 1\nwait\n"
              "expect h1 ping replies 1\n")
    start = time.monotonic()
    rc, out, err = run("-q", "--realtime", "-s", "-",
                       os.path.join(TOPO, "two_lans.conf"), stdin=script)
    took = time.monotonic() - start
    check(rc == 0, f"exit {rc}: {out} {err}")
    check("ok 1 - expect h1 ping replies 2" in out, out)
    check("ok 2 - expect h1 ping replies 1" in out, out)
    check(out.rstrip().endswith("2 passed, 0 failed"), out)
    check(took >= 0.2, f"finished in {took:.3f}s: not real time")
    check("fast mode" not in err, err)


@test
def bad_options_exit_2():
    for args in (["--log-format", "xml"], ["--duration", "soon"], ["--bogus"],
                 ["a.conf", "b.conf"]):
        rc, _, err = run(*args)
        check(rc == 2 and err, f"{args}: exit {rc}")


def write_many_hosts(d, n=80):
    """A one-switch LAN of n hosts and a script in which every host pings its
    neighbour 65535 times: long enough (seconds of wall time) to be
    interrupted.  Returns (topology path, script path)."""
    conf = os.path.join(d, "many.conf")
    scn = os.path.join(d, "many.scn")
    with open(conf, "w") as f:
        f.write("[switch sw1]\n")
        for i in range(1, n + 1):
            f.write(f"[host h{i}]\nip = 10.0.0.{i}/24\nlink = sw1\n")
    with open(scn, "w") as f:
        for i in range(1, n + 1):
            f.write(f"h{i} ping h{i % n + 1} count 65535 interval 1ms\n")
        f.write("wait\nexpect h1 ping replies 65535\n")
    return conf, scn


@test
def sigterm_ends_a_script_cleanly():
    with tempfile.TemporaryDirectory() as d:
        conf, scn = write_many_hosts(d)
        log = os.path.join(d, "log.txt")
        p = subprocess.Popen([NETSIM, "-l", log, "-s", scn, conf],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # Interrupt once the run is well under way (its log shows an echo
        # answered), however slow the machine (a sanitizer build under
        # load): poll the log, bounded.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and p.poll() is None:
            if os.path.exists(log):
                with open(log) as f:
                    if "icmp/echo" in f.read():
                        break
            time.sleep(0.05)
        if p.poll() is not None:
            raise AssertionError("the run ended before it could be interrupted")
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=30)
        check(p.returncode == 128 + signal.SIGTERM, f"exit {p.returncode}")
        check("interrupted" in err and "interrupted" in out, f"{out[-300:]!r} {err!r}")
        check(out.rstrip().endswith("0 passed, 0 failed"), out[-300:])
        # the log was flushed: its last line is whole
        with open(log) as f:
            text = f.read()
        check(text.endswith("\n") and "icmp/echo" in text, text[-300:])


@test
def console_in_a_terminal_pings_in_real_time():
    with Console("-q", os.path.join(TOPO, "two_lans.conf")) as con:
        con.read_until("netsim> ")
        start = time.time()
        con.type("h1 ping h3 count 2 interval 200ms")
        # once the ping is done the prompt comes back
        out = con.read_until("netsim> ", after="2 packets transmitted")
        took = time.time() - start
        check("64 bytes from 192.168.2.10" in out, out)
        # real time: the second request waits for the wall clock (~0.2 s)
        check(took >= 0.15, f"finished in {took:.3f}s: not real time")
        # Each read waits for the prompt that follows the command's own
        # output: a prompt redrawn after earlier output must not end it.
        con.type("show arp h1")
        con.read_until("netsim> ", after="192.168.1.1")  # fails if no ARP table
        con.type("bogus command")
        con.read_until("netsim> ", after="rror")  # fails if no error shown
        con.type("quit")
        check(con.exit_status() == 0, "quit did not exit 0")


@test
def console_talks_tcp_in_real_time():
    """A student at the console: connect to the echo service, send a line,
    see it come back, close; the prompt returns once TCP is quiet."""
    with Console("-q", os.path.join(TOPO, "two_lans.conf")) as con:
        con.read_until("netsim> ")
        con.type("h1 tcp connect h3:7")
        out = con.read_until("netsim> ", after="connected")
        check("SYN sent" in out, out)
        con.type('h1 tcp send "hello over tcp\\n"')
        out = con.read_until("netsim> ", after="received 15 bytes")
        check("hello over tcp\\n" in out, out)
        con.type("h1 tcp close")
        con.read_until("netsim> ", after="closed")
        con.type("show tcp h1")
        # the prompt after the table (the prompt redrawn after "closed" may
        # come later than the read above)
        out = con.read_until("netsim> ", after="SND.UNA")
        # TIME-WAIT lasts 1 s of wall time here: on a slow machine it may
        # already be over.
        check("TIME-WAIT" in out or "CLOSED" in out, out)
        con.type("quit")
        check(con.exit_status() == 0, "quit did not exit 0")


@test
def fast_console_moves_the_clock_only_on_wait():
    with Console("-q", "--fast", os.path.join(TOPO, "two_lans.conf")) as con:
        con.read_until("netsim> ")
        con.type("h1 ping h3 count 1")
        out = con.read_until("PING")
        time.sleep(0.5)
        check("bytes from" not in out + con.pending_output(), "the clock ran without wait")
        con.type("wait")
        con.read_until("1 packets transmitted, 1 received")
        con.type("quit")
        check(con.exit_status() == 0, "quit did not exit 0")


EXPLAIN_ONLY_SCRIPT = ["h1 ping h3 count 2", "wait", 'expect log contains "arp/hit"']


def log_lines(out, event):
    return [l for l in out.splitlines() if re.match(rf"^ +[0-9.]+ +\S+ +{event} ", l)]


@test
def explain_only_events_print_only_with_explain():
    """arp/hit (explain only) is in the log with -e, never without, at the
    console as in a pipe; `expect log` sees it either way."""
    conf = os.path.join(TOPO, "two_lans.conf")
    for args in ((), ("-e",)):
        rc, out, _ = run(*args, conf, stdin="\n".join(EXPLAIN_ONLY_SCRIPT) + "\n")
        check(rc == 0 and "1 passed, 0 failed" in out, out[-500:])
        check(bool(log_lines(out, "arp/hit")) == bool(args), f"{args}: {out[-800:]}")
        check(log_lines(out, "arp/request"), out[-500:])
    with Console("--fast", conf) as con:
        con.read_until("netsim> ")
        for line in EXPLAIN_ONLY_SCRIPT:
            con.type(line)
        out = con.read_until("netsim> ", after="ok 1 - expect log contains")
        check(log_lines(out, "arp/request"), out[-800:])
        check(not log_lines(out, "arp/hit"), f"arp/hit without -e: {out[-800:]}")
        con.type("quit")
        check(con.exit_status() == 0, "quit did not exit 0")


@test
def console_ends_cleanly_on_sigterm():
    with Console("-q") as con:
        con.read_until("netsim> ")
        os.kill(con.pid, signal.SIGTERM)
        check(con.exit_status() == 0, "SIGTERM did not end the console with 0")


@test
def ctrl_c_stops_a_long_wait_at_the_console():
    with tempfile.TemporaryDirectory() as d:
        conf, scn = write_many_hosts(d)
        with Console("-q", conf) as con:
            con.read_until("netsim> ")
            with open(scn) as f:
                for line in f:
                    if line.startswith("h"):
                        con.type(line.rstrip("\n"))
            con.type("wait")
            time.sleep(1.5)
            os.kill(con.pid, signal.SIGINT)
            check(con.exit_status(timeout=10) == 0, "SIGINT did not end the wait")



def log_events(text):
    """(node, event) of each event line of a text log."""
    out = []
    for line in text.splitlines():
        f = line.split()
        if len(f) >= 3 and "/" in f[2] and f[0].replace(".", "").isdigit():
            out.append((f[1], f[2]))
    return out


@test
def filters_keep_a_subset_of_the_same_run():
    """--only, --node and --brief: the same run, the same events in the
    same order, fewer of them; the -l file and the --html replay alike."""
    steps = "h1 ping h3 count 2\nh1 ping h3 count 1\nwait\nexpect log contains \"arp/release\"\n"
    conf = os.path.join(TOPO, "two_lans.conf")
    code, full, err = run("-s", "-", conf, stdin=steps)
    check(code == 0, err)
    every = log_events(full)
    cases = [
        (["--only", "arp,switch/fl"],
         lambda n, e: e.startswith("arp/") or e.startswith("switch/flood")),
        (["--node", "h1", "--node", "r1,sw2"], lambda n, e: n in ("h1", "r1", "sw2")),
        (["--brief"], lambda n, e: e not in ("arp/release", "arp/hit", "arp/pending")),
        (["--only", "arp", "--node", "r1"], lambda n, e: n == "r1" and e.startswith("arp/")),
    ]
    for args, keep in cases:
        want = [ev for ev in every if keep(*ev)]
        check(0 < len(want) < len(every), f"{args}: a useless case")
        # expect log still sees every event: the script passes (exit 0)
        code, out, err = run(*args, "-s", "-", conf, stdin=steps)
        check(code == 0, f"{args}: {err}{out[-300:]}")
        check(log_events(out) == want, f"{args}: {log_events(out)} != {want}")
        with tempfile.TemporaryDirectory() as tmp:
            log = os.path.join(tmp, "run.log")
            page = os.path.join(tmp, "run.html")
            code, _, err = run(*args, "-l", log, "--html", page, "-s", "-", conf, stdin=steps)
            check(code == 0, err)
            with open(log) as f:
                check(log_events(f.read()) == want, f"{args}: -l differs")
            with open(page) as f:
                html = f.read()
            for node, event in every:
                if not keep(node, event) and event not in ("arp/hit",):
                    check(f'"{event}"' not in html or any(
                        e == event and keep(n, e) for n, e in every),
                        f"{args}: {event} in the replay")


@test
def filters_reject_unknown_names_with_a_hint():
    conf = os.path.join(TOPO, "two_lans.conf")
    for args, want in [(["--only", "arpp"], "--only: 'arpp' is no event family or name (did you mean 'arp'?)"),
                       (["--node", "h1,hh3"], "--node: 'hh3' is not a node (did you mean 'h3'?)")]:
        code, out, err = run(*args, "-s", "-", conf, stdin="wait\n")
        check(code == 2, f"{args}: exit {code}")
        check(want in err, err)
        check(out == "", out)

if __name__ == "__main__":
    main("integration")
