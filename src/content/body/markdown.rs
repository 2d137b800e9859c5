//! Markdown to HTML: pulldown-cmark behind one function, with the passes
//! `briefs` adds to its event stream.
//!
//! Passes, in order, over one event stream:
//! 1. citations: Pandoc's brackets (broken links to pulldown-cmark) and
//!    in-text `@key`s become numbered superscript links
//!    ([`crate::content::body::citation_markdown`]);
//! 2. headings get unique ids and an anchor link, and H2/H3 feed the table
//!    of contents;
//! 3. link and image URLs with a `javascript:`, `vbscript:` or `data:` scheme
//!    are emptied; every link is recorded with its place in the file, for
//!    content links and link errors ([`crate::content_links`]);
//! 4. footnote definitions move to a numbered list at the end, their marks
//!    bracketed so they never read as citations ([`crate::content::body::footnotes`]);
//! 5. raw HTML follows `markdown.raw_html`: escaped to text, kept, or kept and
//!    then cleaned with ammonia (only when the document has any raw HTML, so
//!    the common case costs nothing); kept raw HTML is read as a browser
//!    reads it, for its links and for an element that swallows the rest
//!    ([`crate::content::body::raw_html`]);
//! 6. TeX math (`$…$`, `$$…$$`) becomes MathML ([`crate::content::body::math`]);
//! 7. a fenced code block in a language giallo knows is highlighted
//!    ([`crate::content::body::highlight`]), and a `mermaid` block becomes a
//!    diagram's `<pre class="mermaid">` ([`crate::content::body::diagrams`]);
//! 8. Quarto callouts (`::: {.callout-note}`), found before the parse, open
//!    and close where their fences were ([`crate::content::body::callouts`]);
//! 9. an image alone in its paragraph becomes a figure, and `@fig-…` a
//!    link to it ([`crate::content::body::figures`]);
//! 10. images get their size (a bundle's own files, `@/static/` ones), a
//!     bundle's large raster image its WebP variants in `srcset`, lazy
//!     loading after the first, and one without alt text is a warning
//!     ([`crate::content::body::images`], [`crate::content::body::variants`]).

use std::collections::HashMap;
use std::sync::LazyLock;

use pulldown_cmark::{
    BlockQuoteKind, BrokenLink, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag,
    TagEnd,
};

use crate::content::body::callouts::{self, Fence, Mark};
use crate::content::body::citation_markdown::{self, CitePass, Taken};
pub use crate::content::body::common::IdSet;
use crate::content::body::common::{options, style_properties};
use crate::content::body::content_links;
use crate::content::body::diagrams;
use crate::content::body::embeds;
use crate::content::body::figures;
use crate::content::body::footnotes;
use crate::content::body::highlight;
use crate::content::body::images;
use crate::content::body::math;
pub use crate::content::body::raw_html::Problem;
use crate::content::body::raw_html::RawScan;
use crate::content::cite::citation::Citations;
use crate::content::config::{Config, RawHtml};
use crate::content::types::brief::{Link, TocEntry};
use crate::text::escape_html;

/// Rendered Markdown.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    /// H2 and H3 headings, in order.
    pub toc: Vec<TocEntry>,
    /// The document's sections and claims, for the editorial checks.
    pub structure: Structure,
    /// Every link and image, with its place in the file (raw HTML's too).
    pub links: Vec<Link>,
    /// What is wrong in the text, located in the file.
    pub problems: Vec<Problem>,
    /// True when it has a Mermaid diagram: its page loads the diagram script.
    pub diagrams: bool,
    /// Resized variants of its images to publish beside the page.
    pub variants: Vec<images::Variant>,
}

/// A paragraph or list item that says something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// Byte offset in the file where it starts.
    pub at: usize,
    /// Index into [`Structure::sections`] of the H2 section it is in.
    pub section: Option<usize>,
    /// True when it carries at least one citation.
    pub cited: bool,
}

/// An H2 heading: its text and its byte offset in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub title: String,
    pub at: usize,
}

/// What the editorial checks need of a document: its H2 sections and its
/// claims (top-level paragraphs and list items with text).
#[derive(Debug, Clone, Default)]
pub struct Structure {
    pub sections: Vec<Section>,
    pub claims: Vec<Claim>,
    /// Open paragraphs and list items: (start, cited, has text, is an item).
    open: Vec<(usize, bool, bool, bool)>,
    /// Inside an image, whose alt text states nothing.
    in_image: bool,
    /// The depth of the open paragraph that reads as a table's caption
    /// (`: …`, `Table: …`), which is not a claim.
    caption: Option<usize>,
}

