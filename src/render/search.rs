//! Search: an index built at build time and read by a small script in the
//! browser, with no server and no network beyond the site itself.
//!
//! Steps: tokenize each published brief's title, summary, tags, entities,
//! authors, sources (publisher and title) and body text (folded by the one
//! rule of [`for_each_token`], which `search.js` applies to queries) with a
//! weight per field; invert into term -> postings; group the terms by their
//! first two characters and cut each group into parts of at most
//! [`PART_BYTES`] (a term whose postings are larger is a part alone), so a
//! query fetches only the parts its words fall in, and each brief's record
//! is a file of its own, fetched only when the result is shown.
//!
//! Files, under `search/`:
//! - `index.json`: `{"docs": N, "shards": {prefix: [first term of each part
//!   after the first]}}`, so the script knows which part holds a term and
//!   never asks for one that does not exist;
//! - `t/<prefix>.json.gz`, `t/<prefix>.<k>.json.gz` (part `k` from 1):
//!   `{ term: [doc, weight, doc, weight, …] }`, each `doc` after the first
//!   written as the difference from the one before (they ascend);
//! - `f/<doc>.json.gz`: one brief's record, `[title, url, date iso, date
//!   display, score, band, band slug, summary, sections]`, `sections` being
//!   the body's text as `[[heading id, text], …]` (at most
//!   [`SECTION_TEXT`] bytes) for an excerpt around the words a query
//!   matched and a link to their section; documents are numbered in order,
//!   newest first.
//!
//! Every file but `index.json` is gzip-compressed JSON ([`gzip`]), as
//! Pagefind compresses its own. The README gives the sizes a query fetches, measured against Pagefind.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use ahash::AHashMap;
use std::ops::Bound;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::types::brief::Brief;
use crate::render::files::{Content, Output, Sink};
use crate::render::shares::Diff;
use crate::render::view::BriefSummary;

pub mod facets;
mod postings;
use postings::Postings;

/// Words too common to help (`search.js` holds the same list).
fn is_stop_word(term: &str) -> bool {
    // A `match` rather than a scan of a list: every word of every brief is
    // checked, and this compiles to a few length and byte comparisons.
    matches!(
        term,
        "a" | "an"
            | "and"
            | "are"
            | "as"
            | "at"
            | "be"
            | "but"
            | "by"
            | "for"
            | "from"
            | "has"
            | "have"
            | "in"
            | "is"
            | "it"
            | "its"
            | "of"
            | "on"
            | "or"
            | "that"
            | "the"
            | "their"
            | "this"
            | "to"
            | "was"
            | "were"
            | "which"
            | "will"
            | "with"
    )
}

/// Field weights: a match in the title counts most.
const TITLE: u32 = 10;
const TAG: u32 = 6;
const AUTHOR: u32 = 6;
const SUMMARY: u32 = 3;
const SOURCE: u32 = 2;
const BODY: u32 = 1;

/// The most bytes of postings one part of a shard holds, unless a single
/// term's postings are larger. Small enough that a query's parts stay a few
/// tens of KB on a 10,000-brief site, large enough that a typical word is
/// one request.
pub const PART_BYTES: usize = 16 * 1024;

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
/// Plain ASCII words skip the folding (it would only lowercase them), and
/// are found by a walk of bytes ([`CLASS`]): the text of a brief is almost
/// all ASCII, and a walk of its chars was most of the indexing.
fn for_each_token(text: &str, mut f: impl FnMut(&str)) {
    let mut folded = String::new();
    let mut emit = |term: &str| {
        if !is_stop_word(term) {
            f(term);
        }
    };
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // ASCII that is not a letter or digit starts no word.
        at += run(&bytes[at..], |class| class == OTHER || class == SPACE);
        let Some(&b) = bytes.get(at) else { break };
        if class(b) == LONGER {
            let c = text[at..].chars().next().expect("a char starts here");
            if !is_word_char(c) {
                at += c.len_utf8();
                continue;
            }
        }
        let (end, ascii) = word_end(text, at);
        let word = &text[at..end];
        at = end;
        if ascii {
            if word.bytes().any(|b| b.is_ascii_uppercase()) {
                folded.clear();
                folded.push_str(word);
                folded.make_ascii_lowercase();
                emit(&folded);
            } else {
                emit(word);
            }
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

/// Whether `c` belongs to a word (step 1 of [`for_each_token`]'s rule).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || (!c.is_ascii() && is_mark(c))
}

/// A byte's class for the walks of text ([`CLASS`]).
const OTHER: u8 = 0;
/// An ASCII letter or digit.
const ALNUM: u8 = 1;
/// ASCII white space as `char::is_whitespace` has it (with the vertical
/// tab, unlike `u8::is_ascii_whitespace`).
const SPACE: u8 = 2;
/// A byte of a char longer than one byte.
const LONGER: u8 = 3;

/// Each byte's class: one look-up a byte where the walks of text spend
/// their time.
static CLASS: [u8; 256] = {
    let mut class = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        class[b] = match b as u8 {
            b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' => ALNUM,
            b' ' | b'\t'..=b'\r' => SPACE,
            0x80..=0xFF => LONGER,
            _ => OTHER,
        };
        b += 1;
    }
    class
};

