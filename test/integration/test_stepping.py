"""Goroutine-aware execution (issue 3): next / stepIn / stepOut stay on the
user's goroutine whichever thread runs it; goroutines listed; pause; stacks
of parked goroutines; threads born and dying under the debugger.

Each scenario runs with GOMAXPROCS=1 and GOMAXPROCS=8, for every Go
toolchain and godap binary under test.
"""

import os
import re
import time

import pytest

from godap_testlib import (RUN_TIMEOUT, TIMEOUT, disconnect, fixture_dir,
                           fixture_src, marker_line, set_breakpoints, stack,
                           start, top_frame, wait_exited, wait_stopped)

SRC = fixture_src("stepping")


def L(marker):
    return marker_line(SRC, marker)


@pytest.fixture(params=["1", "8"], ids=["procs1", "procs8"])
def gomaxprocs(request):
    return request.param


def launch_stepping(godap, go_tc, procs, args, bps):
    c = godap.start(go_tc)
    start(c, fixture_dir("stepping"), args=args,
          env={"GOMAXPROCS": procs}, breakpoints={SRC: bps})
    return c


def step(c, command, tid, reason="step"):
    c.request_ok(command, {"threadId": tid})
    ev = wait_stopped(c, reason)
    return ev


def line_of(c, tid):
    f = top_frame(c, tid)
    return f["line"], f["name"]


# Lines of work() and which may follow which in one `next`.
def work_transitions():
    a, f, b, i, cc, d = (L("STEP_A"), L("STEP_FOR"), L("STEP_B"),
                         L("STEP_IF"), L("STEP_C"), L("STEP_D"))
    return {a: {f}, f: {b, d}, b: {i}, i: {cc, f}, cc: {f}}


def test_next_stays_on_goroutine_among_200(godap, go_tc, gomaxprocs):
    """200 goroutines run work(); after the first one hits a breakpoint in it,
    100 `next`s all stop on that goroutine, on lines that can follow."""
    c = launch_stepping(godap, go_tc, gomaxprocs, ["many", "200"], [L("STEP_A")])
    ev = wait_stopped(c, "breakpoint")
    g = ev["threadId"]
    assert line_of(c, g) == (L("STEP_A"), "main.work")
    # The user's breakpoint would (rightly) stop other goroutines: clear it.
    set_breakpoints(c, SRC, [])
    trans = work_transitions()
    line = L("STEP_A")
    for n in range(100):
        ev = step(c, "next", g)
        assert ev["threadId"] == g, f"next #{n} stopped on goroutine {ev['threadId']}, not {g}"
        new, name = line_of(c, g)
        assert name == "main.work", (n, name)
        assert new in trans[line], f"next #{n}: line {line} -> {new}"
        line = new
    disconnect(c)


def test_next_across_park_and_wake(godap, go_tc, gomaxprocs):
    """The goroutine parks on a channel in the middle of `next`; another
    goroutine wakes it; the step ends on it, on the next line."""
    c = launch_stepping(godap, go_tc, gomaxprocs, ["block"], [L("BLK_RECV")])
    ev = wait_stopped(c, "breakpoint")
    g = ev["threadId"]
    ev = step(c, "next", g)
    assert ev["threadId"] == g
    assert line_of(c, g) == (L("BLK_AFTER"), "main.blockme")
    ev = step(c, "next", g)
    assert line_of(c, g) == (L("BLK_RET"), "main.blockme")
    disconnect(c)


def test_step_out_returns_to_caller(godap, go_tc, gomaxprocs):
    c = launch_stepping(godap, go_tc, gomaxprocs, ["caller"], [L("ADD_BODY")])
    ev = wait_stopped(c, "breakpoint")
    g = ev["threadId"]
    ev = step(c, "stepOut", g)
    assert ev["threadId"] == g
    assert line_of(c, g) == (L("CALL_ADD"), "main.caller")
    ev = step(c, "next", g)
    assert line_of(c, g) == (L("AFTER_ADD"), "main.caller")
    disconnect(c)


