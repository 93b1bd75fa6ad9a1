"""libFuzzer harnesses of test/fuzz (issue 12), one test each: each runs for
GODAP_FUZZ_SECONDS (default 45) under ASan/UBSan from its seed corpus
(test/fuzz/corpus/NAME, never written to) and fails on any finding (a
crash, a sanitizer report, a leak, an abort from the harness's own
checks).  The number of executions per harness is printed at the end of
the run.  The harnesses are built in GODAP_FUZZ_BUILD_DIR (default
build-fuzz/, set up by scripts/test.sh with clang)."""

import os
import re
import shutil
import subprocess

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
HARNESSES = ["framing", "args", "expr", "hitcond", "logmsg"]


def fuzz_dir():
    d = os.environ.get("GODAP_FUZZ_BUILD_DIR", "build-fuzz")
    return d if os.path.isabs(d) else os.path.join(REPO, d)


@pytest.mark.parametrize("name", HARNESSES)
def test_fuzz(name, tmp_path, request):
    seconds = int(os.environ.get("GODAP_FUZZ_SECONDS", "45"))
    exe = os.path.join(fuzz_dir(), "test", "fuzz", "fuzz_" + name)
    assert os.access(exe, os.X_OK), (
        f"{exe} is not built: scripts/test.sh sets up build-fuzz/ with clang "
        f"(or set GODAP_FUZZ_BUILD_DIR)")
    seeds = os.path.join(REPO, "test", "fuzz", "corpus", name)
    assert os.listdir(seeds), f"no seeds in {seeds}"
    work = tmp_path / "corpus"
    work.mkdir()
    env = dict(os.environ,
               ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1")
    cmd = [exe, f"-max_total_time={seconds}", "-timeout=10", "-rss_limit_mb=2048",
           "-max_len=65536", "-print_final_stats=1",
           f"-artifact_prefix={tmp_path}/", str(work), seeds]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                           timeout=seconds + 120, env=env, cwd=str(tmp_path))
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"fuzz_{name} ran {seconds + 120}s: {(e.stderr or '')[-3000:]}")
    out = r.stderr + r.stdout
    m = re.search(r"stat::number_of_executed_units:\s*(\d+)", out)
    runs = int(m.group(1)) if m else 0
    request.config._godap_fuzz_runs = getattr(request.config, "_godap_fuzz_runs", []) + \
        [(name, runs, seconds)]
    crashes = [f for f in os.listdir(tmp_path) if re.match(r"(crash|leak|timeout|oom|slow-unit)-", f)]
    keep = os.path.join(REPO, "test", "fuzz", "findings")
    if r.returncode != 0 or crashes:
        os.makedirs(keep, exist_ok=True)
        for f in crashes:
            shutil.copy(os.path.join(tmp_path, f), os.path.join(keep, f"{name}-{f}"))
        pytest.fail(f"fuzz_{name} found a problem (exit {r.returncode}); the input is "
                    f"in test/fuzz/findings/ (make it a unit test):\n{out[-6000:]}")
    assert runs > 0, out[-3000:]
