//! Page kinds: each family of pages in one module under `pages/`, saying
//! everything about itself ([`Family`]): the jobs it renders, their URLs,
//! the view each page gets, its entries in the sitemap and what it reads.
//! This module is the list of families ([`FAMILIES`]), in the order the
//! jobs are made and the sitemap lists their pages, and answers for a job
//! by asking the family that owns it. What the families share about
//! listings (the pager, sitemap entries) is in `listing.rs`; the lists
//! they make once per render, in `reads.rs`.

pub(crate) mod bands;
pub(crate) mod brief;
pub(crate) mod feeds;
pub(crate) mod free;
pub(crate) mod index;
pub(crate) mod not_found;
pub(crate) mod review;
pub(crate) mod search;
pub(crate) mod sources;
pub(crate) mod taxonomy;
pub(crate) mod top;
pub(crate) mod watch;

use crate::render::job::{Family, Job};
use crate::render::sources::count;
use crate::site::Site;

/// Every page kind, in order: the order of the jobs and of the sitemap.
pub(crate) const FAMILIES: &[&dyn Family] = &[
    &index::Index,
    &brief::Briefs,
    &taxonomy::Taxonomies,
    &watch::Watch,
    &top::Top,
    &sources::Sources,
    &bands::Bands,
    &free::FreePages,
    &search::Search,
    &not_found::NotFound,
    &feeds::Feeds,
    &review::Review,
];

impl Job {
    /// Every job of `site`, in a fixed order.
    pub fn all(site: &Site) -> Vec<Job> {
        Job::all_with(site, count(site))
    }

    /// [`Job::all`], with the number of sources on the sources pages
    /// (`serve` keeps the count between saves, in `serve/caches.rs`).
    pub fn all_with(site: &Site, sources: usize) -> Vec<Job> {
        (FAMILIES.iter())
            .flat_map(|family| family.jobs(site, sources))
            .collect()
    }

    /// The family the job is a page of.
    pub(crate) fn family(self) -> &'static dyn Family {
        *(FAMILIES.iter())
            .find(|family| family.owns(self))
            .expect("every job's kind is in FAMILIES")
    }

    /// The template the job renders.
    pub fn template(self) -> &'static str {
        self.family().template(self)
    }

    /// The page's URL path under the site root (`briefs/x/`, `atom.xml`).
    pub(crate) fn url_path(self, site: &Site) -> String {
        self.family().url_path(site, self)
    }

    /// The file the job writes, under the output folder.
    pub fn output_path(self, site: &Site) -> String {
        let path = self.url_path(site);
        // Pages are folders with an index.html; files (feeds, 404.html) keep their name.
        if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::feed_kind::Feed;
    use crate::site::Taxonomy;

    /// One job of each kind. The match makes a new `Job` variant fail to
    /// compile here until it is added to the list.
    fn one_of_each() -> Vec<Job> {
        let jobs = vec![
            Job::Index(1),
            Job::Brief(0),
            Job::TaxonomyList(Taxonomy::Tags),
            Job::Term(Taxonomy::Entities, 0, 2),
            Job::Page(0),
            Job::Watch(1),
            Job::Search,
            Job::NotFound,
            Job::Review(1),
            Job::Top,
            Job::Band(0, 1),
            Job::Sources(3),
            Job::Atom(Feed::Main),
            Job::Atom(Feed::HighScore),
            Job::Atom(Feed::Tag(0)),
        ];
        for job in &jobs {
            match job {
                Job::Index(_)
                | Job::Brief(_)
                | Job::TaxonomyList(_)
                | Job::Term(..)
                | Job::Page(_)
                | Job::Watch(_)
                | Job::Search
                | Job::NotFound
                | Job::Review(_)
                | Job::Top
                | Job::Band(..)
                | Job::Sources(_)
                | Job::Atom(_) => {}
            }
        }
        jobs
    }

    /// Every job belongs to exactly one family: the one that names, fills
    /// and lists it.
    #[test]
    fn every_job_has_one_family() {
        for job in one_of_each() {
            let owners = FAMILIES.iter().filter(|f| f.owns(job)).count();
            assert_eq!(owners, 1, "{job:?} is owned by {owners} families");
        }
    }
}
