//! The sources page: every source the site's briefs cite, with the briefs
//! citing it. An entry of `sources.yaml` or a bibliography is listed only
//! when a brief cites it or `nocite:` in `site.yaml` names it, as Pandoc
//! lists only what is cited: exporting a whole library publishes no more.
//!
//! Sources are merged across briefs by registry id, or else by URL, or else
//! by publisher and title, so one article cited by five briefs is one entry.
//! The list is paginated by `per_page` like the index.

use std::sync::OnceLock;

use crate::collate::Collation;
use crate::content::cite::registry::Registry;
use crate::content::types::brief::{Brief, Source};
use crate::render::view::{LinkView, SourceIndexEntry};
use crate::site::Site;

/// Path of the sources page.
pub const PATH: &str = "sources/";

/// Path of the sources' page `n` (1-based): `sources/`, `sources/page/2/`, …
pub fn page_path(n: usize) -> String {
    format!("{PATH}{}", Site::index_path(n))
}

/// What merges a brief's source with the same source of other briefs.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Key<'a> {
    Registry(&'a str),
    Url(&'a str),
    Text(&'a str, &'a str),
}

fn merge_key<'a>(registry: &'a Registry, s: &'a Source) -> Key<'a> {
    let shared = registry
        .get(&s.id)
        .filter(|e| e.title == s.title && e.url == s.url);
    match (shared, &s.url) {
        (Some(e), _) => Key::Registry(&e.id),
        (None, Some(url)) => Key::Url(url),
        (None, None) => Key::Text(&s.publisher, &s.title),
    }
}

impl<'a> Key<'a> {
    /// Orders sources that sort alike: registry ids, then publisher and
    /// title, then URLs.
    fn order(self) -> (u8, &'a str, &'a str) {
        match self {
            Key::Registry(id) => (0, id, ""),
            Key::Text(publisher, title) => (1, publisher, title),
            Key::Url(url) => (2, url, ""),
        }
    }
}

fn cited(brief: &Brief) -> impl Iterator<Item = &Source> {
    brief.sources.iter().filter(|s| s.number.is_some())
}

/// The registry entries `nocite:` publishes whether or not a brief cites
/// them (one use each: a brief citing one adds more).
fn uncited_published(site: &Site) -> impl Iterator<Item = &Source> {
    let nocite = &site.config.nocite;
    site.registry
        .entries
        .iter()
        .filter(move |e| nocite.includes(&e.id))
}

/// Number of sources on the sources pages, without building them.
pub fn count(site: &Site) -> usize {
    let registry = &site.registry;
    let cited_at_most: usize = site.briefs.iter().map(|b| b.sources.len()).sum();
    let mut keys: ahash::AHashSet<Key<'_>> =
        ahash::AHashSet::with_capacity(registry.entries.len() + cited_at_most);
    keys.extend(uncited_published(site).map(|e| Key::Registry(&e.id)));
    for brief in &site.briefs {
        keys.extend(cited(brief).map(|s| merge_key(registry, s)));
    }
    keys.len()
}

/// A merged source's key, owned: the [`Key::order`] triple (serve counts
/// the sources by it between saves).
pub(crate) type SourceKey = (u8, Box<str>, Box<str>);

fn owned(key: Key<'_>) -> SourceKey {
    let (kind, a, b) = key.order();
    (kind, a.into(), b.into())
}

/// The merged source of each source `brief` cites: one use each.
pub(crate) fn cited_keys<'a>(
    registry: &'a Registry,
    brief: &'a Brief,
) -> impl Iterator<Item = SourceKey> + 'a {
    cited(brief).map(|s| owned(merge_key(registry, s)))
}

/// The registry entries `nocite:` publishes, one use each.
pub(crate) fn nocite_keys(site: &Site) -> impl Iterator<Item = SourceKey> + '_ {
    uncited_published(site).map(|e| owned(Key::Registry(&e.id)))
}

/// Every source of the briefs this build shows, in page order, as the
/// sources pages show it.
pub fn entries(site: &Site) -> Vec<SourceIndexEntry> {
    let mut taken = Anchors::default();
    Listed::new(site)
        .all()
        .iter()
        .map(|m| view(site, m, &mut taken, &|i| brief_url(site, i)))
        .collect()
}

