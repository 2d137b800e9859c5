//! Render: the site model through Tera into page bytes, in parallel.
//!
//! The driver. Steps: load the templates once (built-ins under the
//! `builtin/` fallback prefix, so a site's `templates/<name>` overrides its
//! namesake); list every page to write as a [`Job`], asking each page kind
//! (`pages::FAMILIES`) for its own; render the jobs with rayon, each job's
//! family filling its view from what one render reads once ([`Reads`]: each
//! brief's listing summary, the lists several pages share). The jobs come
//! in a fixed order and each writes its own file, so output is the same on
//! every run whatever the thread timing.

pub(crate) mod catalog;
pub(crate) mod copies;
pub(crate) mod data;
pub(crate) mod feed;
pub(crate) mod feed_kind;
pub(crate) mod feed_urls;
pub(crate) mod files;
pub(crate) mod format;
pub(crate) mod job;
pub(crate) mod listing;
pub(crate) mod pages;
pub(crate) mod reads;
pub(crate) mod record;
pub(crate) mod redirects;
pub(crate) mod scores;
pub mod search;
pub(crate) mod shared;
pub(crate) mod shares;
pub(crate) mod sitemap;
pub(crate) mod sources;
pub(crate) mod summaries;
pub(crate) mod template_error;
pub mod theme;
pub mod theme_export;
pub(crate) mod view;
pub(crate) mod watchlist;

use std::fs;

use rayon::prelude::*;
use tera::{Context, Tera};

use crate::content::discover::PlainFile;
use crate::site::Site;
pub(crate) use files::{Content, Output, Sink, Write};
pub use job::Job;

use feed_kind::Feed;
use reads::Reads;

/// Template problems, each already formatted by Tera with file:line:col.
#[derive(Debug)]
pub struct TemplateErrors(pub Vec<String>);

/// Loads the built-in and the site's templates.
pub fn load_templates(site_templates: &[PlainFile]) -> Result<Tera, TemplateErrors> {
    let mut tera = Tera::new();
    tera.register_test(
        "ending_sentence",
        |s: &str, _: tera::Kwargs, _: &tera::State| crate::text::ends_sentence(s),
    );
    tera.set_fallback_prefixes([template_error::BUILTIN_PREFIX])
        .map_err(|e| TemplateErrors(vec![template_error::describe(&e)]))?;
    let mut sources: Vec<(String, String)> = theme::TEMPLATES
        .iter()
        .map(|(name, body)| {
            let name = format!("{}{name}", template_error::BUILTIN_PREFIX);
            (name, body.to_string())
        })
        .collect();
    let mut errors = Vec::new();
    for file in site_templates {
        match fs::read_to_string(&file.abs) {
            Ok(body) => sources.push((file.rel.clone(), body)),
            Err(e) => errors.push(format!("templates/{}: cannot read: {e}", file.rel)),
        }
    }
    if !errors.is_empty() {
        return Err(TemplateErrors(errors));
    }
    tera.add_raw_templates(sources)
        .map_err(|e| TemplateErrors(vec![template_error::describe(&e)]))?;
    Ok(tera)
}

/// Data files every build writes, beside the pages.
pub const DATA_FILES: &[&str] = &[
    feed_kind::JSON_FEED,
    "sitemap.xml",
    "briefs.json",
    "watch.ics",
    search::INDEX,
    search::facets::FACETS,
];

/// The folders of the search index's shard parts and records, whose files
/// are named by content.
pub const DATA_FOLDERS: &[&str] = &[
    "search/t/",
    "search/f/",
    "search/r/",
    "search/s/",
    "search/b/",
    "search/v/",
];

