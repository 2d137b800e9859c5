//! `briefs theme export`: the built-in theme written out, to be edited.
//!
//! Every built-in template goes to `templates/<name>` and every built-in
//! static file to `static/<name>` under the chosen folder, where a site's own
//! file replaces the built-in one of the same name. Nothing is written when
//! any of those files exists already, unless asked to overwrite.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::render::theme;

/// Why the export refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(
        "{} already exist{}; nothing was written (--force overwrites them)",
        list(.0),
        if .0.len() == 1 { "s" } else { "" }
    )]
    Exists(Vec<PathBuf>),
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn list(paths: &[PathBuf]) -> String {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    match names.as_slice() {
        [one] => one.clone(),
        [first, rest @ ..] if rest.len() > 2 => {
            format!("{first} and {} other files", rest.len())
        }
        _ => names.join(", "),
    }
}

/// Every file of the built-in theme: its path under a site root and its bytes.
pub fn files() -> Vec<(PathBuf, &'static [u8])> {
    let templates = theme::TEMPLATES
        .iter()
        .map(|(name, body)| (Path::new("templates").join(name), body.as_bytes()));
    let statics = theme::STATIC
        .iter()
        .map(|(name, bytes)| (Path::new("static").join(name), *bytes));
    templates.chain(statics).collect()
}

/// Writes the built-in theme under `dir`; returns the paths written,
/// relative to `dir`. Refuses, writing nothing, when a file exists and
/// `force` is false.
pub fn export(dir: &Path, force: bool) -> Result<Vec<PathBuf>, ExportError> {
    let files = files();
    if !force {
        let existing: Vec<PathBuf> = files
            .iter()
            .map(|(rel, _)| dir.join(rel))
            .filter(|path| path.exists())
            .map(|path| match path.strip_prefix(".") {
                Ok(rel) => rel.to_path_buf(),
                Err(_) => path,
            })
            .collect();
        if !existing.is_empty() {
            return Err(ExportError::Exists(existing));
        }
    }
    let mut written = Vec::with_capacity(files.len());
    for (rel, bytes) in files {
        let path = dir.join(&rel);
        let io_at = |source| ExportError::Io {
            path: path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_at)?;
        }
        fs::write(&path, bytes).map_err(io_at)?;
        written.push(rel);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_writes_every_theme_file_and_refuses_to_overwrite() {
        let tmp = tempfile::tempdir().unwrap();
        let written = export(tmp.path(), false).unwrap();
        assert_eq!(written.len(), theme::TEMPLATES.len() + theme::STATIC.len());
        let base = fs::read_to_string(tmp.path().join("templates/base.html")).unwrap();
        assert_eq!(base, theme::TEMPLATES[0].1);
        fs::write(tmp.path().join("templates/base.html"), "mine").unwrap();
        let refused = export(tmp.path(), false).unwrap_err();
        let first = tmp.path().join("templates/base.html");
        assert!(
            refused.to_string().starts_with(&format!(
                "{} and {} other files already exist; nothing was written",
                first.display(),
                written.len() - 1
            )),
            "{refused}"
        );
        assert_eq!(
            fs::read_to_string(tmp.path().join("templates/base.html")).unwrap(),
            "mine"
        );
        export(tmp.path(), true).unwrap();
        let base = fs::read_to_string(tmp.path().join("templates/base.html")).unwrap();
        assert_eq!(base, theme::TEMPLATES[0].1);
    }
}
