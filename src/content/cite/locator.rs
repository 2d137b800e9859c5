//! Locators, read as Pandoc reads them (`Text.Pandoc.Citeproc.Locator`):
//! what follows a cited key is split into words, spaces and punctuation;
//! a locator is a term of the locale (`p.`, `chap.`, `§`, …) or nothing
//! (then the first word must hold a digit), followed by words that hold a
//! digit or a roman numeral: `33`, `33-35`, `iv`, `IV.2A`, `123(4)[5]6`,
//! `[89]`, joined by `,` or `;`. `{…}` protects anything, braces balanced.
//! The rest is suffix.
//!
//! Pandoc reads parsed inlines; this module reads the Markdown source, so
//! emphasis markers are taken as markup inside a word (`p. **32**` is the
//! locator `p. 32` set in bold) and entities as the character they stand
//! for (`pp. 4&ndash;5`).

use std::borrow::Cow;

/// Locator terms of the en-US locale that Pandoc reads (book, chapter,
/// column, figure, folio, issue, line, note, opus, page, paragraph, part,
/// section, sub verbo, verse, volume), long and short, singular and plural.
const TERMS: &[&str] = &[
    "book",
    "books",
    "bk.",
    "bks.",
    "chapter",
    "chapters",
    "chap.",
    "chaps.",
    "column",
    "columns",
    "col.",
    "cols.",
    "figure",
    "figures",
    "fig.",
    "figs.",
    "folio",
    "folios",
    "fol.",
    "fols.",
    "issue",
    "issues",
    "no.",
    "nos.",
    "line",
    "lines",
    "l.",
    "ll.",
    "note",
    "notes",
    "n.",
    "nn.",
    "opus",
    "opera",
    "op.",
    "opp.",
    "page",
    "pages",
    "p.",
    "pp.",
    "paragraph",
    "paragraphs",
    "para.",
    "paras.",
    "¶",
    "¶¶",
    "part",
    "parts",
    "pt.",
    "pts.",
    "section",
    "sections",
    "sec.",
    "secs.",
    "§",
    "§§",
    "sub verbo",
    "sub verbis",
    "s.v.",
    "s.vv.",
    "verse",
    "verses",
    "v.",
    "vv.",
    "volume",
    "volumes",
    "vol.",
    "vols.",
];

fn is_term(s: &str) -> bool {
    TERMS.iter().any(|t| t.eq_ignore_ascii_case(s))
}

/// A locator's CSL type and its value: `p. 33` is a page, `33`; `chap.
/// 2` a chapter, `2`; a value without a term is a page, as Pandoc reads it.
pub fn typed(locator: &str) -> (hayagriva::citationberg::taxonomy::Locator, &str) {
    use hayagriva::citationberg::taxonomy::Locator as L;
    let locator = locator.trim();
    // The term ends at the first space, or (`p.3`) after its full stop.
    let end = locator
        .find(char::is_whitespace)
        .or_else(|| locator.find('.').map(|i| i + 1))
        .unwrap_or(0);
    let (mut term, mut value) = (&locator[..end], locator[end..].trim_start());
    if term.eq_ignore_ascii_case("sub") && value.to_ascii_lowercase().starts_with("verb") {
        let more = value.find(char::is_whitespace).unwrap_or(value.len());
        term = "sub verbo";
        value = value[more..].trim_start();
    }
    if !is_term(term) || value.is_empty() {
        return (L::Page, locator);
    }
    let t = term.to_lowercase();
    let kind = match t.as_str() {
        "¶" | "¶¶" => L::Paragraph,
        "§" | "§§" => L::Section,
        "sub verbo" | "sub verbis" | "s.v." | "s.vv." => L::SubVerbo,
        "no." | "nos." => L::Issue,
        _ => match t.trim_end_matches('.') {
            "book" | "books" | "bk" | "bks" => L::Book,
            "chapter" | "chapters" | "chap" | "chaps" => L::Chapter,
            "column" | "columns" | "col" | "cols" => L::Column,
            "figure" | "figures" | "fig" | "figs" => L::Figure,
            "folio" | "folios" | "fol" | "fols" => L::Folio,
            "issue" | "issues" => L::Issue,
            "line" | "lines" | "l" | "ll" => L::Line,
            "note" | "notes" | "n" | "nn" => L::Note,
            "opus" | "opera" | "op" | "opp" => L::Opus,
            "paragraph" | "paragraphs" | "para" | "paras" => L::Paragraph,
            "part" | "parts" | "pt" | "pts" => L::Part,
            "section" | "sections" | "sec" | "secs" => L::Section,
            "verse" | "verses" | "v" | "vv" => L::Verse,
            "volume" | "volumes" | "vol" | "vols" => L::Volume,
            _ => L::Page,
        },
    };
    (kind, value)
}

