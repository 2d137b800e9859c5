//! `briefs build` replaces only what a build wrote: a missing or empty
//! folder, or one holding the `.briefs-build` marker of a previous build
//! and no file that build did not write (the marker lists them). Anything
//! else is refused, untouched, each file named with what to do with it,
//! unless `--force`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{fixture, run_build, snapshot_dir};
use tempfile::TempDir;

/// Runs `briefs build` of the fixture into `out`: exit code and stderr.
fn build_into(out: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let output = run_build(&fixture("valid"), out, extra);
    (
        output.status.code(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// A folder holding someone's work: a file and a folder.
fn precious(tmp: &TempDir) -> PathBuf {
    let dir = tmp.path().join("precious");
    fs::create_dir_all(dir.join("drafts")).unwrap();
    fs::write(dir.join("thesis.docx"), "years of work").unwrap();
    fs::write(dir.join("drafts/chapter-1.md"), "# One").unwrap();
    dir
}

#[test]
fn a_foreign_folder_is_refused_and_left_byte_for_byte() {
    let tmp = TempDir::new().unwrap();
    let dir = precious(&tmp);
    let before = snapshot_dir(&dir);
    let (code, stderr) = build_into(&dir, &[]);
    assert_eq!(code, Some(2));
    assert_eq!(
        stderr,
        format!(
            "error: the output folder {} was not written by `briefs build`, which replaces its \
             output whole; nothing was touched. It holds:\n  \
             drafts/: to publish it with the site, put it in `static/drafts/`: every build \
             copies it\n  \
             thesis.docx: to publish it with the site, put it in `static/thesis.docx`: every \
             build copies it\n  \
             help: build into a new or empty folder, or move these out and build again; \
             --force deletes them\n",
            dir.display()
        )
    );
    assert_eq!(snapshot_dir(&dir), before);
    // No staging folder is left beside it either.
    let siblings: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(siblings.len(), 1);
}

#[test]
fn a_long_listing_names_the_first_entries_and_counts_the_rest() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("photos");
    fs::create_dir_all(&dir).unwrap();
    for n in 10..=22 {
        fs::write(dir.join(format!("img-{n}.jpg")), "jpg").unwrap();
    }
    let (code, stderr) = build_into(&dir, &[]);
    assert_eq!(code, Some(2));
    let named: Vec<&str> = stderr
        .lines()
        .filter_map(|line| line.strip_prefix("  ")?.split_once(':'))
        .map(|(name, _)| name)
        .collect();
    assert_eq!(
        named,
        [
            "img-10.jpg",
            "img-11.jpg",
            "img-12.jpg",
            "img-13.jpg",
            "img-14.jpg",
            "img-15.jpg",
            "img-16.jpg",
            "img-17.jpg",
            "img-18.jpg",
            "img-19.jpg",
            "help"
        ],
        "{stderr}"
    );
    assert!(stderr.contains("\n  and 3 more\n"), "{stderr}");
}

/// A GitHub Pages `docs/` folder made by hand: its custom domain, the
/// repository's README, a git checkout's `.git`.
#[test]
fn a_refusal_says_what_to_do_with_each_file() {
    let tmp = TempDir::new().unwrap();
    let docs = tmp.path().join("docs");
    fs::create_dir_all(docs.join(".git")).unwrap();
    fs::write(docs.join("CNAME"), "briefs.example.org\n").unwrap();
    fs::write(docs.join("README.md"), "# Our desk\n").unwrap();
    let before = snapshot_dir(&docs);
    let (code, stderr) = build_into(&docs, &[]);
    assert_eq!(code, Some(2));
    let shown = docs.display();
    for line in [
        format!(
            "  .git/: {shown} is a git checkout; build into another folder and copy the site into it\n"
        ),
        "  CNAME: put it in `static/CNAME` and every build publishes it\n".to_string(),
        format!(
            "  README.md: move it out of {shown} (a repository's README belongs at its root), \
             or into `static/` to publish it\n"
        ),
    ] {
        assert!(stderr.contains(&line), "{line}\nin\n{stderr}");
    }
    assert_eq!(snapshot_dir(&docs), before);
}

/// A site-verification file added by hand to a built site stops the next
/// build, which would delete it; in `static/` it is published by every build.
#[test]
fn a_file_no_build_wrote_stops_the_next_build() {
    let tmp = TempDir::new().unwrap();
    let site = tmp.path().join("site");
    common::copy_dir(&fixture("valid"), &site);
    let docs = tmp.path().join("docs");
    assert!(run_build(&site, &docs, &[]).status.success());
    fs::write(docs.join("google123.html"), "google-site-verification").unwrap();
    fs::create_dir_all(docs.join("verify")).unwrap();
    fs::write(docs.join("verify/key.txt"), "key").unwrap();
    fs::write(docs.join("briefs/cited/notes.txt"), "mine").unwrap();
    let before = snapshot_dir(&docs);
    let build = run_build(&site, &docs, &[]);
    assert_eq!(build.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(build.stderr).unwrap(),
        format!(
            "error: the output folder {} holds files that no build wrote, which the next build \
             would delete; nothing was touched:\n  \
             briefs/cited/notes.txt: put it in `static/briefs/cited/notes.txt` and every build \
             publishes it\n  \
             google123.html: put it in `static/google123.html` and every build publishes it\n  \
             verify/: put it in `static/verify/` and every build publishes it\n  \
             help: move them as said and build again; --force deletes them\n",
            docs.display()
        )
    );
    assert_eq!(snapshot_dir(&docs), before, "nothing was touched");

    // Where the hint says, every build publishes it.
    fs::create_dir_all(site.join("static")).unwrap();
    fs::rename(
        docs.join("google123.html"),
        site.join("static/google123.html"),
    )
    .unwrap();
    fs::remove_dir_all(docs.join("verify")).unwrap();
    fs::remove_file(docs.join("briefs/cited/notes.txt")).unwrap();
    for _ in 0..2 {
        assert!(run_build(&site, &docs, &[]).status.success());
        assert_eq!(
            fs::read_to_string(docs.join("google123.html")).unwrap(),
            "google-site-verification"
        );
    }
}

#[test]
fn a_previous_build_is_replaced() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("public");
    assert_eq!(build_into(&out, &[]).0, Some(0));
    assert!(out.join(".briefs-build").is_file());
    fs::write(out.join("stale.html"), "from an older site").unwrap();
    assert_eq!(build_into(&out, &[]).0, Some(2));
    assert!(out.join("stale.html").exists());
    assert_eq!(build_into(&out, &["--force"]).0, Some(0));
    assert!(!out.join("stale.html").exists());
    assert!(out.join("briefs/cited/index.html").is_file());
    assert!(out.join(".briefs-build").is_file());
}

#[test]
fn force_replaces_a_foreign_folder() {
    let tmp = TempDir::new().unwrap();
    let dir = precious(&tmp);
    let (code, _) = build_into(&dir, &["--force"]);
    assert_eq!(code, Some(0));
    assert!(!dir.join("thesis.docx").exists());
    assert!(dir.join("index.html").is_file());
    assert!(dir.join(".briefs-build").is_file());
}

#[test]
fn an_empty_or_missing_folder_is_fine() {
    let tmp = TempDir::new().unwrap();
    let empty = tmp.path().join("empty");
    fs::create_dir_all(&empty).unwrap();
    assert_eq!(build_into(&empty, &[]).0, Some(0));
    assert!(empty.join("index.html").is_file());
    let missing = tmp.path().join("a/b/missing");
    assert_eq!(build_into(&missing, &[]).0, Some(0));
    assert!(missing.join("index.html").is_file());
}

#[test]
fn the_marker_is_in_no_listing_of_the_site() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("public");
    assert_eq!(build_into(&out, &[]).0, Some(0));
    for file in [
        "sitemap.xml",
        "briefs.json",
        "search/index.json",
        "search/f/0.json.gz",
        "feed.json",
    ] {
        let text = if file.ends_with(".gz") {
            let mut text = String::new();
            let gz = fs::File::open(out.join(file)).unwrap();
            std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(gz), &mut text)
                .unwrap();
            text
        } else {
            fs::read_to_string(out.join(file)).unwrap()
        };
        assert!(!text.contains(".briefs-build"), "{file}");
    }
}

