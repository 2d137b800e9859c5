//! What a new user hit (issue 10): file names, `site.yaml` values and source
//! URLs that were silently mangled, public pages missing from the sitemap,
//! and what was never meant to be published (future dates, the scaffold's
//! placeholders) going out without a word.

mod common;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};

use assert_cmd::cargo::CommandCargoExt;
use common::{attrs, briefs, run_in, texts};
use scraper::{Html, Selector};
use tempfile::TempDir;

/// A site with `site.yaml` (plus `extra_yaml`) and the given briefs.
fn site(extra_yaml: &str, files: &[(&str, String)]) -> TempDir {
    let tmp = TempDir::new().unwrap();
    fs::write(
        tmp.path().join("site.yaml"),
        format!("title: Desk\nbase_url: https://desk.example/\n{extra_yaml}"),
    )
    .unwrap();
    fs::create_dir_all(tmp.path().join("content/briefs")).unwrap();
    for (name, text) in files {
        fs::write(tmp.path().join("content/briefs").join(name), text).unwrap();
    }
    tmp
}

/// A valid published brief; `extra` goes at the end of the front matter.
fn brief(title: &str, date: &str, extra: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: {date}\nsummary: S\nscore: {{ value: 5, rationale: R }}\n\
         sources:\n  - {{ id: a, publisher: P, title: T }}\n{extra}---\nBody [@a].\n"
    )
}

/// Runs a subcommand on `root`; returns (exit code, stdout, stderr).
fn run(root: &Path, args: &[&str]) -> (i32, String, String) {
    let mut args = args.to_vec();
    if args[0] == "build" {
        args.extend(["--output", "public"]);
    }
    // Run inside the site, so diagnostics name files from its root.
    run_in(root, &args)
}

/// Asserts `stderr` shows `header` (`error: …` or `warning: …`) located at `at`.
fn assert_shows(stderr: &str, header: &str, at: &str) {
    let mut lines = stderr.lines();
    let shown =
        lines.any(|l| l == header) && lines.next().map(str::trim) == Some(&format!("--> {at}"));
    assert!(shown, "`{header}` at {at} in:\n{stderr}");
}

