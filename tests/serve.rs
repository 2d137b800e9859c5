//! The authoring loop: incremental rebuilds give exactly what a clean build
//! gives, and `briefs serve` serves edits, failures and recoveries, safely.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use briefs::Options;
use briefs::internals::session::Session;
use common::{copy_dir, fixture, snapshot_dir};
use tempfile::TempDir;

/// A site copy, a session serving it into a folder, and a way to compare
/// that folder with a clean build.
struct Harness {
    tmp: TempDir,
    root: PathBuf,
    session: Session,
}

const BASE: &str = "http://127.0.0.1:1111/";

impl Harness {
    fn new() -> Self {
        let tmp = TempDir::new().unwrap();
        let root = tmp.path().join("site");
        copy_dir(&fixture("valid"), &root);
        let root = root.canonicalize().unwrap();
        let options = Options {
            root: root.clone(),
            base_url: Some(BASE.into()),
            drafts: true,
            ..Options::default()
        };
        let (session, first) = Session::start(options, tmp.path().join("served")).unwrap();
        first.unwrap();
        Harness { tmp, root, session }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn rebuild(
        &mut self,
        changed: &[&str],
    ) -> Result<briefs::internals::session::Rebuilt, briefs::Error> {
        let paths: Vec<PathBuf> = changed.iter().map(|p| self.path(p)).collect();
        self.session.rebuild(&paths)
    }

    /// Asserts the served folder equals a clean build, file for file.
    fn assert_matches_clean_build(&self, step: &str) {
        let clean = self
            .tmp
            .path()
            .join(format!("clean-{}", step.replace(' ', "-")));
        let options = Options {
            root: self.root.clone(),
            output: Some(clean.clone()),
            base_url: Some(BASE.into()),
            drafts: true,
            strict: false,
            ..Options::default()
        };
        briefs::build(&options).unwrap_or_else(|e| panic!("{step}: clean build failed: {e}"));
        let served = snapshot_dir(&self.tmp.path().join("served"));
        let mut clean = snapshot_dir(&clean);
        // Only a build marks its output as its own; serve's folder is its own.
        clean.remove(briefs::BUILD_MARKER);
        let served_paths: Vec<&String> = served.keys().collect();
        let clean_paths: Vec<&String> = clean.keys().collect();
        assert_eq!(served_paths, clean_paths, "{step}: file lists differ");
        for (path, bytes) in &clean {
            assert!(
                served[path] == *bytes,
                "{step}: {path} differs from a clean build:\n--- served\n{}\n--- clean\n{}",
                String::from_utf8_lossy(&served[path]),
                String::from_utf8_lossy(bytes)
            );
        }
    }
}

/// Replaces text in a file the way editors save safely: a temporary file,
/// then a rename, so the watcher never sees a half-written file.
fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    let tmp = path.with_file_name(format!(
        ".{}.swp",
        path.file_name().unwrap().to_string_lossy()
    ));
    fs::write(&tmp, text.replacen(from, to, 1)).unwrap();
    fs::rename(&tmp, path).unwrap();
}

