//! Session: a site kept in memory between builds, so that a change to one
//! file re-renders only what it affects (for `briefs serve`).
//!
//! Steps of a rebuild: classify the changed paths ([`invalidate::Change`]); re-read what
//! they touch (`site.yaml` means everything; a brief or page `.md` file named
//! by the watcher means that file, parsed again, added or forgotten without a
//! walk; anything the paths cannot tell, such as a folder or a bundle's file,
//! means a fresh walk of the folders; a template means the templates; a
//! static file means the static list); rebuild the model; pick the render
//! jobs the change can affect ([`invalidate::jobs`]); render them and bring
//! the data files' per-brief shares up to date ([`crate::render::data`]);
//! write the files whose bytes changed and delete the files the site no
//! longer has ([`crate::output::sync`]). The result is always what a clean `briefs build` of the
//! same files writes: `tests/serve.rs` checks that after edits, renames and
//! deletions.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tera::Tera;

use crate::content::Parsed;
use crate::content::brief::{Brief, Page};
use crate::content::config::{self, Config};
use crate::content::discover::{self, ContentFile, SiteFiles};
use crate::content::registry::Registry;
use crate::diagnostic::Diagnostics;
use crate::error::Error;
use crate::options::Options;
use crate::output::links::{Links, Pages, Tee};
use crate::output::{locate, sync};
use crate::render::data::DataFiles;
use crate::render::{self, Job, Sink};
use crate::serve::invalidate::{self, Change, classify};
use crate::site::Site;

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
    /// The data files' per-brief shares and the search index, so a change
    /// re-makes only its briefs' part.
    data: DataFiles,
    /// Changes not yet built: a failed rebuild keeps them for the next one.
    pending: Vec<PathBuf>,
    /// Every page's output path, kept between saves.
    page_paths: PagePaths,
    /// The sources pages' count, kept between saves.
    sources: render::sources::Counter,
    /// What the last stale-file check saw.
    stale_check: Option<StaleCheck>,
    /// A good build was served: the folder holds a site.
    served: bool,
    /// A rebuild panicked midway: the next one builds everything.
    full_next: bool,
    /// What the link check knows of the pages on disk.
    links: LinkRecord,
}

/// The files a rebuild made, held until the link check passes, so a save
/// that breaks a link leaves the served folder as it was. Only a rebuild
/// of a few pages holds them; a full rebuild writes as it renders.
#[derive(Default)]
struct Held(std::sync::Mutex<Vec<crate::render::Output>>);

impl Held {
    /// Writes what it holds into the folder `dir`, through `syncer`.
    fn write_into(self, syncer: &sync::Syncer, dir: &Path) -> Result<(), Error> {
        let cannot = || format!("cannot write to {}", dir.display());
        for output in self
            .0
            .into_inner()
            .expect("the held lock is never poisoned")
        {
            syncer
                .put(output)
                .map_err(crate::error::io_error(cannot()))?;
        }
        Ok(())
    }
}

impl Sink for Held {
    fn put(&self, output: crate::render::Output) -> std::io::Result<()> {
        self.0
            .lock()
            .expect("the held lock is never poisoned")
            .push(output);
        Ok(())
    }
}

/// What a stale-file check saw; it leaves no file stale. Until the pages'
/// paths, the other files' paths or the set of written files change, no
/// file can go stale, and the next check is skipped (it hashes every
/// written path: 15% of a one-brief save at 10,000 briefs). Written files
/// are only added between checks, so their count tells the set.
#[derive(PartialEq)]
struct StaleCheck {
    /// `PagePaths::made` of the pages' paths.
    pages: u64,
    /// Every other file's path (copies, data files, shards), sorted.
    others: Vec<String>,
    written: usize,
}

/// Every page's output path, kept between saves while the pages and their
/// slugs stay the same: listing them formats a path per page (8.6% of a
/// one-brief save at 10,000 briefs).
#[derive(Default)]
struct PagePaths {
    all: Vec<Job>,
    /// The slugs of the briefs, pages, tags and entities, in order.
    slugs: Vec<String>,
    paths: HashSet<String>,
    /// How many times `paths` was made: it changes when they may have.
    made: u64,
}

