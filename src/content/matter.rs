//! Front matter and YAML: reading a file's YAML into spanned values
//! ([`front_matter`], lists that take one value or many in [`lists`],
//! plain-words YAML errors in [`yaml_hints`]) and the types they fill
//! ([`schema`]).

pub mod front_matter;
pub(crate) mod lists;
pub(crate) mod schema;
pub(crate) mod yaml_hints;
