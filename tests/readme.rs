//! The README's examples are real: its example `site.yaml` and example brief,
//! written out as a site, pass `briefs check` with no error and no warning.
//! A change to the format that the README does not follow fails here.

mod common;

use std::fs;
use std::path::Path;

use common::briefs;
use tempfile::TempDir;

/// The first fenced block of `lang` after the heading `heading`.
fn first_block<'a>(readme: &'a str, heading: &str, lang: &str) -> &'a str {
    let section = readme
        .split_once(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("the README has no `{heading}` section"))
        .1;
    let open = format!("```{lang}\n");
    let start = section
        .find(&open)
        .unwrap_or_else(|| panic!("no ```{lang} block under `{heading}`"))
        + open.len();
    let len = section[start..]
        .find("\n```\n")
        .expect("the block is closed");
    &section[start..start + len + 1]
}

#[test]
fn the_readme_example_brief_passes_check() {
    let readme = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md is readable");
    let site = first_block(&readme, "## A site", "yaml");
    let brief = first_block(&readme, "## A brief", "markdown");
    assert!(brief.starts_with("---\ntitle:"), "not the brief:\n{brief}");
    let tmp = TempDir::new().unwrap();
    fs::create_dir_all(tmp.path().join("content/briefs")).unwrap();
    fs::write(tmp.path().join("site.yaml"), site).unwrap();
    fs::write(tmp.path().join("content/briefs/example.md"), brief).unwrap();
    let output = briefs()
        .args(["check", "--root"])
        .arg(tmp.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "", "the README's example brief warns");
}
