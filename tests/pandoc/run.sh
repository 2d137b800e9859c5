#!/usr/bin/env bash
# Reference texts against Pandoc 3's (issue 21, "Evidence"): the same entries through
# `pandoc --citeproc` and through `briefs build`, with the same .csl file.
#
#   bash tests/pandoc/run.sh [BRIEFS_BINARY]     (default: target/release/briefs, built if missing)
#
# Inputs: every entry of biblatex's own biblatex-examples.bib and the CSL-JSON items of
# tests/fixtures/pandoc/items.json. Styles: briefs' default (briefs-author-date.csl) and
# Chicago author-date as TeX Live ships it; each also under `citations: style` (--marks),
# where the marks are compared too; and each entry formatted alone by both (--alone).
# Installs what is missing into target/pandoc/:
# Pandoc from PyPI's pypandoc-binary (Debian's pandoc is 2.x), the .bib file and the Chicago
# style from Debian's texlive-bibtex-extra (downloaded, not installed). compare.py prints
# each entry's verdict and fails a run with fewer identical entries than its floor below:
# the counts measured when the floor was last raised, so that a regression fails.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
BIN="${1:-$REPO/target/release/briefs}"
CACHE="$REPO/target/pandoc"
PYPANDOC="pypandoc-binary==1.17"   # ships Pandoc 3.9
mkdir -p "$CACHE"

if [[ ! -x "$BIN" ]]; then
  (cd "$REPO" && cargo build --release --quiet --bin briefs)
fi

# ---- Pandoc 3, from PyPI ----------------------------------------------------------------
PANDOC="$CACHE/py/pypandoc/files/pandoc"
if [[ ! -x "$PANDOC" ]]; then
  echo "== pip install $PYPANDOC (into target/pandoc/py)"
  python3 -m pip install --quiet --disable-pip-version-check --no-deps \
    --target "$CACHE/py" "$PYPANDOC"
fi
"$PANDOC" --version | head -n1

# ---- biblatex-examples.bib and chicago-author-date.csl, from Debian ----------------------
BIB="$CACHE/biblatex-examples.bib"
CHICAGO="$CACHE/chicago-author-date.csl"
if [[ ! -f "$BIB" || ! -f "$CHICAGO" ]]; then
  echo "== apt-get download texlive-bibtex-extra (for biblatex-examples.bib and chicago-author-date.csl)"
  deb_dir="$(mktemp -d "${TMPDIR:-/tmp}/briefs-pandoc-deb.XXXXXX")"
  trap 'rm -rf "$deb_dir"' EXIT
  if ! (cd "$deb_dir" && apt-get download texlive-bibtex-extra >/dev/null 2>&1); then
    apt-get update -qq >/dev/null
    (cd "$deb_dir" && apt-get download texlive-bibtex-extra >/dev/null)
  fi
  dpkg-deb --fsys-tarfile "$deb_dir"/texlive-bibtex-extra_*.deb \
    | tar -x -C "$deb_dir" --wildcards \
      './usr/share/texlive/texmf-dist/bibtex/bib/biblatex/biblatex/biblatex-examples.bib' \
      './usr/share/texlive/texmf-dist/tex/latex/citation-style-language/styles/chicago-author-date.csl'
  cp "$deb_dir/usr/share/texlive/texmf-dist/bibtex/bib/biblatex/biblatex/biblatex-examples.bib" "$BIB"
  cp "$deb_dir/usr/share/texlive/texmf-dist/tex/latex/citation-style-language/styles/chicago-author-date.csl" "$CHICAGO"
fi

# ---- compare ----------------------------------------------------------------------------
OWN="$REPO/src/content/cite/styles/briefs-author-date.csl"
ITEMS="$REPO/tests/fixtures/pandoc/items.json"
status=0
compare() { # STYLE BIBLIOGRAPHY FLOOR [--marks]
  python3 "$HERE/compare.py" --pandoc "$PANDOC" --briefs "$BIN" \
    --csl "$1" --bibliography "$2" --min "$3" ${4:+"$4"} || status=1
}
# Each source alone, as /sources/ lists it (either mode), against Pandoc's whole bibliography.
compare "$OWN" "$BIB" 68
compare "$OWN" "$ITEMS" 26
compare "$CHICAGO" "$BIB" 62
compare "$CHICAGO" "$ITEMS" 27
# The same, like for like: Pandoc formats each entry alone too (alone.lua), so year letters
# and repeated-author dashes, which need the whole bibliography, appear on neither side.
compare "$OWN" "$BIB" 89 --alone
compare "$OWN" "$ITEMS" 26 --alone
compare "$CHICAGO" "$BIB" 90 --alone
compare "$CHICAGO" "$ITEMS" 27 --alone
# `citations: style`: a brief citing every entry, its sources list the style's bibliography.
compare "$OWN" "$BIB" 89 --marks
compare "$OWN" "$ITEMS" 26 --marks
compare "$CHICAGO" "$BIB" 88 --marks
compare "$CHICAGO" "$ITEMS" 27 --marks
if ((status)); then
  echo "pandoc comparison: FAILED (fewer identical reference texts than the floor)"
else
  echo "pandoc comparison: passed"
fi
exit "$status"
