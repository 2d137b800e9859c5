//! Target (a): any bytes as a brief file.
//!
//! Exercises reading (UTF-8 check), `front_matter::split`, YAML into
//! `BriefMatter` through `front_matter::parse_yaml`, per-file validation,
//! Markdown and citations, exactly as `parse::brief` does for a real site;
//! the same bytes also go through `parse::page`. Every diagnostic is then
//! displayed and rendered, since a bad byte range would panic there.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use briefs::Diagnostics;
use briefs::internals::config::{self, Config};
use briefs::internals::discover::ContentFile;
use briefs::internals::registry::Registry;
use briefs::internals::{front_matter, parse};
use libfuzzer_sys::fuzz_target;

struct Site {
    _dir: tempfile::TempDir,
    file: ContentFile,
    config: Config,
}

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temp dir");
        let file = ContentFile {
            path: PathBuf::from("content/briefs/fuzz.md"),
            abs: dir.path().join("fuzz.md"),
            name: "fuzz".to_string(),
            assets: Vec::new(),
        };
        let config =
            config::parse("title: T\nbase_url: https://example.org/\n").expect("a valid site.yaml");
        Site {
            _dir: dir,
            file,
            config,
        }
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

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(split) = front_matter::split(text)
    {
        assert_eq!(
            &text[split.yaml_offset..split.yaml_offset + split.yaml.len()],
            split.yaml
        );
        assert_eq!(&text[split.body_offset..], split.body);
    }

    let site = site();
    std::fs::write(&site.file.abs, data).expect("writing the brief");

    let mut out = Diagnostics::default();
    let brief = parse::brief(&site.file, &site.config, &Registry::default(), &mut out);
    check_diagnostics(&out);
    if let Some(brief) = brief {
        assert!(!out.has_errors(), "a parsed brief has no errors: {out:?}");
        let mut numbers: Vec<usize> = brief.sources.iter().filter_map(|s| s.number).collect();
        numbers.sort_unstable();
        assert!(
            numbers.iter().copied().eq(1..=numbers.len()),
            "citation numbers run 1..=n: {numbers:?}"
        );
    }

    let mut out = Diagnostics::default();
    let _ = parse::page(&site.file, &site.config, &mut out);
    check_diagnostics(&out);
});
