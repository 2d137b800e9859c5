//! Invalidation: what a change to some files means for the site's pages.
//!
//! Steps: classify each changed path ([`classify`] into a [`Change`]); after
//! the session has re-read those files and rebuilt the model, pick the render
//! jobs the change can affect ([`jobs`]), comparing the old model with the
//! new. Exact by construction: a job is skipped only when nothing it shows
//! can have changed; `tests/serve.rs` checks the served folder against a
//! clean build after every kind of edit.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};

use crate::content::brief::Brief;
use crate::content::config;
use crate::content::content_links::{Link, PREFIX, split};
use crate::content::discover::{self, SiteFiles};
use crate::content::slugs::term_slug;
use crate::render::Job;
use crate::render::feed::{self, Feed};
use crate::site::content_links::Targets;
use crate::site::pagination::Pagination;
use crate::site::{Site, Taxonomy, Term};

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
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    // Dotfiles in `static/` are published; what is not is ignored.
    if parts.next().as_deref() == Some("static") {
        if parts.any(|part| discover::is_unpublished(&part)) {
            return Change::Ignored;
        }
        return Change::Static;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if discover::is_hidden(&name) {
        return Change::Ignored;
    }
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    match (parts.next().as_deref(), parts.next().as_deref()) {
        (Some(config::FILE_NAME | crate::content::registry::FILE_NAME), None) => Change::Config,
        // A bibliography at the site root (`refs.bib`, `zotero.json`).
        (Some(file), None) if crate::content::bibliography::Format::of(file).is_some() => {
            Change::Config
        }
        (Some("content"), Some("briefs")) => Change::Brief,
        (Some("content"), Some("pages")) => Change::Page,
        (Some("templates"), Some(_)) => Change::Template,
        _ => Change::Ignored,
    }
}

/// What changed since the last good build, by kind (paths as the watcher
/// reports them).
pub(crate) struct Changes<'a> {
    pub briefs: &'a HashSet<PathBuf>,
    pub pages: &'a HashSet<PathBuf>,
    pub templates: &'a [PathBuf],
}

/// The render jobs that `changes` can affect, going from the `old` model to
/// the `new` one: every page when the navigation or the base template
/// changed; else the changed briefs and their neighbours with the listings
/// that show them, the changed pages, and the pages whose templates use a
/// changed template (the feeds too when `feed_entry.html`, which renders
/// their entries' content, uses one). In a stable order, without repeats.
pub(crate) fn jobs(
    old: &Site,
    new: &Site,
    all: &[Job],
    changes: &Changes<'_>,
    files: &SiteFiles,
    root: &Path,
) -> Vec<Job> {
    let templates_changed = !changes.templates.is_empty();
    if nav_changed(old, new) || touches_base(changes.templates) {
        return all.to_vec();
    }
    let mut jobs: Vec<Job> = Vec::new();
    if !changes.briefs.is_empty() {
        jobs.extend(brief_jobs(old, new, all, changes.briefs, root));
    }
    if !changes.pages.is_empty() {
        jobs.extend(page_jobs(new, changes.pages, root));
    }
    jobs.extend(content_links_moved(old, new, all));
    if templates_changed {
        let affected = dependents(files, changes.templates, root);
        let feeds = affected.contains(feed::ENTRY_TEMPLATE);
        jobs.extend(
            all.iter().copied().filter(|j| {
                affected.contains(j.template()) || (feeds && matches!(j, Job::Atom(_)))
            }),
        );
    }
    dedup(&mut jobs);
    jobs
}

/// True when what every page shows in its header (free pages' titles and
/// slugs) differs.
fn nav_changed(old: &Site, new: &Site) -> bool {
    let nav = |s: &Site| {
        s.pages
            .iter()
            .map(|p| (p.slug.clone(), p.title.clone(), p.in_nav))
            .collect::<Vec<_>>()
    };
    nav(old) != nav(new)
}

