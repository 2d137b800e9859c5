//! Reference texts: every source (front matter, `sources.yaml`, `.bib`,
//! CSL-JSON) becomes a CSL-JSON item ([`Item`]) and is formatted by a CSL
//! 1.0.2 processor (`hayagriva`) with the site's style (`csl:` in
//! `site.yaml`), so that one formatter writes every reference.
//!
//! Steps: load the style once per build ([`Csl::load`]: a bundled style's
//! name or a `.csl` file); per source, format its item alone as a one-entry
//! bibliography ([`Csl::format`]) and write the processor's output as
//! sanitised HTML (escaped text; `<i>`, `<b>`, `<sup>`, `<sub>`, small caps
//! from the style; the title linked to the source's URL).
//!
//! What the processor cannot carry travels as private-use characters placed
//! in the item's strings and turned back into markup here: the title's link
//! ([`LINK_OPEN`], [`LINK_CLOSE`]) and CSL rich text (`<i>`, `<b>`, `<sup>`,
//! `<sub>`, small caps: see [`rich_text`]).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

pub use hayagriva::citationberg::json::Item;
use hayagriva::citationberg::json::Value;
pub use hayagriva::citationberg::taxonomy::Locator;
use hayagriva::citationberg::{
    FontStyle, FontVariant, FontWeight, IndependentStyle, Locale, LocaleCode, Style, StyleClass,
    VerticalAlign,
};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, BufWriteFormat, CitationItem, CitationRequest,
    ElemChild, ElemChildren, ElemMeta, Formatting, LocatorPayload, SpecificLocator, TermCache,
    TransparentLocator,
};

/// The default style, briefs' own (`styles/briefs-author-date.csl`): author-date
/// in Chicago's order, showing authors, year, title, container, volume (issue),
/// pages, publisher, date, DOI or URL and the accessed date. Chicago's own
/// style (`csl: chicago-author-date`, Pandoc's default) reads much the same
/// but costs the processor about twelve times as much per source, which a site
/// of thousands of briefs feels in every build.
pub const DEFAULT_STYLE: &str = "briefs-author-date";

/// The default style's CSL.
const DEFAULT_CSL: &str = include_str!("styles/briefs-author-date.csl");

/// The style whose citation is the name an in-text citation (`@key says`)
/// shows, as an author-date style writes it, whatever the site's style
/// (rendering the real style's citation would cost as much as the entry).
const REGISTER_CSL: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>register</title><id>register</id><updated>2026-12-06T00:00:00+00:00</updated></info>
  <citation>
    <layout>
      <names variable="author">
        <name form="short" and="text" delimiter=", " et-al-min="3" et-al-use-first="1"/>
        <substitute>
          <names variable="editor"/>
          <text variable="container-title"/>
          <text variable="publisher"/>
          <text variable="title"/>
        </substitute>
      </names>
    </layout>
  </citation>
  <bibliography><layout><text variable="title"/></layout></bibliography>
</style>"#;

/// The bundled styles `csl:` accepts by name: briefs' own, then a choice
/// from hayagriva's archive.
pub const BUNDLED: &[&str] = &[
    DEFAULT_STYLE,
    "chicago-author-date",
    "apa",
    "ieee",
    "harvard-cite-them-right",
    "modern-language-association",
    "american-sociological-association",
    "american-political-science-association",
    "chicago-notes",
    "nature",
    "vancouver",
    "elsevier-harvard",
    "springer-basic-author-date",
];

/// Opens the title's link (private use: never in real text).
pub const LINK_OPEN: char = '\u{E000}';
/// Closes the title's link.
pub const LINK_CLOSE: char = '\u{E001}';
/// Where a word's letters are hidden from the processor's title case,
/// which lowercases capitals inside words ("TechCrunch" -> "Techcrunch",
/// "AI" -> "Ai"): each letter `c` travels as `KEEP + c` (plane 15, private
/// use, no case) and the HTML writer maps it back.
const KEEP: u32 = 0xF0000;

/// CSL rich-text tags and the private-use pair each becomes. Every opening
/// mark is written followed by `{`, which the processor's title case takes
/// for the start of a word (a mark alone would be its first letter, and the
/// real first letter lowercased); the HTML writer drops that `{`.
const RICH: &[(&str, &str, char, char)] = &[
    ("<i>", "</i>", '\u{E002}', '\u{E003}'),
    ("<b>", "</b>", '\u{E004}', '\u{E005}'),
    ("<sup>", "</sup>", '\u{E006}', '\u{E007}'),
    ("<sub>", "</sub>", '\u{E008}', '\u{E009}'),
    (
        "<span style=\"font-variant:small-caps;\">",
        "</span>",
        '\u{E00A}',
        '\u{E00B}',
    ),
    (
        "<span style=\"font-variant: small-caps;\">",
        "</span>",
        '\u{E00A}',
        '\u{E00B}',
    ),
    ("<span class=\"nocase\">", "</span>", '\u{E00C}', '\u{E00C}'),
];

/// The site's CSL style, loaded once per build.
pub struct Csl {
    /// As `csl:` names it, or the default's name.
    pub name: String,
    style: IndependentStyle,
    locales: Vec<Locale>,
    locale: Option<LocaleCode>,
    /// The locale puts a following full stop or comma inside closing
    /// quotation marks (US English): the processor does it for a suffix
    /// but not for a delimiter, so the HTML writer finishes the job.
    punctuation_in_quote: bool,
    /// The locale is English: quotation marks from the data nested in the
    /// style's are written as inner quotes (see [`nested_quotes_flipped`]).
    flip_quotes: bool,
    /// How citation marks print (`citations:` in `site.yaml`).
    pub marks: Marks,
    /// The texts [`Csl::share`] gave out, each allocated once (hashed with
    /// aHash: a reference text is a few hundred bytes, and SipHash read
    /// it at a fraction of the speed).
    shared: Mutex<std::collections::HashSet<Arc<str>, ahash::RandomState>>,
    /// Where the style's terms were found, for the next source's
    /// reference (finding one scans the locale's terms).
    terms: TermCache,
}

/// How citation marks print: `citations:` in `site.yaml`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Marks {
    /// Superscript numbers in order of first use, linking to the brief's
    /// numbered sources (the default).
    #[default]
    Numbered,
    /// As the CSL style prints them, as Pandoc does ("(Miller 2022, 44)",
    /// "[1]"); the sources list is the style's bibliography of the brief.
    Style,
}

/// One item of a citation mark handed to [`Csl::brief`]: the index of its
/// source in the brief's list, and its locator.
#[derive(Debug, Clone)]
pub struct MarkItem<'a> {
    pub source: usize,
    /// `-@key`: the author is left out.
    pub suppress_author: bool,
    /// The locator's term and value (plain text), or its value as HTML
    /// when it has markup (the processor then leaves a hole for it).
    pub locator: Option<(Locator, LocatorText<'a>)>,
}

/// A locator's value: plain text the processor formats, or HTML it leaves
/// a hole for.
#[derive(Debug, Clone)]
pub enum LocatorText<'a> {
    Plain(&'a str),
    Html(String),
}

/// A brief's citations and bibliography, as the style prints them.
#[derive(Debug)]
pub struct BriefRendered {
    /// Per mark, its parts: text around the items, and each item's text
    /// (by its index in the mark), all HTML.
    pub marks: Vec<Vec<MarkPart>>,
    /// Source indexes in the style's bibliography order, each with its
    /// reference text (HTML).
    pub bibliography: Vec<(usize, String)>,
}

/// A piece of a rendered mark.
#[derive(Debug, PartialEq, Eq)]
pub enum MarkPart {
    /// Text of the mark itself (parentheses, delimiters), HTML.
    Text(String),
    /// One item's text, HTML, by its index in the mark.
    Item(usize, String),
}

impl std::fmt::Debug for Csl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Csl").field("name", &self.name).finish()
    }
}

/// A locale file's language, from the CBOR that hayagriva ships: its first
/// entry is `@xml:lang`, read here without decoding the rest (decoding each
/// of the 64 files only to learn its language cost 87 million
/// instructions, a quarter of a 300-brief build's CSL work). `None` when the
/// file starts otherwise.
fn locale_language(bytes: &[u8]) -> Option<&str> {
    use ciborium_ll::{Decoder, Header};
    let text_at = |at: usize| -> Option<(&str, usize)> {
        let mut decoder = Decoder::from(bytes.get(at..)?);
        let Header::Text(Some(len)) = decoder.pull().ok()? else {
            return None;
        };
        let start = at + decoder.offset();
        let text = std::str::from_utf8(bytes.get(start..start + len)?).ok()?;
        Some((text, start + len))
    };
    let mut decoder = Decoder::from(bytes);
    let Header::Map(_) = decoder.pull().ok()? else {
        return None;
    };
    let (key, after) = text_at(decoder.offset())?;
    (key == "@xml:lang")
        .then(|| text_at(after))
        .flatten()
        .map(|(lang, _)| lang)
}

