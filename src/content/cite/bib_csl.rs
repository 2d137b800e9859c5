//! CSL items from bibliography entries: what the CSL processor formats
//! ([`crate::content::cite::reference`]). BibLaTeX entries map to CSL as Pandoc
//! maps them (types, fields, names, dates; LaTeX converted by
//! [`crate::content::cite::latex`]); CSL-JSON items are rebuilt field by field so
//! that nothing the processor cannot take reaches it (it panics on empty
//! `date-parts`).

use biblatex::{ChunksExt, DateValue, PermissiveType};
use hayagriva::citationberg::json::{Item, Value};

use crate::content::cite::latex;
use crate::content::cite::reference;
use crate::content::types::date::BriefDate;

/// The CSL type of a BibLaTeX entry type, as Pandoc 3 maps it (its
/// BibTeX reader's `getTypeAndGenre`); `misc` and unknown types, which
/// Pandoc leaves untyped, are `document`.
fn bib_csl_type(entry_type: &str, subtype: Option<&str>, event: bool) -> &'static str {
    match entry_type.to_ascii_lowercase().as_str() {
        "article" | "periodical" | "suppperiodical" => match subtype {
            Some("magazine") => "article-magazine",
            Some("newspaper") => "article-newspaper",
            _ => "article-journal",
        },
        "book" | "mvbook" | "collection" | "mvcollection" | "proceedings" | "mvproceedings"
        | "reference" | "mvreference" | "manual" | "software" | "commentary" => "book",
        "booklet" => "pamphlet",
        "inbook" | "bookinbook" | "incollection" | "suppbook" | "suppcollection" => "chapter",
        "inreference" => "entry-encyclopedia",
        "inproceedings" | "conference" => "paper-conference",
        "online" | "electronic" | "www" => "webpage",
        "report" | "techreport" => "report",
        "thesis" | "mastersthesis" | "phdthesis" => "thesis",
        "unpublished" if event => "speech",
        "unpublished" => "manuscript",
        "performance" => "speech",
        "patent" => "patent",
        "dataset" | "data" => "dataset",
        "letter" | "letters" => "personal_communication",
        "legislation" | "standard" => "legislation",
        "legal" => "treaty",
        "jurisdiction" => "legal_case",
        "interview" => "interview",
        "video" | "movie" => "motion_picture",
        "audio" | "music" => "song",
        "artwork" | "image" => "graphic",
        "review" => "review",
        "newsarticle" => "article-newspaper",
        _ => "document",
    }
}

/// CSL variables that are identifiers, never text: passed as written.
const CSL_PLAIN: &[&str] = &["URL", "DOI", "ISBN", "ISSN", "PMID", "PMCID", "language"];

/// A field's text with its LaTeX converted and its case kept.
fn bib_text(chunks: &[biblatex::Spanned<biblatex::Chunk>]) -> String {
    let text = chunks.iter().map(|c| chunk_text(&c.v)).collect::<String>();
    reference::keep_case(text.trim())
}

fn chunk_text(chunk: &biblatex::Chunk) -> String {
    match chunk {
        biblatex::Chunk::Normal(s) | biblatex::Chunk::Verbatim(s) => latex::text(s),
        biblatex::Chunk::Math(s) => latex::math(s),
    }
}

/// BibLaTeX fields and the CSL variable each fills (the first present of
/// several for one variable wins). Titles, publishers and places are
/// mapped in [`bib_item`].
const BIB_FIELDS: &[(&str, &str)] = &[
    ("eventtitle", "event-title"),
    ("venue", "event-place"),
    ("volumes", "number-of-volumes"),
    ("pages", "page"),
    ("pagetotal", "number-of-pages"),
    ("chapter", "chapter-number"),
    ("edition", "edition"),
    ("doi", "DOI"),
    ("url", "URL"),
    ("isbn", "ISBN"),
    ("issn", "ISSN"),
    ("pmid", "PMID"),
    ("pmcid", "PMCID"),
    ("note", "note"),
    ("version", "version"),
    ("language", "language"),
    ("abstract", "abstract"),
];

/// One entry as Pandoc's BibTeX reader sees it: its fields, and whether
/// its titles are turned into sentence case (English entries in an
/// English site: BibTeX titles are title-cased, CSL styles expect
/// sentence case and title-case them where they want it).
struct Bib<'a> {
    entry: &'a biblatex::Entry,
    sentence: bool,
}