impl PagePaths {
    /// Brings `paths` to the output paths of `all` (every page of `site`).
    fn update(&mut self, site: &Site, all: &[Job]) {
        let slugs = || {
            (site.briefs.iter().map(|b| b.slug.as_str()))
                .chain(site.pages.iter().map(|p| p.slug.as_str()))
                .chain(site.tags.iter().map(|t| t.slug.as_str()))
                .chain(site.entities.iter().map(|t| t.slug.as_str()))
        };
        // A job's path is made of its kind, its numbers and the slug it
        // names (the configuration's band slugs change only in a full rebuild).
        if self.all != all || !slugs().eq(self.slugs.iter().map(String::as_str)) {
            self.paths = all.iter().map(|j| j.output_path(site)).collect();
            self.made += 1;
            self.all = all.to_vec();
            self.slugs = slugs().map(str::to_string).collect();
        }
    }
}

impl Session {
    /// Starts a session writing into `output` (created if needed). The first
    /// build's result is returned beside the session: content errors do not
    /// prevent a session, a later good save recovers.
    pub fn start(
        options: Options,
        output: PathBuf,
    ) -> Result<(Session, Result<Rebuilt, Error>), Error> {
        fs::create_dir_all(&output).map_err(crate::error::io_error(format!(
            "cannot create {}",
            output.display()
        )))?;
        let root = options
            .root
            .canonicalize()
            .map_err(crate::error::io_error(format!(
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
            data: DataFiles::kept(),
            pending: Vec::new(),
            page_paths: PagePaths::default(),
            sources: render::sources::Counter::default(),
            stale_check: None,
            served: false,
            full_next: false,
            links: LinkRecord {
                links: Links::new("/", ""),
                whole: false,
            },
        };
        let first = session.rebuild(&[]);
        Ok((session, first))
    }

    /// The site root, canonical.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// True once a build has succeeded: there is a site to serve.
    pub fn has_site(&self) -> bool {
        self.served
    }

    /// After a rebuild that panicked midway (see `serve::guarded`): nothing
    /// it kept can be trusted. The next rebuild builds everything, and
    /// compares no file with what it last wrote (a file written before the
    /// panic is not recorded), so every file is written again, and then
    /// deletes every file of the folder the site does not have.
    pub(crate) fn forget_after_panic(&mut self) {
        self.full_next = true;
        self.stale_check = None;
        let unknown = blake3::Hash::from_bytes([0; 32]);
        for hash in self.written.values_mut() {
            *hash = unknown;
        }
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
        let full = everything
            || kinds.contains_key(&Change::Config)
            || self.last.is_none()
            || self.full_next;
        let result = if full {
            self.full()
        } else if kinds.keys().all(|k| *k == Change::Ignored) {
            Ok(Rebuilt::default())
        } else {
            self.partial(&kinds)
        };
        let mut rebuilt = result?;
        self.pending.clear();
        self.full_next = false;
        rebuilt.elapsed = start.elapsed();
        Ok(rebuilt)
    }

    /// Checks across the parsed files and builds the model, from the
    /// `previous` one when the change leaves every brief in its place.
    fn assemble(
        &self,
        config: Config,
        previous: Option<&Site>,
    ) -> Result<(Site, Diagnostics), Error> {
        let (options, timings) = (&self.options, &mut crate::timings::Timings::default());
        let (briefs, pages, diagnostics) = crate::site::checked(
            &config,
            self.briefs.values(),
            self.pages.values(),
            &self.registry,
            options.strict,
            timings,
        )?;
        let registry = self.registry.clone();
        let site = match previous {
            Some(old) => Site::reuse(old, config.clone(), &briefs, &pages, registry.clone()),
            None => None,
        };
        let site =
            site.unwrap_or_else(|| Site::new(config, briefs, pages, registry, options.drafts));
        Ok((site, diagnostics))
    }

    fn config(&self) -> Result<Config, Error> {
        crate::content::read_config(&self.options)
    }

    fn full(&mut self) -> Result<Rebuilt, Error> {
        let config = self.config()?;
        let files = crate::content::discover_files(&self.root)?;
        self.registry = crate::content::read_registry(&self.root, &config)?;
        self.briefs = keyed(
            &files.briefs,
            crate::content::parse_briefs(&files.briefs, &config, &self.registry),
        );
        self.pages = keyed(
            &files.pages,
            crate::content::parse_pages(&files.pages, &config),
        );
        self.files = files;
        let tera = Arc::new(
            render::load_templates(&self.files.templates).map_err(|e| Error::Templates(e.0))?,
        );
        let (site, diagnostics) = self.assemble(config, None)?;
        // The configuration and the registry may have changed every share,
        // band path and source.
        self.sources = render::sources::Counter::default();
        let all = Job::all_with(&site, self.sources.count(&site));
        self.data = DataFiles::kept();
        self.page_paths = PagePaths::default();
        self.stale_check = None;
        self.finish(site, tera, (&all, &all), diagnostics, true)
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
        let none = Vec::new();
        let brief_paths = kinds.get(&Change::Brief).unwrap_or(&none);
        let page_paths = kinds.get(&Change::Page).unwrap_or(&none);
        let changed_briefs: HashSet<PathBuf> = brief_paths.iter().cloned().collect();
        let changed_pages: HashSet<PathBuf> = page_paths.iter().cloned().collect();
        let registry = &self.registry;
        let parse_briefs =
            |files: &[ContentFile]| crate::content::parse_briefs(files, &config, registry);
        let parse_pages = |files: &[ContentFile]| crate::content::parse_pages(files, &config);
        // Brief and page files the watcher named need no walk of the folders.
        let direct = kinds
            .keys()
            .all(|k| matches!(k, Change::Brief | Change::Page | Change::Ignored))
            .then(|| {
                let briefs = direct_edits(&self.root, BRIEFS, brief_paths)?;
                Some((briefs, direct_edits(&self.root, PAGES, page_paths)?))
            })
            .flatten();
        if let Some((brief_edits, page_edits)) = direct {
            apply(
                &mut self.briefs,
                &mut self.files.briefs,
                brief_edits,
                parse_briefs,
            );
            apply(
                &mut self.pages,
                &mut self.files.pages,
                page_edits,
                parse_pages,
            );
        } else {
            let fresh = crate::content::discover_files(&self.root)?;
            if !changed_briefs.is_empty() {
                self.briefs = reparse(&self.briefs, &fresh.briefs, &changed_briefs, parse_briefs);
            }
            if !changed_pages.is_empty() {
                self.pages = reparse(&self.pages, &fresh.pages, &changed_pages, parse_pages);
            }
            self.files = fresh;
        }
        let tera = if kinds.contains_key(&Change::Template) {
            let templates = &self.files.templates;
            Arc::new(render::load_templates(templates).map_err(|e| Error::Templates(e.0))?)
        } else {
            tera
        };
        let (site, diagnostics) = self.assemble(config, Some(old))?;

        let changes = invalidate::Changes {
            briefs: &changed_briefs,
            pages: &changed_pages,
            templates: kinds.get(&Change::Template).map_or(&[][..], |v| v),
        };
        // Every page of the site, listed once per rebuild; the sources
        // count swaps only the re-parsed briefs' sources.
        let all = Job::all_with(&site, self.sources.count(&site));
        let jobs = invalidate::jobs(old, &site, &all, &changes, &self.files, &self.root);
        self.finish(site, tera, (&jobs, &all), diagnostics, false)
    }

    /// Renders `jobs` (of `all`, every page of the site), checks their
    /// links, writes what changed and deletes what is gone. A `full`
    /// rebuild checks every link and writes as it renders.
    fn finish(
        &mut self,
        site: Site,
        tera: Arc<Tera>,
        (jobs, all): (&[Job], &[Job]),
        mut diagnostics: Diagnostics,
        full: bool,
    ) -> Result<Rebuilt, Error> {
        let copies = self.copies_checked(&site, all, &mut diagnostics)?;
        let copy_paths: Vec<String> = copies.iter().map(|o| o.path.clone()).collect();
        if full {
            self.links.links = Links::new(site.config.root(), site.config.base_url.as_str());
        }
        let rerendered: HashSet<String> = match full {
            true => HashSet::new(),
            false => jobs.iter().map(|j| j.output_path(&site)).collect(),
        };
        let forgotten = self.links.links.forget_pages(&rerendered);
        let syncer = sync::Syncer::new(&self.output, &self.written);
        let held = Held::default();
        let into: &dyn Sink = if full { &syncer } else { &held };
        let tee = Tee {
            links: &self.links.links,
            inner: into,
        };
        let rendered =
            crate::render::copies::render_all(&site, &tera, jobs, &mut self.data, copies, &tee);
        let check = self.paths_check(copy_paths);
        let pages = &self.page_paths.paths;
        let others: HashSet<&str> = check.others.iter().map(String::as_str).collect();
        let expected = |path: &str| pages.contains(path) || others.contains(path);
        let link_check = LinkCheck {
            full,
            rerendered: &rerendered,
            forgotten: &forgotten,
            moved: self
                .stale_check
                .as_ref()
                .is_none_or(|last| last.pages != check.pages || last.others != check.others),
        };
        let checked = match rendered {
            Ok(()) => {
                self.links
                    .check((&site, &self.root), &expected, link_check, &mut diagnostics)
            }
            Err(e) => Err(e),
        };
        drop(others);
        if checked.is_ok() {
            held.write_into(&syncer, &self.output)?;
        } else if !full {
            // Nothing of it was written: the record goes back to the folder.
            self.links.links.restore(&rerendered, forgotten);
        }
        // What reached the folder is on disk even when rendering failed:
        // remember it, so a later rebuild can delete it if it goes stale.
        #[cfg(test)]
        test_panic::maybe();
        let (written, seen) = syncer.finish();
        self.written.extend(seen);
        if checked.is_err() {
            // The shares moved on, but their files may not all be written.
            self.data = DataFiles::kept();
        }
        checked?;
        let removed = self.sweep(check)?;
        self.last = Some((site, tera));
        self.served = true;
        Ok(Rebuilt {
            rendered: jobs.len(),
            written,
            removed,
            elapsed: Duration::ZERO,
            diagnostics,
        })
    }

    /// Every file's path but the pages': the copies (`copy_paths`), the
    /// data files and the search shards, for the stale-file check.
    fn paths_check(&self, mut others: Vec<String>) -> StaleCheck {
        others.extend(render::DATA_FILES.iter().map(|p| p.to_string()));
        others.extend(self.data.shard_paths());
        others.sort_unstable();
        StaleCheck {
            pages: self.page_paths.made,
            others,
            written: 0,
        }
    }

    /// The files to copy, once the checks that need no rendering pass:
    /// no copy lands on a page, every content link has its target.
    fn copies_checked(
        &mut self,
        site: &Site,
        all: &[Job],
        diagnostics: &mut Diagnostics,
    ) -> Result<Vec<crate::render::Output>, Error> {
        let mut copies = crate::render::copies::files_to_copy(site, &self.files);
        self.page_paths.update(site, all);
        let pages = &self.page_paths.paths;
        crate::render::copies::check_collisions(pages, &copies, diagnostics);
        crate::render::copies::check_theme_extensions(site, &self.files.statics, diagnostics);
        crate::render::redirects::add(site, pages, &mut copies, diagnostics);
        crate::site::content_links::check(site, &self.files, &self.root, diagnostics);
        if diagnostics.has_errors() {
            self.links.whole = false;
            return Err(Error::Content(std::mem::take(diagnostics)));
        }
        Ok(copies)
    }

    /// Deletes the files the site no longer has, unless `check` shows that
    /// none can have gone since the last sweep; returns how many.
    fn sweep(&mut self, mut check: StaleCheck) -> Result<usize, Error> {
        check.written = self.written.len();
        let mut removed = 0;
        if self.stale_check.as_ref() != Some(&check) {
            let pages = &self.page_paths.paths;
            let others: HashSet<&str> = check.others.iter().map(String::as_str).collect();
            let expected = |path: &str| pages.contains(path) || others.contains(path);
            let cannot = || format!("cannot write to {}", self.output.display());
            removed = sync::remove_stale(&self.output, &mut self.written, &expected)
                .map_err(crate::error::io_error(cannot()))?;
            if self.full_next {
                // A rebuild that panicked may have written files it never
                // recorded: only the folder itself can tell them.
                removed += sync::remove_unexpected(&self.output, &expected)
                    .map_err(crate::error::io_error(cannot()))?;
            }
            check.written = self.written.len();
        }
        self.stale_check = Some(check);
        Ok(removed)
    }
}

/// The link check's record of every page on disk, kept between saves so
/// that a save checks the links of the pages it re-rendered.
struct LinkRecord {
    links: Links,
    /// The last check passed and nothing failed since: only links that a
    /// save can break need checking.
    whole: bool,
}

impl LinkRecord {
    /// Checks the links of the rendered pages, as `build` does: every link
    /// after a full rebuild or a failed one, or when a file went or a
    /// re-rendered page lost an id (either may break a link on any page);
    /// otherwise only the links of the pages re-rendered, since no other
    /// page changed and nothing they point at went. `expected` tells the
    /// site's files.
    fn check(
        &mut self,
        (site, root): (&Site, &Path),
        expected: &dyn Fn(&str) -> bool,
        links: LinkCheck,
        diagnostics: &mut Diagnostics,
    ) -> Result<(), Error> {
        let whole = std::mem::replace(&mut self.whole, false);
        let everything = links.full || !whole;
        let gone = (links.moved || everything) && self.links.retain(expected);
        let everything = everything || gone || self.links.lost_ids(links.forgotten);
        let on = match everything {
            true => Pages::All,
            false => Pages::At(links.rerendered),
        };
        locate::check_links_on(&self.links, site, root, on, diagnostics);
        if diagnostics.has_errors() {
            return Err(Error::Content(std::mem::take(diagnostics)));
        }
        self.whole = true;
        Ok(())
    }
}

/// What a rebuild tells its link check.
struct LinkCheck<'a> {
    full: bool,
    /// The output paths of the pages re-rendered (none in a full rebuild).
    rerendered: &'a HashSet<String>,
    /// Those pages as the link check last saw them.
    forgotten: &'a crate::output::links::Forgotten,
    /// The pages' or other files' paths may have changed since the last sweep.
    moved: bool,
}

/// The content folders whose `.md` files the watcher's paths name directly.
const BRIEFS: &str = "content/briefs";
const PAGES: &str = "content/pages";

/// A content file the watcher named: to parse again, or gone.
enum Edit {
    Parse(ContentFile),
    Gone(PathBuf),
}

/// What `paths` do to the `.md` files directly in `folder`, told from the
/// paths alone; `None` when only a walk can tell: a folder, a bundle's file,
/// a symlink (a walk skips it).
fn direct_edits(root: &Path, folder: &str, paths: &[PathBuf]) -> Option<Vec<Edit>> {
    let dir = root.join(folder);
    paths
        .iter()
        .map(|path| {
            let name = path.file_name()?.to_str()?;
            let stem = name.strip_suffix(".md")?;
            if path.parent() != Some(dir.as_path()) {
                return None;
            }
            let abs = dir.join(name);
            match fs::symlink_metadata(&abs) {
                Ok(meta) if meta.file_type().is_file() => Some(Edit::Parse(ContentFile {
                    path: Path::new(folder).join(name),
                    abs,
                    name: stem.to_string(),
                    assets: Vec::new(),
                })),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(Edit::Gone(abs)),
                _ => None,
            }
        })
        .collect()
}

/// Applies `edits` to the parsed files and to the folder's file list (kept
/// in the walk's order, which is the paths' order).
fn apply<T>(
    parsed: &mut BTreeMap<PathBuf, Parsed<T>>,
    files: &mut Vec<ContentFile>,
    edits: Vec<Edit>,
    parse: impl Fn(&[ContentFile]) -> Vec<Parsed<T>>,
) {
    let mut to_parse = Vec::new();
    for edit in edits {
        let abs = match &edit {
            Edit::Parse(file) => &file.abs,
            Edit::Gone(abs) => abs,
        };
        let at = files.binary_search_by(|f| f.abs.as_path().cmp(abs));
        match (edit, at) {
            (Edit::Gone(abs), at) => {
                parsed.remove(&abs);
                if let Ok(k) = at {
                    files.remove(k);
                }
            }
            (Edit::Parse(file), Ok(k)) => {
                files[k] = file.clone();
                to_parse.push(file);
            }
            (Edit::Parse(file), Err(k)) => {
                files.insert(k, file.clone());
                to_parse.push(file);
            }
        }
    }
    for (file, fresh) in to_parse.iter().zip(parse(&to_parse)) {
        parsed.insert(file.abs.clone(), fresh);
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

/// A way for a test to make a rebuild panic midway (after its files are
/// written, before the session records them): no input is known to make one
/// panic, and serve must survive one. Compiled into unit tests only.
#[cfg(test)]
pub(crate) mod test_panic {
    use std::cell::Cell;

    thread_local! {
        static NEXT: Cell<bool> = const { Cell::new(false) };
    }

    /// The next rebuild on this thread panics.
    pub(crate) fn arm() {
        NEXT.with(|next| next.set(true));
    }

    pub(super) fn maybe() {
        if NEXT.with(|next| next.replace(false)) {
            panic!("a test asked this rebuild to panic");
        }
    }
}
