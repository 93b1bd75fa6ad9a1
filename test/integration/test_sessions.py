"""Sessions the way editors run them: mode test in the package directory,
envFile, noDebug, terminate, disconnect without terminating, the build
beside the message loop (progress, cancelled by disconnect), the process
event, restart, attach that runs on, integratedTerminal.

Fixtures: test/fixtures/session (one small program per feature, chosen by
its first argument) and test/fixtures/testdir (a test reading testdata/).
"""

import os
import signal
import stat
import subprocess
import time

import pytest

import dap_client
from godap_testlib import (LAUNCH_TIMEOUT, RUN_TIMEOUT, TIMEOUT, disconnect,
                           fixture_dir, fixture_src, launch_args,
                           marker_line, output_lines, running_program,
                           set_breakpoints, top_frame, wait_exited,
                           wait_gone, wait_stopped)

SESSION = fixture_src("session")
TESTDIR_TEST = fixture_src("testdir", "testdir_test.go")


def init(c, progress=False, run_in_terminal=False):
    return c.request_ok("initialize", {
        "clientID": "godap-tests", "adapterID": "godap", "pathFormat": "path",
        "linesStartAt1": True, "columnsStartAt1": True,
        "supportsProgressReporting": progress,
        "supportsRunInTerminalRequest": run_in_terminal,
    })


def launch_ok(c, program, mode="debug", **extra):
    r = c.request("launch", launch_args(program, mode, **extra), timeout=LAUNCH_TIMEOUT)
    assert r["success"], f"launch failed: {r.get('message')}"
    c.wait_event("initialized", TIMEOUT)
    return r


def session_exec(godap, go_tc, mode_arg, **extra):
    """A client with the session fixture launched (mode exec, its argument
    mode_arg picks what it does), before configurationDone."""
    c = godap.start(go_tc)
    init(c)
    launch_ok(c, go_tc.build("session"), "exec", args=[mode_arg], **extra)
    return c