fn class(b: u8) -> u8 {
    CLASS[usize::from(b)]
}

/// How many bytes from the start of `bytes` have a class `within` takes.
fn run(bytes: &[u8], within: impl Fn(u8) -> bool) -> usize {
    (bytes.iter())
        .position(|&b| !within(class(b)))
        .unwrap_or(bytes.len())
}

/// Where the word starting at byte `start` of `text` ends, and whether it
/// is all ASCII: ASCII letters and digits by their bytes' class, then, at
/// a longer char, the rule char by char.
fn word_end(text: &str, start: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let at = start + run(&bytes[start..], |class| class == ALNUM);
    if bytes.get(at).is_none_or(|&b| class(b) != LONGER) {
        return (at, true);
    }
    let mut end = at;
    for c in text[at..].chars().take_while(|&c| is_word_char(c)) {
        end += c.len_utf8();
    }
    (end, end == at)
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
    // Found by one hash whether the term is new or not (`entry_ref` makes
    // the key only for a new term), which the standard map cannot do.
    let mut weights: hashbrown::HashMap<String, u32, ahash::RandomState> =
        hashbrown::HashMap::with_capacity_and_hasher(512, ahash::RandomState::new());
    let mut add = |text: &str, weight: u32| {
        for_each_token(text, |term| *weights.entry_ref(term).or_insert(0) += weight);
    };
    add(&brief.title, TITLE);
    add(&brief.summary, SUMMARY);
    for term in brief.tags.iter().chain(&brief.entities) {
        add(term, TAG);
    }
    for author in brief.authors.iter().flatten() {
        add(author, AUTHOR);
    }
    // Only cited sources are published, so only they are searched.
    for source in brief.sources.iter().filter(|s| s.number.is_some()) {
        add(&source.publisher, SOURCE);
        add(&source.title, SOURCE);
    }
    add(&html_text(&brief.content_html.decompress()), BODY);
    weights.into_iter().collect()
}

/// Text of rendered HTML: tags dropped (each a space), the few entities
/// Markdown emits decoded, one after the other.
fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let bytes = html.as_bytes();
    let mut at = 0;
    // Outside a tag up to its `<`, copied; inside up to its `>`, a space.
    while let Some(open) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) {
        text.push_str(&html[at..open]);
        let Some(close) = memchr::memchr(b'>', &bytes[open..]).map(|i| open + i) else {
            return decode_entities(text);
        };
        text.push(' ');
        at = close + 1;
    }
    text.push_str(&html[at..]);
    decode_entities(text)
}

