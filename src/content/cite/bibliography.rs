//! Bibliographies: BibTeX/BibLaTeX (`.bib`, read with the `biblatex` crate)
//! and CSL-JSON (`.json`, what Zotero and Better BibTeX export, read with
//! serde) files listed under `bibliography:` in `site.yaml` join the source
//! registry beside `sources.yaml`.
//!
//! Steps per file: read it (a missing file is an I/O error), parse it (a
//! syntax error is located), map each entry to a registry entry (see
//! [`bib_kind`] and [`csl_kind`] for the kinds; publisher, title, URL, dates
//! as the README's table says), reporting entries that cannot be mapped at
//! their key, then add them to the registry, reporting a key defined twice
//! with both places.

use std::ops::Range;
use std::path::{Path, PathBuf};

use biblatex::{ChunksExt, DateValue, PermissiveType};
use serde::Deserialize;

use hayagriva::citationberg::json::{Item, Value};

use crate::content::cite::bib_csl::{bib_item, csl_item};
use crate::content::cite::bib_guard;
use crate::content::cite::reference::{self, Csl};
use crate::content::cite::registry::{Registry, url_problem};
use crate::content::types::brief::Source;
use crate::content::types::brief::SourceKind;
use crate::content::types::date::BriefDate;
use crate::diagnostic::{Diagnostic, Diagnostics};

/// A bibliography file's format, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Bib,
    CslJson,
}

impl Format {
    pub fn of(path: &str) -> Option<Format> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".bib") {
            Some(Format::Bib)
        } else if lower.ends_with(".json") {
            Some(Format::CslJson)
        } else {
            None
        }
    }
}

/// One file's text, for locating its entries.
pub struct File {
    /// As written in `site.yaml`, from the site root.
    pub path: PathBuf,
    pub text: String,
}

/// An entry read from a file, with the byte range of its key: the source,
/// or why it cannot be used (a message and a hint).
struct Read {
    id: String,
    entry: Result<Source, (String, String)>,
    at: Range<usize>,
}

/// Where each registry id came from, for reporting duplicates.
#[derive(Default)]
pub struct Origins {
    places: std::collections::HashMap<String, String>,
}

impl Origins {
    /// Records the ids of `sources.yaml`, located by their `id:` line.
    pub fn of_sources_yaml(registry: &Registry, text: &str) -> Origins {
        let mut origins = Origins::default();
        for e in &registry.entries {
            let at = text
                .find(&format!("id: {}", e.id))
                .map_or(0..0, |i| i + 4..i + 4 + e.id.len());
            let place = place_of(
                Path::new(crate::content::cite::registry::FILE_NAME),
                text,
                at,
            );
            origins.places.insert(e.id.clone(), place);
        }
        origins
    }
}

use bib_guard::place_of;

/// Reads every file into the registry; every problem is collected.
pub fn read_into(
    registry: &mut Registry,
    files: &[File],
    origins: &mut Origins,
    csl: &Csl,
) -> Result<(), Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    for file in files {
        let read = match Format::of(&file.path.to_string_lossy()) {
            Some(Format::Bib) => read_bib(file, &mut diagnostics, csl),
            _ => read_csl(file, &mut diagnostics, csl),
        };
        for Read { id, entry, at } in read {
            let place = place_of(&file.path, &file.text, at.clone());
            if let Some(first) = origins.places.get(&id) {
                diagnostics.push(
                    Diagnostic::error(
                        &file.path,
                        &file.text,
                        at,
                        format!("source `{id}` is defined twice"),
                    )
                    .with_hint(format!(
                        "it is also defined at {first}; keep one definition or change one key"
                    ))
                    .with_code("bibliography"),
                );
                continue;
            }
            origins.places.insert(id.clone(), place.clone());
            match entry {
                Ok(entry) => registry.insert(entry),
                Err((why, hint)) => {
                    push_unmapped(&mut diagnostics, file, at, (why.clone(), hint));
                    registry.set_unusable(id, place, why);
                }
            }
        }
    }
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        registry.diagnostics.extend(diagnostics);
        Ok(())
    }
}

/// The warning for hidden characters removed from a file (`count` of
/// them, the first at `at`).
fn hidden_warning(file: &File, at: Range<usize>, count: usize) -> Diagnostic {
    let message = match count {
        1 => "a control or bidi-override character was removed here".to_string(),
        n => format!("{n} control or bidi-override characters were removed, the first here"),
    };
    Diagnostic::warning(&file.path, &file.text, at, message)
        .with_hint("they are invisible and can hide or reorder text; delete them from the file")
        .with_code("bibliography")
}

