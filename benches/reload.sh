#!/usr/bin/env bash
# Save-to-screen latency of `briefs serve` in a real browser (issue 14).
#
#   bash benches/reload.sh [--n 10000] [--saves 20]
#
# Generates (or reuses) the corpus of benches/incremental.sh, starts `briefs
# serve` on it, opens one brief's page in headless Chromium (Debian's
# chromium, driven by playwright-core from tests/browser; both installed here
# when missing, as tests/browser/run.sh does) and saves that brief SAVES times
# (benches/reload.mjs). Reports, per save, the time from the save to the first
# frame the browser draws of the reloaded page, then the median and maximum,
# next to serve's own rebuild times for the same saves. This script measures;
# it never asserts.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_dir="${BENCH_DIR:-/tmp/briefs-bench}"
n=10000
saves=20
while (($#)); do
  case "$1" in
    --n) n="$2"; shift 2 ;;
    --saves) saves="$2"; shift 2 ;;
    *) echo "usage: $0 [--n N] [--saves S]" >&2; exit 2 ;;
  esac
done

cd "$root"
if [[ ! -x /usr/bin/chromium ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "reload.sh: chromium is missing; install it: apt-get install -y --no-install-recommends chromium" >&2
    exit 2
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
if [[ ! -d tests/browser/node_modules/playwright-core ]]; then
  (cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
fi
cargo build --release --quiet --bin briefs --example gen_corpus
corpus="$bench_dir/incremental-$n"
if [[ ! -f "$corpus/site.yaml" ]]; then
  rm -rf "$corpus"
  mkdir -p "$bench_dir"
  target/release/examples/gen_corpus --n "$n" --out "$corpus" >/dev/null
fi

log="$(mktemp)"
target/release/briefs serve --root "$corpus" --port 0 >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -f "$log"' EXIT
until grep -q "^serving" "$log"; do
  kill -0 $server 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.2
done
url="$(grep -m1 "^serving" "$log" | sed -E 's/.* at (http[^ ]*) .*/\1/')"
# A published brief: the generator's file name is its slug.
for f in "$corpus"/content/briefs/*.md; do
  if ! grep -qx 'status: draft' "$f"; then brief="$f"; break; fi
done
slug="$(basename "$brief" .md)"
lines_before=$(grep -c "^rebuilt" "$log" || true)

if ! node benches/reload.mjs --url "${url%/}/briefs/$slug/" --file "$brief" --saves "$saves"; then
  echo "reload.sh: serve's log:" >&2
  tail -n +"$((lines_before + 1))" "$log" >&2
  exit 1
fi

# serve's own times for the same saves (the last rebuild restores the brief).
until (($(grep -c "^rebuilt" "$log" || true) >= lines_before + saves + 1)); do sleep 0.05; done
mapfile -t ms < <(grep "^rebuilt" "$log" | tail -n +"$((lines_before + 1))" | head -n "$saves" |
  sed -E 's/.* in ([0-9]+) ms.*/\1/' | sort -n)
echo "serve's rebuilds for those saves (debounced event to last file written): median ${ms[$((saves / 2))]} ms, max ${ms[$((saves - 1))]} ms; the watcher's debounce (50 ms, checked every 10 ms) comes before each"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
