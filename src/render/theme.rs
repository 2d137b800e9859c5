//! The default theme, embedded in the binary from the repository's own
//! `templates/` and `static/` folders.
//!
//! A site's file of the same name overrides each one, so a site with no
//! `templates/` or `static/` still builds, and `briefs init` can write the
//! theme out for editing. A test checks that every file in those folders is
//! listed here.

/// Built-in templates: (name, source).
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("brief.html", include_str!("../../templates/brief.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("watch.html", include_str!("../../templates/watch.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("review.html", include_str!("../../templates/review.html")),
    ("top.html", include_str!("../../templates/top.html")),
    ("band.html", include_str!("../../templates/band.html")),
    ("sources.html", include_str!("../../templates/sources.html")),
    ("atom.xml", include_str!("../../templates/atom.xml")),
    (
        "feed_entry.html",
        include_str!("../../templates/feed_entry.html"),
    ),
    (
        "taxonomy_list.html",
        include_str!("../../templates/taxonomy_list.html"),
    ),
    (
        "taxonomy_term.html",
        include_str!("../../templates/taxonomy_term.html"),
    ),
    (
        "partials/brief_card.html",
        include_str!("../../templates/partials/brief_card.html"),
    ),
    (
        "partials/score_badge.html",
        include_str!("../../templates/partials/score_badge.html"),
    ),
    (
        "partials/source.html",
        include_str!("../../templates/partials/source.html"),
    ),
    (
        "partials/rationale.html",
        include_str!("../../templates/partials/rationale.html"),
    ),
    (
        "partials/sources_list.html",
        include_str!("../../templates/partials/sources_list.html"),
    ),
    (
        "partials/pagination.html",
        include_str!("../../templates/partials/pagination.html"),
    ),
    (
        "partials/head_extra.html",
        include_str!("../../templates/partials/head_extra.html"),
    ),
    (
        "partials/footer_extra.html",
        include_str!("../../templates/partials/footer_extra.html"),
    ),
    (
        "partials/diagrams.html",
        include_str!("../../templates/partials/diagrams.html"),
    ),
];

/// Built-in static files: (path under the output root, bytes).
pub const STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
    ("search.js", include_bytes!("../../static/search.js")),
];

/// The files a page with a Mermaid diagram needs, written under `mermaid/`
/// only when a page has one (`assets/README.md` says where each comes from).
pub const DIAGRAMS: &[(&str, &[u8])] = &[
    (
        "mermaid/mermaid.min.js",
        include_bytes!("../../assets/mermaid/mermaid.min.js"),
    ),
    (
        "mermaid/LICENSE",
        include_bytes!("../../assets/mermaid/LICENSE"),
    ),
    (
        "mermaid/THIRD_PARTY_NOTICES",
        include_bytes!("../../assets/mermaid/THIRD_PARTY_NOTICES"),
    ),
    (
        "mermaid/diagrams.js",
        include_bytes!("../../assets/mermaid/diagrams.js"),
    ),
    (
        "mermaid/diagrams.css",
        include_bytes!("../../assets/mermaid/diagrams.css"),
    ),
];

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn files_under(dir: &str) -> Vec<String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut names: Vec<String> = walkdir::WalkDir::new(&root)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        names.sort();
        names
    }

    #[test]
    fn every_theme_file_is_embedded() {
        let mut templates: Vec<String> = super::TEMPLATES
            .iter()
            .map(|(n, _)| n.to_string())
            .collect();
        templates.sort();
        assert_eq!(templates, files_under("templates"));
        let mut statics: Vec<String> = super::STATIC.iter().map(|(n, _)| n.to_string()).collect();
        statics.sort();
        assert_eq!(statics, files_under("static"));
        let mut diagrams: Vec<String> =
            super::DIAGRAMS.iter().map(|(n, _)| n.to_string()).collect();
        diagrams.sort();
        let mut assets: Vec<String> = files_under("assets/mermaid")
            .into_iter()
            .map(|name| format!("mermaid/{name}"))
            .collect();
        assets.sort();
        assert_eq!(diagrams, assets);
    }

    /// The Mermaid script is the file npm publishes for the version pinned
    /// in `assets/README.md`, unchanged.
    #[test]
    fn the_mermaid_script_is_the_pinned_release() {
        let (_, script) = super::DIAGRAMS[0];
        let readme =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/README.md"))
                .unwrap();
        let hash = blake3::hash(script).to_hex().to_string();
        assert!(readme.contains(&format!("BLAKE3 `{hash}`")), "{hash}");
    }
}