/// `text` with `&amp;`, `&lt;`, `&gt;`, `&quot;` and `&#39;` decoded in
/// that order (so `&amp;lt;` becomes `<`); most text holds none, and is
/// returned as it is.
fn decode_entities(mut text: String) -> String {
    if memchr::memchr(b'&', text.as_bytes()).is_none() {
        return text;
    }
    for (entity, plain) in [
        ("&amp;", "&"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
    ] {
        if text.contains(entity) {
            text = text.replace(entity, plain);
        }
    }
    text
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
    Vec<(String, String)>,
);

/// The most bytes of body text a record carries for excerpts: a brief's
/// body is usually shorter; words past it get the summary instead.
pub const SECTION_TEXT: usize = 4096;

/// The body's sections, each the id of the heading it starts with (empty
/// for the text before the first heading) and its text with spaces
/// collapsed, within [`SECTION_TEXT`] bytes in all.
fn sections(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut budget = SECTION_TEXT;
    let mut id = String::new();
    let mut rest = html;
    while budget > 0 {
        let next = next_heading(rest);
        let body = next.as_ref().map_or(rest, |(at, _, _)| &rest[..*at]);
        // A heading's anchor is a lone "#", not text.
        let text = readable(&html_text(&without_anchors(body)), budget);
        let text = cut(&text, budget);
        if !text.is_empty() {
            budget -= text.len();
            out.push((std::mem::take(&mut id), text.to_string()));
        }
        let Some((_, heading, after)) = next else {
            break;
        };
        id = heading;
        rest = &rest[after..];
    }
    out
}

/// `body` with each `>#</a>` (a heading's anchor) made `></a>`, as
/// `str::replace` does: the occurrences, none overlapping, from the left.
fn without_anchors(body: &str) -> std::borrow::Cow<'_, str> {
    const ANCHOR: &str = ">#</a>";
    let mut found = memchr::memmem::find_iter(body.as_bytes(), ANCHOR).peekable();
    if found.peek().is_none() {
        return body.into();
    }
    let mut out = String::with_capacity(body.len());
    let mut from = 0;
    for at in found {
        out.push_str(&body[from..at]);
        out.push_str("></a>");
        from = at + ANCHOR.len();
    }
    out.push_str(&body[from..]);
    out.into()
}

/// Text with its spaces collapsed, and none before closing punctuation
/// (each tag became a space: `<em>did</em>.`), made only until it is longer
/// than `limit` bytes: [`cut`] to `limit` reads no further, and a section
/// can be the whole body.
fn readable(text: &str, limit: usize) -> String {
    let mut out = String::with_capacity(text.len().min(limit.saturating_add(64)));
    let mut at = 0;
    while at < text.len() && out.len() <= limit {
        if let Some(space) = space_at(text, at) {
            at += space;
            continue;
        }
        let start = at;
        at = space_next(text, at);
        let word = &text[start..at];
        let closing = word.starts_with([
            '.', ',', ';', ':', '!', '?', ')', ']', '\u{2019}', '\u{201d}',
        ]);
        if !out.is_empty() && !closing {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The length of the white space char starting at byte `at` of `text`, if
/// one does.
fn space_at(text: &str, at: usize) -> Option<usize> {
    let b = text.as_bytes()[at];
    if b.is_ascii() {
        return (class(b) == SPACE).then_some(1);
    }
    let c = text[at..].chars().next()?;
    c.is_whitespace().then(|| c.len_utf8())
}

/// Where the next white space char at or after byte `at` of `text` starts
/// (its length when there is none): ASCII by its bytes' class, which
/// nearly all text is.
fn space_next(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        at += run(&bytes[at..], |class| class == ALNUM || class == OTHER);
        match bytes.get(at) {
            Some(&b) if class(b) == LONGER && space_at(text, at).is_none() => at += utf8_len(b),
            _ => return at,
        }
    }
}

/// The length of the UTF-8 char whose first byte is `first`.
fn utf8_len(first: u8) -> usize {
    match first {
        0..0x80 => 1,
        0xC0..0xE0 => 2,
        0xE0..0xF0 => 3,
        _ => 4,
    }
}

/// The next heading with an id in `html` (as Markdown renders them,
/// `<hN id="…"`): where it starts, its id and where its text starts.
fn next_heading(html: &str) -> Option<(usize, String, usize)> {
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&html.as_bytes()[from..], b"<h").map(|i| from + i) {
        let tail = &html[at + 2..];
        if tail.starts_with(|c: char| ('1'..='6').contains(&c)) && tail[1..].starts_with(" id=\"") {
            let value = &tail[6..];
            let end = value.find('"')?;
            let id = html_text(&value[..end]);
            let after = at + 2 + 6 + value.find('>')? + 1;
            return Some((at, id, after));
        }
        from = at + 2;
    }
    None
}

/// `text` cut to at most `max` bytes, at a space when it must be cut.
fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end]
        .rsplit_once(' ')
        .map_or(&text[..end], |(head, _)| head)
}

