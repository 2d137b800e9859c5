//! Content links: `[text](@/briefs/x.md)` names a content file, not a URL,
//! and becomes the URL of what that file builds under the current base path.
//! A brief's slug may differ from its file name, and the base path differs
//! between `serve` (`/`) and a build (`/briefs/`, say), so only the build can
//! write the URL; a relative or root-relative link cannot be right for both.
//!
//! Targets: `@/briefs/<file>.md`, `@/briefs/<bundle>/index.md`, a bundle's
//! files `@/briefs/<bundle>/<file>`, `@/pages/<file>.md` and
//! `@/static/<path>`; each may end with `#anchor`.
//!
//! Steps, by stage: the Markdown pass records every link and image of a
//! text with its place in the file ([`record`], here); the brief or page
//! keeps them, its HTML still holding `href="@/…"`. Once the model is built,
//! the site stage (`site/content_links.rs`) reports a content link whose
//! target the build does not write, located, with the closest existing
//! path, and rendering replaces each `@/…` by the target's URL, so an
//! unchanged brief parsed in an earlier `serve` rebuild still gets its
//! targets' current URLs (`serve/invalidate.rs` re-renders the pages whose
//! targets moved). The records also let the link check point at the
//! Markdown line of a broken link (`output/locate.rs`).

use std::ops::Range;
use std::path::Path;

use percent_encoding::percent_decode_str;
use pulldown_cmark::{Event, Tag};

use crate::content::types::brief::Link;

/// What starts a content link.
pub const PREFIX: &str = "@/";

/// Records the link or image that `event` starts, found at `at` in the
/// file, and passes the event on.
pub fn record<'e>(event: Event<'e>, at: Range<usize>, links: &mut Vec<Link>) -> Event<'e> {
    if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &event {
        links.push(Link {
            dest: dest_url.to_string(),
            at,
        });
    }
    event
}

/// Moves the links of a YAML scalar rendered on its own (the score
/// rationale, whose value starts at `offset` of `text`) to file offsets.
pub fn relocate(mut links: Vec<Link>, value: &str, text: &str, offset: usize) -> Vec<Link> {
    if links.is_empty() {
        return links;
    }
    let map = crate::content::matter::front_matter::value_offsets(value, text, offset);
    for link in &mut links {
        link.at = match &map {
            Some(map) => map[link.at.start]..map[link.at.end].max(map[link.at.start]),
            None => offset..offset,
        };
    }
    links
}

/// The content path a `@/` destination names (percent-decoded), and its
/// fragment; `None` for any other destination.
pub(crate) fn split(dest: &str) -> Option<(String, Option<&str>)> {
    let rest = dest.strip_prefix(PREFIX)?;
    let (path, fragment) = match rest.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (rest, None),
    };
    let path = percent_decode_str(path).decode_utf8_lossy().into_owned();
    Some((path, fragment))
}

/// A site-relative path as a content link names it: `content/briefs/x.md`
/// is `briefs/x.md`; separators are `/`.
pub(crate) fn content_key(path: &Path) -> String {
    let path = path.strip_prefix("content").unwrap_or(path);
    crate::text::url_path(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_decodes_the_path_and_keeps_the_fragment() {
        assert_eq!(
            split("@/briefs/b/chart%20one.png#x"),
            Some(("briefs/b/chart one.png".to_string(), Some("x")))
        );
        assert_eq!(
            split("@/pages/about.md"),
            Some(("pages/about.md".to_string(), None))
        );
        assert_eq!(split("/briefs/x/"), None);
        assert_eq!(split("briefs/@/x"), None);
    }

    #[test]
    fn content_keys_drop_the_content_folder() {
        assert_eq!(content_key(Path::new("content/briefs/x.md")), "briefs/x.md");
        assert_eq!(
            content_key(Path::new("content/briefs/b/index.md")),
            "briefs/b/index.md"
        );
    }
}
