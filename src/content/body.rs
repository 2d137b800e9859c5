//! The Markdown body: [`markdown`] renders it, in one walk over
//! pulldown-cmark's events, with its passes: callouts and fenced divs
//! ([`callouts`]), citations found in the text ([`citation_markdown`]),
//! recorded `@/` links ([`content_links`]), Mermaid diagrams
//! ([`diagrams`]), code highlighting ([`highlight`]), `<iframe>`s
//! ([`embeds`]), figures ([`figures`]), footnotes ([`footnotes`]), images
//! and their WebP variants ([`images`], [`variants`]), TeX math
//! ([`math`]) and raw HTML ([`raw_html`]).

pub(crate) mod callouts;
pub(crate) mod citation_markdown;
pub(crate) mod common;
pub(crate) mod content_links;
pub(crate) mod diagrams;
pub(crate) mod embeds;
pub(crate) mod figures;
pub(crate) mod footnotes;
pub(crate) mod highlight;
pub(crate) mod images;
pub mod markdown;
pub(crate) mod math;
pub(crate) mod raw_html;
pub(crate) mod variants;
