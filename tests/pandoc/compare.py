#!/usr/bin/env python3
"""Compares briefs' reference texts with Pandoc's for one bibliography and one CSL style.

    compare.py --pandoc PANDOC --briefs BRIEFS --csl STYLE.csl --bibliography FILE \
               --min N [--marks | --alone]

Renders every entry of FILE twice with the same .csl file: through `pandoc --citeproc`
(`nocite: '@*'`, HTML) and through `briefs build` (a site whose `bibliography:` is FILE,
`csl:` the style and `nocite: '*'`, read from its /sources/ pages). Each `csl-entry`'s text
is compared after normalising whitespace and quotation marks. Prints a verdict per entry
(`same`, `diff` with both texts, `missing` when one side has no entry) and the total, and
exits 1 when fewer than N entries are identical (or when either tool fails).

With --alone, Pandoc formats each entry alone too (alone.lua: one document per key, citing
only that key), as briefs does on /sources/: the like-for-like comparison, where year letters
("1785a") and repeated-author dashes cannot appear on either side.

With --marks, briefs runs with `citations: style`: one brief cites every entry briefs can
publish, one `[@key]` paragraph each, and Pandoc reads the same paragraphs; the brief's
sources list (the style's bibliography of the brief, year letters and repeated authors as
the style gives them) is compared with Pandoc's bibliography, and each mark's text with
Pandoc's. Entries briefs cannot publish count as different.
"""

import argparse
import html
import html.parser
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile


class Entries(html.parser.HTMLParser):
    """The text of every element of class `csl-entry`, by its id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.entries = {}
        self.stack = []  # per open element: the id it collects for, or None
        self.current = None

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "meta", "link", "input", "hr", "wbr"):
            return
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if self.current is None and "csl-entry" in classes:
            self.current = attrs.get("id", "")
            self.entries[self.current] = []
            self.stack.append(self.current)
        else:
            self.stack.append(None)

    def handle_endtag(self, tag):
        if not self.stack or tag in ("br", "img", "meta", "link", "input", "hr", "wbr"):
            return
        if self.stack.pop() is not None:
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.entries[self.current].append(data)


def entries_of(pages):
    parser = Entries()
    for page in pages:
        parser.feed(page)
    return {k: "".join(v) for k, v in parser.entries.items()}


def normalised(text):
    """Whitespace and quotation marks as one form: what the comparison ignores."""
    text = html.unescape(text)
    for curly, straight in (("“", '"'), ("”", '"'), ("„", '"'), ("‘", "'"), ("’", "'")):
        text = text.replace(curly, straight)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def slug(key):
    """briefs' anchor of a key (`ref-<slug>`), for the ASCII keys of the inputs."""
    return re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-") or "source"


def marks_of(page):
    """The text of each `[@key]` paragraph's mark, by key."""
    marks = {}
    for key, inner in re.findall(r'<p>CITE (\S+?) (.*?)</p>', page, re.S):
        marks[key] = normalised(re.sub(r"<[^>]+>", "", inner))
    return marks


def cite_doc(keys):
    return "".join(f"CITE {k} [@{k}]\n\n" for k in keys)


