"""Faults (issue 12): inputs and events that used to crash or hang godap.

Every test ends with check_clean(): no process of the test is left
stopped, traced or a zombie, and no build directory of godap survives
(the autouse fixture of conftest.py also fails on any process left)."""

import os
import signal
import subprocess
import threading
import time

import pytest

import dap_client
from godap_testlib import (RUN_TIMEOUT, TIMEOUT, disconnect, fixture_src,
                           initialize, launch, marker_line, next_stop_or_exit,
                           set_breakpoints,
                           start, wait_exited, wait_gone, wait_stopped)

FAULTS = "faults"
SRC = fixture_src(FAULTS)


# ------------------------------------------------------------ helpers

def _traced_or_stopped(pid):
    """'T'/'t' (stopped, traced) or 'Z' from /proc, or a TracerPid != 0."""
    try:
        with open(f"/proc/{pid}/status") as f:
            status = f.read()
    except OSError:
        return None
    state = tracer = None
    for line in status.splitlines():
        if line.startswith("State:"):
            state = line.split()[1]
        elif line.startswith("TracerPid:"):
            tracer = int(line.split()[1])
    if state in ("T", "t", "Z") or tracer:
        return f"state {state} tracer {tracer}"
    return None


def check_clean(pids=(), build_dirs=()):
    """None of pids is stopped, traced or a zombie (gone is fine), nothing
    under pytest is, and none of build_dirs exists."""
    bad = []
    me = os.getpid()
    table = dap_client.process_table()
    for p in set(pids) | set(dap_client.descendants_of(me, table)):
        why = _traced_or_stopped(p)
        if why and not (why.startswith("state Z") and table.get(p, ("", me))[1] == me
                        and p not in pids):
            bad.append(f"pid {p} {why}: {dap_client.cmdline(p)}")
    for d in build_dirs:
        if d and os.path.exists(d):
            bad.append(f"build directory {d} survived")
    assert not bad, "\n".join(bad)


def exe_dir(pid):
    """The directory of pid's executable (for a build in mode debug: the
    temporary build directory)."""
    return os.path.dirname(os.readlink(f"/proc/{pid}/exe"))


def launch_faults(godap, go_tc, mode_arg, breakpoints=None, **extra):
    """godap running the faults fixture (exec mode) with argument mode_arg;
    breakpoints {marker: extra fields} are set before configurationDone."""
    c = godap.start(go_tc)
    initialize(c)
    resp = launch(c, go_tc.build(FAULTS), "exec", args=[mode_arg], **extra)
    assert resp["success"], resp
    c.wait_event("initialized", TIMEOUT)
    bps = []
    if breakpoints:
        body = c.request_ok("setBreakpoints", {
            "source": {"path": SRC},
            "breakpoints": [dict({"line": marker_line(SRC, m)}, **fields)
                            for m, fields in breakpoints.items()]})
        bps = body["breakpoints"]
    c.request_ok("configurationDone")
    return c, bps


def frame_of(c, tid):
    frames = c.request_ok("stackTrace", {"threadId": tid})["stackFrames"]
    return frames[0]["id"]


def evaluate(c, fid, expr, context="repl"):
    return c.request("evaluate", {"expression": expr, "frameId": fid,
                                  "context": context})


# ------------------------------------------------------------ 3: deep expressions

DEEP = [
    "1" + "+1" * 50000,
    "t" + ".P" * 20000,
    "a" + "[0]" * 20000,
    "n" + "*1" * 50000,
    "(" * 20000 + "n" + ")" * 20000,
    "^" * 50000 + "n",
]


