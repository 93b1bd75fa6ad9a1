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


def begin(godap, go_tc, bps, ebpf, args=(), pads=None):
    c = godap.start(go_tc)
    initialize(c)
    # ebpf None: the attribute left out (the default is on); the same for
    # pads (ebpfJumpPads)
    extra = {} if ebpf is None else {"ebpfConditions": ebpf}
    if pads is not None:
        extra["ebpfJumpPads"] = pads
    r = launch(c, fixture_dir("ebpf"), args=list(args), **extra)
    assert r["success"], r.get("message")
    c.wait_event("initialized", TIMEOUT)
    body = c.request_ok("setBreakpoints", {"source": {"path": SRC}, "breakpoints": bps})
    c.request_ok("configurationDone")
    return c, body["breakpoints"]


def evaluate(c, tid, expr):
    fr = c.request_ok("stackTrace", {"threadId": tid, "levels": 1})["stackFrames"][0]
    return c.request_ok("evaluate", {"expression": expr, "frameId": fr["id"],
                                     "context": "watch"})["result"], fr["line"]


def each_stop(c, at_stop):
    """Until the program exits: at_stop(threadId) at every stop, then
    continue.  What at_stop returned, stop by stop."""
    out = []
    while True:
        ev = next_stop_or_exit(c)
        if ev["event"] == "exited":
            return out
        tid = ev["body"]["threadId"]
        out.append(at_stop(tid))
        c.request_ok("continue", {"threadId": tid})


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
    "(i % 1000 == 777)",               # % and / by a constant, signed
    "(-i / 7 == -300 && i % 7 == 3)",  # i = 2103
    "(u / 1000 == 17 && u % 1000 == 3)",  # uint16: u = 17003
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
               or i + 1 == 1500 or i == 1000 or (not flag and i == 1001)
               or i % 1000 == 777 or i == 2103 or u == 17003)
        if hit:
            out.append(i)
        total += i
    return out


def program_pid(c):
    return c.events("process")[0]["body"]["systemProcessId"]


# What a kernel condition leaves at its address: a jump pad's jmp (rel32),
# or the int3 of the uprobe (or of godap's own breakpoint).
JMP, INT3 = 0xE9, 0xCC
# Where godap maps the pads in a non-PIE Go program (core/core_pad.c).
PADS = range(0x100000, 0x200000)


def run(godap, go_tc, ebpf, pads=None):
    """Stops of VISIT (with their values), logpoint lines of VISIT3, the
    fallback breakpoint's stops at VISIT2, the program's output, and the
    first byte at VISIT's address at its first stop."""
    c, bps = begin(godap, go_tc, [
        {"line": L("VISIT"), "condition": COND},
        {"line": L("VISIT2"), "condition": "p != nil && p.v % 1000 == 999"},
        {"line": L("VISIT3"), "condition": "i >= 2996", "logMessage": "v {i} {name} {r}"},
    ], ebpf, pads=pads)
    body = c.request_ok("setBreakpoints", {"source": {"path": SRC}, "breakpoints": [
        {"line": L("VISIT"), "condition": COND},
        {"line": L("VISIT2"), "condition": "p != nil && p.v % 1000 == 999"},
        {"line": L("VISIT3"), "condition": "i >= 2996", "logMessage": "v {i} {name} {r}"},
        {"line": L("REG"), "condition": "i == 2500 || i % 1000 == 10"}]})
    bps = body["breakpoints"]
    assert all(b["verified"] for b in bps), bps
    msgs = [b.get("message") for b in bps]
    stops = []
    first = None
    while True:
        ev = next_stop_or_exit(c)
        if ev["event"] == "exited":
            break
        body = ev["body"]
        assert body["reason"] == "breakpoint", body
        tid = body["threadId"]
        i, line = evaluate(c, tid, "i")
        fr = c.request_ok("stackTrace", {"threadId": tid, "levels": 1})["stackFrames"][0]
        assert int(fr["instructionPointerReference"], 16) not in PADS, fr
        if line == L("VISIT") and first is None:
            first = text_bytes(program_pid(c), int(fr["instructionPointerReference"], 16), 1)[0]
        vals = tuple(evaluate(c, tid, e)[0] for e in (
            ("small", "u", "flag", "name", "p == nil", "total") if line != L("REG") else ("sink",)))
        stops.append((line, int(i)) + vals)
        c.request_ok("continue", {"threadId": tid})
    assert wait_exited(c) == 0
    logs = [m["body"]["output"].split("]: ", 1)[1] for m in c.events("output")
            if "]: v " in m["body"]["output"]]
    out = c.output_text("stdout")
    disconnect(c)
    return msgs, stops, logs, out, first


def test_ebpf_conditions_same_results_as_godap(godap, go_tc):
    """Three runs: conditions in the kernel with the uprobe on a jump pad
    (the default where the instruction fits), in the kernel with the
    uprobe on the instruction itself, and in godap."""
    why = kernel_allows()
    if why:
        pytest.skip(why)
    msgs_k, stops_k, logs_k, out_k, at_k = run(godap, go_tc, True)
    msgs_u, stops_u, logs_u, out_u, at_u = run(godap, go_tc, True, pads=False)
    msgs_p, stops_p, logs_p, out_p, _ = run(godap, go_tc, False)
    # VISIT's instruction (a load of a global) moves to a pad; without
    # pads the kernel's int3 is there.
    assert (at_k, at_u) == (JMP, INT3)
    assert (msgs_u, stops_u, logs_u, out_u) == (msgs_k, stops_k, logs_k, out_k)
    # Which path each breakpoint takes, said in the breakpoint.
    # VISIT3: a logpoint with a condition, both in the kernel (a string
    # among its values).
    # VISIT2: a field through a pointer that is often nil.
    assert msgs_k == [KERNEL, KERNEL, KLOG, KERNEL], msgs_k
    assert msgs_p == [None, None, None, None], msgs_p
    want = sorted([(L("VISIT"), i) for i in expected_stops()] +
                  [(L("VISIT2"), 999)] + [(L("REG"), i) for i in (10, 1010, 2010, 2500)], key=lambda s: (s[1], s[0]))
    assert [s[:2] for s in stops_k] == want, stops_k
    assert stops_k == stops_p
    assert logs_k == [f"v {i} \"{['abc', 'abcd', 'xyzzy', ''][i % 4]}\" {2 * i + (i if i % 3 == 0 else 0)}\n"
                      for i in range(2996, 3000)], logs_k
    assert logs_k == logs_p
    assert "hits 3000 sum 10495500 total 4498500 sink 4498500\n" in out_k
    assert out_k == out_p