/// What an entry says, before it is checked and mapped.
struct Fields {
    id: String,
    kind: SourceKind,
    title: Option<String>,
    /// Candidates for the publisher, best first.
    publishers: Vec<Option<String>>,
    /// The editors' names: the publisher of an entry with none of those.
    editors: Option<String>,
    url: Option<String>,
    doi: Option<String>,
    date: Result<Option<BriefDate>, String>,
    accessed: Result<Option<BriefDate>, String>,
    /// What the CSL processor formats.
    item: Item,
}

/// Maps an entry's fields, or says why it cannot be mapped.
fn map(fields: Fields, csl: &Csl) -> Result<Source, (String, String)> {
    let fail = |message: String, hint: &str| Err((message, hint.to_string()));
    let id = fields.id;
    let kind = fields.kind;
    let Some(title) = fields.title.filter(|t| !t.trim().is_empty()) else {
        return fail(
            format!("entry `{id}` has no title"),
            "add a title: briefs list every source by its title",
        );
    };
    // With none of them, the container, the editors, then the site the URL is on: an
    // entry with a title and a URL is enough, as in Pandoc.
    let host = fields.url.as_deref().and_then(url_host);
    // A periodical's own title is its container (Pandoc's mapping).
    let container = match fields.item.0.get("container-title") {
        Some(Value::String(c)) => Some(reference::plain(c)),
        _ => None,
    };
    let Some(publisher) = fields
        .publishers
        .into_iter()
        .chain([container, fields.editors, host])
        .flatten()
        .find(|p| !p.trim().is_empty())
    else {
        return fail(
            format!("entry `{id}` names no publisher, container, author, editor or URL"),
            "add a journal/container title, a publisher, an organization/institution, an author or a URL",
        );
    };
    let url = fields.url.or(fields.doi.map(|d| doi_url(&d)));
    if let Some((message, hint)) = url.as_deref().and_then(url_problem) {
        return fail(format!("entry `{id}`: {message}"), &hint);
    }
    let date = fields.date.map_err(|m| {
        (
            format!("entry `{id}`: {m}"),
            "write the date as YYYY-MM-DD".to_string(),
        )
    })?;
    let accessed = fields.accessed.map_err(|m| {
        (
            format!("entry `{id}`: {m}"),
            "write the date as YYYY-MM-DD".to_string(),
        )
    })?;
    let url = url.map(|u| u.trim().to_string());
    let mut item = fields.item;
    if url.is_some()
        && let Some(Value::String(t)) = item.0.get_mut("title")
    {
        *t = reference::linked_title(t);
    }
    let (reference, in_text) = csl.format_with_name(&item, url.as_deref());
    let mut source = Source {
        id,
        number: None,
        publisher: publisher.trim().to_string(),
        title: title.trim().to_string(),
        url,
        date,
        accessed,
        kind,
        tier: None,
        cites: 0,
        reference: Default::default(),
        in_text: csl.share(&in_text),
        item: (csl.marks == reference::Marks::Style).then(|| std::sync::Arc::new(item)),
    };
    source.set_reference(&reference, csl);
    Ok(source)
}

/// A DOI as a `https://doi.org/` link. A DOI may hold characters a URL
/// may not (`10.1002/(SICI)…<693::AID-ASI4>…`): they are percent-encoded,
/// as doi.org expects; spaces and controls are left for the URL check.
fn doi_url(doi: &str) -> String {
    let doi = doi.trim();
    let doi = [
        "https://doi.org/",
        "http://doi.org/",
        "https://dx.doi.org/",
        "doi:",
    ]
    .iter()
    .find_map(|p| doi.strip_prefix(p))
    .unwrap_or(doi);
    let mut url = String::from("https://doi.org/");
    for c in doi.chars() {
        if matches!(
            c,
            '"' | '<' | '>' | '\\' | '#' | '?' | '{' | '}' | '|' | '^' | '`'
        ) {
            url.push_str(&format!("%{:02X}", c as u32));
        } else {
            url.push(c);
        }
    }
    url
}

/// An entry that cannot be used is a warning: a library exported whole may
/// hold entries nothing cites. A brief citing it gets the error.
fn push_unmapped(
    out: &mut Diagnostics,
    file: &File,
    at: Range<usize>,
    (message, hint): (String, String),
) {
    out.push(
        Diagnostic::warning(&file.path, &file.text, at, message)
            .with_hint(hint)
            .with_code("bibliography"),
    );
}

