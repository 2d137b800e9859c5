//! Search: an index built at build time and read by a small script in the
//! browser, with no server and no network beyond the site itself.
//!
//! Steps: tokenize each published brief's title, summary, tags, entities and
//! body text (folded by the one rule of [`for_each_token`], which `search.js`
//! applies to queries) with a weight per field; invert into term -> postings; split the terms into shards by their
//! first two characters, so a query loads only the shards its words need.
//!
//! Files, under `search/`:
//! - `docs.json`: one record per brief, `[title, url, date iso, date display,
//!   score, band, band slug, summary]`, in document order (newest first);
//! - `t/<prefix>.json`: `{ term: [doc, weight, doc, weight, …] }` for terms
//!   starting with `<prefix>` (two characters, or one for a one-letter term).
//!
//! The README explains why this format beats one JSON blob, elasticlunr and
//! pagefind for this tool, with sizes measured on a 10,000-brief site.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::brief::Brief;
use crate::render::data::{Diff, Pieces};
use crate::render::files::{Content, Output, Sink};
use crate::render::view::BriefSummary;

mod postings;
use postings::Postings;

/// Words too common to help.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "in",
    "is", "it", "its", "of", "on", "or", "that", "the", "their", "this", "to", "was", "were",
    "which", "will", "with",
];

/// Field weights: a match in the title counts most.
const TITLE: u32 = 10;
const TAG: u32 = 6;
const SUMMARY: u32 = 3;
const BODY: u32 = 1;

/// Splits text into index terms, the same way `search.js` splits a query.
pub fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    let mut out = Vec::new();
    for_each_token(text, |t| out.push(t.to_string()));
    out.into_iter()
}

/// Letters that Unicode decomposition leaves whole, spelled the way a reader
/// types them without the letter on the keyboard (applied after lowercasing).
/// `search.js` holds the same table.
const LETTERS: [(char, &str); 12] = [
    ('æ', "ae"),
    ('œ', "oe"),
    ('ß', "ss"),
    ('ø', "o"),
    ('ł', "l"),
    ('đ', "d"),
    ('ð', "d"),
    ('þ', "th"),
    ('ħ', "h"),
    ('ı', "i"),
    ('ŧ', "t"),
    ('ς', "σ"),
];

/// A combining mark (Unicode general category M).
fn is_mark(c: char) -> bool {
    use icu_properties::CodePointMapData;
    use icu_properties::props::{GeneralCategory, GeneralCategoryGroup};
    GeneralCategoryGroup::Mark.contains(CodePointMapData::<GeneralCategory>::new().get(c))
}

/// Han, Hiragana, Katakana and Hangul: written without spaces between words,
/// so each such character is a term of its own. `search.js` holds the same ranges.
fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x11FF | 0x3040..=0x30FF | 0x3130..=0x318F | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xA960..=0xA97F | 0xAC00..=0xD7FF
        | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// Folds one word into `out`: compatibility decomposition (NFKD), combining
/// marks dropped, recomposed (NFC, for Hangul syllables), lowercased, then
/// [`LETTERS`].
fn fold_into(word: &str, out: &mut String) {
    use icu_normalizer::{ComposingNormalizerBorrowed, DecomposingNormalizerBorrowed};
    let bare: String = DecomposingNormalizerBorrowed::new_nfkd()
        .normalize_iter(word.chars())
        .filter(|&c| !is_mark(c))
        .collect();
    let lower = ComposingNormalizerBorrowed::new_nfc()
        .normalize(&bare)
        .to_lowercase();
    out.clear();
    for c in lower.chars() {
        match LETTERS.iter().find(|(from, _)| *from == c) {
            Some((_, to)) => out.push_str(to),
            None => out.push(c),
        }
    }
}

/// Calls `f` with each index term of `text`. The folding rule, which
/// `search.js` applies to a query in the same steps:
///
/// 1. words are the runs of letters, digits and combining marks;
/// 2. each word is folded by [`fold_into`] (`Æneid` → `aeneid`, `Société` →
///    `societe`, `Straße` → `strasse`; Greek, Cyrillic and CJK stay letters);
/// 3. the folded word is split at anything that is not a letter or digit,
///    and every Han, Kana or Hangul character ([`is_cjk`]) is a term alone;
/// 4. stop words are dropped.
///
/// Plain ASCII words skip the folding (it would only lowercase them).
fn for_each_token(text: &str, mut f: impl FnMut(&str)) {
    let mut folded = String::new();
    let mut emit = |term: &str| {
        if !STOP_WORDS.contains(&term) {
            f(term);
        }
    };
    for word in text
        .split(|c: char| !(c.is_alphanumeric() || (!c.is_ascii() && is_mark(c))))
        .filter(|w| !w.is_empty())
    {
        if word.is_ascii() {
            folded.clear();
            folded.extend(word.chars().map(|c| c.to_ascii_lowercase()));
            emit(&folded);
            continue;
        }
        fold_into(word, &mut folded);
        for part in folded
            .split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
        {
            split_cjk(part, &mut emit);
        }
    }
}

