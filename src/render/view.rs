//! The template context: every value a Tera template can read.
//!
//! This module is the contract with template authors. Each page template gets
//! `site` (a [`SiteView`]) plus the values its page kind adds, all documented
//! here and in the README. Everything is pre-formatted (dates, scores, URLs)
//! so templates stay simple and rendering never recomputes per page.
//!
//! | template              | extra context                                     |
//! |-----------------------|---------------------------------------------------|
//! | `index.html`          | `paginator` ([`PaginatorView`])                   |
//! | `brief.html`          | `brief` ([`BriefView`])                           |
//! | `taxonomy_list.html`  | `taxonomy` ([`TaxonomyView`])                     |
//! | `taxonomy_term.html`  | `taxonomy` ([`TaxonomyView`]), `term` ([`TermView`]), `paginator` ([`PaginatorView`]) |
//! | `page.html`           | `page` ([`PageView`])                             |
//! | `watch.html`          | `watch` ([`WatchPageView`]), `paginator` ([`PagerView`]) |
//! | `search.html`         | nothing more                                      |
//! | `404.html`            | nothing more                                      |
//! | `review.html`         | `review` ([`ReviewView`]), `paginator` ([`PagerView`]), only with `--drafts` |
//! | `atom.xml`            | `feed` ([`FeedView`])                             |
//! | `feed_entry.html`     | `brief` ([`BriefView`]): a feed entry's content   |
//! | `top.html`            | `top` ([`TopView`])                               |
//! | `band.html`           | `band_page` ([`BandPageView`]), `paginator` ([`PaginatorView`]) |
//! | `sources.html`        | `sources_page` ([`SourcesPageView`]), `paginator` ([`PagerView`]) |
//!
//! On the first page of an entity, `term.history` ([`HistoryView`]) is set.
//! Listings are paginated by `per_page`: page `n` of the index, of a term, of
//! a band, of `sources/` and of `watch/` is at `page/<n>/` under page 1's URL.
//!
//! Every template also gets `page_url`: the page's own URL (root-relative, under
//! the site's base path) and `canonical_url`: the same, absolute.

use std::sync::Arc;

use serde::Serialize;

pub use super::shared::{Shared, Valued};

/// A heading in a brief's table of contents (made by the Markdown stage).
pub use crate::content::types::brief::TocEntry;

/// Site-wide values, the same on every page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteView {
    /// Site title from `site.yaml`.
    pub title: String,
    /// Site description from `site.yaml`.
    pub description: String,
    /// Absolute base URL, always ending in `/`, e.g. `https://example.org/briefs/`.
    pub base_url: String,
    /// The base URL's path, always starting and ending in `/`, e.g. `/briefs/`.
    /// Every internal link starts with it.
    pub root: String,
    /// Language tag for `<html lang>`.
    pub language: String,
    /// Default authors.
    pub authors: Vec<String>,
    /// The scoring scale and its bands.
    pub scoring: ScaleView,
    /// Free pages (about, methodology) for navigation: those without
    /// `in_nav: false`, by `weight`, then title.
    pub pages: Vec<LinkView>,
    /// True when the build includes drafts and briefs in review.
    pub drafts: bool,
    /// `briefs` and its version, for `<meta name="generator">`.
    pub generator: String,
    /// Feeds, search and watchlist.
    pub links: SiteLinks,
    /// URLs of the `stylesheets:` of `site.yaml`, linked after the theme's.
    pub stylesheets: Vec<String>,
    /// URLs of the `scripts:` of `site.yaml`, loaded with `defer`.
    pub scripts: Vec<String>,
    /// The free `extra` map from `site.yaml`.
    pub extra: serde_json::Value,
}

/// The scoring scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScaleView {
    /// Upper bound of every score.
    pub scale: f64,
    /// Bands, highest first.
    pub bands: Vec<BandView>,
}

/// One scoring band.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandView {
    /// Lower bound (inclusive).
    pub min: f64,
    /// Human label, e.g. `High`.
    pub label: String,
    /// Label as a CSS-safe slug, e.g. `high`, for `class="band-high"`.
    pub slug: String,
}

/// A title and a URL.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkView {
    /// The linked page's title.
    pub title: String,
    /// Its URL, root-relative.
    pub url: String,
}