impl Bib<'_> {
    fn text(&self, field: &str) -> Option<String> {
        self.entry
            .get(field)
            .map(bib_text)
            .filter(|s| !s.is_empty())
    }

    /// A title field: braced text keeps its case, here and in the style's
    /// title case (Pandoc's "nocase"), the rest is set in sentence case
    /// when the entry is English.
    fn title(&self, field: &str) -> Option<String> {
        let chunks = self.entry.get(field)?;
        let mut state = Case::Start;
        let text = chunks
            .iter()
            .map(|c| {
                let t = chunk_text(&c.v);
                let normal = matches!(c.v, biblatex::Chunk::Normal(_));
                let t = sentence_case(&t, &mut state, self.sentence && normal);
                if normal { t } else { reference::no_case(&t) }
            })
            .collect::<String>();
        Some(reference::keep_case(text.trim())).filter(|s| !s.is_empty())
    }

    /// A title with its subtitle and addon, as Pandoc joins them.
    fn full_title(&self, main: &str, sub: &str, addon: &str) -> Option<String> {
        let title = self.title(main)?;
        Some(joined(
            &joined(&title, self.title(sub).as_deref(), ':'),
            self.title(addon).as_deref(),
            '.',
        ))
    }

    /// A list field (`publisher`, `location`): its items, split at `and`
    /// outside braces, joined with semicolons.
    fn list(&self, field: &str) -> Option<String> {
        let chunks = self.entry.get(field)?;
        let text = chunks
            .iter()
            .map(|c| match &c.v {
                biblatex::Chunk::Normal(s) => latex::text(&s.replace(" and ", "; ")),
                other => chunk_text(other),
            })
            .collect::<String>();
        Some(reference::keep_case(text.trim())).filter(|s| !s.is_empty())
    }

    fn raw(&self, field: &str) -> Option<String> {
        self.entry
            .get(field)
            .map(|c| c.format_verbatim().trim().to_string())
            .filter(|s| !s.is_empty())
    }

    /// `options = {useprefix}` (or `useprefix=true`).
    fn option(&self, name: &str) -> bool {
        self.raw("options").is_some_and(|o| {
            o.split(',').any(|opt| {
                let (key, value) = opt.split_once('=').unwrap_or((opt, ""));
                key.trim().eq_ignore_ascii_case(name)
                    && matches!(value.trim().to_ascii_lowercase().as_str(), "" | "true")
            })
        })
    }
}

/// `main` and `more` joined as Pandoc joins title parts: with `sep` and a
/// space, or a space alone after punctuation.
fn joined(main: &str, more: Option<&str>, sep: char) -> String {
    match more {
        Some(more) if main.ends_with(['!', '?', '.', ',', ':', ';']) => format!("{main} {more}"),
        Some(more) => format!("{main}{sep} {more}"),
        None => main.to_string(),
    }
}

/// Whether an entry's `langid` (or `hyphenation`) is English or absent.
fn english_entry(entry: &biblatex::Entry) -> bool {
    let lang = entry
        .get("langid")
        .or_else(|| entry.get("hyphenation"))
        .map(|c| c.format_verbatim().trim().to_ascii_lowercase());
    lang.is_none_or(|l| {
        l.starts_with("en")
            || matches!(
                l.as_str(),
                "american"
                    | "british"
                    | "australian"
                    | "newzealand"
                    | "canadian"
                    | "usenglish"
                    | "ukenglish"
            )
    })
}

/// The CSL item of a BibLaTeX entry: Pandoc's BibLaTeX-to-CSL mapping for
/// the fields a reference text shows. `english` is whether the site's
/// language is English (Pandoc's condition for sentence-casing titles).
pub fn bib_item(entry: &biblatex::Entry, type_name: &str, english: bool) -> Item {
    let bib = Bib {
        entry,
        sentence: english && english_entry(entry),
    };
    let event = ["eventdate", "eventtitle", "venue"]
        .iter()
        .any(|f| entry.get(f).is_some());
    let kind = bib_csl_type(type_name, bib.raw("entrysubtype").as_deref(), event);
    let mut item = reference::item(&entry.key, kind);
    let f = &mut item.0;
    bib_titles(&bib, type_name, f);
    bib_numbers(&bib, type_name, f);
    if let Some(genre) = bib_genre(&bib, type_name) {
        f.insert("genre".to_string(), Value::String(genre));
    }
    let publishers = [
        "school",
        "institution",
        "organization",
        "howpublished",
        "publisher",
    ]
    .iter()
    .filter_map(|p| {
        if *p == "howpublished" {
            bib.text(p)
        } else {
            bib.list(p)
        }
    })
    .collect::<Vec<_>>();
    if !publishers.is_empty() {
        f.insert(
            "publisher".to_string(),
            Value::String(publishers.join("; ")),
        );
    }
    let place = bib.list("address").or_else(|| {
        (!type_name.eq_ignore_ascii_case("patent"))
            .then(|| bib.list("location"))
            .flatten()
    });
    if let Some(place) = place {
        f.insert("publisher-place".to_string(), Value::String(place));
    }
    for &(field, var) in BIB_FIELDS {
        let value = if CSL_PLAIN.contains(&var) {
            bib.raw(field)
        } else {
            bib.text(field)
        };
        if let Some(v) = value {
            f.entry(var.to_string()).or_insert(Value::String(v));
        }
    }
    if !f.contains_key("language")
        && let Some(lang) = langid(entry)
    {
        f.insert("language".to_string(), Value::String(lang.to_string()));
    }
    if !f.contains_key("URL")
        && let Some(url) = eprint_url(&bib)
    {
        f.insert("URL".to_string(), Value::String(url));
    }
    bib_people(&bib, f);
    let date = entry.date().ok();
    if let Some(v) = date.and_then(|d| bib_csl_date(&d)) {
        f.insert("issued".to_string(), v);
    }
    if let Some(v) = entry.url_date().ok().and_then(|d| bib_csl_date(&d)) {
        f.insert("accessed".to_string(), v);
    }
    // As Pandoc: `origdate`/`origyear` ("[1959] 1997" in Chicago).
    if let Some(v) = entry.orig_date().ok().and_then(|d| bib_csl_date(&d)) {
        f.insert("original-date".to_string(), v);
    }
    item
}

