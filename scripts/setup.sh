#!/usr/bin/env bash
# Prepares a Debian/Ubuntu machine to build godap and builds build/ (release).
# Idempotent: a second run installs nothing and rebuilds only what changed.
#
#   scripts/setup.sh            # packages + build/
#   GODAP_SKIP_APT=1 scripts/setup.sh   # never call apt-get (just check)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf '== %s\n' "$*" >&2; }

# ---- Debian packages --------------------------------------------------
PKGS=(meson ninja-build pkg-config gcc libcjson-dev libdw-dev libelf-dev
      zlib1g-dev libunwind-dev libcapstone-dev libbpf-dev clang libclang-rt-14-dev)
missing=()
for p in "${PKGS[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
if ((${#missing[@]})); then
	if [[ -n "${GODAP_SKIP_APT:-}" ]]; then
		log "missing packages: ${missing[*]} (GODAP_SKIP_APT is set)"
		exit 1
	fi
	SUDO=()
	if [[ $(id -u) -ne 0 ]]; then
		command -v sudo >/dev/null || { log "need root or sudo to install: ${missing[*]}"; exit 1; }
		SUDO=(sudo)
	fi
	log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	"${SUDO[@]}" apt-get update -qq
	"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# ---- Go ----------------------------------------------------------------
if ! command -v go >/dev/null 2>&1; then
	if [[ -x /usr/local/go/bin/go ]]; then
		export PATH="/usr/local/go/bin:$PATH"
	else
		log "no 'go' command: install Go 1.22 or newer (https://go.dev/dl/) and put it in PATH"
		exit 1
	fi
fi
log "$(go version)"

# ---- build/ ------------------------------------------------------------
if [[ ! -f build/build.ninja ]]; then
	log "meson setup build"
	meson setup build
fi
log "building build/"
ninja -C build
log "godap: $(build/adapter/godap --version)"
