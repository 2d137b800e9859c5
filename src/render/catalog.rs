//! `briefs.json`: every published brief's metadata, for other tools.
//!
//! The format is documented in the README; it changes only by adding fields.
//! Past [`PART_SIZE`] published briefs (at 100,000 the whole would be over
//! 200 MB) `briefs.json` names parts instead, `briefs-1.json`, … of
//! [`PART_SIZE`] briefs each, so a consumer fetches one at a time.

use serde::Serialize;

use crate::content::types::brief::Brief;
use crate::render::files::Sink;
use crate::render::format::DateForms;
use crate::render::shares::Pieces;
use crate::render::view::BriefSummary;
use crate::site::Site;

#[derive(Serialize)]
struct Catalog<'a> {
    generator: String,
    title: &'a str,
    base_url: String,
    scale: f64,
    /// In a part of a split catalog: its number, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    part: Option<usize>,
    /// Always empty: the entries are spliced in, each made once.
    briefs: Vec<Entry<'a>>,
}

/// `briefs.json` of a split catalog: the parts in order, newest briefs first.
#[derive(Serialize)]
struct Split<'a> {
    generator: String,
    title: &'a str,
    base_url: String,
    scale: f64,
    /// Published briefs in all parts.
    count: usize,
    parts: Vec<Part>,
}

#[derive(Serialize)]
struct Part {
    /// The part's file, relative to `briefs.json`.
    path: String,
    url: String,
    /// Briefs in the part.
    count: usize,
    /// The dates of its first (newest) and last (oldest) brief.
    newest: String,
    oldest: String,
}

/// Published briefs per part of a split `briefs.json`; a site with no more
/// keeps the one file.
pub const PART_SIZE: usize = 1000;

/// The path of part `n` (from 1) of a split `briefs.json`.
pub fn part_path(n: usize) -> String {
    format!("briefs-{n}.json")
}

#[derive(Serialize)]
struct Entry<'a> {
    slug: &'a str,
    title: &'a str,
    url: String,
    date: &'a str,
    updated: Option<&'a str>,
    summary: &'a str,
    authors: &'a [String],
    score: Score<'a>,
    tags: Vec<&'a str>,
    entities: Vec<&'a str>,
    sources: Vec<Source<'a>>,
    watch: Vec<Watch<'a>>,
}

#[derive(Serialize)]
struct Score<'a> {
    value: f64,
    band: &'a str,
    factors: Vec<Factor<'a>>,
}

#[derive(Serialize)]
struct Factor<'a> {
    name: &'a str,
    value: f64,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct Source<'a> {
    id: &'a str,
    number: Option<usize>,
    publisher: &'a str,
    title: &'a str,
    url: Option<&'a str>,
    date: Option<String>,
    accessed: Option<String>,
    kind: &'static str,
}

#[derive(Serialize)]
struct Watch<'a> {
    item: &'a str,
    by: Option<String>,
}

/// A published brief's entry in `briefs.json`, as it appears there: pretty
/// printed and indented to its place in the `briefs` list.
pub fn entry(site: &Site, b: &Brief, s: &BriefSummary) -> Vec<u8> {
    let entry = Entry {
        slug: &b.slug,
        title: &b.title,
        url: site.absolute_url(&crate::site::Site::brief_path(&b.slug)),
        date: &s.date.iso,
        updated: s.updated.as_ref().map(|d| d.iso.as_str()),
        summary: &b.summary,
        authors: &s.authors,
        score: Score {
            value: b.score,
            band: &s.score.band,
            factors: b
                .factors
                .iter()
                .map(|f| Factor {
                    name: &f.name,
                    value: f.value,
                    note: f.note.as_deref(),
                })
                .collect(),
        },
        tags: b.tags.iter().map(String::as_str).collect(),
        entities: b.entities.iter().map(String::as_str).collect(),
        sources: b
            .sources
            .iter()
            .map(|src| Source {
                id: &src.id,
                number: src.number,
                publisher: &src.publisher,
                title: &src.title,
                url: src.url.as_deref(),
                date: src.date.map(|d| d.view().iso),
                accessed: src.accessed.map(|d| d.view().iso),
                kind: src.kind.as_str(),
            })
            .collect(),
        watch: b
            .watch
            .iter()
            .map(|w| Watch {
                item: &w.item,
                by: w.by.map(|d| d.view().iso),
            })
            .collect(),
    };
    let pretty = serde_json::to_vec_pretty(&entry).expect("an entry always serializes");
    // JSON strings hold no raw line breaks: every line break is layout.
    let mut indented = Vec::with_capacity(pretty.len() + pretty.len() / 8);
    let mut line = 0;
    for end in memchr::memchr_iter(b'\n', &pretty) {
        indented.extend_from_slice(ENTRY_INDENT);
        indented.extend_from_slice(&pretty[line..=end]);
        line = end + 1;
    }
    indented.extend_from_slice(ENTRY_INDENT);
    indented.extend_from_slice(&pretty[line..]);
    indented
}

