//! Parse: one content file in, one typed [`Brief`] or [`Page`] out, with the
//! problems found in it.
//!
//! Steps for a brief: read the file (UTF-8 or a located error), split off the
//! front matter, read it into [`BriefMatter`], check every value
//! ([`crate::content::checks::validate::brief_matter`]), render the body and the score
//! rationale with one citation numbering, then report unknown citations and
//! never-cited sources. Files are independent, so callers run this in
//! parallel.

use std::collections::HashSet;
use std::fs;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::content::body::common::IdSet;
use crate::content::body::content_links;
use crate::content::body::images;
use crate::content::body::markdown::{self, Flavor};
use crate::content::checks::editorial;
use crate::content::checks::validate::{self, Checked};
use crate::content::cite::citation::{self, Citations};
use crate::content::cite::plain_citations;
use crate::content::cite::reference::{self, Csl, Marks};
use crate::content::cite::registry::Registry;
use crate::content::config::Config;
use crate::content::discover::ContentFile;
use crate::content::matter::front_matter::{self, Spanned};
use crate::content::matter::schema::{BriefMatter, PageMatter, SourceMatter};
use crate::content::types::brief::TocEntry;
use crate::content::types::brief::{Brief, Correction, Factor, Html, Link, Page, Source};
use crate::content::types::date::BriefDate;
use crate::diagnostic::{Diagnostic, Diagnostics, Position, Severity, locate_in};

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

/// A file read, split and its front matter read into `T`.
struct Front<'t, T> {
    split: front_matter::Split<'t>,
    matter: T,
}

/// Reads the front matter of `text` into `T`, or reports why not.
fn front<'t, T: serde::de::DeserializeOwned>(
    doc: &front_matter::Document,
    path: &Path,
    text: &'t str,
    out: &mut Diagnostics,
) -> Option<Front<'t, T>> {
    let split = front_matter::split(text)
        .map_err(|e| out.push(front_matter::split_error(path, text, e)))
        .ok()?;
    out.extend(front_matter::warnings(path, text, &split));
    let matter = front_matter::parse_document(doc, path, text, split.yaml, split.yaml_offset)
        .map_err(|d| out.push(d))
        .ok()?;
    Some(Front { split, matter })
}

/// Reads a file, or reports why not.
fn read_reporting(file: &ContentFile, out: &mut Diagnostics) -> Option<String> {
    read(file).map_err(|d| out.push(d)).ok()
}

/// The slug from `slug:` or the file name, checked, and where it comes from.
fn slug_of(
    ctx: &validate::Ctx<'_>,
    file: &ContentFile,
    slug: Option<&Spanned<String>>,
    out: &mut Diagnostics,
) -> (String, Option<Position>) {
    let value = slug.map_or_else(|| file.name.clone(), |s| s.value.trim().to_string());
    validate::slug(ctx, &value, slug, out);
    (
        value,
        slug.map(|s| locate_in(&ctx.lines, ctx.text, ctx.range(&s.referenced))),
    )
}