#[test]
fn incremental_rebuilds_equal_a_clean_build_after_every_kind_of_change() {
    let mut h = Harness::new();
    h.assert_matches_clean_build("start");

    edit(
        &h.path("content/briefs/older.md"),
        "title: An older brief",
        "title: A renamed older brief",
    );
    let rebuilt = h.rebuild(&["content/briefs/older.md"]).unwrap();
    assert!(
        rebuilt.rendered < 30,
        "an edit re-renders what it affects, not the site: {}",
        rebuilt.rendered
    );
    h.assert_matches_clean_build("title edit");

    fs::rename(
        h.path("content/briefs/oldest.md"),
        h.path("content/briefs/renamed.md"),
    )
    .unwrap();
    h.rebuild(&["content/briefs/oldest.md", "content/briefs/renamed.md"])
        .unwrap();
    assert!(
        !h.tmp
            .path()
            .join("served/briefs/oldest")
            .join("index.html")
            .exists()
    );
    h.assert_matches_clean_build("rename");

    edit(
        &h.path("content/briefs/cited.md"),
        "date: 2026-05-14",
        "date: 2024-01-01",
    );
    h.rebuild(&["content/briefs/cited.md"]).unwrap();
    h.assert_matches_clean_build("date move");

    fs::remove_dir_all(h.path("content/briefs/bundle-brief")).unwrap();
    h.rebuild(&[
        "content/briefs/bundle-brief/index.md",
        "content/briefs/bundle-brief/chart.svg",
    ])
    .unwrap();
    h.assert_matches_clean_build("bundle deletion");

    fs::write(
        h.path("content/briefs/added.md"),
        "---\ntitle: Added\ndate: 2026-07-01\nsummary: New.\ntags: [fresh]\nscore: { value: 9.5, rationale: \"Yes [@a].\" }\nsources: [{ id: a, publisher: A, title: T }]\nwatch: [{ item: Soon, by: 2026-08-01 }]\n---\nBody [@a].\n",
    )
    .unwrap();
    h.rebuild(&["content/briefs/added.md"]).unwrap();
    h.assert_matches_clean_build("addition");

    edit(
        &h.path("content/briefs/draft.md"),
        "status: draft",
        "status: published",
    );
    h.rebuild(&["content/briefs/draft.md"]).unwrap();
    h.assert_matches_clean_build("publication");

    fs::create_dir_all(h.path("templates/partials")).unwrap();
    fs::write(
        h.path("templates/partials/score_badge.html"),
        "<b class=\"badge\">{{ score.display }} {{ score.band }}</b>",
    )
    .unwrap();
    h.rebuild(&["templates/partials/score_badge.html"]).unwrap();
    h.assert_matches_clean_build("template override");

    fs::write(h.path("static/robots-extra.txt"), "changed\n").unwrap();
    let rebuilt = h.rebuild(&["static/robots-extra.txt"]).unwrap();
    assert_eq!((rebuilt.rendered, rebuilt.written), (0, 1));
    h.assert_matches_clean_build("static edit");

    edit(
        &h.path("content/pages/about.md"),
        "title: About us",
        "title: About the desk",
    );
    h.rebuild(&["content/pages/about.md"]).unwrap();
    h.assert_matches_clean_build("page title");

    edit(&h.path("site.yaml"), "per_page: 2", "per_page: 3");
    h.rebuild(&["site.yaml"]).unwrap();
    h.assert_matches_clean_build("config");
}

#[test]
fn a_static_image_a_text_shows_is_read_again_when_it_changes() {
    let mut h = Harness::new();
    let chart = h.path("static/img/chart.png");
    fs::create_dir_all(chart.parent().unwrap()).unwrap();
    let pattern = |x: u32, y: u32| image::Rgb([(x % 7) as u8, (y % 5) as u8, 9]);
    image::RgbImage::from_fn(1000, 500, pattern)
        .save(&chart)
        .unwrap();
    edit(
        &h.path("content/briefs/older.md"),
        "Older body [@one].",
        "Older body [@one].\n\n![A chart](@/static/img/chart.png)",
    );
    let about = fs::read_to_string(h.path("content/pages/about.md")).unwrap();
    fs::write(
        h.path("content/pages/about.md"),
        format!("{about}\n![A chart](@/static/img/chart.png)\n"),
    )
    .unwrap();
    h.rebuild(&[
        "static/img/chart.png",
        "content/briefs/older.md",
        "content/pages/about.md",
    ])
    .unwrap();
    h.assert_matches_clean_build("a static image shown");
    // A new picture, of another size: its size and variants change on
    // the brief and the page, though neither file was saved.
    image::RgbImage::from_fn(1200, 300, pattern)
        .save(&chart)
        .unwrap();
    h.rebuild(&["static/img/chart.png"]).unwrap();
    let served = fs::read_to_string(h.tmp.path().join("served/briefs/older/index.html")).unwrap();
    assert!(served.contains("width=\"1200\" height=\"300\""), "{served}");
    h.assert_matches_clean_build("the static image changed");
}

