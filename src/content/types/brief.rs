//! The content types: what one parsed brief, free page or source is. Every
//! later stage reads these; nothing here knows how they were parsed.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use hayagriva::citationberg::json::Item;
use serde::{Deserialize, Serialize};

use crate::content::types::date::BriefDate;
use crate::diagnostic::Position;
use crate::text::{escape_html, find_short};

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
    /// Optional reliability tier.
    pub tier: Option<String>,
    /// How many places cite it (their anchors: [`Source::places`]).
    pub cites: usize,
    /// The formatted reference text, as kept: read it with
    /// [`Source::reference_text`], set it with [`Source::set_reference`].
    pub reference: Reference,
    /// The name an in-text citation (`@key says`) shows: the authors, or
    /// with none the paper or publisher (plain text).
    pub in_text: Arc<str>,
    /// Its CSL item, kept only under `citations: style`, where a brief's
    /// marks and sources are formatted together.
    pub item: Option<Arc<Item>>,
}

impl Source {
    /// A registry source as one brief cites it, in `cites` places.
    pub fn cited(&self, number: usize, cites: usize) -> Self {
        Source {
            number: Some(number),
            cites,
            ..self.clone()
        }
    }

    /// Its reference text: sanitised HTML, formatted by the site's CSL style.
    pub fn reference_text(&self) -> String {
        self.reference.text(&self.cut_fields())
    }

    /// Keeps `text` (sanitised HTML) as its reference text, what is left
    /// of it after the cuts shared by `share` (the site's CSL style keeps
    /// one copy of each: [`Reference`]).
    pub fn keep_reference(&mut self, text: &str, share: impl FnOnce(&str) -> Arc<str>) {
        self.reference = Reference::new(text, &self.cut_fields(), share);
    }

    /// What [`Reference`] cuts out of its reference text: its URL, title
    /// and publisher as HTML escapes them.
    fn cut_fields(&self) -> [String; 3] {
        [
            escape_html(self.url.as_deref().unwrap_or_default()),
            escape_html(&self.title),
            escape_html(&self.publisher),
        ]
    }

    /// The anchor ids of the places citing it, in order. Made when asked,
    /// not kept: a brief's sources stay in memory for the whole build.
    pub fn places(&self) -> impl Iterator<Item = String> + '_ {
        let number = self.number.unwrap_or(0);
        (1..=self.cites).map(move |k| anchor(number, k))
    }

    /// True when it says what the registry entry says.
    pub fn same_as(&self, e: &Source) -> bool {
        (
            &self.publisher,
            &self.title,
            &self.url,
            self.date,
            self.kind,
            &self.tier,
        ) == (&e.publisher, &e.title, &e.url, e.date, e.kind, &e.tier)
    }
}

/// A source's reference text as it is kept from parsing to rendering:
/// every brief's sources are held until the last page is rendered, and the
/// text mostly repeats what the source holds anyway (its URL twice, its
/// title and publisher). So those fields, as HTML escapes them, are cut out
/// of it, each replaced by a control character ([`CUTS`]), and what is left
/// (`<i>\u{3}</i>. 2024. <a href="\u{1}">…`), the same for many sources, is
/// shared (by the site's CSL style, `Csl::share`). A text holding such a character itself is kept
/// whole, after [`WHOLE`]. Measured at 100,000 briefs: about 1.4 KB a brief
/// held before (360 bytes a reference), 16 bytes a source after.
#[derive(Debug, Clone, Default)]
pub struct Reference(Arc<str>);

/// What stands in for the cut fields, in [`Source::cut_fields`]'s order.
const CUTS: [char; 3] = ['\u{1}', '\u{2}', '\u{3}'];

/// Starts a reference text kept whole.
const WHOLE: char = '\u{0}';

/// A character [`Reference`] gives a meaning to.
fn is_control(c: char) -> bool {
    c <= '\u{3}'
}

/// Whether `text` holds a character [`Reference`] gives a meaning to,
/// searched as bytes (no other character's UTF-8 has a byte that low).
fn has_control(text: &str) -> bool {
    let text = text.as_bytes();
    memchr::memchr3(0, 1, 2, text).is_some() || memchr::memchr(3, text).is_some()
}

/// Whether a field is cut out of a reference text: one holding a
/// character the cuts use is not (nor an empty one), and is left in place.
/// (Those characters are ASCII, and no byte of another character's UTF-8
/// is ASCII: the bytes tell.)
fn is_cut(field: &str) -> bool {
    !field.is_empty() && !field.bytes().any(|b| is_control(char::from(b)))
}

