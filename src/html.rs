//! The attributes of an HTML text's start tags, read as a browser's
//! tokenizer reads them: never from text, comments or the inside of raw-text
//! elements (`<script>`, `<style>`, `<textarea>`, `<title>`, …), with values
//! decoded (`&ouml;` is `ö`). The link check reads every page the build
//! writes through it, and the Markdown pass the raw HTML of each file.
//!
//! Why not html5ever's tokenizer for the whole page: measured over the
//! 346 MB of HTML a 10,000-brief build writes, it took 8.2 s of one core
//! against 0.16 s for a scan that only looks for tag boundaries with
//! `memchr`; the link check runs in every build. So this module follows
//! the tokenizer's states that decide what is a tag (WHATWG HTML §13.2.5:
//! data, tag open, attribute names and values, comments, bogus comments,
//! raw text) and leaves the rare values with a character reference to
//! html5ever, which decodes them exactly. Foreign content (`<svg>` with
//! `<style>` inside, CDATA) and the script-data escape states are read as
//! plain HTML; a test compares the two on generated input.

use std::borrow::Cow;
use std::cell::RefCell;
use std::ops::Range;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// Elements whose content a browser reads as text up to their end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// One attribute of a start tag.
#[derive(Debug)]
pub(crate) struct Attr<'a> {
    /// The attribute's name, as written (compare without case).
    pub name: &'a str,
    /// The value as written, without quotes.
    pub raw: &'a str,
    /// Where the attribute's name starts, in the fed text plus its base.
    pub at: usize,
    /// Where the attribute (its value included) ends, likewise.
    pub end: usize,
}

impl<'a> Attr<'a> {
    /// The value as a browser reads it: character references decoded.
    pub fn value(&self) -> Cow<'a, str> {
        decode(self.raw)
    }

    /// True when the attribute is `name` (ASCII case ignored).
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }
}

/// A start tag, with its attributes.
#[derive(Debug)]
pub(crate) struct StartTag<'t, 'h> {
    /// The tag's name, as written (compare without case).
    pub name: &'h str,
    /// Where the tag is, `<` to `>`, in the fed text plus its base.
    pub at: Range<usize>,
    /// For a raw-text element (`<iframe>`, `<script>`, …) whose end tag is
    /// in the same text: where that end tag ends, likewise.
    pub closed_at: Option<usize>,
    pub attrs: &'t [Attr<'h>],
}

/// A raw-text element that was opened and never closed: it holds all that
/// follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unclosed {
    /// The element's name, lowercase.
    pub tag: &'static str,
    /// Where its start tag is, in the fed text plus its base.
    pub at: Range<usize>,
}

/// A tokenizer fed one piece of HTML after another (the raw HTML of a
/// Markdown file arrives in pieces); it remembers a raw-text element left
/// open across pieces.
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    open: Option<Unclosed>,
    /// True when `open` was opened by the latest piece fed.
    fresh: bool,
}

impl Tokens {
    /// The raw-text element still open after what was fed, if any.
    pub fn unclosed(&self) -> Option<&Unclosed> {
        self.open.as_ref()
    }

    /// The place of the raw-text element left open, when the latest piece
    /// fed opened it (so a caller can move it to where that piece is).
    pub fn opened_now(&mut self) -> Option<&mut Range<usize>> {
        self.open
            .as_mut()
            .filter(|_| self.fresh)
            .map(|open| &mut open.at)
    }

    /// Calls `each` with every attribute of every start tag of `html`, a
    /// text that starts at `base` (for [`Attr::at`]).
    pub fn feed<'h>(&mut self, html: &'h str, base: usize, each: &mut impl FnMut(&Attr<'h>)) {
        self.feed_tags(html, base, &mut |tag| tag.attrs.iter().for_each(&mut *each));
    }

