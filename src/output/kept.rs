//! Kept: the site a build replaced, kept beside the output so the next build
//! updates it in place instead of making a whole new tree.
//!
//! A build swaps its staged folder in place of the output; the folder that
//! comes out of the swap holds the site it replaced. Deleting it, and making
//! a fresh tree for the next build, costs a large site most of its time in
//! the kernel (creating and removing a folder per page). So it is kept in
//! `.<output>.briefs/previous/`, and the next build stages into it: a file
//! whose bytes are already there is left alone, a changed file is replaced
//! by a rename, and what the build did not write is deleted before the swap.
//!
//! It stays beside the output, on the same file system, because that is what
//! makes it fast: the swap is one rename and unchanged files are hard links
//! (a per-user cache folder is often on another file system, where both
//! would become copies). Being beside it, it must never reach a repository
//! (`docs/` for GitHub Pages sits in the site's own), so it holds a
//! `.gitignore` that ignores everything in it, itself included, as Python's
//! virtual environments and pytest's cache do: `git add -A` skips it in any
//! repository, and `briefs init`'s `.gitignore` lists it too.
//!
//! The `.<output>.briefs/` folder holds a `CACHEDIR.TAG` (so backup tools
//! skip it, and so a build only ever touches such a folder it made), is
//! readable by its owner only (a web server serving the output's parent
//! cannot show the old site), and is locked while a build uses it: a second
//! build running at the same moment stages into a fresh temporary folder
//! instead. It can be deleted at any time; the next build is then a full
//! write again.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// The tag file that marks the folder as a cache a build made.
const TAG: &str = "CACHEDIR.TAG";

/// The signature line every cache directory tag starts with
/// (<https://bford.info/cachedir/>).
const SIGNATURE: &str = "Signature: 8a477f597d28d172789f06886806bc55";

const TAG_TEXT: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
# This file is a cache directory tag created by `briefs build`.\n\
# previous/ holds the site the last build replaced; the next build updates it\n\
# in place and swaps it in. Deleting this folder is safe.\n\
# For information about cache directory tags see https://bford.info/cachedir/\n";

/// The `.gitignore` that keeps the folder out of every git repository.
const IGNORE: &str = ".gitignore";

const IGNORE_TEXT: &str = "# Written by `briefs build`: the site the last build replaced, kept \
to make the next build fast. Never for a repository.\n*\n";

/// The site the last build replaced: the kept folder of one output,
/// locked for one build.
pub(super) struct PreviousSite {
    /// The open `.<output>.briefs/` folder, locked; the lock goes with it.
    _lock: fs::File,
    /// `.<output>.briefs/previous/`, where the build stages its files.
    pub(super) dir: PathBuf,
}

impl PreviousSite {
    /// The kept folder beside `output`, made when `create` and missing.
    /// `None` when there is none to use: it is missing and not to be made,
    /// it is not a folder a build made (no tag), or another build holds it.
    pub(super) fn open(output: &Path, create: bool) -> Option<PreviousSite> {
        let container = container(output)?;
        if fs::symlink_metadata(&container).is_err() {
            if !create {
                return None;
            }
            make(&container).ok()?;
        }
        let tag = fs::read_to_string(container.join(TAG)).ok()?;
        if tag.lines().next() != Some(SIGNATURE) || !container.is_dir() || container.is_symlink() {
            return None;
        }
        let lock = fs::File::open(&container).ok()?;
        lock.try_lock().ok()?;
        // A folder kept by an older version has no `.gitignore` yet.
        if fs::symlink_metadata(container.join(IGNORE)).is_err() {
            fs::write(container.join(IGNORE), IGNORE_TEXT).ok()?;
        }
        let dir = container.join("previous");
        match fs::symlink_metadata(&dir) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => return None,
            Err(e) if e.kind() == io::ErrorKind::NotFound => fs::create_dir(&dir).ok()?,
            Err(_) => return None,
        }
        Some(PreviousSite { _lock: lock, dir })
    }
}

/// `.<name>.briefs`, beside the output folder `<name>`.
fn container(output: &Path) -> Option<PathBuf> {
    let name = output.file_name()?.to_string_lossy();
    Some(output.with_file_name(format!(".{name}.briefs")))
}

/// Makes the kept folder, readable by its owner only, with its tag.
fn make(container: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(container)?;
    fs::write(container.join(IGNORE), IGNORE_TEXT)?;
    fs::write(container.join(TAG), TAG_TEXT)
}

/// Deletes from `dir` every file and folder that is not one of `written`
/// (paths relative to `dir`, separated by `/`) or a folder holding one.
pub(super) fn remove_unwritten(dir: &Path, written: &[String]) -> io::Result<()> {
    prune(dir, "", &Wanted::new(written))
}

