//! The guarantees of the README's "Guarantees" section, against hostile
//! input: escaping in every output context, dangerous URLs, files outside the
//! site, huge and deeply nested input, YAML alias bombs, and concurrent builds.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{briefs, run_build, snapshot_dir};
use tempfile::TempDir;

/// A site with `site.yaml` and the given briefs (name, text).
fn site(briefs: &[(&str, String)]) -> TempDir {
    let tmp = TempDir::new().unwrap();
    fs::create_dir_all(tmp.path().join("content/briefs")).unwrap();
    fs::write(
        tmp.path().join("site.yaml"),
        "title: Guarantees\nbase_url: https://desk.example/\n",
    )
    .unwrap();
    for (name, text) in briefs {
        fs::write(tmp.path().join("content/briefs").join(name), text).unwrap();
    }
    tmp
}

/// YAML double-quoted form of any string.
fn yaml(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "</title><script>alert(1)</script>",
    "\" onmouseover=\"alert(1)",
    "javascript:alert(1)",
    "]]></content><script>alert(1)</script>",
    "{{ site.title }} {% raw %}",
    "</script><script>alert(1)</script>",
];

fn hostile_brief(payload: &str) -> String {
    let p = yaml(payload);
    format!(
        "---\ntitle: {p}\ndate: 2026-05-01\nsummary: {p}\ntags: [{p}]\nentities: [{p}, Safe]\nscore:\n  value: 5\n  rationale: {p}\n  factors: [{{ name: {p}, value: 5, note: {p} }}]\nsources:\n  - {{ id: a, publisher: {p}, title: {p}, url: \"https://ok.example/?q=%3Cscript%3E\" }}\nwatch: [{{ item: {p}, by: 2026-06-01 }}]\ncorrections: [{{ date: 2026-05-02, text: {p} }}]\n---\n## Body\n\n{payload} [@a]\n\n[click](javascript:alert(1)) [data](data:text/html,x) ![img](vbscript:x)\n"
    )
}

/// Every file of the built site, as text.
fn outputs(out: &Path) -> Vec<(String, String)> {
    snapshot_dir(out)
        .into_iter()
        .map(|(p, b)| (p, String::from_utf8_lossy(&b).into_owned()))
        .collect()
}

#[test]
fn hostile_front_matter_is_escaped_in_every_output() {
    for (i, payload) in PAYLOADS.iter().enumerate() {
        let tmp = site(&[]);
        let bundle = tmp.path().join("content/briefs/hostile");
        fs::create_dir_all(&bundle).unwrap();
        fs::write(bundle.join("index.md"), hostile_brief(payload)).unwrap();
        // `<img src=x …>` is cleaned into a plain image of `x`, which the
        // build's link check must find beside the page.
        fs::write(bundle.join("x"), "").unwrap();
        let out = tmp.path().join("public");
        let result = run_build(tmp.path(), &out, &["--drafts"]);
        assert!(
            result.status.success(),
            "payload {i}: {}",
            String::from_utf8_lossy(&result.stderr)
        );
        for (path, text) in outputs(&out) {
            if path.ends_with(".json") {
                // JSON is data: the text is kept as written, in valid JSON strings.
                serde_json::from_str::<serde_json::Value>(&text)
                    .unwrap_or_else(|e| panic!("payload {i}: {path}: {e}"));
                continue;
            }
            if path.ends_with(".ics") {
                // Calendar text is plain text: escaped for iCalendar, every line folded.
                assert!(
                    text.split("\r\n")
                        .all(|line| line.len() <= 75 && !line.contains('\n')),
                    "payload {i}: {path}"
                );
                continue;
            }
            if path.ends_with(".js") || path.ends_with(".css") || path.ends_with(".svg") {
                continue;
            }
            if path.ends_with(".html") {
                let html = scraper::Html::parse_document(&text);
                for element in html.tree.values().filter_map(|n| n.as_element()) {
                    for (name, value) in element.attrs() {
                        assert!(
                            !name.starts_with("on"),
                            "payload {i}: `{name}` handler in {path}"
                        );
                        let value = value.trim().to_lowercase();
                        if matches!(name, "href" | "src") {
                            for scheme in ["javascript:", "vbscript:", "data:"] {
                                assert!(
                                    !value.starts_with(scheme),
                                    "payload {i}: {scheme} URL in {path}"
                                );
                            }
                        }
                    }
                    if element.name() == "script" {
                        assert!(
                            element
                                .attr("src")
                                .is_some_and(|s| s.ends_with("search.js")),
                            "payload {i}: a script in {path}"
                        );
                    }
                    let theme_svg =
                        matches!(element.attr("class"), Some("score-history" | "site-mark"));
                    assert!(
                        element.name() != "svg" || theme_svg,
                        "payload {i}: svg in {path}"
                    );
                }
            }
            if path.ends_with(".xml") {
                let doc = roxmltree::Document::parse(&text)
                    .unwrap_or_else(|e| panic!("payload {i}: {path} is not XML: {e}"));
                for node in doc.descendants().filter(|n| n.is_element()) {
                    assert!(
                        !matches!(node.tag_name().name(), "script" | "img" | "svg"),
                        "payload {i}: element in {path}"
                    );
                }
            }
        }
        // The text survives escaping intact where readers see it.
        let json: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(out.join("briefs.json")).unwrap()).unwrap();
        assert_eq!(json["briefs"][0]["title"], *payload);
    }
}