def test_deep_expressions_evaluate_and_set(godap, go_tc):
    """Long left-deep expressions get "expression too deeply nested" from
    evaluate and setExpression; the session goes on (godap and the
    debuggee alive, the next evaluation works)."""
    c, _ = launch_faults(godap, go_tc, "deep", {"BPDEEP": {}})
    tid = wait_stopped(c, "breakpoint")["threadId"]
    pid = c.wait_debuggee()
    fid = frame_of(c, tid)
    for expr in DEEP:
        for ctx in ("repl", "watch", "hover"):
            r = evaluate(c, fid, expr, ctx)
            assert not r["success"], (expr[:20], r)
            assert "too deeply nested" in r["message"], r["message"]
        r = c.request("setExpression", {"expression": "n", "value": expr,
                                        "frameId": fid})
        assert not r["success"] and "too deeply nested" in r["message"], r
        r = c.request("setExpression", {"expression": expr, "value": "1",
                                        "frameId": fid})
        assert not r["success"] and "too deeply nested" in r["message"], r
    # Still alive, and reasonable lengths still evaluate.
    r = evaluate(c, fid, "t" + ".P" * 300 + ".N")
    assert r["success"] and r["body"]["result"] == "1", r
    r = evaluate(c, fid, "a[0][0][0][0] + " + "+".join(["1"] * 300))
    assert r["success"] and r["body"]["result"] == "307", r
    # A pointer to itself: the formatter stops, for the value and its
    # children.
    r = evaluate(c, fid, "s")
    assert r["success"] and "(main.Self)(0x" in r["body"]["result"], r
    ref = r["body"]["variablesReference"]
    for _ in range(50):
        if not ref:
            break
        kids = c.request_ok("variables", {"variablesReference": ref})["variables"]
        ref = kids[0]["variablesReference"] if kids else 0
    c.request_ok("continue", {"threadId": tid})
    assert wait_exited(c) == 0
    disconnect(c)
    check_clean([pid])


def test_deep_condition_and_logpoint(godap, go_tc):
    """A breakpoint condition or logpoint message that is too deeply nested
    makes the breakpoint unverified with the reason; the program runs on
    to its end."""
    deep = "1" + "+1" * 50000
    c, bps = launch_faults(godap, go_tc, "deep", {
        "BPDEEP": {"condition": "n == " + deep}})
    assert not bps[0]["verified"], bps
    assert "too deeply nested" in bps[0].get("message", ""), bps
    assert wait_exited(c) == 0
    disconnect(c)

    c, _ = launch_faults(godap, go_tc, "deep")
    line = marker_line(SRC, "BPDEEP")
    body = c.request_ok("setBreakpoints", {"source": {"path": SRC}, "breakpoints": [
        {"line": line, "logMessage": "v={" + "t" + ".P" * 20000 + "}"}]})
    bp = body["breakpoints"][0]
    assert not bp["verified"] and "too deeply nested" in bp.get("message", ""), bp
    assert wait_exited(c) == 0
    disconnect(c)
    check_clean()


# ------------------------------------------------------------ 6: output as UTF-8

def test_output_utf8_split_and_invalid(godap, go_tc):
    """A character cut at the 64 KiB read boundary arrives whole; invalid
    bytes arrive as U+FFFD (each maximal invalid subpart, as Python's
    errors="replace"); every output event is valid JSON (the client
    records a protocol error otherwise)."""
    c, _ = launch_faults(godap, go_tc, "utf8")
    assert wait_exited(c) == 0
    out = c.output_text("stdout")
    assert "a" * 65535 + "\u00e9\n" in out, repr(out[65530:65545])
    assert "bad:\ufffd\ufffd:end\n" in out, repr(out[-60:])
    assert "cut:\ufffd\n" in out, repr(out[-60:])
    assert out.endswith("done\n"), repr(out[-60:])
    # The cut character was carried over, not replaced.
    assert out.count("\ufffd") == 3, [b["output"][-30:] for b in c.outputs]
    disconnect(c)
    assert not c.protocol_errors, c.protocol_errors
    check_clean()


# ------------------------------------------------------------ 7: unparsable requests

