//! Invalidation: what a change to some files means for the site's pages.
//!
//! Steps: classify each changed path ([`classify`] into a [`Change`]); after
//! the session has re-read those files and rebuilt the model, diff the
//! inputs pages read, from the old model to the new ([`Dirty`]: the briefs
//! parsed again, their summaries and neighbours, the pages of each shared
//! list that show other items); then re-render the pages whose recorded
//! reads ([`Recorded`], noted by the views as they render: see
//! `render/record.rs`) meet a changed input, and the pages never rendered.
//! Nothing here names a page kind: a page's view says what it read.
//! `tests/serve_edits.rs` checks the served folder against a clean build
//! after random sequences of every kind of edit.

use std::collections::{BTreeMap, HashSet};
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ahash::{AHashMap, AHashSet};

use crate::content::body::content_links::{PREFIX, split};
use crate::content::config;
use crate::content::discover::{self, SiteFiles};
use crate::content::types::brief::Link;
use crate::render::feed_kind::Feed;
use crate::render::pages::review;
use crate::render::record::{List, Read};
use crate::render::{Job, reads, scores, sources, summaries, watchlist};
use crate::site::content_links::Targets;
use crate::site::pagination::Pagination;
use crate::site::{Site, Taxonomy};

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
        (Some(config::FILE_NAME | crate::content::cite::registry::FILE_NAME), None) => {
            Change::Config
        }
        // A bibliography at the site root (`refs.bib`, `zotero.json`).
        (Some(file), None) if crate::content::cite::bibliography::Format::of(file).is_some() => {
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
    pub pages: &'a HashSet<PathBuf>,
    pub templates: &'a [PathBuf],
}

/// Names for the places a read names (a brief, a free page, a term) that
/// stay the same from one save to the next: a brief keeps its name while
/// its file does, whatever moves around it.
#[derive(Default)]
struct Names {
    briefs: AHashMap<Box<OsStr>, usize>,
    pages: AHashMap<PathBuf, usize>,
    /// Per taxonomy, by slug.
    terms: [AHashMap<String, usize>; 2],
}

/// The names of one model's places, by index: `briefs[i]` is brief `i`'s.
#[derive(Default, Clone)]
pub(crate) struct Ids {
    briefs: Vec<usize>,
    pages: Vec<usize>,
    terms: [Vec<usize>; 2],
}

fn name<K: std::hash::Hash + Eq>(names: &mut AHashMap<K, usize>, key: K) -> usize {
    let next = names.len();
    *names.entry(key).or_insert(next)
}

/// What each page read when it was last rendered, by output path, under
/// [`Names`]; kept between saves.
#[derive(Default)]
pub(crate) struct Recorded {
    names: Names,
    reads: AHashMap<String, Box<[Read]>>,
    /// The names of the last model recorded.
    ids: Ids,
}

impl Recorded {
    /// The names of `site`'s places; `last` is the last model recorded
    /// (its briefs' names are kept when the files are the same).
    pub(crate) fn ids(&mut self, site: &Site, last: Option<&Site>) -> Ids {
        let names = &mut self.names;
        let briefs = match last.is_some_and(|last| same_paths(last, site)) {
            true => self.ids.briefs.clone(),
            false => (site.briefs.iter())
                .map(|b| name(&mut names.briefs, b.path.as_os_str().into()))
                .collect(),
        };
        let pages = (site.pages.iter())
            .map(|p| name(&mut names.pages, p.path.clone()))
            .collect();
        let terms = [Taxonomy::Tags, Taxonomy::Entities].map(|t| {
            (site.terms(t).iter())
                .map(|term| name(&mut names.terms[t as usize], term.slug.clone()))
                .collect()
        });
        Ids {
            briefs,
            pages,
            terms,
        }
    }

