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

mod common;

use common::{fixture, run_in};

/// Every fixture folder, each with its own test below.
const CASES: &[&str] = &[
    "bad_date",
    "bad_slug",
    "bad_source_url",
    "bad_status",
    "bad_tex",
    "bib_crossref_cycle",
    "bib_string_loop",
    "bib_unclosed_entry",
    "code_citations",
    "colon_in_title",
    "comma_list",
    "duplicate_slug",
    "duplicate_source_id",
    "flow_mapping_colon",
    "front_matter",
    "hash_in_title",
    "invalid_source_id",
    "long_names",
    "malformed_citation",
    "misindented_field",
    "missing_field",
    "missing_sections",
    "multi_file",
    "no_sources",
    "plain_field_citations",
    "rationale_citation_location",
    "score_out_of_scale",
    "score_scalar",
    "site_yaml_base_url",
    "site_yaml_empty",
    "site_yaml_unknown_field",
    "tab_indent",
    "uncited_source",
    "unclosed_callout",
    "unknown_citation",
    "unknown_crossref",
    "unknown_field",
    "wrong_type",
    "yaml_syntax",
];

/// Runs `briefs check` in a fixture site's folder (so paths are shown
/// relative to the site root): its exit code and its stderr.
fn check(case: &str) -> (i32, String) {
    let root = fixture(&format!("errors/{case}"));
    assert!(
        root.join("site.yaml").is_file(),
        "no fixture site for {case}"
    );
    let (code, _, stderr) = run_in(&root, &["check"]);
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

/// Asserts a case only warns (exit code 0) and snapshots its stderr.
fn assert_warnings(case: &str) -> String {
    let (code, stderr) = check(case);
    insta::assert_snapshot!(case, stderr);
    assert_eq!(code, 0, "{case} should only warn:\n{stderr}");
    assert!(!stderr.contains("error:"), "{stderr}");
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
    let mut found: Vec<String> = std::fs::read_dir(fixture("errors"))
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
            "content/briefs/bad-indent.md:5:3",
            "content/briefs/unclosed-flow.md:5:7"
        ]
    );
    assert!(stderr.contains("error: `tags` is indented more than `summary` on the line above"));
    assert!(stderr.contains("help: end the list with `]`: `tags: [ai-chips, cloud]`"));
}

#[test]
fn bad_tex() {
    let stderr = assert_errors("bad_tex");
    // Each formula is located at its opening `$`, in the body and in the
    // rationale; the dollar amounts stay prose.
    assert_eq!(
        locations(&stderr),
        [
            "content/briefs/formula.md:8:17",
            "content/briefs/formula.md:15:11",
            "content/briefs/formula.md:17:1",
        ]
    );
    assert!(stderr.contains(
        "error: math `$\\fraq{h}{H}$` is not valid TeX: unknown primitive command found"
    ));
}

#[test]
fn unclosed_callout() {
    let stderr = assert_errors("unclosed_callout");
    // At the opening fence, in the rationale and in the body.
    assert_eq!(
        locations(&stderr),
        ["content/briefs/open.md:10:5", "content/briefs/open.md:20:1",]
    );
    assert!(stderr.contains("error: callout `::: {.callout-note}` is never closed"));
}

#[test]
fn unknown_crossref() {
    let stderr = assert_errors("unknown_crossref");
    assert_eq!(
        locations(&stderr),
        [
            "content/briefs/refs.md:14:4",
            "content/briefs/refs.md:14:33",
            "content/briefs/refs.md:15:10",
        ]
    );
    assert!(stderr.contains("error: cross-reference `@fig-capx` names no figure of this text"));
    assert!(stderr.contains("help: did you mean `@fig-capex`?"));
}

#[test]
fn missing_field() {
    let stderr = assert_errors("missing_field");
    // Reported at the first line of the mapping that lacks it, not its last key.
    assert_eq!(
        locations(&stderr),
        [
            "content/briefs/no-rationale.md:6:3",
            "content/briefs/no-summary.md:2:1"
        ]
    );
    assert!(stderr.contains("error: this brief has no `summary`"));
    assert!(stderr.contains("error: `score` has no `rationale`"));
}