impl Structure {
    fn observe(&mut self, event: &Event<'_>, at: usize) {
        match event {
            Event::Start(Tag::Item) => self.open.push((at, false, false, true)),
            // A paragraph inside a list item is part of the item's claim.
            Event::Start(Tag::Paragraph) if !self.open.last().is_some_and(|f| f.3) => {
                self.open.push((at, false, false, false))
            }
            Event::End(TagEnd::Paragraph) if self.open.last().is_some_and(|f| !f.3) => self.close(),
            Event::End(TagEnd::Item) => self.close(),
            Event::Start(Tag::Image { .. }) => self.in_image = true,
            Event::End(TagEnd::Image) => self.in_image = false,
            Event::Text(t) | Event::Code(t) if !self.in_image => {
                let depth = self.open.len();
                if let Some(frame) = self.open.last_mut() {
                    let first = !frame.3 && !frame.2;
                    if first
                        && [": ", "Table: ", "table: "]
                            .iter()
                            .any(|p| t.starts_with(p))
                    {
                        self.caption = Some(depth);
                    }
                    frame.2 |= t.chars().any(char::is_alphanumeric);
                }
            }
            _ => {}
        }
    }

    fn close(&mut self) {
        let caption = self
            .caption
            .take_if(|&mut d| d == self.open.len())
            .is_some();
        if let Some((at, cited, text, _)) = self.open.pop()
            && text
            && !caption
        {
            let section = self.sections.len().checked_sub(1);
            self.claims.push(Claim { at, section, cited });
        }
    }

    fn cite(&mut self) {
        if let Some(frame) = self.open.last_mut() {
            frame.1 = true;
        }
    }
}

/// The site's Markdown settings (`markdown:` in `site.yaml`).
#[derive(Debug, Clone, Copy)]
pub struct Flavor<'c> {
    pub raw_html: RawHtml,
    pub smart_punctuation: bool,
    /// Hosts whose `<iframe>`s `raw_html: sanitize` keeps.
    pub embeds: &'c [String],
    /// Where the text's images come from and where it sits on its page.
    pub images: images::Setting<'c>,
}

impl From<RawHtml> for Flavor<'static> {
    /// The default settings, with raw HTML as given.
    fn from(raw_html: RawHtml) -> Self {
        Flavor {
            raw_html,
            smart_punctuation: true,
            embeds: &[],
            images: images::Setting::default(),
        }
    }
}

impl<'c> From<&'c Config> for Flavor<'c> {
    fn from(config: &'c Config) -> Self {
        Flavor {
            raw_html: config.raw_html,
            smart_punctuation: config.smart_punctuation,
            embeds: &config.embeds,
            images: images::Setting::default(),
        }
    }
}

impl<'c> Flavor<'c> {
    /// The site's settings, for a text whose images are as `images` says.
    pub fn with_images(config: &'c Config, images: images::Setting<'c>) -> Self {
        Flavor {
            images,
            ..Flavor::from(config)
        }
    }
}

/// Renders `text`, which starts at byte `offset` of its file (for citation
/// problem positions). Citations are resolved against `citations` when given;
/// without it, `[@…]` stays literal text.
pub fn render<'c>(
    text: &str,
    offset: usize,
    citations: Option<&mut Citations>,
    flavor: impl Into<Flavor<'c>>,
    ids: &mut IdSet,
) -> Rendered {
    let prepared = callouts::prepare(text, offset);
    let source = prepared.text.as_deref().unwrap_or(text);
    let callouts = (prepared.fences, prepared.problems);
    let masked = citations
        .is_some()
        .then(|| citation_markdown::mask_nested_brackets(source))
        .flatten();
    let texts = (source, masked.as_deref().unwrap_or(source));
    render_text(texts, offset, citations, flavor.into(), ids, callouts)
}

