//! Regressions found by fuzzing and hostile-input review (issue 7).
//!
//! Each test is the smallest input that showed one bug, now fixed. The four
//! super-linear blow-ups are guarded by inputs large enough that the old
//! quadratic code took tens of seconds to minutes, while the tests assert only
//! what a user sees (the right diagnostics, distinct ids): speed itself is
//! measured by the benchmarks, never asserted in a test.

use std::fs;

use briefs::internals::citation::Citations;
use briefs::internals::config::RawHtml;
use briefs::internals::markdown::{IdSet, render};

fn html(md: &str, mode: RawHtml) -> String {
    render(md, 0, None, mode, &mut IdSet::default()).html
}

/// Runs `briefs::check` on a one-brief site; returns the number of errors.
fn check_one_brief(brief: &str) -> usize {
    let site = tempfile::tempdir().unwrap();
    fs::write(
        site.path().join("site.yaml"),
        "title: T\nbase_url: https://example.org/\n",
    )
    .unwrap();
    fs::create_dir_all(site.path().join("content/briefs")).unwrap();
    fs::write(site.path().join("content/briefs/x.md"), brief).unwrap();
    let options = briefs::Options {
        root: site.path().to_path_buf(),
        ..Default::default()
    };
    match briefs::check(&options) {
        Ok(_) => 0,
        Err(briefs::Error::Content(d)) => d.error_count(),
        Err(e) => panic!("{e}"),
    }
}

/// A heading's inline content is collected raw by `markdown::render` (the
/// `Tag::Heading` arm takes the events up to `End(Heading)` and hands them to
/// `heading()` untouched), so raw HTML inside a heading skips the
/// `raw_html` pass: it is not escaped in `escape` mode, and in `sanitize`
/// mode it does not set `has_raw_html`, so ammonia never runs when the rest
/// of the document has no raw HTML. `## <script>alert(1)</script>` in a
/// brief ships a working script with the default `raw_html: sanitize`.
#[test]
fn raw_html_in_a_heading_is_sanitized() {
    let out = html("## <script>alert(1)</script>\n", RawHtml::Sanitize);
    assert!(!out.contains("<script"), "{out}");
    let out = html("# x <img src=x onerror=alert(1)>\n", RawHtml::Sanitize);
    assert!(!out.contains("onerror"), "{out}");
}

/// The same path as above: `escape` mode turns `Event::Html`/`InlineHtml`
/// into text everywhere but inside headings.
#[test]
fn raw_html_in_a_heading_is_escaped() {
    let out = html("## <script>alert(1)</script>\n", RawHtml::Escape);
    assert!(!out.contains("<script"), "{out}");
    assert!(out.contains("&lt;script&gt;"), "{out}");
}

/// Links and images inside a heading skip `safe_url` too (same cause), so
/// `javascript:` URLs survive in every mode.
#[test]
fn dangerous_urls_in_a_heading_are_emptied() {
    for mode in [RawHtml::Sanitize, RawHtml::Escape, RawHtml::Allow] {
        let out = html("## [x](javascript:alert(1))\n", mode);
        assert!(!out.contains("javascript:"), "{mode:?}: {out}");
        let out = html("### ![x](data:text/html,y)\n", mode);
        assert!(!out.contains("data:"), "{mode:?}: {out}");
    }
}

/// Citations inside a heading are not resolved either (same cause): the
/// `ShortcutUnknown` link that the broken-link callback made for `[@a]` is
/// rendered as `<a href="@a">@a</a>`, the source gets no number, and an
/// unknown id (`[@nope]`) is never reported, so `briefs check` passes it.
#[test]
fn citations_in_a_heading_are_numbered_and_checked() {
    let mut citations = Citations::new(["a"]);
    let out = render(
        "## Claim [@a]\n\n## Other [@nope]\n",
        0,
        Some(&mut citations),
        RawHtml::Sanitize,
        &mut IdSet::default(),
    )
    .html;
    assert!(!out.contains("href=\"@"), "{out}");
    assert_eq!(citations.number(0), Some(1), "{out}");
    assert_eq!(citations.problems.len(), 1, "{out}");
}

