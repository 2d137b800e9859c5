//! The raw HTML of a Markdown file, read as a browser will read it: its
//! links (`<a href>`, `<img src>`) recorded at their place in the file, so
//! the link check can point at `line:col`, and a raw-text element left open
//! (`<style>`, `<script>`, `<textarea>`, `<title>`, …), which would swallow
//! everything after it, citations included, reported where it opens.
//!
//! pulldown-cmark hands an HTML block over line by line and inline HTML
//! tag by tag; a block's lines are read together, so a tag may span lines.

use std::ops::Range;

use pulldown_cmark::{Event, TagEnd};

use crate::content::types::brief::Link;
use crate::html::Tokens;

/// Something wrong in a Markdown text, found while rendering it: located
/// in the file, a warning unless `error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub range: Range<usize>,
    pub error: bool,
    pub message: String,
    pub hint: String,
}

/// The raw HTML seen so far in one Markdown text.
#[derive(Debug, Default)]
pub struct RawScan {
    tokens: Tokens,
    /// The lines of the HTML block being read, joined.
    block: String,
    /// Where each line of `block` starts: (offset in `block`, offset in file).
    starts: Vec<(usize, usize)>,
}

impl RawScan {
    /// Takes `event`, found at `at` in the file: a line of an HTML block,
    /// kept until the block ends, an inline tag, or the end of a block.
    /// True when it is raw HTML.
    pub fn take(&mut self, event: &Event<'_>, at: usize, links: &mut Vec<Link>) -> bool {
        match event {
            Event::Html(html) => self.piece(html, at, true, links),
            Event::InlineHtml(html) => self.piece(html, at, false, links),
            Event::End(TagEnd::HtmlBlock) => self.block_end(links),
            _ => return false,
        }
        !matches!(event, Event::End(_))
    }

    fn piece(&mut self, html: &str, at: usize, in_block: bool, links: &mut Vec<Link>) {
        if in_block {
            self.starts.push((self.block.len(), at));
            self.block.push_str(html);
        } else {
            let starts = [(0, at)];
            read(&mut self.tokens, html, &starts, links);
        }
    }

    /// Reads the HTML block whose lines were taken.
    fn block_end(&mut self, links: &mut Vec<Link>) {
        read(&mut self.tokens, &self.block, &self.starts, links);
        self.block.clear();
        self.starts.clear();
    }

    /// The HTML block being read: its lines so far, joined, and where each
    /// starts (offset in the joined text, offset in the file).
    pub fn block(&self) -> (&str, &[(usize, usize)]) {
        (&self.block, &self.starts)
    }

    /// At the end of the text: the raw-text element left open, if any.
    pub fn finish(self, problems: &mut Vec<Problem>) {
        let Some(open) = self.tokens.unclosed() else {
            return;
        };
        let tag = open.tag;
        problems.push(Problem {
            range: open.at.clone(),
            error: false,
            message: format!(
                "`<{tag}>` is never closed: a browser reads everything after it as its \
                 content, so the rest of the text does not show"
            ),
            hint: format!("close it with `</{tag}>`"),
        });
    }
}

/// Where byte `at` of a piece of raw HTML is in the file, given where the
/// piece's lines start: (offset in the piece, offset in the file).
pub(crate) fn file_offset(starts: &[(usize, usize)], at: usize) -> usize {
    let i = starts.partition_point(|&(start, _)| start <= at).max(1) - 1;
    let (start, file) = starts[i];
    file + (at - start)
}

/// Feeds `html`, whose lines start at `starts` in the file, and records its
/// `href` and `src` attributes as links at their place.
fn read(tokens: &mut Tokens, html: &str, starts: &[(usize, usize)], links: &mut Vec<Link>) {
    let file_offset = |at: usize| file_offset(starts, at);
    tokens.feed(html, 0, &mut |attr| {
        if attr.is("href") || attr.is("src") {
            links.push(Link {
                dest: attr.value().into_owned(),
                at: file_offset(attr.at)..file_offset(attr.end),
            });
        }
    });
    if let Some(at) = tokens.opened_now() {
        // Located now, while the block's line starts are known.
        *at = file_offset(at.start)..file_offset(at.end);
    }
}
