//! Embedded charts and videos: under `raw_html: sanitize`, an `<iframe>`
//! whose `src` is an https URL on a host of `markdown.embeds` (Datawrapper,
//! Flourish, YouTube's no-cookie player…) is kept, sandboxed and loaded
//! lazily; any other `<iframe>` is dropped with a warning at its tag, never
//! silently, and one without a `title` (which screen readers announce as
//! the frame's name) is kept with a warning.
//!
//! Steps: each piece of raw HTML (a whole HTML block, or one inline tag) is
//! read for `<iframe>` start tags ([`crate::html::Tokens::feed_tags`]); a
//! dropped one is cut out, up to its `</iframe>` when the piece holds it.
//! Then the sanitizer of a text that kept one ([`sanitizer`]) allows
//! `<iframe>` with a few attributes, sets `sandbox`, `loading` and `style`, and
//! empties a `src` that is not on the list: a second guard, should a
//! browser's parser find an `<iframe>` where this reading did not.

use std::borrow::Cow;

use crate::content::body::common::style_properties;
use crate::content::body::raw_html::{Problem, file_offset};
use crate::html::{StartTag, Tokens};

/// What an embedded frame may do: run its own scripts with its own origin
/// (Datawrapper, Flourish and YouTube draw with JavaScript and read their
/// own storage), and open links in a new tab that is not sandboxed (a
/// chart's source link, "watch on YouTube"). Not: navigate the page,
/// submit forms, download files, or open dialogs.
pub const SANDBOX: &str =
    "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox";

/// How an embedded frame sits in the text: as wide as the column (a
/// chart's own `style`, such as Datawrapper's `min-width: 100%`, is not
/// kept), its height from its `height`. Set on the frame, so that the
/// theme's stylesheet stays the same for sites without embeds.
const STYLE: &str = "display:block;width:100%;border:0";

/// The attributes an embedded frame keeps (besides the generic `id`,
/// `class`, `aria-label`); `sandbox` and `loading` are set, never kept.
const ATTRIBUTES: &[&str] = &[
    "src",
    "title",
    "width",
    "height",
    "allow",
    "allowfullscreen",
    "referrerpolicy",
];

/// The raw HTML `html`, whose lines start at `starts` in the file, with
/// the `<iframe>`s not on `hosts` cut out; `None` if it has no `<iframe>`.
/// The second value is true when it keeps one.
pub fn filter(
    html: &str,
    starts: &[(usize, usize)],
    hosts: &[String],
    problems: &mut Vec<Problem>,
) -> Option<(String, bool)> {
    let has_iframe = html
        .as_bytes()
        .windows(7)
        .any(|w| w.eq_ignore_ascii_case(b"<iframe"));
    if !has_iframe {
        return None;
    }
    let mut cuts = Vec::new();
    let mut kept = false;
    let at = |range: std::ops::Range<usize>| {
        file_offset(starts, range.start)..file_offset(starts, range.end)
    };
    Tokens::default().feed_tags(html, 0, &mut |tag: &StartTag<'_, '_>| {
        if !tag.name.eq_ignore_ascii_case("iframe") {
            return;
        }
        let attr = |name: &str| tag.attrs.iter().find(|a| a.is(name)).map(|a| a.value());
        let src = attr("src").unwrap_or(Cow::Borrowed(""));
        match refusal(&src, hosts) {
            Some((message, hint)) => {
                problems.push(warning(at(tag.at.clone()), message, hint));
                cuts.push(tag.at.start..tag.closed_at.unwrap_or(tag.at.end));
            }
            None => {
                kept = true;
                if attr("title").is_none_or(|t| t.trim().is_empty()) {
                    problems.push(warning(
                        at(tag.at.clone()),
                        "an embedded `<iframe>` has no `title`: screen readers announce a \
                         frame by its title"
                            .to_string(),
                        "add `title=\"…\"` saying what it shows, as \"Chart: GPU lease rates, \
                         2023–2026\""
                            .to_string(),
                    ));
                }
            }
        }
    });
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for cut in cuts {
        out.push_str(&html[from..cut.start]);
        from = cut.end;
    }
    out.push_str(&html[from..]);
    Some((out, kept))
}

/// Why the frame at `src` is dropped, with a hint; `None` if it is kept.
fn refusal(src: &str, hosts: &[String]) -> Option<(String, String)> {
    let add = "add its host to `markdown.embeds` in site.yaml if you trust it, or link to it";
    let Ok(url) = url::Url::parse(src.trim()) else {
        return Some((
            format!("an `<iframe>` is dropped: its `src` `{src}` is not an absolute URL"),
            "an embed's `src` is the https address its provider gives".to_string(),
        ));
    };
    let host = url.host_str().unwrap_or("");
    if url.scheme() != "https" {
        return Some((
            format!("an `<iframe>` from `{src}` is dropped: embeds must be https"),
            format!("write `https://{host}…`; {add}"),
        ));
    }
    if !hosts.iter().any(|h| h == host) {
        return Some((
            format!("an `<iframe>` from `{host}` is dropped: it is not in `markdown.embeds`"),
            add.to_string(),
        ));
    }
    None
}

fn warning(range: std::ops::Range<usize>, message: String, hint: String) -> Problem {
    Problem {
        range,
        error: false,
        message,
        hint,
    }
}

/// `base`, the sanitizer of every text, extended for a text that keeps an
/// embed from `hosts`.
pub fn sanitizer(
    mut base: ammonia::Builder<'static>,
    hosts: &[String],
) -> ammonia::Builder<'static> {
    let hosts = hosts.to_vec();
    base.add_tags(["iframe"])
        .add_tag_attributes("iframe", ATTRIBUTES)
        .set_tag_attribute_value("iframe", "sandbox", SANDBOX)
        .set_tag_attribute_value("iframe", "loading", "lazy")
        .set_tag_attribute_value("iframe", "style", STYLE)
        .filter_style_properties(style_properties().chain(["display", "width"]).collect())
        .attribute_filter(move |element, attribute, value| {
            let embedded = |url: url::Url| {
                url.scheme() == "https" && hosts.iter().any(|h| Some(h.as_str()) == url.host_str())
            };
            match (element, attribute) {
                ("iframe", "src") => url::Url::parse(value)
                    .ok()
                    .filter(|url| embedded(url.clone()))
                    .map(|_| Cow::Borrowed(value)),
                _ => Some(Cow::Borrowed(value)),
            }
        });
    base
}
