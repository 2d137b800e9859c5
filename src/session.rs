//! Session: a site kept in memory between builds, so that a change to one
//! file re-renders only what it affects (for `briefs serve`).
//!
//! Steps of a rebuild: classify the changed paths ([`Change`]); re-read what
//! they touch (`site.yaml` means everything; a brief or page means that file,
//! after a fresh walk of its folder to see additions and deletions; a template
//! means the templates; a static file means the static list); rebuild the
//! model; pick the render jobs the change can affect; render them; write the
//! files whose bytes changed (each atomically) and delete the files the site
//! no longer has. The result is always what a clean `briefs build` of the
//! same files writes: `tests/serve.rs` checks that after edits, renames and
//! deletions.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tera::Tera;

use crate::config::{self, Config};
use crate::discover::{self, SiteFiles};
use crate::feed::Feed;
use crate::model::{Site, Taxonomy};
use crate::parse::{Brief, Page};
use crate::registry::Registry;
use crate::render::{self, Content, Job, Output, Sink};
use crate::{Diagnostics, Error, Options, Parsed};

/// What a changed path is to the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    Config,
    Brief,
    Page,
    Template,
    Static,
    /// Not part of the site (editor swap files, the output folder, …).
    Ignored,
}

/// Classifies `path` (absolute, or relative to the working directory) for the site at `root`.
pub fn classify(root: &Path, path: &Path) -> Change {
    let Ok(rel) = path.strip_prefix(root) else {
        return Change::Ignored;
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if name.starts_with('.') || name.ends_with('~') || name.starts_with('#') {
        return Change::Ignored;
    }
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    match (parts.next().as_deref(), parts.next().as_deref()) {
        (Some(config::FILE_NAME | crate::registry::FILE_NAME), None) => Change::Config,
        (Some("content"), Some("briefs")) => Change::Brief,
        (Some("content"), Some("pages")) => Change::Page,
        (Some("templates"), Some(_)) => Change::Template,
        (Some("static"), Some(_)) => Change::Static,
        _ => Change::Ignored,
    }
}

/// What one rebuild did.
#[derive(Debug, Default)]
pub struct Rebuilt {
    /// Pages and feeds rendered.
    pub rendered: usize,
    /// Files whose bytes changed on disk.
    pub written: usize,
    /// Files deleted because the site no longer has them.
    pub removed: usize,
    pub elapsed: Duration,
    /// Warnings.
    pub diagnostics: Diagnostics,
}

/// The site between builds.
pub struct Session {
    options: Options,
    /// Canonical site root, to classify watcher paths.
    root: PathBuf,
    output: PathBuf,
    files: SiteFiles,
    registry: Registry,
    briefs: BTreeMap<PathBuf, Parsed<Brief>>,
    pages: BTreeMap<PathBuf, Parsed<Page>>,
    /// The model and templates of the last good build.
    last: Option<(Site, Arc<Tera>)>,
    /// Output path -> hash of the bytes on disk.
    written: HashMap<String, blake3::Hash>,
    /// Paths of the data files (search shards vary with content) last written.
    data_paths: HashSet<String>,
    /// Changes not yet built: a failed rebuild keeps them for the next one.
    pending: Vec<PathBuf>,
}

impl Session {
    /// Starts a session writing into `output` (created if needed). The first
    /// build's result is returned beside the session: content errors do not
    /// prevent a session, a later good save recovers.
    pub fn start(
        options: Options,
        output: PathBuf,
    ) -> Result<(Session, Result<Rebuilt, Error>), Error> {
        fs::create_dir_all(&output).map_err(crate::io_error(format!(
            "cannot create {}",
            output.display()
        )))?;
        let root = options
            .root
            .canonicalize()
            .map_err(crate::io_error(format!(
                "cannot open the site folder {}",
                options.root.display()
            )))?;
        if !root.join(config::FILE_NAME).is_file() {
            return Err(Error::NoSite(options.root.clone()));
        }
        let mut session = Session {
            options,
            root,
            output,
            files: SiteFiles::default(),
            registry: Registry::default(),
            briefs: BTreeMap::new(),
            pages: BTreeMap::new(),
            last: None,
            written: HashMap::new(),
            data_paths: HashSet::new(),
            pending: Vec::new(),
        };
        let first = session.rebuild(&[]);
        Ok((session, first))
    }

    /// The site root, canonical.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Rebuilds after `changed` paths; an empty list (or a failed last build)
    /// means everything.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Rebuilt, Error> {
        let start = Instant::now();
        let everything = changed.is_empty();
        self.pending.extend(changed.iter().cloned());
        let mut kinds: BTreeMap<Change, Vec<PathBuf>> = BTreeMap::new();
        for path in &self.pending {
            kinds
                .entry(classify(&self.root, path))
                .or_default()
                .push(path.clone());
        }
        let full = everything || kinds.contains_key(&Change::Config) || self.last.is_none();
        let result = if full {
            self.full()
        } else if kinds.keys().all(|k| *k == Change::Ignored) {
            Ok(Rebuilt::default())
        } else {
            self.partial(&kinds)
        };
        let mut rebuilt = result?;
        self.pending.clear();
        rebuilt.elapsed = start.elapsed();
        Ok(rebuilt)
    }

    /// Checks across the parsed files and builds the model.
    fn assemble(&self, config: Config) -> Result<(Site, Diagnostics), Error> {
        let (options, timings) = (&self.options, &mut crate::Timings::default());
        crate::assemble(
            config,
            self.briefs.values(),
            self.pages.values(),
            &self.registry,
            options.drafts,
            options.strict,
            timings,
        )
    }

    fn config(&self) -> Result<Config, Error> {
        crate::read_config(&self.options)
    }

    fn full(&mut self) -> Result<Rebuilt, Error> {
        let config = self.config()?;
        let files = crate::discover_files(&self.root)?;
        self.registry = crate::read_registry(&self.root, &config)?;
        self.briefs = keyed(
            &files.briefs,
            crate::parse_briefs(&files.briefs, &config, &self.registry),
        );
        self.pages = keyed(&files.pages, crate::parse_pages(&files.pages, &config));
        self.files = files;
        let tera = Arc::new(
            render::load_templates(&self.files.templates).map_err(|e| Error::Templates(e.0))?,
        );
        let (site, diagnostics) = self.assemble(config)?;
        let jobs = Job::all(&site);
        self.finish(site, tera, &jobs, true, diagnostics)
    }

    fn partial(&mut self, kinds: &BTreeMap<Change, Vec<PathBuf>>) -> Result<Rebuilt, Error> {
        let (old_site, old_tera) = self
            .last
            .take()
            .expect("partial rebuilds follow a good build");
        let result = self.partial_from(&old_site, old_tera.clone(), kinds);
        if self.last.is_none() {
            // A failed rebuild keeps the last good model for the next one.
            self.last = Some((old_site, old_tera));
        }
        result
    }

    fn partial_from(
        &mut self,
        old: &Site,
        tera: Arc<Tera>,
        kinds: &BTreeMap<Change, Vec<PathBuf>>,
    ) -> Result<Rebuilt, Error> {
        let config = old.config.clone();
        let fresh = crate::discover_files(&self.root)?;
        let mut changed_briefs: HashSet<PathBuf> = HashSet::new();
        if let Some(paths) = kinds.get(&Change::Brief) {
            changed_briefs = paths.iter().cloned().collect();
            let registry = &self.registry;
            self.briefs = reparse(&self.briefs, &fresh.briefs, &changed_briefs, |files| {
                crate::parse_briefs(files, &config, registry)
            });
        }
        let mut changed_pages: HashSet<PathBuf> = HashSet::new();
        if let Some(paths) = kinds.get(&Change::Page) {
            changed_pages = paths.iter().cloned().collect();
            self.pages = reparse(&self.pages, &fresh.pages, &changed_pages, |files| {
                crate::parse_pages(files, &config)
            });
        }
        let templates_changed = kinds.contains_key(&Change::Template);
        let tera = if templates_changed {
            Arc::new(render::load_templates(&fresh.templates).map_err(|e| Error::Templates(e.0))?)
        } else {
            tera
        };
        self.files = fresh;
        let (site, diagnostics) = self.assemble(config)?;

        let mut jobs: Vec<Job> = Vec::new();
        let briefs_changed = !changed_briefs.is_empty();
        if nav_changed(old, &site) || (templates_changed && touches_base(kinds)) {
            jobs = Job::all(&site);
        } else {
            if briefs_changed {
                jobs.extend(brief_jobs(old, &site, &changed_briefs, &self.root));
            }
            if !changed_pages.is_empty() {
                jobs.extend(page_jobs(&site, &changed_pages, &self.root));
            }
            jobs.extend(crate::content_links::moved(old, &site));
            if templates_changed {
                let affected = dependents(
                    &self.files,
                    kinds.get(&Change::Template).map_or(&[][..], |v| v),
                    &self.root,
                );
                jobs.extend(
                    Job::all(&site)
                        .into_iter()
                        .filter(|j| affected.contains(j.template())),
                );
            }
        }
        dedup(&mut jobs);
        self.finish(site, tera, &jobs, briefs_changed, diagnostics)
    }

    /// Renders `jobs`, writes what changed and deletes what is gone.
    fn finish(
        &mut self,
        site: Site,
        tera: Arc<Tera>,
        jobs: &[Job],
        data: bool,
        mut diagnostics: Diagnostics,
    ) -> Result<Rebuilt, Error> {
        let copies = crate::files_to_copy(&site, &self.files);
        crate::check_collisions(&site, &copies, &mut diagnostics);
        crate::content_links::check(&site, &self.files, &self.root, &mut diagnostics);
        if diagnostics.has_errors() {
            return Err(Error::Content(diagnostics));
        }
        let copy_paths: Vec<String> = copies.iter().map(|o| o.path.clone()).collect();
        let syncer = Syncer {
            dir: &self.output,
            known: &self.written,
            seen: Mutex::default(),
            written: 0.into(),
        };
        crate::render_all(&site, &tera, jobs, data, copies, &syncer)?;
        let written = syncer.written.into_inner();
        let seen = syncer
            .seen
            .into_inner()
            .expect("the sync lock is never poisoned");

        let job_paths: HashSet<String> = jobs.iter().map(|j| j.output_path(&site)).collect();
        if data {
            let copies: HashSet<&String> = copy_paths.iter().collect();
            self.data_paths = seen
                .keys()
                .filter(|p| !job_paths.contains(*p) && !copies.contains(p))
                .cloned()
                .collect();
        }
        self.written.extend(seen);
        let mut expected: HashSet<String> = Job::all(&site)
            .into_iter()
            .map(|j| j.output_path(&site))
            .collect();
        expected.extend(copy_paths);
        expected.extend(self.data_paths.iter().cloned());
        let removed = self
            .remove_stale(&expected)
            .map_err(crate::io_error(format!(
                "cannot write to {}",
                self.output.display()
            )))?;
        self.last = Some((site, tera));
        Ok(Rebuilt {
            rendered: jobs.len(),
            written,
            removed,
            elapsed: Duration::ZERO,
            diagnostics,
        })
    }

    /// Deletes the files written earlier that the site no longer has.
    fn remove_stale(&mut self, expected: &HashSet<String>) -> io::Result<usize> {
        let stale: Vec<String> = self
            .written
            .keys()
            .filter(|p| !expected.contains(*p))
            .cloned()
            .collect();
        for path in &stale {
            match fs::remove_file(self.output.join(path)) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
            self.written.remove(path);
        }
        Ok(stale.len())
    }
}

