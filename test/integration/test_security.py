"""Security (issue 12, points 8-10): who may talk to `godap --listen`, the
log file, and program names that look like flags.

The tests run as root; "another user" is `nobody`, a client run in a
subprocess with its uid and gid changed."""

import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import traceback

import pytest

import dap_client
from godap_testlib import TIMEOUT, disconnect, initialize, launch, wait_exited
from test_faults import check_clean

NOBODY = 65534

# A client in a subprocess (as another user): connects, sends initialize,
# prints what happened as JSON: {"connect": "ok"|error, "reply": bytes}.
CLIENT = r"""
import json, socket, sys
addr = sys.argv[1]
out = {"connect": "ok", "reply": ""}
try:
    if addr.startswith("unix:"):
        s = socket.socket(socket.AF_UNIX)
        s.connect(addr[5:])
    else:
        host, port = addr.rsplit(":", 1)
        host = host.strip("[]")
        s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        s.settimeout(10)
        s.connect((host, int(port)))
except OSError as e:
    out["connect"] = type(e).__name__
    print(json.dumps(out)); sys.exit(0)
s.settimeout(10)
body = b'{"seq":1,"type":"request","command":"initialize","arguments":{"adapterID":"x"}}'
try:
    s.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
        if b"supportsConfigurationDoneRequest" in data:
            break
except OSError as e:
    data = ("error " + type(e).__name__).encode()
out["reply"] = data.decode("utf-8", "replace")
print(json.dumps(out))
"""


def run_client(addr, uid=None):
    """Runs CLIENT for addr; as uid when given.  Another user's client is
    a forked child that drops to uid (no executable needs to be readable
    by that user)."""
    if uid is None:
        r = subprocess.run([sys.executable, "-c", CLIENT, addr], capture_output=True,
                           text=True, timeout=60, cwd="/")
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(rfd)
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            sys.stdout = open(wfd, "w")
            sys.argv = ["client", addr]
            exec(CLIENT, {"__name__": "client"})
            code = 0
        except SystemExit as e:
            code = e.code or 0
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            os._exit(code)
    os.close(wfd)
    with os.fdopen(rfd, "rb") as f:
        data = f.read()
    _, status = os.waitpid(pid, 0)
    assert status == 0, (status, data)
    return json.loads(data.decode())


def refused(r):
    """Connected, then closed by godap without a word."""
    return r["reply"] in ("", "error ConnectionResetError", "error BrokenPipeError")


