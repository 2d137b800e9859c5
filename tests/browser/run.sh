#!/usr/bin/env bash
# Real-browser and validator tests of the sample site (issue 3, item 9).
#
#   bash tests/browser/run.sh        (from the repo root, or from anywhere)
#
# Installs what is missing (Debian chromium and libxml2-utils, the npm packages of
# tests/browser), builds the release binary and the sample site twice — for
# https://example.org/briefs/ served under /briefs/, and for a domain root — serves each
# with `python3 -m http.server` on a free loopback port, and runs check.mjs: link crawl,
# console errors, axe-core, brief structure, search, screenshots, feeds, sitemap and the
# Nu Html Checker. Then it generates a 10,000-brief site (examples/gen_corpus), builds and
# serves it, and checks that its largest tag or entity page is under 100 KB and scores 100
# in Lighthouse's performance category. It also lints the GitHub Pages workflow that
# `briefs init --github-pages` writes (tests/actionlint/run.sh) and compares the reference texts
# with Pandoc's (tests/pandoc/run.sh). Ends with `browser: N passed, M failed`; exits
# non-zero on any failure.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
cd "$REPO"

log() { printf '== %s  [%d s]\n' "$*" "$SECONDS"; }
# Any failure before check.mjs has printed its own summary still ends with one.
SUMMARY_DONE=0
die() { printf 'browser tests: %s\n' "$*" >&2; exit 1; }

TMP="$(mktemp -d "${TMPDIR:-/tmp}/briefs-browser.XXXXXX")"
PIDS=()
cleanup() {
  local rc=$? pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$TMP"
  if [[ $rc -ne 0 && $SUMMARY_DONE -eq 0 ]]; then printf '\nbrowser: 0 passed, 1 failed\n'; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- system packages: only when their binaries are missing -------------------------------
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    die "missing Debian packages: ${missing[*]}; install them as root: apt-get install -y --no-install-recommends ${missing[*]}"
  fi
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v java >/dev/null 2>&1 || die "java is needed for the Nu Html Checker and was not found"
command -v node >/dev/null 2>&1 || die "node is needed and was not found"
command -v npm >/dev/null 2>&1 || die "npm is needed and was not found"

# ---- npm packages: `npm ci` when package-lock.json changed since the last install --------
# Never download a browser; vnu-jar's postinstall (which fetches a Java runtime) is not needed.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
lock_sum="$(sha256sum "$HERE/package-lock.json" | cut -d' ' -f1)"
stamp="$HERE/node_modules/.briefs-lock-sha256"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock_sum" ]]; then
  log "npm ci (tests/browser)"
  (cd "$HERE" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  printf '%s\n' "$lock_sum" >"$stamp"
fi

# ---- build -------------------------------------------------------------------------------
log "cargo build --release"
cargo build --release --quiet --bin briefs --example gen_corpus
BIN="$REPO/target/release/briefs"

log "actionlint: the workflow of briefs init --github-pages"
bash "$REPO/tests/actionlint/run.sh" "$BIN"

log "reference texts against Pandoc 3's (tests/pandoc)"
bash "$REPO/tests/pandoc/run.sh" "$BIN"

log "build the sample site for https://example.org/briefs/ and for a domain root"
"$BIN" build --output "$TMP/sub/briefs"
"$BIN" build --base-url https://example.org/ --output "$TMP/root"

# A site of the size readers meet on a busy desk: its pages must stay small. 10,000 briefs
# (9,491 published) give each entity ~630 briefs, so an entity's first page carries a long
# score history, summarised by month.
log "generate and build a 10,000-brief site"
"$REPO/target/release/examples/gen_corpus" --n 10000 --seed 42 --out "$TMP/corpus" >/dev/null
# Counting a query's tags may fetch 20 KB of rows (three of its ten rows files): past that
# they are estimated, which check.mjs's large-site search tests.
printf 'search:\n  counts_kb: 20\n' >>"$TMP/corpus/site.yaml"
"$BIN" build --root "$TMP/corpus" --output "$TMP/large/briefs"

# ---- serve -------------------------------------------------------------------------------
# The server binds port 0 itself and says which port it got: no race with other servers.
PORT=""
serve() { # serve NAME DIR -> sets PORT
  local logf="$TMP/server-$1.log" pid i
  python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$2" >"$logf" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  PORT=""
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { cat "$logf" >&2; die "static server for $1 exited"; }
    PORT="$(sed -n 's/.* port \([0-9][0-9]*\).*/\1/p' "$logf" | head -n1)"
    if [[ -n "$PORT" ]] && python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' "http://127.0.0.1:$PORT/" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  cat "$logf" >&2
  die "static server for $1 did not start"
}
serve sub "$TMP/sub"
SUB_PORT="$PORT"
serve root "$TMP/root"
ROOT_PORT="$PORT"
serve large "$TMP/large"
LARGE_PORT="$PORT"
log "serving /briefs/ at http://127.0.0.1:$SUB_PORT/briefs/ and the root build at http://127.0.0.1:$ROOT_PORT/"

# ---- check -------------------------------------------------------------------------------
rm -rf "$HERE/artifacts"
mkdir -p "$HERE/artifacts"
status=0
node "$HERE/check.mjs" \
  --build sub "$TMP/sub/briefs" "http://127.0.0.1:$SUB_PORT" https://example.org/briefs/ \
  --build root "$TMP/root" "http://127.0.0.1:$ROOT_PORT" https://example.org/ \
  --large "$TMP/large/briefs" "http://127.0.0.1:$LARGE_PORT" https://example.org/briefs/ \
  || status=$?
# check.mjs prints the summary line itself (exit 0, 1, or 2 on a harness error);
# any other status (killed, crashed) leaves it to cleanup.
if ((status <= 2)); then SUMMARY_DONE=1; fi
log "done"
exit "$status"
