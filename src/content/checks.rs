//! Per-file checks: schema values ([`validate`]), editorial rules
//! ([`editorial`]), placeholder text left from `briefs new`
//! ([`placeholder`]) and old addresses ([`aliases`]), each located in the
//! file.

pub mod aliases;
pub(crate) mod editorial;
pub mod placeholder;
pub(crate) mod validate;