/// A date in the forms templates need.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateView {
    /// `2026-05-14`, for `<time datetime>`.
    pub iso: String,
    /// `14 May 2026`, for readers.
    pub display: String,
    /// RFC 3339 timestamp, for feeds (`2026-05-14T00:00:00Z` for a date alone).
    pub rfc3339: String,
}

/// A tag or entity as it appears on a brief.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermRef {
    /// The name as written, e.g. `Société Générale`.
    pub name: String,
    /// Its slug, e.g. `societe-generale`.
    pub slug: String,
    /// URL of the term's page.
    pub url: String,
}

/// A score with its band, as the badge shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreBadge {
    /// The score, e.g. `7.5`.
    pub value: f64,
    /// The score as text, without a trailing `.0`: `7.5`, `8`.
    pub display: String,
    /// The scale's upper bound as text, e.g. `10`.
    pub scale: String,
    /// Band label, e.g. `Medium`.
    pub band: String,
    /// Band slug, e.g. `medium`.
    pub band_slug: String,
}

/// What every listing shows of a brief.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BriefSummary {
    /// The brief's title.
    pub title: String,
    /// The brief's slug, e.g. `amazon-trainium-external`.
    pub slug: String,
    /// URL of the brief page, e.g. `/briefs/briefs/amazon-trainium-external/`.
    pub url: String,
    /// Publication date.
    pub date: Arc<Valued<DateView>>,
    /// Last update (or newest correction), when there is one.
    pub updated: Option<Arc<Valued<DateView>>>,
    /// The dek, plain text.
    pub summary: String,
    /// Authors (the site's default authors when the brief names none).
    pub authors: Arc<Valued<Vec<String>>>,
    /// `published`, `review` or `draft`.
    pub status: String,
    /// True for `review` and `draft`.
    pub unpublished: bool,
    /// Tags, as written in the front matter.
    pub tags: Vec<Arc<Valued<TermRef>>>,
    /// Entities, as written in the front matter.
    pub entities: Vec<Arc<Valued<TermRef>>>,
    /// The score badge.
    pub score: Arc<Valued<ScoreBadge>>,
}

/// One row of the factor table.
#[derive(Debug, Clone, Serialize)]
pub struct FactorView {
    /// Factor name, e.g. `Evidence`.
    pub name: String,
    /// Factor score.
    pub value: f64,
    /// Factor score as text, without a trailing `.0`.
    pub display: String,
    /// Optional note, plain text.
    pub note: Option<String>,
}

/// The scoring-rationale section.
#[derive(Debug, Clone, Serialize)]
pub struct ScoreView {
    /// The score badge's fields, at the top level.
    #[serde(flatten)]
    pub badge: ScoreBadge,
    /// Rationale rendered from Markdown, with citation links (trusted HTML).
    pub rationale: String,
    /// The factor table's rows, in front-matter order.
    pub factors: Vec<FactorView>,
}

/// A link back from a source entry to one place that cites it.
#[derive(Debug, Clone, Serialize)]
pub struct BacklinkView {
    /// Fragment of the citation, e.g. `cite-1-2` (no `#`).
    pub id: String,
    /// Short label: `a`, `b`, `c`, … in order of the citations.
    pub label: String,
}

/// An entry of the sources section.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    /// Citation number; 0 for further reading (never cited).
    pub number: usize,
    /// Anchor of this entry, e.g. `source-1` (no `#`).
    pub anchor: String,
    /// The source id cited as `[@id]`.
    pub id: String,
    /// Anchor of its reference text, `ref-<key slug>` as Pandoc writes it.
    pub ref_id: String,
    /// The reference text formatted by the site's CSL style (sanitised
    /// HTML: output it with `| safe` inside `<div class="csl-entry">`).
    pub reference: String,
    /// Publisher, e.g. `Bloomberg`.
    pub publisher: String,
    /// Title of the article or document.
    pub title: String,
    /// Link to it (http or https), when given.
    pub url: Option<String>,
    /// Publication date, when given.
    pub date: Option<Arc<Valued<DateView>>>,
    /// Date accessed, when given.
    pub accessed: Option<Arc<Valued<DateView>>>,
    /// `news`, `primary`, `filing`, `report`, `data` or `interview`.
    pub kind: String,
    /// Capitalised kind, e.g. `Primary source`.
    pub kind_label: String,
    /// Reliability tier, when given.
    pub tier: Option<String>,
    /// One per place the source is cited, in order.
    pub backlinks: Vec<BacklinkView>,
}