def test_ebpf_fallback_says_why_and_still_works(godap, go_tc):
    """Conditions the compiler does not take (a conversion, an index)
    stay with godap, and stop where they hold."""
    why = kernel_allows()
    if why:
        pytest.skip(why)
    c, bps = begin(godap, go_tc, [
        {"line": L("VISIT"), "condition": "p != nil && uint8(p.v) == 181 && i == 2997"},
        {"line": L("VISIT2"), "condition": "len(name) == 5 && name[0] == 'x' && i == 2998"},
    ], True)
    # Which path, and why.
    assert [b.get("message") for b in bps] == [
        "condition evaluated by godap (not in the kernel: calls are not compiled)",
        "condition evaluated by godap (not in the kernel: an expression of this kind is not compiled)"], bps
    seen = each_stop(c, lambda tid: evaluate(c, tid, "i"))
    assert [s[0] for s in seen] == ["2997", "2998"], seen
    assert wait_exited(c) == 0
    assert "hits 3000 sum 10495500 total 4498500 sink 4498500\n" in c.output_text("stdout")
    disconnect(c)


FIELDS_COND = " || ".join([
    "o.in.k == -300",                                    # a struct argument, nested
    "(po != nil && po.pin != nil && po.pin.k == 1503)",  # through two pointers
    "(o.ok && o.a > 590)",                               # bool and int16 fields
    "(po != nil && po.in.name == \"xyzzy\" && i > 580)",  # a string field
    "(len(o.in.name) == 0 && i < 10)",
])


def run_fields(godap, go_tc, ebpf):
    c, bps = begin(godap, go_tc, [
        {"line": L("FIELDS"), "condition": FIELDS_COND},
        {"line": L("FIELDS2"), "condition": "i % 100 == 7 || i < 13",
         "logMessage": "f {i} {o.in.k} {o.in.name} {o.a} {o.ok} {po.a} {po.pin.k}"}],
        ebpf, args=["fields"])
    seen = each_stop(c, lambda tid: evaluate(c, tid, "i"))
    assert wait_exited(c) == 0
    logs = [m["body"]["output"].split("]: ", 1)[1] for m in c.events("output")
            if "]: f " in m["body"]["output"]]
    msgs = [b.get("message") for b in bps]
    out = c.output_text("stdout")
    disconnect(c)
    return msgs, seen, logs, out


def test_ebpf_fields(godap, go_tc):
    """Fields in kernel conditions and logpoints: of a struct argument,
    nested, through one and two pointers (nil ones among them: the line
    says where, as godap's own path does), a string field compared and
    its len, ints of several widths and a bool: the same stops and lines
    as godap's own path."""
    why = kernel_allows()
    if why:
        pytest.skip(why)
    msgs_k, seen_k, logs_k, out_k = run_fields(godap, go_tc, True)
    msgs_p, seen_p, logs_p, out_p = run_fields(godap, go_tc, False)
    assert msgs_k == [KERNEL, KLOG], msgs_k
    assert msgs_p == [None, None], msgs_p
    names = ["ab", "xyzzy", ""]
    want = sorted({300, 501} | {i for i in range(591, 600) if i % 2 == 0} |
                  {i for i in range(581, 600) if i % 3 == 0 and i % 5} | {1, 4, 7})
    assert [int(i) for i, _ in seen_k] == want, seen_k
    assert seen_k == seen_p
    def line(i):
        # po is nil when i % 5 == 0, po.pin when i % 4 == 0
        nil = "1:3: nil pointer dereference"
        pa = f"<po.a: {nil}>" if i % 5 == 0 else str(i)
        pk = (f"<po.pin.k: {nil}>" if i % 5 == 0 else
              "<po.pin.k: 1:7: nil pointer dereference>" if i % 4 == 0 else str(3 * i))
        return f"f {i} {-i} \"{names[(i + 1) % 3]}\" {i} {str(i % 2 == 0).lower()} {pa} {pk}\n"
    assert logs_k == [line(i) for i in sorted(set(range(13)) | set(range(7, 600, 100)))], logs_k
    assert logs_k == logs_p
    assert "fields sum" in out_k and out_k == out_p


def read_line(proc, timeout=30.0):
    """The next line of proc's stdout; b"" at its end; fails after timeout
    (a program left stopped would print nothing)."""
    import select
    r, _, _ = select.select([proc.stdout], [], [], timeout)
    assert r, f"pid {proc.pid} printed nothing for {timeout} s"
    return proc.stdout.readline()


def alive_after(proc, n=3):
    """proc goes on printing its "alive N" lines, N growing."""
    last = -1
    for _ in range(n):
        line = read_line(proc)
        assert line.startswith(b"alive "), line
        k = int(line.split()[1])
        assert k > last, (k, last)
        last = k


def text_bytes(pid, addr, n):
    with open(f"/proc/{pid}/mem", "rb") as f:
        f.seek(addr)
        return f.read(n)


def text_byte(pid, addr):
    return text_bytes(pid, addr, 1)[0]


