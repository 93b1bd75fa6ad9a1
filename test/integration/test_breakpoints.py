"""Breakpoints beyond plain lines (issue 5): conditions, hit conditions,
logpoints, function and instruction breakpoints, breakpointLocations."""

import re

import pytest

from godap_testlib import (next_stop_or_exit, RUN_TIMEOUT, TIMEOUT, disconnect, fixture_dir,
                           fixture_src, initialize, launch, marker_line,
                           set_breakpoints, stack, start, top_frame,
                           wait_exited, wait_stopped)

SRC = fixture_src("bpfeatures")


def L(m):
    return marker_line(SRC, m)


def begin(godap, go_tc):
    c = godap.start(go_tc)
    initialize(c)
    r = launch(c, fixture_dir("bpfeatures"))
    assert r["success"], r.get("message")
    c.wait_event("initialized", TIMEOUT)
    return c


def set_line_bps(c, bps):
    body = c.request_ok("setBreakpoints", {"source": {"path": SRC}, "breakpoints": bps})
    return body["breakpoints"]


def evaluate(c, tid, expr):
    fid = stack(c, tid, 0, 1)["stackFrames"][0]["id"]
    return c.request_ok("evaluate", {"expression": expr, "frameId": fid, "context": "watch"})["result"]


def stops_until_exit(c, limit=20):
    """Continues through every stop; returns [(threadId, i)] for each."""
    seen = []
    while True:
        ev = next_stop_or_exit(c)
        if ev["event"] == "exited":
            return seen
        tid = ev["body"]["threadId"]
        seen.append((tid, evaluate(c, tid, "i")))
        assert len(seen) <= limit, seen
        c.request_ok("continue", {"threadId": tid})


def test_condition_stops_at_matching_iteration(godap, go_tc):
    c = begin(godap, go_tc)
    bps = set_line_bps(c, [{"line": L("LOOP_BODY"), "condition": "i == 7777"}])
    assert bps[0]["verified"], bps
    c.request_ok("configurationDone")
    assert stops_until_exit(c) == [(1, "7777")]
    assert wait_exited(c) == 0
    disconnect(c)


@pytest.mark.parametrize("hit,expected", [
    ("5", ["4"]),
    ("== 3", ["2"]),
    ("% 2500", ["2499", "4999", "7499", "9999"]),
    ("> 9997", ["9997", "9998", "9999"]),
    (">= 9999", ["9998", "9999"]),
    ("< 3", ["0", "1"]),
    ("<= 2", ["0", "1"]),
])
def test_hit_conditions(godap, go_tc, hit, expected):
    c = begin(godap, go_tc)
    set_line_bps(c, [{"line": L("LOOP_BODY"), "hitCondition": hit}])
    c.request_ok("configurationDone")
    assert [i for _, i in stops_until_exit(c)] == expected
    disconnect(c)


def test_hit_condition_counts_only_true_conditions(godap, go_tc):
    c = begin(godap, go_tc)
    set_line_bps(c, [{"line": L("LOOP_BODY"), "condition": "i % 1000 == 0", "hitCondition": "3"}])
    c.request_ok("configurationDone")
    assert [i for _, i in stops_until_exit(c)] == ["2000"]
    disconnect(c)


def test_logpoint_prints_and_never_stops(godap, go_tc):
    c = begin(godap, go_tc)
    set_line_bps(c, [{"line": L("LOGME"), "logMessage": "logme i={i} sink={sink} {{x}}"}])
    c.request_ok("configurationDone")
    assert wait_exited(c) == 0
    assert not c.events("stopped")
    # Delve's form: stdout, "> [Go N]: " (logme runs on main, goroutine 1)
    lines = [m["body"]["output"] for m in c.events("output")
             if m["body"].get("category") == "stdout" and "logme" in m["body"]["output"]]
    assert len(lines) == 1000, len(lines)
    total = 0
    for i, text in enumerate(lines):
        assert text == f"> [Go 1]: logme i={i} sink={total} {{x}}\n", text
        total += i
    disconnect(c)


