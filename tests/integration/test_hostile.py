#!/usr/bin/env python3
"""Integration tests: hostile and careless input to the real binary ends in
a clear error (naming the file, the line, the limit) and a bounded process,
never in a hang, a huge process or a silently lost log.

Each test is one finding of issue 12 made to fail if it comes back: inputs
read without a bound (/dev/zero as a topology or a script), `tcp send size
N` allocating N bytes per line, quoted digits taken as a count, write
errors ignored, a 10 MB word echoed whole, TCP to a broadcast address, and
ephemeral port exhaustion (quadratic, and a wrong message)."""
import os
import subprocess
import tempfile

from harness import NETSIM, TOPO, check, main, run, test

TWO_LANS = os.path.join(TOPO, "two_lans.conf")


def script(text):
    """A temporary script file holding text; the caller removes it."""
    fd, path = tempfile.mkstemp(suffix=".scn")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


def run_measured(args, timeout=120):
    """netsim with args; exit status, stderr and peak memory in MiB."""
    with tempfile.TemporaryFile() as err:
        p = subprocess.Popen([NETSIM, *args], stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=err)
        try:
            _, status, usage = os.wait4(p.pid, 0)
        except BaseException:
            p.kill()
            raise
        p.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return p.returncode, err.read().decode(errors="replace"), usage.ru_maxrss / 1024


@test
def dev_zero_topology_is_refused_at_its_limit():
    rc, out, err = run("--check", "/dev/zero", timeout=60)
    check(rc == 2, f"exit {rc}")
    check("/dev/zero: the topology file is larger than 256 MiB" in err, err)


@test
def dev_zero_script_is_refused_at_its_limit():
    rc, out, err = run("-s", "/dev/zero", TWO_LANS, timeout=60)
    check(rc == 2, f"exit {rc}")
    check("/dev/zero: the script is larger than 64 MiB" in err, err)
    with open("/dev/zero", "rb") as zero:
        p = subprocess.run([NETSIM, "-s", "-", TWO_LANS], stdin=zero,
                           capture_output=True, text=True, timeout=60)
    check(p.returncode == 2, f"stdin: exit {p.returncode}")
    check("<stdin>: the script is larger than 64 MiB" in p.stderr, p.stderr)


def check_topology(data):
    """netsim --check on a topology file holding the bytes data: its exit
    status and standard error, and the file's name."""
    with tempfile.NamedTemporaryFile("wb", suffix=".conf", delete=False) as f:
        f.write(data)
    try:
        rc, out, err = run("--check", f.name)
        return rc, err, f.name
    finally:
        os.unlink(f.name)


@test
def nul_byte_in_topology_names_its_line():
    rc, err, name = check_topology(
        b"[switch sw1]\n[host h1]\nip = 10.0.0.1/24\x00 link = sw1\n")
    check(rc == 2 and f"{name}:3: NUL byte" in err, err)


@test
def bad_key_and_control_bytes_name_the_line():
    rc, err, name = check_topology(b"[host h1]\nip = 10.0.0.1/24\ni[ = 1\n")
    check(rc == 2 and f"{name}:3: 'i[ = 1': not a key name" in err, err)
    rc, err, name = check_topology(b"[host h\x1b[31mx]\nip = 10.0.0.1/24\n")
    check(rc == 2 and f"{name}:1:" in err, err)
    check("\x1b" not in err and "\\x1b" in err, repr(err))


@test
def tcp_send_size_costs_no_memory_per_line():
    lines = ["h1 tcp connect h3:7"] + ["h1 tcp send size 67108864"] * 40
    path = script("\n".join(lines + ["wait 10ms", ""]))
    try:
        rc, err, peak = run_measured(["-q", "-s", path, TWO_LANS])
        # 40 lines × 64 MiB was 2.6 GB; one 64 MiB send may wait, the
        # others are refused ("more than 64 MiB waiting").
        check(peak < 600, f"peak memory {peak:.0f} MiB")
        check(rc == 0, f"exit {rc}: {err[-300:]}")
    finally:
        os.unlink(path)