/// Calls `f` with each CJK character of `part` alone and each run of other
/// characters whole.
fn split_cjk(part: &str, f: &mut impl FnMut(&str)) {
    let mut run = 0;
    for (i, c) in part.char_indices() {
        if is_cjk(c) {
            if run < i {
                f(&part[run..i]);
            }
            f(&part[i..i + c.len_utf8()]);
            run = i + c.len_utf8();
        }
    }
    if run < part.len() {
        f(&part[run..]);
    }
}

/// Terms with their summed field weights.
type Weights = Vec<(String, u32)>;

/// Each term of one brief with its summed field weights.
fn weights(brief: &Brief) -> Weights {
    let mut weights: HashMap<String, u32> = HashMap::new();
    let mut add = |text: &str, weight: u32| {
        for_each_token(text, |term| match weights.get_mut(term) {
            Some(w) => *w += weight,
            None => {
                weights.insert(term.to_string(), weight);
            }
        })
    };
    add(&brief.title, TITLE);
    add(&brief.summary, SUMMARY);
    for term in brief.tags.iter().chain(&brief.entities) {
        add(term, TAG);
    }
    add(&html_text(&brief.content_html.text()), BODY);
    weights.into_iter().collect()
}

/// Text of rendered HTML: tags dropped, the few entities Markdown emits decoded.
fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

#[derive(Serialize)]
struct Doc<'a>(
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
);

/// The shard a term lives in.
pub fn shard(term: &str) -> &str {
    let end = term.char_indices().nth(2).map_or(term.len(), |(i, _)| i);
    &term[..end]
}

/// A published brief's record in `docs.json`.
pub fn record(s: &BriefSummary) -> Vec<u8> {
    let doc = Doc(
        &s.title,
        &s.url,
        &s.date.iso,
        &s.date.display,
        &s.score.display,
        &s.score.band,
        &s.score.band_slug,
        &s.summary,
    );
    serde_json::to_vec(&doc).expect("records serialize")
}

/// `docs.json`: the records, in document order.
pub(crate) fn docs_json(records: &Pieces<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(b"[")?;
    records.write_to(out, b",")?;
    out.write_all(b"]")
}

/// The index's list of documents.
pub const DOCS: &str = "search/docs.json";

/// The postings of every published brief, kept between `serve` rebuilds so
/// that a change re-tokenizes only the briefs it touches and rewrites only
/// the shards their terms fall in. A build starts from an empty index and
/// adds every brief: the same code path.
#[derive(Default)]
pub(crate) struct Index {
    /// Term -> (document, weight), sorted by document.
    postings: BTreeMap<String, Postings>,
}

impl Index {
    /// Brings the postings from `old` documents to `new` ones (the published
    /// briefs in order), with `diff` saying which new document keeps which
    /// old one, and puts into `sink` the shard files that may have changed.
    pub(crate) fn update(
        &mut self,
        old: &[Arc<Brief>],
        new: &[Arc<Brief>],
        diff: &Diff,
        sink: &dyn Sink,
    ) -> std::io::Result<()> {
        if diff.same_order {
            let changed: Vec<usize> = (0..new.len()).filter(|&d| diff.kept[d].is_none()).collect();
            // One brief's terms before and after, diffed: only their shards move.
            let terms: Vec<(Weights, Weights)> = changed
                .par_iter()
                .map(|&d| (weights(&old[d]), weights(&new[d])))
                .collect();
            let mut dirty: BTreeSet<String> = BTreeSet::new();
            for (&d, (before, after)) in changed.iter().zip(terms) {
                let after: HashMap<String, u32> = after.into_iter().collect();
                let before: HashMap<String, u32> = before.into_iter().collect();
                for (term, &weight) in &after {
                    if before.get(term) != Some(&weight) {
                        self.set(term, d as u32, Some(weight));
                        dirty.insert(shard(term).to_string());
                    }
                }
                for term in before.keys().filter(|t| !after.contains_key(*t)) {
                    self.set(term, d as u32, None);
                    dirty.insert(shard(term).to_string());
                }
            }
            return self.shard_files(dirty.iter().map(String::as_str).collect(), sink);
        }
        self.remap(new, diff);
        let prefixes = self.prefixes();
        self.shard_files(prefixes, sink)
    }

