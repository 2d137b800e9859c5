//! The citation pass of the Markdown event stream (see `markdown`, which runs it).
//!
//! pulldown-cmark does not know citations, so they arrive in two shapes:
//! - brackets (`[see @a, p. 4]`, `[@a][]`) are broken links, which the
//!   broken-link callback ([`callback_wants`]) turns into links of an
//!   "unknown" type; [`CitePass::take`] reads each one's source text with
//!   [`crate::content::cite::citation_syntax`] and replaces it with the citation's HTML;
//! - in-text keys (`@a says`, `@a [p. 4] says`) are in text events; a known
//!   key becomes the source's name and number, any other `@word` stays text.
//!
//! A citation bracket inside a link's text (`[see [@a]](https://…)`) must
//! not become a link itself, or the outer link is lost: a pre-pass
//! ([`nested_in_links`]) finds those, the callback leaves them alone, and
//! the pass cites them from the link's text events. Prefixes, locators and
//! suffixes are Markdown, rendered inline ([`inline_html`]).

use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;

use pulldown_cmark::{BrokenLink, CowStr, Event, LinkType, Parser, Tag, TagEnd};

use crate::content::cite::citation::Citations;
use crate::content::cite::citation_syntax::{self, Cite};
use crate::text::{escape_html, find_short};

/// True when the broken link at `link.span` of `text` is one the pass
/// handles: a citation bracket, or the bracket after an in-text key.
pub fn callback_wants(text: &str, link: &BrokenLink<'_>, nested: &[Range<usize>]) -> bool {
    wanted(text, link, nested).is_some()
}

/// What [`callback_wants`] read of a bracket it wants: where the inside
/// is read from, and the citations read there (`None`: none, the bracket
/// after an in-text key).
fn wanted<'t>(
    text: &'t str,
    link: &BrokenLink<'_>,
    nested: &[Range<usize>],
) -> Option<(usize, Reading<'t>)> {
    let span = &link.span;
    if nested.contains(span) {
        return None;
    }
    // `Wow![@x]`: no image (none has that label), so Pandoc reads `!` and
    // a citation.
    let image = text[span.start..].starts_with("![");
    let start = span.start + usize::from(image);
    if text.as_bytes().get(start) != Some(&b'[') {
        return None;
    }
    let inner = first_bracket(&text[start..])?;
    let parsed = citation_syntax::parse_bracket(inner);
    // `[@fig-x]`, `[Fig. @fig-x; @tbl-y]`: cross-references (`content::body::figures`).
    if let Some(Ok(cites)) = &parsed
        && cites
            .iter()
            .all(|c| crate::content::cite::citation_syntax::is_label(c.key))
    {
        return None;
    }
    let is_cite = parsed.is_some();
    let after_key =
        !image && link.link_type == LinkType::Shortcut && after_in_text_key(text, span.start);
    (is_cite || after_key).then_some((start, parsed))
}

/// A bracket's inside read as citations (`None`: it holds none).
type Reading<'t> = Option<Result<Vec<Cite<'t>>, citation_syntax::SyntaxError>>;

/// The brackets the callback handed over, by where each one's inside is
/// read from, with what was read there: the pass takes each reading
/// rather than reading the bracket again.
type Readings<'t> = Rc<RefCell<Vec<(usize, Reading<'t>)>>>;

/// The inside of the bracket group that starts `s` (which starts with `[`).
fn first_bracket(s: &str) -> Option<&str> {
    let mut depth = 0usize;
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&s[1..i]);
                }
            }
            _ => {}
        }
    }
    None
}

