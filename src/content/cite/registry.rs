//! The site-wide source registry: `sources.yaml` at the site root defines
//! sources once; any brief may cite them by id without redefining them.
//!
//! Steps: read the file (optional) as a list of sources in the brief schema
//! (plus an optional reliability `tier`), check each entry as a brief's own
//! sources are checked, and index them by id. A brief's own definition of the
//! same id wins; `parse` reports the clash when the two differ. Entries of
//! the site's bibliographies join it ([`crate::content::cite::bibliography`]).

use std::collections::HashMap;
use std::path::Path;

use crate::content::checks::validate;
use crate::content::config::Config;
use crate::content::matter::front_matter;
use crate::content::matter::schema::SourceMatter;
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

    /// Reads and checks `sources.yaml` from its text.
    pub fn parse(text: &str, config: &Config) -> Result<Registry, Diagnostics> {
        let path = Path::new(FILE_NAME);
        let mut diagnostics = Diagnostics::default();
        let list: Vec<SourceMatter> =
            front_matter::parse_yaml(path, text, text, 0).map_err(|d| {
                let mut all = Diagnostics::default();
                all.push(d);
                all
            })?;
        let ctx = validate::Ctx::whole(path, text, config);
        validate::source_list(&ctx, &list, &mut diagnostics);
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        let entries: Vec<Source> = list
            .iter()
            .map(|s| Source::from_matter(s, &config.csl))
            .collect();
        let index = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        Ok(Registry {
            entries,
            index,
            diagnostics,
            unusable: HashMap::new(),
        })
    }
}
