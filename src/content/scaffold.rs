//! Scaffolding: `briefs new` (a draft brief) and `briefs init` (a new site).
//!
//! Both write only new files and refuse to overwrite anything. What they write
//! builds as it is, so an analyst starts from a green `briefs check`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::content::checks::placeholder;

/// Why scaffolding refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("{0} already exists; not overwriting it")]
    Exists(PathBuf),
    #[error("\"{0}\" gives no usable slug (no letters or digits); name one with --slug")]
    NoSlug(String),
    #[error(
        "\"{title}\" has kanji, which briefs cannot read for a site in `{language}` (it would read them as Chinese); name the brief's address with --slug, e.g. --slug tokyo-electron-results"
    )]
    NeedsSlug { title: String, language: String },
    #[error("`{0}` is not a slug: use lowercase letters a-z, digits and hyphens")]
    BadSlug(String),
    #[error("{0} is not empty; `briefs init` needs a new or empty folder")]
    NotEmpty(PathBuf),
    #[error(
        "{0} holds a site already (its site.yaml); to add the GitHub Pages workflow to it: briefs init {0} --github-pages --briefs-git URL"
    )]
    IsSite(PathBuf),
    #[error("no site.yaml in {0}; run `briefs init` first or pass --root")]
    NoSite(PathBuf),
    #[error("{0} has errors, so its `brief.sections` are unknown; `briefs check` shows them")]
    BadConfig(PathBuf),
    #[error("`{0}` is not a git URL cargo can install from; give an https:// or ssh:// URL")]
    BadGitUrl(String),
    #[error("`{0}` is not a git commit, tag or branch name")]
    BadRev(String),
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