/// The data files (search shards and facets, `briefs.json`, `watch.ics`, the sitemap)
/// are kept between rebuilds and updated per brief: each step must still
/// give a clean build's bytes. Files named by the watcher are re-read
/// without a walk.
#[test]
fn data_files_updated_per_brief_equal_a_clean_build() {
    let mut h = Harness::new();

    // New search terms, a watch date and a score band: the search shards,
    // `watch.ics`, `briefs.json` and the sitemap's band pages move with it.
    edit(
        &h.path("content/briefs/older.md"),
        "Older body [@one].",
        "Older body on quantum annealing [@one].\n\nZebra crossings.",
    );
    h.rebuild(&["content/briefs/older.md"]).unwrap();
    h.assert_matches_clean_build("search terms");
    edit(
        &h.path("content/briefs/older.md"),
        "  value: 9\n",
        "  value: 3\n",
    );
    edit(
        &h.path("content/briefs/older.md"),
        "entities: [Amazon]\n",
        "entities: [Amazon]\nwatch: [{ item: Price cut, by: 2026-09-01 }]\n",
    );
    h.rebuild(&["content/briefs/older.md"]).unwrap();
    h.assert_matches_clean_build("score and watch");

    fs::write(
        h.path("content/briefs/added.md"),
        "---\ntitle: Added\ndate: 2026-07-01\nsummary: New.\ntags: [fresh]\nscore: { value: 9.5, rationale: \"Yes [@a].\" }\nsources: [{ id: a, publisher: A, title: T }]\n---\nBody [@a].\n",
    )
    .unwrap();
    h.rebuild(&["content/briefs/added.md"]).unwrap();
    h.assert_matches_clean_build("new file");

    fs::remove_file(h.path("content/briefs/added.md")).unwrap();
    h.rebuild(&["content/briefs/added.md"]).unwrap();
    h.assert_matches_clean_build("deletion");

    // A file that appears and a tag moved to the entities, in one batch.
    fs::write(
        h.path("content/briefs/second.md"),
        "---\ntitle: Second\ndate: 2025-12-01\nsummary: Later.\nentities: [fresh]\nscore: { value: 1, rationale: \"Low [@a].\" }\nsources: [{ id: a, publisher: A, title: T }]\n---\nUnusual vocabulary [@a].\n",
    )
    .unwrap();
    edit(
        &h.path("content/briefs/older.md"),
        "tags: [cloud]",
        "tags: []",
    );
    h.rebuild(&["content/briefs/second.md", "content/briefs/older.md"])
        .unwrap();
    h.assert_matches_clean_build("new file and retag");
}

#[test]
fn a_failed_rebuild_keeps_the_last_good_site_and_the_next_good_one_catches_up() {
    let mut h = Harness::new();
    let before = snapshot_dir(&h.tmp.path().join("served"));
    // Two edits, one of them breaking the site.
    edit(
        &h.path("content/briefs/older.md"),
        "date: 2026-01-02",
        "date: 2026-06-02",
    );
    edit(
        &h.path("content/briefs/oldest.md"),
        "Weak [@one].",
        "Weak [@missing].",
    );
    let error = h
        .rebuild(&["content/briefs/older.md", "content/briefs/oldest.md"])
        .unwrap_err();
    assert!(matches!(error, briefs::Error::Content(_)));
    assert_eq!(snapshot_dir(&h.tmp.path().join("served")), before);
    // Fixing the broken file alone must still apply the other edit.
    edit(
        &h.path("content/briefs/oldest.md"),
        "Weak [@missing].",
        "Weak [@one].",
    );
    h.rebuild(&["content/briefs/oldest.md"]).unwrap();
    h.assert_matches_clean_build("recovery");
}

