//! The site-wide source registry: `sources.yaml` at the site root defines
//! sources once; any brief may cite them by id without redefining them.
//!
//! Steps: read the file (optional) as a list of sources in the brief schema
//! (plus an optional reliability `tier`), check each entry as a brief's own
//! sources are checked, and index them by id. A brief's own definition of the
//! same id wins; `parse` reports the clash when the two differ. Entries of
//! the site's bibliographies join it (`bibliography`, which imports this).
//! The file is read and checked by `content.rs` (`read_registry`), above the
//! checks it shares with front matter; this is the registry itself.

use std::collections::HashMap;

use crate::content::types::brief::Source;
use crate::diagnostic::Diagnostics;

/// The registry's file name, at the site root.
pub const FILE_NAME: &str = "sources.yaml";

/// Every registry source, by id.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// In file order.
    pub entries: Vec<Source>,
    index: HashMap<String, usize>,
    /// Warnings from reading the registry's files, reported with the site's.
    pub diagnostics: Diagnostics,
    /// Bibliography entries that cannot be used, by id: where each is and
    /// why. Each is a warning; a brief citing one gets an error.
    unusable: HashMap<String, Unusable>,
}

/// A bibliography entry left out of the registry.
#[derive(Debug, Clone)]
pub struct Unusable {
    /// `refs.bib:12:10`.
    pub place: String,
    pub why: String,
}

impl Registry {
    pub fn get(&self, id: &str) -> Option<&Source> {
        self.index.get(id).map(|&i| &self.entries[i])
    }

    /// Adds an entry read from a bibliography (its id is new: the caller
    /// reports duplicates).
    pub fn insert(&mut self, entry: Source) {
        self.index
            .entry(entry.id.clone())
            .or_insert(self.entries.len());
        self.entries.push(entry);
    }

    /// Records an entry that cannot be used.
    pub fn set_unusable(&mut self, id: String, place: String, why: String) {
        self.unusable.insert(id, Unusable { place, why });
    }

    /// Why the entry `id` cannot be used, when it is one of those.
    pub fn unusable(&self, id: &str) -> Option<&Unusable> {
        self.unusable.get(id)
    }

    /// The registry of `entries` (checked, with distinct ids), in file
    /// order, with the warnings of reading them.
    pub fn new(entries: Vec<Source>, diagnostics: Diagnostics) -> Registry {
        let index = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        Registry {
            entries,
            index,
            diagnostics,
            unusable: HashMap::new(),
        }
    }
}

/// Why a source URL cannot be published as written, as a message and a
/// hint; one rule for front matter, `sources.yaml` and bibliographies.
pub fn url_problem(url: &str) -> Option<(String, String)> {
    let ok = match url::Url::parse(url.trim()) {
        Ok(u) => matches!(u.scheme(), "http" | "https") && u.host().is_some(),
        Err(_) => false,
    };
    if !ok {
        return Some((
            format!("source URL `{url}` is not an http(s) URL"),
            "write the full address, starting with https:// or http://".to_string(),
        ));
    }
    let encoded = percent_encoded(url.trim())?;
    Some((
        format!(
            "source URL `{}` has characters a URL must percent-encode",
            url.trim()
        ),
        format!("percent-encode them, a space as %20: `{encoded}`"),
    ))
}

/// A URL's characters that are never valid unencoded (spaces, controls,
/// `"`, `<`, `>`, `\`), percent-encoded; `None` when it has none. Source
/// URLs are published exactly as written, so these are errors, not fixed.
fn percent_encoded(url: &str) -> Option<String> {
    let bad = |c: char| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\');
    if !url.contains(bad) {
        return None;
    }
    let mut out = String::with_capacity(url.len() + 8);
    for c in url.chars() {
        if bad(c) {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}