def wait_file(path, timeout=LAUNCH_TIMEOUT):
    """Waits until path exists and is not empty (written by a helper the
    test started); fails after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path) and os.path.getsize(path) > 0:
            return
        time.sleep(0.05)
    raise AssertionError(f"{path} never appeared")


def tracer_of(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("TracerPid:"):
                return int(line.split()[1])
    return None


def state_of(pid):
    st = dap_client._proc_stat(pid)
    return st[0] if st else None


# ------------------------------------------------------------ mode test

def test_test_mode_runs_in_package_dir(godap, go_tc):
    """The test reads testdata/ relative to its cwd: under godap it must
    run in the package directory, as under `go test`; no cwd given."""
    c = godap.start(go_tc)
    init(c, progress=True)
    launch_ok(c, fixture_dir("testdir"), "test")
    # The build told the user (output and, as asked, progress).
    assert "Building " in c.output_text("console"), c.output_text()
    start = c.wait_event("progressStart", TIMEOUT)["body"]
    end = c.wait_event("progressEnd", TIMEOUT)["body"]
    assert end["progressId"] == start["progressId"] and end.get("message") == "done"
    proc = c.wait_event("process", TIMEOUT)["body"]
    assert proc["startMethod"] == "launch" and proc["systemProcessId"] > 0, proc
    line = marker_line(TESTDIR_TEST, "BPTESTDATA")
    assert set_breakpoints(c, TESTDIR_TEST, [line])[0]["verified"]
    c.request_ok("configurationDone")
    ev = wait_stopped(c, "breakpoint")
    frame = top_frame(c, ev["threadId"])
    assert frame["line"] == line
    got = c.request_ok("evaluate", {"expression": "got", "frameId": frame["id"],
                                    "context": "watch"})
    assert got["result"] == '"hello from testdata"', got
    c.request_ok("continue", {"threadId": ev["threadId"]})
    assert wait_exited(c) == 0, c.output_text()
    out = c.output_text("stdout")
    assert f"testdir: cwd {os.path.realpath(fixture_dir('testdir'))}\n" in out, out
    assert "PASS" in out, out
    disconnect(c)


def test_test_mode_cwd_given(godap, go_tc, tmp_path):
    """An explicit cwd still wins: the test then fails to read testdata/."""
    c = godap.start(go_tc)
    init(c)
    launch_ok(c, fixture_dir("testdir"), "test", cwd=str(tmp_path))
    c.request_ok("configurationDone")
    assert wait_exited(c) != 0
    out = c.output_text("stdout")
    assert f"testdir: cwd {tmp_path}\n" in out, out
    assert "testdata/greeting.txt: no such file" in out, out
    disconnect(c)


# ------------------------------------------------------------ envFile

def test_env_file(godap, go_tc, tmp_path):
    f1 = tmp_path / "a.env"
    f1.write_text("# first file\nGODAP_A=from file1\nexport GODAP_B='single # kept'\n"
                  "GODAP_C=from file1\n")
    f2 = tmp_path / "b.env"
    f2.write_text('GODAP_A="second \\"file\\""  # a comment\n\nGODAP_D=d\n')
    c = godap.start(go_tc, env={"GODAP_D": "from godap's env"})
    init(c)
    launch_ok(c, go_tc.build("session"), "exec", args=["env"],
              envFile=[str(f1), str(f2)], env={"GODAP_C": "from env", "GODAP_D": None})
    c.request_ok("configurationDone")
    assert wait_exited(c) == 0
    assert output_lines(c, "stdout") == [
        'GODAP_A=second "file"',       # the later file wins
        "GODAP_B=single # kept",       # quotes keep a '#'
        "GODAP_C=from env",            # env wins over envFile
        "GODAP_D=(unset)",             # a null in env unsets
    ], c.output_text()
    disconnect(c)


def test_env_file_missing(godap, go_tc, tmp_path):
    c = godap.start(go_tc)
    init(c)
    r = c.request("launch", launch_args(go_tc.build("session"), "exec",
                                        envFile=str(tmp_path / "nope.env")))
    assert not r["success"]
    assert "cannot read envFile" in r["message"] and "nope.env" in r["message"], r
    disconnect(c)


# ------------------------------------------------------------ noDebug

def test_no_debug(godap, go_tc):
    """Built, run untraced; a breakpoint is accepted and never stops."""
    c = godap.start(go_tc)
    init(c)
    launch_ok(c, fixture_dir("session"), "debug", args=["nodebug"], noDebug=True)
    line = marker_line(SESSION, "BPNODEBUG")
    bp = set_breakpoints(c, SESSION, [line])[0]
    assert bp["verified"] is False and "noDebug" in bp.get("message", ""), bp
    c.request_ok("configurationDone")
    assert wait_exited(c) == 5
    assert output_lines(c, "stdout") == ["nodebug: tracer 0", "nodebug: sum 3"], c.output_text()
    assert not c.events("stopped")
    disconnect(c)


# ------------------------------------------------------------ terminate

def test_terminate_lets_program_shut_down(godap, go_tc):
    """terminate while stopped at a breakpoint: the program gets SIGTERM,
    runs its shutdown (prints, exits 7), then exited and terminated."""
    c = godap.start(go_tc)
    body = init(c)
    assert body.get("supportsTerminateRequest") is True, body
    launch_ok(c, go_tc.build("session"), "exec", args=["term"])
    set_breakpoints(c, SESSION, [marker_line(SESSION, "BPTERM")])
    c.request_ok("configurationDone")
    wait_stopped(c, "breakpoint")
    set_breakpoints(c, SESSION, [])
    c.request_ok("terminate")
    assert wait_exited(c) == 7
    assert output_lines(c, "stdout") == ["term: ready", "term: got SIGTERM, shutting down"], \
        c.output_text()
    disconnect(c)


def test_terminate_twice_kills(godap, go_tc):
    """A program that ignores SIGTERM is killed at the second terminate."""
    c = session_exec(godap, go_tc, "stubborn")
    c.request_ok("configurationDone")
    c.wait_output("stubborn: ready\n", "stdout", RUN_TIMEOUT)
    c.request_ok("terminate")
    c.request_ok("terminate")
    assert wait_exited(c) == 128 + signal.SIGKILL
    disconnect(c)


def test_terminate_no_debug(godap, go_tc):
    c = session_exec(godap, go_tc, "term", noDebug=True)
    c.request_ok("configurationDone")
    c.wait_output("term: ready\n", "stdout", RUN_TIMEOUT)
    c.request_ok("terminate")
    assert wait_exited(c) == 7
    assert "term: got SIGTERM, shutting down" in c.output_text("stdout")
    disconnect(c)


# ------------------------------------------------------------ disconnect

def test_disconnect_without_terminating(godap, go_tc):
    """terminateDebuggee false: the launched program is detached and runs
    on after godap has gone, untraced and not stopped."""
    c = session_exec(godap, go_tc, "quiet")
    pid = c.wait_event("process", TIMEOUT)["body"]["systemProcessId"]
    # A breakpoint it never reaches: removed from the code at the detach.
    set_breakpoints(c, SESSION, [marker_line(SESSION, "BPCOUNT")])
    c.request_ok("configurationDone")
    c.wait_output("quiet: ready\n", "stdout", RUN_TIMEOUT)
    try:
        disconnect(c, terminateDebuggee=False)
        assert dap_client.pid_alive(pid)
        assert tracer_of(pid) == 0
        assert state_of(pid) not in ("t", "T", "Z"), state_of(pid)
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        assert wait_gone(pid)


# ------------------------------------------------------------ the build

SLOW_TOOL = """#!/bin/sh
# -toolexec wrapper: records that the build reached it, then blocks on a
# fifo nobody writes, so the build stays running until it is killed.
echo $$ >> "{marker}"
cat "{fifo}" > /dev/null
exec "$@"
"""


@pytest.mark.parametrize("how", ["disconnect", "terminate", "stdin-closed"])
def test_build_runs_beside_the_loop_and_ending_stops_it(godap, go_tc, tmp_path, how):
    """The build runs while godap answers; ending the session however the
    client does it kills the go command with everything it started and
    removes the build directory."""
    fifo = tmp_path / "block.fifo"
    os.mkfifo(fifo)
    marker = tmp_path / "reached"
    tool = tmp_path / "slowtool.sh"
    tool.write_text(SLOW_TOOL.format(marker=marker, fifo=fifo))
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    c = godap.start(go_tc, env={"TMPDIR": str(tmpdir)})
    init(c, progress=True)
    seq = c.send_request("launch", launch_args(fixture_dir("session"), "debug",
                                               buildFlags=["-toolexec", str(tool)]))
    c.wait_event("progressStart", TIMEOUT)
    c.wait_output("Building ", "console", TIMEOUT)
    wait_file(str(marker))
    # The go command is blocked in our tool: requests are still answered.
    assert c.request_ok("threads") == {"threads": []}
    assert seq not in c.responses
    if how == "disconnect":
        # Progress goes on while it runs (an update every 2 s).
        up = c.wait_event("progressUpdate", TIMEOUT)["body"]
        assert up["message"].endswith(" s"), up
    building = dap_client.descendants_of(c.pid)
    table = dap_client.process_table()
    assert any(table[p][2] == "go" for p in building if p in table), building
    if how == "disconnect":
        c.request_ok("disconnect", {})
    elif how == "terminate":
        c.request_ok("terminate")
        c.wait_event("terminated", TIMEOUT)
    else:
        c.close_stdin()
    if how != "stdin-closed":
        launch_resp = c.wait_response(seq)
        assert launch_resp["success"] is False and "cancelled" in launch_resp["message"]
        end = c.wait_event("progressEnd", TIMEOUT)["body"]
        assert end.get("message") == "cancelled"
    if how == "terminate":
        disconnect(c)
    else:
        assert c.wait_exit(TIMEOUT) == 0
    for p in building:
        assert wait_gone(p), f"{p} ({dap_client.cmdline(p)}) outlived the build"
    assert os.listdir(tmpdir) == [], os.listdir(tmpdir)


def test_build_failure_reported(godap, go_tc):
    """A failed build answers the launch with the compiler's messages."""
    c = godap.start(go_tc)
    init(c)
    r = c.request("launch", launch_args(fixture_dir("badbuild")), timeout=LAUNCH_TIMEOUT)
    assert r["success"] is False
    line = marker_line(fixture_src("badbuild"), "BADLINE")
    assert f"main.go:{line}" in r["message"], r["message"]
    assert r["body"]["error"]["showUser"] is True
    disconnect(c)


