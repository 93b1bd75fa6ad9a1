"""DAP over TCP for the benchmarks: the same DapClient (test/integration/
dap_client.py) talking to a server started as `... --listen 127.0.0.1:0`
(Delve's `dlv dap`), which prints the address it listens on.

The reader and writer of DapClient use file descriptors (os.read/os.write,
select), so a connected socket stands in for the adapter's stdin/stdout.
"""

import os
import re
import select
import socket
import subprocess
import threading
import time

import dap_client

_LISTEN_RX = re.compile(rb"listening at:?\s*\[?([0-9a-fA-F.:]+?)\]?:(\d+)")


class _SockEnd:
    """The socket seen as the adapter's stdin (writes) or stdout (reads)."""

    def __init__(self, sock, reading):
        self._sock = sock
        self._reading = reading
        self._fd = sock.fileno()

    def fileno(self):
        return self._fd

    def close(self):
        try:
            self._sock.shutdown(socket.SHUT_RDWR if self._reading else socket.SHUT_WR)
        except OSError:
            pass
        if self._reading:
            try:
                self._sock.close()
            except OSError:
                pass


class _ServerProc:
    """What DapClient needs of `proc`: pid, stdin/stdout/stderr, poll, wait."""

    def __init__(self, popen, sock):
        self._p = popen
        self.pid = popen.pid
        self.stdin = _SockEnd(sock, reading=False)
        self.stdout = _SockEnd(sock, reading=True)
        self.stderr = popen.stderr

    @property
    def returncode(self):
        return self._p.returncode

    def poll(self):
        return self._p.poll()

    def wait(self, timeout=None):
        return self._p.wait(timeout)


class TcpDapClient(dap_client.DapClient):
    """Starts argv (a DAP server on TCP that prints 'listening at: H:P' on
    stdout), connects to it and speaks DAP like DapClient."""

    def __init__(self, argv, env=None, cwd=None, log_path=None, name="dlv",
                 connect_timeout=30.0):
        self._init_state(argv, log_path, name)
        self.server_stdout = []
        server = subprocess.Popen(
            self.argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=env, cwd=cwd, bufsize=0,
            start_new_session=True)
        self.server = server
        try:
            host, port = self._read_address(server, connect_timeout)
            sock = socket.create_connection((host, port), timeout=connect_timeout)
            sock.settimeout(None)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except Exception:
            server.kill()
            server.wait(10)
            raise
        self.proc = _ServerProc(server, sock)
        self.pid = server.pid
        self._start_readers()
        self._outreader = threading.Thread(target=self._drain_stdout, daemon=True)
        self._outreader.start()

    def _read_address(self, server, timeout):
        fd = server.stdout.fileno()
        deadline = time.monotonic() + timeout
        buf = b""
        while True:
            m = _LISTEN_RX.search(buf)
            if m:
                self.server_stdout.append(buf.decode("utf-8", "replace"))
                return m.group(1).decode(), int(m.group(2))
            left = deadline - time.monotonic()
            if left <= 0:
                raise dap_client.DapTimeout(f"{self.name}: no listening address in {timeout}s: {buf[-300:]!r}")
            r, _, _ = select.select([fd], [], [], min(left, 0.5))
            if r:
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise dap_client.DapError(f"{self.name}: exited before listening: {buf[-300:]!r}")
                buf += chunk

    def _drain_stdout(self):
        fd = self.server.stdout.fileno()
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            if len(self.server_stdout) < 1000:
                self.server_stdout.append(chunk.decode("utf-8", "replace"))

    def shutdown(self, grace=5.0):
        killed = super().shutdown(grace)
        self._outreader.join(5)
        try:
            self.server.stdout.close()
        except OSError:
            pass
        return killed


def finish(c, timeout=15):
    """Ends a benchmark's session whatever state it is in: disconnect with
    the debuggee terminated (errors ignored: the adapter may be stuck), then
    stop the adapter."""
    try:
        c.request("disconnect", {"terminateDebuggee": True}, timeout=timeout)
    except Exception:
        pass
    c.shutdown()