def test_bad_condition_unverified_and_bad_hit_condition(godap, go_tc):
    c = begin(godap, go_tc)
    bps = set_line_bps(c, [{"line": L("LOOP_BODY"), "condition": "i == )"},
                           {"line": L("LOGME"), "hitCondition": "often"}])
    assert bps[0]["verified"] is False and "1:6" in bps[0]["message"], bps[0]
    assert bps[1]["verified"] is False and "hit condition" in bps[1]["message"], bps[1]
    c.request_ok("configurationDone")
    assert wait_exited(c) == 0
    disconnect(c)


def test_condition_failing_at_run_time_stops_and_says_why(godap, go_tc):
    c = begin(godap, go_tc)
    set_line_bps(c, [{"line": L("LOOP_BODY"), "condition": "nosuchvar == 1"}])
    c.request_ok("configurationDone")
    ev = wait_stopped(c, "breakpoint")
    msgs = [m["body"]["output"] for m in c.events("output")]
    assert any("nosuchvar" in m and "failed" in m for m in msgs), msgs
    assert top_frame(c, ev["threadId"])["line"] == L("LOOP_BODY")
    disconnect(c)


@pytest.mark.parametrize("name,func", [
    ("main.loop", "main.loop"),
    ("loop", "main.loop"),
    ("(*T).Inc", "main.(*T).Inc"),
    ("main.(*T).Inc", "main.(*T).Inc"),
    ("T.Get", "main.T.Get"),
])
def test_function_breakpoint_forms(godap, go_tc, name, func):
    c = begin(godap, go_tc)
    bps = c.request_ok("setFunctionBreakpoints", {"breakpoints": [{"name": name}]})["breakpoints"]
    assert bps[0]["verified"], bps
    c.request_ok("configurationDone")
    ev = wait_stopped(c, "function breakpoint")
    assert ev["hitBreakpointIds"] == [bps[0]["id"]]
    assert top_frame(c, ev["threadId"])["name"] == func
    disconnect(c)


def test_function_breakpoint_generic_all_instantiations(godap, go_tc):
    c = begin(godap, go_tc)
    bps = c.request_ok("setFunctionBreakpoints", {"breakpoints": [{"name": "main.Sum"}]})["breakpoints"]
    assert bps[0]["verified"], bps
    c.request_ok("configurationDone")
    names = []
    for _ in range(2):
        ev = wait_stopped(c, "function breakpoint")
        names.append(top_frame(c, ev["threadId"])["name"])
        c.request_ok("continue", {"threadId": ev["threadId"]})
    assert all(n.startswith("main.Sum[") for n in names), names
    assert len(set(names)) == 2, names
    assert wait_exited(c) == 0
    disconnect(c)


def test_function_breakpoint_unknown_and_condition(godap, go_tc):
    c = begin(godap, go_tc)
    bps = c.request_ok("setFunctionBreakpoints", {"breakpoints": [
        {"name": "main.nope"}, {"name": "main.logme", "condition": "i == 500"}]})["breakpoints"]
    assert bps[0]["verified"] is False and "main.nope" in bps[0]["message"]
    assert bps[1]["verified"] is True
    c.request_ok("configurationDone")
    ev = wait_stopped(c, "function breakpoint")
    assert evaluate(c, ev["threadId"], "i") == "500"
    disconnect(c)


def test_instruction_breakpoint(godap, go_tc):
    c = begin(godap, go_tc)
    set_line_bps(c, [{"line": L("LOOP_BODY")}])
    c.request_ok("configurationDone")
    ev = wait_stopped(c, "breakpoint")
    ip = top_frame(c, ev["threadId"])["instructionPointerReference"]
    set_line_bps(c, [])
    bps = c.request_ok("setInstructionBreakpoints", {"breakpoints": [
        {"instructionReference": ip}, {"instructionReference": ip, "offset": 1}]})["breakpoints"]
    assert bps[0]["verified"] is True, bps
    assert bps[1]["verified"] is False and "boundary" in bps[1]["message"], bps
    c.request_ok("continue", {"threadId": ev["threadId"]})
    ev = wait_stopped(c, "instruction breakpoint")
    assert ev["hitBreakpointIds"] == [bps[0]["id"]]
    assert top_frame(c, ev["threadId"])["instructionPointerReference"] == ip
    assert evaluate(c, ev["threadId"], "i") == "1"
    disconnect(c)


