#!/usr/bin/env python3
"""Opening a core of a big program: the program bench/bigcore_gen.py writes
(480 packages of 120 functions, about 69 MB built with -gcflags=all=-N -l by
the installed Go), dumped with gcore while 8 goroutines are parked, opened
in launch mode "core" by godap and by Delve (`dlv dap`) in the same run:
time from `initialize` to the answer of the first `stackTrace` (after
`threads`, of the goroutine the stop names), and the adapter's peak RSS.  Runs alternate
between the two (and which goes first); prints every run, the medians and the ratios.

    python3 bench/corestart.py [--reps 5]

Delve 1.27.2 refuses binaries of Go 1.22, so compare with the installed
Go 1.26.  The machine is shared: read the medians, not single runs.
"""

import argparse
import os
import subprocess
import sys
import time

from benchlib import (BIG_WORK as WORK, DEFAULT_DLV, DEFAULT_GODAP, INIT_ARGS,  # noqa: E402
                      build_big_program, finish, medians_line, peak_rss_mib,
                      start_adapter)


def make_core(prog):
    core = os.path.join(WORK, "core.big")
    if os.path.exists(core):
        return core
    p = subprocess.Popen([prog], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         env=dict(os.environ, GOMAXPROCS="2"), text=True)
    try:
        line = p.stdout.readline()
        assert line.startswith("READY"), line
        base = os.path.join(WORK, "gcore")
        subprocess.run(["gcore", "-o", base, str(p.pid)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.rename(f"{base}.{p.pid}", core)
        subprocess.run(["fallocate", "--dig-holes", core], check=True)
    finally:
        p.kill()
        p.wait()
    return core


def one(kind, godap, dlv, prog, core):
    c = start_adapter(kind, godap, dlv)
    try:
        t0 = time.monotonic()
        c.request_ok("initialize", INIT_ARGS, timeout=60)
        c.request_ok("launch", {"request": "launch", "mode": "core",
                                "program": prog, "coreFilePath": core}, timeout=300)
        c.wait_event("initialized", 60)
        c.request_ok("configurationDone", timeout=60)
        ev = c.wait_event("stopped", 300)
        # What a client does next: the threads, then the stopped one's
        # stack (Delve's stop on a core names no thread: the first one).
        threads = c.request_ok("threads", timeout=300)["threads"]
        tid = ev["body"].get("threadId", threads[0]["id"])
        frames = c.request_ok("stackTrace", {"threadId": tid, "levels": 20},
                              timeout=300)["stackFrames"]
        dt = time.monotonic() - t0
        rss = peak_rss_mib(c.pid)
        return dt, rss, f'{ev["body"].get("reason")}, {len(threads)} threads, ' \
            f'{frames[0]["name"]}', len(frames)
    finally:
        finish(c, 30)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--godap", default=DEFAULT_GODAP)
    ap.add_argument("--dlv", default=DEFAULT_DLV)
    a = ap.parse_args()
    os.makedirs(WORK, exist_ok=True)
    prog = build_big_program()
    core = make_core(prog)
    goversion = subprocess.check_output(["go", "version", prog], text=True).split()[1]
    size = os.path.getsize(prog) / 1e6
    csize = os.path.getsize(core) / 1e6
    used = int(subprocess.check_output(["du", "-k", core], text=True).split()[0]) / 1024
    print(f"program {size:.1f} MB ({goversion}), core {csize:.0f} MB ({used:.0f} MiB on disk)")
    res = {"godap": [], "dlv": []}
    for r in range(a.reps):
        # Alternate who goes first: the second finds the files cached.
        for kind in (("godap", "dlv") if r % 2 == 0 else ("dlv", "godap")):
            if kind == "dlv" and not os.path.exists(a.dlv):
                continue
            dt, rss, reason, nf = one(kind, a.godap, a.dlv, prog, core)
            res[kind].append((dt, rss))
            print(f"  {kind:5s} {dt * 1000:7.0f} ms  {rss:6.1f} MiB  (stopped: {reason}; "
                  f"{nf} frames)", flush=True)
    print(f"open core -> first stackTrace, medians of {a.reps}:")
    print(medians_line(res))


if __name__ == "__main__":
    main()
