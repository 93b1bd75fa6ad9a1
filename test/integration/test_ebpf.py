"""Issue 14 point 5: breakpoint conditions compiled to eBPF and run in the
kernel as uprobes (launch attribute ebpfConditions).  Behaviour only, never
timed: the same program, the same breakpoints, with the kernel path and
without it, must give the same stops, the same values, the same logpoint
lines and the same program output (the program counts its own calls, so a
hit skipped or run twice would show)."""

import os

import pytest

from godap_testlib import (TIMEOUT, disconnect, fixture_dir, fixture_src,
                           initialize, launch, marker_line, next_stop_or_exit,
                           wait_exited)

SRC = fixture_src("ebpf")
KERNEL = "condition evaluated in the kernel (eBPF uprobe)"


def L(m):
    return marker_line(SRC, m)


def kernel_allows():
    """Why the kernel path cannot be taken here, or None."""
    if os.geteuid() != 0:
        return "not root: bpf(2) and uprobe perf events need CAP_BPF and CAP_PERFMON"
    if not os.path.exists("/sys/bus/event_source/devices/uprobe/type"):
        return "the kernel has no uprobe perf event source"
    return None


def begin(godap, go_tc, bps, ebpf, args=()):
    c = godap.start(go_tc)
    initialize(c)
    r = launch(c, fixture_dir("ebpf"), args=list(args), ebpfConditions=ebpf)
    assert r["success"], r.get("message")
    c.wait_event("initialized", TIMEOUT)
    body = c.request_ok("setBreakpoints", {"source": {"path": SRC}, "breakpoints": bps})
    c.request_ok("configurationDone")
    return c, body["breakpoints"]


def evaluate(c, tid, expr):
    fr = c.request_ok("stackTrace", {"threadId": tid, "levels": 1})["stackFrames"][0]
    return c.request_ok("evaluate", {"expression": expr, "frameId": fr["id"],
                                     "context": "watch"})["result"], fr["line"]


# Integers of several widths and signs, bools, a pointer and nil, string
# equality and length, globals (qualified or not), arithmetic that wraps.
COND = " || ".join([
    "(small == -56 && flag)",          # int8: i = 200, 456 ... (even)
    "(u > 20000 && u < 20008)",        # uint16 of i*7
    "(p != nil && i > 2990)",
    "(name == \"xyzzy\" && i < 20)",
    "(len(name) == 0 && i >= 2985)",
    "(total > 4000000 && i > 2830 && i < 2834)",
    "(total >= 21 && i == 7)",
    "(main.total > 0 && -i == -9)",
    "(i+1 == 1500)",
    "(^i == -1001)",
    "(!flag && i*3 == 3003)",
])


def expected_stops():
    out = []
    total = 0
    names = ["abc", "abcd", "xyzzy", ""]
    for i in range(3000):
        small = ((i + 128) % 256) - 128
        u = (i * 7) % 65536
        flag = i % 2 == 0
        p = i % 3 == 0
        name = names[i % 4]
        hit = ((small == -56 and flag) or (20000 < u < 20008) or (p and i > 2990)
               or (name == "xyzzy" and i < 20) or (len(name) == 0 and i >= 2985)
               or (total > 4000000 and 2830 < i < 2834) or i == 7 or i == 9
               or i + 1 == 1500 or i == 1000 or (not flag and i == 1001))
        if hit:
            out.append(i)
        total += i
    return out


def run(godap, go_tc, ebpf):
    """Stops of VISIT (with their values), logpoint lines of VISIT3, the
    fallback breakpoint's stops at VISIT2, the program's output."""
    c, bps = begin(godap, go_tc, [
        {"line": L("VISIT"), "condition": COND},
        {"line": L("VISIT2"), "condition": "i % 1000 == 999"},
        {"line": L("VISIT3"), "condition": "i >= 2996", "logMessage": "v {i} {name} {r}"},
    ], ebpf)
    assert all(b["verified"] for b in bps), bps
    msgs = [b.get("message") for b in bps]
    stops = []
    while True:
        ev = next_stop_or_exit(c)
        if ev["event"] == "exited":
            break
        body = ev["body"]
        assert body["reason"] == "breakpoint", body
        tid = body["threadId"]
        i, line = evaluate(c, tid, "i")
        vals = tuple(evaluate(c, tid, e)[0] for e in ("small", "u", "flag", "name", "p == nil", "total"))
        stops.append((line, int(i)) + vals)
        c.request_ok("continue", {"threadId": tid})
    assert wait_exited(c) == 0
    logs = [m["body"]["output"].split("]: ", 1)[1] for m in c.events("output")
            if "]: v " in m["body"]["output"]]
    out = c.output_text("stdout")
    disconnect(c)
    return msgs, stops, logs, out


def test_ebpf_conditions_same_results_as_godap(godap, go_tc):
    why = kernel_allows()
    if why:
        pytest.skip(why)
    msgs_k, stops_k, logs_k, out_k = run(godap, go_tc, True)
    msgs_p, stops_p, logs_p, out_p = run(godap, go_tc, False)
    # Which path each breakpoint takes, said in the breakpoint.
    assert msgs_k == [KERNEL, None, KERNEL], msgs_k
    assert msgs_p == [None, None, None], msgs_p
    want = sorted([(L("VISIT"), i) for i in expected_stops()] +
                  [(L("VISIT2"), i) for i in (999, 1999, 2999)], key=lambda s: (s[1], s[0]))
    assert [s[:2] for s in stops_k] == want, stops_k
    assert stops_k == stops_p
    assert logs_k == [f"v {i} \"{['abc', 'abcd', 'xyzzy', ''][i % 4]}\" {2 * i + (i if i % 3 == 0 else 0)}\n"
                      for i in range(2996, 3000)], logs_k
    assert logs_k == logs_p
    assert "hits 3000 sum 10495500 total 4498500\n" in out_k
    assert out_k == out_p


def test_ebpf_fallback_says_why_and_still_works(godap, go_tc):
    """Conditions the compiler does not take (a call, an index, a field)
    stay with godap, and stop where they hold."""
    why = kernel_allows()
    if why:
        pytest.skip(why)
    c, bps = begin(godap, go_tc, [
        {"line": L("VISIT"), "condition": "p != nil && p.v == 2997"},
        {"line": L("VISIT2"), "condition": "len(name) == 5 && name[0] == 'x' && i == 2998"},
    ], True)
    assert [b.get("message") for b in bps] == [None, None], bps
    seen = []
    while True:
        ev = next_stop_or_exit(c)
        if ev["event"] == "exited":
            break
        tid = ev["body"]["threadId"]
        seen.append(evaluate(c, tid, "i"))
        c.request_ok("continue", {"threadId": tid})
    assert [s[0] for s in seen] == ["2997", "2998"], seen
    assert wait_exited(c) == 0
    assert "hits 3000 sum 10495500 total 4498500\n" in c.output_text("stdout")
    disconnect(c)
