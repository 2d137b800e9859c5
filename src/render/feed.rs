//! Feeds: Atom 1.0 (through the `atom.xml` template) and JSON Feed 1.1.
//!
//! Steps: pick the briefs of each feed (published only, newest first, at most
//! `feeds.count`): the main feed, one per tag, and the high-score feed of
//! briefs at or above `feeds.min_score`; build each entry once, with the
//! whole brief as HTML (body, scoring rationale, sources) and absolute URLs.

use std::fmt::Write;

use serde::Serialize;

use crate::content::brief::Brief;
use crate::content::schema::Status;
use crate::render::format::{DateForms, number};
use crate::render::view::{BriefSummary, FeedEntry, FeedView};
use crate::site::{Site, Taxonomy};
use crate::text::escape_html;

/// Which feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Feed {
    /// The newest briefs: `atom.xml` and `feed.json`.
    Main,
    /// The newest briefs of one tag: `tags/<slug>/atom.xml`.
    Tag(usize),
    /// The newest briefs at or above `feeds.min_score`: `high-score.xml`.
    HighScore,
}

/// Site paths of the feeds.
pub const ATOM: &str = "atom.xml";
pub const JSON_FEED: &str = "feed.json";
pub const HIGH_SCORE: &str = "high-score.xml";

impl Feed {
    /// Where the feed is written, under the output root.
    pub fn path(self, site: &Site) -> String {
        match self {
            Feed::Main => ATOM.to_string(),
            Feed::Tag(i) => format!(
                "{}atom.xml",
                Site::term_path(Taxonomy::Tags, &site.tags[i].slug)
            ),
            Feed::HighScore => HIGH_SCORE.to_string(),
        }
    }

    /// Indexes into `site.briefs` of the feed's briefs, newest first.
    fn briefs(self, site: &Site) -> Vec<usize> {
        let published = |&i: &usize| site.briefs[i].status == Status::Published;
        let all: Box<dyn Iterator<Item = usize>> = match self {
            Feed::Main => Box::new(0..site.briefs.len()),
            Feed::Tag(t) => Box::new(site.tags[t].briefs.iter().copied()),
            Feed::HighScore => Box::new(
                (0..site.briefs.len())
                    .filter(|&i| site.briefs[i].score >= site.config.feed_min_score),
            ),
        };
        all.filter(published).take(site.config.feed_count).collect()
    }

    fn title(self, site: &Site) -> String {
        match self {
            Feed::Main => site.config.title.clone(),
            Feed::Tag(i) => format!("{}: {}", site.config.title, site.tags[i].name),
            Feed::HighScore => format!(
                "{}: scores of {} and above",
                site.config.title,
                number(site.config.feed_min_score)
            ),
        }
    }

    /// The page the feed follows.
    fn home_path(self, site: &Site) -> String {
        match self {
            Feed::Tag(i) => Site::term_path(Taxonomy::Tags, &site.tags[i].slug),
            Feed::Main | Feed::HighScore => String::new(),
        }
    }
}

/// The whole brief as feed HTML. Links inside stay root-relative or
/// fragment-only; the Atom template sets `xml:base` to the brief's URL.
pub fn content_html(brief: &Brief, summary: &BriefSummary) -> String {
    let mut html = String::with_capacity(brief.content_html.len() + 2048);
    html.push_str(&brief.content_html);
    let _ = write!(
        html,
        "<h2 id=\"scoring-rationale\">Scoring rationale</h2>\n<p><strong>{} / {}: {}</strong></p>\n",
        summary.score.display,
        summary.score.scale,
        escape_html(&summary.score.band)
    );
    if !brief.factors.is_empty() {
        html.push_str("<ul>\n");
        for f in &brief.factors {
            let _ = write!(html, "<li>{}: {}", escape_html(&f.name), number(f.value));
            if let Some(note) = &f.note {
                let _ = write!(html, " ({})", escape_html(note));
            }
            html.push_str("</li>\n");
        }
        html.push_str("</ul>\n");
    }
    html.push_str(&brief.rationale_html);
    html.push_str("<h2 id=\"sources\">Sources</h2>\n<ol>\n");
    let mut cited: Vec<_> = brief
        .sources
        .iter()
        .filter(|s| s.number.is_some())
        .collect();
    cited.sort_by_key(|s| s.number);
    for s in cited {
        let n = s.number.unwrap_or_default();
        let _ = write!(
            html,
            "<li id=\"source-{n}\">{}. ",
            escape_html(&s.publisher)
        );
        match &s.url {
            Some(url) => {
                let _ = write!(
                    html,
                    "<a href=\"{}\">{}</a>",
                    escape_html(url),
                    escape_html(&s.title)
                );
            }
            None => html.push_str(&escape_html(&s.title)),
        }
        if let Some(date) = s.date {
            let _ = write!(html, ", {}", date.view().display);
        }
        html.push_str("</li>\n");
    }
    html.push_str("</ol>\n");
    html
}

/// The entries of a feed, given each brief's summary and content.
pub fn entries(
    site: &Site,
    feed: Feed,
    summaries: &[BriefSummary],
    content: &dyn Fn(usize) -> String,
) -> Vec<FeedEntry> {
    feed.briefs(site)
        .into_iter()
        .map(|i| {
            let s = &summaries[i];
            FeedEntry {
                title: s.title.clone(),
                url: site.absolute_url(&Site::brief_path(&s.slug)),
                published: s.date.rfc3339.clone(),
                updated: s.updated.as_ref().unwrap_or(&s.date).rfc3339.clone(),
                summary: s.summary.clone(),
                content: content(i),
                authors: s.authors.clone(),
                tags: s.tags.clone(),
                score: s.score.clone(),
            }
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
