//! Write: a build's output folder, replaced whole. (With [`super::sync`],
//! the output stage is the only code that touches the output folder.)
//!
//! Steps: refuse an output folder that would destroy the site, or that holds
//! files no build wrote ([`check_output`]; every build leaves a [`MARKER`]
//! file in its output that says it was there and lists what it wrote, so a
//! file added by hand, which the swap would delete, stops the next build);
//! stage every file in a folder
//! beside the output: the site the previous build replaced, kept for this
//! ([`super::kept`]), or else a fresh temporary folder (a file the live
//! output has with the same bytes is hard-linked from it rather than
//! written); then swap it in place of the old output with renames, so a
//! reader (or a web server) sees the old site or the new one, never a mix,
//! and a failed build leaves the old output exactly as it was.
//!
//! A fresh stage is spread over the file system's free space ([`spread`]):
//! on ext4 without a journal, a file made beside files deleted in the last
//! minute costs a scan of all of them, which doubled the time of a build
//! into an output folder just deleted.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use super::kept::{self, PreviousSite};
use crate::error::UnsafeOutput;
use crate::render::{Content, Output, Sink};

/// The file every build writes at the top of its output, so that the next
/// build knows the folder is its own to replace.
pub const MARKER: &str = ".briefs-build";

const MARKER_TEXT: &str =
    "This folder was written by `briefs build`, which replaces it whole on every build.\n";

/// What follows [`MARKER_TEXT`] in a marker that lists the files its build
/// wrote, one per line (a marker of an older build has no list).
const RECORD_HEADING: &str = "\nA file here that is not listed below stops the next build: \
put it in `static/` and every build publishes it.\n\n";

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
    if force || !out.is_dir() {
        return Ok(Ok(()));
    }
    let shown = output.display().to_string();
    if !out.join(MARKER).is_file() {
        let names = top_entries(&out)?;
        if !names.is_empty() {
            return Ok(Err(UnsafeOutput::Foreign(
                output.to_path_buf(),
                listing(names, &shown, foreign_advice),
            )));
        }
    } else if let Some(names) = unrecorded(&out)?
        && !names.is_empty()
    {
        return Ok(Err(UnsafeOutput::Unrecorded(
            output.to_path_buf(),
            listing(names, &shown, advice),
        )));
    }
    Ok(Ok(()))
}

/// The files of the build's folder `out` that its record does not list
/// (`None` without a record). A build running beside this one may swap its
/// site in between the reading of the record and the walk of the folder,
/// which then mixes two sites' files: the record is read again after the
/// walk, and the walk repeated while it changed.
fn unrecorded(out: &Path) -> io::Result<Option<Vec<String>>> {
    let mut record = recorded(out)?;
    let mut walks = 0;
    loop {
        let Some(files) = &record else {
            return Ok(None);
        };
        let names = kept::unwritten(out, files)?;
        walks += 1;
        let again = recorded(out)?;
        if names.is_empty() || again == record || walks == 8 {
            return Ok(Some(names));
        }
        record = again;
    }
}

/// How many entries of an output folder a refusal names.
const LISTED: usize = 10;

/// The entries of `dir`, a folder's name ending in `/`.
fn top_entries(dir: &Path) -> io::Result<Vec<String>> {
    fs::read_dir(dir)?
        .map(|e| {
            let e = e?;
            let name = e.file_name().to_string_lossy().into_owned();
            let folder = e.file_type()?.is_dir();
            Ok(if folder { format!("{name}/") } else { name })
        })
        .collect()
}

/// One line per name (the first [`LISTED`], then how many more), each
/// saying what to do with it instead of letting a build delete it.
fn listing(mut names: Vec<String>, output: &str, advice: fn(&str, &str) -> String) -> String {
    names.sort();
    let more = names.len().saturating_sub(LISTED);
    names.truncate(LISTED);
    let mut text: String = names
        .iter()
        .map(|name| format!("  {name}: {}\n", advice(name, output)))
        .collect();
    if more > 0 {
        text.push_str(&format!("  and {more} more\n"));
    }
    text
}

