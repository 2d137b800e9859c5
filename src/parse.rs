//! Parse: one content file in, one typed [`Brief`] or [`Page`] out, with the
//! problems found in it.
//!
//! Steps for a brief: read the file (UTF-8 or a located error), split off the
//! front matter, read it into [`BriefMatter`], check every value
//! ([`crate::validate::brief_matter`]), render the body and the score
//! rationale with one citation numbering, then report unknown citations and
//! never-cited sources. Files are independent, so callers run this in
//! parallel.

use std::fs;
use std::path::PathBuf;

use crate::citation::Citations;
use crate::config::Config;
use crate::date::BriefDate;
use crate::diagnostic::{Diagnostic, Diagnostics, Position, locate};
use crate::discover::ContentFile;
use crate::front_matter::{self, Spanned};
use crate::markdown::{self, IdSet};
use crate::schema::{BriefMatter, PageMatter, SourceKind, Status};
use crate::validate::{self, Checked};
use crate::view::TocEntry;

/// A source as the brief page lists it.
#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    /// Citation number, in order of first use; `None` if never cited.
    pub number: Option<usize>,
    pub publisher: String,
    pub title: String,
    pub url: Option<String>,
    pub date: Option<BriefDate>,
    pub accessed: Option<BriefDate>,
    pub kind: SourceKind,
    /// Anchor ids of the places citing it, in order.
    pub places: Vec<String>,
}

/// One factor of a score.
#[derive(Debug, Clone)]
pub struct Factor {
    pub name: String,
    pub value: f64,
    pub note: Option<String>,
}

/// A watch item.
#[derive(Debug, Clone)]
pub struct Watch {
    pub item: String,
    pub by: Option<BriefDate>,
}

/// A parsed, checked brief.
#[derive(Debug, Clone)]
pub struct Brief {
    /// Site-relative path of its file.
    pub path: PathBuf,
    pub slug: String,
    /// Where the slug comes from (the `slug:` value, or the file name).
    pub slug_at: Option<Position>,
    pub title: String,
    pub summary: String,
    pub date: BriefDate,
    pub updated: Option<BriefDate>,
    /// `None`: the site's default authors.
    pub authors: Option<Vec<String>>,
    pub status: Status,
    pub tags: Vec<String>,
    pub entities: Vec<String>,
    pub score: f64,
    pub factors: Vec<Factor>,
    pub rationale_html: String,
    pub content_html: String,
    pub toc: Vec<TocEntry>,
    /// In list order; cited ones carry their number.
    pub sources: Vec<Source>,
    pub watch: Vec<Watch>,
    pub extra: serde_json::Value,
    /// Bundle files to copy beside the page.
    pub assets: Vec<(PathBuf, PathBuf)>,
}

/// A parsed free page.
#[derive(Debug, Clone)]
pub struct Page {
    pub path: PathBuf,
    pub slug: String,
    pub slug_at: Option<Position>,
    pub title: String,
    pub summary: Option<String>,
    pub content_html: String,
    pub toc: Vec<TocEntry>,
    pub extra: serde_json::Value,
}

