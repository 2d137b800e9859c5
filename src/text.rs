//! Small text helpers every stage shares, written once so they cannot drift.

use std::path::Path;

/// Escapes `s` for HTML text and attribute values (`&`, `<`, `>`, `"`, `'`).
pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String never fails");
    out
}

/// A relative path as a URL path: its components joined with `/`, whatever
/// the platform's separator.
pub(crate) fn url_path(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
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
}
