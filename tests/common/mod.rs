//! Helpers shared by the integration tests: fixture sites, the `briefs`
//! binary, builds into temp folders, copying sites and reading a built site
//! back.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use scraper::{Html, Selector};
use tempfile::TempDir;

/// A path under `tests/fixtures/`, e.g. `fixture("valid")` or
/// `fixture("errors/bad_date")`.
pub fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// The `briefs` binary, with colour off so output compares as plain text.
pub fn briefs() -> Command {
    let mut cmd = Command::cargo_bin("briefs").unwrap();
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Runs `briefs args…` in `dir`: exit code, stdout, stderr.
pub fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = briefs().args(args).current_dir(dir).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Runs `briefs build --root root --output out extra…`, whatever its outcome.
pub fn run_build(root: &Path, out: &Path, extra: &[&str]) -> Output {
    briefs()
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

/// Builds `root` into `public/` in a fresh temp folder and asserts it
/// succeeds: the temp folder (keep it alive), the output folder, stdout and
/// stderr.
pub fn build_site(root: &Path, extra: &[&str]) -> (TempDir, PathBuf, String, String) {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("public");
    let output = run_build(root, &out, extra);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "build failed: {stderr}");
    (tmp, out, String::from_utf8(output.stdout).unwrap(), stderr)
}

/// Copies a folder tree, e.g. a fixture site into a temp folder to edit it.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, by relative path.
pub fn snapshot_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The `attr` values of the elements `selector` matches in `html`.
pub fn attrs(html: &Html, selector: &str, attr: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    html.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// The page at `path` (under the output folder `out`), parsed.
pub fn page(out: &Path, path: &str) -> Html {
    let text = fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    Html::parse_document(&text)
}

/// The text of each element `selector` matches, whitespace collapsed.
pub fn texts(html: &Html, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    html.select(&sel)
        .map(|e| e.text().collect::<String>())
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// Sends the signal `name` (`TERM`, `INT`) to a running `briefs serve` and
/// waits for it to stop; one still running 10 seconds later is killed and
/// fails the test.
pub fn signal_and_wait(child: &mut std::process::Child, name: &str) -> std::process::ExitStatus {
    let sent = std::process::Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .is_ok_and(|s| s.success());
    if !sent {
        let _ = child.kill();
    }
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > std::time::Duration::from_secs(10) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the server was still running 10 s after SIG{name}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Stops a `briefs serve` started with `TMPDIR` set to `temp` as `kill`
/// does (SIGTERM), and checks that it exits 0 and that the site it served
/// is gone from `temp`. Checks nothing while a test is already failing.
pub fn stop_serve(child: &mut std::process::Child, temp: &Path) {
    if !child.try_wait().is_ok_and(|s| s.is_none()) {
        return;
    }
    let status = signal_and_wait(child, "TERM");
    if !std::thread::panicking() {
        assert!(status.success(), "{status}");
        let left: Vec<_> = fs::read_dir(temp).unwrap().collect();
        assert!(left.is_empty(), "serve left behind: {left:?}");
    }
}