/// The jobs a change to some briefs can affect.
fn brief_jobs(
    old: &Site,
    new: &Site,
    all: &[Job],
    changed: &HashSet<PathBuf>,
    root: &Path,
) -> Vec<Job> {
    // Site-relative, as briefs name their files: no path built per brief.
    let changed: HashSet<&OsStr, ahash::RandomState> = changed
        .iter()
        .filter_map(|p| p.strip_prefix(root).ok())
        .map(Path::as_os_str)
        .collect();
    let is_changed = |b: &Brief| changed.contains(file(b));
    // The same files in the same order (an edit in place): no maps needed.
    let same = same_paths(old, new);
    let new_index: HashMap<&OsStr, usize> = match same {
        true => HashMap::new(),
        false => (new.briefs.iter().enumerate())
            .map(|(i, b)| (file(b), i))
            .collect(),
    };
    let index_in_new = |b: &Brief, i: usize| match same {
        true => Some(i),
        false => new_index.get(file(b)).copied(),
    };
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
        let deleted = index_in_new(b, i).is_none();
        if is_changed(b) || deleted {
            for j in [i.checked_sub(1), Some(i + 1)].into_iter().flatten() {
                if let Some(k) = old.briefs.get(j).and_then(|n| index_in_new(n, j)) {
                    briefs.insert(k);
                }
            }
        }
    }
    let old_paths: HashSet<&OsStr> = match same {
        true => HashSet::new(),
        false => old.briefs.iter().map(|b| file(b)).collect(),
    };
    for (i, b) in new.briefs.iter().enumerate() {
        if is_changed(b) || !same && !old_paths.contains(file(b)) {
            near(i, &mut briefs);
        }
    }
    let mut jobs: Vec<Job> = briefs.into_iter().map(Job::Brief).collect();
    jobs.sort_by_key(|j| match j {
        Job::Brief(i) => *i,
        _ => 0,
    });
    jobs.extend(listing_jobs(old, new, all, &is_changed));
    jobs
}

/// A brief's file, site-relative, to compare and hash as bytes: a save asks
/// about every brief several times, and a `Path`'s `==` and `Hash` walk its
/// components (a fifth of a one-brief save at 10,000 briefs). Paths come
/// from one walk, spelled alike, so equal bytes and equal paths agree.
fn file(b: &Brief) -> &OsStr {
    b.path.as_os_str()
}

/// True when both models have the same brief files in the same order.
fn same_paths(old: &Site, new: &Site) -> bool {
    old.briefs.len() == new.briefs.len()
        && (old.briefs.iter().zip(&new.briefs)).all(|(a, b)| file(a) == file(b))
}

