//! Links: every internal `href`, `src` and `#anchor` of the rendered site
//! must land on a file (or an element id) the build writes.
//!
//! Steps: collect the output paths and, per HTML page, its element ids; read
//! each page's `href`/`src` attributes as a browser does ([`crate::html`]:
//! from tags only, never from text, code or comments; values decoded); resolve each internal one (root-
//! relative under the base path, page-relative, fragment-only, or absolute on
//! the site's own base URL) to an output path; report each one that misses
//! at its place in the Markdown file that wrote it, or (a template's link)
//! once per target with the pages that carry it. Runs on the rendered bytes
//! in memory as they pass to the output ([`Tee`]), never reading them back.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use percent_encoding::percent_decode_str;
use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::{Content, Output, Sink};

/// Where an internal link points: an output path and an optional fragment.
#[derive(Debug, PartialEq, Eq)]
struct Target {
    path: String,
    fragment: Option<String>,
}

/// Resolves `href` found on the page at `page` (an output path).
/// `None` for links that leave the site; `Err` for root-relative links
/// outside the base path.
fn resolve(href: &str, page: &str, root: &str, base_url: &str) -> Option<Result<Target, String>> {
    let (href, fragment) = split(href);
    let path = if let Some(on_site) = href.strip_prefix(base_url) {
        format!("{root}{on_site}")
    } else if leaves(href) {
        return None;
    } else {
        href.to_string()
    };
    let path = percent_decode_str(&path).decode_utf8_lossy().into_owned();
    let joined = if path.is_empty() {
        page.to_string()
    } else if let Some(under_root) = path.strip_prefix(root) {
        under_root.to_string()
    } else if path.starts_with('/') {
        return Some(Err(format!("it is outside the site's base path `{root}`")));
    } else {
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        format!("{dir}/{path}")
    };
    Some(Ok(Target {
        path: normalize(&joined),
        fragment: fragment.filter(|f| !f.is_empty()),
    }))
}

/// An `href` without its query or fragment, as [`split`] gives it: up to
/// the first `#` or `?`, whichever comes first.
fn without_fragment_or_query(href: &str) -> &str {
    let href = trim(href);
    memchr::memchr2(b'#', b'?', href.as_bytes()).map_or(href, |at| &href[..at])
}

/// `text` without leading and trailing whitespace, as [`str::trim`] gives
/// it, at the cost of two byte tests for the usual link that has none.
fn trim(text: &str) -> &str {
    // Any character `str::trim` removes is non-ASCII or ASCII whitespace.
    let kept = |c: &u8| c.is_ascii() && !matches!(c, b'\t'..=b'\r' | b' ');
    let bytes = text.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) if kept(first) && kept(last) => text,
        _ => text.trim(),
    }
}

/// An `href` without its query, and its fragment.
fn split(href: &str) -> (&str, Option<String>) {
    let href = href.trim();
    let (href, fragment) = match href.split_once('#') {
        Some((h, f)) => (h, Some(f.to_string())),
        None => (href, None),
    };
    (href.split('?').next().unwrap_or_default(), fragment)
}

/// True for a link (without query or fragment) to another site, unless
/// it starts with this site's own base URL.
fn leaves(href: &str) -> bool {
    href.starts_with("//") || memchr::memchr(b':', href.as_bytes()).is_some()
}

/// Folds `.` and `..` segments; keeps a trailing `/`.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    out
}

/// What the link check keeps of one page: its links and its ids, as
/// numbers in [`Strings`].
struct PageLinks {
    path: String,
    source: Option<PathBuf>,
    links: Box<[u32]>,
    /// Sorted by number.
    ids: Box<[u32]>,
}

/// Every distinct link and id of the site, stored once and numbered. Each
/// page's links and ids are kept until the last page is rendered, and most
/// recur on thousands of pages (the navigation's links, ids such as
/// `cite-1-1`): a copy per page cost about 2.5 KB a page.
#[derive(Default)]
struct Strings(indexmap::IndexSet<Box<str>, ahash::RandomState>);