/// A copy of `text` in which the brackets nested inside a citation's
/// bracket (`[@x, [89]]`, `[@x, 123(4)[5]6]`) are masked with control
/// characters of the same length: for pulldown-cmark a link label holds no
/// bracket, so it would never hand the outer bracket to the citation pass.
/// The pass reads the citation from the unmasked text. `None`, at the cost
/// of one scan, when no citation holds a bracket.
pub fn mask_nested_brackets(text: &str) -> Option<String> {
    let mut found: Vec<Range<usize>> = Vec::new();
    let mut at = 0;
    // The end of the paragraph holding the last `[` seen: found once for
    // all of its brackets, not searched again from each.
    let mut paragraph = 0;
    while let Some(i) = memchr::memchr(b'[', &text.as_bytes()[at..]).map(|i| at + i) {
        at = i + 1;
        if paragraph <= i {
            paragraph = find_short(text, "\n\n", i).unwrap_or(text.len());
        }
        let Some(inner) = first_bracket(&text[i..paragraph]) else {
            continue;
        };
        let end = i + 1 + inner.len();
        // `[see [@x]](url)` is a link around a citation, not one.
        let link = matches!(text.as_bytes().get(end + 1), Some(b'(' | b'[' | b':'));
        let key_inside = inner.match_indices('[').any(|(n, _)| {
            first_bracket(&inner[n..])
                .is_some_and(|b| citation_syntax::find_key(b, 0, None).is_some())
        });
        if inner.contains('[')
            && !link
            && !key_inside
            && citation_syntax::parse_bracket(inner).is_some()
        {
            found.push(i + 1..i + 1 + inner.len());
            at = i + 1 + inner.len();
        }
    }
    if found.is_empty() {
        return None;
    }
    let code = code_ranges(text);
    found.retain(|f| !code.iter().any(|c| c.start < f.end && f.start < c.end));
    let mut masked = text.as_bytes().to_vec();
    for range in &found {
        for b in &mut masked[range.clone()] {
            match *b {
                b'[' => *b = 0x01,
                b']' => *b = 0x02,
                _ => {}
            }
        }
    }
    // Only ASCII brackets were replaced, by ASCII: still UTF-8.
    (!found.is_empty()).then(|| String::from_utf8(masked).expect("ASCII for ASCII"))
}

/// Where `text` has code, raw HTML or math, which no citation is read in.
fn code_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut block: Option<usize> = None;
    let parser = Parser::new_ext(text, crate::content::body::common::options());
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock) => block = Some(range.start),
            Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock) => {
                ranges.push(block.take().unwrap_or(range.start)..range.end);
            }
            Event::Code(_)
            | Event::InlineHtml(_)
            | Event::Html(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => ranges.push(range),
            _ => {}
        }
    }
    ranges
}

/// True when `text` has an `@key` (and at most one space) right before `at`.
fn after_in_text_key(text: &str, at: usize) -> bool {
    let before = &text[..at];
    let before = before.strip_suffix(' ').unwrap_or(before);
    let mut window = before.len().saturating_sub(256);
    while !before.is_char_boundary(window) {
        window += 1;
    }
    let Some(at_sign) = before[window..].rfind('@').map(|i| window + i) else {
        return false;
    };
    citation_syntax::key_at(&before[at_sign + 1..])
        .is_some_and(|(_, n)| at_sign + 1 + n == before.len())
}

/// Citation-looking brackets that sit inside a link's text, found by a
/// parse that leaves every broken link alone. Empty (and free) unless the
/// text has a bracket nested in link text at all.
pub fn nested_in_links(text: &str) -> Vec<Range<usize>> {
    if !may_nest(text) {
        return Vec::new();
    }
    let mut candidates = Vec::new();
    let callback = |link: BrokenLink<'_>| -> Option<(CowStr<'_>, CowStr<'_>)> {
        if callback_wants(text, &link, &[]) {
            candidates.push(link.span);
        }
        None
    };
    let parser = Parser::new_with_broken_link_callback(
        text,
        crate::content::body::common::options(),
        Some(callback),
    );
    let links: Vec<Range<usize>> = parser
        .into_offset_iter()
        .filter(|(e, _)| matches!(e, Event::Start(Tag::Link { .. })))
        .map(|(_, r)| r)
        .collect();
    candidates.retain(|c| links.iter().any(|l| l.start < c.start && c.end <= l.end));
    candidates
}

/// True when some `](` or `][` closes a bracket that holds another bracket.
fn may_nest(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b']', b).map(|i| i + 1).any(|i| {
        if !matches!(b.get(i), Some(b'(' | b'[')) {
            return false;
        }
        let mut depth = 0usize;
        for &c in b[i.saturating_sub(1000)..i - 1].iter().rev() {
            match c {
                b']' => depth += 1,
                b'[' if depth == 0 => return false,
                b'[' => return true,
                _ => {}
            }
        }
        false
    })
}