// ---------------------------------------------------------------- BibTeX

/// The source kind of a BibTeX/BibLaTeX entry type; a type with no kind of
/// its own falls back to one (the README's type table): recordings to
/// news, works of art and performances to primary sources, anything else
/// to a report.
pub fn bib_kind(entry_type: &str) -> SourceKind {
    match entry_type.to_ascii_lowercase().as_str() {
        "article" | "periodical" | "suppperiodical" | "online" | "electronic" | "www" | "misc"
        | "video" | "movie" | "audio" | "music" => SourceKind::News,
        "dataset" | "software" => SourceKind::Data,
        "patent" => SourceKind::Filing,
        "standard" | "legislation" | "jurisdiction" | "legal" | "letter" | "artwork" | "image"
        | "performance" => SourceKind::Primary,
        "interview" => SourceKind::Interview,
        _ => SourceKind::Report,
    }
}

fn kind_named(name: &str) -> Option<SourceKind> {
    Some(match name.trim().to_ascii_lowercase().as_str() {
        "news" => SourceKind::News,
        "primary" => SourceKind::Primary,
        "filing" => SourceKind::Filing,
        "report" => SourceKind::Report,
        "data" => SourceKind::Data,
        "interview" => SourceKind::Interview,
        _ => return None,
    })
}

fn read_bib(file: &File, out: &mut Diagnostics, csl: &Csl) -> Vec<Read> {
    let (text, hidden) = bib_guard::blank_hidden(&file.text);
    if let Some((at, count)) = hidden {
        out.push(hidden_warning(file, at, count));
    }
    let (raw, bibliography) = match bib_guard::parse(&file.path, &text) {
        Ok(parsed) => (parsed.raw, parsed.bibliography),
        Err(problems) => {
            for problem in problems {
                let at = problem.at.start.min(file.text.len())..problem.at.end.min(file.text.len());
                out.push(
                    Diagnostic::error(&file.path, &file.text, at, problem.message)
                        .with_hint(problem.hint)
                        .with_code("bibliography"),
                );
            }
            return Vec::new();
        }
    };
    let mut read = Vec::new();
    for raw_entry in &raw.entries {
        let key = &raw_entry.v.key;
        let Some(entry) = bibliography.get(key.v) else {
            continue;
        };
        read.push(Read {
            id: entry.key.clone(),
            entry: map(bib_fields(entry, raw_entry.v.kind.v, csl.english()), csl),
            at: key.span.clone(),
        });
    }
    read
}

fn bib_fields(entry: &biblatex::Entry, type_name: &str, english: bool) -> Fields {
    let get = |name: &str| entry.get(name).map(|c| c.format_verbatim());
    let author = entry.author().ok().map(|people| {
        people
            .iter()
            .map(person_name)
            .collect::<Vec<_>>()
            .join(", ")
    });
    let kind = get("kind")
        .and_then(|k| kind_named(&k))
        .unwrap_or_else(|| bib_kind(type_name));
    let editors = entry.editors().ok().map(|groups| {
        let people = groups.into_iter().flat_map(|(people, _)| people);
        people
            .map(|p| person_name(&p))
            .collect::<Vec<_>>()
            .join(", ")
    });
    Fields {
        id: entry.key.clone(),
        kind,
        title: get("title"),
        publishers: vec![
            get("journaltitle"),
            get("journal"),
            get("publisher"),
            get("organization"),
            get("institution"),
            author,
        ],
        editors,
        url: get("url"),
        doi: get("doi"),
        date: bib_date(
            entry.date(),
            entry.get("date").is_some() || entry.get("year").is_some(),
        ),
        accessed: bib_date(entry.url_date(), entry.get("urldate").is_some()),
        item: bib_item(entry, type_name, english),
    }
}

