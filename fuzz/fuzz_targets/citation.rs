//! Target (b): `citation::parse` on the inside of a bracket, then
//! `Citations::cite` against arbitrary source ids, checked against a model
//! of "numbered in order of first use".

#![no_main]

use std::collections::HashMap;

use arbitrary::Arbitrary;
use briefs::internals::citation::{self, Citations};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    /// The brief's source ids, in list order (duplicates allowed).
    ids: Vec<&'a str>,
    /// The insides of successive brackets.
    brackets: Vec<&'a str>,
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
        match citation::parse(bracket) {
            None => assert!(!bracket.trim_start().starts_with('@')),
            Some(Err(message)) => {
                assert!(!message.is_empty());
                citations.malformed(message, range);
                malformed += 1;
            }
            Some(Ok(cites)) => {
                assert!(!cites.is_empty());
                let mut tags = 2; // <sup> … </sup>
                for (k, cite) in cites.iter().enumerate() {
                    assert!(!cite.id.is_empty());
                    assert!(!cite.id.contains(char::is_whitespace));
                    assert!(!cite.id.contains(';'));
                    assert!(bracket.contains(cite.id));
                    assert_ne!(cite.locator, Some(""));
                    if k > 0 {
                        tags += 2; // separator span
                    }
                    match first.get(cite.id) {
                        Some(&index) => {
                            let next = numbers.len() + 1;
                            numbers.entry(index).or_insert(next);
                            *uses.entry(index).or_default() += 1;
                            tags += 2;
                            if cite.locator.is_some() {
                                tags += 2;
                            }
                        }
                        None => {
                            unknown += 1;
                            tags += 2;
                        }
                    }
                }
                let html = citations.cite(&cites, range);
                assert!(html.starts_with("<sup class=\"cite\">"), "{html}");
                assert!(html.ends_with("</sup>"), "{html}");
                // Locators are escaped: the only tags are the ones we write.
                assert_eq!(html.matches('<').count(), tags, "{html}");
                assert_eq!(html.matches('>').count(), tags, "{html}");
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