# ------------------------------------------------------------ Go versions

def with_build_version(src, dst, minor):
    """Copies the binary src to dst with the Go version of its build info
    (.go.buildinfo: a 32-byte header, then the uvarint-prefixed version)
    changed to go1.<minor>, same length: what godap reads to name the
    toolchain.  The code is untouched."""
    data = bytearray(open(src, "rb").read())
    at = data.find(b"\xff Go buildinf:")
    assert at >= 0, "no build info"
    n = data[at + 32]
    version = data[at + 33:at + 33 + n].decode()
    assert version.startswith("go1.") and version[4:6].isdigit(), version
    data[at + 33 + 4:at + 33 + 6] = b"%02d" % minor
    open(dst, "wb").write(bytes(data))
    os.chmod(dst, 0o755)
    return version[:4] + "%02d" % minor + version[6:]


def test_older_go_is_warned(godap, go_tc, tmp_path):
    exe = str(tmp_path / "old")
    version = with_build_version(go_tc.build("session"), exe, 19)
    c = godap.start(go_tc)
    init(c)
    launch_ok(c, exe, "exec", args=["env"])
    c.request_ok("configurationDone")
    assert wait_exited(c) == 0
    console = c.output_text("console")
    assert f"built by {version}, older than the Go versions godap supports (1.22 to 1.27)" \
        in console, console
    disconnect(c)