/// Reads a file as UTF-8, or says why not.
fn read(file: &ContentFile) -> Result<String, Diagnostic> {
    let bytes = fs::read(&file.abs)
        .map_err(|e| Diagnostic::file_error(&file.path, format!("cannot read file: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
        Diagnostic::error(&file.path, &text, at..at + 1, "file is not valid UTF-8")
            .with_hint("save the file as UTF-8")
    })
}

/// Parses one brief. `None` when it has errors that leave nothing to build.
pub fn brief(file: &ContentFile, config: &Config, out: &mut Diagnostics) -> Option<Brief> {
    let text = match read(file) {
        Ok(text) => text,
        Err(d) => {
            out.push(d);
            return None;
        }
    };
    let path = file.path.as_path();
    let split = match front_matter::split(&text) {
        Ok(split) => split,
        Err(e) => {
            out.push(front_matter::split_error(path, &text, e));
            return None;
        }
    };
    let matter: BriefMatter =
        match front_matter::parse_yaml(path, &text, split.yaml, split.yaml_offset) {
            Ok(m) => m,
            Err(d) => {
                out.push(d);
                return None;
            }
        };
    let ctx = validate::Ctx {
        path,
        text: &text,
        yaml: split.yaml,
        yaml_offset: split.yaml_offset,
        config,
    };
    let checked = validate::brief_matter(&ctx, &matter, out);
    let slug_at = slug_position(&ctx, matter.slug.as_ref());
    let slug = match &matter.slug {
        Some(s) => s.value.trim().to_string(),
        None => file.name.clone(),
    };
    validate::slug(&ctx, &slug, matter.slug.as_ref(), out);

    let mut citations = Citations::new(matter.sources.value.iter().map(|s| s.id.value.as_str()));
    let mut ids = IdSet::default();
    let body = markdown::render(
        split.body,
        split.body_offset,
        Some(&mut citations),
        config.raw_html,
        &mut ids,
    );
    let rationale = &matter.score.rationale;
    let rationale_offset =
        front_matter::file_range(split.yaml, split.yaml_offset, &rationale.referenced).start;
    let rationale_html = render_rationale(
        &text,
        rationale,
        rationale_offset,
        &mut citations,
        config,
        &mut ids,
    );
    for problem in &citations.problems {
        out.push(
            Diagnostic::error(path, &text, problem.range.clone(), problem.message.clone())
                .with_hint(problem.hint.clone()),
        );
    }
    let sources = sources(&ctx, &matter, &checked, &citations, out);
    let Checked {
        date,
        updated,
        watch,
        ok,
    } = checked;
    if !ok || !citations.problems.is_empty() {
        return None;
    }
    Some(Brief {
        path: file.path.clone(),
        slug,
        slug_at,
        title: matter.title.value.trim().to_string(),
        summary: matter.summary.value.trim().to_string(),
        date: date?,
        updated,
        authors: matter.authors,
        status: matter.status,
        tags: matter
            .tags
            .into_iter()
            .map(|t| t.value.trim().to_string())
            .collect(),
        entities: matter
            .entities
            .into_iter()
            .map(|t| t.value.trim().to_string())
            .collect(),
        score: matter.score.value.value,
        factors: matter
            .score
            .factors
            .into_iter()
            .map(|f| Factor {
                name: f.name,
                value: f.value.value,
                note: f.note,
            })
            .collect(),
        rationale_html,
        content_html: body.html,
        toc: body.toc,
        sources,
        watch,
        extra: serde_json::Value::Object(matter.extra),
        assets: file.assets.clone(),
    })
}

/// Renders the rationale, then moves its citation problems from offsets in
/// the YAML value to offsets in the file.
fn render_rationale(
    text: &str,
    rationale: &Spanned<String>,
    offset: usize,
    citations: &mut Citations,
    config: &Config,
    ids: &mut IdSet,
) -> String {
    let before = citations.problems.len();
    let html = markdown::render(&rationale.value, 0, Some(citations), config.raw_html, ids).html;
    for problem in &mut citations.problems[before..] {
        let start = value_to_file(&rationale.value, text, offset, problem.range.start);
        let end = value_to_file(&rationale.value, text, offset, problem.range.end);
        problem.range = match (start, end) {
            (Some(start), Some(end)) => start..end.max(start),
            _ => offset..offset,
        };
    }
    html
}

/// Maps byte `target` of a YAML scalar's value to a byte of the file, where
/// the value starts at `start`. Block and plain scalars keep every
/// non-whitespace character in order and only change whitespace (indents
/// dropped, folded line breaks), so walking both texts and matching
/// non-whitespace characters finds the place. `None` when the texts part
/// (escapes in a quoted scalar).
pub fn value_to_file(value: &str, text: &str, start: usize, target: usize) -> Option<usize> {
    let mut file = text.get(start..)?.char_indices().peekable();
    let skip_space = |file: &mut std::iter::Peekable<std::str::CharIndices<'_>>| {
        while file.next_if(|(_, c)| c.is_whitespace()).is_some() {}
    };
    for (i, c) in value.char_indices() {
        if i >= target {
            break;
        }
        if c.is_whitespace() {
            continue;
        }
        skip_space(&mut file);
        // Skip the block scalar indicator (`|`, `>`, `|-`) and quotes before the text.
        let header = |&(_, f): &(usize, char)| {
            i == 0 && f != c && matches!(f, '|' | '>' | '-' | '+' | '"' | '\'' | '0'..='9')
        };
        while file.next_if(header).is_some() {
            skip_space(&mut file);
        }
        match file.next() {
            Some((_, f)) if f == c => {}
            _ => return None,
        }
    }
    if value[target.min(value.len())..].starts_with(|c: char| !c.is_whitespace()) {
        skip_space(&mut file);
    }
    Some(start + file.peek().map_or(text.len() - start, |&(j, _)| j))
}