/// An in-text key whose `[locator]` bracket may follow.
struct Pending {
    key: String,
    suppress_author: bool,
    bracket_at: usize,
    /// The space between key and bracket, kept when no locator follows.
    space: String,
}

/// What [`CitePass::take`] did with an event.
pub enum Taken<'a> {
    /// Not a citation: the event goes on through the other passes
    /// (`cited` when a waiting in-text citation was written before it).
    Pass { event: Event<'a>, cited: bool },
    /// Replaced by these events; `cited` when they hold a citation.
    Done { cited: bool },
}

/// The pass over one rendered text.
pub struct CitePass<'t> {
    /// The Markdown source, and where it starts in its file.
    text: &'t str,
    offset: usize,
    nested: Vec<Range<usize>>,
    /// Depth of real links open around the current event.
    in_link: usize,
    pending: Option<Pending>,
    /// The unclosed `[` already reported, so that each is reported once.
    unclosed_reported: Option<usize>,
    readings: Readings<'t>,
}

type Inner<'a> = Vec<(Event<'a>, Range<usize>)>;

impl<'t> CitePass<'t> {
    pub fn new(text: &'t str, offset: usize, nested: Vec<Range<usize>>) -> Self {
        Self {
            text,
            offset,
            nested,
            in_link: 0,
            pending: None,
            unclosed_reported: None,
            readings: Readings::default(),
        }
    }

    /// The broken-link callback's test ([`callback_wants`]), keeping what
    /// it reads for the pass.
    pub fn wants(&self) -> impl FnMut(&BrokenLink<'_>) -> bool + use<'t> {
        let (text, nested, readings) = (self.text, self.nested.clone(), self.readings.clone());
        move |link| match wanted(text, link, &nested) {
            Some(reading) => {
                readings.borrow_mut().push(reading);
                true
            }
            None => false,
        }
    }

    /// The reading the callback kept of the bracket whose inside is read
    /// from `start`, if it kept one (the same as reading it again: both
    /// read the text from `start`). Those before `start` are past.
    fn reading(&self, start: usize) -> Option<Reading<'t>> {
        let mut readings = self.readings.borrow_mut();
        readings.retain(|(at, _)| *at >= start);
        let i = readings.iter().position(|(at, _)| *at == start)?;
        Some(readings.swap_remove(i).1)
    }