/// Renders `text` whose callout fences are blanked, given with its fences
/// and the problems they have; pulldown-cmark reads `parsed`, the same text
/// with brackets inside citations masked.
fn render_text<'a>(
    (text, parsed): (&'a str, &'a str),
    offset: usize,
    mut citations: Option<&mut Citations>,
    flavor: Flavor<'_>,
    ids: &mut IdSet,
    (fences, problems): (Vec<Fence>, Vec<Problem>),
) -> Rendered {
    let raw_html = flavor.raw_html;
    let mut options = options();
    options.set(Options::ENABLE_SMART_PUNCTUATION, flavor.smart_punctuation);
    let cites_on = citations.is_some();
    let nested = if cites_on {
        citation_markdown::nested_in_links(text)
    } else {
        Vec::new()
    };
    let mut cite_pass = CitePass::new(text, offset, nested);
    let mut wants = cite_pass.wants();
    let callback = move |link: BrokenLink<'a>| -> Option<(CowStr<'a>, CowStr<'a>)> {
        let is_citation = cites_on && wants(&link);
        is_citation.then_some((link.reference, CowStr::Borrowed("")))
    };
    let parser = Parser::new_with_broken_link_callback(parsed, options, Some(callback));
    let mut pass = Pass::new(text, offset, raw_html, ids);
    pass.embeds = flavor.embeds;
    pass.images = flavor.images;
    pass.fences = fences;
    pass.problems = problems;
    let mut iter = parser.into_offset_iter();
    while let Some((event, range)) = iter.next() {
        pass.structure.observe(&event, offset + range.start);
        footnotes::note_definition(&event, offset + range.start, &mut pass.footnotes);
        let event = match citations.as_deref_mut() {
            Some(sink) => {
                let taken = cite_pass.take(event, range.clone(), &mut iter, sink, &mut pass.events);
                match after_citations(taken, &mut pass.structure) {
                    Some(event) => event,
                    None => continue,
                }
            }
            None => event,
        };
        pass.step(event, range);
    }
    if let Some(sink) = citations {
        cite_pass.finish(sink, &mut pass.events);
    }
    pass.finish()
}

/// A heading being read: where its events start, its level, id and
/// classes as written, and its place in the file.
type OpenHeading<'a> = (
    usize,
    HeadingLevel,
    Option<CowStr<'a>>,
    Vec<CowStr<'a>>,
    usize,
);

/// What the passes after citations keep while reading one text.
struct Pass<'a, 'i> {
    /// The text being read, which starts at byte `offset` of its file.
    text: &'a str,
    offset: usize,
    raw_html: RawHtml,
    ids: &'i mut IdSet,
    events: Vec<Event<'a>>,
    toc: Vec<TocEntry>,
    structure: Structure,
    has_raw_html: bool,
    /// Hosts whose `<iframe>`s are kept, and whether one was.
    embeds: &'i [String],
    embedded: bool,
    /// Where the HTML block being read starts in `events`.
    block_from: Option<usize>,
    /// Where the text's images come from, and where each is in the file.
    images: images::Setting<'i>,
    image_at: Vec<std::ops::Range<usize>>,
    open_heading: Option<OpenHeading<'a>>,
    links: Vec<Link>,
    raw: RawScan,
    /// Footnote definitions by label, with their place in the file.
    footnotes: HashMap<String, std::ops::Range<usize>>,
    /// Problems found so far (bad TeX); the rest are found at the end.
    problems: Vec<Problem>,
    /// The fenced block being read when it is one to highlight or a
    /// diagram: its info string, what it is and its code so far.
    code: Option<(CowStr<'a>, Block, String)>,
    /// True once a diagram is written.
    diagrams: bool,
    /// Callout fences, in order, and how many are written.
    fences: Vec<Fence>,
    written: usize,
    /// A callout opening without a title, waiting to see if a heading
    /// follows it; then the heading taken as its title, with where its
    /// events start.
    untitled: Option<Mark>,
    title: Option<(Mark, usize)>,
}

impl<'a, 'i> Pass<'a, 'i> {
    fn new(text: &'a str, offset: usize, raw_html: RawHtml, ids: &'i mut IdSet) -> Self {
        Pass {
            text,
            offset,
            raw_html,
            ids,
            events: Vec::new(),
            toc: Vec::new(),
            structure: Structure::default(),
            has_raw_html: false,
            embeds: &[],
            embedded: false,
            block_from: None,
            images: images::Setting::default(),
            image_at: Vec::new(),
            open_heading: None,
            links: Vec::new(),
            raw: RawScan::default(),
            footnotes: HashMap::new(),
            problems: Vec::new(),
            code: None,
            diagrams: false,
            fences: Vec::new(),
            written: 0,
            untitled: None,
            title: None,
        }
    }