def pandoc_entries(args, work, keys=None):
    doc = work / "doc.md"
    if keys is None:
        doc.write_text("---\nnocite: '@*'\n---\n", encoding="utf-8")
    else:
        doc.write_text(cite_doc(keys), encoding="utf-8")
    out = subprocess.run(
        [args.pandoc, "--citeproc", "--csl", args.csl, "--bibliography", args.bibliography,
         "-f", "markdown", "-t", "html", str(doc)],
        capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.exit(f"pandoc failed ({out.returncode}):\n{out.stderr}")
    found = entries_of([out.stdout])
    if keys is not None:
        return {slug(k.removeprefix("ref-")): v for k, v in found.items()}, marks_of(out.stdout)
    return {slug(k.removeprefix("ref-")): v for k, v in found.items()}, out.stderr


def pandoc_alone(args, work):
    """Pandoc's text of each entry formatted alone, by key slug (see alone.lua)."""
    keys = pandoc_keys(args, work)
    pages = []
    # 30 keys a process: Pandoc 3.9's `lua` crashes (SIGSEGV) after some 80 citeproc calls.
    for start in range(0, len(keys), 30):
        out = subprocess.run(
            [args.pandoc, "lua", str(pathlib.Path(__file__).with_name("alone.lua")),
             args.csl, args.bibliography, *keys[start:start + 30]],
            capture_output=True, text=True, check=False)
        if out.returncode != 0:
            sys.exit(f"pandoc lua alone.lua failed ({out.returncode}):\n{out.stderr}")
        pages.append(out.stdout)
    found = entries_of(pages)
    if len(found) != len(keys):
        sys.exit(f"pandoc lua alone.lua gave {len(found)} entries for {len(keys)} keys")
    return {slug(k.removeprefix("ref-")): v for k, v in found.items()}


def bibliography_site(args, site, extra):
    """A site at `site` with the bibliography and the style, its site.yaml ending in `extra`."""
    site.mkdir()
    bib = pathlib.Path(args.bibliography)
    shutil.copy(bib, site / bib.name)
    shutil.copy(args.csl, site / "style.csl")
    (site / "site.yaml").write_text(
        "title: Pandoc comparison\n"
        "base_url: https://example.org/\n"
        f"bibliography: [{bib.name}]\n"
        "csl: style.csl\n" + extra,
        encoding="utf-8")
    return site


def build(args, site, out):
    """`briefs build` of `site` into `out`; stops the comparison if it fails."""
    done = subprocess.run(
        [args.briefs, "build", "--root", str(site), "--output", str(out)],
        capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"briefs build failed ({done.returncode}):\n{done.stderr}")
    return done


def briefs_marks(args, work, keys):
    """Entries and marks of one brief citing `keys`, under `citations: style`."""
    site = bibliography_site(args, work / "site-marks", "citations: style\n")
    briefs = site / "content" / "briefs"
    briefs.mkdir(parents=True)
    (briefs / "all.md").write_text(
        "---\ntitle: Every entry\ndate: 2025-01-30\nsummary: Every entry, cited once.\n"
        "score:\n  value: 5\n  rationale: Compared with Pandoc.\n---\n" + cite_doc(keys),
        encoding="utf-8")
    out = build(args, site, work / "out-marks")
    page = (work / "out-marks" / "briefs" / "all" / "index.html").read_text(encoding="utf-8")
    section = page[page.index('id="sources"'):]
    found = entries_of([section])
    return {k.removeprefix("ref-"): v for k, v in found.items()}, marks_of(page)


def pandoc_keys(args, work):
    """Every key of the bibliography, as Pandoc reads it (`ref-<key>`), in its order."""
    doc = work / "keys.md"
    doc.write_text("---\nnocite: '@*'\n---\n", encoding="utf-8")
    out = subprocess.run(
        [args.pandoc, "--citeproc", "--bibliography", args.bibliography,
         "-f", "markdown", "-t", "html", str(doc)],
        capture_output=True, text=True, check=True)
    return [k.removeprefix("ref-") for k in entries_of([out.stdout])]


def compare_entries(theirs, ours):
    """Prints each entry's verdict; returns how many are identical."""
    same = 0
    for key in sorted(set(theirs) | set(ours)):
        if key not in ours:
            print(f"missing  {key}: briefs has no entry (see its warnings)\n"
                  f"  pandoc: {normalised(theirs[key])}")
            continue
        if key not in theirs:
            print(f"missing  {key}: pandoc has no entry\n  briefs: {normalised(ours[key])}")
            continue
        a, b = normalised(theirs[key]), normalised(ours[key])
        if a == b:
            same += 1
            print(f"same     {key}")
        else:
            print(f"diff     {key}\n  pandoc: {a}\n  briefs: {b}")
    return same


def briefs_entries(args, work):
    site = bibliography_site(args, work / "site", "nocite: '*'\n")
    out = build(args, site, work / "out")
    pages = [p.read_text(encoding="utf-8") for p in sorted((work / "out" / "sources").rglob("*.html"))]
    found = entries_of(pages)
    return {k.removeprefix("ref-"): v for k, v in found.items()}, out.stderr


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pandoc", required=True)
    ap.add_argument("--briefs", required=True)
    ap.add_argument("--csl", required=True)
    ap.add_argument("--bibliography", required=True)
    ap.add_argument("--min", type=int, required=True, help="identical entries needed to pass")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--marks", action="store_true", help="compare under `citations: style`")
    mode.add_argument("--alone", action="store_true",
                      help="Pandoc formats each entry alone, as briefs does")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="briefs-pandoc-") as tmp:
        work = pathlib.Path(tmp)
        theirs = pandoc_alone(args, work) if args.alone else pandoc_entries(args, work)[0]
        ours, _ = briefs_entries(args, work)
        if args.marks:
            # Cite what both publish; the rest counts as different.
            every = len(set(theirs) | set(ours))
            keys = [k for k in pandoc_keys(args, work) if slug(k) in ours]
            theirs, their_marks = pandoc_entries(args, work, keys)
            ours, our_marks = briefs_marks(args, work, keys)

    same = compare_entries(theirs, ours)
    total = len(set(theirs) | set(ours))
    if args.marks:
        total = every
        same_marks = 0
        for key in keys:
            a, b = their_marks.get(key), our_marks.get(key)
            if a == b:
                same_marks += 1
            else:
                print(f"mark     {key}\n  pandoc: {a}\n  briefs: {b}")
        print(f"marks: {same_marks} of {len(keys)} identical")
    name = f"{pathlib.Path(args.bibliography).name} with {pathlib.Path(args.csl).name}"
    mode = " (citations: style)" if args.marks else " (each alone on both sides)" if args.alone else ""
    print(f"{name}{mode}: {same} of {total} identical (needed: {args.min})")
    return 0 if same >= args.min else 1


if __name__ == "__main__":
    sys.exit(main())
