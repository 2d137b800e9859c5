//! A feed entry's links and images made absolute, resolved against the
//! brief's URL.
//!
//! A brief's HTML holds root-relative links (`/briefs/other/`) and bundle
//! files named relative to the page (`chart.png`, `chart.480w.webp` in a
//! `srcset`). The Atom feed's `xml:base` tells a reader how to resolve them,
//! but JSON Feed has no base, and readers that ignore `xml:base` resolve
//! them against the feed's own URL: images break and links point to the
//! wrong page. So each URL-valued attribute is resolved here once, as a
//! browser would resolve it on the brief's page, and the same absolute HTML
//! goes into both feeds (as Zola's and Hugo's feeds carry permalinks).
//! Fragment-only links (`#source-1`, a citation mark to its source) stay as
//! written: their targets are in the same entry.

use url::Url;

use crate::html::{StartTag, Tokens};

/// Attributes whose value is one URL.
const URL_ATTRS: &[&str] = &["href", "src", "poster", "cite", "action", "data"];

/// `html` with every relative URL in a start tag's attributes resolved
/// against `page` (an absolute URL). Absolute URLs, fragments, and HTML with
/// nothing to resolve are left exactly as written.
pub fn absolute(html: &str, page: &str) -> String {
    let Ok(base) = Url::parse(page) else {
        return html.to_owned();
    };
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    Tokens::default().feed_tags(html, 0, &mut |tag: &StartTag<'_, '_>| {
        for attr in tag.attrs {
            let value = attr.value();
            let resolved = if attr.is("srcset") {
                srcset(&value, &base)
            } else if URL_ATTRS.iter().any(|name| attr.is(name)) {
                one(&value, &base)
            } else {
                None
            };
            if let Some(resolved) = resolved {
                let start = attr.raw.as_ptr() as usize - html.as_ptr() as usize;
                edits.push((start, start + attr.raw.len(), escape(&resolved)));
            }
        }
    });
    let mut out = String::with_capacity(html.len() + edits.len() * 32);
    let mut at = 0;
    for (start, end, text) in edits {
        out.push_str(&html[at..start]);
        out.push_str(&text);
        at = end;
    }
    out.push_str(&html[at..]);
    out
}

/// The absolute form of one URL, or `None` when it is absolute already, a
/// fragment of the entry itself, or cannot be resolved (then it stays as
/// written).
fn one(value: &str, base: &Url) -> Option<String> {
    let value = value.trim();
    if value.is_empty() || value.starts_with('#') || Url::parse(value).is_ok() {
        return None;
    }
    base.join(value).ok().map(String::from)
}

/// A `srcset` with each candidate's URL resolved, descriptors kept; `None`
/// when no candidate changes.
fn srcset(value: &str, base: &Url) -> Option<String> {
    let mut changed = false;
    let candidates: Vec<String> = value
        .split(',')
        .map(str::trim)
        .filter(|candidate| !candidate.is_empty())
        .map(|candidate| {
            let (url, descriptor) = candidate
                .split_once(char::is_whitespace)
                .map_or((candidate, ""), |(url, rest)| (url, rest.trim()));
            let url = one(url, base)
                .inspect(|_| changed = true)
                .unwrap_or_else(|| url.to_owned());
            if descriptor.is_empty() {
                url
            } else {
                format!("{url} {descriptor}")
            }
        })
        .collect();
    changed.then(|| candidates.join(", "))
}

/// A value written back into an attribute, whatever its quotes were.
fn escape(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::absolute;

    const PAGE: &str = "https://example.org/desk/briefs/chips/";

    #[test]
    fn relative_urls_resolve_against_the_page() {
        let html = r##"<p><a href="#source-1">1</a> <a href="/desk/tags/ai/">ai</a> <img src="chart.png" srcset="chart.480w.webp 480w, chart.800w.webp 800w" alt=""> <a href="../other/">o</a></p>"##;
        assert_eq!(
            absolute(html, PAGE),
            "<p><a href=\"#source-1\">1</a> \
             <a href=\"https://example.org/desk/tags/ai/\">ai</a> \
             <img src=\"https://example.org/desk/briefs/chips/chart.png\" \
             srcset=\"https://example.org/desk/briefs/chips/chart.480w.webp 480w, \
             https://example.org/desk/briefs/chips/chart.800w.webp 800w\" alt=\"\"> \
             <a href=\"https://example.org/desk/briefs/other/\">o</a></p>"
        );
    }

    #[test]
    fn absolute_urls_text_and_code_stay_as_written() {
        let html = "<p><a href='https://Example.org/a%20b?x=1&amp;y=2'>x</a> href=\"rel\" \
                    <code>&lt;a href=\"rel\"&gt;</code><a href=\"mailto:desk@example.org\">m</a></p>";
        assert_eq!(absolute(html, PAGE), html);
    }

    #[test]
    fn an_encoded_value_is_decoded_then_written_escaped() {
        let html = "<a href='q?a=1&amp;b=2'>x</a>";
        assert_eq!(
            absolute(html, PAGE),
            "<a href='https://example.org/desk/briefs/chips/q?a=1&amp;b=2'>x</a>"
        );
    }
}
