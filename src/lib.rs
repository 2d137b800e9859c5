//! `briefs`: a static site generator for scored, sourced analyst briefs.
//!
//! Data flows one way, one module per stage:
//!
//! ```text
//! discover -> parse (front matter, Markdown, citations) -> validate
//!   -> model (ordering, taxonomies, URLs) -> render (Tera) -> write (atomic)
//! ```
//!
//! [`check`] runs every stage but `write`; [`build`] runs them all. Problems
//! in content are collected as [`Diagnostic`]s across every file and returned
//! together; nothing is written unless there are none.
//!
//! ```
//! use std::fs;
//!
//! let site = tempfile::tempdir()?;
//! fs::write(site.path().join("site.yaml"), "title: Desk\nbase_url: https://example.org/\n")?;
//! fs::create_dir_all(site.path().join("content/briefs"))?;
//! fs::write(
//!     site.path().join("content/briefs/first.md"),
//!     "---\ntitle: First\ndate: 2026-05-14\nsummary: S\nscore: { value: 11, rationale: R }\n\
//!      sources: [{ id: a, publisher: P, title: T }]\n---\nBody [@a].\n",
//! )?;
//! let options = briefs::Options { root: site.path().to_path_buf(), ..Default::default() };
//! let Err(briefs::Error::Content(diagnostics)) = briefs::check(&options) else {
//!     panic!("a score of 11 on a scale of 10 is an error");
//! };
//! let first = diagnostics.iter().next().unwrap();
//! assert_eq!(first.to_string(), "content/briefs/first.md:5:17: error: score 11 is outside the scale [0, 10]");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod catalog;
pub mod citation;
pub mod config;
pub mod content_links;
pub mod date;
pub mod diagnostic;
pub mod discover;
pub mod editorial;
pub mod feed;
pub mod front_matter;
pub mod links;
pub mod markdown;
pub mod model;
pub mod parse;
pub mod registry;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod scores;
pub mod search;
pub mod serve;
pub mod session;
pub mod sitemap;
pub mod source_index;
pub mod theme;
pub mod validate;
pub mod view;
pub mod watch;
pub mod write;

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

pub use diagnostic::{Diagnostic, Diagnostics, Severity};

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The site folder (holding `site.yaml`).
    pub root: PathBuf,
    /// The output folder; default `<root>/public`.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// Also build briefs in `draft` or `review` status.
    pub drafts: bool,
    /// Treat warnings as errors (also `strict: true` in `site.yaml`).
    pub strict: bool,
    /// Replace the output folder even if no build wrote it.
    pub force: bool,
}

