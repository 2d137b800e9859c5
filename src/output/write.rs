//! Write: a build's output folder, replaced whole. (With [`super::sync`],
//! the output stage is the only code that touches the output folder.)
//!
//! Steps: refuse an output folder that would destroy the site, or that holds
//! files no build wrote ([`check_output`]; every build leaves a [`MARKER`]
//! file in its output to say it was there); write every file into a fresh
//! temporary sibling of the output folder (a file the previous build wrote
//! with the same bytes is hard-linked from it rather than written); then swap it in place of the old output with renames, so a
//! reader (or a web server) sees the old site or the new one, never a mix,
//! and a failed build leaves the old output exactly as it was.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::render::{Content, Output, Sink};

/// Why an output folder is refused.
#[derive(Debug, thiserror::Error)]
pub enum UnsafeOutput {
    #[error("the output folder {0} is the site root; building there would delete the site")]
    IsRoot(PathBuf),
    #[error("the output folder {0} contains the site root; building there would delete the site")]
    HoldsRoot(PathBuf),
    #[error("the output folder {0} is inside the site's `{1}/` folder")]
    InsideSource(PathBuf, &'static str),
    #[error("the output path {0} exists and is not a folder")]
    NotAFolder(PathBuf),
    #[error(
        "the output folder {0} was not written by `briefs build` and holds {1}; nothing was touched\n  \
         help: build into a new or empty folder, or pass --force to replace this one"
    )]
    Foreign(PathBuf, String),
}

/// The file every build writes at the top of its output, so that the next
/// build knows the folder is its own to replace.
pub const MARKER: &str = ".briefs-build";

const MARKER_TEXT: &str =
    "This folder was written by `briefs build`, which replaces it whole on every build.\n";

/// Resolves `path` to an absolute path, through symlinks for the part that exists.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize()?;
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    Ok(resolved)
}

/// Checks that building into `output` cannot harm the site at `root`, nor
/// (unless `force`) anything a previous build did not write.
pub fn check_output(
    root: &Path,
    output: &Path,
    force: bool,
) -> io::Result<Result<(), UnsafeOutput>> {
    let root = root.canonicalize()?;
    let out = resolve(output)?;
    if out == root {
        return Ok(Err(UnsafeOutput::IsRoot(output.to_path_buf())));
    }
    if root.starts_with(&out) {
        return Ok(Err(UnsafeOutput::HoldsRoot(output.to_path_buf())));
    }
    for folder in ["content", "templates", "static"] {
        if out.starts_with(root.join(folder)) {
            return Ok(Err(UnsafeOutput::InsideSource(
                output.to_path_buf(),
                folder,
            )));
        }
    }
    if out.exists() && !out.is_dir() {
        return Ok(Err(UnsafeOutput::NotAFolder(output.to_path_buf())));
    }
    if !force
        && out.is_dir()
        && let Some(listing) = foreign_entries(&out)?
    {
        return Ok(Err(UnsafeOutput::Foreign(output.to_path_buf(), listing)));
    }
    Ok(Ok(()))
}

/// How many entries of a foreign output folder its refusal names.
const LISTED: usize = 5;

/// `None` when `dir` is empty or holds a build's [`MARKER`]; otherwise a
/// listing of (the first few of) its entries, e.g. `a.txt, notes/ and 3 more`.
fn foreign_entries(dir: &Path) -> io::Result<Option<String>> {
    if dir.join(MARKER).is_file() {
        return Ok(None);
    }
    let mut names: Vec<String> = fs::read_dir(dir)?
        .map(|e| {
            let e = e?;
            let name = e.file_name().to_string_lossy().into_owned();
            let folder = e.file_type()?.is_dir();
            Ok(if folder { format!("{name}/") } else { name })
        })
        .collect::<io::Result<_>>()?;
    if names.is_empty() {
        return Ok(None);
    }
    names.sort();
    let more = names.len().saturating_sub(LISTED);
    names.truncate(LISTED);
    let mut listing = names.join(", ");
    if more > 0 {
        listing.push_str(&format!(" and {more} more"));
    }
    Ok(Some(listing))
}

