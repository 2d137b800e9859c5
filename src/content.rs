//! Content: everything read from the site's files, one file at a time.
//!
//! Steps: read `site.yaml` ([`config`]) and the source registry
//! ([`registry`]); find the content, template and static files
//! ([`discover`]); parse each brief and page ([`parse`]). The rooms below
//! hold the parts a parse uses: front matter and YAML ([`matter`]), the
//! Markdown body ([`body`]), citations and bibliographies ([`cite`]), the
//! per-file checks ([`checks`]), and at the bottom the `Brief`, `Page` and
//! `Source` types ([`types`]). Nothing here knows about other files'
//! content, templates or the output.

pub mod body;
pub mod checks;
pub mod cite;
pub mod config;
pub mod discover;
pub mod matter;
pub mod parse;
pub mod scaffold;
pub mod slugs;
pub mod types;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::checks::validate;
use crate::content::cite::{bibliography, registry};
use crate::content::matter::front_matter;
use crate::content::matter::schema::SourceMatter;
use crate::content::types::brief;
use crate::diagnostic::Diagnostics;
use crate::error::{Error, io_error};
use crate::options::Options;

/// Reads `site.yaml`, with `--base-url` applied.
pub(crate) fn read_config(options: &Options) -> Result<config::Config, Error> {
    let config_path = options.root.join(config::FILE_NAME);
    let config_text = match fs::read_to_string(&config_path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(Error::NoSite(options.root.clone()));
        }
        Err(e) => {
            return Err(io_error(format!("cannot read {}", config_path.display()))(
                e,
            ));
        }
    };
    let mut config = config::parse_in(&config_text, &options.root).map_err(Error::Content)?;
    if let Some(base_url) = &options.base_url {
        config.set_base_url(base_url).map_err(Error::BaseUrl)?;
    }
    config.today = options.today;
    Ok(config)
}

/// Reads `sources.yaml`, if the site has one, and the bibliographies.
pub(crate) fn read_registry(
    root: &Path,
    config: &config::Config,
) -> Result<registry::Registry, Error> {
    let path = root.join(registry::FILE_NAME);
    let (mut registry, yaml) = match fs::read_to_string(&path) {
        Ok(text) => (parse_registry(&text, config).map_err(Error::Content)?, text),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            (registry::Registry::default(), String::new())
        }
        Err(e) => return Err(io_error(format!("cannot read {}", path.display()))(e)),
    };
    if !config.bibliography.is_empty() {
        read_bibliographies(root, config, &mut registry, &yaml)?;
    }
    if let config::Nocite::Keys(keys) = &config.nocite {
        for (key, warning) in keys {
            if registry.get(key).is_none() && registry.unusable(key).is_none() {
                registry.diagnostics.push(warning.clone());
            }
        }
    }
    Ok(registry)
}

/// Reads and checks `sources.yaml` from its text: each entry is checked as
/// a brief's own sources are ([`checks::validate::source_list`]).
pub(crate) fn parse_registry(
    text: &str,
    config: &config::Config,
) -> Result<registry::Registry, Diagnostics> {
    let path = Path::new(registry::FILE_NAME);
    let mut diagnostics = Diagnostics::default();
    let list: Vec<SourceMatter> = front_matter::parse_yaml(path, text, text, 0).map_err(|d| {
        let mut all = Diagnostics::default();
        all.push(d);
        all
    })?;
    let ctx = validate::Ctx::whole(path, text, config);
    validate::source_list(&ctx, &list, &mut diagnostics);
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let entries: Vec<brief::Source> = list
        .iter()
        .map(|s| brief::Source::from_matter(s, &config.csl))
        .collect();
    Ok(registry::Registry::new(entries, diagnostics))
}

/// Adds the entries of `site.yaml`'s `bibliography:` files to the registry.
fn read_bibliographies(
    root: &Path,
    config: &config::Config,
    registry: &mut registry::Registry,
    sources_yaml: &str,
) -> Result<(), Error> {
    let mut files = Vec::with_capacity(config.bibliography.len());
    for name in &config.bibliography {
        let path = root.join(name);
        let text = fs::read_to_string(&path).map_err(io_error(format!(
            "cannot read the bibliography {}",
            path.display()
        )))?;
        files.push(bibliography::File {
            path: PathBuf::from(name),
            text,
        });
    }
    let mut origins = bibliography::Origins::of_sources_yaml(registry, sources_yaml);
    bibliography::read_into(registry, &files, &mut origins, &config.csl).map_err(Error::Content)
}

pub(crate) fn discover_files(root: &Path) -> Result<discover::SiteFiles, Error> {
    discover::discover(root).map_err(io_error(format!(
        "cannot read the site in {}",
        root.display()
    )))
}

/// One content file's parse: the item if it is usable, and its problems.
#[derive(Debug, Clone, Default)]
pub(crate) struct Parsed<T> {
    pub item: Option<Arc<T>>,
    pub diagnostics: Diagnostics,
}

pub(crate) fn parse_briefs(
    files: &[discover::ContentFile],
    config: &config::Config,
    registry: &registry::Registry,
) -> Vec<Parsed<brief::Brief>> {
    // A partial rebuild parses few files: their HTML is kept as written
    // whatever the site's size, and a few briefs' worth is no matter.
    let pack = files.len() >= brief::PACK_FROM;
    files
        .par_iter()
        // One file a piece, so a thread never waits while the other parses
        // the last large share of the list (see `render::render_into`).
        .with_max_len(1)
        .map(|f| {
            let mut diagnostics = Diagnostics::default();
            let brief = parse::brief(f, config, registry, &mut diagnostics);
            let item = brief.map(|mut b| {
                if pack {
                    b.pack();
                }
                Arc::new(b)
            });
            Parsed { item, diagnostics }
        })
        .collect()
}

pub(crate) fn parse_pages(
    files: &[discover::ContentFile],
    config: &config::Config,
) -> Vec<Parsed<brief::Page>> {
    files
        .par_iter()
        .map(|f| {
            let mut diagnostics = Diagnostics::default();
            let item = parse::page(f, config, &mut diagnostics).map(Arc::new);
            Parsed { item, diagnostics }
        })
        .collect()
}