/// The locales hayagriva ships that `wanted` picks by language code, each
/// decoded only once its code is known.
fn locales_where(wanted: impl Fn(&str) -> bool) -> Vec<Locale> {
    hayagriva::archive::LOCALES
        .iter()
        .filter(|bytes| match locale_language(bytes) {
            Some(code) => wanted(code),
            // A file laid out otherwise: decode it to learn its language.
            None => ciborium::from_reader::<Locale, _>(**bytes)
                .ok()
                .and_then(|l| l.lang)
                .is_some_and(|code| wanted(&code.0)),
        })
        .filter_map(|bytes| ciborium::from_reader::<Locale, _>(*bytes).ok())
        .collect()
}

impl Csl {
    /// The default style for `language`.
    pub fn default_for(language: &str) -> Csl {
        static DEFAULT: OnceLock<IndependentStyle> = OnceLock::new();
        let style = DEFAULT
            .get_or_init(|| {
                bundled(DEFAULT_STYLE).expect("the default style is bundled and independent")
            })
            .clone();
        Csl::with(DEFAULT_STYLE, style, language)
    }

    /// Loads `csl:`: a bundled style's name, or a `.csl` file's path from
    /// the site root. The error says why, for a located diagnostic.
    pub fn load(csl: &str, root: &Path, language: &str) -> Result<Csl, String> {
        let csl = csl.trim();
        if !csl.to_ascii_lowercase().ends_with(".csl") {
            let style =
                bundled(csl).ok_or_else(|| format!("`{csl}` is not a bundled CSL style"))?;
            return Ok(Csl::with(csl, style, language));
        }
        let path = root.join(csl);
        let xml = std::fs::read_to_string(&path)
            .map_err(|e| format!("the CSL style `{csl}` cannot be read: {e}"))?;
        let style = match Style::from_xml(&xml) {
            Ok(Style::Independent(style)) => style,
            Ok(Style::Dependent(dependent)) => {
                let parent = dependent.parent_link.href.clone();
                independent(Style::Dependent(dependent)).ok_or_else(|| {
                    format!("`{csl}` is a dependent style whose parent `{parent}` is not bundled")
                })?
            }
            Err(e) => return Err(format!("`{csl}` is not a CSL 1.0 style: {e}")),
        };
        Ok(Csl::with(csl, style, language))
    }

    fn with(name: &str, style: IndependentStyle, language: &str) -> Csl {
        let lang = language.trim().to_ascii_lowercase();
        let primary = lang.split(['-', '_']).next().unwrap_or("en").to_string();
        // The site's language first, then US English as CSL's fallback.
        let locales = locales_where(|code| {
            let code = code.to_ascii_lowercase();
            code == "en-us" || code.split('-').next() == Some(primary.as_str())
        });
        let punctuation_in_quote = punctuation_in_quote(&style, &locales, &lang);
        Csl {
            name: name.to_string(),
            style,
            locales,
            locale: Some(LocaleCode(language.trim().to_string())),
            punctuation_in_quote,
            flip_quotes: primary == "en",
            marks: Marks::default(),
            shared: Mutex::default(),
            terms: TermCache::default(),
        }
    }

    /// `text` in one allocation shared by every equal text asked for: the
    /// in-text names and the references' forms ([`Reference`]) repeat
    /// across a site's sources, which stay in memory for the whole build.
    ///
    /// [`Reference`]: crate::content::types::brief::Reference
    pub fn share(&self, text: &str) -> Arc<str> {
        let mut shared = self
            .shared
            .lock()
            .expect("the shared texts' lock is never poisoned");
        if let Some(kept) = shared.get(text) {
            return Arc::clone(kept);
        }
        let kept: Arc<str> = Arc::from(text);
        shared.insert(Arc::clone(&kept));
        kept
    }

    /// Whether the site's language is English: Pandoc sets BibTeX titles
    /// in sentence case only then.
    pub fn english(&self) -> bool {
        self.locale.as_ref().is_none_or(|l| {
            let l = l.0.to_ascii_lowercase();
            l == "en" || l.starts_with("en-") || l.starts_with("en_")
        })
    }

    /// The reference text of one item, as sanitised HTML: what goes inside
    /// `<div class="csl-entry">`; its title links to `link` (the source's
    /// checked URL). The item is formatted alone, as the only entry of a
    /// bibliography.
    pub fn format(&self, item: &Item, link: Option<&str>) -> String {
        self.format_finding_terms(item, link, Some(&self.terms))
    }

    /// [`Csl::format`], where the style's terms are found through `terms`
    /// (or looked up afresh).
    fn format_finding_terms(
        &self,
        item: &Item,
        link: Option<&str>,
        terms: Option<&TermCache>,
    ) -> String {
        let request = BibliographyRequest::new(&self.style, self.locale.clone(), &self.locales);
        let mut html = Html::new(link.map(str::to_string));
        html.pull_punctuation = self.punctuation_in_quote;
        html.flip_quotes = self.flip_quotes;
        if let Some(entry) = hayagriva::standalone_bibliography_entry(request, item, terms) {
            for child in &entry.content.0 {
                html.child(child, Formatting::default());
            }
        }
        html.finish()
    }

    /// The reference text (as [`Csl::format`]) and the name an in-text
    /// citation (`@key says`) shows: the authors' family names ("Allen and
    /// Benson", "Miller et al."), or with no author the editors, the
    /// container (a news source's paper), the publisher or the title.
    pub fn format_with_name(&self, item: &Item, link: Option<&str>) -> (String, String) {
        (self.format(item, link), self.in_text_name(item))
    }

    /// The name an in-text citation shows: the register style's citation
    /// of the item, as plain text.
    fn in_text_name(&self, item: &Item) -> String {
        if let Some(name) = unnamed_name(item) {
            return name;
        }
        // The register style tests no position, so a standalone citation
        // reads as the first citation of the item.
        let cite = hayagriva::standalone_citation(CitationRequest::new(
            vec![CitationItem::with_entry(item)],
            register_style(),
            self.locale.clone(),
            &self.locales,
            None,
        ));
        let mut name = String::new();
        let _ = cite.write_buf(&mut name, BufWriteFormat::Plain);
        plain(&name)
    }
}

/// The register style's citation of an item without authors and editors,
/// written without the processor: its `cs:substitute` prints the first of
/// the container, the publisher and the title that is not empty, as it is
/// written (front-matter sources, a site's most, are all such items).
/// `None` where the processor is asked: an item with names, or whose first
/// such field is not a string without spaces at its ends.
fn unnamed_name(item: &Item) -> Option<String> {
    if item.0.contains_key("author") || item.0.contains_key("editor") {
        return None;
    }
    for field in ["container-title", "publisher", "title"] {
        match item.0.get(field) {
            None => {}
            Some(Value::String(s)) if s.is_empty() => {}
            Some(Value::String(s)) if s.trim() == s => return Some(plain(s)),
            Some(_) => return None,
        }
    }
    None
}