/// What the sources pages take from brief `i`: each source it cites as
/// the pages show it, cited by it alone (serve compares a changed brief's
/// before and after: the same, and the list is the same).
pub(crate) fn brief_entries(site: &Site, i: usize) -> Vec<SourceIndexEntry> {
    let mut taken = Anchors::default();
    (cited(&site.briefs[i]))
        .map(|source| {
            let key = merge_key(&site.registry, source);
            let briefs = vec![i];
            view(
                site,
                &Merged {
                    source,
                    key,
                    briefs,
                },
                &mut taken,
                &|i| brief_url(site, i),
            )
        })
        .collect()
}

/// The sources list of one build, sorted the first time the sources pages
/// or the sitemap ask for it and then shared: sorting by collation keys is
/// the list's main cost (about 0.2 s of a 10,000-brief build each time),
/// and both need it.
pub struct Listed<'a> {
    site: &'a Site,
    all: OnceLock<Vec<Merged<'a>>>,
}

impl<'a> Listed<'a> {
    /// The list of `site`, not made yet.
    pub fn new(site: &'a Site) -> Self {
        Listed {
            site,
            all: OnceLock::new(),
        }
    }

    /// Every source of the briefs this build shows, in page order: what the
    /// sources pages show, one [`view`] a page at a time.
    pub fn all(&self) -> &[Merged<'a>] {
        self.all.get_or_init(|| merged(self.site, |_| true))
    }

    /// The briefs (indexes into `site.briefs`) citing each source of the
    /// published briefs alone, in page order: what the sitemap dates pages
    /// by. When every brief shown is published (any build without
    /// `--drafts`) that is [`Listed::all`]'s; a preview with drafts lists
    /// the published briefs' sources on their own, since a source merged
    /// by URL takes the title of its first citing brief, which may be a
    /// draft, and sorts by it.
    pub fn published_citations(&self) -> Vec<Vec<usize>> {
        let site = self.site;
        if (site.briefs.iter()).all(|b| b.is_published()) {
            return self.all().iter().map(|m| m.briefs.clone()).collect();
        }
        merged(site, Brief::is_published)
            .into_iter()
            .map(|m| m.briefs)
            .collect()
    }
}

/// One source of the sources pages, borrowed from the site: the form met
/// first (the registry's entry, or the first citing brief's), and the
/// briefs citing it. Page views are made from it a page at a time: a view
/// of every source at once (its briefs' titles and URLs copied) took about
/// 450 MB at 100,000 briefs.
pub struct Merged<'a> {
    source: &'a Source,
    key: Key<'a>,
    /// Indexes into `site.briefs`, in site order.
    briefs: Vec<usize>,
}

/// The anchor of a source's reference text, as Pandoc writes it.
pub(crate) fn ref_id(key: &str) -> String {
    format!(
        "ref-{}",
        crate::content::cite::citation_syntax::key_slug(key)
    )
}

/// Brief `i`'s URL, made anew: what [`view`] links each citing brief by
/// when no render keeps the briefs' URLs.
pub(crate) fn brief_url(site: &Site, i: usize) -> String {
    site.url(&Site::brief_path(&site.briefs[i].slug))
}

/// The anchors one sources page has given so far: briefs may give one
/// key to different sources, so an anchor is numbered from `-2` when the
/// page has it already.
#[derive(Default)]
pub struct Anchors {
    taken: ahash::AHashSet<String>,
    /// Each anchor given a number -> the number: every one up to it is
    /// taken (a page's anchors only grow), so the next source of that
    /// anchor tries from there, not from 1 again (a page of twenty sources
    /// with the same few keys tried each number of each anew).
    numbered: ahash::AHashMap<String, usize>,
}

impl Anchors {
    /// `base`, or the first of `base-2`, `base-3`, … this page has not
    /// given yet; given from now on.
    fn give(&mut self, base: String) -> String {
        let mut k = self.numbered.get(&base).copied().unwrap_or(1);
        let mut anchor = if k == 1 {
            base.clone()
        } else {
            format!("{base}-{k}")
        };
        while !self.taken.insert(anchor.clone()) {
            k += 1;
            anchor = format!("{base}-{k}");
        }
        if k > 1 {
            self.numbered.insert(base, k);
        }
        anchor
    }
}