#[test]
fn wrong_type() {
    let stderr = assert_errors("wrong_type");
    assert_eq!(
        locations(&stderr),
        [
            "content/briefs/score-map.md:6:10",
            "content/briefs/score-word.md:6:10",
            "content/briefs/sources-scalar.md:8:10",
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
    assert!(stderr.contains("locator is never closed"));
    assert!(stderr.contains("ends with a comma and no locator"));
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

/// A `slug:` or a tag too long for a folder name is an error at its value
/// (it stopped the build's write with "File name too long" and no place);
/// a Japanese tag counts its bytes, three a character.
#[test]
fn long_names() {
    let stderr = assert_errors("long_names");
    assert_eq!(
        locations(&stderr),
        ["content/briefs/long.md:3:7", "content/briefs/long.md:6:8"]
    );
    assert!(stderr.contains(
        "error: this tag makes a page folder name of 273 bytes; file systems take 255\n"
    ));
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

// Issue 13: the first mistakes of an analyst's first brief, each in plain
// words with the fix, where YAML's parser alone would say
// "mapping values are not allowed in this context".

#[test]
fn a_colon_in_a_title_says_to_quote_it() {
    let stderr = assert_errors("colon_in_title");
    assert_eq!(locations(&stderr), ["content/briefs/colon.md:2:8"]);
    assert!(stderr.contains("error: `title` contains `: `, so it must be quoted"));
    assert!(stderr.contains("help: write it in quotes: `title: \"Amazon: exploring Trainium\"`"));
}

#[test]
fn a_hash_that_cuts_a_title_short_is_a_warning() {
    let stderr = assert_warnings("hash_in_title");
    assert_eq!(locations(&stderr), ["content/briefs/hash.md:2:17"]);
    assert!(stderr.contains("`title` is cut short: YAML reads `#1 bet` as a comment"));
}

#[test]
fn a_colon_inside_an_inline_mapping_points_at_its_line() {
    let stderr = assert_errors("flow_mapping_colon");
    assert_eq!(locations(&stderr), ["content/briefs/factor-note.md:10:39"]);
    assert!(stderr.contains("help: write it in quotes: `note: \"Adds an option: outside\"`"));
    assert!(!stderr.contains("indentation"), "{stderr}");
}

#[test]
fn a_tab_in_the_indentation_is_reported_on_the_tab() {
    let stderr = assert_errors("tab_indent");
    assert_eq!(locations(&stderr), ["content/briefs/tab.md:7:1"]);
    assert!(stderr.contains("YAML indents with spaces"));
}

#[test]
fn a_field_indented_one_space_off_is_reported_where_it_is() {
    let stderr = assert_errors("misindented_field");
    assert_eq!(
        locations(&stderr),
        [
            "content/briefs/one-less.md:12:4",
            "content/briefs/one-more.md:10:6"
        ]
    );
    assert!(!stderr.contains("missing required field"), "{stderr}");
}

#[test]
fn a_score_written_as_a_number_shows_the_mapping() {
    let stderr = assert_errors("score_scalar");
    assert_eq!(locations(&stderr), ["content/briefs/score.md:5:8"]);
    assert!(stderr.contains("`score: { value: 7.5, rationale: … }`"));
}

/// `authors: Jane Doe` and `entities: Amazon` are one-item lists; only the
/// tags written as one text with a comma are an error.
#[test]
fn a_list_written_without_brackets_says_how_to_write_it() {
    let stderr = assert_errors("comma_list");
    assert_eq!(locations(&stderr), ["content/briefs/tags.md:7:7"]);
    assert!(stderr.contains("help: write a list: `tags: [ai-chips, cloud]`"));
}

/// Regression: an invalid source id gave one error per citation of it, each
/// with a hint ("did you mean `@bloomberg news`?") contradicting the id's
/// own error. The id is reported once; a real typo still is.
#[test]
fn an_invalid_source_id_is_reported_once() {
    let stderr = assert_errors("invalid_source_id");
    assert_eq!(
        locations(&stderr),
        [
            "content/briefs/bad-id.md:9:9",
            "content/briefs/bad-id.md:22:31"
        ]
    );
    assert!(
        !stderr.contains("did you mean `@bloomberg news`"),
        "{stderr}"
    );
    assert!(!stderr.contains("never cited"), "{stderr}");
}

#[test]
fn an_empty_site_yaml_names_the_site_fields() {
    let stderr = assert_errors("site_yaml_empty");
    assert_eq!(locations(&stderr), ["site.yaml:1:1"]);
    assert!(stderr.contains("a site needs at least `title` and `base_url`"));
}

/// Missing sections come in the contract's order, one diagnostic per place:
/// before this change, two sections missing at one place were sorted by
/// their message, and a body without sections got one warning per section.
#[test]
fn missing_sections_are_listed_in_the_contract_order() {
    let stderr = assert_warnings("missing_sections");
    assert_eq!(
        locations(&stderr),
        [
            "content/briefs/none.md:14:1",
            "content/briefs/two-missing.md:16:1"
        ]
    );
    assert!(stderr.contains("missing sections `What happened`, `Current scale`\n"));
}

#[test]
fn bib_crossref_cycle() {
    let stderr = assert_errors("bib_crossref_cycle");
    assert_eq!(locations(&stderr), ["refs.bib:6:17"]);
}

#[test]
fn bib_string_loop() {
    let stderr = assert_errors("bib_string_loop");
    assert_eq!(locations(&stderr), ["refs.bib:1:9"]);
}

#[test]
fn bib_unclosed_entry() {
    let stderr = assert_errors("bib_unclosed_entry");
    assert_eq!(locations(&stderr), ["refs.bib:1:1"]);
}

#[test]
fn plain_field_citations() {
    let stderr = assert_errors("plain_field_citations");
    assert_eq!(
        locations(&stderr),
        [
            "content/briefs/fields.md:2:25",
            "content/briefs/fields.md:4:41",
            "content/briefs/fields.md:4:55",
            "content/briefs/fields.md:9:53",
            "content/briefs/fields.md:11:19",
            "content/briefs/fields.md:14:38",
            "content/pages/method.md:4:36",
        ]
    );
}