/// The text of a new draft brief: `slug:` pins its address (renaming the
/// file then changes nothing), and its headings are the site's
/// `brief.sections`.
pub fn draft_text(title: &str, slug: &str, sections: &[String], today: Date) -> String {
    let headings: String = sections
        .iter()
        .map(|section| format!("\n## {section}\n"))
        .collect();
    format!(
        r#"---
title: {title}
slug: {slug}
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
{headings}"#,
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
    new_brief_in(root, title, today, false, None)
}

/// Writes a new draft dated `date`: `content/briefs/<slug>.md`, or with
/// `bundle` a folder `content/briefs/<slug>/index.md` (for a brief with its
/// own images). The slug is `slug`, or else made from the title for the
/// site's language ([`slug_for`]). Returns its path.
pub fn new_brief_in(
    root: &Path,
    title: &str,
    date: Date,
    bundle: bool,
    slug: Option<&str>,
) -> Result<PathBuf, ScaffoldError> {
    let config_path = root.join(crate::content::config::FILE_NAME);
    if !config_path.is_file() {
        return Err(ScaffoldError::NoSite(root.to_path_buf()));
    }
    let config = fs::read_to_string(&config_path)
        .map_err(io_at(&config_path))
        .and_then(|text| {
            crate::content::config::parse(&text)
                .map_err(|_| ScaffoldError::BadConfig(config_path.clone()))
        })?;
    let slug = match slug {
        Some(slug) if is_ascii_slug(slug) => slug.to_string(),
        Some(slug) => return Err(ScaffoldError::BadSlug(slug.to_string())),
        None => slug_for(title, &config.language)?,
    };
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
    create_new(&path, &draft_text(title, &slug, &config.sections, date))?;
    Ok(path)
}

/// A slug as the site requires one: lowercase ASCII letters, digits, hyphens.
fn is_ascii_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The slug of a title for a site in `language`.
///
/// Slugs stay ASCII (`[a-z0-9-]+`), so an address is the same typed, copied
/// or percent-encoded, and Latin, Greek, Cyrillic, Hangul and kana titles are
/// transliterated (`Москва` `moskva`; kana in Hepburn romaji, `けっさん` `kessan`). Kanji are
/// the exception: how one reads depends on the language (東京 is Tōkyō in
/// Japanese, Dōngjīng in Mandarin) and Japanese needs a dictionary to read
/// them at all (the crates that have one are GPL or ship tens of megabytes
/// of it). So Han characters are read as Mandarin only on a Chinese site
/// (`language: zh…`); elsewhere the analyst names the address (`--slug`),
/// as Japanese desks usually do, rather than get a reading no reader would
/// accept.
pub fn slug_for(title: &str, language: &str) -> Result<String, ScaffoldError> {
    let primary = language.split(['-', '_']).next().unwrap_or_default();
    if !primary.eq_ignore_ascii_case("zh") && title.chars().any(super::slugs::is_han) {
        return Err(ScaffoldError::NeedsSlug {
            title: title.to_string(),
            language: language.to_string(),
        });
    }
    // Kana in Hepburn romaji (けっさん `kessan`); deunicode reads each kana
    // alone, so the small ones come out whole (`ketusan`).
    let has_kana = |c: char| wana_kana::utils::is_char_kana(c);
    let slug = if title.chars().any(has_kana) {
        use wana_kana::ConvertJapanese;
        slug_of(&title.to_romaji())
    } else {
        slug_of(title)
    };
    if slug.is_empty() {
        return Err(ScaffoldError::NoSlug(title.to_string()));
    }
    Ok(slug)
}

/// The longest a new brief's slug gets: a file name stays far below every
/// file system's limit (255 bytes), and an address stays readable.
pub const MAX_SLUG: usize = 80;

/// The slug of a title: `slug`'s reading of it, cut at the last word
/// boundary within [`MAX_SLUG`] characters (a single longer word is cut at
/// the limit).
pub fn slug_of(title: &str) -> String {
    let slug = slug::slugify(title);
    if slug.len() <= MAX_SLUG {
        return slug;
    }
    // A slug is ASCII: byte offsets are characters.
    let cut = &slug[..MAX_SLUG];
    match (slug.as_bytes()[MAX_SLUG] == b'-', cut.rfind('-')) {
        (true, _) => cut.to_string(),
        (false, Some(end)) if end > 0 => cut[..end].to_string(),
        _ => cut.to_string(),
    }
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
brief:
  # The H2 sections every brief has, in this order (`briefs new` writes them).
  sections: [{sections}]
markdown:
  raw_html: sanitize
extra: {}
"#;

/// The sections a new site asks of every brief: those of its first brief.
const FIRST_SECTIONS: [&str; 5] = [
    "What happened",
    "Current scale",
    "Competitive context",
    "What to watch",
    "For practitioners",
];

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

/// Where a GitHub Pages workflow installs briefs from: a git repository and,
/// to pin a version, a commit or tag in it.
#[derive(Debug, Clone)]
pub struct PagesSource {
    /// The git URL, as `cargo install --git` takes it.
    pub git: String,
    /// The commit or tag (`cargo install --rev`); `None` installs the newest.
    pub rev: Option<String>,
}

/// The workflow `init --github-pages` writes, as GitHub's own Pages
/// workflows for other generators are made: the build job installs briefs
/// (cached by its pinned revision), builds for the address `configure-pages`
/// reports (a project site's `/<repository>/` subpath, or a custom domain),
/// and uploads the output with its dotfiles (`.nojekyll`, `.well-known/`);
/// the deploy job publishes it.
const PAGES_WORKFLOW: &str = r#"# Builds the site with briefs and publishes it on GitHub Pages at every push
# to main. Once, in the repository's Settings > Pages, set Source to
# "GitHub Actions".
name: Pages

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

# One deployment at a time; a newer push waits rather than cancelling one
# that is publishing.
concurrency:
  group: pages
  cancel-in-progress: false

env:
  # Where briefs is installed from: its git repository, and the commit or tag
  # to pin (empty: the newest commit, installed afresh at every run).
  BRIEFS_GIT: {git}
  BRIEFS_REV: {rev}

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - id: pages
        uses: actions/configure-pages@v5
      - id: cache
        if: env.BRIEFS_REV != ''
        uses: actions/cache@v4
        with:
          path: ~/.cargo/bin/briefs
          key: briefs-${{ runner.os }}-${{ env.BRIEFS_REV }}
      - name: Install briefs
        if: steps.cache.outputs.cache-hit != 'true'
        run: cargo install --locked --git "$BRIEFS_GIT" ${BRIEFS_REV:+--rev "$BRIEFS_REV"} briefs
      - name: Build
        # The address GitHub serves the site at: https://<owner>.github.io/<repository>
        # for a project site, or the custom domain set in Settings > Pages.
        run: briefs build --base-url "$PAGES_URL/"
        env:
          PAGES_URL: ${{ steps.pages.outputs.base_url }}
      - uses: actions/upload-pages-artifact@v5
        with:
          path: public
          include-hidden-files: true

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v5
"#;

/// Where `init --github-pages` writes its workflow.
pub const PAGES_WORKFLOW_PATH: &str = ".github/workflows/pages.yml";

/// The GitHub Pages workflow for `source`, checked first: the values go into
/// YAML and a shell line, so only a plain URL and revision name are taken.
pub fn pages_workflow(source: &PagesSource) -> Result<String, ScaffoldError> {
    let url =
        url::Url::parse(&source.git).map_err(|_| ScaffoldError::BadGitUrl(source.git.clone()))?;
    let plain = |s: &str| {
        !s.chars()
            .any(|c| c.is_whitespace() || "\"'`$\\{}".contains(c))
    };
    if !matches!(url.scheme(), "https" | "http" | "ssh" | "git") || !plain(&source.git) {
        return Err(ScaffoldError::BadGitUrl(source.git.clone()));
    }
    let rev = source.rev.as_deref().unwrap_or("");
    let rev_ok = rev
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._/-".contains(c));
    if !rev_ok || rev.starts_with('-') {
        return Err(ScaffoldError::BadRev(rev.to_string()));
    }
    Ok(PAGES_WORKFLOW
        .replace("{git}", &yaml_string(&source.git))
        .replace("{rev}", &yaml_string(rev)))
}

/// Creates a new site in `dir` (which must be new or empty).
pub fn init(dir: &Path, today: Date) -> Result<Vec<PathBuf>, ScaffoldError> {
    match init_with(dir, today, None)? {
        Initialized::Site(written) => Ok(written),
        Initialized::Workflow(path) => Ok(vec![path]),
    }
}

/// What `init` wrote.
#[derive(Debug)]
pub enum Initialized {
    /// A new site: every file written.
    Site(Vec<PathBuf>),
    /// Only the GitHub Pages workflow, added to a site that was there.
    Workflow(PathBuf),
}

/// Creates a new site in `dir` (which must be new or empty); with `pages`,
/// also a GitHub Actions workflow that publishes it on GitHub Pages. A
/// folder that holds a site already (a `site.yaml`) gets the workflow only,
/// so a desk that started without it need not start again; nothing of the
/// site is touched, and an existing workflow file stops it.
pub fn init_with(
    dir: &Path,
    today: Date,
    pages: Option<&PagesSource>,
) -> Result<Initialized, ScaffoldError> {
    // Checked before anything is written, so a bad URL leaves no half-made site.
    let workflow = pages.map(pages_workflow).transpose()?;
    if dir.exists() {
        let mut entries = fs::read_dir(dir).map_err(io_at(dir))?;
        if entries.next().is_some() {
            let is_site = dir.join(super::config::FILE_NAME).is_file();
            return match (is_site, workflow) {
                (true, Some(text)) => {
                    let path = dir.join(PAGES_WORKFLOW_PATH);
                    write_new(&path, &text)?;
                    Ok(Initialized::Workflow(path))
                }
                (true, None) => Err(ScaffoldError::IsSite(dir.to_path_buf())),
                (false, _) => Err(ScaffoldError::NotEmpty(dir.to_path_buf())),
            };
        }
    }
    let mut written = Vec::new();
    for folder in ["content/briefs", "content/pages", "templates", "static"] {
        let path = dir.join(folder);
        fs::create_dir_all(&path).map_err(io_at(&path))?;
    }
    // The first brief shows the shape of one, with the sections site.yaml
    // asks for, so `briefs new` writes the same headings.
    let sections = FIRST_SECTIONS.map(String::from);
    let brief = draft_text("First brief", "first-brief", &sections, today)
        .replace("status: draft", "status: published");
    let files = [
        (
            "site.yaml",
            SITE_YAML
                .replace("{base_url}", placeholder::BASE_URL)
                .replace("{sections}", &FIRST_SECTIONS.join(", ")),
        ),
        ("content/pages/about.md", ABOUT.to_string()),
        ("content/briefs/first-brief.md", brief),
        (".gitignore", GITIGNORE.to_string()),
    ];
    let workflow = workflow.map(|text| (PAGES_WORKFLOW_PATH, text));
    for (rel, text) in files.into_iter().chain(workflow) {
        let path = dir.join(rel);
        write_new(&path, &text)?;
        written.push(path);
    }
    Ok(Initialized::Site(written))
}

/// Writes `text` to a file that must not exist yet, making its folders.
fn write_new(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_at(parent))?;
    }
    create_new(path, text)
}