def test_unparsable_request_answered(godap, go_tc):
    """A request whose JSON does not parse is answered (success false, its
    request_seq and command) when its seq can be read, and logged when
    not; the session goes on."""
    c = godap.start(go_tc)
    initialize(c)
    seq = c.next_seq()
    c.send_body(('{"seq": %d, "type": "request", "command": "evaluate", '
                 '"arguments": {"expression": "\\ud800"}}' % seq).encode())
    r = c.wait_response(seq, TIMEOUT)
    assert r["success"] is False and r["command"] == "evaluate", r
    assert "not valid JSON" in r["message"], r
    # seq after the bad part, and a body cut short: still answered.
    seq2 = c.next_seq()
    c.send_body(('{"type": "request", "arguments": {"x": "\\ud800", "y": [1, {"z": "}"}]}, '
                 '"command": "threads", "seq": %d}' % seq2).encode())
    r = c.wait_response(seq2, TIMEOUT)
    assert r["success"] is False and r["command"] == "threads", r
    seq3 = c.next_seq()
    c.send_body(('{"seq": %d, "type": "request", "command": "threads", "argu' % seq3).encode())
    r = c.wait_response(seq3, TIMEOUT)
    assert r["success"] is False and r["command"] == "threads", r
    # No seq to answer: logged on stderr.
    c.send_body(b'{"type": "request", "command": "\\ud800"}')
    c.wait_stderr(lambda t: t.count("not valid JSON") >= 4, TIMEOUT)
    # The session goes on.
    assert c.request_ok("threads") is not None
    disconnect(c)
    check_clean()


# ------------------------------------------------------------ 1: signals

class LineReader:
    """Lines of a pipe, read on a thread; wait_for() has a timeout."""

    def __init__(self, f):
        self.lines = []
        self._cv = threading.Condition()
        self._t = threading.Thread(target=self._run, args=(f,), daemon=True)
        self._t.start()

    def _run(self, f):
        for line in iter(f.readline, b""):
            with self._cv:
                self.lines.append(line.decode("utf-8", "replace").rstrip("\n"))
                self._cv.notify_all()

    def wait_for(self, pred, timeout=RUN_TIMEOUT, start=0):
        deadline = time.monotonic() + timeout
        with self._cv:
            while True:
                for i in range(start, len(self.lines)):
                    if pred(self.lines[i]):
                        return i
                left = deadline - time.monotonic()
                assert left > 0, f"no matching line in {timeout}s: {self.lines[-5:]}"
                self._cv.wait(min(left, 0.2))


def ticks_after(reader, start, n):
    """Waits for n more "tick" lines after index start (the program runs
    through its breakpoints that many times)."""
    i = start
    for _ in range(n):
        i = reader.wait_for(lambda l: l.startswith("tick "), start=i + 1)
    return i


