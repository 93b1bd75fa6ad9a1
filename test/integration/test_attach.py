"""attach (processId): the program is caught where it runs, breakpoints
work, and on disconnect it is detached and keeps running."""

import os
import signal

from godap_testlib import (TIMEOUT, disconnect, fixture_src, initialize,
                           marker_line, running_program, set_breakpoints,
                           top_frame, wait_gone, wait_stopped)

import dap_client


def test_attach_break_detach(godap, go_tc):
    with running_program([go_tc.build("forever")], b"forever: started") as prog:
        c = godap.start(go_tc)
        initialize(c)
        c.request_ok("attach", {"request": "attach", "mode": "local", "processId": prog.pid})
        c.wait_event("initialized", TIMEOUT)
        src = fixture_src("forever")
        bps = set_breakpoints(c, src, [marker_line(src, "BPTICK")])
        assert bps[0]["verified"], bps
        c.request_ok("configurationDone")
        # The program runs on after configurationDone, into the
        # breakpoint.
        ev = wait_stopped(c, "breakpoint")
        assert top_frame(c, ev["threadId"])["name"] == "main.tick"
        set_breakpoints(c, src, [])
        disconnect(c)
        # Detached (godap exited after the detach), not killed: it
        # still runs and is not traced.
        assert prog.poll() is None
        with open(f"/proc/{prog.pid}/status") as f:
            status = f.read()
        assert "TracerPid:\t0" in status, status
        state = [l for l in status.splitlines() if l.startswith("State:")][0]
        assert "t (tracing stop)" not in state and "T (stopped)" not in state, state


def test_attach_bad_pid(godap, go_tc):
    c = godap.start(go_tc)
    initialize(c)
    r = c.request("attach", {"request": "attach", "mode": "local", "processId": 999999})
    assert r["success"] is False and "999999" in r["message"], r
    disconnect(c)
