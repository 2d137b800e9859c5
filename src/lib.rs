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

mod collate;
pub(crate) mod content;
mod diagnostic;
mod error;
mod html;
mod options;
pub(crate) mod output;
mod pipeline;
pub mod progress;
pub(crate) mod render;
mod report;
pub(crate) mod serve;
pub(crate) mod site;
mod text;
mod timings;
pub mod workdir;

/// Internals for the benchmarks, fuzz targets and property tests; not a
/// stable API.
#[doc(hidden)]
pub mod internals {
    pub use crate::content::body::markdown;
    pub use crate::content::checks::placeholder;
    pub use crate::content::cite::{bibliography, citation, citation_syntax, registry};
    pub use crate::content::matter::front_matter;
    pub use crate::content::types::brief;
    pub use crate::content::{config, discover, parse};
    pub use crate::render::{search, theme};
    pub use crate::serve::session;
}

use std::io;

use error::io_error;

pub use content::scaffold::{
    Initialized, PAGES_WORKFLOW_PATH, PagesSource, ScaffoldError, init, init_with, new_brief,
    new_brief_in,
};
pub use render::theme_export;
pub use site::LeftOut;

/// The file every build writes into its output folder, so the next build
/// knows the folder is one it may replace.
pub const BUILD_MARKER: &str = output::write::MARKER;

/// The site's configuration file, at its root.
pub const SITE_FILE: &str = content::config::FILE_NAME;
pub use diagnostic::{Diagnostic, Diagnostics, Position, Severity};
pub use error::{Error, count};
pub use options::Options;
pub use report::Report;
pub use serve::{ServeOptions, serve};
pub use timings::{Timings, peak_memory};

/// Validates and renders everything, then checks every internal link and
/// anchor of the rendered pages; writes nothing.
pub fn check(options: &Options) -> Result<Report, Error> {
    check_with_progress(options, &progress::Progress::default())
}

/// [`check`], counting the pages rendered into `progress`.
pub fn check_with_progress(
    options: &Options,
    progress: &progress::Progress,
) -> Result<Report, Error> {
    let mut timings = Timings::default();
    let mut pipeline = pipeline::Pipeline::read(options, &options.root, &mut timings)?;
    let links =
        output::links::Links::new(pipeline.config.root(), pipeline.config.base_url.as_str());
    let counted = Counted::new(&links, progress);
    let mut once = Once::new(&counted, &links, None);
    let (site, diagnostics) = pipeline.run(&mut once, &mut timings)?;
    Ok(counted.report(&site, diagnostics, timings))
}

/// Builds the site into its output folder, replacing it whole. Pages are
/// written into a temporary folder as they are rendered, so memory holds the
/// model, not the site; their links are checked on the way. The folder
/// replaces the output only if all went well, and only if the output is
/// missing, empty or a previous build's (or `force`).
pub fn build(options: &Options) -> Result<Report, Error> {
    build_with_progress(options, &progress::Progress::default())
}

/// [`build`], counting the pages rendered into `progress`.
pub fn build_with_progress(
    options: &Options,
    progress: &progress::Progress,
) -> Result<Report, Error> {
    if !options.root.join(content::config::FILE_NAME).is_file() {
        return Err(Error::NoSite(options.root.clone()));
    }
    let output = options.output_dir();
    let cannot_write = || format!("cannot write the site to {}", output.display());
    output::write::check_output(&options.root, &output, options.force).map_err(io_error(
        format!("cannot resolve the output folder {}", output.display()),
    ))??;
    let started = std::time::SystemTime::now();
    let mut timings = Timings::default();
    let mut pipeline = pipeline::Pipeline::read(options, &options.root, &mut timings)?;
    let staging = output::write::Staging::new(&output).map_err(io_error(cannot_write()))?;
    let config = &pipeline.config;
    let links = output::links::Links::new(config.root(), config.base_url.as_str());
    let tee = output::links::Tee {
        links: &links,
        inner: &staging,
    };
    let counted = Counted::new(&tee, progress);
    let mut once = Once::new(&counted, &links, Some(options));
    let (site, mut diagnostics) = match pipeline.run(&mut once, &mut timings) {
        Ok(done) => done,
        Err(Error::Io { source, .. }) if counted.failed_write() => {
            return Err(io_error(cannot_write())(source));
        }
        Err(e) => return Err(e),
    };
    diagnostics.extend(pipeline.prune_variants(started));
    let report = counted.report(&site, diagnostics, timings);
    drop(once);
    // Freeing every parsed brief, the model and the links seen takes a
    // 10,000-brief build ~30 ms on one thread, at the very end: a worker
    // frees them while the folder is swapped in and the report printed.
    rayon::spawn(move || drop((pipeline, site, links)));
    staging.commit().map_err(io_error(cannot_write()))?;
    let mut report = report;
    report.timings.lap("commit");
    Ok(report)
}