type Fields = std::collections::BTreeMap<String, Value>;

/// Title, volume title, container and series, as Pandoc reads them: a
/// `maintitle` is the title of a book (its own title the volume's) and
/// the container of a chapter-like entry.
fn bib_titles(bib: &Bib<'_>, type_name: &str, f: &mut Fields) {
    let et = type_name.to_ascii_lowercase();
    let periodical = et == "periodical";
    let chapterlike = matches!(
        et.as_str(),
        "inbook" | "incollection" | "inproceedings" | "inreference" | "bookinbook"
    );
    let has_main = bib.entry.get("maintitle").is_some();
    let mut put = |var: &str, v: Option<String>| {
        if let Some(v) = v {
            f.insert(var.to_string(), Value::String(v));
        }
    };
    let title = if periodical {
        bib.full_title("issuetitle", "issuesubtitle", "issuetitleaddon")
            .or_else(|| bib.full_title("title", "subtitle", "titleaddon"))
    } else if has_main && !chapterlike {
        bib.full_title("maintitle", "mainsubtitle", "maintitleaddon")
    } else {
        bib.full_title("title", "subtitle", "titleaddon")
    };
    put("title", title);
    if has_main && !chapterlike {
        put(
            "volume-title",
            bib.full_title("title", "subtitle", "titleaddon"),
        );
    } else if has_main {
        put(
            "volume-title",
            bib.full_title("booktitle", "booksubtitle", "booktitleaddon"),
        );
    }
    let periodical_title = |main: &str, sub: &str| {
        bib.text(main)
            .map(|t| joined(&t, bib.text(sub).as_deref(), ':'))
    };
    let container = if periodical {
        periodical_title("title", "subtitle")
    } else if chapterlike && has_main {
        bib.full_title("maintitle", "mainsubtitle", "maintitleaddon")
    } else if chapterlike && bib.entry.get("booktitle").is_some() {
        bib.full_title("booktitle", "booksubtitle", "booktitleaddon")
    } else {
        periodical_title("journaltitle", "journalsubtitle").or_else(|| bib.text("journal"))
    };
    put("container-title", container);
    put(
        "collection-title",
        bib.title("series").map(|s| series(&s, bib.sentence)),
    );
    put("event-title", bib.title("eventtitle"));
    put(
        "title-short",
        short_title(bib, periodical, chapterlike, has_main),
    );
}

/// The short title (what a mark shows for an entry without authors), as
/// Pandoc makes it: `shorttitle`, else the `title` field before a colon,
/// when the entry has a subtitle or the title has a colon.
fn short_title(
    bib: &Bib<'_>,
    periodical: bool,
    chapterlike: bool,
    has_main: bool,
) -> Option<String> {
    if (!has_main || chapterlike)
        && let Some(short) = bib.title("shorttitle")
    {
        return Some(short);
    }
    let title = bib.title("title")?;
    let has = |field: &str| bib.entry.get(field).is_some();
    let subtitled = (periodical && has("issuesubtitle")) || has("subtitle") || has("titleaddon");
    let cut = title.find(':');
    if (subtitled && !has_main) || cut.is_some() {
        let short = title[..cut.unwrap_or(title.len())].trim_end();
        return Some(short.to_string()).filter(|s| !s.is_empty());
    }
    None
}

