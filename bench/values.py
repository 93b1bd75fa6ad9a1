#!/usr/bin/env python3
"""Values benchmark: godap and Delve (dlv dap) in the same run, on fixture
test/fixtures/values2 stopped at BPMAIN: the Locals scope, then pages of
100 children of a 1 000 000-element slice and of a 100 000-entry map, at
the start and in the middle.  Prints the median time of each request per
debugger and the ratio godap/dlv.  Measures, asserts nothing.

  python3 bench/values.py [--reps N] [--godap build/adapter/godap]
                          [--dlv ~/go/bin/dlv] [--go go]
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, "test", "integration"))
sys.path.insert(0, HERE)

import dap_client  # noqa: E402
from dap_tcp import TcpDapClient, finish  # noqa: E402

SRC_DIR = os.path.join(REPO, "test", "fixtures", "values2")
SRC = os.path.join(SRC_DIR, "main.go")
T = 120.0


class LaunchFailed(Exception):
    pass


def marker_line(path, marker):
    rx = re.compile(r"//\s*" + re.escape(marker) + r"\b")
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if rx.search(line):
                return i + 1
    raise SystemExit(f"no marker {marker} in {path}")


def build(go, outdir):
    out = os.path.join(outdir, "values2")
    r = subprocess.run([go, "build", "-gcflags=all=-N -l", "-o", out, "."], cwd=SRC_DIR,
                       capture_output=True, text=True,
                       env=dict(os.environ, GOFLAGS="-buildvcs=false"))
    if r.returncode != 0:
        raise SystemExit(f"go build failed:\n{r.stdout}{r.stderr}")
    return out


def start(kind, args, program, logdir):
    log = os.path.join(logdir, f"{kind}.log")
    if kind == "godap":
        c = dap_client.DapClient([args.godap], log_path=log, name="godap")
    else:
        c = TcpDapClient([args.dlv, "dap", "--listen", "127.0.0.1:0"], log_path=log, name="dlv")
    c.request_ok("initialize", {"clientID": "bench", "adapterID": "go", "pathFormat": "path",
                                "linesStartAt1": True, "columnsStartAt1": True,
                                "supportsVariableType": True, "supportsVariablePaging": True},
                 timeout=T)
    seq = c.send_request("launch", {"request": "launch", "name": "bench", "type": "go",
                                    "mode": "exec", "program": program}, timeout=T)
    resp = c.wait_response(seq, T)
    if not resp.get("success"):
        c.shutdown()
        raise LaunchFailed(f"{kind}: launch failed: {resp.get('message')}")
    c.wait_event("initialized", T)
    line = marker_line(SRC, "BPMAIN")
    c.request_ok("setBreakpoints", {"source": {"path": SRC}, "breakpoints": [{"line": line}]},
                 timeout=T)
    c.request_ok("configurationDone", timeout=T)
    ev = c.wait_event("stopped", T)
    return c, ev["body"]["threadId"]


def timed(c, command, arguments):
    t0 = time.perf_counter()
    body = c.request_ok(command, arguments, timeout=T)
    return time.perf_counter() - t0, body


def run_one(kind, args, program, logdir):
    c, tid = start(kind, args, program, logdir)
    res = {}
    try:
        frame = c.request_ok("stackTrace", {"threadId": tid, "levels": 1}, timeout=30)
        fid = frame["stackFrames"][0]["id"]
        times = []
        refs = {}
        for _ in range(args.reps):
            # a fresh scope each time: both debuggers cache per handle
            sc = c.request_ok("scopes", {"frameId": fid}, timeout=T)["scopes"]
            dt, body = timed(c, "variables", {"variablesReference": sc[0]["variablesReference"]})
            times.append(dt)
            refs = {v["name"]: v["variablesReference"] for v in body["variables"]}
        res["locals (scope)"] = times
        cases = [("slice 1M: [0:100]", "big", 0), ("slice 1M: [500000:500100]", "big", 500000),
                 ("map 100k: [0:100]", "bigMap", 0), ("map 100k: [50000:50100]", "bigMap", 50000)]
        for label, name, start_at in cases:
            times = []
            for _ in range(args.reps):
                try:
                    dt, body = timed(c, "variables", {"variablesReference": refs[name],
                                                      "filter": "indexed", "start": start_at,
                                                      "count": 100})
                except dap_client.DapTimeout:
                    print(f"{kind}: {label}: no answer within {T:.0f}s", file=sys.stderr)
                    break
                if len(body["variables"]) != 100:
                    raise SystemExit(f"{kind}: {label}: {len(body['variables'])} children")
                times.append(dt)
            res[label] = times
            if len(times) < args.reps:
                break  # the debugger is stuck: stop asking it
    finally:
        finish(c, 15)
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=9)
    ap.add_argument("--logdir", help="keep the DAP logs here")
    ap.add_argument("--godap", default=os.path.join(REPO, "build", "adapter", "godap"))
    ap.add_argument("--dlv", default=shutil.which("dlv") or os.path.expanduser("~/go/bin/dlv"))
    ap.add_argument("--go", default=shutil.which("go") or "go")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="godap-bench-values-") as tmp:
        program = build(args.go, tmp)
        ver = subprocess.run([args.go, "version"], capture_output=True, text=True).stdout.strip()
        print(f"{ver}; values2 built with -N -l; {args.reps} repetitions, median ms")
        results = {}
        for kind in ("godap", "dlv"):
            if kind == "dlv" and not os.access(args.dlv or "", os.X_OK):
                print("dlv not found: Delve column skipped")
                continue
            for attempt in range(3):
                try:
                    results[kind] = run_one(kind, args, program, args.logdir or tmp)
                    break
                except LaunchFailed as e:
                    # e.g. dlv 1.27 refuses binaries of Go older than 1.24
                    print(f"{e}: its column is left empty", file=sys.stderr)
                    break
                except dap_client.DapTimeout as e:
                    # seen with dlv 1.27.2 on go1.26 binaries: a stackTrace
                    # right after the stop never answered; start again
                    print(f"{kind}: attempt {attempt + 1} stuck: "
                          f"{str(e).splitlines()[0]}", file=sys.stderr)
        if "godap" not in results:
            raise SystemExit("godap never answered")
        labels = list(results["godap"])
        print(f"{'request':28} {'godap':>10} {'dlv':>10} {'godap/dlv':>10}")
        def med(kind, lab):
            ts = results.get(kind, {}).get(lab)
            return statistics.median(ts) * 1000 if ts else None

        for lab in labels:
            g = med("godap", lab)
            d = med("dlv", lab)
            if g is None:
                print(f"{lab:28} {'failed':>10}")
                continue
            ratio = f"{g / d:10.2f}" if d else f"{'-':>10}"
            dtxt = f"{d:10.2f}" if d is not None else f"{'-':>10}"
            print(f"{lab:28} {g:10.2f} {dtxt} {ratio}")


if __name__ == "__main__":
    main()
