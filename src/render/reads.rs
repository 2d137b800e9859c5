//! What the page families read while they fill their views ([`Reads`]):
//! the site, its templates, the site-wide view, each brief's summary, the
//! content-link resolver and the sources list, plus the lists a family
//! makes once for all its pages (the watchlist, the bands, the review
//! page's briefs, each brief's feed HTML). One `Reads` serves a whole
//! render, shared by every job; below the families, so they all name it.

use std::sync::OnceLock;

use tera::{Tera, Value};

use crate::render::feed_kind;
use crate::render::listing::pager;
use crate::render::record::{self, List, Read};
use crate::render::sources::Listed;
use crate::render::summaries::Summaries;
use crate::render::view::{
    BandLink, BandView, LinkView, PaginatorView, ScaleView, Shared, SiteLinks, SiteView,
};
use crate::render::watchlist::Watchlist;
use crate::site::Site;
use crate::site::content_links::Resolver;

/// A brief's feed HTML (or the template error), and what making it read.
pub(crate) type FeedContent = (Result<String, String>, Vec<Read>);

/// What every page's view may read, made once per render.
pub(crate) struct Reads<'a> {
    pub(crate) site: &'a Site,
    /// Each job's reads are noted in its record (`serve` asks; a build
    /// does not).
    pub(crate) recording: bool,
    pub(crate) tera: &'a Tera,
    pub(crate) site_view: SiteView,
    /// `site_view` as a template value, made once for every page.
    pub(crate) site_value: Value,
    pub(crate) summaries: Summaries<'a>,
    /// Turns content links (`@/briefs/x.md`) into URLs.
    pub(crate) links: Resolver<'a>,
    /// The sources list, sorted once for the sources pages and the data
    /// files.
    pub(crate) sources: Listed<'a>,
    /// Each taxonomy's view (every term and its count) as a template value,
    /// made once for all its term pages.
    pub(crate) taxonomies: [OnceLock<Value>; 2],
    /// Each brief's feed HTML (or the template error), made the first time
    /// a feed needs it and shared by every feed.
    /// With what making it read, when recording.
    pub(crate) feed_content: Vec<OnceLock<FeedContent>>,
    /// The whole watchlist, made once for all its pages.
    pub(crate) watchlist: OnceLock<Watchlist>,
    /// Each band's briefs and every band's link, made once for all the
    /// band pages (each page finding them anew made a build quadratic).
    pub(crate) bands: OnceLock<(Vec<Vec<usize>>, Vec<BandLink>)>,
    /// The review page's briefs: in review first, then drafts.
    pub(crate) unpublished: OnceLock<Vec<usize>>,
    /// Every brief's index, in order: the index pages' list.
    pub(crate) everything: OnceLock<Vec<usize>>,
}

impl<'a> Reads<'a> {
    /// The reads of a render of `site` through `tera`, the lists not made
    /// yet; `recording`, what each job reads is noted ([`record`]).
    pub(crate) fn new(site: &'a Site, tera: &'a Tera, recording: bool) -> Self {
        let site_view = site_view(site);
        Self {
            site,
            recording,
            tera,
            site_value: Value::from_serializable(&site_view),
            site_view,
            summaries: Summaries::new(site, recording),
            links: Resolver::new(site),
            sources: Listed::new(site),
            taxonomies: Default::default(),
            feed_content: site.briefs.iter().map(|_| OnceLock::new()).collect(),
            watchlist: OnceLock::new(),
            bands: OnceLock::new(),
            unpublished: OnceLock::new(),
            everything: OnceLock::new(),
        }
    }

    /// Notes `read` in the record of the job being rendered, when recording.
    pub(crate) fn note(&self, read: Read) {
        if self.recording {
            record::read(read);
        }
    }

    /// Page `n` (1-based) of the briefs `briefs` (indexes, in order) of
    /// `list`, with `url(k)` the URL of page `k`.
    pub(crate) fn paginate(
        &self,
        list: List,
        briefs: &[usize],
        n: usize,
        url: &dyn Fn(usize) -> String,
    ) -> PaginatorView {
        self.note(Read::ListPage(list, n));
        PaginatorView {
            briefs: Shared::new(
                &(self.site.pagination(briefs.len()).page(briefs, n))
                    .iter()
                    .map(|&i| &self.summaries[i])
                    .collect::<Vec<_>>(),
            ),
            total_briefs: briefs.len(),
            pager: pager(self.site, briefs.len(), n, url),
        }
    }
}

/// The site-wide view every page gets.
pub(crate) fn site_view(site: &Site) -> SiteView {
    let c = &site.config;
    SiteView {
        title: c.title.clone(),
        description: c.description.clone(),
        base_url: c.base_url.to_string(),
        root: c.root().to_string(),
        language: c.language.clone(),
        authors: c.authors.clone(),
        scoring: ScaleView {
            scale: c.scale,
            bands: c
                .bands
                .iter()
                .map(|b| BandView {
                    min: b.min,
                    label: b.label.clone(),
                    slug: b.slug.clone(),
                })
                .collect(),
        },
        pages: site
            .pages
            .iter()
            .filter(|p| p.in_nav)
            .map(|p| LinkView {
                title: p.title.clone(),
                url: site.url(&format!("{}/", p.slug)),
            })
            .collect(),
        drafts: site.drafts,
        links: SiteLinks {
            atom: site.url(feed_kind::ATOM),
            json_feed: site.url(feed_kind::JSON_FEED),
            high_score: site.url(feed_kind::HIGH_SCORE),
            search: site.url("search/"),
            watch: site.url("watch/"),
            watch_ics: site.url("watch.ics"),
        },
        generator: format!("briefs {}", env!("CARGO_PKG_VERSION")),
        stylesheets: c
            .stylesheets
            .iter()
            .map(|l| static_url(site, &l.path))
            .collect(),
        scripts: c
            .scripts
            .iter()
            .map(|l| static_url(site, &l.path))
            .collect(),
        extra: c.extra.clone(),
    }
}

/// The URL path of `path`, a file of `static/`, under the base path
/// (percent-encoded as a browser would).
fn static_url(site: &Site, path: &str) -> String {
    site.config
        .base_url
        .join(path)
        .map_or_else(|_| site.url(path), |url| url.path().to_string())
}
