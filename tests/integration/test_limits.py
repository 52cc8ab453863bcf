#!/usr/bin/env python3
"""Integration tests: one test per row of the README's Limits table, each
driving the limit and checking what the row says happens there (a clear
error naming the file and line, or a counted drop; never unbounded growth
or a hang).  Rows whose test lives elsewhere name it in TESTS: a check
suite where the limit is a unit's (a socket's queue, the ARP queue), or
test_hostile.py where the finding that set the limit is tested.  The
first test checks that every row of the table has its entry here, so a
new row without a test fails."""
import os
import re
import resource
import subprocess
import tempfile

from harness import NETSIM, TOP, TOPO, check, main, run, test

TWO_LANS = os.path.join(TOPO, "two_lans.conf")

# README Limits row (its first cell) -> where its test is.
TESTS = {
    "topology file": "test_hostile.py dev_zero_topology_is_refused_at_its_limit",
    "script (`-s FILE`, `-s -`)": "test_hostile.py dev_zero_script_is_refused_at_its_limit",
    "text of either": "text_is_utf8_without_nul (here); test_hostile.py nul_byte_in_topology_names_its_line",
    "a word shown in an error": "test_hostile.py huge_word_is_cut_in_the_message, bad_key_and_control_bytes_name_the_line",
    "`tcp send` waiting for a connection's send buffer": "bytes_waiting_to_be_sent_are_bounded (here)",
    "`tcp send size N`, one line": "send_size_over_64_mib_is_a_parse_error (here)",
    "what a connection received, kept for `expect … tcp received \"TEXT\"`": "received_text_is_kept_for_the_first_mib (here)",
    "TCP connections a node starts": "test_hostile.py ephemeral_ports_run_out_with_a_clear_error",
    "UDP datagrams queued per socket": "tests/net/test_udp.c (rx_overflow counted, 256 queued)",
    "ARP: datagrams waiting per unresolved address": "tests/net/test_ipnode_arp.c test_arp_pending_queue_overflow",
    "`--html` replay": "html_replay_keeps_the_first_100000_events (here); tests/cli/test_replay.c",
    "the log, the standard output": "test_hostile.py full_log_file_is_an_error, full_standard_output_is_an_error",
    "TCP ACKs answering segments not accepted": "tests/net/test_tcp_segments_errors.c test_oow_ack_ratelimited, test_challenge_ack_limit; tests/net/test_tcp_ackwar.c",
    "`--pcap` files, open all run long": "pcap_files_beyond_the_descriptors_are_bad_input (here)",
}


