//! Data files: the search index, `briefs.json`, `watch.ics` and the sitemap,
//! made from each published brief's share and kept between `serve` rebuilds.
//!
//! Steps: compare the published briefs with those of the last update (a
//! brief is unchanged when the site holds the very same parse, `Arc` for
//! `Arc`, at the same place: [`Diff`], in `shares.rs`); make the shares of the briefs that
//! changed or appeared, keep the others'; re-make only the files whose
//! shares or order moved, the search index shard by shard. A build makes
//! every share on its one update ([`DataFiles::once`]) and drops each
//! file's shares once the file is made; `serve` keeps them
//! ([`DataFiles::kept`]): one code path for both. Each file goes to the
//! sink as soon as it is made; `briefs.json` and `watch.ics` are written
//! piece by piece ([`Sink::put_written`]), so a
//! build never holds them whole.

use std::collections::HashMap;
use std::io;
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::types::brief::Brief;
use crate::content::types::brief::Status;
use crate::render::files::{Content, Output, Sink};
use crate::render::shares::{Diff, Pieces};
use crate::render::summaries::Summaries;
use crate::render::view::BriefSummary;
use crate::render::{catalog, search, sitemap, watchlist};
use crate::site::Site;

/// One share per published brief, in order.
struct Shares<T>(Vec<T>);

impl<T> Default for Shares<T> {
    fn default() -> Self {
        Shares(Vec::new())
    }
}

impl Shares<Vec<u8>> {
    /// The pieces of a file to make, or `None` when it did not change: when
    /// `keep`, the shares brought up to date; otherwise pieces made as the
    /// file is written (`first` must then be true: nothing was kept).
    fn pieces<'a>(
        &'a mut self,
        diff: &Diff,
        keep: bool,
        first: bool,
        count: usize,
        make: &'a (dyn Fn(usize) -> Vec<u8> + Sync),
    ) -> Option<Pieces<'a>> {
        if !keep {
            debug_assert!(first, "only kept shares allow a second update");
            return Some(Pieces::Made {
                range: 0..count,
                make,
            });
        }
        let changed = self.update(diff, make);
        (changed || first).then_some(Pieces::Kept(&self.0))
    }
}

impl<T: PartialEq + Send> Shares<T> {
    /// Moves the kept briefs' shares to their new places and makes the
    /// others'; true when the list differs from before.
    fn update(&mut self, diff: &Diff, make: impl Fn(usize) -> T + Sync) -> bool {
        let fresh: Vec<(usize, T)> = (0..diff.kept.len())
            .into_par_iter()
            .filter(|&d| diff.kept[d].is_none())
            .map(|d| (d, make(d)))
            .collect();
        let mut changed = !diff.same_order;
        if diff.same_order {
            for (d, share) in fresh {
                if self.0[d] != share {
                    changed = true;
                    self.0[d] = share;
                }
            }
            return changed;
        }
        let mut old: Vec<Option<T>> = std::mem::take(&mut self.0).into_iter().map(Some).collect();
        let mut fresh = fresh.into_iter().peekable();
        self.0 = diff
            .kept
            .iter()
            .enumerate()
            .map(|(d, kept)| match kept {
                Some(o) => old[*o].take().expect("each old share is kept once"),
                None => {
                    let (at, share) = fresh.next().expect("a share for each brief not kept");
                    debug_assert_eq!(at, d);
                    share
                }
            })
            .collect();
        changed
    }
}

/// The data files' shares and the search index, between rebuilds.
#[derive(Default)]
pub(crate) struct DataFiles {
    /// Keep the shares and the index after an update, for the next one.
    keep: bool,
    /// The published briefs at the last update, in order.
    briefs: Vec<Arc<Brief>>,
    /// False until the first update, which makes every file.
    made: bool,
    records: Shares<Vec<u8>>,
    /// How many search records there are (one file each).
    records_len: usize,
    catalog: Shares<Vec<u8>>,
    calendar: Shares<Vec<u8>>,
    sitemap: Shares<sitemap::Share>,
    /// The free pages' slugs, which the sitemap lists.
    pages: Vec<String>,
    /// How many numbered sitemaps `sitemap.xml` names (none when it is
    /// the one sitemap).
    sitemap_parts: usize,
    /// How many parts `briefs.json` names (none when it holds every brief).
    catalog_parts: usize,
    search: search::Index,
    /// The facet files as last put (`serve`), to put again only those that
    /// change; their paths alone after a build.
    facets: HashMap<String, Vec<u8>>,
    /// Each published brief's facet key, in order, as last put (`serve`).
    facet_keys: Vec<String>,
}