/// A series as Pandoc reads BibLaTeX's keys: `newseries` is "new
/// series", a number an ordinal series ("3rd series"). Pandoc resolves the
/// key before it sets the title in sentence case, so an English entry's
/// reads "New series".
fn series(s: &str, sentence: bool) -> String {
    let key = match s.to_ascii_lowercase().as_str() {
        "newseries" => Some(("New series", "new series")),
        "oldseries" => Some(("Old series", "old series")),
        _ => None,
    };
    if let Some((capitalised, plain)) = key {
        return if sentence { capitalised } else { plain }.to_string();
    }
    let Ok(n) = s.parse::<u32>() else {
        return s.to_string();
    };
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix} series")
}

/// Volume (with its part), and `number`: a book's series number, an
/// article's issue (with `issue`), else the entry's number.
fn bib_numbers(bib: &Bib<'_>, type_name: &str, f: &mut Fields) {
    let volume = match (bib.text("volume"), bib.text("part")) {
        (Some(v), Some(p)) => Some(format!("{v}.{p}")),
        (v, p) => v.or(p),
    };
    if let Some(v) = volume {
        f.insert("volume".to_string(), Value::String(v));
    }
    let et = type_name.to_ascii_lowercase();
    let Some(number) = bib.text("number") else {
        if let Some(issue) = bib.text("issue") {
            f.insert("issue".to_string(), Value::String(issue));
        }
        return;
    };
    let bookish = matches!(
        et.as_str(),
        "book"
            | "collection"
            | "proceedings"
            | "reference"
            | "mvbook"
            | "mvcollection"
            | "mvproceedings"
            | "mvreference"
            | "bookinbook"
            | "inbook"
            | "incollection"
            | "inproceedings"
            | "inreference"
            | "suppbook"
            | "suppcollection"
    );
    let article = matches!(
        et.as_str(),
        "article" | "periodical" | "suppperiodical" | "review"
    );
    let (var, value) = if bookish {
        ("collection-number", number)
    } else if article {
        let value = match bib.text("issue") {
            Some(issue) => format!("{number}, {issue}"),
            None => number,
        };
        ("issue", value)
    } else {
        ("number", number)
    };
    f.insert(var.to_string(), Value::String(value));
}

/// `type` as a genre, BibLaTeX's keys (`techreport`, `patentus`…) in
/// the words its English strings give; a thesis without one gets its
/// kind.
fn bib_genre(bib: &Bib<'_>, type_name: &str) -> Option<String> {
    match bib.text("type") {
        Some(t) => Some(type_key(&t).map_or(t, str::to_string)),
        None if type_name.eq_ignore_ascii_case("phdthesis") => Some("PhD thesis".to_string()),
        None if type_name.eq_ignore_ascii_case("mastersthesis") => {
            Some("Master’s thesis".to_string())
        }
        None => None,
    }
}

/// BibLaTeX's type keys, as its English strings (`english.lbx`) read.
fn type_key(key: &str) -> Option<&'static str> {
    Some(match key.trim().to_ascii_lowercase().as_str() {
        "phdthesis" => "PhD thesis",
        "mathesis" | "mastersthesis" => "Master’s thesis",
        "candthesis" => "Candidate thesis",
        "techreport" => "technical report",
        "resreport" => "research report",
        "software" => "computer software",
        "datacd" => "CD-ROM",
        "audiocd" => "audio CD",
        "patent" => "patent",
        "patentde" => "German patent",
        "patenteu" => "European patent",
        "patentfr" => "French patent",
        "patentuk" => "British patent",
        "patentus" => "U.S. patent",
        "patreq" => "patent request",
        "patreqde" => "German patent request",
        "patreqeu" => "European patent request",
        "patreqfr" => "French patent request",
        "patrequk" => "British patent request",
        "patrequs" => "U.S. patent request",
        _ => return None,
    })
}

/// An entry's `langid` (or `hyphenation`) as a language tag, as Pandoc
/// maps BibLaTeX's language names: styles title-case English titles only.
fn langid(entry: &biblatex::Entry) -> Option<&'static str> {
    let lang = entry
        .get("langid")
        .or_else(|| entry.get("hyphenation"))?
        .format_verbatim()
        .trim()
        .to_ascii_lowercase();
    Some(match lang.as_str() {
        "english" | "american" | "usenglish" => "en-US",
        "british" | "ukenglish" => "en-GB",
        "australian" => "en-AU",
        "newzealand" => "en-NZ",
        "canadian" => "en-CA",
        "german" | "ngerman" => "de-DE",
        "austrian" | "naustrian" => "de-AT",
        "swissgerman" | "nswissgerman" => "de-CH",
        "french" => "fr-FR",
        "spanish" => "es-ES",
        "italian" => "it-IT",
        "portuguese" => "pt-PT",
        "brazilian" => "pt-BR",
        "dutch" => "nl-NL",
        "latin" => "la",
        "greek" => "el-GR",
        "russian" => "ru-RU",
        "polish" => "pl-PL",
        "swedish" => "sv-SE",
        "danish" => "da-DK",
        "norwegian" | "norsk" => "nb-NO",
        "finnish" => "fi-FI",
        "czech" => "cs-CZ",
        "japanese" => "ja-JP",
        "chinese" => "zh-CN",
        _ => return None,
    })
}