/// A dated correction.
#[derive(Debug, Clone, Serialize)]
pub struct CorrectionView {
    /// When the correction was made.
    pub date: DateView,
    /// What was corrected, plain text.
    pub text: String,
}

/// A watch item.
#[derive(Debug, Clone, Serialize)]
pub struct WatchView {
    /// What to watch for.
    pub item: String,
    /// The date it is expected by, when given.
    pub by: Option<DateView>,
}

/// Everything a brief page shows.
#[derive(Debug, Clone, Serialize)]
pub struct BriefView {
    /// The listing fields, at the top level.
    #[serde(flatten)]
    pub summary: BriefSummary,
    /// Body rendered from Markdown (trusted HTML: output it with `| safe`).
    pub content: String,
    /// True when the body or the rationale has a Mermaid diagram: the page
    /// then loads the diagram script (`partials/diagrams.html`).
    pub diagrams: bool,
    /// Table of contents: the body's H2 and H3 headings.
    pub toc: Vec<TocEntry>,
    /// The scoring-rationale section.
    pub score: ScoreView,
    /// Cited sources, by number.
    pub sources: Vec<SourceView>,
    /// Sources never cited.
    pub further_reading: Vec<SourceView>,
    /// Watch items, in front-matter order.
    pub watch: Vec<WatchView>,
    /// Corrections, oldest first.
    pub corrections: Vec<CorrectionView>,
    /// The next older brief.
    pub previous: Option<LinkView>,
    /// The next newer brief.
    pub next: Option<LinkView>,
    /// The brief's free `extra` map from its front matter.
    pub extra: serde_json::Value,
}

/// One page of a listing of briefs (the index, a term, a band).
#[derive(Debug, Clone, Serialize)]
pub struct PaginatorView {
    /// The briefs on this page, newest first.
    pub briefs: Shared<Vec<BriefSummary>>,
    /// Number of briefs listed across all pages.
    pub total_briefs: usize,
    /// The page links, at the top level.
    #[serde(flatten)]
    pub pager: PagerView,
}

/// Where a page sits in a paginated listing, and the links to the others:
/// the `paginator` of `sources.html`, `watch.html` and `review.html`, and the
/// link fields of every `PaginatorView`. `partials/pagination.html` needs
/// only these.
#[derive(Debug, Clone, Serialize)]
pub struct PagerView {
    /// 1-based page number.
    pub number: usize,
    /// Number of pages of the listing.
    pub total_pages: usize,
    /// URL of the previous page (newer, or earlier in the list), if any.
    pub previous: Option<String>,
    /// URL of the next page (older, or later in the list), if any.
    pub next: Option<String>,
    /// Numbered pagination links: the first and last pages and two on each
    /// side of this one.
    pub pages: Vec<PageLink>,
}

/// A numbered pagination link.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    /// 1-based page number.
    pub number: usize,
    /// URL of that page.
    pub url: String,
    /// True for the page being rendered.
    pub current: bool,
    /// True when pages between the previous link and this one are skipped
    /// (show an ellipsis).
    pub gap_before: bool,
}

/// A taxonomy (tags or entities).
#[derive(Debug, Clone, Serialize)]
pub struct TaxonomyView {
    /// `tags` or `entities`.
    pub kind: String,
    /// `Tags` or `Entities`.
    pub title: String,
    /// URL of the list page.
    pub url: String,
    /// Every term, sorted by name (case-insensitive).
    pub terms: Vec<TermCount>,
}

/// A term with how many briefs carry it.
#[derive(Debug, Clone, Serialize)]
pub struct TermCount {
    /// The term's fields, at the top level.
    #[serde(flatten)]
    pub term: TermRef,
    /// How many briefs carry it.
    pub count: usize,
}

/// One term's page.
#[derive(Debug, Clone, Serialize)]
pub struct TermView {
    /// The term's fields, at the top level.
    #[serde(flatten)]
    pub term: TermRef,
    /// The briefs of this page of its listing, newest first (the same as
    /// `paginator.briefs`).
    pub briefs: Shared<Vec<BriefSummary>>,
    /// Number of briefs of the term, across all its pages.
    pub total_briefs: usize,
    /// Score history of all its briefs, for entities, on the first page only.
    pub history: Option<HistoryView>,
}