impl DataFiles {
    /// For one update that makes every file and keeps nothing: `build`.
    pub(crate) fn once() -> Self {
        DataFiles::default()
    }

    /// For updates that keep each brief's share and the search index, so
    /// the next update re-makes only what changed: `serve`. Sound while the
    /// same parse means the same `Arc`, the invariant `serve/caches.rs`
    /// states and the session keeps.
    pub(crate) fn kept() -> Self {
        DataFiles {
            keep: true,
            ..DataFiles::default()
        }
    }

    /// Brings the shares to `site` and puts into `sink` the data files that
    /// may have changed (every one on the first update).
    pub(crate) fn update(
        &mut self,
        site: &Site,
        summaries: &Summaries<'_>,
        sources: &crate::render::sources::Listed<'_>,
        sink: &dyn Sink,
    ) -> std::io::Result<()> {
        let published: Vec<usize> = (0..site.briefs.len())
            .filter(|&i| site.briefs[i].status == Status::Published)
            .collect();
        let briefs: Vec<Arc<Brief>> = published.iter().map(|&i| site.briefs[i].clone()).collect();
        let mut diff = Diff::new(&self.briefs, &briefs);
        let first = !self.made;
        if first {
            // Nothing made yet: every share is new.
            diff.kept.iter_mut().for_each(|k| *k = None);
            diff.same_order = false;
        }
        let keep = self.keep;
        let summary = |d: usize| &summaries[published[d]];
        let put = |path: &str, bytes: Vec<u8>| {
            sink.put(Output {
                path: path.to_string(),
                content: Content::Bytes(bytes),
                source: None,
            })
        };
        let count = briefs.len();
        let record = |d: usize| search::record(summary(d), &briefs[d]);
        self.put_records(&diff, first, count, &record, sink)?;
        let entry = |d: usize| catalog::entry(site, &briefs[d], summary(d));
        if let Some(pieces) = self.catalog.pieces(&diff, keep, first, count, &entry) {
            let date = |d: usize| summary(d).date.iso.clone();
            self.catalog_parts = catalog::write(site, &pieces, &date, catalog::PART_SIZE, sink)?;
        }
        let events = |d: usize| watchlist::events(site, &briefs[d]).into_bytes();
        if let Some(pieces) = self.calendar.pieces(&diff, keep, first, count, &events) {
            sink.put_written("watch.ics", &mut |out| {
                watchlist::calendar(site, &pieces, out)
            })?;
        }
        let pages: Vec<String> = site.pages.iter().map(|p| p.slug.clone()).collect();
        // Only a later update compares the sitemap's shares.
        let sitemap_moved =
            !keep || (self.sitemap).update(&diff, |d| sitemap::share(site, &briefs[d]));
        if sitemap_moved || pages != self.pages || first {
            let files = sitemap::sitemaps(site, sources, sitemap::LIMITS);
            self.sitemap_parts = files.len() - 1;
            for (path, bytes) in files {
                put(&path, bytes)?;
            }
        }
        self.pages = pages;
        self.search.update(&self.briefs, &briefs, &diff, sink)?;
        // An edit that leaves every brief's tags, entities, band and score
        // as they were (most saves) leaves the facet files too. Only the
        // briefs edited are asked for their key: making every brief's
        // summary would cost a save more than the facets do.
        let same = !first
            && diff.same_order
            && self.facet_keys.len() == count
            && (0..count)
                .filter(|&d| diff.kept[d].is_none())
                .all(|d| search::facets::key(summary(d)) == self.facet_keys[d]);
        if !same {
            let docs: Vec<&BriefSummary> = (0..count).map(summary).collect();
            self.put_facets(
                search::facets::files(&docs, site.config.search_counts_bytes),
                sink,
            )?;
            if keep {
                self.facet_keys = docs.iter().map(|s| search::facets::key(s)).collect();
            }
        }
        if !keep {
            self.search = search::Index::default();
        }
        self.briefs = briefs;
        self.made = true;
        Ok(())
    }

