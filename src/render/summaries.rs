//! Each brief's listing summary ([`Summaries`]), the view most pages read:
//! made once per render, below the render driver and the page kinds so
//! that both (and the data files) can share it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use crate::content::types::brief::Brief;
use crate::content::types::date::BriefDate;
use crate::render::format::{DateForms, number};
use crate::render::record::{self, Read};
use crate::render::view::{BriefSummary, DateView, ScoreBadge, TermRef, Valued};
use crate::site::{Site, Taxonomy};

/// The view of the term `name` (slug `slug`) of taxonomy `t`.
pub(crate) fn term_ref(site: &Site, t: Taxonomy, name: &str, slug: &str) -> TermRef {
    TermRef {
        name: name.to_string(),
        slug: slug.to_string(),
        url: site.url(&Site::term_path(t, slug)),
    }
}

/// A brief's terms of `t` as its listing shows them: each distinct slug
/// once, in the order written; `made(name, slug)` gives each term's view.
fn terms_of<'n>(
    names: &'n [String],
    language: &str,
    made: &dyn Fn(&'n str, &str) -> Term,
) -> Vec<Term> {
    let mut seen = std::collections::HashSet::new();
    names
        .iter()
        .filter_map(|name| {
            let slug = crate::content::slugs::term_slug(name, language);
            let first = seen.insert(slug.clone());
            first.then(|| made(name, &slug))
        })
        .collect()
}

/// The badge of `score`: its text and band.
pub(crate) fn score_badge(site: &Site, score: f64) -> ScoreBadge {
    let band = site.config.band(score);
    ScoreBadge {
        value: score,
        display: number(score),
        scale: number(site.config.scale),
        band: band.label.clone(),
        band_slug: band.slug.clone(),
    }
}

/// A term's view, shared by every summary that shows it.
type Term = Arc<Valued<TermRef>>;

/// A date's view, shared by every summary (and source) of that date.
pub(crate) type Date = Arc<Valued<DateView>>;

/// A list of authors, shared by every summary that names the same.
type Authors = Arc<Valued<Vec<String>>>;

/// Each brief's listing summary, made the first time a page needs it: a
/// `serve` rebuild that renders a few pages makes a few summaries, not one
/// per brief of the site. Summaries share one view of each term as written
/// (a build holds every summary until its last page: at 100,000 briefs a
/// copy of each term's name, slug and URL per brief cost about 80 MB), one
/// badge per score, one view per date and one list per set of authors:
/// each a template value made once for every listing entry that shows it
/// (a listing card made each date anew, a map of three strings, each time).
pub(crate) struct Summaries<'a> {
    site: &'a Site,
    /// Each summary read is noted in the job's record (`serve` asks).
    recording: bool,
    made: Vec<OnceLock<BriefSummary>>,
    /// Per taxonomy: each name as written -> its view.
    terms: [Mutex<HashMap<&'a str, Term>>; 2],
    /// Each score (its bits) -> its badge.
    badges: Mutex<HashMap<u64, Arc<Valued<ScoreBadge>>>>,
    /// Each date (publication or update) -> its view.
    dates: Mutex<HashMap<BriefDate, Date, ahash::RandomState>>,
    /// Each brief's authors as written (none: the site's) -> their list.
    authors: Mutex<HashMap<Option<&'a [String]>, Authors, ahash::RandomState>>,
}

impl<'a> Summaries<'a> {
    /// Summaries of `site`'s briefs, none made yet; `recording`, each
    /// one read is noted ([`record::read`]).
    pub(crate) fn new(site: &'a Site, recording: bool) -> Self {
        let made = site.briefs.iter().map(|_| OnceLock::new()).collect();
        Summaries {
            site,
            recording,
            made,
            terms: Default::default(),
            badges: Mutex::default(),
            dates: Mutex::default(),
            authors: Mutex::default(),
        }
    }

