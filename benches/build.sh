#!/usr/bin/env bash
# Whole-build benchmark of `briefs build` over generated corpora (issue 6).
#
#   bash benches/build.sh [--big] [--cold] [--runs N] [--sizes "1000 10000"] [--seed 42]
#
# Builds the release binary and examples/gen_corpus, generates a corpus per
# size into $BENCH_DIR (default /tmp/briefs-bench; a corpus generated there
# before with the same size and seed is reused), runs
# `briefs build --root DIR --output OUT` --runs times per size (default 5,
# after one warm-up run) and prints a Markdown table:
#
#   N | median s | briefs/s | peak RSS MB | CPU s
#
# - briefs/s: corpus size over the median wall time (the ~5% drafts are read
#   and validated but not rendered).
# - peak RSS: "Maximum resident set size" from GNU time -v (Debian package
#   `time`), the largest over the measured runs (one extra run with hyperfine).
# - CPU s: user + system time of one build, mean over the runs. Unlike wall
#   time it barely moves when other work shares the machine: read it beside
#   the load average printed above the table.
#
# Timing uses hyperfine when installed (Debian: apt-get install -y hyperfine),
# else a loop over `date +%s%N`; HYPERFINE=0 forces the loop. --big adds the
# 100,000-brief corpus. By default each run replaces the previous run's
# output, as a repeated `briefs build` does, so deleting the old tree is part
# of the time; --cold deletes it before each timed run instead. On a disk file
# system that deletion can dominate: BENCH_DIR=/dev/shm/briefs-bench (tmpfs)
# shows the CPU-bound cost.
#
# Targets (issue 6): 10,000 briefs in 3 s or less on 2 cores, peak RSS under
# 400 MB, 100,000 briefs build. This script measures; it never asserts.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_dir="${BENCH_DIR:-/tmp/briefs-bench}"
runs=5
seed=42
sizes="1000 10000"
big=0
cold=0

while [[ $# -gt 0 ]]; do
  case "$1" in
    --big) big=1 ;;
    --cold) cold=1 ;;
    --runs) runs="$2"; shift ;;
    --sizes) sizes="$2"; shift ;;
    --seed) seed="$2"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
if [[ $big -eq 1 ]]; then sizes="$sizes 100000"; fi
if [[ $runs -lt 1 ]]; then echo "build.sh: --runs must be at least 1" >&2; exit 2; fi

target_dir="${CARGO_TARGET_DIR:-$root/target}"
case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac
briefs="$target_dir/release/briefs"
gen="$target_dir/release/examples/gen_corpus"

log() { echo "$@" >&2; }

log "== building release binaries"
(cd "$root" && cargo build --release --quiet --bin briefs --example gen_corpus)

gnu_time=""
if [[ -x /usr/bin/time ]] && /usr/bin/time -v true >/dev/null 2>&1; then
  gnu_time=/usr/bin/time
else
  log "note: GNU time not found (Debian: apt-get install -y time): peak RSS is not measured"
fi
have_hyperfine=0
if [[ "${HYPERFINE:-1}" != 0 ]] && command -v hyperfine >/dev/null 2>&1; then
  have_hyperfine=1
else
  log "note: hyperfine not found (Debian: apt-get install -y hyperfine): timing with a date loop"
fi

mkdir -p "$bench_dir"

# One build under GNU time: prints "peak-RSS-kB cpu-seconds".
timed_run() {
  local corpus="$1" out="$2" tlog="$3"
  "$gnu_time" -v -o "$tlog" "$briefs" build --root "$corpus" --output "$out" >/dev/null
  awk -F': *' '
    /Maximum resident set size/ { kb = $2 }
    /User time \(seconds\)/ { cpu += $2 }
    /System time \(seconds\)/ { cpu += $2 }
    END { printf "%d %.3f\n", kb, cpu }' "$tlog"
}

# Median of numbers on stdin.
median() {
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) exit 1
    if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2
  }'
}

