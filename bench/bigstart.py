#!/usr/bin/env python3
"""Start-up on a big program: the ~69 MB program of bench/bigcore_gen.py
(480 packages of 120 functions, -gcflags=all=-N -l, built once by the
installed Go and kept in /tmp/godap-bench-bigcore), launched in mode exec
by godap and by Delve in the same run, alternating.  Two scenarios:

  line  a line breakpoint in main (main.go, `total += p000.Run(...)`)
  func  a function breakpoint on bigcore/p123.F7 (reached from main)

Each run: initialize + launch, the breakpoint, configurationDone -> the
`stopped` event ("start to first breakpoint"), then the first stackTrace
of the stopped thread.  Measured: wall time to the stop, the adapter's
peak RSS (VmHWM) read at the stop and again after the stackTrace, the
adapter's CPU time at the stop (all its threads, schedstat), and each
phase: client side (initialize+launch, breakpoint request,
configurationDone -> stop, stackTrace) and, for godap, its own log lines
("phase launch: debug info, symbols, exec, runtime", the same in CPU
time, and "phase breakpoint N: resolve / insert").  Medians and ratios printed; every run in
bench/results/bigstart.json.

    python3 bench/bigstart.py [--reps 5] [--only line,func] [--program BIN --func NAME]

The machine is shared: read the medians and the CPU times, not single runs.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import tempfile
import time

from benchlib import (BIG_SRC, DEFAULT_DLV, DEFAULT_GODAP, HERE, INIT_ARGS,
                      build_big_program, cpu_ms, finish, kinds, medians_line,
                      peak_rss_mib, start_adapter)

LINE_TEXT = "total += p000.Run(len(os.Args))"
FUNC = "bigcore/p123.F7"


def main_line():
    path = os.path.join(BIG_SRC, "main.go")
    with open(path) as f:
        for i, line in enumerate(f, 1):
            if LINE_TEXT in line:
                return path, i
    raise SystemExit(f"{LINE_TEXT!r} not in {path}")


def godap_phases(log):
    """The godap log's phase lines as {name: ms}."""
    out = {}
    try:
        with open(log) as f:
            text = f.read()
    except OSError:
        return out
    for kind, tag in (("", ""), (" cpu", "cpu_")):
        m = re.search(r"phase launch" + kind + r": (.*)", text)
        if m:
            for name, ms in re.findall(r"([a-z ]+?) ([\d.]+) ms", m.group(1)):
                out["godap_" + tag + name.strip().replace(" ", "_") + "_ms"] = float(ms)
    for what in ("resolve", "insert"):
        v = [float(x) for x in re.findall(r"phase breakpoint \d+: " + what + r" ([\d.]+) ms", text)]
        if v:
            out[f"godap_breakpoint_{what}_ms"] = round(sum(v), 1)
    m = re.search(r"stopped: process CPU ([\d.]+) ms", text)
    if m:
        out["godap_process_cpu_at_stop_ms"] = float(m.group(1))
    if "godap_breakpoint_resolve_ms" in out and "godap_breakpoint_insert_ms" in out:
        out["godap_breakpoint_lookup_ms"] = round(
            out["godap_breakpoint_resolve_ms"] - out["godap_breakpoint_insert_ms"], 1)
    return out


def one(kind, scen, a, prog, logdir):
    log = os.path.join(logdir, f"{kind}-{scen}-{time.monotonic_ns()}.log")
    c = start_adapter(kind, a.godap, a.dlv, log if kind == "godap" else None)
    try:
        t0 = time.monotonic()
        c.request_ok("initialize", INIT_ARGS, timeout=60)
        c.request_ok("launch", {"request": "launch", "mode": "exec", "program": prog,
                                "args": a.args}, timeout=120)
        t1 = time.monotonic()
        c.wait_event("initialized", 60)
        if scen == "line":
            path, line = main_line()
            r = c.request_ok("setBreakpoints", {"source": {"path": path},
                                                "breakpoints": [{"line": line}]}, timeout=60)
        else:
            r = c.request_ok("setFunctionBreakpoints",
                             {"breakpoints": [{"name": a.func}]}, timeout=60)
        assert r["breakpoints"][0].get("verified"), r
        t2 = time.monotonic()
        c.request_ok("configurationDone", timeout=60)
        ev = c.wait_event("stopped", 120)
        t3 = time.monotonic()
        rss = peak_rss_mib(c.pid)
        cpu = cpu_sched = cpu_ms(c.pid)
        tid = ev["body"].get("threadId")
        if tid is None:
            tid = c.request_ok("threads", timeout=60)["threads"][0]["id"]
        st = c.request_ok("stackTrace", {"threadId": tid, "levels": 20}, timeout=60)
        t4 = time.monotonic()
        top = st["stackFrames"][0]
        rss_st = peak_rss_mib(c.pid)
        cpu_st = cpu_ms(c.pid)
        phases = {"initialize_and_launch_ms": round((t1 - t0) * 1000, 1),
                  "breakpoint_request_ms": round((t2 - t1) * 1000, 1),
                  "configuration_done_to_stop_ms": round((t3 - t2) * 1000, 1),
                  "first_stack_trace_ms": round((t4 - t3) * 1000, 1)}
        if kind == "godap":
            phases.update(godap_phases(log))
            # godap's own count includes the threads that have ended (the
            # one that inflates .debug_line at open), which /proc omits.
            cpu = phases.get("godap_process_cpu_at_stop_ms", cpu)
        return {"debugger": kind, "scenario": scen, "ms": round((t3 - t0) * 1000, 1),
                "cpu_ms": round(cpu, 1), "stack_trace_cpu_ms": round(cpu_st - cpu_sched, 1),
                "peak_rss_mib": round(rss, 1),
                "peak_rss_after_stack_mib": round(rss_st, 1),
                "stop": f'{ev["body"].get("reason")} at {top["name"]}:{top.get("line")}',
                "phases": phases}
    finally:
        finish(c, 30)


