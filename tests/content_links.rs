//! Content links (`@/briefs/x.md`, `@/pages/about.md#part`, a bundle's file,
//! `@/static/…`): what a reader's browser gets at a root, under a subpath and
//! under `serve`, and the located error for a target that does not exist.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use briefs::Options;
use briefs::internals::session::Session;
use common::{briefs, build_site, copy_dir, fixture, snapshot_dir};
use scraper::{Html, Selector};
use tempfile::TempDir;

/// The content-links fixture site.
fn site_fixture() -> PathBuf {
    fixture("content-links")
}

/// Builds `root` with `base_url` into a fresh folder.
fn build_at(root: &Path, base_url: &str) -> (TempDir, PathBuf) {
    let (tmp, out, _, _) = build_site(root, &["--base-url", base_url]);
    (tmp, out)
}

fn attrs(out: &Path, page: &str, selector: &str, attr: &str) -> Vec<String> {
    let html = Html::parse_document(&fs::read_to_string(out.join(page)).unwrap());
    let sel = Selector::parse(selector).unwrap();
    html.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// The file a root-relative URL under `root` is served from.
fn served_file(out: &Path, root: &str, url: &str) -> PathBuf {
    let path = url.split('#').next().unwrap();
    let rel = path
        .strip_prefix(root)
        .unwrap_or_else(|| panic!("{url} is outside {root}"));
    let file = out.join(rel);
    if rel.is_empty() || rel.ends_with('/') {
        file.join("index.html")
    } else {
        file
    }
}

#[test]
fn content_links_become_urls_under_the_base_path() {
    for (base_url, root) in [
        ("https://example.org/", "/"),
        ("https://example.org/briefs/", "/briefs/"),
    ] {
        let (_tmp, out) = build_at(&site_fixture(), base_url);
        let page = "briefs/linker/index.html";
        let body = attrs(
            &out,
            page,
            ".brief-body a:not(.cite-ref):not(.heading-anchor)",
            "href",
        );
        assert_eq!(
            body,
            [
                format!("{root}briefs/renamed-entirely/"),
                format!("{root}about/"),
                format!("{root}briefs/bundle/#the-section"),
                format!("{root}files/methodology.pdf"),
            ],
            "{base_url}"
        );
        let images = attrs(&out, page, ".brief-body img", "src");
        assert_eq!(images, [format!("{root}briefs/bundle/chart.png")]);
        let rationale = attrs(&out, page, "#scoring-rationale a:not(.cite-ref)", "href");
        assert_eq!(rationale, [format!("{root}briefs/renamed-entirely/")]);
        let about = attrs(
            &out,
            "about/index.html",
            ".prose a:not(.heading-anchor)",
            "href",
        );
        assert!(
            about.contains(&format!("{root}briefs/renamed-entirely/#what-happened")),
            "{about:?}"
        );
        for url in body.iter().chain(&images).chain(&rationale) {
            assert!(
                served_file(&out, root, url).is_file(),
                "{url} lands nowhere"
            );
        }
    }
}

#[test]
fn content_links_follow_the_base_path_in_the_feeds() {
    let (_tmp, out) = build_at(&site_fixture(), "https://example.org/desk/");
    let atom = fs::read_to_string(out.join("atom.xml")).unwrap();
    assert!(
        atom.contains("href=&quot;https://example.org/desk/briefs/renamed-entirely/&quot;"),
        "{atom}"
    );
    assert!(!atom.contains("@/briefs"), "{atom}");
}

/// A copy of the fixture with `line` appended to the linking brief.
fn site_with(line: &str) -> TempDir {
    let tmp = TempDir::new().unwrap();
    copy_dir(&site_fixture(), tmp.path());
    let brief = tmp.path().join("content/briefs/linker.md");
    let text = fs::read_to_string(&brief).unwrap();
    fs::write(&brief, format!("{text}\n{line}\n")).unwrap();
    tmp
}

fn check_stderr(root: &Path) -> (Option<i32>, String) {
    let output = briefs().arg("check").current_dir(root).output().unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn content_links_survive_the_raw_html_cleaner() {
    let site = site_with("<b>Bold</b> and [about, again](@/pages/about.md).");
    let (_tmp, out) = build_at(site.path(), "https://example.org/desk/");
    let body = attrs(
        &out,
        "briefs/linker/index.html",
        ".brief-body a:not(.cite-ref):not(.heading-anchor)",
        "href",
    );
    assert_eq!(body.last().unwrap(), "/desk/about/");
}

#[test]
fn an_unknown_target_is_a_located_error_with_the_closest_path() {
    let site =
        site_with("Also [a typo](@/briefs/custom-slg.md) and [gone](@/pages/nothing-like-it.md).");
    let (code, stderr) = check_stderr(site.path());
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(stderr);
}

#[test]
fn a_link_to_an_unpublished_brief_says_so() {
    let site = site_with("Soon: [the draft](@/briefs/draft.md).");
    fs::write(
        site.path().join("content/briefs/draft.md"),
        "---\ntitle: Draft\ndate: 2026-05-01\nsummary: S\nstatus: draft\nscore:\n  value: 1\n  \
         rationale: R [@d].\nsources:\n  - { id: d, publisher: P, title: T, url: \"https://d.example/\" }\n---\nBody [@d].\n",
    )
    .unwrap();
    let (code, stderr) = check_stderr(site.path());
    assert_eq!(code, Some(1));
    assert!(
        stderr.starts_with(
            "error: content link to `@/briefs/draft.md`, a brief this build does not publish\n  \
             --> content/briefs/linker.md:19:7\n"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("help: publish it (`status: published`), or build with --drafts"));
    let drafts = briefs()
        .args(["check", "--drafts", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert!(
        drafts.status.success(),
        "{}",
        String::from_utf8_lossy(&drafts.stderr)
    );
}

/// A `serve` session's folder after a target's slug changes equals a clean
/// build: the unchanged brief linking to it is re-rendered.
#[test]
fn serve_follows_a_renamed_target() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&site_fixture(), &root);
    let root = root.canonicalize().unwrap();
    let options = Options {
        root: root.clone(),
        base_url: Some("http://127.0.0.1:1111/".into()),
        ..Options::default()
    };
    let served = tmp.path().join("served");
    let (mut session, first) = Session::start(options.clone(), served.clone()).unwrap();
    first.unwrap();
    let target = root.join("content/briefs/custom-slug.md");
    let text = fs::read_to_string(&target).unwrap();
    fs::write(
        &target,
        text.replace("slug: renamed-entirely", "slug: renamed-again"),
    )
    .unwrap();
    session.rebuild(std::slice::from_ref(&target)).unwrap();
    let linker = fs::read_to_string(served.join("briefs/linker/index.html")).unwrap();
    assert!(linker.contains("href=\"/briefs/renamed-again/\""));

    let clean = tmp.path().join("clean");
    briefs::build(&Options {
        output: Some(clean.clone()),
        ..options
    })
    .unwrap();
    let mut clean = snapshot_dir(&clean);
    clean.remove(briefs::BUILD_MARKER);
    let served = snapshot_dir(&served);
    assert_eq!(
        served.keys().collect::<Vec<_>>(),
        clean.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &clean {
        assert!(served[path] == *bytes, "{path} differs from a clean build");
    }
}