    /// Keeps what the jobs of a good render of `site` (named by `ids`)
    /// read; `full`, they are every page, and nothing older is kept.
    /// `pages` is every page's output path: a page gone is forgotten.
    pub(crate) fn commit(
        &mut self,
        (site, ids): (&Site, Ids),
        records: Vec<(Job, Vec<Read>)>,
        full: bool,
        pages: Option<&HashSet<String>>,
    ) {
        if full {
            self.reads.clear();
        } else if let Some(pages) = pages {
            self.reads.retain(|path, _| pages.contains(path));
        }
        for (job, reads) in records {
            let reads = reads.into_iter().map(|r| named(r, &ids)).collect();
            self.reads.insert(job.output_path(site), reads);
        }
        self.ids = ids;
    }
}

/// `read`, its places given by name instead of by index.
fn named(read: Read, ids: &Ids) -> Read {
    let list = |list: List| match list {
        List::Term(t, i) => List::Term(t, ids.terms[t as usize][i]),
        List::Feed(Feed::Tag(i)) => List::Feed(Feed::Tag(ids.terms[0][i])),
        list => list,
    };
    match read {
        Read::Brief(i) => Read::Brief(ids.briefs[i]),
        Read::Summary(i) => Read::Summary(ids.briefs[i]),
        Read::Around(i) => Read::Around(ids.briefs[i]),
        Read::Link(i) => Read::Link(ids.briefs[i]),
        Read::Page(i) => Read::Page(ids.pages[i]),
        Read::ListPage(l, n) => Read::ListPage(list(l), n),
        Read::List(l) => Read::List(list(l)),
        Read::Template(t) => Read::Template(t),
    }
}

/// The render jobs of `all` (each with its output path) that the change
/// from the `old` model (named by the last ids `recorded` has) to the `new`
/// one (named by `ids`) can affect: every page when the site-wide view or
/// the base template changed; else the pages never rendered and those whose
/// recorded reads meet a changed input, or whose template uses a changed
/// one. In the order of `all`.
pub(crate) fn jobs(
    (old, new): (&Site, &Site),
    (all, paths): (&[Job], &[String]),
    changes: &Changes<'_>,
    (files, root): (&SiteFiles, &Path),
    recorded: &Recorded,
    ids: &Ids,
) -> Vec<Job> {
    if reads::site_view(old) != reads::site_view(new) || touches_base(changes.templates) {
        return all.to_vec();
    }
    let dirty = Dirty::between((old, &recorded.ids), (new, ids), changes, root);
    let templates = match changes.templates.is_empty() {
        true => HashSet::new(),
        false => dependents(files, changes.templates, root),
    };
    let is_dirty = |read: &Read| match read {
        Read::Template(t) => templates.contains(*t),
        read => dirty.contains(read),
    };
    (all.iter().zip(paths))
        .filter(|(job, path)| match recorded.reads.get(path.as_str()) {
            None => true,
            Some(reads) => {
                reads.iter().any(is_dirty)
                    || !templates.is_empty() && templates.contains(job.template())
            }
        })
        .map(|(job, _)| *job)
        .collect()
}

/// The inputs (reads, by name) that differ between two models. A save
/// asks about every read of every page (some 130,000 at 10,000 briefs):
/// those naming a brief are answered from flags by name, not hashed.
struct Dirty {
    /// By brief name: [`BRIEF`], [`SUMMARY`], [`AROUND`], [`LINK`].
    briefs: Vec<u8>,
    /// The other reads.
    others: AHashSet<Read>,
}

const BRIEF: u8 = 1;
const SUMMARY: u8 = 2;
const AROUND: u8 = 4;
const LINK: u8 = 8;

impl Dirty {
    fn new(reads: AHashSet<Read>) -> Dirty {
        let mut briefs = Vec::new();
        let mut others = AHashSet::new();
        for read in reads {
            let (id, flag) = match read {
                Read::Brief(id) => (id, BRIEF),
                Read::Summary(id) => (id, SUMMARY),
                Read::Around(id) => (id, AROUND),
                Read::Link(id) => (id, LINK),
                read => {
                    others.insert(read);
                    continue;
                }
            };
            if briefs.len() <= id {
                briefs.resize(id + 1, 0);
            }
            briefs[id] |= flag;
        }
        Dirty { briefs, others }
    }

