//! A source's reference text, formatted by the site's CSL style: the
//! `Source` methods that need the style ([`Csl`]), here in the citations
//! room so that the `Source` type, at the bottom, needs nothing above it.

use std::sync::Arc;

use crate::content::cite::reference::{self, Csl};
use crate::content::matter::front_matter::Spanned;
use crate::content::matter::schema::SourceMatter;
use crate::content::types::brief::{Reference, Source};
use crate::content::types::date::BriefDate;

impl Source {
    /// A source as its front matter (or `sources.yaml`) defines it, already
    /// checked: not yet numbered or cited.
    pub fn from_matter(s: &SourceMatter, csl: &Csl) -> Self {
        let date =
            |d: &Option<Spanned<String>>| d.as_ref().and_then(|d| BriefDate::parse(&d.value).ok());
        Source {
            id: s.id.value.clone(),
            number: None,
            publisher: s.publisher.trim().to_string(),
            title: s.title.trim().to_string(),
            url: s.url.as_ref().map(|u| u.value.trim().to_string()),
            date: date(&s.date),
            accessed: date(&s.accessed),
            kind: s.kind,
            tier: s.tier.clone(),
            cites: 0,
            reference: Reference::default(),
            in_text: Arc::default(),
            item: None,
        }
        .formatted(csl)
    }

    /// With its reference text formatted from its front-matter fields.
    pub fn formatted(mut self, csl: &Csl) -> Self {
        let item = reference::matter_item(&self);
        let (text, name) = csl.format_with_name(&item, self.url.as_deref());
        self.set_reference(&text, csl);
        self.in_text = csl.share(&name);
        if csl.marks == reference::Marks::Style {
            self.item = Some(Arc::new(item));
        }
        self
    }

    /// Keeps `text` (sanitised HTML) as its reference text, shared by the
    /// site's CSL style.
    pub fn set_reference(&mut self, text: &str, csl: &Csl) {
        self.keep_reference(text, |t| csl.share(t));
    }
}
