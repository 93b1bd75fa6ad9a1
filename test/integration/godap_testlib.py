"""Helpers shared by the integration tests: fixture sources and markers,
and the usual DAP conversation steps with their checks."""

import contextlib
import os
import re
import subprocess
import time

import dap_client

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
FIXTURES = os.path.join(REPO, "test", "fixtures")

# A launch in mode "debug" runs `go build`; the first one per toolchain
# compiles the standard library without optimisations.
LAUNCH_TIMEOUT = 600.0
TIMEOUT = 30.0
# Running a fixture to its end (or to a breakpoint) under ptrace.
RUN_TIMEOUT = 60.0


def fixture_dir(name):
    return os.path.join(FIXTURES, name)


def fixture_src(name, file="main.go"):
    return os.path.join(FIXTURES, name, file)


_marker_cache = {}


def marker_line(path, marker):
    """The 1-based line of the comment '// MARKER' in path (exactly one)."""
    key = (path, marker)
    if key not in _marker_cache:
        rx = re.compile(r"//\s*" + re.escape(marker) + r"\b")
        with open(path, encoding="utf-8") as f:
            hits = [i + 1 for i, line in enumerate(f) if rx.search(line)]
        assert len(hits) == 1, f"marker {marker} occurs {len(hits)} times in {path}"
        _marker_cache[key] = hits[0]
    return _marker_cache[key]


def same_file(a, b):
    return os.path.realpath(a) == os.path.realpath(b)


# ---------------------------------------------------------------- steps

def initialize(c):
    body = c.request_ok("initialize", {
        "clientID": "godap-tests", "clientName": "godap tests",
        "adapterID": "godap", "pathFormat": "path",
        "linesStartAt1": True, "columnsStartAt1": True,
        "supportsVariableType": True, "supportsRunInTerminalRequest": False,
        "locale": "en-us",
    })
    assert isinstance(body, dict)
    return body


def launch_args(program, mode="debug", **extra):
    a = {"request": "launch", "name": "test", "type": "godap",
         "mode": mode, "program": program}
    a.update(extra)
    return a


def launch(c, program, mode="debug", **extra):
    """Sends launch; returns the response (success or not)."""
    return c.request("launch", launch_args(program, mode, **extra),
                     timeout=LAUNCH_TIMEOUT)


def set_breakpoints(c, path, lines):
    body = c.request_ok("setBreakpoints", {
        "source": {"path": path, "name": os.path.basename(path)},
        "breakpoints": [{"line": ln} for ln in lines],
        "lines": list(lines),
    })
    bps = body.get("breakpoints")
    assert isinstance(bps, list) and len(bps) == len(lines), body
    return bps


def start(c, program, mode="debug", breakpoints=None, function_breakpoints=None,
          **extra):
    """initialize, launch (must succeed), initialized, setBreakpoints for
    {path: [lines]}, setFunctionBreakpoints for [{"name": ...}],
    configurationDone: every breakpoint is in place before the program
    runs.  Returns {path: [breakpoint]} (function breakpoints under
    "functions")."""
    initialize(c)
    resp = launch(c, program, mode, **extra)
    assert resp["success"], f"launch failed: {resp.get('message')}"
    c.wait_event("initialized", TIMEOUT)
    result = {}
    for path, lines in (breakpoints or {}).items():
        result[path] = set_breakpoints(c, path, lines)
    if function_breakpoints:
        result["functions"] = c.request_ok("setFunctionBreakpoints", {
            "breakpoints": function_breakpoints})["breakpoints"]
    c.request_ok("configurationDone")
    return result


def wait_stopped(c, reason=None, timeout=RUN_TIMEOUT):
    ev = c.wait_event("stopped", timeout)
    body = ev.get("body") or {}
    if reason is not None:
        assert body.get("reason") == reason, f"stopped for {body.get('reason')!r}, want {reason!r}: {body}"
    return body


def stack(c, thread_id, start_frame=None, levels=None):
    args = {"threadId": thread_id}
    if start_frame is not None:
        args["startFrame"] = start_frame
    if levels is not None:
        args["levels"] = levels
    body = c.request_ok("stackTrace", args)
    frames = body.get("stackFrames")
    assert isinstance(frames, list), body
    return body


def frame_run(names, want):
    """The index where `want` (regexes, one per frame) matches a run of
    consecutive names of `names` (frame names); fails showing them."""
    for i in range(len(names) - len(want) + 1):
        if all(re.fullmatch(w, n) for w, n in zip(want, names[i:])):
            return i
    raise AssertionError(f"no run {want} in {names}")


def top_frame(c, thread_id):
    frames = stack(c, thread_id, 0, 1)["stackFrames"]
    assert frames, "no frames"
    return frames[0]


def wait_exited(c, timeout=RUN_TIMEOUT):
    """Waits for exited then terminated; returns the exit code."""
    ev = c.wait_event("exited", timeout)
    code = (ev.get("body") or {}).get("exitCode")
    c.wait_event("terminated", TIMEOUT)
    return code


def disconnect(c, **args):
    """disconnect must succeed and godap must then exit 0."""
    c.request_ok("disconnect", args or {"restart": False})
    rc = c.wait_exit(TIMEOUT)
    assert rc == 0, f"godap exited with {rc} after disconnect{c._tail()}"


def output_lines(c, category):
    return c.output_text(category).splitlines()


def wait_gone(pid, timeout=10.0):
    """True once pid is no longer a live process (gone or a zombie)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not dap_client.pid_alive(pid):
            return True
        time.sleep(0.05)
    return False


def next_stop_or_exit(c, timeout=RUN_TIMEOUT):
    """The next unconsumed `stopped` event (consumed) or `exited` event (left
    for wait_exited)."""
    def find():
        for i, m in enumerate(c.messages):
            if i in c._consumed or m["type"] != "event":
                continue
            if m.get("event") == "stopped":
                c._consumed.add(i)
                return m
            if m.get("event") == "exited":
                return m
        return None
    return c._wait("stopped or exited event", find, timeout)


@contextlib.contextmanager
def running_program(argv, first_line):
    """A program started outside godap, to attach to: yielded once its
    first line of output starts with first_line (bytes), so it is past its
    start; killed and reaped at the end whatever happened."""
    prog = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        line = prog.stdout.readline()
        assert line.startswith(first_line), line
        yield prog
    finally:
        prog.kill()
        prog.wait()
        prog.stdout.close()
