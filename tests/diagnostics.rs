//! The exact text of every validation diagnostic, one fixture site per rule.
//!
//! Each case is a folder under `tests/fixtures/errors/` holding a minimal
//! `site.yaml` and one or more briefs that break one rule. `briefs check` runs
//! on it and its stderr (site-relative paths, no colour) is compared with an
//! insta snapshot in `tests/snapshots/`, so a change to a message, a hint or a
//! `path:line:column` shows up in review.
//!
//! Regenerate after an intended change with
//! `INSTA_UPDATE=always cargo test --test diagnostics`, then read every
//! changed `.snap` file against its fixture.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// Every fixture folder, each with its own test below.
const CASES: &[&str] = &[
    "bad_date",
    "bad_slug",
    "bad_source_url",
    "bad_status",
    "code_citations",
    "duplicate_slug",
    "duplicate_source_id",
    "front_matter",
    "malformed_citation",
    "missing_field",
    "multi_file",
    "no_sources",
    "rationale_citation_location",
    "score_out_of_scale",
    "site_yaml_base_url",
    "site_yaml_unknown_field",
    "uncited_source",
    "unknown_citation",
    "unknown_field",
    "wrong_type",
    "yaml_syntax",
];

fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/errors")
        .join(case)
}

/// Runs `briefs check` in a fixture site's folder (so paths are shown
/// relative to the site root): its exit code and its stderr.
fn check(case: &str) -> (i32, String) {
    let root = fixture(case);
    assert!(
        root.join("site.yaml").is_file(),
        "no fixture site for {case}"
    );
    let output = Command::cargo_bin("briefs")
        .expect("the briefs binary is built")
        .arg("check")
        .current_dir(&root)
        .env("NO_COLOR", "1")
        .output()
        .expect("briefs runs");
    let code = output
        .status
        .code()
        .expect("briefs exits, not killed by a signal");
    let stderr = String::from_utf8(output.stderr).expect("stderr is UTF-8");
    assert!(
        !stderr.contains("panicked"),
        "briefs panicked on {case}:\n{stderr}"
    );
    let root_shown = root.display().to_string();
    assert!(
        !stderr.contains(&root_shown),
        "stderr names the machine-specific path {root_shown}:\n{stderr}"
    );
    (code, stderr)
}

/// Asserts a case fails with exit code 1 and snapshots its stderr.
fn assert_errors(case: &str) -> String {
    let (code, stderr) = check(case);
    insta::assert_snapshot!(case, stderr);
    assert_eq!(code, 1, "{case} should fail with exit code 1:\n{stderr}");
    assert!(
        stderr.contains("found in the site\n"),
        "no summary line:\n{stderr}"
    );
    stderr
}

/// The `path:line:column` of every located diagnostic, in order.
fn locations(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("--> "))
        .collect()
}

