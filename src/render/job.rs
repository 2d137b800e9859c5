//! What a build renders: one [`Job`] per page or feed. Below the render
//! driver (`render.rs`) and the page kinds (`pages/`), so both name it
//! without importing each other; which family makes, names and fills each
//! job is the business of the driver and the families.

use crate::render::feed::Feed;
use crate::site::Taxonomy;

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
