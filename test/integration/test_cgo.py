"""A cgo program: frames outside Go's DWARF (the dynamic loader, C code)
are walked with libunwind-ptrace; a goroutine inside a C call shows its Go
callers."""

import re

from godap_testlib import (disconnect, fixture_dir, fixture_src, frame_run,
                           marker_line, same_file, stack, start, wait_exited,
                           wait_stopped)


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


def test_cgo_callback_and_c_frames_live(godap, go_tc):
    """Stopped in Go code that C called back: the goroutine's stack goes
    from the callback through the C frames that called it (crosscall2, the
    export wrapper, the C function: unwound with libunwind-ptrace from the
    registers the walk has there) to the Go code that called C.  Another
    goroutine, blocked in C, shows its C frames then its Go callers."""
    binary = go_tc.build("corecgocrash")
    src = fixture_src("corecgocrash")
    csrc = fixture_src("corecgocrash", "crash.c")
    c = godap.start(go_tc)
    # The breakpoint is hit before the program crashes (it would in
    # gopanic mode, after its callback goroutine parks); the session ends
    # there.
    start(c, binary, "exec", breakpoints={src: [marker_line(src, "GO_PARKED")]},
          args=["gopanic"])
    ev = wait_stopped(c, "breakpoint")
    frames = stack(c, ev["threadId"])["stackFrames"]
    names = [f["name"] for f in frames]
    assert names[0] == "main.goParked" and frames[0]["line"] == marker_line(src, "GO_PARKED")
    i = frame_run(names, [r"runtime\.cgocallback", "crosscall2", "goParked", "ccallpark",
                          r"_cgo_\w+_Cfunc_ccallpark", r"runtime\.asmcgocall",
                          r"runtime\.systemstack_switch", r"runtime\.cgocall",
                          r"main\._Cfunc_ccallpark", r"main\.inCallback"])
    assert same_file(frames[i + 3]["source"]["path"], csrc)
    assert frames[i + 3]["line"] == marker_line(csrc, "C_CALLS_PARKED")
    assert frames[i + 9]["line"] == marker_line(src, "GO_CALLS_CCALLPARK")

    found = 0
    for t in c.request_ok("threads")["threads"]:
        fs = stack(c, t["id"])["stackFrames"]
        ns = [f["name"] for f in fs]
        if "main.inC" not in ns:
            continue
        found += 1
        j = frame_run(ns, ["cblock", r"_cgo_\w+_Cfunc_cblock", r"runtime\.asmcgocall",
                           r"runtime\.cgocall", r"main\._Cfunc_cblock", r"main\.inC"])
        assert fs[j]["line"] == marker_line(csrc, "CBLOCK_READ"), fs[j]
    assert found == 1
    disconnect(c)


def test_cgo_fault_in_c_live(godap, go_tc):
    """A NULL write in C: no panic, the runtime dies of the signal
    (runtime.fatalsignal).  The runtime-fatal-throw filter stops there with
    the text it then prints; the stack crosses the signal frame into the C
    frames (libunwind-ptrace from the signal's registers), then the Go
    code that called C.  Continuing, the program prints that text and
    exits 2."""
    binary = go_tc.build("corecgocrash")
    src = fixture_src("corecgocrash")
    csrc = fixture_src("corecgocrash", "crash.c")
    c = godap.start(go_tc)
    start(c, binary, "exec", args=["cnull"])
    ev = wait_stopped(c, "exception")
    desc = ev["description"]
    m = re.fullmatch(r"SIGSEGV: segmentation violation PC=(0x[0-9a-f]+) m=\d+ sigcode=1 "
                     r"addr=0x0 \(signal arrived during cgo execution\)", desc)
    assert m, ev
    assert ev["threadId"] == 1
    info = c.request_ok("exceptionInfo", {"threadId": 1})
    assert info["exceptionId"] == "fatal error" and info["description"] == desc
    frames = stack(c, 1)["stackFrames"]
    names = [f["name"] for f in frames]
    assert names[0] == "runtime.fatalsignal", names
    i = frame_run(names, [r"runtime\.sigtramp", "cstore", "cnull", r"_cgo_\w+_Cfunc_cnull",
                          r"runtime\.asmcgocall", r"runtime\.cgocall", r"main\._Cfunc_cnull",
                          r"main\.main"])
    assert int(frames[i + 1]["instructionPointerReference"], 16) == int(m.group(1), 16)
    assert same_file(frames[i + 1]["source"]["path"], csrc)
    assert frames[i + 1]["line"] == marker_line(csrc, "C_NULL_WRITE")
    assert frames[i + 2]["line"] == marker_line(csrc, "C_CALLS_STORE")
    assert frames[i + 7]["line"] == marker_line(src, "MAIN_CALLS_CNULL")
    c.request_ok("continue", {"threadId": 1})
    assert wait_exited(c) == 2
    lines = c.output_text("stderr").splitlines()
    assert desc == f"{lines[0]} {lines[1]} ({lines[2]})", lines[:4]
    disconnect(c)
