"""Function calls in expressions (issue 10): evaluate in repl/watch runs Go
functions in the program through the runtime's debugCallV2 protocol, with
the rest of the program held still.

Fixture: test/fixtures/calls.  Every test runs per Go toolchain and godap
binary (release and ASan)."""

from godap_testlib import (RUN_TIMEOUT, TIMEOUT, fixture_src, initialize, launch,
                           marker_line, start, top_frame, wait_exited,
                           wait_stopped)

SRC = fixture_src("calls")


def stop_at(godap, go_tc, markers, args=(), **launch):
    c = godap.start(go_tc)
    lines = [marker_line(SRC, m) for m in markers]
    bps = start(c, go_tc.build("calls"), "exec", {SRC: lines},
                args=list(args), **launch)[SRC]
    assert all(b["verified"] for b in bps), bps
    ev = wait_stopped(c, "breakpoint")
    return c, ev["threadId"]


def ev(c, fid, expr, context="repl"):
    return c.request("evaluate", {"expression": expr, "frameId": fid,
                                  "context": context})


def ok(c, fid, expr, context="repl"):
    r = ev(c, fid, expr, context)
    assert r["success"], f"{expr}: {r.get('message')}"
    return r["body"]["result"]


def fid_of(c, tid):
    return top_frame(c, tid)["id"]


FORMS = [
    # expression, result (Delve's display text)
    ("add(2, 3)", "5"),
    ("add(1, 2) * 3", "9"),
    ("call add(40, 2)", "42"),
    ("strings.Repeat(\"ab\", 3)", '"ababab"'),
    ("t.String()", '"T(tee,3)"'),
    ("len(t.String()) + 1", "9"),
    ("st.String()", '"T(tee,3)"'),
    ("err.Error()", '"bad thing"'),
    ("sh.Area()", "6"),
    ("gsh.Area()", "20"),
    ("describe(sh)", '"area=6"'),
    ("rectArea(Rect{W: 2, H: 3})" if False else "addf(1.5, 2.25)", "3.75"),
    ("f(2)", "25"),
    ("g(4, 5)", "9"),
    ("sum()", "0"),
    ("sum(1, 2, 3)", "6"),
    ("sum(nums...)", "6"),
    ("join(parts, \"-\")", '"x-y-z"'),
    ("fmt.Sprintf(\"%s-%d\", name, 7)", '"gopher-7"'),
    ("deref(px)", "5"),
    ("divmod(17, 5)", "(3, 2)"),
    ("triple(2)[2]", "6"),
    ("triple(2)", "[3]int [2,4,6]"),
    ("mkBig(1).K", "11"),
    ("mkBig(1)", "main.Big {A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, I: 9, J: 10, K: 11}"),
]


def test_call_forms(godap, go_tc):
    c, tid = stop_at(godap, go_tc, ["BP1"])
    fid = fid_of(c, tid)
    for expr, want in FORMS:
        got = ok(c, fid, expr)
        if want is not None:
            assert got == want, f"{expr}: {got!r}, want {want!r}"
    # a pointer-receiver method on an addressable value changes it
    assert ok(c, fid, "t.Warm(4)") == "7"
    assert ok(c, fid, "t.N") == "7"
    c.request_ok("continue", {"threadId": tid})
    wait_exited(c)


def test_call_panic(godap, go_tc):
    """A panic inside the call is its answer; the goroutine is back where it
    was and the next call works."""
    c, tid = stop_at(godap, go_tc, ["BP1"])
    before = top_frame(c, tid)
    fid = before["id"]
    r = ev(c, fid, "boom(1)")
    assert not r["success"] and r["message"] == "panic: boom 1", r
    r = ev(c, fid, "boom(2) + 1")
    assert not r["success"] and "panic: boom 2" in r["message"], r
    after = top_frame(c, tid)
    assert (after["line"], after["name"]) == (before["line"], before["name"])
    assert ok(c, after["id"], "add(2, 3)") == "5"
    assert ok(c, after["id"], "boom(0)") == "0"
    c.request_ok("continue", {"threadId": tid})
    assert wait_exited(c) == 0