def test_breakpoint_locations(godap, go_tc):
    c = begin(godap, go_tc)
    body = L("LOOP_BODY")
    got = c.request_ok("breakpointLocations", {"source": {"path": SRC}, "line": body - 3, "endLine": body + 2})
    lines = [b["line"] for b in got["breakpoints"]]
    assert body in lines and body - 2 not in lines, lines  # body-2 is blank
    assert body - 3 in lines  # total := 0
    disconnect(c)


def test_breakpoint_added_while_running(godap, go_tc):
    """setBreakpoints while the program runs takes effect without a pause."""
    c = godap.start(go_tc)
    initialize(c)
    src = fixture_src("stepping")
    assert launch(c, fixture_dir("stepping"), args=["spin"])["success"]
    c.wait_event("initialized", TIMEOUT)
    c.request_ok("configurationDone")
    # "spin" runs forever: the program is running now, whenever the
    # request arrives (no stop can come without a breakpoint).
    resp = c.request("setBreakpoints", {"source": {"path": src}, "breakpoints": [
        {"line": marker_line(src, "SPIN_BODY")}]})
    assert resp["success"], resp
    bps = resp["body"]["breakpoints"]
    assert bps[0]["verified"]
    stop = c.wait_event("stopped")
    assert stop["body"]["reason"] == "breakpoint", stop
    # The spinner hits the new breakpoint at once, so its stop may already
    # be queued here; what matters is that nothing stopped before the
    # answer (setting the breakpoint made no visible stop).
    assert c.index_of(resp) < c.index_of(stop), (resp, stop)
    assert top_frame(c, stop["body"]["threadId"])["name"] == "main.spinner"
    disconnect(c)


def test_write_watchpoint_on_global(godap, go_tc):
    c = begin(godap, go_tc)
    set_line_bps(c, [{"line": L("LOOP_BODY")}])
    c.request_ok("configurationDone")
    ev = wait_stopped(c, "breakpoint")
    tid = ev["threadId"]
    fid = stack(c, tid, 0, 1)["stackFrames"][0]["id"]
    info = c.request_ok("dataBreakpointInfo", {"name": "main.counter", "frameId": fid})
    assert info["dataId"], info
    assert "write" in info["accessTypes"]
    # A goroutine-stack variable can be watched too (the watch follows the
    # stack when it moves: test_surface.py test_stack_watch_follows_copystack).
    local = c.request_ok("dataBreakpointInfo", {"name": "total", "frameId": fid})
    assert local["dataId"], local
    bps = c.request_ok("setDataBreakpoints", {"breakpoints": [
        {"dataId": info["dataId"], "accessType": "write"}]})["breakpoints"]
    assert bps[0]["verified"], bps
    set_line_bps(c, [])
    c.request_ok("continue", {"threadId": tid})
    for old, new in (("0", "10"), ("10", "20")):
        ev = wait_stopped(c, "data breakpoint")
        assert ev["description"] == f"main.counter changed from {old} to {new}", ev
        assert ev["hitBreakpointIds"] == [bps[0]["id"]]
        f = top_frame(c, ev["threadId"])
        assert f["name"] == "main.bump" and f["line"] == L("COUNTER_WRITE"), f
        c.request_ok("continue", {"threadId": ev["threadId"]})
    ev = wait_stopped(c, "data breakpoint")
    assert ev["description"] == "main.counter changed from 20 to 30", ev
    c.request_ok("setDataBreakpoints", {"breakpoints": []})
    c.request_ok("continue", {"threadId": ev["threadId"]})
    assert wait_exited(c) == 0
    assert "counter 50" in c.output_text("stdout")
    disconnect(c)


