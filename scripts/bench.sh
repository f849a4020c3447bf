#!/usr/bin/env bash
# The browser benchmark, one command, one table: drives the release build in headless Chromium
# through the page's real file input (../shared/bench/drive.mjs) and prints, side by side from
# one run, the browser's bare read of the same Files (floor.mjs, the floor), 10,000 report
# files, the 10,000-report mbox and 100,000 reports in zips: time to final figures, ratio to
# the floor, reports/s, longest main-thread task, memory growth, and for the zips the time
# from a filter change to updated figures, and from the last key typed into the table of
# domains' search to its matching rows, then nine filter changes in that page, one domain and
# none in turn (scripts/bench_search.mjs). Then the engine's own work in the browser's worker
# against the native engine on the same bytes (scripts/bench_wasm.mjs and bench_engine), and
# the first render (scripts/bench_first_render.mjs). Then the large corpus in other shapes, side
# by side: the same reports in 2 archives instead of 10, and a corpus in which 7% of the reports
# give another's (organization-name, report-id) again with other content, in 10 and in 2
# archives, and the same over 1,000 domains (a hosting provider's portfolio); for each, the time to final figures, the whole load with the diagnosis
# (bench_wasm.mjs), memory, the filter change and the longest task. The corpora come from
# examples/make_corpus.rs (see docs/corpus.md) and are made afresh in a temporary folder each run.
#
# usage: scripts/bench.sh [--quick] [--no-build] [--dist DIR] [--keep]
#   --quick     1,000 reports (files and mbox) and 5,000 (zips), to try the script out
#   --no-build  measure the build already in the dist folder instead of running trunk build
#   --dist DIR  the folder of the release build (default dist)
#   --keep      keep the generated corpora (their folder is printed)
# environment:
#   BENCH_DIR         where drive.mjs and floor.mjs are (default ../shared/bench from the repo)
#   BENCH_TIMEOUT_MS  how long one load may take (default 1,800,000; 600,000 with --quick)
#   CARGO_TARGET_DIR  used by cargo and trunk as usual
# The table goes to stdout, followed by the raw JSON lines; progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