/// The inode of each file under `dir`, by relative path.
#[cfg(unix)]
fn inodes(dir: &Path) -> std::collections::BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    snapshot_dir(dir)
        .into_keys()
        .map(|rel| {
            let ino = fs::metadata(dir.join(&rel)).unwrap().ino();
            (rel, ino)
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn a_rebuild_writes_what_changed_and_equals_a_clean_build() {
    let tmp = TempDir::new().unwrap();
    let site = tmp.path().join("site");
    common::copy_dir(&fixture("valid"), &site);
    let out = tmp.path().join("public");
    assert!(run_build(&site, &out, &[]).status.success());
    let first = inodes(&out);

    // Unchanged files are the previous build's own (linked, not rewritten).
    assert!(run_build(&site, &out, &[]).status.success());
    assert_eq!(inodes(&out), first);

    // One brief edited; a file of the output tampered with by hand (same
    // length, other bytes): both are written anew, the rest stays linked.
    let brief = fs::read_dir(site.join("content/briefs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "md"))
        .unwrap();
    let text = fs::read_to_string(&brief).unwrap();
    fs::write(
        &brief,
        format!("{text}\nOne more paragraph, added later.\n"),
    )
    .unwrap();
    let robots = out.join("robots.txt");
    let tampered = fs::read(&robots)
        .unwrap()
        .iter()
        .map(|_| b'x')
        .collect::<Vec<u8>>();
    fs::write(&robots, tampered).unwrap();
    assert!(run_build(&site, &out, &[]).status.success());
    let after = inodes(&out);
    assert_ne!(after["robots.txt"], first["robots.txt"]);
    let rewritten: Vec<&String> = after
        .keys()
        .filter(|k| first.get(*k) != Some(&after[*k]))
        .collect();
    assert!(rewritten.len() < first.len() / 2, "{rewritten:?}");

    // And the result is byte for byte what a build into a new folder writes.
    let clean = tmp.path().join("clean");
    assert!(run_build(&site, &clean, &[]).status.success());
    let files = snapshot_dir(&out);
    assert_eq!(files, snapshot_dir(&clean));
    let edited = String::from_utf8_lossy(b"One more paragraph, added later.");
    assert!(files.iter().any(|(path, bytes)| path.starts_with("briefs/")
        && String::from_utf8_lossy(bytes).contains(&*edited)));
}

/// Every file under `dir` named like a file a build writes beside its
/// target before renaming it over.
fn sidecars(dir: &Path) -> Vec<String> {
    snapshot_dir(dir)
        .into_keys()
        .filter(|path| path.ends_with(".briefs-new") || path.ends_with(".briefs-link"))
        .collect()
}

#[cfg(unix)]
#[test]
fn the_replaced_site_is_kept_beside_the_output_and_updated_in_place() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = TempDir::new().unwrap();
    let site = tmp.path().join("site");
    common::copy_dir(&fixture("valid"), &site);
    let out = tmp.path().join("public");
    let kept = tmp.path().join(".public.briefs");
    assert!(run_build(&site, &out, &[]).status.success());
    assert!(!kept.exists(), "nothing replaced, nothing kept");
    let first = snapshot_dir(&out);
    let first_inodes = inodes(&out);

    assert!(run_build(&site, &out, &["--drafts"]).status.success());
    // The site it replaced is kept, readable by its owner only, tagged as a cache.
    assert_eq!(snapshot_dir(&kept.join("previous")), first);
    assert_eq!(
        fs::metadata(&kept).unwrap().permissions().mode() & 0o777,
        0o700
    );
    let tag = fs::read_to_string(kept.join("CACHEDIR.TAG")).unwrap();
    assert!(tag.starts_with("Signature: 8a477f597d28d172789f06886806bc55\n"));

    // Builds that drop pages (no drafts), lose a brief, then get it back:
    // each equals a build into a new folder, and nothing half-made shows.
    let brief = site.join("content/briefs/older.md");
    let text = fs::read_to_string(&brief).unwrap();
    for step in 0..4 {
        match step {
            1 => fs::remove_file(&brief).unwrap(),
            2 => fs::write(&brief, &text).unwrap(),
            _ => {}
        }
        assert!(run_build(&site, &out, &[]).status.success(), "step {step}");
        let clean = tmp.path().join(format!("clean-{step}"));
        assert!(run_build(&site, &clean, &[]).status.success());
        assert_eq!(snapshot_dir(&out), snapshot_dir(&clean), "step {step}");
        assert_eq!(out.join("briefs/older/index.html").is_file(), step != 1);
        assert!(sidecars(&out).is_empty() && sidecars(&kept).is_empty());
    }
    // A file unchanged since the first build is still the first build's own.
    let now = inodes(&out);
    assert_eq!(now["robots.txt"], first_inodes["robots.txt"]);
    assert_eq!(now["tags/index.html"], first_inodes["tags/index.html"]);
}

#[test]
fn a_folder_beside_the_output_that_no_build_made_is_left_alone() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("public");
    let theirs = tmp.path().join(".public.briefs");
    fs::create_dir_all(theirs.join("previous")).unwrap();
    fs::write(theirs.join("previous/notes.md"), "mine").unwrap();
    let before = snapshot_dir(&theirs);
    for _ in 0..3 {
        assert_eq!(build_into(&out, &[]).0, Some(0));
    }
    assert!(out.join("briefs/cited/index.html").is_file());
    assert_eq!(snapshot_dir(&theirs), before);
}