/// A sink that writes only the files whose bytes changed, each atomically,
/// and remembers every file's hash.
struct Syncer<'a> {
    dir: &'a Path,
    /// Hashes of the files on disk before this rebuild.
    known: &'a HashMap<String, blake3::Hash>,
    /// Hashes of the files this rebuild produced.
    seen: Mutex<HashMap<String, blake3::Hash>>,
    written: AtomicUsize,
}

impl Sink for Syncer<'_> {
    fn put(&self, output: Output) -> io::Result<()> {
        let bytes: std::borrow::Cow<[u8]> = match &output.content {
            Content::Bytes(b) => b.into(),
            Content::Embedded(b) => (*b).into(),
            Content::Copy(from) => fs::read(from)?.into(),
        };
        let hash = blake3::hash(&bytes);
        if self.known.get(&output.path) != Some(&hash) {
            write_atomic(self.dir, &output.path, &bytes)?;
            self.written.fetch_add(1, Ordering::Relaxed);
        }
        self.seen
            .lock()
            .expect("the sync lock is never poisoned")
            .insert(output.path, hash);
        Ok(())
    }
}

/// Parsed files keyed by the path a watcher reports.
fn keyed<T>(
    files: &[discover::ContentFile],
    parsed: Vec<Parsed<T>>,
) -> BTreeMap<PathBuf, Parsed<T>> {
    files.iter().map(|f| f.abs.clone()).zip(parsed).collect()
}