/// The length of the locator that starts `s` (a term and its words, or
/// words with a digit), or `None` when `s` starts with none: it is suffix.
pub fn integrated_len(s: &str) -> Option<usize> {
    let toks = tokens(s);
    let (_, end) = Parser { toks: &toks }.integrated(0)?;
    Some(toks[end - 1].end)
}

/// The offset of the `}` that closes the `{` before `s`, braces and
/// brackets balanced inside (`{a {b} c}`, `{[17]}`).
pub fn closing_brace(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '{' | '[' => depth += 1,
            ']' => depth = depth.checked_sub(1)?,
            '}' if depth == 0 => return Some(i),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Numeric ranges in a locator with an en dash, as citeproc prints page
/// ranges: `33-35` is `33–35`, `iv-vi` is `iv–vi`.
pub fn en_dashes(locator: &str) -> Cow<'_, str> {
    let b = locator.as_bytes();
    let range_at = |i: usize| {
        b[i] == b'-'
            && i > 0
            && b[i - 1].is_ascii_alphanumeric()
            && b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
            && (b[i - 1].is_ascii_digit() || b[i + 1].is_ascii_digit() || {
                let word = |r: &[u8]| r.iter().all(|c| b"ivxlcdmIVXLCDM".contains(c));
                let left = locator[..i]
                    .rsplit(|c: char| !c.is_ascii_alphanumeric())
                    .next()
                    .unwrap_or("");
                let right = locator[i + 1..]
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .next()
                    .unwrap_or("");
                word(left.as_bytes()) && word(right.as_bytes())
            })
    };
    if !(0..b.len()).any(range_at) {
        return Cow::Borrowed(locator);
    }
    let mut out = String::with_capacity(locator.len() + 4);
    for (i, c) in locator.char_indices() {
        if c == '-' && range_at(i) {
            out.push('–')
        } else {
            out.push(c)
        }
    }
    Cow::Owned(out)
}

/// One piece of the text after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// Whitespace, a no-break space or its entity.
    Space,
    /// One punctuation character (Unicode's sense, `:` excepted).
    Punct(char),
    /// Anything else: a run of letters, digits and symbols.
    Word,
    /// Emphasis markers (`*`, `_` runs): no text of their own.
    Markup,
}

#[derive(Debug, Clone)]
struct Tok<'a> {
    kind: Kind,
    /// What the piece reads as (an entity decoded, markup empty).
    text: Cow<'a, str>,
    /// Where it ends in the source.
    end: usize,
}

/// Unicode punctuation (general category P*), as Haskell's
/// `isPunctuation`, for the characters a locator meets.
fn is_punctuation(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation()
            && !matches!(c, '$' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~');
    }
    matches!(c,
        '\u{A1}' | '\u{A7}' | '\u{AB}' | '\u{B6}' | '\u{B7}' | '\u{BB}' | '\u{BF}'
        | '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{2043}' | '\u{2045}'..='\u{2051}'
        | '\u{2053}'..='\u{205E}' | '\u{3001}'..='\u{3003}' | '\u{3008}'..='\u{3011}'
        | '\u{FF01}'..='\u{FF03}' | '\u{FF05}'..='\u{FF0A}' | '\u{FF0C}'..='\u{FF0F}')
}

