//! Pandoc's citation syntax, as its manual defines it, as a pure parser.
//!
//! - Keys ([`key_at`]): a letter, digit or `_`, then letters, digits, `_`
//!   and single internal punctuation `:.#$%&-+?<>~/` (plus `://`-style runs,
//!   so bare URLs keep their slashes); `@{…}` for anything else, braces
//!   stripped. An `@` after a letter or digit (an e-mail address) is no key.
//! - Brackets ([`parse_bracket`]): `[prefix @key locator suffix; …]`, with
//!   `-@key` to suppress the author. Parts are split on `;` outside code
//!   spans, entities (`&nbsp;`), braces and escapes.
//! - Locators ([`split_locator`]): after the key, an optional comma, then a
//!   locator term (`p.`, `pp.`, `chap.`, `sec.`, `§`, …) and its numbers,
//!   or a bare number, or `{…}` protecting anything; the rest is suffix
//!   ([`crate::content::cite::locator`] reads them as Pandoc does).
//!
//! Prefix, locator and suffix are returned as Markdown source slices; the
//! Markdown pass renders them.

use crate::content::cite::locator;

/// One citation inside a bracket, or in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cite<'a> {
    /// The key, braces stripped.
    pub key: &'a str,
    /// Markdown before the key (`see`), trimmed.
    pub prefix: &'a str,
    /// `-@key`: the author is not named.
    pub suppress_author: bool,
    /// Markdown of the locator (`p. 33`), braces stripped.
    pub locator: Option<&'a str>,
    /// Markdown after the key and locator (`, and nowhere else`), trimmed.
    pub suffix: &'a str,
}

/// Punctuation allowed inside a bare key when a word character follows.
const INTERNAL: &str = ":.#$%&-+?<>~/";

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Reads a key from `s`, which starts just after an `@`: the key and the
/// bytes it takes (braces included). `None` when no key starts there.
pub fn key_at(s: &str) -> Option<(&str, usize)> {
    if let Some(inner) = s.strip_prefix('{') {
        let end = inner.find('}')?;
        let key = &inner[..end];
        let ok = !key.trim().is_empty() && !key.contains('{');
        return ok.then_some((key, end + 2));
    }
    let mut chars = s.char_indices().peekable();
    match chars.next() {
        Some((_, c)) if is_word(c) => {}
        _ => return None,
    }
    let mut end = s.chars().next().map_or(0, char::len_utf8);
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let internal = INTERNAL.contains(c) && next.is_some_and(is_word);
        let slashes = matches!(c, ':' | '/') && next == Some('/');
        if is_word(c) || internal || slashes {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    Some((&s[..end], end))
}

/// True when `id` can name a source: a bare key, or anything `@{…}` can
/// hold (no braces, no surrounding space, not empty).
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && id.trim() == id && !id.contains(['{', '}']) && !id.contains(char::is_control)
}

/// How a key is cited: `@key` when bare, `@{key}` otherwise.
pub fn cite_form(id: &str) -> String {
    match key_at(id) {
        Some((_, n)) if n == id.len() && !id.starts_with('{') => format!("@{id}"),
        _ => format!("@{{{id}}}"),
    }
}

/// The slug of a key, for anchors and URLs.
pub fn key_slug(key: &str) -> String {
    let slug = slug::slugify(key);
    if slug.is_empty() {
        "source".to_string()
    } else {
        slug
    }
}

/// True when the character before an `@` lets a key start there.
fn key_may_follow(before: Option<char>) -> bool {
    !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '@')
}

/// A key found in text: where its `@` (or `-@`) starts, the key, and the
/// byte after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found<'a> {
    pub start: usize,
    pub key: &'a str,
    pub end: usize,
    pub suppress_author: bool,
}

/// Finds the first key in `s` at or after byte `from`, outside code spans,
/// entities and escapes; `before` is the character preceding `s`.
pub fn find_key(s: &str, from: usize, before: Option<char>) -> Option<Found<'_>> {
    let mut i = from;
    while i < s.len() {
        let rest = &s[i..];
        let c = rest.chars().next()?;
        if let Some(skip) = skip_span(rest) {
            i += skip;
            continue;
        }
        if c == '@'
            && let Some((key, n)) = key_at(&rest[1..])
        {
            let char_before =
                |at: usize| s[..at].chars().next_back().or(before.filter(|_| at == 0));
            let prev = char_before(i);
            let dash = i > 0 && prev == Some('-') && key_may_follow(char_before(i - 1));
            if dash || key_may_follow(prev) {
                let start = if dash { i - 1 } else { i };
                let end = i + 1 + n;
                return Some(Found {
                    start,
                    key,
                    end,
                    suppress_author: dash,
                });
            }
        }
        i += c.len_utf8();
    }
    None
}

