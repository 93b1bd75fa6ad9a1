#!/usr/bin/env bash
# The one demo command: prepares the machine, builds godap (build/) and
# debugs examples/hello with it over DAP, printing a readable transcript.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
command -v go >/dev/null 2>&1 || export PATH="/usr/local/go/bin:$PATH"
echo
exec python3 scripts/dap_demo.py "$@"