/// `IdSet::claim` tries `base-1`, `base-2`, … from 1 every time, so n
/// headings with the same text cost O(n²) string allocations and hash
/// inserts: 8,000 `## a` lines (40 KB) take ~14 s in a debug build. A
/// counter per base (next suffix to try) makes it linear.
#[test]
fn many_identical_headings_get_distinct_ids() {
    let md = "## a\n".repeat(6_000);
    let toc = render(&md, 0, None, RawHtml::Sanitize, &mut IdSet::default()).toc;
    let ids: std::collections::HashSet<&str> = toc.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), 6_000, "every heading gets its own id");
    assert_eq!(toc[5_999].id, "a-5999");
}

/// `parse::render_rationale` maps each citation problem in the rationale back
/// to the file with two calls to `parse::value_to_file` (now `value_offsets`,
/// one walk per rationale), each walking the
/// rationale from its start: O(problems × length). 20,000 unknown
/// citations in a 180 KB rationale take ~26 s in a release build.
#[test]
fn many_bad_citations_in_the_rationale_are_all_reported() {
    let brief = format!(
        "---\ntitle: T\ndate: 2026-05-14\nsummary: S\nscore:\n  value: 5\n  rationale: |\n{}\
         sources: [{{ id: a, publisher: P, title: T }}]\n---\nBody [@a].\n",
        "    [@x]\n".repeat(4_000)
    );
    assert_eq!(check_one_brief(&brief), 4_000);
}

/// `Citations::unknown` (called for every unknown id) collects and sorts all
/// source ids and runs `did_you_mean` (Jaro-Winkler) against each of them:
/// O(unknown citations × sources × log sources). 10,000 sources and 10,000
/// unknown citations (470 KB) take ~26 s in a release build. Sorting the ids
/// once, and capping the suggestions or caching them per unknown id, fixes it.
#[test]
fn many_unknown_citations_with_many_sources_are_all_reported() {
    let n = 3_000;
    let sources: String = (0..n)
        .map(|i| format!("  - {{ id: s{i}, publisher: P, title: T }}\n"))
        .collect();
    let body: String = (0..n).map(|i| format!("[@u{i}]\n")).collect();
    let brief = format!(
        "---\ntitle: T\ndate: 2026-05-14\nsummary: S\nscore: {{ value: 5, rationale: R }}\n\
         sources:\n{sources}---\n{body}"
    );
    assert_eq!(check_one_brief(&brief), n);
}

/// `diagnostic::locate` counts the newlines from the start of the file for
/// every diagnostic, so a file with n problems spread over it costs
/// O(n × file length). Timed alone in a release build, `locate` for n
/// ranges one per line of `"[@x]\n".repeat(n)` takes 1.5 s for n = 10,000,
/// 6.4 s for 20,000 and 24 s for 40,000 (a 200 KB file); the column count
/// (`chars().count()` from the line start) makes one very long line
/// quadratic too. Through `briefs::check` in a debug build, 1,500 unknown
/// citations one per line take 0.08 s and 30,000 (150 KB) take 13 s, where
/// linear would be ~1.5 s. A line index built once per file (binary search
/// per diagnostic) fixes it.
#[test]
fn many_diagnostics_in_one_file_are_all_located() {
    let n = 30_000;
    let brief = format!(
        "---\ntitle: T\ndate: 2026-05-14\nsummary: S\nscore: {{ value: 5, rationale: R }}\n\
         sources: [{{ id: a, publisher: P, title: T }}]\n---\nBody [@a].\n{}",
        "[@x]\n".repeat(n)
    );
    assert_eq!(check_one_brief(&brief), n);
}