/// The listings a change to some briefs can affect: the index pages that
/// show them (all of them when the order moved), the pages, feeds and bands
/// of their old and new terms and scores, and the site-wide lists.
fn listing_jobs(
    old: &Site,
    new: &Site,
    all: &[Job],
    is_changed: &dyn Fn(&Brief) -> bool,
) -> Vec<Job> {
    let same_order = same_paths(old, new);
    let path_set = |site: &Site| -> HashSet<PathBuf> {
        match same_order {
            true => HashSet::new(),
            false => site.briefs.iter().map(|b| b.path.clone()).collect(),
        }
    };
    let (old_paths, new_paths) = (path_set(old), path_set(new));
    let touched = |site: &Site| -> Vec<usize> {
        if same_order {
            return (0..site.briefs.len())
                .filter(|&i| is_changed(&site.briefs[i]))
                .collect();
        }
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
    let index = new.pagination(new.briefs.len());
    let pages: HashSet<usize> = new_touched.iter().map(|&i| index.page_showing(i)).collect();
    let slugs = term_slugs([(old, &old_touched[..]), (new, &new_touched[..])]);
    let band_counts = |site: &Site| {
        crate::render::scores::band_links(site)
            .into_iter()
            .map(|b| b.count)
            .collect::<Vec<_>>()
    };
    let all_bands = band_counts(old) != band_counts(new);
    // Briefs listed as before (same summaries, same places) change no listing.
    let listed = !unchanged_for(old, new, is_changed, summary_face);
    let moved = Moved {
        watch: !unchanged_for(old, new, is_changed, watch_face),
        sources: !unchanged_for(old, new, is_changed, sources_face),
        bands: listed,
    };
    let paged = paged_listings(old, new, &new_touched, per_page, &moved);
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
    all.iter()
        .copied()
        .filter(|j| match *j {
            Job::Index(n) => listed && (!same_order || pages.contains(&n)),
            Job::Term(t, i, n) => {
                let all = if t == Taxonomy::Tags {
                    all_tags
                } else {
                    all_entities
                };
                let key = (t, new.terms(t)[i].slug.clone());
                listed && (all || slugs.contains(&key) && term_pages(old, new, key, is_changed, n))
            }
            Job::Atom(Feed::Tag(i)) => slugs.contains(&(Taxonomy::Tags, new.tags[i].slug.clone())),
            Job::Band(i, n) => listed && (all_bands || paged.bands[i].contains(&n)),
            // Names and counts only: moved when `all_*` says so.
            Job::TaxonomyList(Taxonomy::Tags) => all_tags,
            Job::TaxonomyList(Taxonomy::Entities) => all_entities,
            Job::Watch(n) => paged.watch.contains(&n),
            Job::Sources(n) => paged.sources.contains(&n),
            Job::Top => listed,
            Job::Atom(feed @ (Feed::Main | Feed::HighScore)) => {
                feed_moved(old, new, feed, is_changed)
            }
            Job::Review(_) => true,
            Job::Brief(_) | Job::Page(_) | Job::Search | Job::NotFound => false,
        })
        .collect()
}

/// The briefs a feed shows and their neighbours (a feed entry renders the
/// brief's view, which links its neighbours), by index, in order.
fn feed_face(site: &Site, feed: Feed) -> Vec<usize> {
    let n = site.briefs.len();
    let mut face: Vec<usize> = (feed.briefs(site).into_iter())
        .flat_map(|i| [i.checked_sub(1), Some(i), Some(i + 1)])
        .flatten()
        .filter(|&j| j < n)
        .collect();
    face.sort_unstable();
    face.dedup();
    face
}

/// True when the feed shows other briefs (or neighbours) than before, or
/// one of them changed: an edit to a brief it does not show leaves it as
/// it was.
fn feed_moved(old: &Site, new: &Site, feed: Feed, is_changed: &dyn Fn(&Brief) -> bool) -> bool {
    let (before, after) = (feed_face(old, feed), feed_face(new, feed));
    before.len() != after.len()
        || (before.iter().zip(&after)).any(|(&a, &b)| file(&old.briefs[a]) != file(&new.briefs[b]))
        || after.iter().any(|&i| is_changed(&new.briefs[i]))
}

/// The pages, by number, of the watchlist, the sources and each band that
/// show something else after a change to the briefs `touched` (indexes in
/// `new`).
struct PagedListings {
    watch: HashSet<usize>,
    sources: HashSet<usize>,
    /// By band index.
    bands: Vec<HashSet<usize>>,
}

/// The tags and entities (by slug) of the `touched` briefs of each site.
fn term_slugs(sites: [(&Site, &[usize]); 2]) -> HashSet<(Taxonomy, String)> {
    let mut slugs = HashSet::new();
    for (site, touched) in sites {
        for &i in touched {
            let b = &site.briefs[i];
            let slug = |name: &String| term_slug(name, &site.config.language);
            slugs.extend(b.tags.iter().map(|t| (Taxonomy::Tags, slug(t))));
            slugs.extend(b.entities.iter().map(|t| (Taxonomy::Entities, slug(t))));
        }
    }
    slugs
}

/// Which paginated listings can show a change at all (cheap checks of the
/// changed briefs): the others are not compared page by page.
struct Moved {
    watch: bool,
    sources: bool,
    bands: bool,
}

/// Compares the paginated listings of `old` and `new` page by page: the
/// watchlist and the sources by value (their entries carry everything their
/// pages show), bands by which briefs each page shows and whether one of
/// them changed (a brief's card depends on that brief alone).
fn paged_listings(
    old: &Site,
    new: &Site,
    touched: &[usize],
    per_page: usize,
    moved: &Moved,
) -> PagedListings {
    use crate::render::{scores, sources, watchlist};
    let mut watch = HashSet::new();
    if moved.watch {
        let (old_watch, new_watch) = (watchlist::watchlist(old), watchlist::watchlist(new));
        let dated_moved = old_watch.dated != new_watch.dated;
        watch = changed_pages(&old_watch.entries, &new_watch.entries, per_page, &|_| {
            dated_moved
        });
    }
    let mut sources = HashSet::new();
    if moved.sources {
        sources = changed_pages(
            &sources::entries(old),
            &sources::entries(new),
            per_page,
            &|_| false,
        );
    }
    if !moved.bands {
        return PagedListings {
            watch,
            sources,
            bands: vec![HashSet::new(); new.config.bands.len()],
        };
    }
    let touched: HashSet<&Path> = touched
        .iter()
        .map(|&i| new.briefs[i].path.as_path())
        .collect();
    let (old_lists, new_lists) = (scores::band_lists(old), scores::band_lists(new));
    let bands = (0..new.config.bands.len())
        .map(|i| {
            let paths = |site: &Site, lists: &[Vec<usize>]| -> Vec<PathBuf> {
                lists
                    .get(i)
                    .into_iter()
                    .flatten()
                    .map(|&k| site.briefs[k].path.clone())
                    .collect()
            };
            changed_pages(
                &paths(old, &old_lists),
                &paths(new, &new_lists),
                per_page,
                &|p| touched.contains(p.as_path()),
            )
        })
        .collect();
    PagedListings {
        watch,
        sources,
        bands,
    }
}

/// The pages (1-based, `per_page` items each) of a listing that differ
/// between `old` and `new` items, or that show an item `dirty` says
/// changed. Every page, when the count of items moved: each page says it.
fn changed_pages<T: PartialEq>(
    old: &[T],
    new: &[T],
    per_page: usize,
    dirty: &dyn Fn(&T) -> bool,
) -> HashSet<usize> {
    let (before, after) = (
        Pagination::new(old.len(), per_page),
        Pagination::new(new.len(), per_page),
    );
    (after.numbers())
        .filter(|&n| {
            old.len() != new.len()
                || before.page(old, n) != after.page(new, n)
                || after.page(new, n).iter().any(dirty)
        })
        .collect()
}

/// True when the briefs are the same files in the same order and `face`
/// (what a site-wide list shows of a brief) is the same before and after
/// for every changed one: the list cannot have changed.
fn unchanged_for<'a, F: PartialEq + 'a>(
    old: &'a Site,
    new: &'a Site,
    is_changed: &dyn Fn(&Brief) -> bool,
    face: impl Fn(&'a Brief) -> F,
) -> bool {
    old.briefs.len() == new.briefs.len()
        && old
            .briefs
            .iter()
            .zip(&new.briefs)
            .all(|(a, b)| file(a) == file(b) && (!is_changed(b) || face(a) == face(b)))
}

/// What a listing shows of a brief: the fields of its summary.
fn summary_face(b: &Brief) -> impl PartialEq + '_ {
    let dates = (b.date, b.updated);
    let names = (&b.tags, &b.entities, &b.authors);
    (
        &b.title,
        &b.slug,
        dates,
        &b.summary,
        b.status,
        names,
        b.score.to_bits(),
    )
}

/// What the watch page shows of a brief (its summary's URL and score
/// badge come from the slug and the score).
fn watch_face(b: &Brief) -> impl PartialEq + '_ {
    let items: Vec<_> = b.watch.iter().map(|w| (&w.item, w.by)).collect();
    (b.status, &b.title, &b.slug, b.score.to_bits(), items)
}