    /// Calls `each` with every start tag of `html`, a text that starts at
    /// `base` (for [`StartTag::at`]).
    pub fn feed_tags<'h>(
        &mut self,
        html: &'h str,
        base: usize,
        each: &mut impl FnMut(&StartTag<'_, 'h>),
    ) {
        let bytes = html.as_bytes();
        let mut at = 0;
        self.fresh = false;
        if let Some(open) = &self.open {
            match raw_text_end(html, 0, open.tag) {
                Some(end) => {
                    self.open = None;
                    at = end;
                }
                None => return,
            }
        }
        let mut attrs: Vec<Attr<'h>> = Vec::new();
        while let Some(i) = memchr::memchr(b'<', &bytes[at..]) {
            let lt = at + i;
            let next = bytes.get(lt + 1).copied();
            at = match next {
                Some(b'!') if bytes[lt + 2..].starts_with(b"--") => comment_end(bytes, lt + 4),
                Some(b'!' | b'?') => bogus_end(bytes, lt + 2),
                Some(b'/') => match bytes.get(lt + 2) {
                    Some(c) if c.is_ascii_alphabetic() => {
                        let name = tag_name(html, lt + 2);
                        tag(html, lt + 2 + name.len(), base, None).unwrap_or(bytes.len())
                    }
                    Some(b'>') => lt + 3,
                    Some(_) => bogus_end(bytes, lt + 2),
                    None => bytes.len(),
                },
                Some(c) if c.is_ascii_alphabetic() => {
                    attrs.clear();
                    let name = tag_name(html, lt + 1);
                    let Some(end) = tag(html, lt + 1 + name.len(), base, Some(&mut attrs)) else {
                        break;
                    };
                    let raw = raw_text(name);
                    let after = match raw {
                        Some("plaintext") | None => None,
                        Some(raw) => raw_text_end(html, end, raw),
                    };
                    each(&StartTag {
                        name,
                        at: base + lt..base + end,
                        closed_at: after.map(|after| base + after),
                        attrs: &attrs,
                    });
                    match raw {
                        Some("plaintext") => return,
                        Some(raw) => match after {
                            Some(after) => after,
                            None => {
                                self.open = Some(Unclosed {
                                    tag: raw,
                                    at: base + lt..base + end,
                                });
                                self.fresh = true;
                                return;
                            }
                        },
                        None => end,
                    }
                }
                _ => lt + 1,
            };
        }
    }
}

/// Every attribute of every start tag of `html` (a whole page).
pub(crate) fn attributes<'h>(html: &'h str, each: &mut impl FnMut(&Attr<'h>)) {
    Tokens::default().feed(html, 0, each);
}

/// Byte classes of the tokenizer's tag states, looked up in [`CLASS`]: a
/// table lookup per byte is what keeps the link check's scan of every page
/// cheap (the tag states run over most of a page's bytes).
const SPACE: u8 = 1;
const SLASH: u8 = 2;
const GT: u8 = 4;
const EQ: u8 = 8;

/// The class bits of each byte: [`SPACE`] (the HTML spaces: tab, line
/// feed, form feed, carriage return, space), [`SLASH`], [`GT`], [`EQ`].
const CLASS: [u8; 256] = {
    let mut class = [0; 256];
    class[b' ' as usize] = SPACE;
    class[b'\t' as usize] = SPACE;
    class[b'\n' as usize] = SPACE;
    class[b'\r' as usize] = SPACE;
    class[0x0c] = SPACE;
    class[b'/' as usize] = SLASH;
    class[b'>' as usize] = GT;
    class[b'=' as usize] = EQ;
    class
};

/// The first offset from `from` whose byte is of a class in `mask`, or
/// the end of `bytes`.
fn until(bytes: &[u8], from: usize, mask: u8) -> usize {
    let rest = bytes.get(from..).unwrap_or_default();
    (rest.iter())
        .position(|&c| CLASS[c as usize] & mask != 0)
        .map_or(bytes.len(), |n| from + n)
}

/// The first offset from `from` whose byte is of no class in `mask`, or
/// the end of `bytes`.
fn past(bytes: &[u8], from: usize, mask: u8) -> usize {
    let rest = bytes.get(from..).unwrap_or_default();
    (rest.iter())
        .position(|&c| CLASS[c as usize] & mask == 0)
        .map_or(bytes.len(), |n| from + n)
}

/// The name of the tag whose name starts at `from`.
fn tag_name(html: &str, from: usize) -> &str {
    &html[from..until(html.as_bytes(), from, SPACE | SLASH | GT)]
}

/// The raw-text element (or `plaintext`) `name` opens, lowercase.
fn raw_text(name: &str) -> Option<&'static str> {
    // Most tags are none of these: `a`, `p`, `li`, `span`, `div`.
    if !matches!(name.len(), 3 | 5..=9) {
        return None;
    }
    if name.eq_ignore_ascii_case("plaintext") {
        return Some("plaintext");
    }
    RAW_TEXT
        .iter()
        .find(|raw| raw.eq_ignore_ascii_case(name))
        .copied()
}