impl Csl {
    /// A brief's marks and its bibliography, formatted together as the
    /// style does (`citations: style`): the style sorts the entries,
    /// gives year letters ("2004a") and numbers, and substitutes a
    /// repeated author ("———"). `sources` are the brief's sources (item,
    /// checked URL) by index; `marks` the citation marks in reading order.
    pub fn brief(
        &self,
        sources: &[(&Item, Option<&str>)],
        marks: &[Vec<MarkItem<'_>>],
    ) -> BriefRendered {
        let mut rendered = self.drive(sources, marks, &[]);
        // Year letters ("2004a") follow the bibliography's order in CSL;
        // hayagriva gives them in order of first citation. When the two
        // differ, the entries are cited once more, hidden, in the
        // bibliography's order, before the marks (not for note styles,
        // where a citation's position changes its text).
        let order = |r: &hayagriva::Rendered| -> Vec<String> {
            r.bibliography
                .iter()
                .flat_map(|b| b.items.iter().map(|i| i.key.clone()))
                .collect()
        };
        let bib_order = order(&rendered);
        let mut cited: Vec<&str> = Vec::new();
        for m in marks.iter().flatten() {
            if let Some(Value::String(id)) = sources[m.source].0.0.get("id")
                && !cited.contains(&id.as_str())
            {
                cited.push(id);
            }
        }
        if self.style.citation.disambiguate_add_year_suffix
            && self.style.settings.class != StyleClass::Note
            && bib_order
                .iter()
                .map(String::as_str)
                .ne(cited.iter().copied())
        {
            let by_key: Vec<usize> = bib_order
                .iter()
                .filter_map(|k| {
                    sources.iter().position(
                        |(item, _)| matches!(item.0.get("id"), Some(Value::String(id)) if id == k),
                    )
                })
                .collect();
            rendered = self.drive(sources, marks, &by_key);
            rendered.citations.drain(..by_key.len());
        }
        let marks = rendered
            .citations
            .iter()
            .zip(marks)
            .map(|(cite, mark)| self.mark_parts(&cite.citation, mark))
            .collect();
        // A repeated id (an error already) cites its first definition.
        let mut by_id: HashMap<&str, usize> = HashMap::new();
        for (i, (item, _)) in sources.iter().enumerate() {
            if let Some(Value::String(id)) = item.0.get("id") {
                by_id.entry(id.as_str()).or_insert(i);
            }
        }
        let bibliography = rendered
            .bibliography
            .map(|b| b.items)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|entry| {
                let i = *by_id.get(entry.key.as_str())?;
                let mut html = Html::new(sources[i].1.map(str::to_string));
                html.pull_punctuation = self.punctuation_in_quote;
                html.flip_quotes = self.flip_quotes;
                for child in &entry.content.0 {
                    html.child(child, Formatting::default());
                }
                Some((i, html.finish()))
            })
            .collect();
        BriefRendered {
            marks,
            bibliography,
        }
    }

    /// Runs the processor over `marks`, after one hidden citation of each
    /// source in `first`.
    fn drive(
        &self,
        sources: &[(&Item, Option<&str>)],
        marks: &[Vec<MarkItem<'_>>],
        first: &[usize],
    ) -> hayagriva::Rendered {
        let mut driver = BibliographyDriver::new();
        for &i in first {
            let mut item = CitationItem::with_entry(sources[i].0);
            item.hidden = true;
            driver.citation(CitationRequest::new(
                vec![item],
                &self.style,
                self.locale.clone(),
                &self.locales,
                None,
            ));
        }
        for mark in marks {
            let items = mark
                .iter()
                .map(|m| {
                    let locator = m.locator.as_ref().map(|(term, text)| {
                        let payload = match text {
                            LocatorText::Plain(s) => LocatorPayload::Str(s),
                            LocatorText::Html(h) => {
                                LocatorPayload::Transparent(TransparentLocator::new(h.clone()))
                            }
                        };
                        SpecificLocator(*term, payload)
                    });
                    CitationItem::with_locator(sources[m.source].0, locator)
                })
                .collect();
            driver.citation(CitationRequest::new(
                items,
                &self.style,
                self.locale.clone(),
                &self.locales,
                None,
            ));
        }
        driver.finish(BibliographyRequest::new(
            &self.style,
            self.locale.clone(),
            &self.locales,
        ))
    }

    /// One rendered mark as HTML pieces: the text between items, and each
    /// item's text (the processor tags it with its index in the mark).
    fn mark_parts(&self, citation: &ElemChildren, mark: &[MarkItem<'_>]) -> Vec<MarkPart> {
        let locators: Vec<String> = mark
            .iter()
            .map(|m| match &m.locator {
                Some((_, LocatorText::Html(h))) => h.clone(),
                _ => String::new(),
            })
            .collect();
        let write = |children: &[ElemChild]| {
            let mut html = Html::new(None);
            html.pull_punctuation = self.punctuation_in_quote;
            html.flip_quotes = self.flip_quotes;
            html.locators = &locators;
            for child in children {
                html.child(child, Formatting::default());
            }
            html.finish()
        };
        let mut parts = Vec::new();
        let mut text: Vec<ElemChild> = Vec::new();
        for child in &citation.0 {
            match child {
                ElemChild::Elem(e) if matches!(e.meta, Some(ElemMeta::Entry(_))) => {
                    let Some(ElemMeta::Entry(i)) = e.meta else {
                        unreachable!("matched above")
                    };
                    if !text.is_empty() {
                        parts.push(MarkPart::Text(write(&text)));
                        text.clear();
                    }
                    let mut children = e.children.clone();
                    if mark.get(i).is_some_and(|m| m.suppress_author) {
                        drop_names(&mut children);
                    }
                    parts.push(MarkPart::Item(i, write(&children.0)));
                }
                other => text.push(other.clone()),
            }
        }
        if !text.is_empty() {
            parts.push(MarkPart::Text(write(&text)));
        }
        parts
    }
}

/// Removes an item's names (`-@key`: the author suppressed, as citeproc
/// does for Pandoc) and the space that followed them.
fn drop_names(children: &mut ElemChildren) -> bool {
    let at = children.0.iter().position(
        |c| matches!(c, ElemChild::Elem(e) if matches!(e.meta, Some(ElemMeta::Names(_)))),
    );
    if let Some(at) = at {
        children.0.remove(at);
        if let Some(ElemChild::Text(t)) = children.0.get_mut(at) {
            t.text = t.text.trim_start().to_string();
        }
        return true;
    }
    for child in &mut children.0 {
        if let ElemChild::Elem(e) = child
            && drop_names(&mut e.children)
        {
            // The delimiter after the names is now the elem's first text.
            if let Some(ElemChild::Text(t)) = e.children.0.first_mut() {
                t.text = t.text.trim_start().to_string();
            }
            return true;
        }
    }
    false
}

/// The locale option `punctuation-in-quote` for `lang` (lower case): the
/// style's own locales first, then the locale files, as CSL looks them up
/// (a language without a region reads as its main dialect: `en` as US
/// English).
fn punctuation_in_quote(style: &IndependentStyle, files: &[Locale], lang: &str) -> bool {
    let primary = lang.split(['-', '_']).next().unwrap_or("en");
    let dialect = match primary {
        _ if primary != lang => lang.to_string(),
        "en" => "en-us".to_string(),
        p => format!("{p}-{p}"),
    };
    let rank = |l: &Locale| match l.lang.as_ref().map(|c| c.0.to_ascii_lowercase()) {
        Some(code) if code == lang || code == dialect => Some(0),
        Some(code) if code == primary => Some(1),
        Some(code) if code == "en-us" => Some(3),
        Some(code) if code.split('-').next() == Some(primary) => Some(2),
        None => Some(1),
        Some(_) => None,
    };
    let option = |l: &Locale| l.style_options.as_ref()?.punctuation_in_quote;
    let best = |locales: &[Locale]| {
        locales
            .iter()
            .filter_map(|l| Some((rank(l)?, option(l)?)))
            .min_by_key(|&(r, _)| r)
            .map(|(_, on)| on)
    };
    best(&style.locale).or_else(|| best(files)).unwrap_or(false)
}

/// Text from the processor as plain text: kept-case letters mapped back,
/// the private-use marks (and the `{` after an opening one) dropped.
pub(crate) fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if !matches!(c, '\u{E000}'..='\u{E00E}') {
            out.push(shown(c));
        } else if (c as u32 - 0xE000).is_multiple_of(2) && chars.peek() == Some(&'{') {
            chars.next();
        }
    }
    out.trim().to_string()
}

/// A style shipped as CSL text, parsed.
fn parsed(xml: &str) -> IndependentStyle {
    match Style::from_xml(xml) {
        Ok(Style::Independent(style)) => style,
        _ => unreachable!("a style shipped with briefs is an independent CSL 1.0 style"),
    }
}

/// The register style, parsed once per process.
fn register_style() -> &'static IndependentStyle {
    static REGISTER: OnceLock<IndependentStyle> = OnceLock::new();
    REGISTER.get_or_init(|| parsed(REGISTER_CSL))
}

/// A bundled style by name, resolved to an independent style.
fn bundled(name: &str) -> Option<IndependentStyle> {
    if !BUNDLED.contains(&name) {
        return None;
    }
    if name == DEFAULT_STYLE {
        return Some(parsed(DEFAULT_CSL));
    }
    independent(hayagriva::archive::ArchivedStyle::by_name(name)?.get())
}

