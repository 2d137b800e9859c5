//! Render: the site model through Tera into page bytes, in parallel.
//!
//! Steps: load the templates once (built-ins under the `builtin/` fallback
//! prefix, so a site's `templates/<name>` overrides its namesake); build each
//! brief's listing summary once; list every page to write as a [`Job`];
//! render the jobs with rayon. Results come back in job order, so output is
//! the same on every run whatever the thread timing.

pub(crate) mod catalog;
pub(crate) mod copies;
pub(crate) mod data;
pub(crate) mod feed;
pub(crate) mod files;
pub(crate) mod format;
pub(crate) mod job;
pub(crate) mod listing;
pub(crate) mod pages;
pub(crate) mod redirects;
pub(crate) mod scores;
pub mod search;
pub(crate) mod shared;
pub(crate) mod sitemap;
pub(crate) mod sources;
pub(crate) mod summaries;
pub(crate) mod template_error;
pub mod theme;
pub mod theme_export;
pub(crate) mod view;
pub(crate) mod watchlist;

use std::fs;
use std::sync::OnceLock;

use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::collate::Collation;
use crate::content::brief::Source;
use crate::content::discover::PlainFile;
use crate::site::{Site, Taxonomy, Term};
pub(crate) use files::{Content, Output, Sink, Write};
pub use job::Job;
pub(crate) use summaries::Summaries;

use feed::Feed;
use format::{DateForms, number};
use summaries::term_ref;
use view::*;

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

impl Job {
    /// Every job of `site`, in a fixed order.
    pub fn all(site: &Site) -> Vec<Job> {
        Job::all_with(site, sources::count(site))
    }

    /// [`Job::all`], with the number of sources on the sources pages
    /// (`serve` keeps a [`sources::Counter`]).
    pub fn all_with(site: &Site, sources: usize) -> Vec<Job> {
        let mut jobs: Vec<Job> = (1..=site.index_pages()).map(Job::Index).collect();
        jobs.extend((0..site.briefs.len()).map(Job::Brief));
        for taxonomy in [Taxonomy::Tags, Taxonomy::Entities] {
            jobs.push(Job::TaxonomyList(taxonomy));
            for (i, term) in site.terms(taxonomy).iter().enumerate() {
                let pages = site.pagination(term.briefs.len()).numbers();
                jobs.extend(pages.map(|n| Job::Term(taxonomy, i, n)));
            }
        }
        jobs.extend((0..site.pages.len()).map(Job::Page));
        jobs.extend(pages::watch::jobs(site));
        jobs.extend([
            Job::Search,
            Job::NotFound,
            Job::Atom(Feed::Main),
            Job::Atom(Feed::HighScore),
        ]);
        jobs.extend((0..site.tags.len()).map(|i| Job::Atom(Feed::Tag(i))));
        jobs.extend(pages::top::jobs());
        for (i, band) in scores::band_links(site).iter().enumerate() {
            jobs.extend(
                site.pagination(band.count)
                    .numbers()
                    .map(|n| Job::Band(i, n)),
            );
        }
        jobs.extend(site.pagination(sources).numbers().map(Job::Sources));
        jobs.extend(pages::review::jobs(site));
        jobs
    }

    /// The template the job renders.
    pub fn template(self) -> &'static str {
        match self {
            Job::Index(_) => "index.html",
            Job::Brief(_) => "brief.html",
            Job::TaxonomyList(_) => "taxonomy_list.html",
            Job::Term(..) => "taxonomy_term.html",
            Job::Page(_) => "page.html",
            Job::Watch(_) => "watch.html",
            Job::Search => "search.html",
            Job::NotFound => "404.html",
            Job::Review(_) => "review.html",
            Job::Top => "top.html",
            Job::Band(..) => "band.html",
            Job::Sources(_) => "sources.html",
            Job::Atom(_) => "atom.xml",
        }
    }

    /// The page's URL path under the site root (`briefs/x/`, `atom.xml`).
    fn url_path(self, site: &Site) -> String {
        match self {
            Job::Index(n) => Site::index_path(n),
            Job::Brief(i) => Site::brief_path(&site.briefs[i].slug),
            Job::TaxonomyList(t) => format!("{}/", t.key()),
            Job::Term(t, i, n) => Site::term_page_path(t, &site.terms(t)[i].slug, n),
            Job::Page(i) => format!("{}/", site.pages[i].slug),
            Job::Watch(n) => pages::watch::url_path(n),
            Job::Search => "search/".to_string(),
            Job::NotFound => "404.html".to_string(),
            Job::Review(n) => pages::review::url_path(n),
            Job::Top => pages::top::url_path(),
            Job::Band(i, n) => scores::band_page_path(&site.config.bands[i].slug, n),
            Job::Sources(n) => sources::page_path(n),
            Job::Atom(f) => f.path(site),
        }
    }

    /// The file the job writes, under the output folder.
    pub fn output_path(self, site: &Site) -> String {
        let path = self.url_path(site);
        // Pages are folders with an index.html; files (feeds, 404.html) keep their name.
        if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path
        }
    }
}

