//! Where a command runs: finding the site from the current folder, and
//! showing the site's paths so they open from that folder.
//!
//! Like git and cargo, a command run anywhere inside a site (in
//! `content/briefs/`, say) finds the nearest `site.yaml` above it. The
//! library names every file relative to the site root
//! (`content/briefs/x.md`); the command line shows it relative to the folder
//! it runs in (`x.md` there, `site/content/briefs/x.md` with `--root site`),
//! so a terminal or an editor opens it as printed.

use std::path::{Component, Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// The nearest folder at or above `start` holding `site.yaml`, as a path
/// relative to `start` (`.`, `..`, `../..`), or `None` when there is none.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .position(|dir| dir.join(crate::content::config::FILE_NAME).is_file())
        .map(|up| match up {
            0 => PathBuf::from("."),
            n => (0..n).map(|_| "..").collect(),
        })
}

/// Shows paths of a site as seen from the current folder.
#[derive(Debug, Clone)]
pub struct PathShower {
    /// The site root as the user gave it (or as it was found).
    root: PathBuf,
    /// The current folder, absolute.
    cwd: PathBuf,
}

impl PathShower {
    /// For the site at `root` (relative to `cwd`, or absolute), from `cwd` (absolute).
    pub fn new(root: &Path, cwd: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
            cwd: normalize(cwd),
        }
    }

    /// For the site at `root`, from the process's current folder.
    pub fn from_current_dir(root: &Path) -> Self {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
        Self::new(root, &cwd)
    }

    /// `rel` (a path under the site root) as it opens from the current
    /// folder: relative when the root was given relative or lies inside the
    /// current folder, absolute otherwise.
    pub fn show(&self, rel: &Path) -> PathBuf {
        let absolute = normalize(&self.cwd.join(&self.root).join(rel));
        if self.root.is_absolute() && !absolute.starts_with(&self.cwd) {
            return absolute;
        }
        relative_to(&absolute, &self.cwd)
    }

    /// A diagnostic with its file shown from the current folder. A path
    /// that is not a file of the site (an output path, say) stays as it is.
    pub fn diagnostic(&self, diagnostic: &Diagnostic) -> Diagnostic {
        let mut shown = diagnostic.clone();
        if self.cwd.join(&self.root).join(&shown.path).exists() {
            shown.path = self.show(&shown.path);
        }
        shown
    }

    /// A template error (see [`crate::render::template_error`]) with its
    /// `templates/…` locations shown from the current folder.
    pub fn template_message(&self, message: &str) -> String {
        const TEMPLATES: &str = "templates/";
        let shown = self.show_dir(Path::new("templates"));
        message
            .lines()
            .map(|line| match line.find(TEMPLATES) {
                Some(i) if i == 0 || line[..i].ends_with(' ') => {
                    format!("{}{shown}{}", &line[..i], &line[i + TEMPLATES.len()..])
                }
                _ => line.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// A folder under the site root, shown with a trailing `/`
    /// (`public/`, `../../public/`, `./` for the current folder).
    pub fn show_dir(&self, rel: &Path) -> String {
        let shown = self.show(rel).display().to_string();
        match shown.as_str() {
            "." | "" => "./".to_string(),
            s if s.ends_with('/') => shown,
            _ => format!("{shown}/"),
        }
    }
}

/// `path` with `.` dropped and `..` applied, without touching the disk.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `path` relative to `base`, both absolute and normalized.
fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let path_parts: Vec<Component> = path.components().collect();
    let base_parts: Vec<Component> = base.components().collect();
    let common = path_parts
        .iter()
        .zip(&base_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out: PathBuf = base_parts[common..].iter().map(|_| "..").collect();
    out.extend(path_parts[common..].iter().map(|c| c.as_os_str()));
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(root: &str, cwd: &str, rel: &str) -> String {
        PathShower::new(Path::new(root), Path::new(cwd))
            .show(Path::new(rel))
            .display()
            .to_string()
    }

    #[test]
    fn paths_open_from_the_current_folder() {
        let x = "content/briefs/x.md";
        assert_eq!(shown(".", "/w/site", x), "content/briefs/x.md");
        assert_eq!(shown("site", "/w", x), "site/content/briefs/x.md");
        assert_eq!(shown("../..", "/w/site/content/briefs", x), "x.md");
        assert_eq!(shown("..", "/w/site/content", x), "briefs/x.md");
        assert_eq!(
            shown("../site", "/w/other", x),
            "../site/content/briefs/x.md"
        );
        assert_eq!(shown("/w/site", "/w", x), "site/content/briefs/x.md");
        assert_eq!(shown("/srv/site", "/w", x), "/srv/site/content/briefs/x.md");
        assert_eq!(shown("./site/", "/w", "site.yaml"), "site/site.yaml");
    }

    #[test]
    fn template_locations_open_from_the_current_folder() {
        let shower = PathShower::new(Path::new("site"), Path::new("/w"));
        assert_eq!(
            shower.template_message("error: x\n --> templates/brief.html:3:9\n  |"),
            "error: x\n --> site/templates/brief.html:3:9\n  |"
        );
        let builtin = " --> built-in template brief.html:3:9";
        assert_eq!(shower.template_message(builtin), builtin);
    }

    #[test]
    fn folders_end_in_a_slash() {
        let shower = PathShower::new(Path::new("../.."), Path::new("/w/site/content/briefs"));
        assert_eq!(shower.show_dir(Path::new("public")), "../../public/");
        assert_eq!(shower.show_dir(Path::new("content/briefs")), "./");
    }

    #[test]
    fn the_root_is_found_in_a_parent_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(site.join("content/briefs")).unwrap();
        std::fs::write(site.join("site.yaml"), "title: T\n").unwrap();
        assert_eq!(find_root(&site), Some(PathBuf::from(".")));
        assert_eq!(find_root(&site.join("content")), Some(PathBuf::from("..")));
        assert_eq!(
            find_root(&site.join("content/briefs")),
            Some(PathBuf::from("../.."))
        );
        assert_eq!(find_root(tmp.path()), None);
    }
}
