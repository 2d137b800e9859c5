//! Content links, the site stage's part: every content path's URL in this
//! build ([`Targets`]), the check that each `@/…` link names a file the
//! build writes ([`check`]), and the rewrite of `@/…` into URLs at render
//! time ([`Resolver`]). See `content/content_links.rs` for the syntax.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use crate::content::body::content_links::{content_key, split};
use crate::content::discover::SiteFiles;
use crate::content::types::brief::Link;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::site::Site;

/// Every content path a link may name, with the path under the site root
/// that the build writes for it.
pub struct Targets {
    pub(crate) paths: HashMap<String, String>,
}

impl Targets {
    /// The briefs, bundle files and pages of `site`; static files map by rule.
    pub fn new(site: &Site) -> Self {
        let mut paths = HashMap::with_capacity(site.briefs.len() + site.pages.len());
        for brief in &site.briefs {
            let page = Site::brief_path(&brief.slug);
            let key = content_key(&brief.path);
            if let Some(bundle) = key.strip_suffix("index.md") {
                for (rel, _) in brief.assets.iter().filter(|(rel, _)| !rel.has_root()) {
                    let rel = crate::text::url_path(rel);
                    paths.insert(format!("{bundle}{rel}"), format!("{page}{rel}"));
                }
            }
            paths.insert(key, page);
        }
        for page in &site.pages {
            paths.insert(content_key(&page.path), format!("{}/", page.slug));
        }
        Self { paths }
    }

    /// The path under the site root that the content path `key` builds.
    /// A static file's is its path under `static/`, whether or not it exists.
    fn path<'k>(&'k self, key: &'k str) -> Option<&'k str> {
        match key.strip_prefix("static/") {
            Some(rel) => Some(rel),
            None => self.paths.get(key).map(String::as_str),
        }
    }

    /// The href that replaces `value`, an `href` or `src` attribute value as
    /// pulldown-cmark wrote it (URL-escaped, `&` as `&amp;`), if it is a
    /// content link to a known target.
    pub(crate) fn href(&self, root: &str, value: &str) -> Option<String> {
        let value = value.replace("&amp;", "&");
        let (key, fragment) = split(&value)?;
        let path = self.path(&key)?;
        let url = match fragment {
            Some(fragment) => format!("{root}{path}#{fragment}"),
            None => format!("{root}{path}"),
        };
        let mut escaped = String::with_capacity(url.len());
        pulldown_cmark_escape::escape_href(&mut escaped, &url)
            .expect("writing to a String never fails");
        Some(escaped)
    }

    /// A `srcset` value with each candidate's content link replaced by its
    /// URL (`@/static/a.480w.webp 480w, …`, as `content::body::images` writes it).
    fn srcset(&self, root: &str, value: &str) -> String {
        let candidates = value.split(", ").map(|candidate| {
            let (url, width) = candidate.split_once(' ').unwrap_or((candidate, ""));
            match self.href(root, url) {
                Some(href) if width.is_empty() => href,
                Some(href) => format!("{href} {width}"),
                None => candidate.to_string(),
            }
        });
        candidates.collect::<Vec<_>>().join(", ")
    }
}

/// Replaces the content links of rendered Markdown by URLs; the targets are
/// gathered the first time a page has one.
pub struct Resolver<'a> {
    site: &'a Site,
    targets: OnceLock<Targets>,
}

/// What a content link looks like in an attribute.
const IN_ATTRIBUTE: &str = "=\"@/";

impl<'a> Resolver<'a> {
    pub fn new(site: &'a Site) -> Self {
        Self {
            site,
            targets: OnceLock::new(),
        }
    }

    /// `html` with every `href="@/…"` and `src="@/…"` of a known target
    /// replaced by the target's URL (unchanged, and not copied, without any).
    pub fn resolve(&self, html: String) -> String {
        if !html.contains(IN_ATTRIBUTE) {
            return html;
        }
        let targets = self.targets.get_or_init(|| Targets::new(self.site));
        let root = self.site.config.root();
        let mut out = String::with_capacity(html.len());
        let mut rest = html.as_str();
        while let Some(i) = rest.find(IN_ATTRIBUTE) {
            let value_at = i + 2;
            out.push_str(&rest[..value_at]);
            let after = &rest[value_at..];
            let end = after.find('"').unwrap_or(after.len());
            let value = &after[..end];
            let is_url = rest[..i].ends_with("href") || rest[..i].ends_with("src");
            if rest[..i].ends_with("srcset") {
                out.push_str(&targets.srcset(root, value));
            } else {
                match targets.href(root, value).filter(|_| is_url) {
                    Some(href) => out.push_str(&href),
                    None => out.push_str(value),
                }
            }
            rest = &after[end..];
        }
        out.push_str(rest);
        out
    }
}

