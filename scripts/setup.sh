#!/usr/bin/env bash
# Installs everything the build and the tests need, skipping what is already there.
# Safe to run again and again: each step checks first. Used by scripts/serve.sh and scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132.0.0
# The splitter of the page's wasm (scripts/build_page.sh); it reads the split points that
# wasm_split_helpers (through leptos) marks.
WASM_SPLIT_VERSION=0.2.4
export PATH="$HOME/.cargo/bin:/usr/local/bin:$PATH"

log() { printf '\n== setup: %s\n' "$*"; }

# The wasm-bindgen CLI must match the wasm-bindgen crate in Cargo.lock exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  log "installing Debian's chromium and chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  log "installing trunk $TRUNK_VERSION"
  cargo install trunk --locked --version "$TRUNK_VERSION"
fi

WB_VERSION=$(wasm_bindgen_version)
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WB_VERSION" ] \
  || ! command -v wasm-bindgen-test-runner >/dev/null; then
  log "installing wasm-bindgen-cli $WB_VERSION"
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

if ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  log "installing wasm-split-cli (wasm_split_cli_support $WASM_SPLIT_VERSION)"
  cargo install wasm_split_cli_support --locked --version "$WASM_SPLIT_VERSION" \
    --features build-binary
fi

if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
  log "installing wasm-opt from npm binaryen@$BINARYEN_VERSION"
  npm install -g --prefix /usr/local "binaryen@$BINARYEN_VERSION" >/dev/null
fi

if [ ! -d tests/e2e/node_modules/playwright-core ] || [ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]; then
  log "installing the end-to-end test packages (playwright-core, no browser download)"
  (cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >/dev/null)
fi

# DuckDB and chDB (ClickHouse in-process), from PyPI, for the test of the rows in real engines.
SQL_VENV="${XDG_CACHE_HOME:-$HOME/.cache}/tlsrpt-viewer/sql-venv"
if [ ! -f "$SQL_VENV/.installed" ] || [ tests/sql/requirements.txt -nt "$SQL_VENV/.installed" ]; then
  log "installing DuckDB and chDB from PyPI into $SQL_VENV"
  python3 -m venv "$SQL_VENV"
  "$SQL_VENV/bin/pip" install -q -r tests/sql/requirements.txt
  touch "$SQL_VENV/.installed"
fi

log "tools ready: $(trunk --version), $(wasm-bindgen --version), $(wasm-opt --version | head -1), $(chromium --version)"
