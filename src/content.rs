//! Content: everything read from the site's files, one file at a time.
//!
//! Steps: read `site.yaml` ([`config`]) and the source registry
//! ([`registry`]); find the content, template and static files
//! ([`discover`]); parse each brief and page ([`parse`]: front matter through
//! [`front_matter`] into [`schema`] types, per-file checks in [`validate`]
//! and [`editorial`], the body through [`markdown`] with [`citation`]s).
//! Nothing here knows about other files' content, templates or the output.

pub mod citation;
pub mod config;
pub(crate) mod date;
pub mod discover;
pub(crate) mod editorial;
pub mod front_matter;
pub mod markdown;
pub mod parse;
pub mod registry;
pub mod scaffold;
pub(crate) mod schema;
pub(crate) mod validate;