    fn contains(&self, read: &Read) -> bool {
        let flag = |id: usize, flag: u8| self.briefs.get(id).is_some_and(|f| f & flag != 0);
        match *read {
            Read::Brief(id) => flag(id, BRIEF),
            Read::Summary(id) => flag(id, SUMMARY),
            Read::Around(id) => flag(id, AROUND),
            Read::Link(id) => flag(id, LINK),
            _ => !self.others.is_empty() && self.others.contains(read),
        }
    }

    /// Diffs `old` and `new` (each with its names): the briefs parsed again
    /// (a new `Arc`: see `serve/caches.rs`), gone, or whose content links'
    /// targets moved; their summaries, and their titles and URLs (what a
    /// neighbour's page shows of them); the briefs with other neighbours;
    /// the free pages changed; and, when the briefs' order or a summary
    /// moved, or a changed brief's share of the watchlist or the sources,
    /// the pages of each list that show other items.
    fn between(
        (old, old_ids): (&Site, &Ids),
        (new, ids): (&Site, &Ids),
        changes: &Changes<'_>,
        root: &Path,
    ) -> Dirty {
        let mut dirty = AHashSet::new();
        let same = same_paths(old, new);
        let old_at: AHashMap<usize, usize> = match same {
            true => AHashMap::new(),
            false => (old_ids.briefs.iter().enumerate())
                .map(|(j, &id)| (id, j))
                .collect(),
        };
        let mut moved = Moved {
            summaries: !same,
            watch: !same,
            sources: !same,
        };
        for (i, b) in new.briefs.iter().enumerate() {
            let id = ids.briefs[i];
            let Some(j) = (if same {
                Some(i)
            } else {
                old_at.get(&id).copied()
            }) else {
                continue;
            };
            let was = &old.briefs[j];
            if !Arc::ptr_eq(was, b) {
                dirty.insert(Read::Brief(id));
                moved.compare((old, j), (new, i), id, &mut dirty);
            }
        }
        if !same {
            neighbours(old_ids, ids, &old_at, &mut dirty);
        }
        for (k, page) in new.pages.iter().enumerate() {
            if changes.pages.contains(&root.join(&page.path)) {
                dirty.insert(Read::Page(ids.pages[k]));
            }
        }
        let (briefs, pages) = content_links_moved(old, new);
        dirty.extend(briefs.into_iter().map(|i| Read::Brief(ids.briefs[i])));
        dirty.extend(pages.into_iter().map(|k| Read::Page(ids.pages[k])));
        let lists = Lists {
            old: (old, old_ids),
            new: (new, ids),
        };
        if moved.summaries {
            lists.of_briefs(&mut dirty);
        }
        if moved.watch {
            let (before, after) = (watchlist::watchlist(old), watchlist::watchlist(new));
            let all = before.dated != after.dated;
            lists.paged(
                List::Watch,
                &before.entries,
                &after.entries,
                all,
                &mut dirty,
            );
        }
        if moved.sources {
            let (before, after) = (sources::entries(old), sources::entries(new));
            lists.paged(List::Sources, &before, &after, false, &mut dirty);
        }
        Dirty::new(dirty)
    }
}

/// Which shared lists a save may have moved: the lists of briefs when a
/// summary changed, the watchlist and the sources when a changed brief's
/// share of them did (each compared by what the list itself takes).
struct Moved {
    summaries: bool,
    watch: bool,
    sources: bool,
}

