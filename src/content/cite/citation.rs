//! Citations: numbered in order of first use, with a back-link anchor for
//! every place they appear.
//!
//! The Markdown pass (`body::citation_markdown`) finds them and
//! [`crate::content::cite::citation_syntax`] reads Pandoc's syntax; this module keeps the
//! numbering for one brief ([`Citations`]), across its body and its score
//! rationale, and writes each citation's HTML.

use std::collections::HashMap;
use std::fmt::Write;
use std::ops::Range;

pub use crate::content::cite::citation_syntax::Cite;
use crate::content::cite::citation_syntax::cite_form;
use crate::content::cite::locator::en_dashes;
use crate::content::cite::reference::{Csl, Item, LocatorText, MarkItem, MarkPart};
use crate::content::types::brief::anchor;
use crate::text::escape_html;

/// A problem with one citation, at a byte range of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiteProblem {
    pub range: Range<usize>,
    /// The id cited, when it is unknown.
    pub unknown: Option<String>,
    pub message: String,
    pub hint: String,
}

/// The numbering of one brief's citations.
#[derive(Debug)]
pub struct Citations {
    /// Source id -> its index in the brief's `sources` list.
    index: HashMap<String, usize>,
    /// Per source index: its number, once cited.
    numbers: Vec<Option<usize>>,
    /// Per source index: the anchor ids of the places citing it.
    places: Vec<Vec<String>>,
    /// Per source index: the name an in-text citation shows (its publisher).
    names: Vec<String>,
    next_number: usize,
    /// Unknown ids and malformed brackets, in the order met.
    pub problems: Vec<CiteProblem>,
    /// Known ids, sorted, for hints; made on the first unknown id.
    sorted: Vec<String>,
    /// The hint already made for each unknown id.
    hints: HashMap<String, String>,
    /// `citations: style`: the marks met, in order, each written as a
    /// placeholder until the brief's citations are formatted together
    /// ([`Citations::style_marks`]); `None` for numbered marks.
    styled: Option<Vec<StyledMark>>,
    /// Per source index: its id, for `#ref-<key>` links.
    ids: Vec<String>,
}

/// A mark kept for the style: its citations, in order.
#[derive(Debug)]
struct StyledMark {
    items: Vec<StyledItem>,
    in_link: bool,
}

/// One citation of a [`StyledMark`].
#[derive(Debug)]
struct StyledItem {
    source: usize,
    /// Prefix and suffix as HTML (empty when none).
    prefix: String,
    suffix: String,
    /// The locator's term and value: the value as plain text (en dashes
    /// in ranges), and as HTML when it has markup.
    locator: Option<(
        crate::content::cite::reference::Locator,
        String,
        Option<String>,
    )>,
    suppress_author: bool,
    in_text: bool,
}

impl StyledItem {
    /// What the processor is asked for.
    fn request(&self) -> MarkItem<'_> {
        MarkItem {
            source: self.source,
            suppress_author: self.suppress_author,
            locator: self.locator.as_ref().map(|(term, plain, html)| {
                let text = match html {
                    Some(h) => LocatorText::Html(h.clone()),
                    None => LocatorText::Plain(plain),
                };
                (*term, text)
            }),
        }
    }
}

