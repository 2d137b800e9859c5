//! Sync: `serve`'s output folder kept equal to the site in place, file by
//! file. Only files whose bytes changed are written (each atomically, so a
//! request never sees part of a page), and files the site no longer has are
//! deleted.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::render::{Content, Output, Sink};

/// A sink that writes only the files whose bytes changed, each atomically,
/// and remembers every file's hash.
pub(crate) struct Syncer<'a> {
    dir: &'a Path,
    /// Hashes of the files on disk before this rebuild.
    known: &'a HashMap<String, blake3::Hash>,
    /// Hashes of the files this rebuild produced.
    seen: Mutex<HashMap<String, blake3::Hash>>,
    written: AtomicUsize,
}

impl<'a> Syncer<'a> {
    /// A syncer into `dir`, whose files on disk have the hashes `known`.
    pub(crate) fn new(dir: &'a Path, known: &'a HashMap<String, blake3::Hash>) -> Self {
        Syncer {
            dir,
            known,
            seen: Mutex::default(),
            written: 0.into(),
        }
    }

    /// How many files were written, and the hash of every file produced.
    pub(crate) fn finish(self) -> (usize, HashMap<String, blake3::Hash>) {
        let seen = self
            .seen
            .into_inner()
            .expect("the sync lock is never poisoned");
        (self.written.into_inner(), seen)
    }
}

impl Syncer<'_> {
    /// Writes `output` beside its place under a temporary name when its
    /// bytes changed, for [`Syncer::commit`] to put in place: the costly
    /// part of a write (making the file) is done while the pages render,
    /// and nothing of the folder changes until the rebuild is known good.
    pub(crate) fn stage(&self, output: Output) -> io::Result<Staged> {
        let bytes = bytes(&output)?;
        let hash = blake3::hash(&bytes);
        let temp = match self.known.get(&output.path) == Some(&hash) {
            true => None,
            false => Some(write_temp(self.dir, &output.path, &bytes)?),
        };
        Ok(Staged {
            path: output.path,
            hash,
            temp,
        })
    }

    /// Puts the `staged` files in place, each atomically, as [`Sink::put`]
    /// would have written them.
    pub(crate) fn commit(&self, staged: Vec<Staged>) -> io::Result<()> {
        staged
            .into_par_iter()
            .try_for_each(|staged| self.place(staged))
    }

    /// Renames one staged file into place (if its bytes changed) and notes
    /// its hash as what the folder now holds.
    fn place(&self, staged: Staged) -> io::Result<()> {
        if let Some((temp, target)) = staged.temp {
            temp.persist(&target).map_err(|e| e.error)?;
            self.written.fetch_add(1, Ordering::Relaxed);
        }
        self.seen
            .lock()
            .expect("the sync lock is never poisoned")
            .insert(staged.path, staged.hash);
        Ok(())
    }
}

/// A file a rebuild made, waiting to be put in place ([`Syncer::stage`]);
/// dropped, its temporary file is deleted.
pub(crate) struct Staged {
    path: String,
    hash: blake3::Hash,
    /// The new bytes under a temporary name, and where they go; `None`
    /// when the file on disk has these bytes.
    temp: Option<(tempfile::TempPath, PathBuf)>,
}

impl Sink for Syncer<'_> {
    fn put(&self, output: Output) -> io::Result<()> {
        let staged = self.stage(output)?;
        self.place(staged)
    }
}

/// The bytes of `output`.
fn bytes(output: &Output) -> io::Result<Cow<'_, [u8]>> {
    Ok(match &output.content {
        Content::Bytes(b) => b.into(),
        Content::Embedded(b) => (*b).into(),
        Content::Copy(from) => fs::read(from)?.into(),
    })
}

/// Deletes the files of `written` (path -> hash, as written earlier into
/// `dir`) that are not `expected`, and forgets them; returns how many.
pub(crate) fn remove_stale(
    dir: &Path,
    written: &mut HashMap<String, blake3::Hash>,
    expected: &dyn Fn(&str) -> bool,
) -> io::Result<usize> {
    let stale: Vec<String> = written.keys().filter(|p| !expected(p)).cloned().collect();
    for path in &stale {
        match fs::remove_file(dir.join(path)) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        written.remove(path);
    }
    Ok(stale.len())
}

/// Deletes every file under `dir` that is not `expected` (its path under
/// `dir`, with `/`): for when what was written there is not known, after a
/// rebuild that stopped midway. Returns how many.
pub(crate) fn remove_unexpected(dir: &Path, expected: &dyn Fn(&str) -> bool) -> io::Result<usize> {
    let mut removed = 0;
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_dir() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if !expected(&rel.join("/")) {
            fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Writes `bytes` into a temporary file beside `dir/path`, returned with
/// `dir/path`: renamed there, a reader sees the old file or the new one,
/// never part of one. The file is closed (a rebuild may stage thousands).
fn write_temp(dir: &Path, path: &str, bytes: &[u8]) -> io::Result<(tempfile::TempPath, PathBuf)> {
    let target = dir.join(path);
    let parent = target.parent().expect("output paths have a parent");
    fs::create_dir_all(parent)?;
    let mut tmp = tempfile::NamedTempFile::new_in(parent)?;
    io::Write::write_all(&mut tmp, bytes)?;
    Ok((tmp.into_temp_path(), target))
}