/// True for a character that ends a word: a space or a punctuation mark
/// other than `:` (Pandoc keeps `vol:page` together).
fn breaks(c: char) -> bool {
    c.is_whitespace() || (is_punctuation(c) && c != ':')
}

/// Splits `s` into pieces, as Pandoc splits a locator's inlines.
fn tokens(s: &str) -> Vec<Tok<'_>> {
    let mut toks: Vec<Tok<'_>> = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let (kind, text, len) = piece(&s[i..]);
        i += len;
        toks.push(Tok { kind, text, end: i });
    }
    toks
}

/// The piece that starts `rest` (not empty), and its length.
fn piece(rest: &str) -> (Kind, Cow<'_, str>, usize) {
    let c = rest.chars().next().expect("rest is not empty");
    let one = |d: char, text: Cow<'static, str>, n: usize| -> (Kind, Cow<'_, str>, usize) {
        match d {
            '\u{A0}' => (Kind::Space, " ".into(), n),
            d if breaks(d) && !d.is_whitespace() => (Kind::Punct(d), text, n),
            _ => (Kind::Word, text, n),
        }
    };
    if c.is_whitespace() {
        let n = rest.len() - rest.trim_start().len();
        return (Kind::Space, " ".into(), n);
    }
    if let Some((decoded, n)) = entity(rest) {
        return one(decoded, decoded.to_string().into(), n);
    }
    if c == '\\'
        && let Some(escaped) = rest[1..].chars().next()
    {
        let n = 1 + escaped.len_utf8();
        let (kind, _, _) = one(escaped, "".into(), n);
        return (kind, rest[1..n].into(), n);
    }
    match c {
        '*' | '_' => (
            Kind::Markup,
            "".into(),
            rest.len() - rest.trim_start_matches(c).len(),
        ),
        '`' => {
            let run = rest.len() - rest.trim_start_matches('`').len();
            match rest[run..].find(&rest[..run]) {
                Some(j) => (Kind::Word, rest[run..run + j].into(), run + j + run),
                None => (Kind::Word, rest[..run].into(), run),
            }
        }
        c if breaks(c) => (Kind::Punct(c), rest[..c.len_utf8()].into(), c.len_utf8()),
        _ => {
            let n: usize = rest
                .chars()
                .take_while(|&d| !(breaks(d) || matches!(d, '*' | '_' | '`' | '\\')))
                .map(char::len_utf8)
                .sum();
            let n = n.max(c.len_utf8());
            (Kind::Word, rest[..n].into(), n)
        }
    }
}

/// The character an entity at the start of `s` stands for, and its length.
fn entity(s: &str) -> Option<(char, usize)> {
    if !s.starts_with('&') {
        return None;
    }
    let end = s[1..].find(';').filter(|&n| (1..=32).contains(&n))? + 2;
    let decoded = crate::html::decode(&s[..end]);
    let mut chars = decoded.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if decoded != s[..end] => Some((c, end)),
        _ => None,
    }
}

/// A parse position and what was read: its text and whether it held a
/// digit or a roman numeral.
#[derive(Debug, Clone)]
struct Read {
    next: usize,
    text: String,
    digit_like: bool,
}

struct Parser<'t, 'a> {
    toks: &'t [Tok<'a>],
}

impl Parser<'_, '_> {
    fn is(&self, at: usize, kind: &Kind) -> bool {
        self.toks.get(at).is_some_and(|t| &t.kind == kind)
    }

    /// A page unit: one roman numeral, or a run of words, `-`, `–` and `:`.
    fn unit(&self, at: usize) -> Option<Read> {
        let tok = self.toks.get(at)?;
        if tok.kind == Kind::Word && is_roman(&tok.text) {
            return Some(Read {
                next: at + 1,
                text: tok.text.to_string(),
                digit_like: true,
            });
        }
        let mut next = at;
        let mut text = String::new();
        while let Some(t) = self.toks.get(next) {
            let taken = match t.kind {
                Kind::Word | Kind::Markup => true,
                Kind::Punct(c) => matches!(c, '-' | '–'),
                Kind::Space => false,
            };
            if !taken {
                break;
            }
            text.push_str(&t.text);
            next += 1;
        }
        (next > at).then(|| Read {
            next,
            digit_like: text.bytes().any(|b| b.is_ascii_digit()),
            text,
        })
    }