/// A merged source as the sources page shows it, each citing brief `i`
/// linked by `url(i)`. Its anchor is `ref-<key slug>`, numbered when
/// `taken` (the page's anchors so far) has it.
pub fn view(
    site: &Site,
    m: &Merged<'_>,
    taken: &mut Anchors,
    url: &dyn Fn(usize) -> String,
) -> SourceIndexEntry {
    let s = m.source;
    SourceIndexEntry {
        ref_id: taken.give(ref_id(&s.id)),
        reference: s.reference_text(),
        publisher: s.publisher.clone(),
        title: s.title.clone(),
        url: s.url.clone(),
        kind_label: s.kind.label().to_string(),
        tier: s.tier.clone(),
        registry_id: match m.key {
            Key::Registry(id) => Some(id.to_string()),
            _ => None,
        },
        briefs: m
            .briefs
            .iter()
            .map(|&i| LinkView {
                title: site.briefs[i].title.clone(),
                url: url(i),
            })
            .collect(),
    }
}

/// The sources of `registry` and of the briefs `include` keeps, sorted by
/// publisher, title and URL (ties by merge key), each with the briefs
/// citing it.
fn merged(site: &Site, include: impl Fn(&Brief) -> bool) -> Vec<Merged<'_>> {
    let registry = &site.registry;
    let mut at: ahash::AHashMap<Key<'_>, usize> = ahash::AHashMap::new();
    let mut sources: Vec<Merged<'_>> = Vec::new();
    // Every entry a shown brief cites, whichever briefs `include` keeps, so
    // that every caller gets the same list in the same order.
    let mut shown: ahash::AHashSet<&str> = ahash::AHashSet::new();
    for brief in &site.briefs {
        for s in cited(brief) {
            if let Key::Registry(id) = merge_key(registry, s) {
                shown.insert(id);
            }
        }
    }
    let published = registry
        .entries
        .iter()
        .filter(|e| shown.contains(e.id.as_str()) || site.config.nocite.includes(&e.id));
    for e in published {
        let key = Key::Registry(&e.id);
        at.insert(key, sources.len());
        sources.push(Merged {
            source: e,
            key,
            briefs: Vec::new(),
        });
    }
    for (i, brief) in site.briefs.iter().enumerate() {
        if !include(brief) {
            continue;
        }
        for s in cited(brief) {
            let key = merge_key(registry, s);
            let k = *at.entry(key).or_insert_with(|| {
                sources.push(Merged {
                    source: s,
                    key,
                    briefs: Vec::new(),
                });
                sources.len() - 1
            });
            let citing = &mut sources[k].briefs;
            if citing.last() != Some(&i) {
                citing.push(i);
            }
        }
    }
    let collation = Collation::for_language(&site.config.language);
    // A publisher names many sources (and a title may repeat): the
    // collation key of each distinct name is made once.
    let publishers = collation_keys(&collation, sources.iter().map(|m| &*m.source.publisher));
    let titles = collation_keys(&collation, sources.iter().map(|m| &*m.source.title));
    sources.sort_by_cached_key(|m| {
        (
            &publishers[&*m.source.publisher],
            &titles[&*m.source.title],
            m.source.url.as_deref(),
            m.key.order(),
        )
    });
    sources
}

/// The collation key of each distinct one of `names`.
fn collation_keys<'a>(
    collation: &Collation,
    names: impl Iterator<Item = &'a str>,
) -> ahash::AHashMap<&'a str, Vec<u8>> {
    let mut keys = ahash::AHashMap::new();
    for name in names {
        keys.entry(name).or_insert_with(|| collation.key(name));
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The anchors as trying every number from 1 for each source gives them.
    fn tried_from_one(bases: &[&str]) -> Vec<String> {
        let mut taken = std::collections::HashSet::new();
        (bases.iter())
            .map(|base| {
                let (mut anchor, mut k) = (base.to_string(), 1);
                while !taken.insert(anchor.clone()) {
                    k += 1;
                    anchor = format!("{base}-{k}");
                }
                anchor
            })
            .collect()
    }

    #[test]
    fn anchors_are_numbered_as_trying_every_number_numbers_them() {
        // `ref-a-2` is both a key's anchor and `ref-a`'s second.
        let bases = [
            "ref-a",
            "ref-a",
            "ref-a-2",
            "ref-b",
            "ref-a",
            "ref-a-2",
            "ref-a-3",
            "ref-a",
            "ref-b",
            "ref-a-2",
            "ref-a-2-2",
            "ref-a",
        ];
        let mut anchors = Anchors::default();
        let given: Vec<String> = (bases.iter())
            .map(|base| anchors.give(base.to_string()))
            .collect();
        assert_eq!(given, tried_from_one(&bases));
    }
}
