//! Validate: every rule of the brief schema that a type cannot express.
//!
//! Per file ([`brief_matter`]): required text is not empty; dates are dates;
//! the score and each factor lie in `[0, scoring.scale]`; source ids are
//! citation keys, unique, with distinct slugs; source URLs are http(s); at
//! least one source;
//! tags and entities have a usable slug; the slug matches `[a-z0-9-]+`.
//! Every problem is collected, none stops the others from being found.
//! Checks across files live in the site stage (`site/checks.rs`).

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use crate::content::matter::front_matter::Location;

use crate::content::cite::registry::url_problem;
use crate::content::config::Config;
use crate::content::matter::front_matter::{self, Spanned};
use crate::content::matter::schema::{BriefMatter, SourceMatter};
use crate::content::slugs::term_slug;
use crate::content::types::brief::Watch;
use crate::content::types::date::BriefDate;
use crate::diagnostic::{Diagnostic, Diagnostics, Lines};

/// Where the values being checked live.
pub struct Ctx<'a> {
    pub path: &'a Path,
    /// The whole file.
    pub text: &'a str,
    pub yaml: &'a str,
    pub yaml_offset: usize,
    pub config: &'a Config,
    /// Line starts of `text`.
    pub lines: Lines,
}

impl<'a> Ctx<'a> {
    /// The context of a Markdown file split into front matter and body.
    pub fn new(
        path: &'a Path,
        text: &'a str,
        split: &front_matter::Split<'a>,
        config: &'a Config,
    ) -> Self {
        Ctx {
            path,
            text,
            yaml: split.yaml,
            yaml_offset: split.yaml_offset,
            config,
            lines: Lines::new(text),
        }
    }

    /// The context of a file that is YAML throughout (`sources.yaml`).
    pub fn whole(path: &'a Path, text: &'a str, config: &'a Config) -> Self {
        Ctx {
            path,
            text,
            yaml: text,
            yaml_offset: 0,
            config,
            lines: Lines::new(text),
        }
    }

    /// The byte range in the file of a YAML location.
    pub fn range(&self, at: &Location) -> Range<usize> {
        if *at == Location::UNKNOWN {
            return 0..0;
        }
        front_matter::file_range(self.yaml, self.yaml_offset, at)
    }

    fn error(&self, at: &Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error_in(self.path, self.text, &self.lines, self.range(at), message)
            .with_code("schema")
    }
}

/// Values parsed while checking, so they are not parsed twice.
pub struct Checked {
    pub date: Option<BriefDate>,
    pub updated: Option<BriefDate>,
    pub watch: Vec<Watch>,
    /// False when any error was found.
    pub ok: bool,
}

/// Checks a brief's front matter values.
pub fn brief_matter(ctx: &Ctx<'_>, m: &BriefMatter, out: &mut Diagnostics) -> Checked {
    let before = out.error_count();
    non_empty(ctx, "title", &m.title, out);
    non_empty(ctx, "summary", &m.summary, out);
    non_empty(ctx, "score.rationale", &m.score.rationale, out);
    let date = date_of(ctx, "date", &m.date, out);
    let updated = m
        .updated
        .as_ref()
        .and_then(|u| date_of(ctx, "updated", u, out));
    if let (Some(d), Some(u), Some(raw)) = (date, updated, &m.updated)
        && u < d
    {
        out.push(
            ctx.error(&raw.referenced, "`updated` is before `date`")
                .with_hint("a brief is updated after it is published"),
        );
    }
    in_scale(ctx, "score", &m.score.value, out);
    for factor in &m.score.factors {
        in_scale(
            ctx,
            &format!("factor `{}`", factor.name),
            &factor.value,
            out,
        );
    }
    terms(ctx, "tag", &m.tags, out);
    terms(ctx, "entity", &m.entities, out);
    source_list(ctx, m.source_list(), out);
    corrections(ctx, m, date, out);
    let watch = m
        .watch
        .iter()
        .map(|w| Watch {
            item: w.item.trim().to_string(),
            by: w.by.as_ref().and_then(|b| date_of(ctx, "by", b, out)),
        })
        .collect();
    Checked {
        date,
        updated,
        watch,
        ok: out.error_count() == before,
    }
}

/// Checks corrections: real dates, not before publication, and some text.
fn corrections(
    ctx: &Ctx<'_>,
    m: &BriefMatter,
    published: Option<BriefDate>,
    out: &mut Diagnostics,
) {
    for c in &m.corrections {
        non_empty(ctx, "corrections.text", &c.text, out);
        let Some(date) = date_of(ctx, "corrections.date", &c.date, out) else {
            continue;
        };
        if published.is_some_and(|p| date.date < p.date) {
            out.push(
                ctx.error(
                    &c.date.referenced,
                    "a correction is dated before the brief's `date`",
                )
                .with_hint("a correction comes after publication"),
            );
        }
    }
}

/// Checks that a text value is not blank.
pub fn non_empty(ctx: &Ctx<'_>, field: &str, value: &Spanned<String>, out: &mut Diagnostics) {
    if value.value.trim().is_empty() {
        out.push(
            ctx.error(&value.referenced, format!("`{field}` is empty"))
                .with_hint(format!("give `{field}` a value")),
        );
    }
}

