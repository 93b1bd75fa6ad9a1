#!/usr/bin/env python3
"""godap vs Delve: a few DAP benchmarks on the same machine, in the same run.

    python3 bench/run.py [--reps N] [--only start,next,nexthold,threads,threads50k,cond,cond10k,condebpf,condebpf10k,condebpfnopad,log,logebpf,calls]

Builds bench/fixtures once (go build -gcflags='all=-N -l'), launches both
debuggers in mode "exec" (build time is not measured), alternates them
R times per scenario and prints medians and dlv/godap ratios.  Results go
to bench/results/latest.json as well.  Figures are medians of wall-clock
times on whatever machine this is: compare ratios, never absolute times.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(REPO, "test", "integration"))
sys.path.insert(0, HERE)

import dap_client  # noqa: E402
from dap_client import DapClient, DapError  # noqa: E402
from dap_tcp import TcpDapClient  # noqa: E402

FIXTURES = os.path.join(HERE, "fixtures")
RESULTS = os.path.join(HERE, "results")
SCENARIOS = ["start", "next", "nexthold", "threads", "threads50k", "cond", "cond10k",
             "condebpf", "condebpf10k", "condebpfnopad", "log", "logebpf", "calls"]
DEBUGGERS = ["godap", "dlv"]

T_REQ = 60.0        # an ordinary request
T_STOP = 120.0      # launch .. first stop, one `next`
T_COND = 600.0      # running the whole conditional-breakpoint loop

START_GOROUTINES = 10
NEXT_GOROUTINES = 1000
PARK_GOROUTINES = 10000
PARK_GOROUTINES_BIG = 50000
COND_N = 200000
COND_PARKED = 10000   # cond10k: goroutines parked while the loop runs
COND_PARKED_N = 20000 # cond10k: loop length (Delve pays per goroutine)
LOG_N = 100000        # log, logebpf: logpoint hits (lines) per run
FLOOR_N = 200000


# ---------------------------------------------------------------- helpers

def marker_line(path, marker):
    rx = re.compile(r"//\s*" + re.escape(marker) + r"\b")
    with open(path, encoding="utf-8") as f:
        hits = [i + 1 for i, line in enumerate(f) if rx.search(line)]
    if len(hits) != 1:
        raise SystemExit(f"marker {marker} occurs {len(hits)} times in {path}")
    return hits[0]


def vm_hwm_kib(pid):
    """Peak resident set size (VmHWM) of pid in KiB, or None."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def cpu_ns(pid):
    """CPU time all threads of the process have used (ns, the sum of
    /proc/PID/task/*/schedstat), or None: unlike wall time, hardly moved by
    the machine's load.  (Threads that ended meanwhile are not counted.)"""
    try:
        total = 0
        for t in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{t}/schedstat") as f:
                    total += int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                pass
        return total
    except OSError:
        return None