impl Strings {
    fn number(&mut self, word: &str) -> u32 {
        let at = match self.0.get_index_of(word) {
            Some(at) => at,
            None => self.0.insert_full(word.into()).0,
        };
        u32::try_from(at).expect("fewer than 4 billion distinct links and ids")
    }

    fn get(&self, number: u32) -> &str {
        &self.0[number as usize]
    }

    /// True when `ids` (sorted numbers) hold `word`.
    fn holds(&self, ids: &[u32], word: &str) -> bool {
        self.0
            .get_index_of(word)
            .is_some_and(|at| ids.binary_search(&(at as u32)).is_ok())
    }
}

/// Pages taken out of a [`Links`] by [`Links::forget_pages`].
pub(crate) struct Forgotten(Vec<PageLinks>);

/// A map with a fast hash: its keys are the site's own paths and links,
/// not input an attacker chooses, and `serve` looks pages up on every save.
type FastMap<K, V> = std::collections::HashMap<K, V, ahash::RandomState>;
type FastSet<K> = std::collections::HashSet<K, ahash::RandomState>;

/// The pages seen so far, by output path, and the strings they use. Keyed
/// by path so that `serve`, re-rendering a few pages of a site it keeps,
/// touches only those (a walk of 16,000 pages per save cost a third of a
/// one-brief save at 10,000 briefs).
#[derive(Default)]
struct Seen {
    strings: Strings,
    pages: FastMap<Box<str>, PageLinks>,
}

/// Which pages' links [`Links::report_on`] checks.
pub(crate) enum Pages<'a> {
    /// Every page.
    All,
    /// The pages at these output paths.
    At(&'a HashSet<String>),
}

/// A sink that keeps, of each output, its path and, of each page, its
/// links and ids: enough to check every link without keeping the site.
pub struct Links {
    /// The site's base path (`/briefs/`) and base URL.
    root: String,
    base_url: String,
    files: Mutex<FastSet<String>>,
    seen: Mutex<Seen>,
}

impl Sink for Links {
    fn put(&self, output: Output) -> std::io::Result<()> {
        self.observe(&output);
        Ok(())
    }
}

/// A sink that shows every output to a [`Links`] on its way to another
/// sink, so a build checks its links as it writes, without reading back.
pub struct Tee<'a> {
    pub links: &'a Links,
    pub inner: &'a dyn Sink,
}

impl Sink for Tee<'_> {
    fn put(&self, output: Output) -> std::io::Result<()> {
        self.links.observe(&output);
        self.inner.put(output)
    }

    fn put_written(&self, path: &str, write: crate::render::Write<'_>) -> std::io::Result<()> {
        // Written files are data, not pages: only their path matters here.
        self.links.note_file(path);
        self.inner.put_written(path, write)
    }
}

/// Where a link was written in a Markdown file: the file's text and the
/// link's byte range in it.
pub struct Located {
    pub text: String,
    pub range: Range<usize>,
}

/// Finds where in its Markdown source (a page's `source`) a link was
/// written; `None` for a link the template wrote.
pub type Locate<'a> = dyn Fn(&Path, &str) -> Option<Located> + 'a;

/// Why a link is broken, and what to do about it.
#[derive(Clone)]
struct Problem {
    reason: String,
    hint: String,
}

/// One broken link: why, where it is written if in Markdown, and the pages
/// carrying it.
struct Broken<'p> {
    problem: Problem,
    located: Option<Located>,
    pages: Vec<&'p PageLinks>,
}

impl Broken<'_> {
    fn diagnostic(&self, href: &str) -> Diagnostic {
        let first = self.pages[0];
        let also = match self.pages.len() {
            1 => String::new(),
            n => format!(
                " (and {} other page{})",
                n - 1,
                if n == 2 { "" } else { "s" }
            ),
        };
        let message = format!(
            "broken link `{href}` on {}{also}: {}",
            first.path, self.problem.reason
        );
        let diagnostic = match (&self.located, &first.source) {
            (Some(at), Some(source)) => {
                Diagnostic::error(source, &at.text, at.range.clone(), message)
            }
            (_, source) => {
                let path = source.clone().unwrap_or_else(|| PathBuf::from(&first.path));
                Diagnostic::file_error(&path, message)
            }
        };
        diagnostic
            .with_hint(self.problem.hint.clone())
            .with_code("link")
    }
}

