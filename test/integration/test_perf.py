"""Issue 14 behaviour (never timed): the thread list kept for a stop and
read again after a resume; conditions and logpoints evaluated on the fast
path give the program's own counts; steps that hold the other goroutines."""

import re
from collections import Counter

from godap_testlib import (RUN_TIMEOUT, TIMEOUT, disconnect, fixture_dir,
                           fixture_src, initialize, launch, marker_line,
                           next_stop_or_exit, stack, wait_exited)

SRC = fixture_src("perf")


def L(m):
    return marker_line(SRC, m)


def begin(godap, go_tc, args, bps, **extra):
    c = godap.start(go_tc)
    initialize(c)
    r = launch(c, fixture_dir("perf"), args=args, **extra)
    assert r["success"], r.get("message")
    c.wait_event("initialized", TIMEOUT)
    body = c.request_ok("setBreakpoints", {"source": {"path": SRC}, "breakpoints": bps})
    c.request_ok("configurationDone")
    return c, body["breakpoints"]


def next_stop(c):
    ev = next_stop_or_exit(c)
    assert ev["event"] == "stopped", ev
    return ev["body"]


def test_threads_same_stop_same_list_then_new_after_resume(godap, go_tc):
    c, _ = begin(godap, go_tc, ["threads"],
                 [{"line": L("BP_FIRST")}, {"line": L("BP_SECOND")}])
    st = next_stop(c)
    one = c.request_ok("threads")["threads"]
    two = c.request_ok("threads")["threads"]
    assert one == two
    # A goroutine may still be between wg.Done and parking: its state
    # varies, its function does not.
    parked = [t for t in one if "] main.park" in t["name"]]
    assert len(parked) == 50, [t["name"] for t in one]
    assert not [t for t in one if "main.late" in t["name"]]
    assert any(t["id"] == st["threadId"] and "main.first" in t["name"] for t in one), one
    c.request_ok("continue", {"threadId": st["threadId"]})
    st2 = next_stop(c)
    three = c.request_ok("threads")["threads"]
    assert three != one
    new = [t for t in three if t["id"] not in {x["id"] for x in one}]
    assert len(new) == 1 and "main.late" in new[0]["name"], new
    assert any(t["id"] == st2["threadId"] and "main.second" in t["name"] for t in three)
    assert len([t for t in three if "] main.park" in t["name"]]) == 50
    c.request_ok("continue", {"threadId": st2["threadId"]})
    assert wait_exited(c) == 0
    disconnect(c)


def func_of(name):
    """main.parked from "[Go 17] main.parked (chan receive)"."""
    m = re.match(r"\[Go \d+\] (\S+)", name)
    assert m, name
    return m.group(1)


def runtime_code(frame):
    """The rule the thread list names a goroutine by (grt_gnames.c): runtime
    code by name, or by a source file of GOROOT/src/runtime."""
    path = (frame.get("source") or {}).get("path") or ""
    return (frame["name"].startswith(("runtime.", "internal/runtime/")) or
            "/src/runtime/" in path or "/src/internal/runtime/" in path)


def check_named_as_stack_says(c, threads, ids):
    """Each goroutine of ids is named after its first frame outside the
    runtime, as its full stack (the slow unwinder) shows it."""
    names = {t["id"]: t["name"] for t in threads}
    for tid in ids:
        frames = stack(c, tid, 0, 64)["stackFrames"]
        user = [f for f in frames if not runtime_code(f)]
        want = user[0]["name"] if user else frames[0]["name"]
        assert func_of(names[tid]) == want, (names[tid], [f["name"] for f in frames])


def test_threads_every_goroutine_counted_named_then_fresh_after_resume(godap, go_tc):
    """2950 goroutines of six kinds (three batches of reads; parked, grown
    stacks, sleeping, waiting for a mutex, in a select): the list has
    exactly as many as runtime.NumGoroutine says (system goroutines hidden,
    as the runtime counts), names each as its stack does, is the same list
    again at the same stop; after a continue, the 200 that ended are gone
    and the 7 that started are there."""
    c, _ = begin(godap, go_tc, ["many"],
                 [{"line": L("BP_FIRST")}, {"line": L("BP_SECOND")}],
                 hideSystemGoroutines=True)
    st = next_stop(c)
    one = c.request_ok("threads")["threads"]
    assert c.request_ok("threads")["threads"] == one
    ngo = int(evaluate(c, st["threadId"], "ngo"))
    assert ngo > 2950
    assert len(one) == ngo, (len(one), ngo)
    ids = [t["id"] for t in one]
    assert len(set(ids)) == len(ids)
    kinds = Counter(func_of(t["name"]) for t in one)
    assert kinds["main.parked"] == 2500, kinds
    assert kinds["main.deep"] == 100, kinds
    assert kinds["main.sleeper"] == 50, kinds
    assert kinds["main.selecter"] == 50, kinds
    assert kinds["main.quitter"] == 200, kinds
    assert kinds["main.first"] == 1, kinds
    # Every goroutine that is not a plain parked one (lockers are somewhere
    # in sync), and some parked ones, checked against their whole stack.
    others = [t["id"] for t in one if func_of(t["name"]) != "main.parked"]
    parked = [t["id"] for t in one if func_of(t["name"]) == "main.parked"]
    check_named_as_stack_says(c, one, others + parked[::250])

    c.request_ok("continue", {"threadId": st["threadId"]})
    st2 = next_stop(c)
    two = c.request_ok("threads")["threads"]
    ngo2 = int(evaluate(c, st2["threadId"], "ngo"))
    assert len(two) == ngo2 == ngo - 200 + 7, (len(two), ngo, ngo2)
    kinds2 = Counter(func_of(t["name"]) for t in two)
    assert kinds2["main.quitter"] == 0, kinds2
    assert kinds2["main.fresh"] == 7, kinds2
    assert kinds2["main.second"] == 1, kinds2
    before = set(ids)
    quit_ids = {t["id"] for t in one if func_of(t["name"]) == "main.quitter"}
    now = {t["id"] for t in two}
    assert not quit_ids & now
    assert {t["id"] for t in two if func_of(t["name"]) == "main.fresh"}.isdisjoint(before)
    assert set(parked) <= now
    c.request_ok("continue", {"threadId": st2["threadId"]})
    disconnect(c)


