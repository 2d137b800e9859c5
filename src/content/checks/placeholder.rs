//! The scaffold's placeholders, defined once: `briefs init` and `briefs new`
//! write them, and the checks here find them left in a site.
//!
//! - A published brief still holding a placeholder phrase or the placeholder
//!   source URL gets a `placeholder` warning at each one (an error under
//!   `--strict`); an unpublished brief lists them on the review page.
//! - `base_url` left at [`BASE_URL`] is a warning on `build` (a served site
//!   sets its own base URL, so `serve` never warns).

use std::ops::Range;
use std::path::Path;

use crate::content::checks::validate::Ctx;
use crate::content::matter::schema::BriefMatter;
use crate::content::types::brief::Status;
use crate::diagnostic::{Diagnostic, Diagnostics};

/// The sample summary.
pub const SUMMARY: &str = "One or two sentences: what happened and why it matters.";
/// The sample score rationale.
pub const RATIONALE: &str = "Why this score, citing the evidence";
/// The sample lede.
pub const LEDE: &str = "The lede: the news in one paragraph";
/// The sample source's title.
pub const SOURCE_TITLE: &str = "Title of the article or document";
/// The sample source's URL.
pub const SOURCE_URL: &str = "https://example.org/";
/// `base_url` in the `site.yaml` that `briefs init` writes.
pub const BASE_URL: &str = "https://example.org/";

/// The placeholder phrases, found anywhere in a brief's file.
const PHRASES: [&str; 4] = [SUMMARY, RATIONALE, LEDE, SOURCE_TITLE];

/// Each placeholder left in a brief: its byte range in the file and what it is.
pub fn find(ctx: &Ctx<'_>, matter: &BriefMatter) -> Vec<(Range<usize>, String)> {
    // memchr's vectorised search: every brief's whole file is searched for
    // each phrase, and the standard library's search was 1% of a build.
    let mut found: Vec<(Range<usize>, String)> = PHRASES
        .iter()
        .flat_map(|phrase| {
            memchr::memmem::find_iter(ctx.text.as_bytes(), phrase).map(move |at| {
                (
                    at..at + phrase.len(),
                    format!("placeholder text “{phrase}”"),
                )
            })
        })
        .collect();
    let sources = matter.sources.as_ref().map_or(&[][..], |s| &s.value[..]);
    for source in sources {
        if let Some(url) = source.url.as_ref().filter(|u| u.value.trim() == SOURCE_URL) {
            let what = format!(
                "placeholder URL `{SOURCE_URL}` for source `{}`",
                source.id.value
            );
            found.push((ctx.range(&url.referenced), what));
        }
    }
    found.sort_by_key(|(range, _)| range.start);
    found
}

/// Warns about each placeholder of a published brief.
pub fn check(ctx: &Ctx<'_>, matter: &BriefMatter, out: &mut Diagnostics) {
    if matter.status != Status::Published {
        return;
    }
    for (range, what) in find(ctx, matter) {
        out.push(
            Diagnostic::warning_in(
                ctx.path,
                ctx.text,
                &ctx.lines,
                range,
                format!("{what} is still in this published brief"),
            )
            .with_hint("replace it with the brief's own text and sources before publishing")
            .with_code("placeholder"),
        );
    }
}

/// What the review page lists for an unpublished brief's placeholders.
pub fn review_notes(ctx: &Ctx<'_>, matter: &BriefMatter) -> Vec<String> {
    if matter.status == Status::Published {
        return Vec::new();
    }
    find(ctx, matter)
        .into_iter()
        .map(|(range, what)| {
            let at = crate::diagnostic::locate_in(&ctx.lines, ctx.text, range);
            format!("{what} on line {}", at.line)
        })
        .collect()
}

/// The warning for a `site.yaml` whose `base_url` is still [`BASE_URL`].
pub fn base_url_warning(root: &Path, base_url: &url::Url) -> Option<Diagnostic> {
    if base_url.as_str() != BASE_URL {
        return None;
    }
    let path = Path::new(crate::content::config::FILE_NAME);
    let text = std::fs::read_to_string(root.join(path)).unwrap_or_default();
    let range = text
        .find("base_url:")
        .and_then(|key| {
            let written = BASE_URL.trim_end_matches('/');
            let value = key + text[key..].find(written)?;
            Some(value..value + written.len())
        })
        .unwrap_or(0..0);
    Some(
        Diagnostic::warning(
            path,
            &text,
            range,
            format!("`base_url` is still the placeholder `{BASE_URL}` from `briefs init`"),
        )
        .with_hint("set it to the address the site is published at, or pass --base-url")
        .with_code("placeholder"),
    )
}