/// Parses one brief. `None` when it has errors that leave nothing to build.
pub fn brief(
    file: &ContentFile,
    config: &Config,
    registry: &Registry,
    out: &mut Diagnostics,
) -> Option<Brief> {
    let text = read_reporting(file, out)?;
    let path = file.path.as_path();
    let Front { split, matter } =
        front::<BriefMatter>(&front_matter::Document::BRIEF, path, &text, out)?;
    let ctx = validate::Ctx::new(path, &text, &split, config);
    let checked = validate::brief_matter(&ctx, &matter, out);
    crate::content::checks::placeholder::check(&ctx, &matter, out);
    let (slug, slug_at) = slug_of(&ctx, file, matter.slug.as_ref(), out);
    let body = render_body(&ctx, &split, &matter, (registry, file), out);
    plain_field_citations(&ctx, &split, &matter, registry, out);
    let Checked {
        date,
        updated,
        watch,
        ok,
    } = checked;
    if !ok || !body.cited_ok {
        return None;
    }
    let warnings = review_warnings(&ctx, &matter, out);
    let trimmed = |v: Vec<Spanned<String>>| {
        exact(v.into_iter().map(|t| t.value.trim().to_string()).collect())
    };
    let corrections: Vec<Correction> = matter
        .corrections
        .iter()
        .filter_map(|c| {
            Some(Correction {
                date: BriefDate::parse(&c.date.value).ok()?,
                text: c.text.value.trim().to_string(),
            })
        })
        .collect();
    Some(Brief {
        path: file.path.clone(),
        slug,
        slug_at,
        aliases: crate::content::checks::aliases::parse(&ctx, &matter.aliases, out),
        title: matter.title.value.trim().to_string(),
        summary: matter.summary.value.trim().to_string(),
        date: date?,
        date_at: Some(locate_in(
            &ctx.lines,
            ctx.text,
            ctx.range(&matter.date.referenced),
        )),
        updated: latest(updated, corrections.iter().map(|c| c.date)),
        authors: matter.authors,
        status: matter.status,
        tags: trimmed(matter.tags),
        entities: trimmed(matter.entities),
        score: matter.score.value.value,
        factors: exact(
            matter
                .score
                .factors
                .into_iter()
                .map(|f| Factor {
                    name: f.name,
                    value: f.value.value,
                    note: f.note,
                })
                .collect(),
        ),
        rationale_html: Html::new(body.rationale_html),
        content_html: Html::new(body.html),
        diagrams: body.diagrams,
        toc: exact(body.toc),
        sources: exact(body.sources),
        watch: exact(watch),
        corrections: exact(corrections),
        extra: serde_json::Value::Object(matter.extra),
        assets: file.assets.iter().cloned().chain(body.variants).collect(),
        warnings,
        links: exact(body.links),
    })
}

/// The warnings found in a brief's file, and its placeholder notes, for
/// the review page.
fn review_warnings(
    ctx: &validate::Ctx<'_>,
    matter: &BriefMatter,
    out: &Diagnostics,
) -> Vec<String> {
    let mut warnings: Vec<String> = out
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| d.to_string())
        .collect();
    warnings.extend(crate::content::checks::placeholder::review_notes(
        ctx, matter,
    ));
    warnings
}

/// `v` in an allocation of its exact size. Every brief is kept until the
/// last page is written, and a list collected in place from a wider
/// front-matter type (or grown by pushes) keeps room for more: measured
/// at 10,000 briefs, about 1 KB a brief.
fn exact<T>(mut v: Vec<T>) -> Vec<T> {
    v.shrink_to_fit();
    v
}

/// The later of `updated` and every correction's date.
fn latest(
    updated: Option<BriefDate>,
    corrections: impl Iterator<Item = BriefDate>,
) -> Option<BriefDate> {
    corrections.fold(updated, |acc, d| Some(acc.map_or(d, |a| a.max(d))))
}

/// A brief's rendered body, rationale and numbered sources.
struct Body {
    html: String,
    toc: Vec<TocEntry>,
    rationale_html: String,
    /// True when the body or the rationale has a Mermaid diagram.
    diagrams: bool,
    sources: Vec<Source>,
    /// False when a citation is unknown or malformed, or nothing is cited.
    cited_ok: bool,
    links: Vec<Link>,
    /// The resized variants of the body's and rationale's images.
    variants: Vec<images::Variant>,
}

/// Where the images of `file`'s text come from.
fn images_of(file: &ContentFile) -> images::Setting<'_> {
    images::Setting {
        assets: &file.assets,
        below: false,
        root: images::site_root(&file.abs, &file.path),
    }
}