def line_of(c, tid):
    return stack(c, tid, 0, 1)["stackFrames"][0]["line"]


def evaluate(c, tid, expr):
    fid = stack(c, tid, 0, 1)["stackFrames"][0]["id"]
    return c.request_ok("evaluate", {"expression": expr, "frameId": fid,
                                     "context": "watch"})["result"]


def spun(c, tid):
    return sum(int(evaluate(c, tid, f"spins[{k}].v")) for k in range(8))


def test_step_holding_others_keeps_goroutine_and_output(godap, go_tc):
    c, bps = begin(godap, go_tc, ["step"], [{"line": L("STEP_A")}],
                   stepHoldsOthers=True)
    assert bps[0]["verified"], bps
    st = next_stop(c)
    g = st["threadId"]
    assert line_of(c, g) == L("STEP_A")
    # No more stops from the breakpoint: the steps alone from here.
    c.request_ok("setBreakpoints", {"source": {"path": SRC}, "breakpoints": []})
    held = 0
    for want in ("STEP_B", "STEP_C", "STEP_RET"):
        before = spun(c, g)
        c.request_ok("next", {"threadId": g})
        st = next_stop(c)
        assert st["reason"] == "step" and st["threadId"] == g, st
        assert line_of(c, g) == L(want)
        # The spinning goroutines were held while main stepped, unless the
        # stepped thread blocked in the kernel (the runtime parked it: a
        # preemption or the GC) and so everything was let run, by design;
        # on a loaded machine that happens now and then, never every time.
        held += spun(c, g) == before
    assert held >= 1, "no step held the other goroutines"
    c.request_ok("stepOut", {"threadId": g})
    st = next_stop(c)
    assert st["threadId"] == g and line_of(c, g) == L("STEP_CALL")
    for want in ("STEP_LOOP", "STEP_CALL"):
        c.request_ok("next", {"threadId": g})
        st = next_stop(c)
        assert st["threadId"] == g and line_of(c, g) == L(want)
    c.request_ok("stepIn", {"threadId": g})
    st = next_stop(c)
    assert st["threadId"] == g
    assert stack(c, g, 0, 1)["stackFrames"][0]["name"] == "main.stepped"
    assert L("STEP_A") - 1 <= line_of(c, g) <= L("STEP_A")
    c.request_ok("continue", {"threadId": g})
    assert wait_exited(c) == 0
    assert "stepped total 9\n" in c.output_text("stdout")
    disconnect(c)


def test_step_without_holding_is_unchanged(godap, go_tc):
    c, _ = begin(godap, go_tc, ["step"], [{"line": L("STEP_A")}])
    g = next_stop(c)["threadId"]
    c.request_ok("setBreakpoints", {"source": {"path": SRC}, "breakpoints": []})
    c.request_ok("next", {"threadId": g})
    st = next_stop(c)
    assert st["threadId"] == g and line_of(c, g) == L("STEP_B")
    c.request_ok("continue", {"threadId": g})
    assert wait_exited(c) == 0
    assert "stepped total 9\n" in c.output_text("stdout")
    disconnect(c)


def test_false_conditions_and_logpoints_keep_the_programs_own_count(godap, go_tc):
    """Every hit of VISIT runs its instruction out of line (a scratch slot):
    the program counts its visits itself, so a hit run twice or skipped
    would show in its output; the condition's stops and the logpoint's lines
    are checked against what the program computes."""
    c, bps = begin(godap, go_tc, ["visit"],
                   [{"line": L("VISIT"), "condition": "i % 100 == 0 && p != nil && len(name) == 4"}])
    assert bps[0]["verified"], bps
    seen = []
    while True:
        ev = next_stop_or_exit(c)
        if ev["event"] == "exited":
            break
        tid = ev["body"]["threadId"]
        seen.append(int(evaluate(c, tid, "i")))
        c.request_ok("continue", {"threadId": tid})
    assert seen == [0, 700, 1400, 2100, 2800]
    assert wait_exited(c) == 0
    assert "hits 3000\n" in c.output_text("stdout")
    disconnect(c)

    c, bps = begin(godap, go_tc, ["visit"],
                   [{"line": L("VISIT"), "logMessage": "v {i} {ok}",
                     "condition": "i >= 2990"}])
    assert wait_exited(c) == 0
    # Delve's logpoint lines: "> [Go 1]: v 2990 true".
    lines = [m["body"]["output"] for m in c.events("output")
             if "]: v " in m["body"]["output"]]
    assert len(lines) == 10, [m["body"] for m in c.events("output")][-20:]
    for k, text in enumerate(lines):
        i = 2990 + k
        assert text.endswith(f"]: v {i} {'true' if i % 2 == 0 else 'false'}\n"), text
    assert "hits 3000\n" in c.output_text("stdout")
    disconnect(c)
