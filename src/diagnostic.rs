//! Problems found in a site, located in the file an analyst has to fix.
//!
//! Parse and validate never print: they collect [`Diagnostic`]s, each with the
//! file, a byte range in that file, a message and an optional hint. The binary
//! renders them at the end, rustc-style, through annotate-snippets. Line and
//! column are always computed from byte offsets in the whole file (front matter
//! offsets are added back by the caller), so they match what an editor shows.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use serde::Serialize;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Printed; the build still succeeds.
    Warning,
    /// Printed; nothing is written and the exit code is 1.
    Error,
}

/// Where a problem is: the line of text and the span on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The whole offending line, without its line ending.
    pub line_text: String,
    /// The highlighted bytes within `line_text`.
    pub span: Range<usize>,
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Site-relative path of the file, e.g. `content/briefs/x.md`.
    pub path: PathBuf,
    /// `None` for a problem with a whole file (unreadable, say).
    pub position: Option<Box<Position>>,
    pub message: String,
    pub hint: Option<String>,
    /// What kind of problem, for tools: `front-matter`, `citation`, `sections`, …
    pub code: &'static str,
}

impl Diagnostic {
    /// An error located at a byte range of `text`, the whole content of `path`.
    pub fn error(path: &Path, text: &str, range: Range<usize>, message: impl Into<String>) -> Self {
        Self::at(Severity::Error, path, text, range, message)
    }

    /// A warning located at a byte range of `text`.
    pub fn warning(
        path: &Path,
        text: &str,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Self::at(Severity::Warning, path, text, range, message)
    }

    /// An error at a byte range, with the file's line starts known.
    pub fn error_in(
        path: &Path,
        text: &str,
        lines: &Lines,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            position: Some(Box::new(locate_in(lines, text, range))),
            ..Self::file_error(path, message)
        }
    }

    /// A warning at a byte range, with the file's line starts known.
    pub fn warning_in(
        path: &Path,
        text: &str,
        lines: &Lines,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error_in(path, text, lines, range, message)
        }
    }

    /// An error about a whole file, with no position in it.
    pub fn file_error(path: &Path, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            path: path.to_path_buf(),
            position: None,
            message: message.into(),
            hint: None,
            code: "content",
        }
    }

    fn at(
        severity: Severity,
        path: &Path,
        text: &str,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity,
            path: path.to_path_buf(),
            position: Some(Box::new(locate(text, range))),
            message: message.into(),
            hint: None,
            code: "content",
        }
    }

    /// Adds a hint: what to do about it.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Sets the problem's code.
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }

    /// One JSON object on one line: path, line, column, severity, code,
    /// message, hint (line and column are null for a whole-file problem).
    pub fn to_json_line(&self) -> String {
        #[derive(Serialize)]
        struct Line<'a> {
            path: String,
            line: Option<usize>,
            column: Option<usize>,
            severity: Severity,
            code: &'a str,
            message: &'a str,
            hint: Option<&'a str>,
        }
        let line = Line {
            path: self.path.to_string_lossy().replace('\\', "/"),
            line: self.position.as_ref().map(|p| p.line),
            column: self.position.as_ref().map(|p| p.column),
            severity: self.severity,
            code: self.code,
            message: &self.message,
            hint: self.hint.as_deref(),
        };
        serde_json::to_string(&line).expect("a diagnostic always serializes")
    }

    /// Renders the diagnostic rustc-style; `color` adds ANSI styles.
    pub fn render(&self, color: bool) -> String {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = self.path.display().to_string();
        let group = level.primary_title(self.message.as_str());
        let report_group: Group = match &self.position {
            Some(pos) => group.element(
                Snippet::source(pos.line_text.as_str())
                    .line_start(pos.line)
                    .path(path.as_str())
                    .annotation(AnnotationKind::Primary.span(pos.span.clone())),
            ),
            None => group.element(Origin::path(path.as_str())),
        };
        let mut groups = vec![report_group];
        if let Some(hint) = &self.hint {
            groups.push(Group::with_title(
                Level::HELP.secondary_title(hint.as_str()),
            ));
        }
        renderer.render(&groups)
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `path:line:col: error: message`, for logs and JSON-less tools.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match &self.position {
            Some(p) => write!(
                f,
                "{}:{}:{}: {severity}: {}",
                self.path.display(),
                p.line,
                p.column,
                self.message
            ),
            None => write!(f, "{}: {severity}: {}", self.path.display(), self.message),
        }
    }
}

/// Finds the line and column of a byte range, clamped to `text` and to one line.
pub fn locate(text: &str, range: Range<usize>) -> Position {
    locate_in(&Lines::new(text), text, range)
}

/// Where each line of a text starts, so many positions in one file are
/// found by binary search instead of a scan from the top each time.
#[derive(Debug, Clone)]
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub fn new(text: &str) -> Self {
        // Every Markdown file's lines are counted: memchr finds the line
        // ends a vector at a time.
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Lines { starts }
    }
}

/// [`locate`] with the line starts of `text` already known.
pub fn locate_in(lines: &Lines, text: &str, range: Range<usize>) -> Position {
    let start = floor_char_boundary(text, range.start.min(text.len()));
    let line = lines.starts.partition_point(|&s| s <= start);
    let line_start = lines.starts[line - 1];
    let line_end = lines.starts.get(line).map_or(text.len(), |&next| next - 1);
    let line_text = text[line_start..line_end].trim_end_matches('\r');
    let end = floor_char_boundary(text, range.end.clamp(start, line_end)).max(start);
    let column = text[line_start..start].chars().count() + 1;
    let span_start = (start - line_start).min(line_text.len());
    let span_end = (end - line_start).clamp(span_start, line_text.len());
    Position {
        line,
        column,
        line_text: line_text.to_string(),
        span: span_start..span_end,
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// All problems of a run, in a stable order.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.0
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    /// Sorts by file, then position, so output never depends on thread timing.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            let pos = |d: &Diagnostic| d.position.as_ref().map(|p| (p.line, p.column));
            (&a.path, pos(a), &a.message).cmp(&(&b.path, pos(b), &b.message))
        });
    }

    /// Turns every warning into an error (`strict` mode).
    pub fn escalate_warnings(&mut self) {
        for d in &mut self.0 {
            d.severity = Severity::Error;
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.0
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_finds_line_and_character_column() {
        let text = "a: 1\nbé: xyz\n";
        let at = text.find("xyz").unwrap();
        let pos = locate(text, at..at + 3);
        assert_eq!((pos.line, pos.column), (2, 5));
        assert_eq!(pos.line_text, "bé: xyz");
        assert_eq!(&pos.line_text[pos.span.clone()], "xyz");
    }

    #[test]
    fn locate_clamps_a_range_past_the_end() {
        let pos = locate("abc", 10..20);
        assert_eq!((pos.line, pos.column), (1, 4));
        assert_eq!(pos.span, 3..3);
    }

    #[test]
    fn locate_keeps_a_multiline_range_on_its_first_line() {
        let pos = locate("one\ntwo\n", 1..6);
        assert_eq!(pos.line_text, "one");
        assert_eq!(pos.span, 1..3);
    }
}