/// A build's files on their way to the output folder: written into a fresh
/// temporary sibling as they are rendered, then swapped in whole by
/// [`Staging::commit`]. Dropped without a commit, it leaves no trace.
///
/// A file whose bytes equal the previous build's copy is hard-linked from
/// the previous output instead of written: a rebuild then creates few new
/// files, which is most of what the kernel spends on a large site, and
/// deleting the old output only drops links. (Any failure to link falls back
/// to writing.)
pub struct Staging {
    dir: tempfile::TempDir,
    output: PathBuf,
    /// The output folder when it holds a previous build (its [`MARKER`]).
    previous: Option<PathBuf>,
    /// Folders already created, so each is made once.
    folders: Mutex<HashSet<PathBuf>>,
}

impl Staging {
    /// Starts staging a new version of `output`.
    pub fn new(output: &Path) -> io::Result<Self> {
        let output = resolve(output)?;
        let parent = output
            .parent()
            .ok_or_else(|| io::Error::other("the output folder has no parent"))?;
        fs::create_dir_all(parent)?;
        let name = output
            .file_name()
            .map_or("public".into(), |n| n.to_string_lossy().into_owned());
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.tmp-"))
            .tempdir_in(parent)?;
        let previous = output.join(MARKER).is_file().then(|| output.clone());
        Ok(Staging {
            dir,
            output,
            previous,
            folders: Mutex::new(HashSet::new()),
        })
    }

    /// Replaces the output folder with everything staged, marked as a
    /// build's own ([`MARKER`]).
    pub fn commit(self) -> io::Result<()> {
        self.put(Output {
            path: MARKER.to_string(),
            content: Content::Embedded(MARKER_TEXT.as_bytes()),
            source: None,
        })?;
        let staged = self.dir.keep();
        swap_in(&staged, &self.output).inspect_err(|_| {
            let _ = fs::remove_dir_all(&staged);
        })
    }
}

impl Staging {
    /// Where `path` goes in the staging folder, its folder made.
    fn target(&self, path: &str) -> io::Result<PathBuf> {
        if !is_safe_relative(path) {
            return Err(io::Error::other(format!(
                "refusing to write outside the output folder: {path}"
            )));
        }
        let target = self.dir.path().join(path);
        if let Some(folder) = target.parent() {
            let known = self
                .folders
                .lock()
                .expect("the folder lock is never poisoned")
                .contains(folder);
            if !known {
                // Created before it is recorded, so no thread writes into a
                // folder another thread has only promised to make.
                fs::create_dir_all(folder)?;
                self.folders
                    .lock()
                    .expect("the folder lock is never poisoned")
                    .insert(folder.to_path_buf());
            }
        }
        Ok(target)
    }
}

impl Sink for Staging {
    fn put(&self, output: Output) -> io::Result<()> {
        let target = self.target(&output.path)?;
        if self.link_previous(&output.path, &output.content, &target)? {
            return Ok(());
        }
        match &output.content {
            Content::Bytes(bytes) => fs::write(&target, bytes),
            Content::Embedded(bytes) => fs::write(&target, bytes),
            Content::Copy(from) => fs::copy(from, &target).map(|_| ()),
        }
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", output.path)))
    }

    /// Streams the file to disk as it is written; if it then equals the
    /// previous build's copy, that copy is linked in its place, as
    /// [`Sink::put`] does, so an unchanged file keeps its inode.
    fn put_written(&self, path: &str, write: crate::render::Write<'_>) -> io::Result<()> {
        let target = self.target(path)?;
        let written = fs::File::create(&target).and_then(|file| {
            let mut file = io::BufWriter::with_capacity(1 << 16, file);
            write(&mut file)?;
            io::Write::flush(&mut file)
        });
        written.map_err(|e| io::Error::new(e.kind(), format!("{path}: {e}")))?;
        // Linked beside it, then renamed over it: the written file stays
        // unless the link holds the same bytes.
        let link = target.with_extension("briefs-link");
        if self.link_previous(path, &Content::Copy(target.clone()), &link)?
            && let Err(e) = fs::rename(&link, &target)
        {
            fs::remove_file(&link)?;
            return Err(io::Error::new(e.kind(), format!("{path}: {e}")));
        }
        Ok(())
    }
}

