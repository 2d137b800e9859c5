//! The band pages (`bands/<slug>/`, then `bands/<slug>/page/<n>/`): each
//! score band's published briefs, newest first, with every band's link.
//! Their jobs, URLs, view and sitemap entries; the lists and the page's
//! view are made in [`crate::render::scores`]. Reads the published briefs'
//! scores and their summaries.

use tera::Context;

use crate::render::job::{Family, Job};
use crate::render::listing::{Published, SitemapEntry, listing_entries, page_url, pages_of};
use crate::render::reads::Reads;
use crate::render::record::{List, Read};
use crate::render::scores;
use crate::site::Site;

/// The family.
pub(crate) struct Bands;

impl Family for Bands {
    fn owns(&self, job: Job) -> bool {
        matches!(job, Job::Band(..))
    }

    /// Each band's pages, in the site's order of bands.
    fn jobs(&self, site: &Site, _sources: usize) -> Vec<Job> {
        let links = scores::band_links(site);
        (links.iter().enumerate())
            .flat_map(|(i, band)| {
                let pages = site.pagination(band.count).numbers();
                pages.map(move |n| Job::Band(i, n))
            })
            .collect()
    }

    fn template(&self, _job: Job) -> &'static str {
        "band.html"
    }

    fn url_path(&self, site: &Site, job: Job) -> String {
        let Job::Band(i, n) = job else {
            unreachable!("not a band page: {job:?}")
        };
        scores::band_page_path(&site.config.bands[i].slug, n)
    }

    /// Page `n` of band `i`: `band_page` and `paginator`.
    fn view(&self, reads: &Reads<'_>, job: Job, ctx: &mut Context) -> Result<(), String> {
        let Job::Band(i, n) = job else {
            unreachable!("not a band page: {job:?}")
        };
        let site = reads.site;
        let slug = &site.config.bands[i].slug;
        let first = site.url(&scores::band_path(slug));
        let url = |k: usize| page_url(&first, k);
        let (lists, links) = reads.bands.get_or_init(|| {
            let lists = scores::band_lists(site);
            let links = scores::band_links_of(site, &lists);
            (lists, links)
        });
        reads.note(Read::List(List::Bands));
        let paginator = reads.paginate(List::Band(i), &lists[i], n, &url);
        let page = scores::band_page(site, i, paginator.briefs.clone(), links.clone());
        ctx.insert("band_page", &page);
        ctx.insert("paginator", &paginator);
        Ok(())
    }

    /// Each band's pages, each dated by the newest brief it shows (the
    /// site's newest when none).
    fn sitemap_entries(&self, published: &Published<'_, '_>) -> Vec<SitemapEntry> {
        let site = published.site;
        let lists = scores::band_lists(site);
        let mut entries = Vec::new();
        for (band, list) in site.config.bands.iter().zip(lists) {
            let path = |n: usize| scores::band_page_path(&band.slug, n);
            let briefs: Vec<[usize; 1]> = list.into_iter().map(|i| [i]).collect();
            let pages = pages_of(site, &briefs);
            entries.extend(listing_entries(site, pages, &path, published.newest));
        }
        entries
    }
}
