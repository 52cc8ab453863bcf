#!/usr/bin/env python3
"""Integration tests: line editing at the console, in a real
pseudo-terminal as a person types (issue 11): the up arrow recalls the last
command (never "unknown command '\\x1b[A'"), Tab completes a command and
lists a word's choices, the history is kept in XDG_STATE_HOME, a ping's
replies do not run into a half-typed line, and piped input is read as
plain lines.  Skipped when netsim was built --without-libedit."""
import os
import shutil
import subprocess
import tempfile
import termios

from harness import NETSIM, TOPO, Console, Skip, check, main, test

TWO_LANS = os.path.join(TOPO, "two_lans.conf")
UP = b"\x1b[A"
TAB = b"\t"
KILL_LINE = b"\x15"  # Ctrl-U


def editing_console(state=None):
    """A console in a terminal; Skip when it does not edit lines (a
    build without libedit never completes Tab)."""
    con = Console("-q", "--fast", TWO_LANS, state=state)
    con.read_until("netsim> ")
    con.keys(b"he" + TAB)
    try:  # libedit writes the completion's rest ("lp ") after "he"
        con.read_until("lp ", timeout=5.0)
    except AssertionError:
        con.__exit__()
        raise Skip("netsim built without libedit") from None
    con.keys(KILL_LINE)
    return con


@test
def up_arrow_runs_the_last_command_again():
    with editing_console() as con:
        con.type("print first run")
        con.read_until("netsim> ", after="first run")
        con.keys(UP + b"\r")
        out = con.read_until("netsim> ", after="first run\r\n")
        check("first run" in out, out)
        check("unknown command" not in out and "error" not in out, out)
        con.type("quit")
        check(con.exit_status() == 0, "quit did not exit 0")


@test
def tab_completes_a_command_after_a_node():
    with editing_console() as con:
        con.keys(b"h1 pi" + TAB)
        con.read_until("ng ")
        con.keys(b"h3 count 1\r")
        con.type("wait")
        out = con.read_until("netsim> ", after="1 packets transmitted")
        check("1 received" in out, out)
        con.type("quit")
        check(con.exit_status() == 0, "quit did not exit 0")


@test
def tab_twice_lists_the_choices():
    with editing_console() as con:
        con.keys(b"show ma" + TAB + TAB)
        out = con.read_until("mask")
        check("mac" in out.split("show ma", 1)[-1], out)
        con.keys(KILL_LINE + b"quit\r")
        check(con.exit_status() == 0, "quit did not exit 0")


@test
def history_is_kept_and_recalled_next_time():
    state = tempfile.mkdtemp(prefix="netsim-state-")
    try:
        with editing_console(state) as con:
            con.type("print remember me")
            con.read_until("netsim> ", after="remember me")
            con.type("quit")
            check(con.exit_status() == 0, "quit did not exit 0")
        path = os.path.join(state, "netsim", "history")
        check(os.path.exists(path), f"no {path}")
        mode = os.stat(os.path.dirname(path)).st_mode & 0o777
        check(mode == 0o700, f"the history's directory is {mode:o}, not 700")
        # the next session starts with it: up recalls the last line
        with editing_console(state) as con:
            con.keys(UP + b"\r")
            out = con.read_until("netsim> ", after="remember me")
            check("error" not in out, out)
            con.type("quit")
            check(con.exit_status() == 0, "quit did not exit 0")
    finally:
        shutil.rmtree(state, ignore_errors=True)


@test
def unwritable_history_warns_once_and_runs():
    with editing_console():
        pass  # skips without libedit
    with tempfile.TemporaryDirectory() as tmp:
        blocker = os.path.join(tmp, "not-a-dir")
        with open(blocker, "w") as f:
            f.write("x")
        with Console("-q", "--fast", TWO_LANS, state=blocker) as con:
            out = con.read_until("netsim> ")
            con.type("print still here")
            out += con.read_until("netsim> ", after="still here")
            con.type("quit")
            check(con.exit_status() == 0, "quit did not exit 0")
        check(out.count("warning: no history kept") == 1, out)


@test
def replies_do_not_run_into_the_typed_line():
    """A ping's replies arrive while a command is half typed: the line is
    erased before them and drawn again after, whole."""
    con = Console("-q", TWO_LANS)
    with con:
        con.read_until("netsim> ")
        con.keys(b"he" + TAB)
        try:
            con.read_until("lp ", timeout=5.0)
        except AssertionError:
            raise Skip("netsim built without libedit") from None
        con.keys(KILL_LINE)
        con.type("h1 ping h3 count 3 interval 300ms")
        con.read_until("netsim> ")
        con.keys(b"show ar")
        out = con.read_until("netsim> show ar", after="3 packets transmitted")
        # "\r ESC[J" (carriage return, erase to the end of the screen)
        # comes before each reply: no reply shares what is left of a line
        # with "show ar"
        for line in out.split("\r\n"):
            for shown in line.split("\r\x1b[J"):
                check(not ("show ar" in shown and "bytes from" in shown),
                      f"a reply ran into the typed line: {line!r}")
        con.keys(b"p h1\r")
        out = con.read_until("netsim> ", after="192.168.1.1")
        con.type("quit")
        check(con.exit_status() == 0, "quit did not exit 0")


@test
def ctrl_c_ends_the_console_and_gives_the_terminal_back():
    with editing_console() as con:
        con.keys(b"h1 pi")
        con.read_until("h1 pi")
        con.keys(b"\x03")
        check(con.exit_status() == 0, "Ctrl-C did not end the console")
        lflag = termios.tcgetattr(con.fd)[3]
        check(lflag & termios.ICANON and lflag & termios.ECHO,
              "the terminal was left in raw mode")


@test
def piped_input_is_read_as_plain_lines():
    p = subprocess.run([NETSIM, "-q", TWO_LANS], input="print a\x1b[Ab\n",
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, p.stderr)
    check(p.stdout.startswith("a\x1b[Ab\n"), repr(p.stdout))
    check("unknown" not in p.stdout + p.stderr, p.stdout + p.stderr)


@test
def a_line_too_long_is_ignored_to_its_end():
    """A served network (a bridge, standard input a pipe) runs piped lines
    as typed.  Over 64 KiB without a newline: the whole line is ignored,
    its tail too (it is no command), and the next line runs."""
    with tempfile.TemporaryDirectory() as d:
        conf = os.path.join(d, "served.conf")
        with open(TWO_LANS, encoding="utf-8") as f:
            text = f.read()
        with open(conf, "w", encoding="utf-8") as f:
            f.write(text + "\n[bridge web]\nip = 192.168.1.200/24\n"
                    "link = sw1\nlisten = tcp:127.0.0.1:0 -> h3:7\n")
        for size in (70000, 2 << 20):
            lines = "#" * size + "print INJECTED\nprint next line\nquit\n"
            p = subprocess.run([NETSIM, "-q", conf], input=lines,
                               capture_output=True, text=True, timeout=60)
            check(p.returncode == 0, p.stderr)
            check("INJECTED" not in p.stdout, p.stdout[-400:])
            check("next line\n" in p.stdout, p.stdout[-400:])
            check(p.stdout.count("line too long") == 1, p.stdout[-400:])

if __name__ == "__main__":
    main("console")