    /// Takes one event, found at `range` of the text.
    fn step(&mut self, event: Event<'a>, range: std::ops::Range<usize>) {
        let Some(event) = self.callouts(event, range.start) else {
            return;
        };
        let Some(event) = self.code_block(event) else {
            return;
        };
        let offset = self.offset;
        match event {
            // A heading's inner events go through every other pass like any
            // text (citations, URLs, raw HTML); they are gathered at its end.
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                let start = self.events.len();
                self.open_heading = Some((start, level, id, classes, offset + range.start));
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((start, level, id, classes, at)) = self.open_heading.take() else {
                    return;
                };
                let inner = self.events.split_off(start);
                if level == HeadingLevel::H2 {
                    let title = plain_text(&inner).trim().to_string();
                    self.structure.sections.push(Section { title, at });
                }
                let (ids, toc) = (&mut *self.ids, &mut self.toc);
                heading(level, id, classes, inner, ids, toc, &mut self.events);
            }
            e @ Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                let at = offset + range.start..offset + range.end;
                if let Event::Start(Tag::Image { .. }) = e {
                    self.image_at.push(at.clone());
                }
                let e = content_links::record(e, at, &mut self.links);
                self.events.push(with_safe_url(e));
            }
            Event::Html(html) | Event::InlineHtml(html) if self.raw_html == RawHtml::Escape => {
                self.events.push(Event::Text(html));
            }
            e @ (Event::Html(_) | Event::InlineHtml(_) | Event::End(TagEnd::HtmlBlock)) => {
                self.raw_html(e, offset + range.start);
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                self.events.push(Event::Html(callout_start(kind).into()));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                self.events.push(Event::Html("</div>\n".into()));
            }
            Event::InlineMath(tex) => self.math(tex, false, range),
            Event::DisplayMath(tex) => self.math(tex, true, range),
            other => self.events.push(other),
        }
    }

    /// Writes the callout fences found before byte `at`, then takes a
    /// heading that follows an untitled opening as its title; hands back
    /// any other event.
    fn callouts(&mut self, event: Event<'a>, at: usize) -> Option<Event<'a>> {
        while let Some(fence) = self.fences.get(self.written)
            && fence.at <= at
        {
            let mark = fence.mark.clone();
            self.written += 1;
            self.write_untitled();
            match mark {
                Mark::Open { title: None, .. } => self.untitled = Some(mark),
                mark => self
                    .events
                    .push(Event::Html(callouts::html(&mark, None).into())),
            }
        }
        match event {
            Event::Start(Tag::Heading { .. }) if self.untitled.is_some() => {
                let mark = self.untitled.take()?;
                self.title = Some((mark, self.events.len()));
                return None;
            }
            Event::End(TagEnd::Heading(_)) if self.title.is_some() => {
                let (mark, start) = self.title.take()?;
                let mut title = String::new();
                pulldown_cmark::html::push_html(&mut title, self.events.drain(start..));
                self.events
                    .push(Event::Html(callouts::html(&mark, Some(&title)).into()));
                return None;
            }
            _ => self.write_untitled(),
        }
        Some(event)
    }

    /// Writes a waiting untitled callout opening with its kind's name.
    fn write_untitled(&mut self) {
        if let Some(mark) = self.untitled.take() {
            self.events
                .push(Event::Html(callouts::html(&mark, None).into()));
        }
    }

    /// Gathers a fenced block in a language to highlight, or a diagram,
    /// and writes it at its end (a block giallo fails on as pulldown-cmark
    /// would); hands back any other event.
    fn code_block(&mut self, event: Event<'a>) -> Option<Event<'a>> {
        match (event, &mut self.code) {
            (Event::Text(text), Some((_, _, code))) => code.push_str(&text),
            (Event::End(TagEnd::CodeBlock), Some(_)) => {
                let (info, block, code) = self.code.take()?;
                let html = match block {
                    Block::Diagram => {
                        self.diagrams = true;
                        Some(diagrams::html(&code))
                    }
                    Block::Code(language) => highlight::html(&language, &code),
                };
                match html {
                    Some(html) => self.events.push(Event::Html(html.into())),
                    None => self.events.extend([
                        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))),
                        Event::Text(code.into()),
                        Event::End(TagEnd::CodeBlock),
                    ]),
                }
            }
            (Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))), None) => {
                let block = match diagrams::is_mermaid(&info) {
                    true => Some(Block::Diagram),
                    false => highlight::language(&info).map(Block::Code),
                };
                match block {
                    Some(block) => self.code = Some((info, block, String::new())),
                    None => return Some(Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))),
                }
            }
            (event, _) => return Some(event),
        }
        None
    }

    /// Takes a piece of raw HTML found at `at` in the file (a line of an
    /// HTML block, an inline tag, or a block's end); under `sanitize`, an
    /// `<iframe>` not from an embed host is cut out of its block or tag.
    fn raw_html(&mut self, event: Event<'a>, at: usize) {
        let sanitize = self.raw_html == RawHtml::Sanitize;
        if let Event::End(TagEnd::HtmlBlock) = event
            && let Some(from) = self.block_from.take()
            && sanitize
        {
            let (block, starts) = self.raw.block();
            let problems = &mut self.problems;
            if let Some((html, kept)) = embeds::filter(block, starts, self.embeds, problems) {
                self.embedded |= kept;
                self.events.truncate(from);
                self.events.push(Event::Html(html.into()));
            }
        }
        self.has_raw_html |= self.raw.take(&event, at, &mut self.links);
        match event {
            Event::Html(_) if self.block_from.is_none() => {
                self.block_from = Some(self.events.len());
                self.events.push(event);
            }
            Event::InlineHtml(html) if sanitize => {
                let starts = [(0, at)];
                match embeds::filter(&html, &starts, self.embeds, &mut self.problems) {
                    Some((html, kept)) => {
                        self.embedded |= kept;
                        self.events.push(Event::InlineHtml(html.into()));
                    }
                    None => self.events.push(Event::InlineHtml(html)),
                }
            }
            event => self.events.push(event),
        }
    }

    /// A math span found at `range`: MathML, or text when Pandoc would read
    /// it as prose.
    fn math(&mut self, tex: CowStr<'a>, display: bool, range: std::ops::Range<usize>) {
        if !display && math::is_prose(self.text, &range) {
            self.events.push(Event::Text(format!("${tex}$").into()));
            return;
        }
        let at = self.offset + range.start..self.offset + range.end;
        let mathml = math::render(&tex, display, at, &mut self.problems);
        self.events.push(Event::InlineHtml(mathml.into()));
    }

    /// The text's HTML and what was learnt reading it.
    fn finish(mut self) -> Rendered {
        // Fences after the last event (closings at the end, and the
        // closings added for callouts never closed).
        self.callouts(Event::Text("".into()), usize::MAX);
        let mut problems = self.problems;
        self.raw.finish(&mut problems);
        let events = figures::gather(self.events, self.text, self.offset, self.ids, &mut problems);
        let mut variants = Vec::new();
        let events = images::gather(
            events,
            &self.image_at,
            self.images,
            (&mut problems, &mut variants),
        );
        let events = footnotes::gather(events, &self.footnotes, self.ids, &mut problems);
        let sanitize = self.has_raw_html && self.raw_html == RawHtml::Sanitize;
        let with_embeds;
        let sanitizer = match (sanitize, self.embedded) {
            (false, _) => None,
            (true, false) => Some(&*SANITIZER),
            (true, true) => {
                with_embeds = embeds::sanitizer(sanitizer(), self.embeds);
                Some(&with_embeds)
            }
        };
        Rendered {
            html: write_html(events, sanitizer),
            toc: self.toc,
            structure: self.structure,
            links: self.links,
            problems,
            diagrams: self.diagrams,
            variants,
        }
    }
}

