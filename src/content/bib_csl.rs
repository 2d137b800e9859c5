//! CSL items from bibliography entries: what the CSL processor formats
//! ([`crate::content::reference`]). BibLaTeX entries map to CSL as Pandoc
//! maps them (types, fields, names, dates; LaTeX converted by
//! [`crate::content::latex`]); CSL-JSON items are rebuilt field by field so
//! that nothing the processor cannot take reaches it (it panics on a date
//! range, and on empty `date-parts`).

use biblatex::{ChunksExt, DateValue, PermissiveType};
use hayagriva::citationberg::json::{Item, Value};

use crate::content::date::BriefDate;
use crate::content::latex;
use crate::content::reference;

/// The CSL type of a BibLaTeX entry type, as Pandoc maps it.
fn bib_csl_type(entry_type: &str, subtype: Option<&str>) -> &'static str {
    match entry_type.to_ascii_lowercase().as_str() {
        "article" => match subtype {
            Some("magazine") => "article-magazine",
            Some("newspaper") => "article-newspaper",
            _ => "article-journal",
        },
        "suppperiodical" => "article-journal",
        "book" | "mvbook" | "collection" | "mvcollection" | "proceedings" | "mvproceedings"
        | "reference" | "mvreference" | "manual" => "book",
        "booklet" => "pamphlet",
        "inbook" | "bookinbook" | "incollection" | "suppbook" | "suppcollection" => "chapter",
        "inreference" => "entry-encyclopedia",
        "inproceedings" | "conference" => "paper-conference",
        "online" | "electronic" | "www" => "webpage",
        "report" | "techreport" => "report",
        "thesis" | "mastersthesis" | "phdthesis" => "thesis",
        "unpublished" => "manuscript",
        "patent" => "patent",
        "periodical" => "periodical",
        "dataset" => "dataset",
        "software" => "software",
        "letter" => "personal_communication",
        "legislation" | "legal" => "legislation",
        "jurisdiction" => "legal_case",
        "standard" => "standard",
        "interview" => "interview",
        "video" | "movie" => "motion_picture",
        "audio" | "music" => "song",
        "artwork" | "image" => "graphic",
        "review" => "review",
        _ => "document",
    }
}

/// CSL variables that are identifiers, never text: passed as written.
const CSL_PLAIN: &[&str] = &["URL", "DOI", "ISBN", "ISSN", "PMID", "PMCID", "language"];

/// A field's text with its LaTeX converted and its case kept.
fn bib_text(chunks: &[biblatex::Spanned<biblatex::Chunk>]) -> String {
    let text = chunks
        .iter()
        .map(|c| match &c.v {
            biblatex::Chunk::Normal(s) | biblatex::Chunk::Verbatim(s) => latex::text(s),
            biblatex::Chunk::Math(s) => latex::math(s),
        })
        .collect::<String>();
    reference::keep_case(text.trim())
}

/// BibLaTeX fields and the CSL variable each fills (the first present of
/// several for one variable wins).
const BIB_FIELDS: &[(&str, &str)] = &[
    ("shorttitle", "title-short"),
    ("series", "collection-title"),
    ("eventtitle", "event-title"),
    ("venue", "event-place"),
    ("volume", "volume"),
    ("volumes", "number-of-volumes"),
    ("pages", "page"),
    ("pagetotal", "number-of-pages"),
    ("edition", "edition"),
    ("publisher", "publisher"),
    ("school", "publisher"),
    ("institution", "publisher"),
    ("organization", "publisher"),
    ("howpublished", "publisher"),
    ("location", "publisher-place"),
    ("address", "publisher-place"),
    ("doi", "DOI"),
    ("url", "URL"),
    ("isbn", "ISBN"),
    ("issn", "ISSN"),
    ("note", "note"),
    ("version", "version"),
    ("language", "language"),
    ("abstract", "abstract"),
];

