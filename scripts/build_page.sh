#!/usr/bin/env bash
# Builds the page's wasm in two modules, then stamps the service worker: Trunk's post-build
# hook (Trunk.toml), run with TRUNK_STAGING_DIR and TRUNK_PROFILE set. Trunk builds the worker
# (a `rel="rust"` link in index.html); the page is built here, because Trunk 0.21 cannot split
# a wasm module:
#   1. cargo, with `--cfg tlsrpt_split` (the split point in src/ui/split.rs becomes an import
#      the splitter can see) and `--emit-relocs` (the splitter moves code by its relocations);
#   2. wasm-split-cli: the code only the split point reaches goes to a second module,
#      `later.wasm`, and `__wasm_split.js` loads it;
#   3. wasm-bindgen on the first module; wasm-opt -Oz on both (release).
# Everything goes into app-HASH/ (HASH: of those files), so that a new build is new URLs; the
# script tag in index.html and the links that preload its script and wasm are pointed at it.
#
# usage: scripts/build_page.sh [DIR]   (DIR defaults to $TRUNK_STAGING_DIR, then dist)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:/usr/local/bin:$PATH"
out="${1:-${TRUNK_STAGING_DIR:-dist}}"
profile="${TRUNK_PROFILE:-release}"

# Its own target dir: other flags than the worker's and the tests' builds, which would
# otherwise rebuild each other's dependencies.
target_dir=target/split
cargo_profile=()
[ "$profile" = release ] && cargo_profile=(--release)
RUSTFLAGS="--cfg erase_components --cfg tlsrpt_split -Clink-args=--emit-relocs" \
  cargo build "${cargo_profile[@]}" --target wasm32-unknown-unknown --bin tlsrpt-viewer \
  --target-dir "$target_dir" --quiet
cargo_dir=$([ "$profile" = release ] && echo release || echo debug)
input="$target_dir/wasm32-unknown-unknown/$cargo_dir/tlsrpt-viewer.wasm"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wasm-split-cli "$input" "$work/split" --out-name tlsrpt-viewer
wasm-bindgen --target web --no-typescript --keep-lld-exports --out-dir "$work/app" "$work/split/tlsrpt-viewer.wasm"
cp "$work/split/__wasm_split.js" "$work/app/"
for part in "$work"/split/*.wasm; do
  [ "$(basename "$part")" = tlsrpt-viewer.wasm ] || cp "$part" "$work/app/"
done
if [ "$profile" = release ]; then
  for wasm in "$work"/app/*.wasm; do
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-reference-types --enable-multivalue --enable-mutable-globals \
      "$wasm" -o "$wasm"
  done
fi

hash=$(cat "$work"/app/* | sha256sum | cut -c1-16)
rm -rf "$out"/app-*
mkdir -p "$out/app-$hash"
cp "$work"/app/* "$out/app-$hash/"
# index.html names the first module's script and wasm under app/ (or an earlier app-HASH/):
# in the script tag, and in the links that preload them and the loader the script imports.
sed -i -E "s#(data-js|data-wasm|href)=\"(\./)?app[-0-9a-f]*/#\1=\"./app-$hash/#g" \
  "$out/index.html"
[ "$(grep -c "\"./app-$hash/" "$out/index.html")" = 4 ] || {
  echo "build_page: index.html has not one script tag with data-js and data-wasm and three" \
    "preloads under \"app/…\"" >&2
  exit 1
}
node scripts/stamp_sw.mjs "$out"
