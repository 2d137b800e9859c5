//! Citations and bibliographies: Pandoc's citation syntax
//! ([`citation_syntax`], locators in [`locator`]), numbering a brief's
//! citations ([`citation`]) and finding them in plain-text fields
//! ([`plain_citations`]); the site's sources ([`registry`]) and BibTeX or
//! CSL-JSON bibliographies ([`bibliography`], [`bib_guard`], [`bib_csl`],
//! [`latex`]); reference texts formatted by the CSL processor
//! ([`reference`], with the bundled style in `styles/`).

pub(crate) mod bib_csl;
pub(crate) mod bib_guard;
pub mod bibliography;
pub mod citation;
pub mod citation_syntax;
pub(crate) mod latex;
pub(crate) mod locator;
pub(crate) mod plain_citations;
pub(crate) mod reference;
pub mod registry;
pub(crate) mod source_text;