/// Bytes to skip over a code span, entity, escape or braced group that
/// starts `s`; `None` when none starts there.
fn skip_span(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    match *b.first()? {
        b'\\' => Some(s.chars().take(2).map(char::len_utf8).sum()),
        b'`' => {
            let run = b.iter().take_while(|&&x| x == b'`').count();
            let fence = &s[..run];
            Some(s[run..].find(fence).map_or(run, |j| run + j + run))
        }
        b'&' => {
            let name = b[1..]
                .iter()
                .take(32)
                .take_while(|x| x.is_ascii_alphanumeric() || **x == b'#')
                .count();
            (name > 0 && b.get(1 + name) == Some(&b';')).then_some(name + 2)
        }
        b'{' => s.find('}').map(|j| j + 1),
        _ => None,
    }
}

/// Splits `s` on `;` outside code spans, entities, escapes and braces.
fn split_parts(s: &str) -> Vec<(usize, &str)> {
    let mut parts = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < s.len() {
        if let Some(skip) = skip_span(&s[i..]) {
            i += skip;
            continue;
        }
        let c = s[i..]
            .chars()
            .next()
            .expect("i is a char boundary below len");
        if c == ';' {
            parts.push((start, &s[start..i]));
            start = i + 1;
        }
        i += c.len_utf8();
    }
    parts.push((start, &s[start..]));
    parts
}

/// A bracket that looks like a citation but does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub hint: String,
}

/// Reads the inside of a bracket, without the brackets.
///
/// `None` when no part holds a key (link text, `[a@b.com]`: no citation);
/// `Some(Err)` when some part does but the bracket does not parse.
pub fn parse_bracket(s: &str) -> Option<Result<Vec<Cite<'_>>, SyntaxError>> {
    let parts = split_parts(s);
    if !parts.iter().any(|(_, p)| find_key(p, 0, None).is_some()) {
        return None;
    }
    let mut cites = Vec::with_capacity(parts.len());
    for (_, part) in parts {
        match parse_part(part) {
            Ok(cite) => cites.push(cite),
            Err(e) => return Some(Err(e)),
        }
    }
    Some(Ok(cites))
}

/// The bracket after an in-text key when it holds the key's locator and
/// then more citations (`@a [p. 33; @b]`, as Pandoc reads it): the locator
/// and suffix of the first part, and the citations of the others. `None`
/// when the bracket is not of that shape.
#[allow(clippy::type_complexity)]
pub fn parse_in_text_bracket(
    s: &str,
) -> Option<Result<(Option<&str>, &str, Vec<Cite<'_>>), SyntaxError>> {
    let parts = split_parts(s);
    let (first, rest) = parts.split_first()?;
    let has_key = |p: &str| find_key(p, 0, None).is_some();
    if rest.is_empty() || has_key(first.1) || !rest.iter().all(|(_, p)| has_key(p)) {
        return None;
    }
    let read = || {
        let (locator, suffix) = split_locator(first.1)?;
        let cites = rest
            .iter()
            .map(|(_, p)| parse_part(p))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((locator, suffix, cites))
    };
    Some(read())
}

fn parse_part(part: &str) -> Result<Cite<'_>, SyntaxError> {
    let Some(found) = find_key(part, 0, None) else {
        return Err(SyntaxError {
            message: format!("`{}` in a citation names no source", part.trim()),
            hint: "each part between `;` needs an `@key`, as in `[see @a, p. 4; also @b]`"
                .to_string(),
        });
    };
    let (locator, suffix) = split_locator(&part[found.end..])?;
    if let Some(next) = find_key(suffix, 0, Some(' ')) {
        return Err(SyntaxError {
            message: format!("`@{}` follows another citation without a `;`", next.key),
            hint: "separate citations with `;`, as in `[@a; @b]`".to_string(),
        });
    }
    Ok(Cite {
        key: found.key,
        prefix: part[..found.start].trim(),
        suppress_author: found.suppress_author,
        locator,
        suffix,
    })
}