/// The shard a term lives in.
pub fn shard(term: &str) -> &str {
    let end = term.char_indices().nth(2).map_or(term.len(), |(i, _)| i);
    &term[..end]
}

/// A published brief's record, `search/f/<doc>.json.gz`.
pub fn record(s: &BriefSummary, brief: &Brief) -> Vec<u8> {
    let doc = Doc(
        &s.title,
        &s.url,
        &s.date.iso,
        &s.date.display,
        &s.score.display,
        &s.score.band,
        &s.score.band_slug,
        &s.summary,
        sections(&brief.content_html.decompress()),
    );
    gzip(&serde_json::to_vec(&doc).expect("records serialize"))
}

/// The index's list of shards and their parts.
pub const INDEX: &str = "search/index.json";

/// The path of document `doc`'s record.
pub fn fragment_path(doc: usize) -> String {
    format!("search/f/{doc}.json.gz")
}

/// The postings of every published brief, kept between `serve` rebuilds so
/// that a change re-tokenizes only the briefs it touches and rewrites only
/// the shards their terms fall in. A build starts from an empty index and
/// adds every brief: the same code path.
#[derive(Default)]
pub(crate) struct Index {
    /// Term -> (document, weight), sorted by document.
    postings: BTreeMap<String, Postings>,
    /// Shard prefix -> the first term of each of its parts.
    parts: BTreeMap<String, Vec<String>>,
    /// `index.json` as last put, to put it again only when it changes.
    manifest: Vec<u8>,
}

impl Index {
    /// Brings the postings from `old` documents to `new` ones (the published
    /// briefs in order), with `diff` saying which new document keeps which
    /// old one, and puts into `sink` the shard files that may have changed
    /// and `index.json` when it changed.
    pub(crate) fn update(
        &mut self,
        old: &[Arc<Brief>],
        new: &[Arc<Brief>],
        diff: &Diff,
        sink: &dyn Sink,
    ) -> std::io::Result<()> {
        let dirty: Vec<String> = if diff.same_order {
            self.edit(old, new, diff)
        } else {
            self.remap(new, diff);
            self.parts.clear();
            self.prefixes().into_iter().map(str::to_string).collect()
        };
        let dirty: Vec<&str> = dirty.iter().map(String::as_str).collect();
        let made = self.shard_files(&dirty, sink)?;
        for (prefix, starts) in dirty.iter().zip(made) {
            if starts.is_empty() {
                self.parts.remove(*prefix);
            } else {
                self.parts.insert(prefix.to_string(), starts);
            }
        }
        let manifest = self.manifest(new.len());
        if manifest != self.manifest {
            sink.put(Output {
                path: INDEX.to_string(),
                content: Content::Bytes(manifest.clone()),
                source: None,
            })?;
            self.manifest = manifest;
        }
        Ok(())
    }

    /// Applies the edits of the briefs not kept, in place (the same briefs
    /// in the same order); returns the prefixes of the shards that moved.
    fn edit(&mut self, old: &[Arc<Brief>], new: &[Arc<Brief>], diff: &Diff) -> Vec<String> {
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
        dirty.into_iter().collect()
    }