def elf_bytes(path, vaddr, n):
    """n bytes at vaddr of the ELF executable at path, from its PT_LOAD
    segments: what the program's text holds untouched."""
    import struct
    with open(path, "rb") as f:
        hdr = f.read(64)
        phoff, = struct.unpack_from("<Q", hdr, 32)
        phentsize, phnum = struct.unpack_from("<HH", hdr, 54)
        for k in range(phnum):
            f.seek(phoff + k * phentsize)
            ptype, _, off, va, _, filesz, _, _ = struct.unpack("<IIQQQQQQ", f.read(56))
            if ptype == 1 and va <= vaddr and vaddr + n <= va + filesz:
                f.seek(off + vaddr - va)
                return f.read(n)
    raise AssertionError(f"{vaddr:#x} is in no PT_LOAD segment of {path}")


@pytest.mark.parametrize("pads", [True, False], ids=["pads", "nopads"])
def test_ebpf_detach_and_terminate_leave_no_uprobe(godap, go_tc, pads):
    """Without jump pads the uprobe is set for every process of the binary
    (the program filters on the thread group): another process of the same
    binary runs on unaffected while it is there.  With them it is on
    godap's pad file, mapped by the debugged program alone, which has a
    jmp at the address instead.  After a disconnect from an attached
    program whose condition holds at every hit (so hits are under way when
    it detaches), the program runs on, untraced, with its own bytes back
    and no process of the binary has the kernel's int3 any more; the same
    after terminate of a launched one."""
    import subprocess
    why = kernel_allows()
    if why:
        pytest.skip(why)
    exe = go_tc.build("ebpf")
    other = subprocess.Popen([exe, "forever"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    prog = subprocess.Popen([exe, "forever"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert read_line(prog) == b"alive 0\n"
        assert read_line(other) == b"alive 0\n"
        c = godap.start(go_tc)
        initialize(c)
        c.request_ok("attach", {"request": "attach", "mode": "local", "processId": prog.pid,
                                "ebpfConditions": True, "ebpfJumpPads": pads})
        c.wait_event("initialized", TIMEOUT)
        body = c.request_ok("setBreakpoints", {"source": {"path": SRC}, "breakpoints": [
            {"line": L("VISIT"), "condition": "i >= 0"}]})
        assert body["breakpoints"][0].get("message") == KERNEL, body
        c.request_ok("configurationDone")
        addr = None
        for _ in range(3):
            ev = next_stop_or_exit(c)
            assert ev["event"] == "stopped", ev
            tid = ev["body"]["threadId"]
            fr = c.request_ok("stackTrace", {"threadId": tid, "levels": 1})["stackFrames"][0]
            assert fr["line"] == L("VISIT"), fr
            addr = int(fr["instructionPointerReference"], 16)
            # Without pads the kernel's int3 is in every process of the
            # binary; with them only the debugged one has our jmp (read
            # at a stop: a resume lifts it while it steps the thread
            # over the breakpoint).
            assert text_byte(other.pid, addr) == (INT3 if not pads else elf_bytes(exe, addr, 1)[0])
            if pads:
                assert text_byte(prog.pid, addr) == JMP
            c.request_ok("continue", {"threadId": tid})
        # The other one runs on.
        alive_after(other)
        disconnect(c)
        assert prog.poll() is None
        with open(f"/proc/{prog.pid}/status") as f:
            assert "TracerPid:\t0" in f.read()
        alive_after(prog)
        assert text_bytes(prog.pid, addr, 8) == elf_bytes(exe, addr, 8)
        assert text_bytes(other.pid, addr, 8) == elf_bytes(exe, addr, 8)
        assert prog.poll() is None and other.poll() is None

        # terminate of a launched program: nothing left either.
        # (mode exec on the same file as the other process)
        c = godap.start(go_tc)
        initialize(c)
        r = launch(c, exe, mode="exec", args=["forever"], ebpfConditions=True,
                   ebpfJumpPads=pads)
        assert r["success"], r.get("message")
        c.wait_event("initialized", TIMEOUT)
        bps = c.request_ok("setBreakpoints", {"source": {"path": SRC}, "breakpoints": [
            {"line": L("VISIT"), "condition": "i >= 0"}]})["breakpoints"]
        assert bps[0].get("message") == KERNEL, bps
        c.request_ok("configurationDone")
        ev = next_stop_or_exit(c)
        assert ev["event"] == "stopped", ev
        assert text_byte(other.pid, addr) == (INT3 if not pads else elf_bytes(exe, addr, 1)[0])
        if pads:
            assert text_byte(program_pid(c), addr) == JMP
        c.request_ok("continue", {"threadId": ev["body"]["threadId"]})
        c.request_ok("terminate", {})
        c.wait_event("terminated", TIMEOUT)
        disconnect(c)
        assert text_bytes(other.pid, addr, 8) == elf_bytes(exe, addr, 8)
        alive_after(other)
        assert other.poll() is None
    finally:
        for p in (prog, other):
            p.kill()
            p.wait()


PAR_COND = "(i % 1000 > 400 && i % 1000 < 404) || i % 1000 == 999"
PAR_KCOND = ("(i > 400 && i < 404) || (i > 1400 && i < 1404) || (i > 2400 && i < 2404) || "
             "(i > 3400 && i < 3404) || i == 999 || i == 1999 || i == 2999 || i == 3999")


def test_ebpf_goroutines_hitting_at_once(godap, go_tc):
    """Four goroutines on their own threads hit the breakpoint at once:
    every hit whose condition holds stops exactly once (a thread whose
    hit comes while the others are being stopped is put back and hits
    again after the resume), none is lost, none runs twice."""
    why = kernel_allows()
    if why:
        pytest.skip(why)
    want = sorted(k * 1000 + j for k in range(4) for j in (401, 402, 403, 999))
    for ebpf, cond, pads in ((True, PAR_KCOND, None), (True, PAR_KCOND, False),
                             (None, PAR_COND, None), (False, PAR_COND, None)):
        c, bps = begin(godap, go_tc, [{"line": L("VISIT"), "condition": cond}] +
                       [{"line": L(f"ACC{k}"), "condition": "i < 0"} for k in range(4)],
                       ebpf, args=["par"], pads=pads)
        assert [b.get("message") for b in bps] == [KERNEL if ebpf is not False else None] * 5, bps
        def at_stop(tid):
            i, line = evaluate(c, tid, "i")
            assert line == L("VISIT")
            # The other goroutines were stopped wherever they ran, often
            # inside VISIT's jump pad: each is shown at the original code.
            for t in c.request_ok("threads")["threads"]:
                frames = c.request_ok("stackTrace", {"threadId": t["id"], "levels": 1})["stackFrames"]
                for fr in frames:
                    ip = fr.get("instructionPointerReference")
                    assert ip is None or int(ip, 16) not in PADS, (t, fr)
            return int(i)
        seen = each_stop(c, at_stop)
        assert sorted(seen) == want, (ebpf, pads, seen)
        assert wait_exited(c) == 0
        assert "par calls 4000\n" in c.output_text("stdout")
        # Each goroutine's own sum: no pass of an ACC line lost or doubled.
        sums = " ".join(str(sum(k * 1000 + j for j in range(1000))) for k in range(4))
        assert f"par sums {sums}\n" in c.output_text("stdout"), (ebpf, pads)
        disconnect(c)


# Logpoints read in the kernel: the values go through a BPF ring buffer and
# godap prints them; the thread never stops.
KLOG = "logpoint values read in the kernel (eBPF uprobe, ring buffer): the thread does not stop"
KLOG_FALLBACK = "logpoint formatted by godap at a stop (not in the kernel: "


def logs_to_exit(c):
    """Runs the program to its exit with no stop: its logpoint lines (text,
    source line) and its own output."""
    ev = next_stop_or_exit(c)
    assert ev["event"] == "exited", ev
    assert wait_exited(c) == 0
    logs = [(m["body"]["output"], m["body"].get("line")) for m in c.events("output")
            if m["body"].get("category") == "stdout" and m["body"]["output"].startswith("> [Go ")]
    return logs, c.output_text("stdout")


def run_logpoints(godap, go_tc, ebpf):
    """Every output event of the logpoints (text, source line), the stopped
    events seen, the breakpoint messages and the program's output."""
    c, bps = begin(godap, go_tc, [
        # a hit condition: godap counts the hits (int3 path)
        {"line": L("VISIT"), "hitCondition": ">= 2998", "logMessage": "hit {i}"},
        # a string value
        {"line": L("VISIT2"), "logMessage": "name {name} {i}"},
        # integers of several widths and signs, bools, arithmetic
        {"line": L("VISIT3"), "logMessage":
         "r={r} i={i} small={small} u={u} flag={flag} neg={-i} even={i%2 == 0} len={len(name)}"},
        # a global, unqualified; a plain-text logpoint
        {"line": L("REG"), "logMessage": "reg {i} sink={sink} {main.total > 100}"},
    ], ebpf)
    assert all(b["verified"] for b in bps), bps
    msgs = [b.get("message") for b in bps]
    logs, out = logs_to_exit(c)
    stopped = c.events("stopped")
    disconnect(c)
    return msgs, logs, stopped, out


def expected_logs():
    names = ["abc", "abcd", "xyzzy", ""]
    lines = []
    total = sink = 0
    for i in range(3000):
        small = ((i + 128) % 256) - 128
        u = (i * 7) % 65536
        name = names[i % 4]
        if i + 1 >= 2998:
            lines.append((f"> [Go 1]: hit {i}\n", L("VISIT")))
        total += i
        lines.append((f"> [Go 1]: name \"{name}\" {i}\n", L("VISIT2")))
        r = 2 * i + (i if i % 3 == 0 else 0)
        lines.append((f"> [Go 1]: r={r} i={i} small={small} u={u} = {u:#x} flag={str(i % 2 == 0).lower()} "
                      f"neg={-i} even={str(i % 2 == 0).lower()} len={len(name)}\n", L("VISIT3")))
        lines.append((f"> [Go 1]: reg {i} sink={sink} {str(total > 100).lower()}\n", L("REG")))
        sink += i
    return lines


def test_ebpf_logpoints_same_lines_without_stopping(godap, go_tc):
    """The same logpoints with the kernel path and without it print the
    same lines, every hit, in the program's order, and the same program
    output; the kernel path never stops; what it cannot print says why and
    still logs through godap."""
    why = kernel_allows()
    if why:
        pytest.skip(why)
    msgs_k, logs_k, stopped_k, out_k = run_logpoints(godap, go_tc, True)
    msgs_p, logs_p, stopped_p, out_p = run_logpoints(godap, go_tc, False)
    assert msgs_k[1:] == [KLOG] * 3, msgs_k
    assert msgs_k[0] == KLOG_FALLBACK + "a hit condition needs godap to count the hits)", msgs_k
    assert msgs_p == [None, None, None, None], msgs_p
    assert stopped_k == [] and stopped_p == []
    want = expected_logs()
    assert len(logs_k) == len(want)
    for got, w in zip(logs_k, want):
        assert got == w
    assert logs_p == logs_k
    assert "hits 3000 sum 10495500 total 4498500 sink 4498500\n" in out_k
    assert out_k == out_p


@pytest.mark.parametrize("pads", [True, False], ids=["pads", "nopads"])
def test_ebpf_logpoint_detach_and_terminate_leave_no_uprobe(godap, go_tc, pads):
    """A kernel logpoint on a program that runs on (attached, then
    launched): its lines arrive while the program runs, without a stop;
    after disconnect (attached) or terminate (launched) no process of the
    binary keeps the kernel's int3 (nor the pad's jmp), the attached one
    runs on untraced and another process of the binary is unaffected
    throughout (with pads, it never sees the uprobe)."""
    import subprocess
    why = kernel_allows()
    if why:
        pytest.skip(why)
    exe = go_tc.build("ebpf")
    other = subprocess.Popen([exe, "forever"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    prog = subprocess.Popen([exe, "forever"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def logpoint_lines(c, n):
        """Puts the logpoint at VISIT3 after one stop there (for its
        address), then waits for n of its lines with no stop between."""
        body = c.request_ok("setBreakpoints", {"source": {"path": SRC}, "breakpoints": [
            {"line": L("VISIT3")}]})
        assert body["breakpoints"][0]["verified"], body
        c.request_ok("configurationDone")
        ev = next_stop_or_exit(c)
        assert ev["event"] == "stopped", ev
        tid = ev["body"]["threadId"]
        fr = c.request_ok("stackTrace", {"threadId": tid, "levels": 1})["stackFrames"][0]
        assert fr["line"] == L("VISIT3"), fr
        addr = int(fr["instructionPointerReference"], 16)
        body = c.request_ok("setBreakpoints", {"source": {"path": SRC}, "breakpoints": [
            {"line": L("VISIT3"), "logMessage": "at {i}"}]})
        assert body["breakpoints"][0].get("message") == KLOG, body
        nstop = len(c.events("stopped"))
        c.request_ok("continue", {"threadId": tid})
        got = [int(c.wait_event("output", TIMEOUT, predicate=lambda b: "]: at " in b.get(
            "output", ""))["body"]["output"].split("]: at ")[1]) for _ in range(n)]
        assert got[:n] == list(range(got[0], got[0] + n)), got[:n]
        assert len(c.events("stopped")) == nstop
        return addr

    try:
        assert read_line(prog) == b"alive 0\n"
        assert read_line(other) == b"alive 0\n"
        c = godap.start(go_tc)
        initialize(c)
        c.request_ok("attach", {"request": "attach", "mode": "local", "processId": prog.pid,
                                "ebpfConditions": True, "ebpfJumpPads": pads})
        c.wait_event("initialized", TIMEOUT)
        addr = logpoint_lines(c, 50)
        assert text_byte(other.pid, addr) == (INT3 if not pads else elf_bytes(exe, addr, 1)[0])
        if pads:
            assert text_byte(prog.pid, addr) == JMP
        alive_after(other)
        disconnect(c)
        assert prog.poll() is None
        with open(f"/proc/{prog.pid}/status") as f:
            assert "TracerPid:\t0" in f.read()
        alive_after(prog)
        assert text_bytes(prog.pid, addr, 8) == elf_bytes(exe, addr, 8)
        assert text_bytes(other.pid, addr, 8) == elf_bytes(exe, addr, 8)

        c = godap.start(go_tc)
        initialize(c)
        r = launch(c, exe, mode="exec", args=["forever"], ebpfConditions=True,
                   ebpfJumpPads=pads)
        assert r["success"], r.get("message")
        c.wait_event("initialized", TIMEOUT)
        assert logpoint_lines(c, 50) == addr
        assert text_byte(other.pid, addr) == (INT3 if not pads else elf_bytes(exe, addr, 1)[0])
        if pads:
            assert text_byte(program_pid(c), addr) == JMP
        c.request_ok("terminate", {})
        c.wait_event("terminated", TIMEOUT)
        disconnect(c)
        assert text_bytes(other.pid, addr, 8) == elf_bytes(exe, addr, 8)
        alive_after(other)
        assert other.poll() is None and prog.poll() is None
    finally:
        for p in (prog, other):
            p.kill()
            p.wait()


def go_quote(b):
    """strconv.Quote of the byte strings the strs fixture uses."""
    out = ['"']
    i = 0
    while i < len(b):
        c = b[i]
        if c >= 0x80:
            n = 4 if c >= 0xf0 else 3 if c >= 0xe0 else 2 if c >= 0xc0 else 0
            try:
                ch = b[i:i + n].decode("utf-8") if n else None
            except UnicodeDecodeError:
                ch = None
            if ch is None or len(ch) != 1 or not ch.isprintable():
                out.append(f"\\x{c:02x}")
                i += 1
                continue
            out.append(ch)
            i += n
            continue
        out.append({0x22: '\\"', 0x5c: "\\\\", 0x09: "\\t", 0x0a: "\\n"}.get(
            c, chr(c) if 0x20 <= c < 0x7f else f"\\x{c:02x}"))
        i += 1
    return "".join(out) + '"'


def shown(s, max_string=512):
    """A string as a logpoint shows it: cut at maxStringLen, the cut said
    inside the quotes."""
    if len(s) > max_string:
        return go_quote(s[:max_string] + f"...+{len(s) - max_string} more".encode())
    return go_quote(s)


STRS = [b"", b"plain", b'q"uo\\te', "h\u00e9llo, \u4e16\u754c".encode(), b"\x00\x01\xff\t\n",
        b"0123456789" * 60, (b"0123456789" * 60)[:512], (b"0123456789" * 60)[:513], b"tail"]
STRS_LOGS = [
    # strings: locals/arguments and a global, every hit
    {"line": L("SAY"), "logMessage": "s={s} t={t} g={gstr} i={i} len={len(s)}"},
    # a condition and a logpoint in one program: only the hits where it holds
    {"line": L("SAY2"), "condition": "i % 7 == 3 && t != \"tail\"", "logMessage": "c {i} {s}"},
    # a pointer: godap shows the pointee, which the kernel does not read
    {"line": L("SAY3"), "logMessage": "b={b} {i}"},
]


def expected_strs(max_string=512):
    lines = []
    for i in range(300):
        s, t = STRS[i % len(STRS)], STRS[(i + 1) % len(STRS)]
        lines.append((f"> [Go 1]: s={shown(s, max_string)} t={shown(t, max_string)} "
                      f"g={shown(t, max_string)} i={i} len={len(s)}\n", L("SAY")))
        if i % 2 == 1 and i % 7 == 3 and t != b"tail":
            lines.append((f"> [Go 1]: c {i} {shown(s, max_string)}\n", L("SAY2")))
        lines.append((f"> [Go 1]: b={'*main.box {n: %d}' % i if i % 2 == 1 else '*main.box nil'} {i}\n",
                      L("SAY3")))
    return lines


def run_strs(godap, go_tc, ebpf, **extra):
    c = godap.start(go_tc)
    initialize(c)
    r = launch(c, fixture_dir("ebpf"), args=["strs"], ebpfConditions=ebpf, **extra)
    assert r["success"], r.get("message")
    c.wait_event("initialized", TIMEOUT)
    bps = c.request_ok("setBreakpoints", {"source": {"path": SRC},
                                          "breakpoints": STRS_LOGS})["breakpoints"]
    c.request_ok("configurationDone")
    assert all(b["verified"] for b in bps), bps
    logs, out = logs_to_exit(c)
    disconnect(c)
    return [b.get("message") for b in bps], logs, out


STRS_OUT = "strs calls 300 sum %d\n" % sum(
    len(STRS[i % len(STRS)]) + i + (i if i % 2 == 1 else 0) for i in range(300))


def test_ebpf_logpoint_strings_and_condition(godap, go_tc):
    """Strings printed from the kernel (empty, quotes, non-ASCII, bytes
    that need escapes, longer than maxStringLen) and a logpoint with a
    condition read in one kernel program give the very lines godap's own
    path gives, every hit, in order; a pointer (godap shows its pointee)
    stays with godap and says why."""
    why = kernel_allows()
    if why:
        pytest.skip(why)
    msgs_k, logs_k, out_k = run_strs(godap, go_tc, True)
    msgs_p, logs_p, out_p = run_strs(godap, go_tc, False)
    assert msgs_k[:2] == [KLOG, KLOG], msgs_k
    assert msgs_k[2] == KLOG_FALLBACK + ("{b}: only integers, bools and strings are "
                                         "printed from the kernel)"), msgs_k
    assert msgs_p == [None, None, None], msgs_p
    want = expected_strs()
    assert len(logs_k) == len(want)
    for got, w in zip(logs_k, want):
        assert got == w
    assert logs_p == logs_k
    assert STRS_OUT in out_k
    assert out_k == out_p


def test_ebpf_logpoint_strings_follow_max_string_len(godap, go_tc):
    """maxStringLen below the kernel's 512 bytes: the kernel copies that
    much and cuts as godap does; above it, the string logpoints stay with
    godap and say why (the lines are the same either way)."""
    why = kernel_allows()
    if why:
        pytest.skip(why)
    msgs_k, logs_k, out_k = run_strs(godap, go_tc, True, maxStringLen=7)
    msgs_p, logs_p, out_p = run_strs(godap, go_tc, False, maxStringLen=7)
    assert msgs_k[:2] == [KLOG, KLOG], msgs_k
    assert logs_k == expected_strs(7)
    assert logs_p == logs_k and out_k == out_p
    msgs_k, logs_k, out_k = run_strs(godap, go_tc, True, maxStringLen=600)
    # (the logpoint with a condition keeps its condition in the kernel)
    assert msgs_k[:2] == [KLOG_FALLBACK + "{s}: maxStringLen 600 is more than the kernel "
                          "copies (512))", KERNEL], msgs_k
    assert logs_k == expected_strs(600)
    assert STRS_OUT in out_k


def watch_at_first_stop(c, bps, ebpf, name, spec):
    """The two breakpoints took the path asked for; at the first stop, a
    watchpoint on `name` (spec: its accessType, maybe a condition) is
    armed.  The stopped thread."""
    assert [b.get("message") for b in bps] == [KERNEL if ebpf else None] * 2, bps
    ev = next_stop_or_exit(c)
    assert ev["event"] == "stopped", ev
    tid = ev["body"]["threadId"]
    fid = c.request_ok("stackTrace", {"threadId": tid, "levels": 1})["stackFrames"][0]["id"]
    info = c.request_ok("dataBreakpointInfo", {"name": name, "frameId": fid})
    assert info["dataId"], info
    wbp = c.request_ok("setDataBreakpoints", {"breakpoints": [
        dict(spec, dataId=info["dataId"])]})["breakpoints"]
    assert wbp[0]["verified"], wbp
    return tid


def watch_in_pad(godap, go_tc, ebpf, pads=None):
    """par with a condition on ACC0 (never true) and a watchpoint on acc0,
    whose write is the instruction ACC0's pad runs (ebpf), that the uprobe
    sits on (ebpf, pads False), or that godap steps over its int3 (not
    ebpf): the stop (with its frame) and the program's sums."""
    c, bps = begin(godap, go_tc, [
        {"line": L("ACC0"), "condition": "i < 0"},
        {"line": L("PAR"), "condition": "i == 10"}], ebpf, args=["par"], pads=pads)
    tid = watch_at_first_stop(c, bps, ebpf, "main.acc0",
                              {"accessType": "write", "condition": "i == 500"})
    c.request_ok("setBreakpoints", {"source": {"path": SRC}, "breakpoints": [
        {"line": L("ACC0"), "condition": "i < 0"}]})
    c.request_ok("continue", {"threadId": tid})
    ev = next_stop_or_exit(c)
    assert ev["event"] == "stopped" and ev["body"]["reason"] == "data breakpoint", ev
    tid = ev["body"]["threadId"]
    fr = c.request_ok("stackTrace", {"threadId": tid, "levels": 1})["stackFrames"][0]
    assert int(fr["instructionPointerReference"], 16) not in PADS, fr
    stop = (ev["body"]["description"], fr["name"], fr["line"], fr["instructionPointerReference"])
    c.request_ok("setDataBreakpoints", {"breakpoints": []})
    c.request_ok("continue", {"threadId": tid})
    ev = next_stop_or_exit(c)
    assert ev["event"] == "exited", ev
    assert wait_exited(c) == 0
    out = c.output_text("stdout")
    disconnect(c)
    return stop, out


def test_ebpf_watchpoint_hit_inside_a_jump_pad(godap, go_tc):
    """A watchpoint hit by the instruction a jump pad runs stops where the
    same hit stops on godap's own path: after the instruction, in the
    original code, with the same values.  With the uprobe on the
    instruction itself (ebpfJumpPads false) the kernel's out-of-line
    single step would swallow that hit: while a watchpoint is armed,
    godap's int3 stands in for such a uprobe, and the stop is the same."""
    why = kernel_allows()
    if why:
        pytest.skip(why)
    stop_k, out_k = watch_in_pad(godap, go_tc, True)
    stop_n, out_n = watch_in_pad(godap, go_tc, True, pads=False)
    stop_u, out_u = watch_in_pad(godap, go_tc, False)
    before = sum(range(500))
    assert stop_k[0] == f"main.acc0 changed from {before} to {before + 500}", stop_k
    assert stop_k[1] == "main.add0", stop_k
    assert stop_k == stop_u
    assert stop_n == stop_u
    sums = " ".join(str(sum(k * 1000 + j for j in range(1000))) for k in range(4))
    assert f"par sums {sums}\n" in out_k
    assert out_k == out_u
    assert out_n == out_u


def start_pie(godap, go_tc, tmp_path, args):
    """The ebpf fixture built with -buildmode=pie, launched with kernel
    conditions, up to its initialized event: the client and the
    executable."""
    import subprocess
    exe = str(tmp_path / "ebpf-pie")
    r = subprocess.run(["go", "build", "-buildmode=pie", "-gcflags=all=-N -l", "-o", exe, "."],
                       cwd=fixture_dir("ebpf"), env=go_tc.full_env(), capture_output=True,
                       text=True, timeout=900)
    assert r.returncode == 0, r.stderr
    c = godap.start(go_tc)
    initialize(c)
    r = launch(c, exe, mode="exec", args=args, ebpfConditions=True)
    assert r["success"], r.get("message")
    c.wait_event("initialized", TIMEOUT)
    return c, exe


def read_watch_at_visit(godap, go_tc, ebpf, pads=None):
    """A read-write watchpoint on main.total armed at a stop in reg();
    VISIT's first instruction reads total, under a kernel condition that
    never holds (ebpf) or godap's int3: the next stop."""
    c, bps = begin(godap, go_tc, [
        {"line": L("VISIT"), "condition": "i < 0"},
        {"line": L("REG"), "condition": "i == 10"}], ebpf, pads=pads)
    tid = watch_at_first_stop(c, bps, ebpf, "main.total", {"accessType": "readWrite"})
    c.request_ok("continue", {"threadId": tid})
    ev = next_stop_or_exit(c)
    assert ev["event"] == "stopped" and ev["body"]["reason"] == "data breakpoint", ev
    tid = ev["body"]["threadId"]
    fr = c.request_ok("stackTrace", {"threadId": tid, "levels": 1})["stackFrames"][0]
    i, _ = evaluate(c, tid, "i")
    stop = (ev["body"].get("description"), fr["name"], fr["line"],
            fr["instructionPointerReference"], i)
    c.request_ok("setDataBreakpoints", {"breakpoints": []})
    c.request_ok("setBreakpoints", {"source": {"path": SRC}, "breakpoints": []})
    c.request_ok("continue", {"threadId": tid})
    assert wait_exited(c) == 0
    out = c.output_text("stdout")
    disconnect(c)
    return stop, out


def test_ebpf_read_watchpoint_on_the_probed_instruction(godap, go_tc):
    """A read-write watchpoint hit by a read the probed instruction does:
    without a pad the kernel would step it out of line and lose the hit,
    and godap's own first step over its int3 is a single step in place
    (no scratch page yet), whose trap carries the hit too.  The first
    access stops, as on godap's own path and through a pad."""
    why = kernel_allows()
    if why:
        pytest.skip(why)
    stop_n, out_n = read_watch_at_visit(godap, go_tc, True, pads=False)
    stop_k, out_k = read_watch_at_visit(godap, go_tc, True)
    stop_u, out_u = read_watch_at_visit(godap, go_tc, False)
    total = sum(range(11))  # before pass 11 adds i
    assert stop_u[0] == f"main.total accessed (value {total})", stop_u
    assert stop_u[1:3] == ("main.visit", L("VISIT")) and stop_u[4] == "11", stop_u
    assert stop_n == stop_u
    assert stop_k == stop_u
    assert "hits 3000 sum 10495500 total 4498500 sink 4498500\n" in out_u
    assert out_n == out_u and out_k == out_u


def test_ebpf_jump_pads_in_a_pie_program(godap, go_tc, tmp_path):
    """A position-independent program: its text is far above the low
    addresses a non-PIE program leaves free, and the pads go near it
    (a rel32 jmp must reach them).  The same stops and output as the
    non-PIE runs, through a pad."""
    why = kernel_allows()
    if why:
        pytest.skip(why)
    c, exe = start_pie(godap, go_tc, tmp_path, [])
    bps = c.request_ok("setBreakpoints", {"source": {"path": SRC}, "breakpoints": [
        {"line": L("VISIT"), "condition": COND}]})["breakpoints"]
    assert bps[0].get("message") == KERNEL, bps
    c.request_ok("configurationDone")
    firsts = []

    def at_stop(tid):
        i, line = evaluate(c, tid, "i")
        assert line == L("VISIT")
        fr = c.request_ok("stackTrace", {"threadId": tid, "levels": 1})["stackFrames"][0]
        ip = int(fr["instructionPointerReference"], 16)
        assert ip > 1 << 32, fr  # PIE text, where the kernel put it
        if not firsts:
            firsts.append(text_byte(program_pid(c), ip))
        return int(i)
    seen = each_stop(c, at_stop)
    assert wait_exited(c) == 0
    assert firsts == [JMP]
    assert seen == expected_stops()
    assert "hits 3000 sum 10495500 total 4498500 sink 4498500\n" in c.output_text("stdout")
    disconnect(c)


def test_ebpf_program_killed_while_stepped_over_a_breakpoint(godap, go_tc):
    """The program is SIGKILLed just as godap resumes it off a breakpoint
    (stepping the thread over it, waiting on that thread): godap reports
    the exit and goes on answering.  Waiting on the one thread alone hung,
    since the kernel reports the main thread's death only after the other
    threads' have been reaped."""
    import signal
    why = kernel_allows()
    if why:
        pytest.skip(why)
    for _ in range(4):
        c, bps = begin(godap, go_tc, [{"line": L("VISIT"), "condition": "i >= 0"}], True,
                       args=["forever"])
        assert bps[0].get("message") == KERNEL, bps
        pid = program_pid(c)
        for _ in range(5):
            ev = next_stop_or_exit(c)
            assert ev["event"] == "stopped", ev
            c.request_ok("continue", {"threadId": ev["body"]["threadId"]})
        ev = next_stop_or_exit(c)
        assert ev["event"] == "stopped", ev
        c.send_request("continue", {"threadId": ev["body"]["threadId"]})
        os.kill(pid, signal.SIGKILL)
        c.wait_event("exited", TIMEOUT)
        c.request_ok("threads")
        disconnect(c)



@pytest.mark.parametrize("path", ["pads", "nopads", "int3"])
def test_ebpf_program_execs_itself(godap, go_tc, path):
    """The program runs execve of itself: godap's int3s, jmps and
    uprobes went with the old image (none is written into the new one),
    and the breakpoints are set again in the new image, whose stops are
    those of the first, on every path."""
    if path != "int3" and kernel_allows():
        pytest.skip(kernel_allows())
    ebpf = path != "int3"
    c, bps = begin(godap, go_tc, [{"line": L("VISIT"), "condition": "i == 5 || i == 2995"}],
                   ebpf, args=["exec"], pads=(path == "pads") if ebpf else None)
    assert bps[0].get("message") == (KERNEL if ebpf else None), bps
    seen = each_stop(c, lambda tid: evaluate(c, tid, "i"))
    assert seen == [("5", L("VISIT")), ("2995", L("VISIT"))] * 2, seen
    assert wait_exited(c) == 0
    assert c.output_text("stdout") == "hits 3000 sum 10495500 total 4498500 sink 4498500\n" * 2
    assert "godap: the program ran execve: now " in c.output_text("console")
    disconnect(c)


def test_ebpf_pie_program_execs_itself(godap, go_tc, tmp_path):
    """The same with -buildmode=pie: the new image is loaded elsewhere
    (ASLR), the breakpoint goes at its new address, through a new pad."""
    why = kernel_allows()
    if why:
        pytest.skip(why)
    c, exe = start_pie(godap, go_tc, tmp_path, ["exec"])
    bps = c.request_ok("setBreakpoints", {"source": {"path": SRC}, "breakpoints": [
        {"line": L("VISIT"), "condition": "i == 5 || i == 2995"}]})["breakpoints"]
    assert bps[0].get("message") == KERNEL, bps
    c.request_ok("configurationDone")
    ips = []

    def at_stop(tid):
        fr = c.request_ok("stackTrace", {"threadId": tid, "levels": 1})["stackFrames"][0]
        ip = int(fr["instructionPointerReference"], 16)
        if len(ips) in (0, 2):  # the first stop in each image
            assert text_byte(program_pid(c), ip) == JMP
        ips.append(ip)
        return evaluate(c, tid, "i")
    seen = each_stop(c, at_stop)
    assert seen == [("5", L("VISIT")), ("2995", L("VISIT"))] * 2, seen
    assert ips[0] == ips[1] and ips[2] == ips[3], [hex(i) for i in ips]
    assert wait_exited(c) == 0
    assert c.output_text("stdout") == "hits 3000 sum 10495500 total 4498500 sink 4498500\n" * 2
    disconnect(c)


def test_program_execs_what_godap_cannot_debug(godap, go_tc):
    """The program runs execve of a program that is not Go: godap says
    so, lets it go (no longer traced, no int3 of ours in it), and ends
    the session."""
    import shutil
    sleep = shutil.which("sleep")
    c, bps = begin(godap, go_tc, [{"line": L("VISIT"), "condition": "i == 5"}],
                   False, args=["exec", sleep, "60"])
    ev = next_stop_or_exit(c)
    assert ev["event"] == "stopped", ev
    pid = program_pid(c)
    c.request_ok("continue", {"threadId": ev["body"]["threadId"]})
    c.wait_event("terminated", TIMEOUT)
    console = c.output_text("console")
    assert f"godap: the program ran execve of {os.path.realpath(sleep)}, which godap cannot debug" in console, console
    assert f"pid {pid} runs on, detached" in console, console
    try:
        with open(f"/proc/{pid}/status") as f:
            status = f.read()
        assert "\nTracerPid:\t0\n" in status, status
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            assert f.read().split(b"\0")[:2] == [sleep.encode(), b"60"]
    finally:
        os.kill(pid, 9)
    disconnect(c)
