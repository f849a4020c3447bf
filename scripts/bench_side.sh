#!/usr/bin/env bash
# Two release builds side by side, interleaved: the figures of scripts/bench.sh that a change
# must keep (the 10,000 files against the browser's bare read of them, with their longest
# main-thread task and memory growth; the 10,000-report mbox; 100,000 reports in zips and their
# filter change; the first render), measured for one build then the other, round after
# round, and printed as medians with every value. On these 2-core machines one run of
# bench.sh after another drifts by 10 to 30% (the bare read of the same files did); taking
# the builds in turn puts the drift on both. Each load is ../shared/bench/drive.mjs, as in
# bench.sh; the first render is scripts/bench_first_render.mjs (the median of seven loads).
#
# usage: scripts/bench_side.sh [--rounds N] [--quick] BEFORE_DIST AFTER_DIST
#   --rounds N  rounds of every load in both builds (default 5)
#   --quick     1,000 reports (files and mbox) and 5,000 (zips)
# environment: BENCH_DIR (default ../shared/bench), as for bench.sh.
# The table goes to stdout; progress to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ROUNDS=5
QUICK=0
DISTS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS=${2:?--rounds needs a number}; shift ;;
    --quick) QUICK=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "bench_side.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) DISTS+=("$(cd "$1" && pwd)") ;;
  esac
  shift
done
[ "${#DISTS[@]}" = 2 ] || { echo "bench_side.sh: give two release builds (see --help)" >&2; exit 2; }
for dist in "${DISTS[@]}"; do
  [ -f "$dist/index.html" ] || { echo "bench_side.sh: no release build in $dist" >&2; exit 1; }
done
if [ "$QUICK" = 1 ]; then SMALL=1000 LARGE=5000; else SMALL=10000 LARGE=100000; fi
BENCH_DIR=${BENCH_DIR:-$ROOT/../shared/bench}
FILTER_DOMAIN=shop-00.example
export PATH="$HOME/.cargo/bin:/usr/local/bin:$PATH"
log() { printf '== bench_side: %s\n' "$*" >&2; }

CORPUS=$(mktemp -d "${TMPDIR:-/tmp}/tlsrpt-side.XXXXXX")
trap 'rm -rf "$CORPUS"' EXIT
log "corpora in $CORPUS"
cargo build --release --quiet --example make_corpus >&2
make_corpus() { cargo run --release --quiet --example make_corpus -- "$@" >&2; }
make_corpus --reports "$SMALL" --out "$CORPUS/small" --formats files,mbox
make_corpus --reports "$LARGE" --out "$CORPUS/large" --formats zip --per-zip $((LARGE / 10))
mkdir "$CORPUS/small/mbox"
mv "$CORPUS/small/reports.mbox" "$CORPUS/small/mbox/"

# One JSON line per load into $CORPUS/results.jsonl: {build, what, round, ...drive's output}.
drive() {
  local build=$1 what=$2 round=$3; shift 3
  log "round $round, build $build: $what"
  local out
  out=$(node "$BENCH_DIR/drive.mjs" --dist "${DISTS[$build]}" --timeout-ms 1800000 --rss \
    --figures-prefix overview- "$@" 2>/dev/null | tail -n 1) || out='{"error":"drive.mjs failed"}'
  printf '{"build":%s,"what":"%s","round":%s,"run":%s}\n' "$build" "$what" "$round" "${out:-null}" \
    >>"$CORPUS/results.jsonl"
}
for round in $(seq 1 "$ROUNDS"); do
  # The browser's bare read of the same files, once a round (the floor of the files' load).
  log "round $round: the bare read of the files"
  floor=$(node "$BENCH_DIR/floor.mjs" "$CORPUS/small/files" 2>/dev/null | tail -n 1) || floor='{}'
  printf '{"build":-1,"what":"floor","round":%s,"run":%s}\n' "$round" "${floor:-null}" \
    >>"$CORPUS/results.jsonl"
  # Which build goes first alternates too.
  order="0 1"
  [ $((round % 2)) = 0 ] && order="1 0"
  for build in $order; do
    drive "$build" files "$round" --dir "$CORPUS/small/files" --wait-reports "$SMALL"
    drive "$build" mbox "$round" --dir "$CORPUS/small/mbox" --wait-reports "$SMALL"
    drive "$build" zips "$round" --dir "$CORPUS/large/zips" --wait-reports "$LARGE" \
      --then-hash "domain=$FILTER_DOMAIN"
  done