impl Moved {
    /// Compares brief `j` of `old` with brief `i` of `new` (named `id`).
    fn compare(
        &mut self,
        (old, j): (&Site, usize),
        (new, i): (&Site, usize),
        id: usize,
        dirty: &mut AHashSet<Read>,
    ) {
        let (was, is) = (&old.briefs[j], &new.briefs[i]);
        if was.title != is.title || was.slug != is.slug {
            dirty.insert(Read::Link(id));
        }
        if summaries::summary_of(old, was) != summaries::summary_of(new, is) {
            dirty.insert(Read::Summary(id));
            self.summaries = true;
        }
        self.watch =
            self.watch || watchlist::brief_entries(old, was) != watchlist::brief_entries(new, is);
        self.sources =
            self.sources || sources::brief_entries(old, j) != sources::brief_entries(new, i);
    }
}

/// Marks the briefs gone (named in `old_ids`, not in `ids`), and those
/// whose neighbours are other briefs; `old_at` is each old name's index.
fn neighbours(
    old_ids: &Ids,
    ids: &Ids,
    old_at: &AHashMap<usize, usize>,
    dirty: &mut AHashSet<Read>,
) {
    let around = |ids: &[usize], i: usize| {
        let before = i.checked_sub(1).map(|k| ids[k]);
        (before, ids.get(i + 1).copied())
    };
    let kept: AHashSet<usize> = ids.briefs.iter().copied().collect();
    for &id in old_ids.briefs.iter().filter(|id| !kept.contains(id)) {
        dirty.extend([
            Read::Brief(id),
            Read::Summary(id),
            Read::Around(id),
            Read::Link(id),
        ]);
    }
    for (i, &id) in ids.briefs.iter().enumerate() {
        let was = old_at.get(&id).map(|&j| around(&old_ids.briefs, j));
        if was != Some(around(&ids.briefs, i)) {
            dirty.insert(Read::Around(id));
        }
    }
}

/// The two models whose shared lists are compared, each with its names.
struct Lists<'a> {
    old: (&'a Site, &'a Ids),
    new: (&'a Site, &'a Ids),
}