/// A URL from `eprint` and `eprinttype`, as Pandoc builds one.
fn eprint_url(bib: &Bib<'_>) -> Option<String> {
    let kind = bib.raw("eprinttype").or_else(|| bib.raw("archiveprefix"))?;
    let base = match kind.to_ascii_lowercase().as_str() {
        "arxiv" => "https://arxiv.org/abs/",
        "jstor" => "https://www.jstor.org/stable/",
        "pubmed" => "https://www.ncbi.nlm.nih.gov/pubmed/",
        "googlebooks" => "https://books.google.com?id=",
        _ => return None,
    };
    Some(format!("{base}{}", bib.raw("eprint")?))
}

/// The name fields.
fn bib_people(bib: &Bib<'_>, f: &mut Fields) {
    let useprefix = bib.option("useprefix");
    for (field, var) in [
        ("author", "author"),
        ("editor", "editor"),
        ("translator", "translator"),
        ("bookauthor", "container-author"),
    ] {
        if let Some(names) = bib
            .entry
            .get(field)
            .and_then(|_| bib_names(bib.entry, field, useprefix))
        {
            f.insert(var.to_string(), names);
        }
    }
}

/// The names of a name field: `{World Bank}` and one-part names literal;
/// "von" particles as Pandoc reads them (the lower-case words before the
/// family name; dropping, unless `useprefix`).
fn bib_names(entry: &biblatex::Entry, field: &str, useprefix: bool) -> Option<Value> {
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
            let (particle, family) = von_split(&clean(&p.prefix), &family);
            let opt = |s: String| (!s.is_empty()).then_some(s);
            let useprefix = p.use_prefix.unwrap_or(useprefix);
            let (dropping, non_dropping) = if useprefix {
                (None, opt(particle))
            } else {
                (opt(particle), None)
            };
            NameValue::Item(NameItem {
                family,
                given: opt(given),
                non_dropping_particle: non_dropping,
                dropping_particle: dropping,
                suffix: opt(clean(&p.suffix)),
                comma_suffix: None,
            })
        })
        .collect::<Vec<_>>();
    (!names.is_empty()).then_some(Value::Names(names))
}

/// The particle and family name of `prefix` + `family`, split as BibLaTeX
/// (and Pandoc) split "von Last": the words before the first capitalised
/// one are the particle ("Vázques de Parga" is all family name).
fn von_split(prefix: &str, family: &str) -> (String, String) {
    if prefix.is_empty() {
        return (String::new(), family.to_string());
    }
    let words: Vec<&str> = prefix
        .split_whitespace()
        .chain(family.split_whitespace())
        .collect();
    let capitalised = |w: &&str| {
        w.chars()
            .find(|c| !c.is_ascii_digit())
            .is_none_or(char::is_uppercase)
    };
    let at = words
        .iter()
        .position(capitalised)
        .unwrap_or(words.len() - 1);
    (words[..at].join(" "), words[at..].join(" "))
}

/// Where a sentence-case pass stands, as Pandoc's `citeproc` tracks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Start,
    StartSentence,
    AfterWordEnd,
    AfterWordChar,
    AfterStop,
    AfterOther,
}

/// Sentence case as Pandoc's `citeproc` applies it to a BibTeX title
/// (when `apply`): a capitalised word is lower-cased, except the first of
/// a sentence, which is capitalised; words with other capitals (acronyms,
/// "iPhone") keep them. `state` carries across the title's chunks; the
/// private-use marks of rich text and curly double quotes are transparent,
/// as Pandoc's emphasis and quotes are, and a quotation (`\mkbibquote`)
/// keeps its case, as in Pandoc.
fn sentence_case(text: &str, state: &mut Case, apply: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut quoted = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if matches!(c, '\u{E000}'..='\u{E00E}' | '\u{201C}' | '\u{201D}') {
            quoted = match c {
                '\u{201C}' => true,
                '\u{201D}' => false,
                _ => quoted,
            };
            out.push(c);
            i += 1;
            if matches!(c, '\u{E000}'..='\u{E00E}') && chars.get(i) == Some(&'{') {
                out.push('{');
                i += 1;
            }
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() && same_type(chars[i], chars[j]) {
            j += 1;
        }
        let word: String = chars[i..j].iter().collect();
        if apply && !quoted && word.chars().all(char::is_alphanumeric) {
            out.push_str(&sentence_word(&word, *state));
        } else {
            out.push_str(&word);
        }
        *state = after(*state, chars[j - 1]);
        i = j;
    }
    out
}