fn page(root: &Path, path: &str) -> Html {
    let text = fs::read_to_string(root.join("public").join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    Html::parse_document(&text)
}

#[test]
fn a_file_named_x_md_md_loses_one_md_only() {
    let tmp = site("", &[("x.md.md", brief("X", "2026-05-14", ""))]);
    let (code, _, stderr) = run(tmp.path(), &["check"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("the file name gives the slug `x.md`, which is not of the form [a-z0-9-]+"),
        "{stderr}"
    );
    assert!(stderr.contains("rename the file to `x-md.md`"), "{stderr}");

    let tmp = site("", &[("x.md.md", brief("X", "2026-05-14", "slug: x-md\n"))]);
    let (code, _, stderr) = run(tmp.path(), &["build"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(tmp.path().join("public/briefs/x-md/index.html").is_file());
    assert!(!tmp.path().join("public/briefs/x").exists());
}

#[test]
fn a_top_count_of_zero_is_a_located_error() {
    let tmp = site(
        "top:\n  count: 0\n",
        &[("a.md", brief("A", "2026-05-14", ""))],
    );
    let (code, _, stderr) = run(tmp.path(), &["check"]);
    assert_eq!(code, 1, "{stderr}");
    assert_shows(
        &stderr,
        "error: `top.count` must be at least 1",
        "site.yaml:4:10",
    );
}

#[test]
fn the_sitemap_lists_the_top_band_and_sources_pages() {
    let tmp = site("", &[("a.md", brief("A", "2026-05-14", ""))]);
    let (code, _, stderr) = run(tmp.path(), &["build"]);
    assert_eq!(code, 0, "{stderr}");
    let xml = fs::read_to_string(tmp.path().join("public/sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "loc")
        .filter_map(|n| n.text())
        .collect();
    for path in [
        "top/",
        "bands/high/",
        "bands/medium/",
        "bands/low/",
        "sources/",
    ] {
        assert!(
            locs.contains(&format!("https://desk.example/{path}").as_str()),
            "{path} is missing from {locs:?}"
        );
        assert!(
            tmp.path()
                .join("public")
                .join(path)
                .join("index.html")
                .is_file()
        );
    }
    let lastmods = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "lastmod")
        .count();
    assert_eq!(lastmods, locs.len(), "every entry has a lastmod");
}

#[test]
fn a_source_url_with_a_space_is_an_error_and_its_encoded_form_is_published_as_written() {
    let with_url = |url: &str| {
        format!(
            "---\ntitle: A\ndate: 2026-05-14\nsummary: S\nscore: {{ value: 5, rationale: R }}\n\
             sources:\n  - id: a\n    publisher: P\n    title: T\n    url: {url}\n---\nBody [@a].\n"
        )
    };
    let tmp = site(
        "",
        &[("a.md", with_url("https://example.org/my report.pdf"))],
    );
    let (code, _, stderr) = run(tmp.path(), &["build"]);
    assert_eq!(code, 1, "{stderr}");
    assert_shows(
        &stderr,
        "error: source URL `https://example.org/my report.pdf` has characters a URL must percent-encode",
        "content/briefs/a.md:10:10",
    );
    assert!(
        stderr
            .contains("percent-encode them, a space as %20: `https://example.org/my%20report.pdf`"),
        "{stderr}"
    );
    assert!(!tmp.path().join("public").exists(), "nothing is written");

    let tmp = site(
        "",
        &[("a.md", with_url("https://example.org/my%20report.pdf"))],
    );
    let (code, _, stderr) = run(tmp.path(), &["build"]);
    assert_eq!(code, 0, "{stderr}");
    let hrefs = attrs(
        &page(tmp.path(), "briefs/a/index.html"),
        "ol.sources a[href^='https://example.org']",
        "href",
    );
    // The title's link and the style's URL.
    assert_eq!(
        hrefs,
        [
            "https://example.org/my%20report.pdf",
            "https://example.org/my%20report.pdf"
        ]
    );
    let catalog = fs::read_to_string(tmp.path().join("public/briefs.json")).unwrap();
    assert!(
        catalog.contains("\"https://example.org/my%20report.pdf\"")
            && !catalog.contains("my report"),
        "{catalog}"
    );
}

#[test]
fn a_brief_dated_far_after_the_others_is_a_warning_on_its_date() {
    let files = [
        ("now.md", brief("Now", "2026-05-14", "")),
        ("typo.md", brief("Typo", "2027-05-14", "")),
    ];
    let tmp = site("", &files);
    let (code, stdout, stderr) = run(tmp.path(), &["build"]);
    assert_eq!(code, 0, "{stderr}");
    assert_shows(
        &stderr,
        "warning: the date 2027-05-14 is more than 30 days after the newest other brief (2026-05-14)",
        "content/briefs/typo.md:3:7",
    );
    assert!(stdout.contains("1 warning"), "{stdout}");
    let (code, _, stderr) = run(tmp.path(), &["build", "--strict"]);
    assert_eq!(code, 1, "{stderr}");
    // Within the margin, or with a wider one, nothing is said.
    let tmp = site("future_margin_days: 400\n", &files);
    let (code, _, stderr) = run(tmp.path(), &["build", "--strict"]);
    assert_eq!(code, 0, "{stderr}");
    let tmp = site(
        "",
        &[
            files[0].clone(),
            ("soon.md", brief("Soon", "2026-06-10", "")),
        ],
    );
    let (_, _, stderr) = run(tmp.path(), &["check"]);
    assert!(!stderr.contains("warning"), "{stderr}");
}

/// The hint says what the date does: a published brief comes first on the
/// index now; a draft is on no index yet, so it says what publishing would do
/// (issue 24: a draft was told the date "puts this brief first on the index").
#[test]
fn a_future_date_hint_fits_a_published_brief_and_a_draft() {
    let hints = |status: &str| {
        let files = [
            ("now.md", brief("Now", "2026-05-14", "")),
            ("typo.md", brief("Typo", "2027-05-14", status)),
        ];
        let tmp = site("", &files);
        let (code, _, stderr) = run(tmp.path(), &["check"]);
        assert_eq!(code, 0, "{stderr}");
        assert_shows(
            &stderr,
            "warning: the date 2027-05-14 is more than 30 days after the newest other brief (2026-05-14)",
            "content/briefs/typo.md:3:7",
        );
        let hints: Vec<String> = stderr
            .lines()
            .filter(|l| l.starts_with("help: "))
            .map(str::to_string)
            .collect();
        hints
    };
    let rest = ", the top page and every feed; check the year \
                (`future_margin_days` in site.yaml sets the margin)";
    assert_eq!(
        hints(""),
        [format!(
            "help: a future date puts this brief first on the index{rest}"
        )]
    );
    for status in ["status: draft\n", "status: review\n"] {
        assert_eq!(
            hints(status),
            [format!(
                "help: published with this date, the brief would come first on the index{rest}"
            )]
        );
    }
}

#[test]
fn a_brief_dated_after_today_is_a_warning_only_when_today_is_given() {
    let tmp = site("", &[("only.md", brief("Only", "2026-05-14", ""))]);
    let (code, _, stderr) = run(tmp.path(), &["check"]);
    assert_eq!((code, stderr.contains("warning")), (0, false), "{stderr}");
    for command in ["check", "build"] {
        let (code, _, stderr) = run(tmp.path(), &[command, "--today", "2026-05-01"]);
        assert_eq!(code, 0, "{stderr}");
        assert_shows(
            &stderr,
            "warning: the date 2026-05-14 is after today, 2026-05-01",
            "content/briefs/only.md:3:7",
        );
    }
    let (_, _, stderr) = run(tmp.path(), &["check", "--today", "2026-05-14"]);
    assert!(!stderr.contains("warning"), "{stderr}");
    let (code, _, stderr) = run(tmp.path(), &["check", "--today", "May 1"]);
    assert_eq!(code, 2, "{stderr}");
}

/// `briefs init` into a temp folder; returns it and the site's root.
fn init() -> (TempDir, PathBuf) {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("desk");
    briefs().arg("init").arg(&root).assert().success();
    (tmp, root)
}

/// An `init`-made site asks for the sections its first brief has, so
/// `briefs new` writes those headings (it wrote none: the site asked for
/// none, and the first brief's sections were a hint no check kept).
#[test]
fn briefs_new_on_an_init_site_writes_the_first_briefs_sections() {
    let (_tmp, root) = init();
    let h2 = |path: &str| -> Vec<String> {
        let text = fs::read_to_string(root.join(path)).unwrap();
        text.lines()
            .filter_map(|l| l.strip_prefix("## ").map(str::to_string))
            .collect()
    };
    let first = h2("content/briefs/first-brief.md");
    assert_eq!(
        first,
        [
            "What happened",
            "Current scale",
            "Competitive context",
            "What to watch",
            "For practitioners"
        ]
    );
    let (code, stdout, stderr) = run(&root, &["new", "Chip exports fall"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "created content/briefs/chip-exports-fall.md\n");
    assert_eq!(h2("content/briefs/chip-exports-fall.md"), first);
    // A section dropped from the first brief is now reported.
    let path = root.join("content/briefs/first-brief.md");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace("## Current scale\n", "")).unwrap();
    let (_, _, stderr) = run(&root, &["check"]);
    assert!(
        stderr.contains(
            "warning: missing section `Current scale`\n  --> content/briefs/first-brief.md:31:1\n"
        ),
        "{stderr}"
    );
}

#[test]
fn the_scaffolds_placeholders_are_warnings_in_a_published_brief() {
    let (_tmp, root) = init();
    let (code, stdout, stderr) = run(&root, &["build"]);
    assert_eq!(code, 0, "{stderr}");
    let brief = "content/briefs/first-brief.md";
    for (message, at) in [
        (
            "placeholder text “One or two sentences: what happened and why it matters.” is still in this published brief",
            format!("{brief}:6:3"),
        ),
        (
            "placeholder text “Why this score, citing the evidence” is still in this published brief",
            format!("{brief}:13:5"),
        ),
        (
            "placeholder text “Title of the article or document” is still in this published brief",
            format!("{brief}:20:12"),
        ),
        (
            "placeholder URL `https://example.org/` for source `source-1` is still in this published brief",
            format!("{brief}:21:10"),
        ),
        (
            "placeholder text “The lede: the news in one paragraph” is still in this published brief",
            format!("{brief}:26:1"),
        ),
        (
            "`base_url` is still the placeholder `https://example.org/` from `briefs init`",
            "site.yaml:3:11".to_string(),
        ),
    ] {
        assert_shows(&stderr, &format!("warning: {message}"), &at);
    }
    assert!(stdout.contains("6 warnings"), "{stdout}");
    fs::remove_dir_all(root.join("public")).unwrap();
    let (code, _, stderr) = run(&root, &["build", "--strict"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        !root.join("public").exists(),
        "a strict build writes nothing"
    );
    // `check` and a build for another base URL say nothing of `base_url`.
    let (_, _, stderr) = run(&root, &["check"]);
    assert!(!stderr.contains("base_url"), "{stderr}");
    let (_, _, stderr) = run(&root, &["build", "--base-url", "https://desk.example/"]);
    assert!(!stderr.contains("base_url"), "{stderr}");
}

#[test]
fn a_brief_with_its_own_text_and_a_real_base_url_builds_strict() {
    let (_tmp, root) = init();
    let path = root.join("content/briefs/first-brief.md");
    let text = fs::read_to_string(&path).unwrap();
    let own = text
        .replace(
            briefs::internals::placeholder::SUMMARY,
            "Chips got cheaper.",
        )
        .replace(
            briefs::internals::placeholder::RATIONALE,
            "Two vendors cut prices",
        )
        .replace(briefs::internals::placeholder::LEDE, "Prices fell")
        .replace(briefs::internals::placeholder::SOURCE_TITLE, "Price list")
        .replace(
            &format!("url: {}", briefs::internals::placeholder::SOURCE_URL),
            "url: https://vendor.example/prices",
        );
    fs::write(&path, own).unwrap();
    let yaml = fs::read_to_string(root.join("site.yaml")).unwrap().replace(
        briefs::internals::placeholder::BASE_URL,
        "https://desk.example/",
    );
    fs::write(root.join("site.yaml"), yaml).unwrap();
    let (code, stdout, stderr) = run(&root, &["build", "--strict"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains("warning"), "{stdout}");
}

#[test]
fn the_review_page_lists_a_drafts_placeholders() {
    let (_tmp, root) = init();
    briefs()
        .args(["new", "Chip export rules tighten", "--root"])
        .arg(&root)
        .assert()
        .success();
    let (code, _, stderr) = run(
        &root,
        &["build", "--drafts", "--base-url", "https://desk.example/"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        !stderr.contains("chip-export-rules-tighten"),
        "a draft's placeholders are no warning: {stderr}"
    );
    let html = page(&root, "review/index.html");
    let sel = Selector::parse(".review-notes li").unwrap();
    let notes: Vec<String> = html.select(&sel).map(|e| e.text().collect()).collect();
    for note in [
        "placeholder text “One or two sentences: what happened and why it matters.” on line 6",
        "placeholder text “Why this score, citing the evidence” on line 13",
        "placeholder text “Title of the article or document” on line 20",
        // The backticked names are <code> (issue 24), their text as it was.
        "placeholder URL https://example.org/ for source source-1 on line 21",
        "placeholder text “The lede: the news in one paragraph” on line 26",
    ] {
        assert!(notes.iter().any(|n| n == note), "{note}: {notes:?}");
    }
}

#[test]
fn serve_does_not_warn_about_the_placeholder_base_url() {
    let (_tmp, root) = init();
    let temp = TempDir::new().unwrap();
    let mut child = Process::cargo_bin("briefs")
        .unwrap()
        .env("TMPDIR", temp.path())
        .args(["serve", "--port", "0", "--root"])
        .arg(&root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut printed = Vec::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        let serving = line.starts_with("serving ");
        printed.push(line);
        if serving {
            break;
        }
    }
    common::stop_serve(&mut child, temp.path());
    let printed = printed.join("\n");
    assert!(printed.contains("placeholder text"), "{printed}");
    assert!(!printed.contains("base_url"), "{printed}");
}

/// The accessible name of a region: its `aria-label`, or the text of the
/// element its `aria-labelledby` names.
fn region_name(html: &Html, region: scraper::ElementRef<'_>) -> String {
    if let Some(label) = region.value().attr("aria-label") {
        return label.to_string();
    }
    let id = region.value().attr("aria-labelledby").unwrap_or_default();
    let sel = Selector::parse(&format!("[id='{id}']")).unwrap();
    html.select(&sel)
        .next()
        .map(|e| e.text().collect::<String>().trim().to_string())
        .unwrap_or_default()
}

#[test]
fn every_region_of_an_entity_page_has_its_own_name() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("public");
    briefs()
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
        .arg(&out)
        .assert()
        .success();
    let text = fs::read_to_string(out.join("entities/amazon/index.html")).unwrap();
    let html = Html::parse_document(&text);
    let sel =
        Selector::parse("section[aria-labelledby], section[aria-label], [role=region]").unwrap();
    let mut names: Vec<String> = html.select(&sel).map(|r| region_name(&html, r)).collect();
    assert!(
        names.len() >= 2,
        "the score history and its table: {names:?}"
    );
    let count = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), count, "two regions share a name: {names:?}");
}

/// A source whose publisher or title ends its own sentence gets no second
/// full stop (issue 24: "Nvidia Inc.." on the brief page and `sources/`).
#[test]
fn a_source_ending_in_a_full_stop_gets_no_second_one() {
    let sources = "sources:\n  - { id: a, publisher: Nvidia Inc., title: Results for Q3 ended Oct. 26. }\n  \
                   - { id: b, publisher: Bloomberg, title: Is the boom over? }\n  \
                   - { id: c, publisher: Reuters, title: Chips }\n";
    let text = format!(
        "---\ntitle: T\ndate: 2026-05-14\nsummary: S\nscore: {{ value: 5, rationale: R }}\n\
         {sources}---\nBody [@a] [@b] [@c].\n"
    );
    let tmp = site("", &[("t.md", text)]);
    let (code, _, stderr) = run(tmp.path(), &["build"]);
    assert_eq!(code, 0, "{stderr}");
    let expected = [
        "Nvidia Inc. n.d. Results for Q3 ended Oct. 26.",
        "Bloomberg. n.d. Is the boom over?",
        "Reuters. n.d. Chips.",
    ];
    let brief = texts(&page(tmp.path(), "briefs/t/index.html"), "ol.sources li");
    for (entry, start) in brief.iter().zip(expected) {
        assert!(
            entry.starts_with(start),
            "{entry:?} does not start with {start:?}"
        );
    }
    let mut index = texts(
        &page(tmp.path(), "sources/index.html"),
        ".source-index-title",
    );
    index.sort();
    let mut expected = expected.to_vec();
    expected.sort();
    assert_eq!(index, expected);
}

/// The review page shows a warning's `names` as code, never raw backticks
/// (issue 24).
#[test]
fn the_review_page_shows_backticked_names_as_code() {
    let text = brief("Draft", "2026-05-14", "status: draft\n").replace(
        "sources:\n",
        "sources:\n  - { id: spare, publisher: Q, title: U }\n",
    );
    let tmp = site("", &[("d.md", text)]);
    let (code, _, stderr) = run(tmp.path(), &["build", "--drafts"]);
    assert_eq!(code, 0, "{stderr}");
    let review = page(tmp.path(), "review/index.html");
    let notes = texts(&review, ".review-notes li");
    assert!(!notes.is_empty());
    assert!(notes.iter().all(|n| !n.contains('`')), "{notes:?}");
    assert!(
        texts(&review, ".review-notes li code").contains(&"spare".to_string()),
        "{notes:?}"
    );
}
