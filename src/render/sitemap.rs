//! `sitemap.xml` and `robots.txt`: what search engines need to find every
//! published page.
//!
//! The sitemap lists every HTML page a build writes that holds published
//! content (drafts never appear, even in a `--drafts` build), each with a
//! `lastmod`: a brief's update (or publication) date, and for listings and
//! free pages the newest date among the briefs they show (the site's newest
//! when they show none). Each page kind gives its own entries
//! (`Family::sitemap_entries`), in the order of `pages::FAMILIES`.
//!
//! Past the protocol's 50,000 URLs or 50 MB a file, `sitemap.xml` becomes a
//! sitemap index naming numbered sitemaps (`sitemap-1.xml`, …), so that
//! `robots.txt` and crawlers keep the one address.

use std::fmt::Write;

use crate::content::slugs::term_slug;
use crate::content::types::date::BriefDate;
use crate::render::listing::{Published, SitemapEntry as Entry};
use crate::render::pages::FAMILIES;
use crate::render::sources::Listed;
use crate::site::Site;

/// Every entry, asking each page kind for its own, in the families' order.
fn entries(site: &Site, sources: &Listed<'_>) -> Vec<Entry> {
    let published = Published::new(site, sources);
    (FAMILIES.iter())
        .flat_map(|family| family.sitemap_entries(&published))
        .collect()
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
pub fn share(site: &Site, b: &crate::content::types::brief::Brief) -> Share {
    Share {
        slug: b.slug.clone(),
        modified: b.updated.unwrap_or(b.date),
        terms: [&b.tags, &b.entities].map(|names| {
            let slug = |name: &String| term_slug(name, &site.config.language);
            names.iter().map(slug).collect()
        }),
        band: site.config.band(b.score).slug.clone(),
    }
}

/// The most a sitemap file may hold, by the sitemap protocol: 50,000 URLs
/// and 50 MB (52,428,800 bytes) uncompressed.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub urls: usize,
    pub bytes: usize,
}

/// The protocol's limits.
pub const LIMITS: Limits = Limits {
    urls: 50_000,
    bytes: 50 * 1024 * 1024,
};

const URLSET_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
const URLSET_TAIL: &str = "</urlset>\n";

