//! Caches: what serve keeps between saves around the plain stage functions,
//! so that a save redoes only its share of the work. Each is sound by one
//! invariant, which the session keeps and which is stated here, once:
//!
//! **A brief whose `Arc` is the one the last build had (`Arc::ptr_eq`) is
//! unchanged.** The session's [`crate::pipeline::Pipeline`] hands out the
//! same `Arc` for every file it did not parse again
//! (`Pipeline::reread` keeps their parses), and a file it parses again gets
//! a new one, whether or not its text changed. A full rebuild reads every
//! file afresh and starts every cache anew, with the configuration and the
//! registry they assume.
//!
//! ([`crate::render::data::DataFiles::kept`] keeps the data files' per-brief
//! shares by the same invariant.)

use std::sync::Arc;

use crate::content::cite::registry::Registry;
use crate::content::config::Config;
use crate::content::types::brief::{Brief, Page};
use crate::render::sources;
use crate::site::{LeftOut, Site};

/// The model [`Site::new`] would build, made from `old` when every brief
/// that differs from `old`'s keeps its place: the same file, date, slug,
/// status, tags and entities (a body edit, most saves). Then the order and
/// the terms carry over and only the changed briefs are swapped in. `None`
/// otherwise, or when the pages differ.
pub(crate) fn model(
    old: &Site,
    config: Config,
    briefs: &[Arc<Brief>],
    pages: &[Arc<Page>],
    registry: Registry,
) -> Option<Site> {
    let drafts = old.drafts;
    let shown = || briefs.iter().filter(|b| drafts || b.is_published());
    let same_pages = pages.len() == old.pages.len()
        && pages
            .iter()
            .all(|p| old.pages.iter().any(|o| Arc::ptr_eq(o, p)));
    if !same_pages || shown().count() != old.briefs.len() {
        return None;
    }
    let kept: ahash::AHashSet<*const Brief> = old.briefs.iter().map(Arc::as_ptr).collect();
    let mut new_briefs = old.briefs.clone();
    for brief in shown().filter(|b| !kept.contains(&Arc::as_ptr(b))) {
        let file = brief.path.as_os_str();
        let at = (old.briefs.iter()).position(|o| o.path.as_os_str() == file)?;
        let was = &old.briefs[at];
        let same_place = (was.date, &was.slug, was.status, &was.tags, &was.entities)
            == (
                brief.date,
                &brief.slug,
                brief.status,
                &brief.tags,
                &brief.entities,
            );
        if !same_place || !Arc::ptr_eq(&new_briefs[at], was) {
            return None;
        }
        new_briefs[at] = Arc::clone(brief);
    }
    Some(Site {
        config,
        drafts,
        briefs: new_briefs,
        tags: old.tags.clone(),
        entities: old.entities.clone(),
        // The same pages: in the same order.
        pages: old.pages.clone(),
        registry,
        left_out: match drafts {
            true => LeftOut::default(),
            false => LeftOut::count(briefs),
        },
    })
}

/// The sources pages' count ([`sources::count`]) kept between saves: how
/// many uses each merged source has, so that a save counts again only the
/// briefs it changed (counting every brief's sources was an eighth of a
/// one-brief save at 10,000 briefs). It assumes the same registry and
/// `nocite:` on every call: a full rebuild starts a new one.
#[derive(Default)]
pub(crate) struct SourceCount {
    /// The briefs of the last count, in order.
    briefs: Vec<Arc<Brief>>,
    /// Each merged source -> its uses (a `nocite:` entry is one).
    uses: ahash::AHashMap<sources::SourceKey, usize>,
}

impl SourceCount {
    /// The number of sources on `site`'s pages: what [`sources::count`] says.
    pub(crate) fn count(&mut self, site: &Site) -> usize {
        let registry = &site.registry;
        if self.briefs.is_empty() || self.briefs.len() != site.briefs.len() {
            self.uses.clear();
            for key in sources::nocite_keys(site) {
                *self.uses.entry(key).or_default() += 1;
            }
            for brief in &site.briefs {
                self.add(registry, brief);
            }
        } else {
            // The multiset of uses does not depend on which brief is where:
            // each place that holds another parse swaps its uses.
            let old = std::mem::take(&mut self.briefs);
            for (before, now) in old.iter().zip(&site.briefs) {
                if !Arc::ptr_eq(before, now) {
                    self.remove(registry, before);
                    self.add(registry, now);
                }
            }
        }
        self.briefs = site.briefs.clone();
        self.uses.len()
    }

    fn add(&mut self, registry: &Registry, brief: &Brief) {
        for key in sources::cited_keys(registry, brief) {
            *self.uses.entry(key).or_default() += 1;
        }
    }

    fn remove(&mut self, registry: &Registry, brief: &Brief) {
        for key in sources::cited_keys(registry, brief) {
            if let Some(uses) = self.uses.get_mut(&key) {
                *uses -= 1;
                if *uses == 0 {
                    self.uses.remove(&key);
                }
            }
        }
    }
}