/// The first lines of a failed rebuild's errors (warnings left out).
fn messages(error: &briefs::Error) -> String {
    let briefs::Error::Content(diagnostics) = error else {
        panic!("not a content error: {error}");
    };
    diagnostics
        .iter()
        .map(|d| d.to_string())
        .filter(|d| d.contains(": error: "))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_save_that_breaks_a_link_fails_like_build_and_keeps_the_served_site() {
    let mut h = Harness::new();
    let before = snapshot_dir(&h.tmp.path().join("served"));
    let older = h.path("content/briefs/older.md");
    edit(
        &older,
        "Older body [@one].",
        "Older body [@one]. See [it](/nowhere/).",
    );
    let error = h.rebuild(&["content/briefs/older.md"]).unwrap_err();
    assert_eq!(
        messages(&error),
        "content/briefs/older.md:13:24: error: broken link `/nowhere/` on \
         briefs/older/index.html: no such page or file"
    );
    assert_eq!(snapshot_dir(&h.tmp.path().join("served")), before);
    edit(&older, " See [it](/nowhere/).", "");
    h.rebuild(&["content/briefs/older.md"]).unwrap();
    h.assert_matches_clean_build("link fixed");
}

/// A save re-renders a few pages, but a link on a page it does not
/// re-render breaks when the page it points at loses the heading, or goes.
#[test]
fn a_save_that_breaks_a_link_on_another_page_fails_like_build() {
    let mut h = Harness::new();
    let older = h.path("content/briefs/older.md");
    edit(
        &older,
        "Older body [@one].",
        "Older body [@one]. See [what happened](/briefs/cited/#what-happened) and [us](/about/).",
    );
    h.rebuild(&["content/briefs/older.md"]).unwrap();
    h.assert_matches_clean_build("links added");

    let cited = h.path("content/briefs/cited.md");
    edit(&cited, "## What happened", "## What followed");
    let error = h.rebuild(&["content/briefs/cited.md"]).unwrap_err();
    let text = messages(&error);
    assert!(
        text.starts_with(
            "content/briefs/older.md:13:24: error: broken link `/briefs/cited/#what-happened` \
             on briefs/older/index.html: the page has no element with id `what-happened`"
        ),
        "{text}"
    );
    edit(&cited, "## What followed", "## What happened");
    h.rebuild(&["content/briefs/cited.md"]).unwrap();
    h.assert_matches_clean_build("heading back");

    let about = h.path("content/pages/about.md");
    let page = fs::read_to_string(&about).unwrap();
    fs::remove_file(&about).unwrap();
    let error = h.rebuild(&["content/pages/about.md"]).unwrap_err();
    assert!(
        messages(&error).contains("broken link `/about/` on briefs/older/index.html"),
        "{}",
        messages(&error)
    );
    fs::write(&about, page).unwrap();
    h.rebuild(&["content/pages/about.md"]).unwrap();
    h.assert_matches_clean_build("page back");
}

/// A running `briefs serve`, stopped when dropped: as `kill` stops it, and
/// the site it served must be gone from its temporary folder.
struct Server {
    child: Child,
    addr: String,
    /// The temporary folder it writes the site into.
    temp: PathBuf,
    /// That folder, when the server made it.
    _owned: Option<TempDir>,
}

impl Server {
    /// Sends the signal `name` (`TERM`, `INT`) and waits for the server to stop.
    fn signal(&mut self, name: &str) -> std::process::ExitStatus {
        common::signal_and_wait(&mut self.child, name)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        common::stop_serve(&mut self.child, &self.temp);
    }
}

fn serve(root: &Path) -> Server {
    let temp = TempDir::new().unwrap();
    let mut server = serve_with_temp(root, temp.path());
    server._owned = Some(temp);
    server
}

/// `briefs serve` whose temporary folder (where it writes the site) is `temp`.
fn serve_with_temp(root: &Path, temp: &Path) -> Server {
    let mut child = Process::cargo_bin("briefs")
        .unwrap()
        .env("TMPDIR", temp)
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("serve printed its URL").unwrap();
        if let Some(rest) = line.split(" at http://").nth(1) {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server {
        child,
        addr,
        temp: temp.to_path_buf(),
        _owned: None,
    }
}

/// A raw HTTP/1.1 GET, so odd paths reach the server exactly as written.
fn get(addr: &str, path: &str) -> (u16, String) {
    get_with(addr, path, "")
}

/// [`get`] with extra header lines (each ending in `\r\n`).
fn get_with(addr: &str, path: &str, headers: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{headers}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}

fn wait_for(addr: &str, path: &str, what: &str, check: impl Fn(u16, &str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let (status, body) = get(addr, path);
        if check(status, &body) {
            return body;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}; last: {status}\n{body}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[cfg(unix)]
#[test]
fn a_killed_server_deletes_the_site_it_served() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture("valid"), &root);
    let temp = tmp.path().join("temp");
    fs::create_dir_all(&temp).unwrap();
    let mut server = serve_with_temp(&root, &temp);
    wait_for(&server.addr, "/", "the index", |status, _| status == 200);
    assert_eq!(fs::read_dir(&temp).unwrap().count(), 1);
    assert!(server.signal("TERM").success());
    let left: Vec<_> = fs::read_dir(&temp).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

/// Ctrl+C (SIGINT) with a page open in a browser: the page's live-reload
/// stream never ends on its own, and the server stops all the same, deletes
/// the site it served, and exits 0.
#[cfg(unix)]
#[test]
fn ctrl_c_with_a_page_open_stops_the_server_and_deletes_its_site() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture("valid"), &root);
    let temp = tmp.path().join("temp");
    fs::create_dir_all(&temp).unwrap();
    let mut server = serve_with_temp(&root, &temp);
    wait_for(&server.addr, "/", "the index", |status, _| status == 200);
    // What the live-reload script of an open page keeps open.
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    write!(
        stream,
        "GET /_tower-livereload/event-stream HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr
    )
    .unwrap();
    let mut first = [0; 64];
    let read = stream.read(&mut first).unwrap();
    assert!(
        String::from_utf8_lossy(&first[..read]).starts_with("HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&first[..read])
    );
    assert_eq!(server.signal("INT").code(), Some(0));
    let left: Vec<_> = fs::read_dir(&temp).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn serve_shows_edits_failures_and_recoveries() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture("valid"), &root);
    let server = serve(&root);
    let addr = server.addr.as_str();

    let (status, page) = get(addr, "/briefs/older/");
    assert_eq!(status, 200);
    assert!(page.contains("An older brief"));
    assert!(
        page.contains("href=\"/tags/cloud/\""),
        "links point at the local server's root"
    );

    edit(
        &root.join("content/briefs/older.md"),
        "title: An older brief",
        "title: Freshly edited",
    );
    wait_for(addr, "/briefs/older/", "the edit", |s, b| {
        s == 200 && b.contains("Freshly edited")
    });
    wait_for(addr, "/page/2/", "the index", |_, b| {
        b.contains("Freshly edited")
    });

    edit(
        &root.join("content/briefs/older.md"),
        "Older body [@one].",
        "Older body [@nope].",
    );
    let failure = wait_for(addr, "/briefs/older/", "the failure page", |s, b| {
        s == 500 && b.contains("nope")
    });
    assert!(failure.contains("Build failed"));
    assert!(failure.contains("content/briefs/older.md:13:"), "{failure}");
    assert!(failure.contains("citation of unknown source `nope`"));

    edit(
        &root.join("content/briefs/older.md"),
        "Older body [@nope].",
        "Older body [@one].",
    );
    wait_for(addr, "/briefs/older/", "recovery", |s, b| {
        s == 200 && b.contains("Freshly edited")
    });

    // A link that `build` refuses is an error in the browser too.
    edit(
        &root.join("content/briefs/older.md"),
        "Older body [@one].",
        "Older body [@one]. See [it](/nowhere/).",
    );
    let failure = wait_for(addr, "/briefs/older/", "the broken link", |s, b| {
        s == 500 && b.contains("broken link")
    });
    assert!(
        failure.contains(
            "error: broken link `/nowhere/` on briefs/older/index.html: no such page or file"
        ),
        "{failure}"
    );
    assert!(
        failure.contains("content/briefs/older.md:13:24"),
        "{failure}"
    );
    edit(
        &root.join("content/briefs/older.md"),
        " See [it](/nowhere/).",
        "",
    );
    wait_for(addr, "/briefs/older/", "recovery from the link", |s, b| {
        s == 200 && b.contains("Freshly edited")
    });
}

#[test]
fn a_page_saved_twice_within_a_second_reloads_as_the_second_version() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture("valid"), &root);
    let server = serve(&root);
    let addr = server.addr.as_str();
    let (status, page) = get(addr, "/briefs/older/");
    assert_eq!(status, 200);
    let head = page.split("\r\n\r\n").next().unwrap().to_ascii_lowercase();
    assert!(head.contains("cache-control: no-store"), "{head}");
    assert!(!head.contains("last-modified"), "{head}");

    edit(
        &root.join("content/briefs/older.md"),
        "title: An older brief",
        "title: Edited once",
    );
    wait_for(addr, "/briefs/older/", "the first edit", |s, b| {
        s == 200 && b.contains("Edited once")
    });
    edit(
        &root.join("content/briefs/older.md"),
        "title: Edited once",
        "title: Edited twice",
    );
    // A browser reloading revalidates what it has; the file's time in whole
    // seconds may not have moved, and the answer must still be the new page.
    let revalidate = "If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT\r\nIf-None-Match: *\r\n";
    let start = Instant::now();
    loop {
        let (status, page) = get_with(addr, "/briefs/older/", revalidate);
        assert_eq!(status, 200, "{page}");
        if page.contains("Edited twice") {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "no second edit");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The value of header `name` (lower case) in a raw response, if any.
fn header<'a>(response: &'a str, name: &str) -> Option<&'a str> {
    let head = response.split("\r\n\r\n").next().unwrap();
    head.lines().skip(1).find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