/// What a gathered fenced block is.
enum Block {
    /// Code in a language giallo highlights.
    Code(String),
    /// A Mermaid diagram.
    Diagram,
}

/// The start of a GitHub alert (`> [!NOTE]`) as a callout with its title,
/// as GitHub shows it.
fn callout_start(kind: BlockQuoteKind) -> String {
    let (class, title) = match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    };
    format!(
        "<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-title\">{title}</p>\n"
    )
}

/// The event the citation pass hands back (`None` when it took the event),
/// noting in `structure` whether a citation was written.
fn after_citations<'a>(taken: Taken<'a>, structure: &mut Structure) -> Option<Event<'a>> {
    let (event, cited) = match taken {
        Taken::Pass { event, cited } => (Some(event), cited),
        Taken::Done { cited } => (None, cited),
    };
    if cited {
        structure.cite();
    }
    event
}

/// The events as HTML, cleaned by `sanitizer` when given.
///
/// The HTML is written into a buffer each thread reuses and returned as an
/// exact-size copy: a parsed brief keeps its HTML until its page is
/// rendered, and a string grown by doubling would hold up to twice its
/// length (measured at 10,000 briefs: 145 MB of capacity for 80 MB of HTML).
fn write_html(events: Vec<Event<'_>>, sanitizer: Option<&ammonia::Builder<'_>>) -> String {
    thread_local! {
        static BUFFER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    BUFFER.with_borrow_mut(|buffer| {
        buffer.clear();
        pulldown_cmark::html::push_html(buffer, events.into_iter());
        let html = match sanitizer {
            Some(sanitizer) => sanitizer.clean(buffer).to_string().as_str().to_owned(),
            None => buffer.as_str().to_owned(),
        };
        if buffer.capacity() > 1 << 20 {
            // One very long page does not keep its buffer for the rest.
            *buffer = String::new();
        }
        html
    })
}

fn heading<'a>(
    level: HeadingLevel,
    id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    inner: Vec<Event<'a>>,
    ids: &mut IdSet,
    toc: &mut Vec<TocEntry>,
    out: &mut Vec<Event<'a>>,
) {
    let title = plain_text(&inner);
    let id = ids.claim(&match id {
        Some(id) => id.to_string(),
        None => slug::slugify(&title),
    });
    let n = level as usize;
    if matches!(level, HeadingLevel::H2 | HeadingLevel::H3) {
        toc.push(TocEntry {
            level: n as u8,
            id: id.clone(),
            title: title.clone(),
        });
    }
    let class = if classes.is_empty() {
        String::new()
    } else {
        format!(" class=\"{}\"", escape_html(&classes.join(" ")))
    };
    let id = escape_html(&id);
    out.push(Event::Html(format!("<h{n} id=\"{id}\"{class}>").into()));
    out.extend(inner);
    out.push(Event::Html(
        format!("<a class=\"heading-anchor\" href=\"#{id}\" aria-label=\"Link to this section\">#</a></h{n}>\n").into(),
    ));
}

