#!/usr/bin/env bash
# Runs the cargo-fuzz targets (nightly toolchain and cargo-fuzz needed; scripts/setup.sh does
# not install them, as the README's test command does not fuzz).
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# Each target starts from its committed seeds (fuzz/seeds/TARGET) and the working corpus
# (fuzz/corpus/TARGET, not committed). A crash stops the run and leaves the input under
# fuzz/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(ingest email mbox)
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
[ -d fuzz/seeds ] || python3 scripts/make_fuzz_seeds.py
cd fuzz
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  echo "== $target for ${seconds}s"
  cargo +nightly fuzz run -O "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=20 \
    -print_final_stats=1
done