/// Reads the rest of a tag whose name ends at `i` and pushes its
/// attributes (the first of each name, as a browser keeps) to `attrs`
/// when given (an end tag's are read only to find its end); the offset
/// after its `>`, or `None` when the text ends inside it (a browser then
/// drops the tag).
fn tag<'h>(
    html: &'h str,
    mut i: usize,
    base: usize,
    mut attrs: Option<&mut Vec<Attr<'h>>>,
) -> Option<usize> {
    let bytes = html.as_bytes();
    loop {
        i = past(bytes, i, SPACE | SLASH);
        if *bytes.get(i)? == b'>' {
            return Some(i + 1);
        }
        // An attribute name: its first character may be anything, `=` too.
        let start = i;
        i = until(bytes, i + 1, SPACE | SLASH | GT | EQ);
        let attr_name = &html[start..i];
        i = past(bytes, i, SPACE);
        let mut raw = "";
        if bytes.get(i) == Some(&b'=') {
            i = past(bytes, i + 1, SPACE);
            match *bytes.get(i)? {
                quote @ (b'"' | b'\'') => {
                    let end = i + 1 + memchr::memchr(quote, &bytes[i + 1..])?;
                    raw = &html[i + 1..end];
                    i = end + 1;
                }
                b'>' => {}
                _ => {
                    let end = until(bytes, i, SPACE | GT);
                    raw = &html[i..end];
                    i = end;
                }
            }
        }
        if let Some(attrs) = attrs.as_deref_mut()
            && !attrs.iter().any(|a| a.is(attr_name))
        {
            attrs.push(Attr {
                name: attr_name,
                raw,
                at: base + start,
                end: base + i,
            });
        }
    }
}

/// After a comment whose text starts at `from`: past `-->` (or `--!>`, or
/// the `>` of `<!-->` and `<!--->`), or the end of the text.
fn comment_end(bytes: &[u8], from: usize) -> usize {
    if bytes.get(from) == Some(&b'>') {
        return from + 1;
    }
    if bytes[from..].starts_with(b"->") {
        return from + 2;
    }
    let mut i = from;
    while let Some(n) = memchr::memchr(b'>', &bytes[i..]) {
        let gt = i + n;
        if bytes[..gt].ends_with(b"--") || bytes[..gt].ends_with(b"--!") {
            return gt + 1;
        }
        i = gt + 1;
    }
    bytes.len()
}

/// After a bogus comment (`<!x`, `<?x`, `</1`): past the next `>`.
fn bogus_end(bytes: &[u8], from: usize) -> usize {
    memchr::memchr(b'>', &bytes[from.min(bytes.len())..]).map_or(bytes.len(), |n| from + n + 1)
}

/// After the end tag of raw-text element `name`, searched from `from`; `None`
/// when it never ends.
fn raw_text_end(html: &str, from: usize, name: &str) -> Option<usize> {
    if name == "plaintext" {
        return None;
    }
    let bytes = html.as_bytes();
    let mut i = from;
    while let Some(n) = memchr::memchr(b'<', &bytes[i..]) {
        let lt = i + n;
        let name_at = lt + 2;
        let closes = bytes.get(lt + 1) == Some(&b'/')
            && bytes
                .get(name_at..name_at + name.len())
                .is_some_and(|written| written.eq_ignore_ascii_case(name.as_bytes()))
            && bytes
                .get(name_at + name.len())
                .is_some_and(|&c| CLASS[c as usize] & (SPACE | SLASH | GT) != 0);
        if closes {
            return Some(tag(html, name_at + name.len(), 0, None).unwrap_or(html.len()));
        }
        i = lt + 1;
    }
    None
}

/// An attribute value with its character references decoded as a browser
/// decodes them (named, numeric, and the legacy forms without `;`).
pub(crate) fn decode(raw: &str) -> Cow<'_, str> {
    if !raw.contains('&') {
        return Cow::Borrowed(raw);
    }
    let only_amp = raw
        .match_indices('&')
        .all(|(i, _)| raw[i..].starts_with("&amp;"));
    if only_amp {
        return Cow::Owned(raw.replace("&amp;", "&"));
    }
    let quote = if raw.contains('"') { '\'' } else { '"' };
    let tag = format!("<a v={quote}{raw}{quote}>");
    let mut values = html5ever_attributes(&tag);
    Cow::Owned(values.pop().map(|(_, _, v)| v).unwrap_or_default())
}