    /// `.2`: a full stop and a unit.
    fn with_period(&self, at: usize) -> Option<Read> {
        if !self.is(at, &Kind::Punct('.')) {
            return None;
        }
        let unit = self.unit(at + 1)?;
        Some(Read {
            text: format!(".{}", unit.text),
            ..unit
        })
    }

    /// Units joined by full stops: `1`, `1.2.3`, `IV.2A`.
    fn page_seq(&self, at: usize) -> Option<Read> {
        let Some(mut read) = self.unit(at) else {
            return self.with_period(at);
        };
        while let Some(more) = self.with_period(read.next) {
            read = Read {
                next: more.next,
                text: read.text + &more.text,
                digit_like: read.digit_like || more.digit_like,
            };
        }
        Some(read)
    }

    /// One bracketed `(…)`, `[…]` or `{…}` page sequence, or a bare one.
    fn surround(&self, at: usize) -> Option<Read> {
        for (open, close) in [('{', '}'), ('[', ']'), ('(', ')')] {
            if !self.is(at, &Kind::Punct(open)) {
                continue;
            }
            let inner = self.bare(at + 1);
            let after = inner.as_ref().map_or(at + 1, |r| r.next);
            if self.is(after, &Kind::Punct(close)) {
                let (text, digit_like) =
                    inner.map_or((String::new(), false), |r| (r.text, r.digit_like));
                return Some(Read {
                    next: after + 1,
                    text: format!("{open}{text}{close}"),
                    digit_like,
                });
            }
        }
        self.bare(at)
    }

    fn bare(&self, at: usize) -> Option<Read> {
        let brace = |c: char| matches!(c, '{' | '}' | '[' | ']' | '(' | ')');
        match self.toks.get(at)?.kind {
            Kind::Punct(c) if brace(c) => None,
            _ => self.page_seq(at),
        }
    }

    /// Page sequences and bracketed ones, side by side: `123(4)[5]6`.
    fn balanced(&self, at: usize) -> Option<Read> {
        let mut read = self.surround(at)?;
        while let Some(more) = self.surround(read.next) {
            read = Read {
                next: more.next,
                text: read.text + &more.text,
                digit_like: read.digit_like || more.digit_like,
            };
        }
        Some(read)
    }

    /// One locator word, after a `,` or `;` unless it is the first.
    fn word(&self, at: usize, first: bool) -> Option<Read> {
        let mut next = at;
        let mut text = String::new();
        if !first && let Some(Kind::Punct(c @ (',' | ';'))) = self.toks.get(next).map(|t| &t.kind) {
            text.push(*c);
            next += 1;
        }
        if self.is(next, &Kind::Space) {
            text.push(' ');
            next += 1;
        }
        let read = self.balanced(next)?;
        Some(Read {
            text: text + &read.text,
            ..read
        })
    }

    /// The end of the longest locator term starting at `at`: Pandoc grows
    /// the text a piece at a time, up to each place where a locator word
    /// could start, and keeps the last that is a term.
    fn label(&self, at: usize) -> Option<usize> {
        let longest = TERMS.iter().map(|t| t.len()).max().unwrap_or(0);
        let mut text = String::new();
        let mut next = at;
        let mut found = None;
        while text.trim().len() <= longest {
            let Some(tok) = self.toks.get(next) else {
                return found;
            };
            text.push_str(&tok.text);
            next += 1;
            while self.word(next, true).is_none_or(|w| !w.digit_like) {
                let Some(tok) = self.toks.get(next) else {
                    return found;
                };
                text.push_str(&tok.text);
                next += 1;
            }
            if is_term(text.trim()) {
                found = Some(next);
            }
        }
        found
    }

