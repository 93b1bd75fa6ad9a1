"""The VS Code extension (vscode-extension/): it compiles (tsc, strict), its
configuration helpers pass node's test runner, a whole session runs through
the extension's configuration resolution with VS Code's own test client
(@vscode/debugadapter-testsupport's DebugClient, src/test/session.test.ts),
a remote session through a port to `godap --listen --accept-multiclient`
that a second client takes over with the "Connect to godap --listen"
configuration,
and `npx @vscode/vsce package` builds a .vsix without flags that ships only
the compiled extension.

scripts/test.sh installs the npm packages (npm ci, once per package-lock);
run by hand, this test installs them itself.  No npm, or no registry, is a
failure with the reason, not a skip.  It runs once (the first godap binary,
the go on PATH): the client side does not depend on the toolchain.
"""

import os
import re
import shutil
import subprocess
import zipfile

import pytest

from conftest import REPO, go_exe, godap_binaries

EXT = os.path.join(REPO, "vscode-extension")


def _npm_env():
    env = dict(os.environ)
    go = go_exe()
    if go:
        env["PATH"] = os.path.dirname(go) + os.pathsep + env.get("PATH", "")
    env.pop("GOTOOLCHAIN", None)
    return env


@pytest.fixture(scope="module")
def ext_ready():
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is not installed: scripts/test.sh installs Node.js and npm "
                    "(apt nodejs npm); the VS Code extension cannot be tested", pytrace=False)
    if not os.path.isdir(os.path.join(EXT, "node_modules", "@vscode", "debugadapter-testsupport")):
        r = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=EXT, capture_output=True,
                           text=True, timeout=900)
        if r.returncode != 0:
            pytest.fail("npm ci in vscode-extension/ failed (is the npm registry reachable?):\n"
                        + r.stdout[-2000:] + r.stderr[-3000:], pytrace=False)
    return npm


def test_vscode_extension_node_tests(ext_ready, tmp_path):
    godap = godap_binaries()[0]
    assert os.access(godap, os.X_OK), f"{godap} is not built"
    env = _npm_env()
    env["GODAP_BIN"] = godap
    r = subprocess.run([ext_ready, "test"], cwd=EXT, capture_output=True, text=True,
                       timeout=900, env=env)
    out = r.stdout + r.stderr
    assert r.returncode == 0, out[-6000:]
    # node's runner: every test ran (none skipped: GODAP_BIN is set), none failed
    assert "# fail 0" in r.stdout and "# skipped 0" in r.stdout and "# cancelled 0" in r.stdout, out[-6000:]
    assert re.search(r"^ok \d+ - a launch.json session through the extension drives godap$",
                     r.stdout, re.M), r.stdout[-4000:]
    assert re.search(r"^ok \d+ - remote: launch through a port, leave, and the "
                     r'"Connect to godap --listen" configuration takes over$', r.stdout, re.M), \
        r.stdout[-4000:]
    assert "not ok" not in r.stdout, r.stdout[-6000:]


def test_vscode_extension_packages_without_flags(ext_ready):
    # In place, exactly the command the README gives (the .vsix is
    # git-ignored and removed here; out/ is the compiled extension).
    vsix = os.path.join(EXT, "godap-0.1.0.vsix")
    if os.path.exists(vsix):
        os.unlink(vsix)
    try:
        r = subprocess.run(["npx", "--no-install", "vsce", "package"], cwd=EXT, capture_output=True,
                           text=True, timeout=600, env=_npm_env(), stdin=subprocess.DEVNULL)
        assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-4000:]
        assert os.path.isfile(vsix), r.stdout
        with zipfile.ZipFile(vsix) as z:
            names = sorted(z.namelist())
            manifest = z.read("extension/package.json").decode()
    finally:
        if os.path.exists(vsix):
            os.unlink(vsix)
    assert names == sorted([
        "[Content_Types].xml", "extension.vsixmanifest", "extension/LICENSE.txt",
        "extension/package.json", "extension/readme.md",
        "extension/out/adapter.js", "extension/out/extension.js"]), names
    assert '"type": "godap"' in manifest and "configurationSnippets" in manifest
