#!/usr/bin/env bash
# What a search query costs a reader, ours and Pagefind's on the same site (issue 25).
#
#   bash benches/search.sh [--n 10000] [--corpus SITE] [--runs 3] [--queries "a b,c"]
#
# Builds a generated site of N briefs (benches' own generator, as
# benches/incremental.sh; or the site folder SITE, e.g. one written by another
# corpus generator), timing the build and its peak memory; runs Pagefind (npm
# `pagefind`, pinned in benches/package.json, installed here when missing) on
# the built site into its `pagefind/` folder, timed the same way; serves the
# folder on loopback with `python3 -m http.server`; and runs each query RUNS
# times in a fresh headless Chromium context (nothing cached), through our search
# page and through Pagefind's JavaScript API (benches/search.mjs). Reports, per
# query and engine, the bytes and requests after the page had loaded and the
# time to the first result on screen, then the medians. Measures; never asserts.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_dir="${BENCH_DIR:-/tmp/briefs-bench}"
n=10000
corpus=""
runs=3
queries=""
while (($#)); do
  case "$1" in
    --n) n="$2"; shift 2 ;;
    --corpus) corpus="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --queries) queries="$2"; shift 2 ;;
    *) echo "usage: $0 [--n N] [--corpus SITE] [--runs R] [--queries \"a b,c\"]" >&2; exit 2 ;;
  esac
done

cd "$root"
if [[ ! -x /usr/bin/chromium ]]; then
  echo "search.sh: chromium is missing; install it: apt-get install -y --no-install-recommends chromium" >&2
  exit 2
fi
if [[ ! -d tests/browser/node_modules/playwright-core ]]; then
  (cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
fi
if [[ ! -x benches/node_modules/.bin/pagefind ]]; then
  (cd benches && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
cargo build --release --quiet --bin briefs --example gen_corpus
if [[ -z "$corpus" ]]; then
  corpus="$bench_dir/incremental-$n"
  if [[ ! -f "$corpus/site.yaml" ]]; then
    rm -rf "$corpus"
    mkdir -p "$bench_dir"
    target/release/examples/gen_corpus --n "$n" --out "$corpus" >/dev/null
  fi
fi
out="$bench_dir/search-site"
mkdir -p "$bench_dir"

# Peak memory in MB and wall time of a command, from GNU time's format.
timed() {
  /usr/bin/time -f "%e s, %M KB peak" "$@" 2>&1 >/dev/null | tail -1 |
    awk '{ printf "%s s, %.0f MB peak\n", $1, $3 / 1024 }'
}
echo "briefs build:  $(timed target/release/briefs build --root "$corpus" --output "$out" --force)"
echo "pagefind:      $(timed benches/node_modules/.bin/pagefind --site "$out" --output-subdir pagefind)"
echo "search files:  $(find "$out/search" -type f | wc -l) files, $(du -s --apparent-size --block-size=1K "$out/search" | cut -f1) KB; pagefind: $(find "$out/pagefind" -type f | wc -l) files, $(du -s --apparent-size --block-size=1K "$out/pagefind" | cut -f1) KB"

log="$(mktemp)"
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$out" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -f "$log"' EXIT
until grep -q "port" "$log"; do
  kill -0 $server 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.2
done
port="$(grep -m1 -o 'port [0-9]*' "$log" | cut -d' ' -f2)"
args=(--origin "http://127.0.0.1:$port" --runs "$runs")
if [[ -n "$queries" ]]; then args+=(--queries "$queries"); fi
node benches/search.mjs "${args[@]}"