/// A build whose `site.yaml` `base_url` (no `--base-url`) is still `briefs
/// init`'s placeholder gets a warning (an error, and nothing written, under strict).
fn warn_placeholder_base_url(
    options: &Options,
    site: &site::Site,
    diagnostics: &mut Diagnostics,
) -> Result<(), Error> {
    if options.base_url.is_some() {
        return Ok(());
    }
    let Some(warning) =
        content::checks::placeholder::base_url_warning(&options.root, &site.config.base_url)
    else {
        return Ok(());
    };
    diagnostics.push(warning);
    if options.strict || site.config.strict {
        diagnostics.escalate_warnings();
        diagnostics.sort();
        return Err(Error::Content(std::mem::take(diagnostics)));
    }
    Ok(())
}

/// Counts what passes to a sink, for the summary line.
struct Counted<'a> {
    inner: &'a dyn render::Sink,
    progress: &'a progress::Progress,
    pages: std::sync::atomic::AtomicUsize,
    files: std::sync::atomic::AtomicUsize,
    failed: std::sync::atomic::AtomicBool,
}

impl<'a> Counted<'a> {
    fn new(inner: &'a dyn render::Sink, progress: &'a progress::Progress) -> Self {
        Self {
            inner,
            progress,
            pages: 0.into(),
            files: 0.into(),
            failed: false.into(),
        }
    }

    /// Tells the progress line how many pages `jobs` render.
    fn expect_pages(&self, paths: &std::collections::HashSet<String>) {
        let pages = paths.iter().filter(|p| p.ends_with(".html")).count();
        self.progress
            .total
            .store(pages, std::sync::atomic::Ordering::Relaxed);
    }

    fn failed_write(&self) -> bool {
        self.failed.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn report(&self, site: &site::Site, diagnostics: Diagnostics, timings: Timings) -> Report {
        use std::sync::atomic::Ordering::Relaxed;
        Report {
            briefs: site.briefs.len(),
            pages: self.pages.load(Relaxed),
            files: self.files.load(Relaxed),
            diagnostics,
            timings,
            left_out: site.left_out,
        }
    }
}

impl render::Sink for Counted<'_> {
    fn put(&self, output: render::Output) -> io::Result<()> {
        use std::sync::atomic::Ordering::Relaxed;
        if output.path.ends_with(".html") {
            self.pages.fetch_add(1, Relaxed);
            self.progress.done.fetch_add(1, Relaxed);
        }
        self.files.fetch_add(1, Relaxed);
        self.inner
            .put(output)
            .inspect_err(|_| self.failed.store(true, Relaxed))
    }

    fn put_written(&self, path: &str, write: render::Write<'_>) -> io::Result<()> {
        use std::sync::atomic::Ordering::Relaxed;
        self.files.fetch_add(1, Relaxed);
        self.inner
            .put_written(path, write)
            .inspect_err(|_| self.failed.store(true, Relaxed))
    }
}

/// How `build` and `check` drive the pipeline: once, every page rendered
/// into a sink, every link checked.
struct Once<'a> {
    sink: &'a Counted<'a>,
    links: &'a output::links::Links,
    pages: std::collections::HashSet<String>,
    /// `build`'s options: it warns about `briefs init`'s placeholder `base_url`.
    build: Option<&'a Options>,
}

impl<'a> Once<'a> {
    fn new(
        sink: &'a Counted<'a>,
        links: &'a output::links::Links,
        build: Option<&'a Options>,
    ) -> Self {
        Once {
            sink,
            links,
            pages: Default::default(),
            build,
        }
    }
}

impl pipeline::Driver for Once<'_> {
    fn jobs(&mut self, _: &pipeline::Pipeline, site: &site::Site) -> Vec<render::Job> {
        let jobs = render::Job::all(site);
        use rayon::prelude::*;
        // 16,000 paths for a 10,000-brief site: made on every thread.
        self.pages = jobs.par_iter().map(|j| j.output_path(site)).collect();
        jobs
    }

    fn pages(&self) -> &std::collections::HashSet<String> {
        &self.pages
    }

    fn render(
        &mut self,
        rendering: pipeline::Rendering<'_>,
        diagnostics: &mut Diagnostics,
    ) -> Result<(), Error> {
        let pipeline::Rendering { site, jobs, .. } = rendering;
        self.sink.expect_pages(&std::mem::take(&mut self.pages));
        let mut data = render::data::DataFiles::once();
        let (tera, copies) = (rendering.tera, rendering.copies);
        render::copies::render_all((site, tera), jobs, &mut data, (copies, self.sink), None)?;
        rendering.timings.lap("render");
        if let Some(options) = self.build {
            warn_placeholder_base_url(options, site, diagnostics)?;
        }
        output::locate::check_links(self.links, site, rendering.root, diagnostics);
        rendering.timings.lap("links");
        if diagnostics.has_errors() {
            return Err(Error::Content(std::mem::take(diagnostics)));
        }
        Ok(())
    }
}
