#!/usr/bin/env bash
# Installs whatever is missing, builds the app and serves it at http://127.0.0.1:8080.
# The page's "Load demo reports" button loads the real sample reports bundled into it.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$HOME/.cargo/bin:/usr/local/bin:$PATH"
echo "== serving TLS-RPT Viewer at http://127.0.0.1:8080 (Ctrl+C stops it)"
exec trunk serve --release
