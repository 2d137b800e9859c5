//! Model: the site as readers will navigate it, built from parsed briefs.
//!
//! Steps: keep the briefs this build publishes (drafts and reviews only with
//! `--drafts`), order them newest first, group them into tags and entities
//! (terms merged by slug, so `AI chips` and `ai-chips` are one page), and
//! compute every URL under the base path. No HTML here: `render` turns this
//! into pages.

pub(crate) mod checks;
pub(crate) mod content_links;
pub(crate) mod future_date;
pub(crate) mod pagination;

use std::sync::Arc;

use crate::collate::Collation;
use crate::content::cite::registry::Registry;
use crate::content::config::Config;
use crate::content::slugs::term_slug;
use crate::content::types::brief::Status;
use crate::content::types::brief::{Brief, Page};
use crate::diagnostic::Diagnostics;
use crate::error::Error;
use pagination::Pagination;

/// A taxonomy term and the briefs carrying it.
#[derive(Debug, Clone)]
pub struct Term {
    /// The first spelling met (in newest-first order).
    pub name: String,
    pub slug: String,
    /// Indexes into [`Site::briefs`], newest first.
    pub briefs: Vec<usize>,
}

/// Which taxonomy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Taxonomy {
    Tags,
    Entities,
}

impl Taxonomy {
    /// URL path segment and template key.
    pub fn key(self) -> &'static str {
        match self {
            Taxonomy::Tags => "tags",
            Taxonomy::Entities => "entities",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Taxonomy::Tags => "Tags",
            Taxonomy::Entities => "Entities",
        }
    }
}

/// Everything a build renders.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// True when drafts and reviews are built.
    pub drafts: bool,
    /// Newest first. Shared, so an incremental rebuild reuses unchanged briefs.
    pub briefs: Vec<Arc<Brief>>,
    /// Sorted by slug.
    pub tags: Vec<Term>,
    pub entities: Vec<Term>,
    /// Sorted by weight, then title.
    pub pages: Vec<Arc<Page>>,
    /// `sources.yaml`, for the sources page.
    pub registry: Registry,
    /// Briefs validated but not built, without `--drafts`: drafts, and
    /// briefs in review.
    pub left_out: LeftOut,
}

/// How many unpublished briefs a build without `--drafts` leaves out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LeftOut {
    pub drafts: usize,
    pub review: usize,
}

impl LeftOut {
    /// What a build without `--drafts` leaves out of `briefs`.
    pub(crate) fn count(briefs: &[Arc<Brief>]) -> Self {
        let mut left_out = LeftOut::default();
        for brief in briefs {
            match brief.status {
                Status::Draft => left_out.drafts += 1,
                Status::Review => left_out.review += 1,
                Status::Published => {}
            }
        }
        left_out
    }
}

impl Site {
    /// Builds the model from parsed content.
    pub fn new(
        config: Config,
        briefs: Vec<Arc<Brief>>,
        mut pages: Vec<Arc<Page>>,
        registry: Registry,
        drafts: bool,
    ) -> Self {
        let left_out = match drafts {
            true => LeftOut::default(),
            false => LeftOut::count(&briefs),
        };
        let mut briefs: Vec<Arc<Brief>> = briefs
            .into_iter()
            .filter(|b| drafts || b.status == Status::Published)
            .collect();
        briefs.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
        let tags = terms(&briefs, &config.language, |b| &b.tags);
        let entities = terms(&briefs, &config.language, |b| &b.entities);
        let collation = Collation::for_language(&config.language);
        pages.sort_by(|a, b| {
            (a.weight.cmp(&b.weight))
                .then_with(|| collation.compare(&a.title, &b.title))
                .then_with(|| a.slug.cmp(&b.slug))
        });
        Self {
            config,
            drafts,
            briefs,
            tags,
            entities,
            pages,
            registry,
            left_out,
        }
    }

    pub fn terms(&self, taxonomy: Taxonomy) -> &[Term] {
        match taxonomy {
            Taxonomy::Tags => &self.tags,
            Taxonomy::Entities => &self.entities,
        }
    }