impl Lists<'_> {
    /// Marks the pages of `list` that show other items in `after` than in
    /// `before` (every page when `all` or the count moved: each page says
    /// it), and the list whole when one did.
    fn paged<T: PartialEq>(
        &self,
        list: List,
        before: &[T],
        after: &[T],
        all: bool,
        dirty: &mut AHashSet<Read>,
    ) {
        let per_page = self.new.0.config.per_page;
        let all = all || before.len() != after.len();
        let (old, new) = (
            Pagination::new(before.len(), per_page),
            Pagination::new(after.len(), per_page),
        );
        let mut any = all;
        for n in new.numbers() {
            if all || old.page(before, n) != new.page(after, n) {
                dirty.insert(Read::ListPage(list, n));
                any = true;
            }
        }
        if any {
            dirty.insert(Read::List(list));
        }
    }

    /// Marks `list` whole when `before` and `after` differ.
    fn whole<T: PartialEq>(list: List, before: T, after: T, dirty: &mut AHashSet<Read>) {
        if before != after {
            dirty.insert(Read::List(list));
        }
    }

    /// Compares the lists made of briefs: their order, each term's briefs
    /// and every term's count, the bands, the review page, the top page and
    /// the feeds.
    fn of_briefs(&self, dirty: &mut AHashSet<Read>) {
        let ((old, old_ids), (new, ids)) = (self.old, self.new);
        let named = |ids: &Ids, list: &[usize]| -> Vec<usize> {
            list.iter().map(|&i| ids.briefs[i]).collect()
        };
        self.paged(List::Order, &old_ids.briefs, &ids.briefs, false, dirty);
        for t in [Taxonomy::Tags, Taxonomy::Entities] {
            self.terms(t, dirty);
        }
        let (before, after) = (scores::band_lists(old), scores::band_lists(new));
        for (k, (a, b)) in before.iter().zip(&after).enumerate() {
            let (a, b) = (named(old_ids, a), named(ids, b));
            self.paged(List::Band(k), &a, &b, false, dirty);
        }
        let counts = |lists: &[Vec<usize>]| lists.iter().map(Vec::len).collect::<Vec<_>>();
        Self::whole(List::Bands, counts(&before), counts(&after), dirty);
        if new.drafts {
            let (a, b) = (review::briefs(old), review::briefs(new));
            self.paged(
                List::Review,
                &named(old_ids, &a),
                &named(ids, &b),
                false,
                dirty,
            );
        }
        let top = |site: &Site, ids: &Ids| {
            let (chosen, since, until) = scores::top_briefs(site);
            (named(ids, &chosen), since, until)
        };
        Self::whole(List::Top, top(old, old_ids), top(new, ids), dirty);
        let feed =
            |site: &Site, ids: &Ids, feed: Feed| (feed.title(site), named(ids, &feed.briefs(site)));
        for f in [Feed::Main, Feed::HighScore] {
            Self::whole(
                List::Feed(f),
                feed(old, old_ids, f),
                feed(new, ids, f),
                dirty,
            );
        }
        let old_tags = by_name(&old_ids.terms[0]);
        for (k, &id) in ids.terms[0].iter().enumerate() {
            let before = old_tags.get(&id).map(|&j| feed(old, old_ids, Feed::Tag(j)));
            let after = Some(feed(new, ids, Feed::Tag(k)));
            Self::whole(List::Feed(Feed::Tag(id)), before, after, dirty);
        }
    }

    /// Compares each term of `t` (its briefs, page by page) and every
    /// term's name and count.
    fn terms(&self, t: Taxonomy, dirty: &mut AHashSet<Read>) {
        let ((old, old_ids), (new, ids)) = (self.old, self.new);
        let named = |site: &Site, ids: &Ids| -> Vec<(usize, String, Vec<usize>)> {
            (site.terms(t).iter().zip(&ids.terms[t as usize]))
                .map(|(term, &id)| {
                    let briefs = term.briefs.iter().map(|&i| ids.briefs[i]).collect();
                    (id, term.name.clone(), briefs)
                })
                .collect()
        };
        let (before, after) = (named(old, old_ids), named(new, ids));
        let counts = |terms: &[(usize, String, Vec<usize>)]| -> Vec<(usize, String, usize)> {
            (terms.iter())
                .map(|(id, name, briefs)| (*id, name.clone(), briefs.len()))
                .collect()
        };
        Self::whole(List::Terms(t), counts(&before), counts(&after), dirty);
        let old_terms: AHashMap<usize, &Vec<usize>> =
            before.iter().map(|(id, _, briefs)| (*id, briefs)).collect();
        for (id, _, briefs) in &after {
            let was = old_terms.get(id).map_or(&[][..], |b| &b[..]);
            self.paged(List::Term(t, *id), was, briefs, false, dirty);
        }
    }
}

/// Index by name: name -> index.
fn by_name(ids: &[usize]) -> AHashMap<usize, usize> {
    ids.iter().enumerate().map(|(i, &id)| (id, i)).collect()
}

