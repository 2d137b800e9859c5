//! How numbers and dates read on the page: one place for each, shared by
//! every page builder and data output.

use crate::content::types::date::BriefDate;
use crate::render::view::DateView;

/// A number as readers see it: `7.5`, `8` (no trailing `.0`).
pub(crate) fn number(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let text = format!("{rounded}");
    text
}

/// The forms of a date that templates use.
pub(crate) trait DateForms {
    fn view(&self) -> DateView;
}

impl DateForms for BriefDate {
    fn view(&self) -> DateView {
        DateView {
            iso: self.iso(),
            display: self.display(),
            rfc3339: self.rfc3339(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_drop_trailing_zeros() {
        assert_eq!(number(7.5), "7.5");
        assert_eq!(number(8.0), "8");
        assert_eq!(number(10.0), "10");
        assert_eq!(number(6.666_666), "6.67");
    }
}
