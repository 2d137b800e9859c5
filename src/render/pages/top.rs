//! The top page (`top/`): the highest-scored briefs of each band, made by
//! [`crate::render::scores::top`]. Its job, URL, view and sitemap entry.

use tera::Context;

use crate::content::date::BriefDate;
use crate::render::job::Job;
use crate::render::listing::SitemapEntry;
use crate::render::scores;
use crate::render::summaries::Summaries;
use crate::site::Site;

/// The one job.
pub(crate) fn jobs() -> impl Iterator<Item = Job> {
    std::iter::once(Job::Top)
}

/// The URL path.
pub(crate) fn url_path() -> String {
    "top/".to_string()
}

/// The page's view: `top`.
pub(crate) fn view(site: &Site, summaries: &Summaries, ctx: &mut Context) {
    ctx.insert("top", &scores::top(site, summaries));
}

/// Its entry, dated by the site's newest brief (`newest`).
pub(crate) fn sitemap_entries(newest: Option<BriefDate>) -> Vec<SitemapEntry> {
    vec![SitemapEntry {
        path: url_path(),
        lastmod: newest,
    }]
}