/// True when both models have the same brief files in the same order. A
/// file is compared as bytes: a `Path`'s `==` walks its components, and
/// paths come from one walk, spelled alike.
fn same_paths(old: &Site, new: &Site) -> bool {
    old.briefs.len() == new.briefs.len()
        && (old.briefs.iter().zip(&new.briefs))
            .all(|(a, b)| a.path.as_os_str() == b.path.as_os_str())
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

/// The briefs and free pages (indexes in `new`) whose content links'
/// targets moved (or appeared, or went) between two models of the site:
/// their content, links made URLs, is another.
fn content_links_moved(old: &Site, new: &Site) -> (Vec<usize>, Vec<usize>) {
    let linking = |links: &[Link]| links.iter().any(|l| l.dest.starts_with(PREFIX));
    if !new.briefs.iter().any(|b| linking(&b.links)) && !new.pages.iter().any(|p| linking(&p.links))
    {
        return (Vec::new(), Vec::new());
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
    let briefs = (0..new.briefs.len()).filter(|&i| hit(&new.briefs[i].links));
    let pages = (0..new.pages.len()).filter(|&i| hit(&new.pages[i].links));
    (briefs.collect(), pages.collect())
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::sync::Arc;

    use super::*;
    use crate::content::types::brief::Brief;
    use crate::options::Options;
    use crate::render::{Output, Records, Sink};

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

    /// The model of the site at `dir`, as a clean build makes it.
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

    /// Takes every page and keeps none.
    struct Nowhere;

    impl Sink for Nowhere {
        fn put(&self, _: Output) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// What every page of `site` reads, as `serve` records it.
    fn recorded(site: &Site, files: &SiteFiles) -> Recorded {
        let tera = crate::render::load_templates(&files.templates).unwrap();
        let records = Records::default();
        let data = &mut crate::render::data::DataFiles::once();
        let jobs = Job::all(site);
        crate::render::render_into((site, &tera), &jobs, data, &Nowhere, Some(&records)).unwrap();
        let mut recorded = Recorded::default();
        let ids = recorded.ids(site, None);
        let records = records.into_inner().unwrap();
        recorded.commit((site, ids), records, true, None);
        recorded
    }

    /// The output paths, sorted, that a save re-renders going from the site
    /// at `root` to what `edit` makes of it; `briefs` (by name), `pages`
    /// and `templates` are the files it changed (relative to `root`): as
    /// in `serve`, the other briefs keep their parse.
    fn after(
        root: &Path,
        edit: impl FnOnce(),
        (briefs, pages, templates): (&[&str], &[&str], &[&str]),
    ) -> Vec<String> {
        let (old, files) = model(root);
        let mut recorded = recorded(&old, &files);
        edit();
        let (mut new, files) = model(root);
        let changed = |b: &Brief| briefs.iter().any(|n| b.path.ends_with(format!("{n}.md")));
        let kept = |b: &Arc<Brief>| (old.briefs.iter()).find(|o| o.path == b.path && !changed(b));
        let briefs = (new.briefs.iter()).map(|b| Arc::clone(kept(b).unwrap_or(b)));
        new.briefs = briefs.collect();
        let pages: HashSet<PathBuf> = pages.iter().map(|p| root.join(p)).collect();
        let templates: Vec<PathBuf> = templates.iter().map(|p| root.join(p)).collect();
        let changes = Changes {
            pages: &pages,
            templates: &templates,
        };
        let all = Job::all(&new);
        let paths: Vec<String> = all.iter().map(|j| j.output_path(&new)).collect();
        let ids = recorded.ids(&new, Some(&old));
        let jobs = jobs(
            (&old, &new),
            (&all, &paths),
            &changes,
            (&files, root),
            &recorded,
            &ids,
        );
        let mut paths: Vec<String> = jobs.iter().map(|j| j.output_path(&new)).collect();
        paths.sort();
        paths
    }

    /// A fresh copy of [`write_site`], canonical.
    fn site() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        write_site(&root, "chips", "About");
        (dir, root)
    }

    /// Rewrites brief `name` of the site at `root` with `from` replaced by `to`.
    fn replace(root: &Path, name: &str, from: &str, to: &str) {
        let path = root.join(format!("content/briefs/{name}.md"));
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{from} in {text}");
        fs::write(&path, text.replace(from, to)).unwrap();
    }

    fn has(paths: &[String], path: &str) -> bool {
        paths.iter().any(|p| p == path)
    }

    #[test]
    fn a_retagged_brief_renders_itself_its_listings_and_both_tags() {
        let (_dir, root) = site();
        let paths = after(
            &root,
            || write_site(&root, "gpus", "About"),
            (&["b"], &[], &[]),
        );
        for expected in [
            "briefs/b/index.html",
            "tags/gpus/index.html",
            "tags/gpus/atom.xml",
            "tags/index.html",
            "index.html",
        ] {
            assert!(has(&paths, expected), "{expected} in {paths:?}");
        }
        // `a` and `c` show `b`'s title and URL alone, unchanged.
        for neighbour in ["briefs/a/index.html", "briefs/c/index.html"] {
            assert!(!has(&paths, neighbour), "{neighbour} in {paths:?}");
        }
        // `chips` has no brief left: its page is gone, not re-rendered.
        assert!(
            !paths.iter().any(|p| p.starts_with("tags/chips/")),
            "{paths:?}"
        );
        assert!(!paths.iter().any(|p| p.starts_with("about/")), "{paths:?}");
        // The sources page shows its title alone, unchanged.
        assert!(
            !paths.iter().any(|p| p.starts_with("sources/")),
            "{paths:?}"
        );
    }

    #[test]
    fn a_body_edit_re_renders_its_page_and_the_feeds_that_show_it() {
        let (_dir, root) = site();
        let edit = || replace(&root, "b", "Body [@s].", "Another body [@s].");
        let paths = after(&root, edit, (&["b"], &[], &[]));
        // Not the high-score feed (its minimum is above b's score), nor
        // `cloud`'s, nor any listing.
        assert_eq!(
            paths,
            ["atom.xml", "briefs/b/index.html", "tags/chips/atom.xml"]
        );
    }

    #[test]
    fn a_body_edit_re_renders_a_feed_only_when_the_feed_shows_the_brief() {
        let (_dir, root) = site();
        // The feeds show the newest brief, c, alone.
        let site_yaml = root.join("site.yaml");
        let config = fs::read_to_string(&site_yaml).unwrap();
        let feeds = format!("{config}feeds: {{ count: 1, min_score: 5 }}\n");
        fs::write(&site_yaml, feeds).unwrap();
        for (name, shown) in [("a", false), ("b", false), ("c", true)] {
            let edit = || replace(&root, name, "Body [@s].", "Another body [@s].");
            let paths = after(&root, edit, (&[name], &[], &[]));
            for feed in ["atom.xml", "high-score.xml"] {
                assert_eq!(has(&paths, feed), shown, "{name}, {feed}: {paths:?}");
            }
            replace(&root, name, "Another body [@s].", "Body [@s].");
        }
    }

    #[test]
    fn a_retitled_brief_re_renders_its_neighbours_and_the_listings_that_show_it() {
        let (_dir, root) = site();
        let paths = after(
            &root,
            || replace(&root, "a", "title: a", "title: A"),
            (&["a"], &[], &[]),
        );
        for expected in ["briefs/a/index.html", "briefs/b/index.html", "index.html"] {
            assert!(has(&paths, expected), "{expected} in {paths:?}");
        }
        // The sources page names the briefs citing each source.
        assert!(has(&paths, "sources/index.html"), "{paths:?}");
        // `c` links `b` alone; `chips` lists `b` alone.
        assert!(!has(&paths, "briefs/c/index.html"), "{paths:?}");
        assert!(!has(&paths, "tags/chips/index.html"), "{paths:?}");
        assert!(has(&paths, "tags/cloud/index.html"), "{paths:?}");
    }

    #[test]
    fn a_rescored_brief_leaves_its_neighbours_pages_be() {
        let (_dir, root) = site();
        let rescore = || replace(&root, "b", "value: 5", "value: 7");
        let paths = after(&root, rescore, (&["b"], &[], &[]));
        assert!(has(&paths, "briefs/b/index.html"), "{paths:?}");
        assert!(has(&paths, "index.html"), "{paths:?}");
        // `a` and `c` link `b` by its title and URL, which did not change.
        for neighbour in ["briefs/a/index.html", "briefs/c/index.html"] {
            assert!(!has(&paths, neighbour), "{neighbour} in {paths:?}");
        }
    }

    #[test]
    fn an_edited_brief_re_renders_the_pages_of_its_term_that_show_it() {
        let (_dir, root) = site();
        let per_page_one = "title: T\nbase_url: https://example.org/\nper_page: 1\n";
        fs::write(root.join("site.yaml"), per_page_one).unwrap();
        // `a` is the older of `cloud`'s two briefs: its second page.
        let retitle = || replace(&root, "a", "title: a", "title: a, renamed");
        let paths = after(&root, retitle, (&["a"], &[], &[]));
        assert!(has(&paths, "tags/cloud/page/2/index.html"), "{paths:?}");
        // Page 1 shows `c` alone, which did not change.
        assert!(!has(&paths, "tags/cloud/index.html"), "{paths:?}");
        // Moved to the front of `cloud`: every page of it shows another brief.
        let redate = || replace(&root, "a", "date: 2026-05-01", "date: 2026-05-09");
        let paths = after(&root, redate, (&["a"], &[], &[]));
        for expected in ["tags/cloud/index.html", "tags/cloud/page/2/index.html"] {
            assert!(has(&paths, expected), "{expected} in {paths:?}");
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
        let paths = after(
            &root,
            || write_listing_site(&root, b_title, b_watch),
            (&["b"], &[], &[]),
        );
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
        let (_dir, root) = site();
        let (new, _) = {
            write_site(&root, "chips", "About us");
            let model = model(&root);
            write_site(&root, "chips", "About");
            model
        };
        let edit = || write_site(&root, "chips", "About us");
        let paths = after(&root, edit, (&[], &["content/pages/about.md"], &[]));
        let mut all: Vec<String> = Job::all(&new).iter().map(|j| j.output_path(&new)).collect();
        all.sort();
        assert_eq!(paths, all);
    }

    #[test]
    fn a_partial_re_renders_only_the_pages_whose_templates_use_it() {
        let (_dir, root) = site();
        let card = "templates/partials/brief_card.html";
        let paths = after(&root, || {}, (&[], &[], &[card]));
        assert!(has(&paths, "index.html"), "{paths:?}");
        assert!(has(&paths, "tags/chips/index.html"), "{paths:?}");
        assert!(!paths.iter().any(|p| p.starts_with("briefs/")), "{paths:?}");
        assert!(!has(&paths, "about/index.html"), "{paths:?}");
    }

    #[test]
    fn a_partial_of_the_feed_entries_re_renders_the_briefs_and_the_feeds_with_entries() {
        let (_dir, root) = site();
        let paths = after(
            &root,
            || {},
            (&[], &[], &["templates/partials/rationale.html"]),
        );
        for path in [
            "briefs/a/index.html",
            "atom.xml",
            "tags/chips/atom.xml",
            "tags/cloud/atom.xml",
        ] {
            assert!(has(&paths, path), "{path}: {paths:?}");
        }
        // Every score is below the high-score feed's minimum: it has no
        // entry to render.
        assert!(!has(&paths, "high-score.xml"), "{paths:?}");
        assert!(!has(&paths, "index.html"), "{paths:?}");
    }

    #[test]
    fn the_base_template_re_renders_everything() {
        let (_dir, root) = site();
        let (site, _) = model(&root);
        let mut all: Vec<String> = Job::all(&site)
            .iter()
            .map(|j| j.output_path(&site))
            .collect();
        all.sort();
        assert_eq!(
            after(&root, || {}, (&[], &[], &["templates/base.html"])),
            all
        );
    }

    #[test]
    fn a_brief_linking_another_re_renders_when_the_target_moves() {
        let (_dir, root) = site();
        replace(&root, "a", "Body [@s].", "See [b](@/briefs/b.md) [@s].");
        let reslug = || replace(&root, "b", "title: b", "title: b\nslug: bee");
        let paths = after(&root, reslug, (&["b"], &[], &[]));
        assert!(has(&paths, "briefs/a/index.html"), "{paths:?}");
        assert!(has(&paths, "briefs/bee/index.html"), "{paths:?}");
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
        let reuse = |new: &Site, pages: &[Arc<crate::content::types::brief::Page>]| {
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