/// Whether a build may write `path` as a data file: one of [`DATA_FILES`],
/// a file of [`DATA_FOLDERS`], or a numbered part of a file that a large
/// site splits (`sitemap-N.xml`, `briefs-N.json`).
pub fn is_data_file(path: &str) -> bool {
    let numbered = |prefix: &str, suffix: &str| {
        (path.strip_prefix(prefix))
            .and_then(|rest| rest.strip_suffix(suffix))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    DATA_FILES.contains(&path)
        || DATA_FOLDERS.iter().any(|f| path.starts_with(f))
        || numbered("sitemap-", ".xml")
        || numbered("briefs-", ".json")
}

/// Why rendering stopped.
#[derive(Debug)]
pub enum RenderError {
    Templates(TemplateErrors),
    /// The sink could not take an output (a write failed).
    Io(std::io::Error),
}

/// What each job of a render read ([`record`]), kept when `serve` asks.
pub(crate) type Records = std::sync::Mutex<Vec<(Job, Vec<record::Read>)>>;

/// Renders `jobs` into `sink`, in parallel, plus the data files that may
/// have changed since `data`'s last update (sitemap, search index, …; the
/// JSON feed when `jobs` render the main Atom feed, whose entries it
/// shares). Template errors are gathered from every job, once each. With
/// `records`, what each job read goes there.
pub(crate) fn render_into(
    (site, tera): (&Site, &Tera),
    jobs: &[Job],
    data: &mut data::DataFiles,
    sink: &dyn Sink,
    records: Option<&Records>,
) -> Result<(), RenderError> {
    let reads = Reads::new(site, tera, records.is_some());
    let errors = std::sync::Mutex::new(Vec::<String>::new());
    let render = |job: Job| match records {
        None => render(&reads, job),
        Some(records) => {
            let (output, read) = record::recording(|| render(&reads, job));
            let mut records = records.lock().expect("the records lock is never poisoned");
            records.push((job, read));
            output
        }
    };
    let pages = || {
        // One job a piece: rayon otherwise hands each thread a quarter of the
        // list, and a thread done with the data files finds nothing left to
        // take while the other renders its last quarter alone.
        jobs.par_iter()
            .with_max_len(1)
            .try_for_each(|job| match render(*job) {
                Ok(output) => sink.put(output),
                Err(e) => {
                    let mut errors = errors.lock().expect("the error lock is never poisoned");
                    if !errors.contains(&e) {
                        errors.push(e);
                    }
                    Ok(())
                }
            })
    };
    // The data files (the search index above all) are made beside the pages.
    let json_feed = jobs.contains(&Job::Atom(Feed::Main));
    let data_files = || match data_files(&reads, data, json_feed, sink) {
        Ok(written) => written,
        Err(e) => {
            let mut errors = errors.lock().expect("the error lock is never poisoned");
            if !errors.contains(&e) {
                errors.push(e);
            }
            Ok(())
        }
    };
    let (pages, data_files) = rayon::join(pages, data_files);
    pages.and(data_files).map_err(RenderError::Io)?;
    let mut errors = errors
        .into_inner()
        .expect("the error lock is never poisoned");
    if !errors.is_empty() {
        errors.sort();
        return Err(RenderError::Templates(TemplateErrors(errors)));
    }
    Ok(())
}

/// Puts into `sink` the files that are data, not pages: JSON Feed (when
/// `json_feed`), and those of `data` that changed: sitemap, `briefs.json`,
/// the watchlist calendar and the search index. A template error is the
/// `Err`; a failed write, the `Ok`'s.
fn data_files(
    reads: &Reads<'_>,
    data: &mut data::DataFiles,
    json_feed: bool,
    sink: &dyn Sink,
) -> Result<std::io::Result<()>, String> {
    let site = reads.site;
    if json_feed {
        let entries = pages::feeds::entries(reads, Feed::Main)?;
        let feed = Output {
            path: feed_kind::JSON_FEED.to_string(),
            content: Content::Bytes(feed::json_feed(site, &entries)),
            source: None,
        };
        if let Err(e) = sink.put(feed) {
            return Ok(Err(e));
        }
    }
    Ok(data.update(site, &reads.summaries, &reads.sources, sink))
}

/// Renders one job: its family fills the view, beside `site`, `page_url`
/// and `canonical_url`, which every page gets.
fn render(reads: &Reads<'_>, job: Job) -> Result<Output, String> {
    let site = reads.site;
    let family = job.family();
    let mut ctx = Context::new();
    ctx.insert_value("site", reads.site_value.clone());
    family.view(reads, job, &mut ctx)?;
    let url_path = family.url_path(site, job);
    ctx.insert("page_url", &site.url(&url_path));
    ctx.insert("canonical_url", &site.absolute_url(&url_path));
    let page = render_bytes(reads.tera, family.template(job), &ctx)
        .map_err(|e| template_error::describe(&e))?;
    Ok(Output {
        path: job.output_path(site),
        content: Content::Bytes(page),
        source: family.source(site, job),
    })
}

/// A page's bytes. `Tera::render` starts from the template's own size and
/// grows the page a few times, then checks it is UTF-8 (it is: a template
/// writes only text), which the link check does again; this starts from the
/// size of the page this thread rendered last (pages come in runs of one
/// kind) and checks nothing.
fn render_bytes(tera: &Tera, template: &str, ctx: &Context) -> tera::TeraResult<Vec<u8>> {
    thread_local! {
        static LAST: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }
    let mut page = Vec::with_capacity(LAST.get().max(4096));
    tera.render_to(template, ctx, &mut page)?;
    LAST.set(page.len());
    Ok(page)
}

/// The theme's embedded `files` that the site's `static/` does not replace.
pub(crate) fn theme_files<'a>(
    files: &'static [(&'static str, &'static [u8])],
    site_static: &'a [PlainFile],
) -> impl Iterator<Item = Output> + 'a {
    files
        .iter()
        .filter(|(name, _)| !site_static.iter().any(|f| f.rel == *name))
        .map(|(name, bytes)| Output {
            path: name.to_string(),
            content: Content::Embedded(bytes),
            source: None,
        })
}

/// Static files: the built-in theme's, then the site's own (which win).
pub fn static_files(site_static: &[PlainFile]) -> Vec<Output> {
    let mut outputs: Vec<Output> = theme_files(theme::STATIC, site_static).collect();
    outputs.extend(site_static.iter().map(|f| Output {
        path: f.rel.clone(),
        content: Content::Copy(f.abs.clone()),
        source: None,
    }));
    outputs
}

/// A brief bundle's assets, beside its page.
pub fn bundle_assets(site: &Site) -> Vec<Output> {
    let mut outputs = Vec::new();
    for brief in &site.briefs {
        // Rooted: a `static/` image's variant, published once (`copies`).
        for (rel, abs) in brief.assets.iter().filter(|(rel, _)| !rel.has_root()) {
            let rel = crate::text::url_path(rel);
            outputs.push(Output {
                path: format!("{}{rel}", Site::brief_path(&brief.slug)),
                content: Content::Copy(abs.clone()),
                source: Some(brief.path.clone()),
            });
        }
    }
    outputs
}