def test_step_in_enters_callee_and_next_returns(godap, go_tc, gomaxprocs):
    c = launch_stepping(godap, go_tc, gomaxprocs, ["caller"], [L("CALL_ADD")])
    ev = wait_stopped(c, "breakpoint")
    g = ev["threadId"]
    step(c, "stepIn", g)
    line, name = line_of(c, g)
    assert name == "main.add"
    # The stop is on add's declaration or its first statement.
    assert line in (L("ADD_BODY") - 1, L("ADD_BODY")), line
    if line != L("ADD_BODY"):
        step(c, "next", g)
        assert line_of(c, g) == (L("ADD_BODY"), "main.add")
    step(c, "next", g)  # return c
    step(c, "next", g)  # back in the caller
    assert line_of(c, g)[1] == "main.caller"
    # stepIn on a line without calls behaves as next.
    while line_of(c, g)[0] != L("AFTER_ADD"):
        step(c, "next", g)
    step(c, "stepIn", g)
    assert line_of(c, g)[1] == "main.caller"
    disconnect(c)


def test_step_in_through_interface_and_closure(godap, go_tc):
    c = launch_stepping(godap, go_tc, "1", ["iface"], [L("IFACE_CALL"), L("CLOSURE_CALL")])
    g = wait_stopped(c, "breakpoint")["threadId"]
    step(c, "stepIn", g)
    line, name = line_of(c, g)
    assert name == "main.Sq.Area", name
    assert line in (L("AREA_BODY") - 1, L("AREA_BODY"))
    c.request_ok("continue", {"threadId": g})
    g = wait_stopped(c, "breakpoint")["threadId"]
    assert line_of(c, g)[0] == L("CLOSURE_CALL")
    step(c, "stepIn", g)
    line, name = line_of(c, g)
    assert name == "main.closureCall.func1", name
    disconnect(c)


def test_next_over_go_statement_stays(godap, go_tc, gomaxprocs):
    c = launch_stepping(godap, go_tc, gomaxprocs, ["spawn"], [L("GO_STMT")])
    g = wait_stopped(c, "breakpoint")["threadId"]
    # The `go func() {` line is also the closure's first line: the new
    # goroutine would (rightly) stop at the breakpoint there, ending the
    # step. Clear it so the test sees what the step itself does.
    set_breakpoints(c, SRC, [])
    ev = step(c, "next", g)
    assert ev["threadId"] == g
    assert line_of(c, g) == (L("AFTER_GO"), "main.spawn")
    disconnect(c)


def test_panic_recovered_during_next_ends_step(godap, go_tc):
    c = launch_stepping(godap, go_tc, "1", ["recover"], [L("RECOVER_PANIC")])
    g = wait_stopped(c, "breakpoint")["threadId"]
    ev = step(c, "next", g)
    assert ev["threadId"] == g
    line, name = line_of(c, g)
    # The panic runs recoverStep's deferred function, where the step
    # stops (as a `next` on a return line stops in deferred calls).
    assert name == "main.recoverStep.func1", (name, line)
    c.request_ok("continue", {"threadId": g})
    wait_exited(c)
    assert "recovered -1" in c.output_text("stdout")
    disconnect(c)


def test_next_on_return_stops_in_deferred_call(godap, go_tc):
    c = launch_stepping(godap, go_tc, "1", ["defer"], [L("DEFER_RET")])
    g = wait_stopped(c, "breakpoint")["threadId"]
    ev = step(c, "next", g)
    assert ev["threadId"] == g
    line, name = line_of(c, g)
    if name == "main.deferred":
        # Go 1.26 runs the deferred calls from the closing line.
        assert line == L("DEFER_END"), line
        step(c, "next", g)
        line, name = line_of(c, g)
    assert name == "main.deferred.func1", name
    assert line in (L("DEFER_DECL"), L("DEFER_BODY")), line
    disconnect(c)


def test_instruction_step(godap, go_tc):
    c = launch_stepping(godap, go_tc, "1", ["caller"], [L("ADD_BODY")])
    g = wait_stopped(c, "breakpoint")["threadId"]
    pc0 = int(top_frame(c, g)["instructionPointerReference"], 16)
    c.request_ok("next", {"threadId": g, "granularity": "instruction"})
    ev = wait_stopped(c, "step")
    assert ev["threadId"] == g
    pc1 = int(top_frame(c, g)["instructionPointerReference"], 16)
    assert 0 < pc1 - pc0 <= 15, (hex(pc0), hex(pc1))
    disconnect(c)


