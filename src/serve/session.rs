//! Session: a site kept in memory between builds, so that a change to one
//! file re-renders only what it affects (for `briefs serve`).
//!
//! Steps of a rebuild: classify the changed paths ([`invalidate::Change`]);
//! feed them to the kept [`Pipeline`] (`site.yaml`, or a failed last build,
//! means a fresh one; otherwise it re-reads what the paths touch); run it
//! with this module's [`Driver`], which makes the model from the last good
//! one, picks the render jobs the change can affect ([`invalidate::jobs`]),
//! brings the data files' per-brief shares up to date
//! ([`crate::render::data`]), checks the links, writes the files whose bytes
//! changed and deletes the files the site no longer has
//! ([`crate::output::sync`]). The result is always what a clean `briefs build` of the
//! same files writes: `tests/serve.rs` checks that after edits, renames and
//! deletions.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::content::config;
use crate::content::types::brief::{Brief, Page};
use crate::diagnostic::Diagnostics;
use crate::error::Error;
use crate::options::Options;
use crate::output::links::{Links, Pages, Tee};
use crate::output::{locate, sync};
use crate::pipeline::{Changed, Driver, Pipeline, Rendering};
use crate::render::data::DataFiles;
use crate::render::{self, Job, Sink};
use crate::serve::caches;
use crate::serve::invalidate::{self, Change, classify};
use crate::site::Site;
use crate::timings::Timings;

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
    /// What the site's files gave at the last rebuild that read them.
    pipeline: Option<Pipeline>,
    /// The model of the last good build.
    last: Option<Site>,
    /// Changes not yet built: a failed rebuild keeps them for the next one.
    pending: Vec<PathBuf>,
    /// A rebuild panicked midway: the next one builds everything.
    full_next: bool,
    folder: Folder,
}

/// The served folder as the session knows it, and what its rebuilds keep
/// so that a save does only its share of the work.
struct Folder {
    output: PathBuf,
    /// Output path -> hash of the bytes on disk.
    written: HashMap<String, blake3::Hash>,
    /// The data files' per-brief shares and the search index, so a change
    /// re-makes only its briefs' part.
    data: DataFiles,
    /// Every page's output path, kept between saves.
    page_paths: PagePaths,
    /// The sources pages' count, kept between saves.
    sources: caches::SourceCount,
    /// What each page read when last rendered.
    recorded: invalidate::Recorded,
    /// What the last stale-file check saw.
    stale_check: Option<StaleCheck>,
    /// A good build was served: the folder holds a site.
    served: bool,
    /// What the link check knows of the pages on disk.
    links: LinkRecord,
}

/// The files a rebuild made, held until the link check passes, so a save
/// that breaks a link leaves the served folder as it was. Only a partial
/// rebuild holds them (a full one writes as it renders): each file whose
/// bytes changed waits under a temporary name beside its place, written
/// while the pages render, and is renamed into place once the check passes.
struct Held<'a> {
    syncer: &'a sync::Syncer<'a>,
    staged: std::sync::Mutex<Vec<sync::Staged>>,
}

impl<'a> Held<'a> {
    fn new(syncer: &'a sync::Syncer<'a>) -> Self {
        Held {
            syncer,
            staged: std::sync::Mutex::default(),
        }
    }

    /// Puts what it holds in place, in the folder `dir`.
    fn write_into(self, dir: &Path) -> Result<(), Error> {
        let staged = (self.staged.into_inner()).expect("the held lock is never poisoned");
        (self.syncer.commit(staged)).map_err(crate::error::io_error(format!(
            "cannot write to {}",
            dir.display()
        )))
    }
}

