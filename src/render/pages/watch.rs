//! The watchlist's pages (`watch/`, then `watch/page/<n>/`): every watch
//! item of the published briefs, dated ones soonest first, paginated like
//! the index. Its jobs, URLs, view and sitemap entries; the list itself and
//! `watch.ics` are made in [`crate::render::watchlist`]. Reads the published
//! briefs' watch items, titles and scores.

use tera::Context;

use crate::render::job::{Family, Job};
use crate::render::listing::{Published, SitemapEntry, listing_entries, pager, pages_of};
use crate::render::reads::Reads;
use crate::render::record::{List, Read};
use crate::render::watchlist;
use crate::site::Site;

/// The family.
pub(crate) struct Watch;

impl Family for Watch {
    fn owns(&self, job: Job) -> bool {
        matches!(job, Job::Watch(_))
    }

    /// One job per page of the watchlist.
    fn jobs(&self, site: &Site, _sources: usize) -> Vec<Job> {
        (site.pagination(watchlist::count(site)).numbers())
            .map(Job::Watch)
            .collect()
    }

    fn template(&self, _job: Job) -> &'static str {
        "watch.html"
    }

    fn url_path(&self, _site: &Site, job: Job) -> String {
        let Job::Watch(n) = job else {
            unreachable!("not a watchlist page: {job:?}")
        };
        watchlist::page_path(n)
    }

    /// Page `n` of the site's watchlist: `watch` and `paginator`.
    fn view(&self, reads: &Reads<'_>, job: Job, ctx: &mut Context) -> Result<(), String> {
        let Job::Watch(n) = job else {
            unreachable!("not a watchlist page: {job:?}")
        };
        let site = reads.site;
        reads.note(Read::ListPage(List::Watch, n));
        let list = (reads.watchlist).get_or_init(|| watchlist::watchlist(site));
        let url = |k: usize| site.url(&watchlist::page_path(k));
        let listing = site.pagination(list.entries.len());
        ctx.insert("watch", &watchlist::page_view(list, listing, n));
        ctx.insert("paginator", &pager(site, list.entries.len(), n, &url));
        Ok(())
    }

    /// Every page, dated by the newest brief it shows (the site's newest
    /// when none).
    fn sitemap_entries(&self, published: &Published<'_, '_>) -> Vec<SitemapEntry> {
        let site = published.site;
        let watch: Vec<[usize; 1]> = (watchlist::watchlist(site).briefs.into_iter())
            .map(|i| [i])
            .collect();
        let path = watchlist::page_path;
        listing_entries(site, pages_of(site, &watch), &path, published.newest)
    }
}
