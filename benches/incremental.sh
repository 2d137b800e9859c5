#!/usr/bin/env bash
# Incremental rebuild latency of `briefs serve` (issues 4 and 6).
#
#   bash benches/incremental.sh [--n 10000] [--edits 20]
#   BRIEFS_BIN=path/to/other/briefs bash benches/incremental.sh  # A/B two builds
#
# Generates (or reuses) a corpus of N briefs, starts `briefs serve` on it,
# then edits one brief EDITS times (each save a temporary file and a rename,
# as editors save) and once edits a template. For each rebuild `serve`
# prints `rebuilt P pages in T ms (W files written)`: T runs from the moment
# the debounced change reaches the session to the last file written. The
# script reports the median and maximum T over the brief edits, the template
# edit's T, and the debounce delay a save waits before its rebuild starts.
# This script measures; it never asserts.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_dir="${BENCH_DIR:-/tmp/briefs-bench}"
n=10000
edits=20
while (($#)); do
  case "$1" in
    --n) n="$2"; shift 2 ;;
    --edits) edits="$2"; shift 2 ;;
    *) echo "usage: $0 [--n N] [--edits E]" >&2; exit 2 ;;
  esac
done

cd "$root"
corpus="$bench_dir/incremental-$n"
# With BRIEFS_BIN (another build of briefs to compare), nothing is built
# unless the corpus must be generated.
briefs="${BRIEFS_BIN:-target/release/briefs}"
if [[ -z "${BRIEFS_BIN:-}" ]]; then
  cargo build --release --quiet --bin briefs
fi
if [[ ! -f "$corpus/site.yaml" ]]; then
  cargo build --release --quiet --example gen_corpus
  rm -rf "$corpus"
  mkdir -p "$bench_dir"
  target/release/examples/gen_corpus --n "$n" --out "$corpus" >/dev/null
fi
# The site overrides one partial used by every listing from the start: a
# `templates/` folder that appears during the session makes `serve` walk and
# rebuild everything, which is not the edit this measures.
rm -rf "$corpus/templates"
mkdir -p "$corpus/templates/partials"
cp templates/partials/score_badge.html "$corpus/templates/partials/score_badge.html"

log="$(mktemp)"
"$briefs" serve --root "$corpus" --port 0 >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -f "$log"; rm -rf "$corpus/templates"' EXIT
until grep -q "^serving" "$log"; do sleep 0.2; done
first="$(head -n 1 "$log")"

for f in "$corpus"/content/briefs/*.md; do brief="$(basename "$f")"; break; done
path="$corpus/content/briefs/$brief"
original="$(cat "$path")"
lines_before=$(grep -c "^rebuilt" "$log" || true)
for ((i = 1; i <= edits; i++)); do
  tmp="$corpus/content/briefs/.$brief.swp"
  printf '%s\n\nEdit %d of the benchmark.\n' "$original" "$i" >"$tmp"
  mv "$tmp" "$path"
  until (($(grep -c "^rebuilt" "$log" || true) >= lines_before + i)); do sleep 0.05; done
  sleep 0.2
done
printf '%s\n' "$original" >"$corpus/content/briefs/.$brief.swp" && mv "$corpus/content/briefs/.$brief.swp" "$path"
until (($(grep -c "^rebuilt" "$log" || true) >= lines_before + edits + 1)); do sleep 0.05; done

printf '\n' >>"$corpus/templates/partials/score_badge.html"
until (($(grep -c "^rebuilt" "$log" || true) >= lines_before + edits + 2)); do sleep 0.1; done

mapfile -t brief_ms < <(grep "^rebuilt" "$log" | head -n "$((lines_before + edits))" | tail -n "$edits" | sed -E 's/.* in ([0-9]+) ms.*/\1/' | sort -n)
template_line="$(grep "^rebuilt" "$log" | tail -n 1)"
median="${brief_ms[$((edits / 2))]}"
max="${brief_ms[$((edits - 1))]}"
echo "binary: $briefs"
echo "corpus: $n briefs ($corpus); first build: $first"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| change | median ms | max ms | rebuild line |"
echo "|---|---:|---:|---|"
echo "| one brief edited ($edits saves) | $median | $max | $(grep "^rebuilt" "$log" | sed -n "$((lines_before + 1))p") |"
echo "| a partial template edited | - | - | $template_line |"
echo
echo "A save waits for the watcher's 50 ms debounce (checked every 10 ms) before its rebuild starts."