impl Links {
    /// For a site with the base path `root` and the base URL `base_url`.
    pub fn new(root: &str, base_url: &str) -> Self {
        Links {
            root: root.to_string(),
            base_url: base_url.to_string(),
            files: Mutex::default(),
            seen: Mutex::default(),
        }
    }

    /// Keeps the path of `output` and, of a page, its links and ids.
    pub fn observe(&self, output: &Output) {
        let html = match (&output.content, output.path.ends_with(".html")) {
            (Content::Bytes(bytes), true) => std::str::from_utf8(bytes).ok(),
            _ => None,
        };
        if let Some(html) = html {
            // Values borrowed from the page (decoded only when they hold a
            // character reference): a page has hundreds, kept here only
            // until they are numbered.
            let (mut links, mut ids) = (Vec::new(), FastSet::default());
            crate::html::attributes(html, &mut |attr| {
                if attr.is("id") {
                    ids.insert(attr.value());
                } else if attr.is("href") || attr.is("src") {
                    links.push(attr.value());
                }
            });
            // Most of a page's links are to its own headings, citations and
            // sources: checked here, on the rendering thread, and dropped
            // unless broken. Links to other sites (each brief's sources) are
            // never checked and not kept; the rest are kept once each.
            links.retain(|l| !lands_on_own_id(l, &ids) && !self.leaves_site(l));
            let mut seen = self.seen.lock().expect("the links lock is never poisoned");
            let strings = &mut seen.strings;
            // Kept once each, in no particular order (the report sorts what
            // it finds): numbers sort and compare cheaper than the links.
            let mut links: Vec<u32> = links.iter().map(|l| strings.number(l)).collect();
            links.sort_unstable();
            links.dedup();
            let mut ids: Box<[u32]> = ids.iter().map(|id| strings.number(id)).collect();
            ids.sort_unstable();
            let page = PageLinks {
                path: output.path.clone(),
                source: output.source.clone(),
                links: links.into_boxed_slice(),
                ids,
            };
            seen.pages.insert(output.path.as_str().into(), page);
        }
        self.note_file(&output.path);
    }

    /// True for a link to another site, which the check never follows.
    fn leaves_site(&self, href: &str) -> bool {
        let href = without_fragment_or_query(href);
        !href.starts_with(&self.base_url) && leaves(href)
    }

    /// Keeps the path of a file that is not a page.
    fn note_file(&self, path: &str) {
        self.files
            .lock()
            .expect("the links lock is never poisoned")
            .insert(path.to_string());
    }

    /// Forgets the pages at `paths`, which are about to be observed again
    /// (`serve` re-renders a few pages of a site it keeps), and returns
    /// them as they were.
    pub(crate) fn forget_pages(&self, paths: &HashSet<String>) -> Forgotten {
        let mut seen = self.seen.lock().expect("the links lock is never poisoned");
        let gone = paths
            .iter()
            .filter_map(|path| seen.pages.remove(path.as_str()))
            .collect();
        Forgotten(gone)
    }

    /// Undoes [`Links::forget_pages`]: the pages at `paths` observed since
    /// are dropped and the forgotten ones come back (their new versions were
    /// never written).
    pub(crate) fn restore(&self, paths: &HashSet<String>, forgotten: Forgotten) {
        let mut seen = self.seen.lock().expect("the links lock is never poisoned");
        for path in paths {
            seen.pages.remove(path.as_str());
        }
        let back = forgotten.0.into_iter().map(|p| (p.path.as_str().into(), p));
        seen.pages.extend(back);
    }

    /// True when a page of `forgotten`, observed again since, lost an id it
    /// had: a link elsewhere may have pointed at it. (A page gaining ids,
    /// or a new file, breaks no link that was whole.)
    pub(crate) fn lost_ids(&self, forgotten: &Forgotten) -> bool {
        let seen = self.seen.lock().expect("the links lock is never poisoned");
        forgotten.0.iter().any(|old| {
            seen.pages
                .get(old.path.as_str())
                .is_none_or(|now| (old.ids.iter()).any(|id| now.ids.binary_search(id).is_err()))
        })
    }