/// A free page from `content/pages/`.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    /// The page's title.
    pub title: String,
    /// The page's slug: its URL segment.
    pub slug: String,
    /// The page's URL, root-relative.
    pub url: String,
    /// The `summary` from its front matter, when given.
    pub summary: Option<String>,
    /// Body rendered from Markdown (trusted HTML).
    pub content: String,
    /// True when the body has a Mermaid diagram: the page then loads the
    /// diagram script (`partials/diagrams.html`).
    pub diagrams: bool,
    /// Table of contents: the body's H2 and H3 headings.
    pub toc: Vec<TocEntry>,
    /// The page's free `extra` map from its front matter.
    pub extra: serde_json::Value,
}

/// Where the site's feeds and tools live, for `<link rel="alternate">` and navigation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteLinks {
    /// Atom feed of the newest briefs.
    pub atom: String,
    /// JSON Feed of the newest briefs.
    pub json_feed: String,
    /// Atom feed of the highest-scored briefs.
    pub high_score: String,
    /// The search page.
    pub search: String,
    /// The watchlist page.
    pub watch: String,
    /// The watchlist as a calendar.
    pub watch_ics: String,
}

/// An Atom feed (`atom.xml`).
#[derive(Debug, Clone, Serialize)]
pub struct FeedView {
    /// Feed title.
    pub title: String,
    /// Feed subtitle (the site description).
    pub subtitle: String,
    /// Absolute URL of the feed itself.
    pub url: String,
    /// Absolute URL of the page the feed follows.
    pub home_url: String,
    /// RFC 3339: the newest entry's update.
    pub updated: String,
    /// The feed's briefs, newest first.
    pub entries: Vec<FeedEntry>,
}

/// One brief in a feed.
#[derive(Debug, Clone, Serialize)]
pub struct FeedEntry {
    /// The brief's title.
    pub title: String,
    /// Absolute URL, also the entry's id.
    pub url: String,
    /// RFC 3339.
    pub published: String,
    /// RFC 3339; the publication date when never updated.
    pub updated: String,
    /// The brief's summary, plain text.
    pub summary: String,
    /// The whole brief as HTML: body, scoring rationale, sources. Escape it
    /// (the default) inside `<content type="html">`.
    pub content: String,
    /// The brief's authors.
    pub authors: Arc<Valued<Vec<String>>>,
    /// Tags, for Atom categories.
    pub tags: Vec<Arc<Valued<TermRef>>>,
    /// The score badge.
    pub score: Arc<Valued<ScoreBadge>>,
}

/// A watch item on the watchlist page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WatchEntry {
    /// What to watch for.
    pub item: String,
    /// The date it is expected by, when given.
    pub by: Option<DateView>,
    /// The brief it comes from.
    pub brief: LinkView,
    /// The score badge of the brief it comes from.
    pub score: ScoreBadge,
}

/// One page of the watchlist (`watch.html`): the dated items, soonest
/// first, then the undated ones, `per_page` items a page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WatchPageView {
    /// This page's items with a date, soonest first.
    pub dated: Vec<WatchEntry>,
    /// This page's items without a date, newest brief first.
    pub undated: Vec<WatchEntry>,
    /// Items with a date, across all pages.
    pub total_dated: usize,
    /// Items without a date, across all pages.
    pub total_undated: usize,
}

/// An unpublished brief on the review page.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewEntry {
    /// The unpublished brief.
    pub brief: BriefSummary,
    /// What is left to do: warnings (`path:line:col: warning: …`) and missing
    /// optional parts, in plain words.
    pub notes: Vec<String>,
    /// The same notes as HTML (print with `| safe`): each `` `name` `` in
    /// `<code>`, as the terminal shows it in backticks.
    pub notes_html: Vec<String>,
}

/// One page of the review page (`review.html`), built only with `--drafts`.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewView {
    /// This page's briefs: those in `review` status, then drafts, each newest first.
    pub briefs: Vec<ReviewEntry>,
    /// Number of unpublished briefs across all pages.
    pub total_briefs: usize,
}