fn independent(style: Style) -> Option<IndependentStyle> {
    match style {
        Style::Independent(s) => Some(s),
        Style::Dependent(d) => {
            match hayagriva::archive::ArchivedStyle::by_id(&d.parent_link.href)?.get() {
                Style::Independent(s) => Some(s),
                Style::Dependent(_) => None,
            }
        }
    }
}

/// A character as written: a kept-case letter mapped back.
fn shown(c: char) -> char {
    if (KEEP..KEEP + 0x10000).contains(&(c as u32)) {
        char::from_u32(c as u32 - KEEP).unwrap_or(c)
    } else {
        c
    }
}

/// Whether `url` reads, once parsed by the `url` crate, exactly as it is
/// written, so that parsing it (a fifth of writing a reference as HTML)
/// can be skipped: http or https, a host of lower-case letters, digits and
/// hyphens whose last label starts with a letter (never an IP address), no
/// user, port or fragment, and a path and query of plain characters
/// without `.` or `..` segments. Anything else is parsed.
fn parsed_as_written(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return false;
    };
    // Read as bytes: every separator is ASCII, which in UTF-8 no other
    // character's bytes are (`str` searches for a `char` cost more here).
    let rest = rest.as_bytes();
    let Some((host, path)) = memchr::memchr(b'/', rest).map(|at| rest.split_at(at)) else {
        return false;
    };
    let label = |l: &[u8]| {
        !l.is_empty()
            && !l.starts_with(b"xn--")
            && l.iter()
                .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    let plain = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~');
    let (path, query) = match memchr::memchr(b'?', path) {
        Some(at) => (&path[..at], &path[at + 1..]),
        None => (path, &b""[..]),
    };
    host.split(|&b| b == b'.').all(label)
        && host
            .rsplit(|&b| b == b'.')
            .next()
            .is_some_and(|l| l.first().is_some_and(u8::is_ascii_lowercase))
        && path
            .split(|&b| b == b'/')
            .all(|s| s != b"." && s != b".." && s.iter().all(|&b| plain(b)))
        && query
            .iter()
            .all(|&b| plain(b) || matches!(b, b'=' | b'&' | b'/'))
}

/// Writes the processor's output as HTML, one text run at a time, so that
/// tags never cross: each run opens and closes its own.
struct Html<'l> {
    out: String,
    /// Locators given as HTML, by item index in a mark: what the
    /// processor's holes for them are filled with.
    locators: &'l [String],
    title_url: Option<String>,
    /// Inside the title's link.
    in_link: bool,
    /// Inside a processor link (URL, DOI): the title link does not nest.
    in_url: bool,
    /// Rich-text depth per kind: italic, bold, sup, sub, small caps.
    rich: [u32; 5],
    /// Move a full stop or comma after a closing quotation mark inside it.
    pull_punctuation: bool,
    /// Write quotation marks nested in others as inner quotes.
    flip_quotes: bool,
}

impl Html<'_> {
    fn new(title_url: Option<String>) -> Self {
        Html {
            // About what a reference takes: it grew from empty each time.
            out: String::with_capacity(256),
            locators: &[],
            title_url,
            in_link: false,
            in_url: false,
            rich: [0; 5],
            pull_punctuation: false,
            flip_quotes: false,
        }
    }

    fn child(&mut self, child: &ElemChild, outer: Formatting) {
        match child {
            ElemChild::Text(t) => self.text(&t.text, t.formatting),
            ElemChild::Elem(e) => {
                for c in &e.children.0 {
                    self.child(c, outer);
                }
            }
            ElemChild::Markup(m) => self.text(m, outer),
            ElemChild::Link { text, url } => {
                // Encoded as front-matter URLs are (a DOI may hold `<>`).
                let url: String = url.chars().map(shown).collect();
                let url = if parsed_as_written(&url) {
                    url
                } else {
                    url::Url::parse(&url).map_or(url, String::from)
                };
                let href = crate::text::escape_html(&url);
                let _ = write!(self.out, "<a href=\"{href}\">");
                self.in_url = true;
                self.text(&text.text, text.formatting);
                self.in_url = false;
                self.out.push_str("</a>");
            }
            ElemChild::Transparent { cite_idx, .. } => {
                if let Some(h) = self.locators.get(*cite_idx) {
                    self.out.push_str(h);
                }
            }
        }
    }

    /// Writes one run, turning the private-use marks back into markup.
    fn text(&mut self, text: &str, formatting: Formatting) {
        // Neither a mark (U+E000..) nor a kept-case letter (plane 15): one
        // run as it is. Both begin with a byte from 0xEE in UTF-8.
        if !text.bytes().any(|b| b >= 0xEE) {
            self.run(text, formatting);
            return;
        }
        let mut run = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if (KEEP..KEEP + 0x10000).contains(&(c as u32)) {
                run.push(shown(c));
                continue;
            }
            let mark = matches!(c, '\u{E000}'..='\u{E00E}');
            if mark && (c as u32 - 0xE000).is_multiple_of(2) && chars.peek() == Some(&'{') {
                chars.next();
            }
            if !mark {
                run.push(c);
                continue;
            }
            self.run(&run, formatting);
            run.clear();
            self.mark(c);
        }
        self.run(&run, formatting);
    }

    fn mark(&mut self, c: char) {
        match c {
            LINK_OPEN if !self.in_url && !self.in_link => {
                if let Some(url) = &self.title_url {
                    let _ = write!(self.out, "<a href=\"{}\">", crate::text::escape_html(url));
                    self.in_link = true;
                }
            }
            LINK_CLOSE if self.in_link => {
                self.out.push_str("</a>");
                self.in_link = false;
            }
            '\u{E002}'..='\u{E00B}' => {
                let n = c as u32 - 0xE002;
                let depth = &mut self.rich[(n / 2) as usize];
                if n.is_multiple_of(2) {
                    *depth += 1;
                } else {
                    *depth = depth.saturating_sub(1);
                }
            }
            _ => {}
        }
    }

    fn run(&mut self, text: &str, f: Formatting) {
        if text.is_empty() {
            return;
        }
        // CSL's flip-flop: rich italics inside an italic field are upright.
        let italic = (f.font_style == FontStyle::Italic) != (self.rich[0] % 2 == 1);
        let bold = f.font_weight == FontWeight::Bold || self.rich[1] > 0;
        let sup = f.vertical_align == VerticalAlign::Sup || self.rich[2] > 0;
        let sub = f.vertical_align == VerticalAlign::Sub || self.rich[3] > 0;
        let caps = f.font_variant == FontVariant::SmallCaps || self.rich[4] > 0;
        let tags: [(bool, &str, &str); 5] = [
            (italic, "<i>", "</i>"),
            (bold, "<b>", "</b>"),
            (sup, "<sup>", "</sup>"),
            (sub, "<sub>", "</sub>"),
            (caps, "<span style=\"font-variant:small-caps\">", "</span>"),
        ];
        for (on, open, _) in tags {
            if on {
                self.out.push_str(open);
            }
        }
        pulldown_cmark_escape::escape_html(&mut self.out, text)
            .expect("writing to a String never fails");
        for (on, _, close) in tags.iter().rev() {
            if *on {
                self.out.push_str(close);
            }
        }
    }

    fn finish(mut self) -> String {
        if self.in_link {
            self.out.push_str("</a>");
        }
        // Adjacent runs of the same markup read as one (each searched for
        // only where a tag meets another).
        if crate::text::find_short(&self.out, "><", 0).is_some() {
            for pair in ["</i><i>", "</b><b>", "</sup><sup>", "</sub><sub>"] {
                if crate::text::find_short(&self.out, pair, 0).is_some() {
                    self.out = self.out.replace(pair, "");
                }
            }
        }
        if self.flip_quotes && self.out.matches('\u{201C}').nth(1).is_some() {
            self.out = nested_quotes_flipped(&self.out);
        }
        if self.pull_punctuation && self.out.contains('\u{201D}') {
            self.out = self
                .out
                .replace("\u{201D}.", ".\u{201D}")
                .replace("\u{201D},", ",\u{201D}");
        }
        drop_doubled_stop(&mut self.out);
        if self.out.contains("..") {
            self.out = single_stops(&self.out);
        }
        self.out
    }
}

