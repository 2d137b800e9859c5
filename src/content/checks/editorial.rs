//! Editorial rules: what an analyst desk checks before a reader does.
//!
//! Each rule is a warning (an error with `strict: true` or `--strict`):
//! - `sections`: the H2 sections listed in `brief.sections` are all there,
//!   once each, in that order; reported at the heading, or where the missing
//!   one belongs;
//! - `uncited-claim`: in the sections listed in `brief.cited_sections`, every
//!   paragraph and list item that says something cites a source; reported at
//!   its first line.

use crate::content::body::markdown::Structure;
use crate::content::checks::validate::Ctx;
use crate::diagnostic::{Diagnostic, Diagnostics};

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// Checks the section contract.
pub fn sections(ctx: &Ctx<'_>, structure: &Structure, out: &mut Diagnostics) {
    let (path, text) = (ctx.path, ctx.text);
    let required = &ctx.config.sections;
    if required.is_empty() {
        return;
    }
    let list = required.join(", ");
    let warn = |at: usize, message: String, hint: String| {
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        Diagnostic::warning_in(path, text, &ctx.lines, at..end, message)
            .with_hint(hint)
            .with_code("sections")
    };
    // (index in `required`, byte offset) of each first occurrence, in document order.
    let mut found: Vec<(usize, usize)> = Vec::new();
    for section in &structure.sections {
        let Some(r) = required.iter().position(|name| same(name, &section.title)) else {
            continue;
        };
        if found.iter().any(|(seen, _)| *seen == r) {
            out.push(warn(
                section.at,
                format!("section `{}` appears twice", required[r]),
                "merge the two sections into one".into(),
            ));
            continue;
        }
        if let Some(&(later, _)) = found
            .iter()
            .filter(|(seen, _)| *seen > r)
            .max_by_key(|(seen, _)| *seen)
        {
            out.push(warn(
                section.at,
                format!(
                    "section `{}` comes after `{}`",
                    required[r], required[later]
                ),
                format!("the sections go in this order: {list}"),
            ));
        }
        found.push((r, section.at));
    }
    // A body with none of the sections is reported at its first line.
    let end = if found.is_empty() {
        body_start(ctx)
    } else {
        text.len()
    };
    for (at, names) in missing(required, &found, end) {
        let (message, hint) = match names.as_slice() {
            [name] => (
                format!("missing section `{name}`"),
                format!("add `## {name}` here; the sections are: {list}"),
            ),
            _ if found.is_empty() => (
                "this brief has none of the sections of `brief.sections`".to_string(),
                format!("add them in this order: {}", headings(&names)),
            ),
            _ => (
                format!("missing sections {}", quoted(&names)),
                format!(
                    "add {} here, in this order; the sections are: {list}",
                    headings(&names)
                ),
            ),
        };
        out.push(warn(at, message, hint));
    }
}

/// The first non-blank line after the front matter's closing fence.
fn body_start(ctx: &Ctx<'_>) -> usize {
    let text = ctx.text;
    let fence = (ctx.yaml_offset + ctx.yaml.len()).min(text.len());
    let body = text[fence..]
        .find('\n')
        .map_or(text.len(), |i| fence + i + 1);
    let blank = text[body..].len() - text[body..].trim_start().len();
    let first = body + blank;
    // Back to the start of that line, whatever its indentation.
    text[..first].rfind('\n').map_or(0, |i| i + 1).max(body)
}

/// The missing sections grouped by where they belong (before the first
/// present section that follows them, else at `end`), each group in the
/// contract's order, so one place gets one diagnostic.
fn missing<'r>(
    required: &'r [String],
    found: &[(usize, usize)],
    end: usize,
) -> Vec<(usize, Vec<&'r str>)> {
    let mut groups: Vec<(usize, Vec<&str>)> = Vec::new();
    for (r, name) in required.iter().enumerate() {
        if found.iter().any(|(seen, _)| *seen == r) {
            continue;
        }
        let at = found
            .iter()
            .filter(|(seen, _)| *seen > r)
            .map(|(_, at)| *at)
            .min()
            .unwrap_or(end);
        match groups.iter_mut().find(|(g, _)| *g == at) {
            Some((_, names)) => names.push(name),
            None => groups.push((at, vec![name])),
        }
    }
    groups
}

fn quoted(names: &[&str]) -> String {
    let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    names.join(", ")
}

fn headings(names: &[&str]) -> String {
    let names: Vec<String> = names.iter().map(|n| format!("`## {n}`")).collect();
    names.join(", ")
}

/// Checks that every claim in a cited section cites a source.
pub fn claims(ctx: &Ctx<'_>, structure: &Structure, out: &mut Diagnostics) {
    let (path, text, config) = (ctx.path, ctx.text, ctx.config);
    if config.cited_sections.is_empty() {
        return;
    }
    for claim in &structure.claims {
        let Some(section) = claim.section.map(|i| &structure.sections[i]) else {
            continue;
        };
        if claim.cited
            || !config
                .cited_sections
                .iter()
                .any(|name| same(name, &section.title))
        {
            continue;
        }
        let end = text[claim.at..]
            .find('\n')
            .map_or(text.len(), |i| claim.at + i);
        out.push(
            Diagnostic::warning_in(path, text, &ctx.lines, claim.at..end, format!("uncited claim in `{}`", section.title.trim()))
                .with_hint("cite a source for it, e.g. `[@id]`; `brief.cited_sections` in site.yaml lists the sections that need citations")
                .with_code("uncited-claim"),
        );
    }
}