/// Keeps unchanged parses, parses changed and new files, drops deleted ones.
fn reparse<T>(
    old: &BTreeMap<PathBuf, Parsed<T>>,
    files: &[discover::ContentFile],
    changed: &HashSet<PathBuf>,
    parse: impl Fn(&[discover::ContentFile]) -> Vec<Parsed<T>>,
) -> BTreeMap<PathBuf, Parsed<T>> {
    // A bundle's asset changing means its index.md's brief changes.
    let touched = |f: &discover::ContentFile| {
        changed.contains(&f.abs)
            || !old.contains_key(&f.abs)
            || f.abs.parent().is_some_and(|dir| {
                f.path.ends_with("index.md") && changed.iter().any(|c| c.starts_with(dir))
            })
    };
    let to_parse: Vec<discover::ContentFile> =
        files.iter().filter(|f| touched(f)).cloned().collect();
    let mut fresh: HashMap<PathBuf, Parsed<T>> = to_parse
        .iter()
        .map(|f| f.abs.clone())
        .zip(parse(&to_parse))
        .collect();
    files
        .iter()
        .map(|f| {
            let parsed = fresh.remove(&f.abs).unwrap_or_else(|| {
                let kept = &old[&f.abs];
                Parsed {
                    item: kept.item.clone(),
                    diagnostics: kept.diagnostics.clone(),
                }
            });
            (f.abs.clone(), parsed)
        })
        .collect()
}