def limit_rows():
    """The first cell of every row of the README's Limits table."""
    with open(os.path.join(TOP, "README.md"), encoding="utf-8") as f:
        text = f.read()
    section = text.split("\n## Limits\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    return [r[2:].split(" | ", 1)[0] for r in rows[1:]]  # not the header


def script(d, text, name="s.scn", mode="w"):
    path = os.path.join(d, name)
    with open(path, mode) as f:
        f.write(text)
    return path


@test
def every_limit_has_a_test():
    rows = limit_rows()
    check(len(rows) >= 12, f"only {len(rows)} rows: {rows}")
    missing = [r for r in rows if r not in TESTS]
    check(not missing, f"rows without a test: {missing}")
    stale = [k for k in TESTS if k not in rows]
    check(not stale, f"tests of rows no longer in the table: {stale}")
    for where in TESTS.values():
        f = where.split()[0]
        if f.startswith("tests/") or f.endswith(".py"):
            path = f if f.startswith("tests/") else os.path.join(
                "tests", "integration", f)
            check(os.path.exists(os.path.join(TOP, path)), f"{path} is gone")


@test
def text_is_utf8_without_nul():
    with tempfile.TemporaryDirectory() as d:
        nul = script(d, b"h1 ping h3 count 1\n\x00\n", mode="wb")
        rc, out, err = run("-q", "-s", nul, TWO_LANS)
        check(rc == 2 and f"{nul}:2: NUL byte" in err, f"{rc}: {err}")
        bad = script(d, b"h1 ping h3 \xff\xfe\n", mode="wb")
        rc, out, err = run("-q", "-s", bad, TWO_LANS)
        check(rc == 2 and f"{bad}:1: bytes that are not UTF-8" in err,
              f"{rc}: {err}")
        conf = script(d, b"[switch sw1]\n[host h1\xff]\nip = 10.0.0.1/24\n"
                      b"link = sw1\n", "t.conf", "wb")
        rc, out, err = run("--check", conf)
        check(rc == 2 and f"{conf}:2: bytes that are not UTF-8" in err,
              f"{rc}: {err}")


@test
def bytes_waiting_to_be_sent_are_bounded():
    with tempfile.TemporaryDirectory() as d:
        path = script(d, "h1 tcp connect h3:7\n"
                      "h1 tcp send size 67108864\n"
                      "h1 tcp send size 67108864\n"
                      "wait 1ms\n")
        # -d: the refusal is the point, not the 64 MiB transfer after it.
        rc, out, err = run("-q", "-d", "5ms", "-s", path, TWO_LANS)
        check(rc == 0, f"exit {rc}: {err[-300:]}")
        check(out.count("h1: more than 64 MiB waiting to be sent") == 1,
              out[-500:])


@test
def send_size_over_64_mib_is_a_parse_error():
    with tempfile.TemporaryDirectory() as d:
        path = script(d, "h1 tcp connect h3:7\nh1 tcp send size 67108865\n")
        rc, out, err = run("-q", "-s", path, TWO_LANS)
        check(rc == 2, f"exit {rc}")
        check(f"{path}:2: 'size' needs a number from 1 to 67108864" in err, err)
        check("SYN sent" not in out, "it ran")


@test
def received_text_is_kept_for_the_first_mib():
    with tempfile.TemporaryDirectory() as d:
        path = script(d, "h1 tcp connect h3:7\n"
                      "h1 tcp send size 1100000\n"
                      "h1 tcp send \"ZZZ\"\n"
                      "wait\n"
                      "expect h1 tcp received 1100003 bytes\n"
                      "expect h1 tcp received \"abc\"\n"
                      "expect h1 tcp received \"ZZZ\"\n")
        rc, out, err = run("-q", "-s", path, TWO_LANS)
        check(rc == 1 and "2 passed, 1 failed" in out, f"exit {rc}: {out[-300:]}")
        check("not ok 3 - expect h1 tcp received \"ZZZ\"" in out, out[-300:])
        check("only the first 1 MiB of 1100003 bytes is kept" in out, out[-300:])


@test
def html_replay_keeps_the_first_100000_events():
    with tempfile.TemporaryDirectory() as d:
        path = script(d, "h1 tcp connect h3:7\nh1 tcp send size 10000000\n"
                      "wait\nexpect h1 tcp received 10000000 bytes\n")
        page = os.path.join(d, "r.html")
        rc, out, err = run("-q", "-s", path, "--html", page, TWO_LANS,
                           timeout=120)
        check(rc == 0, f"exit {rc}: {err[-300:]}")
        with open(page, encoding="utf-8") as f:
            text = f.read()
        check('"max":100000' in text, "no limit in the page")
        more = re.search(r'"more":(\d+)', text)
        check(more and int(more.group(1)) > 0, "nothing beyond the limit")
        check(text.rstrip().endswith("</html>"), "page cut")


@test
def pcap_files_beyond_the_descriptors_are_bad_input():
    with tempfile.TemporaryDirectory() as d:
        conf = script(d, "[switch sw1]\n" + "".join(
            f"[host h{i}]\nip = 10.0.{i // 250}.{i % 250 + 1}/16\nlink = sw1\n"
            for i in range(200)), "many.conf")

        def few_descriptors():
            resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))

        p = subprocess.run([NETSIM, "-q", "--pcap", os.path.join(d, "pc"),
                            "-s", "-", conf], input="h0 ping h1 count 1\nwait\n",
                           capture_output=True, text=True, timeout=60,
                           preexec_fn=few_descriptors)
        check(p.returncode == 2, f"exit {p.returncode}: {p.stderr}")
        check("--pcap: cannot write" in p.stderr and "Too many open files"
              in p.stderr, p.stderr)
        check("PING" not in p.stdout, "it ran")


if __name__ == "__main__":
    main("limits")
