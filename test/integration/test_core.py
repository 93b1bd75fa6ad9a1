"""Core dumps (issue 9): launch mode "core" opens an ELF core file of a
program next to its executable.  Cores come from gdb's gcore (a running
program with parked goroutines) and from the kernel (GOTRACEBACK=crash,
RLIMIT_CORE unlimited) for a panic and a nil dereference.  Nothing can run
or change on a core: those requests fail and the session goes on.

The cores are written into pytest's tmp dirs, once per toolchain, from
test/fixtures/corefile run with GOMAXPROCS=2 and a small heap (the kernel's
cores are sparse: the Go arenas it reserved take no disk)."""

import os
import re
import resource
import shutil
import signal
import struct
import subprocess

import pytest

from godap_testlib import (TIMEOUT, disconnect, fixture_src, frame_run,
                           initialize, launch, marker_line, same_file, stack,
                           wait_stopped)

FIX = "corefile"
SRC = fixture_src(FIX)
CORE_MSG = "this is a core file: the program cannot run or change"
PROGRAM_ENV = {"GOMAXPROCS": "2", "GOGC": "50", "GODEBUG": ""}


def _run_env(go_tc, extra=None):
    env = go_tc.full_env(PROGRAM_ENV)
    if extra:
        env.update(extra)
    return env


