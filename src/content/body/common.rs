//! What the Markdown driver (`markdown`) and its
//! passes share, below them all: pulldown-cmark's options, the ids already
//! taken on a page, and the CSS properties a cleaned `style` keeps. Here so
//! that a pass never imports the driver that calls it.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::Options;

use crate::content::body::math;

/// The Markdown extensions every text of a site is parsed with.
pub(crate) fn options() -> Options {
    // Named one by one: `Options::all()` would switch GitHub-style footnotes off.
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_MATH
}

/// Ids the page templates use themselves; headings never take them.
const RESERVED_IDS: &[&str] = &[
    "main",
    "contents",
    "scoring-rationale",
    "sources",
    "further-reading",
    "watchlist",
    "corrections",
    "tags",
    "entities",
];

/// Ids already used on one page, so headings from the body and the
/// rationale never collide.
#[derive(Debug)]
pub struct IdSet {
    used: HashSet<String>,
    /// Footnotes numbered so far on the page (body, then rationale).
    footnotes: usize,
    /// Per base id, the next suffix to try, so repeated headings stay linear.
    next: HashMap<String, usize>,
}

impl Default for IdSet {
    fn default() -> Self {
        Self {
            used: RESERVED_IDS.iter().map(|s| s.to_string()).collect(),
            footnotes: 0,
            next: Default::default(),
        }
    }
}

impl IdSet {
    /// The number of the page's next footnote.
    pub(crate) fn next_footnote(&mut self) -> usize {
        self.footnotes += 1;
        self.footnotes
    }

    /// Claims `base`, or `base-1`, `base-2`, … if taken.
    pub(crate) fn claim(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        let n = self.next.entry(base.to_string()).or_insert(1);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// The CSS properties the cleaner keeps in a `style`: table alignment and
/// what the MathML of formulas uses.
pub(crate) fn style_properties() -> impl Iterator<Item = &'static str> {
    math::STYLES.iter().chain(&["text-align"]).copied()
}