    /// Forgets every file and page whose path `keep` refuses (the site no
    /// longer has it); true when there was one.
    pub(crate) fn retain(&self, keep: &dyn Fn(&str) -> bool) -> bool {
        let mut files = self.files.lock().expect("the links lock is never poisoned");
        let before = files.len();
        files.retain(|f| keep(f));
        let mut seen = self.seen.lock().expect("the links lock is never poisoned");
        seen.pages.retain(|path, _| keep(path));
        files.len() != before
    }

    /// Reports every internal link that lands on no file or no id: a link
    /// written in Markdown at its place there, one a template wrote once per
    /// target with the pages that carry it.
    pub fn report(&self, locate: &Locate<'_>, diagnostics: &mut Diagnostics) {
        self.report_on(locate, Pages::All, diagnostics);
    }

    /// [`Links::report`] for the links of the pages `on`.
    pub(crate) fn report_on(
        &self,
        locate: &Locate<'_>,
        on: Pages<'_>,
        diagnostics: &mut Diagnostics,
    ) {
        let (root, base_url) = (self.root.as_str(), self.base_url.as_str());
        let files = self.files.lock().expect("the links lock is never poisoned");
        let seen = self.seen.lock().expect("the links lock is never poisoned");
        let Seen { strings, pages } = &*seen;
        // In path order, so a link's pages are listed the same in every run.
        let mut checked: Vec<&PageLinks> = match on {
            Pages::All => pages.values().collect(),
            Pages::At(paths) => paths.iter().filter_map(|p| pages.get(p.as_str())).collect(),
        };
        checked.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        // The checks run in parallel, each thread remembering the links that
        // mean the same on every page (root-relative and absolute ones);
        // what they find comes back in path order.
        let found: Vec<(&PageLinks, &str, Problem)> = (checked.par_iter())
            .with_min_len(64)
            .map_init(
                FastMap::<&str, Option<Problem>>::default,
                |same_everywhere, &page| {
                    let problems = page
                        .links
                        .iter()
                        .map(|&l| strings.get(l))
                        .filter_map(|link| {
                            let check = || match resolve(link, &page.path, root, base_url) {
                                None => None,
                                Some(Err(reason)) => Some(outside_base(reason, root)),
                                Some(Ok(target)) => missing(&target, &files, pages, strings),
                            };
                            let problem = if link.starts_with('/') || link.contains(':') {
                                same_everywhere.entry(link).or_insert_with(check).clone()
                            } else {
                                check()
                            };
                            problem.map(|problem| (page, link, problem))
                        });
                    problems.collect::<Vec<_>>()
                },
            )
            .flatten()
            .collect();
        // (href, Markdown file it is written in) -> what is wrong: a bad link
        // in a shared template is reported once, not once per page.
        let mut broken: BTreeMap<(&str, Option<&Path>), Broken> = BTreeMap::new();
        for (page, link, problem) in found {
            let source = page.source.as_deref();
            let located = source.and_then(|s| locate(s, link));
            let key = (link, source.filter(|_| located.is_some()));
            let pages = &mut broken
                .entry(key)
                .or_insert_with(|| Broken {
                    problem,
                    located,
                    pages: Vec::new(),
                })
                .pages;
            // A page carrying one link twice is still one page.
            if pages.last().is_none_or(|last| last.path != page.path) {
                pages.push(page);
            }
        }
        let mut reported = Diagnostics::default();
        for ((href, _), broken) in broken {
            reported.push(broken.diagnostic(href));
        }
        reported.sort();
        diagnostics.extend(reported);
    }
}

/// True for `#id` (or `#`) when the page itself has that id.
fn lands_on_own_id(link: &str, ids: &FastSet<Cow<'_, str>>) -> bool {
    trim(link)
        .strip_prefix('#')
        .is_some_and(|id| id.is_empty() || ids.contains(id))
}