@test
def pattern_arrives_in_order_with_text_between():
    path = script("h1 tcp connect h3:7\n"
                  "h1 tcp send size 100000\n"
                  "h1 tcp send \"400\"\n"
                  "h1 tcp send size 100\n"
                  "wait\n"
                  "expect h1 tcp received echo\n"
                  "expect h1 tcp received 100103 bytes\n"
                  "expect h1 tcp received \"400\"\n")
    try:
        rc, out, err = run("-q", "-s", path, TWO_LANS)
        check(rc == 0, f"exit {rc}: {out[-400:]} {err}")
        check("3 passed, 0 failed" in out, out[-300:])
    finally:
        os.unlink(path)


@test
def quoted_digits_are_text():
    path = script("h1 tcp connect h3:7\n"
                  "h1 tcp send 400\n"
                  "wait\n"
                  "expect h1 tcp received \"400\"\n"
                  "expect h1 tcp received 3\n"
                  "h1 udp send h3:7 25\n"
                  "wait\n"
                  "expect h1 udp received \"25\"\n")
    try:
        rc, out, err = run("-q", "-s", path, TWO_LANS)
        check(rc == 0 and "3 passed, 0 failed" in out, f"exit {rc}: {out[-400:]} {err}")
    finally:
        os.unlink(path)


@test
def full_log_file_is_an_error():
    rc, out, err = run("-s", os.path.join(TOPO, "two_lans.scn"), "-l",
                       "/dev/full", TWO_LANS)
    check(rc == 2, f"exit {rc}")
    check("netsim: /dev/full: write failed" in err, err)


@test
def full_standard_output_is_an_error():
    with open("/dev/full", "w") as full:
        p = subprocess.run([NETSIM, "-s", os.path.join(TOPO, "two_lans.scn"),
                            TWO_LANS], stdout=full, stderr=subprocess.PIPE,
                           text=True, timeout=60)
    check(p.returncode == 2, f"exit {p.returncode}")
    check("netsim: standard output: write failed" in p.stderr, p.stderr)


@test
def huge_word_is_cut_in_the_message():
    path = script("x" * 10_000_000 + " ping h2\n")
    try:
        rc, out, err = run("-s", path, TWO_LANS)
        check(rc == 2, f"exit {rc}")
        check(len(err) < 1000, f"{len(err)} bytes of error")
        check("unknown command or node 'xxxx" in err and "xxx...'" in err, err[:300])
    finally:
        os.unlink(path)


@test
def tcp_to_a_broadcast_or_zero_address_is_refused():
    path = script("h1 tcp connect 0.0.0.0:7\n"
                  "h1 tcp connect 192.168.1.255:7\n"
                  "h1 tcp connect 255.255.255.255:7\n"
                  "h1 tcp connect 224.0.0.1:7\n")
    try:
        rc, out, err = run("-q", "-s", path, TWO_LANS)
        check(out.count("not a unicast address") == 3, out)
        check("192.168.1.255: the broadcast address of a subnet" in out, out)
        check("SYN sent" not in out, out)
    finally:
        os.unlink(path)


@test
def ephemeral_ports_run_out_with_a_clear_error():
    # 28,232 ports (Linux's 32768-60999); 30,000 connects: the last ones
    # find none.  Once quadratic (1.3 s a connect), now a lookup a port.
    path = script("h1 tcp connect h3:7\n" * 30000)
    try:
        rc, out, err = run("-q", "-s", path, TWO_LANS, timeout=300)
        check("no free ephemeral port (all 28232 of 32768-60999 are in use)" in out,
              out[-300:])
        check("already in use" not in out, "the old message")
    finally:
        os.unlink(path)


if __name__ == "__main__":
    main("hostile")
