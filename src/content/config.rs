//! `site.yaml`: the site's configuration, read and validated once per build.
//!
//! Steps: read the YAML into [`RawConfig`] (typed, unknown fields rejected),
//! then check what types cannot say (an absolute http(s) `base_url`, bands
//! ordered and covering the whole scale) and produce a [`Config`].

use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use url::Url;

use crate::content::cite::reference::{self, Csl};
use crate::content::matter::front_matter::{self, Spanned};
use crate::diagnostic::{Diagnostic, Diagnostics};

/// How raw HTML in Markdown is treated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Kept, minus scripts, event handlers and dangerous URLs (ammonia).
    #[default]
    Sanitize,
    /// Kept as written: only for sites whose authors are all trusted.
    Allow,
    /// Shown as text.
    Escape,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    base_url: Spanned<String>,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default)]
    authors: Vec<String>,
    #[serde(default = "default_per_page")]
    per_page: Spanned<u32>,
    #[serde(default)]
    scoring: RawScoring,
    #[serde(default)]
    markdown: RawMarkdown,
    #[serde(default)]
    feeds: RawFeeds,
    #[serde(default)]
    brief: RawBrief,
    #[serde(default)]
    strict: bool,
    #[serde(default = "default_future_margin_days")]
    future_margin_days: u32,
    #[serde(default)]
    top: RawTop,
    #[serde(default)]
    search: RawSearch,
    /// BibTeX/BibLaTeX and CSL-JSON files, from the site root.
    #[serde(default)]
    bibliography: Vec<Spanned<String>>,
    /// Entries published though no brief cites them: keys, or `'*'`.
    #[serde(default)]
    nocite: Option<Spanned<RawNocite>>,
    /// The CSL style: a bundled style's name or a `.csl` file.
    #[serde(default)]
    csl: Option<Spanned<String>>,
    /// How citation marks print: `numbered` (the default) or `style`.
    #[serde(default)]
    citations: reference::Marks,
    /// Files of `static/` linked after the theme's stylesheet on every page.
    #[serde(default)]
    stylesheets: Vec<Spanned<String>>,
    /// Files of `static/` loaded (deferred) on every page.
    #[serde(default)]
    scripts: Vec<Spanned<String>>,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// `nocite: '*'` or `nocite: [key, …]` (a leading `@` allowed, as Pandoc's
/// `nocite` metadata writes keys). An untagged enum keeps no spans inside
/// it: keys are located by searching the whole value's text.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawNocite {
    All(String),
    Keys(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeeds {
    #[serde(default = "default_feed_count")]
    count: Spanned<u32>,
    #[serde(default)]
    min_score: Option<Spanned<f64>>,
}

impl Default for RawFeeds {
    fn default() -> Self {
        Self {
            count: default_feed_count(),
            min_score: None,
        }
    }
}

/// `search:`: the search page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSearch {
    /// The most a reader's browser fetches to count a query's tags and
    /// entities exactly (KB); past it they are estimated from a sample.
    #[serde(default = "default_counts_kb")]
    counts_kb: u32,
}

impl Default for RawSearch {
    fn default() -> Self {
        Self {
            counts_kb: default_counts_kb(),
        }
    }
}

fn default_counts_kb() -> u32 {
    200
}

/// `brief:`: the structure every brief must follow.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBrief {
    #[serde(default)]
    sections: Vec<String>,
    #[serde(default)]
    cited_sections: Vec<Spanned<String>>,
}

/// `top:`: the top-scored page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTop {
    #[serde(default = "default_top_days")]
    days: u32,
    #[serde(default = "default_top_count")]
    count: Spanned<u32>,
}

impl Default for RawTop {
    fn default() -> Self {
        Self {
            days: default_top_days(),
            count: default_top_count(),
        }
    }
}

fn default_future_margin_days() -> u32 {
    30
}

fn default_top_days() -> u32 {
    90
}

fn default_top_count() -> Spanned<u32> {
    unlocated(10)
}