def _watch_counter(godap, go_tc, **bp):
    c = begin(godap, go_tc)
    set_line_bps(c, [{"line": L("LOOP_BODY")}])
    c.request_ok("configurationDone")
    ev = wait_stopped(c, "breakpoint")
    fid = stack(c, ev["threadId"], 0, 1)["stackFrames"][0]["id"]
    info = c.request_ok("dataBreakpointInfo", {"name": "main.counter", "frameId": fid})
    bps = c.request_ok("setDataBreakpoints", {"breakpoints": [
        dict(dataId=info["dataId"], accessType="write", **bp)]})["breakpoints"]
    set_line_bps(c, [])
    return c, ev, bps


def test_watchpoint_condition_in_writers_frame(godap, go_tc):
    """The condition is evaluated in the writing frame (bump's i); writes
    where it is false go on without a stop."""
    c, ev, bps = _watch_counter(godap, go_tc, condition="i == 3")
    assert bps[0]["verified"], bps
    c.request_ok("continue", {"threadId": ev["threadId"]})
    ev = wait_stopped(c, "data breakpoint")
    assert ev["description"] == "main.counter changed from 30 to 40", ev
    assert top_frame(c, ev["threadId"])["line"] == L("COUNTER_WRITE")
    r = c.request_ok("evaluate", {"expression": "i", "frameId":
                                  stack(c, ev["threadId"], 0, 1)["stackFrames"][0]["id"]})
    assert r["result"] == "3"
    c.request_ok("continue", {"threadId": ev["threadId"]})
    assert wait_exited(c) == 0
    assert "counter 50" in c.output_text("stdout")
    disconnect(c)


def test_watchpoint_hit_condition(godap, go_tc):
    c, ev, bps = _watch_counter(godap, go_tc, hitCondition="% 2")
    assert bps[0]["verified"], bps
    c.request_ok("continue", {"threadId": ev["threadId"]})
    for old, new in (("10", "20"), ("30", "40")):
        ev = wait_stopped(c, "data breakpoint")
        assert ev["description"] == f"main.counter changed from {old} to {new}", ev
        c.request_ok("continue", {"threadId": ev["threadId"]})
    assert wait_exited(c) == 0
    disconnect(c)


def test_watchpoint_bad_conditions_unverified(godap, go_tc):
    c, ev, bps = _watch_counter(godap, go_tc, condition="i ==")
    assert not bps[0]["verified"] and "invalid condition" in bps[0]["message"], bps
    fid = stack(c, ev["threadId"], 0, 1)["stackFrames"][0]["id"]
    info_id = c.request_ok("dataBreakpointInfo", {"name": "main.counter", "frameId": fid})["dataId"]
    bps = c.request_ok("setDataBreakpoints", {"breakpoints": [
        {"dataId": info_id, "accessType": "write", "hitCondition": "every 3"}]})["breakpoints"]
    assert not bps[0]["verified"] and "invalid hit condition" in bps[0]["message"], bps
    c.request_ok("continue", {"threadId": ev["threadId"]})
    assert wait_exited(c) == 0
    disconnect(c)