def med(runs, key):
    v = [r[key] for r in runs]
    return statistics.median(v) if v else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--only", default="line,func")
    ap.add_argument("--godap", default=DEFAULT_GODAP)
    ap.add_argument("--dlv", default=DEFAULT_DLV)
    ap.add_argument("--program", default=None,
                    help="another prebuilt Go binary (scenario func only, with --func)")
    ap.add_argument("--func", default=FUNC)
    ap.add_argument("--args", nargs="*", default=[])
    ap.add_argument("--json", default=os.path.join(HERE, "results", "bigstart.json"))
    a = ap.parse_args()
    prog = a.program or build_big_program()
    scens = [s for s in a.only.split(",") if s]
    if a.program:
        scens = ["func"]
    size = os.path.getsize(prog) / 1e6
    gover = subprocess.run(["go", "version", prog], capture_output=True, text=True).stdout.strip()
    print(f"{prog} ({size:.1f} MB, {gover})")
    logdir = tempfile.mkdtemp(prefix="godap-bigstart-")
    load0 = os.getloadavg()
    runs = []
    errors = []
    for rep in range(a.reps):
        for scen in scens:
            order = kinds(a.dlv)
            if rep % 2:
                order = tuple(reversed(order))  # the second finds the files cached
            for kind in order:
                try:
                    r = one(kind, scen, a, prog, logdir)
                except Exception as e:  # a timeout of one debugger's run: counted, not fatal
                    errors.append({"debugger": kind, "scenario": scen, "rep": rep,
                                   "error": str(e).splitlines()[0][:300]})
                    print(f"  {scen:4s} {kind:5s} error: {errors[-1]['error']}", flush=True)
                    continue
                runs.append(r)
                print(f"  {scen:4s} {kind:5s} {r['ms']:7.0f} ms  cpu {r['cpu_ms']:6.0f} ms "
                      f"(+{r['stack_trace_cpu_ms']:.0f} stackTrace)  "
                      f"{r['peak_rss_mib']:6.1f} MiB ({r['peak_rss_after_stack_mib']:.1f} after "
                      f"stackTrace)  {r['stop']}  {r['phases']}", flush=True)
    summary = {}
    for scen in scens:
        res = {k: [(r["ms"] / 1000, r["peak_rss_mib"]) for r in runs
                   if r["scenario"] == scen and r["debugger"] == k] for k in ("godap", "dlv")}
        nerr = {k: sum(1 for e in errors if e["scenario"] == scen and e["debugger"] == k)
                for k in ("godap", "dlv")}
        print(f"{scen}: launch -> stop, medians of {a.reps} (failed runs left out: {nerr}):")
        print(medians_line(res))
        s = {}
        for k in ("godap", "dlv"):
            rr = [r for r in runs if r["scenario"] == scen and r["debugger"] == k]
            if not rr:
                continue
            s[k] = {"ms": med(rr, "ms"), "cpu_ms": med(rr, "cpu_ms"),
                    "stack_trace_cpu_ms": med(rr, "stack_trace_cpu_ms"),
                    "peak_rss_mib": med(rr, "peak_rss_mib"),
                    "peak_rss_after_stack_mib": med(rr, "peak_rss_after_stack_mib"),
                    "phases_ms": {p: statistics.median([r["phases"][p] for r in rr
                                                        if p in r["phases"]])
                                  for p in rr[0]["phases"]}}
            print(f"  {k} CPU {s[k]['cpu_ms']:.0f} ms to the stop, "
                  f"{s[k]['stack_trace_cpu_ms']:.0f} ms for the stackTrace, peak RSS after the first stackTrace "
                  f"{s[k]['peak_rss_after_stack_mib']:.1f} MiB; phases (medians) "
                  f"{s[k]['phases_ms']}")
        summary[scen] = s
    os.makedirs(os.path.dirname(a.json), exist_ok=True)
    with open(a.json, "w") as f:
        json.dump({"program": prog, "size_mb": round(size, 1), "go": gover,
                   "loadavg": [load0, os.getloadavg()], "nproc": os.cpu_count(),
                   "summary": summary, "runs": runs, "errors": errors}, f, indent=1)


if __name__ == "__main__":
    main()