    /// Puts into `sink` the facet files that differ from those last put
    /// (every one for a build) and keeps them, or for a build their paths.
    fn put_facets(&mut self, files: Vec<(String, Vec<u8>)>, sink: &dyn Sink) -> io::Result<()> {
        let mut kept = HashMap::with_capacity(files.len());
        for (path, bytes) in files {
            if self.facets.get(&path) != Some(&bytes) {
                sink.put(Output {
                    path: path.clone(),
                    content: Content::Bytes(bytes.clone()),
                    source: None,
                })?;
            }
            kept.insert(path, if self.keep { bytes } else { Vec::new() });
        }
        self.facets = kept;
        Ok(())
    }

    /// Puts into `sink` the search records (`search/f/<doc>.json`) that
    /// changed: every one on the first update or when the briefs moved,
    /// otherwise those of the edited briefs whose record differs.
    fn put_records(
        &mut self,
        diff: &Diff,
        first: bool,
        count: usize,
        make: &(dyn Fn(usize) -> Vec<u8> + Sync),
        sink: &dyn Sink,
    ) -> io::Result<()> {
        let put = |d: usize, bytes: Vec<u8>| {
            sink.put(Output {
                path: search::fragment_path(d),
                content: Content::Bytes(bytes),
                source: None,
            })
        };
        self.records_len = count;
        if !self.keep {
            return (0..count).into_par_iter().try_for_each(|d| put(d, make(d)));
        }
        if first || !diff.same_order {
            self.records.update(diff, make);
            let records = &self.records.0;
            return (0..count)
                .into_par_iter()
                .try_for_each(|d| put(d, records[d].clone()));
        }
        for d in (0..count).filter(|&d| diff.kept[d].is_none()) {
            let record = make(d);
            if self.records.0[d] != record {
                self.records.0[d] = record.clone();
                put(d, record)?;
            }
        }
        Ok(())
    }

    /// The paths of the data files whose number depends on the site: the
    /// search index's shard parts and records, the numbered sitemaps and
    /// `briefs.json`'s parts.
    pub(crate) fn shard_paths(&self) -> impl Iterator<Item = String> + '_ {
        let sitemaps = (1..=self.sitemap_parts).map(sitemap::part_path);
        let catalog = (1..=self.catalog_parts).map(catalog::part_path);
        let records = (0..self.records_len).map(search::fragment_path);
        (self.search.paths())
            .chain(sitemaps)
            .chain(catalog)
            .chain(records)
            .chain(self.facets.keys().cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(i: usize) -> Vec<u8> {
        format!("{{\"n\":{i}}}").repeat(i % 3 + 1).into_bytes()
    }

    /// A build's made pieces (more than one chunk) and serve's kept shares
    /// write the same bytes.
    #[test]
    fn made_and_kept_pieces_write_alike() {
        for count in [0, 1, 2, 1024, 1025, 2500] {
            let kept: Vec<Vec<u8>> = (0..count).map(piece).collect();
            let (mut a, mut b) = (Vec::new(), Vec::new());
            Pieces::Kept(&kept).write_to(&mut a, b",\n").unwrap();
            let made = Pieces::Made {
                range: 0..count,
                make: &piece,
            };
            made.write_to(&mut b, b",\n").unwrap();
            assert_eq!(a, b, "{count} pieces");
            assert_eq!(a, kept.join(&b",\n"[..]), "{count} pieces");
            let (mut c, mut d) = (Vec::new(), Vec::new());
            let half = count / 2;
            Pieces::Kept(&kept)
                .slice(half..count)
                .write_to(&mut c, b",")
                .unwrap();
            made.slice(half..count).write_to(&mut d, b",").unwrap();
            assert_eq!(c, d, "{count} pieces from {half}");
            assert_eq!(
                c,
                kept[half..].join(&b","[..]),
                "{count} pieces from {half}"
            );
        }
    }
}
