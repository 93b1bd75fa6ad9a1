"""Exception breakpoints (issue 5): unrecovered panics and runtime fatal
errors stop before the runtime prints and exits, with the message as Go
prints it; a recovered panic does not stop."""

import pytest

from godap_testlib import (next_stop_or_exit, TIMEOUT, disconnect, fixture_dir, fixture_src,
                           initialize, launch, marker_line, stack, start,
                           wait_exited, wait_stopped)

SRC = fixture_src("panics")


def run_to_exception(godap, go_tc, mode, **extra):
    c = godap.start(go_tc)
    start(c, fixture_dir("panics"), args=[mode], **extra)
    ev = wait_stopped(c, "exception")
    return c, ev


def test_filters_offered(godap, go_tc):
    c = godap.start(go_tc)
    caps = initialize(c)
    ids = {f["filter"]: f for f in caps["exceptionBreakpointFilters"]}
    assert set(ids) == {"unrecovered-panic", "runtime-fatal-throw"}
    assert all(f["default"] for f in ids.values())
    assert caps.get("supportsExceptionInfoRequest") is True
    disconnect(c)


@pytest.mark.parametrize("mode,text", [
    ("index", "panic: runtime error: index out of range [5] with length 3"),
    ("custom", "panic: my error 7"),
    ("sprintf", "panic: bad value 42"),
    ("int", "panic: 42"),
])
def test_unrecovered_panic(godap, go_tc, mode, text):
    c, ev = run_to_exception(godap, go_tc, mode)
    assert ev["description"] == text, ev
    g = ev["threadId"]
    assert g == 1  # main goroutine panics
    info = c.request_ok("exceptionInfo", {"threadId": g})
    assert info["exceptionId"] == "panic"
    assert info["description"] == text
    assert info["breakMode"] == "unhandled"
    assert "goroutine 1 [running]" in info["details"]["stackTrace"]
    assert "main.main()" in info["details"]["stackTrace"]
    names = [f["name"] for f in stack(c, g)["stackFrames"]]
    assert "main.main" in names, names
    if mode == "index":
        assert "main.index" in names
        f = stack(c, g)["stackFrames"][names.index("main.index")]
        assert f["line"] == marker_line(SRC, "PANIC_INDEX")
    # Continuing lets the program die as Go would.
    c.request_ok("continue", {"threadId": g})
    assert wait_exited(c) == 2
    disconnect(c)


@pytest.mark.parametrize("mode,text", [
    ("deadlock", "fatal error: all goroutines are asleep - deadlock!"),
    ("mapwrite", "fatal error: concurrent map writes"),
])
def test_fatal_errors(godap, go_tc, mode, text):
    c, ev = run_to_exception(godap, go_tc, mode, env={"GOMAXPROCS": "4"})
    assert ev["description"] == text, ev
    info = c.request_ok("exceptionInfo", {"threadId": ev["threadId"]})
    assert info["exceptionId"] == "fatal error"
    threads = c.request_ok("threads")["threads"]
    assert any(t["id"] == ev["threadId"] for t in threads)
    # Other goroutines may detect the same error before the process dies:
    # each is its own stop.
    for _ in range(8):
        c.request_ok("continue", {"threadId": ev["threadId"]})
        got = next_stop_or_exit(c)
        if got["event"] == "exited":
            break
        assert got["body"]["description"] == text
    assert wait_exited(c) == 2
    disconnect(c)


def test_recovered_panic_does_not_stop(godap, go_tc):
    c = godap.start(go_tc)
    start(c, fixture_dir("panics"), args=["recovered"])
    assert wait_exited(c) == 0
    assert "still alive" in c.output_text("stdout")
    assert not c.events("stopped")
    disconnect(c)


def test_filters_off_lets_program_die(godap, go_tc):
    c = godap.start(go_tc)
    initialize(c)
    assert launch(c, fixture_dir("panics"), args=["index"])["success"]
    c.wait_event("initialized", TIMEOUT)
    c.request_ok("setExceptionBreakpoints", {"filters": []})
    c.request_ok("configurationDone")
    assert wait_exited(c) == 2
    assert "index out of range" in c.output_text("stderr")
    disconnect(c)


def test_fault_under_instruction_steps_and_conditional_breakpoint(godap, go_tc):
    """An instruction that faults (a nil dereference) under a single step or
    a displaced step is not retried forever: the program gets its fault and
    panics as it would without a debugger."""
    c = godap.start(go_tc)
    line = marker_line(SRC, "NIL_DEREF")
    start(c, fixture_dir("panics"), args=["nil"], breakpoints={SRC: [line]})
    ev = wait_stopped(c, "breakpoint")
    g = ev["threadId"]
    for _ in range(40):
        c.request_ok("next", {"threadId": g, "granularity": "instruction"})
        ev = wait_stopped(c)
        if ev["reason"] == "exception":
            break
        assert ev["reason"] == "step", ev
        f = stack(c, g, 0, 1)["stackFrames"][0]
        if f["name"] != "main.main":
            break  # the fault took us into the runtime's panic path
    c.request_ok("continue", {"threadId": g})
    ev = wait_stopped(c, "exception")
    assert "nil pointer dereference" in ev["description"], ev
    disconnect(c)
