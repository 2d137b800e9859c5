//! Redirects: for each alias of a brief or page (`aliases:` in its front
//! matter), a page at the old address that sends the reader on, as Hugo and
//! Zola write them: a meta refresh, a canonical link (so search engines
//! move the old address's standing to the new one), `noindex`, and a plain
//! link for a reader whose browser does not follow the refresh. And, for
//! hosts that read it (Netlify, Cloudflare Pages), a `_redirects` line per
//! alias after the lines of the site's own `static/_redirects`, if any.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::Path;

use crate::content::types::brief::Alias;
use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::render::{Content, Output, is_data_file};
use crate::site::Site;
use crate::text::escape_html;

/// The file of redirect rules Netlify and Cloudflare Pages read.
const RULES: &str = "_redirects";

/// One alias and what it redirects to.
struct Redirect<'a> {
    alias: &'a Alias,
    /// The file that lists it.
    file: &'a Path,
    title: &'a str,
    /// The target's path under the site's root: `briefs/new-name/`.
    target: String,
}

/// Adds to `copies` a redirect page for every alias of the site's briefs
/// and pages, and `_redirects` lines for them. An alias at the address of
/// a page (`pages`: every page's output path), a data file, a static file
/// or another alias is an error at its place, and gets no page.
pub(crate) fn add(
    site: &Site,
    pages: &HashSet<String>,
    copies: &mut Vec<Output>,
    diagnostics: &mut Diagnostics,
) {
    let mut redirects: Vec<Redirect> = Vec::new();
    for brief in &site.briefs {
        redirects.extend(brief.aliases.iter().map(|alias| Redirect {
            alias,
            file: &brief.path,
            title: &brief.title,
            target: Site::brief_path(&brief.slug),
        }));
    }
    for page in &site.pages {
        redirects.extend(page.aliases.iter().map(|alias| Redirect {
            alias,
            file: &page.path,
            title: &page.title,
            target: format!("{}/", page.slug),
        }));
    }
    if redirects.is_empty() {
        return;
    }
    let copied: HashSet<String> = copies.iter().map(|o| o.path.clone()).collect();
    let mut taken: HashMap<String, &Path> = HashMap::new();
    let mut rules = String::new();
    for redirect in &redirects {
        let path = redirect.alias.output_path();
        let clash = if pages.contains(&path) || is_data_file(&path) {
            Some("is the address of a page of this site".to_string())
        } else if copied.contains(&path) {
            Some(format!("is where the static file `{path}` is published"))
        } else {
            taken
                .insert(path.clone(), redirect.file)
                .map(|other| format!("is also an alias in {}", other.display()))
        };
        if let Some(clash) = clash {
            diagnostics.push(clashing(redirect, &clash));
            continue;
        }
        let root = site.config.root();
        rules.push_str(&format!(
            "{} {} 301\n",
            redirect.alias.url(root),
            site.url(&redirect.target)
        ));
        copies.push(Output {
            path,
            content: Content::Bytes(page(site, redirect).into_bytes()),
            source: Some(redirect.file.to_path_buf()),
        });
    }
    if !rules.is_empty() {
        add_rules(copies, &rules, diagnostics);
    }
}

/// The error for an alias that would replace something the site publishes.
fn clashing(redirect: &Redirect, clash: &str) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        path: redirect.file.to_path_buf(),
        position: redirect.alias.at.clone().map(Box::new),
        message: format!("alias `/{}` {clash}", redirect.alias.path),
        hint: Some(
            "an alias names an old address that has nothing else on it; remove it or fix it"
                .to_string(),
        ),
        code: "alias",
    }
}

/// The redirect page at an alias.
fn page(site: &Site, redirect: &Redirect) -> String {
    let absolute = escape_html(&site.absolute_url(&redirect.target));
    let relative = escape_html(&site.url(&redirect.target));
    let title = escape_html(redirect.title);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n<meta name=\"robots\" content=\"noindex\">\n\
         <link rel=\"canonical\" href=\"{absolute}\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={absolute}\">\n</head>\n<body>\n\
         <p>This page has moved to <a href=\"{relative}\">{title}</a>.</p>\n</body>\n</html>\n",
        lang = escape_html(&site.config.language),
    )
}

/// Writes `rules` into `_redirects`: after the site's own file's lines when
/// `static/` has one (its rules come first, so they win where both match),
/// else alone.
fn add_rules(copies: &mut Vec<Output>, rules: &str, diagnostics: &mut Diagnostics) {
    let mut text = String::new();
    if let Some(at) = copies.iter().position(|o| o.path == RULES) {
        let own = copies.remove(at);
        let read = match &own.content {
            Content::Copy(from) => fs::read_to_string(from).map_err(|e| (from.clone(), e)),
            Content::Bytes(bytes) => Ok(String::from_utf8_lossy(bytes).into_owned()),
            Content::Embedded(bytes) => Ok(String::from_utf8_lossy(bytes).into_owned()),
        };
        match read {
            Ok(own) => {
                text.push_str(&own);
                if !own.is_empty() && !own.ends_with('\n') {
                    text.push('\n');
                }
            }
            Err((from, e)) => {
                diagnostics.push(Diagnostic::file_error(
                    &from,
                    format!("cannot read it to add the aliases' redirects: {e}"),
                ));
                return;
            }
        }
    }
    text.push_str("# The aliases of briefs and pages (written by briefs build)\n");
    text.push_str(rules);
    copies.push(Output {
        path: RULES.to_string(),
        content: Content::Bytes(text.into_bytes()),
        source: None,
    });
}
