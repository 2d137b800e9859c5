//! The Markdown analysts bring from Pandoc, Quarto and GitHub, as a reader
//! gets it: each feature asserted on the built page of the `markdown`
//! fixture site.

mod common;

use common::{attrs, build_site, fixture, page, texts};

#[test]
fn footnotes_are_numbered_at_the_end_with_back_links_and_bracketed_marks() {
    let (_tmp, out, _, stderr) = build_site(&fixture("markdown"), &[]);
    assert!(!stderr.contains("footnote"), "{stderr}");
    let html = page(&out, "briefs/footnotes/index.html");
    // Marks are bracketed and labelled; a citation's mark stays a bare number.
    assert_eq!(
        texts(&html, ".brief-body sup.footnote-ref"),
        ["[1]", "[2]", "[1]"]
    );
    assert_eq!(
        attrs(&html, ".brief-body sup.footnote-ref a", "aria-label"),
        ["Footnote 1", "Footnote 2", "Footnote 1"]
    );
    assert_eq!(texts(&html, ".brief-body sup.cite")[0], "1");
    // The notes close the body, in the order first referenced, after the
    // last section and before the scoring section.
    assert_eq!(
        texts(&html, ".brief-body > section.footnotes > ol > li"),
        [
            "At constant exchange rates; the report gives both. A second paragraph of the note. ↩ ↩",
            "Including leases. ↩",
        ]
    );
    assert_eq!(
        attrs(&html, ".brief-body > section.footnotes li", "id"),
        ["fn-1", "fn-2"]
    );
    assert_eq!(
        attrs(
            &html,
            ".brief-body section.footnotes a.footnote-back",
            "href"
        ),
        ["#fnref-1", "#fnref-1-1", "#fnref-2"]
    );
    assert_eq!(
        attrs(&html, ".brief-body sup.footnote-ref a", "id"),
        ["fnref-1", "fnref-2", "fnref-1-1"]
    );
    // The rationale's note stays in the rationale, numbered on.
    assert_eq!(
        texts(&html, "#scoring-rationale section.footnotes li"),
        ["Contracted, not optional. ↩"]
    );
    assert_eq!(
        attrs(&html, "#scoring-rationale section.footnotes ol", "start"),
        ["3"]
    );
    assert_eq!(texts(&html, "#scoring-rationale sup.footnote-ref"), ["[3]"]);
}
