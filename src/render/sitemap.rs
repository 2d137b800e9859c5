//! `sitemap.xml` and `robots.txt`: what search engines need to find every
//! published page.
//!
//! The sitemap lists every HTML page a build writes that holds published
//! content (drafts never appear, even in a `--drafts` build), each with a
//! `lastmod`: a brief's update (or publication) date, and for listings and
//! free pages the newest date among the briefs they show (the site's newest
//! when they show none).

use std::fmt::Write;

use crate::content::date::BriefDate;
use crate::content::schema::Status;
use crate::site::{Site, Taxonomy, Term};

/// One sitemap entry: a site path and its last modification.
struct Entry {
    path: String,
    lastmod: Option<BriefDate>,
}

fn modified(site: &Site, i: usize) -> BriefDate {
    let b = &site.briefs[i];
    b.updated.unwrap_or(b.date)
}

fn newest(site: &Site, briefs: impl IntoIterator<Item = usize>) -> Option<BriefDate> {
    briefs
        .into_iter()
        .filter(|&i| site.briefs[i].status == Status::Published)
        .map(|i| modified(site, i))
        .max()
}

/// A term's listing pages that show published briefs: as many as those
/// fill, like the index's, each dated by the newest brief it shows.
fn term_entries(site: &Site, taxonomy: Taxonomy, term: &Term) -> Vec<Entry> {
    let published: Vec<usize> = term
        .briefs
        .iter()
        .copied()
        .filter(|&i| site.briefs[i].status == Status::Published)
        .collect();
    let per_page = site.config.per_page;
    published
        .chunks(per_page)
        .enumerate()
        .map(|(k, shown)| Entry {
            path: Site::term_page_path(taxonomy, &term.slug, k + 1),
            lastmod: newest(site, shown.iter().copied()),
        })
        .collect()
}

/// The pages of a paginated listing of published items, at least one:
/// page `n` at `path(n)`, dated by the newest of the briefs it shows
/// (`pages[n - 1]`), or `fallback` when it shows none.
fn listing_entries(
    site: &Site,
    mut pages: Vec<Vec<usize>>,
    path: &dyn Fn(usize) -> String,
    fallback: Option<BriefDate>,
) -> Vec<Entry> {
    if pages.is_empty() {
        pages.push(Vec::new());
    }
    pages
        .into_iter()
        .enumerate()
        .map(|(k, shown)| Entry {
            path: path(k + 1),
            lastmod: newest(site, shown).or(fallback),
        })
        .collect()
}

/// Items (each shown by some briefs) cut into pages of `per_page`.
fn pages_of<T: AsRef<[usize]>>(site: &Site, items: &[T]) -> Vec<Vec<usize>> {
    items
        .chunks(site.config.per_page)
        .map(|page| {
            page.iter()
                .flat_map(|i| i.as_ref().iter().copied())
                .collect()
        })
        .collect()
}

/// Every page of the watchlist, `top/`, every page of the sources and of
/// each band, in that order.
fn listing_pages(site: &Site, site_newest: Option<BriefDate>) -> Vec<Entry> {
    let mut entries = Vec::new();
    let watch: Vec<[usize; 1]> = crate::render::watchlist::watchlist(site)
        .briefs
        .into_iter()
        .map(|i| [i])
        .collect();
    let watch_path = crate::render::watchlist::page_path;
    entries.extend(listing_entries(
        site,
        pages_of(site, &watch),
        &watch_path,
        site_newest,
    ));
    entries.push(Entry {
        path: "top/".to_string(),
        lastmod: site_newest,
    });
    let citations = crate::render::sources::published_citations(site);
    let sources_path = crate::render::sources::page_path;
    entries.extend(listing_entries(
        site,
        pages_of(site, &citations),
        &sources_path,
        site_newest,
    ));
    let lists = crate::render::scores::band_lists(site);
    for (band, list) in site.config.bands.iter().zip(lists) {
        let path = |n: usize| crate::render::scores::band_page_path(&band.slug, n);
        let briefs: Vec<[usize; 1]> = list.into_iter().map(|i| [i]).collect();
        entries.extend(listing_entries(
            site,
            pages_of(site, &briefs),
            &path,
            site_newest,
        ));
    }
    entries
}

fn entries(site: &Site) -> Vec<Entry> {
    let published: Vec<usize> = (0..site.briefs.len())
        .filter(|&i| site.briefs[i].status == Status::Published)
        .collect();
    let site_newest = newest(site, published.iter().copied());
    let per_page = site.config.per_page;
    let mut entries = Vec::new();
    // Index pages: only as many as published briefs fill.
    let pages = published.len().div_ceil(per_page).max(1);
    for n in 1..=pages {
        let shown = published
            .iter()
            .copied()
            .skip((n - 1) * per_page)
            .take(per_page);
        entries.push(Entry {
            path: Site::index_path(n),
            lastmod: newest(site, shown),
        });
    }
    for &i in &published {
        entries.push(Entry {
            path: Site::brief_path(&site.briefs[i].slug),
            lastmod: Some(modified(site, i)),
        });
    }
    for taxonomy in [Taxonomy::Tags, Taxonomy::Entities] {
        entries.push(Entry {
            path: format!("{}/", taxonomy.key()),
            lastmod: site_newest,
        });
        for term in site.terms(taxonomy) {
            entries.extend(term_entries(site, taxonomy, term));
        }
    }
    entries.extend(listing_pages(site, site_newest));
    for page in &site.pages {
        entries.push(Entry {
            path: format!("{}/", page.slug),
            lastmod: site_newest,
        });
    }
    entries
}

/// What a published brief gives the sitemap: its own entry and its part in
/// the dates of the listings that show it. The sitemap changes only when a
/// share, the published briefs' order or the free pages change.
#[derive(Debug, PartialEq)]
pub struct Share {
    slug: String,
    modified: BriefDate,
    /// Slugs of its tags, and of its entities.
    terms: [Vec<String>; 2],
    band: String,
}

/// A published brief's [`Share`].
pub fn share(site: &Site, b: &crate::content::brief::Brief) -> Share {
    Share {
        slug: b.slug.clone(),
        modified: b.updated.unwrap_or(b.date),
        terms: [&b.tags, &b.entities].map(|names| names.iter().map(slug::slugify).collect()),
        band: site.config.band(b.score).slug.clone(),
    }
}

/// `sitemap.xml`.
pub fn sitemap(site: &Site) -> Vec<u8> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for entry in entries(site) {
        let loc = escape_xml(&site.absolute_url(&entry.path));
        let _ = write!(xml, "  <url>\n    <loc>{loc}</loc>\n");
        if let Some(lastmod) = entry.lastmod {
            let _ = writeln!(xml, "    <lastmod>{}</lastmod>", lastmod.rfc3339());
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml.into_bytes()
}

/// `robots.txt`: allow everything and name the sitemap.
pub fn robots(site: &Site) -> Vec<u8> {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.absolute_url("sitemap.xml")
    )
    .into_bytes()
}

/// Escapes text for XML character data and attribute values.
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}