def test_supported_go_not_warned(godap, go_tc):
    c = session_exec(godap, go_tc, "env")
    c.request_ok("configurationDone")
    assert wait_exited(c) == 0
    assert "warning" not in c.output_text("console"), c.output_text("console")
    disconnect(c)


# ------------------------------------------------------------ attach

def read_lines_until(f, pred, limit=1000):
    """Reads lines of the program's stdout until pred(line) holds."""
    for _ in range(limit):
        line = f.readline()
        assert line, "the program's stdout ended"
        if pred(line):
            return line
    raise AssertionError("no such line")


def tick_no(line):
    assert line.startswith(b"tick "), line
    return int(line.split()[1])


def attach_and_break(c, pid, prog, src):
    """The attached program runs on after configurationDone (its output
    keeps coming); a breakpoint set then stops it on a goroutine that
    threads lists."""
    proc = c.wait_event("process", TIMEOUT)["body"]
    assert proc["systemProcessId"] == pid and proc["startMethod"] == "attach", proc
    c.request_ok("configurationDone")
    first = tick_no(prog.stdout.readline())
    later = tick_no(read_lines_until(prog.stdout, lambda l: tick_no(l) >= first + 3))
    assert later >= first + 3
    assert not c.events("stopped")
    bp = set_breakpoints(c, src, [marker_line(src, "BPTICK")])[0]
    assert bp["verified"], bp
    ev = wait_stopped(c, "breakpoint")
    ids = [t["id"] for t in c.request_ok("threads")["threads"]]
    assert ev["threadId"] in ids, (ev, ids)
    frame = top_frame(c, ev["threadId"])
    assert frame["name"] == "main.tick", frame
    set_breakpoints(c, src, [])


def check_runs_on(prog, pid):
    """Detached: untraced, and its output still comes."""
    assert tracer_of(pid) == 0
    n = tick_no(prog.stdout.readline())
    assert tick_no(read_lines_until(prog.stdout, lambda l: tick_no(l) >= n + 3)) >= n + 3
    assert prog.poll() is None