/// `html` with each styled mark's placeholder replaced by its HTML
/// ([`Citations::style_marks`]).
pub fn fill_marks(html: &str, marks: &[String]) -> String {
    if !html.contains(MARK_OPEN) {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(MARK_OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + MARK_OPEN.len_utf8()..];
        let mark = after
            .find(MARK_CLOSE)
            .and_then(|end| Some((after[..end].parse::<usize>().ok()?, end)))
            .and_then(|(n, end)| Some((marks.get(n)?, end)));
        match mark {
            Some((html, end)) => {
                out.push_str(html);
                rest = &after[end + MARK_CLOSE.len_utf8()..];
            }
            None => {
                out.push(MARK_OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Opens a styled mark's placeholder; its index and [`MARK_CLOSE`] follow.
const MARK_OPEN: char = '\u{E020}';
/// Closes a styled mark's placeholder.
const MARK_CLOSE: char = '\u{E021}';

/// Markdown rendered to inline HTML, for prefixes, locators and suffixes.
pub type Inline<'r> = &'r dyn Fn(&str) -> String;

impl Citations {
    /// Starts numbering for a brief with these source ids, in list order.
    pub fn new<'a>(ids: impl IntoIterator<Item = &'a str>) -> Self {
        Self::named(ids.into_iter().map(|id| (id, "")))
    }

    /// Starts numbering for sources given as (id, name shown in the text).
    pub fn named<'a>(sources: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut names = Vec::new();
        let mut ids = Vec::new();
        for (i, (id, name)) in sources.into_iter().enumerate() {
            // A duplicate id is reported by validation; citations go to the first.
            index.entry(id.to_string()).or_insert(i);
            names.push(name.to_string());
            ids.push(id.to_string());
        }
        let n = names.len();
        Self {
            index,
            numbers: vec![None; n],
            places: vec![Vec::new(); n],
            names,
            next_number: 1,
            problems: Vec::new(),
            sorted: Vec::new(),
            hints: HashMap::new(),
            styled: None,
            ids,
        }
    }

    /// With `on`, marks as the CSL style prints them (`citations: style`),
    /// formatted once the brief is read ([`Citations::style_marks`]).
    #[must_use]
    pub fn styled(mut self, on: bool) -> Self {
        self.styled = on.then(Vec::new);
        self
    }

    /// True under `citations: style` (marks as the style prints them).
    pub fn is_styled(&self) -> bool {
        self.styled.is_some()
    }

    /// True when `key` names one of the brief's sources.
    pub fn knows(&self, key: &str) -> bool {
        self.index.contains_key(key)
    }

    /// The HTML for one bracket of citations found at `range` of the file;
    /// inside a link, numbers are not links themselves.
    pub fn cite(
        &mut self,
        cites: &[Cite<'_>],
        range: Range<usize>,
        in_link: bool,
        inline: Inline<'_>,
    ) -> String {
        if self.styled.is_some() {
            let items = cites.iter().map(|c| (c, false)).collect();
            return self.keep(items, range, in_link, inline);
        }
        let mut html = String::from("<sup class=\"cite\">");
        self.push_cites(cites, false, range, in_link, inline, &mut html);
        html.push_str("</sup>");
        html
    }

    /// Citations after the first of a mark, each after a separator.
    fn push_cites(
        &mut self,
        cites: &[Cite<'_>],
        after_first: bool,
        range: Range<usize>,
        in_link: bool,
        inline: Inline<'_>,
        html: &mut String,
    ) {
        for (i, cite) in cites.iter().enumerate() {
            let later = after_first || i > 0;
            if later {
                html.push_str("<span class=\"cite-sep\">,</span>");
            }
            if !cite.prefix.is_empty() {
                let space = if later { " " } else { "" };
                let _ = write!(
                    html,
                    "<span class=\"cite-prefix\">{space}{} </span>",
                    inline(cite.prefix)
                );
            }
            self.one(cite, range.clone(), in_link, inline, html);
        }
    }

    /// The HTML for an in-text citation of a known source: its name, then
    /// its number (just the number under `-@`).
    pub fn cite_in_text(&mut self, cite: &Cite<'_>, in_link: bool, inline: Inline<'_>) -> String {
        self.cite_in_text_and(cite, &[], 0..0, in_link, inline)
    }

    /// An in-text citation whose bracket cites more sources after its
    /// locator (`@a [p. 33; @b]`): the name, then one mark for all.
    pub fn cite_in_text_and(
        &mut self,
        cite: &Cite<'_>,
        more: &[Cite<'_>],
        range: Range<usize>,
        in_link: bool,
        inline: Inline<'_>,
    ) -> String {
        if self.styled.is_some() {
            // "Miller (2022, 44)": the name, then the mark with the
            // author suppressed, as Pandoc prints an in-text citation.
            let first = (cite, !cite.suppress_author);
            let items = std::iter::once(first)
                .chain(more.iter().map(|c| (c, false)))
                .collect();
            return self.keep(items, range, in_link, inline);
        }
        let mut html = String::new();
        if let Some(&source) = self.index.get(cite.key)
            && !cite.suppress_author
        {
            html.push_str("<span class=\"cite-author\">");
            html.push_str(&escape_html(&self.names[source]));
            html.push_str("</span>");
        }
        html.push_str("<sup class=\"cite\">");
        self.one(cite, range.clone(), in_link, inline, &mut html);
        self.push_cites(more, true, range, in_link, inline, &mut html);
        html.push_str("</sup>");
        html
    }

    /// Keeps a mark for the style and returns its placeholder. Each known
    /// source is numbered and counted as in numbered marks; an unknown
    /// one is a problem, left out of the mark.
    fn keep(
        &mut self,
        cites: Vec<(&Cite<'_>, bool)>,
        range: Range<usize>,
        in_link: bool,
        inline: Inline<'_>,
    ) -> String {
        let mut items = Vec::new();
        for (cite, in_text) in cites {
            let Some(&source) = self.index.get(cite.key) else {
                let problem = self.unknown(cite.key, range.clone());
                self.problems.push(problem);
                continue;
            };
            let number = *self.numbers[source].get_or_insert_with(|| {
                self.next_number += 1;
                self.next_number - 1
            });
            let k = self.places[source].len() + 1;
            self.places[source].push(anchor(number, k));
            let locator = cite.locator.map(|l| {
                let (term, value) = crate::content::cite::locator::typed(l);
                let value = en_dashes(value);
                let html = inline(&value);
                let plain = (html == escape_html(&value)).then_some(());
                (term, value.to_string(), plain.is_none().then_some(html))
            });
            items.push(StyledItem {
                source,
                prefix: if cite.prefix.is_empty() {
                    String::new()
                } else {
                    inline(cite.prefix)
                },
                suffix: if cite.suffix.is_empty() {
                    String::new()
                } else {
                    inline(cite.suffix)
                },
                locator,
                suppress_author: cite.suppress_author || in_text,
                in_text,
            });
        }
        let marks = self.styled.as_mut().expect("called in style mode");
        marks.push(StyledMark { items, in_link });
        format!("{MARK_OPEN}{}{MARK_CLOSE}", marks.len() - 1)
    }

    /// Formats the kept marks and the brief's bibliography together with
    /// the style (`citations: style`). `sources` gives each source's item
    /// and checked URL, by index. The cited sources are renumbered in the
    /// bibliography's order (their back-links with them); returns each
    /// mark's HTML, by placeholder, and each cited source's reference text.
    pub fn style_marks(
        &mut self,
        sources: &[(&Item, Option<&str>)],
        csl: &Csl,
    ) -> (Vec<String>, Vec<Option<String>>) {
        let marks = self.styled.take().unwrap_or_default();
        let requests: Vec<Vec<MarkItem<'_>>> = marks
            .iter()
            .map(|m| m.items.iter().map(StyledItem::request).collect())
            .collect();
        let rendered = csl.brief(sources, &requests);
        let mut references = vec![None; self.numbers.len()];
        let mut order: Vec<usize> = Vec::new();
        for (i, html) in rendered.bibliography {
            if self.numbers[i].is_some() && references[i].is_none() {
                references[i] = Some(html);
                order.push(i);
            }
        }
        // A cited source the style left out of its bibliography (none
        // should be) keeps its place after the others, in order of use.
        let mut rest: Vec<usize> = (0..self.numbers.len())
            .filter(|&i| self.numbers[i].is_some() && references[i].is_none())
            .collect();
        rest.sort_by_key(|&i| self.numbers[i]);
        order.extend(rest);
        for (n, &i) in order.iter().enumerate() {
            self.numbers[i] = Some(n + 1);
            self.places[i].clear();
        }
        let html = marks
            .iter()
            .zip(&rendered.marks)
            .map(|(mark, parts)| self.mark_html(mark, parts))
            .collect();
        self.styled = Some(Vec::new());
        (html, references)
    }

    /// One styled mark's HTML: the style's text, each item linked to its
    /// reference (`#ref-<key>`) with its prefix and suffix around it.
    fn mark_html(&mut self, mark: &StyledMark, parts: &[MarkPart]) -> String {
        let keys: Vec<String> = mark
            .items
            .iter()
            .map(|it| escape_html(&self.ids[it.source]))
            .collect();
        let mut html = format!(
            "<span class=\"citation\" data-cites=\"{}\">",
            keys.join(" ")
        );
        if let Some(first) = mark.items.first().filter(|it| it.in_text) {
            let _ = write!(
                html,
                "<span class=\"cite-author\">{}</span> ",
                escape_html(&self.names[first.source])
            );
        }
        for part in parts {
            let (i, text) = match part {
                MarkPart::Text(text) => {
                    html.push_str(text);
                    continue;
                }
                MarkPart::Item(i, text) => (*i, text),
            };
            let Some(item) = mark.items.get(i) else {
                continue;
            };
            let number = self.numbers[item.source].unwrap_or(0);
            let anchor = anchor(number, self.places[item.source].len() + 1);
            self.places[item.source].push(anchor.clone());
            if !item.prefix.is_empty() {
                let _ = write!(html, "{} ", item.prefix);
            }
            let target = crate::content::cite::citation_syntax::key_slug(&self.ids[item.source]);
            let (open, close) = if mark.in_link {
                (
                    format!("<span class=\"cite-ref\" id=\"{anchor}\">"),
                    "</span>",
                )
            } else {
                let open = format!("<a class=\"cite-ref\" id=\"{anchor}\" href=\"#ref-{target}\">");
                (open, "</a>")
            };
            let _ = write!(html, "{open}{text}{close}");
            if !item.suffix.is_empty() {
                let space = if item.suffix.starts_with([',', ';', '.', ':', ')']) {
                    ""
                } else {
                    " "
                };
                let _ = write!(html, "{space}{}", item.suffix);
            }
        }
        html.push_str("</span>");
        html
    }

    /// One citation's number, locator and suffix.
    fn one(
        &mut self,
        cite: &Cite<'_>,
        range: Range<usize>,
        in_link: bool,
        inline: Inline<'_>,
        html: &mut String,
    ) {
        let Some(&source) = self.index.get(cite.key) else {
            let problem = self.unknown(cite.key, range);
            self.problems.push(problem);
            html.push_str("<span class=\"cite-unknown\">?</span>");
            return;
        };
        let number = *self.numbers[source].get_or_insert_with(|| {
            self.next_number += 1;
            self.next_number - 1
        });
        let anchor = anchor(number, self.places[source].len() + 1);
        let _ = if in_link {
            write!(
                html,
                "<span class=\"cite-ref\" id=\"{anchor}\">{number}</span>"
            )
        } else {
            write!(
                html,
                "<a class=\"cite-ref\" id=\"{anchor}\" href=\"#source-{number}\" aria-label=\"Source {number}\">{number}</a>"
            )
        };
        if let Some(locator) = cite.locator {
            let _ = write!(
                html,
                "<span class=\"cite-locator\">, {}</span>",
                inline(&en_dashes(locator))
            );
        }
        if !cite.suffix.is_empty() {
            let space = if cite.suffix.starts_with([',', ';', '.', ':', ')']) {
                ""
            } else {
                " "
            };
            let _ = write!(
                html,
                "<span class=\"cite-suffix\">{space}{}</span>",
                inline(cite.suffix)
            );
        }
        self.places[source].push(anchor);
    }

    fn unknown(&mut self, id: &str, range: Range<usize>) -> CiteProblem {
        // One hint per unknown id: a brief citing one typo a thousand times
        // does not pay for a thousand fuzzy searches.
        if !self.hints.contains_key(id) {
            let hint = self.hint_for(id);
            self.hints.insert(id.to_string(), hint);
        }
        // `[@fig-x; @one]`: a bracket with a citation in it is a citation,
        // so its cross-reference reaches here; say what it is instead.
        if crate::content::cite::citation_syntax::is_label(id) {
            return CiteProblem {
                range,
                unknown: Some(id.to_string()),
                message: format!("`@{id}` is a cross-reference, in a bracket of citations"),
                hint: format!(
                    "a bracket holds citations or cross-references, not both: write \
                     `@{id} [@…]`, or each in its own bracket"
                ),
            };
        }
        CiteProblem {
            range,
            unknown: Some(id.to_string()),
            message: format!("citation of unknown source `{id}`"),
            hint: self.hints[id].clone(),
        }
    }

    fn hint_for(&mut self, id: &str) -> String {
        if self.sorted.len() != self.index.len() {
            self.sorted = self.index.keys().cloned().collect();
            self.sorted.sort_unstable();
        }
        let known: Vec<&str> = self.sorted.iter().map(String::as_str).collect();
        // A fuzzy search over thousands of ids per typo would be quadratic.
        let near = if known.len() <= 500 {
            crate::content::matter::front_matter::did_you_mean(id, &known)
        } else {
            None
        };
        match near {
            Some(near) => format!(
                "did you mean `{}`? Sources are defined under `sources:` in the front matter, in sources.yaml or in a bibliography",
                cite_form(near)
            ),
            None if known.is_empty() => {
                "define it under `sources:` in the front matter".to_string()
            }
            None if known.len() > 12 => format!(
                "{} sources are defined; check the id's spelling",
                known.len()
            ),
            None => format!("defined sources: {}", known.join(", ")),
        }
    }

    /// The source id that `key` names but for letter case, if one does: an
    /// in-text `@Bloomberg` is then a typo, not an e-mail or a handle.
    pub fn case_twin(&self, key: &str) -> Option<&str> {
        self.index
            .keys()
            .find(|id| id.as_str() != key && id.eq_ignore_ascii_case(key))
            .map(String::as_str)
    }

    /// Records an in-text key that names a source but for letter case.
    pub fn wrong_case(&mut self, key: &str, id: &str, range: Range<usize>) {
        self.problems.push(CiteProblem {
            range,
            unknown: None,
            message: format!("`@{key}` names no source"),
            hint: format!(
                "did you mean `{}`? Keys are case-sensitive; write `\\@{key}` for literal text",
                cite_form(id)
            ),
        });
    }

    /// Records a bracket that looks like a citation but does not parse.
    pub fn malformed(&mut self, message: String, hint: String, range: Range<usize>) {
        self.problems.push(CiteProblem {
            range,
            unknown: None,
            message,
            hint: format!("{hint}; write `\\[…]` for literal text"),
        });
    }

    /// The number of the source at `index` in the list, if cited.
    pub fn number(&self, index: usize) -> Option<usize> {
        self.numbers[index]
    }

    /// Anchor ids of every place citing the source at `index`, in order.
    pub fn places(&self, index: usize) -> &[String] {
        &self.places[index]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c<'a>(key: &'a str, locator: Option<&'a str>) -> Cite<'a> {
        Cite {
            key,
            prefix: "",
            suppress_author: false,
            locator,
            suffix: "",
        }
    }

    fn plain(s: &str) -> String {
        s.to_string()
    }

    #[test]
    fn numbers_follow_first_use_not_list_order() {
        let mut citations = Citations::new(["a", "b", "c"]);
        citations.cite(&[c("c", None)], 0..1, false, &plain);
        citations.cite(&[c("a", None), c("c", Some("p. 2"))], 0..1, false, &plain);
        assert_eq!(citations.number(2), Some(1));
        assert_eq!(citations.number(0), Some(2));
        assert_eq!(citations.number(1), None);
        assert_eq!(citations.places(2), ["cite-1-1", "cite-1-2"]);
    }

    #[test]
    fn a_duplicate_id_cites_its_first_definition() {
        let mut citations = Citations::new(["a", "b", "a"]);
        citations.cite(&[c("a", None)], 0..1, false, &plain);
        assert_eq!((citations.number(0), citations.number(2)), (Some(1), None));
    }

    #[test]
    fn unknown_ids_are_recorded_with_a_hint() {
        let mut citations = Citations::new(["bloomberg"]);
        citations.cite(
            &[c("bloomberg", None), c("blomberg", None)],
            5..20,
            false,
            &plain,
        );
        assert_eq!(citations.problems.len(), 1);
        assert_eq!(citations.problems[0].range, 5..20);
        assert!(citations.problems[0].hint.contains("`@bloomberg`"));
    }

    #[test]
    fn in_text_citations_name_the_source() {
        let mut citations = Citations::named([("bloomberg", "Bloomberg News")]);
        let html = citations.cite_in_text(&c("bloomberg", Some("p. 33")), false, &plain);
        assert!(html.starts_with("<span class=\"cite-author\">Bloomberg News</span><sup class=\"cite\"><a class=\"cite-ref\" id=\"cite-1-1\""), "{html}");
        assert!(
            html.ends_with("<span class=\"cite-locator\">, p. 33</span></sup>"),
            "{html}"
        );
    }
}
