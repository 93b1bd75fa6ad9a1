"""A cgo program: frames outside Go's DWARF (the dynamic loader, C code)
are walked with libunwind-ptrace; a goroutine inside a C call shows its Go
callers."""

from godap_testlib import (disconnect, fixture_dir, stack, start,
                           wait_exited, wait_stopped)


def test_cgo_entry_and_c_call(godap, go_tc):
    c = godap.start(go_tc)
    start(c, fixture_dir("cgo"), stopOnEntry=True, env={"CGO_ENABLED": "1"})
    ev = wait_stopped(c, "entry")
    frames = stack(c, ev["threadId"])["stackFrames"]
    # The dynamic loader's entry: one native frame, no source.
    assert 1 <= len(frames) <= 4 and "source" not in frames[0], frames
    # Stop where main calls C (an event, not a sleep: the call's 2 s
    # window starts here), then pause until the thread is inside usleep
    # (a pause may land in the few instructions before it).
    r = c.request_ok("setFunctionBreakpoints", {"breakpoints": [
        {"name": "main._Cfunc_csleep"}]})
    assert r["breakpoints"][0]["verified"], r
    c.request_ok("continue", {"threadId": ev["threadId"]})
    ev = wait_stopped(c, "function breakpoint")
    c.request_ok("setFunctionBreakpoints", {"breakpoints": []})
    for _ in range(50):
        c.request_ok("continue", {"threadId": ev["threadId"]})
        c.request_ok("pause", {"threadId": 1})
        ev = wait_stopped(c, "pause")
        names = [f["name"] for f in stack(c, 1)["stackFrames"]]
        if "usleep" in names:
            break
    assert "main._Cfunc_csleep" in names and "main.main" in names, names
    # The thread is in C on the system stack: the C frames come first,
    # named from the libraries' symbols, then the Go callers.
    assert "usleep" in names, names
    assert names.index("usleep") < names.index("main._Cfunc_csleep"), names
    c.request_ok("continue", {"threadId": ev["threadId"]})
    assert wait_exited(c) == 0
    assert "cgo done" in c.output_text("stdout")
    disconnect(c)