def test_assign_strings_and_maps(godap, go_tc):
    """Strings, concatenation and map elements (new keys too) through the
    runtime's allocator and map code; the program sees the new values."""
    c, tid = stop_at(godap, go_tc, ["BP1"])
    fid = fid_of(c, tid)

    def setx(expr, value):
        r = c.request("setExpression", {"expression": expr, "value": value,
                                        "frameId": fid})
        assert r["success"], (expr, value, r.get("message"))
        return r["body"]["value"]

    assert setx("gname", '"world"') == '"world"'
    assert ok(c, fid, 'gs + "!"') == '"hi!"'
    assert setx("gs", 'gs + "!"') == '"hi!"'
    assert ok(c, fid, 'gs + gs') == '"hi!hi!"'
    assert setx('m["a"]', "9") == "9"
    assert setx('m["k"]', "3") == "3"
    assert ok(c, fid, "len(m)") == "2"
    assert ok(c, fid, 'm["k"]') == "3"
    # setVariable on a local string (Go 1.26 may keep -N locals in
    # registers across statements: the debugger's view is checked)
    sc = c.request_ok("scopes", {"frameId": fid})["scopes"]
    r = c.request("setVariable", {"variablesReference": sc[0]["variablesReference"],
                                  "name": "name", "value": 'name + "!"'})
    assert r["success"] and r["body"]["value"] == '"gopher!"', r
    assert ok(c, fid, "name") == '"gopher!"'
    assert setx("gname", 'gname + "!"') == '"world!"'

    c.request_ok("continue", {"threadId": tid})
    assert wait_exited(c) == 0
    lines = c.output_text("stdout").splitlines()
    line = [ln for ln in lines if ln.startswith("name ")][0]
    assert line.startswith("name world! s hi! m 9 3 t 3 "), line


def test_calls_refused_outside_repl_and_watch(godap, go_tc):
    """Hover and variables never call; conditions and log messages neither."""
    c = godap.start(go_tc)
    initialize(c)
    assert launch(c, go_tc.build("calls"), "exec")["success"]
    c.wait_event("initialized", TIMEOUT)
    r = c.request_ok("setBreakpoints", {
        "source": {"path": SRC},
        "breakpoints": [{"line": marker_line(SRC, "BP1"), "condition": "add(1, 2) == 3"},
                        {"line": marker_line(SRC, "BP2"), "logMessage": "sum={add(1, 2)}"}]})
    assert all(b["verified"] for b in r["breakpoints"]), r
    c.request_ok("configurationDone")
    stop = wait_stopped(c)
    tid = stop["threadId"]
    fid = fid_of(c, tid)
    out = c.output_text("console")
    assert "breakpoint condition 'add(1, 2) == 3' failed: 1:1: function calls are " \
           "not made in breakpoint conditions" in out, out
    r = ev(c, fid, "add(1, 2)", "hover")
    assert not r["success"] and "not made on hover" in r["message"], r
    r = ev(c, fid, "t.String()", "variables")
    assert not r["success"] and "allowed only in the Debug Console" in r["message"], r
    assert ok(c, fid, "add(1, 2)", "watch") == "3"
    c.request_ok("continue", {"threadId": tid})
    assert wait_exited(c) == 0
    out = c.output_text()  # the logpoint's line is stdout, as Delve's
    assert "function calls are not made in breakpoint conditions, log messages" in out, out


def test_calls_after_next_and_step_out(godap, go_tc):
    c, tid = stop_at(godap, go_tc, ["BP_INNER"])
    fid = fid_of(c, tid)
    assert ok(c, fid, "add(n, 1)") == "22"
    c.request_ok("stepOut", {"threadId": tid})
    wait_stopped(c, "step")
    top = top_frame(c, tid)
    assert top["name"] == "main.main", top
    assert ok(c, top["id"], "t.String()") == '"T(tee,3)"'
    c.request_ok("next", {"threadId": tid})
    wait_stopped(c, "step")
    top = top_frame(c, tid)
    assert ok(c, top["id"], "add(2, 2) * 2") == "8"
    c.request_ok("continue", {"threadId": tid})
    assert wait_exited(c) == 0


# ------------------------------------------------ the rest of the program

def counter(c, fid):
    return int(ok(c, fid, "counter"))