/// Double quotation marks nested in others (a title that quotes, inside
/// the style's quotes) as single ones: CSL's flip-flop of quotes, which
/// citeproc (Pandoc) applies to quotes from the data and the processor
/// does not ("“Intention” und …" in quotes reads "“‘Intention’ und …”").
/// Only a text whose quotation marks all pair up is changed.
fn nested_quotes_flipped(html: &str) -> String {
    let mut chars: Vec<char> = html.chars().collect();
    let mut open: Vec<usize> = Vec::new();
    let mut flip: Vec<(usize, usize)> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\u{201C}' => open.push(i),
            '\u{201D}' => {
                let Some(start) = open.pop() else {
                    return html.to_string();
                };
                if !open.is_empty() {
                    flip.push((start, i));
                }
            }
            _ => {}
        }
    }
    if !open.is_empty() {
        return html.to_string();
    }
    for (start, end) in flip {
        chars[start] = '\u{2018}';
        chars[end] = '\u{2019}';
    }
    chars.into_iter().collect()
}

/// A full stop doubled by the processor ("3 vols.." where a term's own
/// stop meets a delimiter's) written once; an ellipsis of three stays.
fn single_stops(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let chars: Vec<char> = html.chars().collect();
    // Tags and links are left alone: a URL may end in `..`.
    let (mut in_tag, mut in_link) = (false, false);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '<' => {
                in_tag = true;
                let rest: String = chars[i..chars.len().min(i + 4)].iter().collect();
                if rest.starts_with("<a ") {
                    in_link = true;
                } else if rest.starts_with("</a>") {
                    in_link = false;
                }
            }
            '>' => in_tag = false,
            _ => {}
        }
        let doubled = !in_tag
            && !in_link
            && c == '.'
            && i > 0
            && chars[i - 1] == '.'
            && (i < 2 || chars[i - 2] != '.')
            && chars.get(i + 1) != Some(&'.');
        if !doubled {
            out.push(c);
        }
    }
    out
}

/// The style's closing full stop after a text that ends its own sentence
/// ("Is the boom over?." when the title is the last part): the processor
/// folds a full stop into one before it, but not into `?` or `!`.
fn drop_doubled_stop(html: &mut String) {
    let Some(before) = html.strip_suffix('.') else {
        return;
    };
    let mut text = before;
    // Skip the closing tags between the text and the stop.
    while text.ends_with('>') {
        match text.rfind("</") {
            Some(at) if !text[at..].contains(' ') => text = &text[..at],
            _ => break,
        }
    }
    if text.ends_with(['?', '!']) {
        html.pop();
    }
}

/// CSL rich text (`<i>`, `<b>`, `<sup>`, `<sub>`, small caps, nocase) as
/// private-use marks that pass through the processor; any other tag is
/// kept as text (the HTML writer escapes it).
pub fn rich_text(s: &str) -> String {
    if !s.contains('<') {
        return keep_case(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    // What each open `<span>` closes with.
    let mut spans: Vec<char> = Vec::new();
    'outer: while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        for &(open, close, a, b) in RICH {
            if rest.starts_with(open) {
                out.push(a);
                out.push('{');
                if close == "</span>" {
                    spans.push(b);
                }
                rest = &rest[open.len()..];
                continue 'outer;
            }
            if close != "</span>" && rest.starts_with(close) {
                out.push(b);
                rest = &rest[close.len()..];
                continue 'outer;
            }
        }
        if let Some(after) = rest.strip_prefix("</span>")
            && let Some(b) = spans.pop()
        {
            out.push(b);
            rest = after;
            continue;
        }
        out.push('<');
        rest = &rest[1..];
    }
    out.push_str(rest);
    keep_case(&out.replace("\u{E00C}{", "").replace('\u{E00C}', ""))
}

/// Marks the letters of words with capitals inside ("TechCrunch",
/// "iPhone", "l'IA") so the processor's title case keeps them as written.
pub fn keep_case(s: &str) -> String {
    // A straight apostrophe inside a word reads to the processor as a
    // quotation mark (it then quotes the title with single quotes).
    let s = &apostrophes(s);
    if ascii_without_a_capital_inside_a_word(s.as_bytes()) {
        return s.to_string();
    }
    marked_capitals_inside_words(s)
}

/// Whether `s` is ASCII and none of its words has a capital after its
/// first letter, so that [`keep_case`] marks nothing: read byte by byte
/// (the Unicode tables that the general reading consults cost more than
/// the rest of it).
fn ascii_without_a_capital_inside_a_word(s: &[u8]) -> bool {
    let mut in_word = false;
    for &b in s {
        match b {
            // `char::is_whitespace` in ASCII.
            b' ' | b'\t'..=b'\r' => in_word = false,
            b'A'..=b'Z' if in_word => return false,
            b'a'..=b'z' | b'A'..=b'Z' => in_word = true,
            0x80.. => return false,
            _ => {}
        }
    }
    true
}

/// [`keep_case`] for any text: each word with a capital after its first
/// letter has its letters hidden from the processor's case transforms.
fn marked_capitals_inside_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for word in s.split_inclusive(char::is_whitespace) {
        let letters = word.chars().filter(|c| c.is_alphabetic());
        if !letters.skip(1).any(char::is_uppercase) {
            out.push_str(word);
            continue;
        }
        out.extend(word.chars().map(hidden));
    }
    out
}

/// Text whose case no style may change (BibTeX's braces, `{MVS}`, Pandoc's
/// "nocase"): every letter hidden from the processor's case transforms.
pub fn no_case(s: &str) -> String {
    s.chars().map(hidden).collect()
}

/// A letter or digit as the processor cannot read its case.
fn hidden(c: char) -> char {
    (c.is_alphanumeric() && (c as u32) < 0x10000)
        .then(|| char::from_u32(KEEP + c as u32))
        .flatten()
        .unwrap_or(c)
}

