//! The command line as a new user meets it: paths that open from where the
//! command ran, a site found from any folder inside it, template errors that
//! name the file, counts in words, the theme written out for editing, free
//! pages ordered and hidden, new briefs as bundles or dated, and no progress
//! line where no terminal is.

mod common;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use common::{briefs, copy_dir, fixture, run_in, snapshot_dir};
use scraper::{Html, Selector};
use tempfile::TempDir;

/// A copy of a fixture site at `<tmp>/site`.
fn site(name: &str) -> (TempDir, PathBuf) {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture(name), &root);
    (tmp, root)
}

/// `in 123 ms` → `in <ms> ms`, so summary lines compare exactly.
fn without_times(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(" in ") {
        out.push_str(&rest[..i + 4]);
        rest = &rest[i + 4..];
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with(" ms") {
            out.push_str("<ms>");
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn diagnostic_paths_open_from_where_the_command_ran() {
    let (tmp, root) = site("errors/unknown_citation");
    let location = |stderr: &str| -> Vec<String> {
        stderr
            .lines()
            .filter_map(|l| l.trim().strip_prefix("--> "))
            .map(str::to_string)
            .collect()
    };
    let (code, _, stderr) = run_in(&root, &["check"]);
    assert_eq!(code, 1);
    assert_eq!(
        location(&stderr),
        [
            "content/briefs/block-rationale.md:9:27",
            "content/briefs/typo-cite.md:7:38",
            "content/briefs/typo-cite.md:20:20",
            "content/briefs/typo-cite.md:22:42",
        ]
    );
    let (_, _, stderr) = run_in(tmp.path(), &["check", "--root", "site"]);
    assert_eq!(
        location(&stderr),
        [
            "site/content/briefs/block-rationale.md:9:27",
            "site/content/briefs/typo-cite.md:7:38",
            "site/content/briefs/typo-cite.md:20:20",
            "site/content/briefs/typo-cite.md:22:42",
        ]
    );
    let (code, _, stderr) = run_in(&root.join("content/briefs"), &["check"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("check_inside_content_briefs", stderr);
    let (_, stdout, _) = run_in(&root.join("content/briefs"), &["check", "--format", "json"]);
    assert!(
        stdout.starts_with("{\"path\":\"block-rationale.md\",\"line\":9,\"column\":27,"),
        "{stdout}"
    );
}

#[test]
fn build_inside_the_content_folder_finds_the_site_and_says_so() {
    let (_tmp, root) = site("valid");
    let (code, stdout, stderr) = run_in(&root.join("content/briefs"), &["build"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.starts_with("using the site at ../..\n"), "{stderr}");
    assert_eq!(
        without_times(&stdout),
        "built 4 briefs, 22 pages in <ms> ms, 1 warning -> ../../public/\n"
    );
    assert!(root.join("public/index.html").is_file());
    assert!(!root.join("content/briefs/public").exists());
    // At the root itself, nothing is said about the root.
    let (_, _, stderr) = run_in(&root, &["build"]);
    assert!(!stderr.contains("using the site"), "{stderr}");
}

#[test]
fn a_site_template_error_names_the_file_under_templates() {
    let (tmp, root) = site("valid");
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(
        root.join("templates/page.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n{{ page.nope.x }}\n{% endblock content %}\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run_in(tmp.path(), &["build", "--root", "site"]);
    assert_eq!(code, 1);
    assert_eq!(stdout, "");
    insta::assert_snapshot!("template_error_from_the_parent_folder", stderr);
    let (_, _, stderr) = run_in(&root, &["check"]);
    assert!(
        stderr.contains(" --> templates/page.html:3:9\n"),
        "{stderr}"
    );
}

#[test]
fn one_brief_is_counted_as_one_brief() {
    let tmp = TempDir::new().unwrap();
    let (code, _, stderr) = run_in(tmp.path(), &["init", "desk"]);
    assert_eq!(code, 0, "{stderr}");
    let desk = tmp.path().join("desk");
    let (code, stdout, _) = run_in(&desk, &["build"]);
    assert_eq!(code, 0);
    assert!(
        without_times(&stdout).starts_with("built 1 brief, "),
        "{stdout}"
    );
    let (_, stdout, _) = run_in(&desk, &["check"]);
    assert!(
        without_times(&stdout).starts_with("checked 1 brief, "),
        "{stdout}"
    );
}

#[test]
fn check_says_how_many_unpublished_briefs_it_did_not_render() {
    let (_tmp, root) = site("valid");
    let (code, stdout, _) = run_in(&root, &["check"]);
    assert_eq!(code, 0);
    assert_eq!(
        without_times(&stdout),
        "checked 4 briefs, 22 pages in <ms> ms, 1 warning: no errors\n\
         also checked 1 draft, not rendered (--drafts renders them)\n"
    );
    let (_, stdout, _) = run_in(&root, &["check", "--drafts"]);
    assert!(!stdout.contains("also checked"), "{stdout}");
}

#[test]
fn check_help_has_the_layout_of_the_other_commands() {
    let (_, help, _) = run_in(Path::new("."), &["check", "--help"]);
    insta::assert_snapshot!("check_help", help);
    assert!(!help.contains("Possible values:"));
}

#[test]
fn theme_export_writes_the_theme_once_and_builds_the_same_site() {
    let (_tmp, root) = site("valid");
    let (_, _, stderr) = run_in(&root, &["build"]);
    assert!(!stderr.contains("error"), "{stderr}");
    let before = snapshot_dir(&root.join("public"));

    let (code, stdout, stderr) = run_in(&root.join("content"), &["theme", "export"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, "using the site at ..\n");
    insta::assert_snapshot!("theme_export", stdout);
    for (name, body) in briefs::internals::theme::TEMPLATES {
        let written = fs::read_to_string(root.join("templates").join(name)).unwrap();
        assert_eq!(&written, body, "{name}");
    }
    let (_, _, _) = run_in(&root, &["build"]);
    assert_eq!(snapshot_dir(&root.join("public")), before);

    fs::write(root.join("templates/base.html"), "edited").unwrap();
    let (code, stdout, stderr) = run_in(&root, &["theme", "export"]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "error: templates/base.html and 26 other files already exist; nothing was written \
         (--force overwrites them)\n"
    );
    assert_eq!(
        fs::read_to_string(root.join("templates/base.html")).unwrap(),
        "edited"
    );
    let (code, _, _) = run_in(&root, &["theme", "export", "--force"]);
    assert_eq!(code, 0);
    assert_ne!(
        fs::read_to_string(root.join("templates/base.html")).unwrap(),
        "edited"
    );

    let (code, stdout, _) = run_in(_tmp.path(), &["theme", "export", "elsewhere"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("\n  elsewhere/static/style.css\n"),
        "{stdout}"
    );
}

fn nav(html_path: &Path) -> Vec<String> {
    let html = Html::parse_document(&fs::read_to_string(html_path).unwrap());
    let links = Selector::parse("nav.site-nav a").unwrap();
    html.select(&links)
        .map(|a| a.text().collect::<String>())
        .collect()
}

#[test]
fn free_pages_are_ordered_by_weight_and_can_stay_out_of_the_nav() {
    let (_tmp, root) = site("valid");
    let pages = root.join("content/pages");
    fs::write(
        pages.join("about.md"),
        "---\ntitle: About us\nweight: 2\n---\nAbout.\n",
    )
    .unwrap();
    fs::write(
        pages.join("method.md"),
        "---\ntitle: Methodology\nweight: 1\n---\nHow.\n",
    )
    .unwrap();
    fs::write(pages.join("zeta.md"), "---\ntitle: Zeta\n---\nZ.\n").unwrap();
    fs::write(
        pages.join("imprint.md"),
        "---\ntitle: Imprint\nin_nav: false\n---\nLegal.\n",
    )
    .unwrap();
    let (code, _, stderr) = run_in(&root, &["build"]);
    assert_eq!(code, 0, "{stderr}");
    let public = root.join("public");
    let links = nav(&public.join("index.html"));
    let pages_in_nav: Vec<&str> = links
        .iter()
        .map(String::as_str)
        .skip_while(|l| *l != "Search")
        .skip(1)
        .collect();
    // No weight is weight 0: first, then by title among equals.
    assert_eq!(pages_in_nav, ["Zeta", "Methodology", "About us"]);
    assert!(public.join("imprint/index.html").is_file());
    assert!(!links.iter().any(|l| l == "Imprint"));
    assert!(nav(&public.join("imprint/index.html")).contains(&"Zeta".to_string()));
    let sitemap = fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("/briefs/imprint/"),
        "a hidden page is still published"
    );

    fs::write(
        pages.join("zeta.md"),
        "---\ntitle: Zeta\nweight: 1.5\n---\nZ.\n",
    )
    .unwrap();
    let (code, _, stderr) = run_in(&root, &["check"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(" --> content/pages/zeta.md:3:9\n"),
        "{stderr}"
    );
}

#[test]
fn new_writes_a_bundle_or_a_dated_brief() {
    let (_tmp, root) = site("valid");
    let (code, stdout, stderr) = run_in(
        &root.join("content/briefs"),
        &["new", "Chips in orbit", "--bundle", "--date", "2026-03-04"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, "using the site at ../..\n");
    assert_eq!(stdout, "created chips-in-orbit/index.md\n");
    let text = fs::read_to_string(root.join("content/briefs/chips-in-orbit/index.md")).unwrap();
    assert!(text.contains("\ndate: 2026-03-04\n"), "{text}");
    assert!(text.contains("\naccessed: 2026-03-04\n") || text.contains("accessed: 2026-03-04"));

    let (code, stdout, _) = run_in(&root, &["new", "Plain one", "--date", "2026-03-05"]);
    assert_eq!(code, 0);
    assert_eq!(stdout, "created content/briefs/plain-one.md\n");
    let (code, _, stderr) = run_in(&root, &["check", "--drafts"]);
    assert_eq!(code, 0, "{stderr}");

    // A file beside a bundle of the same name would give one slug twice.
    let (code, _, stderr) = run_in(&root, &["new", "Chips in orbit"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: content/briefs/chips-in-orbit already exists; not overwriting it\n"
    );
    let (code, _, stderr) = run_in(&root, &["new", "X", "--date", "2026-13-01"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("invalid value '2026-13-01' for '--date <DATE>'"),
        "{stderr}"
    );
}

#[test]
fn no_progress_line_without_a_terminal() {
    let (_tmp, root) = site("valid");
    let output = briefs()
        .arg("build")
        .current_dir(&root)
        // Show the line at once, were stderr a terminal.
        .env("BRIEFS_PROGRESS_AFTER_MS", "0")
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        without_times(&stdout),
        "built 4 briefs, 22 pages in <ms> ms, 1 warning -> public/\n"
    );
    assert!(
        !stderr.contains("rendering") && !stderr.contains('\r'),
        "{stderr:?}"
    );
    assert!(
        stderr.starts_with("warning: source `beta` is never cited\n"),
        "{stderr}"
    );
}

/// A running `briefs serve` whose stdout lines are collected.
struct Served {
    child: std::process::Child,
    lines: Arc<Mutex<Vec<String>>>,
    /// Its temporary folder, where it writes the site.
    temp: TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        common::stop_serve(&mut self.child, self.temp.path());
    }
}

impl Served {
    fn start(root: &Path, extra: &[&str]) -> Served {
        let temp = TempDir::new().unwrap();
        let mut child = Process::cargo_bin("briefs")
            .unwrap()
            .env("TMPDIR", temp.path())
            .args(["serve", "--port", "0"])
            .args(extra)
            .current_dir(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = lines.clone();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                sink.lock().unwrap().push(line.unwrap());
            }
        });
        Served { child, lines, temp }
    }

    fn text(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }

    fn wait_for(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let text = self.text();
            if check(&text) {
                return text;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "timed out waiting for {what}:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[test]
fn serve_broken_at_start_has_no_site_yet_and_prints_a_failure_once() {
    let (tmp, root) = site("valid");
    let brief = root.join("content/briefs/older.md");
    let text = fs::read_to_string(&brief).unwrap();
    let broken = text.replace("Older body [@one].", "Older body [@nope].");
    fs::write(&brief, &broken).unwrap();
    let server = Served::start(tmp.path(), &["--root", "site"]);
    let out = server.wait_for("the serving line", |t| t.contains("(Ctrl+C to stop)"));
    assert!(
        out.contains("no site yet: nothing is served until the problem is fixed and saved"),
        "{out}"
    );
    assert!(!out.contains("last good site"), "{out}");
    assert!(
        out.contains(" --> site/content/briefs/older.md:13:12\n"),
        "{out}"
    );
    // The same failure saved again (or saved in two writes) is not printed again.
    fs::write(&brief, format!("{broken}\n")).unwrap();
    let out = server.wait_for("the second failure", |t| t.contains("still failing"));
    assert_eq!(
        out.matches("citation of unknown source `nope`").count(),
        1,
        "{out}"
    );
    assert!(
        out.ends_with("still failing with the errors above; fix them and save"),
        "{out}"
    );
    fs::write(&brief, &text).unwrap();
    let out = server.wait_for("the recovery", |t| t.contains("rebuilt "));
    assert!(out.contains("\nrebuilt "), "{out}");
}

#[test]
fn serve_on_all_interfaces_prints_a_url_one_can_open() {
    let (_tmp, root) = site("valid");
    let server = Served::start(&root, &["--bind", "0.0.0.0"]);
    let out = server.wait_for("the serving line", |t| t.contains("port "));
    let line = out
        .lines()
        .find(|l| l.starts_with("serving "))
        .expect("a serving line");
    let url = line
        .split(" at ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    let port = url
        .trim_start_matches("http://127.0.0.1:")
        .trim_end_matches('/');
    assert!(
        out.contains(&format!(
            "listening on all interfaces (0.0.0.0): other machines reach it at this \
             machine's name or address, port {port}"
        )),
        "{out}"
    );
    let mut stream = std::net::TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
    use std::io::{Read, Write};
    write!(
        stream,
        "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
}

/// A tool reading `check --format json` gets JSON even when there is no
/// site to check: one line, code `usage`, as well as the words on stderr.
#[test]
fn check_json_without_a_site_writes_json() {
    let tmp = tempfile::TempDir::new().unwrap();
    let (code, stdout, stderr) = run_in(tmp.path(), &["check", "--format", "json"]);
    assert_eq!(code, 2);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    let problem: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(problem["path"], "site.yaml");
    assert_eq!(problem["code"], "usage");
    assert_eq!(problem["severity"], "error");
    assert!(
        problem["message"]
            .as_str()
            .unwrap()
            .starts_with("no site.yaml in "),
        "{problem}"
    );
    assert!(stderr.starts_with("error: no site.yaml in "), "{stderr}");
}