impl Reference {
    /// `text` with each of `fields` cut out, in order.
    fn new(text: &str, fields: &[String; 3], share: impl FnOnce(&str) -> Arc<str>) -> Self {
        if has_control(text) {
            return Reference(share(&format!("{WHOLE}{text}")));
        }
        let mut kept = text.to_string();
        for (field, cut) in fields.iter().zip(CUTS) {
            if is_cut(field) {
                kept = replace_all(kept, field, cut);
            }
        }
        Reference(share(&kept))
    }

    /// The text again, from the `fields` it was made with: each cut put
    /// back, so each gets exactly what it replaced. One pass puts back all
    /// three (a field holds no cut character, so none is put back into
    /// another): a page's sources did three `str::replace` apiece.
    fn text(&self, fields: &[String; 3]) -> String {
        let kept = &*self.0;
        if let Some(whole) = kept.strip_prefix(WHOLE) {
            return whole.to_string();
        }
        let mut text =
            String::with_capacity(kept.len() + fields.iter().map(String::len).sum::<usize>());
        let mut from = 0;
        let cut = fields.each_ref().map(|f| is_cut(f));
        let [one, two, three] = CUTS.map(|c| c as u8);
        for at in memchr::memchr3_iter(one, two, three, kept.as_bytes()) {
            let k = usize::from(kept.as_bytes()[at] - one);
            if cut[k] {
                let field = &fields[k];
                text.push_str(&kept[from..at]);
                text.push_str(field);
                from = at + 1;
            }
        }
        text.push_str(&kept[from..]);
        text
    }
}

/// `text` with every occurrence of `field` (left to right, not
/// overlapping, as `str::replace` finds them) replaced by `cut`. The
/// standard library's set-up of its two-way search for each field of each
/// source (three a source, twice each with `contains`) cost more than the
/// search itself in a text of a few hundred bytes.
fn replace_all(text: String, field: &str, cut: char) -> String {
    let Some(mut at) = find_short(&text, field, 0) else {
        return text;
    };
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    loop {
        out.push_str(&text[from..at]);
        out.push(cut);
        from = at + field.len();
        match find_short(&text, field, from) {
            Some(next) => at = next,
            None => break,
        }
    }
    out.push_str(&text[from..]);
    out
}

/// A dated correction.
#[derive(Debug, Clone)]
pub struct Correction {
    pub date: BriefDate,
    pub text: String,
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

/// A brief's rendered HTML as it is kept from parsing to rendering, in an
/// allocation of its exact size: as written, or LZ4-compressed once the
/// site is large ([`Html::pack`], [`PACK_FROM`]). Every brief's HTML is held
/// until the last page is rendered (the search index and the feeds read it
/// too); compressed it takes about a third of the room (measured at 100,000
/// briefs: about 6 KB a brief saved), but compressing it and reading it
/// back cost about 5% of a build's instructions, which a small site has no
/// need to pay.
#[derive(Clone)]
pub enum Html {
    Plain(Box<str>),
    /// Its length first, then LZ4's block format.
    Packed(Box<[u8]>),
}

/// The number of briefs from which a site's HTML is kept compressed. Below
/// it, the HTML as written adds at most about 90 MB (~6 KB a brief) to a
/// build that peaks well under its bound (10,000 briefs: 400 MB); above it,
/// compressing keeps 100,000 briefs under 1.5 GB.
pub const PACK_FROM: usize = 15_000;

impl Html {
    /// `html` kept as written.
    pub fn new(html: String) -> Self {
        Html::Plain(html.into_boxed_str())
    }

    /// The same HTML, compressed.
    pub fn pack(self) -> Self {
        match self {
            Html::Plain(html) => Html::Packed(
                lz4_flex::block::compress_prepend_size(html.as_bytes())
                    .as_slice()
                    .into(),
            ),
            packed @ Html::Packed(_) => packed,
        }
    }

    /// The HTML (decompressed when kept compressed), a new string each call.
    pub fn decompress(&self) -> String {
        match self {
            Html::Plain(html) => html.to_string(),
            Html::Packed(bytes) => {
                let bytes = lz4_flex::block::decompress_size_prepended(bytes)
                    .expect("HTML compressed by `Html::pack` decompresses");
                String::from_utf8(bytes).expect("HTML compressed from a string is UTF-8")
            }
        }
    }
}

impl std::fmt::Debug for Html {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Html::Plain(html) => write!(f, "Html({} bytes)", html.len()),
            Html::Packed(bytes) => write!(f, "Html({} bytes compressed)", bytes.len()),
        }
    }
}

