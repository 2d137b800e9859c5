//! The front matter schema of briefs and free pages, exactly as analysts write it.
//!
//! These structs are what serde reads: types and unknown fields are checked
//! here (serde-saphyr places those errors on the offending key or value).
//! Values that need more than a type — dates, slugs, ids, URLs, score ranges —
//! are kept [`Spanned`] so `validate` can check each one, report every
//! failure at once, and point at the value's own line.

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use crate::content::matter::front_matter::Spanned;
use crate::content::types::brief::{SourceKind, Status};

/// A brief's front matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BriefMatter {
    pub title: Spanned<String>,
    pub date: Spanned<String>,
    #[serde(default)]
    pub updated: Option<Spanned<String>>,
    #[serde(default)]
    pub slug: Option<Spanned<String>>,
    pub summary: Spanned<String>,
    #[serde(default, deserialize_with = "crate::content::matter::lists::optional")]
    pub authors: Option<Vec<String>>,
    #[serde(default)]
    pub status: Status,
    #[serde(default, deserialize_with = "crate::content::matter::lists::spanned")]
    pub tags: Vec<Spanned<String>>,
    #[serde(default, deserialize_with = "crate::content::matter::lists::spanned")]
    pub entities: Vec<Spanned<String>>,
    pub score: ScoreMatter,
    /// Optional when every citation is to `sources.yaml`.
    #[serde(default)]
    pub sources: Option<Spanned<Vec<SourceMatter>>>,
    #[serde(default)]
    pub watch: Vec<WatchMatter>,
    #[serde(default)]
    pub corrections: Vec<CorrectionMatter>,
    /// Old addresses that redirect here.
    #[serde(default, deserialize_with = "crate::content::matter::lists::spanned")]
    pub aliases: Vec<Spanned<String>>,
    #[serde(default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// `score:` in a brief.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreMatter {
    pub value: Spanned<f64>,
    pub rationale: Spanned<String>,
    #[serde(default)]
    pub factors: Vec<FactorMatter>,
}

/// One factor of a score.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactorMatter {
    pub name: String,
    pub value: Spanned<f64>,
    #[serde(default)]
    pub note: Option<String>,
}

/// One entry of `sources:`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceMatter {
    pub id: Spanned<String>,
    pub publisher: String,
    pub title: String,
    #[serde(default)]
    pub url: Option<Spanned<String>>,
    #[serde(default)]
    pub date: Option<Spanned<String>>,
    #[serde(default)]
    pub accessed: Option<Spanned<String>>,
    #[serde(default)]
    pub kind: SourceKind,
    /// Optional reliability tier, shown beside the source (e.g. `A`, `1`).
    #[serde(default)]
    pub tier: Option<String>,
}

impl BriefMatter {
    /// The brief's own sources (none when `sources:` is absent).
    pub fn source_list(&self) -> &[SourceMatter] {
        self.sources.as_ref().map_or(&[], |s| &s.value)
    }
}

/// One entry of `corrections:`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectionMatter {
    pub date: Spanned<String>,
    pub text: Spanned<String>,
}

/// A watch item: a plain string, or `{ item, by }` with a date.
#[derive(Debug)]
pub struct WatchMatter {
    pub item: String,
    pub by: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DatedWatch {
    item: String,
    #[serde(default)]
    by: Option<Spanned<String>>,
}

impl<'de> Deserialize<'de> for WatchMatter {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct WatchVisitor;
        impl<'de> Visitor<'de> for WatchVisitor {
            type Value = WatchMatter;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a watch item: a string, or a mapping with `item` and `by`")
            }
            fn visit_str<E: de::Error>(self, item: &str) -> Result<WatchMatter, E> {
                Ok(WatchMatter {
                    item: item.to_string(),
                    by: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<WatchMatter, A::Error> {
                let dated = DatedWatch::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(WatchMatter {
                    item: dated.item,
                    by: dated.by,
                })
            }
        }
        deserializer.deserialize_any(WatchVisitor)
    }
}

/// A free page's front matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMatter {
    pub title: Spanned<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub slug: Option<Spanned<String>>,
    #[serde(default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Order in the navigation and every page list: lower first, then by title.
    #[serde(default)]
    pub weight: i64,
    /// `false` builds the page but leaves it out of the navigation.
    #[serde(default = "in_nav_default")]
    pub in_nav: bool,
    /// Old addresses that redirect here.
    #[serde(default, deserialize_with = "crate::content::matter::lists::spanned")]
    pub aliases: Vec<Spanned<String>>,
}

fn in_nav_default() -> bool {
    true
}
