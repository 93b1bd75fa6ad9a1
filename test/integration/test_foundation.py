"""The foundation: launch, breakpoints, stops, stacks, output, exit, errors,
process hygiene and protocol robustness.

Tests with `go_tc` run once per Go toolchain (GODAP_TEST_GO_VERSIONS) and
binary (GODAP_BINARIES); the rest once per binary.  Lines are found through
marker comments in the fixtures (`// BP1`), never hard-coded.
"""

import os
import signal
import stat
import subprocess

import pytest

import dap_client
from godap_testlib import (LAUNCH_TIMEOUT, RUN_TIMEOUT, TIMEOUT, disconnect,
                           fixture_dir, fixture_src, initialize, launch,
                           marker_line, output_lines, same_file,
                           set_breakpoints, stack, start, top_frame,
                           wait_exited, wait_gone, wait_stopped)

BASIC = fixture_src("basic")
BASIC_STDOUT = ["basic: total 3", "basic: count 3"]
BASIC_STDERR = ["basic: to stderr"]
BASIC_EXIT = 3


def stop_at_bp1(godap, go_tc, mode="debug"):
    """godap stopped at BP1 (first call of add) in fixture basic."""
    c = godap.start(go_tc)
    program = fixture_dir("basic") if mode == "debug" else go_tc.build("basic")
    bp1 = marker_line(BASIC, "BP1")
    bps = start(c, program, mode, {BASIC: [bp1]})[BASIC]
    assert bps[0]["verified"] is True, bps
    ev = wait_stopped(c, "breakpoint")
    return c, ev


def check_basic_output(c):
    assert output_lines(c, "stdout") == BASIC_STDOUT, c.output_text()
    assert output_lines(c, "stderr") == BASIC_STDERR, c.output_text()


# ------------------------------------------------------------ initialize

def test_initialize_capabilities_and_initialized_event(godap, go_tc):
    c = godap.start(go_tc)
    seq = c.send_request("initialize", {"clientID": "t", "adapterID": "godap",
                                        "linesStartAt1": True, "columnsStartAt1": True,
                                        "pathFormat": "path"})
    resp = c.wait_response(seq)
    assert resp["success"] is True and resp["command"] == "initialize"
    assert resp["request_seq"] == seq
    caps = resp.get("body") or {}
    assert caps.get("supportsConfigurationDoneRequest") is True, caps

    r = launch(c, fixture_dir("basic"))
    assert r["success"], r.get("message")
    ev = c.wait_event("initialized", TIMEOUT)
    assert c.index_of(ev) > c.index_of(resp)
    c.request_ok("configurationDone")
    # No breakpoints: the program runs to its end.
    assert wait_exited(c) == BASIC_EXIT
    check_basic_output(c)
    disconnect(c)


# ------------------------------------------------------------ breakpoints

def test_breakpoint_resolution(godap, go_tc):
    c = godap.start(go_tc)
    initialize(c)
    r = launch(c, fixture_dir("basic"))
    assert r["success"], r.get("message")
    c.wait_event("initialized", TIMEOUT)

    bp1 = marker_line(BASIC, "BP1")
    comment = marker_line(BASIC, "BPCOMMENT")
    blank = comment + 1
    after = marker_line(BASIC, "BPAFTER")
    with open(BASIC) as f:
        assert f.read().splitlines()[blank - 1].strip() == "", "fixture: blank line expected"

    bps = set_breakpoints(c, BASIC, [bp1, comment, blank])
    assert bps[0]["verified"] is True and bps[0]["line"] == bp1, bps[0]
    # A comment or blank line moves to the next line with code.
    assert bps[1]["verified"] is True and bps[1]["line"] == after, bps[1]
    assert bps[2]["verified"] is True and bps[2]["line"] == after, bps[2]
    ids = [b.get("id") for b in bps]
    assert all(isinstance(i, int) for i in ids) and len(set(ids)) >= 2, bps

    # A Go file that is not part of the program, and a path that is nowhere.
    for other in (fixture_src("goroutines"), "/nonexistent/godap/elsewhere.go"):
        nb = set_breakpoints(c, other, [10])
        assert nb[0]["verified"] is False, nb
        assert isinstance(nb[0].get("message"), str) and nb[0]["message"], nb

    c.request_ok("configurationDone")
    ev = wait_stopped(c, "breakpoint")
    assert top_frame(c, ev["threadId"])["line"] == bp1
    disconnect(c)


# ------------------------------------------------------------ stops and stacks

