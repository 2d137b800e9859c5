//! The review page (`review/`, then `review/page/<n>/`), written only by a
//! `--drafts` build: every brief in review, then every draft, each newest
//! first, with what an editor should look at before it goes out. Its jobs,
//! URLs and view; it has no sitemap entries, since drafts never appear
//! there. Reads the unpublished briefs: their status, summaries and what
//! they lack.

use tera::Context;

use crate::content::types::brief::Brief;
use crate::content::types::brief::Status;
use crate::render::job::{Family, Job};
use crate::render::listing::pager;
use crate::render::reads::Reads;
use crate::render::record::{List, Read};
use crate::render::view::{ReviewEntry, ReviewView};
use crate::site::Site;

/// The family.
pub(crate) struct Review;

impl Family for Review {
    fn owns(&self, job: Job) -> bool {
        matches!(job, Job::Review(_))
    }

    /// One job per page, in a `--drafts` build; none otherwise.
    fn jobs(&self, site: &Site, _sources: usize) -> Vec<Job> {
        if !site.drafts {
            return Vec::new();
        }
        let unpublished = site.briefs.iter().filter(|b| !b.is_published());
        (site.pagination(unpublished.count()).numbers())
            .map(Job::Review)
            .collect()
    }

    fn template(&self, _job: Job) -> &'static str {
        "review.html"
    }

    fn url_path(&self, _site: &Site, job: Job) -> String {
        let Job::Review(n) = job else {
            unreachable!("not a review page: {job:?}")
        };
        page_path(n)
    }

    /// Page `n`: `review` and `paginator`.
    fn view(&self, reads: &Reads<'_>, job: Job, ctx: &mut Context) -> Result<(), String> {
        let Job::Review(n) = job else {
            unreachable!("not a review page: {job:?}")
        };
        let site = reads.site;
        reads.note(Read::ListPage(List::Review, n));
        let unpublished = reads.unpublished.get_or_init(|| briefs(site));
        let review = ReviewView {
            briefs: (site.pagination(unpublished.len()).page(unpublished, n))
                .iter()
                .map(|&i| {
                    reads.note(Read::Brief(i));
                    let notes = notes(&site.briefs[i]);
                    let notes_html = notes.iter().map(|n| crate::text::code_spans_html(n));
                    ReviewEntry {
                        brief: reads.summaries[i].clone(),
                        notes_html: notes_html.collect(),
                        notes,
                    }
                })
                .collect(),
            total_briefs: unpublished.len(),
        };
        let url = |k: usize| site.url(&page_path(k));
        ctx.insert("review", &review);
        ctx.insert("paginator", &pager(site, unpublished.len(), n, &url));
        Ok(())
    }
}

/// The URL path of page `n` (1-based).
fn page_path(n: usize) -> String {
    format!("review/{}", Site::index_path(n))
}

/// The briefs the pages list: in review first, then drafts, each newest
/// first.
pub(crate) fn briefs(site: &Site) -> Vec<usize> {
    let mut unpublished: Vec<usize> = (0..site.briefs.len())
        .filter(|&i| !site.briefs[i].is_published())
        .collect();
    unpublished.sort_by_key(|&i| site.briefs[i].status != Status::Review);
    unpublished
}

/// What an editor should look at before a brief goes out.
fn notes(b: &Brief) -> Vec<String> {
    let mut notes = b.warnings.clone();
    let mut missing = |empty: bool, what: &str| {
        if empty {
            notes.push(format!("no {what}"));
        }
    };
    missing(b.tags.is_empty(), "tags");
    missing(b.entities.is_empty(), "entities");
    missing(b.factors.is_empty(), "score factors");
    missing(b.watch.is_empty(), "watch items");
    for s in &b.sources {
        if s.url.is_none() {
            notes.push(format!("source `{}` has no URL", s.id));
        }
        if s.date.is_none() {
            notes.push(format!("source `{}` has no date", s.id));
        }
    }
    notes
}
