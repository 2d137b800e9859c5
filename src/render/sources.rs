//! The sources page: every source the site's briefs cite, with the briefs
//! citing it, and every source of `sources.yaml`, cited or not.
//!
//! Sources are merged across briefs by registry id, or else by URL, or else
//! by publisher and title, so one article cited by five briefs is one entry.

use std::collections::BTreeMap;

use crate::content::registry::Registry;
use crate::render::view::{LinkView, SourceIndexEntry, SourcesPageView};
use crate::site::Site;

/// Path of the sources page.
pub const PATH: &str = "sources/";

/// The sources page's view: every source of the briefs this build shows.
pub fn page(site: &Site, registry: &Registry) -> SourcesPageView {
    let mut entries: BTreeMap<String, SourceIndexEntry> = BTreeMap::new();
    for e in &registry.entries {
        entries.insert(
            format!("registry:{}", e.id),
            SourceIndexEntry {
                publisher: e.publisher.clone(),
                title: e.title.clone(),
                url: e.url.clone(),
                kind_label: e.kind.label().to_string(),
                tier: e.tier.clone(),
                registry_id: Some(e.id.clone()),
                briefs: Vec::new(),
            },
        );
    }
    for brief in &site.briefs {
        for s in brief.sources.iter().filter(|s| s.number.is_some()) {
            let shared = registry
                .get(&s.id)
                .filter(|e| e.title == s.title && e.url == s.url);
            let key = match (shared, &s.url) {
                (Some(e), _) => format!("registry:{}", e.id),
                (None, Some(url)) => format!("url:{url}"),
                (None, None) => format!("text:{}\u{0}{}", s.publisher, s.title),
            };
            let entry = entries.entry(key).or_insert_with(|| SourceIndexEntry {
                publisher: s.publisher.clone(),
                title: s.title.clone(),
                url: s.url.clone(),
                kind_label: s.kind.label().to_string(),
                tier: s.tier.clone(),
                registry_id: None,
                briefs: Vec::new(),
            });
            let url = site.url(&Site::brief_path(&brief.slug));
            if !entry.briefs.iter().any(|b| b.url == url) {
                entry.briefs.push(LinkView {
                    title: brief.title.clone(),
                    url,
                });
            }
        }
    }
    let mut sources: Vec<SourceIndexEntry> = entries.into_values().collect();
    // Stable, like `sort_by`; each key is lowercased once, not per comparison.
    sources.sort_by_cached_key(|s| {
        (
            s.publisher.to_lowercase(),
            s.title.to_lowercase(),
            s.url.clone(),
        )
    });
    SourcesPageView { sources }
}