QUICK=0
BUILD=1
KEEP=0
DIST=dist
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --no-build) BUILD=0 ;;
    --keep) KEEP=1 ;;
    --dist) DIST=${2:?--dist needs a folder}; shift ;;
    --dist=*) DIST=${1#--dist=} ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ "$QUICK" = 1 ]; then
  SMALL=1000 LARGE=5000 SMALL_LABEL=1k LARGE_LABEL=5k
  TIMEOUT_MS=${BENCH_TIMEOUT_MS:-600000}
else
  SMALL=10000 LARGE=100000 SMALL_LABEL=10k LARGE_LABEL=100k
  TIMEOUT_MS=${BENCH_TIMEOUT_MS:-1800000}
fi
BENCH_DIR=${BENCH_DIR:-$ROOT/../shared/bench}
# make_corpus always names domain 0 shop-00.example, and gives it the largest share.
FILTER_DOMAIN=shop-00.example

log() { printf '== bench: %s\n' "$*" >&2; }

for script in drive.mjs floor.mjs; do
  [ -f "$BENCH_DIR/$script" ] || { echo "bench.sh: no $BENCH_DIR/$script (set BENCH_DIR)" >&2; exit 1; }
done

log "set-up"
./scripts/setup.sh >&2
export PATH="$HOME/.cargo/bin:/usr/local/bin:$PATH"

if [ "$BUILD" = 1 ]; then
  log "trunk build --release --dist $DIST"
  trunk build --release --dist "$DIST" >&2
fi
[ -f "$DIST/index.html" ] || { echo "bench.sh: no release build in $DIST (drop --no-build)" >&2; exit 1; }
DIST=$(cd "$DIST" && pwd)

CORPUS=$(mktemp -d "${TMPDIR:-/tmp}/tlsrpt-bench.XXXXXX")
if [ "$KEEP" = 1 ]; then
  log "corpora kept in $CORPUS"
else
  trap 'rm -rf "$CORPUS"' EXIT
fi

log "corpora: $SMALL reports as files and as one mbox, $LARGE reports in zips"
cargo build --release --quiet --example make_corpus >&2
make_corpus() { cargo run --release --quiet --example make_corpus -- "$@" | tee -a "$CORPUS/corpora.txt" >&2; }
make_corpus --reports "$SMALL" --out "$CORPUS/small" --formats files,mbox
make_corpus --reports "$LARGE" --out "$CORPUS/large" --formats zip --per-zip $((LARGE / 10))
# The other shapes of the large corpus: 2 archives; 7% reused report-ids, in 10 and in 2.
make_corpus --reports "$LARGE" --out "$CORPUS/large2" --formats zip --per-zip $((LARGE / 2))
make_corpus --reports "$LARGE" --out "$CORPUS/reused" --formats zip --per-zip $((LARGE / 10)) --reused-ids 7
make_corpus --reports "$LARGE" --out "$CORPUS/reused2" --formats zip --per-zip $((LARGE / 2)) --reused-ids 7
make_corpus --reports "$LARGE" --out "$CORPUS/portfolio" --formats zip --per-zip $((LARGE / 10)) --reused-ids 7 --domains 1000
make_corpus --reports "$LARGE" --out "$CORPUS/portfolio2" --formats zip --per-zip $((LARGE / 2)) --reused-ids 7 --domains 1000
# Reports loaded from the reused shape: each copy is counted once, as a duplicate.
COPIES=$(sed -n 's/.*; \([0-9]*\) give another report.*/\1/p' "$CORPUS/corpora.txt" | head -n 1)
REUSED=$((LARGE - ${COPIES:-0}))
# floor.mjs reads a whole folder: the mbox gets one of its own.
mkdir "$CORPUS/small/mbox"
mv "$CORPUS/small/reports.mbox" "$CORPUS/small/mbox/"

RESULTS="$CORPUS/results"
mkdir "$RESULTS"
# run NAME COMMAND...: one JSON line into $RESULTS/NAME.json, or an error object.
run() {
  local name=$1; shift
  log "$name"
  local out
  if out=$("$@" 2>"$RESULTS/$name.stderr") && [ -n "$out" ]; then
    printf '%s\n' "$out" | tail -n 1 >"$RESULTS/$name.json"
  else
    local why
    why=$(tail -c 300 "$RESULTS/$name.stderr" | tr '\n"\\' '   ')
    printf '{"error":"%s exited without a result: %s"}\n' "$1" "$why" >"$RESULTS/$name.json"
  fi
}

run floor-files node "$BENCH_DIR/floor.mjs" "$CORPUS/small/files"
run floor-mbox node "$BENCH_DIR/floor.mjs" "$CORPUS/small/mbox"
run floor-zips node "$BENCH_DIR/floor.mjs" "$CORPUS/large/zips"
drive() {
  node "$BENCH_DIR/drive.mjs" --dist "$DIST" --timeout-ms "$TIMEOUT_MS" --rss \
    --figures-prefix overview- "$@"
}
run files drive --dir "$CORPUS/small/files" --wait-reports "$SMALL"
run mbox drive --dir "$CORPUS/small/mbox" --wait-reports "$SMALL"
run zips drive --dir "$CORPUS/large/zips" --wait-reports "$LARGE" --then-hash "domain=$FILTER_DOMAIN"
run search node scripts/bench_search.mjs --dir "$CORPUS/large/zips" --reports "$LARGE" --type "$FILTER_DOMAIN" "$DIST"
# wasm against native, the same bytes, one after the other in this run.
cargo build --release --quiet --example bench_engine >&2
native() { BENCH_JSON=1 cargo run --release --quiet --example bench_engine -- "$1"; }
run native-files native "$CORPUS/small/files"
run native-mbox native "$CORPUS/small/mbox"
run wasm-files node scripts/bench_wasm.mjs --dist "$DIST" --dir "$CORPUS/small/files" --timeout-ms "$TIMEOUT_MS"
run wasm-mbox node scripts/bench_wasm.mjs --dist "$DIST" --dir "$CORPUS/small/mbox" --timeout-ms "$TIMEOUT_MS"
run first-render node scripts/bench_first_render.mjs "$DIST"
# The shapes side by side, one after the other in this run.
for shape in large large2 reused reused2 portfolio portfolio2; do
  case "$shape" in large*) n=$LARGE ;; *) n=$REUSED ;; esac
  run "shape-$shape" drive --dir "$CORPUS/$shape/zips" --wait-reports "$n" --then-hash "domain=$FILTER_DOMAIN"
  run "whole-$shape" node scripts/bench_wasm.mjs --dist "$DIST" --dir "$CORPUS/$shape/zips" --timeout-ms "$TIMEOUT_MS"
