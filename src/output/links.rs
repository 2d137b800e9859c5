//! Links: every internal `href`, `src` and `#anchor` of the rendered site
//! must land on a file (or an element id) the build writes.
//!
//! Steps: collect the output paths and, per HTML page, its element ids; scan
//! each page's `href`/`src` attributes; resolve each internal one (root-
//! relative under the base path, page-relative, fragment-only, or absolute on
//! the site's own base URL) to an output path; report the ones that miss,
//! once per target with the pages that carry it. Runs on the rendered bytes
//! in memory, before anything is written.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Mutex;

use percent_encoding::percent_decode_str;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::{Content, Output, Sink};

/// One attribute value found in a page.
struct Attr<'a> {
    name: &'a str,
    value: String,
}

/// `href`, `src` and `id` attributes with quoted values, entity `&amp;` decoded.
fn attributes(html: &str) -> Vec<Attr<'_>> {
    let mut found = Vec::new();
    let bytes = html.as_bytes();
    for name in ["href", "src", "id"] {
        let needle = format!("{name}=");
        let mut from = 0;
        while let Some(i) = html[from..].find(&needle) {
            let at = from + i;
            from = at + needle.len();
            if at == 0 || !bytes[at - 1].is_ascii_whitespace() {
                continue;
            }
            let Some(&quote) = bytes.get(from) else { break };
            if quote != b'"' && quote != b'\'' {
                continue;
            }
            let rest = &html[from + 1..];
            let Some(end) = rest.find(quote as char) else {
                break;
            };
            found.push(Attr {
                name,
                value: rest[..end].replace("&amp;", "&"),
            });
            from += end + 2;
        }
    }
    found
}

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
    let href = href.trim();
    let (href, fragment) = match href.split_once('#') {
        Some((h, f)) => (h, Some(f.to_string())),
        None => (href, None),
    };
    let href = href.split('?').next().unwrap_or_default();
    let path = if let Some(on_site) = href.strip_prefix(base_url) {
        format!("{root}{on_site}")
    } else if href.starts_with("//") || href.contains(':') {
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

/// What the link check keeps of one page: its links and its ids.
struct PageLinks {
    path: String,
    source: Option<PathBuf>,
    links: Vec<String>,
    ids: HashSet<String>,
}

/// A sink that keeps, of each output, its path and, of each page, its
/// links and ids: enough to check every link without keeping the site.
#[derive(Default)]
pub struct Links {
    files: Mutex<HashSet<String>>,
    pages: Mutex<Vec<PageLinks>>,
}

impl Sink for Links {
    fn put(&self, output: Output) -> std::io::Result<()> {
        let html = match (&output.content, output.path.ends_with(".html")) {
            (Content::Bytes(bytes), true) => std::str::from_utf8(bytes).ok(),
            _ => None,
        };
        if let Some(html) = html {
            let (mut links, mut ids) = (Vec::new(), HashSet::new());
            for attr in attributes(html) {
                if attr.name == "id" {
                    ids.insert(attr.value);
                } else {
                    links.push(attr.value);
                }
            }
            let page = PageLinks {
                path: output.path.clone(),
                source: output.source.clone(),
                links,
                ids,
            };
            self.pages
                .lock()
                .expect("the links lock is never poisoned")
                .push(page);
        }
        self.files
            .lock()
            .expect("the links lock is never poisoned")
            .insert(output.path);
        Ok(())
    }
}

impl Links {
    /// Reports every internal link that lands on no file or no id, once per
    /// target with the pages that carry it.
    pub fn report(&self, root: &str, base_url: &str, diagnostics: &mut Diagnostics) {
        let files = self.files.lock().expect("the links lock is never poisoned");
        let mut pages = self.pages.lock().expect("the links lock is never poisoned");
        pages.sort_by(|a, b| a.path.cmp(&b.path));
        let ids: HashMap<&str, &HashSet<String>> =
            pages.iter().map(|p| (p.path.as_str(), &p.ids)).collect();
        // Broken target -> (reason, pages carrying it): a bad link in a shared
        // template is reported once, not once per page.
        let mut broken: BTreeMap<&str, (String, Vec<&PageLinks>)> = BTreeMap::new();
        for page in pages.iter() {
            for link in &page.links {
                let problem = match resolve(link, &page.path, root, base_url) {
                    None => continue,
                    Some(Err(reason)) => reason,
                    Some(Ok(target)) => match missing(&target, &files, &ids) {
                        Some(reason) => reason,
                        None => continue,
                    },
                };
                broken
                    .entry(link)
                    .or_insert_with(|| (problem, Vec::new()))
                    .1
                    .push(page);
            }
        }
        for (href, (reason, pages)) in broken {
            let first = pages[0];
            let path = first
                .source
                .clone()
                .unwrap_or_else(|| PathBuf::from(&first.path));
            let also = match pages.len() {
                1 => String::new(),
                n => format!(
                    " (and {} other page{})",
                    n - 1,
                    if n == 2 { "" } else { "s" }
                ),
            };
            diagnostics.push(
                Diagnostic::file_error(
                    &path,
                    format!("broken link `{href}` on {}{also}: {reason}", first.path),
                )
                .with_hint(
                    "link to a page the site builds; root-relative links start with the base path",
                )
                .with_code("link"),
            );
        }
    }
}

/// Why a target does not exist, if it does not.
fn missing(
    target: &Target,
    files: &HashSet<String>,
    ids: &HashMap<&str, &HashSet<String>>,
) -> Option<String> {
    let page = if target.path.is_empty() || target.path.ends_with('/') {
        format!("{}index.html", target.path)
    } else if files.contains(target.path.as_str()) {
        target.path.clone()
    } else {
        format!("{}/index.html", target.path)
    };
    if !files.contains(page.as_str()) {
        return Some("no such page or file".to_string());
    }
    let fragment = target.fragment.as_deref()?;
    let page_ids = ids.get(page.as_str())?;
    (!page_ids.contains(fragment)).then(|| format!("the page has no element with id `{fragment}`"))
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

    #[test]
    fn attributes_need_a_space_before_and_quotes() {
        let found: Vec<(String, String)> =
            attributes("<a href=\"/a?x=1&amp;y=2\" data-href=\"no\" id='top'>x</a> href=bare")
                .into_iter()
                .map(|a| (a.name.to_string(), a.value))
                .collect();
        assert_eq!(
            found,
            [
                ("href".to_string(), "/a?x=1&y=2".to_string()),
                ("id".to_string(), "top".to_string())
            ]
        );
    }
}
