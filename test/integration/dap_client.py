"""A small, strict Debug Adapter Protocol client for tests and the demo.

It starts the adapter with pipes, writes Content-Length framed requests and
reads everything the adapter sends on a reader thread.  Every wait has a
timeout: a hang is an error (DapTimeout), never a stuck run.

Strictness: anything on the adapter's stdout that is not a well-formed DAP
message (header "Content-Length: N", blank line, N bytes of a JSON object
with "seq" and "type") is recorded in `protocol_errors`; tests fail on it.

No pytest in here: scripts/dap_demo.py uses it too.
"""

import json
import os
import select
import signal
import subprocess
import threading
import time

DEFAULT_TIMEOUT = 30.0


class DapError(AssertionError):
    """The adapter did something the protocol (or the test) does not allow."""


class DapTimeout(DapError):
    """Nothing suitable arrived in time."""


def _proc_stat(pid):
    """(state, ppid, comm) of a process from /proc, or None if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read().decode("utf-8", "replace")
    except OSError:
        return None
    lp, rp = data.find("("), data.rfind(")")
    rest = data[rp + 2:].split()
    return rest[0], int(rest[1]), data[lp + 1:rp]


def process_table():
    """{pid: (state, ppid, comm)} for every process (not thread) now."""
    table = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = _proc_stat(int(name))
            if st:
                table[int(name)] = st
    return table


def children_of(pid, table=None):
    table = process_table() if table is None else table
    return sorted(p for p, (_, ppid, _) in table.items() if ppid == pid)


def descendants_of(pid, table=None):
    table = process_table() if table is None else table
    kids = {}
    for p, (_, ppid, _) in table.items():
        kids.setdefault(ppid, []).append(p)
    out, todo = [], list(kids.get(pid, []))
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return sorted(out)


def pid_alive(pid):
    """True if the process exists and is not a zombie."""
    st = _proc_stat(pid)
    return st is not None and st[0] not in ("Z", "X")


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
    except OSError:
        return ""


class DapClient:
    """One adapter process and its DAP conversation."""

    def __init__(self, argv, env=None, cwd=None, log_path=None, name="godap"):
        self._init_state(argv, log_path, name)
        self.proc = subprocess.Popen(
            self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=env, cwd=cwd, bufsize=0,
            start_new_session=True)
        self.pid = self.proc.pid
        self._start_readers()

    def _init_state(self, argv, log_path, name):
        """The conversation's state, before any process is started
        (subclasses that reach the adapter another way call it too)."""
        self.argv = list(argv)
        self.name = name
        self.log_path = log_path
        self._log = open(log_path, "w", encoding="utf-8") if log_path else None
        self._lock = threading.Condition()
        self._seq = 0
        self.messages = []          # everything received, in order
        self._consumed = set()      # indexes of events handed out
        self.responses = {}         # request_seq -> response
        self.outputs = []           # bodies of 'output' events
        self.protocol_errors = []   # non-DAP bytes, bad JSON, bad seq...
        self.stderr_chunks = []
        # Reverse requests (adapter -> client, e.g. runInTerminal): every
        # one received, and how to answer them: {command: fn(arguments) ->
        # (success, body_or_message)}.  A request without a handler gets a
        # failed response.
        self.reverse_requests = []
        self.reverse_handlers = {}
        self._wlock = threading.Lock()
        self._last_in_seq = 0
        self.eof = False
        self._t0 = time.monotonic()

    def _start_readers(self):
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._errreader = threading.Thread(target=self._read_stderr, daemon=True)
        self._reader.start()
        self._errreader.start()

    # ---- logging ----
    def _note(self, text):
        if self._log:
            try:
                self._log.write(f"[{time.monotonic() - self._t0:8.3f}] {text}\n")
                self._log.flush()
            except ValueError:
                pass

    # ---- reading ----
    def _read_stderr(self):
        f = self.proc.stderr
        while True:
            try:
                chunk = f.read1(65536) if hasattr(f, "read1") else os.read(f.fileno(), 65536)
            except (OSError, ValueError):
                break
            if not chunk:
                break
            text = chunk.decode("utf-8", "replace")
            with self._lock:
                self.stderr_chunks.append(text)
                self._lock.notify_all()
            self._note("stderr: " + text.rstrip("\n"))

    def _bad(self, what):
        with self._lock:
            self.protocol_errors.append(what)
            self._lock.notify_all()
        self._note("PROTOCOL ERROR: " + what)

    def _read_loop(self):
        fd = self.proc.stdout.fileno()
        # One buffer and a read position: slicing the rest off after every
        # message copied the whole buffer each time, quadratic when godap
        # writes faster than this reads (a flood of logpoint lines).
        buf = bytearray()
        pos = 0
        need = None  # body length once the header is parsed
        while True:
            try:
                chunk = os.read(fd, 1 << 20)
            except OSError:
                chunk = b""
            if not chunk:
                if len(buf) > pos:
                    self._bad("stdout ended inside a message: %r" % bytes(buf[pos:pos + 200]))
                break
            if pos:
                del buf[:pos]
                pos = 0
            buf += chunk
            while True:
                if need is None:
                    junk = self._junk_prefix(bytes(buf[pos:pos + 4096]))
                    if junk:
                        self._bad("non-DAP bytes on stdout: %r" % bytes(buf[pos:pos + junk][:200]))
                        pos += junk
                        continue
                    end = buf.find(b"\r\n\r\n", pos)
                    if end < 0:
                        if len(buf) - pos > 1024:
                            self._bad("header too long: %r" % bytes(buf[pos:pos + 200]))
                            pos = len(buf)
                        break
                    header = bytes(buf[pos:end]).decode("latin-1")
                    pos = end + 4
                    length = None
                    for line in header.split("\r\n"):
                        key, sep, value = line.partition(":")
                        if not sep or key.strip().lower() != "content-length":
                            self._bad("unexpected header line %r" % line)
                            continue
                        try:
                            length = int(value.strip())
                        except ValueError:
                            self._bad("bad Content-Length %r" % value)
                    if length is None or length < 0:
                        self._bad("header without Content-Length: %r" % header)
                        continue
                    need = length
                if len(buf) - pos < need:
                    break
                body = bytes(buf[pos:pos + need])
                pos += need
                need = None
                self._dispatch(body)
        with self._lock:
            self.eof = True
            self._lock.notify_all()

    @staticmethod
    def _junk_prefix(buf):
        """How many leading bytes of buf cannot start a DAP header (0: none)."""
        tag = b"content-length"
        n = min(len(buf), len(tag))
        if buf[:n].lower() == tag[:n]:
            return 0
        i = buf.lower().find(tag)
        return i if i > 0 else len(buf)

    def _dispatch(self, body):
        try:
            msg = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            self._bad("body is not JSON (%s): %r" % (e, body[:200]))
            return
        if not isinstance(msg, dict) or "type" not in msg or not isinstance(msg.get("seq"), int):
            self._bad("message without type/seq: %r" % (msg,))
            return
        # The body as received (re-serialising a 600 KB answer to log
        # 4000 bytes of it would cost more than the adapter does).
        self._note("<- " + body[:4000].decode("utf-8", "replace"))
        with self._lock:
            if msg["seq"] <= self._last_in_seq:
                self.protocol_errors.append(
                    "seq did not increase: %d after %d" % (msg["seq"], self._last_in_seq))
            self._last_in_seq = msg["seq"]
            self.messages.append(msg)
            if msg["type"] == "response":
                rs = msg.get("request_seq")
                if rs in self.responses:
                    self.protocol_errors.append("second response to request %r" % rs)
                self.responses[rs] = msg
            elif msg["type"] == "event" and msg.get("event") == "output":
                self.outputs.append(msg.get("body") or {})
            elif msg["type"] == "request":
                self.reverse_requests.append(msg)
            elif msg["type"] != "event":
                self.protocol_errors.append("unexpected message type %r" % msg["type"])
            self._lock.notify_all()
        if msg["type"] == "request":
            self._answer_reverse(msg)

    def _answer_reverse(self, req):
        """Answers a reverse request through its handler (on the reader
        thread: handlers must not wait for adapter messages)."""
        fn = self.reverse_handlers.get(req.get("command"))
        try:
            ok, body = fn(req.get("arguments") or {}) if fn else \
                (False, f"the test client does not handle {req.get('command')!r}")
        except Exception as e:  # the test sees it as a failed response
            ok, body = False, f"handler failed: {e!r}"
        resp = {"seq": self.next_seq(), "type": "response", "request_seq": req["seq"],
                "command": req.get("command"), "success": bool(ok)}
        if ok:
            if body is not None:
                resp["body"] = body
        else:
            resp["message"] = str(body)
        text = json.dumps(resp)
        self._note("-> " + text[:4000])
        try:
            self.send_body(text.encode("utf-8"))
        except DapError as e:
            self._note(f"cannot answer {req.get('command')}: {e}")

    # ---- writing ----
    def send_raw(self, data, timeout=DEFAULT_TIMEOUT):
        """Writes bytes to the adapter's stdin, failing instead of blocking forever."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        fd = self.proc.stdin.fileno()
        deadline = time.monotonic() + timeout
        view = memoryview(data)
        os.set_blocking(fd, False)
        try:
            while view:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise DapTimeout(f"{self.name}: could not write {len(view)} more bytes in {timeout}s")
                _, w, _ = select.select([], [fd], [], min(left, 1.0))
                if not w:
                    continue
                try:
                    n = os.write(fd, view[:1 << 16])
                except BlockingIOError:
                    continue
                except BrokenPipeError:
                    raise DapError(f"{self.name}: stdin closed (adapter exited with {self.proc.poll()})")
                view = view[n:]
        finally:
            try:
                os.set_blocking(fd, True)
            except OSError:
                pass

    def send_body(self, body_bytes, timeout=DEFAULT_TIMEOUT):
        # The reader thread answers reverse requests: one writer at a time.
        with self._wlock:
            self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body_bytes) + body_bytes, timeout)

    def send_request(self, command, arguments=None, timeout=DEFAULT_TIMEOUT):
        """Sends a request; returns its seq without waiting."""
        with self._lock:
            self._seq += 1
            seq = self._seq
        msg = {"seq": seq, "type": "request", "command": command}
        if arguments is not None:
            msg["arguments"] = arguments
        text = json.dumps(msg)
        self._note("-> " + text[:4000])
        self.send_body(text.encode("utf-8"), timeout)
        return seq

    def next_seq(self):
        """A seq number for a hand-made message."""
        with self._lock:
            self._seq += 1
            return self._seq

    # ---- waiting ----
    def _wait(self, what, pred, timeout):
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                r = pred()
                if r is not None:
                    return r
                left = deadline - time.monotonic()
                if left <= 0:
                    raise DapTimeout(f"{self.name}: no {what} within {timeout}s{self._tail()}")
                if self.eof and self.proc.poll() is not None:
                    # Nothing more can come; one last look, then fail.
                    r = pred()
                    if r is not None:
                        return r
                    raise DapError(f"{self.name}: exited (code {self.proc.returncode}) "
                                   f"while waiting for {what}{self._tail()}")
                self._lock.wait(min(left, 0.2))

    def _tail(self):
        err = "".join(self.stderr_chunks)[-2000:]
        last = [json.dumps(m)[:300] for m in self.messages[-5:]]
        return ("\n  last messages:\n    " + "\n    ".join(last) if last else "") + \
               ("\n  stderr tail:\n" + err if err else "")

    def wait_response(self, seq, timeout=DEFAULT_TIMEOUT):
        return self._wait(f"response to request {seq}", lambda: self.responses.get(seq), timeout)

    def request(self, command, arguments=None, timeout=DEFAULT_TIMEOUT):
        """Sends a request and returns its response (success or not)."""
        seq = self.send_request(command, arguments, timeout)
        resp = self.wait_response(seq, timeout)
        if resp.get("request_seq") != seq:
            raise DapError(f"response request_seq {resp.get('request_seq')} != {seq}")
        if resp.get("command") != command:
            raise DapError(f"response to {command!r} says command {resp.get('command')!r}")
        if not isinstance(resp.get("success"), bool):
            raise DapError(f"response without boolean success: {resp}")
        if not resp["success"] and not resp.get("message"):
            raise DapError(f"failed response without message: {resp}")
        return resp

    def request_ok(self, command, arguments=None, timeout=DEFAULT_TIMEOUT):
        """Like request(), but the response must be a success; returns its body."""
        resp = self.request(command, arguments, timeout)
        if not resp["success"]:
            raise DapError(f"{command} failed: {resp.get('message')!r} {resp.get('body')}")
        return resp.get("body") or {}

    def wait_event(self, name, timeout=DEFAULT_TIMEOUT, predicate=None):
        """The first not yet consumed event called name (and matching
        predicate(body)); marks it consumed.  Events that came earlier count."""
        # Messages looked at once: one that did not match will not match
        # later (rescanning all at every new one was quadratic, and held
        # the lock the reader needs, under a flood of output events).
        start = 0

        def find():
            nonlocal start
            for i in range(start, len(self.messages)):
                m = self.messages[i]
                if i in self._consumed or m["type"] != "event" or m.get("event") != name:
                    continue
                if predicate is None or predicate(m.get("body") or {}):
                    self._consumed.add(i)
                    return m
            start = len(self.messages)
            return None
        return self._wait(f"{name!r} event", find, timeout)

    def events(self, name):
        with self._lock:
            return [m for m in self.messages if m["type"] == "event" and m.get("event") == name]

    def index_of(self, msg):
        with self._lock:
            for i, m in enumerate(self.messages):
                if m is msg:
                    return i
        return -1

    def output_text(self, category=None):
        with self._lock:
            return "".join(b.get("output", "") for b in self.outputs
                           if category is None or b.get("category") == category)

    def wait_output(self, text, category=None, timeout=DEFAULT_TIMEOUT):
        """Waits until the collected output (of category) contains text."""
        return self._wait(f"output {text!r}",
                          lambda: True if text in self.output_text(category) else None,
                          timeout)

    def stderr_text(self):
        with self._lock:
            return "".join(self.stderr_chunks)

    def wait_stderr(self, pred, timeout=DEFAULT_TIMEOUT):
        return self._wait("stderr text", lambda: True if pred(self.stderr_text()) else None, timeout)

    # ---- the debuggee ----
    def children(self):
        """Pids of the adapter's child processes (the debuggee, a build)."""
        return children_of(self.pid)

    def wait_debuggee(self, timeout=10.0):
        """The pid of the adapter's one child that is not the go tool."""
        def find():
            kids = [p for p in children_of(self.pid) if (_proc_stat(p) or ("", 0, ""))[2] != "go"]
            return kids[0] if len(kids) == 1 else None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            p = find()
            if p:
                return p
            time.sleep(0.05)
        raise DapTimeout(f"{self.name}: no single debuggee child: {self.children()}")

    # ---- the end ----
    def wait_exit(self, timeout=DEFAULT_TIMEOUT):
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise DapTimeout(f"{self.name}: did not exit within {timeout}s{self._tail()}")
        self._reader.join(5)
        self._errreader.join(5)
        return rc

    def close_stdin(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass

    def kill(self):
        if self.proc.poll() is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            pass

    def shutdown(self, grace=5.0):
        """Ends the adapter however it can: EOF on stdin, then SIGKILL.
        Returns True if it had to be killed."""
        killed = False
        if self.proc.poll() is None:
            self.close_stdin()
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                killed = True
                self.kill()
        self.close_stdin()
        self._reader.join(5)
        self._errreader.join(5)
        for f in (self.proc.stdout, self.proc.stderr):
            try:
                f.close()
            except OSError:
                pass
        if self._log:
            self._note(f"adapter ended with {self.proc.returncode}{' (killed)' if killed else ''}")
            self._log.close()
            self._log = None
        return killed
