#!/usr/bin/env bash
# The one test command: prepares the machine, builds the release (build/) and
# sanitizer (build-asan/) godap, then runs ONE pytest over test/ -- the C unit
# tests (through meson) and the DAP integration tests for every Go toolchain
# in GODAP_TEST_GO_VERSIONS and both binaries.  The last line printed is
# pytest's summary; the exit code is pytest's (5, "no tests", is a failure).
#
#   scripts/test.sh                         # everything
#   scripts/test.sh -k breakpoint -x        # extra arguments go to pytest
#   GODAP_TEST_GO_VERSIONS=go1.26 scripts/test.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh

command -v go >/dev/null 2>&1 || export PATH="/usr/local/go/bin:$PATH"

if [[ ! -f build-asan/build.ninja ]]; then
	echo "== meson setup build-asan" >&2
	meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false
fi
echo "== building build-asan/" >&2
ninja -C build-asan

# libFuzzer harnesses (test/fuzz): clang from Debian (scripts/setup.sh
# installs clang and libclang-rt-14-dev); only the harnesses are built.
if [[ ! -f build-fuzz/build.ninja ]]; then
	echo "== meson setup build-fuzz (clang, libFuzzer)" >&2
	CC=clang meson setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined \
		-Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link
fi
echo "== building build-fuzz/ harnesses" >&2
ninja -C build-fuzz test/fuzz/fuzz_framing test/fuzz/fuzz_args \
	test/fuzz/fuzz_expr test/fuzz/fuzz_hitcond test/fuzz/fuzz_logmsg

# ---- what the editor-client tests need (test_emacs_dap_mode.py,
# test_vscode_extension.py): Debian's Emacs and dap-mode, Node.js, and the
# VS Code extension's npm packages (npm ci once per package-lock.json).
TEST_PKGS=(emacs-nox elpa-dap-mode)
command -v npm >/dev/null 2>&1 || TEST_PKGS+=(nodejs npm)
missing=()
for p in "${TEST_PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})) && [[ -z "${GODAP_SKIP_APT:-}" ]]; then
	echo "== installing ${missing[*]} (editor-client tests)" >&2
	SUDO=()
	[[ $(id -u) -eq 0 ]] || SUDO=(sudo)
	export DEBIAN_FRONTEND=noninteractive
	"${SUDO[@]}" apt-get update -qq
	"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
stamp=vscode-extension/node_modules/.godap-package-lock.json
if ! cmp -s vscode-extension/package-lock.json "$stamp" 2>/dev/null; then
	echo "== npm ci in vscode-extension/" >&2
	if ! (cd vscode-extension && npm ci --no-audit --no-fund --loglevel=error); then
		echo "npm ci failed in vscode-extension/: the npm registry must be reachable" >&2
		exit 1
	fi
	cp vscode-extension/package-lock.json "$stamp"
fi

if ! python3 -m pytest --version >/dev/null 2>&1; then
	echo "== installing pytest" >&2
	python3 -m pip install --quiet pytest
fi

export PYTHONDONTWRITEBYTECODE=1
rc=0
python3 -m pytest test "$@" || rc=$?
# pytest exits 5 when it collected no tests: that is a failure here too
# (and so is every other non-zero code).
exit "$rc"