/// Splits what follows a key into locator and suffix, as Pandoc does
/// ([`crate::content::cite::locator`]).
pub fn split_locator(rest: &str) -> Result<(Option<&str>, &str), SyntaxError> {
    let trimmed = rest.trim();
    if trimmed.is_empty() {
        return Ok((None, ""));
    }
    let body = trimmed.strip_prefix(',').unwrap_or(trimmed).trim_start();
    if body.is_empty() {
        return Err(SyntaxError {
            message: "a citation ends with a comma and no locator".to_string(),
            hint: "write the locator after the comma, as in `[@id, p. 4]`, or drop the comma"
                .to_string(),
        });
    }
    if let Some(inner) = body.strip_prefix('{') {
        let end = locator::closing_brace(inner).ok_or_else(|| SyntaxError {
            message: "a citation's `{` locator is never closed".to_string(),
            hint: "close it with `}`, as in `[@id, {pp. iv, vi-xi}]`".to_string(),
        })?;
        // `@smith{}` is Pandoc's way to say "no locator": what follows is
        // suffix (`[@smith{}, 99 years later]`), not a locator `""`.
        let locator = Some(inner[..end].trim()).filter(|l| !l.is_empty());
        return Ok((locator, inner[end + 1..].trim()));
    }
    Ok(match locator::integrated_len(body) {
        Some(end) => (Some(body[..end].trim()), body[end..].trim()),
        None => (None, trimmed),
    })
}