/// What to do with a file found in the output folder (`name` relative to
/// it, a folder's ending in `/`) so that no build deletes it.
fn advice(name: &str, output: &str) -> String {
    let file = name
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(name);
    if file == ".git" {
        return format!(
            "{output} is a git checkout; build into another folder and copy the site into it"
        );
    }
    if file.to_ascii_lowercase().starts_with("readme") {
        return format!(
            "move it out of {output} (a repository's README belongs at its root), or into \
             `static/` to publish it"
        );
    }
    format!("put it in `static/{name}` and every build publishes it")
}

/// [`advice`] for a folder no build wrote: its files may not be the site's.
fn foreign_advice(name: &str, output: &str) -> String {
    let file = name.trim_end_matches('/');
    if file == ".git" || file.to_ascii_lowercase().starts_with("readme") || file == "CNAME" {
        return advice(name, output);
    }
    format!("to publish it with the site, put it in `static/{name}`: every build copies it")
}

/// The files the build that wrote `dir` listed in its [`MARKER`]; `None`
/// for a marker without a list (written by an older version).
fn recorded(dir: &Path) -> io::Result<Option<Vec<String>>> {
    let text = fs::read_to_string(dir.join(MARKER))?;
    let Some((_, list)) = text.split_once(RECORD_HEADING) else {
        return Ok(None);
    };
    let mut files: Vec<String> = list.lines().map(str::to_string).collect();
    files.push(MARKER.to_string());
    Ok(Some(files))
}

/// The marker's text: what the folder is, and every file of `written`.
fn marker_text(written: &[String]) -> String {
    let mut text = String::from(MARKER_TEXT);
    text.push_str(RECORD_HEADING);
    for path in written.iter().filter(|p| *p != MARKER) {
        text.push_str(path);
        text.push('\n');
    }
    text
}

/// A build's files on their way to the output folder, staged as they are
/// rendered, then swapped in whole by [`Staging::commit`].
///
/// The stage is the site the previous build replaced, when one was kept
/// beside the output ([`PreviousSite`]): a file whose bytes are already there is
/// left as it is, and anything else is replaced by a rename (never written
/// through, since its inode may be the live output's). Otherwise it is a
/// fresh temporary sibling, which a build dropped without a commit removes.
///
/// A file whose bytes equal the live output's copy is hard-linked from it
/// instead of written: a rebuild then creates few new files, which is most
/// of what the kernel spends on a large site, and an unchanged file keeps its
/// inode (and its time, for deploy tools that compare them). Any failure to
/// link falls back to writing.
pub struct Staging {
    stage: Stage,
    output: PathBuf,
    /// The output folder when it holds a previous build (its [`MARKER`]).
    previous: Option<PathBuf>,
    /// Folders already created, so each is made once.
    folders: Mutex<HashSet<PathBuf>>,
    /// For a fresh stage that [`spread`] marked, the ending of the name its
    /// top-level folders are made under before they take their own.
    spread: Option<String>,
    /// Every file put: the [`MARKER`] lists them, and what the build did not
    /// write is deleted from the kept folder before the swap.
    written: Mutex<Vec<String>>,
}

/// Where a build stages its files.
enum Stage {
    /// A fresh temporary sibling of the output.
    Fresh(tempfile::TempDir),
    /// The site the last build replaced, updated in place.
    Kept(PreviousSite),
}