    /// `index.json` for `docs` documents and the current parts.
    fn manifest(&self, docs: usize) -> Vec<u8> {
        #[derive(Serialize)]
        struct Manifest<'a> {
            docs: usize,
            shards: BTreeMap<&'a str, &'a [String]>,
        }
        let shards = (self.parts.iter())
            .map(|(prefix, starts)| (prefix.as_str(), &starts[1..]))
            .collect();
        serde_json::to_vec(&Manifest { docs, shards }).expect("the manifest serializes")
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
        // The fresh postings gather in a hash map (a brief's few hundred
        // terms each found by one hash, not a walk of the ordered map's
        // string comparisons) and join the ordered map once per term.
        let mut gathered: AHashMap<String, Postings> = AHashMap::new();
        for chunk in fresh.chunks(512) {
            let per_doc: Vec<Vec<(String, u32)>> =
                chunk.par_iter().map(|&d| weights(&new[d])).collect();
            for (&d, terms) in chunk.iter().zip(per_doc) {
                for (term, weight) in terms {
                    gathered.entry(term).or_default().push(d as u32, weight);
                }
            }
        }
        if self.postings.is_empty() {
            self.postings = gathered.into_iter().collect();
        } else {
            for (term, list) in gathered {
                self.postings.entry(term).or_default().append(list);
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

    /// The paths of every shard part file.
    pub(crate) fn paths(&self) -> impl Iterator<Item = String> + '_ {
        (self.parts.iter())
            .flat_map(|(prefix, starts)| (0..starts.len()).map(|k| part_path(prefix, k)))
    }

    /// Puts into `sink` the part files of the shards `prefixes`; returns
    /// each shard's part starts (none for a shard left without terms).
    fn shard_files(&self, prefixes: &[&str], sink: &dyn Sink) -> std::io::Result<Vec<Vec<String>>> {
        prefixes
            .par_iter()
            .map(|prefix| {
                let parts = parts(self.shard_terms(prefix));
                let mut starts = Vec::with_capacity(parts.len());
                for (k, (first, bytes)) in parts.into_iter().enumerate() {
                    sink.put(Output {
                        path: part_path(prefix, k),
                        content: Content::Bytes(gzip(&bytes)),
                        source: None,
                    })?;
                    starts.push(first.to_string());
                }
                Ok(starts)
            })
            .collect()
    }

    /// The terms of one shard with their postings, in order.
    fn shard_terms(&self, prefix: &str) -> Vec<(&str, &Postings)> {
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

/// One shard's terms cut into parts of at most [`PART_BYTES`] of postings
/// (a larger term alone): each part's first term and its JSON file.
fn parts<'a>(terms: Vec<(&'a str, &Postings)>) -> Vec<(&'a str, Vec<u8>)> {
    let mut parts: Vec<(&str, Vec<u8>)> = Vec::new();
    for (term, list) in terms {
        let mut entry = serde_json::to_vec(term).expect("terms serialize");
        entry.push(b':');
        serde_json::to_writer(&mut entry, list).expect("postings serialize");
        match parts.last_mut() {
            // The comma before the entry and the closing brace count too.
            Some((_, json)) if json.len() + entry.len() + 2 <= PART_BYTES => {
                json.push(b',');
                json.extend_from_slice(&entry);
            }
            _ => {
                let mut json = Vec::with_capacity(entry.len() + 2);
                json.push(b'{');
                json.extend_from_slice(&entry);
                parts.push((term, json));
            }
        }
    }
    for (_, json) in &mut parts {
        json.push(b'}');
    }
    parts
}

/// The path of part `k` (from 0) of the shard `prefix`.
fn part_path(prefix: &str, k: usize) -> String {
    if k == 0 {
        format!("search/t/{prefix}.json.gz")
    } else {
        format!("search/t/{prefix}.{k}.json.gz")
    }
}

/// `json` gzip-compressed, as every file of the index but `index.json` and
/// `facets.json` is written: postings shrink six to nine times, records
/// twice, so a query fetches few bytes from a host that compresses nothing
/// (Pagefind compresses its files for the same reason). `search.js`
/// decompresses them with the browser's `DecompressionStream`. The fastest
/// level: the next ones save a quarter more at seven times the time.
///
/// The bytes are those of `flate2`'s `GzEncoder` at that level (a test
/// holds them to it), made with one deflate state per thread, reset for
/// each file: a new state allocates and zeroes about 300 KB of tables, which
/// for a brief's record of a few KB was most of the work (a build makes one
/// record per brief).
pub fn gzip(json: &[u8]) -> Vec<u8> {
    use flate2::{Compress, Compression, Crc, FlushCompress, Status};
    thread_local! {
        static DEFLATE: std::cell::RefCell<Option<Compress>> =
            const { std::cell::RefCell::new(None) };
    }
    // `GzEncoder`'s header: no name, no time, "fastest" (4), no known OS.
    const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 255];
    let mut out = Vec::with_capacity(json.len() / 4 + 64);
    out.extend_from_slice(&HEADER);
    DEFLATE.with(|cell| {
        let mut cell = cell.borrow_mut();
        let deflate = cell.get_or_insert_with(|| Compress::new(Compression::fast(), false));
        deflate.reset();
        // All the input first, then the end, as `GzEncoder` feeds it.
        let mut input = json;
        for flush in [FlushCompress::None, FlushCompress::Finish] {
            loop {
                if out.len() == out.capacity() {
                    out.reserve(out.capacity());
                }
                let before = deflate.total_in();
                let status = (deflate.compress_vec(input, &mut out, flush))
                    .expect("deflating into memory cannot fail");
                let taken = usize::try_from(deflate.total_in() - before)
                    .expect("taken from a slice in memory");
                input = &input[taken..];
                let done = match flush {
                    FlushCompress::Finish => status == Status::StreamEnd,
                    _ => input.is_empty(),
                };
                if done {
                    break;
                }
            }
        }
    });
    let mut crc = Crc::new();
    crc.update(json);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&crc.amount().to_le_bytes());
    out
}