    /// Renumbers the kept documents, drops the others' postings and adds
    /// the postings of every document not kept.
    fn remap(&mut self, new: &[Arc<Brief>], diff: &Diff) {
        let mut number: Vec<Option<u32>> = vec![None; diff.old_len];
        for (d, kept) in diff.kept.iter().enumerate() {
            if let Some(o) = kept {
                number[*o] = Some(d as u32);
            }
        }
        self.postings.retain(|_, list| {
            list.renumber(|doc| number[doc as usize]);
            !list.is_empty()
        });
        let fresh: Vec<usize> = (0..new.len()).filter(|&d| diff.kept[d].is_none()).collect();
        // Tokenizing is the costly part: briefs in parallel, a chunk at a
        // time so that only one chunk's term lists are held before merging.
        for chunk in fresh.chunks(512) {
            let per_doc: Vec<Vec<(String, u32)>> =
                chunk.par_iter().map(|&d| weights(&new[d])).collect();
            for (&d, terms) in chunk.iter().zip(per_doc) {
                for (term, weight) in terms {
                    self.postings
                        .entry(term)
                        .or_default()
                        .push(d as u32, weight);
                }
            }
        }
        self.postings
            .par_iter_mut()
            .for_each(|(_, list)| list.sort());
    }

    /// Sets (or with `None` removes) `doc`'s weight for `term`.
    fn set(&mut self, term: &str, doc: u32, weight: Option<u32>) {
        if weight.is_some() && !self.postings.contains_key(term) {
            self.postings.insert(term.to_string(), Postings::default());
        }
        let Some(list) = self.postings.get_mut(term) else {
            return;
        };
        list.set(doc, weight);
        if list.is_empty() {
            self.postings.remove(term);
        }
    }

    /// The prefixes of every shard, in order.
    fn prefixes(&self) -> Vec<&str> {
        let mut prefixes: Vec<&str> = self.postings.keys().map(|t| shard(t)).collect();
        prefixes.dedup();
        prefixes
    }

    /// The paths of every shard file.
    pub(crate) fn paths(&self) -> impl Iterator<Item = String> + '_ {
        self.prefixes().into_iter().map(shard_path)
    }

    /// Puts into `sink` the files of the shards `prefixes` that hold any term.
    fn shard_files(&self, prefixes: Vec<&str>, sink: &dyn Sink) -> std::io::Result<()> {
        prefixes.into_par_iter().try_for_each(|prefix| {
            let terms = self.shard_terms(prefix);
            if terms.is_empty() {
                return Ok(());
            }
            sink.put(Output {
                path: shard_path(prefix),
                content: Content::Bytes(serde_json::to_vec(&terms).expect("shards serialize")),
                source: None,
            })
        })
    }

    /// The terms of one shard with their postings.
    fn shard_terms(&self, prefix: &str) -> BTreeMap<&str, &Postings> {
        // A one-character shard holds that term alone; a longer prefix, a
        // run of the sorted terms.
        if prefix.chars().nth(1).is_none() {
            return self
                .postings
                .get_key_value(prefix)
                .map(|(t, list)| (t.as_str(), list))
                .into_iter()
                .collect();
        }
        self.postings
            .range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
            .take_while(|(t, _)| t.starts_with(prefix))
            .map(|(t, list)| (t.as_str(), list))
            .collect()
    }
}

fn shard_path(prefix: &str) -> String {
    format!("search/t/{prefix}.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_fold_case_and_accents_and_drop_stop_words() {
        let got: Vec<String> = tokens("The Société Générale's AI-chips, in 2026!").collect();
        assert_eq!(got, ["societe", "generale", "s", "ai", "chips", "2026"]);
    }

    #[test]
    fn ligatures_special_letters_scripts_and_cjk_fold_by_one_rule() {
        let got: Vec<String> =
            tokens("Æneid Straße Łódź ΟΔΥΣΣΕΥΣ Москва ﬁnance 東京タワー 서울 e\u{301}te\u{301}")
                .collect();
        assert_eq!(
            got,
            [
                "aeneid",
                "strasse",
                "lodz",
                "οδυσσευσ",
                "москва",
                "finance",
                "東",
                "京",
                "タ",
                "ワ",
                "ー",
                "서",
                "울",
                "ete"
            ]
        );
    }

    #[test]
    fn html_text_drops_tags() {
        assert_eq!(
            html_text("<p>A &amp; B<sup>1</sup></p>")
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["A", "&", "B", "1"]
        );
    }

    #[test]
    fn shards_are_two_character_prefixes() {
        assert_eq!(shard("trainium"), "tr");
        assert_eq!(shard("x"), "x");
        assert_eq!(shard("5g"), "5g");
    }
}
