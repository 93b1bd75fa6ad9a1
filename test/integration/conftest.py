"""pytest fixtures for godap's integration tests.

Parametrization (see README.md):
  GODAP_TEST_GO_VERSIONS  Go toolchains, space/comma separated (default
                          "go1.26 go1.22.12 go1.27.4").  An entry that names the
                          installed go's version (go1.26 ~ go1.26.8) uses it;
                          any other "goX.Y.Z" is fetched by the go command
                          through GOTOOLCHAIN; an absolute path names a go
                          binary (e.g. /usr/lib/go-1.22/bin/go).
  GODAP_BINARIES          godap executables, space/comma separated (default
                          build/adapter/godap build-asan/adapter/godap).
  GODAP_BUILD_DIRS        meson build dirs whose C unit tests run
                          (default "build build-asan").

Fixtures:
  go_tc        a Go toolchain (session): .env for subprocesses, .build(name)
               builds test/fixtures/<name> once into the pytest tmp dir.
  godap_bin    path of the godap binary under test (session).
  godap        factory: godap.start(go_tc) -> DapClient (dap_client.py);
               every client is checked and ended at teardown.
  (autouse)    no process may outlive the test: the pytest process is a
               child subreaper, so orphaned debuggees come back to it and
               are seen; a survivor fails the test.
"""

import ctypes
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import dap_client  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
FIXTURES = os.path.join(REPO, "test", "fixtures")

DEFAULT_GO_VERSIONS = "go1.26 go1.22.12 go1.27.4"
DEFAULT_BINARIES = "build/adapter/godap build-asan/adapter/godap"

# A sanitizer report in godap's stderr fails the test even if godap went on.
# Any report at all: errors, leaks ("detected memory leaks"), warnings and
# LeakSanitizer's own failures (it cannot check when it cannot run).
SANITIZER_PATTERNS = re.compile(
    r"==\d+==\s*(ERROR|WARNING|HINT)?:?\s*\w*Sanitizer|"
    r"(AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer)\b|"
    r"runtime error:|SUMMARY: \w*Sanitizer")
SANITIZER_ENV = {
    "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0:print_summary=1",
    "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1:print_summary=1",
}


def split_list(value):
    return [x for x in re.split(r"[\s,]+", value or "") if x]


def go_versions():
    return split_list(os.environ.get("GODAP_TEST_GO_VERSIONS", DEFAULT_GO_VERSIONS))


def godap_binaries():
    out = []
    for b in split_list(os.environ.get("GODAP_BINARIES", DEFAULT_BINARIES)):
        out.append(b if os.path.isabs(b) else os.path.join(REPO, b))
    return out


def binary_id(path):
    """'release' for build/…, 'asan' for build-asan/…, else the dir name."""
    d = os.path.basename(os.path.dirname(os.path.dirname(path)))
    return {"build": "release", "build-asan": "asan"}.get(d, d or path)


def go_exe():
    exe = shutil.which("go")
    if exe:
        return exe
    if os.access("/usr/local/go/bin/go", os.X_OK):
        return "/usr/local/go/bin/go"
    return None


# ---------------------------------------------------------------- hooks

def _set_child_subreaper():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_CHILD_SUBREAPER = 36
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except OSError:
        return False


def pytest_configure(config):
    config._godap_subreaper = _set_child_subreaper()
    config.addinivalue_line("markers", "go: the test runs once per Go toolchain")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    runs = getattr(config, "_godap_fuzz_runs", None)
    if runs:
        terminalreporter.write_line("fuzzing (executions per harness):")
        for name, n, secs in runs:
            terminalreporter.write_line(f"  fuzz_{name}: {n} runs in {secs}s")


def pytest_generate_tests(metafunc):
    # Session-scoped parameters: pytest groups the tests by them, so each
    # toolchain and binary is set up once and the order is predictable.
    if "go_tc" in metafunc.fixturenames:
        vs = go_versions()
        metafunc.parametrize("go_tc", vs, ids=vs, indirect=True, scope="session")
    if "godap_bin" in metafunc.fixturenames:
        bs = godap_binaries()
        metafunc.parametrize("godap_bin", bs, ids=[binary_id(b) for b in bs],
                             indirect=True, scope="session")