def test_frozen_world(godap, go_tc):
    """Busy goroutines increment a counter; it does not move across a
    session of calls (only the calling thread runs)."""
    c, tid = stop_at(godap, go_tc, ["BP_BUSY"], args=["busy"])
    fid = fid_of(c, tid)
    c0 = counter(c, fid)
    assert c0 > 0
    for expr, want in [("add(1, 2)", "3"), ("t.String()", '"T(tee,3)"'),
                       ('fmt.Sprintf("%s-%d", name, 7)', '"gopher-7"'),
                       ("len(t.String()) + 1", "9"), ("sum(1, 2, 3)", "6"),
                       ('gs + "!"', '"hi!"'), ("err.Error()", '"bad thing"')]:
        assert ok(c, fid, expr) == want, expr
        assert counter(c, fid) == c0, expr
    r = ev(c, fid, "boom(3)")
    assert not r["success"] and r["message"] == "panic: boom 3", r
    r = c.request("setExpression", {"expression": 'm["new"]', "value": "5",
                                    "frameId": fid})
    assert r["success"], r.get("message")
    assert counter(c, fid) == c0
    assert "other goroutines ran" not in c.output_text("console")
    c.request_ok("continue", {"threadId": tid})
    assert wait_exited(c) == 0


def goroutines_in(c, func):
    """(threadId, top frame) of the goroutines with func on their stack."""
    out = []
    for th in c.request_ok("threads")["threads"]:
        frames = c.request_ok("stackTrace", {"threadId": th["id"]})["stackFrames"]
        if any(f["name"] == func for f in frames):
            out.append((th["id"], frames[0]))
    return out


def test_call_on_another_goroutine(godap, go_tc):
    """A call on a goroutine other than the one that stopped, chosen by the
    frame id: one of the busy goroutines was running when the program
    stopped (the other may wait for a processor)."""
    c, tid = stop_at(godap, go_tc, ["BP_BUSY"], args=["busy"])
    busy = [g for g in goroutines_in(c, "main.busy") if g[0] != tid]
    assert len(busy) == 2, busy
    done = 0
    # (each has a processor of its own: GOMAXPROCS(4) in the fixture)
    for gid, _ in busy:
        # the frame of main.busy (the goroutine may be stopped in the
        # runtime, whose package has its own add)
        frames = c.request_ok("stackTrace", {"threadId": gid})["stackFrames"]
        bf = [f for f in frames if f["name"] == "main.busy"][0]
        r = ev(c, bf["id"], "add(40, 2)")
        if r["success"]:
            assert r["body"]["result"] == "42"
            done += 1
            # the frame's own variables as arguments (frames are read
            # again: the call may have moved the goroutine out of the
            # runtime first)
            frames = c.request_ok("stackTrace", {"threadId": gid})["stackFrames"]
            bf = [f for f in frames if f["name"] == "main.busy"][0]
            assert ok(c, bf["id"], "spin(i)") == str(int(ok(c, bf["id"], "i")) + 1)
        else:
            assert "is not running on a thread" in r["message"], r
    assert done >= 1
    # a parked goroutine cannot take a call: the reason is named
    waiter = goroutines_in(c, "main.parkedWaiter")
    assert len(waiter) == 1, waiter
    frames = c.request_ok("stackTrace", {"threadId": waiter[0][0]})["stackFrames"]
    wf = [f for f in frames if f["name"] == "main.parkedWaiter"][0]
    r = ev(c, wf["id"], "add(1, 2)")
    assert not r["success"], r
    assert "is not running on a thread (chan receive)" in r["message"], r
    # the goroutine that stopped is where it was
    assert top_frame(c, tid)["line"] == marker_line(SRC, "BP_BUSY")
    c.request_ok("continue", {"threadId": tid})
    assert wait_exited(c) == 0


def test_call_timeout_and_recovery(godap, go_tc):
    """A call that blocks (a channel nobody sends on while the program is
    held) times out; godap answers, the goroutine is shown inside the
    call, and when the program runs on and the call returns, the goroutine
    goes on from where it was."""
    c, tid = stop_at(godap, go_tc, ["BP_BUSY"], args=["busy"], callTimeout=1)
    fid = fid_of(c, tid)
    r = ev(c, fid, "waitNever()")
    assert not r["success"] and "did not return within 1 s" in r["message"], r
    inside = goroutines_in(c, "main.waitNever")
    assert len(inside) == 1, inside
    r = ev(c, fid, "add(1, 2)")
    assert not r["success"] and "has not returned yet" in r["message"], r
    # let a busy goroutine send on the channel (the goroutine's top frame
    # is in the runtime now: the package is named)
    r = c.request("setExpression", {"expression": "main.release", "value": "1",
                                    "frameId": fid})
    assert r["success"], r.get("message")
    c.request_ok("continue", {"threadId": tid})
    assert wait_exited(c) == 0
    out = c.output_text("stdout")
    assert "counter run 2" in out and "done" in out, out