/// A BibTeX name as written in running text: "Philipp Jaffé".
fn person_name(p: &biblatex::Person) -> String {
    [p.given_name.as_str(), p.prefix.as_str(), p.name.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The site a URL is on, without `www.`: `ctan.org`.
fn url_host(url: &str) -> Option<String> {
    let host = url::Url::parse(url.trim()).ok()?.host_str()?.to_string();
    Some(
        host.strip_prefix("www.")
            .map_or(host.clone(), str::to_string),
    )
}

/// A full date; `None` for an absent or partial one (a year alone).
fn bib_date(
    date: Result<PermissiveType<biblatex::Date>, biblatex::RetrievalError>,
    present: bool,
) -> Result<Option<BriefDate>, String> {
    match date {
        Ok(PermissiveType::Typed(d)) => {
            let dt = match d.value {
                DateValue::At(dt) | DateValue::After(dt) | DateValue::Between(dt, _) => dt,
                DateValue::Before(dt) => dt,
            };
            Ok(civil(
                dt.year,
                dt.month.map(|m| m + 1),
                dt.day.map(|d| d + 1),
            ))
        }
        Ok(PermissiveType::Chunks(chunks)) => {
            Err(format!("`{}` is not a date", chunks.format_verbatim()))
        }
        Err(_) if !present => Ok(None),
        Err(e) => Err(format!("its date does not parse ({e})")),
    }
}

fn civil(year: i32, month: Option<u8>, day: Option<u8>) -> Option<BriefDate> {
    let (month, day) = (month?, day?);
    let year = i16::try_from(year).ok()?;
    jiff::civil::Date::new(year, month as i8, day as i8)
        .ok()
        .map(BriefDate::from_date)
}

// -------------------------------------------------------------- CSL-JSON

/// The source kind of a CSL item type; a type with no kind of its own
/// falls back to one, as BibLaTeX types do ([`bib_kind`]).
pub fn csl_kind(item_type: &str) -> SourceKind {
    match item_type {
        "article" | "article-newspaper" | "article-magazine" | "webpage" | "post"
        | "post-weblog" | "broadcast" | "motion_picture" | "song" => SourceKind::News,
        "dataset" | "software" => SourceKind::Data,
        "patent" => SourceKind::Filing,
        "legislation"
        | "legal_case"
        | "bill"
        | "hearing"
        | "regulation"
        | "treaty"
        | "standard"
        | "speech"
        | "personal_communication"
        | "graphic"
        | "figure"
        | "map"
        | "musical_score"
        | "performance"
        | "event" => SourceKind::Primary,
        "interview" => SourceKind::Interview,
        _ => SourceKind::Report,
    }
}

#[derive(Deserialize)]
struct CslItem {
    id: serde_json::Value,
    #[serde(rename = "type")]
    item_type: String,
    title: Option<String>,
    #[serde(rename = "container-title")]
    container: Option<String>,
    publisher: Option<String>,
    /// A court's or legislature's name: what a legal case or bill has for
    /// a publisher.
    authority: Option<String>,
    #[serde(default)]
    author: Vec<CslName>,
    #[serde(default)]
    editor: Vec<CslName>,
    #[serde(rename = "URL")]
    url: Option<String>,
    #[serde(rename = "DOI")]
    doi: Option<String>,
    issued: Option<CslDate>,
    accessed: Option<CslDate>,
}

#[derive(Deserialize)]
struct CslName {
    literal: Option<String>,
    family: Option<String>,
    given: Option<String>,
}

#[derive(Deserialize)]
struct CslDate {
    #[serde(rename = "date-parts")]
    date_parts: Option<Vec<Vec<serde_json::Value>>>,
    raw: Option<String>,
}

impl CslDate {
    fn to_date(&self) -> Result<Option<BriefDate>, String> {
        if let Some(parts) = self.date_parts.as_ref().and_then(|p| p.first()) {
            let num = |i: usize| {
                parts
                    .get(i)
                    .and_then(|v| v.as_i64().or_else(|| v.as_str()?.trim().parse().ok()))
            };
            let (Some(year), month, day) = (num(0), num(1), num(2)) else {
                return Err("its `date-parts` has no year".to_string());
            };
            let small = |n: Option<i64>| n.and_then(|n| u8::try_from(n).ok());
            return Ok(civil(year as i32, small(month), small(day)));
        }
        match &self.raw {
            Some(raw) => BriefDate::parse(raw).map(Some).or_else(|e| {
                // A year, a season or a range Pandoc reads is no full date,
                // but no error either.
                crate::content::cite::bib_csl::raw_date(raw).map_or(Err(e), |_| Ok(None))
            }),
            None => Ok(None),
        }
    }
}

fn read_csl(file: &File, out: &mut Diagnostics, csl: &Csl) -> Vec<Read> {
    let items: Vec<serde_json::Value> = match serde_json::from_str(&file.text) {
        Ok(items) => items,
        Err(e) => {
            let at = offset_of(&file.text, e.line(), e.column());
            out.push(
                Diagnostic::error(&file.path, &file.text, at..at, format!("this CSL-JSON file does not parse: {e}"))
                    .with_hint("a CSL-JSON bibliography is an array of items, as Zotero's “Export… CSL JSON” writes")
                    .with_code("bibliography"),
            );
            return Vec::new();
        }
    };
    let starts = item_starts(&file.text);
    let mut read = Vec::new();
    for (i, mut value) in items.into_iter().enumerate() {
        let at = starts.get(i).map_or(0..0, |&s| s..s + 1);
        let hidden = strip_hidden_json(&mut value);
        if hidden > 0 {
            out.push(hidden_warning(file, at.clone(), hidden));
        }
        let item: CslItem = match serde_json::from_value(value.clone()) {
            Ok(item) => item,
            Err(e) => {
                push_unmapped(
                    out,
                    file,
                    at,
                    (
                        format!("item {} cannot be read: {e}", i + 1),
                        "every item needs an `id` and a `type`".to_string(),
                    ),
                );
                continue;
            }
        };
        let at = key_span(&file.text, at, &item.id);
        let fields = csl_fields(item, &value);
        read.push(Read {
            id: fields.id.clone(),
            entry: map(fields, csl),
            at,
        });
    }
    read
}

fn csl_fields(item: CslItem, value: &serde_json::Value) -> Fields {
    let id = match &item.id {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let names = |names: &[CslName]| {
        (!names.is_empty()).then(|| {
            names
                .iter()
                .map(|n| {
                    n.literal.clone().unwrap_or_else(|| {
                        [n.given.as_deref(), n.family.as_deref()]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    let author = names(&item.author);
    let date = |d: &Option<CslDate>| d.as_ref().map_or(Ok(None), CslDate::to_date);
    Fields {
        kind: csl_kind(&item.item_type),
        title: item.title.clone(),
        publishers: vec![
            item.container.clone(),
            item.publisher.clone(),
            author,
            item.authority.clone(),
        ],
        editors: names(&item.editor),
        url: item.url.clone(),
        doi: item.doi.clone(),
        date: date(&item.issued),
        accessed: date(&item.accessed),
        item: csl_item(value, &id, &item.item_type),
        id,
    }
}

/// Removes hidden characters from every string of a CSL-JSON value (JSON
/// escapes such as `\u0007` write them); how many there were.
fn strip_hidden_json(value: &mut serde_json::Value) -> usize {
    match value {
        serde_json::Value::String(s) => bib_guard::strip_hidden(s),
        serde_json::Value::Array(items) => items.iter_mut().map(strip_hidden_json).sum(),
        serde_json::Value::Object(fields) => fields.values_mut().map(strip_hidden_json).sum(),
        _ => 0,
    }
}

/// The byte offset of a 1-based line and column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}

/// Where each element of the top-level JSON array starts.
fn item_starts(text: &str) -> Vec<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut starts = Vec::new();
    let mut expecting = false;
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        if depth == 1 && expecting && !b.is_ascii_whitespace() && b != b']' {
            starts.push(i);
            expecting = false;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                expecting = depth == 1;
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => expecting = true,
            _ => {}
        }
    }
    starts
}

/// The span of an item's `"id"` value, searched from the item's start.
fn key_span(text: &str, item: Range<usize>, id: &serde_json::Value) -> Range<usize> {
    let needle = id.to_string();
    text[item.start..].find(&needle).map_or(item.clone(), |i| {
        item.start + i..item.start + i + needle.len()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_starts_skip_strings_and_nesting() {
        let text = r#"[ {"id": "a", "x": "],[{"}, {"id": 2, "n": [1, {"y": 2}]} ]"#;
        let starts = item_starts(text);
        assert_eq!(starts.len(), 2);
        assert!(text[starts[1]..].starts_with("{\"id\": 2"));
    }

    #[test]
    fn kinds_come_from_entry_types() {
        assert_eq!(bib_kind("Article"), SourceKind::News);
        assert_eq!(bib_kind("techreport"), SourceKind::Report);
        assert_eq!(bib_kind("patent"), SourceKind::Filing);
        assert_eq!(csl_kind("article-newspaper"), SourceKind::News);
        assert_eq!(csl_kind("dataset"), SourceKind::Data);
        // Types with no kind of their own fall back to the README's.
        assert_eq!(bib_kind("video"), SourceKind::News);
        assert_eq!(bib_kind("artwork"), SourceKind::Primary);
        assert_eq!(bib_kind("frobnicate"), SourceKind::Report);
        assert_eq!(csl_kind("graphic"), SourceKind::Primary);
        assert_eq!(csl_kind("frobnicate"), SourceKind::Report);
        assert_eq!(url_host("http://www.ctan.org").as_deref(), Some("ctan.org"));
    }
}
