//! Recorded reads: what each page's view read of the site ([`Read`]), kept
//! only when `serve` asks for it, so that a save re-renders the pages whose
//! reads changed and no others (`serve/invalidate.rs` diffs them). The
//! views do not record by hand: the accessors they read through do (a
//! brief's summary, a page of a list, a brief's whole view), into the
//! record of the job that the current thread renders. A `build` records
//! nothing: each accessor tests one flag.

use std::cell::RefCell;

use crate::render::feed_kind::Feed;
use crate::site::Taxonomy;

/// One thing a page's view read, by its place in the site rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Read {
    /// Brief `i` whole (its page, a feed entry's content, a review note).
    Brief(usize),
    /// Brief `i`'s listing summary.
    Summary(usize),
    /// Which briefs come just before and after brief `i`.
    Around(usize),
    /// Brief `i`'s title and URL (a link to it, as its neighbours show).
    Link(usize),
    /// Free page `i` whole.
    Page(usize),
    /// Page `n` (1-based) of a list: which items it shows, and how many
    /// items the list has.
    ListPage(List, usize),
    /// A list whole: every item of it.
    List(List),
    /// A template the view rendered besides the job's own.
    Template(&'static str),
}

/// A list that several pages read a part of, by its place in the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum List {
    /// Every brief, newest first.
    Order,
    /// Term `i`'s briefs.
    Term(Taxonomy, usize),
    /// Every term of a taxonomy, with its name and count.
    Terms(Taxonomy),
    /// Band `i`'s briefs.
    Band(usize),
    /// Every band's count.
    Bands,
    /// The watchlist's entries.
    Watch,
    /// The sources pages' entries.
    Sources,
    /// The briefs in review and the drafts.
    Review,
    /// The top page's briefs and window.
    Top,
    /// A feed's briefs and title.
    Feed(Feed),
}

thread_local! {
    /// The reads of the job this thread renders, while one records.
    static CURRENT: RefCell<Option<Vec<Read>>> = const { RefCell::new(None) };
}

/// Notes `read` into the record of the job this thread renders, if one
/// records.
pub(crate) fn read(read: Read) {
    CURRENT.with(|current| {
        if let Some(reads) = current.borrow_mut().as_mut() {
            reads.push(read);
        }
    });
}

/// Runs `f`, returning what it read beside its result (each read once, in
/// the order first read). Nests: a recording started inside another one
/// (a thread that takes up another job while it waits) keeps its own.
pub(crate) fn recording<T>(f: impl FnOnce() -> T) -> (T, Vec<Read>) {
    let outer = CURRENT.with(|current| current.borrow_mut().replace(Vec::new()));
    let result = f();
    let mut reads = CURRENT
        .with(|current| std::mem::replace(&mut *current.borrow_mut(), outer))
        .unwrap_or_default();
    let mut seen = ahash::AHashSet::with_capacity(reads.len());
    reads.retain(|r| seen.insert(*r));
    (result, reads)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recording_keeps_each_read_once_and_nests() {
        let (((), inner), outer) = recording(|| {
            read(Read::Summary(2));
            let inner = recording(|| read(Read::Brief(1)));
            read(Read::Summary(2));
            read(Read::Around(2));
            inner
        });
        assert_eq!(outer, [Read::Summary(2), Read::Around(2)]);
        assert_eq!(inner, [Read::Brief(1)]);
        read(Read::Page(0));
        let ((), none) = recording(|| {});
        assert!(none.is_empty(), "no read outside a recording is kept");
    }
}