/// A parsed, checked brief.
#[derive(Debug, Clone)]
pub struct Brief {
    /// Site-relative path of its file.
    pub path: PathBuf,
    pub slug: String,
    /// Where the slug comes from (the `slug:` value, or the file name).
    pub slug_at: Option<Position>,
    /// Old addresses (`aliases:`), each given a redirect page.
    pub aliases: Vec<Alias>,
    pub title: String,
    pub summary: String,
    pub date: BriefDate,
    /// Where the `date:` value is.
    pub date_at: Option<Position>,
    /// The later of `updated:` and the newest correction.
    pub updated: Option<BriefDate>,
    /// `None`: the site's default authors.
    pub authors: Option<Vec<String>>,
    pub status: Status,
    pub tags: Vec<String>,
    pub entities: Vec<String>,
    pub score: f64,
    pub factors: Vec<Factor>,
    pub rationale_html: Html,
    pub content_html: Html,
    /// True when the body or the rationale has a Mermaid diagram.
    pub diagrams: bool,
    pub toc: Vec<TocEntry>,
    /// In list order; cited ones carry their number.
    pub sources: Vec<Source>,
    pub watch: Vec<Watch>,
    /// Oldest first.
    pub corrections: Vec<Correction>,
    pub extra: serde_json::Value,
    /// Bundle files to copy beside the page.
    pub assets: Vec<(PathBuf, PathBuf)>,
    /// The warnings found in its file, for the review page.
    pub warnings: Vec<String>,
    /// Links of the body and the rationale, with their places in the file.
    pub links: Vec<Link>,
}

impl Brief {
    /// Keeps its HTML compressed (a large site: [`PACK_FROM`]).
    pub fn pack(&mut self) {
        for html in [&mut self.content_html, &mut self.rationale_html] {
            *html = std::mem::replace(html, Html::Plain(Box::default())).pack();
        }
    }

    /// Whether it is published: neither a draft nor in review. Only a
    /// `--drafts` build shows the others, and never in the sitemap, the
    /// feeds, the watchlist or the dates of the listings.
    pub fn is_published(&self) -> bool {
        self.status == Status::Published
    }
}

/// The index of each published one of `briefs`, in order.
pub fn published<B: AsRef<Brief>>(briefs: &[B]) -> impl Iterator<Item = usize> + '_ {
    (briefs.iter().enumerate())
        .filter(|(_, b)| b.as_ref().is_published())
        .map(|(i, _)| i)
}

/// A parsed free page.
#[derive(Debug, Clone)]
pub struct Page {
    pub path: PathBuf,
    pub slug: String,
    pub slug_at: Option<Position>,
    /// Old addresses (`aliases:`), each given a redirect page.
    pub aliases: Vec<Alias>,
    pub title: String,
    pub summary: Option<String>,
    pub content_html: String,
    /// True when the body has a Mermaid diagram.
    pub diagrams: bool,
    pub toc: Vec<TocEntry>,
    pub extra: serde_json::Value,
    /// Order among pages: lower first, then by title.
    pub weight: i64,
    /// Listed in the navigation.
    pub in_nav: bool,
    /// Links of the body, with their places in the file.
    pub links: Vec<Link>,
    /// Variants of the `static/` images it shows (rooted paths, see
    /// `images::Variant`), published once for the site.
    pub assets: Vec<(PathBuf, PathBuf)>,
}

/// The anchor id of the `k`-th place (from 1) citing source `number`:
/// `cite-3-2`. The source list's back-links are made from it.
pub fn anchor(number: usize, k: usize) -> String {
    // Written without `format!`: a brief page makes one per citation.
    let (mut a, mut b) = (itoa::Buffer::new(), itoa::Buffer::new());
    let (number, k) = (a.format(number), b.format(k));
    let mut id = String::with_capacity(6 + number.len() + k.len());
    id.push_str("cite-");
    id.push_str(number);
    id.push('-');
    id.push_str(k);
    id
}

/// Publication status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Review,
    #[default]
    Published,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Review => "review",
            Status::Published => "published",
        }
    }
}

/// What kind of source a citation points at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    #[default]
    News,
    Primary,
    Filing,
    Report,
    Data,
    Interview,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::News => "news",
            SourceKind::Primary => "primary",
            SourceKind::Filing => "filing",
            SourceKind::Report => "report",
            SourceKind::Data => "data",
            SourceKind::Interview => "interview",
        }
    }

    /// How readers see the kind.
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::News => "News",
            SourceKind::Primary => "Primary source",
            SourceKind::Filing => "Filing",
            SourceKind::Report => "Report",
            SourceKind::Data => "Data",
            SourceKind::Interview => "Interview",
        }
    }
}

/// A heading in a brief's table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    /// 2 or 3.
    pub level: u8,
    /// The heading's `id`.
    pub id: String,
    /// The heading's text.
    pub title: String,
}

/// A link or image of a Markdown text: its destination as written and the
/// byte range of the whole link in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub dest: String,
    pub at: Range<usize>,
}

/// One old address of a brief or page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// Its path under the site's root, without a leading `/`:
    /// `briefs/old-name/`, `2024/05/note.html`.
    pub path: String,
    /// Where it is written, for errors.
    pub at: Option<Position>,
}