/// The CSL item of a BibLaTeX entry: Pandoc's BibLaTeX-to-CSL mapping for
/// the fields a reference text shows.
pub fn bib_item(entry: &biblatex::Entry, type_name: &str) -> Item {
    let get = |name: &str| entry.get(name).map(bib_text).filter(|s| !s.is_empty());
    let subtype = get("entrysubtype");
    let kind = bib_csl_type(type_name, subtype.as_deref());
    let mut item = reference::item(&entry.key, kind);
    let f = &mut item.0;
    let put = |f: &mut std::collections::BTreeMap<String, Value>, var: &str, v: String| {
        f.entry(var.to_string()).or_insert(Value::String(v));
    };
    let joined = |main: Option<String>, sub: Option<String>| match (main, sub) {
        (Some(m), Some(s)) => Some(format!("{m}: {s}")),
        (m, _) => m,
    };
    if let Some(title) = joined(get("title"), get("subtitle")) {
        let title = match get("titleaddon") {
            Some(addon) => format!("{title}. {addon}"),
            None => title,
        };
        put(f, "title", title);
    }
    let container = joined(get("journaltitle"), get("journalsubtitle"))
        .or_else(|| get("journal"))
        .or_else(|| joined(get("booktitle"), get("booksubtitle")))
        .or_else(|| {
            (kind == "chapter" || kind == "book")
                .then(|| get("maintitle"))
                .flatten()
        });
    if let Some(c) = container {
        put(f, "container-title", c);
    }
    let number_var = if kind.starts_with("article") {
        "issue"
    } else {
        "number"
    };
    for field in ["number", "issue"] {
        if let Some(n) = get(field) {
            put(f, number_var, n);
        }
    }
    if let Some(t) = get("type") {
        put(f, "genre", thesis_type(&t));
    } else if type_name.eq_ignore_ascii_case("phdthesis") {
        put(f, "genre", "PhD thesis".to_string());
    } else if type_name.eq_ignore_ascii_case("mastersthesis") {
        put(f, "genre", "Master’s thesis".to_string());
    }
    for &(field, var) in BIB_FIELDS {
        let value = if CSL_PLAIN.contains(&var) {
            entry
                .get(field)
                .map(|c| c.format_verbatim().trim().to_string())
        } else {
            get(field)
        };
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            put(f, var, v);
        }
    }
    for (field, var) in [
        ("author", "author"),
        ("editor", "editor"),
        ("translator", "translator"),
        ("bookauthor", "container-author"),
    ] {
        if let Some(names) = entry.get(field).and_then(|_| bib_names(entry, field)) {
            f.insert(var.to_string(), names);
        }
    }
    let date = entry.date().ok();
    if let Some(v) = date.and_then(|d| bib_csl_date(&d)) {
        f.insert("issued".to_string(), v);
    }
    if let Some(v) = entry.url_date().ok().and_then(|d| bib_csl_date(&d)) {
        f.insert("accessed".to_string(), v);
    }
    item
}

/// BibLaTeX's thesis and report types by their keys, as readers see them.
fn thesis_type(t: &str) -> String {
    match t {
        "phdthesis" => "PhD thesis".to_string(),
        "mathesis" | "mastersthesis" => "Master’s thesis".to_string(),
        "techreport" => "Technical report".to_string(),
        "resreport" => "Research report".to_string(),
        other => other.to_string(),
    }
}

/// The names of a name field: `{World Bank}` and one-part names literal.
fn bib_names(entry: &biblatex::Entry, field: &str) -> Option<Value> {
    use hayagriva::citationberg::json::{LiteralName, NameItem, NameValue};
    let people = entry.get_as::<Vec<biblatex::Person>>(field).ok()?;
    let clean = |s: &str| latex::text(s).trim().to_string();
    let names = people
        .iter()
        .map(|p| {
            let (family, given) = (clean(&p.name), clean(&p.given_name));
            if given.is_empty() && p.prefix.is_empty() {
                return NameValue::Literal(LiteralName { literal: family });
            }
            let opt = |s: String| (!s.is_empty()).then_some(s);
            NameValue::Item(NameItem {
                family,
                given: opt(given),
                non_dropping_particle: opt(clean(&p.prefix)),
                dropping_particle: None,
                suffix: opt(clean(&p.suffix)),
                comma_suffix: None,
            })
        })
        .collect::<Vec<_>>();
    (!names.is_empty()).then_some(Value::Names(names))
}

