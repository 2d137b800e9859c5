//! Checks across files: what no single brief or page can show. No two briefs
//! or pages share a slug, and no page takes a path the site itself uses.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::content::types::brief::{Brief, Page};
use crate::diagnostic::{Diagnostic, Diagnostics, Position, Severity};

/// Top-level paths the site writes itself; a free page cannot take them.
pub const RESERVED_PAGE_SLUGS: &[&str] = &[
    "briefs", "tags", "entities", "page", "search", "watch", "feeds", "static", "review", "top",
    "bands", "sources",
];

/// Checks what no single file can: duplicate slugs and reserved page paths.
pub fn site(briefs: &[Arc<Brief>], pages: &[Arc<Page>], out: &mut Diagnostics) {
    let mut by_slug: BTreeMap<&str, Vec<(&Path, &Option<Position>)>> = BTreeMap::new();
    for b in briefs {
        by_slug
            .entry(&b.slug)
            .or_default()
            .push((&b.path, &b.slug_at));
    }
    duplicates("brief", &by_slug, out);
    let mut by_slug: BTreeMap<&str, Vec<(&Path, &Option<Position>)>> = BTreeMap::new();
    for p in pages {
        by_slug
            .entry(&p.slug)
            .or_default()
            .push((&p.path, &p.slug_at));
        if RESERVED_PAGE_SLUGS.contains(&p.slug.as_str()) {
            out.push(
                located(
                    &p.path,
                    &p.slug_at,
                    format!("page slug `{}` is used by the site itself", p.slug),
                )
                .with_hint(format!(
                    "pick another slug; reserved: {}",
                    RESERVED_PAGE_SLUGS.join(", ")
                )),
            );
        }
    }
    duplicates("page", &by_slug, out);
}

fn duplicates(
    what: &str,
    by_slug: &BTreeMap<&str, Vec<(&Path, &Option<Position>)>>,
    out: &mut Diagnostics,
) {
    for (slug, files) in by_slug {
        if files.len() < 2 {
            continue;
        }
        let first = files[0].0.display();
        for (path, at) in &files[1..] {
            out.push(
                located(
                    path,
                    at,
                    format!("{what} slug `{slug}` is already used by {first}"),
                )
                .with_hint("give one of them another `slug:`"),
            );
        }
    }
}

fn located(path: &Path, at: &Option<Position>, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        path: path.to_path_buf(),
        position: at.clone().map(Box::new),
        message,
        hint: None,
        code: "slug",
    }
}