/// The path of the `n`th sitemap (from 1) of a sitemap index.
pub fn part_path(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

/// The sitemap files, path and bytes: `sitemap.xml` alone while every URL
/// fits in one file within `limits`; past them, `sitemap.xml` is a sitemap
/// index naming `sitemap-1.xml`, `sitemap-2.xml`, … that each fit.
pub fn sitemaps(site: &Site, sources: &Listed<'_>, limits: Limits) -> Vec<(String, Vec<u8>)> {
    let urls = entries(site, sources)
        .into_iter()
        .map(|entry| (url_element(site, &entry), entry.lastmod));
    files(urls, &|path| site.absolute_url(path), limits)
}

/// [`sitemaps`] from each URL's `<url>` element and `lastmod`, with
/// `absolute` making a site path absolute.
fn files(
    urls: impl Iterator<Item = (String, Option<BriefDate>)>,
    absolute: &dyn Fn(&str) -> String,
    limits: Limits,
) -> Vec<(String, Vec<u8>)> {
    let room = limits.bytes - URLSET_HEAD.len() - URLSET_TAIL.len();
    // Each part: its URL elements and the newest lastmod among them.
    let mut parts: Vec<(String, Option<BriefDate>)> = vec![(String::new(), None)];
    let mut count = 0;
    for (url, lastmod) in urls {
        let (xml, newest) = parts.last_mut().expect("one part at least");
        if count == limits.urls || (count > 0 && xml.len() + url.len() > room) {
            parts.push((url, lastmod));
            count = 1;
            continue;
        }
        xml.push_str(&url);
        *newest = (*newest).max(lastmod);
        count += 1;
    }
    let urlset = |xml: &str| format!("{URLSET_HEAD}{xml}{URLSET_TAIL}").into_bytes();
    if parts.len() == 1 {
        return vec![("sitemap.xml".to_string(), urlset(&parts[0].0))];
    }
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut files = Vec::with_capacity(parts.len() + 1);
    for (k, (xml, newest)) in parts.iter().enumerate() {
        let path = part_path(k + 1);
        let loc = escape_xml(&absolute(&path));
        let _ = write!(index, "  <sitemap>\n    <loc>{loc}</loc>\n");
        if let Some(lastmod) = newest {
            let _ = writeln!(index, "    <lastmod>{}</lastmod>", lastmod.rfc3339());
        }
        index.push_str("  </sitemap>\n");
        files.push((path, urlset(xml)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, ("sitemap.xml".to_string(), index.into_bytes()));
    files
}

/// One entry's `<url>` element, indented to its place in the `urlset`.
fn url_element(site: &Site, entry: &Entry) -> String {
    let loc = escape_xml(&site.absolute_url(&entry.path));
    let mut xml = format!("  <url>\n    <loc>{loc}</loc>\n");
    if let Some(lastmod) = entry.lastmod {
        let _ = writeln!(xml, "    <lastmod>{}</lastmod>", lastmod.rfc3339());
    }
    xml.push_str("  </url>\n");
    xml
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

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(n: usize) -> impl Iterator<Item = (String, Option<BriefDate>)> {
        (1..=n).map(|k| {
            let date = BriefDate::parse(&format!("2026-01-{k:02}")).unwrap();
            let loc = format!("https://example.org/briefs/b{k}/");
            let xml = format!(
                "  <url>\n    <loc>{loc}</loc>\n    <lastmod>{}</lastmod>\n  </url>\n",
                date.rfc3339()
            );
            (xml, Some(date))
        })
    }

    fn absolute(path: &str) -> String {
        format!("https://example.org/{path}")
    }

    fn text(files: &[(String, Vec<u8>)], path: &str) -> String {
        let (_, bytes) = files.iter().find(|(p, _)| p == path).unwrap();
        String::from_utf8(bytes.clone()).unwrap()
    }

    /// Within the limits, one `urlset` holds every URL.
    #[test]
    fn urls_within_the_limits_make_one_sitemap() {
        let files = files(
            urls(3),
            &absolute,
            Limits {
                urls: 3,
                bytes: 1 << 20,
            },
        );
        assert_eq!(files.len(), 1);
        let xml = text(&files, "sitemap.xml");
        assert!(
            xml.starts_with(URLSET_HEAD) && xml.ends_with(URLSET_TAIL),
            "{xml}"
        );
        assert_eq!(xml.matches("<url>").count(), 3);
    }

    /// Past the URL limit, `sitemap.xml` names numbered sitemaps of at most
    /// that many URLs, each dated by its newest URL.
    #[test]
    fn urls_past_the_limit_make_a_sitemap_index() {
        let files = files(
            urls(5),
            &absolute,
            Limits {
                urls: 2,
                bytes: 1 << 20,
            },
        );
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "sitemap.xml",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml"
            ]
        );
        let index = text(&files, "sitemap.xml");
        assert_eq!(
            index,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
             \x20 <sitemap>\n    <loc>https://example.org/sitemap-1.xml</loc>\n    <lastmod>2026-01-02T00:00:00Z</lastmod>\n  </sitemap>\n\
             \x20 <sitemap>\n    <loc>https://example.org/sitemap-2.xml</loc>\n    <lastmod>2026-01-04T00:00:00Z</lastmod>\n  </sitemap>\n\
             \x20 <sitemap>\n    <loc>https://example.org/sitemap-3.xml</loc>\n    <lastmod>2026-01-05T00:00:00Z</lastmod>\n  </sitemap>\n\
             </sitemapindex>\n"
        );
        let all: String = paths[1..].iter().map(|p| text(&files, p)).collect();
        for k in 1..=5 {
            let loc = format!("<loc>https://example.org/briefs/b{k}/</loc>");
            assert_eq!(all.matches(&loc).count(), 1, "{loc}");
        }
        assert_eq!(text(&files, "sitemap-3.xml").matches("<url>").count(), 1);
    }

    /// Past the byte limit, each numbered sitemap stays within it.
    #[test]
    fn sitemaps_past_the_byte_limit_stay_within_it() {
        let one = urls(1).next().unwrap().0.len();
        let bytes = URLSET_HEAD.len() + URLSET_TAIL.len() + 2 * one + 10;
        let files = files(
            urls(7),
            &absolute,
            Limits {
                urls: 50_000,
                bytes,
            },
        );
        assert_eq!(files.len(), 1 + 4);
        for (path, xml) in &files[1..] {
            assert!(xml.len() <= bytes, "{path}: {} bytes", xml.len());
        }
    }
}
