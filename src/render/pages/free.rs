//! The free pages (`<slug>/`: about, methodology, …), one a Markdown file
//! of `pages/`. Their jobs, URLs, view and sitemap entries (each dated by
//! the site's newest brief). Reads the page alone, and the URLs of the
//! content links it holds.

use std::path::PathBuf;

use tera::Context;

use crate::render::job::{Family, Job};
use crate::render::listing::{Published, SitemapEntry};
use crate::render::reads::Reads;
use crate::render::record::Read;
use crate::render::view::PageView;
use crate::site::Site;

/// The family.
pub(crate) struct FreePages;

impl Family for FreePages {
    fn owns(&self, job: Job) -> bool {
        matches!(job, Job::Page(_))
    }

    fn jobs(&self, site: &Site, _sources: usize) -> Vec<Job> {
        (0..site.pages.len()).map(Job::Page).collect()
    }

    fn template(&self, _job: Job) -> &'static str {
        "page.html"
    }

    fn url_path(&self, site: &Site, job: Job) -> String {
        let Job::Page(i) = job else {
            unreachable!("not a free page: {job:?}")
        };
        format!("{}/", site.pages[i].slug)
    }

    /// `page`, its content links made URLs.
    fn view(&self, reads: &Reads<'_>, job: Job, ctx: &mut Context) -> Result<(), String> {
        let Job::Page(i) = job else {
            unreachable!("not a free page: {job:?}")
        };
        reads.note(Read::Page(i));
        let mut page = page_view(reads.site, i);
        page.content = reads.links.resolve(page.content);
        ctx.insert("page", &page);
        Ok(())
    }

    fn source(&self, site: &Site, job: Job) -> Option<PathBuf> {
        let Job::Page(i) = job else { return None };
        Some(site.pages[i].path.clone())
    }

    /// Every page, dated by the site's newest brief.
    fn sitemap_entries(&self, published: &Published<'_, '_>) -> Vec<SitemapEntry> {
        (published.site.pages.iter())
            .map(|page| SitemapEntry {
                path: format!("{}/", page.slug),
                lastmod: published.newest,
            })
            .collect()
    }
}

fn page_view(site: &Site, i: usize) -> PageView {
    let p = &site.pages[i];
    PageView {
        title: p.title.clone(),
        slug: p.slug.clone(),
        url: site.url(&format!("{}/", p.slug)),
        summary: p.summary.clone(),
        content: p.content_html.clone(),
        diagrams: p.diagrams,
        toc: p.toc.clone(),
        extra: p.extra.clone(),
    }
}