/// An entry's indentation inside the catalog's `briefs` list.
const ENTRY_INDENT: &[u8] = b"    ";

/// Puts `briefs.json` into `sink`, from the published briefs' [`entry`]s
/// (newest first; `date` gives brief `d`'s date): the one file while there
/// are at most `part_size`, otherwise an index of parts of `part_size`
/// briefs, each put as it is written. Returns how many parts there are.
pub(crate) fn write(
    site: &Site,
    entries: &Pieces<'_>,
    date: &dyn Fn(usize) -> String,
    part_size: usize,
    sink: &dyn Sink,
) -> std::io::Result<usize> {
    let count = entries.len();
    if count <= part_size {
        sink.put_written("briefs.json", &mut |out| catalog(site, None, entries, out))?;
        return Ok(0);
    }
    let ranges: Vec<std::ops::Range<usize>> = (0..count)
        .step_by(part_size)
        .map(|first| first..(first + part_size).min(count))
        .collect();
    let parts = ranges
        .iter()
        .enumerate()
        .map(|(k, range)| Part {
            path: part_path(k + 1),
            url: site.absolute_url(&part_path(k + 1)),
            count: range.len(),
            newest: date(range.start),
            oldest: date(range.end - 1),
        })
        .collect();
    let split = Split {
        generator: generator(),
        title: &site.config.title,
        base_url: site.config.base_url.to_string(),
        scale: site.config.scale,
        count,
        parts,
    };
    let mut index = serde_json::to_vec_pretty(&split).expect("the catalog always serializes");
    index.push(b'\n');
    sink.put_written("briefs.json", &mut |out| out.write_all(&index))?;
    for (k, range) in ranges.iter().enumerate() {
        let part = entries.slice(range.clone());
        sink.put_written(&part_path(k + 1), &mut |out| {
            catalog(site, Some(k + 1), &part, out)
        })?;
    }
    Ok(ranges.len())
}

fn generator() -> String {
    format!("briefs {}", env!("CARGO_PKG_VERSION"))
}

/// A catalog of `entries` (part `part` of a split one): what `serde_json`'s
/// pretty printer writes for the whole.
fn catalog(
    site: &Site,
    part: Option<usize>,
    entries: &Pieces<'_>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let catalog = Catalog {
        generator: generator(),
        title: &site.config.title,
        base_url: site.config.base_url.to_string(),
        scale: site.config.scale,
        part,
        briefs: Vec::new(),
    };
    let mut head = serde_json::to_vec_pretty(&catalog).expect("the catalog always serializes");
    if entries.is_empty() {
        head.push(b'\n');
        return out.write_all(&head);
    }
    let empty = b"[]\n}";
    assert!(head.ends_with(empty), "the briefs list closes the catalog");
    head.truncate(head.len() - empty.len());
    head.extend_from_slice(b"[\n");
    out.write_all(&head)?;
    entries.write_to(out, b",\n")?;
    out.write_all(b"\n  ]\n}\n")
}