fn outside_base(reason: String, root: &str) -> Problem {
    Problem {
        reason,
        hint: format!(
            "root-relative links start with the base path `{root}`; to link to a brief or \
             page, use a content link such as `@/briefs/<file>.md`, which follows the base path"
        ),
    }
}

/// Why a target does not exist, if it does not.
fn missing(
    target: &Target,
    files: &FastSet<String>,
    pages: &FastMap<Box<str>, PageLinks>,
    strings: &Strings,
) -> Option<Problem> {
    let page = if target.path.is_empty() || target.path.ends_with('/') {
        format!("{}index.html", target.path)
    } else if files.contains(target.path.as_str()) {
        target.path.clone()
    } else {
        format!("{}/index.html", target.path)
    };
    if !files.contains(page.as_str()) {
        return Some(Problem {
            reason: "no such page or file".to_string(),
            hint: "link to a page or file the site builds; to link to a brief or page, use a \
                   content link such as `@/briefs/<file>.md`, which follows its slug"
                .to_string(),
        });
    }
    let fragment = target.fragment.as_deref()?;
    let page_ids = &pages.get(page.as_str())?.ids;
    (!strings.holds(page_ids, fragment)).then(|| Problem {
        reason: format!("the page has no element with id `{fragment}`"),
        hint: anchor_hint(fragment, page_ids.iter().map(|&id| strings.get(id))),
    })
}

/// What to say about a missing `#fragment`: the closest id of the page.
fn anchor_hint<'a>(fragment: &str, ids: impl Iterator<Item = &'a str>) -> String {
    let mut known: Vec<&str> = ids.collect();
    known.sort_unstable();
    match crate::content::matter::front_matter::did_you_mean(fragment, &known) {
        Some(near) => format!("did you mean `#{near}`? An anchor names an id of the page"),
        None => "an anchor names an id of the page, such as a heading's (its `#` link shows it)"
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(path: &str, fragment: Option<&str>) -> Option<Result<Target, String>> {
        Some(Ok(Target {
            path: path.to_string(),
            fragment: fragment.map(str::to_string),
        }))
    }

    /// The fast paths agree with the general ones they stand for: `trim`
    /// with `str::trim`, and the cut at the first `#` or `?` with a split
    /// at `#`, then at `?`.
    #[test]
    fn fast_trims_and_cuts_agree_with_the_general_ones() {
        let hrefs = [
            "",
            " ",
            "#",
            "?",
            "a",
            " /a/ ",
            "\u{a0}/a\u{2003}",
            "\x0b/a",
            "/a\x0c",
            "/a?x#y",
            "/a#x?y",
            "?q#f",
            "#f?q",
            " /a?x ",
            "é/a",
            "/a\u{85}",
        ];
        for href in hrefs {
            assert_eq!(trim(href), href.trim(), "{href:?}");
            let general = href.trim();
            let general = general.split_once('#').map_or(general, |(h, _)| h);
            let general = general.split('?').next().unwrap_or_default();
            assert_eq!(without_fragment_or_query(href), general, "{href:?}");
        }
    }

    #[test]
    fn resolve_table() {
        let base = "https://example.org/briefs/";
        let page = "briefs/x/index.html";
        let cases = [
            ("/briefs/tags/", target("tags/", None)),
            ("/briefs/", target("", None)),
            ("#sources", target("briefs/x/index.html", Some("sources"))),
            ("chart%20one.svg", target("briefs/x/chart one.svg", None)),
            ("../y/#a", target("briefs/y/", Some("a"))),
            (
                "https://example.org/briefs/atom.xml",
                target("atom.xml", None),
            ),
            ("/briefs/search/?q=x", target("search/", None)),
            ("https://other.example/", None),
            ("mailto:desk@example.org", None),
            ("//cdn.example/x.js", None),
        ];
        for (href, expected) in cases {
            assert_eq!(resolve(href, page, "/briefs/", base), expected, "{href}");
        }
        assert!(matches!(
            resolve("/elsewhere/", page, "/briefs/", base),
            Some(Err(_))
        ));
    }
}