/// What the sources page shows of a brief: its link and cited sources.
fn sources_face(b: &Brief) -> impl PartialEq + '_ {
    let cited: Vec<_> = b
        .sources
        .iter()
        .filter(|s| s.number.is_some())
        .map(|s| (&s.id, &s.publisher, &s.title, &s.url, s.kind, &s.tier))
        .collect();
    (&b.title, &b.slug, cited)
}

/// Whether page `n` of a changed brief's term can show the change: every
/// page when the term's briefs, their order or its name moved, else the
/// pages showing a changed brief and an entity's first page (its score
/// history covers every brief).
fn term_pages(
    old: &Site,
    new: &Site,
    (t, slug): (Taxonomy, String),
    is_changed: &dyn Fn(&Brief) -> bool,
    n: usize,
) -> bool {
    fn find<'s>(site: &'s Site, t: Taxonomy, slug: &str) -> Option<&'s Term> {
        let terms = site.terms(t);
        let at = terms.binary_search_by(|term| term.slug.as_str().cmp(slug));
        at.ok().map(|k| &terms[k])
    }
    fn paths<'s>(site: &'s Site, term: &Term) -> Vec<&'s Path> {
        let paths = term.briefs.iter().map(|&i| site.briefs[i].path.as_path());
        paths.collect()
    }
    let (Some(before), Some(after)) = (find(old, t, &slug), find(new, t, &slug)) else {
        return true;
    };
    if before.name != after.name || paths(old, before) != paths(new, after) {
        return true;
    }
    if t == Taxonomy::Entities && n == 1 {
        return true;
    }
    let shown = new.pagination(after.briefs.len()).page(&after.briefs, n);
    shown.iter().map(|&i| &new.briefs[i]).any(|b| is_changed(b))
}

fn page_jobs(site: &Site, changed: &HashSet<PathBuf>, root: &Path) -> Vec<Job> {
    (0..site.pages.len())
        .filter(|&i| changed.contains(&root.join(&site.pages[i].path)))
        .map(Job::Page)
        .collect()
}

fn touches_base(templates: &[PathBuf]) -> bool {
    templates.iter().any(|p| p.ends_with("base.html"))
}