/// True when what every page shows in its header (free pages' titles and
/// slugs) differs.
fn nav_changed(old: &Site, new: &Site) -> bool {
    let nav = |s: &Site| {
        s.pages
            .iter()
            .map(|p| (p.slug.clone(), p.title.clone()))
            .collect::<Vec<_>>()
    };
    nav(old) != nav(new)
}

/// The jobs a change to some briefs can affect.
fn brief_jobs(old: &Site, new: &Site, changed: &HashSet<PathBuf>, root: &Path) -> Vec<Job> {
    let is_changed = |b: &Brief| changed.contains(&root.join(&b.path));
    let new_index: HashMap<&Path, usize> = new
        .briefs
        .iter()
        .enumerate()
        .map(|(i, b)| (b.path.as_path(), i))
        .collect();
    let mut briefs: HashSet<usize> = HashSet::new();
    let near = |i: usize, briefs: &mut HashSet<usize>| {
        briefs.extend(
            [i.checked_sub(1), Some(i), Some(i + 1)]
                .into_iter()
                .flatten()
                .filter(|&j| j < new.briefs.len()),
        );
    };
    // Old neighbours of a changed (or deleted) brief lose or change a link.
    for (i, b) in old.briefs.iter().enumerate() {
        let deleted = !new_index.contains_key(b.path.as_path());
        if is_changed(b) || deleted {
            for j in [i.checked_sub(1), Some(i + 1)].into_iter().flatten() {
                if let Some(&k) = old
                    .briefs
                    .get(j)
                    .and_then(|n| new_index.get(n.path.as_path()))
                {
                    briefs.insert(k);
                }
            }
        }
    }
    let old_paths: HashSet<&Path> = old.briefs.iter().map(|b| b.path.as_path()).collect();
    for (i, b) in new.briefs.iter().enumerate() {
        if is_changed(b) || !old_paths.contains(b.path.as_path()) {
            near(i, &mut briefs);
        }
    }
    let mut jobs: Vec<Job> = briefs.into_iter().map(Job::Brief).collect();
    jobs.sort_by_key(|j| match j {
        Job::Brief(i) => *i,
        _ => 0,
    });
    jobs.extend(listing_jobs(old, new, &is_changed));
    jobs
}

