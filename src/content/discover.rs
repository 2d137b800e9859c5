//! Discover: find every file of a site, in a stable order, without reading any.
//!
//! Steps: walk `content/briefs/` (a `<name>.md` file, or a bundle
//! `<name>/index.md` with its assets), `content/pages/`, `templates/` and
//! `static/`, each sorted by file name so output never depends on the file
//! system. Hidden files and editor backups are skipped, except in `static/`,
//! whose dotfiles (`.nojekyll`, `.well-known/`, `.htaccess`) are for the
//! host and published; there only version-control, system and editor files
//! are left out ([`is_unpublished`]). Symlinks are not followed.

use std::io;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// A Markdown file to parse.
#[derive(Debug, Clone)]
pub struct ContentFile {
    /// Site-relative path, as diagnostics show it.
    pub path: PathBuf,
    /// Absolute (or root-joined) path to read.
    pub abs: PathBuf,
    /// The default slug: the file stem, or a bundle's folder name.
    pub name: String,
    /// A bundle's other files: (path relative to the bundle, path to read).
    pub assets: Vec<(PathBuf, PathBuf)>,
}

/// A file copied or loaded as-is.
#[derive(Debug, Clone)]
pub struct PlainFile {
    /// Path relative to its folder (`templates/` or `static/`), with `/`.
    pub rel: String,
    /// Path to read.
    pub abs: PathBuf,
}

/// Everything a site is made of.
#[derive(Debug, Clone, Default)]
pub struct SiteFiles {
    pub briefs: Vec<ContentFile>,
    pub pages: Vec<ContentFile>,
    pub templates: Vec<PlainFile>,
    pub statics: Vec<PlainFile>,
}

/// Finds the files of the site at `root`. A missing folder is simply empty.
pub fn discover(root: &Path) -> io::Result<SiteFiles> {
    Ok(SiteFiles {
        briefs: content(root, "content/briefs", true)?,
        pages: content(root, "content/pages", false)?,
        templates: plain(root, "templates", is_hidden)?,
        statics: plain(root, "static", is_unpublished)?,
    })
}

/// Editor swap files, backups and dot-files: never part of the site. The
/// serve watcher ignores the same names.
pub(crate) fn is_hidden(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.starts_with('#')
}

/// Files and folders of `static/` that are never published: version
/// control (`.git`, `.gitignore`, `.hg`, `.svn`, …), system files
/// (`.DS_Store`, `._*`, `Thumbs.db`, `desktop.ini`) and editor files (swap
/// files `*.swp`, backups `*~`, lock and autosave files `.#*` and `#*`,
/// `.idea/`, `.vscode/`). Every other dotfile is published: hosts read
/// `.nojekyll`, `.well-known/`, `.htaccess`.
pub(crate) fn is_unpublished(name: &str) -> bool {
    const NAMES: &[&str] = &[
        ".hg",
        ".hgignore",
        ".hgtags",
        ".svn",
        ".bzr",
        ".bzrignore",
        ".jj",
        "CVS",
        ".DS_Store",
        "Thumbs.db",
        "desktop.ini",
        ".idea",
        ".vscode",
    ];
    let swap = [".swp", ".swo", ".swx"]
        .iter()
        .any(|ext| name.starts_with('.') && name.ends_with(ext));
    name.starts_with(".git")
        || name.starts_with("._")
        || name.starts_with(".#")
        || name.starts_with('#')
        || name.ends_with('~')
        || swap
        || NAMES.contains(&name)
}

fn sorted_entries(
    dir: &Path,
    max_depth: usize,
    skip: fn(&str) -> bool,
) -> impl Iterator<Item = io::Result<walkdir::DirEntry>> {
    WalkDir::new(dir)
        .min_depth(1)
        .max_depth(max_depth)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |e| !skip(&e.file_name().to_string_lossy()))
        .map(|r| r.map_err(io::Error::from))
}

fn content(root: &Path, folder: &str, bundles: bool) -> io::Result<Vec<ContentFile>> {
    let dir = root.join(folder);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in sorted_entries(&dir, 1, is_hidden) {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = Path::new(folder).join(&name);
        if entry.file_type().is_file() && name.ends_with(".md") {
            files.push(ContentFile {
                path: rel,
                abs: entry.path().to_path_buf(),
                // One `.md` only: `x.md.md` is named `x.md`, not `x`.
                name: name.strip_suffix(".md").unwrap_or(&name).to_string(),
                assets: Vec::new(),
            });
        } else if bundles && entry.file_type().is_dir() && entry.path().join("index.md").is_file() {
            files.push(ContentFile {
                path: rel.join("index.md"),
                abs: entry.path().join("index.md"),
                name,
                assets: bundle_assets(entry.path())?,
            });
        }
    }
    Ok(files)
}

fn bundle_assets(bundle: &Path) -> io::Result<Vec<(PathBuf, PathBuf)>> {
    let mut assets = Vec::new();
    for entry in sorted_entries(bundle, usize::MAX, is_hidden) {
        let entry = entry?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(bundle)
            .expect("walkdir stays under its root");
        if rel != Path::new("index.md") {
            assets.push((rel.to_path_buf(), entry.path().to_path_buf()));
        }
    }
    Ok(assets)
}

fn plain(root: &Path, folder: &str, skip: fn(&str) -> bool) -> io::Result<Vec<PlainFile>> {
    let dir = root.join(folder);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    for entry in sorted_entries(&dir, usize::MAX, skip) {
        let entry = entry?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(&dir)
            .expect("walkdir stays under its root");
        let rel = crate::text::url_path(rel);
        files.push(PlainFile {
            rel,
            abs: entry.path().to_path_buf(),
        });
    }
    Ok(files)
}
