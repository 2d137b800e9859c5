//! Pipeline: the stages from a site folder to rendered, link-checked pages,
//! written once for the two drivers. `build` and `check` (`lib.rs`) read
//! everything and run it once; `serve` keeps one between saves
//! (`serve/session.rs`), feeds it the paths that changed
//! ([`Pipeline::reread`]) and runs it again.
//!
//! Steps of [`Pipeline::run`]: assemble (every file's problems, the checks
//! across files, the model) -> templates -> plan (the render jobs, the files
//! to copy, the checks that need no rendering) -> render -> check links.
//! What a driver does its own way (serve's model made from the last one,
//! the jobs a save affects, where rendered files go, which links to check)
//! is its [`Driver`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use tera::Tera;

use crate::content::Parsed;
use crate::content::body::variants;
use crate::content::cite::registry::Registry;
use crate::content::config::Config;
use crate::content::discover::{ContentFile, SiteFiles};
use crate::content::types::brief::{Brief, Page};
use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::error::Error;
use crate::options::Options;
use crate::render::{self, Job, Output};
use crate::site::Site;
use crate::timings::Timings;

/// What a site's files give before rendering: its configuration, its files,
/// `sources.yaml`, every brief and page parsed, and its templates.
pub(crate) struct Pipeline {
    options: Options,
    /// The site root the files are read from.
    root: PathBuf,
    pub(crate) config: Config,
    pub(crate) files: SiteFiles,
    pub(crate) registry: Registry,
    /// Parses keyed by the file's absolute path (as a watcher reports it).
    briefs: BTreeMap<PathBuf, Parsed<Brief>>,
    pages: BTreeMap<PathBuf, Parsed<Page>>,
    /// Loaded at the first run after a template changed.
    templates: Option<Arc<Tera>>,
}

/// What a driver decides in a [`Pipeline::run`].
pub(crate) trait Driver {
    /// The model of the checked `briefs` and `pages`.
    fn model(
        &mut self,
        pipeline: &Pipeline,
        briefs: Vec<Arc<Brief>>,
        pages: Vec<Arc<Page>>,
    ) -> Site {
        pipeline.model(briefs, pages)
    }

    /// The jobs to render; every page's output path is then [`Driver::pages`].
    fn jobs(&mut self, pipeline: &Pipeline, site: &Site) -> Vec<Job>;

    /// The output path of every page of the site the last [`Driver::jobs`] saw.
    fn pages(&self) -> &HashSet<String>;

    /// The plan found errors: nothing is rendered.
    fn plan_failed(&mut self) {}

    /// Renders `jobs` and passes `copies` on, checks the links, and
    /// delivers the files (errors in `diagnostics` are returned).
    fn render(
        &mut self,
        rendering: Rendering<'_>,
        diagnostics: &mut Diagnostics,
    ) -> Result<(), Error>;
}

/// What [`Driver::render`] renders.
pub(crate) struct Rendering<'a> {
    pub site: &'a Site,
    pub tera: &'a Tera,
    pub jobs: &'a [Job],
    pub copies: Vec<Output>,
    /// The site root, for the link check's locations.
    pub root: &'a Path,
    pub timings: &'a mut Timings,
}

/// What changed since the last read, as a watcher saw it.
pub(crate) struct Changed<'a> {
    /// Brief files (`.md`, or a bundle's file).
    pub briefs: &'a [PathBuf],
    /// Page files.
    pub pages: &'a [PathBuf],
    /// A template changed: they are loaded again.
    pub templates: bool,
    /// Something only a walk of the folders can tell (a static file, a
    /// folder): the files are listed again.
    pub walk: bool,
}