/// True for an in-text key that is a cross-reference (`@fig-…`,
/// `@tbl-…`, which `figures` resolves), not a citation.
pub fn is_label(key: &str) -> bool {
    key.starts_with("fig-") || key.starts_with("tbl-")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cite<'a>(
        prefix: &'a str,
        key: &'a str,
        locator: Option<&'a str>,
        suffix: &'a str,
    ) -> Cite<'a> {
        Cite {
            key,
            prefix,
            suppress_author: false,
            locator,
            suffix,
        }
    }

    /// Keys from Pandoc's manual and the issue.
    #[test]
    fn key_grammar() {
        let cases: &[(&str, Option<&str>)] = &[
            ("doe99 says", Some("doe99")),
            ("Foo_bar.baz", Some("Foo_bar.baz")),
            ("Foo_bar.baz.", Some("Foo_bar.baz")),
            ("smithBees2004]", Some("smithBees2004")),
            ("_underscore", Some("_underscore")),
            (
                "a:b#c$d%e&f-g+h?i<j>k~l/m",
                Some("a:b#c$d%e&f-g+h?i<j>k~l/m"),
            ),
            ("a--b", Some("a")),
            (
                "{https://example.com/bib?name=foobar&date=2000}, p. 33",
                Some("https://example.com/bib?name=foobar&date=2000"),
            ),
            ("https://example.com/x", Some("https://example.com/x")),
            ("{Smith, 2000}", Some("Smith, 2000")),
            ("-x", None),
            ("{}", None),
            ("{unclosed", None),
            (" space", None),
        ];
        for (input, expected) in cases {
            assert_eq!(key_at(input).map(|(k, _)| k), *expected, "{input:?}");
        }
    }

    #[test]
    fn emails_and_words_hold_no_key() {
        assert_eq!(find_key("mail a@b.com now", 0, None), None);
        assert_eq!(find_key("x@y", 0, None), None);
        let found = find_key("as @doe99 says", 0, None).unwrap();
        assert_eq!((found.start, found.key, found.end), (3, "doe99", 9));
        let dash = find_key("[-@doe99]", 1, Some('[')).unwrap();
        assert!(dash.suppress_author);
        assert_eq!(find_key("`@code` x", 0, None), None);
    }

    #[test]
    fn ids_follow_the_key_grammar() {
        for ok in [
            "bloomberg",
            "smithBees2004",
            "Foo_bar.baz",
            "https://example.com/a b",
        ] {
            assert!(is_valid_id(ok), "{ok}");
        }
        for bad in ["", " x", "a}b", "{x}"] {
            assert!(!is_valid_id(bad), "{bad}");
        }
        assert_eq!(cite_form("Foo_bar.baz"), "@Foo_bar.baz");
        assert_eq!(cite_form("Smith, 2000"), "@{Smith, 2000}");
        assert_eq!(key_slug("Foo_bar.baz"), "foo-bar-baz");
    }

    /// Brackets from Pandoc's manual (section "Citation syntax").
    #[test]
    fn bracket_grammar() {
        type Case<'a> = (&'a str, Option<Result<Vec<Cite<'a>>, ()>>);
        let suppressed = Cite {
            suppress_author: true,
            ..cite("Smith says blah", "smith04", None, "")
        };
        let cases: Vec<Case> = vec![
            ("@doe99", Some(Ok(vec![cite("", "doe99", None, "")]))),
            (
                "see @doe99, pp. 33-35; also @smith04, chap. 1",
                Some(Ok(vec![
                    cite("see", "doe99", Some("pp. 33-35"), ""),
                    cite("also", "smith04", Some("chap. 1"), ""),
                ])),
            ),
            (
                "@doe99, pp. 33-35, 38-39 and *passim*",
                Some(Ok(vec![cite(
                    "",
                    "doe99",
                    Some("pp. 33-35, 38-39"),
                    "and *passim*",
                )])),
            ),
            (
                "@smith04; @doe99",
                Some(Ok(vec![
                    cite("", "smith04", None, ""),
                    cite("", "doe99", None, ""),
                ])),
            ),
            ("Smith says blah -@smith04", Some(Ok(vec![suppressed]))),
            (
                "@bloomberg p. 33",
                Some(Ok(vec![cite("", "bloomberg", Some("p. 33"), "")])),
            ),
            (
                "@bloomberg pp. 33, 35-37, and nowhere else",
                Some(Ok(vec![cite(
                    "",
                    "bloomberg",
                    Some("pp. 33, 35-37"),
                    ", and nowhere else",
                )])),
            ),
            (
                "@smith, {pp. iv, vi-xi}",
                Some(Ok(vec![cite("", "smith", Some("pp. iv, vi-xi"), "")])),
            ),
            (
                "@x, p.&nbsp;33",
                Some(Ok(vec![cite("", "x", Some("p.&nbsp;33"), "")])),
            ),
            ("@x, 33", Some(Ok(vec![cite("", "x", Some("33"), "")]))),
            (
                "@x, emphasis added",
                Some(Ok(vec![cite("", "x", None, ", emphasis added")])),
            ),
            ("@x, `a;b`", Some(Ok(vec![cite("", "x", None, ", `a;b`")]))),
            (
                "@{https://example.com/a}, sec. 2",
                Some(Ok(vec![cite(
                    "",
                    "https://example.com/a",
                    Some("sec. 2"),
                    "",
                )])),
            ),
            ("link text", None),
            ("write to a@b.com", None),
            ("@a; b", Some(Err(()))),
            ("@a @b", Some(Err(()))),
            ("@a,", Some(Err(()))),
            ("@a, {p. 4", Some(Err(()))),
        ];
        for (input, expected) in cases {
            let got = parse_bracket(input).map(|r| r.map_err(|_| ()));
            assert_eq!(got, expected, "input: {input:?}");
        }
    }

    /// Locators that Pandoc 3 splits from the suffix, each checked against
    /// `pandoc --citeproc` (its output in the comment).
    #[test]
    fn locators_as_pandoc_reads_them() {
        let cases: &[(&str, Option<&str>, &str)] = &[
            ("@x p.3", Some("p.3"), ""),                      // 3
            ("@x, [89]", Some("[89]"), ""),                   // [89]
            ("@x, 123(4)[5]6", Some("123(4)[5]6"), ""),       // 123(4)[5]6
            ("@x, IV.2A", Some("IV.2A"), ""),                 // IV.2A
            ("@x, p. **32**", Some("p. **32**"), ""),         // 32
            ("@x, pp. 4&ndash;5", Some("pp. 4&ndash;5"), ""), // 4–5
            ("@x, {a {b} c}", Some("a {b} c"), ""),           // a {b} c
            ("@x, para. 5", Some("para. 5"), ""),             // para. 5
            ("@x, issue 3, and more", Some("issue 3"), ", and more"),
            ("@x, art. 5", None, ", art. 5"), // art. 5 (a suffix)
            ("@x, 33-35, 38-39 passim", Some("33-35, 38-39"), "passim"),
            ("@x, xiv", None, ", xiv"), // a roman alone is no page
            ("@x, p. xiv", Some("p. xiv"), ""),
            ("@x, sub verbo 3", Some("sub verbo 3"), ""),
        ];
        for &(input, locator, suffix) in cases {
            assert_eq!(
                parse_bracket(input),
                Some(Ok(vec![cite("", "x", locator, suffix)])),
                "input: {input:?}"
            );
        }
    }

    #[test]
    fn empty_braces_mean_no_locator() {
        assert_eq!(
            parse_bracket("@smith{}, 99 years later"),
            Some(Ok(vec![cite("", "smith", None, ", 99 years later")]))
        );
    }
}
