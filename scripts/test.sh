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
