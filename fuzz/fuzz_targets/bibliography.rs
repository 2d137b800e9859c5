//! Target (d): any text as a bibliography, BibTeX/BibLaTeX or CSL-JSON.
//!
//! The first byte picks the format (even: `refs.bib`, odd: `refs.json`); the
//! rest is the file, read into an empty registry exactly as a site's
//! `bibliography:` files are. `.bib` files once overflowed the stack on a
//! self-`crossref` or an `@string` loop, so this runs with libFuzzer's
//! `-timeout` to catch the exponential shapes too.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use briefs::Diagnostics;
use briefs::internals::bibliography::{File, Origins, read_into};
use briefs::internals::config::{self, Config};
use briefs::internals::registry::Registry;
use libfuzzer_sys::fuzz_target;

/// A site's configuration, for the citation style references are
/// formatted with (the default one).
fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        config::parse("title: T\nbase_url: https://example.org/\n").expect("a valid site.yaml")
    })
}

fn check_diagnostics(out: &Diagnostics) {
    for d in out.iter() {
        let _ = d.to_string();
        let _ = d.render(false);
        if let Some(p) = &d.position {
            assert!(p.line >= 1 && p.column >= 1, "{d:?}");
            assert!(p.span.start <= p.span.end, "{d:?}");
            assert!(p.line_text.get(p.span.clone()).is_some(), "{d:?}");
        }
    }
}

/// What a bibliography entry may never carry into the HTML.
fn hidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fuzz_target!(|data: &[u8]| {
    let Some((&format, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let name = if format % 2 == 0 {
        "refs.bib"
    } else {
        "refs.json"
    };
    let file = File {
        path: PathBuf::from(name),
        text: text.to_string(),
    };
    let mut registry = Registry::default();
    let mut origins = Origins::default();
    let csl = &config().csl;
    let result = read_into(
        &mut registry,
        std::slice::from_ref(&file),
        &mut origins,
        csl,
    );
    match &result {
        Err(out) => {
            assert!(out.has_errors(), "an Err holds an error");
            check_diagnostics(out);
        }
        Ok(()) => check_diagnostics(&registry.diagnostics),
    }
    for source in &registry.entries {
        for text in [&source.id, &source.title, &source.publisher] {
            assert!(!text.contains(hidden), "hidden character in {text:?}");
        }
        if let Some(url) = &source.url {
            let bad = |c: char| {
                c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\')
            };
            assert!(!url.contains(bad), "unencoded character in the URL {url:?}");
            // `https:/host/x` is the same URL as `https://host/x` to the URL
            // standard (and to browsers), so the check is the parser's.
            let parsed = url::Url::parse(url).expect("a published URL parses");
            assert!(matches!(parsed.scheme(), "http" | "https"), "{url:?}");
            assert!(parsed.host().is_some(), "{url:?}");
        }
    }
});