def test_stopped_threads_and_stack(godap, go_tc):
    c, ev = stop_at_bp1(godap, go_tc)
    assert ev["threadId"] == 1, ev  # main goroutine
    assert ev.get("allThreadsStopped") is True, ev

    threads = c.request_ok("threads")["threads"]
    by_id = {t["id"]: t for t in threads}
    assert 1 in by_id, threads
    assert "main.add" in by_id[1]["name"], threads

    bp1 = marker_line(BASIC, "BP1")
    body = stack(c, 1)
    frames = body["stackFrames"]
    assert len(frames) >= 2, frames
    f0, f1 = frames[0], frames[1]
    assert f0["name"] == "main.add", f0
    assert os.path.isabs(f0["source"]["path"]), f0
    assert same_file(f0["source"]["path"], BASIC), f0
    assert f0["line"] == bp1, f0
    assert f1["name"] == "main.main", f1
    assert same_file(f1["source"]["path"], BASIC), f1
    assert f1["line"] == marker_line(BASIC, "BPCALL"), f1
    assert body.get("totalFrames", 0) >= 2, body
    assert len({f["id"] for f in frames}) == len(frames), "frame ids must be unique"

    paged = stack(c, 1, start_frame=1, levels=1)
    assert [f["name"] for f in paged["stackFrames"]] == ["main.main"], paged
    assert paged.get("totalFrames", 0) >= 2, paged
    disconnect(c)


def test_continue_hits_again_then_runs_to_exit(godap, go_tc):
    c, ev = stop_at_bp1(godap, go_tc)
    bp1 = marker_line(BASIC, "BP1")
    assert top_frame(c, ev["threadId"])["line"] == bp1

    body = c.request_ok("continue", {"threadId": ev["threadId"]})
    assert isinstance(body, dict)
    ev2 = wait_stopped(c, "breakpoint")
    assert ev2["threadId"] == 1, ev2
    f = top_frame(c, 1)
    assert f["name"] == "main.add" and f["line"] == bp1, f

    assert set_breakpoints(c, BASIC, []) == []
    c.request_ok("continue", {"threadId": 1})
    exited = c.wait_event("exited", RUN_TIMEOUT)
    assert exited["body"]["exitCode"] == BASIC_EXIT, exited
    term = c.wait_event("terminated", TIMEOUT)
    assert c.index_of(term) > c.index_of(exited)
    check_basic_output(c)
    outs = [m for m in c.messages if m.get("event") == "output"
            and (m.get("body") or {}).get("category") in ("stdout", "stderr")]
    assert all(c.index_of(m) < c.index_of(exited) for m in outs), \
        "program output must come before 'exited'"
    assert not c.events("stopped")[2:], "no stop after the breakpoints went"
    disconnect(c)


def test_stop_on_entry(godap, go_tc):
    c = godap.start(go_tc)
    start(c, fixture_dir("basic"), stopOnEntry=True)
    ev = wait_stopped(c, "entry")
    assert isinstance(ev.get("threadId"), int), ev
    c.request_ok("threads")
    c.request_ok("continue", {"threadId": ev["threadId"]})
    assert wait_exited(c) == BASIC_EXIT
    check_basic_output(c)
    disconnect(c)


# ------------------------------------------------------------ mode exec, args, cwd, env

def test_exec_mode(godap, go_tc):
    c, ev = stop_at_bp1(godap, go_tc, mode="exec")
    assert ev["threadId"] == 1
    f = top_frame(c, 1)
    assert f["name"] == "main.add" and f["line"] == marker_line(BASIC, "BP1"), f
    assert same_file(f["source"]["path"], BASIC), f
    set_breakpoints(c, BASIC, [])
    c.request_ok("continue", {"threadId": 1})
    assert wait_exited(c) == BASIC_EXIT
    check_basic_output(c)
    disconnect(c)


def locals_of(c, frame_id):
    scopes = c.request_ok("scopes", {"frameId": frame_id})["scopes"]
    out = {}
    for s in scopes:
        if s["name"] in ("Locals", "Arguments"):
            for v in c.request_ok("variables", {"variablesReference": s["variablesReference"]})[
                    "variables"]:
                out[v["name"]] = v["value"]
    return out


