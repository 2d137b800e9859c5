//! Target (c): parse and render one brief, in each `markdown.raw_html` mode.
//!
//! The input is Markdown; an optional NUL byte separates the body from a
//! score rationale. Each mode renders it twice:
//! 1. directly, `markdown::render` of the body and then the rationale with one
//!    `Citations` numbering and one `IdSet`, as a brief page does;
//! 2. as a whole brief file (the rationale as a YAML block scalar) through
//!    `parse::brief`, which also maps rationale citation problems back into
//!    the file.
//!
//! Invariants: no panic; citation numbers run 1..=n; heading ids are unique;
//! citation problems lie inside the text they were found in.
//!
//! With `FUZZ_ORACLE=1`, the HTML of the `sanitize` and `escape` modes is
//! also parsed and must hold no script-capable markup (script-like elements,
//! `on*` attributes, `javascript:`/`data:`/`vbscript:` URLs).
//! `FUZZ_ORACLE_SKIP_HEADINGS=1` masks the headings `markdown::render`
//! writes. Their raw content was once passed through unsanitised (fixed; see
//! tests/regressions.rs); the switch stays to isolate heading markup when
//! triaging a new finding.

#![no_main]

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use briefs::Diagnostics;
use briefs::internals::citation::Citations;
use briefs::internals::config::{self, Config, RawHtml};
use briefs::internals::discover::ContentFile;
use briefs::internals::markdown::{self, IdSet};
use briefs::internals::parse;
use briefs::internals::registry::Registry;
use libfuzzer_sys::fuzz_target;

const MODES: [(RawHtml, &str); 3] = [
    (RawHtml::Sanitize, "sanitize"),
    (RawHtml::Allow, "allow"),
    (RawHtml::Escape, "escape"),
];
const IDS: [&str; 4] = ["a", "b", "c", "a"];

struct Env {
    _dir: tempfile::TempDir,
    file: ContentFile,
    configs: Vec<Config>,
    oracle: bool,
    skip_headings: bool,
}

fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temp dir");
        let file = ContentFile {
            path: PathBuf::from("content/briefs/fuzz.md"),
            abs: dir.path().join("fuzz.md"),
            name: "fuzz".to_string(),
            assets: Vec::new(),
        };
        let configs = MODES
            .iter()
            .map(|(_, name)| {
                config::parse(&format!(
                    "title: T\nbase_url: https://example.org/\nmarkdown:\n  raw_html: {name}\n"
                ))
                .expect("a valid site.yaml")
            })
            .collect();
        let flag = |name| std::env::var_os(name).is_some_and(|v| v == "1");
        Env {
            _dir: dir,
            file,
            configs,
            oracle: flag("FUZZ_ORACLE"),
            skip_headings: flag("FUZZ_ORACLE_SKIP_HEADINGS"),
        }
    })
}

fn numbers_run_from_one(numbers: impl Iterator<Item = Option<usize>>) {
    let mut numbers: Vec<usize> = numbers.flatten().collect();
    numbers.sort_unstable();
    assert!(
        numbers.iter().copied().eq(1..=numbers.len()),
        "citation numbers run 1..=n: {numbers:?}"
    );
}

/// `html` without the headings `markdown::render` wrote: from `<hN id="` to
/// the end of its anchor link. Masking them in the HTML text (not in the
/// parsed tree) also drops formatting elements that the HTML parser would
/// re-open after the heading.
fn strip_headings(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let start = (1..=6)
            .filter_map(|n| rest.find(&format!("<h{n} id=\"")).map(|i| (i, n)))
            .min();
        let Some((start, n)) = start else { break };
        let end_marker = format!("aria-label=\"Link to this section\">#</a></h{n}>");
        let Some(end) = rest[start..].find(&end_marker) else {
            break;
        };
        out.push_str(&rest[..start]);
        rest = &rest[start + end + end_marker.len()..];
    }
    out.push_str(rest);
    out
}

