//! Target (b): `citation_syntax::parse_bracket` on the inside of a bracket, then
//! `Citations::cite` against arbitrary source ids, checked against a model
//! of "numbered in order of first use".

#![no_main]

use std::collections::HashMap;

use arbitrary::Arbitrary;
use briefs::internals::citation::Citations;
use briefs::internals::citation_syntax;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    /// The brief's source ids, in list order (duplicates allowed).
    ids: Vec<&'a str>,
    /// The insides of successive brackets.
    brackets: Vec<&'a str>,
}

/// Markdown of a prefix, locator or suffix as text: escaped.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fuzz_target!(|input: Input<'_>| {
    let mut citations = Citations::new(input.ids.iter().copied());
    // Model: id -> first list index; list index -> number; per index, uses.
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, id) in input.ids.iter().enumerate() {
        first.entry(id).or_insert(i);
    }
    let mut numbers: HashMap<usize, usize> = HashMap::new();
    let mut uses: HashMap<usize, usize> = HashMap::new();
    let mut unknown = 0;
    let mut malformed = 0;

    for (at, bracket) in input.brackets.iter().enumerate() {
        let range = at..at + bracket.len();
        match citation_syntax::parse_bracket(bracket) {
            // No key in it (`[a@b.com]`, a lone `@`): not a citation.
            None => {}
            Some(Err(error)) => {
                assert!(!error.message.is_empty());
                citations.malformed(error.message, error.hint, range);
                malformed += 1;
            }
            Some(Ok(cites)) => {
                assert!(!cites.is_empty());
                for cite in &cites {
                    assert!(!cite.key.is_empty());
                    assert!(bracket.contains(cite.key));
                    match first.get(cite.key) {
                        Some(&index) => {
                            let next = numbers.len() + 1;
                            numbers.entry(index).or_insert(next);
                            *uses.entry(index).or_default() += 1;
                        }
                        None => unknown += 1,
                    }
                }
                let html = citations.cite(&cites, range, false, &escape);
                assert!(html.starts_with("<sup class=\"cite\">"), "{html}");
                assert!(html.ends_with("</sup>"), "{html}");
                // Prefixes, locators and suffixes are escaped: every `<` and
                // `>` is one of the tags we write.
                assert_eq!(
                    html.matches('<').count(),
                    html.matches('>').count(),
                    "{html}"
                );
                assert!(!html.contains("<script"), "{html}");
            }
        }
    }

    for i in 0..input.ids.len() {
        assert_eq!(citations.number(i), numbers.get(&i).copied(), "index {i}");
        let places = citations.places(i);
        assert_eq!(places.len(), uses.get(&i).copied().unwrap_or(0));
        if let Some(n) = numbers.get(&i) {
            for (k, anchor) in places.iter().enumerate() {
                assert_eq!(anchor, &format!("cite-{n}-{}", k + 1));
            }
        }
    }
    assert_eq!(citations.problems.len(), unknown + malformed);
});