impl Staging {
    /// Links the previous build's copy of `path` to `target` if it holds
    /// exactly `content`; true when it did. The link comes first and the
    /// linked file is compared, never the previous output's path: a build
    /// replacing that output at the same moment could otherwise put another
    /// file under the path between the comparison and the link, and mix two
    /// sites. A build's files are only ever replaced by a rename, never
    /// rewritten, so the linked file's bytes cannot change after the check.
    fn link_previous(&self, path: &str, content: &Content, target: &Path) -> io::Result<bool> {
        let Some(previous) = &self.previous else {
            return Ok(false);
        };
        let old = previous.join(path);
        // A file of another length has changed: no link to make and undo.
        let same_length = fs::symlink_metadata(&old)
            .is_ok_and(|meta| meta.is_file() && length(content).is_none_or(|n| n == meta.len()));
        if !same_length || fs::hard_link(&old, target).is_err() {
            return Ok(false);
        }
        if unchanged(content, target) {
            return Ok(true);
        }
        // Removed before anything is written to `target`: writing through
        // the link would change the previous output's file.
        fs::remove_file(target).map_err(|e| io::Error::new(e.kind(), format!("{path}: {e}")))?;
        Ok(false)
    }
}

/// The length of `content`, when known without reading a file.
fn length(content: &Content) -> Option<u64> {
    match content {
        Content::Bytes(bytes) => Some(bytes.len() as u64),
        Content::Embedded(bytes) => Some(bytes.len() as u64),
        Content::Copy(from) => fs::metadata(from).ok().map(|m| m.len()),
    }
}

/// True when the file `old` holds exactly `content`. Any error reading it
/// means "changed": the file is then written anew.
fn unchanged(content: &Content, old: &Path) -> bool {
    let Ok(meta) = fs::symlink_metadata(old) else {
        return false;
    };
    if !meta.is_file() {
        return false;
    }
    match content {
        Content::Bytes(bytes) => same_bytes(bytes, old, meta.len()),
        Content::Embedded(bytes) => same_bytes(bytes, old, meta.len()),
        Content::Copy(from) => {
            fs::metadata(from).is_ok_and(|m| m.len() == meta.len()) && same_files(from, old)
        }
    }
}

fn same_bytes(bytes: &[u8], old: &Path, len: u64) -> bool {
    len == bytes.len() as u64 && fs::read(old).is_ok_and(|on_disk| on_disk == bytes)
}

/// Compares two files of equal length chunk by chunk (static files may be large).
fn same_files(a: &Path, b: &Path) -> bool {
    use std::io::Read;
    let (Ok(mut a), Ok(mut b)) = (fs::File::open(a), fs::File::open(b)) else {
        return false;
    };
    let (mut x, mut y) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
    loop {
        let Ok(n) = a.read(&mut x) else { return false };
        if n == 0 {
            return b.read(&mut y[..1]).is_ok_and(|m| m == 0);
        }
        if b.read_exact(&mut y[..n]).is_err() || x[..n] != y[..n] {
            return false;
        }
    }
}

/// Removes a folder tree, its top-level entries in parallel: deleting the
/// previous site of a large build is otherwise a long single-threaded walk.
fn remove_dir_all_parallel(dir: &Path) -> io::Result<()> {
    let entries: Vec<PathBuf> = fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<io::Result<_>>()?;
    entries.par_iter().try_for_each(|path| {
        if path.is_dir() && !path.is_symlink() {
            fs::remove_dir_all(path)
        } else {
            fs::remove_file(path)
        }
    })?;
    fs::remove_dir(dir)
}

/// True for a relative path with only normal components.
fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Puts `staged` where `output` is. On Linux the two folders are exchanged
/// in one atomic step (`renameat2` with `RENAME_EXCHANGE`), so a reader, a
/// web server or a second build running at the same moment sees the old
/// site or the new one and never a missing or mixed one; the old site, now
/// in the staging folder, is then deleted. Elsewhere the old output moves
/// aside first and is put back if the second rename fails.
fn swap_in(staged: &Path, output: &Path) -> io::Result<()> {
    if !output.exists() {
        return match fs::rename(staged, output) {
            // Another build created it in between: swap with that one instead.
            Err(_) if output.is_dir() => swap_in(staged, output),
            other => other,
        };
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, staged, CWD, output, RenameFlags::EXCHANGE).is_ok() {
            return remove_dir_all_parallel(staged);
        }
    }
    let staged_name = staged
        .file_name()
        .expect("a temp dir has a name")
        .to_string_lossy();
    let old = staged.with_file_name(staged_name.replacen(".tmp-", ".old-", 1));
    fs::rename(output, &old)?;
    if let Err(e) = fs::rename(staged, output) {
        let _ = fs::rename(&old, output);
        return Err(e);
    }
    remove_dir_all_parallel(&old)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_written() {
        assert!(is_safe_relative("briefs/x/index.html"));
        for bad in ["", "../x", "a/../../x", "/etc/passwd", "./x"] {
            assert!(!is_safe_relative(bad), "{bad}");
        }
    }
}