fn plain_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        if let Event::Text(t) | Event::Code(t) = event {
            text.push_str(t);
        }
    }
    text
}

/// A link or image start, its URL emptied if dangerous.
fn with_safe_url(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        other => other,
    }
}

/// Empties URLs whose scheme runs script or smuggles content.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    if is_dangerous_url(&url) {
        CowStr::Borrowed("")
    } else {
        url
    }
}

/// True for `javascript:`, `vbscript:` and `data:` URLs, however disguised by
/// case, whitespace or control characters (browsers ignore those).
pub fn is_dangerous_url(url: &str) -> bool {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take_while(|&c| c != ':')
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    let has_colon = url.contains(':');
    has_colon && matches!(scheme.as_str(), "javascript" | "vbscript" | "data")
}

/// The cleaner for raw HTML: ammonia's safe defaults plus what our own
/// markup needs (heading ids, citation classes, table alignment, task
/// lists, the MathML of formulas, with the styles it writes for `\color`
/// and negative spaces).
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(sanitizer);

/// A new cleaner for raw HTML, as [`SANITIZER`] holds it.
fn sanitizer() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags([
            "sup",
            "sub",
            "input",
            "section",
            "figure",
            "figcaption",
            "mark",
            "details",
            "summary",
        ])
        .add_tags(math::TAGS)
        .add_generic_attributes(["id", "class", "aria-label", "role"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("img", ["loading"])
        .add_tag_attributes("span", ["tabindex"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .filter_style_properties(style_properties().collect())
        .link_rel(None);
    for tag in math::TAGS {
        builder.add_tag_attributes(tag, math::ATTRIBUTES);
    }
    builder
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str, mode: RawHtml) -> String {
        render(md, 0, None, mode, &mut IdSet::default()).html
    }

    #[test]
    fn headings_get_unique_ids_and_a_toc() {
        let r = render(
            "## What happened\n\n## What happened\n\n### Sub `x`\n",
            0,
            None,
            RawHtml::Sanitize,
            &mut IdSet::default(),
        );
        assert!(r.html.contains("<h2 id=\"what-happened\">What happened<a class=\"heading-anchor\" href=\"#what-happened\""));
        assert!(r.html.contains("<h2 id=\"what-happened-1\">"));
        let ids: Vec<_> = r.toc.iter().map(|e| (e.level, e.id.as_str())).collect();
        assert_eq!(
            ids,
            [(2, "what-happened"), (2, "what-happened-1"), (3, "sub-x")]
        );
    }

    #[test]
    fn headings_get_every_pass_text_gets() {
        let mut citations = Citations::new(["a"]);
        let md =
            "## Claim [@a] <script>alert(1)</script> [x](javascript:alert(1))\n\n## Bad [@nope]\n";
        let r = render(
            md,
            0,
            Some(&mut citations),
            RawHtml::Sanitize,
            &mut IdSet::default(),
        );
        assert!(r.html.contains("id=\"cite-1-1\""), "{}", r.html);
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("javascript:"), "{}", r.html);
        assert_eq!(citations.problems.len(), 1);
        let escaped = render(
            "## <b onmouseover=x>b\n",
            0,
            None,
            RawHtml::Escape,
            &mut IdSet::default(),
        )
        .html;
        assert!(escaped.contains("&lt;b onmouseover=x&gt;"), "{escaped}");
    }

    #[test]
    fn many_equal_headings_get_distinct_ids() {
        let r = render(
            &"## a\n".repeat(3000),
            0,
            None,
            RawHtml::Sanitize,
            &mut IdSet::default(),
        );
        assert_eq!(r.toc.last().unwrap().id, "a-2999");
    }

    #[test]
    fn headings_never_take_a_reserved_id() {
        assert!(html("## Sources\n", RawHtml::Sanitize).contains("<h2 id=\"sources-1\">"));
    }

    #[test]
    fn structure_finds_sections_and_claims() {
        let mut citations = Citations::new(["a"]);
        let md = "Lede [@a].\n\n## One\n\nUncited.\n\n- item [@a]\n- bare\n  - nested [@a]\n\n![only an image](x.png)\n\n## Two\n\n> quoted\n";
        let s = render(
            md,
            10,
            Some(&mut citations),
            RawHtml::Sanitize,
            &mut IdSet::default(),
        )
        .structure;
        let titles: Vec<_> = s.sections.iter().map(|x| x.title.as_str()).collect();
        assert_eq!(titles, ["One", "Two"]);
        assert_eq!(s.sections[0].at, 10 + md.find("## One").unwrap());
        let claims: Vec<_> = s
            .claims
            .iter()
            .map(|c| (&md[c.at - 10..c.at - 10 + 4], c.section, c.cited))
            .collect();
        assert_eq!(
            claims,
            [
                ("Lede", None, true),
                ("Unci", Some(0), false),
                ("- it", Some(0), true),
                ("- ne", Some(0), true),
                ("- ba", Some(0), false),
                ("quot", Some(1), false),
            ]
        );
    }

    #[test]
    fn raw_html_modes() {
        let md = "<p onclick=\"x()\">hi</p><script>alert(1)</script>\n";
        let sanitized = html(md, RawHtml::Sanitize);
        assert!(!sanitized.contains("onclick") && !sanitized.contains("<script"));
        assert!(html(md, RawHtml::Escape).contains("&lt;script&gt;"));
        assert!(html(md, RawHtml::Allow).contains("<script>"));
    }

    #[test]
    fn dangerous_link_schemes_are_emptied() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:x",
            " java\tscript:x",
            "data:text/html,x",
            "vbscript:x",
        ] {
            assert!(is_dangerous_url(url), "{url}");
        }
        assert!(!is_dangerous_url("https://example.org/a:b"));
        assert!(!is_dangerous_url("#data"));
        let out = html("[x](javascript:alert(1))", RawHtml::Allow);
        assert!(out.contains("<a href=\"\">x</a>"), "{out}");
    }

    #[test]
    fn citations_render_and_skip_code() {
        let mut citations = Citations::new(["a", "b"]);
        let md = "Claim [@a; @b, p. 4]. Again [@a]. `[@a]` and \\[@a] stay.\n\n    [@b]\n";
        let out = render(
            md,
            0,
            Some(&mut citations),
            RawHtml::Sanitize,
            &mut IdSet::default(),
        )
        .html;
        assert!(out.contains("<a class=\"cite-ref\" id=\"cite-1-1\" href=\"#source-1\" aria-label=\"Source 1\">1</a>"), "{out}");
        assert!(out.contains("id=\"cite-2-1\""));
        assert!(out.contains("<span class=\"cite-locator\">, p. 4</span>"));
        assert!(out.contains("id=\"cite-1-2\""));
        assert!(out.contains("<code>[@a]</code>"));
        assert!(out.contains(" and [@a] stay."));
        assert!(out.contains("<p>Claim<sup class=\"cite\">"), "{out}");
        assert!(out.contains("<pre><code>[@b]"));
        assert_eq!(citations.places(0).len(), 2);
    }

    #[test]
    fn citations_survive_sanitizing() {
        let mut citations = Citations::new(["a"]);
        let out = render(
            "<b>bold</b> claim [@a]",
            0,
            Some(&mut citations),
            RawHtml::Sanitize,
            &mut IdSet::default(),
        )
        .html;
        assert!(out.contains("<sup class=\"cite\"><a class=\"cite-ref\" id=\"cite-1-1\" href=\"#source-1\" aria-label=\"Source 1\">1</a></sup>"), "{out}");
    }

    #[test]
    fn unknown_citation_positions_include_the_offset() {
        let mut citations = Citations::new(["a"]);
        render(
            "x [@zz]",
            100,
            Some(&mut citations),
            RawHtml::Sanitize,
            &mut IdSet::default(),
        );
        assert_eq!(citations.problems[0].range, 102..107);
    }

    #[test]
    fn a_real_link_starting_with_at_stays_a_link() {
        let mut citations = Citations::new(["a"]);
        let out = render(
            "[@a](https://example.org)",
            0,
            Some(&mut citations),
            RawHtml::Sanitize,
            &mut IdSet::default(),
        )
        .html;
        assert!(out.contains("<a href=\"https://example.org\">@a</a>"));
    }
}
#[cfg(test)]
mod footnote_tests {
    use super::*;