done
for build in 0 1; do
  log "first render, build $build"
  node scripts/bench_first_render.mjs "${DISTS[$build]}" 2>/dev/null | tail -n 1 \
    >"$CORPUS/first-$build.json" || echo '{}' >"$CORPUS/first-$build.json"
done

BEFORE="${DISTS[0]}" AFTER="${DISTS[1]}" RESULTS="$CORPUS" SMALL="$SMALL" LARGE="$LARGE" \
node --input-type=module - <<'EOF'
import fs from 'node:fs';
const env = process.env;
const lines = fs.readFileSync(`${env.RESULTS}/results.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const field = (run, path) => path.split('.').reduce((value, key) => value?.[key], run);
const values = (build, what, path) => lines.filter((l) => l.build === build && l.what === what)
  .map((l) => (l.run && !l.run.error && !l.run.wait_timeout ? field(l.run, path) : null)).filter((v) => v != null);
const median = (list) => (list.length ? [...list].sort((a, b) => a - b)[(list.length - 1) >> 1] : null);
const int = (n) => (n == null ? '–' : Math.round(n).toLocaleString('en-US'));
const cell = (list) => `${int(median(list))} (${list.map(int).join(', ')})`;
const first = (build) => { try { return JSON.parse(fs.readFileSync(`${env.RESULTS}/first-${build}.json`, 'utf8')); } catch { return {}; } };
const small = Number(env.SMALL).toLocaleString('en-US'), large = Number(env.LARGE).toLocaleString('en-US');
const rows = [
  [`${small} files, to final figures (ms)`, 'files', 'ingest_ms'],
  [`their longest main-thread task after the change event (ms)`, 'files', 'timing.longest_task_after_change_ms'],
  [`their memory growth (MB)`, 'files', 'rss_growth_mb'],
  [`${small}-report mbox (ms)`, 'mbox', 'ingest_ms'],
  [`${large} reports in 10 zips (ms)`, 'zips', 'ingest_ms'],
  [`their filter change to one domain (ms)`, 'zips', 'filter_ms'],
  [`memory growth, ${large} reports (MB)`, 'zips', 'rss_growth_mb'],
];
const out = [`Before: ${env.BEFORE}`, `After: ${env.AFTER}`, '', '| median (every round) | before | after |', '|---|--:|--:|'];
// Each load of the files against the bare read of its round.
const floors = new Map(lines.filter((l) => l.what === 'floor' && l.run?.floor_ms).map((l) => [l.round, l.run.floor_ms]));
const ratios = (build) => lines.filter((l) => l.build === build && l.what === 'files' && l.run?.ingest_ms && floors.has(l.round))
  .map((l) => l.run.ingest_ms / floors.get(l.round));
const ratioCell = (list) => (list.length ? `${median(list).toFixed(2)}× (${list.map((r) => r.toFixed(2)).join(', ')})` : '–');
for (const [label, what, path] of rows) {
  out.push(`| ${label} | ${cell(values(0, what, path))} | ${cell(values(1, what, path))} |`);
  if (path === 'ingest_ms' && what === 'files') {
    out.push(`| against the round's bare read of the files (${cell([...floors.values()])} ms) | ${ratioCell(ratios(0))} | ${ratioCell(ratios(1))} |`);
  }
}
const fr = [first(0), first(1)];
out.push(`| first render, median of seven loads (ms) | ${int(fr[0].median_ms)} (${(fr[0].first_render_ms || []).join(', ')}) | ${int(fr[1].median_ms)} (${(fr[1].first_render_ms || []).join(', ')}) |`);
const failed = lines.filter((l) => !l.run || l.run.error || l.run.wait_timeout);
if (failed.length) out.push('', `Failed loads: ${failed.map((l) => `build ${l.build} ${l.what} round ${l.round}`).join('; ')}`);
console.log(out.join('\n'));
EOF