@pytest.mark.parametrize("ldflags", [None, "-compressdwarf=false"])
def test_compressed_and_plain_dwarf(godap, go_tc, ldflags):
    """Go compresses DWARF by default (godap inflates the sections into a
    temporary file libdw reads, the frame and location-list sections on
    first use); -compressdwarf=false leaves them plain (libdw reads the
    program's own file).  Both give the same stops, stacks and values."""
    c = godap.start(go_tc)
    program = go_tc.build("basic", ldflags=ldflags)
    bp1 = marker_line(BASIC, "BP1")
    bps = start(c, program, "exec", {BASIC: [bp1]},
                function_breakpoints=[{"name": "main.(*Counter).Inc"}])
    assert bps[BASIC][0]["verified"] is True, bps
    assert bps["functions"][0]["verified"] is True, bps
    ev = wait_stopped(c, "breakpoint")
    frames = stack(c, ev["threadId"])["stackFrames"]
    assert [f["name"] for f in frames[:2]] == ["main.add", "main.main"], frames
    assert frames[1]["line"] == marker_line(BASIC, "BPCALL"), frames
    vals = locals_of(c, frames[0]["id"])
    assert vals.get("a") == "0" and vals.get("b") == "0", vals
    assert locals_of(c, frames[1]["id"]).get("total") == "0"
    c.request_ok("continue", {"threadId": ev["threadId"]})
    ev = wait_stopped(c, "function breakpoint")
    frames = stack(c, ev["threadId"])["stackFrames"]
    assert frames[0]["name"] == "main.(*Counter).Inc", frames
    # A -N -l build's prologue ends on the line of `func`, just above.
    assert frames[0]["line"] == marker_line(BASIC, "BPINC") - 1, frames
    assert frames[1]["name"] == "main.main", frames
    disconnect(c)


@pytest.mark.parametrize("mode", ["debug", "exec"])
def test_args_cwd_env(godap, go_tc, tmp_path, mode):
    c = godap.start(go_tc)
    program = fixture_dir("args") if mode == "debug" else go_tc.build("args")
    wd = tmp_path / "work dir"
    wd.mkdir()
    start(c, program, mode, args=["one", "two words", ""], cwd=str(wd),
          env={"GODAP_T": "héllo wörld"})
    assert wait_exited(c) == 0
    assert output_lines(c, "stdout") == [
        "args: one|two words|",
        "nargs: 3",
        f"cwd: {os.path.realpath(wd)}",
        'env: "héllo wörld" true',
    ], c.output_text()
    disconnect(c)


def test_env_null_unsets_variable(godap, go_tc):
    c = godap.start(go_tc, env={"GODAP_T": "from godap's environment"})
    start(c, go_tc.build("args"), "exec", env={"GODAP_T": None})
    assert wait_exited(c) == 0
    assert 'env: "" false' in output_lines(c, "stdout"), c.output_text()
    disconnect(c)


# ------------------------------------------------------------ launch errors

def failed_launch(c, program, mode, **extra):
    initialize(c)
    r = launch(c, program, mode, **extra)
    assert r["success"] is False, r
    msg = r.get("message") or ""
    fmt = (((r.get("body") or {}).get("error") or {}).get("format")) or ""
    assert c.children() == [], f"a failed launch left processes: {c.children()}"
    return msg + "\n" + fmt


@pytest.mark.parametrize("mode", ["debug", "exec"])
def test_launch_missing_program(godap, go_tc, tmp_path, mode):
    c = godap.start(go_tc)
    missing = str(tmp_path / "no-such-program")
    msg = failed_launch(c, missing, mode)
    assert missing in msg, msg
    # The session goes on: godap still answers and ends cleanly.
    c.request_ok("threads")
    disconnect(c)