#[test]
fn every_fixture_has_a_test() {
    let mut found: Vec<String> = std::fs::read_dir(fixture(""))
        .expect("tests/fixtures/errors exists")
        .map(|e| {
            e.expect("readable entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    found.sort();
    assert_eq!(found, CASES);
}

#[test]
fn yaml_syntax() {
    let stderr = assert_errors("yaml_syntax");
    assert_eq!(
        locations(&stderr),
        [
            "content/briefs/bad-indent.md:5:7",
            "content/briefs/unclosed-flow.md:6:6"
        ]
    );
}

#[test]
fn missing_field() {
    let stderr = assert_errors("missing_field");
    assert!(stderr.contains("missing required field `summary`"));
    assert!(stderr.contains("missing required field `rationale`"));
}

#[test]
fn wrong_type() {
    let stderr = assert_errors("wrong_type");
    assert_eq!(
        locations(&stderr),
        [
            "content/briefs/score-map.md:6:10",
            "content/briefs/score-word.md:6:10",
            "content/briefs/tags-scalar.md:5:7",
        ]
    );
}

#[test]
fn unknown_field() {
    let stderr = assert_errors("unknown_field");
    assert!(stderr.contains("help: did you mean `title`? Free data goes under `extra`"));
    assert!(stderr.contains("content/briefs/typo.md:2:1"));
}

#[test]
fn bad_date() {
    let stderr = assert_errors("bad_date");
    assert_eq!(
        locations(&stderr),
        [
            "content/briefs/dates.md:3:7",
            "content/briefs/dates.md:13:11",
            "content/briefs/updated.md:4:10",
            "content/briefs/updated.md:14:15",
            "content/briefs/updated.md:17:39",
        ]
    );
}

#[test]
fn score_out_of_scale() {
    let stderr = assert_errors("score_out_of_scale");
    assert_eq!(
        locations(&stderr),
        [
            "content/briefs/scores.md:6:10",
            "content/briefs/scores.md:10:30"
        ]
    );
}

#[test]
fn unknown_citation() {
    let stderr = assert_errors("unknown_citation");
    assert!(stderr.contains("did you mean `@bloomberg`?"));
    assert_eq!(
        locations(&stderr),
        [
            "content/briefs/block-rationale.md:9:27",
            "content/briefs/typo-cite.md:7:38",
            "content/briefs/typo-cite.md:20:20",
            "content/briefs/typo-cite.md:22:42",
        ]
    );
}

#[test]
fn malformed_citation() {
    let stderr = assert_errors("malformed_citation");
    assert!(stderr.contains("put a comma before a locator"));
}

#[test]
fn duplicate_source_id() {
    let stderr = assert_errors("duplicate_source_id");
    assert_eq!(locations(&stderr), ["content/briefs/dup.md:13:9"]);
    assert!(stderr.contains("already defined on line 8"));
}

#[test]
fn bad_source_url() {
    let stderr = assert_errors("bad_source_url");
    assert_eq!(
        locations(&stderr),
        [
            "content/briefs/urls.md:12:10",
            "content/briefs/urls.md:16:10"
        ]
    );
}

#[test]
fn duplicate_slug() {
    let stderr = assert_errors("duplicate_slug");
    assert_eq!(
        stderr
            .matches("brief slug `x` is already used by content/briefs/a-brief.md")
            .count(),
        2
    );
}

#[test]
fn bad_slug() {
    let stderr = assert_errors("bad_slug");
    assert!(stderr.contains("rename the file to `bad-name.md`, or set `slug: bad-name`"));
    assert!(stderr.contains("content/briefs/explicit.md:4:7"));
}

#[test]
fn no_front_matter_and_unclosed_front_matter() {
    let stderr = assert_errors("front_matter");
    assert!(stderr.contains("missing front matter"));
    assert!(stderr.contains("front matter is never closed"));
}

#[test]
fn no_sources() {
    let stderr = assert_errors("no_sources");
    assert_eq!(locations(&stderr), ["content/briefs/empty.md:8:10"]);
}

#[test]
fn bad_status() {
    let stderr = assert_errors("bad_status");
    assert!(stderr.contains("help: did you mean `published`?"));
}

#[test]
fn site_yaml_relative_base_url() {
    let stderr = assert_errors("site_yaml_base_url");
    assert_eq!(locations(&stderr), ["site.yaml:2:11"]);
}

#[test]
fn site_yaml_unknown_field() {
    let stderr = assert_errors("site_yaml_unknown_field");
    assert_eq!(locations(&stderr), ["site.yaml:3:1"]);
    assert!(stderr.contains("did you mean `per_page`?"));
}

#[test]
fn uncited_source_is_a_warning() {
    let (code, stderr) = check("uncited_source");
    insta::assert_snapshot!("uncited_source", stderr);
    assert_eq!(
        code, 0,
        "a warning alone must not fail the check:\n{stderr}"
    );
    assert!(stderr.starts_with("warning: source `further` is never cited"));
    assert!(!stderr.contains("error"));
}

/// Acceptance: one run on a site with three broken files prints every error
/// of every file, each with its location, and exits 1.
#[test]
fn multi_file_reports_every_error_of_every_file() {
    let stderr = assert_errors("multi_file");
    let at = locations(&stderr);
    for file in ["first.md", "second.md", "third.md"] {
        let prefix = format!("content/briefs/{file}:");
        assert!(
            at.iter().any(|l| l.starts_with(&prefix)),
            "no diagnostic for {file}:\n{stderr}"
        );
    }
    assert!(!stderr.contains("fine.md"), "a valid brief was reported");
    let errors = stderr.lines().filter(|l| l.starts_with("error: ")).count() - 1;
    assert_eq!(errors, 11, "every error is printed:\n{stderr}");
    assert_eq!(at.len(), errors, "every error has a location:\n{stderr}");
    assert!(stderr.ends_with("error: 11 errors found in the site\n"));
}

/// `[@id]` inside code spans, fenced or indented code, and `\[@id]` is text,
/// not a citation: the only "bad" citations of this fixture are there.
#[test]
fn citations_in_code_and_escaped_are_not_checked() {
    let (code, stderr) = check("code_citations");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, "");
}

/// Regression: citation problems in `score.rationale` were placed by
/// searching the file for the bracket's text, so a repeated bracket landed on
/// its first occurrence and a bracket wrapped by a folded block scalar landed
/// on the same text in the body. Each must point at its own place.
#[test]
fn rationale_citation_problems_point_at_their_own_place() {
    let (code, stderr) = check("rationale_citation_location");
    assert_eq!(code, 1);
    assert_eq!(
        locations(&stderr),
        [
            "content/briefs/folded.md:8:11",
            "content/briefs/folded.md:9:11",
            "content/briefs/folded.md:9:36",
            "content/briefs/folded.md:21:57",
        ]
    );
}
