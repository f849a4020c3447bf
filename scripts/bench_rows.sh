#!/usr/bin/env bash
# The tlsrpt command side by side, in one run (figures, not a timed test): `summarize`, and
# `rows` as NDJSON (with every core, --jobs 1 and --jobs 2), CSV and Parquet, on the 10,000 files of
# make_corpus and on 100,000 reports in two zips. Prints, for each: wall time, reports per
# second, peak memory (GNU time's maximum resident set size) and output bytes per report.
#
# usage: scripts/bench_rows.sh [WORKDIR]   (the corpora are made there once; default /tmp/tlsrpt-bench-rows)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/tlsrpt-bench-rows}
mkdir -p "$work"
cargo build -q --release --bin tlsrpt --features parquet --example make_corpus
bin=target/release/tlsrpt
[ -d "$work/files/files" ] || target/release/examples/make_corpus --reports 10000 --out "$work/files" --formats files >/dev/null
[ -d "$work/zips/zips" ] || target/release/examples/make_corpus --reports 100000 --per-zip 50000 --formats zip --out "$work/zips" >/dev/null

# One run: label, reports, then the command; prints a table row.
measure() {
  local label=$1 reports=$2 out=$3; shift 3
  rm -rf "$out"; mkdir -p "$out"
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$out/stdout" 2>"$out/stderr"
  read -r seconds kib <"$work/time"
  local bytes
  bytes=$(cat "$out"/* 2>/dev/null | wc -c)
  awk -v l="$label" -v s="$seconds" -v k="$kib" -v r="$reports" -v b="$bytes" \
    'BEGIN { printf "| %s | %.1f s | %.0f | %.0f MB | %.0f |\n", l, s, r / s, k / 1024, b / r }'
}

echo "| run | time | reports/s | peak memory | output bytes per report |"
echo "|---|--:|--:|--:|--:|"
for set in files zips; do
  inputs=("$work/$set/$set")
  reports=$([ "$set" = files ] && echo 10000 || echo 100000)
  name=$([ "$set" = files ] && echo "10,000 files" || echo "100,000 reports in 2 zips")
  measure "$name: summarize" "$reports" "$work/out" "$bin" summarize "${inputs[@]}"
  measure "$name: rows NDJSON" "$reports" "$work/out" "$bin" rows --out "$work/out" "${inputs[@]}"
  measure "$name: rows NDJSON --jobs 1" "$reports" "$work/out" "$bin" rows --jobs 1 --out "$work/out" "${inputs[@]}"
  measure "$name: rows NDJSON --jobs 2" "$reports" "$work/out" "$bin" rows --jobs 2 --out "$work/out" "${inputs[@]}"
  measure "$name: rows CSV" "$reports" "$work/out" "$bin" rows --format csv --out "$work/out" "${inputs[@]}"
  measure "$name: rows Parquet" "$reports" "$work/out" "$bin" rows --format parquet --out "$work/out" "${inputs[@]}"
done