    /// The locator's pieces `[start, end)`: a term and its words, or words
    /// with a digit alone (a page).
    fn integrated(&self, at: usize) -> Option<(usize, usize)> {
        let (words_at, implicit) = match self.label(at) {
            Some(end) => (end, false),
            None => {
                let w = self.word(at, true)?;
                w.text
                    .bytes()
                    .any(|b| b.is_ascii_digit())
                    .then_some((at, true))?
            }
        };
        let passes = |r: &Read| {
            if implicit {
                r.text.bytes().any(|b| b.is_ascii_digit())
            } else {
                r.digit_like
            }
        };
        let mut end = self.word(words_at, !implicit).filter(passes)?.next;
        while let Some(more) = self.word(end, false).filter(passes) {
            end = more.next;
        }
        Some((at, end))
    }
}

/// A roman numeral, as Pandoc's `romanNumeral` reads one (any case).
fn is_roman(s: &str) -> bool {
    let upper = s.to_ascii_uppercase();
    let mut rest = upper.as_str();
    if rest.is_empty() {
        return false;
    }
    rest = rest.trim_start_matches('M');
    for (ten, five, one) in [('M', 'D', 'C'), ('C', 'L', 'X'), ('X', 'V', 'I')] {
        rest = roman_digit(rest, ten, five, one);
    }
    rest.is_empty()
}

/// Strips one roman digit (`CM`, `CD`, `D?C{0,3}`, likewise below) from `s`.
fn roman_digit(s: &str, ten: char, five: char, one: char) -> &str {
    let nine: String = [one, ten].iter().collect();
    let four: String = [one, five].iter().collect();
    if let Some(rest) = s
        .strip_prefix(nine.as_str())
        .or_else(|| s.strip_prefix(four.as_str()))
    {
        return rest;
    }
    let rest = s.strip_prefix(five).unwrap_or(s);
    let ones = rest.len() - rest.trim_start_matches(one).len();
    if ones <= 3 { &rest[ones..] } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_ranges_take_an_en_dash() {
        assert_eq!(en_dashes("pp. 33-35, 38-39"), "pp. 33–35, 38–39");
        assert_eq!(en_dashes("iv-vi"), "iv–vi");
        assert_eq!(en_dashes("sec. 2-b"), "sec. 2–b");
        assert_eq!(en_dashes("well-known"), "well-known");
        assert_eq!(en_dashes("p. 4"), "p. 4");
    }

    #[test]
    fn roman_numerals_are_read_as_pandoc_reads_them() {
        for ok in ["iv", "XVII", "mcmxcix", "MIX", "i"] {
            assert!(is_roman(ok), "{ok}");
        }
        for bad in ["", "iiii", "vv", "ic", "2a", "page"] {
            assert!(!is_roman(bad), "{bad}");
        }
    }

    #[test]
    fn code_entities_and_escapes_are_one_piece_each() {
        let kinds = |s: &str| -> Vec<(Kind, String)> {
            tokens(s)
                .into_iter()
                .map(|t| (t.kind, t.text.into_owned()))
                .collect()
        };
        assert_eq!(
            kinds("`a;b`&ndash;\\,x"),
            vec![
                (Kind::Word, "a;b".to_string()),
                (Kind::Punct('–'), "–".to_string()),
                (Kind::Punct(','), ",".to_string()),
                (Kind::Word, "x".to_string()),
            ]
        );
        assert_eq!(
            kinds("`a"),
            vec![(Kind::Word, "`".to_string()), (Kind::Word, "a".to_string())]
        );
        assert_eq!(kinds("p.&nbsp;3")[2], (Kind::Space, " ".to_string()));
    }

    #[test]
    fn braces_close_at_their_own_level() {
        assert_eq!(closing_brace("a {b} c} d"), Some(7));
        assert_eq!(closing_brace("[17]} x"), Some(4));
        assert_eq!(closing_brace("a {b c"), None);
    }
}
