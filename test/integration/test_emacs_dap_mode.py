"""Emacs dap-mode (Debian's elpa-dap-mode) drives godap with the sample
configuration examples/editors/dap-mode.el, loaded after (require 'dap-mode)
alone: launch, breakpoint, stack, locals, next, continue, continue to the
exit (test/editors/dap-mode-session.el prints one CHECK line per step).

scripts/test.sh installs emacs-nox and elpa-dap-mode; without them this is
a failure that says so, not a skip.  It runs once (the first godap binary,
the go on PATH): the client side does not depend on the toolchain.
"""

import os
import shutil
import subprocess

import pytest

from conftest import REPO, go_exe, godap_binaries

SESSION = os.path.join(REPO, "test", "editors", "dap-mode-session.el")
CHECKS = ["template registered", "stopped at the breakpoint in main.greet",
          "caller is main.main", "locals name and n", "next went to the following line",
          "continue hit the breakpoint again", "program output"]


def test_emacs_dap_mode_session(tmp_path):
    emacs = shutil.which("emacs")
    elpa = "/usr/share/emacs/site-lisp/elpa"
    if emacs is None or not os.path.isdir(elpa) or \
            not any(d.startswith("dap-mode") for d in os.listdir(elpa)):
        pytest.fail("emacs or dap-mode is missing: scripts/test.sh installs the Debian packages "
                    "emacs-nox and elpa-dap-mode", pytrace=False)
    godap = godap_binaries()[0]
    assert os.access(godap, os.X_OK), f"{godap} is not built"
    env = dict(os.environ, GODAP_BIN=godap, GODAP_REPO=REPO, HOME=str(tmp_path))
    go = go_exe()
    if go:
        env["PATH"] = os.path.dirname(go) + os.pathsep + env.get("PATH", "")
    env.pop("GOTOOLCHAIN", None)
    # HOME is a scratch dir (no ~/.emacs.d of the user): keep go's caches
    for var in ("GOCACHE", "GOMODCACHE", "GOPATH"):
        if var not in env and go:
            v = subprocess.run([go, "env", var], capture_output=True, text=True).stdout.strip()
            if v:
                env[var] = v
    # --batch loads the site start files (Debian's elpa packages), not ~/.emacs
    r = subprocess.run([emacs, "--batch", "-l", SESSION], capture_output=True, text=True, timeout=600, env=env,
                       cwd=str(tmp_path), stdin=subprocess.DEVNULL)
    out = r.stdout + r.stderr
    assert r.returncode == 0, out[-5000:]
    done = [line[len("CHECK "):] for line in out.splitlines() if line.startswith("CHECK ")]
    for c in CHECKS:
        assert c in done, (c, out[-5000:])
    assert "PASS dap-mode session" in out, out[-5000:]
