//! Small text helpers every stage shares, written once so they cannot drift.

use std::path::Path;

/// Escapes `s` for HTML text and attribute values (`&`, `<`, `>`, `"`, `'`).
pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String never fails");
    out
}

/// Where `needle` (not empty) occurs in `hay` from `from` on: the first
/// byte found by `memchr`, the rest compared. For the short texts of a
/// reference this beats building a searcher per call (`memmem` and
/// `str::find` set one up each time, several thousand instructions).
/// Matches are at char boundaries: a needle's first byte never continues
/// a character.
pub(crate) fn find_short(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    let first = *needle.first()?;
    let mut at = from;
    while let Some(i) = memchr::memchr(first, hay.get(at..)?) {
        let start = at + i;
        if hay[start..].starts_with(needle) {
            return Some(start);
        }
        at = start + 1;
    }
    None
}

/// A relative path as a URL path: its components joined with `/`, whatever
/// the platform's separator.
pub(crate) fn url_path(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether `s` ends a sentence itself (`.`, `?`, `!`, `…`, before any
/// closing quotes or brackets), so a template adds no full stop after it:
/// "Nvidia Inc." then "." printed "Inc..".
pub(crate) fn ends_sentence(s: &str) -> bool {
    let closers = ['"', '\'', '”', '’', '»', ')', ']'];
    s.trim_end()
        .trim_end_matches(closers)
        .ends_with(['.', '?', '!', '…'])
}

/// `s` as HTML, its backtick spans as `<code>` (a diagnostic's `` `name` ``),
/// the rest escaped; a lone backtick stays as it is.
pub(crate) fn code_spans_html(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    let mut out = String::with_capacity(s.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        // An odd part is inside backticks, unless it is the last (unclosed).
        if i % 2 == 1 && i + 1 < parts.len() {
            out.push_str("<code>");
            out.push_str(&escape_html(part));
            out.push_str("</code>");
        } else {
            if i % 2 == 1 {
                out.push('`');
            }
            out.push_str(&escape_html(part));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape_html(r#"<a href="x">Q&A's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Q&amp;A&#39;s&lt;/a&gt;"
        );
    }

    #[test]
    fn joins_components_with_slashes() {
        assert_eq!(url_path(Path::new("a/b/c.png")), "a/b/c.png");
        assert_eq!(url_path(Path::new("")), "");
    }

    #[test]
    fn a_sentence_ends_at_its_own_stop_before_closing_quotes() {
        for ended in [
            "Nvidia Inc.",
            "Is it over?",
            "Stop!",
            "Wait…",
            "“Sold.”",
            "(Ltd.)",
        ] {
            assert!(ends_sentence(ended), "{ended}");
        }
        for open in ["Bloomberg", "U.S", "Q3 results:", ""] {
            assert!(!ends_sentence(open), "{open}");
        }
    }

    #[test]
    fn backtick_spans_become_code_and_the_rest_is_escaped() {
        assert_eq!(
            code_spans_html("missing section `Current <scale>`"),
            "missing section <code>Current &lt;scale&gt;</code>"
        );
        assert_eq!(
            code_spans_html("`a` and `b`"),
            "<code>a</code> and <code>b</code>"
        );
        assert_eq!(code_spans_html("a lone ` stays"), "a lone ` stays");
    }
}