#[test]
fn raw_html_follows_the_markdown_raw_html_setting() {
    let body = "<p onclick=\"steal()\">para</p>\n\n<script>alert(1)</script>\n\n<a href=\"javascript:alert(1)\">x</a>\n";
    let brief = format!(
        "---\ntitle: Raw\ndate: 2026-05-01\nsummary: S\nscore: {{ value: 5, rationale: \"R [@a]\" }}\nsources: [{{ id: a, publisher: P, title: T }}]\n---\n{body}\nCited [@a].\n"
    );
    let cases = [
        (
            "sanitize",
            vec!["<p>para</p>"],
            vec!["onclick", "<script", "javascript:"],
        ),
        (
            "escape",
            vec!["&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;p onclick"],
            vec!["<script>alert", "<p onclick"],
        ),
        (
            "allow",
            vec![
                "<p onclick=\"steal()\">para</p>",
                "<script>alert(1)</script>",
            ],
            vec![],
        ),
    ];
    for (mode, present, absent) in cases {
        let tmp = site(&[("raw.md", brief.clone())]);
        fs::write(
            tmp.path().join("site.yaml"),
            format!(
                "title: T\nbase_url: https://desk.example/\nmarkdown: {{ raw_html: {mode} }}\n"
            ),
        )
        .unwrap();
        let out = tmp.path().join("public");
        assert!(run_build(tmp.path(), &out, &["--drafts"]).status.success());
        let html = fs::read_to_string(out.join("briefs/raw/index.html")).unwrap();
        let start = html.find("class=\"brief-body").unwrap();
        let body = &html[start..start + html[start..].find("<section class=\"scoring\"").unwrap()];
        for s in present {
            assert!(body.contains(s), "{mode}: missing {s}\n{body}");
        }
        for s in absent {
            assert!(!body.contains(s), "{mode}: still has {s}\n{body}");
        }
    }
}

#[test]
fn huge_and_deeply_nested_briefs_build_without_overflowing() {
    let head = "---\ntitle: Big\ndate: 2026-05-01\nsummary: S\nscore: { value: 5, rationale: \"R [@a]\" }\nsources: [{ id: a, publisher: P, title: T }]\n---\n";
    let paragraphs: String = (0..20_000)
        .map(|i| format!("Paragraph {i} with some words [@a].\n\n"))
        .collect();
    let five_mb = format!("{head}{}", "word ".repeat(1_000_000));
    let nested_lists: String = (0..10_000)
        .map(|i| format!("{}- item\n", "  ".repeat(i)))
        .collect();
    let nested_quotes = format!("{}deep [@a]\n", ">".repeat(10_000));
    let cases = [
        ("paragraphs.md", format!("{head}{paragraphs}")),
        ("five-mb.md", five_mb),
        ("lists.md", format!("{head}{nested_lists}\n[@a]\n")),
        ("quotes.md", format!("{head}{nested_quotes}")),
    ];
    for (name, text) in cases {
        let tmp = site(&[(name, text)]);
        let out = tmp.path().join("public");
        let result = run_build(tmp.path(), &out, &["--drafts"]);
        assert!(
            result.status.success(),
            "{name}: {:?} {}",
            result.status,
            String::from_utf8_lossy(&result.stderr)
        );
    }
}

