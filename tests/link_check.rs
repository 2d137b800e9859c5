//! `build` runs the internal link and anchor check of `check`: a broken link
//! fails the build (exit 1) at its place in the Markdown, and the previous
//! output stays as it was. `check --base-url` checks under another base path.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{copy_dir, fixture, run_in, snapshot_dir};
use tempfile::TempDir;

/// Runs `briefs` with `args` inside the site `root`: exit code and stderr.
fn briefs(args: &[&str], root: &Path) -> (Option<i32>, String) {
    let (code, _, stderr) = run_in(root, args);
    (Some(code), stderr)
}

/// A copy of the fixture site (base path `/briefs/`), and a folder for its output.
fn site() -> (TempDir, PathBuf, String) {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture("valid"), &root);
    let out = tmp.path().join("public").display().to_string();
    (tmp, root, out)
}

fn append(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    let before = fs::read_to_string(&path).unwrap();
    fs::write(&path, format!("{before}\n{text}\n")).unwrap();
}

/// Builds, breaks a brief with `link`, builds again: the second build's
/// exit code and stderr, after checking that the first build's output is
/// byte for byte what it was.
fn break_with(link: &str) -> (Option<i32>, String) {
    let (_tmp, root, out) = site();
    assert_eq!(briefs(&["build", "--output", &out], &root).0, Some(0));
    let before = snapshot_dir(Path::new(&out));
    append(&root, "content/briefs/older.md", link);
    let result = briefs(&["build", "--output", &out], &root);
    assert_eq!(
        snapshot_dir(Path::new(&out)),
        before,
        "the old output changed"
    );
    result
}

fn broken_links(stderr: &str) -> Vec<&str> {
    let lines: Vec<&str> = stderr.lines().collect();
    lines
        .windows(2)
        .filter(|w| w[0].starts_with("error: broken link"))
        .flat_map(|w| [w[0], w[1]])
        .collect()
}

#[test]
fn a_missing_anchor_fails_the_build_at_its_place_in_the_markdown() {
    let (code, stderr) =
        break_with("## What happened\n\nSee [the part](#what-happend) and [nothing](#nope).");
    assert_eq!(code, Some(1), "{stderr}");
    insta::assert_snapshot!(stderr);
}

#[test]
fn a_root_relative_link_without_the_base_path_fails_the_build() {
    let (code, stderr) = break_with("See [all tags](/tags/).");
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        broken_links(&stderr),
        [
            "error: broken link `/tags/` on briefs/older/index.html: it is outside the site's base path `/briefs/`",
            "  --> content/briefs/older.md:15:5",
        ]
    );
    assert!(
        stderr.contains("help: root-relative links start with the base path `/briefs/`"),
        "{stderr}"
    );
    assert!(stderr.ends_with("; nothing was written\n"), "{stderr}");
}

#[test]
fn a_broken_link_in_a_template_names_the_page() {
    let (_tmp, root, out) = site();
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(
        root.join("templates/page.html"),
        "{% extends \"base.html\" %}{% block content %}<a href=\"/briefs/no-such/\">x</a>{{ page.content | safe }}{% endblock %}",
    )
    .unwrap();
    let (code, stderr) = briefs(&["build", "--output", &out], &root);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        broken_links(&stderr),
        [
            "error: broken link `/briefs/no-such/` on about/index.html: no such page or file",
            " --> content/pages/about.md",
        ]
    );
    assert!(!Path::new(&out).exists());
}

#[test]
fn check_takes_a_base_url() {
    let (_tmp, root, _) = site();
    append(&root, "content/pages/about.md", "All [tags](/desk/tags/).");
    let (code, stderr) = briefs(&["check"], &root);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("error: broken link `/desk/tags/` on about/index.html: it is outside the site's base path `/briefs/`"),
        "{stderr}"
    );
    let (code, stderr) = briefs(&["check", "--base-url", "https://example.org/desk/"], &root);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, stderr) = briefs(&["check", "--base-url", "not a url"], &root);
    assert_eq!(code, Some(2), "{stderr}");
}

#[test]
fn links_in_code_text_and_comments_are_not_links() {
    let (_tmp, root, out) = site();
    append(
        &root,
        "content/briefs/older.md",
        "Write `<a href=\"/docs/page\">` for a link; text says href=\"/nope\".\n\n\
         ```html\n<a href=\"/docs/fenced\">x</a>\n```\n\n    <img src=\"/indented.png\">\n\n\
         <!-- <a href=\"/in-a-comment\"> -->\n",
    );
    let (code, stderr) = briefs(&["build", "--output", &out], &root);
    assert_eq!(code, Some(0), "{stderr}");
    let page = fs::read_to_string(Path::new(&out).join("briefs/older/index.html")).unwrap();
    assert!(
        page.contains("<code>&lt;a href=\"/docs/page\"&gt;</code>"),
        "{page}"
    );
}

#[test]
fn a_raw_html_link_is_decoded_and_located_at_line_and_column() {
    let (code, stderr) =
        break_with("Read <a class=\"x\"\nhref=\"/briefs/&ouml;.html\">this</a> first.");
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        broken_links(&stderr),
        [
            "error: broken link `/briefs/ö.html` on briefs/older/index.html: no such page or file",
            "  --> content/briefs/older.md:16:1",
        ]
    );
}

#[test]
fn a_raw_html_block_link_is_located_on_its_line() {
    let (code, stderr) =
        break_with("<div>\n<p>x</p>\n  <p><a\n  href='/briefs/gone/'>y</a></p>\n</div>");
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        broken_links(&stderr),
        [
            "error: broken link `/briefs/gone/` on briefs/older/index.html: no such page or file",
            "  --> content/briefs/older.md:18:3",
        ]
    );
}

#[test]
fn escaped_raw_html_is_text_not_a_link() {
    let (_tmp, root, out) = site();
    append(&root, "site.yaml", "markdown:\n  raw_html: escape");
    append(
        &root,
        "content/briefs/older.md",
        "Shown as text: <a href=\"/briefs/nowhere/\">x</a>\n\n<div><a href=\"/briefs/gone/\">y</a></div>",
    );
    let (code, stderr) = briefs(&["build", "--output", &out], &root);
    assert_eq!(code, Some(0), "{stderr}");
    let page = fs::read_to_string(Path::new(&out).join("briefs/older/index.html")).unwrap();
    assert!(
        page.contains("Shown as text: &lt;a href=\"/briefs/nowhere/\"&gt;x&lt;/a&gt;"),
        "{page}"
    );
}

#[test]
fn an_unclosed_style_is_a_located_warning_naming_the_tag() {
    let (_tmp, root, out) = site();
    append(
        &root,
        "content/briefs/older.md",
        "<style>\np { color: red }\n\nThe rest [@one].",
    );
    let (code, stderr) = briefs(&["build", "--output", &out], &root);
    assert_eq!(code, Some(0), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("warning: `<style>` is never closed"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert_eq!(lines[at + 1], "  --> content/briefs/older.md:15:1");
    assert!(
        stderr.contains("help: close it with `</style>`"),
        "{stderr}"
    );
}