def go_version():
    try:
        return subprocess.run(["go", "version"], capture_output=True, text=True,
                              timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"unknown ({e})"


def dlv_version(dlv):
    try:
        out = subprocess.run([dlv, "version"], capture_output=True, text=True, timeout=30).stdout
        m = re.search(r"Version:\s*(\S+)", out)
        return m.group(1) if m else out.strip()
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"unknown ({e})"


def build_fixtures(outdir):
    bins = {}
    for name in ("busy", "cond", "calls"):
        src = os.path.join(FIXTURES, name)
        out = os.path.join(outdir, name)
        cmd = ["go", "build", "-gcflags=all=-N -l", "-o", out, "."]
        r = subprocess.run(cmd, cwd=src, capture_output=True, text=True, timeout=900)
        if r.returncode != 0:
            raise SystemExit(f"building {name} failed:\n{r.stdout}{r.stderr}")
        bins[name] = out
    out = os.path.join(outdir, "ptrace_rt")
    r = subprocess.run(["cc", "-O2", "-o", out, os.path.join(HERE, "floor", "ptrace_rt.c")],
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise SystemExit(f"building floor/ptrace_rt.c failed:\n{r.stdout}{r.stderr}")
    bins["floor"] = out
    return bins


def measure_floor(cfg, reps=5):
    """Median ns per hit of the bare ptrace round trip (floor/ptrace_rt.c),
    without and with an 8-byte read per hit."""
    out = {}
    for mode in ("hit", "read"):
        vals = []
        for _ in range(reps):
            r = subprocess.run([cfg.bins["floor"], str(FLOOR_N)] + (["read"] if mode == "read" else []),
                               capture_output=True, text=True, timeout=600)
            m = re.search(r"ns_per_hit (\d+)", r.stdout)
            if m:
                vals.append(int(m.group(1)))
        out[mode] = statistics.median(vals) if vals else None
        out[mode + "_runs"] = vals
    return out


# ---------------------------------------------------------------- sessions

class Session:
    """One debugger (godap on stdio or dlv dap on TCP) and its debuggee."""

    def __init__(self, kind, cfg, log_path):
        self.kind = kind
        self.seen_pids = set()
        if kind == "godap":
            self.c = DapClient([cfg.godap], log_path=log_path, name="godap")
        else:
            self.c = TcpDapClient([cfg.dlv, "dap", "--listen", "127.0.0.1:0"],
                                  log_path=log_path, name="dlv")
        self.pid = self.c.pid

    def note_pids(self):
        """Remembers the adapter's descendants (the debuggee) for cleanup."""
        try:
            self.seen_pids.update(dap_client.descendants_of(self.pid))
        except OSError:
            pass

    def initialize(self):
        return self.c.request_ok("initialize", {
            "clientID": "godap-bench", "clientName": "godap bench",
            "adapterID": "go", "pathFormat": "path",
            "linesStartAt1": True, "columnsStartAt1": True,
            "supportsVariableType": True, "supportsRunInTerminalRequest": False,
            "locale": "en-us",
        }, timeout=T_REQ)

    def send_launch(self, program, args, env=None, extra=None):
        a = {"request": "launch", "name": "bench", "type": "go", "mode": "exec",
             "program": program, "args": list(args), "env": env or {},
             "stopOnEntry": False}
        a.update(extra or {})
        return self.c.send_request("launch", a, timeout=T_REQ)

    def set_bps(self, path, bps):
        body = self.c.request_ok("setBreakpoints", {
            "source": {"path": path, "name": os.path.basename(path)},
            "breakpoints": bps, "lines": [b["line"] for b in bps],
        }, timeout=T_REQ)
        return body.get("breakpoints") or []

    def wait_stopped(self, timeout=T_STOP):
        ev = self.c.wait_event("stopped", timeout)
        self.note_pids()
        return ev.get("body") or {}

    def close(self):
        """disconnect (terminating the debuggee), then make sure the adapter
        and everything it started are gone."""
        self.note_pids()
        if self.c.proc.poll() is None:
            try:
                seq = self.c.send_request("disconnect", {"restart": False,
                                                         "terminateDebuggee": True}, timeout=5)
                self.c.wait_response(seq, 15)
            except Exception:
                pass
        try:
            self.c.shutdown(grace=5.0)
        except Exception:
            self.c.kill()
        kill_pids(self.seen_pids)


def kill_pids(pids):
    for p in pids:
        try:
            os.kill(p, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    deadline = time.monotonic() + 10
    for p in pids:
        while dap_client.pid_alive(p) and time.monotonic() < deadline:
            time.sleep(0.05)


def start_session(kind, cfg, scen, rep, program, args, bp_path, bps, env=None,
                  launch_extra=None):
    """initialize, launch, initialized, setBreakpoints, configurationDone.
    Returns (session, t_launch_sent, t_config_done, breakpoints)."""
    log = os.path.join(cfg.logdir, f"{scen}-{rep}-{kind}.log")
    s = Session(kind, cfg, log)
    try:
        s.initialize()
        t_launch = time.monotonic()
        seq = s.send_launch(program, args, env, launch_extra)
        resp = s.c.wait_response(seq, T_STOP)
        if not resp.get("success"):
            raise DapError(f"launch failed: {resp.get('message')} {resp.get('body')}")
        t_resp = time.monotonic()
        s.c.wait_event("initialized", T_REQ)
        s.note_pids()
        got = s.set_bps(bp_path, bps)
        t_cfg = time.monotonic()
        s.phases = {"launch_ms": (t_resp - t_launch) * 1000.0,
                    "breakpoints_ms": (t_cfg - t_resp) * 1000.0}
        s.c.request_ok("configurationDone", timeout=T_REQ)
        return s, t_launch, t_cfg, got
    except BaseException:
        s.close()
        raise


# ---------------------------------------------------------------- scenarios

def scen_start(kind, cfg, rep):
    src = os.path.join(FIXTURES, "busy", "main.go")
    s, t0, _, bps = start_session(kind, cfg, "start", rep, cfg.bins["busy"],
                                  ["busy", str(START_GOROUTINES)], src,
                                  [{"line": marker_line(src, "BENCH_BP")}])
    try:
        if not bps or not bps[0].get("verified"):
            raise DapError(f"breakpoint not verified: {bps}")
        body = s.wait_stopped(T_STOP)
        t1 = time.monotonic()
        if body.get("reason") != "breakpoint":
            raise DapError(f"first stop is {body}, not a breakpoint")
        rss = vm_hwm_kib(s.pid)
        ph = dict(s.phases)
        ph["run_to_stop_ms"] = (t1 - t0) * 1000.0 - ph["launch_ms"] - ph["breakpoints_ms"]
        return {"launch_to_stop_ms": (t1 - t0) * 1000.0,
                "peak_rss_mib": rss / 1024.0 if rss else None,
                "_phases_ms": {k: round(v, 1) for k, v in ph.items()}}
    finally:
        s.close()


def scen_next(kind, cfg, rep, hold=False):
    src = os.path.join(FIXTURES, "busy", "main.go")
    # nexthold (S2s): godap's stepHoldsOthers; Delve has no such attribute
    # and is launched the same way (it ignores unknown attributes).
    s, _, _, bps = start_session(kind, cfg, "nexthold" if hold else "next", rep,
                                 cfg.bins["busy"], ["busy", str(NEXT_GOROUTINES)], src,
                                 [{"line": marker_line(src, "BENCH_BP")}],
                                 launch_extra={"stepHoldsOthers": True} if hold else None)
    try:
        body = s.wait_stopped(T_STOP)
        g = body.get("threadId")
        if not isinstance(g, int):
            raise DapError(f"stopped event without threadId: {body}")
        s.set_bps(src, [])
        lat, switches, others, timeouts, slow = [], 0, [], 0, 0
        aborted = None
        t_all = time.monotonic()
        for n in range(cfg.nexts):
            t0 = time.monotonic()
            # The latency is request -> stopped; Delve sometimes answers the
            # request itself only much later, so the response is not waited
            # for separately (a failed one is an error below).
            seq = s.c.send_request("next", {"threadId": g}, timeout=T_REQ)
            try:
                ev = s.wait_stopped(cfg.next_timeout)
                resp = s.c.wait_response(seq, T_REQ)
                if not resp.get("success"):
                    raise DapError(f"next #{n + 1} failed: {resp.get('message')}")
            except dap_client.DapTimeout:
                # Counted at the timeout (a lower bound); pause to get the
                # target back and go on with the next `next`.
                timeouts += 1
                lat.append(cfg.next_timeout * 1000.0)
                s.c.send_request("pause", {"threadId": g}, timeout=T_REQ)
                try:
                    s.wait_stopped(T_STOP)
                except dap_client.DapTimeout:
                    # Neither the step nor the pause ended: keep what we have.
                    aborted = f"next #{n + 1} and the pause after it did not stop within " \
                              f"{cfg.next_timeout + T_STOP:.0f}s"
                    break
                continue
            dt = time.monotonic() - t0
            lat.append(dt * 1000.0)
            if dt > 1.0:
                slow += 1
            if ev.get("threadId") != g:
                switches += 1
                others.append(ev.get("threadId"))
        return {"next_median_ms": statistics.median(lat),
                "next_max_ms": max(lat),
                "nexts_over_50ms": sum(1 for x in lat if x > 50),
                "next_total_s": time.monotonic() - t_all,
                "nexts_over_1s": slow,
                "next_timeouts": timeouts,
                "goroutine_switches": switches,
                "_nexts": cfg.nexts, "_nexts_done": len(lat), "_aborted": aborted,
                "_switched_to": others[:10],
                "_latencies_ms": [round(x, 2) for x in lat]}
    finally:
        s.close()


def scen_threads(kind, cfg, rep, n=PARK_GOROUTINES):
    src = os.path.join(FIXTURES, "busy", "main.go")
    s, _, _, _ = start_session(kind, cfg, f"threads{n}", rep, cfg.bins["busy"],
                               ["park", str(n)], src,
                               [{"line": marker_line(src, "BENCH_READY")}])
    try:
        body = s.wait_stopped(T_STOP)
        if body.get("reason") != "breakpoint":
            raise DapError(f"first stop is {body}, not a breakpoint")
        times, counts, cpu = [], [], []
        for _ in range(cfg.thread_calls):
            c0 = cpu_ns(s.pid)
            t0 = time.monotonic()
            b = s.c.request_ok("threads", timeout=T_STOP)
            times.append((time.monotonic() - t0) * 1000.0)
            c1 = cpu_ns(s.pid)
            cpu.append((c1 - c0) / 1e6 if c0 is not None and c1 is not None else None)
            counts.append(len(b.get("threads") or []))
        phases = threads_phases(s) if kind == "godap" else None
        return {"threads_median_ms": statistics.median(times),
                "threads_first_ms": times[0],
                "threads_again_ms": statistics.median(times[1:]) if len(times) > 1 else None,
                "threads_first_cpu_ms": cpu[0],
                "threads_again_cpu_ms": statistics.median(cpu[1:]) if len(cpu) > 1 and
                None not in cpu else None,
                "threads_returned": max(counts),
                "threads_first_inside_ms": phases["total"] if phases else None,
                "_counts": counts, "_times_ms": [round(x, 2) for x in times],
                "_phases_ms": phases}
    finally:
        s.close()


def threads_phases(s, wait=2.0):
    """godap's own account of its first threads answer (its stderr line
    "phase threads: N threads, goroutines X ms, functions ..., names ...,
    text ..., sent ..."), wall-clock ms inside godap; None if absent."""
    deadline = time.monotonic() + wait
    while True:
        err = "".join(s.c.stderr_chunks)
        m = re.search(r"phase threads: (\d+) threads, (.*)", err)
        if m or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    if not m:
        return None
    ph = {k: float(v) for k, v in re.findall(r"(\w+) ([\d.]+) ms", m.group(2))}
    ph["total"] = round(sum(ph.values()), 1)
    return ph


def read_local(s, tid, name):
    """The value (string) of variable `name` in the top frame, or None."""
    try:
        st = s.c.request_ok("stackTrace", {"threadId": tid, "startFrame": 0, "levels": 1},
                            timeout=T_REQ)
        fid = st["stackFrames"][0]["id"]
        scopes = s.c.request_ok("scopes", {"frameId": fid}, timeout=T_REQ)["scopes"]
        for sc in scopes:
            ref = sc.get("variablesReference")
            if not ref:
                continue
            vs = s.c.request_ok("variables", {"variablesReference": ref},
                                timeout=T_REQ).get("variables") or []
            for v in vs:
                if v.get("name") == name:
                    return v.get("value")
    except Exception:
        return None
    return None


class Unsupported(Exception):
    pass


def scen_cond(kind, cfg, rep, parked=0, ebpf=False, pads=True):
    src = os.path.join(FIXTURES, "cond", "main.go")
    n = cfg.cond_parked_n if parked else cfg.cond_n
    cond = f"i == {n - 1}"
    # condebpf: godap with the condition compiled to eBPF and run in the
    # kernel (launch attribute ebpfConditions, on by default); cond: with it
    # off (the int3 path).  Delve gets the same launch arguments (it has no
    # such attribute: its figures are cond's again).  condebpfnopad: in the
    # kernel with the uprobe on the line's own instruction (ebpfJumpPads
    # false), which the kernel single-steps, instead of on a jump pad.
    tag = ("ebpf" if ebpf else "") + ("" if pads else "nopad")
    s, _, t0, bps = start_session(kind, cfg, f"cond{parked}{tag}", rep,
                                  cfg.bins["cond"], [str(n), str(parked)], src,
                                  [{"line": marker_line(src, "BENCH_COND"), "condition": cond}],
                                  launch_extra={"ebpfConditions": bool(ebpf),
                                                "ebpfJumpPads": bool(pads)})
    try:
        if not bps or not bps[0].get("verified"):
            raise Unsupported(f"setBreakpoints answered verified:false "
                              f"({bps[0].get('message') if bps else 'no breakpoint'})")
        if ebpf and kind == "godap" and "kernel" not in (bps[0].get("message") or ""):
            raise Unsupported("the condition did not go to the kernel "
                              f"(breakpoint message: {bps[0].get('message')!r})")
        deadline = time.monotonic() + T_COND
        # The loop ends in an exit if the condition never holds.
        while True:
            with s.c._lock:
                ended = any(m["type"] == "event" and m.get("event") in ("exited", "terminated")
                            for m in s.c.messages)
            if ended and not s.c.events("stopped"):
                raise DapError("program ended without stopping: condition never held")
            try:
                body = s.wait_stopped(1.0)
                break
            except dap_client.DapTimeout:
                if time.monotonic() > deadline:
                    raise
        t1 = time.monotonic()
        val = read_local(s, body.get("threadId"), "i")
        if val is not None and val.strip() != str(n - 1):
            raise Unsupported(f"condition ignored: stopped with i = {val}")
        secs = t1 - t0
        floor = (cfg.floor or {}).get("read")
        per_hit_us = secs / n * 1e6
        return {"cond_time_s": secs, "hits_per_s": n / secs, "per_hit_us": per_hit_us,
                "x_floor": per_hit_us * 1000.0 / floor if floor else None,
                "_i_at_stop": val}
    finally:
        s.close()


def scen_log(kind, cfg, rep, ebpf=False):
    """A logpoint (an integer and a string) hit LOG_N times by the cond
    fixture's loop: configurationDone -> exited (every line counted, all
    of them read by the Python client: its speed bounds lines_per_s), and
    the loop's own time as the program measures it (hits_per_s).
    logebpf: godap reads the values in the kernel (ring buffer, the thread
    never stops); log: ebpfConditions off, an int3 stop per line."""
    src = os.path.join(FIXTURES, "cond", "main.go")
    n = cfg.log_n
    s, _, t0, bps = start_session(kind, cfg, f"log{'ebpf' if ebpf else ''}", rep,
                                  cfg.bins["cond"], [str(n), "0"], src,
                                  [{"line": marker_line(src, "BENCH_COND"),
                                    "logMessage": "lp i={i} tag={tag}"}],
                                  launch_extra={"ebpfConditions": bool(ebpf)})
    try:
        if not bps or not bps[0].get("verified"):
            raise Unsupported(f"setBreakpoints answered verified:false "
                              f"({bps[0].get('message') if bps else 'no breakpoint'})")
        if kind == "godap" and ("kernel" in (bps[0].get("message") or "")) != bool(ebpf):
            raise Unsupported("the logpoint did not take the path asked for "
                              f"(breakpoint message: {bps[0].get('message')!r})")
        # Each message looked at once, the lines counted on the way.
        cpu0 = cpu_ns(s.pid) if kind == "godap" else None
        deadline = time.monotonic() + T_COND
        seen, lines, loop_ns, t1 = 0, 0, None, None
        while t1 is None:
            with s.c._lock:
                if len(s.c.messages) == seen:
                    if s.c.eof or time.monotonic() > deadline:
                        raise DapError("no exited event")
                    s.c._lock.wait(1.0)
                new = s.c.messages[seen:]
                seen += len(new)
            for m in new:
                if m.get("type") != "event":
                    continue
                if m.get("event") == "exited":
                    t1 = time.monotonic()
                elif m.get("event") == "output":
                    out = (m.get("body") or {}).get("output", "")
                    if "lp i=" in out:
                        lines += 1
                    elif "loop_ns " in out:
                        loop_ns = int(out.split("loop_ns ")[1].split()[0])
        cpu1 = cpu_ns(s.pid) if cpu0 is not None else None
        if lines != n:
            raise DapError(f"{lines} logpoint lines for {n} hits")
        secs = t1 - t0
        floor = (cfg.floor or {}).get("hit")
        per_hit_us = loop_ns / n / 1000.0 if loop_ns else None
        return {"log_time_s": secs, "lines_per_s": n / secs,
                "hits_per_s": n / (loop_ns / 1e9) if loop_ns else None,
                "per_hit_us": per_hit_us,
                "x_floor": per_hit_us * 1000.0 / floor if floor and per_hit_us else None,
                "adapter_cpu_us": (cpu1 - cpu0) / n / 1000.0 if cpu1 is not None else None}
    finally:
        s.close()


def scen_calls(kind, cfg, rep):
    """Latency of `evaluate` of a function call (Delve's `call` syntax,
    context repl), and how far a counter that 4 busy goroutines increment
    moved across all the calls."""
    src = os.path.join(FIXTURES, "calls", "main.go")
    s, _, _, bps = start_session(kind, cfg, "calls", rep, cfg.bins["calls"], [], src,
                                 [{"line": marker_line(src, "BENCH_CALL")}])
    try:
        body = s.wait_stopped()
        tid = body.get("threadId")
        frames = s.c.request_ok("stackTrace", {"threadId": tid, "levels": 1},
                                timeout=T_REQ)["stackFrames"]
        fid = frames[0]["id"]

        def ev(expr):
            r = s.c.request("evaluate", {"expression": expr, "frameId": fid,
                                         "context": "repl"}, timeout=T_REQ)
            if not r.get("success"):
                raise DapError(f"{expr}: {r.get('message')}")
            return r["body"]["result"]

        def counter():
            return int(ev("main.counter").split()[0])

        out = {}
        c0 = counter()
        for expr, key, want in [("call add(1, 2)", "add_ms", "3"),
                                ("call t.String()", "string_ms", '"T(tee,3)"')]:
            ev(expr)  # warm-up (symbols, types)
            lat = []
            for _ in range(cfg.call_n):
                t0 = time.monotonic()
                got = ev(expr)
                lat.append((time.monotonic() - t0) * 1000)
                if got != want:
                    raise DapError(f"{expr} = {got!r}, want {want!r}")
            out[key] = statistics.median(lat)
        out["counter_moved"] = counter() - c0
        return out
    finally:
        s.close()


RUNNERS = {"start": scen_start, "next": scen_next,
           "nexthold": lambda k, c, r: scen_next(k, c, r, hold=True),
           "threads": scen_threads,
           "threads50k": lambda k, c, r: scen_threads(k, c, r, n=PARK_GOROUTINES_BIG),
           "cond": scen_cond,
           "cond10k": lambda k, c, r: scen_cond(k, c, r, parked=COND_PARKED),
           "condebpf": lambda k, c, r: scen_cond(k, c, r, ebpf=True),
           "condebpf10k": lambda k, c, r: scen_cond(k, c, r, parked=COND_PARKED, ebpf=True),
           "condebpfnopad": lambda k, c, r: scen_cond(k, c, r, ebpf=True, pads=False),
           "log": scen_log,
           "logebpf": lambda k, c, r: scen_log(k, c, r, ebpf=True),
           "calls": scen_calls}

NEXT_METRICS = [("next_median_ms", "next latency, median of nexts (ms)", "{:.1f}", True),
                ("next_max_ms", "slowest next of a run (ms)", "{:.0f}", True),
                ("nexts_over_50ms", "nexts taking > 50 ms, per run", "{:g}", False),
                ("next_total_s", "all nexts of a run, wall time (s)", "{:.2f}", True),
                ("nexts_over_1s", "nexts taking > 1 s, per run", "{:g}", False),
                ("next_timeouts", "nexts timed out (then paused), per run", "{:g}", False),
                ("goroutine_switches", "goroutine switches per run", "{:g}", False)]
THREADS_METRICS = [("threads_first_ms", "first threads request at a stop (ms)", "{:.1f}", True),
                   ("threads_again_ms", "threads again, same stop, median (ms)", "{:.1f}", True),
                   ("threads_first_cpu_ms", "  adapter CPU time, first request (ms)", "{:.1f}", True),
                   ("threads_again_cpu_ms", "  adapter CPU time, again (ms)", "{:.2f}", True),
                   ("threads_first_inside_ms", "  adapter's own wall time, first (ms)", "{:.1f}", False),
                   ("threads_returned", "threads returned", "{:g}", False)]
COND_METRICS = [("cond_time_s", "configurationDone -> stop (s)", "{:.2f}", True),
                ("hits_per_s", "condition evaluations per s", "{:.0f}", True),
                ("per_hit_us", "one false condition (us)", "{:.1f}", True),
                ("x_floor", "... / ptrace floor with one read", "{:.2f}", True)]
LOG_METRICS = [("log_time_s", "configurationDone -> exited (s)", "{:.2f}", True),
               ("lines_per_s", "logpoint lines per s, at the client", "{:.0f}", True),
               ("hits_per_s", "logpoint hits per s, the program's loop", "{:.0f}", True),
               ("per_hit_us", "one hit in the program's loop (us)", "{:.2f}", True),
               ("x_floor", "... / ptrace floor (one hit)", "{:.2f}", True),
               ("adapter_cpu_us", "adapter CPU time per line (us)", "{:.1f}", True)]

# scenario -> [(metric key, label, unit format, ratio wanted)]
METRICS = {
    "start": [("launch_to_stop_ms", "launch -> 1st breakpoint stop (ms)", "{:.0f}", True),
              ("peak_rss_mib", "adapter peak RSS VmHWM (MiB)", "{:.1f}", True)],
    "next": NEXT_METRICS,
    "nexthold": NEXT_METRICS,
    "threads": THREADS_METRICS,
    "threads50k": THREADS_METRICS,
    "cond": COND_METRICS,
    "cond10k": COND_METRICS,
    "condebpf": COND_METRICS,
    "condebpf10k": COND_METRICS,
    "condebpfnopad": COND_METRICS,
    "log": LOG_METRICS,
    "logebpf": LOG_METRICS,
    "calls": [("add_ms", "evaluate `call add(1, 2)`, median (ms)", "{:.2f}", True),
              ("string_ms", "evaluate `call t.String()`, median (ms)", "{:.2f}", True),
              ("counter_moved", "counter increments across all calls of a run", "{:g}", False)],
}


# ---------------------------------------------------------------- cleanup check

def leftover_processes(root_pid):
    """Our descendants in state t/T/Z (stopped, traced or zombie), plus any
    godap/dlv/fixture process still alive anywhere under us."""
    table = dap_client.process_table()
    bad = []
    for p in dap_client.descendants_of(root_pid, table):
        st, _, comm = table[p]
        if st in ("t", "T", "Z") or comm in ("godap", "dlv", "busy", "cond"):
            bad.append((p, st, comm))
    return bad


def stray_fixture_processes(bin_dir):
    """Fixture processes (from our temporary bin dir) anywhere on the machine."""
    out = []
    for p, (st, _, comm) in dap_client.process_table().items():
        exe = ""
        try:
            exe = os.readlink(f"/proc/{p}/exe")
        except OSError:
            pass
        if exe.startswith(bin_dir + os.sep):
            out.append((p, st, comm))
    return out


# ---------------------------------------------------------------- main

def write_json(path, info, results, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".tmp", "w") as f:
        json.dump({"info": info, "results": results, "table": rows}, f, indent=1)
    os.replace(path + ".tmp", path)


def fmt(v, f):
    return "-" if v is None else f.format(v)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--only", default=",".join(SCENARIOS),
                    help="comma-separated scenarios: " + ",".join(SCENARIOS))
    ap.add_argument("--godap", default=os.path.join(REPO, "build", "adapter", "godap"))
    ap.add_argument("--dlv", default=shutil.which("dlv") or os.path.expanduser("~/go/bin/dlv"))
    ap.add_argument("--nexts", type=int, default=50)
    ap.add_argument("--next-timeout", type=float, default=30.0,
                    help="seconds one `next` may take before it is counted as timed out")
    ap.add_argument("--cond-reps", type=int, default=None,
                    help="repetitions of cond (default: --reps); Delve needs minutes per run")
    ap.add_argument("--next-reps", type=int, default=None,
                    help="repetitions of next (default: --reps); a run can take minutes")
    ap.add_argument("--thread-calls", type=int, default=5)
    ap.add_argument("--call-n", type=int, default=20,
                    help="evaluates of each call expression per run (calls)")
    ap.add_argument("--cond-n", type=int, default=COND_N)
    ap.add_argument("--cond-parked-n", type=int, default=COND_PARKED_N,
                    help="loop length of cond10k (10 000 parked goroutines)")
    ap.add_argument("--log-n", type=int, default=LOG_N,
                    help="logpoint hits per run (log, logebpf)")
    ap.add_argument("--debuggers", default="godap,dlv")
    ap.add_argument("--json", default=os.path.join(RESULTS, "latest.json"))
    cfg = ap.parse_args()
    # Interrupted (also when started in the background, where SIGINT is
    # ignored): unwind through the cleanup below instead of dying.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    only = [x.strip() for x in cfg.only.split(",") if x.strip()]
    for x in only:
        if x not in RUNNERS:
            ap.error(f"unknown scenario {x!r}")
    dbgs = [x.strip() for x in cfg.debuggers.split(",") if x.strip()]

    tmp = tempfile.mkdtemp(prefix="godap-bench-")
    cfg.logdir = os.path.join(tmp, "logs")
    os.makedirs(cfg.logdir)
    # A private copy: the lead may rebuild build/ while we run.
    if not os.access(cfg.godap, os.X_OK):
        raise SystemExit(f"no godap binary at {cfg.godap}")
    godap_copy = os.path.join(tmp, "godap")
    shutil.copy2(cfg.godap, godap_copy)
    cfg.godap = godap_copy
    bindir = os.path.join(tmp, "bin")
    os.makedirs(bindir)
    print(f"building fixtures into {bindir} ...", flush=True)
    cfg.bins = build_fixtures(bindir)
    print("measuring the ptrace floor (floor/ptrace_rt.c) ...", flush=True)
    cfg.floor = measure_floor(cfg)
    print(f"floor: {cfg.floor['hit']} ns per hit, {cfg.floor['read']} ns with one read",
          flush=True)

    info = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "go": go_version(), "dlv": dlv_version(cfg.dlv),
        "nproc": os.cpu_count(), "machine": platform.machine(),
        "kernel": platform.release(), "reps": cfg.reps,
        "godap_commit": subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                                       capture_output=True, text=True).stdout.strip(),
        "params": {"start_goroutines": START_GOROUTINES, "next_goroutines": NEXT_GOROUTINES,
                   "nexts": cfg.nexts, "park_goroutines": PARK_GOROUTINES,
                   "thread_calls": cfg.thread_calls, "cond_n": cfg.cond_n,
                   "cond_parked": COND_PARKED, "cond_parked_n": cfg.cond_parked_n,
                   "log_n": cfg.log_n,
                   "park_goroutines_big": PARK_GOROUTINES_BIG},
        "logs": cfg.logdir,
        "floor_ns_per_hit": cfg.floor,
        "loadavg_start": os.getloadavg(),
    }
    print(f"{info['go']}; dlv {info['dlv']}; nproc {info['nproc']}; reps {cfg.reps}; logs in {cfg.logdir}",
          flush=True)

    results = {}
    try:
        for scen in only:
            res = results[scen] = {d: {"runs": [], "errors": []} for d in dbgs}
            reps = {"cond": cfg.cond_reps, "cond10k": cfg.cond_reps, "next": cfg.next_reps,
                    "nexthold": cfg.next_reps}.get(scen) or cfg.reps
            info.setdefault("reps_per_scenario", {})[scen] = reps
            for rep in range(reps):
                order = dbgs if rep % 2 == 0 else list(reversed(dbgs))
                for d in order:
                    t = time.monotonic()
                    try:
                        m = RUNNERS[scen](d, cfg, rep)
                        res[d]["runs"].append(m)
                        short = {k: (round(v, 2) if isinstance(v, float) else v)
                                 for k, v in m.items() if not k.startswith("_")}
                        print(f"  {scen} rep {rep + 1}/{reps} {d:5s}: {short}", flush=True)
                        if m.get("_aborted"):
                            print(f"    (cut short: {m['_aborted']})", flush=True)
                    except Unsupported as e:
                        res[d]["unsupported"] = str(e)
                        print(f"  {scen} rep {rep + 1}/{reps} {d:5s}: n/a (unsupported): {e}",
                              flush=True)
                    except Exception as e:  # one failure must not stop the run
                        msg = f"{type(e).__name__}: {e}"
                        res[d]["errors"].append(msg[:2000])
                        print(f"  {scen} rep {rep + 1}/{reps} {d:5s}: ERROR {msg[:600]}",
                              flush=True)
                        if not isinstance(e, DapError):
                            traceback.print_exc()
                    finally:
                        res[d]["runs_s"] = res[d].get("runs_s", []) + [round(time.monotonic() - t, 2)]
            for d in dbgs:
                med = {}
                for key, _, _, _ in METRICS[scen]:
                    vals = [r[key] for r in res[d]["runs"] if r.get(key) is not None]
                    med[key] = statistics.median(vals) if vals else None
                    res[d].setdefault("values", {})[key] = vals
                res[d]["median"] = med
            # Partial results survive a run cut short.
            write_json(cfg.json, info, results, None)
    finally:
        bad = leftover_processes(os.getpid())
        stray = stray_fixture_processes(bindir)
        kill_pids([p for p, _, _ in bad + stray])
        still = leftover_processes(os.getpid()) + stray_fixture_processes(bindir)
        info["leftover_processes"] = [list(x) for x in bad + stray]
        info["leftover_after_kill"] = [list(x) for x in still]

    # ---- table
    rows = [("scenario", "metric", "godap", "dlv", "dlv/godap")]
    for scen in only:
        for key, label, f, ratio in METRICS[scen]:
            cells = []
            for d in ("godap", "dlv"):
                r = results[scen].get(d)
                if r is None:
                    cells.append("-")
                elif r.get("unsupported") and not r["runs"]:
                    cells.append("n/a (unsupported)")
                elif r["median"].get(key) is None:
                    cells.append("error" if r["errors"] else "-")
                else:
                    cells.append(fmt(r["median"][key], f) +
                                 (f" ({len(r['errors'])} err)" if r["errors"] else ""))
            rt = "-"
            try:
                g = results[scen]["godap"]["median"][key]
                v = results[scen]["dlv"]["median"][key]
                if ratio and g and v is not None:
                    rt = f"{v / g:.2f}"
                    if key == "hits_per_s":
                        rt = f"{v / g:.3f}"
            except (KeyError, TypeError):
                pass
            rows.append((scen, label, cells[0], cells[1], rt))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    print()
    info["loadavg_end"] = os.getloadavg()
    print(f"godap bench — {info['date']} — {info['go']} — dlv {info['dlv']} — "
          f"nproc {info['nproc']} ({info['machine']}) — medians of reps {info.get('reps_per_scenario')}")
    print(f"ptrace floor: {info['floor_ns_per_hit'].get('hit')} ns per hit, "
          f"{info['floor_ns_per_hit'].get('read')} ns with one 8-byte read; load average "
          f"{info['loadavg_start'][0]:.1f} at the start, {info['loadavg_end'][0]:.1f} at the end")
    for i, r in enumerate(rows):
        print("  ".join(c.ljust(widths[j]) if j < 2 else c.rjust(widths[j]) for j, c in enumerate(r)))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    for scen in only:
        for d in dbgs:
            r = results[scen][d]
            if r["errors"]:
                print(f"! {scen}/{d}: {len(r['errors'])} error(s); first: {r['errors'][0][:400]}")
            if r.get("unsupported"):
                print(f"! {scen}/{d}: n/a (unsupported): {r['unsupported']}")
    if info["leftover_processes"]:
        print(f"! leftover processes killed at the end: {info['leftover_processes']}")
    if info["leftover_after_kill"]:
        print(f"! processes still there after the kill: {info['leftover_after_kill']}")

    write_json(cfg.json, info, results, rows)
    print(f"wrote {cfg.json}")


if __name__ == "__main__":
    main()