    fn make(&self, b: &'a Brief) -> BriefSummary {
        let site = self.site;
        let terms = |t: Taxonomy, names: &'a [String]| {
            let cache = &self.terms[t as usize];
            let made =
                |name: &'a str, slug: &str| shared(cache, name, || term_ref(site, t, name, slug));
            terms_of(names, &site.config.language, &made)
        };
        let badge = shared(&self.badges, b.score.to_bits(), || {
            score_badge(site, b.score)
        });
        let date = |d: BriefDate| self.date(d);
        let authors = shared(&self.authors, b.authors.as_deref(), || authors_of(site, b));
        summary(
            site,
            b,
            Shown {
                tags: terms(Taxonomy::Tags, &b.tags),
                entities: terms(Taxonomy::Entities, &b.entities),
                score: badge,
                date: date(b.date),
                updated: b.updated.map(date),
                authors,
            },
        )
    }

    /// The view of `d`, shared by every summary and source dated `d`.
    pub(crate) fn date(&self, d: BriefDate) -> Date {
        shared(&self.dates, d, || d.view())
    }

    /// Brief `i`'s URL, from its summary, without noting a read of the
    /// summary: the URL follows from the slug alone, which a caller's own
    /// read covers (the sources pages link each citing brief by it).
    pub(crate) fn url(&self, i: usize) -> &str {
        &self.made[i]
            .get_or_init(|| self.make(&self.site.briefs[i]))
            .url
    }

    /// How many briefs the site has.
    pub(crate) fn len(&self) -> usize {
        self.made.len()
    }
}

/// The view `cache` keeps for `key`, made by `make` the first time it is
/// asked for and shared from then on.
fn shared<K, T, S>(
    cache: &Mutex<HashMap<K, Arc<Valued<T>>, S>>,
    key: K,
    make: impl FnOnce() -> T,
) -> Arc<Valued<T>>
where
    K: Eq + std::hash::Hash,
    S: std::hash::BuildHasher,
{
    let mut cache = cache.lock().expect("a summaries lock is never poisoned");
    Arc::clone(
        cache
            .entry(key)
            .or_insert_with(|| Arc::new(Valued::new(make()))),
    )
}

impl std::ops::Index<usize> for Summaries<'_> {
    type Output = BriefSummary;

    fn index(&self, i: usize) -> &BriefSummary {
        if self.recording {
            record::read(Read::Summary(i));
        }
        self.made[i].get_or_init(|| self.make(&self.site.briefs[i]))
    }
}

/// Brief `b`'s listing summary, made on its own: what [`Summaries`] gives
/// for it (serve compares a changed brief's before and after).
pub(crate) fn summary_of(site: &Site, b: &Brief) -> BriefSummary {
    let language = &site.config.language;
    let terms = |t: Taxonomy, names: &[String]| {
        let made = |name: &str, slug: &str| Arc::new(Valued::new(term_ref(site, t, name, slug)));
        terms_of(names, language, &made)
    };
    let date = |d: BriefDate| Arc::new(Valued::new(d.view()));
    summary(
        site,
        b,
        Shown {
            tags: terms(Taxonomy::Tags, &b.tags),
            entities: terms(Taxonomy::Entities, &b.entities),
            score: Arc::new(Valued::new(score_badge(site, b.score))),
            date: date(b.date),
            updated: b.updated.map(date),
            authors: Arc::new(Valued::new(authors_of(site, b))),
        },
    )
}

/// Brief `b`'s authors: its own, else the site's.
fn authors_of(site: &Site, b: &Brief) -> Vec<String> {
    b.authors
        .clone()
        .unwrap_or_else(|| site.config.authors.clone())
}

/// The parts of a summary that other summaries may show too.
struct Shown {
    tags: Vec<Term>,
    entities: Vec<Term>,
    score: Arc<Valued<ScoreBadge>>,
    date: Date,
    updated: Option<Date>,
    authors: Authors,
}

fn summary(site: &Site, b: &Brief, shown: Shown) -> BriefSummary {
    BriefSummary {
        title: b.title.clone(),
        slug: b.slug.clone(),
        url: site.url(&Site::brief_path(&b.slug)),
        date: shown.date,
        updated: shown.updated,
        summary: b.summary.clone(),
        authors: shown.authors,
        status: b.status.as_str().to_string(),
        unpublished: !b.is_published(),
        tags: shown.tags,
        entities: shown.entities,
        score: shown.score,
    }
}
