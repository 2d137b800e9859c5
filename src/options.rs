//! What a run is asked to do: the options `build`, `check` and `serve` share.
//! Its own module so that the stages read it without going through the crate
//! root (ARCHITECTURE.md).

use std::path::PathBuf;

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The site folder (holding `site.yaml`).
    pub root: PathBuf,
    /// The output folder; default `<root>/public`.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// Also build briefs in `draft` or `review` status.
    pub drafts: bool,
    /// Treat warnings as errors (also `strict: true` in `site.yaml`).
    pub strict: bool,
    /// The `--today` date: a brief dated after it is a warning. Builds never
    /// read the clock themselves.
    pub today: Option<jiff::civil::Date>,
    /// Replace the output folder even if no build wrote it.
    pub force: bool,
}

impl Options {
    /// The output folder this build writes.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}