    /// Root-relative URL of a path under the site, e.g. `briefs/x/` → `/briefs/briefs/x/`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.config.root(), encoded(path))
    }

    /// Absolute URL of a path under the site.
    pub fn absolute_url(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url, encoded(path))
    }

    pub fn brief_path(slug: &str) -> String {
        format!("briefs/{slug}/")
    }

    pub fn term_path(taxonomy: Taxonomy, slug: &str) -> String {
        format!("{}/{slug}/", taxonomy.key())
    }

    /// Path of page `n` (1-based) of a term's listing: page 1 is the term's
    /// own folder, later pages `page/<n>/` under it, like the index's.
    pub fn term_page_path(taxonomy: Taxonomy, slug: &str, n: usize) -> String {
        format!("{}{}", Self::term_path(taxonomy, slug), Self::index_path(n))
    }

    /// A listing of `count` items, paginated as the site says.
    pub fn pagination(&self, count: usize) -> Pagination {
        Pagination::new(count, self.config.per_page)
    }

    /// Path of index page `n` (1-based).
    pub fn index_path(n: usize) -> String {
        if n <= 1 {
            String::new()
        } else {
            format!("page/{n}/")
        }
    }

    /// Number of index pages (at least one, even with no briefs).
    pub fn index_pages(&self) -> usize {
        self.pagination(self.briefs.len()).pages()
    }
}

/// A site path as it goes into a URL: the characters outside ASCII of a
/// term's slug (東京) percent-encoded, as a browser sends them and as the
/// sitemap protocol requires; the folder on disk keeps the characters.
pub(crate) fn encoded(path: &str) -> std::borrow::Cow<'_, str> {
    percent_encoding::utf8_percent_encode(path, &percent_encoding::AsciiSet::EMPTY).into()
}

fn terms(
    briefs: &[Arc<Brief>],
    language: &str,
    field: impl Fn(&Brief) -> &Vec<String>,
) -> Vec<Term> {
    let mut terms: Vec<Term> = Vec::new();
    // A site has far fewer spellings than uses of them: each is slugified
    // and looked up once, then found by its spelling (one hash per use).
    let mut by_name: ahash::AHashMap<&str, usize> = ahash::AHashMap::new();
    let mut by_slug: ahash::AHashMap<String, usize> = ahash::AHashMap::new();
    for (i, brief) in briefs.iter().enumerate() {
        for name in field(brief) {
            let k = *by_name.entry(name.as_str()).or_insert_with(|| {
                let slug = term_slug(name, language);
                *by_slug.entry(slug.clone()).or_insert_with(|| {
                    terms.push(Term {
                        name: name.clone(),
                        slug,
                        briefs: Vec::new(),
                    });
                    terms.len() - 1
                })
            });
            let term = &mut terms[k];
            if term.briefs.last() != Some(&i) {
                term.briefs.push(i);
            }
        }
    }
    terms.sort_unstable_by(|a, b| a.slug.cmp(&b.slug));
    terms
}

/// The parsed briefs and pages, once every file's problems are gathered
/// and the checks across files pass.
#[allow(clippy::type_complexity)]
pub(crate) fn checked<'a>(
    config: &Config,
    briefs: impl IntoIterator<Item = &'a crate::content::Parsed<crate::content::types::brief::Brief>>
    + Clone,
    pages: impl IntoIterator<Item = &'a crate::content::Parsed<crate::content::types::brief::Page>>
    + Clone,
    registry: &Registry,
    strict: bool,
    timings: &mut crate::timings::Timings,
) -> Result<(Vec<Arc<Brief>>, Vec<Arc<Page>>, Diagnostics), Error> {
    let mut diagnostics = registry.diagnostics.clone();
    for parsed in briefs.clone() {
        diagnostics.extend(parsed.diagnostics.iter().cloned());
    }
    for parsed in pages.clone() {
        diagnostics.extend(parsed.diagnostics.iter().cloned());
    }
    let briefs: Vec<_> = briefs.into_iter().filter_map(|p| p.item.clone()).collect();
    let pages: Vec<_> = pages.into_iter().filter_map(|p| p.item.clone()).collect();
    checks::site(&briefs, &pages, &mut diagnostics);
    future_date::check(&briefs, config, &mut diagnostics);
    if strict || config.strict {
        diagnostics.escalate_warnings();
    }
    diagnostics.sort();
    timings.lap("validate");
    if diagnostics.has_errors() {
        return Err(Error::Content(diagnostics));
    }
    Ok((briefs, pages, diagnostics))
}
