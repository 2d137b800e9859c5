//! Lists an analyst may write as one value: `authors: Jane Doe` is
//! `authors: [Jane Doe]`, and so for `tags` and `entities`.
//!
//! A single text that holds `, ` is refused rather than taken as one item:
//! `tags: ai-chips, cloud` means two tags, and YAML would read one tag
//! "ai-chips, cloud". The error's `expected` text is [`BARE_LIST`], which
//! `front_matter` recognises to explain it with the line's own key.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde_saphyr::Spanned;

/// What a list written as `a, b` was expected to be.
pub const BARE_LIST: &str = "a list in brackets, `[a, b]`";

/// One value, or a list of them.
enum OneOrMany<T> {
    One(String),
    Many(Vec<T>),
}

struct OneOrManyVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrManyVisitor<T> {
    type Value = OneOrMany<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list, or a single value")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        if value.contains(", ") {
            return Err(E::invalid_value(de::Unexpected::Str(value), &BARE_LIST));
        }
        Ok(OneOrMany::One(value.to_string()))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(OneOrMany::One(value.to_string()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(OneOrMany::One(value.to_string()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(OneOrMany::Many(Vec::new()))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(OneOrMany::Many(Vec::new()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(OneOrMany::Many(items))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OneOrManyVisitor(PhantomData))
    }
}

/// `tags` and `entities`: a list, or one text, each kept with its place.
pub fn spanned<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<Spanned<String>>, D::Error> {
    let outer = Spanned::<OneOrMany<Spanned<String>>>::deserialize(deserializer)?;
    Ok(match outer.value {
        OneOrMany::One(value) => vec![Spanned::new(value, outer.referenced, outer.defined)],
        OneOrMany::Many(items) => items,
    })
}

/// `authors`: absent, a list, or one name.
pub fn optional<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<String>>, D::Error> {
    Ok(Some(
        match OneOrMany::<String>::deserialize(deserializer)? {
            OneOrMany::One(value) => vec![value],
            OneOrMany::Many(items) => items,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Lists {
        #[serde(default, deserialize_with = "spanned")]
        tags: Vec<Spanned<String>>,
        #[serde(default, deserialize_with = "optional")]
        authors: Option<Vec<String>>,
    }

    fn read(yaml: &str) -> Result<(Vec<String>, Option<Vec<String>>), String> {
        serde_saphyr::from_str::<Lists>(yaml)
            .map(|l| (l.tags.into_iter().map(|t| t.value).collect(), l.authors))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn one_value_is_a_list_of_one() {
        let one = |s: &str| vec![s.to_string()];
        assert_eq!(read("tags: ai-chips\n"), Ok((one("ai-chips"), None)));
        assert_eq!(read("tags: [a, b]\n").unwrap().0, ["a", "b"]);
        assert_eq!(read("tags:\n  - a\n  - b\n").unwrap().0, ["a", "b"]);
        assert_eq!(
            read("authors: Jane Doe\n").unwrap().1,
            Some(one("Jane Doe"))
        );
        assert_eq!(read("authors: [A, B]\n").unwrap().1.unwrap().len(), 2);
        assert_eq!(read("tags: [\"a, b\"]\n").unwrap().0, ["a, b"]);
        assert_eq!(read("tags: 2026\n").unwrap().0, ["2026"]);
        assert_eq!(read("{}\n").unwrap(), (vec![], None));
    }

    #[test]
    fn one_value_keeps_its_place() {
        let lists: Lists = serde_saphyr::from_str("authors: [A]\ntags: cloud\n").unwrap();
        assert_eq!(
            (
                lists.tags[0].referenced.line(),
                lists.tags[0].referenced.column()
            ),
            (2, 7)
        );
    }

    #[test]
    fn a_text_with_commas_is_refused() {
        let error = read("tags: ai-chips, cloud\n").unwrap_err();
        assert!(error.contains(BARE_LIST), "{error}");
    }
}