/// Reports every content link of a brief or page whose target this build
/// does not write: located, with the closest existing content path.
pub fn check(site: &Site, files: &SiteFiles, root: &Path, out: &mut Diagnostics) {
    let sources = site
        .briefs
        .iter()
        .map(|b| (b.path.as_path(), &b.links))
        .chain(site.pages.iter().map(|p| (p.path.as_path(), &p.links)));
    let mut unknown: Vec<(&Path, &Link, String)> = Vec::new();
    let mut targets = None;
    let mut statics = None;
    for (path, links) in sources {
        for link in links {
            let Some((key, _)) = split(&link.dest) else {
                continue;
            };
            let targets = targets.get_or_insert_with(|| Targets::new(site));
            let statics: &HashSet<String> = statics.get_or_insert_with(|| {
                let rels = files.statics.iter().map(|f| format!("static/{}", f.rel));
                rels.collect()
            });
            let known = match key.strip_prefix("static/") {
                Some(_) => statics.contains(&key),
                None => targets.paths.contains_key(&key),
            };
            if !known {
                unknown.push((path, link, key));
            }
        }
    }
    if let (false, Some(targets), Some(statics)) = (unknown.is_empty(), targets, statics) {
        let known = Known::new(&targets, &statics, files);
        report(&unknown, &known, root, out);
    }
}

/// What a content link may name, for the hint of one that names nothing.
struct Known<'a> {
    /// Every existing target, sorted.
    paths: Vec<&'a str>,
    /// Briefs that exist but that this build leaves out (drafts, reviews).
    unpublished: HashSet<String>,
}

impl<'a> Known<'a> {
    fn new(targets: &'a Targets, statics: &'a HashSet<String>, files: &SiteFiles) -> Self {
        let mut paths: Vec<&str> = targets.paths.keys().map(String::as_str).collect();
        paths.extend(statics.iter().map(String::as_str));
        paths.sort_unstable();
        let unpublished = files
            .briefs
            .iter()
            .map(|f| content_key(&f.path))
            .filter(|key| !targets.paths.contains_key(key))
            .collect();
        Self { paths, unpublished }
    }

    fn problem(&self, key: &str) -> (String, String) {
        if self.unpublished.contains(key) {
            return (
                format!("content link to `@/{key}`, a brief this build does not publish"),
                "publish it (`status: published`), or build with --drafts".to_string(),
            );
        }
        let hint = match closest(key, &self.paths) {
            Some(near) => format!("did you mean `@/{near}`?"),
            None => "a content link names a file under content/ (`@/briefs/<file>.md`, \
                     `@/pages/<file>.md`, a bundle's file) or under static/ (`@/static/<path>`)"
                .to_string(),
        };
        (format!("content link to `@/{key}`: no such file"), hint)
    }
}

/// The existing path closest to `key`, compared without their first folder
/// (`briefs/`, `pages/`, `static/`), which every candidate shares with many
/// others: `pages/nothing.md` is not close to `pages/about.md`, while
/// `brief/x.md` is close to `briefs/x.md`. Ties go to the same folder.
fn closest<'a>(key: &str, paths: &[&'a str]) -> Option<&'a str> {
    let split = |p: &'a str| p.split_once('/').unwrap_or(("", p));
    let (folder, name) = key.split_once('/').unwrap_or(("", key));
    paths
        .iter()
        .map(|&p| {
            let (f, n) = split(p);
            (strsim::jaro_winkler(name, n), f == folder, p)
        })
        .filter(|(score, _, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(b.2.cmp(a.2)))
        .map(|(_, _, p)| p)
}

/// One located error per unknown content link, in file order.
fn report(
    unknown: &[(&Path, &Link, String)],
    known: &Known<'_>,
    root: &Path,
    out: &mut Diagnostics,
) {
    let mut by_file: BTreeMap<&Path, Vec<(&Link, &str)>> = BTreeMap::new();
    for (path, link, key) in unknown {
        by_file.entry(path).or_default().push((link, key));
    }
    let mut found = Diagnostics::default();
    for (path, links) in by_file {
        let text = fs::read_to_string(root.join(path)).ok();
        for (link, key) in links {
            let (message, hint) = known.problem(key);
            let diagnostic = match &text {
                Some(text) => Diagnostic::error(path, text, link.at.clone(), message),
                None => Diagnostic::file_error(path, message),
            };
            found.push(diagnostic.with_hint(hint).with_code("link"));
        }
    }
    found.sort();
    out.extend(found);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closest_path_is_found_by_its_name() {
        let paths = [
            "briefs/custom-slug.md",
            "briefs/bundle/index.md",
            "pages/about.md",
            "static/files/method.pdf",
        ];
        let near = |key| closest(key, &paths);
        assert_eq!(near("briefs/custom-slg.md"), Some("briefs/custom-slug.md"));
        assert_eq!(near("brief/custom-slug.md"), Some("briefs/custom-slug.md"));
        assert_eq!(
            near("briefs/bundle/index.md#x"),
            Some("briefs/bundle/index.md")
        );
        assert_eq!(
            near("static/files/methd.pdf"),
            Some("static/files/method.pdf")
        );
        assert_eq!(near("pages/nothing-like-it.md"), None);
    }
}
