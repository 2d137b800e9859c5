//! Feeds: Atom 1.0 (through the `atom.xml` template) and JSON Feed 1.1.
//!
//! Steps: pick the briefs of each feed (published only, newest first, at most
//! `feeds.count`): the main feed, one per tag, and the high-score feed of
//! briefs at or above `feeds.min_score`; build each entry once, with the
//! whole brief as HTML (body, then the scoring rationale and sources through
//! the brief page's partials, by the `feed_entry.html` template) and
//! absolute URLs.

use std::sync::Arc;

use serde::Serialize;
use tera::{Context, Tera};

use crate::render::feed_kind::{Feed, JSON_FEED};
use crate::render::feed_urls;
use crate::render::summaries::Summaries;
use crate::render::template_error;
use crate::render::view::{BriefView, FeedEntry, FeedView, SiteView};
use crate::site::Site;

/// The template of a feed entry's content: the brief's body, then its
/// scoring rationale and sources through the brief page's own partials.
pub const ENTRY_TEMPLATE: &str = "feed_entry.html";

/// The whole brief as feed HTML, from the view the brief page gets, with its
/// links and images made absolute against the brief's URL (`feed_urls`).
pub fn content_html(
    tera: &Tera,
    site: &Site,
    site_view: &SiteView,
    brief: &BriefView,
) -> Result<String, String> {
    let path = Site::brief_path(&brief.summary.slug);
    let mut ctx = Context::new();
    ctx.insert("site", site_view);
    ctx.insert("brief", brief);
    ctx.insert("page_url", &site.url(&path));
    let canonical = site.absolute_url(&path);
    ctx.insert("canonical_url", &canonical);
    let html = tera
        .render(ENTRY_TEMPLATE, &ctx)
        .map_err(|e| template_error::describe(&e))?;
    Ok(feed_urls::absolute(&html, &canonical))
}

/// The entries of a feed, given each brief's summary and content.
pub fn entries(
    site: &Site,
    feed: Feed,
    summaries: &Summaries<'_>,
    content: &dyn Fn(usize) -> Result<String, String>,
) -> Result<Vec<FeedEntry>, String> {
    feed.briefs(site)
        .into_iter()
        .map(|i| {
            let s = &summaries[i];
            Ok(FeedEntry {
                title: s.title.clone(),
                url: site.absolute_url(&Site::brief_path(&s.slug)),
                published: s.date.rfc3339.clone(),
                updated: s.updated.as_ref().unwrap_or(&s.date).rfc3339.clone(),
                summary: s.summary.clone(),
                content: content(i)?,
                authors: Arc::clone(&s.authors),
                tags: s.tags.clone(),
                score: Arc::clone(&s.score),
            })
        })
        .collect()
}

/// The view the `atom.xml` template renders.
pub fn atom_view(site: &Site, feed: Feed, entries: Vec<FeedEntry>) -> FeedView {
    // The newest update among the entries, so the output never depends on the clock.
    let updated = entries
        .iter()
        .map(|e| e.updated.as_str())
        .max_by_key(|u| u.parse::<jiff::Timestamp>().ok())
        .unwrap_or("1970-01-01T00:00:00Z")
        .to_string();
    FeedView {
        title: feed.title(site),
        subtitle: site.config.description.clone(),
        url: site.absolute_url(&feed.path(site)),
        home_url: site.absolute_url(&feed.home_path(site)),
        updated,
        entries,
    }
}

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: String,
    feed_url: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    language: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<JsonAuthor<'a>>,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonAuthor<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    summary: &'a str,
    content_html: &'a str,
    date_published: &'a str,
    date_modified: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<JsonAuthor<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
    #[serde(rename = "_briefs")]
    score: JsonScore<'a>,
}

/// JSON Feed extension (`_briefs`): the score, for readers that show it.
#[derive(Serialize)]
struct JsonScore<'a> {
    score: f64,
    scale: &'a str,
    band: &'a str,
}

/// `feed.json`: JSON Feed 1.1 of the main feed's entries.
pub fn json_feed(site: &Site, entries: &[FeedEntry]) -> Vec<u8> {
    let c = &site.config;
    let feed = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &c.title,
        home_page_url: site.absolute_url(""),
        feed_url: site.absolute_url(JSON_FEED),
        description: &c.description,
        language: &c.language,
        authors: c.authors.iter().map(|name| JsonAuthor { name }).collect(),
        items: entries
            .iter()
            .map(|e| JsonItem {
                id: &e.url,
                url: &e.url,
                title: &e.title,
                summary: &e.summary,
                content_html: &e.content,
                date_published: &e.published,
                date_modified: &e.updated,
                authors: e.authors.iter().map(|name| JsonAuthor { name }).collect(),
                tags: e.tags.iter().map(|t| t.name.as_str()).collect(),
                score: JsonScore {
                    score: e.score.value,
                    scale: &e.score.scale,
                    band: &e.score.band,
                },
            })
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&feed).expect("a feed always serializes");
    bytes.push(b'\n');
    bytes
}
