//! Scaffolding: `briefs new` (a draft brief) and `briefs init` (a new site).
//!
//! Both write only new files and refuse to overwrite anything. What they write
//! builds as it is, so an analyst starts from a green `briefs check`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::content::placeholder;

/// Why scaffolding refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("{0} already exists; not overwriting it")]
    Exists(PathBuf),
    #[error("\"{0}\" gives no usable slug (no letters or digits)")]
    NoSlug(String),
    #[error("{0} is not empty; `briefs init` needs a new or empty folder")]
    NotEmpty(PathBuf),
    #[error("no site.yaml in {0}; run `briefs init` first or pass --root")]
    NoSite(PathBuf),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> ScaffoldError + '_ {
    move |source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Quotes a string for YAML's double-quoted style.
fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serializes")
}

/// The text of a new draft brief.
pub fn draft_text(title: &str, today: Date) -> String {
    format!(
        r#"---
title: {title}
date: {today}
summary: >
  {summary}
status: draft
tags: []
entities: []
score:
  value: 5
  rationale: |
    {rationale} [@source-1].
  factors:
    - {{ name: Evidence, value: 5 }}
    - {{ name: Impact, value: 5 }}
sources:
  - id: source-1
    publisher: Publisher
    title: {source_title}
    url: {source_url}
    date: {today}
    accessed: {today}
watch: []
---
{lede} [@source-1].

## What happened

## Current scale

## Competitive context

## What to watch

## For practitioners
"#,
        title = yaml_string(title),
        summary = placeholder::SUMMARY,
        rationale = placeholder::RATIONALE,
        source_title = placeholder::SOURCE_TITLE,
        source_url = placeholder::SOURCE_URL,
        lede = placeholder::LEDE,
    )
}

/// Writes `content/briefs/<slug>.md` for `title` under `root`; returns its path.
pub fn new_brief(root: &Path, title: &str, today: Date) -> Result<PathBuf, ScaffoldError> {
    new_brief_in(root, title, today, false)
}

/// Writes a new draft dated `date`: `content/briefs/<slug>.md`, or with
/// `bundle` a folder `content/briefs/<slug>/index.md` (for a brief with its
/// own images). Returns its path.
pub fn new_brief_in(
    root: &Path,
    title: &str,
    date: Date,
    bundle: bool,
) -> Result<PathBuf, ScaffoldError> {
    if !root.join(crate::content::config::FILE_NAME).is_file() {
        return Err(ScaffoldError::NoSite(root.to_path_buf()));
    }
    let slug = slug::slugify(title);
    if slug.is_empty() {
        return Err(ScaffoldError::NoSlug(title.to_string()));
    }
    let briefs = root.join("content/briefs");
    // A file and a bundle of one name would be two briefs with one slug.
    for taken in [briefs.join(&slug), briefs.join(format!("{slug}.md"))] {
        if taken.exists() {
            return Err(ScaffoldError::Exists(taken));
        }
    }
    let (dir, path) = if bundle {
        let dir = briefs.join(&slug);
        let path = dir.join("index.md");
        (dir, path)
    } else {
        let path = briefs.join(format!("{slug}.md"));
        (briefs, path)
    };
    fs::create_dir_all(&dir).map_err(io_at(&dir))?;
    create_new(&path, &draft_text(title, date))?;
    Ok(path)
}

fn create_new(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    use std::io::Write;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => ScaffoldError::Exists(path.to_path_buf()),
            _ => ScaffoldError::Io {
                path: path.to_path_buf(),
                source: e,
            },
        })?;
    file.write_all(text.as_bytes()).map_err(io_at(path))
}

const SITE_YAML: &str = r#"title: Analyst Briefs
description: Scored, sourced analyst briefs
base_url: {base_url}
language: en
authors: [Research Desk]
per_page: 20
scoring:
  scale: 10
  bands:
    - { min: 8, label: High }
    - { min: 5, label: Medium }
    - { min: 0, label: Low }
markdown:
  raw_html: sanitize
extra: {}
"#;

const ABOUT: &str = r#"---
title: About
summary: Who writes these briefs and how.
---
Each brief is scored on a 0–10 scale and cites its sources by number.
"#;

/// What a new site keeps out of git: the default output, and the site each
/// build replaced, kept beside its output (whichever it is) to make the
/// next build fast (it also ignores itself).
const GITIGNORE: &str = "/public\n/.*.briefs/\n";

/// Creates a new site in `dir` (which must be new or empty).
pub fn init(dir: &Path, today: Date) -> Result<Vec<PathBuf>, ScaffoldError> {
    if dir.exists() {
        let mut entries = fs::read_dir(dir).map_err(io_at(dir))?;
        if entries.next().is_some() {
            return Err(ScaffoldError::NotEmpty(dir.to_path_buf()));
        }
    }
    let mut written = Vec::new();
    for folder in ["content/briefs", "content/pages", "templates", "static"] {
        let path = dir.join(folder);
        fs::create_dir_all(&path).map_err(io_at(&path))?;
    }
    let brief = draft_text("First brief", today).replace("status: draft", "status: published");
    let files = [
        (
            "site.yaml",
            SITE_YAML.replace("{base_url}", placeholder::BASE_URL),
        ),
        ("content/pages/about.md", ABOUT.to_string()),
        ("content/briefs/first-brief.md", brief),
        (".gitignore", GITIGNORE.to_string()),
    ];
    for (rel, text) in files {
        let path = dir.join(rel);
        create_new(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}