/// `images` for a text below the first screen (the rationale).
fn below(images: images::Setting<'_>) -> images::Setting<'_> {
    images::Setting {
        below: true,
        ..images
    }
}

/// Renders body and rationale with one citation numbering over the brief's
/// own sources and the registry's, then checks what citations need.
fn render_body(
    ctx: &validate::Ctx<'_>,
    split: &front_matter::Split<'_>,
    matter: &BriefMatter,
    (registry, file): (&Registry, &ContentFile),
    out: &mut Diagnostics,
) -> Body {
    let (path, text, config) = (ctx.path, ctx.text, ctx.config);
    let own = matter.source_list();
    let own_ids: HashSet<&str> = own.iter().map(|s| s.id.value.as_str()).collect();
    let shared: Vec<&Source> = registry
        .entries
        .iter()
        .filter(|e| !own_ids.contains(e.id.as_str()))
        .collect();
    let ids = own
        .iter()
        .map(|s| (s.id.value.as_str(), s.publisher.trim()))
        .chain(shared.iter().map(|e| (e.id.as_str(), &*e.in_text)));
    let mut citations = Citations::named(ids).styled(config.csl.marks == Marks::Style);
    let mut heading_ids = IdSet::default();
    let images = images_of(file);
    let body = markdown::render(
        split.body,
        split.body_offset,
        Some(&mut citations),
        Flavor::with_images(config, images),
        &mut heading_ids,
    );
    report_markdown(path, text, &body.problems, out);
    editorial::sections(ctx, &body.structure, out);
    editorial::claims(ctx, &body.structure, out);
    let rationale = &matter.score.rationale;
    let rationale_offset =
        front_matter::file_range(split.yaml, split.yaml_offset, &rationale.referenced).start;
    let (mut links, mut variants) = (body.links, body.variants);
    let (rationale_html, rationale_diagrams, problems) = render_rationale(
        text,
        rationale,
        rationale_offset,
        &mut citations,
        Flavor::with_images(config, below(images)),
        &mut heading_ids,
        (&mut links, &mut variants),
    );
    report_markdown(path, text, &problems, out);
    let rejected = rejected_ids(ctx, own, out);
    report_citations(ctx, &citations, (own, &shared), (&rejected, registry), out);
    let mut sources = own_sources(ctx, own, registry, &citations, &rejected, out);
    let mut html = [body.html, rationale_html];
    let csl = &config.csl;
    let references = if csl.marks == Marks::Style {
        style_marks(&mut citations, &mut sources, &shared, csl, &mut html)
    } else {
        Vec::new()
    };
    let [html, rationale_html] = html;
    sources.extend(cited_shared(
        csl,
        &shared,
        own.len(),
        &citations,
        &references,
    ));
    let mut cited_ok = citations.problems.is_empty();
    if sources.is_empty() {
        let at = matter
            .sources
            .as_ref()
            .map_or(0..0, |s| ctx.range(&s.referenced));
        out.push(
            Diagnostic::error(path, text, at, "a brief needs at least one source")
                .with_hint("add `- { id: …, publisher: …, title: …, url: … }` under `sources:`, or cite a source of sources.yaml")
                .with_code("schema"),
        );
        cited_ok = false;
    }
    Body {
        html,
        toc: body.toc,
        rationale_html,
        diagrams: body.diagrams || rationale_diagrams,
        sources,
        cited_ok,
        links,
        variants,
    }
}

/// The registry's sources the brief cites (their citation indexes start
/// at `first`), numbered; under `citations: style` with the reference
/// text of the brief's bibliography.
fn cited_shared<'a>(
    csl: &'a Csl,
    shared: &'a [&Source],
    first: usize,
    citations: &'a Citations,
    references: &'a [Option<String>],
) -> impl Iterator<Item = Source> + 'a {
    shared.iter().enumerate().filter_map(move |(j, e)| {
        let i = first + j;
        let number = citations.number(i)?;
        let mut source = e.cited(number, citations.places(i).len());
        if let Some(Some(reference)) = references.get(i) {
            source.set_reference(reference, csl);
        }
        Some(source)
    })
}

/// `citations: style`: the brief's marks and sources formatted together
/// (see [`Citations::style_marks`]): fills the marks into `html` (body and
/// rationale), renumbers the own sources in the bibliography's order with
/// their reference texts, and returns the reference text of each cited
/// source by index (own sources, then shared ones).
fn style_marks(
    citations: &mut Citations,
    own: &mut [Source],
    shared: &[&Source],
    csl: &Csl,
    html: &mut [String; 2],
) -> Vec<Option<String>> {
    let items: Vec<_> = own
        .iter()
        .chain(shared.iter().copied())
        .map(|s| {
            s.item
                .clone()
                .unwrap_or_else(|| Arc::new(reference::matter_item(s)))
        })
        .collect();
    let sources: Vec<_> = own
        .iter()
        .chain(shared.iter().copied())
        .zip(&items)
        .map(|(s, item)| (item.as_ref(), s.url.as_deref()))
        .collect();
    let (marks, references) = citations.style_marks(&sources, csl);
    for text in html.iter_mut() {
        *text = citation::fill_marks(text, &marks);
    }
    for (i, s) in own.iter_mut().enumerate() {
        s.number = citations.number(i);
        if let Some(Some(reference)) = references.get(i) {
            s.set_reference(reference, csl);
        }
    }
    references
}

