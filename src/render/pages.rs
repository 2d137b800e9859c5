//! Page kinds: each family of pages in one module under `pages/`, saying
//! everything about itself: the jobs it renders, their URLs, the view each
//! page gets and its entries in the sitemap. So far the watchlist (`watch`),
//! the review page (`review`) and the top page (`top`); the other families
//! are still spread over `render.rs` and `sitemap.rs`. What they share
//! about listings (the pager, sitemap entries) is in `listing.rs`.

pub(crate) mod review;
pub(crate) mod top;
pub(crate) mod watch;
