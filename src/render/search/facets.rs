//! Facets: the tags, entities and score bands a search can be narrowed to,
//! with their counts over the current results, and the brief scores a
//! search sorts by, written so that neither needs every record.
//!
//! Files, under `search/`:
//! - `facets.json`: `{"rows": R, "scores": S, "budget": B, "rowBytes":
//!   [size, …], "values": [[kind, slug, label, count], …]}`: the size of
//!   each rows file, the bytes of them a query's counts may fetch
//!   (`search.counts_kb`), and one value per tag, entity and band (`kind`
//!   is `tag`, `entity` or `band`, the URL's keys), most frequent first (a
//!   value's place in the list is its id);
//! - `b/<k>.json.gz`: one string of a character per document from `k·S`:
//!   its band's id ([`digit`]), to count bands: a few bits a document once
//!   compressed, so every query can afford them;
//! - `s/<k>.json.gz`: the same for the document's score rank (0 for the
//!   highest score), fetched only to sort by score;
//! - `r/<k>.json.gz`: one string holding the rows of documents `k·R` to
//!   `k·R + R - 1`, separated by spaces: a row is the ids of the document's
//!   tags and entities, each number one character ([`digit`]), so most rows
//!   are under ten bytes;
//! - `v/<id>.json.gz`: `{"d": [doc, …], "c": [id, count, …]}`: the documents
//!   holding one value (each after the first as the difference from the one
//!   before) and how many of them hold each other value, so that "every
//!   brief tagged X" needs this one file and no rows.
//!
//! A query's results take the bands of the parts their documents fall in
//! (to count them), the score ranks only to sort by score, and the rows only when the
//! reader opens the tags' or entities' counts: all the rows files the
//! results fall in when they come to `B` bytes or less, otherwise as many
//! as fit, spread over the results, from which the counts are estimated.
//! A filter takes its value's file. Every file but `facets.json` is gzip-compressed JSON, at the
//! default level ([`gzip_small`]).

use std::collections::HashMap;

use serde::Serialize;

use crate::render::search::gzip_small;
use crate::render::view::BriefSummary;

/// Documents per rows file: about 10 KB each.
pub const ROWS: usize = 1024;

/// Documents per score ranks file and per bands file: about 16 KB each
/// before compression.
pub const SCORES: usize = 16 * 1024;

/// The facets' list of values.
pub const FACETS: &str = "search/facets.json";

/// Characters for the numbers 0 to 91: printable ASCII but the space (the
/// rows' separator), the quote and the backslash (escaped in JSON).
const ASCII: &[u8; 92] =
    b"!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";

/// The character of number `n` in a row: [`ASCII`] below 92, then the code
/// points from U+00A1 on, the surrogates skipped. `search.js` reads them back.
pub fn digit(n: usize) -> char {
    if let Some(&b) = ASCII.get(n) {
        return char::from(b);
    }
    let mut cp = 0xA1 + (n - ASCII.len()) as u32;
    if cp >= 0xD800 {
        cp += 0x800;
    }
    char::from_u32(cp).expect("fewer than a million values")
}

/// One tag, entity or band, and the documents that hold it.
struct Value<'a> {
    kind: &'static str,
    slug: &'a str,
    label: &'a str,
    docs: Vec<u32>,
}

#[derive(Serialize)]
struct Manifest<'a> {
    rows: usize,
    scores: usize,
    budget: usize,
    #[serde(rename = "rowBytes")]
    row_bytes: Vec<usize>,
    values: Vec<(&'a str, &'a str, &'a str, usize)>,
}

#[derive(Serialize)]
struct ValueFile {
    d: Vec<u32>,
    c: Vec<u32>,
}

/// The facet files of the published briefs `docs` (in document order),
/// for counts that fetch up to `budget` bytes of rows: each path with its
/// bytes.
pub fn files(docs: &[&BriefSummary], budget: usize) -> Vec<(String, Vec<u8>)> {
    let values = values(docs);
    let mut ids: Vec<Vec<u32>> = vec![Vec::new(); docs.len()];
    for (id, value) in values.iter().enumerate() {
        for &d in &value.docs {
            ids[d as usize].push(id as u32);
        }
    }
    let ranks = score_ranks(docs);
    // A document's band: the one band id in its list.
    let bands: Vec<u32> = (ids.iter())
        .map(|row| {
            *(row.iter())
                .find(|&&id| values[id as usize].kind == "band")
                .expect("every brief has a band")
        })
        .collect();
    let mut files =
        Vec::with_capacity(values.len() + docs.len() / ROWS + 2 * docs.len() / SCORES + 3);
    // The manifest, which holds the rows files' sizes, goes first.
    files.push((FACETS.to_string(), Vec::new()));
    for (k, chunk) in ids.chunks(ROWS).enumerate() {
        let mut rows = String::with_capacity(chunk.len() * 10);
        for (i, row) in chunk.iter().enumerate() {
            if i > 0 {
                rows.push(' ');
            }
            let terms = row.iter().filter(|&&id| values[id as usize].kind != "band");
            rows.extend(terms.map(|&id| digit(id as usize)));
        }
        let json = serde_json::to_vec(&rows).expect("rows serialize");
        files.push((rows_path(k), gzip_small(&json)));
    }
    let manifest = Manifest {
        rows: ROWS,
        scores: SCORES,
        budget,
        row_bytes: files[1..].iter().map(|(_, bytes)| bytes.len()).collect(),
        values: (values.iter())
            .map(|v| (v.kind, v.slug, v.label, v.docs.len()))
            .collect(),
    };
    files[0].1 = serde_json::to_vec(&manifest).expect("the facets serialize");
    for (k, chunk) in ranks.chunks(SCORES).enumerate() {
        let text: String = chunk.iter().map(|&rank| digit(rank)).collect();
        let json = serde_json::to_vec(&text).expect("ranks serialize");
        files.push((scores_path(k), gzip_small(&json)));
    }
    for (k, chunk) in bands.chunks(SCORES).enumerate() {
        let text: String = chunk.iter().map(|&id| digit(id as usize)).collect();
        let json = serde_json::to_vec(&text).expect("bands serialize");
        files.push((bands_path(k), gzip_small(&json)));
    }
    let mut counts = vec![0u32; values.len()];
    for (id, value) in values.iter().enumerate() {
        let mut seen = Vec::new();
        for &d in &value.docs {
            for &other in &ids[d as usize] {
                if other as usize != id {
                    if counts[other as usize] == 0 {
                        seen.push(other);
                    }
                    counts[other as usize] += 1;
                }
            }
        }
        seen.sort_unstable();
        let c = (seen.iter())
            .flat_map(|&o| [o, std::mem::take(&mut counts[o as usize])])
            .collect();
        let mut last = 0;
        let d = (value.docs.iter())
            .map(|&doc| doc - std::mem::replace(&mut last, doc))
            .collect();
        let json = serde_json::to_vec(&ValueFile { d, c }).expect("a value serializes");
        files.push((value_path(id), gzip_small(&json)));
    }
    files
}