/// A citation in a plain-text field (title, summary, factor note, watch
/// item, correction) is an error at the citation: it cannot render there.
fn plain_field_citations(
    ctx: &validate::Ctx<'_>,
    split: &front_matter::Split<'_>,
    matter: &BriefMatter,
    registry: &Registry,
    out: &mut Diagnostics,
) {
    let own: HashSet<&str> = matter
        .source_list()
        .iter()
        .map(|s| s.id.value.as_str())
        .collect();
    let is_source = |k: &str| own.contains(k) || registry.get(k).is_some();
    let yaml_end = split.yaml_offset + split.yaml.len();
    let whole = split.yaml_offset..yaml_end;
    let from = |s: &Spanned<String>| ctx.range(&s.referenced).start.max(whole.start)..yaml_end;
    let mut fields: Vec<(&str, &str, Range<usize>)> = vec![
        ("the title", &matter.title.value, from(&matter.title)),
        ("the summary", &matter.summary.value, from(&matter.summary)),
    ];
    // Notes and items have no place of their own: where their text is
    // written verbatim, else anywhere in the front matter.
    let written = |v: &str| {
        let at = ctx.text[whole.clone()].find(v).map(|i| whole.start + i);
        at.map_or(whole.clone(), |i| i..i + v.len())
    };
    let notes = matter
        .score
        .factors
        .iter()
        .filter_map(|f| f.note.as_deref());
    fields.extend(notes.map(|n| ("a factor's note", n, written(n))));
    let items = matter.watch.iter().map(|w| w.item.as_str());
    fields.extend(items.map(|i| ("a watch item", i, written(i))));
    let texts = matter
        .corrections
        .iter()
        .map(|c| (c.text.value.as_str(), from(&c.text)));
    fields.extend(texts.map(|(t, at)| ("a correction", t, at)));
    for (name, value, within) in fields {
        for r in plain_citations::find(value, &is_source) {
            let cite = &value[r];
            let range = plain_citations::locate(cite, ctx.text, within.clone());
            out.push(
                Diagnostic::error_in(
                    ctx.path,
                    ctx.text,
                    &ctx.lines,
                    range,
                    format!("a citation in {name} would be printed as literal text: `{cite}`"),
                )
                .with_hint(plain_citations::HINT)
                .with_code("citation"),
            );
        }
    }
}

/// Reports unknown and malformed citations, but not those of a source whose
/// id is already reported as invalid.
fn report_citations(
    ctx: &validate::Ctx<'_>,
    citations: &Citations,
    (own, shared): (&[SourceMatter], &[&Source]),
    (rejected, registry): (&[&str], &Registry),
    out: &mut Diagnostics,
) {
    let known: Vec<&str> = own
        .iter()
        .map(|s| s.id.value.as_str())
        .chain(shared.iter().map(|e| e.id.as_str()))
        .collect();
    for problem in &citations.problems {
        if cites_rejected(ctx.text, problem, rejected, &known) {
            continue;
        }
        let unusable = problem.unknown.as_deref().and_then(|id| {
            let entry = registry.unusable(id)?;
            Some((id, entry))
        });
        if let Some((id, entry)) = unusable {
            out.push(
                Diagnostic::error_in(
                    ctx.path,
                    ctx.text,
                    &ctx.lines,
                    problem.range.clone(),
                    format!("source `{id}` cannot be used: {}", entry.why),
                )
                .with_hint(format!("fix the entry at {}", entry.place))
                .with_code("citation"),
            );
            continue;
        }
        out.push(
            Diagnostic::error_in(
                ctx.path,
                ctx.text,
                &ctx.lines,
                problem.range.clone(),
                problem.message.clone(),
            )
            .with_hint(problem.hint.clone())
            .with_code("citation"),
        );
    }
}