def test_pause_busy_program(godap, go_tc, gomaxprocs):
    # The 100th call of work: the goroutines are busy (an event, not a
    # sleep, says so); then pause the program running without breakpoints.
    c = godap.start(go_tc)
    start(c, fixture_dir("stepping"), args=["many", "8"], env={"GOMAXPROCS": gomaxprocs},
          function_breakpoints=[{"name": "main.work", "hitCondition": "== 100"}])
    ev = wait_stopped(c, "function breakpoint")
    c.request_ok("setFunctionBreakpoints", {"breakpoints": []})
    c.request_ok("continue", {"threadId": ev["threadId"]})
    c.request_ok("pause", {"threadId": 1})
    ev = wait_stopped(c, "pause")
    g = ev["threadId"]
    threads = c.request_ok("threads")["threads"]
    assert any(t["id"] == g for t in threads), (g, threads)
    frames = stack(c, g)["stackFrames"]
    assert frames and frames[-1]["name"] in ("runtime.goexit", "runtime.main", "main.main") or len(frames) > 0
    # Continue and pause again: still fine.
    c.request_ok("continue", {"threadId": g})
    c.request_ok("pause", {"threadId": g})
    wait_stopped(c, "pause")
    disconnect(c)


def test_threads_10000_goroutines_and_parked_stack(godap, go_tc):
    c = launch_stepping(godap, go_tc, "8", ["park", "10000"], [L("READY")])
    ev = wait_stopped(c, "breakpoint", timeout=RUN_TIMEOUT * 2)
    t0 = time.monotonic()
    threads = c.request_ok("threads", timeout=60)["threads"]
    elapsed = time.monotonic() - t0
    # All 10000 are listed.  A goroutine can be caught between wg.Done and
    # parking on the channel (GOMAXPROCS=8), so it is named after the sync
    # function it is in; every other one is parked in main.parked.
    mine = [t for t in threads if "main.parked" in t["name"] or "] sync." in t["name"]]
    assert len(mine) == 10000, (len(mine), [t["name"] for t in threads
                                             if "main.parked" not in t["name"]][:20])
    parked = [t for t in mine if "(chan receive)" in t["name"]]
    assert len(parked) >= 9900, len(parked)
    assert all(t["name"].endswith("main.parked (chan receive)") for t in parked), parked[:3]
    assert any(t["id"] == ev["threadId"] for t in threads)
    # A parked goroutine's stack: through the runtime to goexit.
    frames = stack(c, parked[0]["id"])["stackFrames"]
    names = [f["name"] for f in frames]
    assert "main.parked" in names, names
    assert names[-1] == "runtime.goexit", names
    pf = frames[names.index("main.parked")]
    assert pf["line"] == L("PARKED")
    print(f"threads with 10000 goroutines: {elapsed:.3f}s")
    disconnect(c)


def test_hide_system_goroutines(godap, go_tc):
    c = godap.start(go_tc)
    start(c, fixture_dir("stepping"), args=["park", "10"],
          hideSystemGoroutines=True, breakpoints={SRC: [L("READY")]})
    wait_stopped(c, "breakpoint")
    names = [t["name"] for t in c.request_ok("threads")["threads"]]
    assert not any("runtime." in n.split("] ", 1)[1].split(" (")[0] for n in names), names
    assert sum("main.parked" in n for n in names) == 10
    disconnect(c)


def _hidden_view(c):
    return {t["id"]: t["name"] for t in c.request_ok("threads")["threads"]}


@pytest.mark.parametrize("mode,marker,fn", [
    ("finalizer", "FINALIZER", "main.finalize"),
    ("cleanup", "CLEANUP", "main.cleanupFn")])
def test_finalizer_goroutines_are_user_code_while_in_user_code(godap, go_tc, mode, marker, fn):
    """The runtime's rule: the finalizer goroutine (and, Go 1.24+, a cleanup
    goroutine) is a system goroutine except while it runs user code. With
    hideSystemGoroutines, a stop inside the finalizer still lists it, and
    the other goroutines of the runtime stay hidden."""
    minor = int(re.match(r"go1\.(\d+)", go_tc.version).group(1))
    if mode == "cleanup" and minor < 24:
        pytest.skip("runtime.AddCleanup needs Go 1.24")
    src = SRC if mode == "finalizer" else os.path.join(os.path.dirname(SRC), "cleanup_go124.go")
    line = marker_line(src, marker)
    c = godap.start(go_tc)
    start(c, fixture_dir("stepping"), args=[mode], hideSystemGoroutines=True,
          breakpoints={src: [line]})
    ev = wait_stopped(c, "breakpoint")
    g = ev["threadId"]
    view = _hidden_view(c)
    assert g in view, (g, view)
    assert fn in view[g], view[g]
    assert top_frame(c, g)["line"] == line
    # The only other goroutine listed is main's (in time.Sleep).
    assert set(view) == {1, g}, view
    disconnect(c)