/// Every tag, entity and band with its documents, most frequent first
/// (then by kind and slug, so that ids are stable while counts are).
fn values<'a>(docs: &[&'a BriefSummary]) -> Vec<Value<'a>> {
    let mut at: HashMap<(&'static str, &'a str), usize> = HashMap::new();
    let mut values: Vec<Value<'a>> = Vec::new();
    for (d, summary) in docs.iter().enumerate() {
        let terms = (summary.tags.iter().map(|t| ("tag", t)))
            .chain(summary.entities.iter().map(|t| ("entity", t)));
        let band = (
            summary.score.band_slug.as_str(),
            summary.score.band.as_str(),
        );
        let named = terms
            .map(|(kind, t)| (kind, t.slug.as_str(), t.name.as_str()))
            .chain([("band", band.0, band.1)]);
        for (kind, slug, label) in named {
            let n = *at.entry((kind, slug)).or_insert_with(|| {
                values.push(Value {
                    kind,
                    slug,
                    label,
                    docs: Vec::new(),
                });
                values.len() - 1
            });
            // A term written twice in one brief counts once.
            if values[n].docs.last() != Some(&(d as u32)) {
                values[n].docs.push(d as u32);
            }
        }
    }
    values.sort_by(|a, b| {
        (b.docs.len().cmp(&a.docs.len()))
            .then_with(|| a.kind.cmp(b.kind))
            .then_with(|| a.slug.cmp(b.slug))
    });
    values
}

/// What the facet files read of one brief, written out: its tags and
/// entities (slug and name), its band and its score. `serve` re-makes the
/// facet files only when some brief's key, or their order, changed.
pub fn key(summary: &BriefSummary) -> String {
    use std::fmt::Write as _;
    let mut key = String::new();
    for (kind, terms) in [('t', &summary.tags), ('e', &summary.entities)] {
        for term in terms {
            let _ = write!(key, "{kind}{}\u{1f}{}\u{1e}", term.slug, term.name);
        }
    }
    let score = &summary.score;
    let _ = write!(
        key,
        "b{}\u{1f}{}\u{1e}s{}",
        score.band_slug, score.band, score.value
    );
    key
}

/// Each document's rank among the distinct scores, 0 for the highest.
fn score_ranks(docs: &[&BriefSummary]) -> Vec<usize> {
    let mut scores: Vec<f64> = docs.iter().map(|s| s.score.value).collect();
    scores.sort_by(|a, b| b.total_cmp(a));
    scores.dedup();
    (docs.iter())
        .map(|s| {
            (scores.binary_search_by(|x| s.score.value.total_cmp(x)))
                .expect("every score is listed")
        })
        .collect()
}

/// The path of rows file `k`.
pub fn rows_path(k: usize) -> String {
    format!("search/r/{k}.json.gz")
}

/// The path of score ranks file `k`.
pub fn scores_path(k: usize) -> String {
    format!("search/s/{k}.json.gz")
}

/// The path of bands file `k`.
pub fn bands_path(k: usize) -> String {
    format!("search/b/{k}.json.gz")
}

/// The path of value `id`'s file.
pub fn value_path(id: usize) -> String {
    format!("search/v/{id}.json.gz")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Numbers map to distinct characters, none of them one JSON escapes or
    /// the rows' separator, and the same way `search.js` reads them.
    #[test]
    fn digits_are_distinct_plain_characters() {
        let chars: Vec<char> = (0..60_000).map(digit).collect();
        let mut sorted = chars.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), chars.len());
        assert!(chars.iter().all(|c| !matches!(c, ' ' | '"' | '\\')));
        assert_eq!((digit(0), digit(91), digit(92)), ('!', '~', '\u{A1}'));
        let json = serde_json::to_string(&chars[..200].iter().collect::<String>()).unwrap();
        assert!(!json[1..json.len() - 1].contains('\\'), "{json}");
    }
}