fn default_feed_count() -> Spanned<u32> {
    unlocated(20)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScoring {
    #[serde(default = "default_scale")]
    scale: Spanned<f64>,
    #[serde(default = "default_bands")]
    bands: Spanned<Vec<RawBand>>,
}

impl Default for RawScoring {
    fn default() -> Self {
        Self {
            scale: default_scale(),
            bands: default_bands(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBand {
    min: Spanned<f64>,
    label: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    #[serde(default)]
    raw_html: RawHtml,
    #[serde(default = "yes")]
    smart_punctuation: bool,
    #[serde(default)]
    embeds: Vec<Spanned<String>>,
}

impl Default for RawMarkdown {
    fn default() -> Self {
        RawMarkdown {
            raw_html: RawHtml::default(),
            smart_punctuation: true,
            embeds: Vec::new(),
        }
    }
}

fn yes() -> bool {
    true
}

fn default_language() -> String {
    "en".to_string()
}

fn default_per_page() -> Spanned<u32> {
    unlocated(20)
}

fn default_scale() -> Spanned<f64> {
    unlocated(10.0)
}

fn default_bands() -> Spanned<Vec<RawBand>> {
    let band = |min: f64, label: &str| RawBand {
        min: unlocated(min),
        label: label.to_string(),
    };
    unlocated(vec![
        band(8.0, "High"),
        band(5.0, "Medium"),
        band(0.0, "Low"),
    ])
}

fn unlocated<T>(value: T) -> Spanned<T> {
    // A default has no place in the file; checks on it never fail.
    let nowhere = front_matter::Location::UNKNOWN;
    Spanned::new(value, nowhere, nowhere)
}

/// A scoring band: scores at or above `min` (and below the next band) get `label`.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub min: f64,
    pub label: String,
    /// The label as a slug, for CSS classes and URLs.
    pub slug: String,
}

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute, ending in `/`.
    pub base_url: Url,
    pub language: String,
    pub authors: Vec<String>,
    pub per_page: usize,
    /// Scores live in `[0, scale]`.
    pub scale: f64,
    /// Highest first; the last one starts at 0.
    pub bands: Vec<Band>,
    pub raw_html: RawHtml,
    /// Straight quotes, `--` and `...` become typographic (`markdown.smart_punctuation`).
    pub smart_punctuation: bool,
    /// Hosts whose `<iframe>`s `raw_html: sanitize` keeps (`markdown.embeds`), lowercase.
    pub embeds: Vec<String>,
    /// How many briefs each feed carries.
    pub feed_count: usize,
    /// Briefs at or above this score go in the high-score feed.
    pub feed_min_score: f64,
    /// H2 sections every brief must have, in this order.
    pub sections: Vec<String>,
    /// Sections whose every paragraph and list item must cite a source.
    pub cited_sections: Vec<String>,
    /// Editorial warnings are errors.
    pub strict: bool,
    /// A brief dated more than this many days after every other brief is a warning.
    pub future_margin_days: u32,
    /// The build's `--today`, if given: a brief dated after it is a warning.
    pub today: Option<jiff::civil::Date>,
    /// The top page: briefs of the last `top_days` days (counted back from
    /// the newest brief), at most `top_count`.
    pub top_days: u32,
    pub top_count: usize,
    /// `search.counts_kb`: the bytes of rows opening a query's tag and
    /// entity counts may fetch before they are estimated from a sample.
    pub search_counts_bytes: usize,
    /// Bibliography files (`.bib`, `.json`), relative to the site root.
    pub bibliography: Vec<String>,
    /// Registry entries published though no brief cites them.
    pub nocite: Nocite,
    /// The CSL style every reference text is formatted with (`csl:`).
    pub csl: Arc<Csl>,
    /// `stylesheets:`: files of `static/` linked after the theme's stylesheet.
    pub stylesheets: Vec<Linked>,
    /// `scripts:`: files of `static/` loaded on every page.
    pub scripts: Vec<Linked>,
    pub extra: serde_json::Value,
}

/// A file of `static/` that `stylesheets:` or `scripts:` links on every page.
#[derive(Debug, Clone)]
pub struct Linked {
    /// Its path under `static/`, with `/`.
    pub path: String,
    /// The error when `static/` has no such file, located at its line of
    /// `site.yaml`: made while the text is at hand, reported once the
    /// site's files are known.
    pub missing: Diagnostic,
}

impl Config {
    /// The base URL's path: starts and ends with `/`.
    pub fn root(&self) -> &str {
        self.base_url.path()
    }

    /// The band a score falls in.
    pub fn band(&self, score: f64) -> &Band {
        self.bands
            .iter()
            .find(|b| score >= b.min)
            .unwrap_or_else(|| self.bands.last().expect("validated: bands are never empty"))
    }

    /// Replaces the base URL (the CLI's `--base-url`).
    pub fn set_base_url(&mut self, raw: &str) -> Result<(), String> {
        self.base_url = parse_base_url(raw)?;
        Ok(())
    }
}

/// The path of `site.yaml` as diagnostics show it.
pub const FILE_NAME: &str = "site.yaml";

/// Reads and validates `site.yaml` from its text, for a site in the
/// current folder.
pub fn parse(text: &str) -> Result<Config, Diagnostics> {
    parse_in(text, Path::new("."))
}

/// Reads and validates `site.yaml` from its text, for the site at `root`
/// (where a `csl:` file is found).
pub fn parse_in(text: &str, root: &Path) -> Result<Config, Diagnostics> {
    let path = Path::new(FILE_NAME);
    let mut diagnostics = Diagnostics::default();
    let raw: RawConfig = match front_matter::parse_yaml(path, text, text, 0) {
        Ok(raw) => raw,
        Err(d) => {
            diagnostics.push(d);
            return Err(diagnostics);
        }
    };
    let mut check = Checker { text, diagnostics };
    let base_url = parse_base_url(&raw.base_url.value).unwrap_or_else(|message| {
        check.fail(
            &raw.base_url,
            message,
            Some("write an absolute URL such as `https://example.org/briefs/`"),
        );
        Url::parse("http://invalid.invalid/").expect("a valid literal URL")
    });
    let scale = raw.scoring.scale.value;
    check.page_and_scale(&raw);
    let bands = check_bands(&raw.scoring, text, &mut check.diagnostics);
    check.counts(&raw);
    // The default threshold is the lowest score of the top band.
    let feed_min_score = match &raw.feeds.min_score {
        Some(min) => {
            let message = format!(
                "`feeds.min_score` {} is outside the scale [0, {scale}]",
                min.value
            );
            check.that((0.0..=scale).contains(&min.value), min, message, None);
            min.value
        }
        None => bands.first().map_or(0.0, |b| b.min),
    };
    check.cited_sections(&raw.brief);
    check_bibliography(&mut check, &raw.bibliography);
    let nocite = check.nocite(raw.nocite.as_ref());
    let csl = check.csl(raw.csl.as_ref(), root, &raw.language, raw.citations);
    let stylesheets = check.linked("stylesheets", &raw.stylesheets);
    let scripts = check.linked("scripts", &raw.scripts);
    let embeds = check.embeds(&raw.markdown.embeds);
    if check.diagnostics.has_errors() {
        return Err(check.diagnostics);
    }
    Ok(Config {
        title: raw.title,
        description: raw.description,
        base_url,
        language: raw.language,
        authors: raw.authors,
        per_page: raw.per_page.value as usize,
        scale,
        bands,
        raw_html: raw.markdown.raw_html,
        smart_punctuation: raw.markdown.smart_punctuation,
        embeds,
        feed_count: raw.feeds.count.value as usize,
        feed_min_score,
        sections: raw.brief.sections,
        cited_sections: values(raw.brief.cited_sections),
        strict: raw.strict,
        future_margin_days: raw.future_margin_days,
        today: None,
        top_days: raw.top.days,
        top_count: raw.top.count.value as usize,
        search_counts_bytes: raw.search.counts_kb as usize * 1024,
        bibliography: values(raw.bibliography),
        nocite,
        csl,
        stylesheets,
        scripts,
        extra: serde_json::Value::Object(raw.extra),
    })
}

/// `nocite:` in `site.yaml`: which registry entries are published though no
/// brief cites them, as Pandoc's `nocite` adds entries to a bibliography.
#[derive(Debug, Clone, Default)]
pub enum Nocite {
    /// None (the default): only what is cited.
    #[default]
    None,
    /// `'*'`: every entry.
    All,
    /// These keys, each with the warning to give if no entry has it.
    Keys(Vec<(String, Diagnostic)>),
}

impl Nocite {
    /// Whether the entry `id` is published though uncited.
    pub fn includes(&self, id: &str) -> bool {
        match self {
            Nocite::None => false,
            Nocite::All => true,
            Nocite::Keys(keys) => keys.iter().any(|(k, _)| k == id),
        }
    }
}

/// The values of a list, their places dropped once checked.
fn values<T>(list: Vec<Spanned<T>>) -> Vec<T> {
    list.into_iter().map(|item| item.value).collect()
}

/// Each `bibliography:` file is a `.bib` or a `.json` file.
fn check_bibliography(check: &mut Checker<'_>, files: &[Spanned<String>]) {
    for file in files {
        check.that(
            crate::content::cite::bibliography::Format::of(&file.value).is_some(),
            file,
            format!(
                "bibliography `{}` is neither a .bib nor a .json file",
                file.value
            ),
            Some("list BibTeX/BibLaTeX (.bib) or CSL-JSON (.json) files, from the site root"),
        );
    }
}

/// Collects errors located at values of `site.yaml`.
struct Checker<'a> {
    text: &'a str,
    diagnostics: Diagnostics,
}

impl Checker<'_> {
    /// `per_page` is at least 1 and `scoring.scale` a positive number.
    fn page_and_scale(&mut self, raw: &RawConfig) {
        let scale = raw.scoring.scale.value;
        self.that(
            raw.per_page.value > 0,
            &raw.per_page,
            "`per_page` must be at least 1",
            Some("the default is 20"),
        );
        self.that(
            scale.is_finite() && scale > 0.0,
            &raw.scoring.scale,
            "`scoring.scale` must be a positive number",
            Some("scores live in [0, scale]; the default scale is 10"),
        );
    }

    /// Loads the `csl:` style, or the default; a bad one is located.
    fn csl(
        &mut self,
        csl: Option<&Spanned<String>>,
        root: &Path,
        language: &str,
        marks: reference::Marks,
    ) -> Arc<Csl> {
        let with_marks = |mut style: Csl| {
            style.marks = marks;
            Arc::new(style)
        };
        let Some(csl) = csl else {
            return with_marks(Csl::default_for(language));
        };
        match Csl::load(&csl.value, root, language) {
            Ok(style) => with_marks(style),
            Err(message) => {
                let hint = format!(
                    "write a bundled style's name ({}) or the path of a .csl file from the site root",
                    reference::BUNDLED.join(", ")
                );
                self.fail(csl, message, Some(&hint));
                with_marks(Csl::default_for(language))
            }
        }
    }

    /// `feeds.count` and `top.count` are at least 1.
    fn counts(&mut self, raw: &RawConfig) {
        self.that(
            raw.feeds.count.value > 0,
            &raw.feeds.count,
            "`feeds.count` must be at least 1",
            Some("the default is 20"),
        );
        self.that(
            raw.top.count.value > 0,
            &raw.top.count,
            "`top.count` must be at least 1",
            Some("the default is 10"),
        );
    }

    /// Every cited section is one of `brief.sections` (when those are given).
    fn cited_sections(&mut self, brief: &RawBrief) {
        let sections = &brief.sections;
        for section in &brief.cited_sections {
            let known = sections.is_empty() || sections.contains(&section.value);
            let hint = format!("sections: {}", sections.join(", "));
            self.that(
                known,
                section,
                format!("`{}` is not one of `brief.sections`", section.value),
                Some(&hint),
            );
        }
    }

    /// Reads `nocite:`; a string other than `'*'` is an error.
    fn nocite(&mut self, raw: Option<&Spanned<RawNocite>>) -> Nocite {
        let key = |k: &str| k.trim().trim_start_matches('@').to_string();
        let Some(raw) = raw else {
            return Nocite::None;
        };
        let keys = match &raw.value {
            RawNocite::All(all) if key(all) == "*" => return Nocite::All,
            RawNocite::All(other) => {
                let message = format!("`nocite` is `{other}`, neither '*' nor a list of keys");
                let hint = "write `nocite: '*'` for every entry, or `nocite: [key1, key2]`";
                self.fail(raw, message, Some(hint));
                return Nocite::None;
            }
            RawNocite::Keys(keys) => keys,
        };
        let whole = front_matter::file_range(self.text, 0, &raw.referenced);
        let mut from = whole.start;
        let keys = keys.iter().map(|k| {
            let found = self.text[from..].find(k.as_str()).map(|i| from + i);
            let range = found.map_or(whole.start..whole.start, |i| i..i + k.len());
            from = range.end;
            let warning = Diagnostic::warning(
                Path::new(FILE_NAME),
                self.text,
                range,
                format!(
                    "`nocite` names `{}`, which no bibliography or sources.yaml defines",
                    key(k)
                ),
            )
            .with_hint("check the key against the bibliography; it is left out")
            .with_code("bibliography");
            (key(k), warning)
        });
        Nocite::Keys(keys.collect())
    }

    /// The entries of `stylesheets:` or `scripts:` (`key`), each a plain
    /// path under `static/`; anything else is an error on its line.
    fn linked(&mut self, key: &str, entries: &[Spanned<String>]) -> Vec<Linked> {
        let mut linked = Vec::with_capacity(entries.len());
        for entry in entries {
            let path = entry.value.trim();
            let plain = !path.is_empty()
                && !path.contains(['?', '#', '\\', ':'])
                && Path::new(path)
                    .components()
                    .all(|c| matches!(c, std::path::Component::Normal(_)));
            if !plain {
                self.fail(
                    entry,
                    format!("`{key}` lists `{path}`, which is not a path under `static/`"),
                    Some(
                        "write the file's path from `static/` (`site.css` for `static/site.css`); \
                         link anything else from `templates/partials/head_extra.html`",
                    ),
                );
                continue;
            }
            let missing = self
                .located(
                    entry,
                    format!("`{key}` lists `{path}`, but `static/{path}` does not exist"),
                )
                .with_hint(format!(
                    "`{key}` names files of `static/`, from it: create `static/{path}`, or fix \
                     the path"
                ));
            linked.push(Linked {
                path: path.to_string(),
                missing,
            });
        }
        linked
    }

    /// `markdown.embeds`: host names (`flo.uri.sh`), lowercased; an entry
    /// that is a URL or holds a path is an error.
    fn embeds(&mut self, hosts: &[Spanned<String>]) -> Vec<String> {
        let mut embeds = Vec::with_capacity(hosts.len());
        for entry in hosts {
            let host = entry.value.trim().to_ascii_lowercase();
            let is_host = !host.is_empty()
                && host
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
            self.that(
                is_host,
                entry,
                format!("`markdown.embeds` lists `{}`, which is not a host name", entry.value),
                Some("write the host alone, as `datawrapper.dwcdn.net` for `https://datawrapper.dwcdn.net/…`"),
            );
            embeds.push(host);
        }
        embeds
    }

    /// An error at `value`'s place in `site.yaml`.
    fn located<T>(&self, value: &Spanned<T>, message: impl Into<String>) -> Diagnostic {
        let range = front_matter::file_range(self.text, 0, &value.referenced);
        Diagnostic::error(Path::new(FILE_NAME), self.text, range, message)
    }

    fn fail<T>(&mut self, value: &Spanned<T>, message: impl Into<String>, hint: Option<&str>) {
        let diagnostic = self.located(value, message);
        self.diagnostics.push(match hint {
            Some(hint) => diagnostic.with_hint(hint),
            None => diagnostic,
        });
    }

    fn that<T>(
        &mut self,
        ok: bool,
        value: &Spanned<T>,
        message: impl Into<String>,
        hint: Option<&str>,
    ) {
        if !ok {
            self.fail(value, message, hint);
        }
    }
}

fn parse_base_url(raw: &str) -> Result<Url, String> {
    let mut url = Url::parse(raw.trim()).map_err(|e| format!("`base_url` is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err("`base_url` must be an absolute http or https URL".to_string());
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

fn check_bands(raw: &RawScoring, text: &str, diagnostics: &mut Diagnostics) -> Vec<Band> {
    let path = Path::new(FILE_NAME);
    let at = |s: &front_matter::Location| front_matter::file_range(text, 0, s);
    let bands = &raw.bands.value;
    if bands.is_empty() {
        diagnostics.push(
            Diagnostic::error(
                path,
                text,
                at(&raw.bands.referenced),
                "`scoring.bands` is empty",
            )
            .with_hint(
                "list bands highest first, e.g. `- { min: 8, label: High }`, ending with `min: 0`",
            ),
        );
        return Vec::new();
    }
    for pair in bands.windows(2) {
        if pair[1].min.value >= pair[0].min.value {
            diagnostics.push(
                Diagnostic::error(
                    path,
                    text,
                    at(&pair[1].min.referenced),
                    "bands must be listed highest `min` first",
                )
                .with_hint("order `scoring.bands` by `min`, descending"),
            );
        }
    }
    for band in bands {
        let min = band.min.value;
        if !(0.0..=raw.scale.value).contains(&min) {
            diagnostics.push(Diagnostic::error(
                path,
                text,
                at(&band.min.referenced),
                format!(
                    "band `min` {min} is outside the scale [0, {}]",
                    raw.scale.value
                ),
            ));
        }
    }
    let last = bands.last().expect("checked non-empty above");
    if last.min.value > 0.0 {
        diagnostics.push(
            Diagnostic::error(
                path,
                text,
                at(&last.min.referenced),
                "the lowest band must start at 0",
            )
            .with_hint("every score needs a band: set the last band's `min` to 0"),
        );
    }
    bands
        .iter()
        .map(|b| Band {
            min: b.min.value,
            label: b.label.clone(),
            slug: slug::slugify(&b.label),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_everything_but_title_and_base_url() {
        let config = parse("title: T\nbase_url: https://example.org/briefs\n").unwrap();
        assert_eq!(config.base_url.as_str(), "https://example.org/briefs/");
        assert_eq!(config.root(), "/briefs/");
        assert_eq!(config.per_page, 20);
        assert_eq!(config.band(7.5).label, "Medium");
        assert_eq!(config.band(0.0).label, "Low");
        assert_eq!(config.band(10.0).label, "High");
        assert_eq!((config.feed_count, config.feed_min_score), (20, 8.0));
        assert_eq!(config.search_counts_bytes, 200 * 1024);
    }

    #[test]
    fn search_counts_kb_sets_what_counting_may_fetch() {
        let config =
            parse("title: T\nbase_url: https://desk.example/\nsearch:\n  counts_kb: 1024\n");
        assert_eq!(config.unwrap().search_counts_bytes, 1024 * 1024);
        let errors = parse("title: T\nbase_url: https://desk.example/\nsearch:\n  counts: 5\n")
            .unwrap_err()
            .into_vec();
        assert!(
            errors[0].message.contains("unknown field `counts`"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn a_top_count_of_zero_is_an_error_on_its_value() {
        let errors = parse("title: T\nbase_url: https://desk.example/\ntop:\n  count: 0\n")
            .unwrap_err()
            .into_vec();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].message, "`top.count` must be at least 1");
        let pos = errors[0].position.as_ref().unwrap();
        assert_eq!((pos.line, pos.column), (4, 10));
    }

    #[test]
    fn a_relative_base_url_is_an_error_on_its_value() {
        let errors = parse("title: T\nbase_url: /briefs/\n")
            .unwrap_err()
            .into_vec();
        let pos = errors[0].position.as_ref().unwrap();
        assert_eq!((pos.line, pos.column), (2, 11));
    }
}