#[test]
fn a_yaml_alias_bomb_is_refused_with_a_location() {
    let mut yaml = String::from("---\ntitle: Bomb\n");
    yaml.push_str(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        let refs = vec![format!("*{prev}"); 9].join(",");
        yaml.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    yaml.push_str("extra: { bomb: *i }\n---\nBody\n");
    let tmp = site(&[("bomb.md", yaml)]);
    let result = briefs()
        .arg("check")
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains(" --> content/briefs/bomb.md:"), "{stderr}");
}

#[test]
fn non_utf8_and_unreadable_files_get_located_errors() {
    let tmp = site(&[]);
    let mut bytes = b"---\ntitle: Bad \xff bytes\n---\n".to_vec();
    bytes.extend_from_slice(b"body");
    fs::write(tmp.path().join("content/briefs/latin1.md"), bytes).unwrap();
    let result = briefs()
        .arg("check")
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("error: file is not valid UTF-8\n --> content/briefs/latin1.md:2:12"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn symlinks_are_never_followed_out_of_the_site_and_loops_do_not_hang() {
    use std::os::unix::fs::symlink;
    let outside = TempDir::new().unwrap();
    fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    fs::write(
        outside.path().join("outside.md"),
        "---\ntitle: Outside\ndate: 2026-05-01\nsummary: S\nscore: { value: 5, rationale: R }\nsources: [{ id: a, publisher: P, title: T }]\n---\nx [@a]\n",
    )
    .unwrap();
    let tmp = site(&[]);
    fs::create_dir_all(tmp.path().join("static")).unwrap();
    symlink(
        outside.path().join("secret.txt"),
        tmp.path().join("static/secret.txt"),
    )
    .unwrap();
    symlink(outside.path(), tmp.path().join("static/outside")).unwrap();
    symlink(
        outside.path().join("outside.md"),
        tmp.path().join("content/briefs/outside.md"),
    )
    .unwrap();
    symlink(tmp.path().join("static"), tmp.path().join("static/loop")).unwrap();
    let out = tmp.path().join("public");
    let result = run_build(tmp.path(), &out, &["--drafts"]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let files: Vec<String> = snapshot_dir(&out).into_keys().collect();
    assert!(
        !files
            .iter()
            .any(|f| f.contains("secret") || f.contains("outside") || f.contains("loop")),
        "{files:?}"
    );
}

#[test]
fn concurrent_builds_into_one_output_leave_one_complete_site() {
    let brief = |title: &str| {
        format!(
            "---\ntitle: {title}\ndate: 2026-05-01\nsummary: S\nscore: {{ value: 5, rationale: \"R [@a]\" }}\nsources: [{{ id: a, publisher: P, title: T }}]\n---\nBody [@a].\n"
        )
    };
    let a = site(&[
        ("one.md", brief("Site A")),
        ("only-a.md", brief("Only in A")),
    ]);
    let b = site(&[("one.md", brief("Site B"))]);
    let work = TempDir::new().unwrap();
    let (clean_a, clean_b) = (work.path().join("a"), work.path().join("b"));
    assert!(
        run_build(a.path(), &clean_a, &["--drafts"])
            .status
            .success()
    );
    assert!(
        run_build(b.path(), &clean_b, &["--drafts"])
            .status
            .success()
    );
    let (clean_a, clean_b) = (snapshot_dir(&clean_a), snapshot_dir(&clean_b));
    let shared: PathBuf = work.path().join("shared");
    for round in 0..8 {
        let roots = [a.path().to_path_buf(), b.path().to_path_buf()];
        let handles: Vec<_> = roots
            .into_iter()
            .map(|root| {
                let out = shared.clone();
                std::thread::spawn(move || run_build(&root, &out, &["--drafts"]))
            })
            .collect();
        for handle in handles {
            let result = handle.join().unwrap();
            assert!(
                result.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&result.stderr)
            );
        }
        let got = snapshot_dir(&shared);
        assert!(
            got == clean_a || got == clean_b,
            "round {round}: the output mixes both sites"
        );
        // Beside the output: only the folder that keeps a replaced site
        // (from the first build that replaces one).
        let mut beside: Vec<_> = fs::read_dir(work.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|name| name != ".shared.briefs")
            .collect();
        beside.sort();
        assert_eq!(
            beside,
            ["a", "b", "shared"],
            "round {round}: staging folders left behind"
        );
        assert!(round == 0 || work.path().join(".shared.briefs/CACHEDIR.TAG").is_file());
    }
}