    /// Handles one event; `iter` gives the events after it.
    pub fn take<'a>(
        &mut self,
        event: Event<'a>,
        range: Range<usize>,
        iter: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>,
        citations: &mut Citations,
        out: &mut Vec<Event<'a>>,
    ) -> Taken<'a> {
        let unknown = |t: &LinkType| {
            matches!(
                t,
                LinkType::ShortcutUnknown | LinkType::CollapsedUnknown | LinkType::ReferenceUnknown
            )
        };
        let is_bracket =
            matches!(&event, Event::Start(Tag::Link { link_type, .. }) if unknown(link_type));
        let is_image =
            matches!(&event, Event::Start(Tag::Image { link_type, .. }) if unknown(link_type));
        let mut cited = self.flush_unless(is_bracket.then_some(range.start), citations, out);
        match event {
            Event::Start(Tag::Link { link_type, id, .. } | Tag::Image { link_type, id, .. })
                if is_bracket || is_image =>
            {
                let inner = take_inner(iter, is_image);
                // `[@x][]` and `[@x][ref]`: the second bracket stays text.
                let trailer = match link_type {
                    LinkType::ShortcutUnknown => String::new(),
                    LinkType::CollapsedUnknown => "[]".to_string(),
                    _ => format!("[{id}]"),
                };
                let mut range = range;
                if is_image {
                    out.push(Event::Text("!".into()));
                    range.start += 1;
                }
                cited |= self.bracket(range, inner, &trailer, citations, out);
            }
            Event::Text(_)
                if self.in_link > 0 && self.nested.iter().any(|n| n.start == range.start) =>
            {
                cited |= self.nested_bracket(range, iter, citations, out);
            }
            Event::Text(t) if t.contains('@') => cited |= self.text_event(t, range, citations, out),
            other => {
                match &other {
                    Event::Start(Tag::Link { .. }) => self.in_link += 1,
                    Event::End(TagEnd::Link) => self.in_link = self.in_link.saturating_sub(1),
                    _ => {}
                }
                return Taken::Pass {
                    event: other,
                    cited,
                };
            }
        }
        Taken::Done { cited }
    }

    /// Ends the text: cites an in-text key still waiting for its bracket.
    pub fn finish(&mut self, citations: &mut Citations, out: &mut Vec<Event<'_>>) -> bool {
        self.flush_unless(None, citations, out)
    }

    /// Cites a pending in-text key without a locator, unless the bracket
    /// it waits for starts at `bracket`.
    fn flush_unless(
        &mut self,
        bracket: Option<usize>,
        citations: &mut Citations,
        out: &mut Vec<Event<'_>>,
    ) -> bool {
        match &self.pending {
            Some(p) if Some(p.bracket_at) != bracket => {
                let p = self.pending.take().expect("matched Some");
                let cite = plain_cite(&p.key, p.suppress_author, None, "");
                out.push(Event::InlineHtml(
                    citations
                        .cite_in_text(&cite, self.in_link > 0, &inline_html)
                        .into(),
                ));
                push_text(out, &p.space);
                true
            }
            _ => false,
        }
    }

    /// A bracket the callback handed over: a citation, an in-text key's
    /// locator, or (neither) literal text again.
    fn bracket<'a>(
        &mut self,
        range: Range<usize>,
        inner: Inner<'a>,
        trailer: &str,
        citations: &mut Citations,
        out: &mut Vec<Event<'a>>,
    ) -> bool {
        let body = first_bracket(&self.text[range.start..]).unwrap_or("");
        let file_range = self.offset + range.start..self.offset + range.end;
        let parsed = self
            .reading(range.start)
            .unwrap_or_else(|| citation_syntax::parse_bracket(body));
        let mut cited = false;
        if let Some(p) = self.pending.take_if(|p| p.bracket_at == range.start) {
            if parsed.is_none() {
                return self.in_text_with_locator(p, body, file_range, citations, out);
            }
            if let Some(read) = citation_syntax::parse_in_text_bracket(body) {
                return self.in_text_and_more(p, read, file_range, citations, out);
            }
            // `@a [@b]`: the bracket is a citation of its own.
            self.pending = Some(p);
            cited = self.flush_unless(None, citations, out);
        }
        cited |= match parsed {
            Some(Ok(cites)) => {
                // A superscript hugs the word before it; a style's mark
                // ("(Miller 2022)") keeps its space.
                if !citations.is_styled() {
                    trim_space_before(out);
                }
                out.push(Event::InlineHtml(
                    citations
                        .cite(&cites, file_range, self.in_link > 0, &inline_html)
                        .into(),
                ));
                true
            }
            Some(Err(e)) => {
                citations.malformed(e.message, e.hint, file_range);
                false
            }
            None => {
                out.push(Event::Text("[".into()));
                out.extend(inner.into_iter().map(|(e, _)| e));
                out.push(Event::Text("]".into()));
                false
            }
        };
        if !trailer.is_empty() {
            out.push(Event::Text(trailer.to_string().into()));
        }
        cited
    }

    fn in_text_with_locator(
        &mut self,
        p: Pending,
        body: &str,
        range: Range<usize>,
        citations: &mut Citations,
        out: &mut Vec<Event<'_>>,
    ) -> bool {
        match citation_syntax::split_locator(body) {
            Ok((locator, suffix)) => {
                let cite = plain_cite(&p.key, p.suppress_author, locator, suffix);
                out.push(Event::InlineHtml(
                    citations
                        .cite_in_text(&cite, self.in_link > 0, &inline_html)
                        .into(),
                ));
            }
            Err(e) => citations.malformed(e.message, e.hint, range),
        }
        true
    }

    /// `@a [p. 33; @b]`: the in-text citation with its locator, and the
    /// bracket's other citations in the same mark.
    fn in_text_and_more(
        &mut self,
        p: Pending,
        read: Result<(Option<&str>, &str, Vec<Cite<'_>>), citation_syntax::SyntaxError>,
        range: Range<usize>,
        citations: &mut Citations,
        out: &mut Vec<Event<'_>>,
    ) -> bool {
        match read {
            Ok((locator, suffix, more)) => {
                let cite = plain_cite(&p.key, p.suppress_author, locator, suffix);
                let html =
                    citations.cite_in_text_and(&cite, &more, range, self.in_link > 0, &inline_html);
                out.push(Event::InlineHtml(html.into()));
            }
            Err(e) => citations.malformed(e.message, e.hint, range),
        }
        true
    }

    /// A citation bracket inside a link's text: its events are skipped and
    /// it is cited from its source.
    fn nested_bracket<'a>(
        &mut self,
        range: Range<usize>,
        iter: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>,
        citations: &mut Citations,
        out: &mut Vec<Event<'a>>,
    ) -> bool {
        let span = self
            .nested
            .iter()
            .find(|n| n.start == range.start)
            .cloned()
            .expect("guarded by the caller");
        let mut end = range.end;
        while end < span.end {
            match iter.next() {
                Some((_, r)) => end = r.end,
                None => break,
            }
        }
        self.bracket(span, Vec::new(), "", citations, out)
    }

    /// A text event: known in-text keys become citations.
    fn text_event<'a>(
        &mut self,
        t: CowStr<'a>,
        range: Range<usize>,
        citations: &mut Citations,
        out: &mut Vec<Event<'a>>,
    ) -> bool {
        let exact = self.text.get(range.clone()) == Some(&*t);
        let before = self.text[..range.start].chars().next_back();
        let (mut from, mut last, mut cited) = (0, 0, false);
        while let Some(found) = citation_syntax::find_key(&t, from, before) {
            from = found.end;
            let opener = if found.start == 0 {
                before
            } else {
                t[..found.start].chars().next_back()
            };
            // `@fig-…` is a cross-reference (`content::body::figures`), never a citation.
            if crate::content::cite::citation_syntax::is_label(found.key) {
                continue;
            }
            if exact && citations.knows(found.key) {
                let key_at = range.start + found.start;
                if let Some(open) = unclosed_bracket(self.text, key_at) {
                    if self.unclosed_reported != Some(open) {
                        self.unclosed_reported = Some(open);
                        citations.malformed(
                            "this `[` opens a citation that is never closed".to_string(),
                            "close it with `]` before the paragraph ends".to_string(),
                            self.offset + open..self.offset + range.start + found.end,
                        );
                    }
                    continue;
                }
            }
            if opener == Some('[') {
                continue;
            }
            if !citations.knows(found.key) {
                if let Some(id) = citations.case_twin(found.key).map(str::to_string) {
                    let at = if exact {
                        range.start + found.start..range.start + found.end
                    } else {
                        range.clone()
                    };
                    let at = self.offset + at.start..self.offset + at.end;
                    citations.wrong_case(found.key, &id, at);
                }
                continue;
            }
            push_text(out, &t[last..found.start]);
            last = found.end;
            cited = true;
            let rest = &t[found.end..];
            let bracket_at = range.start + found.end + rest.len();
            if exact
                && rest.trim_matches(' ').is_empty()
                && rest.len() <= 1
                && self.text[bracket_at..].starts_with('[')
            {
                self.pending = Some(Pending {
                    key: found.key.to_string(),
                    suppress_author: found.suppress_author,
                    bracket_at,
                    space: rest.to_string(),
                });
                last = t.len();
                break;
            }
            let cite = plain_cite(found.key, found.suppress_author, None, "");
            out.push(Event::InlineHtml(
                citations
                    .cite_in_text(&cite, self.in_link > 0, &inline_html)
                    .into(),
            ));
        }
        if last == 0 {
            out.push(Event::Text(t));
        } else {
            push_text(out, &t[last..]);
        }
        cited
    }
}