/// Whether two characters belong to one chunk: ASCII letters and digits,
/// other letters and digits, or spaces.
fn same_type(c: char, d: char) -> bool {
    (c.is_ascii_alphanumeric() && d.is_ascii_alphanumeric())
        || (!c.is_ascii() && c.is_alphanumeric() && !d.is_ascii() && d.is_alphanumeric())
        || (c.is_whitespace() && d.is_whitespace())
}

fn after(state: Case, last: char) -> Case {
    match last {
        '.' | '?' | '!' | ':' => Case::AfterStop,
        c if c.is_alphanumeric() => Case::AfterWordChar,
        c if c.is_whitespace() && state == Case::AfterStop => Case::StartSentence,
        c if c.is_whitespace() || matches!(c, '-' | '/' | '\u{2013}' | '\u{2014}') => {
            Case::AfterWordEnd
        }
        _ => Case::AfterOther,
    }
}

fn sentence_word(word: &str, state: Case) -> String {
    let mut chars = word.chars();
    let first = chars.next().unwrap_or(' ');
    let capitalised = first.is_uppercase() && chars.clone().all(char::is_lowercase);
    let start = matches!(state, Case::Start | Case::StartSentence);
    if capitalised && !start {
        word.to_lowercase()
    } else if start && (capitalised || word.chars().all(char::is_lowercase)) {
        let lower = word.to_lowercase();
        let mut lower = lower.chars();
        lower
            .next()
            .map(|c| c.to_uppercase().chain(lower).collect())
            .unwrap_or_default()
    } else {
        word.to_string()
    }
}

/// A BibLaTeX date as a CSL date (`1885/1888` a range).
fn bib_csl_date(date: &PermissiveType<biblatex::Date>) -> Option<Value> {
    let PermissiveType::Typed(d) = date else {
        return None;
    };
    let csl = |dt: biblatex::Datetime| {
        reference::date_parts(dt.year, dt.month.map(|m| m + 1), dt.day.map(|d| d + 1))
    };
    match d.value {
        DateValue::At(dt) | DateValue::After(dt) | DateValue::Before(dt) => csl(dt),
        DateValue::Between(start, end) => Some(reference::date_range(csl(start)?, csl(end))),
    }
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
/// (a range has both ends), rich text becomes marks, names are kept
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

/// A CSL-JSON date: `date-parts` (two for a range) or `raw`
/// (read as [`raw_date`] reads it), with its `season` and `circa`. A
/// negative year is a year BC, as in Pandoc: the processor counts from a
/// year 0, so it gets one more.
fn csl_date(v: &serde_json::Value) -> Option<Value> {
    use hayagriva::citationberg::json::DateValue;
    let num = |p: &serde_json::Value| {
        p.as_i64()
            .or_else(|| p.as_str()?.trim().parse().ok())
            .and_then(|n| i32::try_from(n).ok())
    };
    let (year, month, day, mut season, mut circa) = if let Some(first) = v
        .get("date-parts")
        .and_then(|p| p.as_array())
        .and_then(|p| p.first())
        .and_then(|p| p.as_array())
    {
        let small = |i: usize| {
            first
                .get(i)
                .and_then(num)
                .and_then(|n| u8::try_from(n).ok())
        };
        (
            first.first().and_then(num)?,
            small(1),
            small(2),
            None,
            false,
        )
    } else {
        let text = v.get("raw").and_then(|r| r.as_str())?;
        let Some(raw) = raw_date(text) else {
            // Other forms a brief's date takes (a time of day, a zone).
            return reference::date(&BriefDate::parse(text).ok()?);
        };
        (raw.year, raw.month, raw.day, raw.season, raw.circa)
    };
    let year = if year < 0 { year + 1 } else { year };
    let mut value =
        reference::date_range(reference::date_parts(year, month, day)?, csl_date_end(v));
    season = season.or_else(|| match v.get("season") {
        Some(serde_json::Value::Number(n)) => n.as_u64().and_then(|n| u8::try_from(n).ok()),
        Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    });
    circa |= v
        .get("circa")
        .is_some_and(|c| c.as_bool().unwrap_or(false) || c.as_i64().is_some_and(|n| n != 0));
    if let Value::Date(DateValue::DateParts {
        season: s,
        circa: c,
        ..
    }) = &mut value
    {
        *s = season
            .filter(|n| (1..=4).contains(n))
            .map(|n| n.to_string());
        *c = circa;
    }
    Some(value)
}

/// The end of a CSL-JSON date range: the second of its `date-parts`, or
/// what follows the `/` of a `raw` date.
fn csl_date_end(v: &serde_json::Value) -> Option<Value> {
    let (year, month, day) = if let Some(parts) = v.get("date-parts") {
        let end = parts.as_array()?.get(1)?.as_array()?;
        let num = |i: usize| {
            let p = end.get(i)?;
            p.as_i64()
                .or_else(|| p.as_str()?.trim().parse().ok())
                .and_then(|n| i32::try_from(n).ok())
        };
        let small = |i: usize| num(i).and_then(|n| u8::try_from(n).ok());
        (num(0)?, small(1), small(2))
    } else {
        let raw = raw_date(v.get("raw")?.as_str()?.split_once('/')?.1)?;
        (raw.year, raw.month, raw.day)
    };
    let year = if year < 0 { year + 1 } else { year };
    reference::date_parts(year, month, day)
}

/// A date written as text, the forms Pandoc reads: `2024`, `2024-03`,
/// `2024-03-05`, EDTF's seasons (`1995-21`: spring), a range's start
/// (`2003/2004`: its end is read by [`csl_date_end`]), and `~` or `?`
/// (circa).
#[derive(Debug, PartialEq, Eq)]
pub struct RawDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
    pub season: Option<u8>,
    pub circa: bool,
}

