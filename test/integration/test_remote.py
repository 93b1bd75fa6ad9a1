"""Remote debugging (issue 13, point 9): `godap --listen HOST:PORT
--accept-multiclient` keeps the program under control when a client goes
away, and the next client that connects over loopback attaches to it:
where the program is stopped, its values, new breakpoints, and the end.
"""

import os
import re
import socket
import subprocess
import time

import dap_client
from godap_testlib import (TIMEOUT, fixture_src, initialize, marker_line,
                           set_breakpoints, wait_stopped)

SRC = fixture_src("presentation")


class _Sock:
    def __init__(self, sock):
        self.sock = sock

    def fileno(self):
        return self.sock.fileno()

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


class _Remote:
    """What DapClient needs of a process, for a client on a socket: the
    server's process for poll/wait, the socket for stdin/stdout."""

    def __init__(self, sock, server):
        self.stdin = self.stdout = _Sock(sock)
        r, w = os.pipe()
        os.close(w)
        self.stderr = os.fdopen(r, "rb")
        self.server = server
        self.pid = server.pid

    def poll(self):
        return self.server.poll()

    def wait(self, timeout=None):
        return self.server.wait(timeout)

    @property
    def returncode(self):
        return self.server.returncode


class TcpClient(dap_client.DapClient):
    """A DAP client connected to godap --listen."""

    def __init__(self, addr, server, name):
        self._init_state([], None, name)
        host, port = addr.rsplit(":", 1)
        sock = socket.create_connection((host, int(port)), timeout=TIMEOUT)
        sock.settimeout(None)
        self.proc = _Remote(sock, server)
        self.pid = server.pid
        self._start_readers()

    def send_raw(self, data, timeout=TIMEOUT):
        # One socket for both directions: DapClient's pipe writer flips the
        # descriptor to non-blocking, which would make the reader's read
        # fail; a plain sendall keeps it blocking.
        if isinstance(data, str):
            data = data.encode("utf-8")
        try:
            self.proc.stdout.sock.sendall(data)
        except OSError as e:
            raise dap_client.DapError(f"{self.name}: send failed: {e}")

    def close(self):
        """The editor goes away without a word.  The reader thread ends
        (EOF after shutdown) before the descriptor is closed, so that it
        never reads from a later socket given the same number."""
        try:
            self.proc.stdout.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._reader.join(TIMEOUT)
        self._errreader.join(TIMEOUT)
        self.proc.stdout.close()
        self.proc.stderr.close()


def start_server(godap_bin, go_tc, tmp_path):
    env = go_tc.full_env()
    env["ASAN_OPTIONS"] = "detect_leaks=1"
    err = open(tmp_path / "server.err", "w+b")
    server = subprocess.Popen([godap_bin, "--listen", "127.0.0.1:0", "--accept-multiclient"],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                              env=env)
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        err.seek(0)
        m = re.search(rb"listening at: (\S+)", err.read())
        if m:
            return server, m.group(1).decode(), err
        assert server.poll() is None, "godap --listen exited"
        time.sleep(0.02)
    raise AssertionError("godap did not say where it listens")


def server_log(err):
    err.seek(0)
    return err.read().decode("utf-8", "replace")


def end_server(server, err):
    try:
        rc = server.wait(TIMEOUT)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(10)
    log = server_log(err)
    assert "Sanitizer" not in log and "runtime error:" not in log, log
    return rc, log


def top(c, tid):
    return c.request_ok("stackTrace", {"threadId": tid, "levels": 1})["stackFrames"][0]


def test_remote_next_client_takes_over(godap_bin, go_tc, tmp_path):
    binary = go_tc.build("presentation")
    server, addr, err = start_server(godap_bin, go_tc, tmp_path)
    try:
        # the first editor: launch, stop, leave with the program suspended
        c1 = TcpClient(addr, server, "client1")
        initialize(c1)
        r = c1.request("launch", {"request": "launch", "mode": "exec", "program": binary,
                                  "substitutePath": [{"from": "/local/src", "to": "/remote/src"}]},
                       timeout=120)
        assert r["success"], r
        c1.wait_event("initialized", TIMEOUT)
        set_breakpoints(c1, SRC, [marker_line(SRC, "BPVALUES")])
        c1.request_ok("configurationDone")
        tid = wait_stopped(c1, "breakpoint")["threadId"]
        assert top(c1, tid)["line"] == marker_line(SRC, "BPVALUES")
        c1.request_ok("disconnect", {"terminateDebuggee": False, "suspendDebuggee": True})
        c1.close()
        pid = [p for p in dap_client.children_of(server.pid)]
        assert len(pid) == 1, pid  # the program is still there, under godap

        # the next editor: attach, sees the program where it was
        c2 = TcpClient(addr, server, "client2")
        initialize(c2)
        c2.request_ok("attach", {"request": "attach", "mode": "remote"})
        c2.wait_event("initialized", TIMEOUT)
        set_breakpoints(c2, SRC, [marker_line(SRC, "BPAFTER")])
        c2.request_ok("configurationDone")
        ev = wait_stopped(c2, "pause")
        assert ev["threadId"] == tid
        f = top(c2, ev["threadId"])
        assert (f["name"], f["line"]) == ("main.main", marker_line(SRC, "BPVALUES")), f
        r = c2.request_ok("evaluate", {"expression": "tenth", "frameId": f["id"], "context": "hover"})
        assert r["result"] == "0.1"
        # its own breakpoints work, the first client's are gone
        c2.request_ok("continue", {"threadId": tid})
        ev = wait_stopped(c2, "breakpoint")
        assert top(c2, ev["threadId"])["line"] == marker_line(SRC, "BPAFTER")
        # it leaves without a word: the program runs to its end, and with
        # nothing left to debug the server ends
        c2.close()
        rc, log = end_server(server, err)
        assert rc == 0, log
        assert "client gone; the program stays stopped" in log, log
        assert "client gone; the program stays running" in log, log
        assert dap_client.children_of(server.pid) == []
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(10)


def test_remote_terminate_debuggee_ends_everything(godap_bin, go_tc, tmp_path):
    binary = go_tc.build("presentation")
    server, addr, err = start_server(godap_bin, go_tc, tmp_path)
    try:
        c1 = TcpClient(addr, server, "client1")
        initialize(c1)
        assert c1.request("launch", {"request": "launch", "mode": "exec", "program": binary},
                          timeout=120)["success"]
        c1.wait_event("initialized", TIMEOUT)
        set_breakpoints(c1, SRC, [marker_line(SRC, "BPVALUES")])
        c1.request_ok("configurationDone")
        wait_stopped(c1, "breakpoint")
        prog = dap_client.children_of(server.pid)
        assert len(prog) == 1
        c1.request_ok("disconnect", {"terminateDebuggee": True})
        rc, log = end_server(server, err)
        assert rc == 0, log
        assert not dap_client.pid_alive(prog[0])
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(10)
