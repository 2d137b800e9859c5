//! The bottom room: what one parsed brief, free page or source is
//! ([`brief`]) and the dates they carry ([`date`]). Every other room and
//! every later stage reads these types.

pub mod brief;
pub(crate) mod date;