fn slug_position(ctx: &validate::Ctx<'_>, slug: Option<&Spanned<String>>) -> Option<Position> {
    slug.map(|s| locate(ctx.text, ctx.range(&s.referenced)))
}

fn sources(
    ctx: &validate::Ctx<'_>,
    matter: &BriefMatter,
    checked: &Checked,
    citations: &Citations,
    out: &mut Diagnostics,
) -> Vec<Source> {
    let mut sources = Vec::with_capacity(matter.sources.value.len());
    for (i, s) in matter.sources.value.iter().enumerate() {
        let number = citations.number(i);
        if number.is_none() && checked.ok {
            out.push(
                Diagnostic::warning(
                    ctx.path,
                    ctx.text,
                    ctx.range(&s.id.referenced),
                    format!("source `{}` is never cited", s.id.value),
                )
                .with_hint(format!(
                    "cite it as `[@{}]`, or it is listed under \"Further reading\"",
                    s.id.value
                )),
            );
        }
        let date =
            |d: &Option<Spanned<String>>| d.as_ref().and_then(|d| BriefDate::parse(&d.value).ok());
        sources.push(Source {
            id: s.id.value.clone(),
            number,
            publisher: s.publisher.trim().to_string(),
            title: s.title.trim().to_string(),
            url: s.url.as_ref().map(|u| u.value.trim().to_string()),
            date: date(&s.date),
            accessed: date(&s.accessed),
            kind: s.kind,
            places: citations.places(i).to_vec(),
        });
    }
    sources
}

/// Parses one free page.
pub fn page(file: &ContentFile, config: &Config, out: &mut Diagnostics) -> Option<Page> {
    let text = match read(file) {
        Ok(text) => text,
        Err(d) => {
            out.push(d);
            return None;
        }
    };
    let path = file.path.as_path();
    let split = match front_matter::split(&text) {
        Ok(split) => split,
        Err(e) => {
            out.push(front_matter::split_error(path, &text, e));
            return None;
        }
    };
    let matter: PageMatter =
        match front_matter::parse_yaml(path, &text, split.yaml, split.yaml_offset) {
            Ok(m) => m,
            Err(d) => {
                out.push(d);
                return None;
            }
        };
    let ctx = validate::Ctx {
        path,
        text: &text,
        yaml: split.yaml,
        yaml_offset: split.yaml_offset,
        config,
    };
    let before = out.error_count();
    validate::non_empty(&ctx, "title", &matter.title, out);
    let slug = match &matter.slug {
        Some(s) => s.value.trim().to_string(),
        None => file.name.clone(),
    };
    validate::slug(&ctx, &slug, matter.slug.as_ref(), out);
    if out.error_count() > before {
        return None;
    }
    let rendered = markdown::render(
        split.body,
        split.body_offset,
        None,
        config.raw_html,
        &mut IdSet::default(),
    );
    Some(Page {
        path: path.to_path_buf(),
        slug,
        slug_at: slug_position(&ctx, matter.slug.as_ref()),
        title: matter.title.value.trim().to_string(),
        summary: matter.summary.map(|s| s.trim().to_string()),
        content_html: rendered.html,
        toc: rendered.toc,
        extra: serde_json::Value::Object(matter.extra),
    })
}
