"""What bench/bigstart.py and bench/corestart.py share: the big program
(bench/bigcore_gen.py: 480 packages of 120 functions, about 69 MB built by
the installed Go with -gcflags=all=-N -l, built once and kept in
/tmp/godap-bench-bigcore), the adapter's peak RSS and CPU time from /proc,
starting godap or Delve as DAP servers, and the medians line."""

import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "test", "integration"))

from dap_client import DapClient  # noqa: E402
from dap_tcp import TcpDapClient, finish  # noqa: E402,F401

BIG_WORK = "/tmp/godap-bench-bigcore"
BIG_SRC = os.path.join(BIG_WORK, "src")
DEFAULT_GODAP = os.path.join(HERE, "..", "build", "adapter", "godap")
DEFAULT_DLV = os.path.expanduser("~/go/bin/dlv")

INIT_ARGS = {"clientID": "bench", "adapterID": "go", "linesStartAt1": True,
             "columnsStartAt1": True, "pathFormat": "path"}


def peak_rss_mib(pid):
    """VmHWM of pid in MiB (NaN if it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def cpu_ms(pid):
    """CPU time every live thread of pid has used (ms, from
    /proc/PID/task/*/schedstat): hardly moved by the machine's load, unlike
    wall time."""
    total = 0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return float("nan")
    for t in tasks:
        try:
            with open(f"/proc/{pid}/task/{t}/schedstat") as f:
                total += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return total / 1e6


def build_big_program():
    """The ~69 MB program, built once (kept between runs)."""
    prog = os.path.join(BIG_WORK, "big")
    if os.path.exists(prog):
        return prog
    os.makedirs(BIG_WORK, exist_ok=True)
    subprocess.check_call([sys.executable, os.path.join(HERE, "bigcore_gen.py"), BIG_SRC,
                           "--pkgs", "480", "--funcs", "120"])
    subprocess.check_call(["go", "build", "-gcflags=all=-N -l", "-o", prog + ".tmp", "."],
                          cwd=BIG_SRC)
    os.rename(prog + ".tmp", prog)
    return prog


def start_adapter(kind, godap, dlv, log=None):
    """godap over stdio (with --log-file log if given), or `dlv dap` over TCP."""
    if kind == "godap":
        return DapClient([godap] + (["--log-file", log] if log else []), name="godap")
    return TcpDapClient([dlv, "dap", "--listen", "127.0.0.1:0"], name="dlv")


def kinds(dlv):
    return ("godap", "dlv") if os.path.exists(dlv) else ("godap",)


def medians_line(res, unit="ms"):
    """`res` is {"godap": [(seconds, MiB), ...], "dlv": [...]}."""
    g = [x for x, _ in res["godap"]]
    gr = [x for _, x in res["godap"]]
    line = f"  godap {statistics.median(g) * 1000:.0f} {unit}, peak RSS {statistics.median(gr):.1f} MiB"
    if res.get("dlv"):
        d = [x for x, _ in res["dlv"]]
        dr = [x for _, x in res["dlv"]]
        line += (f"; dlv {statistics.median(d) * 1000:.0f} {unit}, peak RSS "
                 f"{statistics.median(dr):.1f} MiB; dlv/godap time "
                 f"{statistics.median(d) / statistics.median(g):.2f}, RSS "
                 f"{statistics.median(dr) / statistics.median(gr):.2f}")
    return line
