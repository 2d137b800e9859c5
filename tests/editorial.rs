//! Editorial integrity: the section contract, uncited claims, the source
//! registry, corrections, score views, entity score history, strict mode and
//! JSON diagnostics. Each rule's exact text is a snapshot.

mod common;

use std::fs;
use std::path::Path;

use common::{briefs, build_site, fixture, run_in};
use scraper::{Html, Selector};
use tempfile::TempDir;

/// `briefs check` on a fixture: (exit code, stdout, stderr).
fn check(case: &str, extra: &[&str]) -> (i32, String, String) {
    // Run in the site's folder, so paths are shown relative to its root.
    let args: Vec<&str> = ["check"].into_iter().chain(extra.iter().copied()).collect();
    run_in(&fixture(&format!("editorial/{case}")), &args)
}

fn texts(out: &Path, page: &str, selector: &str) -> Vec<String> {
    let html = Html::parse_document(&fs::read_to_string(out.join(page)).unwrap());
    let sel = Selector::parse(selector).unwrap();
    html.select(&sel)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn sections_missing_duplicated_and_out_of_order_are_warnings() {
    let (code, _, stderr) = check("sections", &[]);
    assert_eq!(code, 0, "warnings do not fail a run");
    insta::assert_snapshot!("sections", stderr);
}

#[test]
fn strict_mode_makes_editorial_warnings_errors() {
    let (code, _, stderr) = check("sections", &["--strict"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("error: missing section `Current scale`"));
    assert!(
        stderr.ends_with("error: 3 errors found in the site\n"),
        "{stderr}"
    );

    let tmp = TempDir::new().unwrap();
    let root = tmp.path();
    fs::create_dir_all(root.join("content/briefs")).unwrap();
    let yaml = fs::read_to_string(fixture("editorial/sections/site.yaml")).unwrap();
    fs::write(root.join("site.yaml"), format!("{yaml}strict: true\n")).unwrap();
    for name in ["missing.md", "good.md"] {
        fs::copy(
            fixture("editorial/sections/content/briefs").join(name),
            root.join("content/briefs").join(name),
        )
        .unwrap();
    }
    let result = briefs().arg("build").current_dir(root).output().unwrap();
    assert_eq!(
        result.status.code(),
        Some(1),
        "`strict: true` in site.yaml fails the build"
    );
    assert!(!root.join("public").exists());
}

#[test]
fn uncited_claims_are_reported_at_their_first_line() {
    let (code, _, stderr) = check("claims", &[]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("claims", stderr);
}

#[test]
fn json_format_prints_one_object_per_diagnostic() {
    let (code, stdout, _) = check("claims", &["--format", "json"]);
    assert_eq!(code, 0);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[0],
        serde_json::json!({
            "path": "content/briefs/claims.md",
            "line": 14,
            "column": 1,
            "severity": "warning",
            "code": "uncited-claim",
            "message": "uncited claim in `What happened`",
            "hint": "cite a source for it, e.g. `[@id]`; `brief.cited_sections` in site.yaml lists the sections that need citations",
        })
    );
    let (code, stdout, _) = check("bad_correction", &["--format", "json"]);
    assert_eq!(code, 1);
    let severities: Vec<String> = stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["severity"].to_string())
        .collect();
    assert_eq!(severities, ["\"error\"", "\"error\"", "\"error\""]);
}

#[test]
fn registry_sources_are_cited_without_redefinition_and_clashes_are_reported() {
    let (code, _, stderr) = check("registry", &[]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("registry", stderr);

    let (_tmp, out, _, _) = build_site(&fixture("editorial/registry"), &[]);
    // The registry source is numbered and listed like the brief's own.
    assert_eq!(
        texts(
            &out,
            "briefs/uses-registry/index.html",
            "ol.sources .csl-entry"
        ),
        ["Shared Wire. 2026. A story many briefs cite. April 30. https://wire.example/story."]
    );
    assert_eq!(
        texts(
            &out,
            "briefs/uses-registry/index.html",
            "ol.sources .source-tier"
        ),
        ["Reliability tier A"]
    );
    // The brief's own definition wins.
    assert_eq!(
        texts(&out, "briefs/clashes/index.html", "ol.sources .csl-entry"),
        [
            "Own Publisher. n.d. The brief’s own version. https://own.example/clash.",
            "Shared Wire. 2026. A story many briefs cite. April 30. https://wire.example/story."
        ]
    );
    // The sources page lists every source with the briefs citing it.
    let entries = texts(
        &out,
        "sources/index.html",
        ".source-index-item .source-index-title",
    );
    // The registry's `clash` is cited by no brief (the one brief citing
    // that id defines its own): it is not published. `unused` is named by
    // `nocite:` in site.yaml, so it is.
    assert_eq!(
        entries,
        [
            "Archive. n.d. Defined, never cited.",
            "Own Publisher. n.d. The brief’s own version. https://own.example/clash.",
            "Shared Wire. 2026. A story many briefs cite. April 30. https://wire.example/story.",
        ]
    );
    let cited_by = texts(
        &out,
        "sources/index.html",
        ".source-index-item:nth-child(3) .source-briefs a",
    );
    assert_eq!(
        cited_by,
        ["Redefines a registry id", "Cites only the registry"]
    );
    assert_eq!(
        texts(
            &out,
            "sources/index.html",
            ".source-index-item:nth-child(1) .source-cited-by"
        ),
        ["Not cited yet."]
    );
}

#[test]
fn a_brief_citing_nothing_anywhere_still_needs_a_source() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path();
    fs::create_dir_all(root.join("content/briefs")).unwrap();
    fs::write(
        root.join("site.yaml"),
        "title: T\nbase_url: https://desk.example/\n",
    )
    .unwrap();
    fs::write(root.join("content/briefs/none.md"), "---\ntitle: N\ndate: 2026-01-01\nsummary: S\nscore: { value: 1, rationale: R }\n---\nBody.\n").unwrap();
    let output = briefs().arg("check").current_dir(root).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("error: a brief needs at least one source\n --> content/briefs/none.md:1:1")
    );
}

