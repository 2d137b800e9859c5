//! Pagination: a listing cut into pages of `per_page` items, written once
//! for every listing (the index, each term, the watchlist, each band, the
//! sources, the review page) and for everything that asks about its pages:
//! the render jobs, the views, the sitemap and `serve`'s invalidation.
//! Page numbers are 1-based, and a listing always has its first page, even
//! when it is empty (it says so).

use std::ops::{Range, RangeInclusive};

/// A listing of `count` items, `per_page` a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pagination {
    count: usize,
    per_page: usize,
}

impl Pagination {
    /// A listing of `count` items, `per_page` (at least one) a page.
    pub fn new(count: usize, per_page: usize) -> Self {
        Pagination {
            count,
            per_page: per_page.max(1),
        }
    }

    /// How many pages: at least one.
    pub fn pages(self) -> usize {
        self.count.div_ceil(self.per_page).max(1)
    }

    /// Every page's number, in order.
    pub fn numbers(self) -> RangeInclusive<usize> {
        1..=self.pages()
    }

    /// The items on page `n`: an empty range past the end.
    pub fn range(self, n: usize) -> Range<usize> {
        let start = (n.saturating_sub(1) * self.per_page).min(self.count);
        start..(start + self.per_page).min(self.count)
    }

    /// Page `n` of `items`, which this listing counts: empty past the end.
    pub fn page<T>(self, items: &[T], n: usize) -> &[T] {
        debug_assert_eq!(items.len(), self.count, "a listing pages its own items");
        &items[self.range(n)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cut_a_listing_and_an_empty_one_has_its_first_page() {
        let items: Vec<usize> = (0..7).collect();
        let listing = Pagination::new(items.len(), 3);
        assert_eq!(listing.pages(), 3);
        assert_eq!(listing.numbers().collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(listing.page(&items, 1), [0, 1, 2]);
        assert_eq!(listing.page(&items, 3), [6]);
        assert!(listing.page(&items, 4).is_empty());
        let empty = Pagination::new(0, 3);
        assert_eq!(empty.pages(), 1);
        assert!(empty.page::<usize>(&[], 1).is_empty());
    }
}