def test_launch_not_elf(godap, go_tc, tmp_path):
    c = godap.start(go_tc)
    script = tmp_path / "script.sh"
    script.write_text("#!/bin/sh\necho not a Go program\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    msg = failed_launch(c, str(script), "exec")
    assert "ELF" in msg, msg
    disconnect(c)


def test_launch_without_dwarf(godap, go_tc):
    c = godap.start(go_tc)
    binary = go_tc.build("basic", ldflags="-w")
    msg = failed_launch(c, binary, "exec")
    assert "DWARF" in msg, msg
    disconnect(c)


def test_launch_build_failure(godap, go_tc):
    c = godap.start(go_tc)
    line = marker_line(fixture_src("badbuild"), "BADLINE")
    msg = failed_launch(c, fixture_dir("badbuild"), "debug")
    assert f"main.go:{line}" in msg, msg
    disconnect(c)


# ------------------------------------------------------------ the debuggee's life

def test_disconnect_while_stopped_kills_debuggee(godap, go_tc):
    c, ev = stop_at_bp1(godap, go_tc)
    pid = c.wait_debuggee()
    st = dap_client._proc_stat(pid)
    assert st and st[0] in ("t", "T"), f"debuggee {pid} should be stopped: {st}"
    disconnect(c)
    assert wait_gone(pid), f"debuggee {pid} survived disconnect: {dap_client.cmdline(pid)}"


def test_sigkill_of_godap_kills_running_debuggee(godap, go_tc):
    c = godap.start(go_tc)
    start(c, go_tc.build("forever"), "exec")
    c.wait_output("forever: started", "stdout", RUN_TIMEOUT)
    pid = c.wait_debuggee()
    assert dap_client.pid_alive(pid)
    os.kill(c.pid, signal.SIGKILL)
    assert c.wait_exit(TIMEOUT) == -signal.SIGKILL
    assert wait_gone(pid), f"debuggee {pid} survived godap's death: {dap_client.cmdline(pid)}"


def test_eof_on_stdin_ends_session(godap, go_tc):
    """An editor that dies closes the pipe: godap must end and take the
    debuggee with it."""
    c, ev = stop_at_bp1(godap, go_tc, mode="exec")
    pid = c.wait_debuggee()
    c.close_stdin()
    c.wait_exit(TIMEOUT)
    assert wait_gone(pid), f"debuggee {pid} survived: {dap_client.cmdline(pid)}"


# ------------------------------------------------------------ protocol robustness

def test_unknown_command(godap):
    c = godap.start()
    initialize(c)
    r = c.request("frobnicate", {"x": 1})
    assert r["success"] is False and r.get("message"), r
    disconnect(c)


def test_invalid_json_is_answered_or_logged(godap):
    c = godap.start()
    # Its seq can be read: answered (success false), and logged.
    seq = c.next_seq()
    c.send_body(b'{"seq": %d, "type": "request", "command": ' % seq)
    r = c.wait_response(seq, TIMEOUT)
    assert r["success"] is False and "not valid JSON" in r["message"], r
    c.wait_stderr(lambda t: "not valid JSON" in t, TIMEOUT)
    initialize(c)
    c.send_body(b"\xff\xfe not utf-8 or json")
    initialize(c)
    disconnect(c)


def test_missing_required_arguments(godap):
    c = godap.start()
    initialize(c)
    r = c.request("setBreakpoints", {"breakpoints": [{"line": 3}]})
    assert r["success"] is False, r
    r = c.request("setBreakpoints")
    assert r["success"] is False, r
    r = c.request("launch", {"mode": "debug"})
    assert r["success"] is False, r
    r = c.request("stackTrace", {})
    assert r["success"] is False, r
    disconnect(c)


def test_request_before_launch_fails_cleanly(godap):
    c = godap.start()
    initialize(c)
    for cmd, args in (("continue", {"threadId": 1}), ("stackTrace", {"threadId": 1})):
        r = c.request(cmd, args)
        assert r["success"] is False, r
    disconnect(c)


def test_oversized_message_is_skipped(godap):
    c = godap.start()
    n = 64 * 1024 * 1024 + 1
    c.send_raw(b"Content-Length: %d\r\n\r\n" % n, TIMEOUT)
    chunk = b" " * (1 << 20)
    left = n
    while left:
        k = min(left, len(chunk))
        c.send_raw(chunk[:k], TIMEOUT)
        left -= k
    initialize(c)
    assert c.proc.poll() is None
    disconnect(c)


def test_disconnect_without_launch(godap):
    c = godap.start()
    initialize(c)
    disconnect(c)


# ------------------------------------------------------------ command line

def run_cli(binary, *args):
    return subprocess.run([binary, *args], capture_output=True, text=True,
                          timeout=TIMEOUT, stdin=subprocess.DEVNULL)


def test_version(godap_bin):
    r = run_cli(godap_bin, "--version")
    assert r.returncode == 0, r
    assert "godap" in r.stdout and any(ch.isdigit() for ch in r.stdout), r.stdout


def test_help(godap_bin):
    r = run_cli(godap_bin, "--help")
    assert r.returncode == 0, r
    assert "usage" in r.stdout.lower(), r.stdout


def test_unknown_option(godap_bin):
    r = run_cli(godap_bin, "--no-such-option")
    assert r.returncode != 0, r
    assert r.stdout == "", "nothing but DAP may go to stdout"