impl Options {
    /// The output folder this build writes.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a successful run did.
#[derive(Debug)]
pub struct Report {
    /// Briefs built (published ones, plus drafts with `--drafts`).
    pub briefs: usize,
    /// HTML pages rendered.
    pub pages: usize,
    /// Every file of the output, pages included.
    pub files: usize,
    /// Warnings; a successful run has no errors.
    pub diagnostics: Diagnostics,
    /// Time spent in each stage, in order.
    pub timings: Timings,
}

/// How long each pipeline stage took, and the peak memory after it.
#[derive(Debug, Clone)]
pub struct Timings {
    pub stages: Vec<(&'static str, std::time::Duration)>,
    /// Peak resident memory in bytes after each stage, where the platform
    /// tells it (Linux).
    pub peak_memory: Vec<Option<u64>>,
    last: std::time::Instant,
}

/// This process's peak resident memory so far, on Linux.
pub fn peak_memory() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

impl Default for Timings {
    fn default() -> Self {
        Self {
            stages: Vec::new(),
            peak_memory: Vec::new(),
            last: std::time::Instant::now(),
        }
    }
}

impl Timings {
    /// Ends the current stage, naming it.
    pub fn lap(&mut self, stage: &'static str) {
        let now = std::time::Instant::now();
        self.stages.push((stage, now - self.last));
        self.peak_memory.push(peak_memory());
        self.last = now;
    }
}

/// Why a run failed. [`Error::exit_code`] maps each to the CLI's exit code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{} found in the site", count(.0.error_count(), "error"))]
    Content(Diagnostics),
    #[error("{} in templates", count(.0.len(), "error"))]
    Templates(Vec<String>),
    #[error("no site.yaml in {0}")]
    NoSite(PathBuf),
    #[error("--base-url: {0}")]
    BaseUrl(String),
    #[error("port {} on {} is in use; pick another with --port", .0.port(), .0.ip())]
    PortInUse(std::net::SocketAddr),
    #[error(transparent)]
    UnsafeOutput(#[from] write::UnsafeOutput),
    #[error("{context}")]
    Io {
        context: String,
        #[source]
        source: io::Error,
    },
}

impl Error {
    /// 1 for problems in the site's content or templates, 2 for usage and I/O.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Content(_) | Error::Templates(_) => 1,
            _ => 2,
        }
    }
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

pub(crate) fn io_error(context: impl Into<String>) -> impl FnOnce(io::Error) -> Error {
    let context = context.into();
    move |source| Error::Io { context, source }
}

/// Validates and renders everything, then checks every internal link and
/// anchor of the rendered pages; writes nothing.
pub fn check(options: &Options) -> Result<Report, Error> {
    let mut timings = Timings::default();
    let links = links::Links::default();
    let counted = Counted::new(&links);
    let (site, mut diagnostics) = run(options, &mut timings, &counted)?;
    check_links(&links, &site, &options.root, &mut diagnostics);
    timings.lap("links");
    if diagnostics.has_errors() {
        return Err(Error::Content(diagnostics));
    }
    Ok(counted.report(&site, diagnostics, timings))
}

/// Checks every internal link and anchor the rendered pages carry; a link
/// written in a brief or page is reported at its place in the Markdown.
fn check_links(
    links: &links::Links,
    site: &model::Site,
    root: &Path,
    diagnostics: &mut Diagnostics,
) {
    let locator = content_links::Locator::new(site, root);
    links.report(
        site.config.root(),
        site.config.base_url.as_str(),
        &|source, href| locator.locate(source, href),
        diagnostics,
    );
}

/// Builds the site into its output folder, replacing it whole. Pages are
/// written into a temporary folder as they are rendered, so memory holds the
/// model, not the site; their links are checked on the way. The folder
/// replaces the output only if all went well, and only if the output is
/// missing, empty or a previous build's (or `force`).
pub fn build(options: &Options) -> Result<Report, Error> {
    if !options.root.join(config::FILE_NAME).is_file() {
        return Err(Error::NoSite(options.root.clone()));
    }
    let output = options.output_dir();
    let cannot_write = || format!("cannot write the site to {}", output.display());
    write::check_output(&options.root, &output, options.force).map_err(io_error(format!(
        "cannot resolve the output folder {}",
        output.display()
    )))??;
    let mut timings = Timings::default();
    let staging = write::Staging::new(&output).map_err(io_error(cannot_write()))?;
    let links = links::Links::default();
    let tee = links::Tee {
        links: &links,
        inner: &staging,
    };
    let counted = Counted::new(&tee);
    let (site, mut diagnostics) = match run(options, &mut timings, &counted) {
        Ok(done) => done,
        Err(Error::Io { source, .. }) if counted.failed_write() => {
            return Err(io_error(cannot_write())(source));
        }
        Err(e) => return Err(e),
    };
    check_links(&links, &site, &options.root, &mut diagnostics);
    timings.lap("links");
    if diagnostics.has_errors() {
        return Err(Error::Content(diagnostics));
    }
    let report = counted.report(&site, diagnostics, timings);
    staging.commit().map_err(io_error(cannot_write()))?;
    let mut report = report;
    report.timings.lap("commit");
    Ok(report)
}

/// Counts what passes to a sink, for the summary line.
struct Counted<'a> {
    inner: &'a dyn render::Sink,
    pages: std::sync::atomic::AtomicUsize,
    files: std::sync::atomic::AtomicUsize,
    failed: std::sync::atomic::AtomicBool,
}

