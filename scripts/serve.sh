#!/usr/bin/env bash
# Installs whatever is missing, builds the app once and serves dist/ at http://127.0.0.1:8080.
# The page's "Load demo reports" button loads the real sample reports bundled into it.
#
# It does not use `trunk serve`: Trunk's file watcher (notify) can panic on an inotify event
# that carries no path (notify-rs/notify#678) and abort the whole command. A release build
# and a plain static server (scripts/serve_dist.mjs, Node's http module) have no watcher to
# fail, and serve the app exactly as a static host would. After changing the code, run this
# again. PORT=8081 ./scripts/serve.sh serves on another port.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$HOME/.cargo/bin:/usr/local/bin:$PATH"
echo "== building the app (trunk build --release)"
trunk build --release
exec node scripts/serve_dist.mjs --root dist --port "${PORT:-8080}"