done

SMALL="$SMALL" LARGE="$LARGE" SMALL_LABEL="$SMALL_LABEL" LARGE_LABEL="$LARGE_LABEL" \
FILTER_DOMAIN="$FILTER_DOMAIN" TIMEOUT_MS="$TIMEOUT_MS" RESULTS="$RESULTS" REUSED="$REUSED" \
node --input-type=module - <<'EOF'
import fs from 'node:fs';
const env = process.env;
const read = name => {
  try { return JSON.parse(fs.readFileSync(`${env.RESULTS}/${name}.json`, 'utf8')); }
  catch (e) { return { error: `no result (${e.message})` }; }
};
const floors = { files: read('floor-files'), mbox: read('floor-mbox'), zips: read('floor-zips') };
const runs = { files: read('files'), mbox: read('mbox'), zips: read('zips') };
const int = n => (n == null || Number.isNaN(n) ? '–' : Math.round(n).toLocaleString('en-US'));
const shown = r => (r.figures || []).find(([id]) => id === 'overview-reports')?.[1] ?? 'nothing';
const rows = [[`floor (bare read of the ${env.SMALL_LABEL} files)`, +env.SMALL, floors.files.floor_ms, floors.files, null]];
for (const [key, label, n] of [['files', `${env.SMALL_LABEL} files`, +env.SMALL], ['mbox', `${env.SMALL_LABEL} mbox`, +env.SMALL], ['zips', `${env.LARGE_LABEL} reports (zips)`, +env.LARGE]]) {
  rows.push([label, n, runs[key].ingest_ms, floors[key], runs[key]]);
}
const out = [];
out.push('| run | reports | time to final figures (ms) | × floor | reports/s | longest main-thread task (ms) | memory growth (MB) | filter change (ms) |');
out.push('|---|--:|--:|--:|--:|--:|--:|--:|');
for (const [label, n, ms, floor, r] of rows) {
  let time = int(ms), ratio = '–', rate = '–';
  if (r && (r.error || r.wait_timeout || ms == null)) {
    time = r.error ? 'error' : `timeout (> ${int(+env.TIMEOUT_MS)}${'filter_ms' in r ? '' : `; then showed ${shown(r)}`})`;
  } else if (ms != null) {
    ratio = floor && floor.floor_ms ? (ms / floor.floor_ms).toFixed(2) : '–';
    rate = int(n / Math.max(ms, 1) * 1000);
  }
  const task = r ? int(r.timing?.longest_task_ms) : '–';
  const growth = r ? int(r.rss_growth_mb) : '–';
  const filter = r && 'filter_ms' in r ? (r.filter_ms == null ? 'no change in 60 s' : int(r.filter_ms)) : '–';
  out.push(`| ${label} | ${int(n)} | ${time} | ${ratio} | ${rate} | ${task} | ${growth} | ${filter} |`);
}
const mb = b => (b / 1048576).toFixed(1);
out.push('');
out.push(`× floor: against the bare read of the same Files: ${['files', 'mbox', 'zips'].map(k => floors[k].floor_ms == null ? `${k} –` : `${k} ${int(floors[k].floor_ms)} ms (${int(floors[k].files)} file${floors[k].files === 1 ? '' : 's'}, ${mb(floors[k].bytes)} MB)`).join(', ')}.`);
out.push(`Filter change: the URL fragment set to domain=${env.FILTER_DOMAIN} after the ${env.LARGE_LABEL} load, until the report count changes. Memory: the whole browser's resident memory, peak over idle page.`);
for (const [key, r] of Object.entries(runs)) {
  const problems = [];
  if (r.error) problems.push(`error: ${r.error}`);
  if (r.page_errors?.length) problems.push(`${r.page_errors.length} page errors: ${r.page_errors[0]}`);
  if (r.console_errors?.length) problems.push(`${r.console_errors.length} console errors: ${r.console_errors[0]}`);
  if (r.outside_requests?.length) problems.push(`${r.outside_requests.length} requests to other origins`);
  if (problems.length) out.push(`Problems (${key}): ${problems.join('; ')}`);
}
out.push('');
out.push('| the engine on the same bytes | native session (ms) | wasm worker work (ms) | × native | worker diagnosis runs (ms) | whole load in the page (ms) |');
out.push('|---|--:|--:|--:|--:|--:|');
for (const [key, label] of [['files', `${env.SMALL_LABEL} files`], ['mbox', `${env.SMALL_LABEL} mbox`]]) {
  const native = read(`native-${key}`), wasm = read(`wasm-${key}`);
  const ratio = native.session_ms && wasm.work_ms ? (wasm.work_ms / native.session_ms).toFixed(2) : '–';
  out.push(`| ${label} | ${int(native.session_ms)} | ${int(wasm.work_ms)} | ${ratio} | ${int(wasm.diagnosis_ms)} | ${int(wasm.load_ms)} |`);
}
out.push('Native session: ingest, deduplication, indexing and tallies over bytes already in memory (bench_engine). Wasm worker work: the same, plus moving each file\'s bytes into wasm memory, timed by the worker with performance.now() between its yields.');
const search = (() => { const r = read('search'); return Array.isArray(r) ? r[0] : r; })();
out.push('');
out.push(search.error ? `Search: ${search.error}` : `Search (the ${env.LARGE_LABEL} reports loaded, "${search.typed}" typed into the table of domains' search, a key every 30 ms): the table shows only matching rows ${int(search.search_ms)} ms after the last key; longest main-thread task while typing ${int(search.longest_task_ms)} ms; ${int(search.view_requests)} view requests.`);
if (!search.error && search.filter_ms) out.push(`Filter changes in the same page after the search, one domain and none in turn (${search.filter_ms.join(', ')} ms): to ${env.FILTER_DOMAIN}, median ${int(search.to_domain_ms)} ms; back to no filter, median ${int(search.to_none_ms)} ms; longest main-thread task meanwhile ${int(search.filter_longest_task_ms)} ms.`);
const first = read('first-render');
out.push('');
out.push(`First render (navigation start to the app's first paint, seven fresh loads): median ${int(first.median_ms)} ms; all: ${(first.first_render_ms || []).join(', ')} ms.`);
out.push('');
out.push(`| the ${env.LARGE_LABEL} reports, by shape | reports loaded | time to final figures (ms) | × the same in 10 archives | whole load with the diagnosis (ms) | its diagnosis runs (ms) | memory growth (MB) | filter change (ms) | longest task after the change event (ms) |`);
out.push('|---|--:|--:|--:|--:|--:|--:|--:|--:|');
const shapes = [['large', '10 archives'], ['large2', '2 archives'], ['reused', '10 archives, 7% reused report-ids'], ['reused2', '2 archives, 7% reused report-ids'], ['portfolio', '1,000 domains, 10 archives, 7% reused'], ['portfolio2', '1,000 domains, 2 archives, 7% reused']];
for (const [key, label] of shapes) {
  const r = read(`shape-${key}`), whole = read(`whole-${key}`);
  const base = read(`shape-${key.replace(/2$/, '')}`);
  const ratio = r.ingest_ms && base.ingest_ms ? (r.ingest_ms / base.ingest_ms).toFixed(2) : '–';
  const time = r.error ? 'error' : r.wait_timeout ? 'timeout' : int(r.ingest_ms);
  const filter = r.filter_ms == null ? '–' : int(r.filter_ms);
  out.push(`| ${label} | ${whole.reports ?? int(key.startsWith('large') ? +env.LARGE : +env.REUSED)} | ${time} | ${ratio} | ${int(whole.load_ms)} | ${int(whole.diagnosis_ms)} | ${int(r.rss_growth_mb)} | ${filter} | ${int(r.longest_task_after_filter_ms)} |`);
}
out.push('Whole load: from the change event until the worker says the load is over, the last diagnosis included (bench_wasm.mjs, a load of its own). The longest task counts from the change event on, the filter change included.');
out.push('');
out.push('Raw results (floor files, floor mbox, floor zips, files, mbox, zips, native and wasm):');
for (const name of ['floor-files', 'floor-mbox', 'floor-zips', 'files', 'mbox', 'zips', 'search', 'native-files', 'native-mbox', 'wasm-files', 'wasm-mbox', 'first-render', 'shape-large', 'whole-large', 'shape-large2', 'whole-large2', 'shape-reused', 'whole-reused', 'shape-reused2', 'whole-reused2', 'shape-portfolio', 'whole-portfolio', 'shape-portfolio2', 'whole-portfolio2']) {
  try { out.push(fs.readFileSync(`${env.RESULTS}/${name}.json`, 'utf8').trim()); } catch { out.push('{}'); }
}
console.log(out.join('\n'));
EOF