/// The `[` before `at`, in the same paragraph, that nothing closes before
/// the paragraph ends (`[see @x, p. 4.` then a blank line). Pandoc prints
/// such a bracket as text and cites the key in the running text, which is
/// never what the analyst meant.
fn unclosed_bracket(text: &str, at: usize) -> Option<usize> {
    let start = text[..at].rfind("\n\n").map_or(0, |i| i + 2);
    let end = text[at..].find("\n\n").map_or(text.len(), |i| at + i);
    let bytes = text.as_bytes();
    let mut open = Vec::new();
    for i in start..end {
        if i > 0 && bytes[i - 1] == b'\\' {
            continue;
        }
        match bytes[i] {
            b'[' => open.push(i),
            b']' => {
                open.pop();
            }
            _ => {}
        }
    }
    open.into_iter().find(|&o| o < at)
}

fn plain_cite<'k>(
    key: &'k str,
    suppress_author: bool,
    locator: Option<&'k str>,
    suffix: &'k str,
) -> Cite<'k> {
    Cite {
        key,
        prefix: "",
        suppress_author,
        locator,
        suffix,
    }
}

fn push_text(out: &mut Vec<Event<'_>>, s: &str) {
    if !s.is_empty() {
        out.push(Event::Text(s.to_string().into()));
    }
}