#[test]
fn corrections_show_a_notice_a_log_and_update_the_feed() {
    let (_tmp, out, _, _) = build_site(&fixture("editorial/corrections"), &[]);
    let page = "briefs/corrected/index.html";
    assert_eq!(
        texts(&out, page, ".correction-notice"),
        ["Corrected 10 May 2026: An earlier version misnamed the buyer. All 2 corrections"]
    );
    assert_eq!(
        texts(&out, page, "#corrections li"),
        [
            "3 May 2026: An earlier version gave the wrong capacity.",
            "10 May 2026: An earlier version misnamed the buyer."
        ]
    );
    let atom = fs::read_to_string(out.join("atom.xml")).unwrap();
    let entry = &atom[atom
        .find("<entry xml:base=\"https://desk.example/briefs/corrected/\">")
        .unwrap()..];
    assert!(
        entry.contains("<updated>2026-05-10T00:00:00Z</updated>"),
        "{entry}"
    );
    let (code, _, stderr) = check("bad_correction", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("bad_correction", stderr);
}

#[test]
fn top_and_band_pages_rank_recent_briefs_by_score() {
    let (_tmp, out, _, _) = build_site(&fixture("editorial/corrections"), &[]);
    // The window ends at the newest brief (10 May 2026) and reaches back 90 days.
    assert_eq!(
        texts(&out, "top/index.html", ".card-title"),
        ["An earlier brief about Acme", "A corrected brief"]
    );
    assert_eq!(
        texts(&out, "bands/high/index.html", ".card-title"),
        [
            "An earlier brief about Acme",
            "An old brief outside the top window"
        ]
    );
    assert_eq!(
        texts(&out, "bands/medium/index.html", ".card-title"),
        ["A corrected brief"]
    );
    assert!(texts(&out, "bands/low/index.html", ".empty")[0].contains("No briefs"));
    assert_eq!(
        texts(&out, "bands/medium/index.html", ".dek"),
        ["Briefs scoring 5 to under 8 out of 10, newest first."]
    );
    // Bands are named in words, not by colour alone.
    assert!(texts(&out, "top/index.html", ".band-nav a").contains(&"High 2 briefs".to_string()));
}

#[test]
fn entity_pages_chart_their_score_history_with_a_text_alternative() {
    let (_tmp, out, _, _) = build_site(&fixture("editorial/corrections"), &[]);
    let html = fs::read_to_string(out.join("entities/acme/index.html")).unwrap();
    assert!(html.contains("<svg class=\"score-history\""));
    assert!(html.contains("<desc id=\"history-desc\">1 February 2026: 9; 1 May 2026: 6</desc>"));
    assert!(!html.contains("<script"));
    assert_eq!(
        texts(&out, "entities/acme/index.html", ".history-table tbody td"),
        [
            "1 February 2026",
            "9 (High)",
            "An earlier brief about Acme",
            "1 May 2026",
            "6 (Medium)",
            "A corrected brief"
        ]
    );
}

#[test]
fn the_sample_site_passes_strict_checks() {
    briefs()
        .args([
            "check",
            "--strict",
            "--drafts",
            "--root",
            env!("CARGO_MANIFEST_DIR"),
        ])
        .assert()
        .success();
}
