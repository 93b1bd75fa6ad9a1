"""The VS Code extension compiles (tsc, strict) and its configuration
defaults pass node's test runner.  npm packages are installed here if
missing, as the README promises."""

import os
import shutil
import subprocess

import pytest

EXT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "vscode-extension")


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")
def test_extension_builds_and_passes(tmp_path):
    if not os.path.isdir(os.path.join(EXT, "node_modules", "typescript")):
        r = subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=EXT,
                           capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stdout + r.stderr
    r = subprocess.run(["npm", "test"], cwd=EXT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "# fail 0" in r.stdout, r.stdout