def ticking(exe):
    """The session fixture printing a tick a second, started outside godap."""
    return running_program([exe, "tick"], b"tick 1")


def attached(godap, go_tc, prog, **extra):
    """A client attached to prog, before configurationDone."""
    c = godap.start(go_tc)
    init(c)
    c.request_ok("attach", {"request": "attach", "processId": prog.pid, **extra})
    c.wait_event("initialized", TIMEOUT)
    return c


def test_attach_runs_on_until_breakpoint_then_detach(godap, go_tc):
    with ticking(go_tc.build("session")) as prog:
        c = attached(godap, go_tc, prog, mode="local")
        attach_and_break(c, prog.pid, prog, SESSION)
        disconnect(c)
        check_runs_on(prog, prog.pid)


def test_attach_stop_on_entry_names_listed_goroutine(godap, go_tc):
    with ticking(go_tc.build("session")) as prog:
        c = attached(godap, go_tc, prog, stopOnEntry=True)
        c.request_ok("configurationDone")
        ev = wait_stopped(c, "entry")
        ids = [t["id"] for t in c.request_ok("threads")["threads"]]
        assert ev["threadId"] in ids and ev["threadId"] != prog.pid, (ev, ids, prog.pid)
        assert c.request_ok("stackTrace", {"threadId": ev["threadId"]})["stackFrames"]
        disconnect(c)
        check_runs_on(prog, prog.pid)


def test_attach_wait_for(godap, go_tc, tmp_path):
    """waitFor: godap polls until a process of that name starts, then
    attaches to it."""
    exe = str(tmp_path / "godap-waitfor-prog")
    with open(go_tc.build("session"), "rb") as src, open(exe, "wb") as dst:
        dst.write(src.read())
    os.chmod(exe, 0o755)
    c = godap.start(go_tc)
    init(c)
    seq = c.send_request("attach", {"request": "attach", "waitFor": exe})
    c.wait_output("Waiting for a process named", "console", TIMEOUT)
    # Still waiting, still answering.
    assert c.request_ok("threads") == {"threads": []}
    assert seq not in c.responses
    with ticking(exe) as prog:
        r = c.wait_response(seq)
        assert r["success"], r
        c.wait_event("initialized", TIMEOUT)
        attach_and_break(c, prog.pid, prog, SESSION)
        disconnect(c)
        check_runs_on(prog, prog.pid)


def test_attach_wait_for_cancelled(godap, go_tc):
    c = godap.start(go_tc)
    init(c)
    seq = c.send_request("attach", {"request": "attach", "waitFor": "godap-no-such-program"})
    c.wait_output("Waiting for a process named", "console", TIMEOUT)
    c.request_ok("disconnect", {})
    r = c.wait_response(seq)
    assert r["success"] is False and "cancelled" in r["message"], r
    assert c.wait_exit(TIMEOUT) == 0


# ------------------------------------------------------------ restart

def eval_in_top(c, thread_id, expr):
    frame = top_frame(c, thread_id)
    return c.request_ok("evaluate", {"expression": expr, "frameId": frame["id"],
                                     "context": "watch"})["result"]