def test_simultaneous_watch_hits_are_all_reported(godap, go_tc):
    """Two goroutines write w1 and w2 at once: a hit that lands while
    every thread is being stopped for the other is held and reported after
    the next continue, so each variable's stops go 0->1->2->...->40 with no
    write missed."""
    src = fixture_src("watchpair")
    c = godap.start(go_tc)
    start(c, fixture_dir("watchpair"), env={"GOMAXPROCS": "4"},
          breakpoints={src: [marker_line(src, "START")]})
    ev = wait_stopped(c, "breakpoint")
    fid = stack(c, ev["threadId"], 0, 1)["stackFrames"][0]["id"]
    ids = [c.request_ok("dataBreakpointInfo", {"name": n, "frameId": fid})["dataId"]
           for n in ("main.w1", "main.w2")]
    bps = c.request_ok("setDataBreakpoints", {"breakpoints": [
        {"dataId": d, "accessType": "write"} for d in ids]})["breakpoints"]
    assert all(b["verified"] for b in bps), bps
    set_breakpoints(c, src, [])
    seen = {"main.w1": [0], "main.w2": [0]}
    goroutine = {}
    tid = ev["threadId"]
    rx = re.compile(r"(main\.w[12]) changed from (\d+) to (\d+)$")
    for _ in range(80):
        c.request_ok("continue", {"threadId": tid})
        ev = wait_stopped(c, "data breakpoint")
        tid = ev["threadId"]
        m = rx.match(ev["description"])
        assert m, ev
        name, old, new = m.group(1), int(m.group(2)), int(m.group(3))
        assert old == seen[name][-1] and new == old + 1, (name, seen[name], ev)
        seen[name].append(new)
        assert goroutine.setdefault(name, tid) == tid, (name, goroutine, tid)
        assert top_frame(c, tid)["line"] == marker_line(src, "WRITE")
    assert seen["main.w1"][-1] == 40 and seen["main.w2"][-1] == 40
    c.request_ok("continue", {"threadId": tid})
    assert wait_exited(c) == 0
    assert "w 40 40" in c.output_text("stdout")
    disconnect(c)


def _optimized_with_function_bp(godap, go_tc, name):
    """The optimized fixture (no -N -l) launched with a function
    breakpoint on name, configuration done."""
    c = godap.start(go_tc)
    initialize(c)
    assert launch(c, go_tc.build("optimized", gcflags=""), "exec")["success"]
    c.wait_event("initialized", TIMEOUT)
    bp = c.request_ok("setFunctionBreakpoints", {"breakpoints": [{"name": name}]})["breakpoints"][0]
    c.request_ok("configurationDone")
    return c, bp


def test_function_breakpoint_on_inlined_function(godap, go_tc):
    """An optimized build inlines main.bump at both calls and keeps no
    out-of-line copy: the function breakpoint covers both inlined
    instances (found through DW_TAG_inlined_subroutine)."""
    src = fixture_src("optimized")
    c, bp = _optimized_with_function_bp(godap, go_tc, "main.bump")
    assert bp["verified"] and bp["line"] == marker_line(src, "BUMP_BODY"), bp
    for call in ("BUMP_CALL1", "BUMP_CALL2"):
        ev = wait_stopped(c, "function breakpoint")
        assert ev["hitBreakpointIds"] == [bp["id"]]
        # The inlined call is a frame of its own, as the user wrote it.
        frames = stack(c, ev["threadId"])["stackFrames"]
        got = [(f["name"], f["line"]) for f in frames[:2]]
        assert got == [("main.bump", marker_line(src, "BUMP_BODY")),
                       ("main.main", marker_line(src, call))], got
        assert frames[0]["source"]["path"] == src
        names = {t["id"]: t["name"] for t in c.request_ok("threads")["threads"]}
        assert names[ev["threadId"]].startswith(f"[Go {ev['threadId']}] main.bump"), names
        c.request_ok("scopes", {"frameId": frames[0]["id"]})
        c.request_ok("continue", {"threadId": ev["threadId"]})
    assert wait_exited(c) == 0
    assert "bumped 4 34" in c.output_text("stdout")
    disconnect(c)


def test_inlined_frame_variables(godap, go_tc):
    """The variables of an inlined call come from its
    DW_TAG_inlined_subroutine: clamp(n+30, 3, 25) inlined into main shows
    v = 40 (in a register) in the main.clamp frame."""
    src = fixture_src("optimized")
    c, bp = _optimized_with_function_bp(godap, go_tc, "main.clamp")
    assert bp["verified"], bp
    seen = []
    for _ in range(2):
        ev = wait_stopped(c, "function breakpoint")
        frames = stack(c, ev["threadId"])["stackFrames"]
        got = [(f["name"], f["line"]) for f in frames[:2]]
        assert got == [("main.clamp", marker_line(src, "CLAMP_BODY")),
                       ("main.main", marker_line(src, "CLAMP_CALLS"))], got
        sc = c.request_ok("scopes", {"frameId": frames[0]["id"]})["scopes"]
        vs = {}
        for scope in sc:
            for v in c.request_ok("variables", {"variablesReference":
                                                scope["variablesReference"]})["variables"]:
                vs[v["name"]] = v["value"]
        seen.append(vs.get("v"))
        c.request_ok("continue", {"threadId": ev["threadId"]})
    assert "40" in seen, seen
    assert wait_exited(c) == 0
    assert "clamped 10 25" in c.output_text("stdout")
    disconnect(c)


