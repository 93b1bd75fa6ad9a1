#!/usr/bin/env python3
"""Debugs examples/hello with godap over stdio and prints what happens.

    python3 scripts/dap_demo.py [--godap build/adapter/godap] [--verbose]

initialize -> launch (mode "debug") -> setBreakpoints inside the loop ->
configurationDone -> stopped -> stackTrace -> (breakpoint removed) continue
-> program output -> exited -> disconnect.  Exits non-zero if a step fails.
"""

import argparse
import json
import os
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(REPO, "test", "integration"))

from dap_client import DapClient, DapError  # noqa: E402

HELLO_DIR = os.path.join(REPO, "examples", "hello")
HELLO = os.path.join(HELLO_DIR, "hello.go")
MARK = "// demo breakpoint"
TIMEOUT = 30
BUILD_TIMEOUT = 600  # the first -N -l build compiles the standard library


def rel(path):
    try:
        return os.path.relpath(path, REPO) if path.startswith(REPO) else path
    except ValueError:
        return path


def say(arrow, text):
    print(f"{arrow} {text}", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--godap", default=os.path.join(REPO, "build", "adapter", "godap"))
    ap.add_argument("--verbose", action="store_true", help="also print raw DAP messages")
    ap.add_argument("--log", metavar="FILE", help="write every DAP message and godap's stderr to FILE")
    opts = ap.parse_args()

    with open(HELLO, encoding="utf-8") as f:
        line = next(i + 1 for i, s in enumerate(f) if MARK in s)

    env = dict(os.environ)
    if not any(os.access(os.path.join(d, "go"), os.X_OK) for d in env.get("PATH", "").split(os.pathsep)):
        env["PATH"] = "/usr/local/go/bin" + os.pathsep + env.get("PATH", "")
    log = opts.log
    c = DapClient([opts.godap], env=env, cwd=REPO, log_path=log)
    ok = False
    try:
        ok = run(c, line, opts.verbose)
    except DapError as e:
        print(f"\nFAILED: {e}", file=sys.stderr)
    finally:
        c.shutdown()
        if c.protocol_errors:
            print(f"FAILED: godap wrote non-DAP bytes: {c.protocol_errors[:3]}", file=sys.stderr)
            ok = False
        if log:
            print(f"(full DAP log: {log})")
    return 0 if ok else 1


def run(c, line, verbose):
    def show(obj):
        if verbose:
            print("     " + json.dumps(obj)[:400])

    say("->", "initialize")
    caps = c.request_ok("initialize", {"clientID": "dap_demo", "adapterID": "godap",
                                       "linesStartAt1": True, "columnsStartAt1": True,
                                       "pathFormat": "path"})
    show(caps)
    say("<-", "initialize: ok (" + ", ".join(k for k, v in sorted(caps.items()) if v is True) + ")")

    say("->", f"launch mode=debug program={rel(HELLO_DIR)}  (godap runs go build -gcflags='all=-N -l')")
    r = c.request("launch", {"request": "launch", "mode": "debug", "program": HELLO_DIR},
                  timeout=BUILD_TIMEOUT)
    show(r)
    if not r["success"]:
        raise DapError(f"launch failed: {r.get('message')}")
    say("<-", "launch: ok")
    c.wait_event("initialized", TIMEOUT)
    say("<-", "event initialized")

    say("->", f"setBreakpoints {rel(HELLO)}:{line}")
    bps = c.request_ok("setBreakpoints", {"source": {"path": HELLO}, "breakpoints": [{"line": line}]})
    show(bps)
    bp = bps["breakpoints"][0]
    if not bp.get("verified"):
        raise DapError(f"breakpoint not verified: {bp.get('message')}")
    say("<-", f"breakpoint {bp.get('id')} verified at hello.go:{bp.get('line')}")

    say("->", "configurationDone")
    c.request_ok("configurationDone")
    ev = c.wait_event("stopped", TIMEOUT)["body"]
    show(ev)
    tid = ev["threadId"]
    st = c.request_ok("stackTrace", {"threadId": tid, "startFrame": 0, "levels": 20})
    show(st)
    frames = st["stackFrames"]
    if not frames:
        raise DapError("empty stack")
    top = frames[0]
    where = f"{os.path.basename((top.get('source') or {}).get('path', '?'))}:{top.get('line')}"
    say("<-", f"stopped at {where} ({ev.get('reason')}) on goroutine {tid}")
    for i, f in enumerate(frames):
        src = f.get("source") or {}
        loc = f"{rel(src['path'])}:{f.get('line')}" if src.get("path") else "(no source)"
        print(f"     #{i} {f.get('name')}  {loc}")
    if ev.get("reason") != "breakpoint" or top.get("line") != line:
        raise DapError(f"expected a breakpoint stop at hello.go:{line}")

    say("->", "setBreakpoints hello.go []  (remove it, so the program can finish)")
    c.request_ok("setBreakpoints", {"source": {"path": HELLO}, "breakpoints": []})
    say("->", f"continue goroutine {tid}")
    c.request_ok("continue", {"threadId": tid})
    ex = c.wait_event("exited", TIMEOUT)["body"]
    c.wait_event("terminated", TIMEOUT)
    for out in c.outputs:
        cat = out.get("category", "console")
        for text in out.get("output", "").splitlines():
            print(f"   [{cat}] {text}")
    code = ex.get("exitCode")
    say("<-", f"exited with code {code}")
    say("<-", "terminated")

    say("->", "disconnect")
    c.request_ok("disconnect", {"terminateDebuggee": True})
    rc = c.wait_exit(TIMEOUT)
    say("<-", f"disconnect: ok; godap exited with {rc}")
    return code == 0 and rc == 0


if __name__ == "__main__":
    sys.exit(main())