def _gcore(go_tc, binary, outdir, args=("park",), name="gcore"):
    """Runs the program until it prints READY, dumps it with gcore, kills
    it.  Returns the core's path."""
    if not shutil.which("gcore"):
        pytest.fail("gcore (gdb) is needed for the core tests", pytrace=False)
    p = subprocess.Popen([binary, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=_run_env(go_tc), text=True)
    try:
        line = p.stdout.readline()  # blocks until the program is parked
        assert line.startswith("READY"), (line, p.stderr.read())
        base = os.path.join(outdir, name)
        r = subprocess.run(["gcore", "-o", base, str(p.pid)], capture_output=True,
                           text=True, timeout=300)
        core = f"{base}.{p.pid}"
        assert r.returncode == 0 and os.path.exists(core), r.stdout + r.stderr
        # gdb writes the Go runtime's PROT_NONE address-space reservations
        # as zeros (about 1.2 GB): give those blocks back to the disk.
        subprocess.run(["fallocate", "--dig-holes", core], check=True, timeout=300)
        return core
    finally:
        p.kill()
        p.wait()
        p.stdin.close()
        p.stdout.close()
        p.stderr.close()


def _core_pattern():
    with open("/proc/sys/kernel/core_pattern") as f:
        return f.read().strip()


def _kernel_core(go_tc, binary, mode, outdir):
    """Runs the fixture in `mode` with GOTRACEBACK=crash so the runtime
    aborts after printing the panic and the kernel dumps it into its
    working directory.  Returns (core path, program stderr)."""
    pattern = _core_pattern()
    if pattern.startswith("|") or "/" in pattern:
        # A helper (systemd-coredump, apport) or another directory gets the
        # core: this machine would need root to change that, for everyone.
        pytest.skip(f"kernel core_pattern is {pattern!r}: cores do not land "
                    f"in the program's directory")
    cwd = os.path.join(outdir, "kernel-" + mode)
    os.makedirs(cwd, exist_ok=True)

    def unlimited_core():
        resource.setrlimit(resource.RLIMIT_CORE,
                           (resource.RLIM_INFINITY, resource.RLIM_INFINITY))

    r = subprocess.run([binary, mode], cwd=cwd, capture_output=True, text=True,
                       env=_run_env(go_tc, {"GOTRACEBACK": "crash"}),
                       preexec_fn=unlimited_core, timeout=120)
    assert r.returncode == -signal.SIGABRT, (r.returncode, r.stderr[-2000:])
    cores = [f for f in os.listdir(cwd) if f.startswith("core")]
    assert len(cores) == 1, (cores, pattern)
    return os.path.join(cwd, cores[0]), r.stderr


def cores(go_tc):
    """The fixture binary and its cores, made once per toolchain."""
    if not hasattr(go_tc, "_core_files"):
        binary = go_tc.build(FIX)
        outdir = os.path.join(go_tc.cache_dir, "cores")
        os.makedirs(outdir, exist_ok=True)
        go_tc._core_files = {"binary": binary, "outdir": outdir}
    d = go_tc._core_files
    return d


def gcore_of(go_tc):
    d = cores(go_tc)
    if "gcore" not in d:
        d["gcore"] = _gcore(go_tc, d["binary"], d["outdir"])
    return d["binary"], d["gcore"]


def kernel_core_of(go_tc, mode):
    d = cores(go_tc)
    if mode not in d:
        d[mode] = _kernel_core(go_tc, d["binary"], mode, d["outdir"])
    return d["binary"], d[mode]


def open_core(godap, go_tc, binary, core):
    c = godap.start(go_tc)
    initialize(c)
    r = launch(c, binary, "core", coreFilePath=core)
    assert r["success"], r.get("message")
    c.wait_event("initialized", TIMEOUT)
    c.request_ok("configurationDone")
    return c


def scope_vars(c, frame_id):
    sc = c.request_ok("scopes", {"frameId": frame_id})["scopes"]
    vs = c.request_ok("variables", {"variablesReference": sc[0]["variablesReference"]})
    return {v["name"]: v for v in vs["variables"]}


def kids(c, var):
    assert var["variablesReference"] > 0, var
    vs = c.request_ok("variables", {"variablesReference": var["variablesReference"]})
    return [(k["name"], k["value"]) for k in vs["variables"]]


def user_frame(c, goid, func):
    frames = stack(c, goid)["stackFrames"]
    for f in frames:
        if f["name"] == func:
            return f
    raise AssertionError(f"no frame {func} in {[f['name'] for f in frames]}")


def check_parked_program(c, ev):
    """The gcore core of the corefile fixture in mode park: goroutines,
    stacks and values, exactly."""
    threads = c.request_ok("threads")["threads"]
    ids = {t["id"] for t in threads}
    # main and the three parked goroutines, with their runtime ones.
    parked = [t for t in threads if "main.parked" in t["name"]]
    assert len(parked) == 3, threads
    assert 1 in ids
    assert ev["threadId"] in ids

    f = user_frame(c, 1, "main.main")
    assert f["line"] == marker_line(SRC, "MAIN_WAIT")
    vs = scope_vars(c, f["id"])
    assert vs["mode"]["value"] == '"park"'
    assert vs["pt"]["value"] == 'main.Point {X: 42, Y: -7, Name: "origin"}'
    assert kids(c, vs["pt"]) == [("X", "42"), ("Y", "-7"), ("Name", '"origin"')]
    assert vs["m"]["value"].startswith("map[string]int [")
    assert sorted(kids(c, vs["m"])) == [('"one"', "1"), ('"three"', "3"), ('"two"', "2"),
                                         ("len()", "3")]
    assert vs["sh"]["value"] == "main.Shape(main.Rect) {W: 3, H: 4}"
    ev1 = c.request_ok("evaluate", {"expression": "pt.X*2 + len(m)", "frameId": f["id"],
                                    "context": "watch"})
    assert ev1["result"] == "87"
    ev2 = c.request_ok("evaluate", {"expression": "sh.(main.Rect).H", "frameId": f["id"],
                                    "context": "watch"})
    assert ev2["result"] == "4"

    # Each parked goroutine sits in its channel receive with its own id.
    seen = set()
    for t in parked:
        pf = user_frame(c, t["id"], "main.parked")
        assert pf["line"] == marker_line(SRC, "PARKED")
        pv = scope_vars(c, pf["id"])
        i = int(pv["id"]["value"])
        assert pv["total"]["value"] == str(i * 100)
        seen.add(i)
    assert seen == {1, 2, 3}
    return threads


def test_core_gcore_goroutines_and_values(godap, go_tc):
    binary, core = gcore_of(go_tc)
    c = open_core(godap, go_tc, binary, core)
    ev = wait_stopped(c, "pause")
    check_parked_program(c, ev)
    disconnect(c)


def test_core_kernel_panic(godap, go_tc):
    binary, (core, stderr) = kernel_core_of(go_tc, "panic")
    assert "panic: core panic 42" in stderr
    c = open_core(godap, go_tc, binary, core)
    ev = wait_stopped(c, "exception")
    assert ev["description"] == "panic: core panic 42", ev
    assert ev["threadId"] == 1
    info = c.request_ok("exceptionInfo", {"threadId": 1})
    assert info["exceptionId"] == "panic"
    assert info["description"] == "panic: core panic 42"
    assert "goroutine 1 [running]" in info["details"]["stackTrace"]
    assert "main.crash()" in info["details"]["stackTrace"]
    f = user_frame(c, 1, "main.crash")
    assert f["line"] == marker_line(SRC, "PANIC_LINE")
    vs = scope_vars(c, f["id"])
    assert vs["mode"]["value"] == '"panic"'
    assert kids(c, vs["p"])[0][1] == 'main.Point {X: 42, Y: -7, Name: "origin"}'
    threads = c.request_ok("threads")["threads"]
    assert len([t for t in threads if "main.parked" in t["name"]]) == 3, threads
    disconnect(c)


def test_core_kernel_nil_dereference(godap, go_tc):
    binary, (core, stderr) = kernel_core_of(go_tc, "nil")
    want = "panic: runtime error: invalid memory address or nil pointer dereference"
    assert want in stderr
    c = open_core(godap, go_tc, binary, core)
    ev = wait_stopped(c, "exception")
    desc = ev["description"]
    # The same words Go printed: value, then the signal and the address.
    line = [ln for ln in stderr.splitlines() if ln.startswith("[signal ")][0]
    assert desc == want + " " + line, (desc, line)
    assert "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x" in desc
    assert ev["threadId"] == 1
    info = c.request_ok("exceptionInfo", {"threadId": 1})
    assert info["description"] == desc
    f = user_frame(c, 1, "main.crash")
    assert f["line"] == marker_line(SRC, "NIL_LINE")
    vs = scope_vars(c, f["id"])
    assert vs["n"]["value"] == "*main.Node nil"
    disconnect(c)


def test_core_kernel_fatal_error(godap, go_tc):
    """A fatal error (no panic): the message of runtime.fatal, read from
    the stack of the thread that died."""
    binary, (core, stderr) = kernel_core_of(go_tc, "deadlock")
    assert "fatal error: all goroutines are asleep - deadlock!" in stderr
    if go_tc.version.startswith("go1.22."):
        # Go 1.22's location list of fatal's s ends before the call to
        # fatalthrow: the message is gone from the core; say so.
        want = ("fatal error: (the message is not readable in runtime.fatal: "
                "optimized away)")
    else:
        want = "fatal error: all goroutines are asleep - deadlock!"
    c = open_core(godap, go_tc, binary, core)
    ev = wait_stopped(c, "exception")
    assert ev["description"] == want, ev
    g = ev["threadId"]
    info = c.request_ok("exceptionInfo", {"threadId": g})
    assert info["exceptionId"] == "fatal error"
    assert info["description"] == want
    # It ran on the scheduler's stack: the stop shows the main goroutine.
    assert g == 1
    f = user_frame(c, 1, "main.main")
    assert f["line"] == marker_line(SRC, "DEADLOCK_LINE")
    disconnect(c)


def test_core_wrong_binary(godap, go_tc, tmp_path):
    _, core = gcore_of(go_tc)
    other = go_tc.build(FIX, ldflags="-X main.variant=other")
    c = godap.start(go_tc)
    initialize(c)
    r = launch(c, other, "core", coreFilePath=core)
    assert not r["success"]
    assert r["message"].startswith(f"core file does not match program '{os.path.realpath(other)}'"), r
    assert "Go build id" in r["message"], r
    # The session still answers, and can then open the right one.
    binary, _ = gcore_of(go_tc)
    r = launch(c, binary, "core", coreFilePath=core)
    assert r["success"], r
    c.wait_event("initialized", TIMEOUT)
    c.request_ok("configurationDone")
    wait_stopped(c, "pause")
    disconnect(c)


def test_core_truncated_and_not_a_core(godap, go_tc, tmp_path):
    binary, core = gcore_of(go_tc)
    cut = str(tmp_path / "core.cut")
    with open(core, "rb") as src, open(cut, "wb") as dst:
        dst.write(src.read(os.path.getsize(core) // 2))
    c = godap.start(go_tc)
    initialize(c)
    r = launch(c, binary, "core", coreFilePath=cut)
    assert not r["success"]
    assert r["message"].startswith(f"core file '{cut}' is truncated"), r
    r = launch(c, binary, "core", coreFilePath=binary)
    assert not r["success"]
    assert r["message"] == f"'{binary}' is not a core file (an ELF file of type executable)", r
    r = launch(c, binary, "core", coreFilePath=SRC)
    assert not r["success"]
    assert r["message"] == f"'{SRC}' is not a core file (not ELF)", r
    r = launch(c, binary, "core", coreFilePath=str(tmp_path / "none"))
    assert not r["success"]
    assert "No such file or directory" in r["message"], r
    disconnect(c)


def test_core_refuses_run_control(godap, go_tc):
    binary, core = gcore_of(go_tc)
    c = godap.start(go_tc)
    initialize(c)
    r = launch(c, binary, "core", coreFilePath=core)
    assert r["success"], r
    c.wait_event("initialized", TIMEOUT)
    # Breakpoints are accepted, unverified, with the reason.
    bps = c.request_ok("setBreakpoints", {
        "source": {"path": SRC}, "breakpoints": [{"line": marker_line(SRC, "PARKED")}]})
    assert [(b["verified"], b["message"]) for b in bps["breakpoints"]] == [(False, CORE_MSG)]
    fb = c.request_ok("setFunctionBreakpoints", {"breakpoints": [{"name": "main.crash"}]})
    assert [(b["verified"], b["message"]) for b in fb["breakpoints"]] == [(False, CORE_MSG)]
    c.request_ok("configurationDone")
    ev = wait_stopped(c, "pause")
    g = 1
    f = user_frame(c, g, "main.main")
    vs = scope_vars(c, f["id"])
    info = c.request_ok("dataBreakpointInfo", {"variablesReference": 0, "name": "pt.X",
                                               "frameId": f["id"]})
    if info.get("dataId"):
        db = c.request_ok("setDataBreakpoints", {"breakpoints": [{"dataId": info["dataId"]}]})
        assert [(b["verified"], b["message"]) for b in db["breakpoints"]] == [(False, CORE_MSG)]
    sc = c.request_ok("scopes", {"frameId": f["id"]})["scopes"]
    refused = [
        ("continue", {"threadId": g}),
        ("next", {"threadId": g}),
        ("stepIn", {"threadId": g}),
        ("stepOut", {"threadId": g}),
        ("next", {"threadId": g, "granularity": "instruction"}),
        ("pause", {"threadId": g}),
        ("setVariable", {"variablesReference": sc[0]["variablesReference"],
                         "name": "mode", "value": '"x"'}),
        ("setExpression", {"expression": "pt.X", "value": "1", "frameId": f["id"]}),
        ("writeMemory", {"memoryReference": "0x400000", "data": "AA=="}),
    ]
    for cmd, args in refused:
        r = c.request(cmd, args)
        assert not r["success"], (cmd, r)
        assert r["message"] == CORE_MSG, (cmd, r)
        assert r["body"]["error"]["showUser"] is False
    # A function call would run the program.
    r = c.request("evaluate", {"expression": "sh.Area()", "frameId": f["id"], "context": "repl"})
    assert not r["success"] and r["message"] == CORE_MSG, r
    # Nothing changed, and the session still answers.
    assert not c.events("continued")
    vs2 = scope_vars(c, user_frame(c, g, "main.main")["id"])
    assert vs2["mode"]["value"] == vs["mode"]["value"] == '"park"'
    assert vs2["pt"]["value"] == vs["pt"]["value"]
    assert ev["threadId"] in {t["id"] for t in c.request_ok("threads")["threads"]}
    disconnect(c)


def test_core_gcore_cgo_native_frames(godap, go_tc):
    """A goroutine inside C: its C frames (this program's static function,
    then libc's read) are unwound from the core through the files the core
    names (gcore leaves the libraries' read-only mappings, where
    .eh_frame_hdr is, out of the core), then its Go callers."""
    binary = go_tc.build("corecgo")
    d = cores(go_tc)
    core = _gcore(go_tc, binary, d["outdir"], args=(), name="gcore-cgo")
    c = open_core(godap, go_tc, binary, core)
    wait_stopped(c, "pause")
    frames = stack(c, 1)["stackFrames"]
    names = [f["name"] for f in frames]
    assert "main._Cfunc_cwait" in names and "main.main" in names, names
    assert "cwait" in names, names
    i = names.index("cwait")
    assert i > 0 and "read" in names[i - 1], names  # libc's read (or an alias)
    assert "source" not in frames[i - 1], frames  # libc: no DWARF
    # cwait has gcc's DWARF: its line inside the cgo preamble.
    assert frames[i]["line"] == marker_line(fixture_src("corecgo"), "CWAIT_READ"), frames[i]
    main = frames[names.index("main.main")]
    assert main["line"] == marker_line(fixture_src("corecgo"), "CGO_CALL")
    disconnect(c)


def test_core_gcore_pie(godap, go_tc):
    """A position-independent executable: addresses move by the load bias
    (from the core's AT_ENTRY), the build ids are found at their moved
    address."""
    d = cores(go_tc)
    if "pie" not in d:
        out = os.path.join(d["outdir"], "corefile-pie")
        r = subprocess.run(["go", "build", "-buildmode=pie", "-gcflags=all=-N -l", "-o", out, "."],
                           cwd=os.path.dirname(SRC), env=go_tc.full_env(), capture_output=True,
                           text=True, timeout=900)
        assert r.returncode == 0, r.stdout + r.stderr
        d["pie"] = (out, _gcore(go_tc, out, d["outdir"], name="gcore-pie"))
    binary, core = d["pie"]
    with open(binary, "rb") as f:
        assert f.read(18)[16] == 3  # ET_DYN
    c = open_core(godap, go_tc, binary, core)
    wait_stopped(c, "pause")
    f = user_frame(c, 1, "main.main")
    assert f["line"] == marker_line(SRC, "MAIN_WAIT")
    vs = scope_vars(c, f["id"])
    assert vs["pt"]["value"] == 'main.Point {X: 42, Y: -7, Name: "origin"}'
    assert vs["sh"]["value"] == "main.Shape(main.Rect) {W: 3, H: 4}"
    threads = c.request_ok("threads")["threads"]
    assert len([t for t in threads if "main.parked" in t["name"]]) == 3, threads
    disconnect(c)


# ---------------------------------------------------------------- cgo

CGO_FIX = "corecgocrash"
CGO_SRC = fixture_src(CGO_FIX)
CGO_C = fixture_src(CGO_FIX, "crash.c")


def cgo_kernel_core_of(go_tc, mode):
    """A kernel core of the cgo fixture crashing in `mode`, once per
    toolchain: (binary, (core, program stderr))."""
    d = cores(go_tc)
    key = "cgo-" + mode
    if key not in d:
        binary = go_tc.build(CGO_FIX)
        d[key] = (binary, _kernel_core(go_tc, binary, mode, d["outdir"]))
    return d[key]


def frame_names(frames):
    return [f["name"] for f in frames]


def goroutine_with(c, threads, func):
    """The (thread, frames) of the one goroutine whose stack has func."""
    hits = []
    for t in threads:
        frames = stack(c, t["id"])["stackFrames"]
        if func in frame_names(frames):
            hits.append((t, frames))
    assert len(hits) == 1, (func, [(t["name"], frame_names(f)) for t, f in hits])
    return hits[0]


def check_cgo_goroutines(c):
    """What the cgo fixture's other goroutines were doing when it crashed:
    one blocked in C (its C frames unwound natively from the core, then its
    Go callers), one parked in Go called back from C (its Go frames, the C
    frames that called back, then the Go frames that called C).  Returns
    the thread list."""
    threads = c.request_ok("threads")["threads"]
    # Go 1.26+'s extra M has a g of its own (_Gdeadextra): not a goroutine.
    assert not [t for t in threads if t["name"].endswith("runtime.goexit")], threads

    t, frames = goroutine_with(c, threads, "main.inC")
    names = frame_names(frames)
    i = frame_run(names, ["cblock", r"_cgo_\w+_Cfunc_cblock", r"runtime\.asmcgocall",
                       r"runtime\.cgocall", r"main\._Cfunc_cblock", r"main\.inC",
                       r"runtime\.goexit"])
    # cblock: this program's C, with gcc's DWARF; above it libc (read, or
    # sem_post just before it on the same line), which has none.
    assert frames[i]["line"] == marker_line(CGO_C, "CBLOCK_READ"), frames[i]
    assert same_file(frames[i]["source"]["path"], CGO_C), frames[i]
    # (Or, had its thread not reached read(2) yet, the SIGQUIT the
    # runtime relays to every thread as it crashes.)
    if i > 0:
        assert ("source" not in frames[i - 1] or
                frames[i - 1]["name"] == "runtime.sigtramp"), frames[i - 1]
    assert frames[i + 5]["line"] == marker_line(CGO_SRC, "GO_CALLS_CBLOCK")

    t, frames = goroutine_with(c, threads, "main.goParked")
    assert "(chan receive)" in t["name"], t
    names = frame_names(frames)
    p = names.index("main.goParked")
    assert frames[p]["line"] == marker_line(CGO_SRC, "GO_PARKED")
    assert scope_vars(c, frames[p]["id"])["depth"]["value"] == "50"
    i = frame_run(names, [r"runtime\.cgocallback", "crosscall2", "goParked", "ccallpark",
                       r"_cgo_\w+_Cfunc_ccallpark", r"runtime\.asmcgocall",
                       r"runtime\.systemstack_switch", r"runtime\.cgocall",
                       r"main\._Cfunc_ccallpark", r"main\.inCallback",
                       r"main\.main\.gowrap1", r"runtime\.goexit"])
    assert i > p
    assert frames[i + 2]["source"]["path"].endswith("_cgo_export.c"), frames[i + 2]
    assert frames[i + 3]["line"] == marker_line(CGO_C, "C_CALLS_PARKED"), frames[i + 3]
    assert frames[i + 9]["line"] == marker_line(CGO_SRC, "GO_CALLS_CCALLPARK")
    assert scope_vars(c, frames[i + 9]["id"])["id"]["value"] == "4"
    return threads


def test_core_kernel_cgo_go_panic(godap, go_tc):
    """A cgo program whose Go code panics, called back from C: the panic,
    on the goroutine that panicked, and its Go frames down to main; the
    other goroutines' C frames."""
    binary, (core, stderr) = cgo_kernel_core_of(go_tc, "gopanic")
    assert "panic: cgo panic 42 from C" in stderr
    c = open_core(godap, go_tc, binary, core)
    ev = wait_stopped(c, "exception")
    assert ev["description"] == "panic: cgo panic 42 from C", ev
    assert ev["threadId"] == 1
    info = c.request_ok("exceptionInfo", {"threadId": 1})
    assert info["exceptionId"] == "panic"
    assert info["description"] == "panic: cgo panic 42 from C"
    assert "main.gopanic()" in info["details"]["stackTrace"]

    frames = stack(c, 1)["stackFrames"]
    names = frame_names(frames)
    assert "?" not in names, names
    i = frame_run(names, [r"main\.gopanic", r"main\.goCallback", r"_cgoexp_\w+_goCallback",
                       r"runtime\.cgocallbackg1"])
    assert frames[i]["line"] == marker_line(CGO_SRC, "GO_PANIC_LINE")
    assert frames[i + 1]["line"] == marker_line(CGO_SRC, "GO_CALLS_PANIC")
    pv = scope_vars(c, frames[i]["id"])
    assert pv["v"]["value"] == "42" and pv["label"]["value"] == '"from C"', pv
    # The panic ran the callback's deferred unwindm, which hands
    # g0.sched.sp back to the cgo call: the C frames that called back are
    # gone (the runtime printed the panic on that stack).  What called C
    # is there, exactly as Go's traceback shows it.
    j = frame_run(names, [r"runtime\.cgocallback", r"runtime\.systemstack_switch",
                       r"runtime\.cgocall", r"main\._Cfunc_ccallback", r"main\.main",
                       r"runtime\.main", r"runtime\.goexit"])
    assert j > i
    assert frames[j + 4]["line"] == marker_line(CGO_SRC, "MAIN_CALLS_CALLBACK")
    mv = scope_vars(c, frames[j + 4]["id"])
    assert mv["n"]["value"] == "21" and mv["mode"]["value"] == '"gopanic"', mv
    check_cgo_goroutines(c)
    disconnect(c)


def test_core_kernel_cgo_c_null_write(godap, go_tc):
    """A cgo program that writes through NULL in C: the stop says what Go
    printed (signal, PC, fault address, in cgo), on the goroutine that
    called C; its stack crosses the signal frame into the C frames
    (unwound natively from the core), then the Go frames that called C."""
    binary, (core, stderr) = cgo_kernel_core_of(go_tc, "cnull")
    lines = stderr.splitlines()
    assert lines[0] == "SIGSEGV: segmentation violation", lines[:4]
    m = re.fullmatch(r"PC=(0x[0-9a-f]+) m=\d+ sigcode=1 addr=0x0", lines[1])
    assert m, lines[:4]
    assert lines[2] == "signal arrived during cgo execution", lines[:4]
    want = f"{lines[0]} {lines[1]} ({lines[2]})"
    c = open_core(godap, go_tc, binary, core)
    ev = wait_stopped(c, "exception")
    assert ev["description"] == want, (ev, want)
    assert ev["threadId"] == 1
    info = c.request_ok("exceptionInfo", {"threadId": 1})
    assert info["exceptionId"] == "fatal error"
    assert info["description"] == want

    frames = stack(c, 1)["stackFrames"]
    names = frame_names(frames)
    i = frame_run(names, [r"runtime\.sigtramp", "cstore", "cnull", r"_cgo_\w+_Cfunc_cnull",
                       r"runtime\.asmcgocall", r"runtime\.cgocall", r"main\._Cfunc_cnull",
                       r"main\.main", r"runtime\.main", r"runtime\.goexit"])
    cstore, cnull, main = frames[i + 1], frames[i + 2], frames[i + 7]
    # The faulting instruction itself (the PC Go printed), in gcc's DWARF.
    assert int(cstore["instructionPointerReference"], 16) == int(m.group(1), 16), cstore
    assert same_file(cstore["source"]["path"], CGO_C), cstore
    assert cstore["line"] == marker_line(CGO_C, "C_NULL_WRITE"), cstore
    assert cnull["line"] == marker_line(CGO_C, "C_CALLS_STORE"), cnull
    assert main["line"] == marker_line(CGO_SRC, "MAIN_CALLS_CNULL")
    mv = scope_vars(c, main["id"])
    assert mv["n"]["value"] == "21" and mv["mode"]["value"] == '"cnull"', mv
    check_cgo_goroutines(c)
    disconnect(c)


def _is_dynamic(path):
    """Whether the ELF executable at path asks for a dynamic loader
    (PT_INTERP): what external linking gives."""
    with open(path, "rb") as f:
        eh = f.read(64)
        phoff, = struct.unpack_from("<Q", eh, 32)
        phentsize, phnum = struct.unpack_from("<HH", eh, 54)
        f.seek(phoff)
        ph = f.read(phentsize * phnum)
    return any(struct.unpack_from("<I", ph, k * phentsize)[0] == 3 for k in range(phnum))


def test_core_gcore_external_link(godap, go_tc):
    """The corefile fixture linked by the system linker (cgo's runtime, libc,
    its first segment read-only and apart from text): the same goroutines,
    stacks and values as internally linked; a build of another variant is
    refused by its build ids."""
    d = cores(go_tc)
    if "extlink" not in d:
        binary = go_tc.build(FIX, ldflags="-linkmode=external")
        d["extlink"] = (binary, _gcore(go_tc, binary, d["outdir"], name="gcore-ext"))
    binary, core = d["extlink"]
    assert _is_dynamic(binary) and not _is_dynamic(gcore_of(go_tc)[0])
    c = open_core(godap, go_tc, binary, core)
    ev = wait_stopped(c, "pause")
    threads = check_parked_program(c, ev)
    assert not [t for t in threads if t["name"].endswith("runtime.goexit")], threads
    disconnect(c)

    other = go_tc.build(FIX, ldflags="-linkmode=external -X main.variant=other")
    c = godap.start(go_tc)
    initialize(c)
    r = launch(c, other, "core", coreFilePath=core)
    assert not r["success"]
    assert r["message"].startswith(f"core file does not match program '{os.path.realpath(other)}'"), r
    assert "build id" in r["message"], r
    disconnect(c)
