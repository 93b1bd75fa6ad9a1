"""The rest of the DAP surface: disassemble, readMemory/writeMemory and
memoryReference, loadedSources/source/modules, completions, console
commands, goroutine filters and pprof labels, maxStringLen/maxArrayValues,
Delve location syntax in function breakpoints, stepInTargets,
gotoTargets/goto, cancel, invalidated events.

Fixture: test/fixtures/surface.  Every test runs once per Go toolchain and
godap binary."""

import base64
import os
import re
import subprocess

from godap_testlib import (TIMEOUT, disconnect, fixture_src, marker_line,
                           start, top_frame, wait_exited, wait_stopped)

SRC = fixture_src("surface")


def stop_at(godap, go_tc, markers, init_extra=None, **launch):
    """godap stopped at the first of markers (exec mode)."""
    c = godap.start(go_tc)
    lines = [marker_line(SRC, m) for m in markers]
    if init_extra:
        c.request_ok("initialize", dict({
            "clientID": "godap-tests", "adapterID": "godap",
            "pathFormat": "path", "linesStartAt1": True,
            "columnsStartAt1": True}, **init_extra))
        resp = c.request("launch", dict({"request": "launch", "name": "t", "type": "godap",
                                         "mode": "exec", "program": go_tc.build("surface")},
                                        **launch), timeout=600)
        assert resp["success"], resp
        c.wait_event("initialized", TIMEOUT)
        c.request_ok("setBreakpoints", {"source": {"path": SRC},
                                        "breakpoints": [{"line": ln} for ln in lines]})
        c.request_ok("configurationDone")
    else:
        bps = start(c, go_tc.build("surface"), "exec", {SRC: lines}, **launch)[SRC]
        assert all(b["verified"] for b in bps), bps
    ev = wait_stopped(c, "breakpoint")
    return c, ev["threadId"]


def finish(c):
    c.request_ok("continue", {"threadId": 1})
    wait_exited(c)
    disconnect(c)