def test_breakpoint_set_before_launch_resolves_at_launch(godap, go_tc):
    c = godap.start(go_tc)
    initialize(c)
    early = set_line_bps(c, [{"line": L("LOGME")}])
    assert early[0]["verified"] is False and "not started" in early[0]["message"]
    r = launch(c, fixture_dir("bpfeatures"))
    assert r["success"], r
    ev = c.wait_event("breakpoint", TIMEOUT)
    assert ev["body"]["breakpoint"]["id"] == early[0]["id"]
    assert ev["body"]["breakpoint"]["verified"] is True
    c.wait_event("initialized", TIMEOUT)
    c.request_ok("configurationDone")
    stop = wait_stopped(c, "breakpoint")
    assert stop["hitBreakpointIds"] == [early[0]["id"]]
    disconnect(c)


# ------------------------------------------- breakpoint identity (issue 9)
# setBreakpoints (and the function, instruction and data variants) send
# the whole set each time; a breakpoint that stays keeps its id, its hit
# count (so its hitCondition's progress) and its verified state, as in
# lldb-dap, keyed by line, function name, address or dataId.

def ids(bps):
    return [b["id"] for b in bps]


def test_line_breakpoint_identity_and_hit_progress(godap, go_tc):
    c = begin(godap, go_tc)
    loop = {"line": L("LOOP_BODY"), "hitCondition": "> 2"}
    bps = set_line_bps(c, [loop])
    assert ids(bps) == [1], bps
    c.request_ok("configurationDone")
    ev = wait_stopped(c, "breakpoint")
    assert ev["hitBreakpointIds"] == [1]
    assert evaluate(c, ev["threadId"], "i") == "2"  # hit 3
    # Adding a breakpoint keeps the first one and its 3 hits: the next
    # hit (4) stops at i == 3 (with the count started over it would be
    # i == 5).
    bps = set_line_bps(c, [loop, {"line": L("LOGME")}])
    assert ids(bps) == [1, 2] and all(b["verified"] for b in bps), bps
    c.request_ok("continue", {"threadId": ev["threadId"]})
    ev = wait_stopped(c, "breakpoint")
    assert ev["hitBreakpointIds"] == [1]
    assert evaluate(c, ev["threadId"], "i") == "3"
    # A changed condition updates the breakpoint in place: same id, the
    # hits so far (4) kept, so the first true condition stops (hit 5).
    bps = set_line_bps(c, [dict(loop, condition="i == 10"), {"line": L("LOGME")}])
    assert ids(bps) == [1, 2] and all(b["verified"] for b in bps), bps
    c.request_ok("continue", {"threadId": ev["threadId"]})
    ev = wait_stopped(c, "breakpoint")
    assert ev["hitBreakpointIds"] == [1]
    assert evaluate(c, ev["threadId"], "i") == "10"
    # Removing one keeps the other's id; a removed id is never reused.
    bps = set_line_bps(c, [{"line": L("LOGME")}])
    assert ids(bps) == [2], bps
    c.request_ok("continue", {"threadId": ev["threadId"]})
    ev = wait_stopped(c, "breakpoint")
    assert ev["hitBreakpointIds"] == [2]
    assert top_frame(c, ev["threadId"])["line"] == L("LOGME")
    bps = set_line_bps(c, [{"line": L("LOGME")}, loop])
    assert ids(bps) == [2, 3], bps
    set_line_bps(c, [])
    c.request_ok("continue", {"threadId": ev["threadId"]})
    assert wait_exited(c) == 0
    disconnect(c)