/// A BibLaTeX date as a CSL date (a range's start, for the processor).
fn bib_csl_date(date: &PermissiveType<biblatex::Date>) -> Option<Value> {
    let PermissiveType::Typed(d) = date else {
        return None;
    };
    let dt = match d.value {
        DateValue::At(dt) | DateValue::After(dt) | DateValue::Before(dt) => dt,
        DateValue::Between(start, _) => start,
    };
    reference::date_parts(dt.year, dt.month.map(|m| m + 1), dt.day.map(|d| d + 1))
}

/// CSL name variables.
const CSL_NAMES: &[&str] = &[
    "author",
    "editor",
    "translator",
    "container-author",
    "collection-editor",
    "composer",
    "director",
    "interviewer",
    "recipient",
    "reviewed-author",
    "illustrator",
    "editorial-director",
    "original-author",
    "chair",
    "compiler",
    "contributor",
    "curator",
    "executive-producer",
    "guest",
    "host",
    "narrator",
    "organizer",
    "performer",
    "producer",
    "script-writer",
    "series-creator",
];

/// CSL date variables.
const CSL_DATES: &[&str] = &[
    "issued",
    "accessed",
    "event-date",
    "original-date",
    "submitted",
    "available-date",
];

/// The CSL item of a CSL-JSON item as written, rebuilt field by field so
/// that nothing the processor cannot take reaches it: dates are checked
/// (a range keeps its start), rich text becomes marks, names are kept
/// whole.
pub fn csl_item(value: &serde_json::Value, id: &str, kind: &str) -> Item {
    let mut item = reference::item(id, kind);
    let Some(fields) = value.as_object() else {
        return item;
    };
    for (key, v) in fields {
        if key == "id" || key == "type" {
            continue;
        }
        let converted = if CSL_NAMES.contains(&key.as_str()) {
            csl_names(v)
        } else if CSL_DATES.contains(&key.as_str()) {
            csl_date(v)
        } else {
            match v {
                serde_json::Value::String(s) if CSL_PLAIN.contains(&key.as_str()) => {
                    Some(Value::String(s.trim().to_string()))
                }
                serde_json::Value::String(s) => Some(Value::String(reference::rich_text(s))),
                serde_json::Value::Number(n) => n.as_i64().map(Value::Number),
                _ => None,
            }
        };
        if let Some(c) = converted {
            item.0.insert(key.clone(), c);
        }
    }
    item
}

fn csl_names(v: &serde_json::Value) -> Option<Value> {
    use hayagriva::citationberg::json::{LiteralName, NameItem, NameValue};
    let text = |n: &serde_json::Value, k: &str| {
        n.get(k)
            .and_then(|s| s.as_str())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let names = v
        .as_array()?
        .iter()
        .filter_map(|n| {
            if let Some(literal) = text(n, "literal") {
                return Some(NameValue::Literal(LiteralName { literal }));
            }
            let family = text(n, "family");
            let given = text(n, "given");
            let Some(family) = family else {
                return given.map(|literal| NameValue::Literal(LiteralName { literal }));
            };
            Some(NameValue::Item(NameItem {
                family,
                given,
                non_dropping_particle: text(n, "non-dropping-particle"),
                dropping_particle: text(n, "dropping-particle"),
                suffix: text(n, "suffix"),
                comma_suffix: n.get("comma-suffix").and_then(serde_json::Value::as_bool),
            }))
        })
        .collect::<Vec<_>>();
    (!names.is_empty()).then_some(Value::Names(names))
}

/// A CSL-JSON date: `date-parts` (a range keeps its start) or `raw`.
fn csl_date(v: &serde_json::Value) -> Option<Value> {
    let num = |p: &serde_json::Value| {
        p.as_i64()
            .or_else(|| p.as_str()?.trim().parse().ok())
            .and_then(|n| i32::try_from(n).ok())
    };
    if let Some(first) = v
        .get("date-parts")
        .and_then(|p| p.as_array())
        .and_then(|p| p.first())
        .and_then(|p| p.as_array())
    {
        let year = first.first().and_then(num)?;
        let small = |i: usize| {
            first
                .get(i)
                .and_then(num)
                .and_then(|n| u8::try_from(n).ok())
        };
        return reference::date_parts(year, small(1), small(2));
    }
    let raw = v.get("raw").and_then(|r| r.as_str())?;
    let d = BriefDate::parse(raw).ok()?;
    reference::date(&d)
}
