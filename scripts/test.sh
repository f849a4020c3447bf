#!/usr/bin/env bash
# Installs whatever is missing, then runs every check and test:
# formatting, clippy for both targets, native tests, the tlsrpt command's rows in DuckDB and chDB,
# the core in wasm in headless Chromium,
# a release build of dist/, and the end-to-end tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$HOME/.cargo/bin:/usr/local/bin:$PATH"

step() { printf '\n== test: %s\n' "$*"; }

step "versions: Trunk.toml pins the wasm-bindgen of Cargo.lock"
locked=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
grep -q "^wasm_bindgen = \"$locked\"" Trunk.toml || {
  echo "Trunk.toml's [tools] wasm_bindgen differs from Cargo.lock's wasm-bindgen $locked" >&2
  exit 1
}

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy, native"
cargo clippy --workspace --all-targets -- -D warnings

step "clippy, wasm32"
cargo clippy --all-targets --target wasm32-unknown-unknown -- -D warnings

step "clippy, wasm32, the page as scripts/build_page.sh builds it (split in two)"
RUSTFLAGS="--cfg erase_components --cfg tlsrpt_split -Clink-args=--emit-relocs" \
  cargo clippy --target wasm32-unknown-unknown --bin tlsrpt-viewer --target-dir target/split \
  -- -D warnings

step "native tests"
cargo test

step "the tlsrpt command's rows in DuckDB (NDJSON, Parquet) and chDB give summarize's figures"
cargo build --bin tlsrpt --features parquet
cargo clippy --bin tlsrpt --features parquet -- -D warnings
corpus=$(mktemp -d)
# 4,000 reports: more rows than a Parquet row group holds (4,096), so several are read.
cargo run -q --release --example make_corpus -- --reports 4000 --out "$corpus" --formats mbox
"${XDG_CACHE_HOME:-$HOME/.cache}/tlsrpt-viewer/sql-venv/bin/python" tests/sql/check_engines.py \
  target/debug/tlsrpt samples/real "$corpus/reports.mbox"
rm -rf "$corpus"

step "the core and the error banner in wasm, in headless Chromium"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test --target wasm32-unknown-unknown --test wasm_core --test wasm_ui

step "release build of dist/"
trunk build --release

step "end to end in Chromium"
(cd tests/e2e && node --test --test-concurrency=1)
