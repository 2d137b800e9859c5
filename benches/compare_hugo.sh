#!/usr/bin/env bash
# `briefs build` against Hugo on the same generated briefs, in one run (issue 14).
#
#   bash benches/compare_hugo.sh [--n 10000] [--runs 3] [--seed 42]
#
# Generates (or reuses) a corpus of N briefs under $BENCH_DIR (default
# /tmp/briefs-bench), copies its Markdown into a Hugo site with templates of
# the same shape (a page per brief with its score, tags, entities and
# sources; a paginated index; a paginated page per tag and entity; term lists;
# Hugo's default feeds and sitemap), then builds each site --runs times,
# alternating, every build replacing its previous output. Prints a Markdown
# table: median wall time, CPU (user + sys) and peak RSS of each, and the
# ratio of the medians. Hugo comes from Debian (`apt-get install -y hugo`,
# installed here when missing and run as root). Zola has no Debian or
# crates.io package, so it is not measured here.
#
# Hugo renders `[@key]` citations as text and knows nothing of the score
# rules: it does less work per brief than briefs does. This script measures;
# it never asserts.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_dir="${BENCH_DIR:-/tmp/briefs-bench}"
n=10000
runs=3
seed=42
while (($#)); do
  case "$1" in
    --n) n="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    *) echo "usage: $0 [--n N] [--runs R] [--seed S]" >&2; exit 2 ;;
  esac
done

if ! command -v hugo >/dev/null 2>&1; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "compare_hugo.sh: hugo is missing; install it: apt-get install -y hugo" >&2
    exit 2
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null
fi
[[ -x /usr/bin/time ]] || { echo "compare_hugo.sh: GNU time is missing (apt-get install -y time)" >&2; exit 2; }

cd "$root"
cargo build --release --quiet --bin briefs --example gen_corpus
corpus="$bench_dir/compare-$n-$seed"
if [[ ! -f "$corpus/site.yaml" ]]; then
  rm -rf "$corpus"
  mkdir -p "$bench_dir"
  target/release/examples/gen_corpus --n "$n" --seed "$seed" --out "$corpus" >/dev/null
fi

hugo_site="$bench_dir/compare-$n-$seed-hugo"
rm -rf "$hugo_site"
mkdir -p "$hugo_site/content" "$hugo_site/layouts/_default"
cp -r "$corpus/content/briefs" "$hugo_site/content/briefs"
cat >"$hugo_site/hugo.yaml" <<'YAML'
baseURL: https://example.org/
title: Briefs
paginate: 20
taxonomies:
  tag: tags
  entity: entities
YAML
layouts="$hugo_site/layouts/_default"
cat >"$layouts/baseof.html" <<'HTML'
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="alternate" type="application/rss+xml" href="{{ "index.xml" | absURL }}"></head>
<body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav><a href="{{ "tags/" | relURL }}">Tags</a> <a href="{{ "entities/" | relURL }}">Entities</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
HTML
cat >"$layouts/single.html" <<'HTML'
{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
 · score {{ .Params.score.value }}</p>
<p>{{ .Params.summary }}</p>
<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
<ul>{{ range .GetTerms "entities" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
<section><h2>Scoring rationale</h2>{{ .Params.score.rationale | markdownify }}
<table>{{ range .Params.score.factors }}<tr><td>{{ .name }}</td><td>{{ .value }}</td><td>{{ .note }}</td></tr>{{ end }}</table></section>
{{ .Content }}
<section><h2>Sources</h2><ol>{{ range .Params.sources }}<li id="{{ .id }}">{{ .publisher }}: <a href="{{ .url }}">{{ .title }}</a> {{ .date }}</li>{{ end }}</ol></section>
</article>{{ end }}
HTML
cat >"$layouts/list.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1>
{{ range .Paginator.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ .Date.Format "2 January 2006" }} · score {{ .Params.score.value }}</p><p>{{ .Params.summary }}</p>
<p>{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p></article>{{ end }}
{{ with .Paginator }}{{ if .HasPrev }}<a href="{{ .Prev.URL }}">Newer</a>{{ end }} {{ if .HasNext }}<a href="{{ .Next.URL }}">Older</a>{{ end }}{{ end }}
{{ end }}
HTML
cat >"$layouts/terms.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>{{ end }}
</ul>{{ end }}
HTML
cp "$layouts/list.html" "$layouts/index.html"

out="$bench_dir/compare-out"
run() { # name command... -> "wall cpu rss_kb"
  local name="$1"; shift
  /usr/bin/time -o "$stats" -f '%e %U %S %M' "$@" >/dev/null 2>&1
  read -r wall user sys rss <"$stats"
  echo "$name $wall $(echo "$user + $sys" | bc) $rss"
}
results="$(mktemp)"
stats="$(mktemp)"
trap 'rm -f "$results" "$stats"' EXIT
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for ((i = 0; i <= runs; i++)); do
  # The first round warms the page cache and is not counted.
  b="$(run briefs target/release/briefs build --root "$corpus" --output "$out/briefs")"
  h="$(run hugo hugo --source "$hugo_site" --destination "$out/hugo" --cleanDestinationDir --quiet)"
  if ((i > 0)); then printf '%s\n%s\n' "$b" "$h" >>"$results"; fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
stat() { grep "^$1 " "$results" | awk -v c="$2" '{print $c}' | median; }
bw="$(stat briefs 2)"; hw="$(stat hugo 2)"
echo
echo "N = $n briefs, median of $runs runs, each build replacing its previous output"
echo
echo "| tool | median wall s | CPU s | peak RSS MB | pages written |"
echo "|---|---:|---:|---:|---:|"
for tool in briefs hugo; do
  pages="$(find "$out/$tool" -name '*.html' | wc -l)"
  printf '| %s %s | %s | %s | %.0f | %s |\n' "$tool" \
    "$(if [[ $tool == hugo ]]; then hugo version | awk '{print $2}' | cut -d+ -f1; else target/release/briefs --version | awk '{print $2}'; fi)" \
    "$(stat "$tool" 2)" "$(stat "$tool" 3)" "$(echo "$(stat "$tool" 4) / 1024" | bc -l)" "$pages"
done
echo
echo "Hugo / briefs (median wall): $(echo "scale=2; $hw / $bw" | bc)x"