impl<'a> Counted<'a> {
    fn new(inner: &'a dyn render::Sink) -> Self {
        Self {
            inner,
            pages: 0.into(),
            files: 0.into(),
            failed: false.into(),
        }
    }

    fn failed_write(&self) -> bool {
        self.failed.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn report(&self, site: &model::Site, diagnostics: Diagnostics, timings: Timings) -> Report {
        use std::sync::atomic::Ordering::Relaxed;
        Report {
            briefs: site.briefs.len(),
            pages: self.pages.load(Relaxed),
            files: self.files.load(Relaxed),
            diagnostics,
            timings,
        }
    }
}

impl render::Sink for Counted<'_> {
    fn put(&self, output: render::Output) -> io::Result<()> {
        use std::sync::atomic::Ordering::Relaxed;
        if output.path.ends_with(".html") {
            self.pages.fetch_add(1, Relaxed);
        }
        self.files.fetch_add(1, Relaxed);
        self.inner
            .put(output)
            .inspect_err(|_| self.failed.store(true, Relaxed))
    }
}

/// Every stage before the commit: the site is rendered into `sink`.
fn run(
    options: &Options,
    timings: &mut Timings,
    sink: &dyn render::Sink,
) -> Result<(model::Site, Diagnostics), Error> {
    let config = read_config(options)?;
    let files = discover_files(&options.root)?;
    let registry = read_registry(&options.root, &config)?;
    timings.lap("discover");
    let briefs = parse_briefs(&files.briefs, &config, &registry);
    let pages = parse_pages(&files.pages, &config);
    timings.lap("parse");
    let (site, mut diagnostics) = assemble(
        config,
        &briefs,
        &pages,
        &registry,
        options.drafts,
        options.strict,
        timings,
    )?;
    drop((briefs, pages));
    let tera = render::load_templates(&files.templates).map_err(|e| Error::Templates(e.0))?;
    let copies = files_to_copy(&site, &files);
    check_collisions(&site, &copies, &mut diagnostics);
    content_links::check(&site, &files, &options.root, &mut diagnostics);
    if diagnostics.has_errors() {
        return Err(Error::Content(diagnostics));
    }
    render_all(&site, &tera, &render::Job::all(&site), true, copies, sink)?;
    timings.lap("render");
    Ok((site, diagnostics))
}

/// Renders `jobs` (and data files when `data`) and passes `copies` on, into `sink`.
pub(crate) fn render_all(
    site: &model::Site,
    tera: &tera::Tera,
    jobs: &[render::Job],
    data: bool,
    copies: Vec<render::Output>,
    sink: &dyn render::Sink,
) -> Result<(), Error> {
    let written = |e: io::Error| io_error("cannot write an output file")(e);
    match render::render_into(site, tera, jobs, data, sink) {
        Ok(()) => {}
        Err(render::RenderError::Templates(e)) => return Err(Error::Templates(e.0)),
        Err(render::RenderError::Io(e)) => return Err(written(e)),
    }
    copies
        .into_par_iter()
        .try_for_each(|o| sink.put(o))
        .map_err(written)
}

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
    let mut config = config::parse(&config_text).map_err(Error::Content)?;
    if let Some(base_url) = &options.base_url {
        config.set_base_url(base_url).map_err(Error::BaseUrl)?;
    }
    Ok(config)
}

/// Reads `sources.yaml`, if the site has one.
pub(crate) fn read_registry(
    root: &Path,
    config: &config::Config,
) -> Result<registry::Registry, Error> {
    let path = root.join(registry::FILE_NAME);
    match fs::read_to_string(&path) {
        Ok(text) => registry::Registry::parse(&text, config).map_err(Error::Content),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(registry::Registry::default()),
        Err(e) => Err(io_error(format!("cannot read {}", path.display()))(e)),
    }
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
) -> Vec<Parsed<parse::Brief>> {
    files
        .par_iter()
        .map(|f| {
            let mut diagnostics = Diagnostics::default();
            let item = parse::brief(f, config, registry, &mut diagnostics).map(Arc::new);
            Parsed { item, diagnostics }
        })
        .collect()
}