class Listener:
    """godap --listen ...: its process and the address it announced."""

    def __init__(self, binary, args, umask=None):
        env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1")
        pre = (lambda: os.umask(umask)) if umask is not None else None
        self.proc = subprocess.Popen([binary, *args], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=env, preexec_fn=pre)
        self.err = b""
        os.set_blocking(self.proc.stderr.fileno(), False)

    def read_err(self):
        try:
            chunk = self.proc.stderr.read()
        except (BlockingIOError, ValueError):
            chunk = None
        if chunk:
            self.err += chunk
        return self.err.decode("utf-8", "replace")

    def wait_err(self, rx, timeout=TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = re.search(rx, self.read_err())
            if m:
                return m
            if self.proc.poll() is not None:
                m = re.search(rx, self.read_err())
                if m:
                    return m
                raise AssertionError(f"godap exited {self.proc.returncode}: {self.read_err()}")
            time.sleep(0.02)
        raise AssertionError(f"no {rx!r} in godap's stderr: {self.read_err()}")

    def address(self):
        return self.wait_err(r"listening at: (\S+)").group(1)

    def end(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        self.read_err()
        for f in (self.proc.stdout, self.proc.stderr):
            f.close()


@pytest.fixture
def listener(godap_bin):
    made = []

    def start(args, umask=None):
        lst = Listener(godap_bin, args, umask)
        made.append(lst)
        return lst
    yield start
    for lst in made:
        lst.end()
        assert "Sanitizer" not in lst.read_err(), lst.read_err()


def tcp_bound_addresses(pid):
    """Local addresses of pid's listening TCP sockets, as ip:port."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            t = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if t.startswith("socket:["):
            inodes.add(t[8:-1])
    out = []
    for name in ("tcp", "tcp6"):
        with open(f"/proc/net/{name}") as f:
            for line in f.readlines()[1:]:
                fl = line.split()
                if fl[9] in inodes and fl[3] == "0A":  # LISTEN
                    out.append(fl[1])
    return out


# ------------------------------------------------------------ 8: --listen

@pytest.mark.parametrize("spec", [":0", "localhost:0"])
def test_listen_short_forms_mean_loopback(listener, spec):
    """`:PORT` and `localhost:PORT` bind 127.0.0.1, nothing else."""
    lst = listener(["--listen", spec])
    addr = lst.address()
    assert addr.startswith("127.0.0.1:"), addr
    assert tcp_bound_addresses(lst.proc.pid) == ["0100007F:%04X" % int(addr.split(":")[1])]
    r = run_client(addr)
    assert "supportsConfigurationDoneRequest" in r["reply"], r


def test_listen_non_loopback_needs_flag(listener):
    lst = listener(["--listen", "0.0.0.0:0"])
    assert lst.proc.wait(TIMEOUT) != 0
    assert "--allow-non-loopback" in lst.read_err(), lst.read_err()
    lst = listener(["--listen", "0.0.0.0:0", "--allow-non-loopback"])
    lst.wait_err(r"WARNING: .*anyone who can reach it can run code as this user")
    addr = lst.address()
    # Over loopback the peer's user is still checked...
    port = addr.rsplit(":", 1)[1]
    r = run_client("127.0.0.1:" + port, uid=NOBODY)
    assert refused(r), r
    # ...and the owner gets in.
    r = run_client("127.0.0.1:" + port)
    assert "supportsConfigurationDoneRequest" in r["reply"], r


@pytest.mark.parametrize("spec", ["127.0.0.1:0", "[::1]:0"])
def test_listen_tcp_refuses_other_user(listener, spec):
    """A connection from another uid is closed unanswered; godap goes on
    listening, and the same user then gets in."""
    if spec.startswith("[") and not socket.has_ipv6:
        pytest.skip("no IPv6")
    lst = listener(["--listen", spec])
    addr = lst.address()
    host, port = addr.rsplit(":", 1)
    host = host.strip("[]")
    r = run_client(f"{host}:{port}", uid=NOBODY)
    assert r["connect"] == "ok", r
    assert refused(r), r
    lst.wait_err(r"refusing a client of uid 65534")
    assert lst.proc.poll() is None
    r = run_client(f"{host}:{port}")
    assert "supportsConfigurationDoneRequest" in r["reply"], r


@pytest.fixture
def open_dir():
    """A directory anyone may enter (pytest's tmp_path is private)."""
    d = tempfile.mkdtemp(prefix="godap-sec-")
    os.chmod(d, 0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


def test_listen_unix_socket_private(listener, open_dir):
    """The socket is 0600 even under umask 0; another user cannot connect,
    and if the mode is opened up behind godap's back, SO_PEERCRED still
    refuses them."""
    path = os.path.join(open_dir, "godap.sock")
    lst = listener(["--listen", "unix:" + path], umask=0)
    lst.address()
    mode = stat.S_IMODE(os.stat(path).st_mode)
    assert mode == 0o600, oct(mode)
    r = run_client("unix:" + path, uid=NOBODY)
    assert r["connect"] == "PermissionError", r
    os.chmod(path, 0o666)
    r = run_client("unix:" + path, uid=NOBODY)
    assert r["connect"] == "ok" and refused(r), r
    lst.wait_err(r"refusing a client of uid 65534")
    r = run_client("unix:" + path)
    assert "supportsConfigurationDoneRequest" in r["reply"], r


# ------------------------------------------------------------ 9: --log-file

def test_log_file_private_no_symlink_no_env_values(godap, go_tc, tmp_path):
    """--log-file is created 0600 whatever the umask, refuses a symlink,
    and logs launch `env` keys without their values."""
    from test_faults import FAULTS
    log = str(tmp_path / "godap.log")
    old = os.umask(0)
    try:
        c = godap.start(go_tc, args=["-v", "--log-file", log])
    finally:
        os.umask(old)
    initialize(c)
    assert stat.S_IMODE(os.stat(log).st_mode) == 0o600
    resp = launch(c, go_tc.build(FAULTS), "exec", args=["deep"],
                  env={"GODAP_TEST_SECRET": "hunter2-do-not-log"})
    assert resp["success"], resp
    c.wait_event("initialized", TIMEOUT)
    c.request_ok("configurationDone")
    assert wait_exited(c) == 0
    disconnect(c)
    with open(log, encoding="utf-8", errors="replace") as f:
        text = f.read()
    assert "GODAP_TEST_SECRET" in text and '"launch"' in text, text[-2000:]
    assert "hunter2-do-not-log" not in text

    target = str(tmp_path / "elsewhere")
    link = str(tmp_path / "link.log")
    os.symlink(target, link)
    r = subprocess.run([godap.binary, "--log-file", link], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=TIMEOUT)
    assert r.returncode == 2, r
    assert "symbolic link" in r.stderr, r.stderr
    assert not os.path.exists(target)
    check_clean()


# ------------------------------------------------------------ 10: program named like a flag

def test_program_named_like_a_flag(godap, go_tc, tmp_path):
    """A `program` file called "-toolexec=touch" reaches `go build` as a
    path ("./-toolexec=touch"), never as its -toolexec flag."""
    d = tmp_path / "dash"
    d.mkdir()
    (d / "go.mod").write_text("module dash\n\ngo 1.22\n")
    (d / "main.go").write_text('package main\n\nfunc main() {}\n')
    prog = d / "-toolexec=touch"
    prog.write_text("")
    c = godap.start(go_tc)
    initialize(c)
    resp = launch(c, str(prog), "debug")
    assert not resp["success"], resp
    msg = resp["message"]
    # go names it as the package (path) it could not find
    assert "dash/-toolexec=touch" in msg.split("failed:", 1)[-1], msg
    assert "touch:" not in msg and "buildID" not in msg, msg
    disconnect(c)
    check_clean()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP],
                         ids=lambda s: s.name)
def test_listen_signal_removes_socket(listener, open_dir, sig):
    """A signal while godap waits for its client: the Unix socket file is
    removed and godap dies of the signal."""
    path = os.path.join(open_dir, "godap.sock")
    lst = listener(["--listen", "unix:" + path])
    lst.address()
    assert os.path.exists(path)
    os.kill(lst.proc.pid, sig)
    assert lst.proc.wait(TIMEOUT) == -sig
    assert not os.path.exists(path)