def test_restart_starts_over(godap, go_tc):
    """restart: the counter is back at 1, the program was built again, the
    breakpoint kept its id and stops the new program."""
    c = godap.start(go_tc)
    body = init(c)
    assert body.get("supportsRestartRequest") is True, body
    launch_ok(c, fixture_dir("session"), "debug", args=["count"])
    pid1 = c.wait_event("process", TIMEOUT)["body"]["systemProcessId"]
    bp = set_breakpoints(c, SESSION, [marker_line(SESSION, "BPCOUNT")])[0]
    assert bp["verified"], bp
    c.request_ok("configurationDone")
    ev = wait_stopped(c, "breakpoint")
    assert eval_in_top(c, ev["threadId"], "i") == "1"
    c.request_ok("continue", {"threadId": ev["threadId"]})
    ev = wait_stopped(c, "breakpoint")
    assert eval_in_top(c, ev["threadId"], "i") == "2"
    assert c.output_text("console").count("Building ") == 1

    c.request_ok("restart", {}, timeout=LAUNCH_TIMEOUT)
    pid2 = c.wait_event("process", TIMEOUT)["body"]["systemProcessId"]
    assert pid2 != pid1 and wait_gone(pid1)
    ev = wait_stopped(c, "breakpoint")
    assert ev["hitBreakpointIds"] == [bp["id"]], ev
    assert eval_in_top(c, ev["threadId"], "i") == "1"
    assert c.output_text("console").count("Building ") == 2
    assert not c.events("terminated") and not c.events("initialized")[1:]
    c.request_ok("continue", {"threadId": ev["threadId"]})
    ev = wait_stopped(c, "breakpoint")
    assert eval_in_top(c, ev["threadId"], "i") == "2"
    assert output_lines(c, "stdout") == ["count 1", "count 1"], c.output_text()
    disconnect(c)


def test_restart_with_new_arguments(godap, go_tc):
    """restart with 'arguments': the new configuration is used."""
    exe = go_tc.build("session")
    c = godap.start(go_tc)
    init(c)
    launch_ok(c, exe, "exec", args=["stubborn"])
    c.request_ok("configurationDone")
    c.wait_output("stubborn: ready\n", "stdout", RUN_TIMEOUT)
    c.request_ok("restart", {"arguments": launch_args(exe, "exec", args=["env"],
                                                      env={"GODAP_A": "restarted"})})
    assert wait_exited(c) == 0
    assert "GODAP_A=restarted" in output_lines(c, "stdout"), c.output_text()
    disconnect(c)


# ------------------------------------------------------------ terminal