impl Staging {
    /// Starts staging a new version of `output`.
    pub fn new(output: &Path) -> io::Result<Self> {
        let output = resolve(output)?;
        let parent = output
            .parent()
            .ok_or_else(|| io::Error::other("the output folder has no parent"))?;
        fs::create_dir_all(parent)?;
        let previous = output.join(MARKER).is_file().then(|| output.clone());
        // A site is kept once there is a previous build to keep.
        let mut spread_as = None;
        let stage = match PreviousSite::open(&output, previous.is_some()) {
            Some(kept) => Stage::Kept(kept),
            None => {
                let name = output
                    .file_name()
                    .map_or("public".into(), |n| n.to_string_lossy().into_owned());
                let dir = tempfile::Builder::new()
                    .prefix(&format!(".{name}.tmp-"))
                    .tempdir_in(parent)?;
                if spread(dir.path()) {
                    spread_as = dir
                        .path()
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned());
                }
                Stage::Fresh(dir)
            }
        };
        Ok(Staging {
            stage,
            output,
            previous,
            folders: Mutex::new(HashSet::new()),
            spread: spread_as,
            written: Mutex::new(Vec::new()),
        })
    }

    /// The folder files are staged in.
    fn dir(&self) -> &Path {
        match &self.stage {
            Stage::Fresh(dir) => dir.path(),
            Stage::Kept(kept) => &kept.dir,
        }
    }

    /// Replaces the output folder with everything staged, marked as a
    /// build's own ([`MARKER`], which lists what it wrote). The site it
    /// replaces is kept for the next build when the stage was the kept
    /// folder, and deleted otherwise.
    pub fn commit(self) -> io::Result<()> {
        let marker = {
            let mut written = self
                .written
                .lock()
                .expect("the written lock is never poisoned");
            written.sort_unstable();
            marker_text(&written)
        };
        self.put(Output {
            path: MARKER.to_string(),
            content: Content::Bytes(marker.into_bytes()),
            source: None,
        })?;
        match self.stage {
            Stage::Fresh(dir) => {
                let staged = dir.keep();
                match swap_in(&staged, &self.output) {
                    Ok(Some(old)) => remove_dir_all_parallel(&old),
                    Ok(None) => Ok(()),
                    Err(e) => {
                        let _ = fs::remove_dir_all(&staged);
                        Err(e)
                    }
                }
            }
            Stage::Kept(kept) => {
                let written = self
                    .written
                    .into_inner()
                    .expect("the written lock is never poisoned");
                kept::remove_unwritten(&kept.dir, &written)?;
                match swap_in(&kept.dir, &self.output)? {
                    // Not a build's own site (`--force`): not kept.
                    Some(old) if self.previous.is_none() => remove_dir_all_parallel(&old),
                    Some(old) if old != kept.dir => {
                        fs::rename(&old, &kept.dir).or_else(|_| remove_dir_all_parallel(&old))
                    }
                    _ => Ok(()),
                }
            }
        }
    }
}

impl Staging {
    /// Where `path` goes in the stage, its folder made.
    fn target(&self, path: &str) -> io::Result<PathBuf> {
        if !is_safe_relative(path) {
            return Err(io::Error::other(format!(
                "refusing to write outside the output folder: {path}"
            )));
        }
        let target = self.dir().join(path);
        if let Some(folder) = target.parent() {
            let known = self
                .folders
                .lock()
                .expect("the folder lock is never poisoned")
                .contains(folder);
            if !known {
                self.make_top(path);
                // Created before it is recorded, so no thread writes into a
                // folder another thread has only promised to make.
                if fs::create_dir_all(folder).is_err() {
                    // The kept site may have a file where this build has a
                    // folder: the file goes.
                    self.clear_files_above(folder)?;
                    fs::create_dir_all(folder)?;
                }
                self.folders
                    .lock()
                    .expect("the folder lock is never poisoned")
                    .insert(folder.to_path_buf());
            }
        }
        self.written
            .lock()
            .expect("the written lock is never poisoned")
            .push(path.to_string());
        Ok(target)
    }

    /// Makes the top-level folder that holds `path` in a [`spread`] stage,
    /// under a name no earlier build used, then renames it: ext4 picks the
    /// place of a folder made in a top directory from its name, so a folder
    /// made as `briefs` would land where the last build's `briefs` was.
    /// Anything that fails is left to the ordinary making of folders.
    fn make_top(&self, path: &str) {
        let (Some(ending), Some((top, _))) = (&self.spread, path.split_once('/')) else {
            return;
        };
        let folder = self.dir().join(top);
        let mut folders = self
            .folders
            .lock()
            .expect("the folder lock is never poisoned");
        if folders.contains(&folder) {
            return;
        }
        let named = self.dir().join(format!(".{top}{ending}"));
        if fs::create_dir(&named).is_ok() {
            if fs::rename(&named, &folder).is_ok() {
                folders.insert(folder);
            } else {
                let _ = fs::remove_dir(&named);
            }
        }
    }

