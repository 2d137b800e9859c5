//! Postings: one term's documents with their weights, sorted by document,
//! in four bytes a posting.
//!
//! A posting is almost always a document number below 2^24 with a weight
//! below 255 (a title match weighs 10, a body word 1 each time it occurs):
//! it is kept as one `u32`, the document in the high 24 bits, so that the
//! packed numbers sort by document. A posting that does not fit is kept
//! whole in a second, sorted list, usually empty. Measured at 100,000
//! briefs: 17.7 million postings, which as `(u32, u32)` pairs held about
//! 140 MB plus the lists' spare capacity.

use serde::ser::{Serialize, SerializeSeq, Serializer};

const WEIGHT_BITS: u32 = 8;
const WEIGHT_MASK: u32 = (1 << WEIGHT_BITS) - 1;
const MAX_DOC: u32 = u32::MAX >> WEIGHT_BITS;

/// One term's postings.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Postings {
    /// `doc << 8 | weight`, for a weight below 255; sorted.
    packed: Vec<u32>,
    /// `(doc, weight)` for the postings `packed` cannot hold; sorted.
    wide: Vec<(u32, u32)>,
}

fn pack(doc: u32, weight: u32) -> Option<u32> {
    (doc <= MAX_DOC && weight < WEIGHT_MASK).then_some(doc << WEIGHT_BITS | weight)
}

fn unpack(p: u32) -> (u32, u32) {
    (p >> WEIGHT_BITS, p & WEIGHT_MASK)
}

impl Postings {
    pub(crate) fn is_empty(&self) -> bool {
        self.packed.is_empty() && self.wide.is_empty()
    }

    /// Adds a posting; [`Postings::sort`] must follow before the next read
    /// unless documents are pushed in order.
    pub(crate) fn push(&mut self, doc: u32, weight: u32) {
        match pack(doc, weight) {
            Some(p) => self.packed.push(p),
            None => self.wide.push((doc, weight)),
        }
    }

    /// Adds every posting of `other`; [`Postings::sort`] must follow, as
    /// after [`Postings::push`].
    pub(crate) fn append(&mut self, mut other: Postings) {
        self.packed.append(&mut other.packed);
        self.wide.append(&mut other.wide);
    }

    /// Sorts by document, after pushes out of order.
    pub(crate) fn sort(&mut self) {
        self.packed.sort_unstable();
        self.wide.sort_unstable();
    }

    /// Renumbers every document by `number`, dropping those it maps to
    /// `None`; order is kept when `number` keeps it.
    pub(crate) fn renumber(&mut self, number: impl Fn(u32) -> Option<u32>) {
        let mut moved = Vec::new();
        self.packed.retain_mut(|p| {
            let (doc, weight) = unpack(*p);
            let Some(n) = number(doc) else { return false };
            match pack(n, weight) {
                Some(q) => {
                    *p = q;
                    true
                }
                None => {
                    moved.push((n, weight));
                    false
                }
            }
        });
        self.wide.retain_mut(|(doc, _)| match number(*doc) {
            Some(n) => {
                *doc = n;
                true
            }
            None => false,
        });
        if !moved.is_empty() {
            self.wide.extend(moved);
            self.wide.sort_unstable();
        }
    }

    /// Sets `doc`'s weight, or with `None` removes it.
    pub(crate) fn set(&mut self, doc: u32, weight: Option<u32>) {
        let at = self.packed.binary_search_by_key(&doc, |&p| unpack(p).0);
        if let Ok(i) = at {
            self.packed.remove(i);
        }
        if let Ok(i) = self.wide.binary_search_by_key(&doc, |&(d, _)| d) {
            self.wide.remove(i);
        }
        let Some(weight) = weight else { return };
        match pack(doc, weight) {
            Some(p) => {
                let i = at.unwrap_or_else(|i| i);
                self.packed.insert(i, p);
            }
            None => {
                let i = (self.wide)
                    .binary_search_by_key(&doc, |&(d, _)| d)
                    .unwrap_or_else(|i| i);
                self.wide.insert(i, (doc, weight));
            }
        }
    }

    /// Every `(doc, weight)`, by document.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        let mut packed = self.packed.iter().map(|&p| unpack(p)).peekable();
        let mut wide = self.wide.iter().copied().peekable();
        std::iter::from_fn(move || match (packed.peek(), wide.peek()) {
            (Some(a), Some(b)) if b.0 < a.0 => wide.next(),
            (Some(_), _) => packed.next(),
            (None, _) => wide.next(),
        })
    }
}

/// Serializes as the flat list `[doc, weight, doc, weight, …]` the search
/// script reads, without making it; each document after the first is
/// written as the difference from the one before, so that a term most
/// briefs hold costs a few bytes a brief.
impl Serialize for Postings {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(2 * (self.packed.len() + self.wide.len())))?;
        let mut last = 0;
        for (doc, weight) in self.iter() {
            seq.serialize_element(&(doc - last))?;
            seq.serialize_element(&weight)?;
            last = doc;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The postings as `[doc, weight, …]`, documents undone from the
    /// differences they are written as.
    fn flat(p: &Postings) -> String {
        let mut flat: Vec<u32> = serde_json::from_str(&serde_json::to_string(p).unwrap()).unwrap();
        let mut doc = 0;
        for pair in flat.chunks_mut(2) {
            doc += pair[0];
            pair[0] = doc;
        }
        serde_json::to_string(&flat).unwrap()
    }

    #[test]
    fn documents_are_written_as_differences() {
        let mut p = Postings::default();
        for (doc, weight) in [(3, 1), (4, 2), (10, 300)] {
            p.push(doc, weight);
        }
        assert_eq!(serde_json::to_string(&p).unwrap(), "[3,1,1,2,6,300]");
    }

    /// Postings too big to pack (a weight of 255 or more, a document past
    /// 2^24) read back in document order beside packed ones, through every
    /// way of changing them.
    #[test]
    fn wide_and_packed_postings_read_back_in_document_order() {
        let mut p = Postings::default();
        for (doc, weight) in [(3, 1), (1 << 24, 2), (5, 300), (7, 254), (1, 10)] {
            p.push(doc, weight);
        }
        p.sort();
        assert_eq!(flat(&p), "[1,10,3,1,5,300,7,254,16777216,2]");
        p.set(3, Some(1000));
        p.set(5, Some(4));
        p.set(7, None);
        p.set(2, Some(6));
        assert_eq!(flat(&p), "[1,10,2,6,3,1000,5,4,16777216,2]");
        p.renumber(|d| (d != 2).then(|| if d == 1 << 24 { 0 } else { d + (1 << 24) }));
        assert_eq!(flat(&p), "[0,2,16777217,10,16777219,1000,16777221,4]");
        p.renumber(|d| (d < 1 << 24).then_some(d));
        assert_eq!(flat(&p), "[0,2]");
        p.set(0, None);
        assert!(p.is_empty());
    }
}