/// Template names that extend or include any changed template, transitively.
fn dependents(files: &SiteFiles, changed: &[PathBuf], root: &Path) -> HashSet<String> {
    let templates = root.join("templates");
    let mut affected: HashSet<String> = changed
        .iter()
        .filter_map(|p| p.strip_prefix(&templates).ok())
        .map(crate::text::url_path)
        .collect();
    // Sources of every template, the site's over the built-in ones.
    let mut sources: BTreeMap<String, String> = crate::render::theme::TEMPLATES
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

/// The pages to re-render because a target of their content links moved
/// (or appeared, or went) between two models of the site: the briefs and
/// pages linking to it, and every feed (they carry the briefs' bodies).
pub(crate) fn content_links_moved(old: &Site, new: &Site, all: &[Job]) -> Vec<Job> {
    let linking = |links: &[Link]| links.iter().any(|l| l.dest.starts_with(PREFIX));
    if !new.briefs.iter().any(|b| linking(&b.links)) && !new.pages.iter().any(|p| linking(&p.links))
    {
        return Vec::new();
    }
    let (before, after) = (Targets::new(old), Targets::new(new));
    let mut changed: HashSet<&str> = HashSet::new();
    for (key, path) in &before.paths {
        if after.paths.get(key) != Some(path) {
            changed.insert(key);
        }
    }
    changed.extend(
        after
            .paths
            .keys()
            .filter(|k| !before.paths.contains_key(*k))
            .map(String::as_str),
    );
    let hit = |links: &[Link]| {
        links
            .iter()
            .any(|l| split(&l.dest).is_some_and(|(key, _)| changed.contains(key.as_str())))
    };
    let mut jobs: Vec<Job> = (0..new.briefs.len())
        .filter(|&i| hit(&new.briefs[i].links))
        .map(Job::Brief)
        .collect();
    if !jobs.is_empty() {
        jobs.extend(all.iter().copied().filter(|j| matches!(j, Job::Atom(_))));
    }
    jobs.extend(
        (0..new.pages.len())
            .filter(|&i| hit(&new.pages[i].links))
            .map(Job::Page),
    );
    jobs
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::sync::Arc;

    use super::*;
    use crate::options::Options;

    /// A site of three briefs (a, b, c, oldest first) and one page; `b`
    /// carries the tag `chips`, the others `cloud`.
    fn write_site(dir: &Path, b_tag: &str, page_title: &str) {
        fs::create_dir_all(dir.join("content/briefs")).unwrap();
        fs::create_dir_all(dir.join("content/pages")).unwrap();
        fs::write(
            dir.join("site.yaml"),
            "title: T\nbase_url: https://example.org/\n",
        )
        .unwrap();
        for (name, day, tag) in [("a", 1, "cloud"), ("b", 2, b_tag), ("c", 3, "cloud")] {
            fs::write(
                dir.join(format!("content/briefs/{name}.md")),
                format!(
                    "---\ntitle: {name}\ndate: 2026-05-0{day}\nsummary: S\ntags: [{tag}]\n\
                     score: {{ value: 5, rationale: R }}\n\
                     sources: [{{ id: s, publisher: P, title: T }}]\n---\nBody [@s].\n"
                ),
            )
            .unwrap();
        }
        fs::write(
            dir.join("content/pages/about.md"),
            format!("---\ntitle: {page_title}\n---\nAbout.\n"),
        )
        .unwrap();
    }

    fn model(dir: &Path) -> (Site, SiteFiles) {
        let options = Options {
            root: dir.to_path_buf(),
            ..Default::default()
        };
        let config = crate::content::read_config(&options).unwrap();
        let files = crate::content::discover_files(dir).unwrap();
        let registry = crate::content::read_registry(dir, &config).unwrap();
        let briefs = crate::content::parse_briefs(&files.briefs, &config, &registry);
        let pages = crate::content::parse_pages(&files.pages, &config);
        let timings = &mut crate::timings::Timings::default();
        let (briefs, pages, _) =
            crate::site::checked(&config, &briefs, &pages, &registry, false, timings).unwrap();
        (Site::new(config, briefs, pages, registry, false), files)
    }

    /// The output paths re-rendered from `old` to `new` when the brief
    /// file `brief` alone changed.
    fn brief_edit_paths(
        old: &Site,
        new: &Site,
        files: &SiteFiles,
        root: &Path,
        brief: &Path,
    ) -> Vec<String> {
        let briefs: HashSet<PathBuf> = [brief.to_path_buf()].into();
        let changes = Changes {
            briefs: &briefs,
            pages: &HashSet::new(),
            templates: &[],
        };
        paths(&jobs(old, new, &Job::all(new), &changes, files, root), new)
    }

    /// The jobs after rewriting the site with `b_tag` and `page_title`.
    fn jobs_after(b_tag: &str, page_title: &str, changes: &Changes<'_>) -> (Vec<Job>, Site) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        write_site(&root, "chips", "About");
        let (old, _) = model(&root);
        write_site(&root, b_tag, page_title);
        let (new, files) = model(&root);
        let abs = |set: &HashSet<PathBuf>| set.iter().map(|p| root.join(p)).collect();
        let (briefs, pages) = (abs(changes.briefs), abs(changes.pages));
        let templates: Vec<PathBuf> = changes.templates.iter().map(|p| root.join(p)).collect();
        let changes = Changes {
            briefs: &briefs,
            pages: &pages,
            templates: &templates,
        };
        (
            jobs(&old, &new, &Job::all(&new), &changes, &files, &root),
            new,
        )
    }

    /// The output paths re-rendered after an edit of the template `path`
    /// (relative to the site root) alone.
    fn after_template_edit(path: &str) -> Vec<String> {
        let none = HashSet::new();
        let templates = [PathBuf::from(path)];
        let changes = Changes {
            briefs: &none,
            pages: &none,
            templates: &templates,
        };
        let (jobs, site) = jobs_after("chips", "About", &changes);
        paths(&jobs, &site)
    }

    fn paths(jobs: &[Job], site: &Site) -> Vec<String> {
        let mut paths: Vec<String> = jobs.iter().map(|j| j.output_path(site)).collect();
        paths.sort();
        paths
    }

    #[test]
    fn a_retagged_brief_renders_itself_its_neighbours_and_both_tags() {
        let b: HashSet<PathBuf> = [PathBuf::from("content/briefs/b.md")].into();
        let none = HashSet::new();
        let changes = Changes {
            briefs: &b,
            pages: &none,
            templates: &[],
        };
        let (jobs, site) = jobs_after("gpus", "About", &changes);
        let paths = paths(&jobs, &site);
        for expected in [
            "briefs/a/index.html",
            "briefs/b/index.html",
            "briefs/c/index.html",
            "tags/gpus/index.html",
            "tags/gpus/atom.xml",
            "tags/index.html",
            "index.html",
        ] {
            assert!(
                paths.iter().any(|p| p == expected),
                "{expected} in {paths:?}"
            );
        }
        // `chips` has no brief left: its page is gone, not re-rendered.
        assert!(
            !paths.iter().any(|p| p.starts_with("tags/chips/")),
            "{paths:?}"
        );
        assert!(!paths.iter().any(|p| p.starts_with("about/")), "{paths:?}");
    }

    #[test]
    fn an_edited_brief_re_renders_the_pages_of_its_terms_that_show_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        write_site(&root, "chips", "About");
        let per_page_one = "title: T\nbase_url: https://example.org/\nper_page: 1\n";
        fs::write(root.join("site.yaml"), per_page_one).unwrap();
        let (old, _) = model(&root);
        // `a` is the older of `cloud`'s two briefs: its second page.
        let a = root.join("content/briefs/a.md");
        let text = fs::read_to_string(&a).unwrap();
        fs::write(&a, text.replace("title: a", "title: a, renamed")).unwrap();
        let (new, files) = model(&root);
        let paths = brief_edit_paths(&old, &new, &files, &root, &a);
        assert!(
            paths.iter().any(|p| p == "tags/cloud/page/2/index.html"),
            "{paths:?}"
        );
        // Page 1 shows `c` alone, which did not change.
        assert!(
            !paths.iter().any(|p| p == "tags/cloud/index.html"),
            "{paths:?}"
        );
        assert!(
            !paths.iter().any(|p| p.starts_with("tags/chips/")),
            "{paths:?}"
        );
        // Moved to the front of `cloud`: every page of it shows another brief.
        fs::write(&a, text.replace("date: 2026-05-01", "date: 2026-05-09")).unwrap();
        let (moved, files) = model(&root);
        let after = brief_edit_paths(&new, &moved, &files, &root, &a);
        for expected in ["tags/cloud/index.html", "tags/cloud/page/2/index.html"] {
            assert!(
                after.iter().any(|p| p == expected),
                "{expected} in {after:?}"
            );
        }
    }

    #[test]
    fn a_body_edit_re_renders_no_listing() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        write_site(&root, "chips", "About");
        let (old, _) = model(&root);
        let b = root.join("content/briefs/b.md");
        let text = fs::read_to_string(&b).unwrap();
        fs::write(&b, text.replace("Body [@s].", "Another body [@s].")).unwrap();
        let (new, files) = model(&root);
        let paths = brief_edit_paths(&old, &new, &files, &root, &b);
        assert!(
            paths.iter().any(|p| p == "briefs/b/index.html"),
            "{paths:?}"
        );
        assert!(paths.iter().any(|p| p == "atom.xml"), "{paths:?}");
        for listing in [
            "index.html",
            "tags/",
            "entities/",
            "watch/",
            "sources/",
            "bands/",
            "top/",
        ] {
            assert!(
                !paths
                    .iter()
                    .any(|p| p.starts_with(listing) && p.ends_with(".html")),
                "{listing}: {paths:?}"
            );
        }
    }

    #[test]
    fn a_body_edit_re_renders_a_feed_only_when_the_feed_shows_the_brief() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        write_site(&root, "chips", "About");
        // The feeds show the newest brief, c; its entry links b as its neighbour.
        let site_yaml = root.join("site.yaml");
        let config = fs::read_to_string(&site_yaml).unwrap();
        fs::write(
            &site_yaml,
            format!("{config}feeds: {{ count: 1, min_score: 5 }}\n"),
        )
        .unwrap();
        let feeds = ["atom.xml", "high-score.xml"];
        for (name, shown) in [("a", false), ("b", true), ("c", true)] {
            let (old, _) = model(&root);
            let path = root.join(format!("content/briefs/{name}.md"));
            let text = fs::read_to_string(&path).unwrap();
            fs::write(&path, text.replace("Body [@s].", "Another body [@s].")).unwrap();
            let (new, files) = model(&root);
            let paths = brief_edit_paths(&old, &new, &files, &root, &path);
            for feed in feeds {
                assert_eq!(
                    paths.iter().any(|p| p == feed),
                    shown,
                    "{name}, {feed}: {paths:?}"
                );
            }
            fs::write(&path, text).unwrap();
        }
    }

    /// Three briefs a, b, c (oldest first), one item a page, each with a
    /// source of its own publisher (`A`, `B`, `C`) and an undated watch item;
    /// `b` has the title `b_title` and the watch item `b_watch` (YAML).
    fn write_listing_site(dir: &Path, b_title: &str, b_watch: &str) {
        fs::create_dir_all(dir.join("content/briefs")).unwrap();
        fs::write(
            dir.join("site.yaml"),
            "title: T\nbase_url: https://example.org/\nper_page: 1\n",
        )
        .unwrap();
        for (name, day) in [("a", 1), ("b", 2), ("c", 3)] {
            let (title, watch) = match name {
                "b" => (b_title.to_string(), b_watch.to_string()),
                _ => (name.to_string(), format!("Watch {name}")),
            };
            let publisher = name.to_uppercase();
            fs::write(
                dir.join(format!("content/briefs/{name}.md")),
                format!(
                    "---\ntitle: {title}\ndate: 2026-05-0{day}\nsummary: S\n\
                     score: {{ value: 5, rationale: R }}\nwatch: [{watch}]\n\
                     sources: [{{ id: s, publisher: {publisher}, title: T }}]\n---\nBody [@s].\n"
                ),
            )
            .unwrap();
        }
    }

    /// The output paths under `folder` re-rendered after rewriting `b`.
    fn listing_paths_after(b_title: &str, b_watch: &str, folder: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        write_listing_site(&root, "b", "Watch b");
        let (old, _) = model(&root);
        write_listing_site(&root, b_title, b_watch);
        let (new, files) = model(&root);
        let briefs: HashSet<PathBuf> = [root.join("content/briefs/b.md")].into();
        let changes = Changes {
            briefs: &briefs,
            pages: &HashSet::new(),
            templates: &[],
        };
        let jobs = jobs(&old, &new, &Job::all(&new), &changes, &files, &root);
        let paths = paths(&jobs, &new);
        paths
            .into_iter()
            .filter(|p| p.starts_with(folder))
            .collect()
    }

    #[test]
    fn a_retitled_brief_re_renders_only_the_listing_pages_that_show_it() {
        // `b` is the second of each listing: newest first, or by publisher.
        for folder in ["watch/", "sources/", "bands/medium/"] {
            assert_eq!(
                listing_paths_after("b renamed", "Watch b", folder),
                [format!("{folder}page/2/index.html")]
            );
        }
    }

    #[test]
    fn a_watch_item_given_a_date_re_renders_every_watchlist_page() {
        // The dated items come first, and every page counts them.
        assert_eq!(
            listing_paths_after("b", "{ item: Watch b, by: 2026-09-01 }", "watch/"),
            [
                "watch/index.html",
                "watch/page/2/index.html",
                "watch/page/3/index.html"
            ]
        );
        // The sources and the band show no watch item: untouched.
        assert!(
            listing_paths_after("b", "{ item: Watch b, by: 2026-09-01 }", "sources/").is_empty()
        );
    }

    #[test]
    fn a_new_page_title_changes_every_page_header() {
        let about: HashSet<PathBuf> = [PathBuf::from("content/pages/about.md")].into();
        let none = HashSet::new();
        let changes = Changes {
            briefs: &none,
            pages: &about,
            templates: &[],
        };
        let (jobs, site) = jobs_after("chips", "About us", &changes);
        assert_eq!(paths(&jobs, &site), paths(&Job::all(&site), &site));
    }

    #[test]
    fn a_partial_re_renders_only_the_pages_whose_templates_use_it() {
        let paths = after_template_edit("templates/partials/brief_card.html");
        assert!(paths.iter().any(|p| p == "index.html"), "{paths:?}");
        assert!(
            paths.iter().any(|p| p == "tags/chips/index.html"),
            "{paths:?}"
        );
        assert!(!paths.iter().any(|p| p.starts_with("briefs/")), "{paths:?}");
        assert!(!paths.iter().any(|p| p == "about/index.html"), "{paths:?}");
    }

    #[test]
    fn a_partial_of_the_feed_entries_re_renders_the_briefs_and_every_feed() {
        let paths = after_template_edit("templates/partials/rationale.html");
        for path in [
            "briefs/a/index.html",
            "atom.xml",
            "high-score.xml",
            "tags/chips/atom.xml",
            "tags/cloud/atom.xml",
        ] {
            assert!(paths.iter().any(|p| p == path), "{path}: {paths:?}");
        }
        assert!(!paths.iter().any(|p| p == "index.html"), "{paths:?}");
    }

    #[test]
    fn the_base_template_re_renders_everything() {
        let dir = tempfile::tempdir().unwrap();
        write_site(dir.path(), "chips", "About");
        let (site, _) = model(dir.path());
        let all = paths(&Job::all(&site), &site);
        assert_eq!(after_template_edit("templates/base.html"), all);
    }

    #[test]
    fn dedup_keeps_the_first_of_each() {
        let mut jobs = vec![
            Job::Brief(2),
            Job::Index(1),
            Job::Brief(2),
            Job::Watch(1),
            Job::Index(1),
        ];
        dedup(&mut jobs);
        assert_eq!(jobs, vec![Job::Brief(2), Job::Index(1), Job::Watch(1)]);
    }

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
            ("/site/static/.nojekyll", Change::Static),
            ("/site/static/.well-known/security.txt", Change::Static),
            ("/site/static/.git/index", Change::Ignored),
            ("/site/static/css/.a.css.swp", Change::Ignored),
            ("/site/static/.DS_Store", Change::Ignored),
            ("/site/content/briefs/.a.md.swp", Change::Ignored),
            ("/site/content/briefs/a.md~", Change::Ignored),
            ("/site/public/index.html", Change::Ignored),
            ("/elsewhere/site.yaml", Change::Ignored),
        ];
        for (path, expected) in cases {
            assert_eq!(classify(root, Path::new(path)), expected, "{path}");
        }
    }

    /// The sources count `serve` keeps between saves agrees with a fresh
    /// count after an edit that adds, shares and drops sources, and after
    /// a brief is added.
    #[test]
    fn the_kept_sources_count_follows_edits() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let write = |name: &str, sources: &[(&str, &str)]| {
            let list: Vec<String> = (sources.iter())
                .map(|(id, url)| format!("{{ id: {id}, publisher: P, title: T, url: \"{url}\" }}"))
                .collect();
            let cites: Vec<String> = sources.iter().map(|(id, _)| format!("[@{id}]")).collect();
            fs::write(
                root.join(format!("content/briefs/{name}.md")),
                format!(
                    "---\ntitle: {name}\ndate: 2026-05-01\nsummary: S\n\
                     score: {{ value: 5, rationale: R }}\nsources: [{}]\n---\nBody {}.\n",
                    list.join(", "),
                    cites.join(" ")
                ),
            )
            .unwrap();
        };
        write_site(&root, "chips", "About");
        write(
            "a",
            &[("x", "https://a.example/1"), ("y", "https://a.example/2")],
        );
        write("b", &[("x", "https://a.example/1")]);
        let mut counter = crate::serve::caches::SourceCount::default();
        let (site, _) = model(&root);
        let fresh = crate::render::sources::count(&site);
        assert_eq!(fresh, 3, "a's two URLs and c's publisher and title");
        assert_eq!(counter.count(&site), fresh);
        write("a", &[("z", "https://a.example/3")]);
        write(
            "b",
            &[("x", "https://a.example/1"), ("w", "https://a.example/4")],
        );
        let (site, _) = model(&root);
        assert_eq!(crate::render::sources::count(&site), 4);
        assert_eq!(counter.count(&site), 4);
        write("d", &[("v", "https://a.example/4")]);
        let (site, _) = model(&root);
        assert_eq!(crate::render::sources::count(&site), 4);
        assert_eq!(counter.count(&site), 4);
        write("d", &[("v", "https://a.example/5")]);
        let (site, _) = model(&root);
        assert_eq!(crate::render::sources::count(&site), 5);
        assert_eq!(counter.count(&site), 5);
    }

    /// A save that leaves every brief in its place (same date, slug,
    /// status and terms) reuses the last model's order and terms; one that
    /// moves a tag, or changes a page, builds the model anew.
    #[test]
    fn only_edits_that_keep_every_brief_in_place_reuse_the_model() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        write_site(&root, "chips", "About");
        let (old, _) = model(&root);
        let reuse = |new: &Site, pages: &[Arc<crate::content::brief::Page>]| {
            crate::serve::caches::model(
                &old,
                new.config.clone(),
                &new.briefs,
                pages,
                new.registry.clone(),
            )
        };
        write_site(&root, "chips", "About");
        let (new, _) = model(&root);
        let reused = reuse(&new, &old.pages).expect("every brief keeps its place");
        let files = |s: &Site| s.briefs.iter().map(|b| b.path.clone()).collect::<Vec<_>>();
        assert_eq!(files(&reused), files(&new));
        assert!((reused.briefs.iter().zip(&new.briefs)).all(|(a, b)| Arc::ptr_eq(a, b)));
        let terms = |s: &Site| {
            (s.tags.iter().chain(&s.entities))
                .map(|t| (t.name.clone(), t.briefs.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(terms(&reused), terms(&new));
        assert!(
            reuse(&new, &new.pages).is_none(),
            "the pages were parsed anew"
        );
        write_site(&root, "cloud", "About");
        let (moved, _) = model(&root);
        assert!(reuse(&moved, &old.pages).is_none(), "b's tag moved");
    }
}