/// The brief's own source ids that failed validation: an error sits on the
/// id itself. A repeated id is left out: its citations resolve to the first.
fn rejected_ids<'m>(
    ctx: &validate::Ctx<'_>,
    own: &'m [SourceMatter],
    out: &Diagnostics,
) -> Vec<&'m str> {
    let errors: HashSet<(usize, usize)> = out
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .filter_map(|d| d.position.as_ref().map(|p| (p.line, p.column)))
        .collect();
    let ids = || own.iter().map(|s| s.id.value.as_str());
    own.iter()
        .filter(|s| {
            let at = locate_in(&ctx.lines, ctx.text, ctx.range(&s.id.referenced));
            let id = s.id.value.as_str();
            errors.contains(&(at.line, at.column)) && ids().filter(|i| *i == id).count() == 1
        })
        .map(|s| s.id.value.as_str())
        .collect()
}

/// True when a citation problem is about a source whose id is already
/// reported as invalid: it cites that id as written (a malformed bracket,
/// when the id holds a space), or an unknown id whose nearest known id is
/// the invalid one. Its hint would contradict the id's error, so the id is
/// reported once, at its definition.
fn cites_rejected(
    text: &str,
    problem: &crate::content::cite::citation::CiteProblem,
    rejected: &[&str],
    known: &[&str],
) -> bool {
    if rejected.is_empty() {
        return false;
    }
    if let Some(id) = &problem.unknown {
        let near = front_matter::did_you_mean(id, known);
        return rejected.contains(&id.as_str()) || near.is_some_and(|n| rejected.contains(&n));
    }
    let bracket = text.get(problem.range.clone()).unwrap_or("");
    let inner = bracket.trim_start_matches('[').trim_end_matches(']');
    inner.split(';').any(|part| {
        let key = part.trim().trim_start_matches('@');
        let key = key.split_once(',').map_or(key, |(id, _)| id).trim();
        rejected.contains(&key)
    })
}

/// Renders the rationale, then moves its citation problems, its links
/// (added to `links`) and its Markdown problems (returned with its HTML
/// and whether it has a diagram) from offsets in the YAML value to offsets
/// in the file.
fn render_rationale(
    text: &str,
    rationale: &Spanned<String>,
    offset: usize,
    citations: &mut Citations,
    flavor: Flavor<'_>,
    ids: &mut IdSet,
    (links, variants): (&mut Vec<Link>, &mut Vec<images::Variant>),
) -> (String, bool, Vec<markdown::Problem>) {
    let before = citations.problems.len();
    let rendered = markdown::render(&rationale.value, 0, Some(citations), flavor, ids);
    let html = rendered.html;
    let mut problems = rendered.problems;
    for variant in rendered.variants {
        if !variants.contains(&variant) {
            variants.push(variant);
        }
    }
    links.extend(content_links::relocate(
        rendered.links,
        &rationale.value,
        text,
        offset,
    ));
    if citations.problems.len() > before || !problems.is_empty() {
        let map = front_matter::value_offsets(&rationale.value, text, offset);
        let ranges = citations.problems[before..]
            .iter_mut()
            .map(|p| &mut p.range)
            .chain(problems.iter_mut().map(|p| &mut p.range));
        for range in ranges {
            *range = match &map {
                Some(map) => map[range.start]..map[range.end].max(map[range.start]),
                None => offset..offset,
            };
        }
    }
    (html, rendered.diagrams, problems)
}

/// Reports what the Markdown pass found wrong in `text`, the file at `path`.
fn report_markdown(path: &Path, text: &str, problems: &[markdown::Problem], out: &mut Diagnostics) {
    for problem in problems {
        let make = match problem.error {
            true => Diagnostic::error,
            false => Diagnostic::warning,
        };
        out.push(
            make(path, text, problem.range.clone(), problem.message.clone())
                .with_hint(problem.hint.clone())
                .with_code("markdown"),
        );
    }
}

