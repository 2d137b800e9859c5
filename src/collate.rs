//! Names in the order a reader of the site's language expects: the tag and
//! entity lists, free pages of one weight, and the sources page.
//!
//! Comparing lowercased code points puts "Ærø Capital" after "TSMC" and
//! "Émile" after "Zeta". The Unicode Collation Algorithm, with the tailoring
//! of the site's `language` (ICU4X's collator, of the same ICU4X 2 family as
//! the normalizer the search index uses), puts them where a dictionary of
//! that language does: English files "Æ" under "ae", Swedish puts "Ö" after
//! "Z", German phonebook order aside.

use std::cmp::Ordering;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale_core::Locale;

/// A collator for one site's language.
pub(crate) struct Collation(CollatorBorrowed<'static>);

impl Collation {
    /// The collation of `language`, a BCP 47 tag (`en`, `sv`, `pt-BR`); a
    /// tag ICU does not know gets the root order, which suits most languages.
    pub(crate) fn for_language(language: &str) -> Self {
        let locale = Locale::try_from_str(language).unwrap_or(Locale::UNKNOWN);
        let collator = Collator::try_new((&locale).into(), CollatorOptions::default())
            .or_else(|_| Collator::try_new((&Locale::UNKNOWN).into(), CollatorOptions::default()));
        // The root collation is compiled into the binary: it cannot be missing.
        Self(collator.expect("compiled collation data has the root locale"))
    }

    /// `a` against `b` in the language's order (case and accents break ties).
    pub(crate) fn compare(&self, a: &str, b: &str) -> Ordering {
        self.0.compare(a, b)
    }

    /// A key whose byte order is [`Collation::compare`]'s order, for sorting
    /// many items by one computed key each.
    pub(crate) fn key(&self, s: &str) -> Vec<u8> {
        let mut key = Vec::new();
        let Ok(()) = self.0.write_sort_key_to(s, &mut key);
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(language: &str, names: &[&str]) -> Vec<String> {
        let collation = Collation::for_language(language);
        let mut names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        names.sort_by(|a, b| collation.compare(a, b));
        names
    }

    #[test]
    fn english_files_ae_under_a_and_accents_beside_their_letter() {
        assert_eq!(
            sorted(
                "en",
                &["TSMC", "Ærø Capital", "Zeta", "Émile", "apple", "Aaron"]
            ),
            ["Aaron", "Ærø Capital", "apple", "Émile", "TSMC", "Zeta"]
        );
    }

    #[test]
    fn swedish_puts_o_umlaut_after_z() {
        assert_eq!(
            sorted("sv", &["Östra", "Zeta", "Ost"]),
            ["Ost", "Zeta", "Östra"]
        );
        assert_eq!(
            sorted("en", &["Östra", "Zeta", "Ost"]),
            ["Ost", "Östra", "Zeta"]
        );
    }

    #[test]
    fn an_unknown_or_malformed_language_gets_the_root_order() {
        assert_eq!(
            sorted("not a tag!", &["TSMC", "Ærø Capital"]),
            ["Ærø Capital", "TSMC"]
        );
    }

    #[test]
    fn keys_order_as_compare_does() {
        let collation = Collation::for_language("en");
        let names = ["TSMC", "Ærø Capital", "Émile", "apple", "Apple", "zeta"];
        for a in names {
            for b in names {
                assert_eq!(
                    collation.key(a).cmp(&collation.key(b)),
                    collation.compare(a, b),
                    "{a} vs {b}"
                );
            }
        }
    }
}