/// The start tags' attributes of `html` as html5ever's tokenizer reads them
/// (tag name, attribute name, value), raw-text elements switched as a
/// browser's tree builder switches them.
pub(crate) fn html5ever_attributes(html: &str) -> Vec<(String, String, String)> {
    struct Sink(RefCell<Vec<(String, String, String)>>);
    impl TokenSink for Sink {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            use html5ever::tokenizer::states::RawKind;
            let Token::TagToken(Tag {
                kind: TagKind::StartTag,
                name,
                attrs,
                ..
            }) = token
            else {
                return TokenSinkResult::Continue;
            };
            self.0.borrow_mut().extend(attrs.iter().map(|a| {
                (
                    name.to_string(),
                    a.name.local.to_string(),
                    a.value.to_string(),
                )
            }));
            match raw_text(&name) {
                Some("plaintext") => TokenSinkResult::Plaintext,
                Some("script") => TokenSinkResult::RawData(RawKind::ScriptData),
                Some("textarea" | "title") => TokenSinkResult::RawData(RawKind::Rcdata),
                Some(_) => TokenSinkResult::RawData(RawKind::Rawtext),
                None => TokenSinkResult::Continue,
            }
        }
    }
    let tokenizer = Tokenizer::new(Sink(RefCell::default()), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scanned(html: &str) -> Vec<(String, String)> {
        let mut found = Vec::new();
        attributes(html, &mut |a| {
            found.push((a.name.to_ascii_lowercase(), a.value().into_owned()))
        });
        found
    }

    fn hrefs(html: &str) -> Vec<String> {
        scanned(html)
            .into_iter()
            .filter(|(name, _)| name == "href")
            .map(|(_, v)| v)
            .collect()
    }

    #[test]
    fn links_come_only_from_tags() {
        let html = "<p>text href=\"/t\" <code>&lt;a href=\"/code\"&gt;</code> \
                    <!-- <a href=\"/comment\"> --> <a class=x HREF='/real'>r</a> \
                    <script>var s = '<a href=\"/script\">';</script> \
                    <textarea><a href=\"/textarea\"></textarea><a href=/after>x</a>";
        assert_eq!(hrefs(html), ["/real", "/after"]);
    }

    #[test]
    fn values_are_decoded_as_a_browser_does() {
        assert_eq!(
            hrefs("<a href=\"&ouml;.html\"><a href='/a?x=1&amp;y=2'><a href=\"&#x2F;b&#47;\">"),
            ["ö.html", "/a?x=1&y=2", "/b/"]
        );
        // Legacy names decode without `;`, except before `=` or a letter.
        assert_eq!(decode("/a?x&copy=1&notin&not"), "/a?x&copy=1&notin¬");
    }

    #[test]
    fn first_of_two_attributes_wins_and_broken_tags_are_dropped() {
        assert_eq!(hrefs("<a href=/one href=/two>"), ["/one"]);
        assert_eq!(hrefs("<a href=\"/cut"), Vec::<String>::new());
        assert_eq!(hrefs("<a href=/x"), Vec::<String>::new());
    }

    #[test]
    fn an_unclosed_raw_text_element_is_reported_across_pieces() {
        let mut tokens = Tokens::default();
        let mut seen = Vec::new();
        tokens.feed("<p>x</p><STYLE media=x>p {}", 10, &mut |a| {
            seen.push(a.raw.to_string())
        });
        assert_eq!(
            tokens.unclosed(),
            Some(&Unclosed {
                tag: "style",
                at: 18..33
            })
        );
        tokens.feed("<a href=/in-style>", 40, &mut |a| {
            seen.push(a.raw.to_string())
        });
        assert!(tokens.unclosed().is_some());
        tokens.feed("</style ><a href=/out>", 60, &mut |a| {
            seen.push(a.raw.to_string())
        });
        assert_eq!(tokens.unclosed(), None);
        assert_eq!(seen, ["x", "/out"]);
    }

    /// Pieces the generated inputs are made of: every state this module
    /// follows, and values with character references.
    const PIECES: &[&str] = &[
        "<a href=\"/x\">",
        "<a id='y' href=/z>",
        "<A HREF=\"/Q?a=1&amp;b=2\">",
        "<img src=\"&ouml;.png\" alt=x>",
        "<a href=\"&notin;&not\">",
        "</a>",
        "</p class=\">\">",
        "<!-- <a href=/c> -->",
        "<!-->",
        "<!--->",
        "<!doctype html>",
        "<?xml x?>",
        "</>",
        "</1 <a href=/bogus>",
        "<script>",
        "</script>",
        "<style>",
        "</style>",
        "<textarea>",
        "</textarea >",
        "<title>",
        "</title>",
        "text > & < ",
        "\"'=",
        "<br/>",
        "<a/href=/slash>",
        "<a href = \"/spaced\" >",
        "<p data-x=\"a>b\" id=q>",
        "<p =x id=\"eq\">",
    ];

    proptest::proptest! {
        #[test]
        fn reads_what_html5ever_reads(picks in proptest::collection::vec(0..PIECES.len(), 0..12)) {
            let html: String = picks.iter().map(|&i| PIECES[i]).collect();
            let ours: Vec<_> = scanned(&html);
            let theirs: Vec<_> = html5ever_attributes(&html)
                .into_iter()
                .map(|(_, n, v)| (n, v))
                .collect();
            proptest::prop_assert_eq!(ours, theirs, "{}", html);
        }
    }
}