/// The files and folders of `dir` that are not one of `written` nor a
/// folder holding one, each named relative to `dir` (a folder ending in
/// `/`, named as a whole when it holds nothing written). Nothing is changed.
pub(super) fn unwritten(dir: &Path, written: &[String]) -> io::Result<Vec<String>> {
    let found = std::sync::Mutex::new(Vec::new());
    find_unwritten(dir, "", &Wanted::new(written), &found)?;
    Ok(found
        .into_inner()
        .expect("the found lock is never poisoned"))
}

/// What a build wrote: its files and the folders that hold them.
struct Wanted<'a> {
    files: HashSet<&'a str>,
    folders: HashSet<&'a str>,
}

impl<'a> Wanted<'a> {
    /// `written` (paths separated by `/`) and every folder above each.
    fn new(written: &'a [String]) -> Self {
        let files: HashSet<&str> = written.iter().map(String::as_str).collect();
        let mut folders = HashSet::new();
        for path in written {
            let mut path = path.as_str();
            while let Some(end) = path.rfind('/') {
                path = &path[..end];
                if !folders.insert(path) {
                    break;
                }
            }
        }
        Wanted { files, folders }
    }
}

/// The path of `entry` relative to the top, `rel` being its folder's;
/// `None` for a name that is not UTF-8 (no build writes one).
fn relative(rel: &str, entry: &fs::DirEntry) -> Option<String> {
    let name = entry.file_name();
    match (rel, name.to_str()) {
        (_, None) => None,
        ("", Some(name)) => Some(name.to_string()),
        (rel, Some(name)) => Some(format!("{rel}/{name}")),
    }
}

/// Adds to `found` what `wanted` does not hold in `dir` (at `rel` in the
/// tree), its entries in parallel.
fn find_unwritten(
    dir: &Path,
    rel: &str,
    wanted: &Wanted,
    found: &std::sync::Mutex<Vec<String>>,
) -> io::Result<()> {
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    entries.par_iter().try_for_each(|entry| {
        let folder = entry.file_type()?.is_dir();
        let path = relative(rel, entry);
        let name = || {
            let name = path.clone().unwrap_or_else(|| {
                Path::new(rel)
                    .join(entry.file_name())
                    .to_string_lossy()
                    .into_owned()
            });
            if folder { format!("{name}/") } else { name }
        };
        let known = match (&path, folder) {
            (Some(path), true) if wanted.folders.contains(path.as_str()) => {
                return find_unwritten(&entry.path(), path, wanted, found);
            }
            (Some(path), false) => wanted.files.contains(path.as_str()),
            _ => false,
        };
        if !known {
            found
                .lock()
                .expect("the found lock is never poisoned")
                .push(name());
        }
        Ok(())
    })
}

/// Deletes what `wanted` does not hold from `dir` (at `rel` in the tree),
/// its entries in parallel.
fn prune(dir: &Path, rel: &str, wanted: &Wanted) -> io::Result<()> {
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    entries.par_iter().try_for_each(|entry| {
        let kind = entry.file_type()?;
        let path = entry.path();
        let rel = relative(rel, entry);
        if kind.is_dir() {
            match rel {
                Some(rel) if wanted.folders.contains(rel.as_str()) => prune(&path, &rel, wanted),
                _ => fs::remove_dir_all(&path),
            }
        } else if rel.is_some_and(|rel| wanted.files.contains(rel.as_str())) {
            Ok(())
        } else {
            fs::remove_file(&path)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_was_written_stays() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        for path in [
            "a/index.html",
            "a/old.html",
            "b/c/index.html",
            "gone/index.html",
            "x.xml",
        ] {
            let file = dir.join(path);
            fs::create_dir_all(file.parent().unwrap()).unwrap();
            fs::write(file, path).unwrap();
        }
        let written = ["a/index.html", "b/c/index.html", "y.xml"].map(String::from);
        remove_unwritten(dir, &written).unwrap();
        let mut left: Vec<String> = walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        left.sort();
        assert_eq!(left, ["a", "a/index.html", "b", "b/c", "b/c/index.html"]);
    }

    #[test]
    fn a_folder_without_the_tag_is_never_used() {
        let tmp = tempfile::tempdir().unwrap();
        let output = tmp.path().join("public");
        let theirs = tmp.path().join(".public.briefs");
        fs::create_dir_all(theirs.join("previous")).unwrap();
        fs::write(theirs.join("previous/notes.txt"), "mine").unwrap();
        assert!(PreviousSite::open(&output, true).is_none());
        assert_eq!(
            fs::read_to_string(theirs.join("previous/notes.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn one_build_at_a_time_holds_the_kept_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let output = tmp.path().join("public");
        assert!(
            PreviousSite::open(&output, false).is_none(),
            "not made unless asked"
        );
        let first = PreviousSite::open(&output, true).unwrap();
        assert_eq!(first.dir, tmp.path().join(".public.briefs/previous"));
        assert!(
            PreviousSite::open(&output, true).is_none(),
            "locked by the first"
        );
        drop(first);
        assert!(PreviousSite::open(&output, false).is_some(), "free again");
    }
}