/// [`gzip`] at the default level, for the facet files: few (about 130 for
/// 10,000 briefs, and as many rows files for 100,000 as 10,000 records), made in
/// milliseconds, and a reader who opens the tags' counts fetches every rows file
/// the results fall in. The fastest level writes fixed Huffman codes, which
/// suit their one character per value and brief badly: the default level
/// makes the rows files a fifth smaller and the value files two fifths.
pub fn gzip_small(json: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let out = Vec::with_capacity(json.len() / 2 + 64);
    let mut encoder = flate2::write::GzEncoder::new(out, flate2::Compression::default());
    (encoder.write_all(json))
        .and_then(|()| encoder.finish())
        .expect("deflating into memory cannot fail")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same bytes as `flate2`'s `GzEncoder` at the fastest level, for
    /// empty, small and large inputs, one after the other on one thread
    /// (the deflate state is reused).
    #[test]
    fn gzip_writes_what_gz_encoder_writes() {
        use std::io::Write;
        let mut text = String::new();
        for i in 0..40_000 {
            text.push_str(&format!("{{\"term{}\":[{i},{}]}},", i % 977, i * 7 % 13));
        }
        for input in ["", "a", "{\"title\":\"x\"}", &text[..5000], &text] {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            encoder.write_all(input.as_bytes()).unwrap();
            let expected = encoder.finish().unwrap();
            assert_eq!(gzip(input.as_bytes()), expected, "{} bytes", input.len());
        }
    }

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

    /// The rule of [`for_each_token`] as it reads, char by char: the byte
    /// walk must find the same terms.
    fn tokens_char_by_char(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut folded = String::new();
        for word in text
            .split(|c: char| !is_word_char(c))
            .filter(|w| !w.is_empty())
        {
            let mut emit = |t: &str| {
                if !is_stop_word(t) {
                    out.push(t.to_string());
                }
            };
            if word.is_ascii() {
                emit(&word.to_ascii_lowercase());
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
        out
    }

    #[test]
    fn the_byte_walk_finds_the_terms_of_the_rule() {
        for text in [
            "",
            " ",
            "x",
            "The Société Générale's AI-chips, in 2026!",
            "café\u{301}x e\u{301}te\u{301} \u{301}lead mark",
            "A\u{a0}B\u{2009}C—D–E…F “G” ‘H’ ½ ² Ⅻ ①",
            "ÆNEID Straße Łódź ΟΔΥΣΣΕΥΣ Москва ﬁnance 東京タワー 서울 İstanbul",
            "tail café",
            "abc東def 123x4 ＡＢＣ ｶﾀｶﾅ 𝐀𝐁 🙂smile a🙂b",
            "THE the Of OF and-an a.b.c x_y x'y 3.14 10,000",
        ] {
            assert_eq!(
                tokens(text).collect::<Vec<_>>(),
                tokens_char_by_char(text),
                "{text:?}"
            );
        }
    }

    /// The byte walks of [`readable`] and [`without_anchors`] agree with
    /// `split_whitespace` and `str::replace` on white space of every kind,
    /// closing punctuation and overlapping anchors; a limit cuts alike.
    #[test]
    fn readable_text_agrees_with_the_standard_library() {
        fn collapsed(text: &str) -> String {
            let mut out = String::new();
            for word in text.split_whitespace() {
                let closing = word.starts_with([
                    '.', ',', ';', ':', '!', '?', ')', ']', '\u{2019}', '\u{201d}',
                ]);
                if !out.is_empty() && !closing {
                    out.push(' ');
                }
                out.push_str(word);
            }
            out
        }
        let texts = [
            "",
            "   ",
            " a  b\tc\nd\u{b}e\u{c}f\rg ",
            "x\u{a0}y\u{85}z\u{3000}w\u{2009}v\u{200b}u\u{1680}t",
            " did . and , so ; \u{2019}s \u{201d} ) ] ( [ é è ",
            "Société Générale 東京 タワー 🙂 end.",
        ];
        for text in texts {
            let whole = collapsed(text);
            assert_eq!(readable(text, usize::MAX), whole, "{text:?}");
            for limit in 0..whole.len() + 2 {
                assert_eq!(
                    cut(&readable(text, limit), limit),
                    cut(&whole, limit),
                    "{text:?} within {limit}"
                );
            }
        }
        for body in [
            "",
            "#</a>",
            ">#</a>",
            "<a>#</a>>#</a>#</a>x>#</a>",
            "a>#</a>b>#</a",
            ">>#</a>>#</a>>",
        ] {
            assert_eq!(
                without_anchors(body),
                body.replace(">#</a>", "></a>"),
                "{body:?}"
            );
        }
    }

    #[test]
    fn html_text_drops_tags() {
        assert_eq!(html_text("a<b>c</b>d<e"), "a c d");
        assert_eq!(html_text("<p>x &amp;lt; y</p>"), " x < y ");
        assert_eq!(
            html_text("<p>A &amp; B<sup>1</sup></p>")
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["A", "&", "B", "1"]
        );
    }

    /// A shard's parts hold consecutive terms within [`PART_BYTES`], a
    /// term larger than that alone, and every term once.
    #[test]
    fn shards_are_cut_into_parts_within_the_bound() {
        let small = Postings::default();
        let mut big = Postings::default();
        for doc in 0..(PART_BYTES as u32) {
            big.push(doc, 1);
        }
        let mut small_one = small.clone();
        small_one.push(7, 3);
        let names: Vec<String> = (0..3000).map(|k| format!("ab{k:05}")).collect();
        let mut terms: Vec<(&str, &Postings)> =
            names.iter().map(|t| (t.as_str(), &small_one)).collect();
        terms.insert(1500, ("ab01499z", &big));
        let parts = parts(terms);
        let mut seen = Vec::new();
        for (first, json) in &parts {
            let part: BTreeMap<String, Vec<u32>> = serde_json::from_slice(json).unwrap();
            assert_eq!(part.keys().next().map(String::as_str), Some(*first));
            if part.contains_key("ab01499z") {
                assert_eq!(part.len(), 1, "a large term is a part alone");
            } else {
                assert!(json.len() <= PART_BYTES, "{first}: {} bytes", json.len());
            }
            seen.extend(part.into_keys());
        }
        assert!(parts.len() > 3, "{} parts", parts.len());
        assert_eq!(seen.len(), 3001);
        assert!(
            seen.windows(2).all(|w| w[0] < w[1]),
            "parts follow term order"
        );
    }

    /// Each section's text starts at its heading, whose id it carries;
    /// the text before the first heading has none; the whole is bounded.
    #[test]
    fn sections_follow_the_headings() {
        let html = "<p>Lead &amp; more.</p>\n<h2 id=\"what-happened\">What happened<a class=\"heading-anchor\" href=\"#what-happened\" aria-label=\"Link to this section\">#</a></h2>\n<p>It <em>did</em>.</p>\n<h3 id=\"next\" class=\"x\">Next<a class=\"heading-anchor\" href=\"#next\">#</a></h3><p>Soon.</p>";
        assert_eq!(
            sections(html),
            [
                (String::new(), "Lead & more.".to_string()),
                (
                    "what-happened".to_string(),
                    "What happened It did.".to_string()
                ),
                ("next".to_string(), "Next Soon.".to_string()),
            ]
        );
        let long = format!("<p>{}</p>", "word ".repeat(SECTION_TEXT));
        let got = sections(&long);
        assert!(got[0].1.len() <= SECTION_TEXT && got[0].1.ends_with("word"));
    }

    #[test]
    fn shards_are_two_character_prefixes() {
        assert_eq!(shard("trainium"), "tr");
        assert_eq!(shard("x"), "x");
        assert_eq!(shard("5g"), "5g");
    }
}