# ---------------------------------------------------------------- Go

class GoToolchain:
    """One Go toolchain: the environment that selects it, and fixture builds."""

    def __init__(self, spec, cache_dir):
        self.spec = spec
        self.cache_dir = cache_dir
        self._built = {}
        base = go_exe()
        if base is None:
            pytest.fail("no 'go' in PATH or /usr/local/go/bin", pytrace=False)
        path = os.environ.get("PATH", "")
        gobin = os.path.dirname(base)
        env = {"GOFLAGS": "-buildvcs=false", "GOTOOLCHAIN": "local"}
        if os.path.isabs(spec):
            gobin = os.path.dirname(spec)
        else:
            local = self._goversion({"GOTOOLCHAIN": "local", "PATH": gobin + os.pathsep + path})
            if not (local == spec or local.startswith(spec + ".")):
                env["GOTOOLCHAIN"] = spec
        env["PATH"] = gobin + os.pathsep + path
        self.env = env
        # With GOTOOLCHAIN=goX.Y.Z this downloads the toolchain (once per
        # machine, into the module cache).
        self.version = self._goversion(env, timeout=900)
        if not os.path.isabs(spec) and not (self.version == spec or self.version.startswith(spec + ".")):
            pytest.fail(f"asked for {spec}, the go command runs {self.version}", pytrace=False)

    @staticmethod
    def _goversion(env, timeout=120):
        full = dict(os.environ, **env)
        try:
            r = subprocess.run(["go", "env", "GOVERSION"], env=full, cwd="/",
                               capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"'go env GOVERSION' with {env} took over {timeout}s", pytrace=False)
        if r.returncode != 0:
            pytest.fail(f"cannot run go with {env}:\n{r.stdout}{r.stderr}", pytrace=False)
        return r.stdout.strip()

    def full_env(self, extra=None):
        env = dict(os.environ, **self.env)
        if extra:
            env.update(extra)
        return env

    def build(self, fixture, ldflags=None, gcflags="all=-N -l", expect_ok=True):
        """Builds test/fixtures/<fixture> once; returns the binary's path."""
        key = (fixture, ldflags, gcflags)
        if key in self._built:
            return self._built[key]
        src = os.path.join(FIXTURES, fixture)
        tag = fixture + ("-ld" + re.sub(r"\W", "_", ldflags) if ldflags else "")
        if gcflags != "all=-N -l":
            tag += "-gc" + re.sub(r"\W", "_", gcflags or "none")
        outdir = os.path.join(self.cache_dir, tag)
        os.makedirs(outdir, exist_ok=True)
        out = os.path.join(outdir, fixture)
        cmd = ["go", "build"]
        if gcflags:
            cmd.append("-gcflags=" + gcflags)
        if ldflags:
            cmd.append("-ldflags=" + ldflags)
        cmd += ["-o", out, "."]
        try:
            r = subprocess.run(cmd, cwd=src, env=self.full_env(), capture_output=True,
                               text=True, timeout=900)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{' '.join(cmd)} in {src} took over 900s", pytrace=False)
        if r.returncode != 0:
            pytest.fail(f"{' '.join(cmd)} in {src} failed:\n{r.stdout}{r.stderr}", pytrace=False)
        v = subprocess.run(["go", "version", out], env=self.full_env(), capture_output=True,
                           text=True, timeout=60).stdout
        if self.version not in v.split():
            pytest.fail(f"{out} was built by {v.strip()!r}, not {self.version}", pytrace=False)
        self._built[key] = out
        return out

    def __repr__(self):
        return f"GoToolchain({self.spec} -> {self.version})"


@pytest.fixture(scope="session")
def go_tc(request, tmp_path_factory):
    spec = request.param
    cache = tmp_path_factory.mktemp("go-" + re.sub(r"[^\w.]", "_", spec))
    return GoToolchain(spec, str(cache))


@pytest.fixture(scope="session")
def godap_bin(request):
    path = request.param
    if not os.access(path, os.X_OK):
        pytest.fail(f"godap binary {path} does not exist (run scripts/test.sh, "
                    f"or set GODAP_BINARIES)", pytrace=False)
    return path