fn date_of(
    ctx: &Ctx<'_>,
    field: &str,
    value: &Spanned<String>,
    out: &mut Diagnostics,
) -> Option<BriefDate> {
    match BriefDate::parse(&value.value) {
        Ok(d) => Some(d),
        Err(message) => {
            out.push(
                ctx.error(&value.referenced, format!("`{field}`: {message}"))
                    .with_hint("write a date as YYYY-MM-DD, e.g. 2026-05-14, or RFC 3339, e.g. 2026-05-14T09:30:00Z"),
            );
            None
        }
    }
}

fn in_scale(ctx: &Ctx<'_>, what: &str, value: &Spanned<f64>, out: &mut Diagnostics) {
    let scale = ctx.config.scale;
    let v = value.value;
    if !(v.is_finite() && (0.0..=scale).contains(&v)) {
        out.push(
            ctx.error(
                &value.referenced,
                format!("{what} {v} is outside the scale [0, {scale}]"),
            )
            .with_hint(format!(
                "scores live in [0, {scale}] (`scoring.scale` in site.yaml)"
            )),
        );
    }
}

/// The longest file or folder name file systems take (ext4, APFS, NTFS:
/// 255 bytes): a slug is a folder name in the output, so a longer one
/// would fail the build's write with no place to point at.
const MAX_NAME_BYTES: usize = 255;

fn terms(ctx: &Ctx<'_>, what: &str, values: &[Spanned<String>], out: &mut Diagnostics) {
    for value in values {
        let slug = term_slug(value.value.trim(), &ctx.config.language);
        if slug.is_empty() {
            out.push(
                ctx.error(
                    &value.referenced,
                    format!("{what} `{}` has no letters or digits", value.value),
                )
                .with_hint(format!(
                    "a {what} needs a name its page URL can be made from"
                )),
            );
        } else if slug.len() > MAX_NAME_BYTES {
            out.push(
                ctx.error(
                    &value.referenced,
                    format!(
                        "this {what} makes a page folder name of {} bytes; file systems take {MAX_NAME_BYTES}",
                        slug.len()
                    ),
                )
                .with_hint(format!("shorten the {what}: its page's address is made from it")),
            );
        }
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Checks a list of sources: ids, uniqueness, URLs and dates.
pub fn source_list(ctx: &Ctx<'_>, list: &[SourceMatter], out: &mut Diagnostics) {
    let mut seen: HashMap<&str, &Location> = HashMap::new();
    let mut slugs: HashMap<String, (&str, &Location)> = HashMap::new();
    for s in list {
        let id = s.id.value.as_str();
        if !crate::content::cite::citation_syntax::is_valid_id(id) {
            out.push(
                ctx.error(&s.id.referenced, format!("source id `{id}` is not a citation key"))
                    .with_hint("use letters, digits, `_` and single inner punctuation (`smithBees2004`, `Foo_bar.baz`), or any text without braces or surrounding spaces, cited as `@{…}`"),
            );
        }
        let slug = crate::content::cite::citation_syntax::key_slug(id);
        if let Some((other, at)) = slugs.insert(slug.clone(), (id, &s.id.referenced))
            && other != id
        {
            out.push(
                ctx.error(
                    &s.id.referenced,
                    format!("source ids `{other}` and `{id}` have the same anchor slug `{slug}`"),
                )
                .with_hint(format!(
                    "`{other}` is on line {}; rename one of them so their anchors differ",
                    at.line()
                )),
            );
        }
        if let Some(first) = seen.insert(id, &s.id.referenced) {
            out.push(
                ctx.error(&s.id.referenced, format!("duplicate source id `{id}`"))
                    .with_hint(format!(
                        "`{id}` is already defined on line {}; give each source its own id",
                        first.line()
                    )),
            );
        }
        if let Some(url) = &s.url {
            check_url(ctx, url, out);
        }
        for (field, value) in [("date", &s.date), ("accessed", &s.accessed)] {
            if let Some(value) = value {
                date_of(ctx, field, value, out);
            }
        }
    }
}

fn check_url(ctx: &Ctx<'_>, url: &Spanned<String>, out: &mut Diagnostics) {
    if let Some((message, hint)) = url_problem(&url.value) {
        out.push(ctx.error(&url.referenced, message).with_hint(hint));
    }
}

/// Checks a slug's form; `value` is the `slug:` field when there is one.
pub fn slug(ctx: &Ctx<'_>, slug: &str, value: Option<&Spanned<String>>, out: &mut Diagnostics) {
    if let Some(v) = value.filter(|_| slug.len() > MAX_NAME_BYTES) {
        let message = format!(
            "slug of {} bytes; file systems take {MAX_NAME_BYTES} in a folder name",
            slug.len()
        );
        let hint = "shorten it: a slug is the brief's folder in the site and its address";
        out.push(
            ctx.error(&v.referenced, message)
                .with_hint(hint.to_string()),
        );
        return;
    }
    if is_slug(slug) {
        return;
    }
    let suggestion = slug::slugify(slug);
    let diagnostic = match value {
        Some(v) => ctx.error(
            &v.referenced,
            format!("slug `{slug}` is not of the form [a-z0-9-]+"),
        ),
        None => Diagnostic::error(
            ctx.path,
            ctx.text,
            0..0,
            format!("the file name gives the slug `{slug}`, which is not of the form [a-z0-9-]+"),
        ),
    };
    let hint = match value {
        Some(_) => format!("use lowercase letters, digits and hyphens, e.g. `slug: {suggestion}`"),
        None => format!("rename the file to `{suggestion}.md`, or set `slug: {suggestion}`"),
    };
    out.push(diagnostic.with_hint(hint));
}