def objdump(go_tc, binary, func):
    """{address: Go-syntax text} of func as `go tool objdump` prints it."""
    pat = func if "\\" in func else "^" + re.escape(func) + "$"
    r = subprocess.run(["go", "tool", "objdump", "-s", pat, binary],
                       env=go_tc.full_env(), capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    out = {}
    for line in r.stdout.splitlines():
        parts = line.strip().split("\t")
        parts = [p for p in parts if p]
        if len(parts) >= 4 and parts[1].startswith("0x"):
            out[int(parts[1], 16)] = " ".join(parts[3].split())
    assert out, r.stdout
    return out


def frame_locals(c, tid):
    fid = top_frame(c, tid)["id"]
    sc = c.request_ok("scopes", {"frameId": fid})["scopes"]
    vs = c.request_ok("variables", {"variablesReference": sc[0]["variablesReference"]})["variables"]
    return fid, {v["name"]: v for v in vs}


# ------------------------------------------------------------ disassemble

def test_disassemble_around_pc_go_syntax(godap, go_tc):
    c, tid = stop_at(godap, go_tc, ["BP1"])
    fr = top_frame(c, tid)
    ip = int(fr["instructionPointerReference"], 16)
    # As VS Code's Disassembly view asks: instructions before and after.
    body = c.request_ok("disassemble", {"memoryReference": fr["instructionPointerReference"],
                                        "instructionOffset": -10, "instructionCount": 30,
                                        "resolveSymbols": True})
    ins = body["instructions"]
    assert len(ins) == 30
    assert int(ins[10]["address"], 16) == ip
    assert ins[10]["line"] == marker_line(SRC, "BP1")
    addrs = [int(i["address"], 16) for i in ins]
    assert addrs == sorted(addrs) and len(set(addrs)) == 30
    # Every instruction matches the Go toolchain's own disassembler.
    want = objdump(go_tc, go_tc.build("surface"), "main.main")
    seen = 0
    for i in ins:
        a = int(i["address"], 16)
        if a in want:
            assert i["instruction"] == want[a], (hex(a), i, want[a])
            seen += 1
    assert seen == 30, seen
    # The instruction bytes are the program's, not godap's int3.
    assert not ins[10]["instructionBytes"].startswith("cc")
    # The symbol names the function (with the offset inside it).
    syms = [i.get("symbol") for i in ins if i.get("symbol")]
    assert syms and all(s.startswith("main.main") for s in syms), syms
    assert ins[0]["location"]["path"] == SRC
    finish(c)


def test_disassemble_go_syntax_whole_package(godap, go_tc):
    """Every instruction of the main package's functions, in Go syntax,
    is what `go tool objdump` prints."""
    c, tid = stop_at(godap, go_tc, ["BP1"])
    want = objdump(go_tc, go_tc.build("surface"), "^main\\.")
    # One request per run of consecutive instructions (per function).
    addrs = sorted(want)
    runs, cur = [], [addrs[0]]
    for a in addrs[1:]:
        if a - cur[-1] > 16:
            runs.append(cur)
            cur = []
        cur.append(a)
    runs.append(cur)
    assert len(runs) >= 6, runs
    bad = []
    for run in runs:
        ins = c.request_ok("disassemble", {"memoryReference": hex(run[0]),
                                           "instructionCount": len(run) + 64})["instructions"]
        got = {int(i["address"], 16): i["instruction"] for i in ins}
        bad += [(hex(a), got.get(a), want[a]) for a in run if got.get(a) != want[a]]
    assert not bad, bad[:10]
    finish(c)


def test_disassemble_function_start_backwards(godap, go_tc):
    """Going back from a function's first instruction decodes the function
    before it from its own start: real instructions, not misaligned bytes."""
    c, tid = stop_at(godap, go_tc, ["BP1"])
    want = objdump(go_tc, go_tc.build("surface"), "main.twice")
    entry = min(want)
    body = c.request_ok("disassemble", {"memoryReference": hex(entry), "instructionOffset": -3,
                                        "instructionCount": 6, "resolveSymbols": True})
    ins = body["instructions"]
    assert int(ins[3]["address"], 16) == entry
    assert ins[3]["symbol"] == "main.twice"
    assert ins[3]["instruction"] == want[entry]
    # Before it: the padding or the end of the previous function, ending
    # exactly at the entry.
    prev_end = int(ins[2]["address"], 16) + len(ins[2]["instructionBytes"].split())
    assert prev_end == entry
    finish(c)


def test_disassemble_flavors(godap, go_tc):
    for flavor, rx in (("intel", r"^(lea|cmp|push|mov|sub|call|jbe|nop)"),
                       ("gnu", r"^(leaq|cmpq|pushq|movq|subq|callq?|jbe|nop)")):
        c, tid = stop_at(godap, go_tc, ["TWICE"], disassembleFlavor=flavor)
        want = objdump(go_tc, go_tc.build("surface"), "main.twice")
        entry = min(want)
        ins = c.request_ok("disassemble", {"memoryReference": hex(entry),
                                           "instructionCount": 4})["instructions"]
        assert int(ins[0]["address"], 16) == entry
        for i in ins:
            assert re.match(rx, i["instruction"]), (flavor, i)
        if flavor == "gnu":
            assert "%rsp" in " ".join(i["instruction"] for i in ins)
        else:
            assert "rsp" in " ".join(i["instruction"] for i in ins)
        finish(c)


def test_disassemble_unreadable(godap, go_tc):
    c, tid = stop_at(godap, go_tc, ["BP1"])
    ins = c.request_ok("disassemble", {"memoryReference": "0x10", "instructionCount": 3})["instructions"]
    assert [i["address"] for i in ins] == ["0x10", "0x11", "0x12"]
    assert all(i["presentationHint"] == "invalid" for i in ins)
    finish(c)


def test_instruction_step_keeps_goroutine(godap, go_tc):
    """Stepping by instruction (from the Disassembly view) stays on the
    goroutine the user is on and moves the PC to the next instruction."""
    c, tid = stop_at(godap, go_tc, ["TWICE"])
    fr = top_frame(c, tid)
    ip = fr["instructionPointerReference"]
    ins = c.request_ok("disassemble", {"memoryReference": ip, "instructionCount": 2})["instructions"]
    c.request_ok("next", {"threadId": tid, "granularity": "instruction"})
    ev = wait_stopped(c, "step")
    assert ev["threadId"] == tid
    assert top_frame(c, tid)["instructionPointerReference"] == ins[1]["address"]
    finish(c)


# ------------------------------------------------------------ memory

def test_read_memory_known_array(godap, go_tc):
    c, tid = stop_at(godap, go_tc, ["BP1"])
    fid, _ = frame_locals(c, tid)
    r = c.request_ok("evaluate", {"expression": "table", "frameId": fid, "context": "watch"})
    assert "memoryReference" in r, r
    m = c.request_ok("readMemory", {"memoryReference": r["memoryReference"], "count": 8})
    assert base64.b64decode(m["data"]) == bytes([0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4])
    assert int(m["address"], 16) == int(r["memoryReference"], 16)
    assert "unreadableBytes" not in m
    # With an offset.
    m = c.request_ok("readMemory", {"memoryReference": r["memoryReference"], "offset": 2, "count": 2})
    assert base64.b64decode(m["data"]) == bytes([0xbe, 0xef])
    # Unmapped memory is reported as unreadable bytes, not an error.
    m = c.request_ok("readMemory", {"memoryReference": "0x8", "count": 16})
    assert base64.b64decode(m.get("data", "")) == b"" and m["unreadableBytes"] == 16
    finish(c)


def test_read_memory_partly_unreadable(godap, go_tc):
    c, tid = stop_at(godap, go_tc, ["BP1"])
    pid = c.wait_debuggee()
    # A mapping with nothing mapped right after it.
    maps = []
    with open(f"/proc/{pid}/maps") as f:
        for line in f:
            lo, hi = (int(x, 16) for x in line.split()[0].split("-"))
            maps.append((lo, hi, line.split()[1]))
    end = next(hi for (lo, hi, perm), nxt in zip(maps, maps[1:] + [(None, None, None)])
               if perm.startswith("r") and nxt[0] != hi)
    m = c.request_ok("readMemory", {"memoryReference": hex(end - 4), "count": 12})
    assert len(base64.b64decode(m["data"])) == 4
    assert m["unreadableBytes"] == 8
    finish(c)


def test_write_memory_seen_by_program(godap, go_tc):
    c, tid = stop_at(godap, go_tc, ["BP1", "BP2"], init_extra={"supportsInvalidatedEvent": True})
    fid, loc = frame_locals(c, tid)
    buf = loc["buf"]
    assert "memoryReference" in buf, buf
    m = c.request_ok("readMemory", {"memoryReference": buf["memoryReference"], "count": 4})
    assert base64.b64decode(m["data"]) == bytes([0x10, 0x20, 0x30, 0x40])
    w = c.request_ok("writeMemory", {"memoryReference": buf["memoryReference"],
                                     "data": base64.b64encode(bytes([0x99])).decode()})
    assert w["bytesWritten"] == 1
    c.wait_event("invalidated", TIMEOUT)
    # table lives in writable data: writable too.
    r = c.request_ok("evaluate", {"expression": "table", "frameId": fid, "context": "watch"})
    c.request_ok("writeMemory", {"memoryReference": r["memoryReference"], "offset": 1,
                                 "data": base64.b64encode(bytes([7])).decode()})
    # Code is read-only: refused, and the code is unchanged.
    ip = top_frame(c, tid)["instructionPointerReference"]
    before = c.request_ok("readMemory", {"memoryReference": ip, "count": 4})["data"]
    resp = c.request("writeMemory", {"memoryReference": ip,
                                     "data": base64.b64encode(b"\x90").decode()})
    assert not resp["success"] and "read-only" in resp["message"], resp
    assert c.request_ok("readMemory", {"memoryReference": ip, "count": 4})["data"] == before
    c.request_ok("continue", {"threadId": tid})
    wait_stopped(c, "breakpoint")
    c.request_ok("continue", {"threadId": tid})
    wait_exited(c)
    out = c.output_text("stdout")
    assert "before 153 222 -13\n" in out and "after 153 7 11 PT\n" in out, out
    disconnect(c)


# ------------------------------------------------------------ sources, modules

def goroot(go_tc):
    return subprocess.run(["go", "env", "GOROOT"], env=go_tc.full_env(), capture_output=True,
                          text=True, timeout=120).stdout.strip()


def test_loaded_sources_and_source(godap, go_tc):
    fixdir = os.path.dirname(SRC)
    c, tid = stop_at(godap, go_tc, ["BP1"],
                     substitutePath=[{"from": "/nonexistent/godap-src", "to": fixdir}])
    srcs = c.request_ok("loadedSources")["sources"]
    by_path = {s["path"]: s for s in srcs}
    assert len(by_path) == len(srcs)
    # The program's file, as the client knows it (substitutePath applied):
    # not readable there, so it comes with a sourceReference.
    mine = by_path["/nonexistent/godap-src/main.go"]
    assert mine["name"] == "main.go" and mine["sourceReference"] > 0
    # The standard library from the toolchain's GOROOT, readable here.
    proc = os.path.join(goroot(go_tc), "src", "runtime", "proc.go")
    assert proc in by_path and "sourceReference" not in by_path[proc], proc
    assert any(p.endswith("/src/fmt/print.go") for p in by_path)
    assert not any(p.startswith("<") for p in by_path)
    text = c.request_ok("source", {"sourceReference": mine["sourceReference"],
                                   "source": mine})["content"]
    with open(SRC, encoding="utf-8") as f:
        assert text == f.read()
    # The stack frame's source carries the same reference.
    fr = top_frame(c, tid)
    assert fr["source"]["path"] == "/nonexistent/godap-src/main.go"
    resp = c.request("source", {"source": {"path": "/nonexistent/elsewhere/x.go"}})
    assert not resp["success"] and "not on this machine" in resp["message"], resp
    finish(c)


def test_modules(godap, go_tc):
    c, tid = stop_at(godap, go_tc, ["BP1"])
    mods = c.request_ok("modules")["modules"]
    exe = os.path.realpath(go_tc.build("surface"))
    names = sorted(m["name"] for m in mods)
    # A static Go program: the executable and the vDSO.
    assert names == sorted([os.path.basename(exe), "[vdso]"]), mods
    m = next(m for m in mods if m.get("path") == exe)
    assert m["isUserCode"] is True
    assert m["symbolStatus"] == "Symbols and debug info loaded."
    lo, hi = (int(x, 16) for x in m["addressRange"].split("-"))
    ip = int(top_frame(c, tid)["instructionPointerReference"], 16)
    assert lo <= ip < hi
    finish(c)


# ------------------------------------------------------------ completions

def complete(c, fid, text, column=None):
    body = c.request_ok("completions", {"text": text, "column": (column or len(text)) + 1,
                                        "frameId": fid})
    return {(t["label"], t.get("type")) for t in body["targets"]}


def test_completions(godap, go_tc):
    c, tid = stop_at(godap, go_tc, ["BP1"])
    fid = top_frame(c, tid)["id"]
    # Locals, with their type.
    assert {x for x in complete(c, fid, "cou") if x[1] == "variable"} == {("counter", "variable")}
    # Globals of the current package.
    assert complete(c, fid, "Glo") == {("Global", "variable"), ("GlobalName", "variable")}
    assert ("table", "variable") in complete(c, fid, "tab")
    # Fields and methods (value and pointer receivers) through a pointer.
    assert complete(c, fid, "p.") == {("X", "field"), ("Y", "field"), ("Name", "field"),
                                      ("Move", "method"), ("Norm1", "method")}
    assert complete(c, fid, "p.N") == {("Name", "field"), ("Norm1", "method")}
    # In the middle of an expression: only the word before the cursor counts.
    assert complete(c, fid, "total + p.N", column=len("total + p.N")) == \
        {("Name", "field"), ("Norm1", "method")}
    # Package names and their exported functions.
    assert ("strings", "module") in complete(c, fid, "stri")
    got = complete(c, fid, "strings.ToU")
    assert ("ToUpper", "function") in got and all(l.startswith("ToU") for l, _ in got)
    assert ("Println", "function") in complete(c, fid, "fmt.Print")
    # Console commands.
    assert complete(c, fid, "dlv co") == {("config", "keyword")}
    finish(c)


# ------------------------------------------------------------ goroutines, labels, console

def thread_names(c):
    return [t["name"] for t in c.request_ok("threads")["threads"]]


# A goroutine may be caught between its send on `ready` and parking on
# `block` (nothing in Go can wait for "parked"), so its state is any.
LABELED = re.compile(r"^\[Go \d+ job=import\] main\.labeled\.func1( \([^)]*\))?$")
PLAIN = re.compile(r"^\[Go \d+\] main\.plain( \([^)]*\))?$")


def test_pprof_labels_in_thread_names(godap, go_tc):
    c, tid = stop_at(godap, go_tc, ["BP1"], showPprofLabels=True)
    names = thread_names(c)
    assert sum(bool(LABELED.match(n)) for n in names) == 1, names
    assert sum(bool(PLAIN.match(n)) for n in names) == 1, names
    assert any(n.startswith(f"[Go {tid}] main.main") for n in names), names
    finish(c)
    # Only the keys asked for.
    c, tid = stop_at(godap, go_tc, ["BP1"], showPprofLabels=["other"])
    names = thread_names(c)
    assert not any("job=" in n for n in names), names
    assert any(re.match(r"^\[Go \d+\] main\.labeled\.func1( \([^)]*\))?$", n) for n in names), names
    finish(c)


def test_goroutine_filters(godap, go_tc):
    c, tid = stop_at(godap, go_tc, ["BP1"], goroutineFilters="-without label job=import",
                     showPprofLabels=True)
    names = thread_names(c)
    assert not any(LABELED.match(n) for n in names), names
    assert any(PLAIN.match(n) for n in names), names
    finish(c)
    c, tid = stop_at(godap, go_tc, ["BP1"], goroutineFilters="-with label job -with user",
                     showPprofLabels=True)
    names = thread_names(c)
    # The labeled goroutine, and the current one (always shown).
    assert len(names) == 2, names
    assert any(LABELED.match(n) for n in names) and any(n.startswith(f"[Go {tid}] main.main") for n in names)
    finish(c)
    c, tid = stop_at(godap, go_tc, ["BP1"], goroutineFilters="-with userloc main.plain")
    names = thread_names(c)
    assert len(names) == 2 and any(PLAIN.match(n) for n in names), names
    finish(c)
    # A filter that does not parse fails the launch with a clear message.
    c = godap.start(go_tc)
    c.request_ok("initialize", {"adapterID": "godap"})
    resp = c.request("launch", {"mode": "exec", "program": go_tc.build("surface"),
                                "goroutineFilters": "-with colour red"}, timeout=600)
    assert not resp["success"]
    assert resp["message"].startswith("launch: 'goroutineFilters': goroutine filter: -with needs one of"), resp
    disconnect(c)


def repl(c, fid, text):
    return c.request("evaluate", {"expression": text, "frameId": fid, "context": "repl"})


def watch(c, fid, text):
    """A watch expression's text (the console shows longer strings)."""
    return c.request_ok("evaluate", {"expression": text, "frameId": fid, "context": "watch"})["result"]


def test_console_commands(godap, go_tc):
    c, tid = stop_at(godap, go_tc, ["BP1"], init_extra={"supportsInvalidatedEvent": True})
    fid = top_frame(c, tid)["id"]
    r = repl(c, fid, "dlv help")
    assert r["success"] and "config NAME VALUE" in r["body"]["result"], r
    lst = repl(c, fid, "dlv config -list")["body"]["result"].splitlines()
    assert "maxStringLen\t512" in lst and "maxArrayValues\t64" in lst, lst
    assert "showPprofLabels\tfalse" in lst and "disassembleFlavor\tgo" in lst, lst
    # maxStringLen / maxArrayValues at run time.
    assert repl(c, fid, "dlv config maxStringLen 3")["body"]["result"] == "maxStringLen set"
    c.wait_event("invalidated", TIMEOUT)
    assert watch(c, fid, "GlobalName") == '"sur...+4 more"'
    assert repl(c, fid, "dlv config maxArrayValues 2")["body"]["result"] == "maxArrayValues set"
    fid = top_frame(c, tid)["id"]
    assert watch(c, fid, "buf") == "[]uint8 len: 4, cap: 4, [16,32,...+2 more]"
    assert watch(c, fid, "table") == "[8]uint8 [222,173,...+6 more]"
    # sources with a regular expression.
    r = repl(c, fid, "dlv sources fixtures/surface/.*\\.go$")["body"]["result"]
    assert r.splitlines() == [SRC], r
    # goroutines, filtered and grouped.
    r = repl(c, fid, "dlv goroutines -with label job=import")["body"]["result"].splitlines()
    assert len(r) == 2 and r[-1] == "[1 goroutines]", r
    assert re.match(r"^  Goroutine \d+ - User: .*/main\.go:\d+ main\.labeled\.func1 (\[[^\]]+\] )?\{job=import\}$", r[0]), r
    r = repl(c, fid, "dlv goroutines -with user -group label job")["body"]["result"]
    assert "Group job=import:\n" in r and "Group no label job:\n" in r, r
    assert re.search(rf"^\* Goroutine {tid} - User: .*main\.main", r, re.M), r
    # goroutineFilters and showPprofLabels changed at run time.
    repl(c, fid, "dlv config showPprofLabels job")
    repl(c, fid, "dlv config goroutineFilters -with label job=import")
    names = thread_names(c)
    assert len(names) == 2 and any(LABELED.match(n) for n in names), names
    repl(c, fid, "dlv config goroutineFilters")
    assert any(PLAIN.match(n) for n in thread_names(c))
    # substitutePath at run time.
    d = os.path.dirname(SRC)
    # As in launch.json: FROM is the client's path, TO the binary's.
    repl(c, fid, f"dlv config substitutePath /elsewhere/src {d}")
    assert top_frame(c, tid)["source"]["path"] == "/elsewhere/src/main.go"
    repl(c, fid, "dlv config substitutePath -clear")
    assert top_frame(c, tid)["source"]["path"] == SRC
    r = repl(c, fid, "dlv config colour red")
    assert not r["success"] and "unknown setting 'colour'" in r["message"], r
    r = repl(c, fid, "dlv frobnicate")
    assert not r["success"] and "unknown command 'frobnicate'" in r["message"], r
    finish(c)


def test_max_string_and_array_launch(godap, go_tc):
    c, tid = stop_at(godap, go_tc, ["BP1"], maxStringLen=4, maxArrayValues=3)
    fid, loc = frame_locals(c, tid)
    assert loc["buf"]["value"] == "[]uint8 len: 4, cap: 4, [16,32,48,...+1 more]"
    assert watch(c, fid, "GlobalName") == '"surf...+3 more"'
    finish(c)


# ------------------------------------------------------------ invalidated

def invalidated_count(c):
    return sum(1 for m in c.messages if m.get("type") == "event" and m.get("event") == "invalidated")


def test_invalidated_events(godap, go_tc):
    c, tid = stop_at(godap, go_tc, ["BP1"], init_extra={"supportsInvalidatedEvent": True})
    fid, loc = frame_locals(c, tid)
    c.request_ok("evaluate", {"expression": "Global", "frameId": fid, "context": "repl"})
    assert invalidated_count(c) == 0
    # setVariable and setExpression change memory: views refresh.
    sc = c.request_ok("scopes", {"frameId": fid})["scopes"]
    c.request_ok("setVariable", {"variablesReference": sc[0]["variablesReference"],
                                 "name": "counter", "value": "5"})
    ev = c.wait_event("invalidated", TIMEOUT)
    assert ev["body"]["areas"] == ["variables"]
    c.request_ok("setExpression", {"expression": "Global", "value": "8", "frameId": fid})
    c.wait_event("invalidated", TIMEOUT)
    n = invalidated_count(c)
    # A function call may change anything.
    r = c.request_ok("evaluate", {"expression": "p.Norm1()", "frameId": fid, "context": "repl"})
    assert r["result"] == "7"
    c.wait_event("invalidated", TIMEOUT)
    assert invalidated_count(c) == n + 1
    finish(c)
    # A client that did not ask for them gets none.
    c, tid = stop_at(godap, go_tc, ["BP1"])
    fid, loc = frame_locals(c, tid)
    c.request_ok("setExpression", {"expression": "Global", "value": "8", "frameId": fid})
    c.request_ok("evaluate", {"expression": "p.Norm1()", "frameId": fid, "context": "repl"})
    assert invalidated_count(c) == 0
    finish(c)


# ------------------------------------------------------------ location syntax

def test_function_breakpoint_locations(godap, go_tc):
    c = godap.start(go_tc)
    from godap_testlib import initialize, launch
    initialize(c)
    assert launch(c, go_tc.build("surface"), "exec")["success"]
    c.wait_event("initialized", TIMEOUT)
    twice = marker_line(SRC, "TWICE")
    calls = marker_line(SRC, "CALLS")
    with open(SRC) as f:
        decl = next(i + 1 for i, l in enumerate(f) if l.startswith("func compute("))
    assert calls == decl + 2
    bps = c.request_ok("setFunctionBreakpoints", {"breakpoints": [
        {"name": f"main.go:{twice}"},
        {"name": "main.compute:+2"},
        {"name": "nofile.go:3"},
        {"name": f"fixtures/surface/main.go:{twice}"},
        {"name": "main.go:1"},
    ]})["breakpoints"]
    assert bps[0]["verified"] and bps[0]["line"] == twice, bps
    assert bps[1]["verified"] and bps[1]["line"] == calls, bps
    assert not bps[2]["verified"] and bps[2]["message"] == "no file 'nofile.go' in the program"
    assert bps[3]["verified"] and bps[3]["line"] == twice, bps
    assert not bps[4]["verified"] and bps[4]["message"] == "no code at or after line 1", bps
    c.request_ok("configurationDone")
    ev = wait_stopped(c, "function breakpoint")
    assert top_frame(c, ev["threadId"])["line"] == calls
    c.request_ok("continue", {"threadId": ev["threadId"]})
    ev = wait_stopped(c, "function breakpoint")
    fr = top_frame(c, ev["threadId"])
    assert fr["line"] == twice and fr["name"] == "main.twice"
    finish(c)


# ------------------------------------------------------------ stepInTargets

def test_step_in_targets(godap, go_tc):
    c, tid = stop_at(godap, go_tc, ["CALLS"])
    fid = top_frame(c, tid)["id"]
    targets = c.request_ok("stepInTargets", {"frameId": fid})["targets"]
    assert [t["label"] for t in targets] == ["main.abs", "main.twice"], targets
    assert all(t["line"] == marker_line(SRC, "CALLS") for t in targets)
    # Into the second call: the first runs without stopping.
    c.request_ok("stepIn", {"threadId": tid, "targetId": targets[1]["id"]})
    ev = wait_stopped(c, "step")
    fr = top_frame(c, ev["threadId"])
    # As stepIn does (and Delve): on the function's line.
    assert ev["threadId"] == tid and fr["name"] == "main.twice" and fr["line"] == marker_line(SRC, "TWICE") - 1
    # Not a target of this stop any more.
    r = c.request("stepIn", {"threadId": tid, "targetId": 5})
    assert not r["success"] and "unknown targetId 5" in r["message"]
    finish(c)


# ------------------------------------------------------------ goto

def test_goto_within_function(godap, go_tc):
    c, tid = stop_at(godap, go_tc, ["BP1"])
    # A line whose code reads its operands from memory: even with -N the
    # compiler keeps values in registers from one statement to the next
    # (GOTO2's code adds to the register GOTO1 loaded).
    goto2 = marker_line(SRC, "BP2")
    # Another function's line, or the declaration line: no targets.
    assert c.request_ok("gotoTargets", {"source": {"path": SRC},
                                        "line": marker_line(SRC, "TWICE")})["targets"] == []
    targets = c.request_ok("gotoTargets", {"source": {"path": SRC}, "line": goto2})["targets"]
    assert len(targets) == 1 and targets[0]["line"] == goto2, targets
    r = c.request("goto", {"threadId": tid, "targetId": 9})
    assert not r["success"] and "unknown targetId 9" in r["message"]
    c.request_ok("goto", {"threadId": tid, "targetId": targets[0]["id"]})
    ev = wait_stopped(c, "goto")
    assert ev["threadId"] == tid
    fr = top_frame(c, tid)
    assert fr["line"] == goto2 and fr["instructionPointerReference"] == targets[0]["instructionPointerReference"]
    c.request_ok("continue", {"threadId": tid})
    wait_exited(c)
    out = c.output_text("stdout")
    # The first Println and both counter lines were skipped.
    assert "before" not in out and "after 16 173 0 PT\n" in out, out
    disconnect(c)


# ------------------------------------------------------------ cancel

def test_cancel_queued_request(godap, go_tc):
    import json
    c, tid = stop_at(godap, go_tc, ["BP1"])
    # threads and its cancel in one write: godap reads both before
    # handling either, so the threads request is answered "cancelled".
    s1, s2 = c.next_seq(), c.next_seq()
    frames = b""
    for msg in ({"seq": s1, "type": "request", "command": "threads"},
                {"seq": s2, "type": "request", "command": "cancel", "arguments": {"requestId": s1}}):
        body = json.dumps(msg).encode()
        frames += b"Content-Length: %d\r\n\r\n" % len(body) + body
    with c._wlock:
        c.send_raw(frames, TIMEOUT)
    r1 = c.wait_response(s1, TIMEOUT)
    assert r1["command"] == "threads" and r1["success"] is False and r1["message"] == "cancelled", r1
    assert c.wait_response(s2, TIMEOUT)["success"] is True
    # A cancel for a request already answered: nothing to do, success.
    seq = c.send_request("threads")
    c.wait_response(seq, TIMEOUT)
    assert c.request("cancel", {"requestId": seq})["success"] is True
    assert thread_names(c)
    finish(c)


# ------------------------------------------------------------ capabilities

CAPABILITIES = {
    "supportsConfigurationDoneRequest", "supportTerminateDebuggee", "supportsTerminateRequest",
    "supportsRestartRequest", "supportsSetVariable", "supportsSetExpression",
    "supportsEvaluateForHovers", "supportsExceptionInfoRequest", "supportsFunctionBreakpoints",
    "supportsConditionalBreakpoints", "supportsHitConditionalBreakpoints", "supportsLogPoints",
    "supportsInstructionBreakpoints", "supportsBreakpointLocationsRequest",
    "supportsSteppingGranularity", "supportsDataBreakpoints", "supportsClipboardContext",
    # this issue's
    "supportsDisassembleRequest", "supportsReadMemoryRequest", "supportsWriteMemoryRequest",
    "supportsLoadedSourcesRequest", "supportsModulesRequest", "supportsCompletionsRequest",
    "supportsStepInTargetsRequest", "supportsGotoTargetsRequest", "supportsCancelRequest",
}

# The request each capability promises, with arguments it answers.
REQUESTS = {
    "supportsDisassembleRequest": ("disassemble", lambda ip: {"memoryReference": ip, "instructionCount": 1}),
    "supportsReadMemoryRequest": ("readMemory", lambda ip: {"memoryReference": ip, "count": 1}),
    "supportsWriteMemoryRequest": ("writeMemory", lambda ip: {"memoryReference": "0x8", "data": ""}),
    "supportsLoadedSourcesRequest": ("loadedSources", lambda ip: {}),
    "supportsModulesRequest": ("modules", lambda ip: {}),
    "supportsCompletionsRequest": ("completions", lambda ip: {"text": "x", "column": 2}),
    "supportsStepInTargetsRequest": ("stepInTargets", None),
    "supportsGotoTargetsRequest": ("gotoTargets", lambda ip: {"source": {"path": SRC}, "line": 1}),
    "supportsCancelRequest": ("cancel", lambda ip: {"requestId": 1}),
}


def test_capabilities_are_the_working_set(godap, go_tc):
    c = godap.start(go_tc)
    from godap_testlib import initialize
    body = initialize(c)
    caps = {k for k, v in body.items() if v is True}
    assert caps == CAPABILITIES, (caps - CAPABILITIES, CAPABILITIES - caps)
    assert not [k for k, v in body.items() if v is False], body
    disconnect(c)
    c, tid = stop_at(godap, go_tc, ["BP1"])
    fr = top_frame(c, tid)
    for cap, (cmd, args) in REQUESTS.items():
        a = args(fr["instructionPointerReference"]) if args else {"frameId": fr["id"]}
        r = c.request(cmd, a)
        assert r["success"], (cap, r)
    finish(c)


# ------------------------------------------------------------ stack watchpoints

def test_stack_watch_follows_copystack(godap, go_tc):
    """x lives on a goroutine stack that grow() makes the runtime copy
    (twice or more: 100 frames of 512+ bytes from an 8 KiB stack): the
    watch follows x to its new address, reports both writes, and ends with
    a message when watched() returns."""
    src = fixture_src("stackwatch")
    c = godap.start(go_tc)
    start(c, go_tc.build("stackwatch"), "exec", {src: [marker_line(src, "GROW")]})
    ev = wait_stopped(c, "breakpoint")
    tid = ev["threadId"]
    fid = top_frame(c, tid)["id"]
    before = c.request_ok("evaluate", {"expression": "&x", "frameId": fid, "context": "watch"})["result"]
    info = c.request_ok("dataBreakpointInfo", {"name": "x", "frameId": fid})
    assert info["dataId"], info
    bps = c.request_ok("setDataBreakpoints", {"breakpoints": [
        {"dataId": info["dataId"], "accessType": "write"}]})["breakpoints"]
    assert bps[0]["verified"], bps
    c.request_ok("setBreakpoints", {"source": {"path": src}, "breakpoints": []})
    c.request_ok("continue", {"threadId": tid})
    ev = wait_stopped(c, "data breakpoint")
    assert ev["description"] == "x changed from 1 to 2", ev
    assert ev["threadId"] == tid
    fr = top_frame(c, tid)
    assert fr["name"] == "main.watched", fr
    after = c.request_ok("evaluate", {"expression": "&x", "frameId": fr["id"], "context": "watch"})["result"]
    assert after != before, (before, after)  # the stack moved
    c.request_ok("continue", {"threadId": tid})
    ev = wait_stopped(c, "data breakpoint")
    assert ev["description"].startswith("x changed from 2 to "), ev
    c.request_ok("continue", {"threadId": tid})
    assert wait_exited(c) == 0
    out = c.output_text("console") + c.output_text("stdout")
    assert "the data breakpoint on x ended: its frame returned" in out, out
    assert "result 5053" in c.output_text("stdout")
    disconnect(c)