    #[test]
    fn an_unreferenced_footnote_is_a_located_warning_and_an_undefined_mark_stays_text() {
        let md = "Text[^x].\n\n[^unused]: Never cited.\n";
        let r = render(md, 5, None, RawHtml::Sanitize, &mut IdSet::default());
        assert!(r.html.contains("<p>Text[^x].</p>"), "{}", r.html);
        assert!(!r.html.contains("Never cited"), "{}", r.html);
        let at = 5 + md.find("[^unused]").unwrap();
        assert_eq!(
            r.problems,
            [Problem {
                range: at..at + "[^unused]:".len(),
                error: false,
                message: "footnote `[^unused]` is defined but never referenced".to_string(),
                hint: "refer to it with `[^unused]` where it applies, or delete it".to_string(),
            }]
        );
    }
}

#[cfg(test)]
mod math_tests {
    use super::*;

    fn html(md: &str, mode: RawHtml) -> String {
        render(md, 0, None, mode, &mut IdSet::default()).html
    }

    /// The start tags of `html`, self-closing or not, in order.
    fn start_tags(html: &str) -> Vec<String> {
        html.split('<')
            .skip(1)
            .filter(|t| !t.starts_with('/'))
            .map(|t| {
                t[..t.find('>').unwrap()]
                    .trim_end_matches(['/', ' '])
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn formulas_survive_sanitizing_whole() {
        let formulas = concat!(
            r"$\frac{a}{b}$ $x_i^2$ $\alpha+\Omega$ $$\sum_{i=1}^{n} w_i \sqrt[3]{s_i}$$ ",
            r"$\text{High}$ $\begin{pmatrix}a&b\\c&d\end{pmatrix}$ ",
            r"$\begin{cases}1 & x \ge 8\\0 & \text{otherwise}\end{cases}$ ",
            r"$\color{red}{x}$ $a\!b\,c$ $\hat{x} \overbrace{ab} \underset{n}{\lim}$",
            "\n"
        );
        let untouched = html(formulas, RawHtml::Sanitize);
        let sanitized = html(&format!("<b>raw</b> {formulas}"), RawHtml::Sanitize);
        // ammonia writes styles its own way (`color:rgb(…)`, six digits).
        let unstyled = |html: &str| -> Vec<String> {
            let tags = start_tags(html);
            tags.into_iter()
                .map(|t| t.split(" style=").next().unwrap().to_string())
                .collect()
        };
        let mut expected = unstyled(&untouched);
        expected.insert(1, "b".to_string());
        assert!(expected.len() > 60, "{untouched}");
        assert_eq!(unstyled(&sanitized), expected, "{sanitized}");
        assert!(sanitized.contains("<mrow style=\"color:rgb(255 0 0)\">"));
        assert!(sanitized.contains("style=\"margin-left:-0.166667em\""));
    }

    #[test]
    fn dollars_follow_pandocs_tex_math_dollars() {
        let cases = [
            ("$5 and $10", "<p>$5 and $10</p>\n"),
            ("$20-$30 and US$5/US$10", "<p>$20-$30 and US$5/US$10</p>\n"),
            ("\\$x$ and $ x$ and $x $", "<p>$x$ and $ x$ and $x $</p>\n"),
            ("`$x$`", "<p><code>$x$</code></p>\n"),
            (
                "$x$, $$y$$",
                "<p><math display=\"inline\"><mi>x</mi></math>, <span class=\"math-display\" role=\"region\" aria-label=\"Formula\" tabindex=\"0\"><math display=\"block\"><mi>y</mi></math></span></p>\n",
            ),
        ];
        for (md, want) in cases {
            assert_eq!(html(md, RawHtml::Sanitize), want, "{md}");
        }
    }

    #[test]
    fn bad_tex_is_an_error_at_its_span() {
        let md = "Ratio $x^2^3$ here.\n";
        let r = render(md, 7, None, RawHtml::Sanitize, &mut IdSet::default());
        assert_eq!(r.problems.len(), 1);
        assert!(r.problems[0].error);
        assert_eq!(r.problems[0].range, 7 + 6..7 + 13);
        assert!(
            r.html.contains("<code class=\"math-error\">x^2^3</code>"),
            "{}",
            r.html
        );
    }
}

#[cfg(test)]
mod caption_tests {
    use super::*;

    #[test]
    fn a_table_caption_is_not_a_claim() {
        let md = "| a |\n|---|\n| 1 |\n\n: Costs {#tbl-costs}\n\nTable: Prices\n\n| b |\n|---|\n| 2 |\n\nA claim.\n";
        let s = render(md, 0, None, RawHtml::Sanitize, &mut IdSet::default()).structure;
        let claims: Vec<_> = s.claims.iter().map(|c| &md[c.at..c.at + 7]).collect();
        assert_eq!(claims, ["A claim"]);
    }
}
