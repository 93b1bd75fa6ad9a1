#!/usr/bin/env python3
"""Start-up on a big binary: cmd/go built from GOROOT with -gcflags=all=-N -l
(~22 MB, hundreds of CUs; --program for another), launched in mode exec by
godap and by Delve in the same run: time from `launch` to the stop at a
function breakpoint on main.main, and the adapter's peak RSS.  Prints
medians and the ratio; every run's phases (launch answered, breakpoint set,
configurationDone -> stop; for godap also its own "phase launch" log line:
debug info, exec, runtime) go to bench/results/bigstart.json.

    python3 bench/bigstart.py [--reps 5] [--program BINARY]
"""

import json
import re
import tempfile

import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "test", "integration"))

from dap_client import DapClient  # noqa: E402
from dap_tcp import TcpDapClient, finish  # noqa: E402


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    return float("nan")


def one(kind, godap, dlv, prog, logdir):
    log = os.path.join(logdir, f"{kind}-{time.monotonic_ns()}.log")
    c = (DapClient([godap, "--log-file", log], name="godap") if kind == "godap"
         else TcpDapClient([dlv, "dap", "--listen", "127.0.0.1:0"], name="dlv"))
    try:
        t0 = time.monotonic()
        c.request_ok("initialize", {"clientID": "bench", "adapterID": "go",
                                    "linesStartAt1": True, "columnsStartAt1": True,
                                    "pathFormat": "path"}, timeout=60)
        c.request_ok("launch", {"request": "launch", "mode": "exec",
                                "program": prog, "args": ["version"]}, timeout=120)
        t1 = time.monotonic()
        c.wait_event("initialized", 60)
        bps = c.request_ok("setFunctionBreakpoints",
                           {"breakpoints": [{"name": "main.main"}]}, timeout=60)
        assert bps["breakpoints"][0].get("verified"), bps
        t2 = time.monotonic()
        c.request_ok("configurationDone", timeout=60)
        ev = c.wait_event("stopped", 120)
        t3 = time.monotonic()
        dt = t3 - t0
        rss = peak_rss_mib(c.pid)
        phases = {"initialize_and_launch_ms": round((t1 - t0) * 1000, 1),
                  "function_breakpoint_ms": round((t2 - t1) * 1000, 1),
                  "configuration_done_to_stop_ms": round((t3 - t2) * 1000, 1)}
        if kind == "godap":
            try:
                with open(log) as f:
                    m = re.search(r"phase launch: debug info ([\d.]+) ms, exec ([\d.]+) ms, "
                                  r"runtime ([\d.]+) ms", f.read())
                    # (a ", breakpoints N ms" may follow: the pending ones)
                if m:
                    phases.update({"godap_debug_info_ms": float(m.group(1)),
                                   "godap_exec_ms": float(m.group(2)),
                                   "godap_runtime_ms": float(m.group(3))})
            except OSError:
                pass
        return dt, rss, ev["body"].get("reason"), phases
    finally:
        finish(c, 30)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--godap", default=os.path.join(HERE, "..", "build", "adapter", "godap"))
    ap.add_argument("--dlv", default=os.path.expanduser("~/go/bin/dlv"))
    ap.add_argument("--program", default=None,
                    help="a prebuilt Go binary instead of cmd/go (function breakpoint main.main)")
    ap.add_argument("--json", default=os.path.join(HERE, "results", "bigstart.json"))
    a = ap.parse_args()
    goroot = subprocess.check_output(["go", "env", "GOROOT"], text=True).strip()
    prog = a.program or "/tmp/godap-bench-gocmd"
    if not a.program and not os.path.exists(prog):
        subprocess.check_call(["go", "build", "-gcflags=all=-N -l", "-o", prog, "."],
                              cwd=os.path.join(goroot, "src", "cmd", "go"))
    size = os.path.getsize(prog) / 1e6
    res = {"godap": [], "dlv": []}
    runs = []
    logdir = tempfile.mkdtemp(prefix="godap-bigstart-")
    load0 = os.getloadavg()
    for _ in range(a.reps):
        for kind in ("godap", "dlv"):
            if kind == "dlv" and not os.path.exists(a.dlv):
                continue
            dt, rss, reason, phases = one(kind, a.godap, a.dlv, prog, logdir)
            res[kind].append((dt, rss))
            runs.append({"debugger": kind, "ms": round(dt * 1000, 1), "peak_rss_mib": round(rss, 1),
                         "phases": phases})
            print(f"  {kind:5s} {dt * 1000:7.0f} ms  {rss:6.1f} MiB  ({reason})  {phases}",
                  flush=True)
    os.makedirs(os.path.dirname(a.json), exist_ok=True)
    with open(a.json, "w") as f:
        json.dump({"program": prog, "size_mb": round(os.path.getsize(prog) / 1e6, 1),
                   "go": subprocess.run(["go", "version"], capture_output=True,
                                        text=True).stdout.strip(),
                   "loadavg": [load0, os.getloadavg()], "runs": runs}, f, indent=1)
    print(f"cmd/go -N -l ({size:.1f} MB), launch -> stop at main.main, medians of {a.reps}:")
    g = [x for x, _ in res["godap"]]
    gr = [x for _, x in res["godap"]]
    line = f"  godap {statistics.median(g) * 1000:.0f} ms, peak RSS {statistics.median(gr):.1f} MiB"
    if res["dlv"]:
        d = [x for x, _ in res["dlv"]]
        dr = [x for _, x in res["dlv"]]
        line += (f"; dlv {statistics.median(d) * 1000:.0f} ms, peak RSS {statistics.median(dr):.1f} MiB;"
                 f" dlv/godap time {statistics.median(d) / statistics.median(g):.2f}, "
                 f"RSS {statistics.median(dr) / statistics.median(gr):.2f}")
    print(line)


if __name__ == "__main__":
    main()