# ---------------------------------------------------------------- godap

class GodapFactory:
    def __init__(self, binary, tmp_path):
        self.binary = binary
        self.tmp_path = tmp_path
        self.clients = []

    def start(self, go_tc=None, args=(), env=None, cwd=None):
        """Starts godap (DAP on stdio) with go_tc's toolchain in its env."""
        full = go_tc.full_env() if go_tc else dict(os.environ)
        full.update(SANITIZER_ENV)
        if env:
            full.update(env)
        n = len(self.clients)
        log = os.path.join(str(self.tmp_path), f"godap-{n}.log")
        c = dap_client.DapClient([self.binary, *args], env=full, cwd=cwd or REPO,
                                 log_path=log, name=f"godap#{n}")
        self.clients.append(c)
        return c


@pytest.fixture
def godap(godap_bin, tmp_path, request):
    f = GodapFactory(godap_bin, tmp_path)
    yield f
    problems = []
    for c in f.clients:
        # Remember the debuggee(s) while godap still lives: after it dies
        # they are orphans (and, through the subreaper, ours).
        request.node._godap_children = getattr(request.node, "_godap_children", []) + \
            [(p, dap_client.cmdline(p)) for p in c.children()]
        killed = c.shutdown(grace=15.0 if binary_id(godap_bin) == "asan" else 5.0)
        if c.protocol_errors:
            problems.append(f"{c.name}: not DAP on stdout: {c.protocol_errors[:5]}")
        m = SANITIZER_PATTERNS.search(c.stderr_text())
        if m:
            err = c.stderr_text()
            problems.append(f"{c.name}: sanitizer report in stderr:\n"
                            f"{err[max(0, m.start() - 200):m.start() + 3000]}")
        if killed:
            sys.stderr.write(f"\nnote: {c.name} still ran at teardown and was killed\n")
            if binary_id(godap_bin) == "asan":
                # Killed, it never ran its leak check: that is a failure
                # of the sanitizer run, not a pass.
                problems.append(f"{c.name}: did not exit when its stdin closed; "
                                f"killed, so LeakSanitizer never checked it")
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


# ---------------------------------------------------------------- leftovers

GRACE = 3.0


def _foreign_descendants(me, owned):
    table = dap_client.process_table()
    out = []
    for p in dap_client.descendants_of(me, table):
        state, ppid, comm = table[p]
        if p in owned:
            continue
        if comm == "go":  # the go command's own helpers (telemetry upload)
            continue
        out.append((p, state, ppid, comm))
    return out


def _reap(pid):
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


@pytest.fixture(autouse=True)
def no_leftover_processes(request):
    """After the test (and after godap teardown): nothing it started lives."""
    me = os.getpid()
    before = {p for p, *_ in _foreign_descendants(me, set())}
    yield
    deadline = time.monotonic() + GRACE
    survivors = []
    while True:
        survivors = []
        for p, state, ppid, comm in _foreign_descendants(me, before):
            if state in ("Z", "X") and ppid == me:
                _reap(p)  # an orphan that died: reparented to us, fine
                continue
            survivors.append((p, state, ppid, comm, dap_client.cmdline(p)))
        for p, cmd in getattr(request.node, "_godap_children", []):
            if dap_client.pid_alive(p) and p not in [s[0] for s in survivors]:
                survivors.append((p, "?", 0, "", cmd))
        if not survivors or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    if survivors:
        for p, *_ in survivors:
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass
        end = time.monotonic() + 2.0
        for p, *_ in survivors:
            while dap_client.pid_alive(p) and time.monotonic() < end:
                time.sleep(0.02)
            _reap(p)
        lines = [f"  pid {p} state {st} ppid {pp} {comm!r}: {cmd}"
                 for p, st, pp, comm, cmd in survivors]
        pytest.fail("processes outlived the test (killed now):\n" + "\n".join(lines),
                    pytrace=False)


# ---------------------------------------------------------------- watchdog

@pytest.fixture(autouse=True)
def _watchdog():
    """A test that runs for 10 minutes is stuck despite all timeouts: dump
    every thread's stack and end the run rather than eat the CI budget."""
    import faulthandler
    faulthandler.dump_traceback_later(600, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()