#[test]
fn a_file_keeps_its_copy_in_the_browser_until_its_bytes_change() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture("valid"), &root);
    fs::create_dir_all(root.join("static")).unwrap();
    fs::write(root.join("static/notes.txt"), "first version\n").unwrap();
    let server = serve(&root);
    let addr = server.addr.as_str();
    let (status, first) = get(addr, "/notes.txt");
    assert_eq!(status, 200);
    assert_eq!(header(&first, "cache-control"), Some("no-cache"));
    assert_eq!(header(&first, "last-modified"), None);
    let tag = header(&first, "etag").expect("an ETag").to_string();
    // Revalidated unchanged: "not modified", so the browser keeps its copy.
    let ask = format!("If-None-Match: {tag}\r\n");
    let (status, _) = get_with(addr, "/notes.txt", &ask);
    assert_eq!(status, 304);

    // Changed within the same second: the old tag no longer matches.
    fs::write(root.join("static/notes.txt"), "second version\n").unwrap();
    wait_for(addr, "/notes.txt", "the second version", |s, b| {
        s == 200 && b.contains("second version")
    });
    let (status, second) = get_with(addr, "/notes.txt", &ask);
    assert_eq!(status, 200, "{second}");
    assert!(second.ends_with("second version\n"));
    assert_ne!(header(&second, "etag"), Some(tag.as_str()));
}