/// Script-capable markup in `html`, if any.
fn script_capable(html: &str, skip_headings: bool) -> Option<String> {
    let html = if skip_headings {
        strip_headings(html)
    } else {
        html.to_string()
    };
    let fragment = scraper::Html::parse_fragment(&html);
    for node in fragment.tree.nodes() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        let name = element.name();
        if matches!(
            name,
            "script"
                | "iframe"
                | "object"
                | "embed"
                | "style"
                | "base"
                | "form"
                | "meta"
                | "link"
                | "svg"
                | "math"
                | "frame"
                | "frameset"
                | "template"
        ) {
            return Some(format!("<{name}> element"));
        }
        for (attr, value) in element.attrs() {
            if attr.starts_with("on") {
                return Some(format!("`{attr}` attribute on <{name}>"));
            }
            if matches!(
                attr,
                "href" | "src" | "action" | "formaction" | "xlink:href"
            ) && markdown::is_dangerous_url(value)
            {
                return Some(format!("{attr}={value:?} on <{name}>"));
            }
        }
    }
    None
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (body, rationale) = text.split_once('\0').unwrap_or((text, "R"));
    let env = env();

    for (i, (mode, name)) in MODES.iter().enumerate() {
        // 1. Directly, with one numbering and one id set for the page.
        let mut citations = Citations::new(IDS);
        let mut ids = IdSet::default();
        let offset = 7;
        let rendered = markdown::render(body, offset, Some(&mut citations), *mode, &mut ids);
        for p in &citations.problems {
            assert!(
                offset <= p.range.start && p.range.start <= p.range.end,
                "{p:?}"
            );
            assert!(p.range.end <= offset + body.len(), "{p:?}");
        }
        let before = citations.problems.len();
        let rationale_html = markdown::render(rationale, 0, Some(&mut citations), *mode, &mut ids);
        for p in &citations.problems[before..] {
            assert!(p.range.start <= p.range.end && p.range.end <= rationale.len());
        }
        numbers_run_from_one((0..IDS.len()).map(|i| citations.number(i)));
        let mut seen = HashSet::new();
        for entry in rendered.toc.iter().chain(&rationale_html.toc) {
            assert!(
                seen.insert(entry.id.clone()),
                "duplicate heading id {}",
                entry.id
            );
        }
        if env.oracle && *mode != RawHtml::Allow {
            for html in [&rendered.html, &rationale_html.html] {
                if let Some(found) = script_capable(html, env.skip_headings) {
                    panic!("{name} mode let through {found}:\n{html}");
                }
            }
        }

        // 2. As a whole brief file.
        let mut file = String::from(
            "---\ntitle: T\ndate: 2026-05-14\nsummary: S\nscore:\n  value: 5\n  rationale: |\n",
        );
        for line in rationale.lines() {
            file.push_str("    ");
            file.push_str(line);
            file.push('\n');
        }
        file.push_str(
            "sources:\n  - { id: a, publisher: P, title: T }\n  - { id: b, publisher: P, title: T }\n---\n",
        );
        file.push_str(body);
        std::fs::write(&env.file.abs, &file).expect("writing the brief");
        let mut out = Diagnostics::default();
        let brief = parse::brief(&env.file, &env.configs[i], &Registry::default(), &mut out);
        for d in out.iter() {
            let _ = d.render(false);
        }
        if let Some(brief) = brief {
            assert!(!out.has_errors());
            numbers_run_from_one(brief.sources.iter().map(|s| s.number));
            if env.oracle && *mode != RawHtml::Allow {
                for html in [
                    brief.content_html.decompress(),
                    brief.rationale_html.decompress(),
                ] {
                    if let Some(found) = script_capable(&html, env.skip_headings) {
                        panic!("{name} mode let through {found} in a parsed brief:\n{html}");
                    }
                }
            }
        }
    }
});
