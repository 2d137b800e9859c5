//! Citations where they cannot render. A brief's title, summary, factor
//! notes, watch items and correction texts are plain text: the summary is
//! also the meta description and the text of cards and feeds, where a
//! superscript link cannot go. A citation written there was printed as
//! literal `[@key]`; it is a located error instead, found with the body's
//! own reading of Pandoc's syntax ([`crate::content::cite::citation_syntax`]).

use std::ops::Range;

use crate::content::cite::citation_syntax::{find_key, parse_bracket};

/// The byte ranges of `text` that are citations: every bracket that reads as
/// one (or does not parse but holds a key), an unclosed `[` followed by a
/// key, and every in-text `@key` that `is_source` names.
pub fn find(text: &str, is_source: &dyn Fn(&str) -> bool) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let Some(open) = rest.find(['[', '@']) else {
            break;
        };
        let at = i + open;
        if text[at..].starts_with('[') {
            let close = text[at..].find(']').map(|j| at + j);
            let inner = &text[at + 1..close.unwrap_or(text.len())];
            if parse_bracket(inner).is_some() {
                let end = close.map_or(text.len(), |c| c + 1);
                found.push(at..end);
                i = end;
                continue;
            }
            i = at + 1;
            continue;
        }
        let before = text[..at].chars().next_back();
        match find_key(&text[at..], 0, before) {
            Some(key) if key.start == 0 && is_source(key.key) => {
                found.push(at..at + key.end);
                i = at + key.end;
            }
            _ => i = at + 1,
        }
    }
    found
}

/// Where in the file a citation of a field's value is: the first place it
/// is written verbatim in `text[within]` (the field's value onwards, or the
/// whole front matter for a field without a place), else `within`'s start.
pub fn locate(cite: &str, text: &str, within: Range<usize>) -> Range<usize> {
    text.get(within.clone())
        .and_then(|t| t.find(cite))
        .map_or(within.start..within.start, |i| {
            within.start + i..within.start + i + cite.len()
        })
}

/// The hint of every plain-text field's citation error.
pub const HINT: &str = "this field is plain text, shown where a citation link cannot go (the summary is also the meta description and the text of cards and feeds): name the source in words, and cite it in the body or in `score.rationale`";

/// The hint of a citation in a free page.
pub const PAGE_HINT: &str = "pages have no sources: link to the source instead (`[its title](https://…)`), or cite it in a brief";

#[cfg(test)]
mod tests {
    use super::*;

    fn cites(text: &str) -> Vec<&str> {
        let is_source = |k: &str| k == "bloomberg";
        find(text, &is_source)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn brackets_in_text_and_unclosed_are_found() {
        assert_eq!(
            cites("Capacity doubles [@bloomberg, p. 4] as @bloomberg says."),
            ["[@bloomberg, p. 4]", "@bloomberg"]
        );
        assert_eq!(cites("[see @x, p. 4."), ["[see @x, p. 4."]);
        assert_eq!(cites("[@x; and more]"), ["[@x; and more]"]);
    }

    #[test]
    fn mail_handles_and_plain_brackets_are_text() {
        assert!(cites("mail desk@example.org or @someone [a note]").is_empty());
        assert!(cites("a [link](https://example.org/@x)").is_empty());
    }
}