def _stop_at_function(godap, go_tc, mode, fn, condition=None, first_line=None):
    """Stops at function fn; with first_line, fn's breakpoint is set once
    the program stopped there (so fn's earlier calls do not count).
    Either way every breakpoint is in place before the program runs on:
    none races the program."""
    c = godap.start(go_tc)
    bp = {"name": fn}
    if condition:
        bp["condition"] = condition
    if not first_line:
        r = start(c, fixture_dir("stepping"), args=[mode], function_breakpoints=[bp])
        assert r["functions"][0]["verified"], r
    else:
        start(c, fixture_dir("stepping"), args=[mode], breakpoints={SRC: [first_line]})
        ev = wait_stopped(c, "breakpoint")
        r = c.request_ok("setFunctionBreakpoints", {"breakpoints": [bp]})
        assert r["breakpoints"][0]["verified"], r
        c.request_ok("continue", {"threadId": ev["threadId"]})
    ev = wait_stopped(c, "function breakpoint")
    frames = stack(c, ev["threadId"])["stackFrames"]
    return c, ev, frames


def test_stack_through_systemstack(godap, go_tc):
    """A goroutine whose thread runs readmemstats_m on the system stack:
    its stack starts where the thread is, on g0, and continues on the
    goroutine's own stack after runtime.systemstack."""
    c, ev, frames = _stop_at_function(godap, go_tc, "sysstack", "runtime.readmemstats_m")
    names = [f["name"] for f in frames]
    assert ev["threadId"] == 1
    assert names[0] == "runtime.readmemstats_m", names
    i = names.index("runtime.systemstack")
    assert names[i + 1] == "runtime.ReadMemStats", names
    assert names[i + 2] == "main.memStats", names
    assert frames[i + 2]["line"] == L("SYSSTACK_CALL")
    assert names[-1] == "runtime.goexit", names
    disconnect(c)


def test_stack_through_mcall(godap, go_tc):
    """park_m runs on g0 through mcall for the goroutine that parks: its
    stack goes on from the gopark that called mcall."""
    c, ev, frames = _stop_at_function(godap, go_tc, "block", "runtime.park_m")
    names = [f["name"] for f in frames]
    assert names[:3] == ["runtime.park_m", "runtime.mcall", "runtime.gopark"], names
    assert names[-1] == "runtime.goexit", names
    disconnect(c)


def test_stack_through_signal_handler(godap, go_tc):
    """A nil dereference: the thread is in the runtime's SIGSEGV handler on
    the signal stack; the goroutine's stack crosses the signal frame to the
    faulting instruction in main.nilDeref."""
    c, ev, frames = _stop_at_function(godap, go_tc, "sigsegv", "runtime.sighandler",
                                      condition="sig == 11", first_line=L("NIL_DEREF"))
    names = [f["name"] for f in frames]
    i = names.index("runtime.sigtramp")
    assert names[0] == "runtime.sighandler", names
    assert names[i + 1] == "main.nilDeref", names
    assert frames[i + 1]["line"] == L("NIL_DEREF")
    assert names[i + 2] == "main.main", names
    assert names[-1] == "runtime.goexit", names
    disconnect(c)


def test_thread_churn_continue_pause_cycles(godap, go_tc, gomaxprocs):
    """Threads are born and die constantly; continue/pause cycles never hang
    and never lose a stop."""
    seconds = int(os.environ.get("GODAP_CHURN_SECONDS", "60"))
    if gomaxprocs == "1" or "asan" in str(godap.binary):
        seconds = min(seconds, 10)
    c = launch_stepping(godap, go_tc, gomaxprocs, ["churn", str(seconds + 30)], [])
    deadline = time.monotonic() + seconds
    cycles = 0
    while time.monotonic() < deadline:
        time.sleep(0.02)
        c.request_ok("pause", {"threadId": 1})
        ev = wait_stopped(c, "pause", timeout=TIMEOUT)
        c.request_ok("threads")
        c.request_ok("continue", {"threadId": ev["threadId"]})
        cycles += 1
    assert cycles > 10
    print(f"{cycles} pause/continue cycles in {seconds}s")
    disconnect(c)