/// The events inside a link, through its end.
/// The events inside a link (or, `image`, an image) up to its end.
fn take_inner<'a>(
    iter: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>,
    image: bool,
) -> Inner<'a> {
    let mut inner = Vec::new();
    let mut depth = 0usize;
    for (event, range) in iter.by_ref() {
        let (opens, closes) = match &event {
            Event::Start(Tag::Link { .. }) => (!image, false),
            Event::Start(Tag::Image { .. }) => (image, false),
            Event::End(TagEnd::Link) => (false, !image),
            Event::End(TagEnd::Image) => (false, image),
            _ => (false, false),
        };
        if closes && depth == 0 {
            break;
        }
        depth = depth + usize::from(opens) - usize::from(closes);
        inner.push((event, range));
    }
    inner
}

/// A superscript citation hugs the word before it: "claim¹", not "claim ¹".
fn trim_space_before(events: &mut Vec<Event<'_>>) {
    match events.last_mut() {
        Some(Event::SoftBreak) => {
            events.pop();
        }
        Some(Event::Text(text)) if text.ends_with(char::is_whitespace) => {
            *text = text.trim_end().to_string().into();
        }
        _ => {}
    }
}

/// Renders a prefix, locator or suffix as inline Markdown, like the text
/// around it: emphasis, code, entities and smart punctuation, with raw HTML
/// shown as text and links reduced to their text. What would parse as a
/// block (`- x`, `1. x`) is shown as written.
pub fn inline_html(markdown: &str) -> String {
    let mut events = Parser::new_ext(markdown, crate::content::body::common::options()).peekable();
    if !matches!(events.peek(), Some(Event::Start(Tag::Paragraph))) {
        return escape_html(markdown);
    }
    let events: Vec<Event<'_>> = events
        .filter_map(|e| match e {
            Event::Start(Tag::Paragraph | Tag::Link { .. } | Tag::Image { .. })
            | Event::End(TagEnd::Paragraph | TagEnd::Link | TagEnd::Image) => None,
            Event::Html(h) | Event::InlineHtml(h) => Some(Event::Text(h)),
            // Math in an affix renders as in the text; TeX that does not
            // parse is shown as code (the affix has no place in the file).
            Event::InlineMath(tex) | Event::DisplayMath(tex) => Some(Event::InlineHtml(
                crate::content::body::math::render(&tex, false, 0..0, &mut Vec::new()).into(),
            )),
            e => Some(e),
        })
        .collect();
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn affixes_render_as_inline_markdown() {
        assert_eq!(inline_html("*passim*"), "<em>passim</em>");
        assert_eq!(inline_html("p.&nbsp;33"), "p.\u{a0}33");
        assert_eq!(inline_html("`a;b` -- \"x\""), "<code>a;b</code> – “x”");
        assert_eq!(inline_html("<b>x</b>"), "&lt;b&gt;x&lt;/b&gt;");
        assert_eq!(inline_html("1. x"), "1. x");
        assert_eq!(
            inline_html("eq. $x$"),
            "eq. <math display=\"inline\"><mi>x</mi></math>"
        );
    }

    #[test]
    fn nesting_is_found_only_inside_link_text() {
        let text = "[see [@x]](https://example.org) and [@y]";
        let nested = nested_in_links(text);
        assert_eq!((nested.len(), nested.first()), (1, Some(&(5..9))));
        assert!(nested_in_links("[@x] and [a](b)").is_empty());
        assert!(!may_nest("[a](b) [@x]"));
    }

    fn render(md: &str) -> (String, Citations) {
        let mut citations = Citations::named([("a", "Alpha Wire"), ("b", "Beta")]);
        let html = crate::content::body::markdown::render(
            md,
            0,
            Some(&mut citations),
            crate::content::config::RawHtml::Sanitize,
            &mut crate::content::body::common::IdSet::default(),
        )
        .html;
        (html, citations)
    }

    #[test]
    fn in_text_citations_in_every_position() {
        let (html, c) = render(
            "@a [@b] then [@a; @b] and -@a says @zz [p. 1].\n\n[see @a](https://x.org) @a [p. 2](https://y.org)",
        );
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        // `@a [@b]`: the in-text citation, then the bracket's own.
        assert!(html.starts_with("<p><span class=\"cite-author\">Alpha Wire</span><sup class=\"cite\"><a class=\"cite-ref\" id=\"cite-1-1\""), "{html}");
        assert!(html.contains("id=\"cite-2-1\""), "{html}");
        // `-@a` in the text: the number alone; an unknown `@zz` and its bracket stay text.
        assert!(
            html.contains(" and <sup class=\"cite\"><a class=\"cite-ref\" id=\"cite-1-3\""),
            "{html}"
        );
        assert!(html.contains("says @zz [p. 1].</p>"), "{html}");
        // Inside a link, the number is no link; before a real link, no locator.
        assert!(html.contains("<a href=\"https://x.org\">see <span class=\"cite-author\">Alpha Wire</span><sup class=\"cite\"><span class=\"cite-ref\""), "{html}");
        assert!(
            html.contains("</sup> <a href=\"https://y.org\">p. 2</a>"),
            "{html}"
        );
    }

    #[test]
    fn brackets_are_masked_per_paragraph() {
        // Several brackets in one paragraph share its end; a bracket is
        // never read past its paragraph.
        let text = "A [@a, [1]] b [c] [@b, p. [2]].\n\n[@c, [3] and\n\nmore] [@d, [4]]";
        let masked = mask_nested_brackets(text).expect("nested brackets");
        assert_eq!(
            masked,
            "A [@a, \u{1}1\u{2}] b [c] [@b, p. \u{1}2\u{2}].\n\n[@c, [3] and\n\nmore] [@d, \u{1}4\u{2}]"
        );
        assert_eq!(mask_nested_brackets("[@a] [b]\n\n[c]"), None);
    }

    #[test]
    fn a_bracket_is_read_once_and_cited_as_before() {
        // The callback's reading is what the pass cites: an image-looking
        // bracket, a locator after an in-text key, a bracket in link text.
        let (html, c) = render("Wow![@a] and @b [p. 3] and [see [@a]](https://x.org) [@a, [9]].");
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert!(html.starts_with("<p>Wow!<sup class=\"cite\">"), "{html}");
        assert!(
            html.contains("<span class=\"cite-locator\">, p. 3</span>"),
            "{html}"
        );
        assert!(html.contains("<a href=\"https://x.org\">see<sup"), "{html}");
        assert!(
            html.contains("<span class=\"cite-locator\">, [9]</span>"),
            "{html}"
        );
        assert_eq!(c.places(0).len(), 3);
    }

    #[test]
    fn an_unclosed_bracket_is_found_in_its_paragraph_only() {
        let text = "A [see @x, p. 4.\n\nB [@y] and [a](b) @z.";
        assert_eq!(unclosed_bracket(text, text.find("@x").unwrap()), Some(2));
        assert_eq!(unclosed_bracket(text, text.find("@z").unwrap()), None);
        assert_eq!(unclosed_bracket("\\[not @x", 7), None);
    }

    #[test]
    fn in_text_keys_before_a_bracket() {
        assert!(after_in_text_key("@bloomberg [p. 33]", 11));
        assert!(after_in_text_key("@bloomberg[p. 33]", 10));
        assert!(!after_in_text_key("bloomberg [p. 33]", 10));
    }
}