def test_function_breakpoint_identity_and_hit_progress(godap, go_tc):
    c = begin(godap, go_tc)
    logme = {"name": "main.logme", "hitCondition": "> 1"}
    r = c.request_ok("setFunctionBreakpoints", {"breakpoints": [{"name": "main.loop"}, logme]})
    assert ids(r["breakpoints"]) == [1, 2], r
    r = c.request_ok("setFunctionBreakpoints", {"breakpoints": [logme]})
    assert ids(r["breakpoints"]) == [2] and r["breakpoints"][0]["verified"], r
    c.request_ok("configurationDone")
    ev = wait_stopped(c, "function breakpoint")
    assert ev["hitBreakpointIds"] == [2]
    assert evaluate(c, ev["threadId"], "i") == "1"  # hit 2
    r = c.request_ok("setFunctionBreakpoints", {"breakpoints": [logme, {"name": "main.bump"}]})
    assert ids(r["breakpoints"]) == [2, 3] and all(b["verified"] for b in r["breakpoints"]), r
    c.request_ok("continue", {"threadId": ev["threadId"]})
    ev = wait_stopped(c, "function breakpoint")
    assert ev["hitBreakpointIds"] == [2]
    assert evaluate(c, ev["threadId"], "i") == "2"  # hit 3: the count went on
    c.request_ok("setFunctionBreakpoints", {"breakpoints": []})
    c.request_ok("continue", {"threadId": ev["threadId"]})
    assert wait_exited(c) == 0
    disconnect(c)


def test_instruction_breakpoint_identity(godap, go_tc):
    c = begin(godap, go_tc)
    set_line_bps(c, [{"line": L("LOOP_BODY")}])
    c.request_ok("configurationDone")
    ev = wait_stopped(c, "breakpoint")
    ip = top_frame(c, ev["threadId"])["instructionPointerReference"]
    set_line_bps(c, [])
    first = c.request_ok("setInstructionBreakpoints", {"breakpoints": [
        {"instructionReference": ip}]})["breakpoints"]
    assert first[0]["verified"], first
    again = c.request_ok("setInstructionBreakpoints", {"breakpoints": [
        {"instructionReference": ip, "offset": 1}, {"instructionReference": ip}]})["breakpoints"]
    assert again[1]["id"] == first[0]["id"] and again[1]["verified"], again
    assert again[0]["id"] == first[0]["id"] + 1 and not again[0]["verified"], again
    c.request_ok("continue", {"threadId": ev["threadId"]})
    ev = wait_stopped(c, "instruction breakpoint")
    assert ev["hitBreakpointIds"] == [first[0]["id"]]
    assert evaluate(c, ev["threadId"], "i") == "1"
    disconnect(c)


def test_data_breakpoint_identity_and_hit_progress(godap, go_tc):
    c, ev, bps = _watch_counter(godap, go_tc, hitCondition="> 1")
    assert bps[0]["verified"], bps
    data_id = bps[0]["id"]
    c.request_ok("continue", {"threadId": ev["threadId"]})
    ev = wait_stopped(c, "data breakpoint")
    assert ev["description"] == "main.counter changed from 10 to 20", ev  # hit 2
    fid = stack(c, ev["threadId"], 0, 1)["stackFrames"][0]["id"]
    info = c.request_ok("dataBreakpointInfo", {"name": "main.counter", "frameId": fid})
    again = c.request_ok("setDataBreakpoints", {"breakpoints": [
        {"dataId": info["dataId"], "accessType": "write", "hitCondition": "> 1"}]})["breakpoints"]
    assert again[0]["id"] == data_id and again[0]["verified"], again
    c.request_ok("continue", {"threadId": ev["threadId"]})
    ev = wait_stopped(c, "data breakpoint")
    # hit 3 (with the count started over, 30 to 40 would be the next stop)
    assert ev["description"] == "main.counter changed from 20 to 30", ev
    assert ev["hitBreakpointIds"] == [data_id]
    c.request_ok("setDataBreakpoints", {"breakpoints": []})
    c.request_ok("continue", {"threadId": ev["threadId"]})
    assert wait_exited(c) == 0
    disconnect(c)
