//! Citations: Pandoc's `[@id]`, `[@a; @b]` and `[@id, p. 4]`, numbered in
//! order of first use, with a back-link anchor for every place they appear.
//!
//! The Markdown parser finds the brackets (so code spans, code blocks and
//! `\[@id]` never reach here); this module parses what is inside them
//! ([`parse`]) and keeps the numbering for one brief ([`Citations`]), across
//! its body and its score rationale.

use crate::text::escape_html;
use std::collections::HashMap;
use std::fmt::Write;
use std::ops::Range;

/// One cited source inside a bracket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cite<'a> {
    pub id: &'a str,
    /// What follows the comma, e.g. `p. 4`.
    pub locator: Option<&'a str>,
}

/// Reads the inside of a citation bracket, without the brackets.
///
/// Returns `None` when the text does not start with `@` (it is no citation),
/// and `Some(Err(reason))` when it does but is malformed.
pub fn parse(reference: &str) -> Option<Result<Vec<Cite<'_>>, String>> {
    if !reference.trim_start().starts_with('@') {
        return None;
    }
    let mut cites = Vec::new();
    for part in reference.split(';') {
        let part = part.trim();
        let Some(rest) = part.strip_prefix('@') else {
            return Some(Err(format!(
                "`{part}` in a citation does not start with `@`"
            )));
        };
        let (id, locator) = match rest.split_once(',') {
            Some((id, locator)) => (id.trim(), Some(locator.trim())),
            None => (rest.trim(), None),
        };
        if id.is_empty() {
            return Some(Err("a citation names no source id after `@`".to_string()));
        }
        if id.contains(char::is_whitespace) {
            return Some(Err(format!(
                "`@{id}` is not a source id: put a comma before a locator, as in `[@id, p. 4]`"
            )));
        }
        if locator == Some("") {
            return Some(Err(format!(
                "the citation of `@{id}` has an empty locator after its comma"
            )));
        }
        cites.push(Cite { id, locator });
    }
    Some(Ok(cites))
}

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
    next_number: usize,
    /// Unknown ids and malformed brackets, in the order met.
    pub problems: Vec<CiteProblem>,
    /// Known ids, sorted, for hints; made on the first unknown id.
    sorted: Vec<String>,
    /// The hint already made for each unknown id.
    hints: HashMap<String, String>,
}

impl Citations {
    /// Starts numbering for a brief with these source ids, in list order.
    pub fn new<'a>(ids: impl IntoIterator<Item = &'a str>) -> Self {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut n = 0;
        for (i, id) in ids.into_iter().enumerate() {
            // A duplicate id is reported by validation; citations go to the first.
            index.entry(id.to_string()).or_insert(i);
            n = i + 1;
        }
        Self {
            index,
            numbers: vec![None; n],
            places: vec![Vec::new(); n],
            next_number: 1,
            problems: Vec::new(),
            sorted: Vec::new(),
            hints: HashMap::new(),
        }
    }

    /// The HTML for one bracket of citations found at `range` of the file.
    pub fn cite(&mut self, cites: &[Cite<'_>], range: Range<usize>) -> String {
        let mut html = String::from("<sup class=\"cite\">");
        for (i, cite) in cites.iter().enumerate() {
            if i > 0 {
                html.push_str("<span class=\"cite-sep\">,</span>");
            }
            let Some(&source) = self.index.get(cite.id) else {
                let problem = self.unknown(cite.id, range.clone());
                self.problems.push(problem);
                html.push_str("<span class=\"cite-unknown\">?</span>");
                continue;
            };
            let number = *self.numbers[source].get_or_insert_with(|| {
                self.next_number += 1;
                self.next_number - 1
            });
            let anchor = format!("cite-{number}-{}", self.places[source].len() + 1);
            let _ = write!(
                html,
                "<a class=\"cite-ref\" id=\"{anchor}\" href=\"#source-{number}\" aria-label=\"Source {number}\">{number}</a>"
            );
            if let Some(locator) = cite.locator {
                html.push_str("<span class=\"cite-locator\">, ");
                html.push_str(&escape_html(locator));
                html.push_str("</span>");
            }
            self.places[source].push(anchor);
        }
        html.push_str("</sup>");
        html
    }

    fn unknown(&mut self, id: &str, range: Range<usize>) -> CiteProblem {
        // One hint per unknown id: a brief citing one typo a thousand times
        // does not pay for a thousand fuzzy searches.
        if !self.hints.contains_key(id) {
            let hint = self.hint_for(id);
            self.hints.insert(id.to_string(), hint);
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
            crate::content::front_matter::did_you_mean(id, &known)
        } else {
            None
        };
        match near {
            Some(near) => format!(
                "did you mean `@{near}`? Sources are defined under `sources:` in the front matter"
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

    /// Records a bracket that starts with `@` but does not parse.
    pub fn malformed(&mut self, message: String, range: Range<usize>) {
        self.problems.push(CiteProblem {
            range,
            unknown: None,
            message,
            hint: "write citations as `[@id]`, `[@a; @b]` or `[@id, p. 4]`; write `\\[@…]` for literal text".to_string(),
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

    fn c<'a>(id: &'a str, locator: Option<&'a str>) -> Cite<'a> {
        Cite { id, locator }
    }

    #[test]
    fn parse_table() {
        type Expected<'a> = Option<Result<Vec<Cite<'a>>, ()>>;
        let cases: Vec<(&str, Expected)> = vec![
            ("@a", Some(Ok(vec![c("a", None)]))),
            ("@a; @b", Some(Ok(vec![c("a", None), c("b", None)]))),
            ("@a;@b-2", Some(Ok(vec![c("a", None), c("b-2", None)]))),
            ("@a, p. 4", Some(Ok(vec![c("a", Some("p. 4"))]))),
            (
                "@a, p. 4; @b, ch. 2",
                Some(Ok(vec![c("a", Some("p. 4")), c("b", Some("ch. 2"))])),
            ),
            (" @a ", Some(Ok(vec![c("a", None)]))),
            ("see @a", None),
            ("link text", None),
            ("@", Some(Err(()))),
            ("@a p. 4", Some(Err(()))),
            ("@a; b", Some(Err(()))),
            ("@a,", Some(Err(()))),
        ];
        for (input, expected) in cases {
            let got = parse(input).map(|r| r.map_err(|_| ()));
            assert_eq!(got, expected, "input: {input:?}");
        }
    }

    #[test]
    fn numbers_follow_first_use_not_list_order() {
        let mut citations = Citations::new(["a", "b", "c"]);
        citations.cite(&[c("c", None)], 0..1);
        citations.cite(&[c("a", None), c("c", Some("p. 2"))], 0..1);
        assert_eq!(citations.number(2), Some(1));
        assert_eq!(citations.number(0), Some(2));
        assert_eq!(citations.number(1), None);
        assert_eq!(citations.places(2), ["cite-1-1", "cite-1-2"]);
    }

    #[test]
    fn a_duplicate_id_cites_its_first_definition() {
        let mut citations = Citations::new(["a", "b", "a"]);
        citations.cite(&[c("a", None)], 0..1);
        assert_eq!((citations.number(0), citations.number(2)), (Some(1), None));
    }

    #[test]
    fn unknown_ids_are_recorded_with_a_hint() {
        let mut citations = Citations::new(["bloomberg"]);
        citations.cite(&[c("bloomberg", None), c("blomberg", None)], 5..20);
        assert_eq!(citations.problems.len(), 1);
        assert_eq!(citations.problems[0].range, 5..20);
        assert!(citations.problems[0].hint.contains("`@bloomberg`"));
    }
}
