//! The watchlist's pages (`watch/`, then `watch/page/<n>/`): every watch
//! item of the published briefs, dated ones soonest first, paginated like
//! the index. Its jobs, URLs, view and sitemap entries; the list itself and
//! `watch.ics` are made in [`crate::render::watchlist`].

use tera::Context;

use crate::content::date::BriefDate;
use crate::render::job::Job;
use crate::render::listing::{SitemapEntry, listing_entries, pager, pages_of};
use crate::render::watchlist::{self, Watchlist};
use crate::site::Site;

/// One job per page of the watchlist.
pub(crate) fn jobs(site: &Site) -> impl Iterator<Item = Job> {
    site.pagination(watchlist::count(site))
        .numbers()
        .map(Job::Watch)
}

/// The URL path of page `n` (1-based).
pub(crate) fn url_path(n: usize) -> String {
    watchlist::page_path(n)
}

/// Page `n` of `list`, the site's watchlist: `watch` and `paginator`.
pub(crate) fn view(site: &Site, list: &Watchlist, n: usize, ctx: &mut Context) {
    let url = |k: usize| site.url(&url_path(k));
    let listing = site.pagination(list.entries.len());
    ctx.insert("watch", &watchlist::page_view(list, listing, n));
    ctx.insert("paginator", &pager(site, list.entries.len(), n, &url));
}

/// Every page, dated by the newest brief it shows (`fallback` when none).
pub(crate) fn sitemap_entries(site: &Site, fallback: Option<BriefDate>) -> Vec<SitemapEntry> {
    let watch: Vec<[usize; 1]> = (watchlist::watchlist(site).briefs.into_iter())
        .map(|i| [i])
        .collect();
    listing_entries(site, pages_of(site, &watch), &url_path, fallback)
}
