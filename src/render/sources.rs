//! The sources page: every source the site's briefs cite, with the briefs
//! citing it, and every source of `sources.yaml`, cited or not.
//!
//! Sources are merged across briefs by registry id, or else by URL, or else
//! by publisher and title, so one article cited by five briefs is one entry.
//! The list is paginated by `per_page` like the index.

use std::collections::BTreeMap;

use crate::content::brief::{Brief, Source};
use crate::content::registry::Registry;
use crate::content::schema::Status;
use crate::render::view::{LinkView, SourceIndexEntry};
use crate::site::Site;

/// Path of the sources page.
pub const PATH: &str = "sources/";

/// Path of the sources' page `n` (1-based): `sources/`, `sources/page/2/`, …
pub fn page_path(n: usize) -> String {
    format!("{PATH}{}", Site::index_path(n))
}

/// What merges a brief's source with the same source of other briefs.
#[derive(PartialEq, Eq, Hash)]
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

/// [`merge_key`] as text, which orders the merged list before its sort.
fn key(registry: &Registry, s: &Source) -> String {
    match merge_key(registry, s) {
        Key::Registry(id) => format!("registry:{id}"),
        Key::Url(url) => format!("url:{url}"),
        Key::Text(publisher, title) => format!("text:{publisher}\u{0}{title}"),
    }
}

fn cited(brief: &Brief) -> impl Iterator<Item = &Source> {
    brief.sources.iter().filter(|s| s.number.is_some())
}

/// Number of sources on the sources pages, without building them.
pub fn count(site: &Site) -> usize {
    let registry = &site.registry;
    let cited_at_most: usize = site.briefs.iter().map(|b| b.sources.len()).sum();
    let mut keys: ahash::AHashSet<Key<'_>> =
        ahash::AHashSet::with_capacity(registry.entries.len() + cited_at_most);
    keys.extend(registry.entries.iter().map(|e| Key::Registry(&e.id)));
    for brief in &site.briefs {
        keys.extend(cited(brief).map(|s| merge_key(registry, s)));
    }
    keys.len()
}

/// Every source of the briefs this build shows, in page order.
pub fn entries(site: &Site) -> Vec<SourceIndexEntry> {
    merged(site, |_| true).into_iter().map(|(e, _)| e).collect()
}

/// The briefs (indexes into `site.briefs`) citing each source of the
/// published briefs alone, in page order: what the sitemap dates pages by.
pub fn published_citations(site: &Site) -> Vec<Vec<usize>> {
    merged(site, |b| b.status == Status::Published)
        .into_iter()
        .map(|(_, briefs)| briefs)
        .collect()
}

/// The sources of `registry` and of the briefs `include` keeps, sorted, each
/// with the briefs citing it.
fn merged(site: &Site, include: impl Fn(&Brief) -> bool) -> Vec<(SourceIndexEntry, Vec<usize>)> {
    let registry = &site.registry;
    let mut entries: BTreeMap<String, (SourceIndexEntry, Vec<usize>)> = BTreeMap::new();
    for e in &registry.entries {
        let entry = SourceIndexEntry {
            publisher: e.publisher.clone(),
            title: e.title.clone(),
            url: e.url.clone(),
            kind_label: e.kind.label().to_string(),
            tier: e.tier.clone(),
            registry_id: Some(e.id.clone()),
            briefs: Vec::new(),
        };
        entries.insert(format!("registry:{}", e.id), (entry, Vec::new()));
    }
    for (i, brief) in site.briefs.iter().enumerate() {
        if !include(brief) {
            continue;
        }
        for s in cited(brief) {
            let (entry, citing) = entries.entry(key(registry, s)).or_insert_with(|| {
                let entry = SourceIndexEntry {
                    publisher: s.publisher.clone(),
                    title: s.title.clone(),
                    url: s.url.clone(),
                    kind_label: s.kind.label().to_string(),
                    tier: s.tier.clone(),
                    registry_id: None,
                    briefs: Vec::new(),
                };
                (entry, Vec::new())
            });
            if citing.last() != Some(&i) {
                citing.push(i);
                entry.briefs.push(LinkView {
                    title: brief.title.clone(),
                    url: site.url(&Site::brief_path(&brief.slug)),
                });
            }
        }
    }
    let mut sources: Vec<(SourceIndexEntry, Vec<usize>)> = entries.into_values().collect();
    // Stable: equal keys keep the map's order.
    sources.sort_by_cached_key(|(e, _)| {
        (
            e.publisher.to_lowercase(),
            e.title.to_lowercase(),
            e.url.clone(),
        )
    });
    sources
}