rows=()
for n in $sizes; do
  corpus="$bench_dir/corpus-$n"
  out="$bench_dir/out-$n"
  want="$(printf 'written by examples/gen_corpus.rs\nn=%s\nseed=%s' "$n" "$seed")"
  if [[ -f "$corpus/.gen_corpus" && "$(cat "$corpus/.gen_corpus")" == "$want" ]]; then
    log "== N=$n: reusing $corpus"
  else
    log "== N=$n: generating $corpus"
    "$gen" --n "$n" --out "$corpus" --seed "$seed" >/dev/null
  fi

  log "== N=$n: warm-up build"
  "$briefs" build --root "$corpus" --output "$out" >&2

  peak_kb=""
  cpu_s=""
  if [[ $have_hyperfine -eq 1 ]]; then
    json="$bench_dir/hyperfine-$n.json"
    prepare=()
    if [[ $cold -eq 1 ]]; then prepare=(--prepare "rm -rf $out"); fi
    hyperfine --style basic --runs "$runs" "${prepare[@]}" --export-json "$json" \
      "$briefs build --root $corpus --output $out" >&2
    field() { grep -o "\"$1\": *[0-9.eE+-]*" "$json" | head -1 | sed 's/.*: *//'; }
    median_s="$(field median)"
    cpu_s="$(awk -v u="$(field user)" -v s="$(field system)" 'BEGIN { printf "%.3f", u + s }')"
    if [[ -n "$gnu_time" ]]; then
      if [[ $cold -eq 1 ]]; then rm -rf "$out"; fi
      read -r peak_kb _ < <(timed_run "$corpus" "$out" "$bench_dir/time-$n.txt")
    fi
  else
    times=()
    cpus=()
    for ((r = 1; r <= runs; r++)); do
      if [[ $cold -eq 1 ]]; then rm -rf "$out"; fi
      start=$(date +%s%N)
      if [[ -n "$gnu_time" ]]; then
        read -r kb cpu < <(timed_run "$corpus" "$out" "$bench_dir/time-$n.txt")
        if [[ -z "$peak_kb" || $kb -gt $peak_kb ]]; then peak_kb=$kb; fi
        cpus+=("$cpu")
      else
        "$briefs" build --root "$corpus" --output "$out" >/dev/null
      fi
      end=$(date +%s%N)
      times+=("$(awk -v ns=$((end - start)) 'BEGIN { printf "%.6f", ns / 1e9 }')")
      log "   run $r: ${times[-1]} s"
    done
    median_s="$(printf '%s\n' "${times[@]}" | median)"
    if [[ ${#cpus[@]} -gt 0 ]]; then
      cpu_s="$(printf '%s\n' "${cpus[@]}" | awk '{ t += $1 } END { printf "%.3f", t / NR }')"
    fi
  fi

  per_s="$(awk -v n="$n" -v s="$median_s" 'BEGIN { printf "%.0f", n / s }')"
  median_fmt="$(awk -v s="$median_s" 'BEGIN { printf "%.3f", s }')"
  if [[ -n "$peak_kb" ]]; then
    rss_fmt="$(awk -v kb="$peak_kb" 'BEGIN { printf "%.0f", kb / 1024 }')"
  else
    rss_fmt="n/a"
  fi
  rows+=("| $n | $median_fmt | $per_s | $rss_fmt | ${cpu_s:-n/a} |")
  rm -rf "$out"
done

cores="$(nproc 2>/dev/null || echo '?')"
load="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
echo
mode="over the previous output"
if [[ $cold -eq 1 ]]; then mode="into a fresh output folder (--cold)"; fi
echo "briefs build $mode, $runs runs per N after a warm-up, $cores cores, seed $seed, load average $load, in $bench_dir ($(cd "$root" && git describe --always --dirty 2>/dev/null || echo 'no git'))"
echo
echo "| N | median s | briefs/s | peak RSS MB | CPU s |"
echo "|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
echo
echo "Incremental rebuild latency (one edited brief in a 10,000-brief serve session): bash benches/incremental.sh"
