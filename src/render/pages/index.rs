//! The index pages (the site root, then `page/<n>/`): every brief shown,
//! newest first, paginated. Their jobs, URLs, view and sitemap entries
//! (only as many pages as the published briefs fill). Reads the briefs'
//! order and each shown brief's summary.

use tera::Context;

use crate::render::job::{Family, Job};
use crate::render::listing::{Published, SitemapEntry, newest};
use crate::render::reads::Reads;
use crate::render::record::List;
use crate::site::Site;

/// The family.
pub(crate) struct Index;

impl Family for Index {
    fn owns(&self, job: Job) -> bool {
        matches!(job, Job::Index(_))
    }

    fn jobs(&self, site: &Site, _sources: usize) -> Vec<Job> {
        (1..=site.index_pages()).map(Job::Index).collect()
    }

    fn template(&self, _job: Job) -> &'static str {
        "index.html"
    }

    fn url_path(&self, _site: &Site, job: Job) -> String {
        let Job::Index(n) = job else {
            unreachable!("not an index page: {job:?}")
        };
        Site::index_path(n)
    }

    /// Page `n` of every brief: `paginator`.
    fn view(&self, reads: &Reads<'_>, job: Job, ctx: &mut Context) -> Result<(), String> {
        let Job::Index(n) = job else {
            unreachable!("not an index page: {job:?}")
        };
        let all = (reads.everything).get_or_init(|| (0..reads.summaries.len()).collect());
        let url = |k: usize| reads.site.url(&Site::index_path(k));
        ctx.insert("paginator", &reads.paginate(List::Order, all, n, &url));
        Ok(())
    }

    /// Each page the published briefs fill, dated by the newest it shows.
    fn sitemap_entries(&self, published: &Published<'_, '_>) -> Vec<SitemapEntry> {
        let (site, briefs) = (published.site, &published.briefs);
        let index = site.pagination(briefs.len());
        (index.numbers())
            .map(|n| SitemapEntry {
                path: Site::index_path(n),
                lastmod: newest(site, index.page(briefs, n).iter().copied()),
            })
            .collect()
    }
}
