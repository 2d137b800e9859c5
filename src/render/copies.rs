//! Everything that reaches the output without a template, and the one call
//! that renders pages and passes those files on: bundle assets, static files
//! (the theme's included), `robots.txt`; the check that none of them
//! replaces a generated file; and the checks of what extends the theme
//! (`stylesheets:` and `scripts:` name files of `static/`, and a
//! `static/style.css` that replaces the theme's stylesheet is said to).

use std::fs;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io;
use std::path::Path;

use rayon::prelude::*;

use crate::content::discover::{PlainFile, SiteFiles};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::error::{Error, io_error};
use crate::render::{
    Content, Job, Output, RenderError, Sink, bundle_assets, is_data_file, render_into, sitemap,
    static_files,
};
use crate::site::Site;

/// Renders `jobs` (and the data files that changed since `data`'s last
/// update) and passes `copies` on, into `sink`; with `records`, what each
/// job read goes there.
pub(crate) fn render_all(
    (site, tera): (&Site, &tera::Tera),
    jobs: &[Job],
    data: &mut crate::render::data::DataFiles,
    (copies, sink): (Vec<Output>, &dyn Sink),
    records: Option<&crate::render::Records>,
) -> Result<(), Error> {
    let written = |e: io::Error| io_error("cannot write an output file")(e);
    match render_into((site, tera), jobs, data, sink, records) {
        Ok(()) => {}
        Err(RenderError::Templates(e)) => return Err(Error::Templates(e.0)),
        Err(RenderError::Io(e)) => return Err(written(e)),
    }
    copies
        .into_par_iter()
        .try_for_each(|o| sink.put(o))
        .map_err(written)
}

/// Files that are not rendered: bundle assets, static files (the theme's
/// included), the diagram script when a page has a diagram, and
/// `robots.txt` (unless `static/` has its own).
pub(crate) fn files_to_copy(site: &Site, files: &SiteFiles) -> Vec<Output> {
    let mut outputs = bundle_assets(site);
    outputs.extend(static_variants(site, &files.statics));
    outputs.extend(static_files(&files.statics));
    if has_diagrams(site) {
        outputs.extend(diagram_files(&files.statics));
    }
    if !files.statics.iter().any(|f| f.rel == "robots.txt") {
        outputs.push(Output {
            path: "robots.txt".to_string(),
            content: Content::Bytes(sitemap::robots(site)),
            source: None,
        });
    }
    outputs
}

/// The variants of the `static/` images that briefs and pages show, each
/// once, beside its image under the site root; a file of `static/` of the
/// same name is published instead.
fn static_variants(site: &Site, statics: &[PlainFile]) -> Vec<Output> {
    let shown = (site.briefs.iter().flat_map(|b| &b.assets))
        .chain(site.pages.iter().flat_map(|p| &p.assets));
    let mut variants = BTreeMap::new();
    for (rel, file) in shown {
        if let Ok(under) = rel.strip_prefix("/") {
            variants.entry(crate::text::url_path(under)).or_insert(file);
        }
    }
    if variants.is_empty() {
        return Vec::new();
    }
    let taken: HashSet<&str> = statics.iter().map(|f| f.rel.as_str()).collect();
    (variants.into_iter())
        .filter(|(path, _)| !taken.contains(path.as_str()))
        .map(|(path, file)| Output {
            path,
            content: Content::Copy(file.clone()),
            source: None,
        })
        .collect()
}

/// True when a page the build writes has a Mermaid diagram.
fn has_diagrams(site: &Site) -> bool {
    site.briefs.iter().any(|b| b.diagrams) || site.pages.iter().any(|p| p.diagrams)
}

/// The theme's diagram files (Mermaid's script, its licence, the script
/// that draws), but those the site's `static/` replaces. They are 5.8 MB,
/// so a site without a diagram is not given them.
fn diagram_files(site_static: &[PlainFile]) -> impl Iterator<Item = Output> + '_ {
    crate::render::theme_files(crate::render::theme::DIAGRAMS, site_static)
}

/// A static or bundle file must not replace a page (`pages`: the output
/// path of every job) or a data file, nor another copied file. Checked
/// before anything is rendered.
pub(crate) fn check_collisions(
    pages: &std::collections::HashSet<String>,
    copies: &[Output],
    diagnostics: &mut Diagnostics,
) {
    let generated = |path: &str| pages.contains(path) || is_data_file(path);
    let mut copied: HashMap<&str, &Output> = HashMap::with_capacity(copies.len());
    for output in copies {
        let from = |o: &Output| match &o.content {
            Content::Copy(path) => path.display().to_string(),
            _ => "the built-in theme".to_string(),
        };
        let clash = if generated(&output.path) {
            Some("a generated page".to_string())
        } else {
            copied.insert(&output.path, output).map(from)
        };
        if let Some(first) = clash {
            diagnostics.push(
                Diagnostic::file_error(
                    Path::new(&output.path),
                    format!("{first} and {} both write {}", from(output), output.path),
                )
                .with_hint("rename or remove one of them")
                .with_code("output"),
            );
        }
    }
}

/// The `stylesheets:` and `scripts:` of `site.yaml` name files of
/// `static/` (an error at the line of each that does not); and a
/// `static/style.css` much shorter than the theme's, which it replaces
/// whole, gets a warning that says so and points to `stylesheets:`.
pub(crate) fn check_theme_extensions(
    site: &Site,
    statics: &[PlainFile],
    diagnostics: &mut Diagnostics,
) {
    let config = &site.config;
    for linked in config.stylesheets.iter().chain(&config.scripts) {
        if !statics.iter().any(|f| f.rel == linked.path) {
            diagnostics.push(linked.missing.clone());
        }
    }
    replaced_stylesheet(statics, diagnostics);
}

/// The theme's stylesheet, which a `static/` file of this name replaces.
const STYLESHEET: &str = "style.css";

/// Warns when `static/style.css` has under half the lines of the theme's:
/// a few rules meant to adjust the theme, which instead remove it. A copy
/// of the whole theme (`briefs theme export`, then edited) is left alone.
fn replaced_stylesheet(statics: &[PlainFile], diagnostics: &mut Diagnostics) {
    let Some(own) = statics.iter().find(|f| f.rel == STYLESHEET) else {
        return;
    };
    let Some((_, theme)) = crate::render::theme::STATIC
        .iter()
        .find(|(name, _)| *name == STYLESHEET)
    else {
        return;
    };
    // Unreadable: copying it reports that.
    let Ok(text) = fs::read(&own.abs) else {
        return;
    };
    let lines = |bytes: &[u8]| {
        bytes
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .count()
    };
    let (own_lines, theme_lines) = (lines(&text), lines(theme));
    if own_lines * 2 >= theme_lines {
        return;
    }
    let path = Path::new("static").join(STYLESHEET);
    diagnostics.push(
        Diagnostic {
            severity: crate::diagnostic::Severity::Warning,
            ..Diagnostic::file_error(
                &path,
                format!(
                    "static/{STYLESHEET} ({own_lines} lines) replaces the theme's stylesheet \
                     ({theme_lines} lines) whole: the theme's styles are gone from every page"
                ),
            )
        }
        .with_hint(
            "to add rules to the theme's, rename it (`static/site.css`, say) and list it in \
             site.yaml: `stylesheets: [site.css]`; to start from the whole theme, run \
             `briefs theme export`",
        )
        .with_code("theme"),
    );
}