impl Sink for Held<'_> {
    fn put(&self, output: crate::render::Output) -> std::io::Result<()> {
        let staged = self.syncer.stage(output)?;
        self.staged
            .lock()
            .expect("the held lock is never poisoned")
            .push(staged);
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
    /// Each job's output path, in the order of `all`.
    by_job: Vec<String>,
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
            self.by_job = all.iter().map(|j| j.output_path(site)).collect();
            self.paths = self.by_job.iter().cloned().collect();
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
            pipeline: None,
            last: None,
            pending: Vec::new(),
            full_next: false,
            folder: Folder {
                output,
                written: HashMap::new(),
                data: DataFiles::kept(),
                page_paths: PagePaths::default(),
                sources: caches::SourceCount::default(),
                recorded: invalidate::Recorded::default(),
                stale_check: None,
                served: false,
                links: LinkRecord {
                    links: Links::new("/", ""),
                    whole: false,
                },
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
        self.folder.served
    }

    /// After a rebuild that panicked midway (see `serve::guarded`): nothing
    /// it kept can be trusted. The next rebuild builds everything, and
    /// compares no file with what it last wrote (a file written before the
    /// panic is not recorded), so every file is written again, and then
    /// deletes every file of the folder the site does not have.
    pub(crate) fn forget_after_panic(&mut self) {
        self.full_next = true;
        self.folder.stale_check = None;
        let unknown = blake3::Hash::from_bytes([0; 32]);
        for hash in self.folder.written.values_mut() {
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

    /// Reads every file again and renders every page.
    fn full(&mut self) -> Result<Rebuilt, Error> {
        let timings = &mut Timings::default();
        let pipeline = Pipeline::read(&self.options, &self.root, timings)?;
        let pipeline = self.pipeline.insert(pipeline);
        let mut save = Save::new(&mut self.folder, &self.root, None, self.full_next);
        let (site, diagnostics) = pipeline.run(&mut save, timings)?;
        let rebuilt = save.rebuilt(diagnostics);
        self.last = Some(site);
        Ok(rebuilt)
    }

    /// Reads again what the paths of `kinds` touch and renders the pages
    /// the change can affect.
    fn partial(&mut self, kinds: &BTreeMap<Change, Vec<PathBuf>>) -> Result<Rebuilt, Error> {
        let pipeline = (self.pipeline.as_mut()).expect("partial rebuilds follow a good build");
        let old = self
            .last
            .as_ref()
            .expect("partial rebuilds follow a good build");
        let none = Vec::new();
        let of = |kind: Change| kinds.get(&kind).unwrap_or(&none);
        // A text showing a changed `static/` image is read again: its size
        // and variants are read from the image.
        let (briefs, pages) = pipeline.showing(of(Change::Static));
        let briefs = with(of(Change::Brief), briefs);
        let pages = with(of(Change::Page), pages);
        pipeline.reread(&Changed {
            briefs: &briefs,
            pages: &pages,
            templates: kinds.contains_key(&Change::Template),
            walk: !(kinds.keys())
                .all(|k| matches!(k, Change::Brief | Change::Page | Change::Ignored)),
        })?;
        let changed_pages: HashSet<PathBuf> = pages.iter().cloned().collect();
        let changes = invalidate::Changes {
            pages: &changed_pages,
            templates: of(Change::Template),
        };
        let since = Some((old, changes));
        let mut save = Save::new(&mut self.folder, &self.root, since, self.full_next);
        let (site, diagnostics) = pipeline.run(&mut save, &mut Timings::default())?;
        let rebuilt = save.rebuilt(diagnostics);
        self.last = Some(site);
        Ok(rebuilt)
    }
}

/// `changed` and, after them, the paths of `more` not among them.
fn with(changed: &[PathBuf], more: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut all = changed.to_vec();
    all.extend(more.into_iter().filter(|path| !changed.contains(path)));
    all
}

/// How serve drives the pipeline for one rebuild: the model and the jobs
/// from the last good build when there is one, the pages held until their
/// links pass, only changed bytes written, stale files deleted.
struct Save<'a> {
    folder: &'a mut Folder,
    root: &'a Path,
    /// The last good model and what changed since; `None` in a full rebuild.
    since: Option<(&'a Site, invalidate::Changes<'a>)>,
    /// The last rebuild panicked: files it never recorded may be on disk.
    after_panic: bool,
    /// The names of the model's places, once the jobs are listed.
    ids: Option<invalidate::Ids>,
    /// The pages' output paths changed.
    pages_moved: bool,
    rendered: usize,
    written: usize,
    removed: usize,
}

impl<'a> Save<'a> {
    fn new(
        folder: &'a mut Folder,
        root: &'a Path,
        since: Option<(&'a Site, invalidate::Changes<'a>)>,
        after_panic: bool,
    ) -> Self {
        Save {
            folder,
            root,
            since,
            after_panic,
            ids: None,
            pages_moved: false,
            rendered: 0,
            written: 0,
            removed: 0,
        }
    }

    fn rebuilt(&self, diagnostics: Diagnostics) -> Rebuilt {
        Rebuilt {
            rendered: self.rendered,
            written: self.written,
            removed: self.removed,
            elapsed: Duration::ZERO,
            diagnostics,
        }
    }
}

impl Driver for Save<'_> {
    /// From the last good model when the change leaves every brief in its place.
    fn model(
        &mut self,
        pipeline: &Pipeline,
        briefs: Vec<Arc<Brief>>,
        pages: Vec<Arc<Page>>,
    ) -> Site {
        let reused = self.since.as_ref().and_then(|(old, _)| {
            let (config, registry) = (pipeline.config.clone(), pipeline.registry.clone());
            caches::model(old, config, &briefs, &pages, registry)
        });
        reused.unwrap_or_else(|| pipeline.model(briefs, pages))
    }

    /// Every page in a full rebuild; after a change, the pages it can
    /// affect. Every page of the site is listed once per rebuild; the
    /// sources count swaps only the re-parsed briefs' sources.
    fn jobs(&mut self, pipeline: &Pipeline, site: &Site) -> Vec<Job> {
        let folder = &mut *self.folder;
        if self.since.is_none() {
            // The configuration and the registry may have changed every
            // share, band path and source.
            folder.sources = caches::SourceCount::default();
            folder.data = DataFiles::kept();
            folder.page_paths = PagePaths::default();
            folder.stale_check = None;
        }
        let all = Job::all_with(site, folder.sources.count(site));
        let made = folder.page_paths.made;
        folder.page_paths.update(site, &all);
        self.pages_moved = folder.page_paths.made != made;
        let old = self.since.as_ref().map(|(old, _)| *old);
        let ids = folder.recorded.ids(site, old);
        let jobs = match &self.since {
            None => all,
            Some((old, changes)) => invalidate::jobs(
                (old, site),
                (&all, &folder.page_paths.by_job),
                changes,
                (&pipeline.files, self.root),
                &folder.recorded,
                &ids,
            ),
        };
        self.ids = Some(ids);
        jobs
    }

    fn pages(&self) -> &HashSet<String> {
        &self.folder.page_paths.paths
    }

    fn plan_failed(&mut self) {
        self.folder.links.whole = false;
    }

    /// Renders the jobs, checks their links, writes what changed and
    /// deletes what is gone. A full rebuild checks every link and writes as
    /// it renders; a partial one holds its files until the links pass.
    fn render(&mut self, r: Rendering<'_>, diagnostics: &mut Diagnostics) -> Result<(), Error> {
        let full = self.since.is_none();
        let folder = &mut *self.folder;
        let copy_paths: Vec<String> = r.copies.iter().map(|o| o.path.clone()).collect();
        if full {
            let config = &r.site.config;
            folder.links.links = Links::new(config.root(), config.base_url.as_str());
        }
        let rerendered: HashSet<String> = match full {
            true => HashSet::new(),
            false => r.jobs.iter().map(|j| j.output_path(r.site)).collect(),
        };
        let forgotten = folder.links.links.forget_pages(&rerendered);
        let syncer = sync::Syncer::new(&folder.output, &folder.written);
        let held = Held::new(&syncer);
        let into: &dyn Sink = if full { &syncer } else { &held };
        let tee = Tee {
            links: &folder.links.links,
            inner: into,
        };
        let records = render::Records::default();
        let rendered = render::copies::render_all(
            (r.site, r.tera),
            r.jobs,
            &mut folder.data,
            (r.copies, &tee),
            Some(&records),
        );
        let check = folder.paths_check(copy_paths);
        let pages = &folder.page_paths.paths;
        let others: HashSet<&str> = check.others.iter().map(String::as_str).collect();
        let expected = |path: &str| pages.contains(path) || others.contains(path);
        let link_check = LinkCheck {
            full,
            rerendered: &rerendered,
            forgotten: &forgotten,
            moved: (folder.stale_check.as_ref())
                .is_none_or(|last| last.pages != check.pages || last.others != check.others),
        };
        let checked = rendered.and_then(|()| {
            let on = (r.site, r.root);
            folder.links.check(on, &expected, link_check, diagnostics)
        });
        drop(others);
        if checked.is_ok() {
            held.write_into(&folder.output)?;
            let records = records
                .into_inner()
                .expect("the records lock is never poisoned");
            let ids = self.ids.take().expect("the jobs were listed");
            let pages = self.pages_moved.then_some(&folder.page_paths.paths);
            folder.recorded.commit((r.site, ids), records, full, pages);
        } else if !full {
            // Nothing of it was written (its temporary files go with
            // `held`): the record goes back to the folder.
            drop(held);
            folder.links.links.restore(&rerendered, forgotten);
        }
        // What reached the folder is on disk even when rendering failed:
        // remember it, so a later rebuild can delete it if it goes stale.
        #[cfg(test)]
        test_panic::maybe();
        let (written, seen) = syncer.finish();
        folder.written.extend(seen);
        if checked.is_err() {
            // The shares moved on, but their files may not all be written.
            folder.data = DataFiles::kept();
        }
        checked?;
        self.removed = folder.sweep(check, self.after_panic)?;
        folder.served = true;
        (self.rendered, self.written) = (r.jobs.len(), written);
        Ok(())
    }
}

impl Folder {
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

    /// Deletes the files the site no longer has, unless `check` shows that
    /// none can have gone since the last sweep; returns how many. After a
    /// rebuild that panicked, also every file the folder holds that the
    /// site does not.
    fn sweep(&mut self, mut check: StaleCheck, after_panic: bool) -> Result<usize, Error> {
        check.written = self.written.len();
        let mut removed = 0;
        if self.stale_check.as_ref() != Some(&check) {
            let pages = &self.page_paths.paths;
            let others: HashSet<&str> = check.others.iter().map(String::as_str).collect();
            let expected = |path: &str| pages.contains(path) || others.contains(path);
            let cannot = || format!("cannot write to {}", self.output.display());
            removed = sync::remove_stale(&self.output, &mut self.written, &expected)
                .map_err(crate::error::io_error(cannot()))?;
            if after_panic {
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