/// Data files every build writes, beside the pages.
pub const DATA_FILES: &[&str] = &[
    feed::JSON_FEED,
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

/// Renders `jobs` into `sink`, in parallel, plus the data files that may
/// have changed since `data`'s last update (sitemap, search index, …; the
/// JSON feed when `jobs` render the main Atom feed, whose entries it
/// shares). Template errors are gathered from every job, once each.
pub(crate) fn render_into(
    site: &Site,
    tera: &Tera,
    jobs: &[Job],
    data: &mut data::DataFiles,
    sink: &dyn Sink,
) -> Result<(), RenderError> {
    let views = Views::new(site);
    let errors = std::sync::Mutex::new(Vec::<String>::new());
    let pages = || {
        jobs.par_iter()
            .try_for_each(|job| match views.render(tera, *job) {
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
    let data_files = || match views.data_files(tera, data, json_feed, sink) {
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

/// The precomputed views shared by every page.
struct Views<'a> {
    site: &'a Site,
    site_view: SiteView,
    /// `site_view` as a template value, made once for every page.
    site_value: Value,
    summaries: Summaries<'a>,
    /// Each taxonomy's view (every term and its count) as a template value,
    /// made once for all its term pages.
    taxonomies: [OnceLock<Value>; 2],
    /// Each brief's feed HTML (or the template error), made the first time
    /// a feed needs it and shared by every feed.
    feed_content: Vec<OnceLock<Result<String, String>>>,
    /// Turns content links (`@/briefs/x.md`) into URLs.
    links: crate::site::content_links::Resolver<'a>,
    /// The whole watchlist and sources list, made once for all their pages.
    watchlist: OnceLock<watchlist::Watchlist>,
    sources: sources::Listed<'a>,
    /// Each band's briefs and every band's link, made once for all the
    /// band pages (each page finding them anew made a build quadratic).
    bands: OnceLock<(Vec<Vec<usize>>, Vec<view::BandLink>)>,
    /// The review page's briefs: in review first, then drafts.
    unpublished: OnceLock<Vec<usize>>,
    /// Every brief's index, in order: the index pages' list.
    everything: OnceLock<Vec<usize>>,
}

impl<'a> Views<'a> {
    fn new(site: &'a Site) -> Self {
        let summaries = Summaries::new(site);
        let feed_content = site.briefs.iter().map(|_| OnceLock::new()).collect();
        let site_view = site_view(site);
        Self {
            site,
            site_value: Value::from_serializable(&site_view),
            site_view,
            summaries,
            taxonomies: Default::default(),
            feed_content,
            links: crate::site::content_links::Resolver::new(site),
            watchlist: OnceLock::new(),
            sources: sources::Listed::new(site),
            bands: OnceLock::new(),
            unpublished: OnceLock::new(),
            everything: OnceLock::new(),
        }
    }

    fn feed_entries(&self, tera: &Tera, feed: Feed) -> Result<Vec<FeedEntry>, String> {
        let content = |i: usize| {
            self.feed_content[i]
                .get_or_init(|| {
                    feed::content_html(tera, self.site, &self.site_view, &self.brief(i))
                })
                .clone()
        };
        feed::entries(self.site, feed, &self.summaries, &content)
    }

    /// Puts into `sink` the files that are data, not pages: JSON Feed (when
    /// `json_feed`), and those of `data` that changed: sitemap,
    /// `briefs.json`, the watchlist calendar and the search index. A
    /// template error is the `Err`; a failed write, the `Ok`'s.
    fn data_files(
        &self,
        tera: &Tera,
        data: &mut data::DataFiles,
        json_feed: bool,
        sink: &dyn Sink,
    ) -> Result<std::io::Result<()>, String> {
        let site = self.site;
        if json_feed {
            let feed = Output {
                path: feed::JSON_FEED.to_string(),
                content: Content::Bytes(feed::json_feed(
                    site,
                    &self.feed_entries(tera, Feed::Main)?,
                )),
                source: None,
            };
            if let Err(e) = sink.put(feed) {
                return Ok(Err(e));
            }
        }
        Ok(data.update(site, &self.summaries, &self.sources, sink))
    }

    fn render(&self, tera: &Tera, job: Job) -> Result<Output, String> {
        let site = self.site;
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_value.clone());
        match job {
            Job::Index(n) => ctx.insert("paginator", &self.paginator(n)),
            Job::Brief(i) => ctx.insert("brief", &self.brief(i)),
            Job::TaxonomyList(t) => ctx.insert_value("taxonomy", self.taxonomy_value(t)),
            Job::Term(t, i, n) => {
                let term = &site.terms(t)[i];
                let paginator = self.term_paginator(t, term, n);
                ctx.insert_value("taxonomy", self.taxonomy_value(t));
                ctx.insert("term", &self.term(t, term, &paginator));
                ctx.insert("paginator", &paginator);
            }
            Job::Page(i) => {
                let mut page = page_view(site, i);
                page.content = self.links.resolve(page.content);
                ctx.insert("page", &page);
            }
            Job::Watch(n) => {
                let list = self.watchlist.get_or_init(|| watchlist::watchlist(site));
                pages::watch::view(site, list, n, &mut ctx);
            }
            Job::Band(i, n) => self.band_page(i, n, &mut ctx),
            Job::Sources(n) => self.sources_page(n, &mut ctx),
            Job::Search | Job::NotFound => {}
            Job::Review(n) => {
                let unpublished = self.unpublished.get_or_init(|| pages::review::briefs(site));
                pages::review::view(site, &self.summaries, unpublished, n, &mut ctx);
            }
            Job::Top => pages::top::view(site, &self.summaries, &mut ctx),
            Job::Atom(f) => ctx.insert(
                "feed",
                &feed::atom_view(site, f, self.feed_entries(tera, f)?),
            ),
        }
        let url_path = job.url_path(site);
        ctx.insert("page_url", &site.url(&url_path));
        ctx.insert("canonical_url", &site.absolute_url(&url_path));
        let text = tera
            .render(job.template(), &ctx)
            .map_err(|e| template_error::describe(&e))?;
        let source = match job {
            Job::Brief(i) => Some(site.briefs[i].path.clone()),
            Job::Page(i) => Some(site.pages[i].path.clone()),
            _ => None,
        };
        Ok(Output {
            path: job.output_path(site),
            content: Content::Bytes(text.into_bytes()),
            source,
        })
    }

    /// Page `n` of band `i`: `band_page` and `paginator`.
    fn band_page(&self, i: usize, n: usize, ctx: &mut Context) {
        let site = self.site;
        let slug = &site.config.bands[i].slug;
        let url = |k: usize| site.url(&scores::band_page_path(slug, k));
        let (lists, links) = self.bands.get_or_init(|| {
            let lists = scores::band_lists(site);
            let links = scores::band_links_of(site, &lists);
            (lists, links)
        });
        let paginator = self.paginate(&lists[i], n, &url);
        let page = scores::band_page(site, i, paginator.briefs.clone(), links.clone());
        ctx.insert("band_page", &page);
        ctx.insert("paginator", &paginator);
    }

    /// Page `n` of the sources: `sources_page` and `paginator`.
    fn sources_page(&self, n: usize, ctx: &mut Context) {
        let site = self.site;
        let all = self.sources.all();
        let url = |k: usize| site.url(&sources::page_path(k));
        let mut taken = ahash::AHashSet::new();
        let page = SourcesPageView {
            sources: (site.pagination(all.len()).page(all, n).iter())
                .map(|m| sources::view(site, m, &mut taken))
                .collect(),
            total_sources: all.len(),
        };
        ctx.insert("sources_page", &page);
        ctx.insert("paginator", &listing::pager(site, all.len(), n, &url));
    }

    fn paginator(&self, n: usize) -> PaginatorView {
        let all = (self.everything).get_or_init(|| (0..self.summaries.len()).collect());
        self.paginate(all, n, &|k| self.site.url(&Site::index_path(k)))
    }

    /// Page `n` of a term's listing, its links under the term's URL.
    fn term_paginator(&self, t: Taxonomy, term: &Term, n: usize) -> PaginatorView {
        let url = |k: usize| self.site.url(&Site::term_page_path(t, &term.slug, k));
        self.paginate(&term.briefs, n, &url)
    }

    /// Page `n` (1-based) of the briefs `briefs` (indexes, in order), with
    /// `url(k)` the URL of page `k`.
    fn paginate(&self, briefs: &[usize], n: usize, url: &dyn Fn(usize) -> String) -> PaginatorView {
        PaginatorView {
            briefs: Shared::new(
                &(self.site.pagination(briefs.len()).page(briefs, n))
                    .iter()
                    .map(|&i| &self.summaries[i])
                    .collect::<Vec<_>>(),
            ),
            total_briefs: briefs.len(),
            pager: listing::pager(self.site, briefs.len(), n, url),
        }
    }

    fn brief(&self, i: usize) -> BriefView {
        let site = self.site;
        let brief = &site.briefs[i];
        let link = |j: usize| LinkView {
            title: site.briefs[j].title.clone(),
            url: self.summaries[j].url.clone(),
        };
        let (cited, uncited): (Vec<&Source>, Vec<&Source>) =
            brief.sources.iter().partition(|s| s.number.is_some());
        let mut sources: Vec<SourceView> = cited.into_iter().map(source_view).collect();
        sources.sort_by_key(|s| s.number);
        let badge = self.summaries[i].score.clone();
        BriefView {
            summary: self.summaries[i].clone(),
            content: self.links.resolve(brief.content_html.decompress()),
            diagrams: brief.diagrams,
            toc: brief.toc.clone(),
            score: ScoreView {
                badge,
                rationale: self.links.resolve(brief.rationale_html.decompress()),
                factors: brief
                    .factors
                    .iter()
                    .map(|f| FactorView {
                        name: f.name.clone(),
                        value: f.value,
                        display: number(f.value),
                        note: f.note.clone(),
                    })
                    .collect(),
            },
            sources,
            further_reading: uncited.into_iter().map(source_view).collect(),
            watch: brief
                .watch
                .iter()
                .map(|w| WatchView {
                    item: w.item.clone(),
                    by: w.by.map(|d| d.view()),
                })
                .collect(),
            corrections: brief
                .corrections
                .iter()
                .map(|c| CorrectionView {
                    date: c.date.view(),
                    text: c.text.clone(),
                })
                .collect(),
            previous: (i + 1 < site.briefs.len()).then(|| link(i + 1)),
            next: (i > 0).then(|| link(i - 1)),
            extra: brief.extra.clone(),
        }
    }

    /// [`Self::taxonomy`] as a template value, made once per taxonomy.
    fn taxonomy_value(&self, t: Taxonomy) -> Value {
        let slot = match t {
            Taxonomy::Tags => &self.taxonomies[0],
            Taxonomy::Entities => &self.taxonomies[1],
        };
        slot.get_or_init(|| Value::from_serializable(&self.taxonomy(t)))
            .clone()
    }

    fn taxonomy(&self, t: Taxonomy) -> TaxonomyView {
        let mut terms: Vec<TermCount> = self
            .site
            .terms(t)
            .iter()
            .map(|term| TermCount {
                term: term_ref(self.site, t, &term.name, &term.slug),
                count: term.briefs.len(),
            })
            .collect();
        let collation = Collation::for_language(&self.site.config.language);
        terms.sort_by(|a, b| {
            (collation.compare(&a.term.name, &b.term.name))
                .then_with(|| a.term.slug.cmp(&b.term.slug))
        });
        TaxonomyView {
            kind: t.key().to_string(),
            title: t.title().to_string(),
            url: self.site.url(&format!("{}/", t.key())),
            terms,
        }
    }

    /// A term's page: the briefs of `paginator`'s page, and (for entities)
    /// the whole score history on the first page only.
    fn term(&self, t: Taxonomy, term: &Term, paginator: &PaginatorView) -> TermView {
        let first = paginator.pager.number == 1;
        TermView {
            term: term_ref(self.site, t, &term.name, &term.slug),
            briefs: paginator.briefs.clone(),
            total_briefs: term.briefs.len(),
            history: (t == Taxonomy::Entities && first)
                .then(|| scores::history(self.site, term, &self.summaries)),
        }
    }
}

fn site_view(site: &Site) -> SiteView {
    let c = &site.config;
    SiteView {
        title: c.title.clone(),
        description: c.description.clone(),
        base_url: c.base_url.to_string(),
        root: c.root().to_string(),
        language: c.language.clone(),
        authors: c.authors.clone(),
        scoring: ScaleView {
            scale: c.scale,
            bands: c
                .bands
                .iter()
                .map(|b| BandView {
                    min: b.min,
                    label: b.label.clone(),
                    slug: b.slug.clone(),
                })
                .collect(),
        },
        pages: site
            .pages
            .iter()
            .filter(|p| p.in_nav)
            .map(|p| LinkView {
                title: p.title.clone(),
                url: site.url(&format!("{}/", p.slug)),
            })
            .collect(),
        drafts: site.drafts,
        links: SiteLinks {
            atom: site.url(feed::ATOM),
            json_feed: site.url(feed::JSON_FEED),
            high_score: site.url(feed::HIGH_SCORE),
            search: site.url("search/"),
            watch: site.url("watch/"),
            watch_ics: site.url("watch.ics"),
        },
        generator: format!("briefs {}", env!("CARGO_PKG_VERSION")),
        stylesheets: c
            .stylesheets
            .iter()
            .map(|l| static_url(site, &l.path))
            .collect(),
        scripts: c
            .scripts
            .iter()
            .map(|l| static_url(site, &l.path))
            .collect(),
        extra: c.extra.clone(),
    }
}

/// The URL path of `path`, a file of `static/`, under the base path
/// (percent-encoded as a browser would).
fn static_url(site: &Site, path: &str) -> String {
    site.config
        .base_url
        .join(path)
        .map_or_else(|_| site.url(path), |url| url.path().to_string())
}

fn source_view(s: &Source) -> SourceView {
    let number = s.number.unwrap_or(0);
    SourceView {
        number,
        anchor: if number > 0 {
            format!("source-{number}")
        } else {
            format!(
                "further-{}",
                crate::content::citation_syntax::key_slug(&s.id)
            )
        },
        id: s.id.clone(),
        ref_id: sources::ref_id(&s.id),
        reference: s.reference.to_string(),
        publisher: s.publisher.clone(),
        title: s.title.clone(),
        url: s.url.clone(),
        date: s.date.map(|d| d.view()),
        accessed: s.accessed.map(|d| d.view()),
        kind: s.kind.as_str().to_string(),
        kind_label: s.kind.label().to_string(),
        tier: s.tier.clone(),
        backlinks: s
            .places()
            .enumerate()
            .map(|(k, id)| BacklinkView {
                id,
                label: backlink_label(k),
            })
            .collect(),
    }
}

/// `a`, `b`, … `z`, `aa`, `ab`, … like Wikipedia's back-references.
fn backlink_label(mut k: usize) -> String {
    let mut label = Vec::new();
    loop {
        label.push(b'a' + (k % 26) as u8);
        if k < 26 {
            break;
        }
        k = k / 26 - 1;
    }
    label.reverse();
    String::from_utf8(label).expect("ASCII letters")
}

fn page_view(site: &Site, i: usize) -> PageView {
    let p = &site.pages[i];
    PageView {
        title: p.title.clone(),
        slug: p.slug.clone(),
        url: site.url(&format!("{}/", p.slug)),
        summary: p.summary.clone(),
        content: p.content_html.clone(),
        diagrams: p.diagrams,
        toc: p.toc.clone(),
        extra: p.extra.clone(),
    }
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
        for (rel, abs) in &brief.assets {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backlink_labels_count_like_spreadsheet_columns() {
        let labels: Vec<String> = [0, 1, 25, 26, 27, 51, 52]
            .into_iter()
            .map(backlink_label)
            .collect();
        assert_eq!(labels, ["a", "b", "z", "aa", "ab", "az", "ba"]);
    }
}