#[test]
fn serve_serves_only_the_built_site() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture("valid"), &root);
    fs::write(tmp.path().join("secret.txt"), "secret").unwrap();
    let server = serve(&root);
    let addr = server.addr.as_str();
    for path in [
        "/../secret.txt",
        "/../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/%252e%252e/secret.txt",
        "/..%5csecret.txt",
        "/briefs/..%5c..%5csecret.txt",
        "/\\..\\secret.txt",
        "/site.yaml",
        "/content/briefs/older.md",
    ] {
        let (status, body) = get(addr, path);
        assert!(status == 404 || status == 400, "{path}: {status}");
        assert!(
            !body.contains("secret") || body.contains("Page not found"),
            "{path} leaked"
        );
    }
    let (status, body) = get(addr, "/does-not-exist/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "the site's own 404 page");
    // No directory listings: a folder without index.html is a 404.
    let (status, _) = get(addr, "/search/t/");
    assert_eq!(status, 404);
    let (_, css) = get(addr, "/style.css");
    assert!(css.to_ascii_lowercase().contains("content-type: text/css"));
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let output = Process::cargo_bin("briefs")
        .unwrap()
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(fixture("valid"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("port {port} on 127.0.0.1 is in use")),
        "{stderr}"
    );
}

#[test]
fn requests_during_rebuilds_never_see_a_partial_page() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture("valid"), &root);
    let server = serve(&root);
    let addr = server.addr.clone();
    let brief = root.join("content/briefs/older.md");
    let original = fs::read_to_string(&brief).unwrap();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers: Vec<_> = (0..4)
        .map(|k| {
            let (addr, done) = (addr.clone(), done.clone());
            std::thread::spawn(move || {
                let path = if k % 2 == 0 {
                    "/briefs/older/"
                } else {
                    "/page/2/"
                };
                let mut seen = 0;
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    let (status, body) = get(&addr, path);
                    assert_eq!(status, 200, "{path} during a rebuild:\n{body}");
                    assert!(body.contains("</html>"), "{path}: a partial page:\n{body}");
                    seen += 1;
                }
                seen
            })
        })
        .collect();
    for round in 0..15 {
        // Saved the way editors save safely: a temporary file, then a rename.
        let tmp_file = brief.with_file_name(".older.md.swp");
        fs::write(
            &tmp_file,
            original.replace("An older brief", &format!("An older brief, take {round}")),
        )
        .unwrap();
        fs::rename(&tmp_file, &brief).unwrap();
        std::thread::sleep(Duration::from_millis(120));
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let requests: usize = readers.into_iter().map(|r| r.join().unwrap()).sum();
    assert!(requests > 0);
    wait_for(&addr, "/briefs/older/", "the last edit", |_, b| {
        b.contains("An older brief, take 14")
    });
}

