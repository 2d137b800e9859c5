//! What the page kinds share about listings: a listing page's pager (its
//! links to the other pages), what a sitemap entry is, and how a paginated
//! listing's pages are dated (by the newest brief each shows). Below the
//! families (`pages/`) and the sitemap, which all read it.

use std::fmt::Write;

use crate::content::types::brief::published;
use crate::content::types::date::BriefDate;
use crate::render::sources::Listed;
use crate::render::view::{PageLink, PagerView};
use crate::site::Site;

/// The links of page `n` (1-based) of a listing of `count` items, with
/// `url(k)` the URL of page `k`.
pub(crate) fn pager(
    site: &Site,
    count: usize,
    n: usize,
    url: &dyn Fn(usize) -> String,
) -> PagerView {
    let total_pages = site.pagination(count).pages();
    PagerView {
        number: n,
        total_pages,
        previous: (n > 1).then(|| url(n - 1)),
        next: (n < total_pages).then(|| url(n + 1)),
        pages: page_window(n, total_pages)
            .into_iter()
            .map(|(k, gap)| PageLink {
                number: k,
                url: url(k),
                current: k == n,
                gap_before: gap,
            })
            .collect(),
    }
}

/// The URL of page `k` (1-based) of a listing whose first page is at the
/// URL `first`: `first` itself, then `page/<k>/` under it, as
/// [`Site::index_path`] adds. A path's URL is its parts' URLs one after
/// the other (each character is encoded alone), so this is what `site.url`
/// of the whole path gives, without making the path and its URL anew for
/// each link of each page.
pub(crate) fn page_url(first: &str, k: usize) -> String {
    let mut url = String::with_capacity(first.len() + 16);
    url.push_str(first);
    if k > 1 {
        write!(url, "page/{k}/").expect("writing to a String never fails");
    }
    url
}

/// The page numbers a paginator links: the first, the last and two on each
/// side of the current one, each with whether pages were skipped before it.
/// Listing every page would make each index page grow with the site.
fn page_window(current: usize, total: usize) -> Vec<(usize, bool)> {
    let near = current.saturating_sub(2).max(1)..=(current + 2).min(total);
    let mut numbers: Vec<usize> = std::iter::once(1)
        .chain(near)
        .chain(std::iter::once(total))
        .collect();
    numbers.dedup();
    numbers.sort_unstable();
    numbers.dedup();
    let mut last = 0;
    numbers
        .into_iter()
        .map(|k| {
            let gap = k > last + 1;
            last = k;
            (k, gap)
        })
        .collect()
}

/// One sitemap entry: a site path and its last modification.
pub(crate) struct SitemapEntry {
    pub(crate) path: String,
    pub(crate) lastmod: Option<BriefDate>,
}

/// What the sitemap's entries read: the site, its published briefs and the
/// sources list.
pub(crate) struct Published<'a, 's> {
    pub(crate) site: &'a Site,
    /// Every published brief's index, in the site's order.
    pub(crate) briefs: Vec<usize>,
    /// The newest change among them: the date of a page that shows none.
    pub(crate) newest: Option<BriefDate>,
    pub(crate) sources: &'a Listed<'s>,
}

impl<'a, 's> Published<'a, 's> {
    /// The published briefs of `site`, with its sources list.
    pub(crate) fn new(site: &'a Site, sources: &'a Listed<'s>) -> Self {
        let briefs: Vec<usize> = published(&site.briefs).collect();
        let newest = newest(site, briefs.iter().copied());
        Published {
            site,
            briefs,
            newest,
            sources,
        }
    }
}

/// When brief `i` last changed: its update, else its publication.
pub(crate) fn modified(site: &Site, i: usize) -> BriefDate {
    let b = &site.briefs[i];
    b.updated.unwrap_or(b.date)
}

/// The newest change among the published ones of `briefs`.
pub(crate) fn newest(site: &Site, briefs: impl IntoIterator<Item = usize>) -> Option<BriefDate> {
    briefs
        .into_iter()
        .filter(|&i| site.briefs[i].is_published())
        .map(|i| modified(site, i))
        .max()
}

/// The pages of a paginated listing of published items ([`pages_of`], at
/// least one): page `n` at `path(n)`, dated by the newest of the briefs it
/// shows (`pages[n - 1]`), or `fallback` when it shows none.
pub(crate) fn listing_entries(
    site: &Site,
    pages: Vec<Vec<usize>>,
    path: &dyn Fn(usize) -> String,
    fallback: Option<BriefDate>,
) -> Vec<SitemapEntry> {
    pages
        .into_iter()
        .enumerate()
        .map(|(k, shown)| SitemapEntry {
            path: path(k + 1),
            lastmod: newest(site, shown).or(fallback),
        })
        .collect()
}

/// Items (each shown by some briefs) cut into pages (at least one), each
/// page as the briefs its items show.
pub(crate) fn pages_of<T: AsRef<[usize]>>(site: &Site, items: &[T]) -> Vec<Vec<usize>> {
    let listing = site.pagination(items.len());
    (listing.numbers())
        .map(|n| {
            (listing.page(items, n).iter())
                .flat_map(|i| i.as_ref().iter().copied())
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::Taxonomy;

    #[test]
    fn page_urls_are_the_urls_of_the_page_paths() {
        // `Site::url` is the site's root, then the path encoded.
        let url = |path: &str| format!("/root/{}", crate::site::encoded(path));
        for slug in ["ai", "東京", "a b", "ü%"] {
            let first = url(&Site::term_path(Taxonomy::Tags, slug));
            for k in [1, 2, 10, 123] {
                assert_eq!(
                    page_url(&first, k),
                    url(&Site::term_page_path(Taxonomy::Tags, slug, k))
                );
            }
        }
    }

    #[test]
    fn page_windows_keep_the_ends_and_the_neighbours() {
        assert_eq!(page_window(1, 1), [(1, false)]);
        assert_eq!(page_window(1, 3), [(1, false), (2, false), (3, false)]);
        assert_eq!(
            page_window(10, 500),
            [
                (1, false),
                (8, true),
                (9, false),
                (10, false),
                (11, false),
                (12, false),
                (500, true)
            ]
        );
        assert_eq!(
            page_window(500, 500),
            [(1, false), (498, true), (499, false), (500, false)]
        );
    }
}