    /// Removes any file of the kept site that stands where `folder` or one
    /// of the folders above it (inside the stage) should be.
    fn clear_files_above(&self, folder: &Path) -> io::Result<()> {
        if let Stage::Fresh(_) = self.stage {
            return Ok(());
        }
        for above in folder.ancestors().take_while(|f| *f != self.dir()) {
            if fs::symlink_metadata(above).is_ok_and(|meta| !meta.is_dir()) {
                fs::remove_file(above)?;
            }
        }
        Ok(())
    }

    /// Where a file for `target` is written before it replaces it: `target`
    /// itself in a fresh stage, a sibling in the kept one.
    fn fresh_name(&self, target: &Path, suffix: &str) -> PathBuf {
        match self.stage {
            Stage::Fresh(_) => target.to_path_buf(),
            Stage::Kept(_) => beside(target, suffix),
        }
    }

    /// Puts `fresh` in place of `target`, whatever the kept site has there.
    fn replace(&self, fresh: &Path, target: &Path) -> io::Result<()> {
        if fresh == target {
            return Ok(());
        }
        if fs::symlink_metadata(target).is_ok_and(|meta| meta.is_dir()) {
            fs::remove_dir_all(target)?;
        }
        fs::rename(fresh, target)
    }
}

impl Sink for Staging {
    fn put(&self, output: Output) -> io::Result<()> {
        let target = self.target(&output.path)?;
        let located = |e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", output.path));
        if let Stage::Kept(_) = self.stage
            && unchanged(&output.content, &target)
        {
            return Ok(());
        }
        let fresh = self.fresh_name(&target, ".briefs-new");
        if !self.link_previous(&output.path, &output.content, &fresh)? {
            match &output.content {
                Content::Bytes(bytes) => fs::write(&fresh, bytes),
                Content::Embedded(bytes) => fs::write(&fresh, bytes),
                Content::Copy(from) => fs::copy(from, &fresh).map(|_| ()),
            }
            .map_err(located)?;
        }
        self.replace(&fresh, &target).map_err(located)
    }