/// The top page (`top.html`): the highest-scored briefs of a recent window.
#[derive(Debug, Clone, Serialize)]
pub struct TopView {
    /// The window's length in days (`top.days` in site.yaml).
    pub days: u32,
    /// The window: from `since` to `until` (the newest brief's date).
    pub since: Option<DateView>,
    /// The window's end: the newest published brief's date.
    pub until: Option<DateView>,
    /// Highest score first, then newest.
    pub briefs: Vec<BriefSummary>,
    /// Every band, with its page.
    pub bands: Vec<BandLink>,
}

/// A band and its page.
#[derive(Debug, Clone, Serialize)]
pub struct BandLink {
    /// The band's fields, at the top level.
    #[serde(flatten)]
    pub band: BandView,
    /// URL of the band's page.
    pub url: String,
    /// Published briefs in the band.
    pub count: usize,
}

/// One page of a band's briefs (`band.html`).
#[derive(Debug, Clone, Serialize)]
pub struct BandPageView {
    /// The band this page lists.
    pub band: BandLink,
    /// The score range in words, e.g. `8 to 10`, `5 to under 8`.
    pub range: String,
    /// The scale's upper bound as text, e.g. `10`.
    pub scale: String,
    /// This page's briefs, newest first (the same as `paginator.briefs`;
    /// `band.count` counts them all).
    pub briefs: Shared<Vec<BriefSummary>>,
    /// Every band, with its page, for navigation.
    pub bands: Vec<BandLink>,
}

/// A term's score history (entity pages): its briefs by date with scores.
/// A long history is summarised by month, so the page stays small: every
/// brief and its score is still on the term's listing pages.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryView {
    /// Number of briefs on the history.
    pub total_briefs: usize,
    /// The oldest brief's date.
    pub since: DateView,
    /// The newest brief's date.
    pub until: DateView,
    /// True when the history has more than 40 briefs, too many to show one
    /// by one: `points` is then empty and `months` summarises them.
    pub summarised: bool,
    /// Every brief, oldest first; empty when `summarised`.
    pub points: Vec<HistoryPoint>,
    /// Each month with briefs, oldest first, with their scores summed up.
    pub months: Vec<HistoryMonth>,
    /// An inline SVG chart (trusted markup, with its own `<title>` and
    /// `<desc>`): each brief's score, or when `summarised` each month's mean
    /// and range; empty with fewer than two points to draw.
    pub svg: String,
}

/// One month of a score history.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryMonth {
    /// `2026-05`, for `<time datetime>`.
    pub iso: String,
    /// `May 2026`, for readers.
    pub display: String,
    /// Briefs dated that month.
    pub briefs: usize,
    /// Their mean score as text, to one decimal: `6.4`.
    pub mean: String,
    /// Their lowest score as text.
    pub min: String,
    /// Their highest score as text.
    pub max: String,
}

/// One brief on a score history.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryPoint {
    /// The brief's date.
    pub date: Arc<Valued<DateView>>,
    /// The brief's score badge.
    pub score: ScoreBadge,
    /// The brief's title.
    pub title: String,
    /// The brief's URL.
    pub url: String,
}

/// A source on the sources page, with the briefs citing it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceIndexEntry {
    /// Anchor of its reference text, `ref-<key slug>` (unique on its page).
    pub ref_id: String,
    /// The reference text formatted by the site's CSL style (sanitised
    /// HTML: output it with `| safe`).
    pub reference: String,
    /// Publisher.
    pub publisher: String,
    /// Title of the article or document.
    pub title: String,
    /// Link to it, when known.
    pub url: Option<String>,
    /// Capitalised kind, e.g. `Primary source`.
    pub kind_label: String,
    /// Reliability tier, when given.
    pub tier: Option<String>,
    /// The registry id, for sources from `sources.yaml`.
    pub registry_id: Option<String>,
    /// The briefs citing it.
    pub briefs: Vec<LinkView>,
}

/// One page of the sources (`sources.html`), `per_page` sources a page.
#[derive(Debug, Clone, Serialize)]
pub struct SourcesPageView {
    /// This page's sources, by publisher, then title.
    pub sources: Vec<SourceIndexEntry>,
    /// Number of sources across all pages.
    pub total_sources: usize,
}