/// Reads a raw date; `None` for text that is no such date.
pub fn raw_date(raw: &str) -> Option<RawDate> {
    let start = raw.trim().split('/').next()?.trim();
    let circa = start.ends_with(['~', '?', '%']);
    let start = start.trim_end_matches(['~', '?', '%']);
    let (negative, body) = match start.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, start),
    };
    let mut parts = body.split('-');
    let year: i32 = parts
        .next()
        .filter(|y| !y.is_empty() && y.bytes().all(|b| b.is_ascii_digit()))?
        .parse()
        .ok()?;
    let year = if negative { -year } else { year };
    let mut next = || -> Option<Option<u8>> {
        match parts.next() {
            None => Some(None),
            Some(p) if p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()) => {
                Some(p.parse().ok())
            }
            Some(_) => None,
        }
    };
    let second = next()?;
    let third = next()?;
    if parts.next().is_some() {
        return None;
    }
    let (month, season) = match second {
        Some(m @ 1..=12) => (Some(m), None),
        Some(s @ 21..=24) if third.is_none() => (None, Some(s - 20)),
        Some(_) => return None,
        None => (None, None),
    };
    let day = third.filter(|d| (1..=31).contains(d));
    if third.is_some() && day.is_none() {
        return None;
    }
    Some(RawDate {
        year,
        month,
        day,
        season,
        circa,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item_of(src: &str) -> Item {
        let bib = biblatex::Bibliography::parse(src).expect("parses");
        let entry = bib.iter().next().expect("one entry");
        bib_item(entry, &entry.entry_type.to_string(), true)
    }

    fn text(item: &Item, var: &str) -> String {
        match item.0.get(var) {
            // Kept-case letters (plane 15) read as the letters they hide.
            Some(Value::String(s)) => s
                .chars()
                .map(|c| match c as u32 {
                    n @ 0xF0000.. => char::from_u32(n - 0xF0000).unwrap_or(c),
                    _ => c,
                })
                .collect(),
            other => panic!("{var}: {other:?}"),
        }
    }

    #[test]
    fn english_titles_are_set_in_sentence_case_as_pandoc_reads_them() {
        let it = item_of(
            r"@article{a, title = {Higher-Dimensional Algebra {V}: 2-Groups}, subtitle = {The {Orkney Earldom} Of \mkbibquote{De Motu} Today}, journaltitle = {Theory and Applications}, langid = {english}}",
        );
        assert_eq!(
            text(&it, "title"),
            "Higher-dimensional algebra V: 2-groups: The Orkney Earldom of “De Motu” today"
        );
        // The journal keeps its case.
        assert_eq!(text(&it, "container-title"), "Theory and Applications");
        let german = item_of(r"@book{b, title = {Die Nordischen Länder}, langid = {german}}");
        assert_eq!(text(&german, "title"), "Die Nordischen Länder");
        assert_eq!(text(&german, "language"), "de-DE");
    }

    #[test]
    fn lists_particles_numbers_and_eprints_map_as_in_pandoc() {
        let it = item_of(
            r"@book{c, author = {von Brandt, Ahasver}, title = {T}, maintitle = {Collected Works}, volume = 7, part = 2, number = 75, publisher = {Duke and {Routledge and Kegan}}, location = {Durham and London}, eprinttype = {arxiv}, eprint = {1008.2849v1}}",
        );
        assert_eq!(text(&it, "publisher"), "Duke; Routledge and Kegan");
        assert_eq!(text(&it, "publisher-place"), "Durham; London");
        assert_eq!(text(&it, "title"), "Collected works");
        assert_eq!(text(&it, "volume-title"), "T");
        assert_eq!(text(&it, "volume"), "7.2");
        assert_eq!(text(&it, "collection-number"), "75");
        assert_eq!(text(&it, "URL"), "https://arxiv.org/abs/1008.2849v1");
        let names = serde_json::to_value(it.0.get("author").expect("author")).expect("json");
        assert_eq!(names[0]["dropping-particle"], "von");
        assert_eq!(names[0]["family"], "Brandt");
        assert_eq!(
            von_split("Vázques de", "Parga"),
            (String::new(), "Vázques de Parga".to_string())
        );
    }

    #[test]
    fn a_date_range_keeps_both_ends() {
        let parts = |src: &str| {
            serde_json::to_value(item_of(src).0.get("issued").expect("issued"))
                .expect("json")
                .clone()
        };
        assert_eq!(
            parts(r"@book{j, title = {T}, date = {1885/1888}}"),
            serde_json::json!([[1885], [1888]])
        );
        assert_eq!(
            parts(r"@book{j, title = {T}, date = {2019-06-10/2019-06-12}}"),
            serde_json::json!([[2019, 6, 10], [2019, 6, 12]])
        );
        assert_eq!(
            parts(r"@book{j, title = {T}, date = {1885}}"),
            serde_json::json!([[1885]])
        );
        // `origyear`/`origdate` is the original date, as Pandoc reads it.
        let reprint = item_of(r"@book{k, title = {T}, year = 1997, origyear = 1959}");
        assert_eq!(
            serde_json::to_value(reprint.0.get("original-date").expect("original-date"))
                .expect("json"),
            serde_json::json!([[1959]])
        );
    }

    #[test]
    fn raw_dates_read_edtf_seasons_ranges_and_circa() {
        let d = |year, month, day, season, circa| RawDate {
            year,
            month,
            day,
            season,
            circa,
        };
        assert_eq!(
            raw_date("1995-21"),
            Some(d(1995, None, None, Some(1), false))
        );
        assert_eq!(
            raw_date("2003/2004"),
            Some(d(2003, None, None, None, false))
        );
        assert_eq!(
            raw_date("2024-03-05"),
            Some(d(2024, Some(3), Some(5), None, false))
        );
        assert_eq!(raw_date("1900~"), Some(d(1900, None, None, None, true)));
        assert_eq!(raw_date("-430"), Some(d(-430, None, None, None, false)));
        assert_eq!(raw_date("March 2024"), None);
        assert_eq!(raw_date("2024-13"), None);
    }

    /// Braced text keeps its case through the style's title case too, as
    /// Pandoc keeps it ("nocase"); the rest is title-cased.
    #[test]
    fn braced_title_text_keeps_its_case_in_title_case() {
        let it = item_of(
            r"@article{k, title = {Clusters of 5.2~{nm}: the {S}-matrix in {3D} and {Pd-N}-heterocyclic carbenes by {ibn Bajja}}, journal = {J}, author = {Doe, Jane}}",
        );
        let csl = reference::Csl::load("chicago-author-date", std::path::Path::new("."), "en")
            .expect("bundled");
        let html = csl.format(&it, None);
        assert!(
            html.contains(
                "Clusters of 5.2\u{a0}nm: The S-Matrix in 3D and Pd-N-Heterocyclic Carbenes by ibn Bajja"
            ),
            "{html}"
        );
    }

    /// The short title a mark names an entry by, as Pandoc makes it.
    #[test]
    fn the_short_title_is_the_title_before_its_subtitle() {
        let short = |src: &str| {
            item_of(src)
                .0
                .get("title-short")
                .map(|_| text(&item_of(src), "title-short"))
        };
        let ctan = r"@online{ctan, title = {CTAN}, subtitle = {The {Comprehensive TeX Archive Network}}, date = 2006, url = {https://www.ctan.org}}";
        assert_eq!(short(ctan).as_deref(), Some("CTAN"));
        assert_eq!(
            short(
                r"@book{b, title = {Gromov invariants for maps}, shorttitle = {Gromov invariants}}"
            )
            .as_deref(),
            Some("Gromov invariants")
        );
        assert_eq!(
            short(r"@book{c, title = {City of suspects: Crime in Mexico}}").as_deref(),
            Some("City of suspects")
        );
        assert_eq!(short(r"@book{d, title = {Plain}}"), None);
    }

    #[test]
    fn type_keys_read_as_words() {
        let it = item_of(r"@report{d, title = {T}, type = {techreport}, institution = {MIT}}");
        assert_eq!(text(&it, "genre"), "technical report");
        assert_eq!(series("3", true), "3rd series");
        assert_eq!(series("newseries", true), "New series");
        assert_eq!(series("newseries", false), "new series");
        assert_eq!(text(&it, "publisher"), "MIT");
    }
}