    /// Streams the file to disk as it is written; if it then equals the
    /// kept copy, that stays, or if it equals the live output's copy, that
    /// copy is linked in its place, as [`Sink::put`] does, so an unchanged
    /// file keeps its inode.
    fn put_written(&self, path: &str, write: crate::render::Write<'_>) -> io::Result<()> {
        let target = self.target(path)?;
        let located = |e: io::Error| io::Error::new(e.kind(), format!("{path}: {e}"));
        let fresh = self.fresh_name(&target, ".briefs-new");
        let written = fs::File::create(&fresh).and_then(|file| {
            let mut file = io::BufWriter::with_capacity(1 << 16, file);
            write(&mut file)?;
            io::Write::flush(&mut file)
        });
        written.map_err(located)?;
        let made = Content::Copy(fresh.clone());
        if fresh != target && unchanged(&made, &target) {
            return fs::remove_file(&fresh).map_err(located);
        }
        // Linked beside it, then renamed over it: the written file stays
        // unless the link holds the same bytes.
        let link = beside(&target, ".briefs-link");
        if self.link_previous(path, &made, &link)? {
            if let Err(e) = self.replace(&link, &target) {
                fs::remove_file(&link)?;
                return Err(located(e));
            }
            if fresh != target {
                fs::remove_file(&fresh).map_err(located)?;
            }
            return Ok(());
        }
        self.replace(&fresh, &target).map_err(located)
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
        if !same_length {
            return Ok(false);
        }
        // A leftover of an interrupted build may stand where the link goes.
        if let Stage::Kept(_) = self.stage {
            let _ = fs::remove_file(target);
        }
        if fs::hard_link(&old, target).is_err() {
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

/// `path` with `suffix` added to its name: a file beside it.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
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

/// Marks the fresh stage `dir` as the top of a tree of folders (the
/// `FS_TOPDIR_FL` of ext2, ext3 and ext4, `chattr +T`), so that each folder
/// made in it goes to a block group chosen across the disk rather than
/// beside `dir`. True when the file system took the mark.
///
/// Why: on ext4 without a journal, a new file's inode is not one freed in
/// the last minute, and finding one costs a read of every such inode in the
/// block group. A build into an output folder just deleted (`rm -rf public`
/// before every build, as a clean build or a benchmark does) put its 43,000
/// files for 10,000 briefs in the block groups of the 43,000 just freed, and
/// spent seconds in that scan. Other file systems refuse the mark, and then
/// nothing changes.
#[cfg(target_os = "linux")]
fn spread(dir: &Path) -> bool {
    use rustix::fs::{IFlags, ioctl_getflags, ioctl_setflags};
    let Ok(folder) = fs::File::open(dir) else {
        return false;
    };
    ioctl_getflags(&folder)
        .and_then(|flags| ioctl_setflags(&folder, flags | IFlags::TOPDIR))
        .is_ok()
}

#[cfg(not(target_os = "linux"))]
fn spread(_dir: &Path) -> bool {
    false
}

/// True for a relative path with only normal components.
fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Puts `staged` where `output` is, and says where the site it replaced
/// now is (`None` when there was no output). On Linux the two folders are
/// exchanged in one atomic step (`renameat2` with `RENAME_EXCHANGE`), so a
/// reader, a web server or a second build running at the same moment sees
/// the old site or the new one and never a missing or mixed one; the old
/// site is then where the staged one was. Elsewhere the old output moves
/// aside first and is put back if the second rename fails.
fn swap_in(staged: &Path, output: &Path) -> io::Result<Option<PathBuf>> {
    if !output.exists() {
        return match fs::rename(staged, output) {
            // Another build created it in between: swap with that one instead.
            Err(_) if output.is_dir() => swap_in(staged, output),
            other => other.map(|()| None),
        };
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, staged, CWD, output, RenameFlags::EXCHANGE).is_ok() {
            return Ok(Some(staged.to_path_buf()));
        }
    }
    let old = beside(staged, ".old");
    fs::rename(output, &old)?;
    if let Err(e) = fs::rename(staged, output) {
        let _ = fs::rename(&old, output);
        return Err(e);
    }
    Ok(Some(old))
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

    /// A fresh stage's top-level folders are made under names of their own,
    /// then renamed: the site holds only its own names, and where the file
    /// system takes the mark (ext4 here) the output is a top directory.
    #[test]
    fn a_spread_stage_leaves_only_the_sites_own_names() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let staging = Staging::new(&output).unwrap();
        for path in [
            "briefs/a/index.html",
            "briefs/b/index.html",
            "tags/x/index.html",
            "index.html",
        ] {
            let content = Content::Bytes(path.as_bytes().to_vec());
            let source = None;
            let path = path.to_string();
            staging
                .put(Output {
                    path,
                    content,
                    source,
                })
                .unwrap();
        }
        let spread = staging.spread.is_some();
        staging.commit().unwrap();
        let sorted = |dir: &Path| {
            let mut names = top_entries(dir).unwrap();
            names.sort();
            names
        };
        assert_eq!(
            sorted(&output),
            [".briefs-build", "briefs/", "index.html", "tags/"]
        );
        assert_eq!(sorted(&output.join("briefs")), ["a/", "b/"]);
        assert_eq!(
            fs::read_to_string(output.join("briefs/b/index.html")).unwrap(),
            "briefs/b/index.html"
        );
        assert_eq!(sorted(dir.path()), ["public/"], "the stage is gone");
        #[cfg(target_os = "linux")]
        if spread {
            use rustix::fs::{IFlags, ioctl_getflags};
            let flags = ioctl_getflags(fs::File::open(&output).unwrap()).unwrap();
            assert!(flags.contains(IFlags::TOPDIR));
        }
    }
}
