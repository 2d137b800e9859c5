//! The README's examples are real: its example `site.yaml` and example brief,
//! written out as a site, pass `briefs check` with no error and no warning;
//! its quick start, run as written, makes the files it names; and CI runs the
//! test command it gives. A change the README does not follow fails here.

mod common;

use std::fs;
use std::path::Path;

use common::{briefs, run_in};
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

fn readme() -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md is readable")
}

/// The command lines of every ```sh block under `heading` (up to the next
/// `## ` heading).
fn sh_lines(readme: &str, heading: &str) -> Vec<String> {
    let section = readme
        .split_once(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("the README has no `{heading}` section"))
        .1;
    let section = section.split("\n## ").next().unwrap();
    section
        .split("```sh\n")
        .skip(1)
        .flat_map(|block| block.split("\n```").next().unwrap().lines())
        .map(str::to_string)
        .collect()
}

/// Splits a command line into words, honouring double quotes.
fn words(line: &str) -> Vec<String> {
    line.split('"')
        .enumerate()
        .flat_map(|(i, part)| {
            if i % 2 == 1 {
                vec![part.to_string()]
            } else {
                part.split_whitespace().map(str::to_string).collect()
            }
        })
        .collect()
}

#[test]
fn the_quick_start_makes_the_site_and_the_brief_it_names() {
    let readme = readme();
    let lines = sh_lines(&readme, "## Quick start");
    assert_eq!(
        lines[0], "briefs init mydesk && cd mydesk && briefs serve",
        "the quick start's first line"
    );
    let new = words(&lines[1]);
    assert_eq!(new[..2], ["briefs", "new"], "{lines:?}");
    let named = readme
        .split_once("This writes `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .expect("the quick start names the file `briefs new` writes")
        .0;

    let tmp = TempDir::new().unwrap();
    let (code, stdout, stderr) = run_in(tmp.path(), &["init", "mydesk"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("next: cd mydesk && briefs serve"),
        "{stdout}"
    );
    let site = tmp.path().join("mydesk");
    let args: Vec<&str> = new[1..].iter().map(String::as_str).collect();
    let (code, stdout, stderr) = run_in(&site, &args);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, format!("created {named}\n"));
    let draft = fs::read_to_string(site.join(named)).unwrap();
    assert!(draft.contains("status: draft\n"), "{draft}");
    // Published as the README says, the new site builds.
    fs::write(
        site.join(named),
        draft.replace("status: draft", "status: published"),
    )
    .unwrap();
    fs::remove_file(site.join("content/briefs/first-brief.md")).unwrap();
    let (code, stdout, stderr) = run_in(&site, &["build"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("built 1 brief, "), "{stdout}");
    assert!(site.join("public/index.html").is_file());
}

#[test]
fn ci_runs_the_readme_test_command() {
    let lines = sh_lines(&readme(), "## Working on briefs");
    assert_eq!(
        lines,
        [
            "cargo run --release -- serve",
            "cargo test && bash tests/browser/run.sh"
        ],
        "the README's two commands for working on briefs"
    );
    let ci = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/run")).unwrap();
    assert!(
        ci.lines().any(|line| line == lines[1]),
        ".ci/run does not run `{}`:\n{ci}",
        lines[1]
    );
}
