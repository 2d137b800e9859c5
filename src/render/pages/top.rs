//! The top page (`top/`): the highest-scored briefs of each band, made by
//! [`crate::render::scores::top`]. Its job, URL, view and sitemap entry.
//! Reads the published briefs' scores and dates, and their summaries.

use tera::Context;

use crate::render::job::{Family, Job};
use crate::render::listing::{Published, SitemapEntry};
use crate::render::reads::Reads;
use crate::render::record::{List, Read};
use crate::render::scores;
use crate::site::Site;

/// The URL path.
const PATH: &str = "top/";

/// The family.
pub(crate) struct Top;

impl Family for Top {
    fn owns(&self, job: Job) -> bool {
        job == Job::Top
    }

    /// The one job.
    fn jobs(&self, _site: &Site, _sources: usize) -> Vec<Job> {
        vec![Job::Top]
    }

    fn template(&self, _job: Job) -> &'static str {
        "top.html"
    }

    fn url_path(&self, _site: &Site, _job: Job) -> String {
        PATH.to_string()
    }

    /// `top`.
    fn view(&self, reads: &Reads<'_>, _job: Job, ctx: &mut Context) -> Result<(), String> {
        reads.note(Read::List(List::Top));
        reads.note(Read::List(List::Bands));
        ctx.insert("top", &scores::top(reads.site, &reads.summaries));
        Ok(())
    }

    /// Its entry, dated by the site's newest brief.
    fn sitemap_entries(&self, published: &Published<'_, '_>) -> Vec<SitemapEntry> {
        vec![SitemapEntry {
            path: PATH.to_string(),
            lastmod: published.newest,
        }]
    }
}