impl Alias {
    /// The file its redirect page is written to: the path itself for an
    /// `.html` name, else `index.html` in the folder it names.
    pub fn output_path(&self) -> String {
        if self.is_file() {
            self.path.clone()
        } else {
            format!("{}index.html", self.folder())
        }
    }

    /// The address a reader comes from, under the base path `root`.
    pub fn url(&self, root: &str) -> String {
        if self.is_file() {
            format!("{root}{}", self.path)
        } else {
            format!("{root}{}", self.folder())
        }
    }

    fn is_file(&self) -> bool {
        self.path.ends_with(".html") || self.path.ends_with(".htm")
    }

    /// The path as a folder, ending in `/`.
    fn folder(&self) -> String {
        if self.path.ends_with('/') {
            self.path.clone()
        } else {
            format!("{}/", self.path)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_reads_back_the_same_kept_or_packed() {
        let text = "<p>Café <a href=\"#x\">x</a></p>\n".repeat(40);
        let plain = Html::new(text.clone());
        let packed = Html::new(text.clone()).pack();
        assert!(matches!(packed, Html::Packed(ref b) if b.len() < text.len() / 4));
        assert_eq!(plain.decompress(), text);
        assert_eq!(packed.clone().pack().decompress(), text);
        assert_eq!(Html::new(String::new()).pack().decompress(), "");
    }

    #[test]
    fn citation_anchors_name_the_source_and_the_place() {
        for (number, k) in [(1, 1), (9, 10), (12, 3), (1234, 56789)] {
            assert_eq!(anchor(number, k), format!("cite-{number}-{k}"));
        }
    }

    #[test]
    fn fields_are_cut_where_str_replace_finds_them() {
        let cases = [
            ("aaaa", "aa"),
            ("aaa", "aa"),
            ("<i>Née</i>. Née", "Née"),
            (
                "x https://a.example/é https://a.example/é.",
                "https://a.example/é",
            ),
            ("nothing here", "field"),
            ("ééé", "é"),
        ];
        for (text, field) in cases {
            assert_eq!(
                replace_all(text.to_string(), field, CUTS[0]),
                text.replace(field, "\u{1}"),
                "{text:?} without {field:?}"
            );
        }
    }

    fn kept(text: &str, fields: [&str; 3]) -> String {
        let fields = fields.map(str::to_string);
        Reference::new(text, &fields, |t| Arc::from(t)).text(&fields)
    }

    /// Shares texts as the CSL style does: one copy of each.
    #[derive(Default)]
    struct Shared(std::cell::RefCell<std::collections::HashSet<Arc<str>>>);

    impl Shared {
        fn share(&self, text: &str) -> Arc<str> {
            let mut kept = self.0.borrow_mut();
            if let Some(text) = kept.get(text) {
                return text.clone();
            }
            let text: Arc<str> = Arc::from(text);
            kept.insert(text.clone());
            text
        }
    }

    #[test]
    fn a_reference_is_kept_without_its_fields_and_shared() {
        let shared = Shared::default();
        let fields = ["https://a.example/x?a=1&amp;b=2", "Title", "Pub"].map(str::to_string);
        let text = "<i>Pub</i>. 2024. <a href=\"https://a.example/x?a=1&amp;b=2\"><i>Title</i></a>. \
                    <a href=\"https://a.example/x?a=1&amp;b=2\">https://a.example/x?a=1&amp;b=2</a>.";
        let one = Reference::new(text, &fields, |t| shared.share(t));
        assert_eq!(
            &*one.0,
            "<i>\u{3}</i>. 2024. <a href=\"\u{1}\"><i>\u{2}</i></a>. <a href=\"\u{1}\">\u{1}</a>."
        );
        assert_eq!(one.text(&fields), text);
        let other = ["https://b.example/", "Other", "Press"].map(str::to_string);
        let two = Reference::new(
            &text
                .replace("https://a.example/x?a=1&amp;b=2", "https://b.example/")
                .replace("Title", "Other")
                .replace("Pub", "Press"),
            &other,
            |t| shared.share(t),
        );
        assert!(Arc::ptr_eq(&one.0, &two.0));
    }

    proptest::proptest! {
        /// Whatever the text and fields (overlapping, empty, holding the
        /// control characters the cuts use), the text comes back as it was.
        #[test]
        fn a_kept_reference_reads_back_as_it_was(
            text in "[ab\u{0}-\u{3}<>]{0,24}",
            fields in proptest::array::uniform3("[ab\u{0}-\u{3}]{0,3}"),
        ) {
            let fields = [fields[0].as_str(), fields[1].as_str(), fields[2].as_str()];
            proptest::prop_assert_eq!(kept(&text, fields), text);
        }
    }
}
