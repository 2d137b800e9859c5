//! Where a broken link of a rendered page was written: the Markdown link
//! it came from, found through the links each brief and page recorded while
//! parsing, so the link check points at `path:line:col`.

use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use crate::content::types::brief::Link;
use crate::diagnostic::Diagnostics;
use crate::output::links::{Links, Located, Pages};
use crate::site::Site;
use crate::site::content_links::Targets;

/// Finds the Markdown link a rendered `href` came from, for the link check.
pub struct Locator<'a> {
    site: &'a Site,
    root: &'a Path,
    index: OnceLock<(HashMap<&'a Path, &'a [Link]>, Targets)>,
}

impl<'a> Locator<'a> {
    /// For `site`, whose files are under `root`.
    pub fn new(site: &'a Site, root: &'a Path) -> Self {
        Self {
            site,
            root,
            index: OnceLock::new(),
        }
    }

    /// Where in the brief or page at `source` the link rendered as `href`
    /// (an attribute value, decoded) is written; `None` when the
    /// page's template wrote it.
    pub fn locate(&self, source: &Path, href: &str) -> Option<Located> {
        let (links, targets) = self.index.get_or_init(|| {
            let briefs = self
                .site
                .briefs
                .iter()
                .map(|b| (b.path.as_path(), &b.links[..]));
            let pages = self
                .site
                .pages
                .iter()
                .map(|p| (p.path.as_path(), &p.links[..]));
            (briefs.chain(pages).collect(), Targets::new(self.site))
        });
        let root = self.site.config.root();
        let link = links.get(source)?.iter().find(|l| {
            let mut escaped = String::with_capacity(l.dest.len());
            pulldown_cmark_escape::escape_href(&mut escaped, &l.dest)
                .expect("writing to a String never fails");
            let written = targets.href(root, &escaped).unwrap_or(escaped);
            crate::html::decode(&written) == href || l.dest == href
        })?;
        let text = fs::read_to_string(self.root.join(source)).ok()?;
        Some(Located {
            text,
            range: link.at.clone(),
        })
    }
}

/// Checks every internal link and anchor the rendered pages carry; a link
/// written in a brief or page is reported at its place in the Markdown.
pub(crate) fn check_links(links: &Links, site: &Site, root: &Path, diagnostics: &mut Diagnostics) {
    let locator = Locator::new(site, root);
    links.report(&|source, href| locator.locate(source, href), diagnostics);
}

/// [`check_links`] for the links of the pages `on` (`serve`, after a save
/// that re-rendered only some).
pub(crate) fn check_links_on(
    links: &Links,
    site: &Site,
    root: &Path,
    on: Pages<'_>,
    diagnostics: &mut Diagnostics,
) {
    let locator = Locator::new(site, root);
    links.report_on(
        &|source, href| locator.locate(source, href),
        on,
        diagnostics,
    );
}