/// The listings a change to some briefs can affect: the index pages that
/// show them (all of them when the order moved), the pages, feeds and bands
/// of their old and new terms and scores, and the site-wide lists.
fn listing_jobs(old: &Site, new: &Site, is_changed: &dyn Fn(&Brief) -> bool) -> Vec<Job> {
    let paths = |site: &Site| {
        site.briefs
            .iter()
            .map(|b| b.path.clone())
            .collect::<Vec<_>>()
    };
    let touched = |site: &Site| -> Vec<usize> {
        let new_paths: HashSet<&Path> = new.briefs.iter().map(|b| b.path.as_path()).collect();
        let old_paths: HashSet<&Path> = old.briefs.iter().map(|b| b.path.as_path()).collect();
        (0..site.briefs.len())
            .filter(|&i| {
                let b = &site.briefs[i];
                is_changed(b)
                    || !new_paths.contains(b.path.as_path())
                    || !old_paths.contains(b.path.as_path())
            })
            .collect()
    };
    let (old_touched, new_touched) = (touched(old), touched(new));
    let per_page = new.config.per_page;
    let same_order = paths(old) == paths(new);
    let pages: HashSet<usize> = new_touched.iter().map(|i| i / per_page + 1).collect();
    let mut slugs: HashSet<(Taxonomy, String)> = HashSet::new();
    let mut bands: HashSet<String> = HashSet::new();
    for (site, touched) in [(old, &old_touched), (new, &new_touched)] {
        for &i in touched.iter() {
            let b = &site.briefs[i];
            slugs.extend(b.tags.iter().map(|t| (Taxonomy::Tags, slug::slugify(t))));
            slugs.extend(
                b.entities
                    .iter()
                    .map(|t| (Taxonomy::Entities, slug::slugify(t))),
            );
            bands.insert(site.config.band(b.score).slug.clone());
        }
    }
    let band_counts = |site: &Site| {
        crate::scores::band_links(site)
            .into_iter()
            .map(|b| b.count)
            .collect::<Vec<_>>()
    };
    let all_bands = band_counts(old) != band_counts(new);
    // Term pages also get the whole taxonomy (names and counts): when that
    // moved, every page of the taxonomy is re-rendered.
    let counts = |site: &Site, t: Taxonomy| {
        site.terms(t)
            .iter()
            .map(|term| (term.slug.clone(), term.name.clone(), term.briefs.len()))
            .collect::<Vec<_>>()
    };
    let all_terms = |t: Taxonomy| counts(old, t) != counts(new, t);
    let (all_tags, all_entities) = (all_terms(Taxonomy::Tags), all_terms(Taxonomy::Entities));
    Job::all(new)
        .into_iter()
        .filter(|j| match *j {
            Job::Index(n) => !same_order || pages.contains(&n),
            Job::Term(t, i) => {
                let all = if t == Taxonomy::Tags {
                    all_tags
                } else {
                    all_entities
                };
                all || slugs.contains(&(t, new.terms(t)[i].slug.clone()))
            }
            Job::Atom(Feed::Tag(i)) => slugs.contains(&(Taxonomy::Tags, new.tags[i].slug.clone())),
            Job::Band(i) => all_bands || bands.contains(&new.config.bands[i].slug),
            Job::TaxonomyList(_)
            | Job::Watch
            | Job::Review
            | Job::Top
            | Job::Sources
            | Job::Atom(_) => true,
            Job::Brief(_) | Job::Page(_) | Job::Search | Job::NotFound => false,
        })
        .collect()
}