pub(crate) fn parse_pages(
    files: &[discover::ContentFile],
    config: &config::Config,
) -> Vec<Parsed<parse::Page>> {
    files
        .par_iter()
        .map(|f| {
            let mut diagnostics = Diagnostics::default();
            let item = parse::page(f, config, &mut diagnostics).map(Arc::new);
            Parsed { item, diagnostics }
        })
        .collect()
}

/// Gathers every file's problems, checks across files, and builds the model.
pub(crate) fn assemble<'a>(
    config: config::Config,
    briefs: impl IntoIterator<Item = &'a Parsed<parse::Brief>> + Clone,
    pages: impl IntoIterator<Item = &'a Parsed<parse::Page>> + Clone,
    registry: &registry::Registry,
    drafts: bool,
    strict: bool,
    timings: &mut Timings,
) -> Result<(model::Site, Diagnostics), Error> {
    let mut diagnostics = Diagnostics::default();
    for parsed in briefs.clone() {
        diagnostics.extend(parsed.diagnostics.iter().cloned());
    }
    for parsed in pages.clone() {
        diagnostics.extend(parsed.diagnostics.iter().cloned());
    }
    let briefs: Vec<_> = briefs.into_iter().filter_map(|p| p.item.clone()).collect();
    let pages: Vec<_> = pages.into_iter().filter_map(|p| p.item.clone()).collect();
    validate::site(&briefs, &pages, &mut diagnostics);
    if strict || config.strict {
        diagnostics.escalate_warnings();
    }
    diagnostics.sort();
    timings.lap("validate");
    if diagnostics.has_errors() {
        return Err(Error::Content(diagnostics));
    }
    let site = model::Site::new(config, briefs, pages, registry.clone(), drafts);
    timings.lap("model");
    Ok((site, diagnostics))
}

/// Files that are not rendered: bundle assets, static files (the theme's
/// included) and `robots.txt` (unless `static/` has its own).
pub(crate) fn files_to_copy(
    site: &model::Site,
    files: &discover::SiteFiles,
) -> Vec<render::Output> {
    let mut outputs = render::bundle_assets(site);
    outputs.extend(render::static_files(&files.statics));
    if !files.statics.iter().any(|f| f.rel == "robots.txt") {
        outputs.push(render::Output {
            path: "robots.txt".to_string(),
            content: render::Content::Bytes(sitemap::robots(site)),
            source: None,
        });
    }
    outputs
}

/// A static or bundle file must not replace a generated page or data file,
/// nor another copied file. Checked before anything is rendered.
pub(crate) fn check_collisions(
    site: &model::Site,
    copies: &[render::Output],
    diagnostics: &mut Diagnostics,
) {
    let generated: std::collections::HashSet<String> = render::Job::all(site)
        .into_iter()
        .map(|j| j.output_path(site))
        .chain(render::DATA_FILES.iter().map(|p| p.to_string()))
        .collect();
    let mut copied: HashMap<&str, &render::Output> = HashMap::with_capacity(copies.len());
    for output in copies {
        let from = |o: &render::Output| match &o.content {
            render::Content::Copy(path) => path.display().to_string(),
            _ => "the built-in theme".to_string(),
        };
        let clash =
            if generated.contains(&output.path) || output.path.starts_with(render::DATA_FOLDER) {
                Some("a generated page".to_string())
            } else {
                copied.insert(&output.path, output).map(from)
            };
        if let Some(first) = clash {
            diagnostics.push(
                Diagnostic::file_error(
                    Path::new(&output.path),
                    format!("{first} and {} both write {}", from(output), output.path),
                )
                .with_hint("rename or remove one of them")
                .with_code("output"),
            );
        }
    }
}
