"""Runs the C unit tests (test/unit/meson.build) of each meson build dir
(GODAP_BUILD_DIRS, default "build build-asan") through `meson test`, one
pytest test per unit test, so they count in the one summary."""

import os
import re
import shutil
import subprocess

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))


def build_dirs():
    dirs = [d for d in re.split(r"[\s,]+", os.environ.get("GODAP_BUILD_DIRS", "build build-asan")) if d]
    return [(d, d if os.path.isabs(d) else os.path.join(REPO, d)) for d in dirs]


def list_tests(path):
    """(names, error): the tests `meson test --list` knows in build dir path."""
    if not shutil.which("meson"):
        return [], "meson is not installed"
    if not os.path.isfile(os.path.join(path, "build.ninja")):
        return [], f"{path} is not a configured meson build dir"
    try:
        r = subprocess.run(["meson", "test", "-C", path, "--list", "--no-rebuild"],
                           capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return [], "meson test --list timed out"
    if r.returncode != 0:
        return [], f"meson test --list failed:\n{r.stdout}{r.stderr}"
    return [ln.strip() for ln in r.stdout.splitlines() if ln.strip()], None


_LISTS = {name: list_tests(path) for name, path in build_dirs()}
_CASES = [pytest.param(path, t, id=f"{name}:{t}")
          for name, path in build_dirs() for t in _LISTS[name][0]]


@pytest.mark.parametrize("name,path", [pytest.param(n, p, id=n) for n, p in build_dirs()])
def test_unit_tests_listed(name, path):
    names, err = _LISTS[name]
    assert err is None, err


def _unit(path, test):
    env = dict(os.environ)
    go = shutil.which("go") or "/usr/local/go/bin/go"
    env["PATH"] = os.path.dirname(go) + os.pathsep + env.get("PATH", "")
    try:
        r = subprocess.run(["meson", "test", "-C", path, "--no-rebuild",
                            "--print-errorlogs", test],
                           capture_output=True, text=True, timeout=900, env=env)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"meson test {test} in {path} ran over 900s:\n{e.stdout or ''}")
    assert r.returncode == 0, f"unit test {test} failed in {path}:\n{r.stdout[-20000:]}\n{r.stderr[-5000:]}"


if _CASES:  # no empty "NOTSET" test while test/unit has no tests yet
    test_unit = pytest.mark.parametrize("path,test", _CASES)(_unit)