impl Pipeline {
    /// Reads the site at `root`: `site.yaml`, its files, `sources.yaml`, and
    /// every brief and page, parsed.
    pub(crate) fn read(
        options: &Options,
        root: &Path,
        timings: &mut Timings,
    ) -> Result<Pipeline, Error> {
        let config = crate::content::read_config(options)?;
        let files = crate::content::discover_files(root)?;
        let registry = crate::content::read_registry(root, &config)?;
        timings.lap("discover");
        let briefs = crate::content::parse_briefs(&files.briefs, &config, &registry);
        let briefs = keyed(&files.briefs, briefs);
        let pages = keyed(
            &files.pages,
            crate::content::parse_pages(&files.pages, &config),
        );
        timings.lap("parse");
        Ok(Pipeline {
            options: options.clone(),
            root: root.to_path_buf(),
            config,
            files,
            registry,
            briefs,
            pages,
            templates: None,
        })
    }

    /// Reads again what `changed` touches: a brief or page file named
    /// directly is parsed again, added or forgotten without a walk; anything
    /// the paths cannot tell (a folder, a bundle's file, a static file)
    /// means a walk of the folders, and the named files parsed again.
    pub(crate) fn reread(&mut self, changed: &Changed<'_>) -> Result<(), Error> {
        let (config, registry) = (&self.config, &self.registry);
        let parse_briefs =
            |files: &[ContentFile]| crate::content::parse_briefs(files, config, registry);
        let parse_pages = |files: &[ContentFile]| crate::content::parse_pages(files, config);
        let direct = (!changed.walk)
            .then(|| {
                let briefs = direct_edits(&self.root, BRIEFS, changed.briefs)?;
                Some((briefs, direct_edits(&self.root, PAGES, changed.pages)?))
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
            let (briefs, pages) = (changed.briefs, changed.pages);
            if !briefs.is_empty() {
                self.briefs = reparse(&self.briefs, &fresh.briefs, briefs, parse_briefs);
            }
            if !pages.is_empty() {
                self.pages = reparse(&self.pages, &fresh.pages, pages, parse_pages);
            }
            self.files = fresh;
        }
        if changed.templates {
            self.templates = None;
        }
        Ok(())
    }

    /// Runs the steps after reading (see the module's), as `driver` says.
    pub(crate) fn run(
        &mut self,
        driver: &mut dyn Driver,
        timings: &mut Timings,
    ) -> Result<(Site, Diagnostics), Error> {
        let (briefs, pages, mut diagnostics) = crate::site::checked(
            &self.config,
            self.briefs.values(),
            self.pages.values(),
            &self.registry,
            self.options.strict,
            timings,
        )?;
        let site = driver.model(self, briefs, pages);
        timings.lap("model");
        let tera = self.templates()?;
        let jobs = driver.jobs(self, &site);
        let copies = match self.plan(&site, driver.pages(), &mut diagnostics) {
            Ok(copies) => copies,
            Err(e) => {
                driver.plan_failed();
                return Err(e);
            }
        };
        let rendering = Rendering {
            site: &site,
            tera: &tera,
            jobs: &jobs,
            copies,
            root: &self.root,
            timings,
        };
        driver.render(rendering, &mut diagnostics)?;
        Ok((site, diagnostics))
    }

    /// The brief and page files (as keyed) whose text shows or links one of
    /// `statics`, files of `static/` as the watcher names them.
    pub(crate) fn showing(&self, statics: &[PathBuf]) -> (Vec<PathBuf>, Vec<PathBuf>) {
        let folder = self.root.join("static");
        let keys: HashSet<String> = (statics.iter())
            .filter_map(|path| path.strip_prefix(&folder).ok())
            .map(|rel| format!("static/{}", crate::text::url_path(rel)))
            .collect();
        if keys.is_empty() {
            return (Vec::new(), Vec::new());
        }
        let shows = |links: &[crate::content::types::brief::Link]| {
            links.iter().any(|link| {
                crate::content::body::content_links::split(&link.dest)
                    .is_some_and(|(key, _)| keys.contains(&key))
            })
        };
        let briefs = (self.briefs.iter())
            .filter(|(_, parsed)| parsed.item.as_ref().is_some_and(|b| shows(&b.links)))
            .map(|(path, _)| path.clone());
        let pages = (self.pages.iter())
            .filter(|(_, parsed)| parsed.item.as_ref().is_some_and(|p| shows(&p.links)))
            .map(|(path, _)| path.clone());
        (briefs.collect(), pages.collect())
    }

    /// Deletes the cached image variants no brief or page uses any more
    /// ([`variants::prune`]), keeping those written since `since`; a failure
    /// is a warning, since the site is built.
    pub(crate) fn prune_variants(&self, since: SystemTime) -> Option<Diagnostic> {
        let briefs = (self.briefs.values()).filter_map(|parsed| parsed.item.as_deref());
        let pages = (self.pages.values()).filter_map(|parsed| parsed.item.as_deref());
        let used: HashSet<&OsStr> = (briefs.flat_map(|brief| brief.assets.iter()))
            .chain(pages.flat_map(|page| page.assets.iter()))
            .filter_map(|(_, file)| file.file_name())
            .collect();
        let error = variants::prune(&self.root, &used, since).err()?;
        Some(Diagnostic {
            severity: Severity::Warning,
            path: Path::new(variants::CACHE).join("images"),
            position: None,
            message: format!("unused image variants could not be deleted: {error}"),
            hint: Some(format!(
                "the site is built; deleting `{}` is safe (the next build makes what it needs)",
                variants::CACHE
            )),
            code: "images",
        })
    }

    /// The model of the checked `briefs` and `pages`, made afresh.
    pub(crate) fn model(&self, briefs: Vec<Arc<Brief>>, pages: Vec<Arc<Page>>) -> Site {
        let registry = self.registry.clone();
        Site::new(
            self.config.clone(),
            briefs,
            pages,
            registry,
            self.options.drafts,
        )
    }

    /// The templates, loaded if a template changed since they last were.
    fn templates(&mut self) -> Result<Arc<Tera>, Error> {
        if let Some(tera) = &self.templates {
            return Ok(tera.clone());
        }
        let tera =
            render::load_templates(&self.files.templates).map_err(|e| Error::Templates(e.0))?;
        Ok(self.templates.insert(Arc::new(tera)).clone())
    }

    /// The files to copy, once the checks that need no rendering pass: no
    /// copy lands on one of the `pages` (every page's output path), every
    /// content link has its target; with the redirect pages of aliases.
    fn plan(
        &self,
        site: &Site,
        pages: &HashSet<String>,
        diagnostics: &mut Diagnostics,
    ) -> Result<Vec<Output>, Error> {
        let mut copies = render::copies::files_to_copy(site, &self.files);
        render::copies::check_collisions(pages, &copies, diagnostics);
        render::copies::check_theme_extensions(site, &self.files.statics, diagnostics);
        render::redirects::add(site, pages, &mut copies, diagnostics);
        crate::site::content_links::check(site, &self.files, &self.root, diagnostics);
        if diagnostics.has_errors() {
            return Err(Error::Content(std::mem::take(diagnostics)));
        }
        Ok(copies)
    }
}

/// The content folders whose `.md` files a watcher's paths name directly.
const BRIEFS: &str = "content/briefs";
const PAGES: &str = "content/pages";

/// A content file a watcher named: to parse again, or gone.
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
fn keyed<T>(files: &[ContentFile], parsed: Vec<Parsed<T>>) -> BTreeMap<PathBuf, Parsed<T>> {
    files.iter().map(|f| f.abs.clone()).zip(parsed).collect()
}

/// Keeps unchanged parses, parses changed and new files, drops deleted ones.
fn reparse<T>(
    old: &BTreeMap<PathBuf, Parsed<T>>,
    files: &[ContentFile],
    changed: &[PathBuf],
    parse: impl Fn(&[ContentFile]) -> Vec<Parsed<T>>,
) -> BTreeMap<PathBuf, Parsed<T>> {
    let changed: HashSet<&PathBuf> = changed.iter().collect();
    // A bundle's asset changing means its index.md's brief changes.
    let touched = |f: &ContentFile| {
        changed.contains(&f.abs)
            || !old.contains_key(&f.abs)
            || f.abs.parent().is_some_and(|dir| {
                f.path.ends_with("index.md") && changed.iter().any(|c| c.starts_with(dir))
            })
    };
    let to_parse: Vec<ContentFile> = files.iter().filter(|f| touched(f)).cloned().collect();
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