class TerminalClient:
    """Answers runInTerminal as an editor would, starting the command
    itself; its stdin/stdout stand for the terminal."""

    def __init__(self, c):
        self.procs = []
        self.requests = []
        c.reverse_handlers["runInTerminal"] = self.run

    def run(self, args):
        self.requests.append(args)
        env = dict(os.environ)
        for k, v in (args.get("env") or {}).items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = v
        p = subprocess.Popen(args["args"], cwd=args.get("cwd") or None, env=env,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
        self.procs.append(p)
        return True, {"processId": p.pid}

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
            p.wait()
            for f in (p.stdin, p.stdout):
                try:
                    f.close()
                except OSError:
                    pass


@pytest.mark.parametrize("console", ["integratedTerminal", "externalTerminal"])
def test_console_terminal(godap, go_tc, console):
    """The program runs in the client's terminal: it reads the line typed
    there and prints to it; godap traces it from the start (a breakpoint
    set before configurationDone stops it)."""
    c = godap.start(go_tc)
    term = TerminalClient(c)
    try:
        init(c, run_in_terminal=True)
        launch_ok(c, fixture_dir("session"), "debug", args=["echo"], console=console,
                  env={"GODAP_A": "terminal"})
        assert len(term.requests) == 1
        req = term.requests[0]
        assert req["kind"] == ("integrated" if console == "integratedTerminal" else "external")
        assert req["env"] == {"GODAP_A": "terminal"}, req
        prog = term.procs[0]
        proc = c.wait_event("process", TIMEOUT)["body"]
        assert proc["systemProcessId"] == prog.pid, (proc, prog.pid)
        line = marker_line(SESSION, "BPECHO")
        assert set_breakpoints(c, SESSION, [line])[0]["verified"]
        c.request_ok("configurationDone")
        assert prog.stdout.readline() == b"echo: type a line\n"
        prog.stdin.write(b"hello from the terminal\n")
        prog.stdin.flush()
        ev = wait_stopped(c, "breakpoint")
        assert eval_in_top(c, ev["threadId"], "line") == '"hello from the terminal\\n"'
        c.request_ok("continue", {"threadId": ev["threadId"]})
        assert prog.stdout.readline() == b'echo: got "hello from the terminal"\n'
        assert wait_exited(c) == 0
        assert c.output_text("stdout") == "" and c.output_text("stderr") == ""
        disconnect(c)
        assert prog.wait(TIMEOUT) == 0
    finally:
        term.close()


def test_console_terminal_no_debug(godap, go_tc):
    """noDebug in the terminal: untraced, stdin/stdout are the terminal's,
    the exit code still comes back; a breakpoint never stops."""
    c = godap.start(go_tc)
    term = TerminalClient(c)
    try:
        init(c, run_in_terminal=True)
        launch_ok(c, go_tc.build("session"), "exec", args=["echo"],
                  console="integratedTerminal", noDebug=True)
        bp = set_breakpoints(c, SESSION, [marker_line(SESSION, "BPECHO")])[0]
        assert bp["verified"] is False
        c.request_ok("configurationDone")
        prog = term.procs[0]
        assert prog.stdout.readline() == b"echo: type a line\n"
        prog.stdin.write(b"untraced\n")
        prog.stdin.flush()
        assert prog.stdout.readline() == b'echo: got "untraced"\n'
        assert wait_exited(c) == 0
        assert not c.events("stopped")
        disconnect(c)
        assert prog.wait(TIMEOUT) == 0
    finally:
        term.close()


def test_console_terminal_needs_run_in_terminal(godap, go_tc):
    c = godap.start(go_tc)
    init(c, run_in_terminal=False)
    r = c.request("launch", launch_args(go_tc.build("session"), "exec", args=["echo"],
                                        console="integratedTerminal"))
    assert r["success"] is False
    assert "runInTerminal" in r["message"] and "internalConsole" in r["message"], r
    disconnect(c)


def test_console_terminal_refused_by_client(godap, go_tc):
    c = godap.start(go_tc)
    c.reverse_handlers["runInTerminal"] = lambda args: (False, "no terminal here")
    init(c, run_in_terminal=True)
    r = c.request("launch", launch_args(go_tc.build("session"), "exec", args=["echo"],
                                        console="integratedTerminal"))
    assert r["success"] is False and "no terminal here" in r["message"], r
    disconnect(c)


def test_restart_attach(godap, go_tc):
    """restart of an attach: detached and attached again to the same
    process, the breakpoint kept."""
    with ticking(go_tc.build("session")) as prog:
        c = attached(godap, go_tc, prog)
        bp = set_breakpoints(c, SESSION, [marker_line(SESSION, "BPTICK")])[0]
        c.request_ok("configurationDone")
        ev = wait_stopped(c, "breakpoint")
        c.request_ok("restart", {})
        first = c.wait_event("process", TIMEOUT)["body"]
        again = c.wait_event("process", TIMEOUT)["body"]
        assert first["systemProcessId"] == again["systemProcessId"] == prog.pid, (first, again)
        ev = wait_stopped(c, "breakpoint")
        assert ev["hitBreakpointIds"] == [bp["id"]], ev
        assert top_frame(c, ev["threadId"])["name"] == "main.tick"
        set_breakpoints(c, SESSION, [])
        disconnect(c)
        check_runs_on(prog, prog.pid)


def test_build_dir_gone_when_program_exits(godap, go_tc, tmp_path):
    """An editor may kill godap right after 'terminated' (Emacs does when it
    exits): the build directory must already be gone by then."""
    from godap_testlib import initialize, launch
    tmp = tmp_path / "tmpdir"
    tmp.mkdir()
    c = godap.start(go_tc, env={"TMPDIR": str(tmp)})
    initialize(c)
    assert launch(c, fixture_dir("basic"))["success"]
    c.wait_event("initialized", TIMEOUT)
    c.request_ok("configurationDone")
    c.wait_event("terminated", RUN_TIMEOUT)
    assert [p.name for p in tmp.iterdir() if p.name.startswith("godap-build-")] == []
    c.proc.kill()
    c.proc.wait(TIMEOUT)