#[test]
fn folders_created_after_the_start_and_sources_yaml_are_watched() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture("valid"), &root);
    let server = serve(&root);
    let addr = server.addr.as_str();
    // The fixture has no templates/: an override made while serving applies.
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(
        root.join("templates/page.html"),
        "{% extends \"base.html\" %}{% block content %}<p>Overridden page</p>{% endblock %}",
    )
    .unwrap();
    wait_for(addr, "/about/", "the new template", |_, b| {
        b.contains("Overridden page")
    });
    // sources.yaml at the root is part of the site too.
    fs::write(
        root.join("sources.yaml"),
        "- { id: shared, publisher: Wire, title: Shared story }\n",
    )
    .unwrap();
    edit(
        &root.join("content/briefs/older.md"),
        "Older body [@one].",
        "Older body [@one; @shared].",
    );
    wait_for(addr, "/briefs/older/", "the registry source", |_, b| {
        b.contains("Shared story")
    });
}

#[test]
fn folders_created_together_are_all_watched() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&fixture("valid"), &root);
    fs::remove_dir_all(root.join("static")).unwrap();
    let server = serve(&root);
    let addr = server.addr.as_str();
    // Both appear in one debounce batch; each must be watched from now on.
    fs::create_dir(root.join("templates")).unwrap();
    fs::create_dir(root.join("static")).unwrap();
    fs::write(root.join("static/first.txt"), "first").unwrap();
    wait_for(addr, "/first.txt", "the first static file", |s, _| s == 200);
    // A file saved later in the second folder is picked up too.
    fs::write(root.join("static/later.txt"), "later").unwrap();
    wait_for(
        addr,
        "/later.txt",
        "a file saved in static/ later",
        |s, b| s == 200 && b.ends_with("later"),
    );
    fs::write(
        root.join("templates/page.html"),
        "{% extends \"base.html\" %}{% block content %}<p>Overridden page</p>{% endblock %}",
    )
    .unwrap();
    wait_for(addr, "/about/", "a template saved later", |_, b| {
        b.contains("Overridden page")
    });
}

/// `serve` prints a build's warnings as `build` does, a blank line after each
/// (issue 24: they ran together).
#[test]
fn serve_prints_warnings_as_build_does() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("site");
    // `init`'s first brief is published with the scaffold's placeholders: five warnings.
    Process::cargo_bin("briefs")
        .unwrap()
        .args(["init"])
        .arg(&root)
        .output()
        .unwrap();
    let build = Process::cargo_bin("briefs")
        .unwrap()
        .env("NO_COLOR", "1")
        .current_dir(&root)
        // serve sets its own base URL; so does this build, so that it does not
        // warn about init's placeholder one.
        .args([
            "build",
            "--output",
            "../out",
            "--base-url",
            "https://desk.example/",
        ])
        .output()
        .unwrap();
    let warnings = String::from_utf8(build.stderr).unwrap();
    assert_eq!(warnings.matches("\n\nwarning: ").count(), 4, "{warnings}");

    let temp = TempDir::new().unwrap();
    let mut child = Process::cargo_bin("briefs")
        .unwrap()
        .env("TMPDIR", temp.path())
        .current_dir(&root)
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if line.starts_with("built ") {
            break;
        }
        printed.push_str(&line);
        printed.push('\n');
    }
    // Stopped as `kill` stops it: the Drop checks the served site is gone.
    drop(Server {
        child,
        addr: String::new(),
        temp: temp.path().to_path_buf(),
        _owned: Some(temp),
    });
    assert_eq!(printed, warnings);
}
