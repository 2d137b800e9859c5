//! Output: the only code that touches the output folder.
//!
//! [`write`] stages a build's files in a folder beside the output (the site
//! the last build replaced, [`kept`] for this) and swaps them in;
//! [`links`] checks every internal link and anchor of the rendered pages
//! before anything is committed; [`sync`] keeps `serve`'s folder up to date
//! in place.

mod kept;
pub(crate) mod links;
pub(crate) mod locate;
pub(crate) mod sync;
pub(crate) mod write;
