//! What a build renders: one [`Job`] per page or feed, and what a page
//! kind ([`Family`]) declares about its jobs. Below the render driver
//! (`render.rs`), the family list (`pages.rs`) and the families
//! (`pages/`), so all of them name it without importing each other.

use std::path::PathBuf;

use tera::Context;

use crate::render::feed_kind::Feed;
use crate::render::listing::{Published, SitemapEntry};
use crate::render::reads::Reads;
use crate::site::{Site, Taxonomy};

/// One template to render: a page, or an Atom feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Job {
    Index(usize),
    Brief(usize),
    TaxonomyList(Taxonomy),
    /// Page `n` (1-based) of term `i`'s listing.
    Term(Taxonomy, usize, usize),
    Page(usize),
    /// Page `n` (1-based) of the watchlist.
    Watch(usize),
    Search,
    NotFound,
    /// Page `n` (1-based) of the review page (only with `--drafts`).
    Review(usize),
    Top,
    /// Page `n` (1-based) of band `i`'s briefs.
    Band(usize, usize),
    /// Page `n` (1-based) of the sources.
    Sources(usize),
    Atom(Feed),
}

/// A page kind: a family of jobs (the index pages, the briefs, the feeds,
/// …), saying everything the driver and the sitemap ask of it. Each is one
/// module of `pages/`, listed once in `pages::FAMILIES`.
pub(crate) trait Family: Sync {
    /// Whether `job` is one of its pages.
    fn owns(&self, job: Job) -> bool;

    /// Its jobs, in order; `sources` is the number of sources the sources
    /// pages list (`serve` keeps it counted).
    fn jobs(&self, site: &Site, sources: usize) -> Vec<Job>;

    /// The template `job` renders.
    fn template(&self, job: Job) -> &'static str;

    /// `job`'s URL path under the site root (`briefs/x/`, `atom.xml`).
    fn url_path(&self, site: &Site, job: Job) -> String;

    /// Puts `job`'s view into `ctx`, reading from `reads`. A template error
    /// met on the way (a feed renders each entry's content) is the `Err`.
    fn view(&self, reads: &Reads<'_>, job: Job, ctx: &mut Context) -> Result<(), String>;

    /// The file `job` shows, when it shows one (a brief, a free page).
    fn source(&self, _site: &Site, _job: Job) -> Option<PathBuf> {
        None
    }

    /// Its entries in the sitemap, in order: none unless its pages show
    /// published content.
    fn sitemap_entries(&self, _published: &Published<'_, '_>) -> Vec<SitemapEntry> {
        Vec::new()
    }
}