/// `'` after a letter or digit as the typographic apostrophe.
fn apostrophes(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('\'') {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    let mut prev = ' ';
    for c in s.chars() {
        out.push(if c == '\'' && prev.is_alphanumeric() {
            '\u{2019}'
        } else {
            c
        });
        prev = c;
    }
    out.into()
}

/// Wraps a title in the link marks, leaving a final full stop, `?` or `!`
/// outside so that the processor still sees it (no doubled full stop).
pub fn linked_title(title: &str) -> String {
    let title = title.trim();
    let end = title.trim_end_matches(['.', '?', '!']).len();
    format!(
        "{LINK_OPEN}{{{}{LINK_CLOSE}{}",
        &title[..end],
        &title[end..]
    )
}

/// A string field.
pub fn string(s: &str) -> Value {
    Value::String(s.to_string())
}

/// A new item with its id and type.
pub fn item(id: &str, kind: &str) -> Item {
    let mut fields = BTreeMap::new();
    fields.insert("id".to_string(), string(id));
    fields.insert("type".to_string(), string(kind));
    Item(fields)
}

/// `start` (a date from [`date_parts`]) as a range that ends at `end`,
/// when `end` is a date (from [`date_parts`]) other than `start`.
pub fn date_range(mut start: Value, end: Option<Value>) -> Value {
    use hayagriva::citationberg::json::DateValue;
    if let (
        Value::Date(DateValue::DateParts { date_parts: s, .. }),
        Some(Value::Date(DateValue::DateParts { date_parts: e, .. })),
    ) = (&mut start, end)
        && let (Some(first), Some(last)) = (s.0.first(), e.0.into_iter().next())
        && *first != last
    {
        s.0.truncate(1);
        s.0.push(last);
    }
    start
}

/// A CSL date from its parts (month and day from 1); `None` for parts no
/// calendar has. A range's end is added by [`date_range`].
pub fn date_parts(year: i32, month: Option<u8>, day: Option<u8>) -> Option<Value> {
    use hayagriva::citationberg::json::{DateValue, VecDate, VecDateRange};
    let year = i16::try_from(year).ok()?;
    let mut parts = vec![year];
    if let Some(m) = month.filter(|m| (1..=12).contains(m)) {
        parts.push(i16::from(m));
        if let Some(d) = day.filter(|d| (1..=31).contains(d)) {
            parts.push(i16::from(d));
        }
    }
    Some(Value::Date(DateValue::DateParts {
        date_parts: VecDateRange(vec![VecDate(parts)]),
        literal: None,
        season: None,
        circa: false,
    }))
}

/// A full calendar date as a CSL date.
pub fn date(d: &crate::content::types::date::BriefDate) -> Option<Value> {
    date_parts(
        i32::from(d.date.year()),
        u8::try_from(d.date.month()).ok(),
        u8::try_from(d.date.day()).ok(),
    )
}

/// The CSL type a front-matter `kind` reads as, and the variable its
/// `publisher` fills: a news source's publisher is the paper it ran in.
pub fn kind_type(kind: crate::content::types::brief::SourceKind) -> (&'static str, &'static str) {
    use crate::content::types::brief::SourceKind;
    match kind {
        SourceKind::News => ("article-newspaper", "container-title"),
        SourceKind::Report => ("report", "publisher"),
        SourceKind::Primary | SourceKind::Filing => ("document", "publisher"),
        SourceKind::Data => ("dataset", "publisher"),
        SourceKind::Interview => ("interview", "publisher"),
    }
}

/// The item of a front-matter (or `sources.yaml`) source.
pub fn matter_item(s: &crate::content::types::brief::Source) -> Item {
    let (kind, publisher_field) = kind_type(s.kind);
    let mut item = item(&s.id, kind);
    let fields = &mut item.0;
    fields.insert(
        publisher_field.to_string(),
        string(&rich_text(&s.publisher)),
    );
    let title = rich_text(&s.title);
    let title = if s.url.is_some() {
        linked_title(&title)
    } else {
        title
    };
    fields.insert("title".to_string(), string(&title));
    if let Some(url) = &s.url {
        fields.insert("URL".to_string(), string(url));
    }
    for (name, d) in [("issued", &s.date), ("accessed", &s.accessed)] {
        if let Some(v) = d.as_ref().and_then(date) {
            fields.insert(name.to_string(), v);
        }
    }
    item
}

#[cfg(test)]
mod tests {
    use super::*;

    fn news(publisher: &str, title: &str) -> String {
        let mut it = item("k", "article-newspaper");
        it.0.insert("container-title".into(), string(&rich_text(publisher)));
        it.0.insert("title".into(), string(&linked_title(&rich_text(title))));
        it.0.insert("URL".into(), string("https://example.org/a"));
        chicago().format(&it, Some("https://example.org/a"))
    }

    fn chicago() -> Csl {
        Csl::load("chicago-author-date", Path::new("."), "en").expect("bundled")
    }

    #[test]
    fn every_shipped_locale_names_its_language_first() {
        for bytes in hayagriva::archive::LOCALES {
            let decoded = ciborium::from_reader::<Locale, _>(*bytes).unwrap();
            let code = decoded.lang.expect("a shipped locale has a language").0;
            assert_eq!(locale_language(bytes), Some(code.as_str()));
        }
        assert_eq!(locale_language(b"\xa1dinfo\xa0"), None);
    }

    #[test]
    fn title_case_keeps_capitals_inside_words_and_links_the_title() {
        assert_eq!(
            news("TechCrunch", "HBM4 ramps at iPhone maker"),
            "<i>TechCrunch</i>. n.d. <a href=\"https://example.org/a\"><i>HBM4 Ramps at iPhone Maker</i></a>. \
             <a href=\"https://example.org/a\">https://example.org/a</a>."
        );
    }

    /// A stop word after a comma stays lower-case in title case, as CSL
    /// and Pandoc have it (hayagriva capitalised it: "Editors, And
    /// Publishers"; patched).
    #[test]
    fn title_case_keeps_a_stop_word_after_a_comma() {
        let mut it = item("k", "book");
        it.0.insert(
            "title".into(),
            string("The essential guide for writers, editors, and publishers"),
        );
        assert_eq!(
            chicago().format(&it, None),
            "<i>The Essential Guide for Writers, Editors, and Publishers</i>. n.d."
        );
    }

    #[test]
    fn rich_text_is_markup_and_other_tags_are_text() {
        let html = news("Nature", "The <i>E. coli</i> genome <script>x</script>");
        // Flip-flop: italics inside an italic title are upright; a tag
        // that is not CSL rich text is text.
        assert!(
            html.contains("<i>The </i>E. Coli<i> Genome &lt;script&gt;x&lt;/script&gt;</i>"),
            "{html}"
        );
    }

    #[test]
    fn us_english_puts_the_delimiter_inside_the_quotes_and_no_stop_is_doubled() {
        let mut it = item("k", "article-journal");
        it.0.insert("title".into(), string("Grid constraints"));
        it.0.insert("container-title".into(), string("Energy Policy"));
        it.0.insert("number-of-volumes".into(), string("3"));
        let html = chicago().format(&it, None);
        assert!(html.contains("“Grid Constraints.”"), "{html}");
        assert!(!html.contains(".."), "{html}");
        let british = Csl::load("chicago-author-date", Path::new("."), "en-GB").expect("bundled");
        assert!(!british.format(&it, None).contains(".’"), "{html}");
        assert_eq!(
            single_stops("3 vols.. Leipzig… and so..."),
            "3 vols. Leipzig… and so..."
        );
        // A URL may end in `..`: links and attributes are left as written.
        let link = "<a href=\"https://example.org/..\">https://example.org/..</a>. x.. y";
        assert_eq!(
            single_stops(link),
            "<a href=\"https://example.org/..\">https://example.org/..</a>. x. y"
        );
    }

    #[test]
    fn a_full_stop_at_the_end_of_a_title_is_not_doubled() {
        let mut it = item("k", "report");
        it.0.insert("publisher".into(), string("Acme Inc."));
        it.0.insert("title".into(), string(&linked_title("Costs rose.")));
        it.0.insert("URL".into(), string("https://example.org/a"));
        for csl in [&Csl::default_for("en"), &chicago()] {
            let html = csl.format(&it, Some("https://example.org/a"));
            assert!(!html.contains(".."), "{}: {html}", csl.name);
        }
    }

    /// A CSL-JSON family name is read whole; only its leading lower-case
    /// words are particles, as Pandoc reads them (hayagriva split it as
    /// BibTeX's "von Last": "Parga, Luis Vázques de"; patched).
    #[test]
    fn a_family_name_with_an_inner_particle_is_kept_whole() {
        let name = |family: &str| {
            let mut it = item("k", "book");
            let names = serde_json::json!([{"family": family, "given": "Luis"}]);
            it.0.insert(
                "author".into(),
                serde_json::from_value(names).expect("names"),
            );
            it.0.insert("title".into(), string("T"));
            chicago().format(&it, None)
        };
        assert_eq!(
            name("Vázques de Parga"),
            "Vázques de Parga, Luis. n.d. <i>T</i>."
        );
        assert_eq!(name("van Gennep"), "Gennep, Luis van. n.d. <i>T</i>.");
    }

    /// Quotation marks in a title inside the style's quotes are flipped to
    /// inner quotes, as Pandoc does.
    #[test]
    fn quotes_inside_a_quoted_title_are_inner_quotes() {
        let mut it = item("k", "article-journal");
        it.0.insert(
            "title".into(),
            string("\u{201C}Intention\u{201D} und \u{201C}Intentionalität\u{201D} bei Husserl"),
        );
        it.0.insert("container-title".into(), string("Studia Philosophica"));
        let names = serde_json::json!([{"family": "Spiegelberg", "given": "Herbert"}]);
        it.0.insert(
            "author".into(),
            serde_json::from_value(names).expect("names"),
        );
        for csl in [Csl::default_for("en"), chicago()] {
            let html = csl.format(&it, None);
            assert!(
                html.contains("\u{201C}\u{2018}Intention\u{2019} ")
                    && html.contains(" \u{2018}Intentionalität\u{2019} "),
                "{}: {html}",
                csl.name
            );
        }
        // Alone, the title's own quotes stay double.
        let mut book = item("b", "book");
        book.0
            .insert("title".into(), string("The \u{201C}new\u{201D} deal"));
        let html = chicago().format(&book, None);
        assert!(html.contains("The \u{201C}New\u{201D} Deal"), "{html}");
        // Quotes that do not pair up are left as they are.
        for odd in [
            "\u{201C}a \u{201C}b\u{201D}",
            "\u{201C}a\u{201D} b\u{201D} \u{201C}c\u{201D}",
        ] {
            assert_eq!(nested_quotes_flipped(odd), odd);
        }
        assert_eq!(
            nested_quotes_flipped("\u{201C}a \u{201C}b\u{201D}\u{201D}"),
            "\u{201C}a \u{2018}b\u{2019}\u{201D}"
        );
    }

    /// A report number or version is printed as written ("99-02"), as
    /// Pandoc prints it (hayagriva read it as the range "99–2"; patched).
    #[test]
    fn a_number_with_a_hyphen_is_printed_as_written() {
        let mut it = item("k", "report");
        it.0.insert("title".into(), string("T"));
        it.0.insert("genre".into(), string("technical report"));
        it.0.insert("number".into(), string("99-02"));
        it.0.insert("publisher".into(), string("MIT"));
        assert_eq!(
            chicago().format(&it, None),
            "<i>T</i>. n.d. Technical Report Nos. 99-02. MIT."
        );
        assert_eq!(
            Csl::default_for("en").format(&it, None),
            "MIT. n.d. <i>T</i>. technical report, 99-02."
        );
    }

    /// A date range prints the parts that differ twice, as Pandoc does
    /// (hayagriva 0.10.1 panicked on a range; patched).
    #[test]
    fn date_ranges_print_both_ends() {
        let book = |issued: serde_json::Value| {
            let mut it = item("k", "book");
            let names = serde_json::json!([{"family": "Knuth", "given": "Donald"}]);
            it.0.insert(
                "author".into(),
                serde_json::from_value(names).expect("names"),
            );
            it.0.insert("title".into(), string("T"));
            let date = crate::content::cite::bib_csl::csl_item(
                &serde_json::json!({ "issued": issued }),
                "k",
                "book",
            );
            it.0.insert("issued".into(), date.0["issued"].clone());
            chicago().format(&it, None)
        };
        assert_eq!(
            book(serde_json::json!({"date-parts": [[1984], [1986]]})),
            "Knuth, Donald. 1984–1986. <i>T</i>."
        );
        assert_eq!(
            book(serde_json::json!({"raw": "2003/2004"})),
            "Knuth, Donald. 2003–2004. <i>T</i>."
        );
        let news = |end: [i32; 3]| {
            let mut it = item("n", "article-newspaper");
            it.0.insert("container-title".into(), string("Wire"));
            it.0.insert("title".into(), string("T"));
            let start = date_parts(2019, Some(5), Some(30)).expect("date");
            let end = date_parts(end[0], u8::try_from(end[1]).ok(), u8::try_from(end[2]).ok());
            it.0.insert("issued".into(), date_range(start, end));
            Csl::default_for("en").format(&it, None)
        };
        assert_eq!(
            news([2019, 5, 31]),
            "<i>Wire</i>. 2019. <i>T</i>. May 30–31."
        );
        assert_eq!(
            news([2019, 6, 2]),
            "<i>Wire</i>. 2019. <i>T</i>. May 30–June 2."
        );
        assert_eq!(
            news([2020, 1, 2]),
            "<i>Wire</i>. 2019–2020. <i>T</i>. May 30–January 2."
        );
    }

    /// An item's reference and in-text name as the processor's driver
    /// gives them: a citation of the item with the register style, then a
    /// one-entry bibliography (how [`Csl::format_with_name`] read them
    /// before it formatted the entry alone and wrote a name without names
    /// itself).
    fn driven(csl: &Csl, it: &Item, link: Option<&str>) -> (String, String) {
        let mut driver = BibliographyDriver::new();
        driver.citation(CitationRequest::new(
            vec![CitationItem::with_entry(it)],
            register_style(),
            csl.locale.clone(),
            &csl.locales,
            None,
        ));
        let rendered = driver.finish(BibliographyRequest::new(
            &csl.style,
            csl.locale.clone(),
            &csl.locales,
        ));
        let mut name = String::new();
        if let Some(cite) = rendered.citations.first() {
            let _ = cite.citation.write_buf(&mut name, BufWriteFormat::Plain);
        }
        let mut html = Html::new(link.map(str::to_string));
        html.pull_punctuation = csl.punctuation_in_quote;
        html.flip_quotes = csl.flip_quotes;
        for entry in rendered.bibliography.into_iter().flat_map(|b| b.items) {
            for child in &entry.content.0 {
                html.child(child, Formatting::default());
            }
        }
        (html.finish(), plain(&name))
    }

    #[test]
    fn an_entry_alone_and_its_name_read_as_the_driver_gives_them() {
        use crate::content::types::brief::{Reference, Source, SourceKind};
        let matter = |kind, publisher: &str, title: &str, url: Option<&str>| Source {
            id: "k".into(),
            number: None,
            publisher: publisher.into(),
            title: title.into(),
            url: url.map(str::to_string),
            date: crate::content::types::date::BriefDate::parse("2024-03-05").ok(),
            accessed: crate::content::types::date::BriefDate::parse("2024-04-01").ok(),
            kind,
            tier: None,
            cites: 0,
            reference: Reference::default(),
            in_text: Arc::default(),
            item: None,
        };
        let url = Some("https://example.org/a?b=1&c=2");
        let mut items: Vec<(Item, Option<&str>)> = Vec::new();
        for kind in [
            SourceKind::News,
            SourceKind::Report,
            SourceKind::Data,
            SourceKind::Interview,
        ] {
            for (publisher, title) in [
                ("Reuters", "Shares moved 32% in after-hours trading"),
                ("", "Is the boom over?"),
                ("<i></i>", "Title"),
                (
                    "The Wall Street Journal's desk",
                    "TechCrunch's \"AI\" story",
                ),
                ("—", "..."),
                ("<b>Bold</b> Press", "<i>Italic</i> title."),
                ("Ünïcödé 東京", "iPhone sales, Q3"),
            ] {
                for link in [None, url] {
                    let s = matter(kind, publisher, title, link);
                    items.push((matter_item(&s), link));
                }
            }
        }
        let mut authored = item("a", "article-journal");
        let names = serde_json::json!([
            {"family": "van Gennep", "given": "Arnold"},
            {"family": "Roe"}, {"literal": "World Bank"}
        ]);
        authored.0.insert(
            "author".into(),
            serde_json::from_value(names).expect("names"),
        );
        authored.0.insert("title".into(), string("Rites"));
        authored
            .0
            .insert("container-title".into(), string("Journal"));
        authored.0.insert("page".into(), string("3-9"));
        items.push((authored, None));
        let mut spaced = item("s", "report");
        spaced.0.insert("publisher".into(), string("  Spaced  "));
        spaced.0.insert("title".into(), string(" A title "));
        items.push((spaced, None));
        for csl in [Csl::default_for("en"), chicago(), Csl::default_for("de")] {
            for (it, link) in &items {
                assert_eq!(
                    csl.format_with_name(it, *link),
                    driven(&csl, it, *link),
                    "{it:?}"
                );
            }
        }
    }

    /// Items whose fields lead styles down their `cs:substitute`s (names
    /// missing, editors or translators in their place, no title), their
    /// labels and dates: a rendered `cs:names` substitute suppresses
    /// variables its later siblings test.
    fn walked_items() -> Vec<Item> {
        let names =
            |json: serde_json::Value| -> Value { serde_json::from_value(json).expect("names") };
        let mut items = Vec::new();
        for kind in [
            "book",
            "chapter",
            "article-journal",
            "report",
            "webpage",
            "thesis",
        ] {
            let mut full = item("full", kind);
            full.0.insert(
                "author".into(),
                names(serde_json::json!([{"family": "Roe", "given": "Ann"}, {"family": "Poe"}])),
            );
            full.0.insert(
                "editor".into(),
                names(serde_json::json!([{"family": "Ed", "given": "Ita"}])),
            );
            full.0.insert("title".into(), string("Rites of passage"));
            full.0.insert("container-title".into(), string("Journal"));
            full.0.insert("publisher".into(), string("Press"));
            full.0.insert("publisher-place".into(), string("Leipzig"));
            full.0.insert("volume".into(), string("12"));
            full.0.insert("issue".into(), string("3"));
            full.0.insert("page".into(), string("3-9"));
            full.0.insert("edition".into(), string("2"));
            full.0.insert("DOI".into(), string("10.1000/182"));
            full.0.insert("URL".into(), string("https://example.org/a"));
            if let Some(d) = date_parts(2021, Some(4), Some(2)) {
                full.0.insert("issued".into(), d);
            }
            if let Some(d) = date_parts(2024, Some(1), None) {
                full.0.insert("accessed".into(), d);
            }
            let mut edited = full.clone();
            edited.0.remove("author");
            let mut translated = edited.clone();
            translated.0.remove("editor");
            translated.0.insert(
                "translator".into(),
                names(serde_json::json!([{"literal": "World Bank"}])),
            );
            let mut bare = translated.clone();
            bare.0.remove("translator");
            let mut untitled = bare.clone();
            untitled.0.remove("title");
            untitled.0.remove("issued");
            let mut only_title = item("t", kind);
            only_title.0.insert("title".into(), string("Title alone"));
            items.extend([full, edited, translated, bare, untitled, only_title]);
            // Empty and number-typed values, a short title but no title.
            let odd = serde_json::json!({
                "id": "o", "type": kind, "title": "", "title-short": "",
                "container-title": "", "container-title-short": "Jn",
                "publisher": "", "genre": 3, "medium": "", "URL": "",
                "author": [{"family": "Roe"}], "issued": {"date-parts": [[2020]]}
            });
            items.push(serde_json::from_value(odd).expect("item"));
            let short = serde_json::json!({
                "id": "s", "type": kind, "title-short": "Short", "publisher": 7
            });
            items.push(serde_json::from_value(short).expect("item"));
        }
        items
    }

    #[test]
    fn an_entry_rendered_with_the_processors_shortcuts_reads_as_without() {
        let items = walked_items();
        let link = Some("https://example.org/a");
        for name in BUNDLED {
            let csl = Csl::load(name, Path::new("."), "en").expect("bundled");
            for it in &items {
                let kept = (csl.format(it, link), driven(&csl, it, link));
                hayagriva::shortcuts(false);
                let walked = (csl.format(it, link), driven(&csl, it, link));
                hayagriva::shortcuts(true);
                assert_eq!(kept, walked, "{name}: {it:?}");
            }
        }
    }

    #[test]
    fn a_reference_formatted_with_terms_kept_reads_as_looked_up_again() {
        let mut items = walked_items();
        for month in 1..=12 {
            let mut dated = item("d", "article-newspaper");
            dated.0.insert("title".into(), string("Dated"));
            if let Some(d) = date_parts(2020, Some(month), Some(month)) {
                dated.0.insert("issued".into(), d.clone());
                dated.0.insert("accessed".into(), d);
            }
            items.push(dated);
        }
        let link = Some("https://example.org/a");
        // One cache for every style and language: it starts again for each.
        let kept = TermCache::default();
        for language in ["en", "de", "fr-CA"] {
            for name in BUNDLED {
                let csl = Csl::load(name, Path::new("."), language).expect("bundled");
                for it in &items {
                    let afresh = csl.format_finding_terms(it, link, None);
                    for _ in 0..2 {
                        let found = csl.format_finding_terms(it, link, Some(&kept));
                        assert_eq!(found, afresh, "{name} {language}: {it:?}");
                    }
                    assert_eq!(csl.format(it, link), afresh, "{name} {language}: {it:?}");
                }
            }
        }
    }

    #[test]
    fn keep_case_reads_ascii_text_as_any_text() {
        for s in [
            "",
            "a",
            "A",
            "Beacon Software began shipping",
            "TechCrunch",
            "iPhone sales, Q3",
            "HBM4 and 5.2 nm",
            "AI",
            "A.I. boom",
            "l'IA",
            "O'Neil's view",
            "x\u{B}Yz",
            "tab\tTab\tTAB",
            "line\nBreak\rCR\u{C}Ff",
            "two  spaces  AND",
            "a-Bc",
            "3D-printed",
            "e.g. US-based",
            "Ünïcödé TechCrunch",
            "caf\u{E9}Bar",
            "word\u{85}Next",
        ] {
            assert_eq!(
                keep_case(s),
                marked_capitals_inside_words(&apostrophes(s)),
                "{s:?}"
            );
        }
    }

    #[test]
    fn a_url_written_as_parsed_is_what_parsing_gives() {
        let urls = [
            "https://www.reuters.com/2022/12/wavecrest-energy-raises-guidance-as-anti",
            "https://example.org/",
            "http://example.org/a/b.html?x=1&y=2/3",
            "https://example.org/a?b=1&c=2",
            "https://Example.org/a",
            "https://example.org",
            "https://example.org:443/a",
            "https://example.org/a/../b",
            "https://example.org/a/./b",
            "https://example.org/a/%2e%2e/b",
            "https://example.org/a b",
            "https://example.org/a#frag",
            "https://user@example.org/a",
            "https://0x7f.1/a",
            "https://127.0.0.1/a",
            "https://1.2.3.a/a",
            "https://xn--nxasmq6b.com/a",
            "https://xn--a.com/a",
            "https://-a-.example/a",
            "https://ex..ample.org/a",
            "https://example.org./a",
            "https://example.org/a?q='x'",
            "https://example.org/a?q=<x>",
            "https://example.org/a{b}",
            "https://example.org/a\\b",
            "https://example.org//a//b/",
            "https://example.org/~user/a_b-c.d",
            "HTTPS://example.org/a",
            "ftp://example.org/a",
            "https://exämple.org/a",
        ];
        let mut fast = 0;
        for url in urls {
            if parsed_as_written(url) {
                fast += 1;
                let parsed = url::Url::parse(url).map_or(url.to_string(), String::from);
                assert_eq!(parsed, url);
            }
        }
        assert_eq!(fast, 8);
    }

    #[test]
    fn in_text_names_are_the_authors_else_the_paper() {
        let mut it = item("k", "article-journal");
        let names = serde_json::json!([
            {"family": "Allen", "given": "Greg"},
            {"family": "Benson", "given": "Emily"}
        ]);
        it.0.insert(
            "author".into(),
            serde_json::from_value(names).expect("names"),
        );
        it.0.insert("title".into(), string("Export controls"));
        let csl = Csl::default_for("en");
        assert_eq!(csl.format_with_name(&it, None).1, "Allen and Benson");
        let three = serde_json::json!([
            {"family": "Miller"}, {"family": "Roe"}, {"family": "Doe"}
        ]);
        it.0.insert(
            "author".into(),
            serde_json::from_value(three).expect("names"),
        );
        assert_eq!(csl.format_with_name(&it, None).1, "Miller et al.");
        let mut news = item("n", "article-newspaper");
        news.0
            .insert("container-title".into(), string(&rich_text("TechCrunch")));
        news.0
            .insert("title".into(), string(&linked_title("Chips")));
        assert_eq!(csl.format_with_name(&news, None).1, "TechCrunch");
    }

    #[test]
    fn a_question_ending_the_reference_gets_no_full_stop() {
        let mut it = item("k", "article-newspaper");
        it.0.insert("container-title".into(), string("Bloomberg"));
        it.0.insert("title".into(), string(&linked_title("Is the boom over?")));
        assert_eq!(
            Csl::default_for("en").format(&it, Some("https://example.org/a")),
            "<i>Bloomberg</i>. n.d. <a href=\"https://example.org/a\"><i>Is the boom over</i></a><i>?</i>"
        );
    }

    #[test]
    fn the_default_style_writes_a_news_source_as_published() {
        let mut it = item("k", "article-newspaper");
        it.0.insert("container-title".into(), string("Bloomberg"));
        it.0.insert(
            "title".into(),
            string(&linked_title("Amazon in talks to sell Trainium chips")),
        );
        it.0.insert("URL".into(), string("https://example.org/a"));
        it.0.insert(
            "issued".into(),
            date_parts(2026, Some(5), Some(13)).unwrap(),
        );
        it.0.insert(
            "accessed".into(),
            date_parts(2026, Some(5), Some(14)).unwrap(),
        );
        assert_eq!(
            Csl::default_for("en").format(&it, Some("https://example.org/a")),
            "<i>Bloomberg</i>. 2026. <a href=\"https://example.org/a\"><i>Amazon in talks to sell Trainium chips</i></a>. \
             May 13. <a href=\"https://example.org/a\">https://example.org/a</a>. Accessed May 14, 2026."
        );
    }

    #[test]
    fn the_default_style_writes_authors_volume_issue_and_pages() {
        let mut it = item("k", "article-journal");
        let names = serde_json::json!([
            {"family": "Miller", "given": "Chris"},
            {"family": "Müller", "given": "Jörg"}
        ]);
        let names: Value = serde_json::from_value(names).expect("CSL names");
        it.0.insert("author".into(), names);
        it.0.insert("title".into(), string("The ASML chokepoint"));
        it.0.insert("container-title".into(), string("Foreign Affairs"));
        it.0.insert("volume".into(), string("103"));
        it.0.insert("issue".into(), string("2"));
        it.0.insert("page".into(), string("44-57"));
        it.0.insert("DOI".into(), string("10.1000/fa.2024.2"));
        it.0.insert("issued".into(), date_parts(2024, Some(3), None).unwrap());
        assert_eq!(
            Csl::default_for("en").format(&it, None),
            "Miller, Chris, and Jörg Müller. 2024. “The ASML chokepoint.” <i>Foreign Affairs</i> 103 (2): 44–57. \
             March. <a href=\"https://doi.org/10.1000/fa.2024.2\">https://doi.org/10.1000/fa.2024.2</a>."
        );
    }
}
