//! The sources pages (`sources/`, then `sources/page/<n>/`): every source
//! the shown briefs cite or list, merged and sorted, with the briefs citing
//! each. Their jobs, URLs, view and sitemap entries; the list is made in
//! [`crate::render::sources`]. Reads every shown brief's sources, the
//! registry, and the citing briefs' titles.

use tera::Context;

use crate::render::job::{Family, Job};
use crate::render::listing::{Published, SitemapEntry, listing_entries, pager, pages_of};
use crate::render::reads::Reads;
use crate::render::record::{List, Read};
use crate::render::sources::{Anchors, page_path, view};
use crate::render::view::SourcesPageView;
use crate::site::Site;

/// The family.
pub(crate) struct Sources;

impl Family for Sources {
    fn owns(&self, job: Job) -> bool {
        matches!(job, Job::Sources(_))
    }

    /// One job per page of the `sources` sources listed.
    fn jobs(&self, site: &Site, sources: usize) -> Vec<Job> {
        (site.pagination(sources).numbers())
            .map(Job::Sources)
            .collect()
    }

    fn template(&self, _job: Job) -> &'static str {
        "sources.html"
    }

    fn url_path(&self, _site: &Site, job: Job) -> String {
        let Job::Sources(n) = job else {
            unreachable!("not a sources page: {job:?}")
        };
        page_path(n)
    }

    /// Page `n`: `sources_page` and `paginator`.
    fn view(&self, reads: &Reads<'_>, job: Job, ctx: &mut Context) -> Result<(), String> {
        let Job::Sources(n) = job else {
            unreachable!("not a sources page: {job:?}")
        };
        let site = reads.site;
        reads.note(Read::ListPage(List::Sources, n));
        let all = reads.sources.all();
        let url = |k: usize| site.url(&page_path(k));
        let mut taken = Anchors::default();
        // A brief's URL is made once per render, not once per source it
        // cites (its summary's; the page's read above covers the slug).
        let brief_url = |i: usize| reads.summaries.url(i).to_string();
        let page = SourcesPageView {
            sources: (site.pagination(all.len()).page(all, n).iter())
                .map(|m| view(site, m, &mut taken, &brief_url))
                .collect(),
            total_sources: all.len(),
        };
        ctx.insert("sources_page", &page);
        ctx.insert("paginator", &pager(site, all.len(), n, &url));
        Ok(())
    }

    /// Every page of the published briefs' sources, dated by the newest
    /// brief citing one it shows (the site's newest when none).
    fn sitemap_entries(&self, published: &Published<'_, '_>) -> Vec<SitemapEntry> {
        let site = published.site;
        let citations = published.sources.published_citations();
        let pages = pages_of(site, &citations);
        listing_entries(site, pages, &page_path, published.newest)
    }
}