def test_call_that_needs_other_goroutines(godap, go_tc):
    """A call that can only finish when another goroutine runs: godap lets
    the rest of the program go, says so on the console, and answers."""
    c, tid = stop_at(godap, go_tc, ["BP_BUSY"], args=["busy"])
    fid = fid_of(c, tid)
    r = c.request("setExpression", {"expression": "release", "value": "1",
                                    "frameId": fid})
    assert r["success"], r.get("message")
    r = ev(c, fid, "waitNever()")
    assert r["success"], r.get("message")
    assert r["body"]["result"] == "7"
    assert "other goroutines ran during the call" in c.output_text("console")
    assert ok(c, fid, "add(2, 3)") == "5"
    c.request_ok("continue", {"threadId": tid})
    assert wait_exited(c) == 0


def test_calls_in_optimized_build(godap, go_tc):
    """An optimized build: calls work; a function the compiler inlined
    everywhere is named as such."""
    c = godap.start(go_tc)
    line = marker_line(SRC, "BP_INNER")
    bps = start(c, go_tc.build("calls", gcflags=""), "exec", {SRC: [line]})[SRC]
    assert bps[0]["verified"], bps
    tid = wait_stopped(c, "breakpoint")["threadId"]
    fid = fid_of(c, tid)
    assert ok(c, fid, "add(2, 3)") == "5"
    assert ok(c, fid, "add(1, 2) * 3") == "9"
    assert ok(c, fid, 'strings.Repeat("ab", 3)') == '"ababab"'
    assert ok(c, fid, 'fmt.Sprintf("%s-%d", "x", 7)') == '"x-7"'
    assert ok(c, fid, "addf(1.5, 2.25)") == "3.75"
    assert ok(c, fid, "triple(2)[1]") == "4"
    # through the itab (Rect.Area itself may be inlined everywhere)
    assert ok(c, fid, "gsh.Area()") == "20"
    assert ok(c, fid, "main.gsh.Area() + 1") == "21"
    r = ev(c, fid, "double(2)")
    assert not r["success"], r
    assert r["message"] == "main.double is not in the binary (inlined or unused)", r
    c.request_ok("continue", {"threadId": tid})
    assert wait_exited(c) == 0


def test_pause_during_a_call(godap, go_tc):
    """pause while a call runs: the call is left like a timed-out one, the
    evaluate is answered, and the program runs on afterwards."""
    c, tid = stop_at(godap, go_tc, ["BP_BUSY"], args=["busy"])
    fid = fid_of(c, tid)
    seq = c.send_request("evaluate", {"expression": "waitNever()", "frameId": fid,
                                      "context": "repl"})
    pseq = c.send_request("pause", {"threadId": tid})
    r = c.wait_response(seq, RUN_TIMEOUT)
    assert not r["success"] and "interrupted (pause)" in r["message"], r
    assert c.wait_response(pseq)["success"]
    r = c.request("setExpression", {"expression": "main.release", "value": "1",
                                    "frameId": fid_of(c, tid)})
    assert r["success"], r.get("message")
    c.request_ok("continue", {"threadId": tid})
    assert wait_exited(c) == 0
    assert "done" in c.output_text("stdout")


def test_call_that_exits_the_program(godap, go_tc):
    """A call that ends the program: the evaluate is answered and the
    session reports the exit."""
    c, tid = stop_at(godap, go_tc, ["BP1"])
    r = ev(c, fid_of(c, tid), "quit(3)")
    assert not r["success"] and "the program exited during the call" in r["message"], r
    assert wait_exited(c) == 3


def test_user_breakpoints_do_not_fire_inside_a_call(godap, go_tc):
    """A breakpoint inside the called function does not stop the call; it
    still works when the program itself runs there."""
    c, tid = stop_at(godap, go_tc, ["BP1", "BP_ADD"])
    fid = fid_of(c, tid)
    stops = len(c.events("stopped"))
    assert ok(c, fid, "add(2, 3)") == "5"
    assert ok(c, fid, "add(add(1, 1), 3) * 2") == "10"
    assert len(c.events("stopped")) == stops
    # main calls add through g(1, 2) on the BP1 line
    c.request_ok("continue", {"threadId": tid})
    stop = wait_stopped(c, "breakpoint")
    top = top_frame(c, stop["threadId"])
    assert (top["name"], top["line"]) == ("main.add", marker_line(SRC, "BP_ADD"))
    assert ok(c, top["id"], "a + b") == "3"
    c.request_ok("continue", {"threadId": stop["threadId"]})
    assert wait_exited(c) == 0