/// The brief's own sources, numbered; warns about uncited ones and about
/// ids that `sources.yaml` defines differently.
fn own_sources(
    ctx: &validate::Ctx<'_>,
    own: &[SourceMatter],
    registry: &Registry,
    citations: &Citations,
    rejected: &[&str],
    out: &mut Diagnostics,
) -> Vec<Source> {
    let mut sources = Vec::with_capacity(own.len());
    let mut seen = HashSet::new();
    for (i, s) in own.iter().enumerate() {
        let id = s.id.value.as_str();
        let number = citations.number(i);
        let at = ctx.range(&s.id.referenced);
        // A repeated id is already an error; its second entry is never cited.
        // So is an invalid id, whose citations are not counted as citing it.
        let first = seen.insert(id);
        if number.is_none() && first && !rejected.contains(&id) {
            out.push(
                Diagnostic::warning_in(
                    ctx.path,
                    ctx.text,
                    &ctx.lines,
                    at.clone(),
                    format!("source `{id}` is never cited"),
                )
                .with_hint(format!(
                    "cite it as `[{}]`, or it is listed under \"Further reading\"",
                    crate::content::cite::citation_syntax::cite_form(id)
                ))
                .with_code("uncited-source"),
            );
        }
        let source = Source {
            number,
            cites: citations.places(i).len(),
            ..Source::from_matter(s, &ctx.config.csl)
        };
        if let Some(shared) = registry.get(id)
            && !source.same_as(shared)
        {
            out.push(
                Diagnostic::warning_in(ctx.path, ctx.text, &ctx.lines, at, format!("source `{id}` is also in sources.yaml, defined differently"))
                    .with_hint("this brief's definition is used here; remove it to use the registry's, or rename the id")
                    .with_code("source-clash"),
            );
        }
        sources.push(source);
    }
    sources
}

/// Parses one free page.
pub fn page(file: &ContentFile, config: &Config, out: &mut Diagnostics) -> Option<Page> {
    let text = read_reporting(file, out)?;
    let path = file.path.as_path();
    let Front { split, matter } =
        front::<PageMatter>(&front_matter::Document::PAGE, path, &text, out)?;
    let ctx = validate::Ctx::new(path, &text, &split, config);
    let before = out.error_count();
    validate::non_empty(&ctx, "title", &matter.title, out);
    let (slug, slug_at) = slug_of(&ctx, file, matter.slug.as_ref(), out);
    let aliases = crate::content::checks::aliases::parse(&ctx, &matter.aliases, out);
    if out.error_count() > before {
        return None;
    }
    // A page has no sources: a citation in it is read (so it is found where
    // the body would find it, never in code) and reported, not printed.
    let mut citations = Citations::new([]);
    // A page is never a bundle: only its `@/static/` images get a size and variants.
    let images = images_of(file);
    let rendered = markdown::render(
        split.body,
        split.body_offset,
        Some(&mut citations),
        Flavor::with_images(config, images),
        &mut IdSet::default(),
    );
    report_markdown(path, &text, &rendered.problems, out);
    for problem in &citations.problems {
        let cite = text.get(problem.range.clone()).unwrap_or("");
        out.push(
            Diagnostic::error(
                path,
                &text,
                problem.range.clone(),
                format!("a citation in a page would be printed as literal text: `{cite}`"),
            )
            .with_hint(plain_citations::PAGE_HINT)
            .with_code("citation"),
        );
    }
    for (name, value) in [
        ("the title", Some(&matter.title.value)),
        ("the summary", matter.summary.as_ref()),
    ] {
        let Some(value) = value else { continue };
        for r in plain_citations::find(value, &|_| false) {
            let cite = &value[r];
            let within = split.yaml_offset..split.yaml_offset + split.yaml.len();
            out.push(
                Diagnostic::error(
                    path,
                    &text,
                    plain_citations::locate(cite, &text, within),
                    format!("a citation in {name} would be printed as literal text: `{cite}`"),
                )
                .with_hint(plain_citations::PAGE_HINT)
                .with_code("citation"),
            );
        }
    }
    Some(Page {
        path: path.to_path_buf(),
        slug,
        slug_at,
        aliases,
        title: matter.title.value.trim().to_string(),
        summary: matter.summary.map(|s| s.trim().to_string()),
        content_html: rendered.html,
        diagrams: rendered.diagrams,
        toc: rendered.toc,
        extra: serde_json::Value::Object(matter.extra),
        weight: matter.weight,
        in_nav: matter.in_nav,
        links: rendered.links,
        assets: rendered.variants,
    })
}
