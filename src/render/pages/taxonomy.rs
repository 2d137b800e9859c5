//! The taxonomy pages: each taxonomy's list of terms (`tags/`,
//! `entities/`) and each term's listing (`tags/<slug>/`, then
//! `tags/<slug>/page/<n>/`), an entity's first page with its score
//! history. Their jobs, URLs, views and sitemap entries (a term's pages
//! only as many as its published briefs fill; a term only unpublished
//! briefs carry has none). Reads the terms, each shown brief's summary and,
//! for an entity's history, its briefs' scores and dates.

use tera::{Context, Value};

use crate::collate::Collation;
use crate::render::job::{Family, Job};
use crate::render::listing::{Published, SitemapEntry, newest, page_url};
use crate::render::reads::Reads;
use crate::render::record::{List, Read};
use crate::render::scores;
use crate::render::summaries::term_ref;
use crate::render::view::{PaginatorView, TaxonomyView, TermCount, TermRef, TermView};
use crate::site::{Site, Taxonomy, Term};

/// The family.
pub(crate) struct Taxonomies;

impl Family for Taxonomies {
    fn owns(&self, job: Job) -> bool {
        matches!(job, Job::TaxonomyList(_) | Job::Term(..))
    }

    /// Per taxonomy, its list, then each term's pages.
    fn jobs(&self, site: &Site, _sources: usize) -> Vec<Job> {
        let mut jobs = Vec::new();
        for taxonomy in [Taxonomy::Tags, Taxonomy::Entities] {
            jobs.push(Job::TaxonomyList(taxonomy));
            for (i, term) in site.terms(taxonomy).iter().enumerate() {
                let pages = site.pagination(term.briefs.len()).numbers();
                jobs.extend(pages.map(|n| Job::Term(taxonomy, i, n)));
            }
        }
        jobs
    }

    fn template(&self, job: Job) -> &'static str {
        match job {
            Job::TaxonomyList(_) => "taxonomy_list.html",
            _ => "taxonomy_term.html",
        }
    }

    fn url_path(&self, site: &Site, job: Job) -> String {
        match job {
            Job::TaxonomyList(t) => format!("{}/", t.key()),
            Job::Term(t, i, n) => Site::term_page_path(t, &site.terms(t)[i].slug, n),
            _ => unreachable!("not a taxonomy page: {job:?}"),
        }
    }

    /// The list: `taxonomy`; a term's page `n`: `taxonomy`, `term` and
    /// `paginator`.
    fn view(&self, reads: &Reads<'_>, job: Job, ctx: &mut Context) -> Result<(), String> {
        match job {
            Job::TaxonomyList(t) => ctx.insert_value("taxonomy", taxonomy_value(reads, t)),
            Job::Term(t, i, n) => {
                let term = &reads.site.terms(t)[i];
                let first = reads.site.url(&Site::term_path(t, &term.slug));
                let url = |k: usize| page_url(&first, k);
                let paginator = reads.paginate(List::Term(t, i), &term.briefs, n, &url);
                ctx.insert_value("taxonomy", taxonomy_value(reads, t));
                let term_ref = TermRef {
                    name: term.name.clone(),
                    slug: term.slug.clone(),
                    url: first,
                };
                ctx.insert("term", &term_view(reads, (t, i), term_ref, &paginator));
                ctx.insert("paginator", &paginator);
            }
            _ => unreachable!("not a taxonomy page: {job:?}"),
        }
        Ok(())
    }

    /// Per taxonomy, its list (dated by the site's newest brief), then each
    /// term's pages.
    fn sitemap_entries(&self, published: &Published<'_, '_>) -> Vec<SitemapEntry> {
        let site = published.site;
        let mut entries = Vec::new();
        for taxonomy in [Taxonomy::Tags, Taxonomy::Entities] {
            entries.push(SitemapEntry {
                path: format!("{}/", taxonomy.key()),
                lastmod: published.newest,
            });
            for term in site.terms(taxonomy) {
                entries.extend(term_entries(site, taxonomy, term));
            }
        }
        entries
    }
}

/// [`taxonomy`] as a template value, made once per taxonomy.
fn taxonomy_value(reads: &Reads<'_>, t: Taxonomy) -> Value {
    reads.note(Read::List(List::Terms(t)));
    let slot = match t {
        Taxonomy::Tags => &reads.taxonomies[0],
        Taxonomy::Entities => &reads.taxonomies[1],
    };
    slot.get_or_init(|| Value::from_serializable(&taxonomy(reads.site, t)))
        .clone()
}

/// Every term of `t`, in the order of the site's language, with its count.
fn taxonomy(site: &Site, t: Taxonomy) -> TaxonomyView {
    let mut terms: Vec<TermCount> = site
        .terms(t)
        .iter()
        .map(|term| TermCount {
            term: term_ref(site, t, &term.name, &term.slug),
            count: term.briefs.len(),
        })
        .collect();
    let collation = Collation::for_language(&site.config.language);
    terms.sort_by(|a, b| {
        (collation.compare(&a.term.name, &b.term.name)).then_with(|| a.term.slug.cmp(&b.term.slug))
    });
    TaxonomyView {
        kind: t.key().to_string(),
        title: t.title().to_string(),
        url: site.url(&format!("{}/", t.key())),
        terms,
    }
}

/// A term's page: the briefs of `paginator`'s page, and (for entities)
/// the whole score history on the first page only.
fn term_view(
    reads: &Reads<'_>,
    (t, index): (Taxonomy, usize),
    term_ref: TermRef,
    paginator: &PaginatorView,
) -> TermView {
    let first = paginator.pager.number == 1;
    let term = &reads.site.terms(t)[index];
    TermView {
        term: term_ref,
        briefs: paginator.briefs.clone(),
        total_briefs: term.briefs.len(),
        history: (t == Taxonomy::Entities && first).then(|| {
            reads.note(Read::List(List::Term(t, index)));
            scores::history(reads.site, term, &reads.summaries)
        }),
    }
}

/// A term's listing pages that show published briefs: as many as those
/// fill, like the index's, each dated by the newest brief it shows.
fn term_entries(site: &Site, taxonomy: Taxonomy, term: &Term) -> Vec<SitemapEntry> {
    let published: Vec<usize> = term
        .briefs
        .iter()
        .copied()
        .filter(|&i| site.briefs[i].is_published())
        .collect();
    let listing = site.pagination(published.len());
    // A term that only unpublished briefs carry has no page here.
    (listing.numbers())
        .filter(|_| !published.is_empty())
        .map(|n| SitemapEntry {
            path: Site::term_page_path(taxonomy, &term.slug, n),
            lastmod: newest(site, listing.page(&published, n).iter().copied()),
        })
        .collect()
}