fn page_jobs(site: &Site, changed: &HashSet<PathBuf>, root: &Path) -> Vec<Job> {
    (0..site.pages.len())
        .filter(|&i| changed.contains(&root.join(&site.pages[i].path)))
        .map(Job::Page)
        .collect()
}

fn touches_base(kinds: &BTreeMap<Change, Vec<PathBuf>>) -> bool {
    kinds
        .get(&Change::Template)
        .is_some_and(|paths| paths.iter().any(|p| p.ends_with("base.html")))
}

/// Template names that extend or include any changed template, transitively.
fn dependents(files: &SiteFiles, changed: &[PathBuf], root: &Path) -> HashSet<String> {
    let templates = root.join("templates");
    let mut affected: HashSet<String> = changed
        .iter()
        .filter_map(|p| p.strip_prefix(&templates).ok())
        .map(|rel| {
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    // Sources of every template, the site's over the built-in ones.
    let mut sources: BTreeMap<String, String> = crate::theme::TEMPLATES
        .iter()
        .map(|(n, s)| (n.to_string(), s.to_string()))
        .collect();
    for f in &files.templates {
        if let Ok(text) = fs::read_to_string(&f.abs) {
            sources.insert(f.rel.clone(), text);
        }
    }
    loop {
        let before = affected.len();
        for (name, text) in &sources {
            if affected
                .iter()
                .any(|a| text.contains(&format!("\"{a}\"")) || text.contains(&format!("'{a}'")))
            {
                affected.insert(name.clone());
            }
        }
        if affected.len() == before {
            return affected;
        }
    }
}

fn dedup(jobs: &mut Vec<Job>) {
    let mut seen = HashSet::new();
    jobs.retain(|j| seen.insert(*j));
}

/// Writes `bytes` to `dir/path` through a temporary sibling and a rename, so
/// a reader sees the old file or the new one, never part of one.
fn write_atomic(dir: &Path, path: &str, bytes: &[u8]) -> io::Result<()> {
    let target = dir.join(path);
    let parent = target.parent().expect("output paths have a parent");
    fs::create_dir_all(parent)?;
    let mut tmp = tempfile::NamedTempFile::new_in(parent)?;
    io::Write::write_all(&mut tmp, bytes)?;
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_table() {
        let root = Path::new("/site");
        let cases = [
            ("/site/site.yaml", Change::Config),
            ("/site/content/briefs/a.md", Change::Brief),
            ("/site/content/briefs/b/chart.png", Change::Brief),
            ("/site/content/pages/about.md", Change::Page),
            ("/site/templates/partials/x.html", Change::Template),
            ("/site/static/css/a.css", Change::Static),
            ("/site/content/briefs/.a.md.swp", Change::Ignored),
            ("/site/content/briefs/a.md~", Change::Ignored),
            ("/site/public/index.html", Change::Ignored),
            ("/elsewhere/site.yaml", Change::Ignored),
        ];
        for (path, expected) in cases {
            assert_eq!(classify(root, Path::new(path)), expected, "{path}");
        }
    }
}