SIGNALS = [signal.SIGTERM, signal.SIGINT, signal.SIGHUP]


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
def test_signal_detaches_attached_program(godap, go_tc, sig):
    """godap attached with a line breakpoint, a function breakpoint and a
    data breakpoint (conditions never true, so the program runs through
    them) gets sig: it takes them all out and detaches; the program runs
    on, untraced, through the places its breakpoints were."""
    exe = go_tc.build(FAULTS)
    prog = subprocess.Popen([exe, "loop"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        out = LineReader(prog.stdout)
        out.wait_for(lambda l: l == "loop: started")
        c = godap.start(go_tc)
        initialize(c)
        c.request_ok("attach", {"request": "attach", "mode": "local",
                                "processId": prog.pid, "stopOnEntry": True})
        c.wait_event("initialized", TIMEOUT)
        bps = c.request_ok("setBreakpoints", {"source": {"path": SRC}, "breakpoints": [
            {"line": marker_line(SRC, "BPTICK"), "condition": "i < 0"}]})["breakpoints"]
        assert bps[0]["verified"], bps
        fbps = c.request_ok("setFunctionBreakpoints", {"breakpoints": [
            {"name": "main.tick", "condition": "i < -1"}]})["breakpoints"]
        assert fbps[0]["verified"], fbps
        c.request_ok("configurationDone")
        tid = wait_stopped(c)["threadId"]
        fid = frame_of(c, tid)
        info = c.request_ok("dataBreakpointInfo", {"name": "main.counter", "frameId": fid})
        dbps = c.request_ok("setDataBreakpoints", {"breakpoints": [
            {"dataId": info["dataId"], "accessType": "write",
             "condition": "counter < 0"}]})["breakpoints"]
        assert dbps[0]["verified"], dbps
        c.request_ok("continue", {"threadId": tid})
        # It runs through its breakpoints under godap...
        i = ticks_after(out, len(out.lines) - 1, 2)
        os.kill(c.pid, sig)
        rc = c.wait_exit(TIMEOUT)
        assert rc == 128 + sig, rc
        # ...and on without godap: no int3, no debug register left.
        ticks_after(out, i, 3)
        assert prog.poll() is None
        check_clean([prog.pid])
    finally:
        prog.kill()
        prog.wait()


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
def test_signal_kills_launched_program(godap, go_tc, sig):
    """A launched program (mode debug) is killed, and its build directory
    removed, when godap gets sig, running or stopped."""
    c = godap.start(go_tc)
    initialize(c)
    resp = launch(c, os.path.dirname(SRC), "debug", args=["loop"])
    assert resp["success"], resp
    c.wait_event("initialized", TIMEOUT)
    set_breakpoints(c, SRC, [marker_line(SRC, "BPTICK")])
    c.request_ok("configurationDone")
    pid = c.wait_debuggee()
    bdir = exe_dir(pid)
    assert os.path.basename(bdir).startswith("godap-build-"), bdir
    if sig == signal.SIGINT:
        # stopped at a breakpoint
        wait_stopped(c, "breakpoint")
    else:
        # running
        tid = wait_stopped(c, "breakpoint")["threadId"]
        set_breakpoints(c, SRC, [])
        c.request_ok("continue", {"threadId": tid})
        c.wait_output("tick 10")
    os.kill(c.pid, sig)
    assert c.wait_exit(TIMEOUT) == 128 + sig
    assert wait_gone(pid)
    check_clean([pid], [bdir])


# ------------------------------------------------------------ 5: a step cut by the exit

@pytest.mark.parametrize("how", ["next", "stepOut"])
def test_exit_during_step(godap, go_tc, how):
    """`next` over os.Exit, or `stepOut` of a function whose caller exits:
    exited and terminated come, and the step's state is freed (the ASan
    binary's LeakSanitizer report fails the test through conftest)."""
    marker = "BPSTEP" if how == "next" else "BPLAST"
    c, _ = launch_faults(godap, go_tc, "steps", {marker: {}})
    tid = wait_stopped(c, "breakpoint")["threadId"]
    pid = c.wait_debuggee()
    if how == "stepOut":
        c.request_ok("stepOut", {"threadId": tid})
        tid = wait_stopped(c, "step")["threadId"]
    # next until the program exits under a step (os.Exit is at most two
    # lines on from where we are)
    for _ in range(3):
        c.request_ok("next", {"threadId": tid})
        ev = next_stop_or_exit(c)
        if ev["event"] == "exited":
            break
        tid = ev["body"]["threadId"]
    assert ev["event"] == "exited", ev
    assert wait_exited(c) == 0
    disconnect(c)
    check_clean([pid])


def test_signal_during_build(godap, go_tc, tmp_path):
    """SIGTERM while `go build` runs (buildFlags -a makes it long): godap
    kills the build with its process group, removes its directory and
    exits at once."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    c = godap.start(go_tc, env={"TMPDIR": str(tmp)})
    initialize(c)
    seq = c.send_request("launch", {"request": "launch", "name": "t", "type": "godap",
                                    "mode": "debug", "program": os.path.dirname(SRC),
                                    "args": ["loop"], "buildFlags": ["-a"]})
    c.wait_output("Building", timeout=TIMEOUT)
    go = None
    deadline = time.monotonic() + TIMEOUT
    while go is None and time.monotonic() < deadline:
        kids = [p for p in c.children() if "go" in dap_client.cmdline(p).split(" ")[0]]
        go = kids[0] if kids else None
        if go is None:
            time.sleep(0.02)
    assert go, c.children()
    dirs = [d for d in os.listdir(tmp) if d.startswith("godap-build-")]
    assert dirs, os.listdir(tmp)
    os.kill(c.pid, signal.SIGTERM)
    assert c.wait_exit(TIMEOUT) == 128 + signal.SIGTERM
    assert wait_gone(go)
    r = c.responses.get(seq)
    assert r is None or r["success"] is False, r
    check_clean([go], [str(tmp / d) for d in dirs])


# ------------------------------------------------------------ 2: a child holds the output

def _child_pid(c):
    c.wait_output("child: started ", timeout=RUN_TIMEOUT)
    text = c.output_text("stdout")
    return int(text.split("child: started ", 1)[1].split()[0])


@pytest.mark.parametrize("end,nodebug", [("disconnect", False), ("stdin", False),
                                         ("disconnect", True)])
def test_child_keeps_output_open(godap, go_tc, end, nodebug):
    """The program exits while a child it started keeps the shared stdout
    open and writing: exited (its code) and terminated come at once, the
    child's output is forwarded for a while, and the session ends on
    disconnect or when stdin closes.  The same without debugging
    (noDebug)."""
    c, _ = launch_faults(godap, go_tc, "child", **({"noDebug": True} if nodebug else {}))
    child = _child_pid(c)
    try:
        t0 = time.monotonic()
        assert wait_exited(c, timeout=TIMEOUT) == 3
        assert time.monotonic() - t0 < 10, "exited came late"
        c.wait_output("child-alive", timeout=TIMEOUT)
        if end == "disconnect":
            disconnect(c)
        else:
            c.close_stdin()
            assert c.wait_exit(TIMEOUT) == 0
    finally:
        try:
            os.kill(child, signal.SIGKILL)
        except ProcessLookupError:
            pass
        wait_gone(child)
        try:
            os.waitpid(child, 0)  # reparented to us (child subreaper)
        except ChildProcessError:
            pass
    check_clean()


# ------------------------------------------------------------ 4: killed while stopped

@pytest.mark.parametrize("then", ["continue", "pause", "threads", "sigchld"])
def test_debuggee_killed_while_stopped(godap, go_tc, then):
    """Someone SIGKILLs the program while it is stopped at a breakpoint:
    godap says exited (128+9, with a console line naming the signal) and
    terminated, at the latest when the next request comes; continue and
    pause do not claim success on the dead process."""
    c, _ = launch_faults(godap, go_tc, "loop", {"BPTICK": {}})
    tid = wait_stopped(c, "breakpoint")["threadId"]
    pid = c.wait_debuggee()
    os.kill(pid, signal.SIGKILL)
    assert wait_gone(pid)  # dead (a zombie until godap reaps it)
    if then == "sigchld":
        # No request at all: the SIGCHLD of the death is enough.
        assert wait_exited(c, timeout=TIMEOUT) == 128 + 9
    else:
        args = {"threadId": tid} if then in ("continue", "pause") else None
        r = c.request(then, args)
        ev = c.wait_event("exited", TIMEOUT)
        assert ev["body"]["exitCode"] == 128 + 9, ev
        c.wait_event("terminated", TIMEOUT)
        if then in ("continue", "pause"):
            assert r["success"] is False, r
            # exited came before the answer
            assert c.index_of(ev) < c.index_of(r), (ev, r)
    assert "SIGKILL" in c.output_text("console")
    disconnect(c)
    check_clean([pid])
